#!/usr/bin/env bash
# Headless-browser check of nbs/11_widgets.ipynb: install what it needs if missing (Debian's chromium,
# the playwright Python package; no `playwright install`), then run .ci/browser_check.py.
# usage: bash .ci/browser_check.sh [--smoke]      (exit 0 = the plot updated when the slider moved)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (apt)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || { echo "browser check: could not install chromium with apt-get"; exit 1; }
fi
if ! "$PY" -c "import playwright" 2>/dev/null; then
  echo "== installing playwright (python package only)"
  "$PY" -m pip install -q playwright || { echo "browser check: could not pip install playwright"; exit 1; }
fi
exec timeout 240 "$PY" .ci/browser_check.py "$@"
