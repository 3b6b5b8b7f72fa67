#!/usr/bin/env bash
# Builds the app and serves it with demo data on SQLite:
#   http://127.0.0.1:3000/automation/overview
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${CARGO_TARGET_DIR:-target}/release/automation-runs" serve --demo
