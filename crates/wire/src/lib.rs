//! `im-wire`: the RongIMLib 2.x wire protocol, shared by the client engine (`im-client`) and the
//! server (`im-server`) so that there is exactly one codec.
//!
//! What it does:
//! - [`frame`]: the binary signalling frames of both directions (transport.md §4–§5), with
//!   descriptive [`DecodeError`]s for malformed input and a size limit;
//! - [`strings`]: UTF-8 out, UTF-8 or CESU-8 in, so emoji survive the original client's encoder;
//! - [`proto`]: the protobuf schema (api.md §2) as prost types;
//! - [`topic`], [`enums`], [`ErrorCode`], [`MessageTag`]: the tables and numbers of the protocol;
//! - [`content`]: typed JSON message contents for every built-in objectName (api.md §6);
//! - [`json`](mod@json): the JSON text parser every content and command goes through,
//!   [`value`]: the JSON value it builds (numbers kept as their text, members in their order),
//!   and [`json_out`]: the writer of JSON text.
//!
//! What it does not do: no I/O, no clock, no state. Connection logic lives in `im-client` and the
//! server; this crate only turns bytes into values and back, and never panics on input.

pub mod codec;
pub mod comet;
pub mod content;
pub mod enums;
mod error;
mod error_code;
pub mod frame;
pub mod json;
pub mod json_out;
pub mod proto;
pub mod strings;
mod tag;
pub mod text;
pub mod topic;
pub mod value;

pub use error::{DecodeError, Direction, EncodeError};
pub use error_code::{ErrorCode, ERROR_CODES};
pub use frame::{ClientFrame, ServerFrame};
pub use strings::StringForm;
pub use tag::MessageTag;
