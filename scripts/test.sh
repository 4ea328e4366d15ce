#!/usr/bin/env bash
# The whole test suite: formatting, lints (native and wasm32), Rust tests (im-server's once more on
# PostgreSQL), docs, then the JS tests against the real wasm build. `npm test` runs this (and
# `.ci/run` runs `npm test`). It starts with scripts/setup.sh, which installs whatever is missing
# or at the wrong version (quietly and at once when nothing is).
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-installed tools (wasm-bindgen, wasm-bindgen-test-runner)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "set-up: install what is missing or outdated (scripts/setup.sh)"
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo clippy (wasm32)"
cargo clippy --workspace --exclude im-server --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "im-server tests on PostgreSQL (IM_TEST_STORE=postgres: a private server per test binary)"
pg_started=$(date +%s)
# The binaries `cargo test --workspace` built, run again (see the script for why not cargo).
node scripts/server-tests-on.mjs IM_TEST_STORE=postgres
printf 'im-server tests on PostgreSQL: %d s\n' "$(($(date +%s) - pg_started))"

step "engine scenario tests in headless Chrome (wasm32, wasm-bindgen-test)"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p im-client --target wasm32-unknown-unknown --locked

step "cargo doc"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --locked

step "wasm build and npm package (pkg/)"
npm run build

step "the package's wasm uses only the WebAssembly MVP plus mutable globals (crates/wasm-check)"
# pkg/miniprogram_dist/im_wasm_bg.wasm.br holds the same bytes (scripts/build-pkg.mjs checks it).
cargo run -q -p wasm-check --locked -- pkg/dist/im_wasm_bg.wasm

step "what a mini program loads: sizes and budget"
npm run size

step "im-server build (the Server API and end-to-end JS tests drive the binary)"
cargo build -p im-server --locked

step "install the packed package into a scratch consumer project (.build/consumer)"
node tests/js/support/consumer.mjs --install

step "JS tests"
# Each test has a hang guard of 120 s; no test asserts on timing.
node --test --test-concurrency=2 --test-timeout=120000 tests/js/
