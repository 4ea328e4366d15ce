//! `EngineCore`: the JS face of [`im_client::Engine`]. Commands, getters and most inputs go
//! through one method, [`Engine::call`], taking `[name, ...args]` as JSON; `pollOutput` answers
//! JSON too. Only the socket's bytes cross as bytes. The façade's `Engine` (js-shim) wraps it
//! with one JS method per engine method.

use im_client::wire::MessageTag;
use im_client::{Config, ConversationUpdate, Output, QueryRequest, RecallRequest};
use im_client::{ReconnectConfig, RequestId};
use im_client::{SendRequest, NO_DEADLINE};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{json, ms, Args, Failure};

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
            let config: Config = a.value("config")?;
            self.inner = Some(im_client::Engine::new(config));
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
                let config: ReconnectConfig = a.optional("reconnect config")?;
                return Ok(json(&e.reconnect(now, &config)));
            }
            "disconnect" => e.disconnect(a.now()),
            "logout" => e.logout(a.now()),
            // Messages and queries.
            "sendMessage" => {
                let now = a.now();
                let request: SendRequest = a.value("message")?;
                return id(e.send_message(now, request));
            }
            "sendRecall" => {
                let now = a.now();
                let request: RecallRequest = a.value("message to recall")?;
                return id(e.send_recall(now, request));
            }
            "query" => {
                let now = a.now();
                let request: QueryRequest = a.value("query")?;
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
                let users = a.value("user ids")?;
                return id(e.create_discussion(now, &name, users));
            }
            "addDiscussionMembers" => {
                let now = a.now();
                let discussion = a.string("discussionId")?;
                let users = a.value("user ids")?;
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
