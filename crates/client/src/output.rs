//! What the engine asks the host to do ([`Output`]) and tells the app ([`Event`]). Everything is
//! plain data and serializes to camelCase JSON, so a wasm binding can hand it to JS as is.

use serde::Serialize;

use crate::message::Message;

/// Identifies a command (`send_message`, `query`, …) or an HTTP request the engine asked for.
/// Unrelated to the 16-bit signalling message ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RequestId(pub u32);

/// "No deadline": what [`Output::Timeout`] carries when nothing is scheduled.
pub const NO_DEADLINE: u64 = u64::MAX;

/// One thing for the host to do. Drain [`crate::Engine::poll_output`] after every input until it
/// returns [`Output::Timeout`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Output {
    /// Open a WebSocket (no subprotocol, binary frames) and report `handle_socket_*`. Only one
    /// socket exists at a time.
    OpenSocket {
        /// `ws(s)://host/websocket?…` (transport.md §3.4).
        url: String,
    },
    /// Send one binary WebSocket message on the open socket.
    SendBytes {
        /// The whole frame (header byte + body).
        bytes: Vec<u8>,
    },
    /// Close the socket. The host must not report events of that socket any more.
    CloseSocket,
    /// Perform an HTTP GET (navigation, `/ping` probes, reconnect probes) and report it with
    /// `handle_http_response(now, id, status, body)`; status 0 for a network error.
    HttpGet {
        /// Echoed in the response.
        id: RequestId,
        /// The full URL.
        url: String,
    },
    /// Abort an HTTP request that is no longer needed; a late response is ignored anyway.
    CancelHttp {
        /// The request to abort.
        id: RequestId,
    },
    /// Something for the app.
    Event {
        /// The event.
        event: Event,
    },
    /// Store `value` under `key` (the host adds its own prefix, e.g. `rong_`). An empty `value`
    /// means the key is deleted.
    Persist {
        /// Storage key, e.g. `appkey_user1_receivebox`.
        key: String,
        /// Value as text.
        value: String,
    },
    /// Nothing more to do: call `handle_timeout` at this time (ms), or earlier on any input.
    /// [`NO_DEADLINE`] when nothing is scheduled.
    Timeout {
        /// The deadline in ms.
        at_ms: u64,
    },
}

/// Something that happened, for the app's listeners and callbacks.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Event {
    /// A `ConnectionStatus` code for the status listeners (transport.md §9.1).
    StatusChanged {
        /// e.g. 0 CONNECTED, 1 CONNECTING, 3 NETWORK_UNAVAILABLE, 201 REQUEST_NAVI.
        status: i32,
    },
    /// A connection was accepted: `connect`'s `onSuccess(userId)`. Emitted once per successful
    /// connection, including automatic reconnections.
    Connected {
        /// The user id from CONNACK.
        #[serde(rename = "userId")]
        user_id: String,
    },
    /// The token was refused: `onTokenIncorrect()`.
    TokenIncorrect,
    /// A connect attempt failed: `onError(code)` — raw CONNACK status 1–12, 20 (app key refused
    /// by navigation), 203 (navigation exhausted), 3 (network unavailable), 1101 (kicked more
    /// than 5 times), 31000 (no CONNACK in time), 6 (more than 5 redirects in a row).
    ConnectFailed {
        /// The code passed to `onError`.
        code: i32,
    },
    /// A message for the `onReceived(message, left, hasMore)` listeners.
    MessageReceived {
        /// The message (shared with the conversation list).
        message: std::sync::Arc<Message>,
        /// Messages still to come from the same pull batch.
        left: u32,
        /// Whether the server has more messages to sync.
        #[serde(rename = "hasMore")]
        has_more: bool,
    },
    /// A message's PUBLISH was written: 2.x's `onBefore(messageId)`, with the id that the sent
    /// message's `messageId` also carries.
    SendStarted {
        /// What [`crate::Engine::send_message`] returned.
        id: RequestId,
        /// The message's local id (see [`crate::Engine::get_message`]); the 16-bit signalling
        /// id when the local store is off.
        #[serde(rename = "messageId")]
        message_id: u64,
    },
    /// An `s_stat` push: a watched user's status (api.md §5.1), as 2.x's listener gets it.
    UserStatus {
        /// `subUserId`.
        #[serde(rename = "userId")]
        user_id: String,
        /// `{online, platform, status}` (the `us` object with its keys renamed), or the status
        /// text when it has no `us` object.
        status: im_wire::value::Value,
    },
    /// A command finished: its callback's `onSuccess(value)` or `onError(code, message)`.
    RequestCompleted {
        /// What [`crate::Engine::send_message`] or [`crate::Engine::query`] returned.
        id: RequestId,
        /// The outcome.
        result: Result<Reply, RequestError>,
    },
}

/// The success value of a command.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Reply {
    /// A sent message, with `messageUId` and `sentTime` from the server (api.md §4.6).
    Sent {
        /// The message (shared with the conversation list).
        message: std::sync::Arc<Message>,
    },
    /// A QUERYACK with status 0 and its raw protobuf payload (api.md §3).
    Query {
        /// The payload, possibly empty.
        payload: Vec<u8>,
    },
    /// `getConversationList`: the merged list, newest first.
    Conversations {
        /// The conversations of the requested types.
        list: Vec<crate::conversation::Conversation>,
    },
    /// A command that succeeded without a value (`removeConversation`, `addToBlacklist`, …).
    Done,
    /// `getHistoryMessages` / `getChatRoomHistoryMessages`: `onSuccess(list, hasMsg)`.
    History {
        /// Oldest first.
        list: Vec<Message>,
        /// Whether older messages remain.
        #[serde(rename = "hasMore")]
        has_more: bool,
    },
    /// `getBlacklist`.
    UserIds {
        /// The blacklisted users.
        #[serde(rename = "userIds")]
        user_ids: Vec<String>,
    },
    /// `getBlacklistStatus`: not being blacklisted is a success value, unlike 2.x.
    InBlacklist {
        /// Whether the user is in the blacklist.
        #[serde(rename = "inBlacklist")]
        in_blacklist: bool,
    },
    /// `createDiscussion`: the new id.
    Id {
        /// The id.
        id: String,
    },
    /// A status value (`getConversationNotificationStatus`: 0 DO_NOT_DISTURB, 1 NOTIFY).
    Status {
        /// The value.
        status: i32,
    },
    /// `getNotificationQuietHours`: `startTime` "" and `spanMinutes` 0 when none are set.
    QuietHours {
        /// "HH:MM:SS".
        #[serde(rename = "startTime")]
        start_time: String,
        /// Minutes.
        #[serde(rename = "spanMinutes")]
        span_minutes: i32,
    },
    /// `getDiscussion`.
    Discussion {
        /// The discussion.
        discussion: crate::typed::Discussion,
    },
    /// `getFileToken`: an upload token and when it expires (ms).
    FileToken {
        /// Expiry (ms).
        deadline: i64,
        /// The token for the upload form.
        token: String,
    },
    /// `getFileUrl`.
    FileUrl {
        /// Where the file is downloaded.
        #[serde(rename = "downloadUrl")]
        download_url: String,
    },
    /// `getUserStatus`: as [`Event::UserStatus`].
    UserStatus {
        /// The user.
        #[serde(rename = "userId")]
        user_id: String,
        /// As in [`Event::UserStatus`].
        status: im_wire::value::Value,
    },
    /// `getChatRoomInfo`.
    ChatRoomInfo {
        /// Members in the room.
        #[serde(rename = "userTotalNums")]
        user_total_nums: i32,
        /// Members by join order.
        #[serde(rename = "userInfos")]
        user_infos: Vec<crate::typed::ChatRoomMember>,
    },
    /// `getRemotePublicServiceList`, `searchPublicService…`: `PublicServiceProfile`s.
    PublicServices {
        /// The profiles.
        list: Vec<im_wire::value::Value>,
    },
}

/// The failure of a command: `onError(code, message)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestError {
    /// A 2.x ErrorCode: −1 timeout, −3 bad argument, or the server's status (405, 22406, …).
    pub code: i32,
    /// For sends: the message, with `sentStatus` 20 (FAILED).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Box<Message>>,
    /// A human-readable reason for codes the engine produces itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl RequestError {
    pub(crate) fn code(code: i32) -> Self {
        Self {
            code,
            message: None,
            reason: None,
        }
    }

    pub(crate) fn with_reason(code: i32, reason: impl Into<String>) -> Self {
        Self {
            code,
            message: None,
            reason: Some(reason.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outputs_serialize_as_tagged_camel_case_objects_for_js() {
        let out = Output::Event {
            event: Event::StatusChanged { status: 201 },
        };
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            json!({"type": "event", "event": {"type": "statusChanged", "status": 201}})
        );
        let out = Output::HttpGet {
            id: RequestId(3),
            url: "u".into(),
        };
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            json!({"type": "httpGet", "id": 3, "url": "u"})
        );
        assert_eq!(
            serde_json::to_value(Output::Timeout { at_ms: 5 }).unwrap(),
            json!({"type": "timeout", "atMs": 5})
        );
        let done = Event::RequestCompleted {
            id: RequestId(1),
            result: Err(RequestError::code(-1)),
        };
        assert_eq!(
            serde_json::to_value(&done).unwrap(),
            json!({"type": "requestCompleted", "id": 1, "result": {"Err": {"code": -1}}})
        );
    }
}
