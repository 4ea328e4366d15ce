//! `im-wasm`: wasm-bindgen bindings of the client engine for the JS shim.
//!
//! What it does: [`Engine`] (`EngineCore` in JS), a synchronous mirror of `im_client::Engine`:
//! one method per input, command and getter, with plain arguments (numbers, strings, bytes; JSON
//! text only for the free-form config and for string lists), and `pollOutput` as JSON text. With
//! the `diagnostics` feature (the build the codec and table tests and the benchmarks load, not the
//! package's), also diagnostics over the wire codec (`describe*Frame`, `encodeSMsgFrame`) and the
//! protocol tables the façade's enums are generated from.
//!
//! What it does not do: no protocol logic, no I/O, no timers. It converts values and forwards
//! calls; `im-client` reads and checks every argument (`im_client::args`) and decides its error
//! code, and `im-wire` encodes. No JS argument can reach a panic.

mod convert;
mod engine;

pub use engine::Engine;

#[cfg(feature = "diagnostics")]
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
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = describeServerFrame)]
pub fn describe_server_frame(bytes: &[u8]) -> Result<String, JsError> {
    ServerFrame::decode(bytes)
        .map(|f| format!("{f:?}"))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Decodes a client → server frame and describes it (for diagnostics and tests).
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = describeClientFrame)]
pub fn describe_client_frame(bytes: &[u8]) -> Result<String, JsError> {
    ClientFrame::decode(bytes)
        .map(|f| format!("{f:?}"))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The protocol's enumerations, error codes and built-in message types, as JSON text, so the JS
/// façade can check its static copies against the engine.
#[cfg(feature = "diagnostics")]
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

/// An `s_msg` to encode with [`encode_s_msg_frame`].
#[cfg(feature = "diagnostics")]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SMsgSpec {
    msg_id: u16,
    /// The receiving user (PUBLISH targetId).
    to_user_id: String,
    from_user_id: String,
    conversation_type: i32,
    #[serde(default)]
    group_id: Option<String>,
    object_name: String,
    /// The content's JSON text.
    content: String,
    data_time: i64,
    #[serde(default, rename = "messageUId")]
    message_uid: Option<String>,
}

/// For tests and benchmarks: encodes a server → client `s_msg` PUBLISH (QoS 1) carrying one
/// `DownStreamMessage`, with the same codec the server uses. Takes `{msgId, toUserId,
/// fromUserId, conversationType, groupId?, objectName, content, dataTime, messageUId?}` as JSON.
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = encodeSMsgFrame)]
pub fn encode_s_msg_frame(spec: &str) -> Result<Vec<u8>, JsError> {
    use im_client::wire::frame::{Qos, ServerPublish};
    use im_client::wire::proto::{self, DownStreamMessage};
    use im_client::wire::{topic, StringForm};

    let spec: SMsgSpec =
        serde_json::from_str(spec).map_err(|e| JsError::new(&format!("invalid s_msg: {e}")))?;
    let message = DownStreamMessage {
        from_user_id: spec.from_user_id,
        r#type: spec.conversation_type,
        group_id: spec.group_id,
        classname: spec.object_name,
        content: spec.content.into_bytes(),
        data_time: spec.data_time,
        msg_id: spec.message_uid,
        ..Default::default()
    };
    let frame = ServerFrame::Publish(ServerPublish {
        qos: Qos::AtLeastOnce,
        sync: false,
        date: u32::try_from(spec.data_time / 1000).unwrap_or(0),
        topic: topic::S_MSG.to_owned(),
        target_id: spec.to_user_id,
        msg_id: spec.msg_id,
        payload: proto::encode(&message),
    });
    frame
        .encode_with(StringForm::Cesu8)
        .map_err(|e| JsError::new(&e.to_string()))
}
