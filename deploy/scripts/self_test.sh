#!/usr/bin/env bash
# Prove that deploy/check.sh can fail: break copies of the files it checks, one small
# scripted edit per copy, run the whole check on each copy and require it to fail.
#
#   bash deploy/check.sh --self-test    (installs the tools first, then runs this)
#
# Prints "breakage -> caught by <validators>" per case, and exits non-zero when the
# untouched copy fails or any breakage passes. The copies share deploy/.tools and
# .venv through symlinks, so nothing is installed again. Cases run in parallel, two
# per core: most of a run is spent waiting on process start-up, not computing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SANDBOX="$(mktemp -d "${TMPDIR:-/tmp}/tarot-deploy-self-test.XXXXXX")"
trap 'rm -rf "$SANDBOX"' EXIT

# No case edits nginx/, monitoring/ or gunicorn.conf.py, so the broken copies skip the
# validators that read only those (the slowest among them starts nginx); the untouched
# copy runs every validator.
UNTOUCHED_VALIDATORS="gunicorn-config nginx-render nginx-config nginx-smoke promtool-config \
promtool-rules promtool-test amtool-config grafana-dashboard"

# Everything deploy/check.sh reads: the deployment files, the settings whose
# environment variables and queues they must match, and the Dockerfile's build context.
COPIED=(deploy .github settings requirements manage.py)

# replace FILE OLD NEW: the first OLD becomes NEW; a case whose text is gone fails
# loudly instead of silently testing nothing.
replace() {
  python3 - "$@" <<'EOF'
import sys
path, old, new = sys.argv[1:4]
with open(path, encoding="utf-8") as handle:
    text = handle.read()
if old not in text:
    sys.exit(f"self-test: {old!r} not found in {path}")
with open(path, "w", encoding="utf-8") as handle:
    handle.write(text.replace(old, new, 1))
EOF
}

CASES=(
  "Service selector matches no pod"
  "Service targetPort names no container port"
  "liveness probe on an undeclared port"
  "envFrom secretRef typo"
  "worker does not consume the notifications queue"
  "ConfigMap key the settings never read"
  "compose DATABASE_URL typo (dev falls back to SQLite)"
  "compose depends_on an undefined service"
  "Dockerfile COPY of a missing path"
  "removed API version policy/v1beta1"
  "shell syntax error in a workflow run: block"
  "PodDisruptionBudget selector matches no pod"
  "PVC claimName typo"
  "production lacks a required variable (REDIS_URL)"
  "secretKeyRef to a key the Secret does not document"
  "Ingress backend port the Service lacks"
  "replicas set back on the HPA-managed web Deployment"
  "container runs privileged"
  "untrusted PR title expanded in a workflow run: block"
)

# The texts are literal lines of the files, $ and all.
# shellcheck disable=SC2016
break_copy() {
  case "$1" in
    "Service selector matches no pod")
      replace deploy/kubernetes/base/service.yaml \
        "  selector:
    app.kubernetes.io/component: web" \
        "  selector:
    app.kubernetes.io/component: webb" ;;
    "Service targetPort names no container port")
      replace deploy/kubernetes/base/service.yaml "targetPort: http" "targetPort: web" ;;
    "liveness probe on an undeclared port")
      replace deploy/kubernetes/base/web-deployment.yaml \
        "              path: /api/health
              port: http" \
        "              path: /api/health
              port: health" ;;
    "envFrom secretRef typo")
      replace deploy/kubernetes/base/worker-deployment.yaml "name: tarot-secrets" "name: tarot-secret" ;;
    "worker does not consume the notifications queue")
      replace deploy/kubernetes/base/worker-deployment.yaml '"default,notifications"' '"default"' ;;
    "ConfigMap key the settings never read")
      replace deploy/kubernetes/base/kustomization.yaml "      - LOG_LEVEL=INFO" \
        "      - LOG_LEVEL=INFO
      - LOG_FORMAT=json" ;;
    "compose DATABASE_URL typo (dev falls back to SQLite)")
      replace deploy/docker-compose.dev.yml "  DATABASE_URL:" "  DATABSE_URL:" ;;
    "compose depends_on an undefined service")
      replace deploy/docker-compose.dev.yml \
        "      redis:
        condition: service_healthy
      mailpit:" \
        "      cache:
        condition: service_healthy
      mailpit:" ;;
    "Dockerfile COPY of a missing path")
      replace deploy/docker/Dockerfile "COPY requirements/ /src/requirements/" \
        "COPY requirements/ /src/requirements/
COPY constraints.txt /src/" ;;
    "removed API version policy/v1beta1")
      replace deploy/kubernetes/base/pdb.yaml "apiVersion: policy/v1" "apiVersion: policy/v1beta1" ;;
    "shell syntax error in a workflow run: block")
      replace .github/workflows/deploy-environment.yml \
        'run: kubectl -n "$NAMESPACE" get secret tarot-secrets -o name' \
        'run: if kubectl -n "$NAMESPACE" get secret tarot-secrets -o name; then echo found' ;;
    "PodDisruptionBudget selector matches no pod")
      replace deploy/kubernetes/base/pdb.yaml \
        "    matchLabels:
      app.kubernetes.io/component: worker" \
        "    matchLabels:
      app.kubernetes.io/component: workers" ;;
    "PVC claimName typo")
      replace deploy/kubernetes/base/web-deployment.yaml "claimName: tarot-media" "claimName: tarot-medias" ;;
    "production lacks a required variable (REDIS_URL)")
      replace deploy/kubernetes/base/secret.example.yaml '  REDIS_URL: ""' '  REDIS_CACHE_URL: ""' ;;
    "secretKeyRef to a key the Secret does not document")
      replace deploy/kubernetes/base/backup-cronjob.yaml "key: DATABASE_URL" "key: DATABASE_DSN" ;;
    "Ingress backend port the Service lacks")
      replace deploy/kubernetes/base/ingress.yaml "                  name: http" "                  name: https" ;;
    "replicas set back on the HPA-managed web Deployment")
      replace deploy/kubernetes/base/web-deployment.yaml "  revisionHistoryLimit: 5" \
        "  replicas: 2
  revisionHistoryLimit: 5" ;;
    "container runs privileged")
      replace deploy/kubernetes/base/beat-deployment.yaml "allowPrivilegeEscalation: false" \
        "allowPrivilegeEscalation: false
            privileged: true" ;;
    "untrusted PR title expanded in a workflow run: block")
      replace .github/workflows/deploy.yml "run: make test" \
        'run: echo "${{ github.event.pull_request.title }}" && make test' ;;
    *) echo "self-test: no such case: $1" >&2; return 1 ;;
  esac
}

make_pristine() {
  local copy="$SANDBOX/pristine"
  mkdir -p "$copy"
  tar -C "$ROOT" --exclude=deploy/.tools --exclude='__pycache__' -cf - "${COPIED[@]}" | tar -C "$copy" -xf -
  ln -s "$ROOT/deploy/.tools" "$copy/deploy/.tools"
  if [ -d "$ROOT/.venv" ]; then
    ln -s "$ROOT/.venv" "$copy/.venv"
  fi
}

# run_case INDEX: copy, break (case 0 is the untouched copy), check; writes INDEX.result.
run_case() {
  local index="$1" copy="$SANDBOX/case-$1"
  cp -a "$SANDBOX/pristine" "$copy"
  if [ "$index" -gt 0 ] && ! (cd "$copy" && break_copy "${CASES[index - 1]}") >"$SANDBOX/$index.log" 2>&1; then
    echo "edit-failed" >"$SANDBOX/$index.result"
    return
  fi
  local status=0 skip=""
  [ "$index" -gt 0 ] && skip="$UNTOUCHED_VALIDATORS"
  DEPLOY_CHECK_SKIP="$skip" bash "$copy/deploy/check.sh" >>"$SANDBOX/$index.log" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then
    echo "passed" >"$SANDBOX/$index.result"
  else
    sed -n 's/^FAIL //p' "$SANDBOX/$index.log" | paste -sd, - | sed 's/,/, /g' >"$SANDBOX/$index.result"
  fi
  rm -rf "$copy"
}

make_pristine
started=$SECONDS
jobs_max="$(($(nproc) * 2))"
for index in $(seq 0 "${#CASES[@]}"); do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
    wait -n
  done
  run_case "$index" &
done
wait

failures=0
pristine="$(cat "$SANDBOX/0.result")"
if [ "$pristine" != "passed" ]; then
  echo "self-test: the untouched copy does not pass (failed: $pristine):" >&2
  cat "$SANDBOX/0.log" >&2
  failures=1
fi
printf '%-64s %s\n' "breakage" "caught by"
for index in $(seq 1 "${#CASES[@]}"); do
  result="$(cat "$SANDBOX/$index.result")"
  case "$result" in
    passed | edit-failed | "")
      printf '%-64s %s\n' "${CASES[index - 1]}" "NOT CAUGHT ($result)"
      sed 's/^/    /' "$SANDBOX/$index.log"
      failures=$((failures + 1)) ;;
    *) printf '%-64s %s\n' "${CASES[index - 1]}" "$result" ;;
  esac
done
echo "self-test: ${#CASES[@]} breakages in $((SECONDS - started)) s"
if [ "$failures" -gt 0 ]; then
  echo "self-test: $failures problem(s)" >&2
  exit 1
fi
