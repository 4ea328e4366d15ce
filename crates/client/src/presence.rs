//! Files and user status (api.md §3.8): upload tokens (`qnTkn`) and download URLs (`qnUrl`) for
//! `getFileToken`/`getFileUrl`; the user's own status (`setUserStatus`, `getUserStatus`);
//! subscriptions to other users' status (`subUserStatus`) and the `s_stat` pushes that follow
//! them (§5.1). The engine never uploads: the host does, with the token.

use im_wire::enums::FileType;
use im_wire::frame::Qos;
use im_wire::proto::{self, GetUserStatusOutput};
use im_wire::topic;
use im_wire::value::{Map, Value};
use im_wire::ErrorCode;

use crate::output::{Event, Reply, RequestError, RequestId};
use crate::requests::Pending;
use crate::typed::Kind;
use crate::Engine;

/// What a file or status request completes with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expect {
    /// Status only.
    Done,
    /// `qnTkn`: `GetQNupTokenOutput`.
    Token,
    /// `qnUrl`: `GetQNdownloadUrlOutput`.
    Url,
    /// `getUserStatus`: `GetUserStatusOutput`.
    Status,
    /// `subUserStatus`: these users are watched once the server agreed.
    Subscribed(Vec<String>),
    /// `subUserStatus` again after a reconnect, issued by the engine: no completion.
    Resubscribed,
}

impl Engine {
    /// `getFileToken(fileType)`: completes with [`Reply::FileToken`].
    pub fn file_token(&mut self, now_ms: u64, file_type: FileType) -> RequestId {
        let input = proto::GetQNupTokenInput {
            r#type: file_type.value(),
        };
        let payload = proto::encode(&input);
        self.ask_self(now_ms, topic::FILE_TOKEN.name(), payload, Expect::Token)
    }

    /// `getFileUrl(fileType, fileName, oriName)`: the URL of the uploaded file `key`, with
    /// `ori_name` as the name a download saves it under; completes with [`Reply::FileUrl`].
    pub fn file_url(
        &mut self,
        now_ms: u64,
        file_type: FileType,
        key: &str,
        ori_name: Option<String>,
    ) -> RequestId {
        let input = proto::GetQNdownloadUrlInput {
            r#type: file_type.value(),
            key: key.to_owned(),
            file_name: ori_name.filter(|n| !n.is_empty()),
        };
        let payload = proto::encode(&input);
        self.ask_self(now_ms, topic::FILE_URL.name(), payload, Expect::Url)
    }

    /// `getUserStatus(userId)`: the user's own status, whatever `userId` the app named (2.x
    /// queries itself); completes with [`Reply::UserStatus`].
    pub fn user_status(&mut self, now_ms: u64) -> RequestId {
        // An empty `GetUserStatusInput`.
        self.ask_self(
            now_ms,
            topic::USER_STATUS.name(),
            Vec::new(),
            Expect::Status,
        )
    }

    /// `setUserStatus(status)`: 0 is sent as no status, like 2.x.
    pub fn set_user_status(&mut self, now_ms: u64, status: i32) -> RequestId {
        let input = proto::SetUserStatusInput {
            status: (status != 0).then_some(status),
        };
        let payload = proto::encode(&input);
        self.ask_self(now_ms, topic::SET_USER_STATUS.name(), payload, Expect::Done)
    }

    /// `setUserStatusListener({userIds})`: from now on each `s_stat` about these users is an
    /// [`Event::UserStatus`]; the server sends one with the current status at once. The users
    /// are subscribed again after a lost connection (2.x forgot them).
    pub fn subscribe_user_status(&mut self, now_ms: u64, user_ids: Vec<String>) -> RequestId {
        let payload = subscription(user_ids.clone());
        let name = topic::SUBSCRIBE_USER_STATUS.name();
        self.ask_self(now_ms, name, payload, Expect::Subscribed(user_ids))
    }

    /// After a reconnect: the server forgot the connection's subscriptions.
    pub(crate) fn resubscribe_user_status(&mut self, now_ms: u64) {
        if !self.watched.is_empty() {
            let payload = subscription(self.watched.clone());
            let name = topic::SUBSCRIBE_USER_STATUS.name();
            self.ask_self(now_ms, name, payload, Expect::Resubscribed);
        }
    }

    /// Sends a QUERY of this module to the user themself.
    fn ask_self(
        &mut self,
        now_ms: u64,
        topic: &str,
        payload: Vec<u8>,
        expect: Expect,
    ) -> RequestId {
        self.ask_self_as(now_ms, topic, payload, Kind::Presence(expect))
    }

    /// Sends a QUERY to the user themself, answered as `kind` (not generic: one copy for all
    /// the modules that ask this way).
    pub(crate) fn ask_self_as(
        &mut self,
        now_ms: u64,
        topic: &str,
        payload: Vec<u8>,
        kind: Kind,
    ) -> RequestId {
        let id = self.out.request_id();
        let sent = if self.is_connected() {
            let target = self.user_id.clone();
            let pending = Pending::Typed { id, kind };
            self.send_query(now_ms, topic, &target, payload, Qos::AtMostOnce, pending)
                .map(drop)
        } else {
            let code = ErrorCode::RC_NET_UNAVAILABLE.value();
            Err(RequestError::with_reason(code, "not connected"))
        };
        if let Err(e) = sent {
            self.complete(id, Err(e));
        }
        id
    }

    /// The answer of a file or status request with status `status`; `None` when nothing
    /// completes.
    pub(crate) fn presence_reply(
        &mut self,
        expect: Expect,
        status: u16,
        payload: &[u8],
    ) -> Option<Result<Reply, RequestError>> {
        if status != 0 {
            return (!matches!(expect, Expect::Resubscribed))
                .then(|| Err(RequestError::code(i32::from(status))));
        }
        Some(match expect {
            Expect::Done => Ok(Reply::Done),
            Expect::Token => {
                decode::<proto::GetQNupTokenOutput>(payload).map(|o| Reply::FileToken {
                    deadline: o.deadline,
                    token: o.token,
                })
            }
            Expect::Url => {
                decode::<proto::GetQNdownloadUrlOutput>(payload).map(|o| Reply::FileUrl {
                    download_url: o.download_url,
                })
            }
            Expect::Status => decode::<GetUserStatusOutput>(payload).map(|o| {
                let (user_id, status) = expand(o);
                Reply::UserStatus { user_id, status }
            }),
            Expect::Subscribed(users) => {
                for u in users {
                    if !self.watched.contains(&u) {
                        self.watched.push(u);
                    }
                }
                Ok(Reply::Done)
            }
            Expect::Resubscribed => return None,
        })
    }

    /// `s_stat`: a watched user's status. Undecodable payloads are ignored.
    pub(crate) fn handle_user_status(&mut self, payload: &[u8]) {
        if let Ok(o) = decode::<GetUserStatusOutput>(payload) {
            let (user_id, status) = expand(o);
            self.out.event(Event::UserStatus { user_id, status });
        }
    }
}

fn subscription(userid: Vec<String>) -> Vec<u8> {
    proto::encode(&proto::SubUserStatusInput { userid })
}

/// A reply's payload as `M`; a payload that does not decode is UNKNOWN (no text: the reason
/// would cost formatting code in the wasm for nothing an app can act on).
fn decode<M: prost::Message + Default>(payload: &[u8]) -> Result<M, RequestError> {
    M::decode(payload).map_err(|_| RequestError::code(ErrorCode::UNKNOWN.value()))
}

/// 2.x's `convertUserStatus`: `subUserId` is the user; the status JSON's `us` object, with `o`,
/// `p` and `s` renamed `online`, `platform` and `status`, is the status (without a `us` object,
/// the status text as it came).
fn expand(o: GetUserStatusOutput) -> (String, Value) {
    let text = o.status.unwrap_or_default();
    let us = match im_wire::json::parse(&text) {
        Ok(Value::Object(mut m)) => m.remove("us"),
        _ => None,
    };
    let status = match us {
        Some(Value::Object(us)) => {
            let mut renamed = Map::new();
            for (k, v) in us {
                let k = match k.as_str() {
                    "o" => "online".to_owned(),
                    "p" => "platform".to_owned(),
                    "s" => "status".to_owned(),
                    _ => k,
                };
                renamed.insert(k, v);
            }
            Value::Object(renamed)
        }
        _ => Value::String(text),
    };
    (o.sub_user_id.unwrap_or_default(), status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(status: &str) -> GetUserStatusOutput {
        GetUserStatusOutput {
            status: Some(status.to_owned()),
            sub_user_id: Some("bob".to_owned()),
        }
    }

    #[test]
    fn a_status_is_expanded_as_2x_expands_it() {
        let (user, status) = expand(out(r#"{"us":{"o":1,"p":["Websocket"],"s":7}}"#));
        assert_eq!(user, "bob");
        assert_eq!(
            im_wire::json_out::text(&status),
            r#"{"online":1,"platform":["Websocket"],"status":7}"#
        );
        // Without a `us` object the text is passed on as it came.
        for raw in ["{}", "not json", ""] {
            assert_eq!(expand(out(raw)).1, Value::String(raw.to_owned()));
        }
    }
}
