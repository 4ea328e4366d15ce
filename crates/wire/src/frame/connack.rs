//! CONNACK, server → client (transport.md §5.2): `20 | u8 ignored | u8 status | [UTF userId |
//! UTF sessionId | u64 timestamp_ms]`, the block present only when the frame is longer than 3 bytes.

use crate::codec::{Reader, Writer};
use crate::enums::ConnectionState;
use crate::error::{DecodeError, EncodeError};

/// The connection acknowledgement, always the server's first frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnAck {
    /// ConnectionState code, 0–12 (12 is accepted by the decoder but has no name).
    pub status: u8,
    /// Present on success: the client takes its userId only from here.
    pub session: Option<ConnAckSession>,
}

/// The optional block of a CONNACK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnAckSession {
    /// The authenticated user.
    pub user_id: String,
    /// Read and discarded by the WebSocket client.
    pub session_id: String,
    /// Server time in milliseconds.
    pub timestamp: u64,
}

/// The highest CONNACK status the original decoder accepts.
pub const MAX_CONNACK_STATUS: u8 = 12;

impl ConnAck {
    /// A successful CONNACK with the session block.
    pub fn accepted(
        user_id: impl Into<String>,
        session_id: impl Into<String>,
        timestamp: u64,
    ) -> Self {
        Self {
            status: 0,
            session: Some(ConnAckSession {
                user_id: user_id.into(),
                session_id: session_id.into(),
                timestamp,
            }),
        }
    }

    /// A refusal (`20 00 <status>`).
    pub fn refused(state: ConnectionState) -> Self {
        Self {
            status: state.value(),
            session: None,
        }
    }

    /// The named state, if the status has one.
    pub fn state(&self) -> Option<ConnectionState> {
        ConnectionState::from_value(self.status)
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u8("CONNACK flags")?;
        let status = r.u8("CONNACK status")?;
        if status > MAX_CONNACK_STATUS {
            return Err(DecodeError::InvalidStatus {
                frame: "CONNACK",
                value: status,
            });
        }
        let session = if r.is_empty() {
            None
        } else {
            Some(ConnAckSession {
                user_id: r.string("CONNACK userId")?,
                session_id: r.string("CONNACK sessionId")?,
                timestamp: r.u64("CONNACK timestamp")?,
            })
        };
        r.finish("CONNACK")?;
        Ok(Self { status, session })
    }

    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if self.status > MAX_CONNACK_STATUS {
            return Err(EncodeError::InvalidStatus {
                frame: "CONNACK",
                value: self.status.into(),
            });
        }
        w.u8(0);
        w.u8(self.status);
        if let Some(s) = &self.session {
            w.string("CONNACK userId", &s.user_id)?;
            w.string("CONNACK sessionId", &s.session_id)?;
            w.u64(s.timestamp);
        }
        Ok(())
    }
}
