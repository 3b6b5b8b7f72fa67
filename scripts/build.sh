#!/usr/bin/env bash
# Release build without cargo-leptos (which takes ~20 minutes to install): the same steps it
# runs. The wasm front end and the CSS go to target/site/pkg, public/ to target/site, and the
# server binary to $CARGO_TARGET_DIR/release/automation-runs.
#
# The front end's three files are named after a hash of their content together
# (automation-runs.<16 hex>.js, .wasm, .css), which the server finds at start (server/assets.rs)
# and serves with a year of caching; each is compressed here, once, to .br and .gz beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
SITE=target/site

printf '\033[1m==> building the front end (wasm)\033[0m\n'
cargo build --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile wasm-release
rm -rf "$SITE/pkg"
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
# Minified once here (esbuild from end2end's npm packages), as the browser needs no comments.
ESBUILD=end2end/node_modules/.bin/esbuild
if [ -x "$ESBUILD" ]; then
    "$ESBUILD" --minify --log-level=warning --allow-overwrite \
        "$SITE/pkg/automation-runs.js" --outfile="$SITE/pkg/automation-runs.js"
    "$ESBUILD" --minify --log-level=warning style/main.css --outfile="$SITE/pkg/automation-runs.css"
else
    cp style/main.css "$SITE/pkg/automation-runs.css"
fi
# One hash for the three: the page names them all from one output name.
HASH=$(cat "$SITE"/pkg/automation-runs.{js,wasm,css} | sha256sum | cut -c1-16)
for ext in js wasm css; do
    file="$SITE/pkg/automation-runs.$HASH.$ext"
    mv "$SITE/pkg/automation-runs.$ext" "$file"
    gzip -9 -n -k "$file"
    brotli -q 11 -k "$file"
done
cp -r public/. "$SITE/"

printf '\033[1m==> building the server\033[0m\n'
cargo build --release --features ssr --bin automation-runs
