//! `chatroom/*`, `message/chatroom/publish` and `message/chatroom/broadcast` (server-api.md
//! §2.2, §2.5, §3 items 20–25). Rooms that do not exist are fine everywhere: queries answer
//! empty data, settings are kept for when the room appears.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::{ApiError, ApiResult, Form};
use crate::block::format_utc;
use crate::chatroom::{self, setting, ChatroomMessage, BAN, BLOCK, GAG, KEEPALIVE, LOW, WHITELIST};
use crate::clock::wall_ms;
use crate::server::State;
use crate::store::ChatroomSetting;

/// Most users per mute, ban or block call.
const MAX_MODERATED: usize = 20;
/// Most users per `chatroom/user/whitelist/*` call (Node docs).
const MAX_PROTECTED: usize = 5;
/// Most users per `chatroom/users/exist`.
const MAX_EXIST: usize = 1000;
/// Most objectNames per priority or whitelist call.
const MAX_NAMES: usize = 20;
/// Most members `chatroom/user/query` lists.
const MAX_MEMBERS: usize = 500;
/// Longest mute, ban or block: 30 days.
const MAX_MINUTES: i64 = 43_200;

/// Stored settings to add and to remove after an endpoint changed them in memory.
#[derive(Default)]
struct Change {
    put: Vec<ChatroomSetting>,
    delete: Vec<ChatroomSetting>,
}

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    let mut change = Change::default();
    let result = serve(state, path, form, &mut change)?;
    if result.is_ok() && changes_rooms(path) {
        let (keys, values) = form.pairs().iter().cloned().unzip();
        state.bus.control(crate::bus::wire::Change::ChatroomApi(
            crate::bus::wire::ApiCall {
                path: path.to_owned(),
                keys,
                values,
            },
        ));
    }
    if result.is_ok() && !(change.put.is_empty() && change.delete.is_empty()) {
        let stored = state
            .store
            .call(move |s| {
                s.put_chatroom_settings(&change.put)?;
                s.delete_chatroom_settings(&change.delete)
            })
            .await;
        if let Err(e) = stored {
            return Some(Err(e.into()));
        }
    }
    Some(result)
}

/// Whether a `chatroom/*` call changes what nodes keep in memory (rooms, members, settings),
/// so that the other nodes of a bus make it too.
fn changes_rooms(path: &str) -> bool {
    !(path.ends_with("query") || path.ends_with("list") || path.ends_with("exist"))
}

/// Makes in memory a `chatroom/*` call that another node served and stored.
pub(super) fn replay(state: &State, path: &str, form: &Form) {
    if changes_rooms(path) {
        let mut ignored = Change::default();
        if let Some(Err(e)) = serve(state, path, form, &mut ignored) {
            tracing::warn!(path, error = ?e, "a chatroom call from another node failed here");
        }
    }
}

fn serve(state: &State, path: &str, form: &Form, change: &mut Change) -> Option<ApiResult> {
    let rooms = &state.chatrooms;
    Some(match path {
        "create" => create(state, form),
        "destroy" => form.ids("chatroomId", MAX_EXIST).map(|ids| {
            ids.iter().for_each(|id| rooms.destroy(id));
            Map::new()
        }),
        "query" => query(state, form),
        "user/query" => members(state, form),
        "users/exist" => users_exist(state, form),
        "user/exist" => user_exist(state, form),
        "user/gag/add" | "user/block/add" | "user/ban/add" => mute(state, path, form, change),
        "user/gag/rollback" | "user/block/rollback" | "user/ban/remove" => {
            unmute(state, path, form, change)
        }
        "user/gag/list" | "user/block/list" | "user/ban/query" => muted(state, path, form),
        "keepalive/add" | "keepalive/remove" | "keepalive/query" => {
            keepalive(state, path, form, change)
        }
        "message/priority/add" | "message/priority/remove" | "message/priority/query" => {
            let keys = ("objectName", "objectNames");
            names(state, path, form, keys, change)
        }
        "whitelist/add" | "whitelist/delete" | "whitelist/query" => names(
            state,
            path,
            form,
            ("objectnames", "whitlistMsgType"),
            change,
        ),
        "user/whitelist/add" | "user/whitelist/remove" | "user/whitelist/query" => {
            protected(state, path, form)
        }
        "message/stopDistribution" | "message/resumeDistribution" => {
            distribution(state, path, form)
        }
        _ => return None,
    })
}

/// `message/chatroom/*`.
pub(super) async fn handle_message(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "publish" => match form.ids("toChatroomId", MAX_EXIST) {
            Ok(rooms) => publish(state, form, rooms).await,
            Err(e) => Err(e),
        },
        "broadcast" => publish(state, form, state.chatrooms.ids()).await,
        _ => return None,
    })
}

fn fields(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// `chatroom/create`: `chatroom[{id}]={name}`, one or more; existing rooms stay as they are.
fn create(state: &State, form: &Form) -> ApiResult {
    let rooms = form.map("chatroom");
    if rooms.is_empty() {
        return Err(ApiError::param("chatroom[{id}] is required"));
    }
    for (id, name) in &rooms {
        if id.is_empty() || id.len() > crate::token::MAX_USER_ID_LEN {
            return Err(ApiError::param("chatroom ids must have 1 to 64 bytes"));
        }
        if name.len() > 128 {
            return Err(ApiError::param(
                "chatroom names must have at most 128 bytes",
            ));
        }
    }
    if state.chatrooms.create_all(&rooms).is_err() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            1502,
            "the rooms would take the application over chatroom.max_rooms; none was created",
        ));
    }
    Ok(Map::new())
}

/// `chatroom/query` → `chatRooms: [{chrmId, name, time}]`, existing rooms only.
fn query(state: &State, form: &Form) -> ApiResult {
    let ids = form.ids("chatroomId", MAX_EXIST)?;
    let list: Vec<Value> = state
        .chatrooms
        .query(&ids)
        .into_iter()
        .map(|r| json!({"chrmId": r.id, "name": r.name, "time": format_utc(r.created_ms)}))
        .collect();
    Ok(fields([("chatRooms", json!(list))]))
}

/// A positive integer field with a default when absent.
fn number(form: &Form, key: &str, default: i64) -> Result<i64, ApiError> {
    match form.get(key) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| ApiError::param(format!("{key} must be an integer"))),
    }
}

/// `chatroom/user/query` → `total`, `users: [{id, time}]`; `order` 1 oldest first, 2 newest.
fn members(state: &State, form: &Form) -> ApiResult {
    let room = form.id("chatroomId")?;
    let count = number(form, "count", 500)?;
    let order = number(form, "order", 1)?;
    if !(0..=500).contains(&count) || !matches!(order, 1 | 2) {
        return Err(ApiError::param("count must be 0 to 500 and order 1 or 2"));
    }
    let count = usize::try_from(count).unwrap_or(MAX_MEMBERS);
    let (total, list) = state.chatrooms.members(&room, count, order == 2);
    let users: Vec<Value> = list
        .into_iter()
        .map(|(id, t)| json!({"id": id, "time": format_utc(t)}))
        .collect();
    Ok(fields([("total", json!(total)), ("users", json!(users))]))
}

/// `chatroom/users/exist` → `result: [{userId, isInChrm: 1|0}]`.
fn users_exist(state: &State, form: &Form) -> ApiResult {
    let room = form.id("chatroomId")?;
    let users = form.ids("userId", MAX_EXIST)?;
    let result: Vec<Value> = users
        .into_iter()
        .map(|u| {
            let inside = state.chatrooms.is_member(&room, &u);
            json!({"userId": u, "isInChrm": i32::from(inside)})
        })
        .collect();
    Ok(fields([("result", json!(result))]))
}

/// `chatroom/user/exist` → `isInChrm: bool`.
fn user_exist(state: &State, form: &Form) -> ApiResult {
    let room = form.id("chatroomId")?;
    let user = form.id("userId")?;
    let inside = state.chatrooms.is_member(&room, &user);
    Ok(fields([("isInChrm", json!(inside))]))
}

/// Which list a mute path names, and its room (`None` for bans, which cover every room).
fn mute_target(path: &str, form: &Form) -> Result<Option<String>, ApiError> {
    if path.starts_with("user/ban/") {
        Ok(None)
    } else {
        form.id("chatroomId").map(Some)
    }
}

/// The stored kind of a mute path.
fn mute_kind(path: &str) -> &'static str {
    if path.starts_with("user/ban/") {
        BAN
    } else if path.starts_with("user/block/") {
        BLOCK
    } else {
        GAG
    }
}

/// `gag/add`, `block/add` (which also kicks), `ban/add`: `userId` (≤ 20), `minute` 1–43200.
fn mute(state: &State, path: &str, form: &Form, change: &mut Change) -> ApiResult {
    let room = mute_target(path, form)?;
    let users = form.ids("userId", MAX_MODERATED)?;
    let minute = form
        .get("minute")
        .and_then(|m| m.parse::<i64>().ok())
        .filter(|m| (1..=MAX_MINUTES).contains(m))
        .ok_or_else(|| ApiError::param("minute must be 1 to 43200"))?;
    let until = wall_ms().saturating_add(minute * 60_000);
    {
        let mut m = state.chatrooms.moderation();
        for u in &users {
            match &room {
                None => {
                    m.bans.insert(u.clone(), until);
                }
                Some(r) if path.starts_with("user/block/") => {
                    m.blocks.insert((r.clone(), u.clone()), until);
                }
                Some(r) => {
                    m.gags.insert((r.clone(), u.clone()), until);
                }
            }
        }
    }
    let at = room.as_deref().unwrap_or_default();
    let kind = mute_kind(path);
    change.put = users.iter().map(|u| setting(kind, at, u, until)).collect();
    if let (Some(r), true) = (&room, path.starts_with("user/block/")) {
        state.chatrooms.leave(r, &users);
    }
    Ok(Map::new())
}

/// `gag/rollback`, `block/rollback`, `ban/remove`.
fn unmute(state: &State, path: &str, form: &Form, change: &mut Change) -> ApiResult {
    let room = mute_target(path, form)?;
    let users = form.ids("userId", MAX_MODERATED)?;
    let at = room.as_deref().unwrap_or_default();
    let kind = mute_kind(path);
    change.delete = users.iter().map(|u| setting(kind, at, u, 0)).collect();
    let mut m = state.chatrooms.moderation();
    for u in users {
        match &room {
            None => {
                m.bans.remove(&u);
            }
            Some(r) if path.starts_with("user/block/") => {
                m.blocks.remove(&(r.clone(), u));
            }
            Some(r) => {
                m.gags.remove(&(r.clone(), u));
            }
        }
    }
    Ok(Map::new())
}

/// `gag/list`, `block/list`, `ban/query` → `users: [{userId, time}]` (time = end).
fn muted(state: &State, path: &str, form: &Form) -> ApiResult {
    let room = mute_target(path, form)?;
    let now = wall_ms();
    let mut m = state.chatrooms.moderation();
    let list = match &room {
        None => m.banned(now),
        Some(r) if path.starts_with("user/block/") => m.blocked_users(r, now),
        Some(r) => m.gagged(r, now),
    };
    let users: Vec<Value> = list
        .into_iter()
        .map(|(u, t)| json!({"userId": u, "time": format_utc(t)}))
        .collect();
    Ok(fields([("users", json!(users))]))
}

/// `keepalive/add`, `remove` (1015 when the room is not kept alive), `query` → `chatroomIds`.
fn keepalive(state: &State, path: &str, form: &Form, change: &mut Change) -> ApiResult {
    let max = state.chatrooms.config().max_keepalive;
    if path == "keepalive/query" {
        let ids: Vec<String> = state
            .chatrooms
            .moderation()
            .keepalive
            .iter()
            .cloned()
            .collect();
        return Ok(fields([("chatroomIds", json!(ids))]));
    }
    let room = form.id("chatroomId")?;
    let mut m = state.chatrooms.moderation();
    if path == "keepalive/add" {
        if !m.keepalive.contains(&room) && m.keepalive.len() >= max {
            return Err(ApiError {
                status: StatusCode::FORBIDDEN,
                code: 1016,
                message: "too many kept-alive chatrooms".into(),
            });
        }
        change.put.push(setting(KEEPALIVE, &room, "", 0));
        m.keepalive.insert(room);
    } else if m.keepalive.remove(&room) {
        change.delete.push(setting(KEEPALIVE, &room, "", 0));
    } else {
        // The documentation lists 1015 with HTTP 200 (server-api.md §1.6).
        return Err(ApiError {
            status: StatusCode::OK,
            code: 1015,
            message: "the chatroom is not kept alive".into(),
        });
    }
    Ok(Map::new())
}

/// `message/priority/*` (key `objectName`) and `whitelist/*` (key `objectnames`): lists of
/// objectNames; the query answers under `answer`.
fn names(
    state: &State,
    path: &str,
    form: &Form,
    (key, answer): (&str, &'static str),
    change: &mut Change,
) -> ApiResult {
    let low = path.starts_with("message/priority/");
    if path.ends_with("/query") {
        let m = state.chatrooms.moderation();
        let set = if low { &m.low_priority } else { &m.whitelist };
        let list: Vec<String> = set.iter().cloned().collect();
        return Ok(fields([(answer, json!(list))]));
    }
    let list = form.all(key);
    if list.is_empty() || list.len() > MAX_NAMES {
        return Err(ApiError::param(format!("{key}: 1 to {MAX_NAMES} entries")));
    }
    if list.iter().any(|n| n.is_empty() || n.len() > 32) {
        return Err(ApiError::param(format!(
            "{key} must have 1 to 32 characters"
        )));
    }
    let kind = if low { LOW } else { WHITELIST };
    let stored: Vec<ChatroomSetting> = list.iter().map(|n| setting(kind, "", n, 0)).collect();
    let mut m = state.chatrooms.moderation();
    let set = if low {
        &mut m.low_priority
    } else {
        &mut m.whitelist
    };
    if path.ends_with("/add") {
        set.extend(list);
        change.put = stored;
    } else {
        for n in &list {
            set.remove(n);
        }
        change.delete = stored;
    }
    Ok(Map::new())
}

/// `user/whitelist/*`: protected members of one room; query → `users: [id…]`.
fn protected(state: &State, path: &str, form: &Form) -> ApiResult {
    let room = form.id("chatroomId")?;
    let mut m = state.chatrooms.moderation();
    if path.ends_with("/query") {
        let users: Vec<String> = m
            .user_whitelist
            .get(&room)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        return Ok(fields([("users", json!(users))]));
    }
    let users = form.ids("userId", MAX_PROTECTED)?;
    let set = m.user_whitelist.entry(room.clone()).or_default();
    for u in users {
        if path.ends_with("/add") {
            set.insert(u);
        } else {
            set.remove(&u);
        }
    }
    if set.is_empty() {
        m.user_whitelist.remove(&room);
    }
    Ok(Map::new())
}

/// `message/stopDistribution`, `message/resumeDistribution`.
fn distribution(state: &State, path: &str, form: &Form) -> ApiResult {
    let room = form.id("chatroomId")?;
    let mut m = state.chatrooms.moderation();
    if path.ends_with("stopDistribution") {
        m.stopped.insert(room);
    } else {
        m.stopped.remove(&room);
    }
    Ok(Map::new())
}

/// `message/chatroom/publish` and `broadcast`: mutes do not apply; the sender's own
/// connections get it only with `isIncludeSender=1`; rooms without members answer 200 too.
async fn publish(state: &State, form: &Form, rooms: Vec<String>) -> ApiResult {
    let base = super::message::common(form)?;
    for room in rooms {
        let msg = ChatroomMessage {
            room,
            from: base.from.clone(),
            object_name: base.object_name.clone(),
            content: base.content.clone(),
            tag: base.tag.0,
            include_sender: base.include_sender,
        };
        chatroom::send(state, msg).await?;
    }
    Ok(Map::new())
}
