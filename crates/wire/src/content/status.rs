//! Status contents, neither stored nor counted (tag 0): typing, read receipts, public-service
//! commands, chatroom KV changes (api.md §6.2). Keys are declared in the order the SDK constructor
//! assigns them, which is the order `encode()` emits (§6.1).

use super::{MentionedInfo, PublicServiceMenuItem, UserInfo};
use crate::value::{Map, Value};

content_struct! {
    /// `RC:TypSts`: the peer is typing.
    pub struct TypingStatusMessage {
        /// `typingContentType`: the objectName being typed, e.g. `RC:TxtMsg`.
        pub typing_content_type: Option<String>,
        /// `data`: `""` in practice.
        pub data: Option<String>,
    }
}

impl TypingStatusMessage {
    /// Typing status for content of `typing_content_type`, with `data` `""`.
    pub fn new(typing_content_type: impl Into<String>) -> Self {
        Self {
            typing_content_type: Some(typing_content_type.into()),
            data: Some(String::new()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:ReadNtf`: private-chat read receipt up to a send time.
    pub struct ReadReceiptMessage {
        /// `lastMessageSendTime` (ms) of the last message read.
        pub last_message_send_time: Option<i64>,
        /// `messageUId` of the last message read.
        pub message_uid: Option<String>,
        /// `type`: the conversation type.
        pub r#type: Option<i64>,
    }
}

impl ReadReceiptMessage {
    /// As `ReadReceiptMessage.obtain(messageUId, lastMessageSendTime, type)`.
    pub fn new(
        message_uid: impl Into<String>,
        last_message_send_time: i64,
        conversation_type: i64,
    ) -> Self {
        Self {
            last_message_send_time: Some(last_message_send_time),
            message_uid: Some(message_uid.into()),
            r#type: Some(conversation_type),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:SRSMsg`: sync of the read position to the user's other devices.
    pub struct SyncReadStatusMessage {
        /// `lastMessageSendTime` (ms); the SDK drops 0.
        pub last_message_send_time: Option<i64>,
    }
}

impl SyncReadStatusMessage {
    /// Read position at `last_message_send_time` (ms).
    pub fn new(last_message_send_time: i64) -> Self {
        Self {
            last_message_send_time: Some(last_message_send_time),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:RRReqMsg`: asks group members for read receipts of one message.
    pub struct ReadReceiptRequestMessage {
        /// `messageUId` of the message.
        pub message_uid: Option<String>,
    }
}

impl ReadReceiptRequestMessage {
    /// A request for receipts of `message_uid`.
    pub fn new(message_uid: impl Into<String>) -> Self {
        Self {
            message_uid: Some(message_uid.into()),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:RRRspMsg`: answers read-receipt requests.
    pub struct ReadReceiptResponseMessage {
        /// `receiptMessageDic`: `{ "<requesterUserId>": ["<messageUId>", …] }`, kept as any JSON.
        pub receipt_message_dic: Option<Value>,
    }
}

impl ReadReceiptResponseMessage {
    /// A response listing, per requester, the message uids read.
    pub fn new<U, I, S>(receipts: impl IntoIterator<Item = (U, I)>) -> Self
    where
        U: Into<String>,
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let dic: Map<String, Value> = receipts
            .into_iter()
            .map(|(user, uids)| {
                let uids = uids.into_iter().map(|u| Value::String(u.into())).collect();
                (user.into(), Value::Array(uids))
            })
            .collect();
        Self {
            receipt_message_dic: Some(Value::Object(dic)),
            ..Self::default()
        }
    }

    /// The message uids answered for `requester` (`receiptMessageDic[requester]`); entries that are
    /// not strings are skipped.
    pub fn message_uids_for(&self, requester: &str) -> Vec<&str> {
        self.receipt_message_dic
            .as_ref()
            .and_then(|dic| dic.get(requester))
            .and_then(Value::as_array)
            .map(|uids| uids.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

content_struct! {
    /// `RC:PSCmd`: a public-service menu click.
    pub struct PublicServiceCommandMessage {
        /// `content`.
        pub content: Option<String>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `menuItem`: the item clicked.
        pub menu_item: Option<PublicServiceMenuItem>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
        /// `mentionedInfo`: @-mentions.
        pub mentioned_info: Option<MentionedInfo>,
    }
}

impl PublicServiceCommandMessage {
    /// As `PublicServiceCommandMessage.obtain(item)`: `content` and `extra` `""`.
    pub fn new(menu_item: PublicServiceMenuItem) -> Self {
        Self {
            content: Some(String::new()),
            extra: Some(String::new()),
            menu_item: Some(menu_item),
            ..Self::default()
        }
    }
}

content_struct! {
    /// `RC:chrmKVNotiMsg`: a chatroom key/value entry was set or deleted.
    pub struct ChrmKVNotificationMessage {
        /// `key`.
        pub key: Option<String>,
        /// `value`.
        pub value: Option<String>,
        /// `type`: 1 set, 2 delete (`ChatroomEntityOpt`).
        pub r#type: Option<i64>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `user`: sender info.
        pub user: Option<UserInfo>,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::round_trip;
    use super::super::MessageContent;
    use super::*;

    #[test]
    fn typing_status() {
        let raw = r#"{"typingContentType":"RC:TxtMsg","data":""}"#;
        let MessageContent::TypingStatus(t) = round_trip("RC:TypSts", raw) else {
            panic!()
        };
        assert_eq!(t.typing_content_type.as_deref(), Some("RC:TxtMsg"));
        assert_eq!(
            MessageContent::from(TypingStatusMessage::new("RC:TxtMsg"))
                .encode()
                .unwrap(),
            raw.as_bytes()
        );
    }

    #[test]
    fn read_receipt() {
        let raw =
            r#"{"lastMessageSendTime":1577000000123,"messageUId":"BFHR-3C7K-V4S2-1B3K","type":1}"#;
        let MessageContent::ReadReceipt(r) = round_trip("RC:ReadNtf", raw) else {
            panic!()
        };
        assert_eq!(
            (r.last_message_send_time, r.r#type),
            (Some(1_577_000_000_123), Some(1))
        );
        let built = ReadReceiptMessage::new("BFHR-3C7K-V4S2-1B3K", 1_577_000_000_123, 1);
        assert_eq!(
            MessageContent::from(built).encode().unwrap(),
            raw.as_bytes()
        );
    }

    #[test]
    fn sync_read_status_and_receipt_request() {
        let MessageContent::SyncReadStatus(s) =
            round_trip("RC:SRSMsg", r#"{"lastMessageSendTime":1577000000999}"#)
        else {
            panic!()
        };
        assert_eq!(s.last_message_send_time, Some(1_577_000_000_999));
        let MessageContent::ReadReceiptRequest(r) =
            round_trip("RC:RRReqMsg", r#"{"messageUId":"BFHR-0001"}"#)
        else {
            panic!()
        };
        assert_eq!(r.message_uid.as_deref(), Some("BFHR-0001"));
    }

    #[test]
    fn receipt_response_dictionary() {
        let raw = r#"{"receiptMessageDic":{"u1":["BFHR-0001","BFHR-0002"],"u2":["BFHR-0003"]}}"#;
        let MessageContent::ReadReceiptResponse(r) = round_trip("RC:RRRspMsg", raw) else {
            panic!()
        };
        assert_eq!(r.message_uids_for("u1"), ["BFHR-0001", "BFHR-0002"]);
        assert!(r.message_uids_for("u9").is_empty());
        let built = ReadReceiptResponseMessage::new([("u1", ["BFHR-0001", "BFHR-0002"])]);
        assert_eq!(
            MessageContent::from(built).encode().unwrap(),
            br#"{"receiptMessageDic":{"u1":["BFHR-0001","BFHR-0002"]}}"#
        );
    }

    #[test]
    fn public_service_command_with_menu_item() {
        let raw = r#"{"content":"","extra":"","menuItem":{"id":"m1","name":"Help","type":2,"sunMenuItems":[],"url":"https://x/help"},"user":{"id":"u1"}}"#;
        let MessageContent::PublicServiceCommand(p) = round_trip("RC:PSCmd", raw) else {
            panic!()
        };
        let item = p.menu_item.unwrap();
        assert_eq!(
            (item.id.as_deref(), item.url.as_deref()),
            (Some("m1"), Some("https://x/help"))
        );
        assert_eq!(item.sun_menu_items, Some(vec![]));
    }

    #[test]
    fn chatroom_kv_notification() {
        let raw = r#"{"key":"topic","value":"Rust","type":1,"extra":"e","user":{"id":"u1"}}"#;
        let MessageContent::ChrmKVNotification(k) = round_trip("RC:chrmKVNotiMsg", raw) else {
            panic!()
        };
        assert_eq!(
            (k.key.as_deref(), k.value.as_deref(), k.r#type),
            (Some("topic"), Some("Rust"), Some(1))
        );
    }
}
