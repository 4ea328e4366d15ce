//! `message/broadcast` (server-api.md §2.2): a system message to every user of the app — every
//! user registered through `user/getToken` or ever synced by a client. It is stored with one
//! inbox entry per user, like any system message, so online users are told at once and the
//! others find it in their next sync. Users registered after the broadcast do not get it.

use im_wire::enums::ConversationType;
use serde_json::{json, Map};

use super::message::common;
use super::{ApiError, ApiResult, Form};
use crate::messaging::{route, Outgoing};
use crate::server::State;

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
    let out = Outgoing {
        conv_type: ConversationType::System.value(),
        // Addressed to nobody in particular: receivers see the conversation under the sender.
        target: String::new(),
        recipients,
        include_sender: false,
        ..base
    };
    Ok(route(state, out).await?.uid)
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
    let users = state.store.read(|s| s.app_users()).await?;
    let uid = to_users(state, base, users).await?;
    let mut out = Map::new();
    out.insert("messageUID".into(), json!(uid));
    Ok(out)
}
