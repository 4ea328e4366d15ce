//! QUERY, QUERYACK and QUERYCON (transport.md §5.7–§5.9). QUERYACK orders its fields messageId,
//! date, status, unlike PUBACK.

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};
use crate::frame::header::Qos;

/// Client → server QUERY: `50|52 | UTF topic | UTF targetId | u16 messageId | payload`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// QoS 0 for API queries; QoS 1 for the sync pulls `pullMsg` and `chrmPull`.
    pub qos: Qos,
    /// e.g. `pullMsg`, `qryPMsg`, `joinChrm`.
    pub topic: String,
    /// Topic-dependent: self, a conversation target, a chatroom id, ….
    pub target_id: String,
    /// From the shared 16-bit counter.
    pub msg_id: u16,
    /// A protobuf request (may be empty).
    pub payload: Vec<u8>,
}

impl Query {
    pub(crate) fn decode(qos: Qos, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            qos,
            topic: r.string("QUERY topic")?,
            target_id: r.string("QUERY targetId")?,
            msg_id: r.u16("QUERY messageId")?,
            payload: r.rest().to_vec(),
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string("QUERY topic", &self.topic)?;
        w.string("QUERY targetId", &self.target_id)?;
        w.u16(self.msg_id);
        w.bytes(&self.payload);
        Ok(())
    }
}

/// Server → client QUERYACK: `60|62 | u16 messageId | u32 date | u16 status | payload`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryAck {
    /// QoS 1 asks the client for a QUERYCON.
    pub qos: Qos,
    /// Id of the QUERY answered.
    pub msg_id: u16,
    /// Seconds since the epoch; unused by the client.
    pub date: u32,
    /// 0 = success, otherwise an ErrorCode.
    pub status: u16,
    /// The protobuf reply (may be empty, e.g. for status-only answers).
    pub payload: Vec<u8>,
}

impl QueryAck {
    pub(crate) fn decode(qos: Qos, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            qos,
            msg_id: r.u16("QUERYACK messageId")?,
            date: r.u32("QUERYACK date")?,
            status: r.u16("QUERYACK status")?,
            payload: r.rest().to_vec(),
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.u16(self.msg_id);
        w.u32(self.date);
        w.u16(self.status);
        w.bytes(&self.payload);
    }
}

/// Client → server QUERYCON confirming a QoS 1 QUERYACK: `70 | u16 messageId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryCon {
    /// Id of the QUERYACK confirmed.
    pub msg_id: u16,
}

impl QueryCon {
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let msg_id = r.u16("QUERYCON messageId")?;
        r.finish("QUERYCON")?;
        Ok(Self { msg_id })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.u16(self.msg_id);
    }
}
