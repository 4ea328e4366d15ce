//! Counted media contents: image, voice, HQ voice, file (api.md §6.2). Keys are declared in the
//! order the SDK constructor assigns them, which is the order `encode()` emits (§6.1).

use super::{MentionedInfo, UserInfo};

content_struct! {
    /// `RC:ImgMsg`: an image with an inline thumbnail.
    pub struct ImageMessage {
        /// `content`: base64 JPEG thumbnail, without a `data:` prefix.
        pub content: Option<String>,
        /// `imageUri`: URL of the full image.
        pub image_uri: Option<String>,
        /// `extra`: free app data (the SDK keeps it only when non-empty).
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
        /// `mentionedInfo`: @-mentions.
        pub mentioned_info: Option<MentionedInfo>,
    }
}

impl ImageMessage {
    /// As `ImageMessage.obtain(content, imageUri)`. Its `extra: ""` is dropped by the constructor
    /// (only truthy values are kept), so none is set.
    pub fn new(content: impl Into<String>, image_uri: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            image_uri: Some(image_uri.into()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:VcMsg`: a voice clip carried inline.
    pub struct VoiceMessage {
        /// `content`: base64 AMR audio.
        pub content: Option<String>,
        /// `duration` in seconds.
        pub duration: Option<i64>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
        /// `mentionedInfo`: @-mentions.
        pub mentioned_info: Option<MentionedInfo>,
    }
}

impl VoiceMessage {
    /// As `VoiceMessage.obtain(base64Content, duration)`, with `extra` `""`.
    pub fn new(content: impl Into<String>, duration: i64) -> Self {
        Self {
            content: Some(content.into()),
            duration: Some(duration),
            extra: Some(String::new()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:HQVCMsg`: a high-quality voice clip stored at a URL.
    pub struct HQVoiceMessage {
        /// `type`: audio format (the SDK defaults it to `"aac"`).
        pub r#type: Option<String>,
        /// `localPath`: path on the sender's device.
        pub local_path: Option<String>,
        /// `remoteUrl`: URL of the audio file.
        pub remote_url: Option<String>,
        /// `duration` in seconds.
        pub duration: Option<i64>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl HQVoiceMessage {
    /// An AAC clip at `remote_url`, as the SDK constructor builds it (`type` `"aac"`).
    pub fn new(remote_url: impl Into<String>, duration: i64) -> Self {
        Self {
            r#type: Some("aac".to_owned()),
            remote_url: Some(remote_url.into()),
            duration: Some(duration),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:FileMsg`: a file stored at a URL.
    pub struct FileMessage {
        /// `name`: file name.
        pub name: Option<String>,
        /// `size` in bytes (the SDK drops a size of 0).
        pub size: Option<i64>,
        /// `type`: file extension, e.g. `"pdf"`.
        pub r#type: Option<String>,
        /// `fileUrl`: download URL.
        pub file_url: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl FileMessage {
    /// As `FileMessage.obtain({name, size, type, fileUrl})`.
    pub fn new(
        name: impl Into<String>,
        size: i64,
        file_type: impl Into<String>,
        file_url: impl Into<String>,
    ) -> Self {
        Self {
            name: Some(name.into()),
            size: Some(size),
            r#type: Some(file_type.into()),
            file_url: Some(file_url.into()),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::round_trip;
    use super::super::MessageContent;
    use super::*;

    #[test]
    fn image_with_thumbnail_and_mention() {
        let raw = r#"{"content":"/9j/4AAQSkZJRg==","imageUri":"https://x/i.jpg","extra":"e","user":{"id":"u1"},"mentionedInfo":{"type":1,"userIdList":[]}}"#;
        let MessageContent::Image(i) = round_trip("RC:ImgMsg", raw) else {
            panic!()
        };
        assert_eq!(i.content.as_deref(), Some("/9j/4AAQSkZJRg=="));
        assert_eq!(i.image_uri.as_deref(), Some("https://x/i.jpg"));
        assert_eq!(i.mentioned_info.and_then(|m| m.r#type), Some(1));
        let built = MessageContent::from(ImageMessage::new("AA==", "https://x/i.jpg"));
        assert_eq!(
            built.encode().unwrap(),
            br#"{"content":"AA==","imageUri":"https://x/i.jpg"}"#
        );
    }

    #[test]
    fn voice_with_duration() {
        let raw = r#"{"content":"IyFBTVIK","duration":7,"extra":""}"#;
        let MessageContent::Voice(v) = round_trip("RC:VcMsg", raw) else {
            panic!()
        };
        assert_eq!(
            (v.content.as_deref(), v.duration),
            (Some("IyFBTVIK"), Some(7))
        );
        assert_eq!(
            MessageContent::from(VoiceMessage::new("IyFBTVIK", 7))
                .encode()
                .unwrap(),
            raw.as_bytes()
        );
    }

    #[test]
    fn hq_voice_with_url() {
        let raw = r#"{"type":"aac","localPath":"/tmp/a.aac","remoteUrl":"https://x/a.aac","duration":12,"extra":"e","user":{"id":"u1","name":"Ann"}}"#;
        let MessageContent::HQVoice(v) = round_trip("RC:HQVCMsg", raw) else {
            panic!()
        };
        assert_eq!(v.r#type.as_deref(), Some("aac"));
        assert_eq!(
            (v.remote_url.as_deref(), v.duration),
            (Some("https://x/a.aac"), Some(12))
        );
        assert_eq!(v.local_path.as_deref(), Some("/tmp/a.aac"));
        let built = MessageContent::from(HQVoiceMessage::new("https://x/a.aac", 12));
        assert_eq!(
            built.encode().unwrap(),
            br#"{"type":"aac","remoteUrl":"https://x/a.aac","duration":12}"#
        );
    }

    #[test]
    fn file_with_size_and_extension() {
        let raw = r#"{"name":"report.pdf","size":204800,"type":"pdf","fileUrl":"https://x/r.pdf","extra":"e","user":{"id":"u1"}}"#;
        let MessageContent::File(f) = round_trip("RC:FileMsg", raw) else {
            panic!()
        };
        assert_eq!(
            (f.name.as_deref(), f.size),
            (Some("report.pdf"), Some(204_800))
        );
        assert_eq!(
            (f.r#type.as_deref(), f.file_url.as_deref()),
            (Some("pdf"), Some("https://x/r.pdf"))
        );
        let built = FileMessage::new("report.pdf", 204_800, "pdf", "https://x/r.pdf");
        assert_eq!(
            MessageContent::from(built).encode().unwrap(),
            br#"{"name":"report.pdf","size":204800,"type":"pdf","fileUrl":"https://x/r.pdf"}"#
        );
    }

    #[test]
    fn fractional_duration_is_rejected_not_truncated() {
        let err = MessageContent::decode("RC:HQVCMsg", br#"{"duration":1.5}"#).unwrap_err();
        assert!(err.to_string().contains("RC:HQVCMsg"), "{err}");
    }
}
