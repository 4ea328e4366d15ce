//! Navigation and reachability (transport.md §2, §3.2).
//!
//! `GET /navi.js?appId&token&callBack&v&r` answers JSONP: `{callBack}({…});`, with errors as
//! HTTP 200 and a wrapped `{"code":401}` / `{"code":403}` so that both the XHR and the JSONP modes
//! of the client understand them (§2.4 "Server:" line). `/navi.json` answers the same object as
//! plain JSON. `GET /ping` answers 200. All carry CORS headers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::server::State;

const DEFAULT_CALLBACK: &str = "getServerEndpoint";

fn cors(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    res
}

/// The `host:port` clients should use: configured, else the request's `Host`, else the bound
/// address.
fn own_address(state: &State, headers: &HeaderMap) -> String {
    if let Some(a) = &state.config.public_addr {
        return a.clone();
    }
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.len() <= 255)
        .map(str::to_owned)
        .unwrap_or_else(|| state.config.addr.to_string())
}

/// The navigation object for a query (transport.md §2.5): `code`, `server`, `backupServer`,
/// `userId` always present.
pub fn navi_body(state: &State, headers: &HeaderMap, q: &HashMap<String, String>) -> String {
    let app = q.get("appId").map(String::as_str).unwrap_or_default();
    if app != state.app.key {
        return json!({"code": 403}).to_string();
    }
    let token = q.get("token").map(String::as_str).unwrap_or_default();
    let Ok(user_id) = state.tokens.verify(token) else {
        return json!({"code": 401}).to_string();
    };
    let server = own_address(state, headers);
    // At least one backup entry (§7.7): with only `server` the cached list ends in "", which the
    // client treats as a valid host after an early drop.
    let backup = if state.config.backup_servers.is_empty() {
        server.clone()
    } else {
        state.config.backup_servers.join(",")
    };
    json!({
        "code": 200,
        "server": server,
        "backupServer": backup,
        "userId": user_id,
        // 2.5.3 runs its public-service methods only when this is truthy (api.md §3.8).
        "openMp": 1,
        // Read by `joinChatRoom`: when truthy the client pulls the room's entries (`pullKV`)
        // before calling back (transport.md §2.5, api.md §3.6).
        "kvStorage": i32::from(state.config.chatroom.kv_entries > 0),
        // A JSON string the client parses for `.strategy`; 0 leaves VoIP off.
        "voipCallInfo": "{\"strategy\":0}",
    })
    .to_string()
}

/// A `callBack` value made safe to echo: JavaScript identifier characters and dots only.
fn callback_name(q: &HashMap<String, String>) -> &str {
    callback_name_or(q, DEFAULT_CALLBACK)
}

/// [`callback_name`] with another default.
fn callback_name_or<'q>(q: &'q HashMap<String, String>, default: &'q str) -> &'q str {
    match q.get("callBack") {
        Some(c)
            if !c.is_empty()
                && c.len() <= 64
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '$' | '.')) =>
        {
            c
        }
        _ => default,
    }
}

/// `GET /navi.js`.
pub async fn navi_js(
    AxState(state): AxState<Arc<State>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let body = format!(
        "{}({});",
        callback_name(&q),
        navi_body(&state, &headers, &q)
    );
    cors(
        (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            )],
            body,
        )
            .into_response(),
    )
}

/// `GET /navi.json`.
pub async fn navi_json(
    AxState(state): AxState<Arc<State>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    cors(
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            navi_body(&state, &headers, &q),
        )
            .into_response(),
    )
}

/// `GET /message/exist.js?appKey&token&callBack` (`hasRemoteUnreadMessages`, api.md §3.3):
/// JSONP `{callBack}({"status":1});` when a received message newer than every `syncTime` the
/// user's devices have pulled with waits (and is within the user's offline message duration),
/// `{"status":0}` when none does; `{"code":401}` / `{"code":403}` for a bad token or app key,
/// `{"code":500}` when the store fails.
pub async fn message_exist(
    AxState(state): AxState<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let body = if q.get("appKey").map(String::as_str) != Some(state.app.key.as_str()) {
        json!({"code": 403})
    } else if let Ok(user) = state
        .tokens
        .verify(q.get("token").map_or("", String::as_str))
    {
        let now = state.clock.now();
        let waiting = state
            .store
            .read(move |s| {
                let floor = crate::settings::offline_floor(s, &user, now)?;
                s.unsynced(&user, floor)
            })
            .await;
        match waiting {
            Ok(w) => json!({"status": i32::from(w)}),
            Err(_) => json!({"code": 500}),
        }
    } else {
        json!({"code": 401})
    };
    let body = format!("{}({body});", callback_name_or(&q, "RCCallback"));
    cors(
        (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            )],
            body,
        )
            .into_response(),
    )
}

/// `GET /ping` (transport.md §3.2 "Server:" line).
pub async fn ping() -> Response {
    cors((StatusCode::OK, "ok").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_identifier_like_callbacks_are_echoed() {
        let mut q = HashMap::new();
        assert_eq!(callback_name(&q), DEFAULT_CALLBACK);
        q.insert("callBack".into(), "cb_1.x".into());
        assert_eq!(callback_name(&q), "cb_1.x");
        q.insert("callBack".into(), "alert(1)//".into());
        assert_eq!(callback_name(&q), DEFAULT_CALLBACK);
    }
}
