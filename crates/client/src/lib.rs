//! `im-client`: the sans-IO RongIMLib 2.x client engine.
//!
//! What it does: the connection state machine of RongIMLib 2.x over WebSocket — navigation
//! (`navi.js`/`navi.json`), `/ping` probing, the WebSocket URL, CONNACK, keepalive, DISCONNECT,
//! automatic reconnection with backoff and the app's `reconnect()` — plus the signalling request
//! table (16-bit ids, 30 s timeouts), the sync loop (`pullMsg`, `s_ntf`, `s_msg`, periodic pull,
//! de-duplication by box times and messageUId, echoes from the user's other devices), sending
//! (`sendMessage`, `sendRecallMessage`, generic queries) and the 2.x `Message` model; the
//! conversation list, unread counts (persisted, each message counted once), @mention state and
//! drafts; history with cursors, remote-history clearing, blacklist, discussions and chatrooms
//! (join pull, live `s_ntf` type 2 pulls, member info, history) and chatroom entries
//! (`setKV`/`delKV`, a cache per joined room kept from `pullKV` at join and on `s_cmd`); a
//! persistent local message store per user (received and sent messages in chunked storage keys under a byte budget, with local
//! `messageId`s, search, local-first history and 2.x's local-message edits); and group read
//! receipts (2.5.3's request/response: requests kept and answered, readers noted on the user's
//! stored messages); when `Config::outbox` is on, an outbox that keeps sends (persisted)
//! until the server acknowledged them, resending with one client message id; and files and user
//! status (upload tokens and download URLs, the user's own status, subscriptions to others'
//! status with their `s_stat` pushes as [`Event::UserStatus`], renewed after a lost connection);
//! customer service (the handshake, its session and 2.5.3's receive filter for the services
//! started, mode changes, evaluations, stop) and public services (list, search, follow, the
//! profiles kept from the last list).
//!
//! What it does not do: no I/O, no clock, no randomness of its own, no threads. It never opens a
//! socket, performs HTTP or reads the time: the host (the JS shim, or a test) does, and feeds the
//! results in. Frame and protobuf encoding live in `im-wire`; this crate never re-implements them.
//! The comet (XHR long-polling) transport is not here.
//!
//! # The contract
//!
//! ```
//! use im_client::{Config, Engine, Output};
//!
//! let mut config = Config::new("appkey");
//! config.navi_hosts = vec!["127.0.0.1:8080".into()];
//! config.secure = false;
//! let mut engine = Engine::new(config);
//! engine.connect(0, "token");
//! // After every input, drain the outputs until the next deadline.
//! loop {
//!     match engine.poll_output() {
//!         Output::Timeout { at_ms } => {
//!             // Arm a timer for `at_ms`, then call `engine.handle_timeout(now)`.
//!             let _ = at_ms;
//!             break;
//!         }
//!         Output::HttpGet { id, url } => { /* fetch, then handle_http_response(now, id, …) */ }
//!         other => { /* open/close the socket, send bytes, deliver events, persist */ }
//!     }
//! }
//! ```
//!
//! Inputs are `handle_timeout`, `handle_http_response`, `handle_socket_open`,
//! `handle_socket_data`, `handle_socket_close` and `handle_socket_error`, each with the current
//! time in ms; commands are `connect`, `reconnect`, `disconnect`, `logout`, `send_message`,
//! `send_recall`, `query`, `fetch_conversation_list`, `remove_conversation`, `history`,
//! `history_local_first`, `delete_remote_messages`, `clear_remote_history`, the blacklist,
//! discussion and chatroom commands; getters such as `conversation_list`, `unread_count`,
//! `total_unread_count` and `draft`, and the local store's `get_message`, `insert_message`,
//! `delete_local_messages`, `clear_messages`, `set_message_*`, `update_message`,
//! `search_messages` and `search_conversations` answer at once (their writes go out with the
//! next drain). `send_receipt_response` answers the read-receipt requests received. Commands that
//! complete later return a [`RequestId`] that comes back in [`Event::RequestCompleted`]. Time
//! must not go backwards between inputs.

pub mod args;
mod chatroom;
mod config;
mod connection;
mod conversation;
mod engine;
mod entries;
mod exist;
mod json_out;
mod keepalive;
mod keyed;
mod lifecycle;
mod local;
pub mod md5;
mod message;
mod navi;
mod out;
mod outbox;
mod output;
mod presence;
mod probe;
mod receipts;
mod reconnect;
mod requests;
mod rng;
mod send;
mod services;
mod settings;
mod storage;
mod store;
mod sync;
mod typed;
mod url;

pub use config::{
    Backoff, Config, DEFAULT_NAVI_HOSTS, DEFAULT_OUTBOX_EXPIRY_MS, DEFAULT_RECONNECT_RATE,
    DEFAULT_RECONNECT_URL, DEFAULT_STORE_BUDGET,
};
pub use conversation::{Conversation, ConversationUpdate, MentionedMsg};
pub use engine::Engine;
pub use entries::{ChatroomEntries, ChatroomEntry};
pub use local::{ConversationMatch, DeleteMessage, InsertMessage};
pub use message::{content_value, Message};
pub use output::{Event, Output, Reply, RequestError, RequestId, NO_DEADLINE};
pub use reconnect::ReconnectConfig;
pub use send::{QueryRequest, RecallRequest, SendContent, SendRequest, MAX_CONTENT_LEN};
pub use storage::Storage;
pub use typed::{ChatRoomMember, Discussion};
pub use url::encode_uri_component;

/// The wire codec this engine is built on.
pub use im_wire as wire;
