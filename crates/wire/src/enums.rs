//! The enumerations of RongIMLib 2.x with their numeric values and 2.x names (api.md §7,
//! transport.md §9). Values are what travel on the wire and through the JS API.
//!
//! Each enum also lists the names of 2.x's JS enum in `NAMES`; the JS façade's enums are generated
//! from these lists at build time (`scripts/gen-tables.mjs`), so they exist here even where the
//! engine never uses them (`CustomerType`, `MediaType`, the RealTimeLocation codes, …).

/// Declares a closed enum with its value type, 2.x names, `ALL`, `NAMES`, `value`, `name`,
/// `from_value`.
///
/// A variant whose name is followed by `[engine only]` is left out of `NAMES` (2.x's JS enum lacks
/// it). An optional `aliases { "NAME" = value, … }` after the enum adds names for values that a
/// variant already has; 2.x declares them after the variants, so its reverse mapping (TypeScript
/// keeps the last name declared for a value) names those values by them, and `NAMES` lists them
/// first.
macro_rules! wire_enum {
    // `NAMES`: the listed names, without the `[engine only]` ones.
    (@names [$($done:tt)*]) => { &[$($done)*] };
    (@names [$($done:tt)*] $js:literal = $value:literal [engine only], $($rest:tt)*) => {
        wire_enum!(@names [$($done)*] $($rest)*)
    };
    (@names [$($done:tt)*] $js:literal = $value:literal, $($rest:tt)*) => {
        wire_enum!(@names [$($done)* ($js, $value),] $($rest)*)
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $repr:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $js:literal $([$($only:tt)+])?, )+
        }
        $( aliases { $( $alias:literal = $avalue:literal, )+ } )?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in value order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The names of 2.x's JS enum with their values, in the order the JS façade lists
            /// them: where names share a value, the one 2.x's reverse mapping gives comes first
            /// (as in [`crate::ERROR_CODES`]).
            pub const NAMES: &'static [(&'static str, $repr)] = wire_enum!(
                @names [$($( ($alias, $avalue), )+)?] $( $js = $value $([$($only)+])?, )+
            );

            /// The numeric value used on the wire and in the JS API.
            pub const fn value(self) -> $repr {
                match self { $(Self::$variant => $value,)+ }
            }

            /// The RongIMLib 2.x name, e.g. `"PRIVATE"`.
            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $js,)+ }
            }

            /// The variant with this value, if any.
            pub const fn from_value(v: $repr) -> Option<Self> {
                match v { $($value => Some(Self::$variant),)+ _ => None }
            }

            /// The variant with this 2.x name, if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($js => Some(Self::$variant),)+ _ => None }
            }
        }

        // Checked when compiling: `ALL` (the variants as declared) is in value order, and every
        // alias names the value of a variant.
        const _: () = {
            let mut rest: &[$repr] = &[$($value,)+];
            while let [first, tail @ ..] = rest {
                if let [next, ..] = tail {
                    let order = concat!(stringify!($name), ": variants out of value order");
                    assert!(*first < *next, "{}", order);
                }
                rest = tail;
            }
            $($(
                let alias = concat!(stringify!($name), ": the alias ", $alias, " names no value");
                assert!($name::from_value($avalue).is_some(), "{}", alias);
            )+)?
        };

        impl TryFrom<$repr> for $name {
            type Error = UnknownValue;
            fn try_from(v: $repr) -> Result<Self, UnknownValue> {
                Self::from_value(v).ok_or(UnknownValue { enum_name: stringify!($name), value: v as i64 })
            }
        }
    };
}

/// A number that names no member of an enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The enum looked up.
    pub enum_name: &'static str,
    /// The value found.
    pub value: i64,
}

impl crate::text::Piece for UnknownValue {
    fn push_to(&self, out: &mut String) {
        crate::text!(in out;
            self.value,
            " is not a valid ",
            self.enum_name
        );
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Piece::text(self))
    }
}

impl std::error::Error for UnknownValue {}

wire_enum! {
    /// Conversation types (`ConversationType`; protobuf `ChannelType` plus RTC 12/13).
    pub enum ConversationType: i32 {
        /// 0: no conversation.
        None = 0 => "NONE",
        /// 1: one-to-one.
        Private = 1 => "PRIVATE",
        /// 2: discussion (ad-hoc group).
        Discussion = 2 => "DISCUSSION",
        /// 3: group.
        Group = 3 => "GROUP",
        /// 4: chatroom.
        ChatRoom = 4 => "CHATROOM",
        /// 5: customer service.
        CustomerService = 5 => "CUSTOMER_SERVICE",
        /// 6: system.
        System = 6 => "SYSTEM",
        /// 7: app public service ("MC", auto-followed).
        AppPublicService = 7 => "APP_PUBLIC_SERVICE",
        /// 8: public service ("MP", followed manually).
        PublicService = 8 => "PUBLIC_SERVICE",
        /// 12: RTC signalling (topic `prMsgS`).
        RtcSignal = 12 => "RTC",
        /// 13: RTC (topic `prMsgP`); in the topic list only, not in 2.x's JS enum.
        RtcRoom = 13 => "RTC_ROOM" [engine only],
    }
}

wire_enum! {
    /// Status-listener codes (`ConnectionStatus`, transport.md §9.1).
    pub enum ConnectionStatus: i32 {
        /// CONNACK 0.
        Connected = 0 => "CONNECTED",
        /// A connect attempt started.
        Connecting = 1 => "CONNECTING",
        /// App disconnect/logout; DISCONNECT 0 or 2; redirect.
        Disconnected = 2 => "DISCONNECTED",
        /// Ping timeout, abnormal close, DISCONNECT 3.
        NetworkUnavailable = 3 => "NETWORK_UNAVAILABLE",
        /// Send while closed; DISCONNECT 4.
        ConnectionClosed = 4 => "CONNECTION_CLOSED",
        /// DISCONNECT 1: the same user logged in elsewhere.
        KickedOfflineByOtherClient = 6 => "KICKED_OFFLINE_BY_OTHER_CLIENT",
        /// Status 3 before the first successful connect (the original then switches to comet).
        WebsocketUnavailable = 7 => "WEBSOCKET_UNAVAILABLE",
        /// WebSocket `onerror`.
        WebsocketError = 8 => "WEBSOCKET_ERROR",
        /// Never emitted by 2.5.3.
        DomainIncorrect = 12 => "DOMAIN_INCORRECT",
        /// Navigation answered code 403.
        AppkeyIsFake = 20 => "APPKEY_IS_FAKE",
        /// Before each navigation attempt.
        RequestNavi = 201 => "REQUEST_NAVI",
        /// Navigation answered.
        ResponseNavi = 202 => "RESPONSE_NAVI",
        /// Navigation HTTP error; also the final `onError` code.
        ResponseNaviError = 203 => "RESPONSE_NAVI_ERROR",
        /// A navigation attempt timed out.
        ResponseNaviTimeout = 204 => "RESPONSE_NAVI_TIMEOUT",
        /// Passed to `connect`'s `onError` after more than 5 kicks.
        Ultralimit = 1101 => "ULTRALIMIT",
    }
}

wire_enum! {
    /// CONNACK status byte (`ConnectionState`, transport.md §9.2). The decoder also accepts 12.
    pub enum ConnectionState: u8 {
        /// 0: connected.
        Accepted = 0 => "ACCEPTED",
        /// 1.
        UnacceptableProtocolVersion = 1 => "UNACCEPTABLE_PROTOCOL_VERSION",
        /// 2.
        IdentifierRejected = 2 => "IDENTIFIER_REJECTED",
        /// 3.
        ServerUnavailable = 3 => "SERVER_UNAVAILABLE",
        /// 4: the client calls `onTokenIncorrect`.
        TokenIncorrect = 4 => "TOKEN_INCORRECT",
        /// 5: unknown app key.
        NotAuthorized = 5 => "NOT_AUTHORIZED",
        /// 6: re-run navigation and reconnect.
        Redirect = 6 => "REDIRECT",
        /// 7.
        PackageError = 7 => "PACKAGE_ERROR",
        /// 8.
        AppBlockOrDelete = 8 => "APP_BLOCK_OR_DELETE",
        /// 9: the user is blocked.
        Block = 9 => "BLOCK",
        /// 10.
        TokenExpire = 10 => "TOKEN_EXPIRE",
        /// 11.
        DeviceError = 11 => "DEVICE_ERROR",
    }
}

wire_enum! {
    /// DISCONNECT status byte, named after 1.x `DisconnectionStatus` (transport.md §9.3).
    pub enum DisconnectStatus: u8 {
        /// 0: listener sees 2.
        Reconnect = 0 => "RECONNECT",
        /// 1: listener sees 6 (kicked).
        OtherDeviceLogin = 1 => "OTHER_DEVICE_LOGIN",
        /// 2: listener sees 2.
        Closure = 2 => "CLOSURE",
        /// 3: listener sees 3.
        UnknownError = 3 => "UNKNOWN_ERROR",
        /// 4: listener sees 4.
        Logout = 4 => "LOGOUT",
        /// 5: listener sees 5.
        Block = 5 => "BLOCK",
    }
}

impl DisconnectStatus {
    /// The ConnectionStatus a listener receives: 1 maps to 6, 0 (falsy) to 2, others unchanged
    /// (5 has no ConnectionStatus name and is reported as the raw value).
    pub const fn listener_status(self) -> i32 {
        match self {
            Self::Reconnect | Self::Closure => 2,
            Self::OtherDeviceLogin => 6,
            Self::UnknownError => 3,
            Self::Logout => 4,
            Self::Block => 5,
        }
    }
}

wire_enum! {
    /// `MessageDirection`.
    pub enum MessageDirection: i32 {
        /// 1: sent by the current user.
        Send = 1 => "SEND",
        /// 2: received.
        Receive = 2 => "RECEIVE",
    }
}

wire_enum! {
    /// `SentStatus`.
    pub enum SentStatus: i32 {
        /// 10.
        Sending = 10 => "SENDING",
        /// 20.
        Failed = 20 => "FAILED",
        /// 30.
        Sent = 30 => "SENT",
        /// 40.
        Received = 40 => "RECEIVED",
        /// 50.
        Read = 50 => "READ",
        /// 60.
        Destroyed = 60 => "DESTROYED",
    }
}

wire_enum! {
    /// `MentionedType` of `MentionedInfo.type`.
    pub enum MentionedType: i32 {
        /// 1: @all.
        All = 1 => "ALL",
        /// 2: the users in `userIdList`.
        Part = 2 => "PART",
    }
}

wire_enum! {
    /// `DiscussionInviteStatus` (`ModifyPermissionInput.openStatus`).
    pub enum DiscussionInviteStatus: i32 {
        /// 0: members may invite.
        Opened = 0 => "OPENED",
        /// 1: only the creator may invite.
        Closed = 1 => "CLOSED",
    }
}

wire_enum! {
    /// `GetChatRoomType` (`QueryChatroomInfoInput.order`).
    pub enum GetChatRoomType: i32 {
        /// 0.
        None = 0 => "NONE",
        /// 1: by join order, oldest first (the original spells it SQQUENCE).
        Sequence = 1 => "SQQUENCE",
        /// 2: newest first.
        Reverse = 2 => "REVERSE",
    }
}

wire_enum! {
    /// `BlacklistStatus`.
    pub enum BlacklistStatus: i32 {
        /// 0.
        InBlackList = 0 => "IN_BLACK_LIST",
        /// 1.
        NotInBlackList = 1 => "NOT_IN_BLACK_LIST",
    }
}

wire_enum! {
    /// `ConversationNotificationStatus`.
    pub enum ConversationNotificationStatus: i32 {
        /// 0.
        DoNotDisturb = 0 => "DO_NOT_DISTURB",
        /// 1.
        Notify = 1 => "NOTIFY",
    }
}

wire_enum! {
    /// `ConnectionChannel`; 2.x also names 0 `HTTP` and 1 `HTTPS`, the names its reverse mapping
    /// gives.
    pub enum ConnectionChannel: i32 {
        /// 0: comet long-polling.
        XhrPolling = 0 => "XHR_POLLING",
        /// 1.
        Websocket = 1 => "WEBSOCKET",
    }
    aliases {
        "HTTP" = 0,
        "HTTPS" = 1,
    }
}

wire_enum! {
    /// `MethodType`: `sendMessage` argument 8, overriding the send topic.
    pub enum MethodType: i32 {
        /// 1: topic `pcuMsgP`.
        CustomerService = 1 => "CUSTOMER_SERVICE",
        /// 2: topic `recallMsg`.
        Recall = 2 => "RECALL",
    }
}

wire_enum! {
    /// `FileType` (`GetQNupTokenInput.type`).
    pub enum FileType: i32 {
        /// 1.
        Image = 1 => "IMAGE",
        /// 2.
        Audio = 2 => "AUDIO",
        /// 3.
        Video = 3 => "VIDEO",
        /// 4.
        File = 4 => "FILE",
    }
}

wire_enum! {
    /// `CustomerType`: who answers a customer-service conversation.
    pub enum CustomerType: i32 {
        /// 1.
        OnlyRobot = 1 => "ONLY_ROBOT",
        /// 2.
        OnlyHuman = 2 => "ONLY_HUMAN",
        /// 3.
        RobotFirst = 3 => "ROBOT_FIRST",
        /// 4.
        HumanFirst = 4 => "HUMAN_FIRST",
    }
}

wire_enum! {
    /// `MediaType`: like [`FileType`], but `FILE` is 100.
    pub enum MediaType: i32 {
        /// 1.
        Image = 1 => "IMAGE",
        /// 2.
        Audio = 2 => "AUDIO",
        /// 3.
        Video = 3 => "VIDEO",
        /// 100.
        File = 100 => "FILE",
    }
}

wire_enum! {
    /// `SearchType`: exact or fuzzy matching.
    pub enum SearchType: i32 {
        /// 0.
        Exact = 0 => "EXACT",
        /// 1.
        Fuzzy = 1 => "FUZZY",
    }
}

wire_enum! {
    /// `VoIPMediaType` (sic: `MEDIA_VEDIO`).
    pub enum VoIPMediaType: i32 {
        /// 1.
        Audio = 1 => "MEDIA_AUDIO",
        /// 2.
        Video = 2 => "MEDIA_VEDIO",
    }
}

wire_enum! {
    /// `RealTimeLocationErrorCode` of 2.x's real-time location sharing.
    pub enum RealTimeLocationErrorCode: i32 {
        /// -1.
        NotInit = -1 => "RC_REAL_TIME_LOCATION_NOT_INIT",
        /// 0.
        Success = 0 => "RC_REAL_TIME_LOCATION_SUCCESS",
        /// 1.
        GpsDisabled = 1 => "RC_REAL_TIME_LOCATION_GPS_DISABLED",
        /// 2.
        ConversationNotSupport = 2 => "RC_REAL_TIME_LOCATION_CONVERSATION_NOT_SUPPORT",
        /// 3.
        IsOnGoing = 3 => "RC_REAL_TIME_LOCATION_IS_ON_GOING",
        /// 4.
        ExceedMaxParticipant = 4 => "RC_REAL_TIME_LOCATION_EXCEED_MAX_PARTICIPANT",
        /// 5.
        JoinFailure = 5 => "RC_REAL_TIME_LOCATION_JOIN_FAILURE",
        /// 6.
        StartFailure = 6 => "RC_REAL_TIME_LOCATION_START_FAILURE",
        /// 7.
        NetworkUnavailable = 7 => "RC_REAL_TIME_LOCATION_NETWORK_UNAVAILABLE",
    }
}

wire_enum! {
    /// `RealTimeLocationStatus` of 2.x's real-time location sharing.
    pub enum RealTimeLocationStatus: i32 {
        /// 0.
        Idle = 0 => "RC_REAL_TIME_LOCATION_STATUS_IDLE",
        /// 1.
        Incoming = 1 => "RC_REAL_TIME_LOCATION_STATUS_INCOMING",
        /// 2.
        Outgoing = 2 => "RC_REAL_TIME_LOCATION_STATUS_OUTGOING",
        /// 3.
        Connected = 3 => "RC_REAL_TIME_LOCATION_STATUS_CONNECTED",
    }
}

/// `ReceivedStatus` bit flags. 2.x's `ReadStatus` is the same enum under another name.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReceivedStatus(pub i32);

impl ReceivedStatus {
    /// 0.
    pub const UNREAD: Self = Self(0);
    /// 0x1.
    pub const READ: Self = Self(0x1);
    /// 0x2.
    pub const LISTENED: Self = Self(0x2);
    /// 0x4.
    pub const DOWNLOADED: Self = Self(0x4);
    /// 0x8: the message was recalled.
    pub const RETRIEVED: Self = Self(0x8);

    /// The names of 2.x's JS enum (`ReceivedStatus` and `ReadStatus`) with their values, in
    /// value order (no two share one).
    pub const NAMES: &'static [(&'static str, i32)] = &[
        ("UNREAD", Self::UNREAD.0),
        ("READ", Self::READ.0),
        ("LISTENED", Self::LISTENED.0),
        ("DOWNLOADED", Self::DOWNLOADED.0),
        ("RETRIEVED", Self::RETRIEVED.0),
    ];

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// 2.x's `ReadStatus`: the [`ReceivedStatus`] flags.
pub type ReadStatus = ReceivedStatus;

/// Bits of `DownStreamMessage.status` the client interprets (api.md §5.4).
pub mod downstream_status {
    /// The message was recalled → `ReceivedStatus::RETRIEVED`.
    pub const RETRIEVED: i64 = 0x02;
    /// The message @mentions the receiving user.
    pub const MENTIONED: i64 = 0x40;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_names_match_the_2x_tables() {
        assert_eq!(ConversationType::Group.value(), 3);
        assert_eq!(
            ConversationType::from_value(8),
            Some(ConversationType::PublicService)
        );
        assert_eq!(ConversationType::from_value(9), None);
        assert_eq!(ConnectionStatus::KickedOfflineByOtherClient.value(), 6);
        assert_eq!(ConnectionStatus::from_value(5), None);
        assert_eq!(ConnectionStatus::Ultralimit.name(), "ULTRALIMIT");
        assert_eq!(ConnectionState::from_value(12), None);
        assert_eq!(ConnectionState::ALL.len(), 12);
        assert_eq!(SentStatus::from_name("READ"), Some(SentStatus::Read));
        assert_eq!(GetChatRoomType::Sequence.name(), "SQQUENCE");
    }

    #[test]
    fn every_variant_round_trips_through_value_and_name() {
        for v in ConversationType::ALL {
            assert_eq!(ConversationType::from_value(v.value()), Some(*v));
            assert_eq!(ConversationType::from_name(v.name()), Some(*v));
        }
        for v in ConnectionStatus::ALL {
            assert_eq!(ConnectionStatus::try_from(v.value()), Ok(*v));
        }
        for v in DisconnectStatus::ALL {
            assert_eq!(DisconnectStatus::from_value(v.value()), Some(*v));
        }
    }

    #[test]
    fn names_put_aliases_first_and_leave_out_engine_only_variants() {
        assert_eq!(
            ConnectionChannel::NAMES,
            [
                ("HTTP", 0),
                ("HTTPS", 1),
                ("XHR_POLLING", 0),
                ("WEBSOCKET", 1)
            ]
        );
        assert_eq!(
            ConnectionChannel::from_value(0),
            Some(ConnectionChannel::XhrPolling)
        );
        assert_eq!(ConnectionChannel::from_name("HTTP"), None);
        let names: Vec<_> = ConversationType::NAMES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), ConversationType::ALL.len() - 1);
        assert!(!names.contains(&"RTC_ROOM") && names.contains(&"RTC"));
        assert_eq!(
            RealTimeLocationErrorCode::NAMES[0],
            ("RC_REAL_TIME_LOCATION_NOT_INIT", -1)
        );
        assert_eq!(MediaType::File.value(), 100);
        assert_eq!(
            ReadStatus::NAMES[4],
            ("RETRIEVED", ReceivedStatus::RETRIEVED.0)
        );
    }

    #[test]
    fn disconnect_status_maps_to_listener_codes_like_2x() {
        let seen: Vec<i32> = DisconnectStatus::ALL
            .iter()
            .map(|s| s.listener_status())
            .collect();
        assert_eq!(seen, [2, 6, 2, 3, 4, 5]);
    }

    #[test]
    fn unknown_values_give_a_descriptive_error() {
        let err = MentionedType::try_from(3).unwrap_err();
        assert_eq!(err.to_string(), "3 is not a valid MentionedType");
    }

    #[test]
    fn received_status_flags_combine() {
        let s = ReceivedStatus(ReceivedStatus::READ.0 | ReceivedStatus::RETRIEVED.0);
        assert!(s.contains(ReceivedStatus::RETRIEVED) && !s.contains(ReceivedStatus::LISTENED));
    }
}
