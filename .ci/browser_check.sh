#!/usr/bin/env bash
# Headless-browser check of nbs/11_widgets.ipynb: install what it needs if missing (Debian's chromium,
# the playwright Python package; no `playwright install`), then run .ci/browser_check.py.
# usage: bash .ci/browser_check.sh [--smoke]      (exit 0 = the plot updated when the slider moved)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
. .ci/browser_deps.sh          # (the working directory is the repository root here)
ensure_browser "browser check" || exit 1
exec timeout 240 "$PY" .ci/browser_check.py "$@"
