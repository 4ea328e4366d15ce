//! Errors of the wire codec, split by who is at fault (the rustls habit): the peer sent bytes
//! that do not form a valid frame ([`DecodeError`]), or the caller asked for a frame that cannot be
//! represented on the wire ([`EncodeError`]).

use std::fmt;

use crate::text;
use crate::text::Piece;

/// A frame or field could not be decoded. Every variant names what was being read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The frame had no bytes at all (not even the header byte).
    Empty,
    /// The frame is longer than the configured maximum; nothing was parsed.
    Oversize {
        /// Length of the frame in bytes.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// A field runs past the end of the frame.
    Truncated {
        /// The field being read, e.g. `"PUBLISH topic"`.
        field: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the frame.
        available: usize,
    },
    /// A string field holds bytes that are neither UTF-8 nor CESU-8.
    InvalidUtf8 {
        /// The field being read.
        field: &'static str,
        /// Offset of the first bad byte inside the string.
        at: usize,
    },
    /// The header names message type 0 or 15, which do not exist.
    UnknownMessageType(u8),
    /// The message type exists but is never sent in this direction (e.g. a QUERY from a server).
    UnexpectedMessageType {
        /// The message type number (header bits 7–4).
        kind: u8,
        /// Who sent it.
        from: Direction,
    },
    /// A status byte outside the range the protocol defines (CONNACK 0–12, DISCONNECT 0–5).
    InvalidStatus {
        /// The frame kind, e.g. `"CONNACK"`.
        frame: &'static str,
        /// The value found.
        value: u8,
    },
    /// Bytes follow the last field of a fixed-size frame.
    TrailingBytes {
        /// The frame kind.
        frame: &'static str,
        /// How many extra bytes were found.
        count: usize,
    },
    /// A protobuf payload failed to decode.
    Protobuf {
        /// The protobuf message type expected.
        message: &'static str,
        /// prost's description of the problem.
        reason: String,
    },
}

/// Which side of the connection produced a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to server.
    ClientToServer,
    /// Server to client.
    ServerToClient,
}

impl Piece for Direction {
    fn push_to(&self, out: &mut String) {
        out.push_str(match self {
            Self::ClientToServer => "client",
            Self::ServerToClient => "server",
        });
    }
}

impl Piece for DecodeError {
    fn push_to(&self, out: &mut String) {
        match self {
            Self::Empty => text!(in out; "empty frame: no header byte"),
            Self::Oversize { len, max } => {
                text!(in out; "frame of ", len, " bytes exceeds the ", max, "-byte limit")
            }
            Self::Truncated {
                field,
                needed,
                available,
            } => text!(in out;
                "truncated frame: ",
                field,
                " needs ",
                needed,
                " bytes but only ",
                available,
                " remain"
            ),
            Self::InvalidUtf8 { field, at } => text!(in out;
                field,
                " is not valid UTF-8 or CESU-8 (bad byte at offset ",
                at,
                ")"
            ),
            Self::UnknownMessageType(t) => text!(in out; "unknown message type ", t),
            Self::UnexpectedMessageType { kind, from } => {
                text!(in out; "message type ", kind, " is never sent by a ", from)
            }
            Self::InvalidStatus { frame, value } => {
                text!(in out; frame, " status ", value, " is outside the defined range")
            }
            Self::TrailingBytes { frame, count } => {
                text!(in out;
                    count,
                    " unexpected bytes after the end of a ",
                    frame,
                    " frame"
                )
            }
            Self::Protobuf { message, reason } => {
                text!(in out; "invalid ", message, " protobuf payload: ", reason)
            }
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl std::error::Error for DecodeError {}

/// A frame could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A string field is longer than the 65 535 bytes its u16 length prefix can express. (The
    /// original client silently wraps the length; we refuse instead.)
    StringTooLong {
        /// The field being written.
        field: &'static str,
        /// Its encoded length.
        len: usize,
    },
    /// A status or code does not fit the frame's field.
    InvalidStatus {
        /// The frame kind.
        frame: &'static str,
        /// The value given.
        value: u32,
    },
}

impl Piece for EncodeError {
    fn push_to(&self, out: &mut String) {
        match self {
            Self::StringTooLong { field, len } => {
                text!(in out;
                    field,
                    " is ",
                    len,
                    " bytes long; a wire string holds at most 65535"
                )
            }
            Self::InvalidStatus { frame, value } => {
                text!(in out; frame, " status ", value, " cannot be encoded")
            }
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl std::error::Error for EncodeError {}
