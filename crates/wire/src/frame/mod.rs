//! Signalling frames (transport.md §4–§5): one WebSocket binary message = one header byte + body,
//! with no MQTT remaining-length field. Layouts differ by direction, so frames are decoded as
//! [`ClientFrame`] (what a server reads) or [`ServerFrame`] (what a client reads).

mod connack;
mod control;
mod header;
mod puback;
mod publish;
mod query;

pub use connack::{ConnAck, ConnAckSession, MAX_CONNACK_STATUS};
pub use control::{Connect, Disconnect, Will, MAX_DISCONNECT_STATUS};
pub use header::{Header, MessageType, Qos};
pub use puback::{ClientPubAck, ServerPubAck};
pub use publish::{ClientPublish, ServerPublish};
pub use query::{Query, QueryAck, QueryCon};

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, Direction, EncodeError};
use crate::strings::StringForm;

/// Largest client → server frame accepted by default: a 128 KB content (the SDK's own limit,
/// error 30016) plus push text, app data and recipients, with headroom.
pub const MAX_CLIENT_FRAME_LEN: usize = 256 * 1024;

/// Largest server → client frame accepted by default. Pull replies batch up to 200 messages; a
/// server must split larger batches (`finished = false` plus another `s_ntf`).
pub const MAX_SERVER_FRAME_LEN: usize = 16 * 1024 * 1024;

/// A frame sent by a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientFrame {
    /// CONNECT (unused by the web client; reference only).
    Connect(Connect),
    /// PUBLISH of a message.
    Publish(ClientPublish),
    /// PUBACK of a server PUBLISH.
    PubAck(ClientPubAck),
    /// QUERY request.
    Query(Query),
    /// QUERYCON confirming a QoS 1 QUERYACK.
    QueryCon(QueryCon),
    /// PINGREQ (`c0`).
    PingReq,
}

/// A frame sent by a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerFrame {
    /// CONNACK, always first.
    ConnAck(ConnAck),
    /// PUBLISH: notification, pushed message or sync copy.
    Publish(ServerPublish),
    /// PUBACK answering a client PUBLISH or completing a sync copy.
    PubAck(ServerPubAck),
    /// QUERYACK answering a QUERY.
    QueryAck(QueryAck),
    /// PINGRESP (`d0`).
    PingResp,
    /// DISCONNECT with a reason.
    Disconnect(Disconnect),
}

fn split(frame: &[u8], max: usize) -> Result<(Header, Reader<'_>), DecodeError> {
    if frame.len() > max {
        return Err(DecodeError::Oversize {
            len: frame.len(),
            max,
        });
    }
    let (&first, body) = frame.split_first().ok_or(DecodeError::Empty)?;
    Ok((Header::from_byte(first)?, Reader::new(body)))
}

fn start(header: Header, capacity: usize, form: StringForm) -> Writer {
    let mut w = Writer::new(form, capacity + 1);
    w.u8(header.to_byte());
    w
}

impl ClientFrame {
    /// Decodes a frame received by a server, with the default size limit.
    pub fn decode(frame: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_with_limit(frame, MAX_CLIENT_FRAME_LEN)
    }

    /// Decodes a frame received by a server, refusing frames longer than `max` bytes.
    pub fn decode_with_limit(frame: &[u8], max: usize) -> Result<Self, DecodeError> {
        let (h, mut r) = split(frame, max)?;
        let decoded = match h.kind {
            MessageType::Connect => Self::Connect(Connect::decode(&mut r)?),
            MessageType::Publish => Self::Publish(ClientPublish::decode(h.qos, &mut r)?),
            MessageType::PubAck => Self::PubAck(ClientPubAck::decode(&mut r)?),
            MessageType::Query => Self::Query(Query::decode(h.qos, &mut r)?),
            MessageType::QueryCon => Self::QueryCon(QueryCon::decode(&mut r)?),
            MessageType::PingReq => {
                r.finish("PINGREQ")?;
                Self::PingReq
            }
            other => {
                return Err(DecodeError::UnexpectedMessageType {
                    kind: other as u8,
                    from: Direction::ClientToServer,
                })
            }
        };
        Ok(decoded)
    }

    /// The header byte this frame is sent with.
    pub fn header(&self) -> Header {
        match self {
            Self::Connect(_) => Header::new(MessageType::Connect, Qos::AtMostOnce),
            Self::Publish(p) => Header::new(MessageType::Publish, p.qos),
            Self::PubAck(_) => Header::new(MessageType::PubAck, Qos::AtMostOnce),
            Self::Query(q) => Header::new(MessageType::Query, q.qos),
            Self::QueryCon(_) => Header::new(MessageType::QueryCon, Qos::AtMostOnce),
            Self::PingReq => Header::new(MessageType::PingReq, Qos::AtMostOnce),
        }
    }

    /// Encodes with standard UTF-8 strings.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        self.encode_with(StringForm::Utf8)
    }

    /// Encodes with strings in `form` (CESU-8 is byte-identical to the original client).
    pub fn encode_with(&self, form: StringForm) -> Result<Vec<u8>, EncodeError> {
        let capacity = match self {
            Self::Publish(p) => 8 + p.topic.len() + p.target_id.len() + p.payload.len(),
            Self::Query(q) => 8 + q.topic.len() + q.target_id.len() + q.payload.len(),
            _ => 16,
        };
        let mut w = start(self.header(), capacity, form);
        match self {
            Self::Connect(c) => c.encode(&mut w)?,
            Self::Publish(p) => p.encode(&mut w)?,
            Self::PubAck(a) => a.encode(&mut w),
            Self::Query(q) => q.encode(&mut w)?,
            Self::QueryCon(c) => c.encode(&mut w),
            Self::PingReq => {}
        }
        Ok(w.into_vec())
    }
}

impl ServerFrame {
    /// Decodes a frame received by a client, with the default size limit.
    pub fn decode(frame: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_with_limit(frame, MAX_SERVER_FRAME_LEN)
    }

    /// Decodes a frame received by a client, refusing frames longer than `max` bytes.
    ///
    /// Types a server never sends (QUERY, SUBACK, a server PINGREQ, …) are an error the client
    /// ignores, instead of being mistaken for PINGRESP as in 2.5.3.
    pub fn decode_with_limit(frame: &[u8], max: usize) -> Result<Self, DecodeError> {
        let (h, mut r) = split(frame, max)?;
        let decoded = match h.kind {
            MessageType::ConnAck => Self::ConnAck(ConnAck::decode(&mut r)?),
            MessageType::Publish => Self::Publish(ServerPublish::decode(h.qos, h.dup, &mut r)?),
            MessageType::PubAck => Self::PubAck(ServerPubAck::decode(&mut r)?),
            MessageType::QueryAck => Self::QueryAck(QueryAck::decode(h.qos, &mut r)?),
            MessageType::PingResp => {
                r.finish("PINGRESP")?;
                Self::PingResp
            }
            MessageType::Disconnect => Self::Disconnect(Disconnect::decode(&mut r)?),
            other => {
                return Err(DecodeError::UnexpectedMessageType {
                    kind: other as u8,
                    from: Direction::ServerToClient,
                })
            }
        };
        Ok(decoded)
    }

    /// The header byte this frame is sent with.
    pub fn header(&self) -> Header {
        match self {
            Self::ConnAck(_) => Header::new(MessageType::ConnAck, Qos::AtMostOnce),
            Self::Publish(p) => Header {
                kind: MessageType::Publish,
                dup: p.sync,
                qos: p.qos,
                retain: false,
            },
            Self::PubAck(_) => Header::new(MessageType::PubAck, Qos::AtMostOnce),
            Self::QueryAck(a) => Header::new(MessageType::QueryAck, a.qos),
            Self::PingResp => Header::new(MessageType::PingResp, Qos::AtMostOnce),
            Self::Disconnect(_) => Header::new(MessageType::Disconnect, Qos::AtMostOnce),
        }
    }

    /// Encodes with standard UTF-8 strings.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        self.encode_with(StringForm::Utf8)
    }

    /// Encodes with strings in `form`. CESU-8 is the only form in which the original client
    /// decodes non-BMP characters of topic, targetId and messageUId correctly.
    pub fn encode_with(&self, form: StringForm) -> Result<Vec<u8>, EncodeError> {
        let capacity = match self {
            Self::Publish(p) => 12 + p.topic.len() + p.target_id.len() + p.payload.len(),
            Self::QueryAck(a) => 8 + a.payload.len(),
            _ => 32,
        };
        let mut w = start(self.header(), capacity, form);
        match self {
            Self::ConnAck(c) => c.encode(&mut w)?,
            Self::Publish(p) => p.encode(&mut w)?,
            Self::PubAck(a) => a.encode(&mut w)?,
            Self::QueryAck(a) => a.encode(&mut w),
            Self::PingResp => {}
            Self::Disconnect(d) => d.encode(&mut w)?,
        }
        Ok(w.into_vec())
    }
}
