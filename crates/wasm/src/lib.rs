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

mod conversations;
mod convert;
mod engine;
mod presence;
mod rooms;
mod services;
mod store;

pub use engine::Engine;

// Talc instead of std's dlmalloc: 1.5 KB less brotli in the package and no slower per message
// (allocation is ~9 % of a message's time in an interpreter, see the JSC notes).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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

/// The protocol's enumerations, error codes and built-in message types, as JSON text: what the JS
/// façade's enums and content classes are generated from at build time (`scripts/gen-tables.mjs`).
///
/// `{"enums": [{"name", "members": [[name, value], …]}, …], "builtinTypes": [{"typeName",
/// "objectName", "tag", "fields": [key, …] | "wholeKey": key}, …]}`. The enums are the 2.x JS
/// enums in the order `js-shim/src/enums.js` exports them, ErrorCode last; their members are each
/// enum's `NAMES` (ErrorCode's [`ERROR_CODES`](im_client::wire::ERROR_CODES)) in that order, where
/// of the names sharing a value the first is the one the reverse mapping gives. The types are
/// [`BUILTIN_TYPES`](im_client::wire::content::BUILTIN_TYPES) with the fields of their SDK
/// classes in the SDK's order.
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = protocolTables)]
pub fn protocol_tables() -> String {
    use im_client::wire::content::{SdkFields, BUILTIN_TYPES};
    use im_client::wire::enums::*;
    use im_client::wire::ERROR_CODES;
    use serde_json::{json, Value};

    fn members<V: Copy + Into<i64>>(names: &[(&str, V)]) -> Vec<(String, i64)> {
        names
            .iter()
            .map(|&(n, v)| (n.to_owned(), v.into()))
            .collect()
    }
    // The enums of 2.x's JS API, in the order js-shim/src/enums.js exports them (`ReadStatus` is
    // an alias of `ReceivedStatus`), then ErrorCode.
    macro_rules! enums {
        ($($e:ident),+) => { vec![$( (stringify!($e), members($e::NAMES)) ),+] };
    }
    let mut enums = enums! {
        ConversationType, ConnectionStatus, ConnectionState, MessageDirection, ReceivedStatus,
        ReadStatus, SentStatus, MentionedType, DiscussionInviteStatus, GetChatRoomType,
        BlacklistStatus, ConversationNotificationStatus, ConnectionChannel, MethodType, CustomerType,
        FileType, MediaType, SearchType, VoIPMediaType, RealTimeLocationErrorCode,
        RealTimeLocationStatus
    };
    let error_codes: Vec<(&str, i32)> = ERROR_CODES.iter().map(|&(v, n)| (n, v)).collect();
    enums.push(("ErrorCode", members(&error_codes)));
    let enums: Vec<Value> = enums
        .into_iter()
        .map(|(name, members)| json!({"name": name, "members": members}))
        .collect();
    let types: Vec<Value> = BUILTIN_TYPES
        .iter()
        .map(|t| {
            let (field, fields) = match t.sdk_fields() {
                Some(SdkFields::Keys(keys)) => ("fields", json!(keys)),
                Some(SdkFields::Whole(key)) => ("wholeKey", json!(key)),
                None => ("fields", Value::Null),
            };
            json!({
                "typeName": t.type_name,
                "objectName": t.object_name,
                "tag": t.tag.0,
                field: fields,
            })
        })
        .collect();
    json!({"enums": enums, "builtinTypes": types}).to_string()
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
