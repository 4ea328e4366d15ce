//! DISCONNECT (transport.md §5.11) and the unused CONNECT (§5.1).

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, EncodeError};

/// Server → client DISCONNECT: `E0 | u8 ignored | u8 status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disconnect {
    /// 0 RECONNECT, 1 OTHER_DEVICE_LOGIN (the client reports status 6), 2 CLOSURE,
    /// 3 UNKNOWN_ERROR, 4 LOGOUT, 5 BLOCK.
    pub status: u8,
}

/// The highest DISCONNECT status the original decoder accepts.
pub const MAX_DISCONNECT_STATUS: u8 = 5;

impl Disconnect {
    /// Status 1: another device of the same user logged in.
    pub const KICKED: Self = Self { status: 1 };

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u8("DISCONNECT flags")?;
        let status = r.u8("DISCONNECT status")?;
        if status > MAX_DISCONNECT_STATUS {
            return Err(DecodeError::InvalidStatus {
                frame: "DISCONNECT",
                value: status,
            });
        }
        r.finish("DISCONNECT")?;
        Ok(Self { status })
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if self.status > MAX_DISCONNECT_STATUS {
            return Err(EncodeError::InvalidStatus {
                frame: "DISCONNECT",
                value: self.status.into(),
            });
        }
        w.u8(0);
        w.u8(self.status);
        Ok(())
    }
}

/// CONNECT: never sent by the web client, which authenticates in the WebSocket URL; kept for
/// reference and for native-style links (vectors.md V30).
///
/// `10 | UTF protocolName | u8 version | u8 flags | u16 keepAlive | UTF clientId |
/// [UTF willTopic, UTF will] | [UTF appId] | [UTF token]`; flag bits 0x80 appId, 0x40 token,
/// 0x20 retain will, 0x18 will QoS, 0x04 will, 0x02 clean session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connect {
    /// `"RCloud"`.
    pub protocol_name: String,
    /// 3.
    pub protocol_version: u8,
    /// Flag bit 0x02.
    pub clean_session: bool,
    /// Keepalive in seconds.
    pub keep_alive: u16,
    /// Client identifier.
    pub client_id: String,
    /// Optional last will (flag 0x04).
    pub will: Option<Will>,
    /// Optional app key (flag 0x80).
    pub app_id: Option<String>,
    /// Optional token (flag 0x40).
    pub token: Option<String>,
}

/// The last-will block of a CONNECT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Will {
    /// Will topic.
    pub topic: String,
    /// Will message.
    pub message: String,
    /// Will QoS (flag bits 0x18).
    pub qos: u8,
    /// Flag bit 0x20.
    pub retain: bool,
}

impl Connect {
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let protocol_name = r.string("CONNECT protocol name")?;
        let protocol_version = r.u8("CONNECT protocol version")?;
        let flags = r.u8("CONNECT flags")?;
        let keep_alive = r.u16("CONNECT keepAlive")?;
        let client_id = r.string("CONNECT clientId")?;
        let will = if flags & 0x04 != 0 {
            Some(Will {
                topic: r.string("CONNECT will topic")?,
                message: r.string("CONNECT will")?,
                qos: (flags >> 3) & 0x3,
                retain: flags & 0x20 != 0,
            })
        } else {
            None
        };
        let app_id = if flags & 0x80 != 0 {
            Some(r.string("CONNECT appId")?)
        } else {
            None
        };
        let token = if flags & 0x40 != 0 {
            Some(r.string("CONNECT token")?)
        } else {
            None
        };
        r.finish("CONNECT")?;
        Ok(Self {
            protocol_name,
            protocol_version,
            clean_session: flags & 0x02 != 0,
            keep_alive,
            client_id,
            will,
            app_id,
            token,
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        let mut flags = u8::from(self.clean_session) << 1;
        if let Some(will) = &self.will {
            flags |= 0x04 | (will.qos & 0x3) << 3 | u8::from(will.retain) << 5;
        }
        flags |= u8::from(self.app_id.is_some()) << 7 | u8::from(self.token.is_some()) << 6;
        w.string("CONNECT protocol name", &self.protocol_name)?;
        w.u8(self.protocol_version);
        w.u8(flags);
        w.u16(self.keep_alive);
        w.string("CONNECT clientId", &self.client_id)?;
        if let Some(will) = &self.will {
            w.string("CONNECT will topic", &will.topic)?;
            w.string("CONNECT will", &will.message)?;
        }
        if let Some(app_id) = &self.app_id {
            w.string("CONNECT appId", app_id)?;
        }
        if let Some(token) = &self.token {
            w.string("CONNECT token", token)?;
        }
        Ok(())
    }
}
