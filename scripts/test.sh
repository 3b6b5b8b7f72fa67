#!/usr/bin/env bash
# Runs every test: format and clippy (server and wasm), Rust unit, property (the parser fuzzing
# included) and integration tests on SQLite and PostgreSQL, the Playwright tests in Chromium
# against the release server on the demo data, then schemathesis and a 200-client load run
# against the JSON API, and two instances on one PostgreSQL database behind nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser --nginx

# The PostgreSQL tests need a server on 127.0.0.1:5432 (trust auth); start the local one if it
# is installed and stopped.
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
fi

printf '\033[1m==> format and lints (server, and the wasm front end)\033[0m\n'
cargo fmt --check
cargo clippy --release --features ssr --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile wasm-release -- -D warnings

scripts/build.sh

printf '\033[1m==> Rust tests (release profile: shares the server build)\033[0m\n'
cargo test --release --features ssr

printf '\033[1m==> two instances on one PostgreSQL database, behind nginx\033[0m\n'
scripts/two-instances.sh

printf '\033[1m==> browser tests\033[0m\n'
(cd end2end && npx playwright test)

printf '\033[1m==> API conformance (schemathesis) and load (wrk)\033[0m\n'
scripts/api-checks.sh
