#!/usr/bin/env bash
# Release build without cargo-leptos (which takes ~20 minutes to install): the same steps it
# runs. The wasm front end and the CSS go to target/site/pkg, public/ to target/site, and the
# server binary to $CARGO_TARGET_DIR/release/automation-runs.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
SITE=target/site

printf '\033[1m==> building the front end (wasm)\033[0m\n'
cargo build --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile wasm-release
mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name automation-runs \
    "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/automation_runs.wasm"
# cargo-leptos names the wasm after the output name, and the hydration script asks for that.
mv "$SITE/pkg/automation-runs_bg.wasm" "$SITE/pkg/automation-runs.wasm"
WASM_OPT=end2end/node_modules/.bin/wasm-opt
if [ -x "$WASM_OPT" ]; then
    "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        -o "$SITE/pkg/automation-runs.wasm" "$SITE/pkg/automation-runs.wasm"
fi
cp style/main.css "$SITE/pkg/automation-runs.css"
cp -r public/. "$SITE/"

printf '\033[1m==> building the server\033[0m\n'
cargo build --release --features ssr --bin automation-runs
