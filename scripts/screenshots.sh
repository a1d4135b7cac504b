#!/usr/bin/env bash
# Regenerate the README's screenshots (docs/images/dashboard.png) in a real JupyterLab, with the
# browser tests' harness (tests/browser/harness.py): an emulator in its own process, JupyterLab on
# loopback, Debian's Chromium driven by Python Playwright (no downloaded browser builds).
# Usage: scripts/screenshots.sh [OUT_DIR]   (default docs/images)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh "notebooks,test"
if [ ! -x "${PINTOOLS_CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "no Chromium at ${PINTOOLS_CHROMIUM:-/usr/bin/chromium}: sudo apt-get install chromium" \
         "(scripts/test.sh installs it when run as root)" >&2
    exit 1
fi
if command -v fc-list >/dev/null && [ -z "$(fc-list ':charset=24d8')" ]; then
    echo "no font has the ⓘ of pintools' info line: it would show as a box (sudo apt-get install fonts-symbola)" >&2
fi
# The kernels have no credentials: they run the built-in emulator on its frozen demo clock, so every
# date in the picture is at or before the emulator's "today" (tests/browser/screenshots.py).
PYTHONPATH=tests${PYTHONPATH:+:$PYTHONPATH} .venv/bin/python -m browser.screenshots "$@"
