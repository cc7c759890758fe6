#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO) of the home page, a reading
# result and a card page, with the project under gunicorn and settings.staging on this machine's
# PostgreSQL and Redis (bench/run.py's stack, loopback only).
#
#   bash bench/lighthouse.sh
#
# Installs lighthouse@12.2.3 with npm into bench/.tools (git-ignored) the first time. Chromium:
# CHROME_PATH (default /usr/bin/chromium). Prints the scores and every audit that lost points.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/bench/.tools"
LIGHTHOUSE="$TOOLS/node_modules/.bin/lighthouse"
LIGHTHOUSE_VERSION="12.2.3"

if ! "$LIGHTHOUSE" --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
  echo "[lighthouse] installing lighthouse@$LIGHTHOUSE_VERSION into bench/.tools"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
exec "$ROOT/.venv/bin/python" "$ROOT/bench/run.py" lighthouse --lighthouse "$LIGHTHOUSE" "$@"
