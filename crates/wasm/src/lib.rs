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

/// The protocol's enumerations, error codes and built-in message types, as JSON text, so the JS
/// façade can check its static copies against the engine.
#[wasm_bindgen(js_name = protocolTables)]
pub fn protocol_tables() -> String {
    use im_client::wire::content::BUILTIN_TYPES;
    use im_client::wire::enums::*;
    use serde_json::{json, Map, Value};

    fn table<T: Copy>(all: &[T], name: fn(T) -> &'static str, value: fn(T) -> i64) -> Value {
        let map: Map<String, Value> = all
            .iter()
            .map(|v| (name(*v).to_owned(), Value::from(value(*v))))
            .collect();
        Value::Object(map)
    }
    let error_codes: Map<String, Value> = im_client::wire::ERROR_CODES
        .iter()
        .map(|(v, n)| ((*n).to_owned(), Value::from(*v)))
        .collect();
    let types: Vec<Value> = BUILTIN_TYPES
        .iter()
        .map(|t| json!({"objectName": t.object_name, "typeName": t.type_name, "tag": t.tag.0}))
        .collect();
    json!({
        "ConversationType": table(ConversationType::ALL, ConversationType::name, |v| v.value().into()),
        "ConnectionStatus": table(ConnectionStatus::ALL, ConnectionStatus::name, |v| v.value().into()),
        "ConnectionState": table(ConnectionState::ALL, ConnectionState::name, |v| v.value().into()),
        "MessageDirection": table(MessageDirection::ALL, MessageDirection::name, |v| v.value().into()),
        "SentStatus": table(SentStatus::ALL, SentStatus::name, |v| v.value().into()),
        "MentionedType": table(MentionedType::ALL, MentionedType::name, |v| v.value().into()),
        "DiscussionInviteStatus": table(DiscussionInviteStatus::ALL, DiscussionInviteStatus::name, |v| v.value().into()),
        "GetChatRoomType": table(GetChatRoomType::ALL, GetChatRoomType::name, |v| v.value().into()),
        "BlacklistStatus": table(BlacklistStatus::ALL, BlacklistStatus::name, |v| v.value().into()),
        "ConversationNotificationStatus": table(ConversationNotificationStatus::ALL, ConversationNotificationStatus::name, |v| v.value().into()),
        "ConnectionChannel": table(ConnectionChannel::ALL, ConnectionChannel::name, |v| v.value().into()),
        "MethodType": table(MethodType::ALL, MethodType::name, |v| v.value().into()),
        "FileType": table(FileType::ALL, FileType::name, |v| v.value().into()),
        "ErrorCode": error_codes,
        "builtinTypes": types,
    })
    .to_string()
}
