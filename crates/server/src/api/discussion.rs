//! `message/discussion/publish` (server-api.md §2.2): a message to every member of each
//! `toDiscussionId`, as a member's `pdMsgP` would reach them. The sender need not be a member;
//! unknown discussions answer 200 and deliver nothing (§3 item 11).

use im_wire::enums::ConversationType;

use super::message::{common, uids};
use super::ApiResult;
use crate::messaging::{route, Outgoing};
use crate::server::State;

/// Most discussions per call.
const MAX_TARGETS: usize = 20;

pub(super) async fn publish(state: &State, form: &super::Form) -> ApiResult {
    let base = common(form)?;
    let targets = form.ids("toDiscussionId", MAX_TARGETS)?;
    let mut sent = Vec::new();
    for id in targets {
        let d = id.clone();
        let Some(discussion) = state.store.read(move |s| s.discussion(&d)).await? else {
            continue;
        };
        let recipients = discussion
            .members
            .into_iter()
            .filter(|m| *m != base.from)
            .map(|m| (m, false))
            .collect();
        let out = Outgoing {
            conv_type: ConversationType::Discussion.value(),
            target: id.clone(),
            recipients,
            ..base.clone()
        };
        sent.push((id, route(state, out).await?.uid));
    }
    Ok(uids(sent, "discussionId"))
}
