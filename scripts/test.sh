#!/usr/bin/env bash
# Every test: unit, client, emulator, spec-fidelity (needs ../shared/reference/), doctests,
# and the notebooks under nbval with their committed outputs compared (no --nbval-lax).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh "notebooks,test"
export TQDM_DISABLE=1 MPLBACKEND=Agg PYTHONHASHSEED=0
# Every emulator of the run (tests, notebook kernels, recipes, CLI and browser emulator processes)
# validates against Pinterest's spec in ../shared/reference and appends violations to one log; any
# violation fails the test that caused it (root conftest.py). Without the spec the run stops.
export PINTOOLS_REQUIRE_SPEC=1
# the browser tests (tests/browser) drive JupyterLab in Debian's Chromium through Playwright; they
# never download a browser build (no `playwright install`). Install the distribution's package once.
if [ ! -x "${PINTOOLS_CHROMIUM:-/usr/bin/chromium}" ] && [ "${PINTOOLS_SKIP_BROWSER_TESTS:-}" != 1 ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi
    if [ "$sudo" != none ] && command -v apt-get >/dev/null; then
        echo "installing Debian's chromium (for the browser tests)..." >&2
        { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null \
            || echo "could not install chromium with apt-get; the browser tests will fail (see tests/browser/conftest.py)" >&2
    else
        echo "no ${PINTOOLS_CHROMIUM:-/usr/bin/chromium} and no way to install it here: run 'sudo apt-get install chromium'" \
             "(or set PINTOOLS_SKIP_BROWSER_TESTS=1 to skip the browser tests)" >&2
    fi
fi
# a throwaway PostgreSQL for tests/leads/test_store_postgres.py (it exports PINTOOLS_TEST_POSTGRES_URL
# unless already set; the tests skip, naming why, if it cannot start); stopped after pytest
source scripts/postgres.sh
status=0
.venv/bin/python -m pytest \
    tests pintools notebooks recipes \
    --doctest-modules \
    --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=180 \
    -p no:randomly "$@" || status=$?
pintools_postgres_stop
exit "$status"
