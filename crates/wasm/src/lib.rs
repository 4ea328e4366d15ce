//! `im-wasm`: wasm-bindgen bindings of the client engine for the JS shim.
//!
//! This crate only converts types and forwards calls; protocol logic lives in `im-client` and
//! `im-wire`. For now it exposes the wire codec's frame decoder so the package build and the JS
//! tests exercise the real codec in wasm; the engine bindings arrive with the SDK.

use im_client::wire::{ClientFrame, ServerFrame};
use wasm_bindgen::prelude::*;

/// The version of the Rust engine in this build.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Decodes a server → client frame and describes it (for diagnostics and tests).
///
/// Malformed input becomes a JS `Error` carrying the codec's description; it never panics.
#[wasm_bindgen(js_name = describeServerFrame)]
pub fn describe_server_frame(bytes: &[u8]) -> Result<String, JsError> {
    ServerFrame::decode(bytes)
        .map(|f| format!("{f:?}"))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Decodes a client → server frame and describes it (for diagnostics and tests).
#[wasm_bindgen(js_name = describeClientFrame)]
pub fn describe_client_frame(bytes: &[u8]) -> Result<String, JsError> {
    ClientFrame::decode(bytes)
        .map(|f| format!("{f:?}"))
        .map_err(|e| JsError::new(&e.to_string()))
}
