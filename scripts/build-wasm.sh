#!/usr/bin/env bash
# Builds the engine to wasm and runs wasm-bindgen on it. Output: .build/wasm-node (CommonJS, for the
# Node tests) and .build/im_wasm.raw.wasm (the module before bindgen, for the import check).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p im-wasm --target wasm32-unknown-unknown --profile wasm --locked
mkdir -p .build
cp target/wasm32-unknown-unknown/wasm/im_wasm.wasm .build/im_wasm.raw.wasm
wasm-bindgen --target nodejs --out-dir .build/wasm-node target/wasm32-unknown-unknown/wasm/im_wasm.wasm
