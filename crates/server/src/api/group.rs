//! `group/*` endpoints (server-api.md §2.3). Like upstream they send no notification messages;
//! the application does that.

use serde_json::{json, Map};

use super::{ApiError, ApiResult, Form};
use crate::server::State;

/// Most users per call.
const MAX_USERS: usize = 1000;

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "create" | "join" => join(state, form).await,
        "quit" => quit(state, form).await,
        "dismiss" => dismiss(state, form).await,
        "refresh" => refresh(state, form).await,
        "sync" => sync(state, form).await,
        "user/query" => query(state, form).await,
        _ => return None,
    })
}

fn group_name(form: &Form) -> Result<Option<String>, ApiError> {
    match form.get("groupName") {
        Some(n) if n.len() > 128 => Err(ApiError::param("groupName must have at most 128 bytes")),
        other => Ok(other.map(str::to_owned)),
    }
}

/// `group/create`, `group/join`: the listed users become members (the group is created).
async fn join(state: &State, form: &Form) -> ApiResult {
    let group = form.id("groupId")?;
    let users = form.ids("userId", MAX_USERS)?;
    let name = group_name(form)?;
    state
        .store
        .call(move |s| {
            s.upsert_group(&group, name.as_deref())?;
            s.add_members(&group, &users)
        })
        .await?;
    Ok(Map::new())
}

/// `group/quit`: removes users; non-members are fine.
async fn quit(state: &State, form: &Form) -> ApiResult {
    let group = form.id("groupId")?;
    let users = form.all("userId");
    state
        .store
        .call(move |s| s.remove_members(&group, &users))
        .await?;
    Ok(Map::new())
}

/// `group/dismiss`: any operator; unknown groups are fine.
async fn dismiss(state: &State, form: &Form) -> ApiResult {
    let group = form.id("groupId")?;
    state.store.call(move |s| s.dismiss_group(&group)).await?;
    Ok(Map::new())
}

/// `group/refresh`: renames (creating the group record if needed).
async fn refresh(state: &State, form: &Form) -> ApiResult {
    let group = form.id("groupId")?;
    let name = group_name(form)?.ok_or_else(|| ApiError::param("groupName is required"))?;
    state
        .store
        .call(move |s| s.upsert_group(&group, Some(&name)))
        .await?;
    Ok(Map::new())
}

/// `group/sync`: the user belongs to exactly the `group[id]=name` groups afterwards.
async fn sync(state: &State, form: &Form) -> ApiResult {
    let user = form.id("userId")?;
    let groups = form.map("group");
    if groups
        .iter()
        .any(|(id, _)| id.is_empty() || id.len() > crate::token::MAX_USER_ID_LEN)
    {
        return Err(ApiError::param("group ids must have 1 to 64 bytes"));
    }
    state
        .store
        .call(move |s| s.sync_user_groups(&user, &groups))
        .await?;
    Ok(Map::new())
}

/// `group/user/query` → `{"id": groupId, "users":[{"id":…}]}`.
async fn query(state: &State, form: &Form) -> ApiResult {
    let group = form.id("groupId")?;
    let g = group.clone();
    let members = state.store.read(move |s| s.members(&g)).await?;
    let mut out = Map::new();
    out.insert("id".into(), json!(group));
    out.insert(
        "users".into(),
        json!(members.iter().map(|m| json!({"id": m})).collect::<Vec<_>>()),
    );
    Ok(out)
}
