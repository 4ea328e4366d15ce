//! `EngineCore`: the JS face of [`im_client::Engine`], one method per engine input, command and
//! getter, with plain arguments (numbers, strings, bytes; JSON only for the free-form config and
//! for string lists). Arguments are read by `im_client::args`, which decides the 2.x error code
//! of a value that does not fit; this file only says which reader reads which argument.
//!
//! Answers: a command that completes later returns its request id, and its outcome (a refused
//! argument included) is a `requestCompleted` event of the same drain; a command answered at
//! once leaves for `text()` the JSON of its value, or `!` + the code + a space + the reason.

use im_client::args::{self, conversation_type as kind, id, now as ms};
use im_client::wire::enums::ConversationType;
use im_client::wire::json_out::WriteJson;
use im_client::wire::MessageTag;
use im_client::{Output, RecallRequest, ReconnectConfig, RequestError};
use im_client::{QueryRequest, RequestId, SendContent, SendRequest, NO_DEADLINE};
use wasm_bindgen::prelude::*;

use crate::convert::{json, read_config};

/// The sans-IO engine. `configure(config)` first; inputs and commands take the current time in
/// ms; after each, call `pollOutput()` until it returns `{"type":"timeout"}`.
#[wasm_bindgen(js_name = EngineCore)]
#[derive(Default)]
pub struct Engine {
    inner: Option<im_client::Engine>,
    /// The frame of the last `sendBytes` output, until `bytes()` takes it.
    bytes: Vec<u8>,
    /// The answer of the last command answered at once, until `text()` takes it.
    text: String,
}

type Core = im_client::Engine;
pub(crate) type Arg<T> = Result<T, RequestError>;

impl Engine {
    /// Runs a command that completes later: its request id (0 before `configure`), or an
    /// immediate failure when an argument does not fit.
    pub(crate) fn request(&mut self, f: impl FnOnce(&mut Core) -> Arg<RequestId>) -> u32 {
        match self.inner.as_mut() {
            Some(e) => {
                let started = f(e);
                request_id(e, started)
            }
            None => 0,
        }
    }

    /// Runs a command answered at once; its answer waits for `text()`: the JSON of its value, or
    /// `!code reason`. (One method returns the text for all: a string result costs glue per
    /// method.)
    pub(crate) fn answer<T: WriteJson>(&mut self, f: impl FnOnce(&mut Core) -> Arg<T>) {
        let answer = self.inner.as_mut().map(|e| f(e).map(|value| json(&value)));
        self.set_text(answer);
    }

    /// What `answer` leaves for `text()`; not generic, so that each command does not repeat it.
    #[inline(never)]
    fn set_text(&mut self, answer: Option<Arg<String>>) {
        self.text = match answer {
            None => "!-3 the engine has no config yet".to_owned(),
            Some(Ok(text)) => text,
            Some(Err(err)) => {
                let reason = err.reason.unwrap_or_default();
                im_client::wire::text!("!", err.code, " ", reason)
            }
        };
    }

    pub(crate) fn with(&mut self, f: impl FnOnce(&mut Core)) {
        if let Some(e) = self.inner.as_mut() {
            f(e);
        }
    }
}

/// The id of a started command, or of the failure of one refused at once; not generic, so that
/// each command does not repeat it.
#[inline(never)]
fn request_id(e: &mut Core, started: Arg<RequestId>) -> u32 {
    match started {
        Ok(RequestId(id)) => id,
        Err(err) => e.reject(err).0,
    }
}

/// A conversation: its type and a non-empty target id.
pub(crate) fn target(t: f64, target_id: Option<String>) -> Arg<(ConversationType, String)> {
    Ok((kind(t)?, id(target_id, "targetId")?))
}

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
    /// An engine without a config yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Self::default()
    }

    /// Creates the engine from its config, JSON `{appKey, naviHosts, secure, seed, storage, …}`
    /// (see `im_client::Config`): `""`, or the reason the config does not fit.
    pub fn configure(&mut self, config: &str) -> String {
        match read_config(config) {
            Ok(c) => {
                self.inner = Some(Core::new(c));
                String::new()
            }
            Err(reason) => reason,
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
            // The value (a store chunk is kilobytes of JSON lines) waits for `text()` as it
            // is, instead of being escaped into this JSON and parsed back out by JS.
            Output::Persist { key, value } => {
                self.text = value;
                im_client::wire::text!(r#"{"type":"persist","key":"#, json(&key), "}")
            }
            Output::Timeout { at_ms } if at_ms == NO_DEADLINE => {
                r#"{"type":"timeout","atMs":null}"#.to_owned()
            }
            other => json(&other),
        }
    }

    /// The frame of the last `sendBytes` output (and, through `text()`, the value of the last
    /// `persist` output).
    pub fn bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// The answer of the last command answered at once: JSON, or `!code reason`.
    pub fn text(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    // ---- inputs ----

    /// One binary WebSocket message.
    #[wasm_bindgen(js_name = handleSocketData)]
    pub fn handle_socket_data(&mut self, now: f64, bytes: &[u8]) {
        self.with(|e| e.handle_socket_data(ms(now), bytes));
    }

    /// A timer armed for the last deadline fired.
    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now: f64) {
        self.with(|e| e.handle_timeout(ms(now)));
    }

    /// The answer to an `httpGet` (status 0: the request failed).
    #[wasm_bindgen(js_name = handleHttpResponse)]
    pub fn handle_http_response(&mut self, now: f64, request: u32, status: u16, body: &str) {
        self.with(|e| e.handle_http_response(ms(now), RequestId(request), status, body));
    }

    /// The socket opened.
    #[wasm_bindgen(js_name = handleSocketOpen)]
    pub fn handle_socket_open(&mut self, now: f64) {
        self.with(|e| e.handle_socket_open(ms(now)));
    }

    /// The socket closed with this close code.
    #[wasm_bindgen(js_name = handleSocketClose)]
    pub fn handle_socket_close(&mut self, now: f64, code: u16) {
        self.with(|e| e.handle_socket_close(ms(now), code));
    }

    /// The app went to the background (`false`) or came back to the foreground (`true`).
    #[wasm_bindgen(js_name = handleAppState)]
    pub fn handle_app_state(&mut self, now: f64, foreground: bool) {
        self.with(|e| e.handle_app_state(ms(now), foreground));
    }

    /// The network went away (`false`) or came back (`true`).
    #[wasm_bindgen(js_name = handleNetwork)]
    pub fn handle_network(&mut self, now: f64, online: bool) {
        self.with(|e| e.handle_network(ms(now), online));
    }

    /// The socket reported an error.
    #[wasm_bindgen(js_name = handleSocketError)]
    pub fn handle_socket_error(&mut self, now: f64) {
        self.with(|e| e.handle_socket_error(ms(now)));
    }

    // ---- connection ----

    /// `connect(token, tokenMd5)`: 1 started, 0 ignored (already connected or connecting), else
    /// the code of a refused argument. `tokenMd5`, the lower-case hex MD5 of the token, keys the
    /// navigation cache (see `im_client::Engine::set_token_md5`).
    pub fn connect(&mut self, now: f64, token: Option<String>, token_md5: Option<String>) -> i32 {
        let Some(e) = self.inner.as_mut() else {
            return 0;
        };
        match id(token, "token") {
            Ok(token) => {
                e.set_token_md5(&token, token_md5.as_deref().unwrap_or_default());
                i32::from(e.connect(ms(now), &token))
            }
            Err(err) => err.code,
        }
    }

    /// `reconnect({auto, url, rate})`: as [`Self::connect`].
    pub fn reconnect(
        &mut self,
        now: f64,
        auto: bool,
        url: Option<String>,
        rate: Option<Vec<f64>>,
    ) -> i32 {
        let rate = rate.map(|r| r.into_iter().filter(|d| *d >= 0.0).map(ms).collect());
        let config = ReconnectConfig { auto, url, rate };
        self.inner
            .as_mut()
            .map_or(0, |e| i32::from(e.reconnect(ms(now), &config)))
    }

    /// `disconnect()`.
    pub fn disconnect(&mut self, now: f64) {
        self.with(|e| e.disconnect(ms(now)));
    }

    /// `logout()`.
    pub fn logout(&mut self, now: f64) {
        self.with(|e| e.logout(ms(now)));
    }

    // ---- messages and queries ----

    /// `sendMessage`: the content as its `encode()` JSON text; `user_ids` (directional) as the
    /// JSON text of an array; `status` for `sendStatusMessage`.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: Option<String>,
        object_name: Option<String>,
        content: Option<String>,
        mentioned: bool,
        push_text: Option<String>,
        app_data: Option<String>,
        method_type: Option<f64>,
        user_ids: Option<String>,
        is_push: bool,
        is_filter_white_blacklist: bool,
        status: bool,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(conversation_type, target_id)?;
            let request = SendRequest {
                conversation_type: t.value(),
                target_id,
                content: SendContent::Json {
                    object_name: id(object_name, "objectName")?,
                    json: args::text(content, "content")?,
                },
                mentioned,
                push_text,
                app_data,
                method_type: method_type
                    .map(|m| args::int_in(m, i32::MIN..=i32::MAX, "methodType"))
                    .transpose()?,
                user_ids: user_ids
                    .map(|u| args::ids(Some(u), "userIds"))
                    .transpose()?,
                is_push,
                is_filter_white_blacklist,
                status,
            };
            Ok(e.send_message(ms(now), request))
        })
    }

    /// `sendRecallMessage(message)`: the fields of the message to recall.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = sendRecall)]
    pub fn send_recall(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: Option<String>,
        message_uid: Option<String>,
        sent_time: f64,
        sender_user_id: Option<String>,
        extra: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(conversation_type, target_id)?;
            let request = RecallRequest {
                conversation_type: t.value(),
                target_id,
                message_uid: id(message_uid, "messageUId")?,
                sent_time: args::time(sent_time, "sentTime")?,
                sender_user_id: sender_user_id.unwrap_or_default(),
                extra,
            };
            Ok(e.send_recall(ms(now), request))
        })
    }

    /// A QUERY of any topic with a protobuf payload.
    pub fn query(
        &mut self,
        now: f64,
        topic: &str,
        target_id: &str,
        payload: &[u8],
        qos1: bool,
    ) -> u32 {
        self.request(|e| {
            let request = QueryRequest {
                topic: topic.to_owned(),
                target_id: target_id.to_owned(),
                payload: payload.to_vec(),
                qos1,
            };
            Ok(e.query(ms(now), request))
        })
    }

    /// `registerMessageType(typeName, objectName, messageTag)`: `tag` bit 0 persisted, bit 1
    /// counted.
    #[wasm_bindgen(js_name = registerMessageType)]
    pub fn register_message_type(&mut self, type_name: &str, object_name: &str, tag: u8) {
        self.with(|e| e.register_message_type(type_name, object_name, MessageTag(tag & 0x3)));
    }

    // ---- getters ----

    /// The current user id (empty before the first connection).
    #[wasm_bindgen(js_name = userId)]
    pub fn user_id(&self) -> String {
        self.inner
            .as_ref()
            .map(|e| e.user_id().to_owned())
            .unwrap_or_default()
    }

    /// The server time (ms) of the last accepted CONNACK, 0 before any.
    #[wasm_bindgen(js_name = connectAckTime)]
    pub fn connect_ack_time(&self) -> f64 {
        // Millisecond timestamps are far below 2^53.
        self.inner
            .as_ref()
            .map_or(0.0, |e| e.connect_ack_time() as f64)
    }

    /// The last connection status emitted, or −1 before any.
    pub fn status(&self) -> i32 {
        self.inner.as_ref().map_or(-1, Core::status)
    }

    /// The raw JSON of the last navigation.
    pub fn navi(&self) -> Option<String> {
        self.inner.as_ref()?.navi().map(str::to_owned)
    }

    /// A persisted value.
    pub fn stored(&self, key: &str) -> Option<String> {
        self.inner.as_ref()?.stored(key).map(str::to_owned)
    }
}
