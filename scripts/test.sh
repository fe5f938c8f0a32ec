#!/usr/bin/env bash
# Install everything the tests need, then lint, type-check and run the whole test suite.
#   bash scripts/test.sh            (extra arguments go to pytest)
# This is exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
CHROMIUM="${TOKENOMICS_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; fi
  if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  elif [ "${CI:-}" = "true" ]; then
    echo "error: $CHROMIUM is missing and cannot be installed here (no apt-get, or not root and no sudo); CI must run the browser tests" >&2
    exit 1
  else
    echo "note: no Chromium at $CHROMIUM and no way to install it here; the browser tests are skipped (install chromium, or set TOKENOMICS_CHROMIUM to its path, then run: python -m pytest -m browser)" >&2
  fi
fi

ruff check .
ruff format --check .
mypy
python -m pytest "$@"
