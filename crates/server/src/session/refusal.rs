//! Why a connection's request was refused, logged once per connection and reason: a client that
//! repeats a refused request does not flood the log.

/// A reason a request or the connection itself was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// A message content over [`crate::messaging::MAX_CONTENT_BYTES`].
    ContentTooLarge,
    /// The recipient blacklisted the sender.
    Blacklisted,
    /// The user was blocked while connected.
    Blocked,
    /// The connection's token was revoked (expired) while connected.
    Revoked,
    /// The client read too slowly: its outbound queue went over its byte budget.
    SlowReader,
    /// A chatroom join that would create a room beyond the application's limit.
    TooManyRooms,
}

impl Reason {
    /// Its counter in `/metrics`.
    fn metric(self) -> crate::metrics::Reason {
        use crate::metrics::Reason as M;
        match self {
            Self::ContentTooLarge => M::ContentTooLarge,
            Self::Blacklisted => M::Blacklisted,
            Self::Blocked => M::Blocked,
            Self::Revoked => M::Revoked,
            Self::SlowReader => M::SlowReader,
            Self::TooManyRooms => M::TooManyRooms,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    fn text(self) -> &'static str {
        match self {
            Self::ContentTooLarge => "message content larger than 128 KB",
            Self::Blacklisted => "sender blacklisted by the recipient",
            Self::Blocked => "user blocked: connection closed",
            Self::Revoked => "token revoked: connection closed",
            Self::SlowReader => "outbound queue over its byte budget: connection closed",
            Self::TooManyRooms => "chatroom join beyond the application's room limit",
        }
    }
}

/// The reasons already logged for one connection.
#[derive(Debug, Default)]
pub(crate) struct Logged(u8);

impl Logged {
    /// Logs `reason` for `user`'s connection `conn` unless it was logged before.
    /// Every refusal is counted in `/metrics`.
    pub(crate) fn once(&mut self, reason: Reason, user: &str, conn: u64) {
        crate::metrics::count(reason.metric());
        if self.0 & reason.bit() == 0 {
            self.0 |= reason.bit();
            tracing::info!(user, conn, reason = reason.text(), "refused");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_is_noted_once() {
        let mut l = Logged::default();
        l.once(Reason::ContentTooLarge, "u", 1);
        assert_eq!(l.0, Reason::ContentTooLarge.bit());
        l.once(Reason::ContentTooLarge, "u", 1);
        assert_eq!(l.0, Reason::ContentTooLarge.bit());
    }
}
