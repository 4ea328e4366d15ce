//! Counted chat contents: text, rich content, location, combined forward, and the "whole object"
//! classes (public-service articles, Jrmf red packets) of api.md §6.2. Keys are declared in the
//! order the SDK constructor assigns them, which is the order `encode()` emits (§6.1).

use super::{json_or_string, raw_or_json, ContentError, MentionedInfo, Payload, UserInfo};
use crate::value::{Number, Value};

content_struct! {
    /// `RC:TxtMsg`: a text message.
    pub struct TextMessage {
        /// `content`: the text.
        pub content: Option<String>,
        /// `extra`: free app data (`obtain` sets `""`).
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
        /// `mentionedInfo`: @-mentions.
        pub mentioned_info: Option<MentionedInfo>,
    }
}

impl TextMessage {
    /// A text message as `TextMessage.obtain(text)` builds it: `{"content":…,"extra":""}`.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            extra: Some(String::new()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:ImgTextMsg`: a rich-content (title, text, image, link) message. The SDK declares
    /// `mentionedInfo` but drops it, so here it lands in `other`.
    pub struct RichContentMessage {
        /// `title`.
        pub title: Option<String>,
        /// `content`: summary text.
        pub content: Option<String>,
        /// `imageUri`: picture URL.
        pub image_uri: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `url`: link target.
        pub url: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl RichContentMessage {
    /// As `RichContentMessage.obtain(title, content, imageUri, url)`, with `extra` `""`.
    pub fn new(
        title: impl Into<String>,
        content: impl Into<String>,
        image_uri: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self {
            title: Some(title.into()),
            content: Some(content.into()),
            image_uri: Some(image_uri.into()),
            extra: Some(String::new()),
            url: Some(url.into()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:LBSMsg`: a location.
    pub struct LocationMessage {
        /// `latitude` in degrees, as its JSON text.
        pub latitude: Option<Number>,
        /// `longitude` in degrees, as its JSON text.
        pub longitude: Option<Number>,
        /// `poi`: place name.
        pub poi: Option<String>,
        /// `content`: base64 map thumbnail.
        pub content: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
        /// `mentionedInfo`: @-mentions.
        pub mentioned_info: Option<MentionedInfo>,
    }
}

impl LocationMessage {
    /// As `LocationMessage.obtain(latitude, longitude, poi, content)`, with `extra` `""`.
    pub fn new(
        latitude: f64,
        longitude: f64,
        poi: impl Into<String>,
        content: impl Into<String>,
    ) -> Self {
        Self {
            latitude: Number::from_f64(latitude),
            longitude: Number::from_f64(longitude),
            poi: Some(poi.into()),
            content: Some(content.into()),
            extra: Some(String::new()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:CombineMsg`: forwarded messages combined into one HTML file at `remoteUrl`. `extra` is
    /// declared by the SDK but never copied, so it lands in `other`.
    pub struct RCCombineMessage {
        /// `nameList`: names of the original senders.
        pub name_list: Option<Vec<String>>,
        /// `remoteUrl`: URL of the combined file.
        pub remote_url: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
        /// `summaryList`: preview lines.
        pub summary_list: Option<Vec<String>>,
    }
}

/// Declares a "whole object" content: the SDK keeps the entire decoded JSON (or the raw string
/// when it is not JSON) and we re-encode it unchanged (api.md §6.2).
macro_rules! whole_object {
    ($(#[$meta:meta])* $name:ident { $(#[$fmeta:meta])* $field:ident }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name {
            $(#[$fmeta])*
            pub $field: Value,
        }

        impl super::field::Field for $name {
            const KIND: super::field::Kind = super::field::Kind::Any;

            fn from_json(value: Value) -> Result<Self, String> {
                Ok(Self { $field: value })
            }

            fn to_json(&self) -> Value {
                self.$field.clone()
            }
        }

        impl Payload for $name {
            const KEYS: Option<fn() -> &'static [super::field::Key]> = None;
            const WHOLE_FIELD: &'static str = stringify!($field);

            fn decode_text(_object_name: &str, text: &str) -> Result<Self, ContentError> {
                Ok(Self { $field: json_or_string(text) })
            }

            fn encode_bytes(&self) -> Result<Vec<u8>, ContentError> {
                raw_or_json(&self.$field)
            }

            fn to_value(&self) -> Result<Value, ContentError> {
                Ok(self.$field.clone())
            }
        }
    };
}

whole_object! {
    /// `RC:PSImgTxtMsg`: a public-service article, opaque to the SDK.
    PublicServiceRichContentMessage {
        /// `richContentMessage`: the whole content JSON (a `Value::String` if it was not JSON).
        rich_content_message
    }
}

whole_object! {
    /// `RC:PSMultiImgTxtMsg`: several public-service articles, opaque to the SDK (which cannot
    /// send it: its `encode()` returns null).
    PublicServiceMultiRichContentMessage {
        /// `richContentMessages`: the whole content JSON (a `Value::String` if it was not JSON).
        rich_content_messages
    }
}

whole_object! {
    /// `RCJrmf:RpMsg`: a Jrmf red packet, opaque to the SDK.
    JrmfRedPacketMessage {
        /// `message`: the whole content JSON (a `Value::String` if it was not JSON).
        message
    }
}

whole_object! {
    /// `RCJrmf:RpOpendMsg` (sic): a Jrmf red packet was opened; opaque to the SDK.
    JrmfRedPacketOpenedMessage {
        /// `message`: the whole content JSON (a `Value::String` if it was not JSON).
        message
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::round_trip;
    use super::super::MessageContent;
    use super::*;
    use crate::json;

    #[test]
    fn text_with_user_and_mention() {
        let raw = r#"{"content":"hi @Bob","extra":"x","user":{"id":"u1","name":"Ann","portraitUri":"p"},"mentionedInfo":{"type":2,"userIdList":["u2"],"mentionedContent":"Ann @you"}}"#;
        let MessageContent::Text(t) = round_trip("RC:TxtMsg", raw) else {
            panic!()
        };
        assert_eq!(t.content.as_deref(), Some("hi @Bob"));
        assert_eq!(t.user.unwrap().name.as_deref(), Some("Ann"));
        let m = t.mentioned_info.unwrap();
        assert_eq!(
            (m.r#type, m.user_ids()),
            (Some(MentionedInfo::PART), &["u2".to_string()][..])
        );
        round_trip("RC:TxtMsg", r#"{"content":"hi","extra":""}"#);
    }

    #[test]
    fn rich_content_drops_nothing() {
        let raw = r#"{"title":"T","content":"C","imageUri":"https://x/i.png","extra":"","url":"https://x","user":{"id":"u1"},"mentionedInfo":{"type":1}}"#;
        let MessageContent::RichContent(r) = round_trip("RC:ImgTextMsg", raw) else {
            panic!()
        };
        assert_eq!(
            (r.title.as_deref(), r.url.as_deref()),
            (Some("T"), Some("https://x"))
        );
        assert_eq!(r.other.get("mentionedInfo"), Some(&json!({"type": 1})));
        let built = RichContentMessage::new("T", "C", "https://x/i.png", "https://x");
        let bytes = MessageContent::from(built).encode().unwrap();
        assert_eq!(bytes, br#"{"title":"T","content":"C","imageUri":"https://x/i.png","extra":"","url":"https://x"}"#);
    }

    #[test]
    fn location_keeps_fractional_coordinates() {
        let raw = r#"{"latitude":39.9042,"longitude":116.4074,"poi":"Tiananmen","content":"iVBORw0KGgo=","extra":""}"#;
        let MessageContent::Location(l) = round_trip("RC:LBSMsg", raw) else {
            panic!()
        };
        let degrees = |n: Option<Number>| n.and_then(|n| n.as_f64());
        assert_eq!(
            (degrees(l.latitude), degrees(l.longitude)),
            (Some(39.9042), Some(116.4074))
        );
        assert_eq!(l.poi.as_deref(), Some("Tiananmen"));
        // Integral degrees are numbers too.
        let MessageContent::Location(l) =
            MessageContent::decode("RC:LBSMsg", br#"{"latitude":40,"longitude":-3}"#).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            (degrees(l.latitude), degrees(l.longitude)),
            (Some(40.0), Some(-3.0))
        );
        let built = MessageContent::from(LocationMessage::new(1.5, 2.25, "here", "AA=="));
        assert_eq!(
            built.encode().unwrap(),
            br#"{"latitude":1.5,"longitude":2.25,"poi":"here","content":"AA==","extra":""}"#
        );
    }

    #[test]
    fn combine_lists() {
        let raw = r#"{"nameList":["Ann","Bob"],"remoteUrl":"https://x/c.html","user":{"id":"u1"},"summaryList":["Ann: hi","Bob: yo"],"extra":""}"#;
        let MessageContent::Combine(c) = round_trip("RC:CombineMsg", raw) else {
            panic!()
        };
        assert_eq!(c.name_list.as_deref().map(<[String]>::len), Some(2));
        assert_eq!(c.remote_url.as_deref(), Some("https://x/c.html"));
        assert_eq!(c.summary_list.unwrap()[1], "Bob: yo");
        assert_eq!(c.other.get("extra"), Some(&json!("")));
    }

    #[test]
    fn public_service_articles_are_kept_whole() {
        let raw = r#"{"title":"News","digest":"d","picurl":"https://x/p.jpg","url":"https://x/a","author":"ps1"}"#;
        let MessageContent::PublicServiceRichContent(p) = round_trip("RC:PSImgTxtMsg", raw) else {
            panic!()
        };
        assert_eq!(p.rich_content_message["title"], "News");
        let raw =
            r#"{"articles":[{"title":"A","url":"https://x/1"},{"title":"B","url":"https://x/2"}]}"#;
        let MessageContent::PublicServiceMultiRichContent(m) =
            round_trip("RC:PSMultiImgTxtMsg", raw)
        else {
            panic!()
        };
        assert_eq!(m.rich_content_messages["articles"][1]["title"], "B");
        // An array, or text that is not JSON, is kept too.
        round_trip("RC:PSMultiImgTxtMsg", r#"[{"title":"A"},{"title":"B"}]"#);
        let odd = MessageContent::decode("RC:PSImgTxtMsg", b"<b>hi</b>").unwrap();
        assert_eq!(odd.encode().unwrap(), b"<b>hi</b>");
    }

    #[test]
    fn red_packets_are_kept_whole() {
        let raw = r#"{"Bribery_ID":"rp1","Bribery_Name":"Luck","Bribery_Message":"Happy new year","money":"8.88"}"#;
        let MessageContent::JrmfRedPacket(r) = round_trip("RCJrmf:RpMsg", raw) else {
            panic!()
        };
        assert_eq!(r.message["Bribery_ID"], "rp1");
        let raw = r#"{"sendPacketId":"u1","openPacketId":"u2","bribery_ID":"rp1","isGetDone":"1"}"#;
        let MessageContent::JrmfRedPacketOpened(o) = round_trip("RCJrmf:RpOpendMsg", raw) else {
            panic!()
        };
        assert_eq!(o.message["openPacketId"], "u2");
    }
}
