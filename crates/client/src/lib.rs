//! The sans-IO RongIMLib 2.x client engine.
//!
//! This crate will hold the connection state machine, navigation, keepalive, reconnect, the
//! request table, the sync loop and the message model. It never reads a clock, opens a socket or
//! sleeps: time and bytes are inputs, and actions are outputs (see `ARCHITECTURE.md`).
//!
//! It currently re-exports the wire codec it is built on; the engine arrives with the SDK issues.

pub use im_wire as wire;
