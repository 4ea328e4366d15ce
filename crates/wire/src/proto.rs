//! The protobuf schema of api.md §2 (package `Modules`, proto2) as prost types, generated at build
//! time from `proto/modules.proto` by a pure-Rust parser.
//!
//! Enum-typed fields are open `i32`s, so RTC conversation types 12 and 13 (absent from
//! `ChannelType`) decode. Required fields are plain values and always encoded; prost does not
//! reject a message that lacks one, so decoding is as lenient as it is safe.

#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic, rustdoc::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/modules.rs"));
}

pub use generated::*;

use crate::error::DecodeError;

/// Decodes a protobuf payload of type `M`, naming it in the error.
pub fn decode<M: prost::Message + Default>(bytes: &[u8]) -> Result<M, DecodeError> {
    M::decode(bytes).map_err(|e| DecodeError::Protobuf {
        message: short_type_name::<M>(),
        reason: e.to_string(),
    })
}

/// Encodes a protobuf message.
pub fn encode<M: prost::Message>(msg: &M) -> Vec<u8> {
    msg.encode_to_vec()
}

fn short_type_name<M>() -> &'static str {
    let full = std::any::type_name::<M>();
    full.rsplit("::").next().unwrap_or(full)
}
