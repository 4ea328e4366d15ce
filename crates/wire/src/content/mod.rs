//! Typed message contents: the JSON carried in `UpStreamMessage.content` /
//! `DownStreamMessage.content` for every built-in objectName (api.md §6).
//!
//! [`MessageContent::decode`] turns `(classname, content bytes)` into a typed value and
//! [`MessageContent::encode`] turns it back into JSON bytes. Keys a struct does not model are kept
//! in its `other` map, so decode → encode loses nothing; objectNames outside the table become
//! [`MessageContent::Unknown`]. What the SDK does *after* decoding (unread counts, receipts, the
//! customer-service and VoIP routing of api.md §5.5) is not done here.

use crate::tag::MessageTag;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Declares a JSON object struct: every listed field optional and omitted when `None`, keys in
/// camelCase, plus an `other` map that keeps unknown keys (api.md §6.1).
macro_rules! json_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
            /// Keys this crate does not model, in their original order; encoded after the known
            /// ones so that decode → encode keeps them.
            #[serde(flatten)]
            pub other: serde_json::Map<String, serde_json::Value>,
        }
    };
}

/// A [`json_struct!`] that is also a message content decoded and encoded as a JSON object.
macro_rules! content_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        json_struct! { $(#[$meta])* pub struct $name { $($body)* } }
        impl super::Payload for $name {}
    };
}

mod chat;
mod common;
mod customer;
mod error;
mod media;
mod notify;
mod status;
mod voip;

pub use chat::{
    JrmfRedPacketMessage, JrmfRedPacketOpenedMessage, LocationMessage,
    PublicServiceMultiRichContentMessage, PublicServiceRichContentMessage, RCCombineMessage,
    RichContentMessage, TextMessage,
};
pub use common::{parse_sdk_data, MentionedInfo, PublicServiceMenuItem, UserInfo};
pub use customer::{
    ChangeModeMessage, ChangeModeResponseMessage, CustomerContact, CustomerStatusUpdateMessage,
    EvaluateMessage, HandShakeMessage, HandShakeResponseMessage, SuspendMessage, TerminateMessage,
};
pub use error::ContentError;
pub use media::{FileMessage, HQVoiceMessage, ImageMessage, VoiceMessage};
pub use notify::{
    CommandMessage, CommandNotificationMessage, ContactNotificationMessage,
    DiscussionNotificationMessage, GroupNotificationMessage, InformationNotificationMessage,
    ProfileNotificationMessage, RecallCommandMessage,
};
pub use status::{
    ChrmKVNotificationMessage, PublicServiceCommandMessage, ReadReceiptMessage,
    ReadReceiptRequestMessage, ReadReceiptResponseMessage, SyncReadStatusMessage,
    TypingStatusMessage,
};
pub use voip::{
    AcceptMessage, HungupMessage, InviteMessage, MediaModifyMessage, MemberModifyMessage,
    RingingMessage, SummaryMessage,
};

/// How one content type turns text into itself and back. The defaults treat the content as a
/// JSON object; the "whole object" classes of api.md §6.2 override both.
trait Payload: Serialize + DeserializeOwned {
    fn decode_text(object_name: &str, text: &str) -> Result<Self, ContentError> {
        serde_json::from_str(text).map_err(|e| ContentError::InvalidJson {
            object_name: object_name.to_owned(),
            reason: e.to_string(),
        })
    }

    fn encode_bytes(&self) -> Result<Vec<u8>, ContentError> {
        serde_json::to_vec(self).map_err(|e| ContentError::Encode {
            reason: e.to_string(),
        })
    }
}

/// The SDK hands non-JSON text to constructors as the raw string (api.md §5.4), so it is kept as a
/// `Value::String`.
fn json_or_string(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Inverse of [`json_or_string`]: a string goes back out as its raw text, anything else as JSON.
fn raw_or_json(value: &Value) -> Result<Vec<u8>, ContentError> {
    match value {
        Value::String(text) => Ok(text.clone().into_bytes()),
        other => serde_json::to_vec(other).map_err(|e| ContentError::Encode {
            reason: e.to_string(),
        }),
    }
}

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

        impl MessageContent {
            /// Decodes the `content` bytes of a message whose `classname` is `object_name`.
            ///
            /// The bytes are UTF-8 or CESU-8 JSON text. A built-in objectName whose JSON does not
            /// fit its type is an [`ContentError::InvalidJson`]; any other objectName always
            /// decodes, as [`Self::Unknown`] holding the parsed JSON or, if the text is not JSON,
            /// the raw string (api.md §5.4).
            pub fn decode(object_name: &str, content: &[u8]) -> Result<Self, ContentError> {
                let text = error::text(object_name, content)?;
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

impl MessageContent {
    /// The `mentionedInfo` of the types whose SDK constructor keeps it (Text, Image, Voice,
    /// Location, PublicServiceCommand; api.md §6.1), used for @-mention bookkeeping (§5.6).
    pub fn mentioned_info(&self) -> Option<&MentionedInfo> {
        match self {
            Self::Text(c) => c.mentioned_info.as_ref(),
            Self::Image(c) => c.mentioned_info.as_ref(),
            Self::Voice(c) => c.mentioned_info.as_ref(),
            Self::Location(c) => c.mentioned_info.as_ref(),
            Self::PublicServiceCommand(c) => c.mentioned_info.as_ref(),
            _ => None,
        }
    }
}

/// Content of an objectName outside the built-in table (the SDK's `UnknownMessage`).
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownContent {
    /// The objectName as received.
    pub object_name: String,
    /// The parsed JSON, or `Value::String` with the raw text when it is not JSON. On encode a
    /// `Value::String` is written as that raw text and anything else as JSON.
    pub json: Value,
}

/// The built-in type with this objectName (case-sensitive, as the SDK's lookup is).
pub fn builtin(object_name: &str) -> Option<&'static BuiltinType> {
    BUILTIN_TYPES.iter().find(|t| t.object_name == object_name)
}

/// The built-in type with this SDK class name, e.g. `TextMessage`.
pub fn builtin_by_type_name(type_name: &str) -> Option<&'static BuiltinType> {
    BUILTIN_TYPES.iter().find(|t| t.type_name == type_name)
}

/// Test helpers shared by the files of this module.
#[cfg(test)]
pub(crate) mod testing {
    use super::MessageContent;
    use serde_json::Value;

    /// Decodes `json` (compact, keys in the SDK's order) as `object_name`, checks that it encodes
    /// back to the same bytes, and that an unknown key added at the end survives too.
    pub(crate) fn round_trip(object_name: &str, json: &str) -> MessageContent {
        let content = MessageContent::decode(object_name, json.as_bytes()).unwrap();
        assert_eq!(content.object_name(), object_name);
        let out = content.encode().unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), json);
        let parsed: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed, serde_json::from_str::<Value>(json).unwrap());

        let mut extended: Value = serde_json::from_str(json).unwrap();
        if let Value::Object(map) = &mut extended {
            map.insert("zzNotModelled".into(), serde_json::json!({"k": [1, "two", null]}));
        }
        let extended = serde_json::to_string(&extended).unwrap();
        let again = MessageContent::decode(object_name, extended.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(again.encode().unwrap()).unwrap(), extended);
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builtin_table_has_every_row_of_the_spec_once() {
        assert_eq!(BUILTIN_TYPES.len(), 43);
        for (i, t) in BUILTIN_TYPES.iter().enumerate() {
            assert_eq!(builtin(t.object_name), Some(t));
            assert_eq!(builtin_by_type_name(t.type_name), Some(t));
            assert!(BUILTIN_TYPES[i + 1..].iter().all(|u| u.object_name != t.object_name));
            // Decoding an empty object gives the variant of that row.
            let c = MessageContent::decode(t.object_name, b"{}").unwrap();
            assert_eq!((c.object_name(), c.type_name(), c.tag()), (t.object_name, t.type_name, t.tag));
        }
        assert_eq!(builtin("RC:Txtmsg"), None);
        assert_eq!(builtin_by_type_name("UnknownMessage"), None);
    }

    #[test]
    fn tags_match_the_table() {
        let tag = |name| builtin(name).unwrap().tag.session_id();
        for name in ["RC:TxtMsg", "RC:ImgMsg", "RC:CombineMsg", "RCJrmf:RpOpendMsg", "RC:PSImgTxtMsg"] {
            assert_eq!(tag(name), 3, "{name}");
        }
        for name in ["RC:InfoNtf", "RC:ContactNtf", "RC:DizNtf", "RC:GrpNtf", "RC:RcCmd"] {
            assert_eq!(tag(name), 1, "{name}");
        }
        for name in ["RC:CmdMsg", "RC:TypSts", "RC:RRRspMsg", "RC:CsHs", "RC:VCModifyMem"] {
            assert_eq!(tag(name), 0, "{name}");
        }
        let counted = BUILTIN_TYPES.iter().filter(|t| t.tag.is_counted()).count();
        let persisted_only = BUILTIN_TYPES.iter().filter(|t| t.tag.session_id() == 1).count();
        assert_eq!((counted, persisted_only), (12, 7));
        assert!(BUILTIN_TYPES.iter().all(|t| t.tag.session_id() != 2));
    }

    #[test]
    fn send_only_types_are_the_three_customer_service_requests() {
        let send_only: Vec<_> =
            BUILTIN_TYPES.iter().filter(|t| t.is_send_only()).map(|t| t.object_name).collect();
        assert_eq!(send_only, ["RC:CsHs", "RC:CSCha", "RC:CsEva"]);
    }

    #[test]
    fn text_message_new_encodes_like_obtain() {
        let content = MessageContent::from(TextMessage::new("hi"));
        assert_eq!(content.encode().unwrap(), br#"{"content":"hi","extra":""}"#);
        assert_eq!(content.tag(), MessageTag::PERSISTED_COUNTED);
    }

    #[test]
    fn unknown_object_name_keeps_json_and_counts_as_unread() {
        let raw = br#"{"b":1,"a":[true]}"#;
        let content = MessageContent::decode("App:Custom", raw).unwrap();
        let MessageContent::Unknown(u) = &content else { panic!("{content:?}") };
        assert_eq!(u.json, json!({"b": 1, "a": [true]}));
        assert_eq!((content.type_name(), content.object_name()), ("UnknownMessage", "App:Custom"));
        assert_eq!(content.tag().session_id(), 3);
        assert_eq!(content.encode().unwrap(), raw);
    }

    #[test]
    fn unknown_object_name_with_non_json_text_keeps_the_raw_string() {
        let content = MessageContent::decode("App:Plain", "plain text, not {json".as_bytes()).unwrap();
        assert_eq!(
            content,
            MessageContent::Unknown(UnknownContent {
                object_name: "App:Plain".into(),
                json: Value::String("plain text, not {json".into()),
            })
        );
        assert_eq!(content.encode().unwrap(), b"plain text, not {json");
        assert!(matches!(MessageContent::decode("App:Empty", b""), Ok(MessageContent::Unknown(_))));
    }

    #[test]
    fn cesu8_emoji_in_content_decodes_to_the_real_character() {
        let mut raw = br#"{"content":"a"#.to_vec();
        raw.extend_from_slice(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]);
        raw.extend_from_slice(br#"b","extra":""}"#);
        let content = MessageContent::decode("RC:TxtMsg", &raw).unwrap();
        let MessageContent::Text(text) = &content else { panic!("{content:?}") };
        assert_eq!(text.content.as_deref(), Some("a\u{1F600}b"));
        // Re-encoded as standard UTF-8.
        assert_eq!(content.encode().unwrap(), "{\"content\":\"a😀b\",\"extra\":\"\"}".as_bytes());
    }

    #[test]
    fn bytes_that_are_not_text_are_rejected_for_every_object_name() {
        for name in ["RC:TxtMsg", "App:Custom", "RC:PSImgTxtMsg"] {
            assert_eq!(
                MessageContent::decode(name, &[0xFF, 0xFE]),
                Err(ContentError::InvalidText { object_name: name.into() })
            );
        }
    }

    #[test]
    fn wrong_json_for_a_known_type_is_a_descriptive_error() {
        let cases: [(&str, &[u8]); 5] = [
            ("RC:VcMsg", br#"{"content":"AAAA","duration":"x"}"#),
            ("RC:TxtMsg", br#"["hi",""]"#),
            ("RC:TxtMsg", b"not json"),
            ("RC:LBSMsg", br#"{"latitude":"north"}"#),
            ("RC:TxtMsg", br#"{"mentionedInfo":{"type":1,"userIdList":"u1"}}"#),
        ];
        for (name, raw) in cases {
            let err = MessageContent::decode(name, raw).unwrap_err();
            let ContentError::InvalidJson { object_name, reason } = &err else { panic!("{err:?}") };
            assert_eq!(object_name, name);
            assert!(!reason.is_empty());
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn mentioned_info_is_exposed_for_the_types_that_keep_it() {
        let raw = br#"{"content":"@all","mentionedInfo":{"type":1,"userIdList":[]}}"#;
        let content = MessageContent::decode("RC:TxtMsg", raw).unwrap();
        assert_eq!(content.mentioned_info().and_then(|m| m.r#type), Some(MentionedInfo::ALL));
        let rich = MessageContent::decode("RC:ImgTextMsg", br#"{"mentionedInfo":{"type":1}}"#);
        assert_eq!(rich.unwrap().mentioned_info(), None);
    }
}
