//! `conversation/notification/*` (server-api.md §2.4): a user's do-not-disturb setting for one
//! conversation, the same state the client topics `blk?Push` / `qry?Push` change and read. A
//! change is announced to every connection of that user.
//!
//! Both take `conversationType`, `requestId` (the user) and `targetId`; `set` takes `isMuted`
//! 0/1, as `rongcloud-sdk` 3.x `Conversation.mute` / `unmute` send it, or the newer
//! `unpushLevel`, which wins when both are sent. `get` answers `{"code":200,"isMuted":0|1}`.

use axum::http::StatusCode;
use serde_json::{json, Map};

use super::{ApiError, ApiResult, Form};
use crate::server::State;
use crate::settings::{self, SettingError};
use crate::store::settings::{ConversationFlag, FlagUpdate};

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "notification/set" => set(state, form).await,
        "notification/get" => get(state, form).await,
        _ => return None,
    })
}

/// `(requestId, conversationType, targetId)`.
fn conversation(form: &Form) -> Result<(String, i32, String), ApiError> {
    let conv_type = form
        .get("conversationType")
        .and_then(|t| t.parse::<i32>().ok())
        .filter(|t| settings::settable_type(*t))
        .ok_or_else(|| ApiError::param("conversationType must be one of 1, 2, 3, 5, 6, 7, 8"))?;
    Ok((form.id("requestId")?, conv_type, form.id("targetId")?))
}

/// Whether the request mutes: `unpushLevel` (−1 and 0 notify; 1, 2, 4 and 5 limit or stop
/// notifications, which this server keeps as muted) or else `isMuted` 0/1.
fn muted(form: &Form) -> Result<bool, ApiError> {
    if let Some(level) = form.get("unpushLevel") {
        return match level {
            "-1" | "0" => Ok(false),
            "1" | "2" | "4" | "5" => Ok(true),
            _ => Err(ApiError::param("unpushLevel must be -1, 0, 1, 2, 4 or 5")),
        };
    }
    match form.get("isMuted") {
        Some("1") => Ok(true),
        Some("0") => Ok(false),
        Some(_) => Err(ApiError::param("isMuted must be 0 or 1")),
        None => Err(ApiError::param("isMuted is required")),
    }
}

async fn set(state: &State, form: &Form) -> ApiResult {
    let (user, conv_type, target) = conversation(form)?;
    let update = FlagUpdate {
        conv_type,
        target,
        flag: ConversationFlag::Muted,
        on: muted(form)?,
    };
    settings::set_flag(state, &user, None, update)
        .await
        .map_err(|e| match e {
            SettingError::Full => ApiError {
                status: StatusCode::BAD_REQUEST,
                code: 1502,
                message: format!(
                    "at most {} conversations of a user have settings",
                    crate::store::settings::MAX_CONVERSATION_SETTINGS
                ),
            },
            SettingError::Store(e) => ApiError::internal(e),
        })?;
    Ok(Map::new())
}

async fn get(state: &State, form: &Form) -> ApiResult {
    let (user, conv_type, target) = conversation(form)?;
    let s = state
        .store
        .read(move |s| s.conversation_settings(&user, conv_type, &target))
        .await?;
    let mut out = Map::new();
    out.insert("isMuted".into(), json!(i32::from(s.muted)));
    Ok(out)
}
