//! Typed message contents: the JSON carried in `UpStreamMessage.content` /
//! `DownStreamMessage.content` for every built-in objectName (api.md §6).
//!
//! [`MessageContent::decode`] turns `(classname, content bytes)` into a typed value and
//! [`MessageContent::encode`] turns it back into JSON bytes. [`JsonContent`] gives the same
//! results as a checked JSON value, from a table of each type's fields instead of code per type
//! (what the client engine uses, for the size of its wasm build). Keys a struct does not model are
//! kept in its `other` map, so decode → encode loses nothing; objectNames outside the table
//! become [`MessageContent::Unknown`]. What the SDK does *after* decoding (unread counts, receipts, the
//! customer-service and VoIP routing of api.md §5.5) is not done here.

use crate::value::Value;

/// Declares a JSON object struct: every listed field optional and omitted when `None`, keys in
/// camelCase, plus an `other` map that keeps unknown keys (api.md §6.1).
///
/// Decoding goes through one `serde_json::Value` and a handful of non-generic field readers
/// instead of a serde derive per type: the same behaviour in a fraction of the wasm size.
macro_rules! json_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : Option<$ty:ty>, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: Option<$ty>,
            )*
            /// Keys this crate does not model, in their original order; encoded after the known
            /// ones so that decode → encode keeps them.
            pub other: crate::value::Map,
        }

        impl $name {
            /// The fields, in the SDK's order, for the table-driven normalization.
            pub(crate) fn keys() -> &'static [$crate::content::field::Key] {
                const KEYS: &[$crate::content::field::Key] = &[
                    $( $crate::content::field::Key {
                        field: stringify!($field),
                        kind: <$ty as $crate::content::field::Field>::kind,
                    }, )*
                ];
                KEYS
            }
        }

        impl $crate::content::field::Field for $name {
            const KIND: $crate::content::field::Kind =
                $crate::content::field::Kind::Object(Self::keys);

            fn from_json(value: crate::value::Value) -> Result<Self, String> {
                let crate::value::Value::Object(mut map) = value else {
                    return Err("expected a JSON object".into());
                };
                Ok(Self {
                    $( $field: $crate::content::field::take(&mut map, stringify!($field))?, )*
                    other: map,
                })
            }

            fn to_json(&self) -> crate::value::Value {
                let mut map = crate::value::Map::new();
                $( $crate::content::field::put(&mut map, stringify!($field), &self.$field); )*
                map.extend(self.other.iter().map(|(k, v)| (k.clone(), v.clone())));
                crate::value::Value::Object(map)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&$crate::content::field::Field::to_json(self), s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <crate::value::Value as serde::Deserialize>::deserialize(d)?;
                $crate::content::field::Field::from_json(value).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A [`json_struct!`] that is also a message content decoded and encoded as a JSON object.
macro_rules! content_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        json_struct! { $(#[$meta])* pub struct $name { $($body)* } }
        impl super::Payload for $name {
            const KEYS: Option<fn() -> &'static [super::field::Key]> = Some(Self::keys);
        }
    };
}

mod chat;
mod common;
mod customer;
mod error;
mod field;
mod json;
mod media;
mod notify;
mod status;
mod table;
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
pub use json::JsonContent;
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
pub use table::{
    builtin, builtin_by_type_name, BuiltinType, MessageContent, SdkFields, BUILTIN_TYPES,
};
pub use voip::{
    AcceptMessage, HungupMessage, InviteMessage, MediaModifyMessage, MemberModifyMessage,
    RingingMessage, SummaryMessage,
};

/// How one content type turns text into itself and back. The defaults treat the content as a
/// JSON object; the "whole object" classes of api.md §6.2 override all three.
trait Payload: field::Field {
    /// The fields of a JSON-object content; `None` for a whole-object one.
    const KEYS: Option<fn() -> &'static [field::Key]>;

    /// The Rust field of a whole-object content, which holds the entire JSON (empty for the
    /// others).
    const WHOLE_FIELD: &'static str = "";

    fn decode_text(object_name: &str, text: &str) -> Result<Self, ContentError> {
        let invalid = |reason: String| ContentError::InvalidJson {
            object_name: object_name.to_owned(),
            reason,
        };
        let value = crate::json::parse(text).map_err(invalid)?;
        Self::from_json(value).map_err(invalid)
    }

    fn encode_bytes(&self) -> Result<Vec<u8>, ContentError> {
        Ok(crate::json_out::text(&self.to_json()).into_bytes())
    }

    fn to_value(&self) -> Result<Value, ContentError> {
        Ok(self.to_json())
    }
}

/// The SDK hands non-JSON text to constructors as the raw string (api.md §5.4), so it is kept as a
/// `Value::String`.
fn json_or_string(text: &str) -> Value {
    crate::json::parse(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Inverse of [`json_or_string`]: a string goes back out as its raw text, anything else as JSON.
/// A string whose raw text would itself parse as JSON (it came from a JSON string such as `"12"`)
/// keeps its quotes, so decoding the output gives the same value back.
fn raw_or_json(value: &Value) -> Result<Vec<u8>, ContentError> {
    match value {
        Value::String(text) if crate::json::parse(text).is_err() => Ok(text.clone().into_bytes()),
        other => Ok(crate::json_out::text(other).into_bytes()),
    }
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
            map.insert(
                "zzNotModelled".into(),
                serde_json::json!({"k": [1, "two", null]}),
            );
        }
        let extended = serde_json::to_string(&extended).unwrap();
        let again = MessageContent::decode(object_name, extended.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(again.encode().unwrap()).unwrap(),
            extended
        );
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use crate::tag::MessageTag;

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
        let MessageContent::Unknown(u) = &content else {
            panic!("{content:?}")
        };
        assert_eq!(u.json, json!({"b": 1, "a": [true]}));
        assert_eq!(
            (content.type_name(), content.object_name()),
            ("UnknownMessage", "App:Custom")
        );
        assert_eq!(content.tag().session_id(), 3);
        assert_eq!(content.encode().unwrap(), raw);
    }

    #[test]
    fn unknown_object_name_with_non_json_text_keeps_the_raw_string() {
        let content =
            MessageContent::decode("App:Plain", "plain text, not {json".as_bytes()).unwrap();
        assert_eq!(
            content,
            MessageContent::Unknown(UnknownContent {
                object_name: "App:Plain".into(),
                json: Value::String("plain text, not {json".into()),
            })
        );
        assert_eq!(content.encode().unwrap(), b"plain text, not {json");
        assert!(matches!(
            MessageContent::decode("App:Empty", b""),
            Ok(MessageContent::Unknown(_))
        ));
    }

    #[test]
    fn long_float_mantissas_re_encode_stably() {
        // Fuzz regression: a 35-digit number once drifted in its last digit between the first and
        // second re-encoding, because floats were parsed with best-effort precision.
        let body = "2".repeat(35);
        let first = MessageContent::decode("X:Num", body.as_bytes())
            .unwrap()
            .encode()
            .unwrap();
        let second = MessageContent::decode("X:Num", &first)
            .unwrap()
            .encode()
            .unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn to_value_equals_the_parsed_encoding_for_every_kind() {
        let samples: [(&str, &[u8]); 4] = [
            ("RC:TxtMsg", br#"{"content":"hi","extra":"","x":1}"#),
            ("RC:PSImgTxtMsg", br#"{"title":"t"}"#),
            ("App:Custom", br#"{"a":[1,2]}"#),
            ("App:Raw", b"not json"),
        ];
        for (name, bytes) in samples {
            let c = MessageContent::decode(name, bytes).unwrap();
            let expected = match serde_json::from_slice::<Value>(&c.encode().unwrap()) {
                Ok(v) => v,
                Err(_) => Value::String(String::from_utf8(bytes.to_vec()).unwrap()),
            };
            assert_eq!(c.to_value().unwrap(), expected, "{name}");
        }
    }

    #[test]
    fn a_top_level_json_string_keeps_its_quotes() {
        // Fuzz regression: `"3111"` decoded to the string 3111, re-encoded unquoted, and then
        // decoded as a number.
        let c = MessageContent::decode("X:Str", br#""3111""#).unwrap();
        assert_eq!(c.encode().unwrap(), br#""3111""#);
        let plain = MessageContent::decode("X:Str", b"not json").unwrap();
        assert_eq!(plain.encode().unwrap(), b"not json");
    }

    #[test]
    fn cesu8_emoji_in_content_decodes_to_the_real_character() {
        let mut raw = br#"{"content":"a"#.to_vec();
        raw.extend_from_slice(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]);
        raw.extend_from_slice(br#"b","extra":""}"#);
        let content = MessageContent::decode("RC:TxtMsg", &raw).unwrap();
        let MessageContent::Text(text) = &content else {
            panic!("{content:?}")
        };
        assert_eq!(text.content.as_deref(), Some("a\u{1F600}b"));
        // Re-encoded as standard UTF-8.
        assert_eq!(
            content.encode().unwrap(),
            "{\"content\":\"a😀b\",\"extra\":\"\"}".as_bytes()
        );
    }

    #[test]
    fn bytes_that_are_not_text_are_rejected_for_every_object_name() {
        for name in ["RC:TxtMsg", "App:Custom", "RC:PSImgTxtMsg"] {
            assert_eq!(
                MessageContent::decode(name, &[0xFF, 0xFE]),
                Err(ContentError::InvalidText {
                    object_name: name.into()
                })
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
            (
                "RC:TxtMsg",
                br#"{"mentionedInfo":{"type":1,"userIdList":"u1"}}"#,
            ),
        ];
        for (name, raw) in cases {
            let err = MessageContent::decode(name, raw).unwrap_err();
            let ContentError::InvalidJson {
                object_name,
                reason,
            } = &err
            else {
                panic!("{err:?}")
            };
            assert_eq!(object_name, name);
            assert!(!reason.is_empty());
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn mentioned_info_is_exposed_for_the_types_that_keep_it() {
        let raw = br#"{"content":"@all","mentionedInfo":{"type":1,"userIdList":[]}}"#;
        let content = MessageContent::decode("RC:TxtMsg", raw).unwrap();
        assert_eq!(
            content.mentioned_info().and_then(|m| m.r#type),
            Some(MentionedInfo::ALL)
        );
        let rich = MessageContent::decode("RC:ImgTextMsg", br#"{"mentionedInfo":{"type":1}}"#);
        assert_eq!(rich.unwrap().mentioned_info(), None);
    }
}
