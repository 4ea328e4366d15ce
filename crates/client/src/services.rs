//! Customer service and public services (api.md §3.1, §3.8, §5.5 step 6).
//!
//! Customer service: `startCustomService` sends the handshake (`RC:CsHs`) to the service, whose
//! `RC:CsHsR` answer holds the session (`uid`, `sid`, `pid`, …); `stopCustomeService`,
//! `switchToHumanMode` and the evaluations send `RC:CsSp`, `RC:CSCha` and `RC:CsEva` with it.
//! Received messages of a service this engine started follow 2.5.3's filter; other
//! customer-service conversations (an agent's, with its customers) are delivered as they come.
//!
//! Public services: `pullMp` (the followed accounts, also kept for `getPublicServiceProfile`),
//! `schMp` (search by 2.5.3's bit mask) and the follow topics; each `MpInfo` becomes a
//! `PublicServiceProfile` as 2.5.3 builds it.

use im_wire::enums::ConversationType;
use im_wire::proto::{self, MpInfo};
use im_wire::topic;
use im_wire::value::{Map, Value};
use im_wire::ErrorCode;

use crate::message::Message;
use crate::output::{Reply, RequestError, RequestId};
use crate::send::{SendContent, SendRequest};
use crate::typed::Kind;
use crate::Engine;

/// Customer services started and sessions kept; the oldest goes first beyond.
const MAX_SERVICES: usize = 16;

/// Customer-service and public-service state of an engine.
#[derive(Debug, Default)]
pub(crate) struct Services {
    /// Services `startCustomService` was called for, with their session once answered.
    started: Vec<(String, Option<Value>)>,
    /// The profiles of the last `pullMp`.
    profiles: Vec<Value>,
}

/// What a public-service request completes with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expect {
    /// `pullMp`: the list, kept for profiles.
    List,
    /// `pullMp` issued by the engine after a follow: no completion.
    Refresh,
    /// `schMp`: the list found.
    Found,
    /// A follow (`true`) or unfollow of this account.
    Follow(i32, String, bool),
}

fn no_session() -> RequestError {
    RequestError::with_reason(
        ErrorCode::BIZ_ERROR_CLIENT_NOT_INIT.value(),
        "no customer-service session: call startCustomService and wait for its answer",
    )
}

impl Engine {
    /// `startCustomService(custId, callback, content)`: `content` is the handshake's JSON
    /// (`requestInfo`, `userInfo`) or `None`.
    pub fn start_custom_service(
        &mut self,
        now_ms: u64,
        cust_id: String,
        content: Option<String>,
    ) -> RequestId {
        let s = &mut self.services.started;
        if !s.iter().any(|(id, _)| *id == cust_id) {
            if s.len() >= MAX_SERVICES {
                s.remove(0);
            }
            s.push((cust_id.clone(), None));
        }
        let json = content.unwrap_or_else(|| "{}".to_owned());
        self.send_cs(now_ms, cust_id, "RC:CsHs", json)
    }

    /// `stopCustomeService` (`RC:CsSp`), `switchToHumanMode` (`RC:CSCha`) and the evaluations
    /// (`RC:CsEva`, `evaluation` = `Some((type, source or isresolve, suggest))`), with the
    /// session of `cust_id`; without one, 33001 and nothing is sent.
    pub fn custom_service_command(
        &mut self,
        now_ms: u64,
        cust_id: String,
        object_name: &str,
        evaluation: Option<(i64, i64, String)>,
    ) -> RequestId {
        let session = self
            .services
            .started
            .iter()
            .find(|(id, _)| *id == cust_id)
            .and_then(|(_, s)| s.clone());
        let Some(Value::Object(session)) = session else {
            let id = self.out.request_id();
            self.complete(id, Err(no_session()));
            return id;
        };
        let mut m = Map::new();
        for key in ["uid", "sid", "pid"] {
            m.insert(
                key.to_owned(),
                session.get(key).cloned().unwrap_or(Value::Null),
            );
        }
        if let Some((kind, value, suggest)) = evaluation {
            // 2.5.3 dropped the values (api.md §11 item 16): sent as the message names them.
            let (key, value) = if kind == 1 {
                ("source", Value::from(value))
            } else {
                ("isresolve", Value::Bool(value != 0))
            };
            m.insert(key.to_owned(), value);
            m.insert("suggest".to_owned(), Value::String(suggest));
            m.insert("type".to_owned(), Value::from(kind));
        }
        let json = im_wire::json_out::text(&Value::Object(m));
        self.send_cs(now_ms, cust_id, object_name, json)
    }

    fn send_cs(
        &mut self,
        now_ms: u64,
        cust_id: String,
        object_name: &str,
        json: String,
    ) -> RequestId {
        self.send_message(
            now_ms,
            SendRequest::with_send_content(
                ConversationType::CustomerService.value(),
                cust_id,
                SendContent::Json {
                    object_name: object_name.to_owned(),
                    json,
                },
            ),
        )
    }

    /// 2.5.3's customer-service filter (api.md §5.5 step 6), for services this engine
    /// started; keeps the session of a `RC:CsHsR`, and asks for a human at once (`RC:CSCha`,
    /// completing nothing) when its `serviceType` is 2 or 4 and `notAutoCha` is "1", as 2.5.3
    /// does. Whether `msg` goes on.
    pub(crate) fn custom_service_passes(&mut self, now_ms: u64, msg: &Message) -> bool {
        if msg.conversation_type != ConversationType::CustomerService.value() {
            return true;
        }
        let Some(slot) = self
            .services
            .started
            .iter_mut()
            .find(|(id, _)| *id == msg.target_id)
        else {
            // Not a service this engine started (an agent's conversation): as it comes.
            return true;
        };
        let content = msg.content.value();
        if msg.message_type == "HandShakeResponseMessage" {
            let data = content.get("data").cloned();
            let human = data.as_ref().is_some_and(|d| {
                matches!(d.get("serviceType").and_then(Value::as_i64), Some(2 | 4))
                    && d.get("notAutoCha").and_then(Value::as_str) == Some("1")
            });
            slot.1 = data;
            if human {
                let id = msg.target_id.clone();
                self.custom_service_command(now_ms, id, "RC:CSCha", None);
            }
            return true;
        }
        // Nothing else before the session is known.
        let Some(Value::Object(session)) = &slot.1 else {
            return false;
        };
        !(msg.message_type == "TerminateMessage" && content.get("sid") != session.get("sid"))
    }

    /// `getRemotePublicServiceList(callback, time)` / `getPublicServiceList`.
    pub fn public_services(&mut self, now_ms: u64, time: i64) -> RequestId {
        self.pull_public_services(now_ms, time, Expect::List)
    }

    fn pull_public_services(&mut self, now_ms: u64, time: i64, expect: Expect) -> RequestId {
        let input = proto::PullMpInput {
            time,
            mpid: String::new(),
        };
        self.ask_services(
            now_ms,
            topic::PUBLIC_SERVICES.name(),
            proto::encode(&input),
            expect,
        )
    }

    /// `searchPublicService(searchType, keyword)` (`ps_type` `None`) and
    /// `searchPublicServiceByType(psType, searchType, keyword)`: searchType 0 exact, 1 fuzzy.
    pub fn search_public_services(
        &mut self,
        now_ms: u64,
        ps_type: Option<ConversationType>,
        fuzzy: bool,
        keyword: String,
    ) -> RequestId {
        // 2.5.3's pottingPublicSearchType, without its bug (mc exact is 2 | 4, not 2 | 16).
        let mask = match ps_type {
            None => 3 | if fuzzy { 48 } else { 12 },
            Some(ConversationType::AppPublicService) => 2 | if fuzzy { 16 } else { 4 },
            Some(_) => 1 | if fuzzy { 32 } else { 8 },
        };
        let input = proto::SearchMpInput {
            r#type: mask,
            id: keyword,
        };
        let name = topic::SEARCH_PUBLIC_SERVICES.name();
        self.ask_services(now_ms, name, proto::encode(&input), Expect::Found)
    }

    /// `subscribePublicService` (`follow`) / `unsubscribePublicService`: type 7 uses the `mc`
    /// topics, others the `mp` ones. A subscription refreshes the kept list; an unsubscription
    /// removes the account from it.
    pub fn follow_public_service(
        &mut self,
        now_ms: u64,
        ps_type: ConversationType,
        id: String,
        follow: bool,
    ) -> RequestId {
        let app = ps_type == ConversationType::AppPublicService;
        let t = match (app, follow) {
            (true, true) => topic::FOLLOW_MC,
            (true, false) => topic::UNFOLLOW_MC,
            (false, true) => topic::FOLLOW_MP,
            (false, false) => topic::UNFOLLOW_MP,
        };
        let payload = proto::encode(&proto::MpFollowInput { id: id.clone() });
        let expect = Expect::Follow(ps_type.value(), id, follow);
        self.ask_services(now_ms, t.name(), payload, expect)
    }

    /// `getPublicServiceProfile(psType, id)`: the profile kept from the last list, if any.
    pub fn public_service_profile(&self, ps_type: i32, id: &str) -> Option<Value> {
        self.services
            .profiles
            .iter()
            .find(|p| {
                p.get("publicServiceId").and_then(Value::as_str) == Some(id)
                    && p.get("conversationType").and_then(Value::as_i64) == Some(i64::from(ps_type))
            })
            .cloned()
    }

    fn ask_services(
        &mut self,
        now_ms: u64,
        topic: &str,
        payload: Vec<u8>,
        expect: Expect,
    ) -> RequestId {
        self.ask_self_as(now_ms, topic, payload, Kind::Services(expect))
    }

    /// The answer of a public-service request; `None` when nothing completes.
    pub(crate) fn services_reply(
        &mut self,
        now_ms: u64,
        expect: Expect,
        status: u16,
        payload: &[u8],
    ) -> Option<Result<Reply, RequestError>> {
        if status != 0 {
            return (expect != Expect::Refresh).then(|| Err(RequestError::code(i32::from(status))));
        }
        let bad = || RequestError::code(ErrorCode::UNKNOWN.value());
        Some(match expect {
            Expect::List | Expect::Refresh => {
                let Ok(o) = prost::Message::decode(payload).map(|o: proto::PullMpOutput| o) else {
                    return (expect == Expect::List).then(|| Err(bad()));
                };
                let list: Vec<Value> = o.info.into_iter().map(profile).collect();
                self.services.profiles.clone_from(&list);
                if expect == Expect::Refresh {
                    return None;
                }
                Ok(Reply::PublicServices { list })
            }
            // `SearchMpOutput` has `PullMpOutput`'s fields and numbers: one decoder for both.
            Expect::Found => prost::Message::decode(payload)
                .map(|o: proto::PullMpOutput| Reply::PublicServices {
                    list: o.info.into_iter().map(profile).collect(),
                })
                .map_err(|_| bad()),
            Expect::Follow(t, id, follow) => {
                if follow {
                    self.pull_public_services(now_ms, 0, Expect::Refresh);
                } else {
                    self.services.profiles.retain(|p| {
                        p.get("publicServiceId").and_then(Value::as_str) != Some(id.as_str())
                            || p.get("conversationType").and_then(Value::as_i64)
                                != Some(i64::from(t))
                    });
                }
                Ok(Reply::Done)
            }
        })
    }
}

/// A `PublicServiceProfile` as 2.5.3's `pottingProfile` builds it from an `MpInfo`: `extra`
/// is JSON with `isGlobal`, `introduction`, `menu` and `follow` (→ `hasFollowed`); an `extra`
/// that is not a JSON object gives none of them (2.5.3 threw).
fn profile(info: MpInfo) -> Value {
    let extra = match info.extra.as_deref().map(im_wire::json::parse) {
        Some(Ok(Value::Object(m))) => m,
        _ => Map::new(),
    };
    let conversation_type = if info.r#type == "mc" {
        ConversationType::AppPublicService
    } else {
        ConversationType::PublicService
    };
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_owned(), v);
    };
    for (from, to) in [
        ("isGlobal", "isGlobal"),
        ("introduction", "introduction"),
        ("menu", "menu"),
        ("follow", "hasFollowed"),
    ] {
        if let Some(v) = extra.get(from) {
            put(to, v.clone());
        }
    }
    put("publicServiceId", Value::String(info.mpid));
    put("name", Value::String(info.name));
    put(
        "portraitUri",
        info.portrait_url.map_or(Value::Null, Value::String),
    );
    put(
        "conversationType",
        Value::from(i64::from(conversation_type.value())),
    );
    Value::Object(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_is_built_as_2x_builds_it() {
        let info = MpInfo {
            mpid: "news".into(),
            name: "News".into(),
            r#type: "mc".into(),
            time: 1,
            portrait_url: Some("http://p".into()),
            extra: Some(r#"{"isGlobal":false,"introduction":"i","menu":[],"follow":true}"#.into()),
        };
        let p = profile(info.clone());
        assert_eq!(p.get("conversationType").and_then(Value::as_i64), Some(7));
        assert_eq!(p.get("hasFollowed").and_then(Value::as_bool), Some(true));
        assert_eq!(
            p.get("publicServiceId").and_then(Value::as_str),
            Some("news")
        );
        // A bad extra gives no extra fields, and no panic.
        let p = profile(MpInfo {
            r#type: "mp".into(),
            extra: Some("[".into()),
            ..info
        });
        assert_eq!(p.get("conversationType").and_then(Value::as_i64), Some(8));
        assert!(p.get("hasFollowed").is_none());
    }
}
