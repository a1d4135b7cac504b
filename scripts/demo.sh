#!/usr/bin/env bash
# The main job: the pintools demo on the built-in Pinterest API emulator (no credentials needed).
# Prints ad account, campaign and ad group tables and writes out/demo_budgets.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh ""
exec .venv/bin/pintools demo "$@"
