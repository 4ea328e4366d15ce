#!/usr/bin/env bash
# Builds the engine to wasm and runs wasm-bindgen on it. Output:
#   .build/im_wasm.raw.wasm  the package's module before bindgen (for the import check)
#   .build/wasm-node/        CommonJS glue for Node, with the `diagnostics` feature (the unit tests
#                            of the codec and tables, the benchmarks)
#   .build/wasm-web/         ES-module glue; scripts/build-pkg.mjs turns it into the package's
#                            loaders (Node, browser, mini program)
#
# The module must run on engines that know only the WebAssembly MVP plus mutable globals (older
# iOS JavaScriptCore). The prebuilt std for wasm32-unknown-unknown uses bulk memory, sign
# extension, non-trapping float-to-int and reference types, so std is rebuilt from rust-src with
# `-C target-cpu=mvp` (`-Zbuild-std`, allowed on the stable toolchain by RUSTC_BOOTSTRAP=1).
# wasm-bindgen then emits no externref either, as the module declares no reference-types feature.
# Finally `wasm-opt` (-Oz, twice) shrinks the module; `scripts/test.sh` validates the result
# (crates/wasm-check).
#
# For size, std is built with its `optimize_for_size` feature and panics abort immediately
# (`-Cpanic=immediate-abort`): the engine installs no panic hook and stderr is a no-op on
# wasm32-unknown-unknown, so a panic was already a bare `unreachable` trap with no message; this
# only drops the unused formatting of that message. For the same reason `-Zlocation-detail=none`
# leaves out the file names and line numbers that panics would have reported (-0.4 KB brotli).
#
# `-Zinline-mir` with small thresholds inlines the tiniest functions before LLVM sees them. It
# matters most for the exports: wasm-bindgen wraps each method body in a closure passed to
# `maybe_catch_unwind` (a bare `f()` under panic=abort) that LLVM at opt-level z keeps out of line,
# so each export stored a pointer to every argument on the stack for the closure to read back.
# Inlined in MIR, the export reads its arguments directly (-2.4 KB brotli; thresholds 0, 25, 50
# and 100, or a hint threshold of 5, 15 or 50, gave 0.1 to 3.6 KB less than 5/10).
#
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"

# The package's module (wasm-web) leaves out the codec diagnostics and the protocol tables; the
# Node build for the tests and benchmarks has them (feature `diagnostics`).
build() {
  RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-cpu=mvp -C target-feature=+mutable-globals -Zunstable-options -C panic=immediate-abort -Zlocation-detail=none -Zinline-mir=yes -Zinline-mir-threshold=5 -Zinline-mir-hint-threshold=10" \
    cargo build -p im-wasm --target wasm32-unknown-unknown --profile wasm --locked \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
}
wasm="$target_dir/wasm32-unknown-unknown/wasm/im_wasm.wasm"
mkdir -p .build

for host in web node; do
  case "$host" in
    node)
      target=nodejs
      build --features diagnostics
      ;;
    web)
      target=web
      build
      cp "$wasm" .build/im_wasm.raw.wasm
      ;;
  esac
  rm -rf ".build/wasm-$host"
  wasm-bindgen --target "$target" --remove-producers-section --out-dir ".build/wasm-$host" "$wasm"
  bg=".build/wasm-$host/im_wasm_bg.wasm"
  # --enable-mutable-globals only: wasm-opt must not introduce any newer instruction.
  # A second -Oz round after flattening and re-looping the control flow, repeated until it stops
  # paying (--converge), takes another 1 KB off the brotli size, and a last -Oz after that round
  # another 0.4 KB. --low-memory-unused lets
  # constant offsets fold into loads and stores: nothing lives in the low 1 KB of linear memory
  # (rustc places data at 1 MiB, with the stack below it growing down from there).
  # --reorder-functions last gives the most-called functions the smallest indices, so calls take
  # fewer LEB bytes (-0.3 KB brotli; --reorder-locals after it did not pay).
  # --one-caller-inline-max-function-size=20: a function with one caller is inlined into it only
  # when it is that small (-Oz inlines any such function): the module grows by 3 % but its brotli
  # shrinks by 4.3 % (-4.8 KB), as the functions kept apart repeat each other's code where the
  # inlined copies did not; limits from 5 to 30 gave the same within 0.2 KB, 100 only -2.3 KB.
  wasm-opt --low-memory-unused --one-caller-inline-max-function-size=20 \
    -Oz --flatten --rereloop -Oz --converge -Oz --reorder-functions \
    --strip-debug --strip-producers --strip-target-features \
    --mvp-features --enable-mutable-globals \
    -o "$bg.opt" "$bg"
  mv "$bg.opt" "$bg"
done
