//! The engine's values as JSON text for the host ([`WriteJson`]): the outputs, events and
//! replies, messages and conversations, with the field names and layout of their `Serialize`
//! derives (the tests below hold the two to the same text). The wasm binding writes with these,
//! so that serde's serializer is not instantiated for every type and field.

use im_wire::json_out::{Object, WriteJson};

use crate::conversation::{Conversation, MentionedMsg};
use crate::local::ConversationMatch;
use crate::message::Message;
use crate::output::{Event, Output, Reply, RequestError, RequestId};
use crate::typed::{ChatRoomMember, Discussion};

impl WriteJson for RequestId {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

impl WriteJson for Message {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("conversationType", &self.conversation_type)
            .field("targetId", &self.target_id)
            .field("senderUserId", &self.sender_user_id)
            .field("content", self.content.value())
            .field("objectName", &self.object_name)
            .field("messageType", &self.message_type)
            .field("messageDirection", &self.message_direction)
            .opt("messageUId", &self.message_uid)
            .field("sentTime", &self.sent_time)
            .opt("receivedTime", &self.received_time)
            .opt("receivedStatus", &self.received_status)
            .opt("sentStatus", &self.sent_status)
            .opt("messageId", &self.message_id)
            .opt("offLineMessage", &self.off_line_message)
            .opt("extra", &self.extra)
            .opt("receiptResponse", &self.receipt_response)
            .end();
    }
}

impl WriteJson for MentionedMsg {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("uid", &self.uid)
            .field("time", &self.time)
            .opt("mentionedInfo", &self.mentioned_info)
            .end();
    }
}

impl WriteJson for Conversation {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("conversationType", &self.conversation_type)
            .field("targetId", &self.target_id)
            .opt("conversationTitle", &self.conversation_title)
            .opt("latestMessage", &self.latest_message)
            .opt("latestMessageId", &self.latest_message_id)
            .opt("objectName", &self.object_name)
            .opt("senderUserId", &self.sender_user_id)
            .opt("sentStatus", &self.sent_status)
            .opt("receivedStatus", &self.received_status)
            .opt("senderUserName", &self.sender_user_name)
            .opt("senderPortraitUri", &self.sender_portrait_uri)
            .field("sentTime", &self.sent_time)
            .field("unreadMessageCount", &self.unread_message_count)
            .opt("mentionedMsg", &self.mentioned_msg)
            .field("notificationStatus", &self.notification_status)
            .field("isTop", &self.is_top)
            .field("isHidden", &self.is_hidden)
            .end();
    }
}

impl WriteJson for ConversationMatch {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("conversationType", &self.conversation_type)
            .field("targetId", &self.target_id)
            .field("matchedCount", &self.matched_count)
            .field("latestMessage", &self.latest_message)
            .end();
    }
}

impl WriteJson for Discussion {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("id", &self.id)
            .field("name", &self.name)
            .field("creatorId", &self.creator_id)
            .field("memberIdList", &self.member_id_list)
            .field("isOpen", &self.is_open)
            .field("openStatus", &self.open_status)
            .end();
    }
}

impl WriteJson for ChatRoomMember {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("time", &self.time).field("id", &self.id).end();
    }
}

impl WriteJson for RequestError {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("code", &self.code)
            .opt("message", &self.message)
            .opt("reason", &self.reason)
            .end();
    }
}

impl WriteJson for Reply {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            Reply::Sent { message } => o.field("kind", "sent").field("message", message),
            Reply::Query { payload } => o.field("kind", "query").field("payload", payload),
            Reply::Conversations { list } => o.field("kind", "conversations").field("list", list),
            Reply::Done => o.field("kind", "done"),
            Reply::History { list, has_more } => o
                .field("kind", "history")
                .field("list", list)
                .field("hasMore", has_more),
            Reply::UserIds { user_ids } => o.field("kind", "userIds").field("userIds", user_ids),
            Reply::InBlacklist { in_blacklist } => o
                .field("kind", "inBlacklist")
                .field("inBlacklist", in_blacklist),
            Reply::Id { id } => o.field("kind", "id").field("id", id),
            Reply::Status { status } => o.field("kind", "status").field("status", status),
            Reply::QuietHours {
                start_time,
                span_minutes,
            } => o
                .field("kind", "quietHours")
                .field("startTime", start_time)
                .field("spanMinutes", span_minutes),
            Reply::Discussion { discussion } => o
                .field("kind", "discussion")
                .field("discussion", discussion),
            Reply::FileToken { deadline, token } => o
                .field("kind", "fileToken")
                .field("deadline", deadline)
                .field("token", token),
            Reply::FileUrl { download_url } => o
                .field("kind", "fileUrl")
                .field("downloadUrl", download_url),
            Reply::UserStatus { user_id, status } => o
                .field("kind", "userStatus")
                .field("userId", user_id)
                .field("status", status),
            Reply::ChatRoomInfo {
                user_total_nums,
                user_infos,
            } => o
                .field("kind", "chatRoomInfo")
                .field("userTotalNums", user_total_nums)
                .field("userInfos", user_infos),
            Reply::PublicServices { list } => o.field("kind", "publicServices").field("list", list),
        }
        .end();
    }
}

impl WriteJson for Event {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            Event::StatusChanged { status } => {
                o.field("type", "statusChanged").field("status", status)
            }
            Event::Connected { user_id } => o.field("type", "connected").field("userId", user_id),
            Event::TokenIncorrect => o.field("type", "tokenIncorrect"),
            Event::ConnectFailed { code } => o.field("type", "connectFailed").field("code", code),
            Event::MessageReceived {
                message,
                left,
                has_more,
            } => o
                .field("type", "messageReceived")
                .field("message", message)
                .field("left", left)
                .field("hasMore", has_more),
            Event::SendStarted { id, message_id } => o
                .field("type", "sendStarted")
                .field("id", id)
                .field("messageId", message_id),
            Event::UserStatus { user_id, status } => o
                .field("type", "userStatus")
                .field("userId", user_id)
                .field("status", status),
            Event::RequestCompleted { id, result } => {
                o.field("type", "requestCompleted").field("id", id);
                // A `Result` as serde writes it: `{"Ok": …}` or `{"Err": …}`.
                let mut r = Object::new(o.key("result"));
                match result {
                    Ok(reply) => r.field("Ok", reply),
                    Err(error) => r.field("Err", error),
                }
                .end();
                &mut o
            }
        }
        .end();
    }
}

impl WriteJson for Output {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            Output::OpenSocket { url } => o.field("type", "openSocket").field("url", url),
            Output::SendBytes { bytes } => o.field("type", "sendBytes").field("bytes", bytes),
            Output::CloseSocket => o.field("type", "closeSocket"),
            Output::HttpGet { id, url } => {
                o.field("type", "httpGet").field("id", id).field("url", url)
            }
            Output::CancelHttp { id } => o.field("type", "cancelHttp").field("id", id),
            Output::Event { event } => o.field("type", "event").field("event", event),
            Output::Persist { key, value } => o
                .field("type", "persist")
                .field("key", key)
                .field("value", value),
            Output::Timeout { at_ms } => o.field("type", "timeout").field("atMs", at_ms),
        }
        .end();
    }
}

#[cfg(test)]
mod tests {
    use im_wire::content::JsonContent;
    use im_wire::json;
    use im_wire::json_out::text;
    use serde::Serialize;

    use super::*;

    /// The hand-written text is the derived serialization's, byte for byte.
    fn same<T: WriteJson + Serialize>(value: &T) {
        assert_eq!(text(value), serde_json::to_string(value).unwrap());
    }

    fn message(full: bool) -> Message {
        let content = json!({"content": "hi \"there\"\n", "extra": "", "user": {"id": "u"}});
        let opt = |s: &str| full.then(|| s.to_owned());
        Message {
            conversation_type: 3,
            target_id: "g1".into(),
            sender_user_id: "u1".into(),
            content: JsonContent::from_value("RC:TxtMsg", content).unwrap(),
            object_name: "RC:TxtMsg".into(),
            message_type: "TextMessage".into(),
            message_direction: 2,
            message_uid: opt("BS4J-U"),
            sent_time: 1_700_000_000_123,
            received_time: full.then_some(1_700_000_000_456),
            received_status: full.then_some(1),
            sent_status: full.then_some(30),
            message_id: opt("17"),
            off_line_message: full.then_some(false),
            extra: opt("note\t1"),
            receipt_response: full.then(|| json!({"BS4J-U": ["a", "b"]})),
        }
    }

    fn conversation(full: bool) -> Conversation {
        let opt = |s: &str| full.then(|| s.to_owned());
        Conversation {
            conversation_type: 1,
            target_id: "peer".into(),
            conversation_title: opt("Title"),
            latest_message: full.then(|| std::sync::Arc::new(message(true))),
            latest_message_id: opt("17"),
            object_name: opt("RC:TxtMsg"),
            sender_user_id: opt("u1"),
            sent_status: full.then_some(30),
            received_status: full.then_some(0),
            sender_user_name: opt("Ann"),
            sender_portrait_uri: opt("http://p"),
            sent_time: -5,
            unread_message_count: 4,
            mentioned_msg: full.then(|| MentionedMsg {
                uid: "U".into(),
                time: 9,
                mentioned_info: Some(json!({"type": 1, "userIdList": []})),
            }),
            notification_status: 1,
            is_top: full,
            is_hidden: !full,
        }
    }

    #[test]
    fn messages_and_conversations_are_written_as_their_derives_write_them() {
        for full in [false, true] {
            same(&message(full));
            same(&conversation(full));
            same(&ConversationMatch {
                conversation_type: 1,
                target_id: "t".into(),
                matched_count: 2,
                latest_message: message(full),
            });
        }
        same(&MentionedMsg {
            uid: "U".into(),
            time: 1,
            mentioned_info: None,
        });
    }

    #[test]
    fn outputs_events_and_replies_are_written_as_their_derives_write_them() {
        let failed = RequestError {
            code: 20604,
            message: Some(Box::new(message(false))),
            reason: Some("why".into()),
        };
        let replies = vec![
            Reply::Sent {
                message: std::sync::Arc::new(message(true)),
            },
            Reply::Query {
                payload: vec![0, 1, 255],
            },
            Reply::Conversations {
                list: vec![conversation(true), conversation(false)],
            },
            Reply::Done,
            Reply::History {
                list: vec![message(false)],
                has_more: true,
            },
            Reply::UserIds {
                user_ids: vec!["a".into(), "b".into()],
            },
            Reply::InBlacklist {
                in_blacklist: false,
            },
            Reply::Id { id: "d1".into() },
            Reply::PublicServices {
                list: vec![json!({"publicServiceId": "ps", "conversationType": 8})],
            },
            Reply::Status { status: 1 },
            Reply::QuietHours {
                start_time: "22:00:00".into(),
                span_minutes: 60,
            },
            Reply::Discussion {
                discussion: Discussion {
                    id: "d".into(),
                    name: "n".into(),
                    creator_id: "c".into(),
                    member_id_list: vec!["c".into()],
                    is_open: true,
                    open_status: 0,
                },
            },
            Reply::FileToken {
                deadline: 1_700_000_000_000,
                token: "t".into(),
            },
            Reply::FileUrl {
                download_url: "http://h/files/k?attname=a%20b".into(),
            },
            Reply::UserStatus {
                user_id: "bob".into(),
                status: json!({"online": 1, "platform": ["Websocket"], "status": 7}),
            },
            Reply::ChatRoomInfo {
                user_total_nums: 2,
                user_infos: vec![ChatRoomMember {
                    time: 5,
                    id: "m".into(),
                }],
            },
        ];
        let mut events = vec![
            Event::StatusChanged { status: 201 },
            Event::Connected {
                user_id: "me".into(),
            },
            Event::TokenIncorrect,
            Event::ConnectFailed { code: 31000 },
            Event::UserStatus {
                user_id: "bob".into(),
                status: "raw".into(),
            },
            Event::MessageReceived {
                message: std::sync::Arc::new(message(true)),
                left: 3,
                has_more: false,
            },
            Event::SendStarted {
                id: RequestId(4),
                message_id: u64::MAX,
            },
            Event::RequestCompleted {
                id: RequestId(5),
                result: Err(RequestError::code(-1)),
            },
            Event::RequestCompleted {
                id: RequestId(6),
                result: Err(failed),
            },
        ];
        events.extend(replies.into_iter().map(|reply| Event::RequestCompleted {
            id: RequestId(7),
            result: Ok(reply),
        }));
        let mut outputs = vec![
            Output::OpenSocket {
                url: "ws://h/websocket?appId=k&token=a%2Bb".into(),
            },
            Output::SendBytes {
                bytes: vec![0x32, 0],
            },
            Output::CloseSocket,
            Output::HttpGet {
                id: RequestId(1),
                url: "http://n/navi.json".into(),
            },
            Output::CancelHttp { id: RequestId(2) },
            Output::Persist {
                key: "k".into(),
                value: "{\"v\":1}".into(),
            },
            Output::Timeout { at_ms: 0 },
            Output::Timeout {
                at_ms: crate::NO_DEADLINE,
            },
        ];
        outputs.extend(events.into_iter().map(|event| Output::Event { event }));
        for out in &outputs {
            same(out);
        }
    }
}
