#!/usr/bin/env bash
# The project's two commands (see README):
#   scripts/dev.sh serve [serve options]   build the index from seeds/ if empty, run the server
#   scripts/dev.sh test  [pytest options]  lint, type-check, run the test suite
# Both create .venv and install what they need on first use (Python >= 3.11 only).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
VENV=${QUOTETRACE_VENV:-$REPO/.venv}
PY=${PYTHON:-python3}

if [ -d "$REPO/../shared/models/stanza_resources" ] && [ -z "${STANZA_RESOURCES_DIR:-}" ]; then
  export STANZA_RESOURCES_DIR="$(cd "$REPO/../shared/models/stanza_resources" && pwd)"
fi

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.quotetrace-installed"
  local want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    # The CPU build of torch on this machine's disk; a bare `torch` would pull a CUDA build.
    "$VENV/bin/python" -c "import torch" 2>/dev/null \
      || "$VENV/bin/python" -m pip install --quiet "torch==2.13.0"
    "$VENV/bin/python" -m pip install --quiet -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

# Debian packages some tests drive, installed as root (or with sudo -n); apt's package
# lists are fetched once per run, however many packages are missing.
APT_UPDATED=""
apt_install() {
  local purpose=$1
  shift
  if ! command -v apt-get >/dev/null; then
    echo "dev.sh: no apt-get: $purpose will be skipped (install $*)" >&2
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "== apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$APT_UPDATED" ]; then
    $sudo apt-get update -qq </dev/null
    APT_UPDATED=1
  fi
  $sudo apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}

# The web page's browser tests drive Debian's Chromium (tests/test_web_browser.py).
ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    return
  fi
  apt_install "the browser tests" chromium chromium-driver
}

# The PostgreSQL store's tests start a throwaway server from Debian's binaries
# (tests/postgres.py): initdb and pg_ctl under /usr/lib/postgresql/*/bin.
ensure_postgresql() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; then
    return
  fi
  apt_install "the PostgreSQL store's tests" postgresql
}

cmd=${1:-}
shift || true
case "$cmd" in
  serve)
    ensure_venv
    exec "$VENV/bin/quotetrace-server" serve "$@"
    ;;
  test)
    ensure_venv
    ensure_chromium
    ensure_postgresql
    export PATH="$VENV/bin:$PATH"
    echo "== ruff"; ruff check . && ruff format --check .
    echo "== mypy"; mypy
    echo "== pytest"; exec pytest "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh serve|test [options]" >&2
    exit 2
    ;;
esac
