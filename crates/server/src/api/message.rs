//! `message/*` endpoints (server-api.md §2.2): private, system, group (including directed and @
//! messages) and discussion publishing, and recall. Server-published messages skip membership checks and,
//! unless `verifyBlacklist=1`, the blacklist (§3 items 9, 11).

use im_wire::content::{MessageContent, RecallCommandMessage};
use im_wire::enums::ConversationType;
use im_wire::MessageTag;
use serde_json::{json, Map, Value};

use super::{ApiError, ApiResult, Form};
use crate::messaging::{route, Mention, Outgoing, RouteError, MAX_CONTENT_BYTES};
use crate::server::State;

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "private/publish" => one_to_one(state, form, ConversationType::Private, 1000).await,
        "system/publish" => one_to_one(state, form, ConversationType::System, 100).await,
        "group/publish" => group(state, form).await,
        "discussion/publish" => super::discussion::publish(state, form).await,
        "recall" => recall(state, form).await,
        _ => return None,
    })
}

/// The fields every publish shares.
pub(super) fn common(form: &Form) -> Result<Outgoing, ApiError> {
    let from = form.id("fromUserId")?;
    let object_name = form
        .get("objectName")
        .filter(|o| !o.is_empty() && o.len() <= 32)
        .ok_or_else(|| ApiError::param("objectName must have 1 to 32 characters"))?
        .to_owned();
    let content = form
        .get("content")
        .ok_or_else(|| ApiError::param("content is required"))?;
    if content.len() > MAX_CONTENT_BYTES {
        return Err(ApiError::param("content is larger than 128 KB"));
    }
    if serde_json::from_str::<Value>(content).is_err() {
        return Err(ApiError::param("content must be JSON text"));
    }
    let tag = MessageTag::new(form.flag("isCounted", true), form.flag("isPersisted", true));
    Ok(Outgoing {
        from,
        object_name,
        content: content.as_bytes().to_vec(),
        tag,
        push_text: form.get("pushContent").map(str::to_owned),
        app_data: form.get("pushData").map(str::to_owned),
        include_sender: form.flag("isIncludeSender", false),
        ..Outgoing::default()
    })
}

pub(super) fn uids(list: Vec<(String, String)>, key: &str) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(
        "messageUIDs".into(),
        json!(list
            .into_iter()
            .map(|(id, uid)| json!({ key: id, "messageUID": uid }))
            .collect::<Vec<_>>()),
    );
    out
}

/// `message/private/publish` and `message/system/publish`: one message per `toUserId`.
async fn one_to_one(state: &State, form: &Form, ct: ConversationType, max: usize) -> ApiResult {
    let base = common(form)?;
    let targets = form.ids("toUserId", max)?;
    let verify = ct == ConversationType::Private && form.flag("verifyBlacklist", false);
    let mut sent = Vec::new();
    for to in targets {
        let out = Outgoing {
            conv_type: ct.value(),
            target: to.clone(),
            recipients: vec![(to.clone(), false)],
            unless_blacklisted_by: verify.then(|| to.clone()),
            ..base.clone()
        };
        match route(state, out).await {
            Ok(s) => sent.push((to, s.uid)),
            // Skipped silently, as upstream does with verifyBlacklist=1.
            Err(RouteError::Blacklisted) => {}
            Err(RouteError::Store(e)) => return Err(e.into()),
        }
    }
    Ok(uids(sent, "userId"))
}

/// `message/group/publish`: to every member (or the `toUserId` subset), with @ marks when
/// `isMentioned=1`.
async fn group(state: &State, form: &Form) -> ApiResult {
    let base = common(form)?;
    let groups = form.ids("toGroupId", 3)?;
    let directed = form.all("toUserId");
    let mention = if form.flag("isMentioned", false) {
        Mention::from_content(&base.object_name, &base.content)
    } else {
        Mention::None
    };
    let mut sent = Vec::new();
    for g in groups {
        let gid = g.clone();
        let members = state.store.read(move |s| s.members(&gid)).await?;
        let recipients = members
            .into_iter()
            .filter(|m| *m != base.from && (directed.is_empty() || directed.contains(m)))
            .map(|m| {
                let mentioned = mention.includes(&m);
                (m, mentioned)
            })
            .collect();
        let tag = if mention == Mention::None {
            base.tag
        } else {
            base.tag.with_mention()
        };
        let out = Outgoing {
            conv_type: ConversationType::Group.value(),
            target: g.clone(),
            recipients,
            tag,
            ..base.clone()
        };
        sent.push((g, route(state, out).await?.uid));
    }
    Ok(uids(sent, "groupId"))
}

/// `message/recall`: marks the message recalled and sends an `RC:RcCmd` to the conversation.
/// Unknown UIds answer 200, as the SDK's own tests expect (§2.2).
async fn recall(state: &State, form: &Form) -> ApiResult {
    let from = form.id("fromUserId")?;
    let target = form.id("targetId")?;
    let uid = form.id("messageUID")?;
    let conv_type: i32 = form
        .get("conversationType")
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| ApiError::param("conversationType must be a number"))?;
    let sent_time: i64 = form
        .get("sentTime")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let u = uid.clone();
    let Some(original) = state.store.read(move |s| s.find_message(&u)).await? else {
        return Ok(Map::new());
    };
    // Not this sender's message in this conversation: nothing to recall, as for an unknown UId.
    if original.from_user != from || original.conv_type != conv_type || original.target_id != target
    {
        return Ok(Map::new());
    }
    let u = uid.clone();
    state.store.call(move |s| s.mark_recalled(&u)).await?;
    let recipients: Vec<(String, bool)> = if conv_type == ConversationType::Group.value() {
        let g = target.clone();
        state
            .store
            .read(move |s| s.members(&g))
            .await?
            .into_iter()
            .filter(|m| *m != from)
            .map(|m| (m, false))
            .collect()
    } else {
        vec![(target.clone(), false)]
    };
    let sent_time = if sent_time > 0 {
        sent_time
    } else {
        original.data_time
    };
    let content = MessageContent::from(RecallCommandMessage::new(
        uid,
        i64::from(conv_type),
        target.clone(),
        sent_time,
    ))
    .encode()
    .map_err(ApiError::internal)?;
    let out = Outgoing {
        conv_type,
        from,
        target,
        object_name: "RC:RcCmd".into(),
        content,
        tag: MessageTag::IS_PERSISTED,
        recipients,
        include_sender: true,
        ..Outgoing::default()
    };
    route(state, out).await?;
    Ok(Map::new())
}
