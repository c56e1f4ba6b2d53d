# Sourced by browser_check.sh and site_check.sh: make sure Debian's chromium and the playwright Python package
# (no `playwright install`) are there, installing what is missing. Usage: ensure_browser "<check name>" (needs $PY).
ensure_browser() {
  local name="$1"
  if [ ! -x /usr/bin/chromium ]; then
    echo "== installing chromium (apt)"
    local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
      || { echo "$name: could not install chromium with apt-get"; return 1; }
  fi
  if ! "$PY" -c "import playwright" 2>/dev/null; then
    echo "== installing playwright (python package only)"
    "$PY" -m pip install -q playwright || { echo "$name: could not pip install playwright"; return 1; }
  fi
}
