//! `user/tag/set`, `user/tag/batch/set` (JSON bodies) and `user/tags/get` (form) — server-api.md
//! §2.1. Setting replaces a user's tags and an empty list clears them; `push` audiences match on
//! them (§2.7). Limits as RongCloud documents them: 20 tags per user, 40 bytes per tag, 1,000
//! users per batch, 50 users per query.

use serde_json::{json, Map, Value};

use super::json::JsonBody;
use super::{ApiError, ApiResult, Form};
use crate::server::State;
use crate::store::audience::{MAX_TAGS_PER_USER, MAX_TAG_BYTES};

/// Most users of one `user/tag/batch/set`.
const MAX_BATCH_USERS: usize = 1000;
/// Most users of one `user/tags/get`.
const MAX_QUERY_USERS: usize = 50;

pub(super) async fn handle(
    state: &State,
    path: &str,
    form: &Form,
    raw: &[u8],
) -> Option<ApiResult> {
    Some(match path {
        "tag/set" => set(state, raw).await,
        "tag/batch/set" => batch_set(state, raw).await,
        "tags/get" => get(state, form).await,
        _ => return None,
    })
}

/// A valid tag list: at most 20 strings of 1–40 bytes without control characters; repeats
/// are dropped, the order kept.
pub(super) fn tag_list(values: &[Value], key: &str) -> Result<Vec<String>, ApiError> {
    let mut tags: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let Value::String(t) = v else {
            return Err(ApiError::param(format!("{key} must hold strings")));
        };
        if t.is_empty() || t.len() > MAX_TAG_BYTES || t.chars().any(char::is_control) {
            return Err(ApiError::param(format!(
                "each of {key} must have 1 to {MAX_TAG_BYTES} bytes and no control characters"
            )));
        }
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    if tags.len() > MAX_TAGS_PER_USER {
        return Err(ApiError::param(format!(
            "{key}: at most {MAX_TAGS_PER_USER} tags per user"
        )));
    }
    Ok(tags)
}

async fn store(state: &State, users: Vec<String>, tags: Vec<String>) -> ApiResult {
    state.store.call(move |s| s.set_tags(&users, &tags)).await?;
    Ok(Map::new())
}

/// `{"userId": str, "tags": str[]}`.
async fn set(state: &State, raw: &[u8]) -> ApiResult {
    let body = JsonBody::parse(raw)?;
    let user = body.id("userId")?;
    // Checked whole before anything is stored: a bad tag changes nothing. The body's own size
    // bound (512 KB) bounds the array; `tag_list` counts the distinct tags.
    let tags = tag_list(body.array("tags", usize::MAX)?, "tags")?;
    store(state, vec![user], tags).await
}

/// `{"userIds": str[], "tags": str[]}`.
async fn batch_set(state: &State, raw: &[u8]) -> ApiResult {
    let body = JsonBody::parse(raw)?;
    let users = body.ids("userIds", MAX_BATCH_USERS)?;
    let tags = tag_list(body.array("tags", usize::MAX)?, "tags")?;
    store(state, users, tags).await
}

/// `userIds` (repeated) → `{"result": {"<userId>": ["tag", …]}}`.
async fn get(state: &State, form: &Form) -> ApiResult {
    let users = form.ids("userIds", MAX_QUERY_USERS)?;
    let tags = state.store.read(move |s| s.tags(&users)).await?;
    let result: Map<String, Value> = tags.into_iter().map(|(u, t)| (u, json!(t))).collect();
    let mut out = Map::new();
    out.insert("result".into(), Value::Object(result));
    Ok(out)
}
