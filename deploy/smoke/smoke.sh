#!/usr/bin/env bash
# make smoke: a staging-like run of Tarot Master on this machine, on loopback only.
#
#   bash deploy/smoke/smoke.sh
#
# Starts, with settings.staging and the real deploy/ configuration:
#   gunicorn  deploy/gunicorn.conf.py (its own control socket in the work directory)
#   nginx     deploy/nginx/production.conf.template rendered by deploy/nginx/render.sh with
#             loopback ports, a throw-away self-signed certificate and the upstream above
#   Celery    a worker (queues default + notifications) and beat
# against the machine's PostgreSQL (a database of its own, created and dropped here) and Redis
# (a database number of its own, flushed before and after), then runs deploy/smoke/checks.py
# over HTTPS through nginx. Every process it started is stopped by pid on exit, whatever
# happened; on failure the tail of every log is printed and the exit status is non-zero.
#
# Environment (all optional):
#   SMOKE_DATABASE_ADMIN_URL  PostgreSQL server to create the database on
#                             (default postgres://postgres@127.0.0.1:5432/postgres)
#   SMOKE_REDIS_URL           Redis server and database number (default redis://127.0.0.1:6379/12)
#   SMOKE_KEEP=1              keep the work directory (logs, rendered config) afterwards
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV_BIN="$ROOT/.venv/bin"
PYTHON="$VENV_BIN/python"
STARTED_AT=$SECONDS

ADMIN_URL="${SMOKE_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL_SMOKE="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/12}"
DATABASE_NAME="tarot_smoke_$$"
DATABASE_URL_SMOKE="${ADMIN_URL%/*}/$DATABASE_NAME"

say() { printf '[smoke %3ds] %s\n' "$((SECONDS - STARTED_AT))" "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Tools --------------------------------------------------------------------------------------
missing_packages=()
command -v nginx >/dev/null 2>&1 || missing_packages+=(nginx)
command -v openssl >/dev/null 2>&1 || missing_packages+=(openssl)
command -v envsubst >/dev/null 2>&1 || missing_packages+=(gettext-base)
command -v psql >/dev/null 2>&1 || missing_packages+=(postgresql-client)
command -v redis-cli >/dev/null 2>&1 || missing_packages+=(redis-tools)
if [ "${#missing_packages[@]}" -gt 0 ]; then
  say "installing ${missing_packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
fi
if [ ! -x "$VENV_BIN/gunicorn" ]; then
  say "installing requirements/production.txt into .venv"
  "$PYTHON" -m pip install --quiet -r requirements/production.txt
fi

# --- Work directory, ports ---------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tarot-smoke.XXXXXX")"
mkdir -p "$WORK/logs" "$WORK/static" "$WORK/media" "$WORK/nginx" "$WORK/worker-metrics"
free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
APP_PORT="$(free_port)"
HTTP_PORT="$(free_port)"
HTTPS_PORT="$(free_port)"
WORKER_METRICS_PORT="$(free_port)"

# --- Cleanup: exactly the processes started here, by pid ---------------------------------------
PIDS=()  # "name:pid"
LAST_PID=""
DATABASE_CREATED=0

stop_processes() {
  local entry name pid
  for entry in "${PIDS[@]}"; do
    name="${entry%%:*}"
    pid="${entry##*:}"
    if kill -0 "$pid" 2>/dev/null; then
      # nginx finishes gracefully on QUIT; gunicorn and Celery on TERM.
      if [ "$name" = nginx ]; then kill -QUIT "$pid" 2>/dev/null || true
      else kill -TERM "$pid" 2>/dev/null || true; fi
    fi
  done
  for entry in "${PIDS[@]}"; do
    name="${entry%%:*}"
    pid="${entry##*:}"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name (pid $pid) did not stop in 10 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}

print_log_tails() {
  local log
  for log in "$WORK"/logs/*.log "$WORK"/nginx/logs/*.log; do
    [ -s "$log" ] || continue
    echo "----- last 40 lines of ${log#"$WORK"/} -----"
    tail -n 40 "$log"
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  stop_processes
  if [ "$status" -ne 0 ]; then
    say "FAILED (exit $status); logs follow"
    print_log_tails
  fi
  if [ "$DATABASE_CREATED" -eq 1 ]; then
    psql "$ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS \"$DATABASE_NAME\" WITH (FORCE)" >/dev/null
  fi
  redis-cli -u "$REDIS_URL_SMOKE" FLUSHDB >/dev/null 2>&1
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then
    say "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  say "stopped everything it started; $( [ "$status" -eq 0 ] && echo passed || echo failed ) in $((SECONDS - STARTED_AT)) s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() {  # start NAME LOG COMMAND...: run in the background, remember its pid
  local name="$1" log="$2"
  shift 2
  "$@" >"$log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$name:$LAST_PID")
  say "started $name (pid $LAST_PID)"
}

# --- Services: PostgreSQL database and Redis database of our own ---------------------------------
say "PostgreSQL: creating $DATABASE_NAME; Redis: $REDIS_URL_SMOKE"
psql "$ADMIN_URL" -qAt -c "CREATE DATABASE \"$DATABASE_NAME\"" >/dev/null
DATABASE_CREATED=1
redis-cli -u "$REDIS_URL_SMOKE" FLUSHDB >/dev/null

# --- Environment: staging, as the Kubernetes ConfigMap and Secret would set it ------------------
export DJANGO_SETTINGS_MODULE=settings.staging
export APP_ENVIRONMENT=staging
export APP_RELEASE="smoke-$(git rev-parse --short HEAD 2>/dev/null || echo local)"
DJANGO_SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DATABASE_URL="$DATABASE_URL_SMOKE"
export REDIS_URL="$REDIS_URL_SMOKE"
export DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1"
export CSRF_TRUSTED_ORIGINS="https://localhost:$HTTPS_PORT"
export SITE_URL="https://localhost:$HTTPS_PORT"
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"
# Mail goes to files, not stdout: the console backend would put mail between the JSON log lines.
export EMAIL_URL="filemail://$WORK/mail"
export SMS_BACKEND=mock
METRICS_TOKEN="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))')"
HEALTH_WORKERS_TOKEN="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))')"
export METRICS_TOKEN HEALTH_WORKERS_TOKEN
export LOG_LEVEL=INFO
export PYTHONUNBUFFERED=1

say "check_environment, then migrate and seed the deck beside collectstatic"
"$PYTHON" manage.py check_environment | sed 's/^/    /'
"$PYTHON" manage.py collectstatic --noinput >"$WORK/logs/collectstatic.log" 2>&1 &
COLLECTSTATIC_PID=$!
PIDS+=("collectstatic:$COLLECTSTATIC_PID")
"$PYTHON" manage.py migrate --noinput >"$WORK/logs/migrate.log" 2>&1
"$PYTHON" manage.py seed_deck >"$WORK/logs/seed.log" 2>&1
wait "$COLLECTSTATIC_PID"

# --- TLS certificate and nginx configuration (deploy/nginx, changed only by variables) ----------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" \
  -keyout "$WORK/nginx/key.pem" -out "$WORK/nginx/cert.pem" >/dev/null 2>&1
mkdir -p "$WORK/nginx/logs"
NGINX_HTTP_PORT="127.0.0.1:$HTTP_PORT" \
NGINX_HTTPS_PORT="127.0.0.1:$HTTPS_PORT" \
NGINX_SERVER_NAME="localhost" \
NGINX_SSL_CERTIFICATE="$WORK/nginx/cert.pem" \
NGINX_SSL_CERTIFICATE_KEY="$WORK/nginx/key.pem" \
NGINX_UPSTREAM="127.0.0.1:$APP_PORT" \
NGINX_STATIC_ROOT="$WORK/static/" \
NGINX_MEDIA_ROOT="$WORK/media/" \
NGINX_REAL_IP_FROM="127.0.0.1" \
NGINX_LOG_DIR="$WORK/nginx/logs" \
  bash deploy/nginx/render.sh "$WORK/nginx/tarot.conf"
# The distribution's nginx.conf would listen on port 80 and log under /var/log; this wrapper
# holds only what an http {} block needs around the rendered site configuration.
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $WORK/nginx/tmp_body;
    proxy_temp_path $WORK/nginx/tmp_proxy;
    fastcgi_temp_path $WORK/nginx/tmp_fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp_uwsgi;
    scgi_temp_path $WORK/nginx/tmp_scgi;
    include $WORK/nginx/tarot.conf;
}
EOF
# nginx's workers run as an unprivileged user: they must be able to read the static files.
chmod 755 "$WORK"
chmod -R a+rX "$WORK/static" "$WORK/media"
nginx -t -q -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"

# --- Processes ----------------------------------------------------------------------------------
start gunicorn "$WORK/logs/gunicorn.log" env \
  GUNICORN_BIND="127.0.0.1:$APP_PORT" WEB_CONCURRENCY=2 GUNICORN_THREADS=2 \
  GUNICORN_CONTROL_SOCKET="$WORK/gunicorn.ctl" FORWARDED_ALLOW_IPS=127.0.0.1 \
  "$VENV_BIN/gunicorn" -c deploy/gunicorn.conf.py settings.wsgi:application
start worker "$WORK/logs/worker.log" env \
  CELERY_METRICS_PORT="$WORKER_METRICS_PORT" PROMETHEUS_MULTIPROC_DIR="$WORK/worker-metrics" \
  "$VENV_BIN/celery" -A settings --quiet worker --loglevel INFO --concurrency 1 \
  --queues default,notifications --hostname "smoke-$$@%h"
WORKER_PID=$LAST_PID
start beat "$WORK/logs/beat.log" \
  "$VENV_BIN/celery" -A settings --quiet beat --loglevel INFO \
  --schedule "$WORK/celerybeat-schedule" --pidfile "$WORK/celerybeat.pid"
BEAT_PID=$LAST_PID
start nginx "$WORK/logs/nginx.log" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off;"

# --- Checks -------------------------------------------------------------------------------------
say "checking https://localhost:$HTTPS_PORT/ (gunicorn on 127.0.0.1:$APP_PORT)"
"$PYTHON" deploy/smoke/checks.py \
  --https-port "$HTTPS_PORT" --http-port "$HTTP_PORT" --app-port "$APP_PORT" \
  --ca "$WORK/nginx/cert.pem" --work "$WORK" --database-url "$DATABASE_URL_SMOKE" \
  --worker-pid "$WORKER_PID" --worker-metrics-port "$WORKER_METRICS_PORT" --beat-pid "$BEAT_PID"
