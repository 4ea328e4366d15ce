//! The built-in table of api.md §6.2 (objectName, SDK class, tag) and the [`MessageContent`] enum
//! generated from it.

use std::borrow::Cow;

use super::error::text;
use super::field::key;
use super::{json_or_string, raw_or_json, ContentError, Payload, UnknownContent};
use super::{
    AcceptMessage, ChangeModeMessage, ChangeModeResponseMessage, ChrmKVNotificationMessage,
    CommandMessage, CommandNotificationMessage, ContactNotificationMessage, CustomerContact,
    CustomerStatusUpdateMessage, DiscussionNotificationMessage, EvaluateMessage, FileMessage,
    GroupNotificationMessage, HQVoiceMessage, HandShakeMessage, HandShakeResponseMessage,
    HungupMessage, ImageMessage, InformationNotificationMessage, InviteMessage,
    JrmfRedPacketMessage, JrmfRedPacketOpenedMessage, LocationMessage, MediaModifyMessage,
    MemberModifyMessage, ProfileNotificationMessage, PublicServiceCommandMessage,
    PublicServiceMultiRichContentMessage, PublicServiceRichContentMessage, RCCombineMessage,
    ReadReceiptMessage, ReadReceiptRequestMessage, ReadReceiptResponseMessage,
    RecallCommandMessage, RichContentMessage, RingingMessage, SummaryMessage, SuspendMessage,
    SyncReadStatusMessage, TerminateMessage, TextMessage, TypingStatusMessage, VoiceMessage,
};
use crate::tag::MessageTag;

/// A built-in content type: one row of the api.md §6.2 table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuiltinType {
    /// The objectName sent as `classname`, e.g. `RC:TxtMsg`.
    pub object_name: &'static str,
    /// The SDK class name reported as `message.messageType`, e.g. `TextMessage`.
    pub type_name: &'static str,
    /// The flags sent as `sessionId` (api.md §4.2) and used on receive (§5.5).
    pub tag: MessageTag,
}

impl BuiltinType {
    /// Whether the SDK only sends this type: 2.5.3's receive table lacks `RC:CsHs`, `RC:CSCha` and
    /// `RC:CsEva`, so it reports them as `UnknownMessage` when they arrive (api.md §6.2).
    pub fn is_send_only(&self) -> bool {
        matches!(self.object_name, "RC:CsHs" | "RC:CSCha" | "RC:CsEva")
    }
}

/// What a built-in type's SDK class copies from the object its constructor is given (api.md §6.2),
/// by JSON key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SdkFields {
    /// The declared fields, in the SDK's order (the order content is encoded in).
    Keys(Vec<Cow<'static, str>>),
    /// A "whole object" class: it keeps the entire content under this one key.
    Whole(Cow<'static, str>),
}

impl BuiltinType {
    /// The fields of this type's SDK class, from the table the engine checks contents with;
    /// `None` for a type that is not a row of [`BUILTIN_TYPES`].
    pub fn sdk_fields(&self) -> Option<SdkFields> {
        let ((_, keys), whole) = BUILTIN_TYPES
            .iter()
            .zip(ROW_KEYS)
            .zip(ROW_WHOLE)
            .find(|((t, _), _)| *t == self)?;
        Some(match keys {
            Some(keys) => SdkFields::Keys(keys().iter().map(|k| key(k.field)).collect()),
            None => SdkFields::Whole(key(whole)),
        })
    }
}

/// Generates [`MessageContent`], [`BUILTIN_TYPES`] and the per-variant dispatch from one table, so
/// the objectName, class name and tag of a row cannot drift apart.
macro_rules! builtins {
    ($( $(#[$doc:meta])* $variant:ident($ty:ident) = $object_name:literal, $counted:literal, $persisted:literal; )*) => {
        /// A decoded message content: one variant per row of api.md §6.2, plus [`Self::Unknown`].
        #[derive(Clone, Debug, PartialEq)]
        pub enum MessageContent {
            $( $(#[$doc])* $variant($ty), )*
            /// Any other objectName (custom or unsupported types): the SDK's `UnknownMessage`.
            Unknown(UnknownContent),
        }

        /// Every row of the api.md §6.2 table, in table order.
        pub const BUILTIN_TYPES: &[BuiltinType] = &[
            $( BuiltinType {
                object_name: $object_name,
                type_name: stringify!($ty),
                tag: MessageTag::new($counted, $persisted),
            }, )*
        ];

        /// The fields of each row's JSON object (`None`: kept whole), in table order, for
        /// [`super::JsonContent`].
        pub(crate) const ROW_KEYS: &[Option<fn() -> &'static [super::field::Key]>] = &[
            $( <$ty as Payload>::KEYS, )*
        ];

        /// The Rust field holding the whole content of each whole-object row (empty for the
        /// others), in table order, for [`BuiltinType::sdk_fields`].
        const ROW_WHOLE: &[&str] = &[
            $( <$ty as Payload>::WHOLE_FIELD, )*
        ];

        impl MessageContent {
            /// Decodes the `content` bytes of a message whose `classname` is `object_name`.
            ///
            /// The bytes are UTF-8 or CESU-8 JSON text. A built-in objectName whose JSON does not
            /// fit its type is a [`ContentError::InvalidJson`]; any other objectName always
            /// decodes, as [`Self::Unknown`] holding the parsed JSON or, if the text is not JSON,
            /// the raw string (api.md §5.4).
            pub fn decode(object_name: &str, content: &[u8]) -> Result<Self, ContentError> {
                let text = text(object_name, content)?;
                match object_name {
                    $( $object_name => <$ty as Payload>::decode_text(object_name, &text)
                        .map(Self::$variant), )*
                    _ => Ok(Self::Unknown(UnknownContent {
                        object_name: object_name.to_owned(),
                        json: json_or_string(&text),
                    })),
                }
            }

            /// Encodes the content as JSON bytes (UTF-8), known keys first in the SDK's order,
            /// then unknown keys in the order they were decoded (api.md §6.1).
            pub fn encode(&self) -> Result<Vec<u8>, ContentError> {
                match self {
                    $( Self::$variant(c) => c.encode_bytes(), )*
                    Self::Unknown(u) => raw_or_json(&u.json),
                }
            }

            /// The content as a JSON value: the object its SDK class holds (the whole value for
            /// whole-object and unknown types), without a text round trip.
            pub fn to_value(&self) -> Result<crate::value::Value, ContentError> {
                match self {
                    $( Self::$variant(c) => c.to_value(), )*
                    Self::Unknown(u) => Ok(u.json.clone()),
                }
            }

            /// The objectName sent as `classname`, e.g. `RC:TxtMsg`.
            pub fn object_name(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $object_name, )*
                    Self::Unknown(u) => &u.object_name,
                }
            }

            /// The SDK class name (`message.messageType`), `UnknownMessage` for unknown types.
            pub fn type_name(&self) -> &str {
                match self {
                    $( Self::$variant(_) => stringify!($ty), )*
                    Self::Unknown(_) => "UnknownMessage",
                }
            }

            /// The message tag of the type; unknown objectNames count as (T,T) → 3 like the SDK's
            /// `UnknownMessage` (api.md §6.2).
            pub fn tag(&self) -> MessageTag {
                match self {
                    $( Self::$variant(_) => MessageTag::new($counted, $persisted), )*
                    Self::Unknown(_) => MessageTag::PERSISTED_COUNTED,
                }
            }
        }

        $(
            impl From<$ty> for MessageContent {
                fn from(content: $ty) -> Self {
                    Self::$variant(content)
                }
            }
        )*
    };
}

builtins! {
    /// `RC:TxtMsg`.
    Text(TextMessage) = "RC:TxtMsg", true, true;
    /// `RC:ImgMsg`.
    Image(ImageMessage) = "RC:ImgMsg", true, true;
    /// `RC:VcMsg`.
    Voice(VoiceMessage) = "RC:VcMsg", true, true;
    /// `RC:HQVCMsg`.
    HQVoice(HQVoiceMessage) = "RC:HQVCMsg", true, true;
    /// `RC:ImgTextMsg`.
    RichContent(RichContentMessage) = "RC:ImgTextMsg", true, true;
    /// `RC:LBSMsg`.
    Location(LocationMessage) = "RC:LBSMsg", true, true;
    /// `RC:FileMsg`.
    File(FileMessage) = "RC:FileMsg", true, true;
    /// `RC:CombineMsg`.
    Combine(RCCombineMessage) = "RC:CombineMsg", true, true;
    /// `RC:PSImgTxtMsg`.
    PublicServiceRichContent(PublicServiceRichContentMessage) = "RC:PSImgTxtMsg", true, true;
    /// `RC:PSMultiImgTxtMsg`.
    PublicServiceMultiRichContent(PublicServiceMultiRichContentMessage) = "RC:PSMultiImgTxtMsg", true, true;
    /// `RCJrmf:RpMsg`.
    JrmfRedPacket(JrmfRedPacketMessage) = "RCJrmf:RpMsg", true, true;
    /// `RCJrmf:RpOpendMsg`.
    JrmfRedPacketOpened(JrmfRedPacketOpenedMessage) = "RCJrmf:RpOpendMsg", true, true;
    /// `RC:InfoNtf`.
    InformationNotification(InformationNotificationMessage) = "RC:InfoNtf", false, true;
    /// `RC:ContactNtf`.
    ContactNotification(ContactNotificationMessage) = "RC:ContactNtf", false, true;
    /// `RC:ProfileNtf`.
    ProfileNotification(ProfileNotificationMessage) = "RC:ProfileNtf", false, true;
    /// `RC:CmdNtf`.
    CommandNotification(CommandNotificationMessage) = "RC:CmdNtf", false, true;
    /// `RC:DizNtf`.
    DiscussionNotification(DiscussionNotificationMessage) = "RC:DizNtf", false, true;
    /// `RC:GrpNtf`.
    GroupNotification(GroupNotificationMessage) = "RC:GrpNtf", false, true;
    /// `RC:RcCmd`.
    RecallCommand(RecallCommandMessage) = "RC:RcCmd", false, true;
    /// `RC:CmdMsg`.
    Command(CommandMessage) = "RC:CmdMsg", false, false;
    /// `RC:TypSts`.
    TypingStatus(TypingStatusMessage) = "RC:TypSts", false, false;
    /// `RC:ReadNtf`.
    ReadReceipt(ReadReceiptMessage) = "RC:ReadNtf", false, false;
    /// `RC:SRSMsg`.
    SyncReadStatus(SyncReadStatusMessage) = "RC:SRSMsg", false, false;
    /// `RC:RRReqMsg`.
    ReadReceiptRequest(ReadReceiptRequestMessage) = "RC:RRReqMsg", false, false;
    /// `RC:RRRspMsg`.
    ReadReceiptResponse(ReadReceiptResponseMessage) = "RC:RRRspMsg", false, false;
    /// `RC:PSCmd`.
    PublicServiceCommand(PublicServiceCommandMessage) = "RC:PSCmd", false, false;
    /// `RC:chrmKVNotiMsg`.
    ChrmKVNotification(ChrmKVNotificationMessage) = "RC:chrmKVNotiMsg", false, false;
    /// `RC:CsHs` (sent by the client only).
    HandShake(HandShakeMessage) = "RC:CsHs", false, false;
    /// `RC:CsHsR`.
    HandShakeResponse(HandShakeResponseMessage) = "RC:CsHsR", false, false;
    /// `RC:CSCha` (sent by the client only; note the capital S).
    ChangeMode(ChangeModeMessage) = "RC:CSCha", false, false;
    /// `RC:CsChaR`.
    ChangeModeResponse(ChangeModeResponseMessage) = "RC:CsChaR", false, false;
    /// `RC:CsEva` (sent by the client only).
    Evaluate(EvaluateMessage) = "RC:CsEva", false, false;
    /// `RC:CsSp`.
    Suspend(SuspendMessage) = "RC:CsSp", false, false;
    /// `RC:CsEnd`.
    Terminate(TerminateMessage) = "RC:CsEnd", false, false;
    /// `RC:CsUpdate`.
    CustomerStatusUpdate(CustomerStatusUpdateMessage) = "RC:CsUpdate", false, false;
    /// `RC:CsContact`.
    CustomerContact(CustomerContact) = "RC:CsContact", false, false;
    /// `RC:VCAccept`.
    Accept(AcceptMessage) = "RC:VCAccept", false, false;
    /// `RC:VCRinging`.
    Ringing(RingingMessage) = "RC:VCRinging", false, false;
    /// `RC:VCSummary`.
    Summary(SummaryMessage) = "RC:VCSummary", false, false;
    /// `RC:VCHangup`.
    Hungup(HungupMessage) = "RC:VCHangup", false, false;
    /// `RC:VCInvite`.
    Invite(InviteMessage) = "RC:VCInvite", false, false;
    /// `RC:VCModifyMedia`.
    MediaModify(MediaModifyMessage) = "RC:VCModifyMedia", false, false;
    /// `RC:VCModifyMem`.
    MemberModify(MemberModifyMessage) = "RC:VCModifyMem", false, false;
}

/// The built-in type with this objectName (case-sensitive, as the SDK's lookup is).
pub fn builtin(object_name: &str) -> Option<&'static BuiltinType> {
    BUILTIN_TYPES.iter().find(|t| t.object_name == object_name)
}

/// The built-in type with this SDK class name, e.g. `TextMessage`.
pub fn builtin_by_type_name(type_name: &str) -> Option<&'static BuiltinType> {
    BUILTIN_TYPES.iter().find(|t| t.type_name == type_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_has_every_row_of_the_spec_once() {
        assert_eq!(BUILTIN_TYPES.len(), 43);
        for (i, t) in BUILTIN_TYPES.iter().enumerate() {
            assert_eq!(builtin(t.object_name), Some(t));
            assert_eq!(builtin_by_type_name(t.type_name), Some(t));
            assert!(BUILTIN_TYPES[i + 1..]
                .iter()
                .all(|u| u.object_name != t.object_name));
            // Decoding an empty object gives the variant of that row.
            let c = MessageContent::decode(t.object_name, b"{}").unwrap();
            assert_eq!(
                (c.object_name(), c.type_name(), c.tag()),
                (t.object_name, t.type_name, t.tag)
            );
        }
        assert_eq!(builtin("RC:Txtmsg"), None);
        assert_eq!(builtin_by_type_name("UnknownMessage"), None);
    }

    #[test]
    fn tags_match_the_table() {
        let tag = |name| builtin(name).unwrap().tag.session_id();
        for name in [
            "RC:TxtMsg",
            "RC:ImgMsg",
            "RC:CombineMsg",
            "RCJrmf:RpOpendMsg",
            "RC:PSImgTxtMsg",
        ] {
            assert_eq!(tag(name), 3, "{name}");
        }
        for name in [
            "RC:InfoNtf",
            "RC:ContactNtf",
            "RC:DizNtf",
            "RC:GrpNtf",
            "RC:RcCmd",
        ] {
            assert_eq!(tag(name), 1, "{name}");
        }
        for name in [
            "RC:CmdMsg",
            "RC:TypSts",
            "RC:RRRspMsg",
            "RC:CsHs",
            "RC:VCModifyMem",
        ] {
            assert_eq!(tag(name), 0, "{name}");
        }
        let counted = BUILTIN_TYPES.iter().filter(|t| t.tag.is_counted()).count();
        let persisted_only = BUILTIN_TYPES
            .iter()
            .filter(|t| t.tag.session_id() == 1)
            .count();
        assert_eq!((counted, persisted_only), (12, 7));
        assert!(BUILTIN_TYPES.iter().all(|t| t.tag.session_id() != 2));
    }

    #[test]
    fn sdk_fields_are_the_json_keys_in_order_or_the_whole_object_key() {
        let fields = |name| builtin(name).unwrap().sdk_fields().unwrap();
        let keys =
            |keys: &[&'static str]| SdkFields::Keys(keys.iter().map(|&k| k.into()).collect());
        assert_eq!(
            fields("RC:TxtMsg"),
            keys(&["content", "extra", "user", "mentionedInfo"])
        );
        assert_eq!(
            fields("RC:RcCmd"),
            keys(&[
                "messageUId",
                "conversationType",
                "targetId",
                "sentTime",
                "extra",
                "user"
            ])
        );
        assert_eq!(
            fields("RC:PSMultiImgTxtMsg"),
            SdkFields::Whole("richContentMessages".into())
        );
        let whole: Vec<_> = BUILTIN_TYPES
            .iter()
            .filter(|t| matches!(t.sdk_fields(), Some(SdkFields::Whole(_))))
            .map(|t| t.object_name)
            .collect();
        assert_eq!(
            whole,
            [
                "RC:PSImgTxtMsg",
                "RC:PSMultiImgTxtMsg",
                "RCJrmf:RpMsg",
                "RCJrmf:RpOpendMsg"
            ]
        );
        let custom = BuiltinType {
            object_name: "App:Custom",
            ..BUILTIN_TYPES[0]
        };
        assert_eq!(custom.sdk_fields(), None);
    }

    #[test]
    fn send_only_types_are_the_three_customer_service_requests() {
        let send_only: Vec<_> = BUILTIN_TYPES
            .iter()
            .filter(|t| t.is_send_only())
            .map(|t| t.object_name)
            .collect();
        assert_eq!(send_only, ["RC:CsHs", "RC:CSCha", "RC:CsEva"]);
    }
}
