//! `message/broadcast` (server-api.md §2.2): a system message to every user of the app — every
//! user registered through `user/getToken`, ever synced by a client, or connected when it is
//! sent. It is stored with one inbox entry per user, written by the store in one statement
//! without listing the users in memory, so online users are told at once and the others find
//! it in their next sync. Users registered after the broadcast do not get it.

use im_wire::enums::ConversationType;
use serde_json::{json, Map};

use super::message::common;
use super::{ApiError, ApiResult, Form};
use crate::messaging::{route, route_to_everyone, Outgoing};
use crate::server::State;

/// `base` as a system message addressed to nobody in particular: receivers see the
/// conversation under the sender.
pub(super) fn system(base: Outgoing, recipients: Vec<(String, bool)>) -> Outgoing {
    Outgoing {
        conv_type: ConversationType::System.value(),
        target: String::new(),
        recipients,
        include_sender: false,
        ..base
    }
}

/// Sends `base` as one system message to `users` (the sender left out); its UId.
pub(super) async fn to_users(
    state: &State,
    base: Outgoing,
    users: Vec<String>,
) -> Result<String, ApiError> {
    let recipients = users
        .into_iter()
        .filter(|u| *u != base.from)
        .map(|u| (u, false))
        .collect();
    Ok(route(state, system(base, recipients)).await?.uid)
}

/// Sends `base` as one system message to every user of the app; its UId and how many got it.
pub(super) async fn to_everyone(
    state: &State,
    base: Outgoing,
) -> Result<(String, usize), ApiError> {
    let (sent, count) = route_to_everyone(state, system(base, Vec::new())).await?;
    Ok((sent.uid, count))
}

/// `fromUserId`, `objectName`, `content` (JSON text), optional `pushContent`, `pushData`,
/// `os` (`iOS` or `Android`), `isPersisted`, `isCounted` → `{"code":200,"messageUID":…}`.
pub(super) async fn broadcast(state: &State, form: &Form) -> ApiResult {
    let base = common(form)?;
    if let Some(os) = form.get("os") {
        if !os.eq_ignore_ascii_case("ios") && !os.eq_ignore_ascii_case("android") {
            return Err(ApiError::param("os must be iOS or Android"));
        }
    }
    let (uid, _) = to_everyone(state, base).await?;
    let mut out = Map::new();
    out.insert("messageUID".into(), json!(uid));
    Ok(out)
}
