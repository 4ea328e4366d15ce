//! Sub-objects shared by several contents: `user`, `mentionedInfo`, `menuItem` (api.md §6.1, §6.2).

use crate::value::Value;

json_struct! {
    /// The `user` sub-object: the sender as the sending app describes it (api.md §6.1). The SDK
    /// copies it verbatim, so extra keys such as `extra` survive in `other`.
    pub struct UserInfo {
        /// `id`: the user id.
        pub id: Option<String>,
        /// `name`: display name.
        pub name: Option<String>,
        /// `portraitUri`: avatar URL.
        pub portrait_uri: Option<String>,
    }
}

impl UserInfo {
    /// A user with id, name and avatar URL.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        portrait_uri: impl Into<String>,
    ) -> Self {
        Self {
            id: Some(id.into()),
            name: Some(name.into()),
            portrait_uri: Some(portrait_uri.into()),
            other: Default::default(),
        }
    }
}

json_struct! {
    /// The `mentionedInfo` sub-object of an @-message (api.md §6.1). Every key is optional so that
    /// a sloppy sender's message still decodes, as it does in the SDK.
    pub struct MentionedInfo {
        /// `type`: [`MentionedInfo::ALL`] (1) or [`MentionedInfo::PART`] (2).
        pub r#type: Option<i64>,
        /// `userIdList`: the users mentioned (used with `PART`).
        pub user_id_list: Option<Vec<String>>,
        /// `mentionedContent`: push text for the mentioned users.
        pub mentioned_content: Option<String>,
    }
}

impl MentionedInfo {
    /// `MentionedType.ALL`: everyone in the group or discussion.
    pub const ALL: i64 = 1;
    /// `MentionedType.PART`: the users in `userIdList`.
    pub const PART: i64 = 2;

    /// Mentions everyone (`{"type":1,"userIdList":[]}`).
    pub fn all() -> Self {
        Self {
            r#type: Some(Self::ALL),
            user_id_list: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// Mentions the given users (`{"type":2,"userIdList":[…]}`).
    pub fn part<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            r#type: Some(Self::PART),
            user_id_list: Some(user_ids.into_iter().map(Into::into).collect()),
            ..Self::default()
        }
    }

    /// The mentioned user ids (empty when absent).
    pub fn user_ids(&self) -> &[String] {
        self.user_id_list.as_deref().unwrap_or_default()
    }
}

json_struct! {
    /// A public-service menu entry, as sent in `RC:PSCmd.menuItem` (api.md §6.2).
    pub struct PublicServiceMenuItem {
        /// `id`: menu item id.
        pub id: Option<String>,
        /// `name`: label.
        pub name: Option<String>,
        /// `type`: kind of item. Kept as any JSON: the SDK declares it with the wrong enum
        /// (`ConversationType`) and never reads it.
        pub r#type: Option<Value>,
        /// `sunMenuItems` (sic): sub-menu entries.
        pub sun_menu_items: Option<Vec<PublicServiceMenuItem>>,
        /// `url`: link of a "view" item.
        pub url: Option<String>,
    }
}

/// Normalizes a `data` value the way the SDK's `CommandMessage`, `CommandNotificationMessage` and
/// `ProfileNotificationMessage` constructors do: a string holding JSON becomes that JSON, anything
/// else is unchanged (api.md §8.2 item 15).
pub fn parse_sdk_data(data: Value) -> Value {
    match data {
        Value::String(text) => crate::json::parse(&text).unwrap_or(Value::String(text)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn user_info_keeps_extra_keys_in_order() {
        let raw =
            r#"{"id":"u1","name":"Ann","portraitUri":"https://x/a.png","extra":"vip","age":3}"#;
        let user: UserInfo = serde_json::from_str(raw).unwrap();
        assert_eq!(user.id.as_deref(), Some("u1"));
        assert_eq!(user.portrait_uri.as_deref(), Some("https://x/a.png"));
        assert_eq!(user.other.get("extra"), Some(&json!("vip")));
        assert_eq!(serde_json::to_string(&user).unwrap(), raw);
        let built = UserInfo::new("u1", "Ann", "https://x/a.png");
        assert_eq!(
            serde_json::to_string(&built).unwrap(),
            raw.replace(r#","extra":"vip","age":3"#, "")
        );
    }

    #[test]
    fn mentioned_info_constructors_and_defaults() {
        assert_eq!(
            serde_json::to_value(MentionedInfo::all()).unwrap(),
            serde_json::json!({"type":1,"userIdList":[]})
        );
        let part = MentionedInfo::part(["u1", "u2"]);
        assert_eq!(part.user_ids(), ["u1", "u2"]);
        assert_eq!(
            serde_json::to_string(&part).unwrap(),
            r#"{"type":2,"userIdList":["u1","u2"]}"#
        );
        let partial: MentionedInfo = serde_json::from_str(r#"{"type":1}"#).unwrap();
        assert_eq!((partial.r#type, partial.user_ids().len()), (Some(1), 0));
        let full: MentionedInfo =
            serde_json::from_str(r#"{"type":2,"userIdList":["u3"],"mentionedContent":"@you"}"#)
                .unwrap();
        assert_eq!(full.mentioned_content.as_deref(), Some("@you"));
    }

    #[test]
    fn menu_items_nest_and_keep_any_type_value() {
        let raw = r#"{"id":"m1","name":"More","type":"GROUP","sunMenuItems":[{"id":"m2","name":"Site","type":1,"url":"https://x"}]}"#;
        let item: PublicServiceMenuItem = serde_json::from_str(raw).unwrap();
        let subs = item.sun_menu_items.as_deref().unwrap();
        assert_eq!(subs[0].url.as_deref(), Some("https://x"));
        assert_eq!(subs[0].r#type, Some(json!(1)));
        assert_eq!(serde_json::to_string(&item).unwrap(), raw);
    }

    #[test]
    fn sdk_data_parsing_only_touches_json_strings() {
        assert_eq!(parse_sdk_data(json!(r#"{"a":1}"#)), json!({"a": 1}));
        assert_eq!(parse_sdk_data(json!("plain")), json!("plain"));
        assert_eq!(parse_sdk_data(json!("12")), json!(12));
        assert_eq!(parse_sdk_data(json!({"b": "{}"})), json!({"b": "{}"}));
    }
}
