//! PUBACK in both directions (transport.md §5.5): 3 bytes from the client, a full record from the
//! server.

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};

/// Client → server PUBACK acknowledging a server PUBLISH: `40 | u16 messageId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientPubAck {
    /// Id of the server PUBLISH being acknowledged.
    pub msg_id: u16,
}

impl ClientPubAck {
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let msg_id = r.u16("PUBACK messageId")?;
        r.finish("PUBACK")?;
        Ok(Self { msg_id })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.u16(self.msg_id);
    }
}

/// Server → client PUBACK: `40 | u16 messageId | u32 date_seconds | u16 status | u16 millis |
/// UTF messageUId`.
///
/// The decoder is tolerant like a port should be (not like 2.5.3, which reads a 3-byte PUBACK as
/// status −257, vectors.md V17): fields missing at a field boundary default to 0 / "".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPubAck {
    /// Id of the client PUBLISH (or of the sync copy being completed).
    pub msg_id: u16,
    /// Whole seconds of the message's sentTime.
    pub date: u32,
    /// 0 = success, otherwise an ErrorCode such as 405 or 22406.
    pub status: u16,
    /// Milliseconds part of sentTime.
    pub millis: u16,
    /// The global message id; may be empty.
    pub message_uid: String,
}

impl ServerPubAck {
    /// A PUBACK for a message stored at `sent_time_ms`.
    pub fn new(
        msg_id: u16,
        status: u16,
        sent_time_ms: u64,
        message_uid: impl Into<String>,
    ) -> Self {
        Self {
            msg_id,
            date: u32::try_from(sent_time_ms / 1000).unwrap_or(u32::MAX),
            status,
            millis: (sent_time_ms % 1000) as u16,
            message_uid: message_uid.into(),
        }
    }

    /// `date × 1000 + millis`: the message's authoritative sentTime in ms.
    pub fn timestamp(&self) -> u64 {
        u64::from(self.date) * 1000 + u64::from(self.millis)
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let msg_id = r.u16("PUBACK messageId")?;
        let mut ack = Self {
            msg_id,
            date: 0,
            status: 0,
            millis: 0,
            message_uid: String::new(),
        };
        if r.is_empty() {
            return Ok(ack);
        }
        ack.date = r.u32("PUBACK date")?;
        if r.is_empty() {
            return Ok(ack);
        }
        ack.status = r.u16("PUBACK status")?;
        if r.is_empty() {
            return Ok(ack);
        }
        ack.millis = r.u16("PUBACK millis")?;
        if r.is_empty() {
            return Ok(ack);
        }
        ack.message_uid = r.string("PUBACK messageUId")?;
        r.finish("PUBACK")?;
        Ok(ack)
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.u16(self.msg_id);
        w.u32(self.date);
        w.u16(self.status);
        w.u16(self.millis);
        w.string("PUBACK messageUId", &self.message_uid)
    }
}
