//! Public services and customer service on a connection (api.md §3.1, §3.8;
//! protocol-additions.md §11 and §12).
//!
//! Public services: `pullMp` answers the accounts the user follows, `schMp` searches them by
//! 2.5.3's bit mask, `mpFollow`/`mcFollow`/`mpUnFollow`/`mcUnFollow` change what the user
//! follows. Each account goes out as an `MpInfo` whose `extra` is the JSON 2.5.3 parses
//! (`isGlobal`, `introduction`, `menu`, `follow`), always present since 2.5.3 parses it
//! unguarded.
//!
//! Customer service: a `pcMsgP` to a service registered through the Server API is served by
//! the desk ([`crate::services`]) instead of being delivered to a user of that id: the
//! handshake is answered with `RC:CsHsR` (and the robot's greeting), `RC:CSCha` assigns a human
//! agent, `RC:CsSp` ends the session, `RC:CsEva` is recorded; other messages reach the agent,
//! whose `pcuMsgP` replies reach the customer as sent by the service.

use im_wire::content::MessageContent;
use im_wire::enums::ConversationType;
use im_wire::frame::Query;
use im_wire::proto::{MpFollowOutput, MpInfo, PullMpOutput, SearchMpOutput};
use im_wire::{topic, ErrorCode, MessageTag};
use serde_json::json;

use super::query::{failed, invalid, request, valid_id, Reply};
use super::{code, Session};
use crate::messaging::{route, Outgoing};
use crate::services::{mode, Refusal, Switch};
use crate::store::services::{CustomerService, Evaluation, PublicAccount, MAX_FOLLOWS};
use crate::store::StoreError;

/// `schMp` mask bits (api.md §3.8, 2.5.3's `pottingPublicSearchType`).
mod mask {
    pub(super) const MP: i32 = 1;
    pub(super) const MC: i32 = 2;
    pub(super) const MC_EXACT: i32 = 4;
    pub(super) const MP_EXACT: i32 = 8;
    pub(super) const MC_FUZZY: i32 = 16;
    pub(super) const MP_FUZZY: i32 = 32;
}

/// Longest search keyword, in bytes.
const MAX_KEYWORD: usize = 64;
/// Longest evaluation comment, in bytes.
const MAX_SUGGEST: usize = 1024;

/// An account as 2.5.3 reads it, with whether the user follows it.
pub(crate) fn mp_info(a: &PublicAccount, follow: bool) -> MpInfo {
    let menu = serde_json::from_str::<serde_json::Value>(&a.menu).unwrap_or_else(|_| json!([]));
    let extra = json!({
        "isGlobal": a.global,
        "introduction": a.introduction,
        "menu": menu,
        "follow": follow,
    });
    MpInfo {
        mpid: a.id.clone(),
        name: a.name.clone(),
        r#type: if a.app { "mc" } else { "mp" }.to_owned(),
        time: a.time,
        portrait_url: Some(a.portrait.clone()),
        extra: Some(extra.to_string()),
    }
}

/// The registered customer service `id`, reading the registry at first use.
pub(crate) async fn registered(
    state: &crate::server::State,
    id: &str,
) -> Result<Option<CustomerService>, StoreError> {
    if !state.desk.loaded() {
        let all = state.store.read(|s| s.customer_services()).await?;
        state.desk.load(all);
    }
    Ok(state.desk.service(id))
}

/// How a `pcMsgP` or `pcuMsgP` was served.
pub(super) enum Served {
    /// Not a customer-service session: routed as before (one to one).
    No,
    /// Prepared in `out`, to be routed as any message.
    Routed,
    /// Done; the PUBACK's UId and time.
    Done(String, i64),
}

impl Session {
    /// `pullMp` (`PullMpInput{time}`): the followed accounts changed after `time`.
    pub(super) async fn public_services(&self, q: &Query) -> Reply {
        let since = request(topic::PUBLIC_SERVICES, q)?.time;
        let list = self
            .store(move |s, u| s.followed_accounts(u, since))
            .await?;
        Ok(topic::PUBLIC_SERVICES.encode_reply(&PullMpOutput {
            status: 0,
            info: list.iter().map(|a| mp_info(a, true)).collect(),
        }))
    }

    /// `schMp` (`SearchMpInput{type = mask, id = keyword}`).
    pub(super) async fn search_public_services(&self, q: &Query) -> Reply {
        let input = request(topic::SEARCH_PUBLIC_SERVICES, q)?;
        let m = input.r#type;
        let mp = m & (mask::MP | mask::MP_EXACT | mask::MP_FUZZY) != 0;
        let mc = m & (mask::MC | mask::MC_EXACT | mask::MC_FUZZY) != 0;
        let exact = m & (mask::MC_FUZZY | mask::MP_FUZZY) == 0;
        let keyword = input.id;
        if !(mp || mc) || keyword.is_empty() || keyword.len() > MAX_KEYWORD {
            return Err(invalid());
        }
        let found = self
            .store(move |s, u| {
                let list = s.search_accounts(mp, mc, exact, &keyword)?;
                list.into_iter()
                    .map(|a| s.follows(u, &a).map(|f| mp_info(&a, f)))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        Ok(topic::SEARCH_PUBLIC_SERVICES.encode_reply(&SearchMpOutput {
            nothing: 1,
            info: found,
        }))
    }

    /// `mpFollow`, `mcFollow`, `mpUnFollow`, `mcUnFollow` (`MPFollowInput{id}`): the account
    /// must exist and be of the topic's kind (else 33003); a new follow row beyond
    /// [`MAX_FOLLOWS`] is refused with 39001.
    pub(super) async fn follow_public_service(&self, q: &Query, app: bool, follow: bool) -> Reply {
        let t = match (app, follow) {
            (false, true) => topic::FOLLOW_MP,
            (true, true) => topic::FOLLOW_MC,
            (false, false) => topic::UNFOLLOW_MP,
            (true, false) => topic::UNFOLLOW_MC,
        };
        let id = valid_id(request(t, q)?.id)?;
        let now = self.state.clock.now();
        let result = self
            .store(move |s, u| {
                let Some(a) = s.public_account(&id)?.filter(|a| a.app == app) else {
                    return Ok(Err(invalid()));
                };
                // A row is added when one is wanted and none exists (see the store).
                let adds_row = follow != a.app && s.follows(u, &a)? == a.app;
                if adds_row && s.follow_rows(u)? >= MAX_FOLLOWS {
                    return Ok(Err(code(ErrorCode::SUBSCRIBE_ERROR)));
                }
                s.set_follow(u, &a, follow, now)?;
                Ok(Ok(mp_info(&a, follow)))
            })
            .await??;
        Ok(t.encode_reply(&MpFollowOutput {
            nothing: 1,
            info: Some(result),
        }))
    }

    /// A `pcMsgP` from a customer: served by the desk when its target is a registered service.
    pub(super) async fn serve_customer(&mut self, out: &mut Outgoing) -> Result<Served, u16> {
        let Some(service) = registered(&self.state, &out.target).await.map_err(failed)? else {
            return Ok(Served::No);
        };
        let customer = self.user.clone();
        let desk = &self.state.desk;
        let refused = |r: Refusal| match r {
            Refusal::Full => code(ErrorCode::BIZ_ERROR_NO_CHANNEL),
            Refusal::NoSession => invalid(),
        };
        let signal = match out.object_name.as_str() {
            "RC:CsHs" | "RC:CSCha" | "RC:CsSp" | "RC:CsEva" => {
                MessageContent::decode(&out.object_name, &out.content).map_err(|_| invalid())?
            }
            // Any other message: to the agent, if one serves the session.
            _ => {
                out.conv_type = ConversationType::CustomerService.value();
                out.recipients = desk
                    .agent_of(&service.id, &customer)
                    .map(|a| (a, false))
                    .into_iter()
                    .collect();
                return Ok(Served::Routed);
            }
        };
        let sid_of = |sid: Option<String>| sid.filter(|s| !s.is_empty()).ok_or_else(invalid);
        match signal {
            MessageContent::HandShake(_) => {
                let time = self.state.clock.now();
                let s = desk.start(&service, &customer, time).map_err(refused)?;
                let human = matches!(service.mode, mode::ONLY_HUMAN | mode::HUMAN_FIRST);
                let data = json!({
                    "uid": customer,
                    "sid": s.sid,
                    "pid": service.id,
                    "serviceType": service.mode,
                    "notAutoCha": if human { "1" } else { "0" },
                    "robotHelloWord": service.greeting,
                });
                let answer = json!({"msg": "", "status": 0, "data": data});
                self.service_says(&service.id, "RC:CsHsR", &answer, MessageTag::NONE)
                    .await?;
                if !human && !service.greeting.is_empty() {
                    let text = json!({ "content": service.greeting });
                    let tag = MessageTag::PERSISTED_COUNTED;
                    self.service_says(&service.id, "RC:TxtMsg", &text, tag)
                        .await?;
                }
            }
            MessageContent::ChangeMode(c) => {
                let sid = sid_of(c.sid)?;
                let presence = &self.state.presence;
                let switched = desk
                    .switch(&service, &customer, &sid, |a| presence.online(a).is_some())
                    .map_err(refused)?;
                let (code, status, msg) = match switched {
                    Switch::Agent(_) => (0, 2, ""),
                    Switch::NoAgent => (1, 1, "no human agent"),
                };
                let data = json!({"sid": sid, "serviceStatus": status});
                let answer = json!({"code": code, "data": data, "msg": msg});
                self.service_says(&service.id, "RC:CsChaR", &answer, MessageTag::NONE)
                    .await?;
                if code == 0 {
                    let update = json!({"serviceStatus": status, "sid": sid});
                    self.service_says(&service.id, "RC:CsUpdate", &update, MessageTag::NONE)
                        .await?;
                }
            }
            MessageContent::Suspend(c) => {
                let sid = sid_of(c.sid)?;
                let ended = desk.end(&service.id, &customer, &sid).map_err(refused)?;
                if let Some(agent) = ended.agent {
                    // The agent learns that the customer left.
                    let end = json!({"code": 0, "msg": "", "sid": sid});
                    let note = Outgoing {
                        conv_type: ConversationType::CustomerService.value(),
                        from: customer.clone(),
                        target: service.id.clone(),
                        object_name: "RC:CsEnd".into(),
                        content: end.to_string().into_bytes(),
                        recipients: vec![(agent, false)],
                        ..Outgoing::default()
                    };
                    route(&self.state, note).await.map_err(|_| stored())?;
                }
            }
            MessageContent::Evaluate(e) => {
                let sid = sid_of(e.sid)?;
                let suggest = e.suggest.unwrap_or_default();
                if sid.len() > 64 || suggest.len() > MAX_SUGGEST {
                    return Err(invalid());
                }
                let evaluation = Evaluation {
                    service: service.id.clone(),
                    customer,
                    sid,
                    kind: e.r#type.unwrap_or(0),
                    source: e.source,
                    resolved: e.isresolve,
                    suggest,
                    time: self.state.clock.now(),
                };
                self.state
                    .store
                    .call(move |s| s.record_evaluation(&evaluation))
                    .await
                    .map_err(failed)?;
            }
            _ => return Err(invalid()),
        }
        // The signalling itself is neither stored nor delivered.
        let time = self.state.clock.next();
        Ok(Served::Done(self.state.clock.uid(time), time))
    }

    /// A `pcuMsgP` from an agent to a customer they serve: the customer gets it from the
    /// service; the agent keeps their own copy (and their other devices get it).
    pub(super) async fn agent_reply(&mut self, out: &mut Outgoing) -> Result<Served, u16> {
        let Some((service, _)) = self.state.desk.served_by(&self.user, &out.target) else {
            return Ok(Served::No);
        };
        out.conv_type = ConversationType::CustomerService.value();
        self.state.moderation.review_outgoing(out).map_err(code)?;
        let to_customer = Outgoing {
            from: service,
            recipients: vec![(out.target.clone(), false)],
            echo: None,
            client_id: None,
            include_sender: false,
            ..out.clone()
        };
        route(&self.state, to_customer)
            .await
            .map_err(|_| stored())?;
        let own = Outgoing {
            recipients: Vec::new(),
            ..out.clone()
        };
        let sent = route(&self.state, own).await.map_err(|_| stored())?;
        Ok(Served::Done(sent.uid, sent.time))
    }

    /// A message of `service` to this connection's user (the customer).
    async fn service_says(
        &self,
        service: &str,
        object_name: &str,
        content: &serde_json::Value,
        tag: MessageTag,
    ) -> Result<(), u16> {
        let out = Outgoing {
            conv_type: ConversationType::CustomerService.value(),
            from: service.to_owned(),
            target: self.user.clone(),
            object_name: object_name.to_owned(),
            content: content.to_string().into_bytes(),
            tag,
            recipients: vec![(self.user.clone(), false)],
            ..Outgoing::default()
        };
        route(&self.state, out).await.map_err(|_| stored())?;
        Ok(())
    }
}

fn stored() -> u16 {
    code(ErrorCode::MSG_INSERT_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_carry_the_extra_json_2x_parses() {
        let a = PublicAccount {
            id: "news".into(),
            app: true,
            name: "News".into(),
            menu: "not json".into(),
            ..PublicAccount::default()
        };
        let info = mp_info(&a, true);
        assert_eq!(info.r#type, "mc");
        let extra: serde_json::Value =
            serde_json::from_str(info.extra.as_deref().unwrap_or("")).unwrap();
        assert_eq!(extra["follow"], json!(true));
        assert_eq!(extra["menu"], json!([]));
        assert_eq!(extra["isGlobal"], json!(false));
    }
}
