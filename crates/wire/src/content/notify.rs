//! Notifications (persisted, not counted: tag 1) and `RC:CmdMsg` (tag 0), api.md §6.2. Keys are
//! declared in the order the SDK constructor assigns them, which is the order `encode()` emits.

use super::{parse_sdk_data, UserInfo};
use crate::value::Value;

content_struct! {
    /// `RC:InfoNtf`: a grey informational line in the conversation.
    pub struct InformationNotificationMessage {
        /// `message`: the text shown.
        pub message: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl InformationNotificationMessage {
    /// As `InformationNotificationMessage.obtain(message)`, with `extra` `""`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: Some(message.into()),
            extra: Some(String::new()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:ContactNtf`: a friend request or its answer.
    pub struct ContactNotificationMessage {
        /// `operation`: one of the `OPERATION_*` constants.
        pub operation: Option<String>,
        /// `targetUserId`: the user asked.
        pub target_user_id: Option<String>,
        /// `message`: request text.
        pub message: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `sourceUserId`: the user asking.
        pub source_user_id: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl ContactNotificationMessage {
    /// `operation` of a friend request.
    pub const OPERATION_REQUEST: &'static str = "ContactOperationRequest";
    /// `operation` of an accepted request.
    pub const OPERATION_ACCEPT_RESPONSE: &'static str = "ContactOperationAcceptResponse";
    /// `operation` of a rejected request.
    pub const OPERATION_REJECT_RESPONSE: &'static str = "ContactOperationRejectResponse";
}

content_struct! {
    /// `RC:ProfileNtf`: a profile changed.
    pub struct ProfileNotificationMessage {
        /// `operation`: what changed.
        pub operation: Option<String>,
        /// `data`: any JSON (the SDK parses a JSON string into an object; see [`parse_sdk_data`]).
        pub data: Option<Value>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl ProfileNotificationMessage {
    /// As `ProfileNotificationMessage.obtain(operation, data)`; a JSON string `data` is parsed.
    pub fn new(operation: impl Into<String>, data: impl Into<Value>) -> Self {
        Self {
            operation: Some(operation.into()),
            data: Some(parse_sdk_data(data.into())),
            ..Self::default()
        }
    }

    /// `data` as the SDK constructor leaves it (a JSON string parsed into its value).
    pub fn parsed_data(&self) -> Option<Value> {
        self.data.clone().map(parse_sdk_data)
    }
}

content_struct! {
    /// `RC:CmdNtf`: a command that is also stored.
    pub struct CommandNotificationMessage {
        /// `data`: any JSON (the SDK parses a JSON string into an object; see [`parse_sdk_data`]).
        pub data: Option<Value>,
        /// `name`: command name.
        pub name: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl CommandNotificationMessage {
    /// As `CommandNotificationMessage.obtain(name, data)`, with `extra` `""`; a JSON string
    /// `data` is parsed.
    pub fn new(name: impl Into<String>, data: impl Into<Value>) -> Self {
        Self {
            data: Some(parse_sdk_data(data.into())),
            name: Some(name.into()),
            extra: Some(String::new()),
            ..Self::default()
        }
    }

    /// `data` as the SDK constructor leaves it (a JSON string parsed into its value).
    pub fn parsed_data(&self) -> Option<Value> {
        self.data.clone().map(parse_sdk_data)
    }
}

content_struct! {
    /// `RC:DizNtf`: a discussion changed (members, name, invite setting).
    pub struct DiscussionNotificationMessage {
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `extension`: operation argument, e.g. the user ids added.
        pub extension: Option<String>,
        /// `type`: notification kind (number).
        pub r#type: Option<i64>,
        /// `isHasReceived` (sic).
        pub is_has_received: Option<bool>,
        /// `operation`: what happened.
        pub operation: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

content_struct! {
    /// `RC:GrpNtf`: a group changed. It has no `user`.
    pub struct GroupNotificationMessage {
        /// `operatorUserId`: who did it.
        pub operator_user_id: Option<String>,
        /// `operation`: what happened, e.g. `"Add"`, `"Kicked"`, `"Rename"`.
        pub operation: Option<String>,
        /// `data`: any JSON describing the change.
        pub data: Option<Value>,
        /// `message`: display text.
        pub message: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
    }
}

content_struct! {
    /// `RC:RcCmd`: recall of a message; sent on topic `recallMsg` (api.md §3.2, §8.1 item 6).
    pub struct RecallCommandMessage {
        /// `messageUId` of the recalled message.
        pub message_uid: Option<String>,
        /// `conversationType` of the recalled message.
        pub conversation_type: Option<i64>,
        /// `targetId`: the conversation target.
        pub target_id: Option<String>,
        /// `sentTime` of the recalled message (ms).
        pub sent_time: Option<i64>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

impl RecallCommandMessage {
    /// Recall of the message `message_uid` sent at `sent_time` in conversation
    /// (`conversation_type`, `target_id`).
    pub fn new(
        message_uid: impl Into<String>,
        conversation_type: i64,
        target_id: impl Into<String>,
        sent_time: i64,
    ) -> Self {
        Self {
            message_uid: Some(message_uid.into()),
            conversation_type: Some(conversation_type),
            target_id: Some(target_id.into()),
            sent_time: Some(sent_time),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:CmdMsg`: an app command, neither stored nor counted.
    pub struct CommandMessage {
        /// `data`: any JSON (the SDK parses a JSON string into an object; see [`parse_sdk_data`]).
        pub data: Option<Value>,
        /// `name`: command name.
        pub name: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
    }
}

impl CommandMessage {
    /// A command with `extra` `""` as `obtain` sets it; a JSON string `data` is parsed, so
    /// `"{\"a\":1}"` is sent as the object `{"a":1}` like the SDK does (api.md §6.2).
    pub fn new(name: impl Into<String>, data: impl Into<Value>) -> Self {
        Self {
            data: Some(parse_sdk_data(data.into())),
            name: Some(name.into()),
            extra: Some(String::new()),
            ..Self::default()
        }
    }

    /// `data` as the SDK constructor leaves it (a JSON string parsed into its value).
    pub fn parsed_data(&self) -> Option<Value> {
        self.data.clone().map(parse_sdk_data)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::round_trip;
    use super::super::MessageContent;
    use super::*;
    use crate::json;

    #[test]
    fn information_notification() {
        let raw = r#"{"message":"Ann joined","extra":"","user":{"id":"u1"}}"#;
        let MessageContent::InformationNotification(n) = round_trip("RC:InfoNtf", raw) else {
            panic!()
        };
        assert_eq!(n.message.as_deref(), Some("Ann joined"));
        let built = MessageContent::from(InformationNotificationMessage::new("Ann joined"));
        assert_eq!(
            built.encode().unwrap(),
            br#"{"message":"Ann joined","extra":""}"#
        );
    }

    #[test]
    fn contact_notification() {
        let raw = r#"{"operation":"ContactOperationRequest","targetUserId":"u2","message":"add me","extra":"","sourceUserId":"u1"}"#;
        let MessageContent::ContactNotification(n) = round_trip("RC:ContactNtf", raw) else {
            panic!()
        };
        assert_eq!(
            n.operation.as_deref(),
            Some(ContactNotificationMessage::OPERATION_REQUEST)
        );
        assert_eq!(
            (n.source_user_id.as_deref(), n.target_user_id.as_deref()),
            (Some("u1"), Some("u2"))
        );
    }

    #[test]
    fn profile_notification_with_object_data() {
        let raw = r#"{"operation":"Update","data":{"name":"Ann B"},"extra":"","user":{"id":"u1"}}"#;
        let MessageContent::ProfileNotification(n) = round_trip("RC:ProfileNtf", raw) else {
            panic!()
        };
        assert_eq!(n.data, Some(json!({"name": "Ann B"})));
        let built = ProfileNotificationMessage::new("Update", r#"{"name":"Ann B"}"#);
        assert_eq!(built.data, Some(json!({"name": "Ann B"})));
    }

    #[test]
    fn command_notification_keeps_string_data_until_asked() {
        let raw = r#"{"data":"{\"k\":2}","name":"refresh","extra":""}"#;
        let MessageContent::CommandNotification(n) = round_trip("RC:CmdNtf", raw) else {
            panic!()
        };
        assert_eq!(n.data, Some(json!("{\"k\":2}")));
        assert_eq!(n.parsed_data(), Some(json!({"k": 2})));
        assert_eq!(n.name.as_deref(), Some("refresh"));
    }

    #[test]
    fn discussion_notification() {
        let raw = r#"{"extra":"","extension":"u3,u4","type":1,"isHasReceived":false,"operation":"Invite","user":{"id":"u1"}}"#;
        let MessageContent::DiscussionNotification(n) = round_trip("RC:DizNtf", raw) else {
            panic!()
        };
        assert_eq!((n.r#type, n.is_has_received), (Some(1), Some(false)));
        assert_eq!(
            (n.extension.as_deref(), n.operation.as_deref()),
            (Some("u3,u4"), Some("Invite"))
        );
    }

    #[test]
    fn group_notification_with_any_data() {
        let raw = r#"{"operatorUserId":"u1","operation":"Add","data":{"operatorNickname":"Ann","targetUserIds":["u2"]},"message":"Ann added Bob","extra":"x"}"#;
        let MessageContent::GroupNotification(n) = round_trip("RC:GrpNtf", raw) else {
            panic!()
        };
        assert_eq!(n.operator_user_id.as_deref(), Some("u1"));
        assert_eq!(n.data.unwrap()["targetUserIds"][0], "u2");
    }

    #[test]
    fn recall_command() {
        let raw = r#"{"messageUId":"BFHR-3C7K-V4S2-1B3K","conversationType":3,"targetId":"g1","sentTime":1577000000123,"extra":"e","user":{"id":"u1"}}"#;
        let MessageContent::RecallCommand(r) = round_trip("RC:RcCmd", raw) else {
            panic!()
        };
        assert_eq!(r.message_uid.as_deref(), Some("BFHR-3C7K-V4S2-1B3K"));
        assert_eq!(
            (r.conversation_type, r.sent_time),
            (Some(3), Some(1_577_000_000_123))
        );
        let built = RecallCommandMessage::new("BFHR-3C7K-V4S2-1B3K", 3, "g1", 1_577_000_000_123);
        assert_eq!(
            MessageContent::from(built).encode().unwrap(),
            br#"{"messageUId":"BFHR-3C7K-V4S2-1B3K","conversationType":3,"targetId":"g1","sentTime":1577000000123}"#
        );
    }

    #[test]
    fn command_message_sends_json_string_data_as_an_object() {
        let raw = r#"{"data":{"a":1},"name":"ping","extra":""}"#;
        let MessageContent::Command(c) = round_trip("RC:CmdMsg", raw) else {
            panic!()
        };
        assert_eq!(
            (c.data, c.name.as_deref()),
            (Some(json!({"a": 1})), Some("ping"))
        );
        let built = MessageContent::from(CommandMessage::new("ping", r#"{"a":1}"#));
        assert_eq!(built.encode().unwrap(), raw.as_bytes());
        let plain = MessageContent::from(CommandMessage::new("ping", "not json"));
        assert_eq!(
            plain.encode().unwrap(),
            br#"{"data":"not json","name":"ping","extra":""}"#
        );
    }
}
