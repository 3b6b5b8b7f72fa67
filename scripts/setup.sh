#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there:
#   rustup's clippy and rustfmt, the rust target wasm32-unknown-unknown, wasm-bindgen-cli
#   (= the crate's wasm-bindgen),
#   the npm packages of end2end/ (Playwright, axe-core, binaryen's wasm-opt, esbuild), Debian's brotli
#   (build.sh compresses the front end's files once, at build),
#   with --browser, Debian's Chromium for the browser tests,
#   and with --nginx, Debian's nginx for the two-instance test (scripts/two-instances.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

BROWSER=false
NGINX=false
for arg in "$@"; do
    case "$arg" in
        --browser) BROWSER=true ;;
        --nginx) NGINX=true ;;
        *) echo "usage: $0 [--browser] [--nginx]" >&2; exit 2 ;;
    esac
done

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

for component in clippy rustfmt; do
    if ! rustup component list --installed | grep -q "^$component"; then
        say "adding the $component component"
        rustup component add "$component"
    fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "installing Node.js and npm"
    apt-get update -qq && apt-get install -y -qq nodejs npm
fi

if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing end2end npm packages"
    (cd end2end && npm ci --no-audit --no-fund)
fi

if ! command -v brotli >/dev/null; then
    say "installing brotli (Debian package)"
    apt-get update -qq && apt-get install -y -qq brotli
fi

if $BROWSER && [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium (Debian package)"
    apt-get update -qq && apt-get install -y -qq chromium
fi

if $NGINX && ! command -v nginx >/dev/null; then
    say "installing nginx (Debian package)"
    # Only the binary is used: the test runs nginx itself, with its own configuration.
    apt-get update -qq && apt-get install -y -qq nginx
fi
