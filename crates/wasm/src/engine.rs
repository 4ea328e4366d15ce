//! `EngineCore`: the JS face of [`im_client::Engine`]. Commands, getters and most inputs go
//! through one method, [`Engine::call`], taking `[name, ...args]` as JSON; `pollOutput` answers
//! JSON too. Only the socket's bytes cross as bytes. The façade's `Engine` (js-shim) wraps it
//! with one JS method per engine method.

use im_client::wire::MessageTag;
use im_client::{Backoff, Config, ConversationUpdate, Output, QueryRequest, RecallRequest};
use im_client::{ReconnectConfig, RequestId};
use im_client::{SendContent, SendRequest, NO_DEADLINE};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{boolean, integer, json, list, ms, string, strings, Args, Failure, Fields};

/// The sans-IO engine. Create it with `call('["new", config]')`; inputs and commands take the
/// current time in ms; after each, call `pollOutput()` until it returns `{"type":"timeout"}`.
#[wasm_bindgen(js_name = EngineCore)]
#[derive(Default)]
pub struct Engine {
    inner: Option<im_client::Engine>,
    /// The frame of the last `sendBytes` output, until `bytes()` takes it.
    bytes: Vec<u8>,
}

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
    /// An engine without a config yet: its first call must be `new`.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Self::default()
    }

    /// Runs `[name, ...args]` (JSON text) and returns the answer as JSON text, `""` for none,
    /// or `!` and the reason when an argument does not fit (an `Error` with `code` −3).
    ///
    /// `new(config)` creates the engine from a config object (`appKey`, `naviHosts`, `secure`,
    /// `seed`, `storage`, …; see `im_client::Config`). Then, with `now` the time in ms:
    /// inputs `handleTimeout(now)`, `handleHttpResponse(now, id, status, body)`,
    /// `handleSocketOpen(now)`, `handleSocketClose(now, code)`, `handleSocketError(now)`;
    /// commands `connect(now, token)`, `reconnect(now, {auto, url, rate})`, `disconnect(now)`,
    /// `logout(now)`, `sendMessage(now, request)`, `sendRecall(now, message)`,
    /// `query(now, {topic, targetId, payload, qos1})`, `registerMessageType(typeName,
    /// objectName, tag)`; the conversation list, unread counts and drafts
    /// (`fetchConversationList`, `conversationList`, `conversation`, `updateConversation`,
    /// `removeConversation`, `totalUnreadCount`, `unreadCount`, `clearUnreadCount`, `saveDraft`,
    /// `draft`, `clearDraft`); history, the blacklist, discussions and chatrooms (`history`,
    /// `clearRemoteHistory`, `addToBlacklist`, `removeFromBlacklist`, `blacklist`,
    /// `blacklistStatus`, `createDiscussion`, `addDiscussionMembers`, `discussion`,
    /// `quitDiscussion`, `removeDiscussionMember`, `setDiscussionInviteStatus`,
    /// `setDiscussionName`, `joinChatroom`, `quitChatroom`, `chatroomInfo`,
    /// `setChatroomHistoryTimestamp`, `chatroomHistory`); getters `userId`, `connectAckTime`,
    /// `status`, `navi`, `stored(key)`. Commands that complete later answer the request id that
    /// their `requestCompleted` event carries.
    pub fn call(&mut self, command: &str) -> String {
        match self.dispatch(command) {
            Ok(answer) => answer,
            Err(reason) => {
                let mut out = String::with_capacity(reason.len() + 1);
                out.push('!');
                out.push_str(&reason);
                out
            }
        }
    }

    /// The next output as JSON `{type, …}`: `openSocket {url}`, `sendBytes` (its frame from
    /// `bytes()`), `closeSocket`, `httpGet {id, url}`, `cancelHttp {id}`, `event {event}`,
    /// `persist {key, value}`, and finally `timeout {atMs}` (`null` when nothing is scheduled).
    #[wasm_bindgen(js_name = pollOutput)]
    pub fn poll_output(&mut self) -> String {
        let Some(inner) = self.inner.as_mut() else {
            return r#"{"type":"timeout","atMs":null}"#.to_owned();
        };
        match inner.poll_output() {
            Output::SendBytes { bytes } => {
                self.bytes = bytes;
                r#"{"type":"sendBytes"}"#.to_owned()
            }
            Output::Timeout { at_ms } if at_ms == NO_DEADLINE => {
                r#"{"type":"timeout","atMs":null}"#.to_owned()
            }
            other => json(&other),
        }
    }

    /// The frame of the last `sendBytes` output.
    pub fn bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// One binary WebSocket message.
    #[wasm_bindgen(js_name = handleSocketData)]
    pub fn handle_socket_data(&mut self, now: f64, bytes: &[u8]) {
        if let Some(inner) = self.inner.as_mut() {
            inner.handle_socket_data(ms(now), bytes);
        }
    }
}

/// An answer for a request id.
fn id(RequestId(id): RequestId) -> Result<String, Failure> {
    Ok(json(&id))
}

/// The answer of a command without a value.
fn done() -> Result<String, Failure> {
    Ok(String::new())
}

impl Engine {
    fn dispatch(&mut self, command: &str) -> Result<String, Failure> {
        let mut items = match im_client::wire::json::parse(command) {
            Ok(Value::Array(items)) => items,
            _ => return Err("a command is a JSON array".into()),
        };
        let name = match items.first_mut().map(Value::take) {
            Some(Value::String(name)) => name,
            _ => return Err("a command starts with its name".into()),
        };
        let mut a = Args::new(items.split_off(1));
        if name == "new" {
            let config = a.object("config")?;
            self.inner = Some(im_client::Engine::new(read_config(config)?));
            return done();
        }
        let Some(e) = self.inner.as_mut() else {
            return Err("the engine has no config yet".into());
        };
        match name.as_str() {
            // Inputs.
            "handleTimeout" => e.handle_timeout(a.now()),
            "handleHttpResponse" => {
                let now = a.now();
                // Lenient like the host numbers they are: the engine ignores unknown ids.
                let request = RequestId(a.number() as u32);
                let status = a.number() as u16;
                let body = a.string("body")?;
                e.handle_http_response(now, request, status, &body);
            }
            "handleSocketOpen" => e.handle_socket_open(a.now()),
            "handleSocketClose" => {
                let now = a.now();
                e.handle_socket_close(now, a.number() as u16);
            }
            "handleSocketError" => e.handle_socket_error(a.now()),
            // Connection.
            "connect" => {
                let now = a.now();
                return Ok(json(&e.connect(now, &a.string("token")?)));
            }
            "reconnect" => {
                let now = a.now();
                let config = match a.optional_object("reconnect config")? {
                    Some(mut f) => ReconnectConfig {
                        auto: f.get("auto", boolean)?.unwrap_or(false),
                        url: f.opt("url", string)?,
                        rate: f.opt("rate", |v| list(v, integer))?,
                    },
                    None => ReconnectConfig::default(),
                };
                return Ok(json(&e.reconnect(now, &config)));
            }
            "disconnect" => e.disconnect(a.now()),
            "logout" => e.logout(a.now()),
            // Messages and queries.
            "sendMessage" => {
                let now = a.now();
                let request = read_send(a.object("message")?)?;
                return id(e.send_message(now, request));
            }
            "sendRecall" => {
                let now = a.now();
                let request = read_recall(a.object("message to recall")?)?;
                return id(e.send_recall(now, request));
            }
            "query" => {
                let now = a.now();
                let request = read_query(a.object("query")?)?;
                return id(e.query(now, request));
            }
            "registerMessageType" => {
                let type_name = a.string("typeName")?;
                let object_name = a.string("objectName")?;
                let tag = a.int("messageTag")?;
                // The flag word: bit 0 persisted, bit 1 counted.
                e.register_message_type(&type_name, &object_name, MessageTag((tag & 0x3) as u8));
            }
            // Getters.
            "userId" => return Ok(json(e.user_id())),
            // Millisecond timestamps are far below 2^53.
            "connectAckTime" => return Ok(json(&e.connect_ack_time())),
            "status" => return Ok(json(&e.status())),
            "navi" => return Ok(e.navi().map(json).unwrap_or_default()),
            "stored" => {
                let key = a.string("key")?;
                return Ok(e.stored(&key).map(json).unwrap_or_default());
            }
            // Conversations, unread counts and drafts.
            "fetchConversationList" => {
                let now = a.now();
                let types = a.types()?;
                let count = a.int("count")?;
                return id(e.fetch_conversation_list(now, types, count));
            }
            "conversationList" => return Ok(json(&e.conversation_list(&a.types()?))),
            "conversation" => {
                let (t, target) = conversation(&mut a)?;
                return Ok(json(&e.conversation(t, &target)));
            }
            "updateConversation" => {
                let (t, target) = conversation(&mut a)?;
                // Positional and flat ("" and 0 = not given): no argument struct to decode.
                let text = |s: String| (!s.is_empty()).then_some(s);
                let update = ConversationUpdate {
                    conversation_title: text(a.string("conversationTitle")?),
                    sender_user_name: text(a.string("senderUserName")?),
                    sender_portrait_uri: text(a.string("senderPortraitUri")?),
                    sent_status: Some(a.int("sentStatus")?).filter(|s| *s != 0),
                };
                return Ok(json(&e.update_conversation(t, &target, &update)));
            }
            "removeConversation" => {
                let now = a.now();
                let (t, target) = conversation(&mut a)?;
                return id(e.remove_conversation(now, t, &target));
            }
            "totalUnreadCount" => return Ok(json(&e.total_unread_count(&a.types()?))),
            "unreadCount" => {
                let (t, target) = conversation(&mut a)?;
                return Ok(json(&e.unread_count(t, &target)));
            }
            "clearUnreadCount" => {
                let (t, target) = conversation(&mut a)?;
                return Ok(json(&e.clear_unread_count(t, &target)));
            }
            "saveDraft" => {
                let (t, target) = conversation(&mut a)?;
                let text = a.string("draft")?;
                e.save_draft(t, &target, &text);
            }
            "draft" => {
                let (t, target) = conversation(&mut a)?;
                return Ok(e.draft(t, &target).as_deref().map(json).unwrap_or_default());
            }
            "clearDraft" => {
                let (t, target) = conversation(&mut a)?;
                e.clear_draft(t, &target);
            }
            // History.
            "history" => {
                let now = a.now();
                let (t, target) = conversation(&mut a)?;
                let time = a.optional_timestamp("timestamp")?;
                let count = a.int("count")?;
                let order = a.int("order")?;
                return id(e.history(now, t, &target, time, count, order));
            }
            "clearRemoteHistory" => {
                let now = a.now();
                let (t, target) = conversation(&mut a)?;
                let time = a.timestamp("timestamp")?;
                return id(e.clear_remote_history(now, t, &target, time));
            }
            // Blacklist.
            "addToBlacklist" => {
                let now = a.now();
                return id(e.add_to_blacklist(now, &a.string("userId")?));
            }
            "removeFromBlacklist" => {
                let now = a.now();
                return id(e.remove_from_blacklist(now, &a.string("userId")?));
            }
            "blacklist" => return id(e.blacklist(a.now())),
            "blacklistStatus" => {
                let now = a.now();
                return id(e.blacklist_status(now, &a.string("userId")?));
            }
            // Discussions.
            "createDiscussion" => {
                let now = a.now();
                let name = a.string("name")?;
                let users = a.strings("user ids")?;
                return id(e.create_discussion(now, &name, users));
            }
            "addDiscussionMembers" => {
                let now = a.now();
                let discussion = a.string("discussionId")?;
                let users = a.strings("user ids")?;
                return id(e.add_discussion_members(now, &discussion, users));
            }
            "discussion" => {
                let now = a.now();
                return id(e.discussion(now, &a.string("discussionId")?));
            }
            "quitDiscussion" => {
                let now = a.now();
                return id(e.quit_discussion(now, &a.string("discussionId")?));
            }
            "removeDiscussionMember" => {
                let now = a.now();
                let discussion = a.string("discussionId")?;
                let user = a.string("userId")?;
                return id(e.remove_discussion_member(now, &discussion, &user));
            }
            "setDiscussionInviteStatus" => {
                let now = a.now();
                let discussion = a.string("discussionId")?;
                let status = a.int("status")?;
                return id(e.set_discussion_invite_status(now, &discussion, status));
            }
            "setDiscussionName" => {
                let now = a.now();
                let discussion = a.string("discussionId")?;
                let name = a.string("name")?;
                return id(e.set_discussion_name(now, &discussion, &name));
            }
            // Chatrooms.
            "joinChatroom" => {
                let now = a.now();
                let room = a.string("chatroomId")?;
                let count = a.int("count")?;
                return id(e.join_chatroom(now, &room, count));
            }
            "quitChatroom" => {
                let now = a.now();
                return id(e.quit_chatroom(now, &a.string("chatroomId")?));
            }
            "chatroomInfo" => {
                let now = a.now();
                let room = a.string("chatroomId")?;
                let count = a.int("count")?;
                let order = a.int("order")?;
                return id(e.chatroom_info(now, &room, count, order));
            }
            "setChatroomHistoryTimestamp" => {
                let room = a.string("chatroomId")?;
                let time = a.timestamp("timestamp")?;
                e.set_chatroom_history_timestamp(&room, time);
            }
            "chatroomHistory" => {
                let now = a.now();
                let room = a.string("chatroomId")?;
                let count = a.int("count")?;
                let order = a.int("order")?;
                return id(e.chatroom_history(now, &room, count, order));
            }
            _ => return Err("unknown command".into()),
        }
        done()
    }
}

/// A conversation type and a target id.
fn conversation(a: &mut Args) -> Result<(i32, String), Failure> {
    let t = a.int("conversation type")?;
    Ok((t, a.string("targetId")?))
}

/// The engine's config (`appKey`, `naviHosts`, …): absent fields take the defaults of
/// [`Config::new`].
fn read_config(mut f: Fields) -> Result<Config, Failure> {
    let mut c = Config::default();
    f.set("appKey", string, &mut c.app_key)?;
    f.set("naviHosts", strings, &mut c.navi_hosts)?;
    f.set("naviFile", string, &mut c.navi_file)?;
    f.set("secure", boolean, &mut c.secure)?;
    f.set("sdkVersion", string, &mut c.sdk_version)?;
    f.set("seed", integer, &mut c.seed)?;
    f.set("naviTimeoutMs", integer, &mut c.navi_timeout_ms)?;
    f.set("maxNaviRetry", integer, &mut c.max_navi_retry)?;
    f.set("connackTimeoutMs", integer, &mut c.connack_timeout_ms)?;
    let storage = |v| match v {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| string(v).map(|v| (k, v)))
            .collect(),
        _ => None,
    };
    f.set("storage", storage, &mut c.storage)?;
    match f.raw("autoReconnect") {
        None => {}
        Some(Value::Null) => c.auto_reconnect = None,
        Some(v) => {
            let mut b = Fields::of(v, "autoReconnect")?;
            let mut backoff = Backoff::default();
            b.set("initialMs", integer, &mut backoff.initial_ms)?;
            b.set("maxMs", integer, &mut backoff.max_ms)?;
            b.set("jitterPercent", integer, &mut backoff.jitter_percent)?;
            backoff.max_attempts = b.opt("maxAttempts", integer)?;
            c.auto_reconnect = Some(backoff);
        }
    }
    Ok(c)
}

/// The arguments of `sendMessage` (see [`SendRequest`]: `objectName` and `content`, the
/// `params` keys at the top level).
fn read_send(mut f: Fields) -> Result<SendRequest, Failure> {
    let conversation_type = f.need("conversationType", integer)?;
    let target_id = f.need("targetId", string)?;
    let object_name = f.need("objectName", string)?;
    let content = f.need("content", Some)?;
    // A string content is the raw text of a non-JSON custom payload.
    let json = match content {
        Value::String(text) => text,
        other => other.to_string(),
    };
    let flag = |f: &mut Fields, key| f.get(key, boolean).map(Option::unwrap_or_default);
    Ok(SendRequest {
        conversation_type,
        target_id,
        content: SendContent::Json { object_name, json },
        mentioned: flag(&mut f, "mentioned")?,
        push_text: f.opt("pushText", string)?,
        app_data: f.opt("appData", string)?,
        method_type: f.opt("methodType", integer)?,
        user_ids: f.opt("userIds", strings)?,
        is_push: flag(&mut f, "isPush")? | flag(&mut f, "isVoipPush")?,
        is_filter_white_blacklist: flag(&mut f, "isFilerWhiteBlacklist")?,
    })
}

/// The message to recall (its `Message` JSON; see [`RecallRequest`]).
fn read_recall(mut f: Fields) -> Result<RecallRequest, Failure> {
    Ok(RecallRequest {
        conversation_type: f.need("conversationType", integer)?,
        target_id: f.need("targetId", string)?,
        message_uid: f.need("messageUId", string)?,
        sent_time: f.need("sentTime", integer)?,
        sender_user_id: f.need("senderUserId", string)?,
        extra: f.opt("extra", string)?,
    })
}

/// A generic QUERY (`{topic, targetId, payload, qos1}`; see [`QueryRequest`]).
fn read_query(mut f: Fields) -> Result<QueryRequest, Failure> {
    Ok(QueryRequest {
        topic: f.need("topic", string)?,
        target_id: f.need("targetId", string)?,
        payload: f.need("payload", |v| list(v, integer))?,
        qos1: f.get("qos1", boolean)?.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use im_client::wire::json::from_value;
    use serde::de::DeserializeOwned;
    use serde_json::json;

    /// The field reader accepts what the types' `Deserialize` accepts, with the same result.
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
        read: fn(Fields) -> Result<T, Failure>,
        cases: &[Value],
    ) {
        for case in cases {
            let ours = Fields::of(case.clone(), "x").and_then(read).ok();
            let derived = from_value::<T>(case.clone()).ok();
            assert_eq!(ours, derived, "{case}");
        }
    }

    #[test]
    fn send_arguments_read_as_the_derived_reader_reads_them() {
        let base = json!({"conversationType": 1, "targetId": "b", "objectName": "RC:TxtMsg",
            "content": {"content": "hi", "n": 1.50, "big": 1e30}});
        let mut cases = vec![base.clone(), json!({}), json!([]), json!(null), json!("x")];
        let extras = [
            json!({"content": "raw text"}),
            json!({"content": null}),
            json!({"mentioned": true, "pushText": "p", "appData": null, "methodType": 2}),
            json!({"userIds": ["a", "b"], "isVoipPush": true, "isFilerWhiteBlacklist": true}),
            json!({"isPush": true, "unknown": [1]}),
            json!({"mentioned": null}),
            json!({"pushText": 5}),
            json!({"methodType": 1.5}),
            json!({"methodType": 3_000_000_000u64}),
            json!({"conversationType": -1}),
            json!({"conversationType": "1"}),
            json!({"userIds": ["a", 1]}),
            json!({"targetId": null}),
        ];
        for extra in extras {
            let mut case = base.clone();
            for (k, v) in extra.as_object().into_iter().flatten() {
                case[k] = v.clone();
            }
            cases.push(case);
        }
        let mut missing = base.clone();
        missing.as_object_mut().map(|m| m.remove("content"));
        cases.push(missing);
        same(read_send, &cases);
    }

    #[test]
    fn recall_query_and_config_read_as_the_derived_reader_reads_them() {
        let recall = json!({"conversationType": 3, "targetId": "g", "messageUId": "U",
            "sentTime": 1_700_000_000_123u64, "senderUserId": "a", "extra": "e"});
        let mut no_extra = recall.clone();
        no_extra["extra"] = Value::Null;
        let mut bad_time = recall.clone();
        bad_time["sentTime"] = json!(1.5);
        same(
            read_recall,
            &[recall, no_extra, bad_time, json!({"targetId": "g"})],
        );
        same(
            read_query,
            &[
                json!({"topic": "t", "targetId": "x", "payload": [1, 255]}),
                json!({"topic": "t", "targetId": "x", "payload": [256], "qos1": true}),
                json!({"topic": "t", "targetId": "x", "payload": [], "qos1": null}),
                json!({"topic": "t", "payload": []}),
            ],
        );
        same(
            read_config,
            &[
                json!({}),
                json!({"appKey": "k", "naviHosts": ["a", "b"], "secure": false, "seed": 7,
                    "naviFile": "navi.json", "sdkVersion": "2.5.4", "naviTimeoutMs": 1,
                    "maxNaviRetry": 2, "connackTimeoutMs": 3, "storage": {"a": "1"}}),
                json!({"autoReconnect": null}),
                json!({"autoReconnect": {"initialMs": 5, "maxAttempts": 3}}),
                json!({"autoReconnect": {"jitterPercent": 300}}),
                json!({"autoReconnect": {"maxAttempts": null}}),
                json!({"autoReconnect": 1}),
                json!({"storage": {"a": 1}}),
                json!({"seed": -1}),
                json!({"appKey": null}),
                json!({"naviHosts": "a"}),
            ],
        );
    }
}
