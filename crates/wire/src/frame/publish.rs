//! PUBLISH in both directions (transport.md §5.3, §5.4). The server form carries a leading u32
//! date that the client form lacks; neither has a length field: the payload runs to the frame end.

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};
use crate::frame::header::Qos;

/// Client → server PUBLISH: `32 | UTF topic | UTF targetId | u16 messageId | payload`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientPublish {
    /// QoS 1 (`32`) for every send of the SDK; QoS 0 (`30`) only without a callback.
    pub qos: Qos,
    /// Send topic, e.g. `ppMsgP`, or `recallMsg` / `pcuMsgP`.
    pub topic: String,
    /// Peer, group, discussion, chatroom or service id; the sender's own id for recall.
    pub target_id: String,
    /// From the shared 16-bit counter (1…65535).
    pub msg_id: u16,
    /// An `UpStreamMessage` protobuf.
    pub payload: Vec<u8>,
}

impl ClientPublish {
    pub(crate) fn decode(qos: Qos, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            qos,
            topic: r.string("PUBLISH topic")?,
            target_id: r.string("PUBLISH targetId")?,
            msg_id: r.u16("PUBLISH messageId")?,
            payload: r.rest().to_vec(),
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string("PUBLISH topic", &self.topic)?;
        w.string("PUBLISH targetId", &self.target_id)?;
        w.u16(self.msg_id);
        w.bytes(&self.payload);
        Ok(())
    }
}

/// Server → client PUBLISH: `30|32|3A | u32 date | UTF topic | UTF targetId | u16 messageId |
/// payload`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPublish {
    /// QoS 1 asks the client for a PUBACK (unless `sync` is set).
    pub qos: Qos,
    /// Header bit 3: a copy of the user's own message sent from another device. The client sends no
    /// PUBACK and waits for a server PUBACK with the same id carrying messageUId and time (§5.6).
    pub sync: bool,
    /// Seconds since the epoch; unused by the original client.
    pub date: u32,
    /// `s_ntf`, `s_msg`, `s_stat`, `s_cmd`, or an echoed send topic.
    pub topic: String,
    /// Usually the receiving user; the conversation target for echoes.
    pub target_id: String,
    /// Id in the same 16-bit space as the client's pending requests.
    pub msg_id: u16,
    /// Protobuf payload whose type depends on the topic.
    pub payload: Vec<u8>,
}

impl ServerPublish {
    pub(crate) fn decode(qos: Qos, sync: bool, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            qos,
            sync,
            date: r.u32("PUBLISH date")?,
            topic: r.string("PUBLISH topic")?,
            target_id: r.string("PUBLISH targetId")?,
            msg_id: r.u16("PUBLISH messageId")?,
            payload: r.rest().to_vec(),
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.u32(self.date);
        w.string("PUBLISH topic", &self.topic)?;
        w.string("PUBLISH targetId", &self.target_id)?;
        w.u16(self.msg_id);
        w.bytes(&self.payload);
        Ok(())
    }
}
