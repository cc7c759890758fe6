#!/usr/bin/env bash
# Render deploy/nginx/production.conf.template with envsubst.
#
#   deploy/nginx/render.sh                   # defaults -> stdout
#   deploy/nginx/render.sh /etc/nginx/conf.d/tarot.conf
#   NGINX_HTTPS_PORT=127.0.0.1:8443 NGINX_UPSTREAM=127.0.0.1:8000 deploy/nginx/render.sh out.conf
#
# NGINX_HTTP_PORT / NGINX_HTTPS_PORT   "port" or "address:port" for listen (80 / 443)
# NGINX_SERVER_NAME                    server_name list ("tarot-app.com www.tarot-app.com")
# NGINX_SSL_CERTIFICATE(_KEY)          certificate chain and key paths
# NGINX_UPSTREAM                       gunicorn address, host:port or unix:/path (127.0.0.1:8000)
# NGINX_STATIC_ROOT / NGINX_MEDIA_ROOT STATIC_ROOT and MEDIA_ROOT, with a trailing slash
# NGINX_REAL_IP_FROM                   address/CIDR of the load balancer allowed to set X-Forwarded-For
# NGINX_LOG_DIR                        directory for tarot-access.log / tarot-error.log
#
# Only the variables below are substituted; nginx's own $variables stay as they
# are. deploy/nginx/production.conf is this script's output with the defaults
# (deploy/check.sh fails if the two drift apart).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export NGINX_SERVER_NAME="${NGINX_SERVER_NAME:-tarot-app.com www.tarot-app.com}"
export NGINX_HTTP_PORT="${NGINX_HTTP_PORT:-80}"
export NGINX_HTTPS_PORT="${NGINX_HTTPS_PORT:-443}"
export NGINX_SSL_CERTIFICATE="${NGINX_SSL_CERTIFICATE:-/etc/ssl/certs/tarot-app.crt}"
export NGINX_SSL_CERTIFICATE_KEY="${NGINX_SSL_CERTIFICATE_KEY:-/etc/ssl/private/tarot-app.key}"
export NGINX_UPSTREAM="${NGINX_UPSTREAM:-127.0.0.1:8000}"
export NGINX_STATIC_ROOT="${NGINX_STATIC_ROOT:-/app/staticfiles/}"
export NGINX_MEDIA_ROOT="${NGINX_MEDIA_ROOT:-/app/media/}"
export NGINX_REAL_IP_FROM="${NGINX_REAL_IP_FROM:-127.0.0.1}"
export NGINX_LOG_DIR="${NGINX_LOG_DIR:-/var/log/nginx}"

# alias needs the trailing slash to map /static/x to <root>/x.
for var in NGINX_STATIC_ROOT NGINX_MEDIA_ROOT; do
  case "${!var}" in
    */) ;;
    *) echo "render.sh: $var must end with '/'" >&2; exit 1 ;;
  esac
done

# Single quotes on purpose: envsubst gets the literal names to substitute.
# shellcheck disable=SC2016
variables='${NGINX_SERVER_NAME} ${NGINX_HTTP_PORT} ${NGINX_HTTPS_PORT} ${NGINX_SSL_CERTIFICATE} ${NGINX_SSL_CERTIFICATE_KEY} ${NGINX_UPSTREAM} ${NGINX_STATIC_ROOT} ${NGINX_MEDIA_ROOT} ${NGINX_REAL_IP_FROM} ${NGINX_LOG_DIR}'

if [ $# -ge 1 ]; then
  envsubst "$variables" < "$here/production.conf.template" > "$1"
else
  envsubst "$variables" < "$here/production.conf.template"
fi
