#!/usr/bin/env bash
# Build the rendered site (python -m get_nb.docs site) and check it in headless Chromium: the home page, every
# notebook page, the navigation between them, images and plotly figures (offline). Installs what it needs if
# missing, like browser_check.sh (Debian's chromium, the playwright Python package; no `playwright install`).
# usage: bash .ci/site_check.sh [--src DIR] [--page NAME]   (exit 0 = site built and every check passed)
#   screenshots: runs/site_index.png (home page), runs/site_page.png (one notebook page, default 10_deq_ddim)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
src=""; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --src) src="$2"; shift 2;;
    *) args+=("$1"); shift;;
  esac
done
. .ci/browser_deps.sh          # (the working directory is the repository root here)
ensure_browser "site check" || exit 1
echo "== building the site"
t0=$(date +%s)
timeout 300 "$PY" -m get_nb.docs site ${src:+--src "$src"} --out _docs || { echo "site check: the site build failed"; exit 1; }
echo "site build took $(( $(date +%s) - t0 )) s"
exec timeout 240 "$PY" .ci/site_check.py --site _docs "${args[@]}"
