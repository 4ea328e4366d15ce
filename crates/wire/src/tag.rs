//! `MessageTag`: the flag word sent as `UpStreamMessage.sessionId` (api.md §4.2, §8.1 item 4).

/// Flags of a message type, as carried in `UpStreamMessage.sessionId`.
///
/// Bit 0 = persisted (stored for history and offline sync), bit 1 = counted (unread counts and the
/// conversation list), bit 2 = the message carries an @mention (sent as 7 in groups and
/// discussions). `MessageTag(3)` is the tag of ordinary content such as `RC:TxtMsg`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MessageTag(pub u8);

impl MessageTag {
    /// Neither persisted nor counted (commands, typing status, receipts).
    pub const NONE: Self = Self(0);
    /// Bit 0: stored by the server for history and offline sync.
    pub const IS_PERSISTED: Self = Self(0x1);
    /// Bit 1: counted as unread and shown in the conversation list.
    pub const IS_COUNTED: Self = Self(0x2);
    /// Bit 2: the message @mentions users (groups and discussions only).
    pub const MENTIONED: Self = Self(0x4);
    /// Persisted and counted: ordinary content (value 3).
    pub const PERSISTED_COUNTED: Self = Self(0x3);

    /// Builds a tag the way RongIMLib's `new MessageTag(isCounted, isPersited)` does.
    pub const fn new(is_counted: bool, is_persisted: bool) -> Self {
        Self((is_counted as u8) << 1 | is_persisted as u8)
    }

    /// Reads a `sessionId` flag word; bits above bit 2 are ignored.
    pub const fn from_session_id(session_id: i32) -> Self {
        Self((session_id & 0x7) as u8)
    }

    /// The value sent as `UpStreamMessage.sessionId`.
    pub const fn session_id(self) -> i32 {
        self.0 as i32
    }

    /// Whether bit 0 (persisted) is set.
    pub const fn is_persisted(self) -> bool {
        self.0 & 0x1 != 0
    }

    /// Whether bit 1 (counted) is set.
    pub const fn is_counted(self) -> bool {
        self.0 & 0x2 != 0
    }

    /// Whether bit 2 (@mention) is set.
    pub const fn is_mentioned(self) -> bool {
        self.0 & 0x4 != 0
    }

    /// This tag with the @mention bit set, as `sendMessage` does for groups and discussions.
    pub const fn with_mention(self) -> Self {
        Self(self.0 | 0x4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_values_match_the_original_message_tag_constructor() {
        assert_eq!(MessageTag::new(true, true).session_id(), 3);
        assert_eq!(MessageTag::new(true, false).session_id(), 2);
        assert_eq!(MessageTag::new(false, true).session_id(), 1);
        assert_eq!(MessageTag::new(false, false).session_id(), 0);
        assert_eq!(MessageTag::PERSISTED_COUNTED.with_mention().session_id(), 7);
    }

    #[test]
    fn session_id_bits_are_read_independently() {
        let t = MessageTag::from_session_id(7);
        assert!(t.is_persisted() && t.is_counted() && t.is_mentioned());
        let t = MessageTag::from_session_id(2);
        assert!(!t.is_persisted() && t.is_counted() && !t.is_mentioned());
        assert_eq!(MessageTag::from_session_id(0x7f), MessageTag(7));
    }
}
