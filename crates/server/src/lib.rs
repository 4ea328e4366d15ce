//! `im-server`: a self-hostable server that speaks RongCloud's RongIMLib 2.x WebSocket protocol
//! and RongCloud's signed Server API, so that the original 2.x web client and the official server
//! SDKs work against it unchanged.
//!
//! What it does:
//! - navigation (`/navi.js`, `/navi.json`), `/ping` and `/websocket` on one port
//!   (transport.md §2, §3, §5), and the Server API on the same port or its own (`api_addr`);
//! - connection sessions: CONNACK, keepalive, kick of an older login, frame-size and rate limits;
//! - private, group, customer-service and system messages with the MessageTag semantics of
//!   api.md §4.2, recall, blacklists, directional messages and @mentions;
//! - the sync model of api.md §5.2 (`s_ntf` + `pullMsg` over per-user inboxes), multi-device
//!   echo, conversation lists and remote history;
//! - the Server API of server-api.md for users (tokens, expiry, blacklists, blocks, tags),
//!   messages (including template messages, broadcasts and the hourly history file), pushes
//!   (checked, recorded and delivered over the IM connection) and groups;
//! - moderation ([`moderation`]): sensitive words replaced in or blocking client text messages,
//!   group member mutes, mute-all and its whitelist;
//! - messages from clients to public-service accounts (`pmcMsgN`, `pmpMsgN`);
//! - per-user settings ([`settings`]): do not disturb per conversation, pinned and hidden
//!   conversations, quiet hours and the offline message duration, shared by a user's devices;
//! - storage behind traits per domain ([`store`]), with an embedded SQLite implementation and
//!   versioned schema migrations: writes on one thread with group commit (one commit per batch
//!   of queued calls, each answered only after it), reads on a second connection and thread, WAL
//!   checkpoints in the background;
//! - chatrooms in memory (members, recent messages, per-member bounded queues with an overload
//!   policy) with persisted history, and their Server API ([`chatroom`]); chatroom entries
//!   (`setKV`, `delKV`, `pullKV`, [`chatroom::kv`]), persisted with their room;
//! - its own accept loop ([`listen`]): connection caps per client address and in total, a
//!   deadline for request headers, refusals counted by reason ([`metrics`]) and served at
//!   `/metrics` in the Prometheus text format on the Server API's address (or, with
//!   `metrics_public`, the public one);
//! - built-in TLS for https and wss on the public port ([`tls`]: `tls_cert`, `tls_key`);
//! - user status (`setUserStatus`, `getUserStatus`, `subUserStatus` and `s_stat` pushes,
//!   [`hub::status`]);
//! - file uploads and downloads in place of RongCloud's qiniu storage ([`files`]);
//! - public-service accounts and follows (`pullMp`, `schMp`, the follow topics), and a minimal
//!   customer-service desk with a robot greeting and human agents ([`services`]);
//! - graceful stop on Ctrl-C or SIGTERM.
//!
//! What it does not do (yet): push notifications to phones (APNs, FCM), the comet
//! (long-polling) transport, and more than one application per server.
//!
//! Several nodes sharing one store exchange deliveries, logins, chatroom traffic and the Server
//! API's changes to what each keeps in memory over NATS ([`bus`], `IM_BUS`).
//!
//! All wire encoding and decoding goes through `im-wire`; this crate never parses a frame itself.
//!
//! Load benchmark: `cargo bench -p im-server --bench load` runs the binary as a child process on
//! 127.0.0.1 and prints idle connections held, memory per idle connection, private messages/s
//! delivered with persistence and send → receive latency at a fixed load (`benches/load/main.rs`
//! lists the `IM_BENCH_*` variables for bigger runs). Chatroom fan-out: `cargo bench -p im-server
//! --bench fanout` (one room, 5,000 pulling members, one sender; `IM_FANOUT_*` variables).

pub mod api;
pub mod block;
pub mod bus;
pub mod chatroom;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod files;
pub mod hub;
pub mod listen;
pub mod messaging;
pub mod metrics;
pub mod moderation;
pub mod navi;
pub mod server;
pub mod services;
pub mod session;
pub mod settings;
pub mod store;
pub mod tls;
pub mod token;

pub use config::Config;
pub use server::{start, RunningServer};
