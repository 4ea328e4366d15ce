//! `user/*` endpoints (server-api.md §2.1): tokens, profiles, token expiry, online status,
//! blacklists and blocks.

use serde_json::{json, Map, Value};

use super::{ApiError, ApiResult, Form};
use crate::block::format_utc;
use crate::bus::wire::{Change, Users};
use crate::clock::wall_ms;
use crate::hub::Close;
use crate::server::State;

/// Most `blackUserId` entries per call.
const MAX_BLACK_PER_CALL: usize = 20;
/// Most `userId` entries per block or unblock call.
const MAX_BLOCK_PER_CALL: usize = 20;
/// Longest block, in minutes (30 days).
const MAX_BLOCK_MINUTES: i64 = 43_200;

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "getToken" => get_token(state, form).await,
        "refresh" => refresh(state, form).await,
        "token/expire" => expire(state, form).await,
        "checkOnline" => check_online(state, form),
        "blacklist/add" => blacklist_change(state, form, true).await,
        "blacklist/remove" => blacklist_change(state, form, false).await,
        "blacklist/query" => blacklist_query(state, form).await,
        "block" => block(state, form).await,
        "unblock" => unblock(state, form).await,
        "block/query" => Ok(block_query(state)),
        _ => return None,
    })
}

fn profile(form: &Form) -> Result<(Option<String>, Option<String>), ApiError> {
    let name = form.get("name").map(str::to_owned);
    let portrait = form.get("portraitUri").map(str::to_owned);
    if name.as_ref().is_some_and(|n| n.len() > 128) {
        return Err(ApiError::param("name must have at most 128 bytes"));
    }
    if portrait.as_ref().is_some_and(|p| p.len() > 1024) {
        return Err(ApiError::param("portraitUri must have at most 1024 bytes"));
    }
    Ok((name, portrait))
}

/// `user/getToken`: registers the user and returns `{code, userId, token}`.
async fn get_token(state: &State, form: &Form) -> ApiResult {
    let user = form.id("userId")?;
    let (name, portrait) = profile(form)?;
    let u = user.clone();
    state
        .store
        .call(move |s| s.upsert_user(&u, name.as_deref(), portrait.as_deref()))
        .await?;
    let token = state.tokens.issue(&user, wall_ms());
    let mut out = Map::new();
    out.insert("userId".into(), json!(user));
    out.insert("token".into(), json!(token));
    Ok(out)
}

/// `user/refresh`: updates name and portrait.
async fn refresh(state: &State, form: &Form) -> ApiResult {
    let user = form.id("userId")?;
    let (name, portrait) = profile(form)?;
    state
        .store
        .call(move |s| s.upsert_user(&user, name.as_deref(), portrait.as_deref()))
        .await?;
    Ok(Map::new())
}

/// `user/token/expire`: tokens of these users issued before `time` (ms) stop working.
async fn expire(state: &State, form: &Form) -> ApiResult {
    let users = form.ids("userId", 20)?;
    let time: i64 = form
        .get("time")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| ApiError::param("time (ms) is required"))?;
    for u in &users {
        state.tokens.revoke_before(u, time);
    }
    let stored = users.clone();
    state
        .store
        .call(move |s| {
            stored
                .iter()
                .try_for_each(|u| s.set_token_watermark(u, time))
        })
        .await?;
    // Sessions opened with a token that no longer works end now (DISCONNECT 4 LOGOUT); the
    // client's reconnect then gets CONNACK TOKEN_INCORRECT.
    for u in &users {
        state.hub.disconnect_tokens_before(u, time, Close::Revoked);
    }
    state.bus.control(Change::Revoke(Users { users, at: time }));
    Ok(Map::new())
}

/// `user/checkOnline`: `status` "1" online, "0" offline.
fn check_online(state: &State, form: &Form) -> ApiResult {
    let user = form.id("userId")?;
    let online = if state.hub.is_online(&user) { "1" } else { "0" };
    let mut out = Map::new();
    out.insert("status".into(), json!(online));
    Ok(out)
}

/// `user/blacklist/add` and `remove`: `userId`, repeated `blackUserId`.
async fn blacklist_change(state: &State, form: &Form, add: bool) -> ApiResult {
    let user = form.id("userId")?;
    let others = form.ids("blackUserId", MAX_BLACK_PER_CALL)?;
    state
        .store
        .call(move |s| {
            if add {
                s.blacklist_add(&user, &others)
            } else {
                s.blacklist_remove(&user, &others)
            }
        })
        .await?;
    Ok(Map::new())
}

/// `user/blacklist/query` → `{"users":[…]}`.
async fn blacklist_query(state: &State, form: &Form) -> ApiResult {
    let user = form.id("userId")?;
    let users = state.store.read(move |s| s.blacklist(&user)).await?;
    let mut out = Map::new();
    out.insert("users".into(), json!(users));
    Ok(out)
}

/// `user/block`: `userId` (repeated) may not connect for `minute` minutes (1–43200); online
/// sessions end with DISCONNECT 5 BLOCK.
async fn block(state: &State, form: &Form) -> ApiResult {
    let users = form.ids("userId", MAX_BLOCK_PER_CALL)?;
    let minutes: i64 = form
        .get("minute")
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=MAX_BLOCK_MINUTES).contains(m))
        .ok_or_else(|| ApiError::param("minute must be a number from 1 to 43200"))?;
    let until = wall_ms().saturating_add(minutes * 60_000);
    let stored = users.clone();
    state
        .store
        .call(move |s| s.block_users(&stored, until))
        .await?;
    for u in &users {
        state.blocks.block(u, until);
        state
            .hub
            .disconnect_tokens_before(u, i64::MAX, Close::Blocked);
    }
    state.bus.control(Change::Block(Users { users, at: until }));
    Ok(Map::new())
}

/// `user/unblock`: ends the blocks of `userId` (repeated).
async fn unblock(state: &State, form: &Form) -> ApiResult {
    let users = form.ids("userId", MAX_BLOCK_PER_CALL)?;
    let stored = users.clone();
    state.store.call(move |s| s.unblock_users(&stored)).await?;
    for u in &users {
        state.blocks.unblock(u);
    }
    state.bus.control(Change::Unblock(Users { users, at: 0 }));
    Ok(Map::new())
}

/// `user/block/query` → `{"users":[{"userId","blockEndTime":"YYYY-MM-DD HH:MM:SS"}]}` (UTC).
fn block_query(state: &State) -> Map<String, Value> {
    let users: Vec<Value> = state
        .blocks
        .current(wall_ms())
        .into_iter()
        .map(|(user, until)| json!({"userId": user, "blockEndTime": format_utc(until)}))
        .collect();
    let mut out = Map::new();
    out.insert("users".into(), Value::Array(users));
    out
}
