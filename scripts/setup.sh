#!/usr/bin/env bash
# Installs what the build, the tests and the demo need, checking versions rather than presence:
#   - Node 20 or newer and a Rust toolchain new enough for scripts/build-wasm.sh (checked only:
#     neither is installed here, except that an outdated `stable` rustup toolchain is updated);
#   - the rustup components rustfmt, clippy and rust-src (scripts/build-wasm.sh rebuilds std) and
#     the wasm32-unknown-unknown target;
#   - wasm-bindgen-cli (wasm-bindgen, wasm-bindgen-test-runner) at exactly the version of the
#     wasm-bindgen crate in Cargo.lock, with `cargo install`;
#   - the Debian packages chromium and chromium-driver (the same version), binaryen (wasm-opt)
#     and brotli, with apt-get (as root, or through `sudo -n`; otherwise it names the packages to
#     install and fails), plus gcc when there is no C compiler (crates with C sources) and
#     openssl when its command is missing (the TLS end-to-end test makes its certificate with it),
#     postgresql when initdb is missing and nats-server when it is missing or not 2.x (the
#     PostgreSQL store's and the two-node tests start private servers of their own);
#   - node_modules, with `npm ci`, when it is missing or older than package-lock.json.
#
# `npm test` (scripts/test.sh) and `npm run demo` (scripts/demo.mjs) run it first, and `.ci/run`
# runs `npm test`. When everything is in place it prints nothing and takes well under a second.
#
# Usage: scripts/setup.sh [--check]
#   --check  install nothing: print what would be installed, one line each, and exit 1 if
#            anything would be (0 when everything is in place).
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case "${1:-}" in
  '') ;;
  --check) check=true ;;
  *)
    echo "usage: scripts/setup.sh [--check]" >&2
    exit 2
    ;;
esac

# `cargo install` puts wasm-bindgen there.
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
  *":$cargo_bin:"*) ;;
  *) export PATH="$cargo_bin:$PATH" ;;
esac

# The oldest versions that work. Node: package.json's engines. Rust: scripts/build-wasm.sh passes
# `-C panic=immediate-abort`, a panic strategy rustc knows from 1.92 on (the workspace's
# rust-version is older and holds for the native crates). binaryen: the wasm-opt passes and flags
# of scripts/build-wasm.sh, as tested.
node_min=20
rust_min=1.92
wasm_opt_min=108
debian_packages=(chromium chromium-driver binaryen brotli)

say() { printf 'setup: %s\n' "$*"; }
fail() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}
# version_ge A B: A >= B, comparing dotted versions.
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]; }

pending=0
# act WHAT COMMAND...: runs COMMAND to install WHAT; with --check only reports it.
act() {
  local what=$1
  shift
  if $check; then
    say "would install $what"
    pending=1
  else
    say "installing $what"
    "$@"
  fi
}

# --- Node -----------------------------------------------------------------------------------------
command -v node >/dev/null || fail "Node $node_min or newer is needed (none found)"
node_version=$(node --version)
node_version=${node_version#v}
version_ge "$node_version" "$node_min" || fail "Node $node_min or newer is needed (found $node_version)"
command -v npm >/dev/null || fail "npm is needed (none found)"

# --- Rust -----------------------------------------------------------------------------------------
{ command -v cargo && command -v rustc; } >/dev/null ||
  fail "a Rust toolchain with cargo is needed (none found; see rustup.rs)"
rustc_version=$(rustc --version | awk '{ print $2 }')
rustc_version=${rustc_version%%-*}
if command -v rustup >/dev/null; then
  if ! version_ge "$rustc_version" "$rust_min"; then
    toolchain=$(rustup show active-toolchain | awk '{ print $1 }')
    case "$toolchain" in
      stable-* | stable)
        act "the latest $toolchain toolchain (rustc $rust_min or newer is needed, found $rustc_version)" \
          rustup update --no-self-update "$toolchain"
        ;;
      *) fail "rustc $rust_min or newer is needed (found $rustc_version in toolchain $toolchain)" ;;
    esac
  fi
  installed=$(rustup component list --installed 2>/dev/null || true)
  components=()
  for c in rustfmt clippy rust-src; do
    grep -Eq "^$c(-|\$)" <<<"$installed" || components+=("$c")
  done
  if [ "${#components[@]}" -gt 0 ]; then
    act "the rustup components ${components[*]}" rustup component add "${components[@]}"
  fi
  if ! grep -qx 'rust-std-wasm32-unknown-unknown' <<<"$installed"; then
    act "the rustup target wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
  fi
else
  # A toolchain without rustup: check what it has, install nothing.
  version_ge "$rustc_version" "$rust_min" || fail "rustc $rust_min or newer is needed (found $rustc_version)"
  sysroot=$(rustc --print sysroot)
  lacking=()
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ] || lacking+=("the wasm32-unknown-unknown target")
  [ -d "$sysroot/lib/rustlib/src/rust/library" ] || lacking+=("rust-src")
  cargo fmt --version >/dev/null 2>&1 || lacking+=("rustfmt")
  cargo clippy --version >/dev/null 2>&1 || lacking+=("clippy")
  if [ "${#lacking[@]}" -gt 0 ]; then
    fail "this Rust toolchain lacks ${lacking[*]}; install them (with rustup: rustup component add rustfmt clippy rust-src; rustup target add wasm32-unknown-unknown)"
  fi
fi

# --- System packages (before cargo install, which needs a C linker) -------------------------------
# Versions of installed Debian packages, "name version" a line (not installed: absent).
dpkg_versions() {
  dpkg-query -W -f='${Package} ${Version} ${Status}\n' "$@" 2>/dev/null |
    awk '/ install ok installed$/ { print $1, $2 }' || true
}
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
  apt_needed=()
  versions=$(dpkg_versions "${debian_packages[@]}")
  version_of() { awk -v p="$1" '$1 == p { print $2 }' <<<"$versions"; }
  for p in "${debian_packages[@]}"; do
    [ -n "$(version_of "$p")" ] || apt_needed+=("$p")
  done
  # chromedriver must drive the Chromium it comes with.
  chromium_version=$(version_of chromium)
  driver_version=$(version_of chromium-driver)
  if [ -n "$chromium_version" ] && [ -n "$driver_version" ] && [ "$chromium_version" != "$driver_version" ]; then
    say "chromium $chromium_version and chromium-driver $driver_version differ"
    apt_needed+=(chromium chromium-driver)
  fi
  if [ -n "$(version_of binaryen)" ]; then
    wasm_opt_version=$(wasm-opt --version 2>/dev/null | awk '{ print $3 }' || true)
    if ! version_ge "${wasm_opt_version:-0}" "$wasm_opt_min"; then
      say "wasm-opt ${wasm_opt_version:-missing} is older than $wasm_opt_min"
      apt_needed+=(binaryen)
    fi
  fi
  command -v cc >/dev/null || apt_needed+=(gcc libc6-dev)
  command -v openssl >/dev/null || apt_needed+=(openssl)
  # The PostgreSQL store's tests start a private server with initdb/pg_ctl (Debian keeps them in
  # /usr/lib/postgresql/VERSION/bin, off the PATH).
  if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_needed+=(postgresql)
  fi
  # The two-node tests start a private NATS server (the message bus, IM_BUS); any 2.x will do.
  nats_version=$(nats-server --version 2>/dev/null || true)
  case "$nats_version" in
    *v2.*) ;;
    *) apt_needed+=(nats-server) ;;
  esac
  if [ "${#apt_needed[@]}" -gt 0 ]; then
    if $check; then
      act "the Debian packages ${apt_needed[*]}" true
    else
      if [ "$(id -u)" = 0 ]; then
        sudo=()
      elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
      else
        fail "install the Debian packages ${apt_needed[*]} as root, e.g. sudo apt-get install -y ${apt_needed[*]}, then run this again"
      fi
      say "installing the Debian packages ${apt_needed[*]}"
      ${sudo[@]+"${sudo[@]}"} apt-get update -qq
      ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_needed[@]}" >/dev/null
      versions=$(dpkg_versions "${debian_packages[@]}")
      for p in "${debian_packages[@]}"; do
        [ -n "$(version_of "$p")" ] || fail "apt-get did not install $p"
      done
      [ "$(version_of chromium)" = "$(version_of chromium-driver)" ] ||
        fail "chromium $(version_of chromium) and chromium-driver $(version_of chromium-driver) still differ"
      wasm_opt_version=$(wasm-opt --version 2>/dev/null | awk '{ print $3 }' || true)
      version_ge "${wasm_opt_version:-0}" "$wasm_opt_min" ||
        fail "wasm-opt $wasm_opt_min or newer is needed (found ${wasm_opt_version:-none}; binaryen from this system's packages is older)"
    fi
  fi
else
  # Not Debian: check the commands, install nothing.
  lacking=()
  command -v chromium >/dev/null || [ -n "${CHROMIUM_PATH:-}" ] || lacking+=("chromium (or set CHROMIUM_PATH)")
  command -v chromedriver >/dev/null || [ -n "${CHROMEDRIVER:-}" ] || lacking+=("chromedriver (or set CHROMEDRIVER)")
  wasm_opt_version=$(wasm-opt --version 2>/dev/null | awk '{ print $3 }' || true)
  version_ge "${wasm_opt_version:-0}" "$wasm_opt_min" || lacking+=("wasm-opt $wasm_opt_min or newer (binaryen; found ${wasm_opt_version:-none})")
  command -v brotli >/dev/null || lacking+=("brotli")
  command -v cc >/dev/null || lacking+=("a C compiler (cc)")
  if [ "${#lacking[@]}" -gt 0 ]; then
    printf 'setup: missing, install with your package manager:\n' >&2
    printf '  %s\n' "${lacking[@]}" >&2
    exit 1
  fi
fi

# --- wasm-bindgen-cli: exactly the wasm-bindgen crate's version in Cargo.lock ---------------------
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
[ -n "$want" ] || fail "no wasm-bindgen in Cargo.lock"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
have_runner=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ] || [ "$have_runner" != "$want" ]; then
  found=${have:-none}
  [ "$have_runner" = "$have" ] || found="$found, wasm-bindgen-test-runner ${have_runner:-none}"
  # Not --locked: wasm-bindgen-cli's own lock file pins crates some registries no longer serve.
  act "wasm-bindgen-cli $want (found $found)" cargo install wasm-bindgen-cli --version "$want" --force
fi

# --- node_modules ---------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: older than package-lock.json or
# package.json means the lock file changed since.
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ]; then
  act "node_modules (npm ci)" npm ci --no-audit --no-fund
elif [ package-lock.json -nt "$marker" ] || [ package.json -nt "$marker" ]; then
  act "node_modules (npm ci: package-lock.json changed)" npm ci --no-audit --no-fund
fi

exit "$pending"
