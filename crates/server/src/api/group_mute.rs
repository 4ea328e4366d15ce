//! Group mutes (server-api.md §2.3): `group/user/gag/*` mutes members (also serving
//! `Group.Mute.Member`), `group/ban/*` mutes whole groups, and `group/user/ban/whitelist/*`
//! exempts members from their group's mute-all. Server-published messages ignore all three
//! (§3 item 18); client sends get `FORBIDDEN_IN_GROUP` (22408).

use serde_json::{json, Map, Value};

use super::{ApiError, ApiResult, Form};
use crate::block::format_utc;
use crate::clock::wall_ms;
use crate::moderation::PERMANENT;
use crate::server::State;

/// Most users or groups per call.
const MAX_PER_CALL: usize = 20;
/// Longest mute, in minutes (30 days).
const MAX_MINUTES: i64 = 43_200;

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "user/gag/add" => gag(state, form).await,
        "user/gag/rollback" => ungag(state, form).await,
        "user/gag/list" => gag_list(state, form),
        "ban/add" => ban(state, form, true).await,
        "ban/rollback" => ban(state, form, false).await,
        "ban/query" => Ok(ban_query(state, form)),
        "user/ban/whitelist/add" => whitelist(state, form, true).await,
        "user/ban/whitelist/rollback" => whitelist(state, form, false).await,
        "user/ban/whitelist/query" => whitelist_query(state, form),
        _ => return None,
    })
}

/// The optional `groupId` of the member mutes: absent or empty means every group.
fn any_group(form: &Form) -> Result<String, ApiError> {
    match form.get("groupId") {
        None | Some("") => Ok(String::new()),
        Some(_) => form.id("groupId"),
    }
}

/// `group/user/gag/add`: `userId` (≤ 20), `groupId`, `minute` 0–43200 (0 = until rolled back).
async fn gag(state: &State, form: &Form) -> ApiResult {
    let users = form.ids("userId", MAX_PER_CALL)?;
    let group = any_group(form)?;
    let minutes: i64 = form
        .get("minute")
        .and_then(|m| m.parse().ok())
        .filter(|m| (0..=MAX_MINUTES).contains(m))
        .ok_or_else(|| ApiError::param("minute must be a number from 0 to 43200"))?;
    let until = if minutes == 0 {
        PERMANENT
    } else {
        wall_ms().saturating_add(minutes * 60_000)
    };
    state
        .moderation
        .gag(&state.store, &group, &users, until)
        .await?;
    Ok(Map::new())
}

/// `group/user/gag/rollback`: `userId`, `groupId`.
async fn ungag(state: &State, form: &Form) -> ApiResult {
    let users = form.ids("userId", MAX_PER_CALL)?;
    let group = any_group(form)?;
    state.moderation.ungag(&state.store, &group, &users).await?;
    Ok(Map::new())
}

/// `group/user/gag/list` → `{"users":[{"userId","time":"YYYY-MM-DD HH:MM:SS"}]}` (UTC end).
fn gag_list(state: &State, form: &Form) -> ApiResult {
    let group = any_group(form)?;
    let users: Vec<Value> = state
        .moderation
        .gagged(&group, wall_ms())
        .into_iter()
        .map(|(user, until)| json!({"userId": user, "time": format_utc(until)}))
        .collect();
    let mut out = Map::new();
    out.insert("users".into(), Value::Array(users));
    Ok(out)
}

/// `group/ban/add` and `rollback`: `groupId` repeated, 1–20.
async fn ban(state: &State, form: &Form, on: bool) -> ApiResult {
    let groups = form.ids("groupId", MAX_PER_CALL)?;
    state
        .moderation
        .set_banned(&state.store, &groups, on)
        .await?;
    Ok(Map::new())
}

/// `group/ban/query` → `{"groupinfo":[{"groupId","stat":1|0}]}`: the listed groups, or every
/// muted group when none is listed.
fn ban_query(state: &State, form: &Form) -> Map<String, Value> {
    let asked = form.all("groupId");
    let info: Vec<Value> = if asked.is_empty() {
        state
            .moderation
            .banned()
            .into_iter()
            .map(|g| json!({"groupId": g, "stat": 1}))
            .collect()
    } else {
        asked
            .into_iter()
            .map(|g| {
                let stat = i32::from(state.moderation.is_banned(&g));
                json!({"groupId": g, "stat": stat})
            })
            .collect()
    };
    let mut out = Map::new();
    out.insert("groupinfo".into(), Value::Array(info));
    out
}

/// `group/user/ban/whitelist/add` and `rollback`: `groupId`, `userId` (≤ 20).
async fn whitelist(state: &State, form: &Form, add: bool) -> ApiResult {
    let group = form.id("groupId")?;
    let users = form.ids("userId", MAX_PER_CALL)?;
    state
        .moderation
        .change_whitelist(&state.store, &group, &users, add)
        .await?;
    Ok(Map::new())
}

/// `group/user/ban/whitelist/query` → `{"userIds":[…]}`.
fn whitelist_query(state: &State, form: &Form) -> ApiResult {
    let group = form.id("groupId")?;
    let mut out = Map::new();
    out.insert("userIds".into(), json!(state.moderation.whitelist(&group)));
    Ok(out)
}
