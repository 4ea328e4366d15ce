//! `Engine`: the JS face of [`im_client::Engine`], one method per engine method.

use im_client::wire::MessageTag;
use im_client::{Config, QueryRequest, RecallRequest, ReconnectConfig, RequestId, SendRequest};
use wasm_bindgen::prelude::*;

use crate::convert::{self, from_js, ms};

/// The sans-IO engine. Inputs (`handle*`) and commands take the current time in ms; after each,
/// call `pollOutput()` until it returns `{type: "timeout"}`.
#[wasm_bindgen]
pub struct Engine {
    pub(crate) inner: im_client::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// A new engine from a config object (`appKey`, `naviHosts`, `secure`, `seed`, `storage`,
    /// …; see `im_client::Config`). A malformed config throws an `Error` with `code` −3.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Engine, JsValue> {
        let config: Config = from_js("config", config)?;
        Ok(Self {
            inner: im_client::Engine::new(config),
        })
    }

    /// The next output as `{type, …}`: `openSocket {url}`, `sendBytes {bytes}`, `closeSocket`,
    /// `httpGet {id, url}`, `cancelHttp {id}`, `event {event}`, `persist {key, value}`, and
    /// finally `timeout {atMs}` (`null` when nothing is scheduled).
    #[wasm_bindgen(js_name = pollOutput)]
    pub fn poll_output(&mut self) -> Result<JsValue, JsValue> {
        convert::output(&self.inner.poll_output())
    }

    /// Timers: call at (or after) the last deadline.
    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now: f64) {
        self.inner.handle_timeout(ms(now));
    }

    /// The response of an `httpGet`; `status` 0 for a network error or a timeout.
    #[wasm_bindgen(js_name = handleHttpResponse)]
    pub fn handle_http_response(&mut self, now: f64, id: u32, status: u16, body: &str) {
        self.inner
            .handle_http_response(ms(now), RequestId(id), status, body);
    }

    /// The socket of the last `openSocket` opened.
    #[wasm_bindgen(js_name = handleSocketOpen)]
    pub fn handle_socket_open(&mut self, now: f64) {
        self.inner.handle_socket_open(ms(now));
    }

    /// One binary WebSocket message.
    #[wasm_bindgen(js_name = handleSocketData)]
    pub fn handle_socket_data(&mut self, now: f64, bytes: &[u8]) {
        self.inner.handle_socket_data(ms(now), bytes);
    }

    /// The socket closed with a WebSocket close `code` (1006 = abnormal).
    #[wasm_bindgen(js_name = handleSocketClose)]
    pub fn handle_socket_close(&mut self, now: f64, code: u16) {
        self.inner.handle_socket_close(ms(now), code);
    }

    /// The socket reported an error.
    #[wasm_bindgen(js_name = handleSocketError)]
    pub fn handle_socket_error(&mut self, now: f64) {
        self.inner.handle_socket_error(ms(now));
    }

    /// `connect(token)`; `false` when ignored (already connected or connecting).
    pub fn connect(&mut self, now: f64, token: &str) -> bool {
        self.inner.connect(ms(now), token)
    }

    /// `reconnect({auto, url, rate})`; `false` when nothing happens.
    pub fn reconnect(&mut self, now: f64, config: JsValue) -> Result<bool, JsValue> {
        let config: ReconnectConfig = if config.is_undefined() || config.is_null() {
            ReconnectConfig::default()
        } else {
            from_js("reconnect config", config)?
        };
        Ok(self.inner.reconnect(ms(now), &config))
    }

    /// `disconnect()`.
    pub fn disconnect(&mut self, now: f64) {
        self.inner.disconnect(ms(now));
    }

    /// `logout()`.
    pub fn logout(&mut self, now: f64) {
        self.inner.logout(ms(now));
    }

    /// `sendMessage`: `{conversationType, targetId, objectName, content, mentioned, pushText,
    /// appData, methodType, userIds, isPush, isVoipPush, isFilerWhiteBlacklist}`, `content` being
    /// the text of the content's `encode()` or a JSON value. Returns the request id that its
    /// `requestCompleted` event carries.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&mut self, now: f64, request: JsValue) -> Result<u32, JsValue> {
        let request: SendRequest = from_js("message", request)?;
        Ok(self.inner.send_message(ms(now), request).0)
    }

    /// `sendRecallMessage(message)`: the `Message` to recall. Returns the request id.
    #[wasm_bindgen(js_name = sendRecall)]
    pub fn send_recall(&mut self, now: f64, message: JsValue) -> Result<u32, JsValue> {
        let request: RecallRequest = from_js("message to recall", message)?;
        Ok(self.inner.send_recall(ms(now), request).0)
    }

    /// A generic QUERY `{topic, targetId, payload, qos1}`. Returns the request id.
    pub fn query(&mut self, now: f64, request: JsValue) -> Result<u32, JsValue> {
        let request: QueryRequest = from_js("query", request)?;
        Ok(self.inner.query(ms(now), request).0)
    }

    /// `registerMessageType(typeName, objectName, messageTag)`; `tag` is the flag word
    /// (bit 0 persisted, bit 1 counted).
    #[wasm_bindgen(js_name = registerMessageType)]
    pub fn register_message_type(&mut self, type_name: &str, object_name: &str, tag: u8) {
        self.inner
            .register_message_type(type_name, object_name, MessageTag(tag & 0x3));
    }

    /// The current user id (empty before the first connection).
    #[wasm_bindgen(getter, js_name = userId)]
    pub fn user_id(&self) -> String {
        self.inner.user_id().to_owned()
    }

    /// The server time (ms) of the last accepted CONNACK, 0 before any.
    #[wasm_bindgen(getter, js_name = connectAckTime)]
    pub fn connect_ack_time(&self) -> f64 {
        // Millisecond timestamps are far below 2^53.
        self.inner.connect_ack_time() as f64
    }

    /// The last connection status emitted, or −1 before any.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> i32 {
        self.inner.status()
    }

    /// The raw navigation JSON of the last successful navigation.
    pub fn navi(&self) -> Option<String> {
        self.inner.navi().map(str::to_owned)
    }

    /// The engine's value of a persisted key.
    pub fn stored(&self, key: &str) -> Option<String> {
        self.inner.stored(key).map(str::to_owned)
    }
}
