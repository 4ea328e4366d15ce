//! The fixed header byte: `type << 4 | dup << 3 | qos << 1 | retain` (transport.md §4.1).

use crate::error::DecodeError;

/// Signalling message types (transport.md §9.4). 0 and 15 do not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MessageType {
    /// 1: never sent by the web client (authentication is in the WebSocket URL).
    Connect = 1,
    /// 2: server's first frame.
    ConnAck = 2,
    /// 3: both directions, with different layouts.
    Publish = 3,
    /// 4: both directions, with different layouts.
    PubAck = 4,
    /// 5: client requests.
    Query = 5,
    /// 6: server replies to QUERY.
    QueryAck = 6,
    /// 7: client confirms a QoS 1 QUERYACK.
    QueryCon = 7,
    /// 8: unused.
    Subscribe = 8,
    /// 9: unused; the original client mistakes it for PINGRESP.
    SubAck = 9,
    /// 10: unused.
    Unsubscribe = 10,
    /// 11: unused; the original client mistakes it for PINGRESP.
    UnsubAck = 11,
    /// 12: client keepalive.
    PingReq = 12,
    /// 13: server keepalive answer.
    PingResp = 13,
    /// 14: server closes the session with a reason.
    Disconnect = 14,
}

impl MessageType {
    /// The type for header bits 7–4.
    pub fn from_bits(bits: u8) -> Result<Self, DecodeError> {
        Ok(match bits {
            1 => Self::Connect,
            2 => Self::ConnAck,
            3 => Self::Publish,
            4 => Self::PubAck,
            5 => Self::Query,
            6 => Self::QueryAck,
            7 => Self::QueryCon,
            8 => Self::Subscribe,
            9 => Self::SubAck,
            10 => Self::Unsubscribe,
            11 => Self::UnsubAck,
            12 => Self::PingReq,
            13 => Self::PingResp,
            14 => Self::Disconnect,
            other => return Err(DecodeError::UnknownMessageType(other)),
        })
    }
}

/// Quality of service (header bits 2–1). The SDK uses 0 and 1; QoS 1 means "ack expected", never
/// "retransmit".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Qos {
    /// 0: no acknowledgement.
    #[default]
    AtMostOnce = 0,
    /// 1: the receiver acknowledges (PUBACK / QUERYCON).
    AtLeastOnce = 1,
    /// 2: never used by RongIMLib.
    ExactlyOnce = 2,
    /// 3: "DEFAULT" in the original enum.
    Default = 3,
}

impl Qos {
    fn from_bits(bits: u8) -> Self {
        match bits & 0x3 {
            0 => Self::AtMostOnce,
            1 => Self::AtLeastOnce,
            2 => Self::ExactlyOnce,
            _ => Self::Default,
        }
    }
}

/// A decoded header byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// Bits 7–4.
    pub kind: MessageType,
    /// Bit 3. On a server PUBLISH it marks a sync copy of the user's own message.
    pub dup: bool,
    /// Bits 2–1.
    pub qos: Qos,
    /// Bit 0; never set by the client, ignored on receive.
    pub retain: bool,
}

impl Header {
    /// A header with no flags.
    pub const fn new(kind: MessageType, qos: Qos) -> Self {
        Self {
            kind,
            dup: false,
            qos,
            retain: false,
        }
    }

    /// Parses a header byte.
    pub fn from_byte(b: u8) -> Result<Self, DecodeError> {
        Ok(Self {
            kind: MessageType::from_bits(b >> 4)?,
            dup: b & 0x08 != 0,
            qos: Qos::from_bits(b >> 1),
            retain: b & 0x01 != 0,
        })
    }

    /// The header byte.
    pub const fn to_byte(self) -> u8 {
        (self.kind as u8) << 4 | (self.dup as u8) << 3 | (self.qos as u8) << 1 | self.retain as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_bytes_seen_on_the_wire_parse_as_documented() {
        let h = Header::from_byte(0x3a).unwrap();
        assert_eq!(
            (h.kind, h.dup, h.qos, h.retain),
            (MessageType::Publish, true, Qos::AtLeastOnce, false)
        );
        assert_eq!(
            Header::from_byte(0x52).unwrap(),
            Header::new(MessageType::Query, Qos::AtLeastOnce)
        );
        assert_eq!(
            Header::from_byte(0xe0).unwrap(),
            Header::new(MessageType::Disconnect, Qos::AtMostOnce)
        );
    }

    #[test]
    fn every_header_byte_of_a_known_type_round_trips() {
        for b in 0x10u8..=0xef {
            let h = Header::from_byte(b).unwrap();
            assert_eq!(h.to_byte(), b);
        }
    }

    #[test]
    fn types_zero_and_fifteen_are_unknown() {
        assert_eq!(
            Header::from_byte(0x00),
            Err(DecodeError::UnknownMessageType(0))
        );
        assert_eq!(
            Header::from_byte(0xf2),
            Err(DecodeError::UnknownMessageType(15))
        );
    }
}
