#!/usr/bin/env bash
# Every test: unit, client, emulator, spec-fidelity (needs ../shared/reference/), doctests,
# and the notebooks under nbval with their committed outputs compared (no --nbval-lax).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh "notebooks,test"
export TQDM_DISABLE=1 MPLBACKEND=Agg PYTHONHASHSEED=0
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
