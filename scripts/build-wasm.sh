#!/usr/bin/env bash
# Builds the engine to wasm and runs wasm-bindgen on it. Output:
#   .build/im_wasm.raw.wasm  the module before bindgen (for the import check)
#   .build/wasm-node/        CommonJS glue for Node (the unit tests of the codec and tables)
#   .build/wasm-web/         ES-module glue; scripts/build-pkg.mjs turns it into the package's
#                            loaders (Node, browser, mini program)
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build -p im-wasm --target wasm32-unknown-unknown --profile wasm --locked
wasm="$target_dir/wasm32-unknown-unknown/wasm/im_wasm.wasm"
mkdir -p .build
cp "$wasm" .build/im_wasm.raw.wasm
wasm-bindgen --target nodejs --out-dir .build/wasm-node "$wasm"
wasm-bindgen --target web --out-dir .build/wasm-web "$wasm"
