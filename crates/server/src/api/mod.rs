//! The Server API (server-api.md): `POST /{path}.json`, signed with App-Key / Nonce / Timestamp
//! / Signature, form bodies, and RongCloud's JSON envelope — `{"code":200,…}` on success, a
//! non-2xx status with `{"code":…,"errorMessage":"…"}` on failure (§1.5, §1.6).

pub mod auth;
mod broadcast;
mod chatroom;
mod conversation;
mod discussion;
mod group;
mod group_mute;
mod history;
mod json;
mod message;
mod push;
mod sensitive;
mod services;
mod tag;
mod template;
mod user;
mod zip;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::server::State;

/// Largest request body: 128 KB of content plus form-encoding overhead (§1.4); larger → 1508.
pub const MAX_BODY: usize = 512 * 1024;

/// An error answer: HTTP status, RongCloud code, message.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status (§1.6).
    pub status: StatusCode,
    /// RongCloud code.
    pub code: u32,
    /// `errorMessage`, always present (Node's error handler needs it, §1.5).
    pub message: String,
}

impl ApiError {
    /// 1002: a parameter is missing, malformed or invalid.
    pub fn param(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: 1002,
            message: message.into(),
        }
    }

    /// 1000: internal error.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!("server api: {e}");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: 1000,
            message: "internal error, retry later".into(),
        }
    }

    fn new(status: StatusCode, code: u32, message: &str) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<crate::messaging::RouteError> for ApiError {
    fn from(e: crate::messaging::RouteError) -> Self {
        match e {
            crate::messaging::RouteError::Store(e) => Self::internal(e),
            crate::messaging::RouteError::Blacklisted => {
                Self::new(StatusCode::FORBIDDEN, 405, "rejected by the blacklist")
            }
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::internal(e)
    }
}

/// Result of an endpoint: extra fields for the success envelope.
pub type ApiResult = Result<Map<String, Value>, ApiError>;

fn envelope(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        envelope(
            self.status,
            json!({"code": self.code, "errorMessage": self.message}),
        )
    }
}

/// A decoded form body: repeated keys kept in order (§1.4).
#[derive(Debug, Default)]
pub struct Form(Vec<(String, String)>);

impl From<Vec<(String, String)>> for Form {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }
}

impl Form {
    /// Every key and value, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Parses `application/x-www-form-urlencoded` (`+` is a space).
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Bracketed map keys `prefix[id]=value` (e.g. `group[g1]=name`), as `(id, value)`.
    pub fn map(&self, prefix: &str) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let rest = k.strip_prefix(prefix)?.strip_prefix('[')?;
                let id = rest.strip_suffix(']')?;
                Some((id.to_owned(), v.clone()))
            })
            .collect()
    }

    /// A required id of 1–64 bytes.
    pub fn id(&self, key: &str) -> Result<String, ApiError> {
        match self.get(key) {
            Some(v) => check_id(key, v),
            None => Err(ApiError::param(format!("{key} is required"))),
        }
    }

    /// A required non-empty list of ids of 1–64 bytes, at most `max` entries.
    pub fn ids(&self, key: &str, max: usize) -> Result<Vec<String>, ApiError> {
        let all = self.all(key);
        if all.is_empty() {
            return Err(ApiError::param(format!("{key} is required")));
        }
        if all.len() > max {
            return Err(ApiError::param(format!("{key}: at most {max} entries")));
        }
        all.iter().map(|v| check_id(key, v)).collect()
    }

    /// A 0/1 flag with a default.
    pub fn flag(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            Some("1" | "true") => true,
            Some("0" | "false") => false,
            _ => default,
        }
    }
}

pub(crate) fn check_id(key: &str, v: &str) -> Result<String, ApiError> {
    if v.is_empty() || v.len() > crate::token::MAX_USER_ID_LEN {
        Err(ApiError::param(format!("{key} must have 1 to 64 bytes")))
    } else {
        Ok(v.to_owned())
    }
}

/// The endpoint path without prefix slashes and the `.json` suffix; duplicate slashes collapse.
fn endpoint(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let joined = parts.join("/");
    joined.strip_suffix(".json").map(str::to_owned)
}

/// The fallback handler: every path not served by navigation or the WebSocket.
pub async fn handle(AxState(state): AxState<Arc<State>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, 404, "no such endpoint");
    // The hourly history files named by `message/history`, on the same address as the API.
    if parts.method == Method::GET {
        let mut segments = parts.uri.path().rsplit('/').filter(|p| !p.is_empty());
        if let (Some(name), Some("history")) = (segments.next(), segments.next()) {
            return history::download(&state, name).await;
        }
    }
    let Some(path) = endpoint(parts.uri.path()) else {
        return not_found().into_response();
    };
    if parts.method != Method::POST {
        return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, 404, "use POST").into_response();
    }
    // An unsigned or wrongly signed request is refused before its body is read.
    if let Err(e) = auth::check_headers(&state, &parts.headers) {
        return e.into_response();
    }
    // A signed request still has the header timeout to deliver its body: a client that
    // trickles it holds the connection no longer than one that trickles its headers.
    let deadline = state.config.connections.header_timeout();
    let body = match tokio::time::timeout(deadline, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return ApiError::new(StatusCode::BAD_REQUEST, 1508, "request body too large")
                .into_response()
        }
        Err(_) => {
            crate::metrics::refused(crate::metrics::Reason::BodyTimeout);
            return ApiError::new(StatusCode::REQUEST_TIMEOUT, 1002, "request body too slow")
                .into_response();
        }
    };
    match serve(&state, &parts.headers, parts.uri.path(), &path, &body).await {
        Ok(fields) => {
            // `code` first, as RongCloud answers.
            let mut out = Map::new();
            out.insert("code".into(), json!(200));
            out.extend(fields);
            envelope(StatusCode::OK, Value::Object(out))
        }
        Err(e) => e.into_response(),
    }
}

/// The fallback of the public port when the Server API has its own address: 404, in the Server
/// API's envelope.
pub async fn not_served() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, 404, "no such endpoint").into_response()
}

async fn serve(
    state: &State,
    headers: &HeaderMap,
    raw_path: &str,
    path: &str,
    body: &Bytes,
) -> ApiResult {
    auth::check_body(state, headers, "POST", raw_path, body)?;
    let form = Form::parse(body);
    let base = history::base_url(state, headers);
    let req = Req {
        form: &form,
        raw: body,
        base: &base,
    };
    // Strip an optional mount prefix: match on the longest known suffix.
    let known = path
        .match_indices('/')
        .map(|(i, _)| path.get(i + 1..).unwrap_or_default())
        .chain(std::iter::once(path));
    for candidate in known.collect::<Vec<_>>().into_iter().rev() {
        if let Some(result) = dispatch(state, candidate, &req).await {
            return result;
        }
    }
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        404,
        &format!("no such endpoint: {path}"),
    ))
}

/// What a request brings: its form fields, its raw body (for the JSON endpoints) and the base
/// URL it reached this server at.
struct Req<'a> {
    form: &'a Form,
    raw: &'a [u8],
    base: &'a str,
}

/// Makes in this node's memory a `chatroom/*` call (`path` after `chatroom/`) that another
/// node of the bus served.
pub fn replay_chatroom(state: &State, path: &str, form: Vec<(String, String)>) {
    chatroom::replay(state, path, &Form(form));
}

async fn dispatch(state: &State, path: &str, req: &Req<'_>) -> Option<ApiResult> {
    let form = req.form;
    if path == "push" {
        return Some(push::push(state, req.raw).await);
    }
    if path == "message/broadcast" {
        return Some(broadcast::broadcast(state, form).await);
    }
    if let Some(rest) = path.strip_prefix("user/") {
        if let Some(result) = tag::handle(state, rest, form, req.raw).await {
            return Some(result);
        }
        return user::handle(state, rest, form).await;
    }
    if let Some(rest) = path.strip_prefix("chatroom/") {
        return chatroom::handle(state, rest, form).await;
    }
    if let Some(rest) = path.strip_prefix("message/chatroom/") {
        return chatroom::handle_message(state, rest, form).await;
    }
    if let Some(rest) = path.strip_prefix("message/") {
        if let Some(result) = template::handle(state, rest, req.raw).await {
            return Some(result);
        }
        if let Some(result) = history::handle(state, rest, form, req.base).await {
            return Some(result);
        }
        return message::handle(state, rest, form).await;
    }
    if let Some(rest) = path.strip_prefix("group/") {
        if let Some(result) = group_mute::handle(state, rest, form).await {
            if result.is_ok() && !rest.ends_with("query") && !rest.ends_with("list") {
                state
                    .bus
                    .control(crate::bus::wire::Change::Moderation(true));
            }
            return Some(result);
        }
        return group::handle(state, rest, form).await;
    }
    if let Some(rest) = path.strip_prefix("conversation/") {
        return conversation::handle(state, rest, form).await;
    }
    if let Some(result) = services::handle(state, path, form).await {
        if result.is_ok() && path.starts_with("customerservice/") && !path.ends_with("query") {
            state.bus.control(crate::bus::wire::Change::Services(true));
        }
        return Some(result);
    }
    if let Some(rest) = path.strip_prefix("sensitiveword/") {
        let result = sensitive::handle(state, rest, form).await;
        if matches!(result, Some(Ok(_))) && rest != "list" {
            state
                .bus
                .control(crate::bus::wire::Change::Moderation(true));
        }
        return result;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_collapse_slashes_and_drop_the_suffix() {
        assert_eq!(
            endpoint("//user/getToken.json").as_deref(),
            Some("user/getToken")
        );
        assert_eq!(endpoint("/user/getToken"), None);
    }

    #[test]
    fn forms_keep_repeated_keys_and_bracketed_maps() {
        let f = Form::parse(b"userId=a&userId=b&group%5Bg1%5D=G+one&x=%E4%BD%A0");
        assert_eq!(f.all("userId"), ["a", "b"]);
        assert_eq!(f.map("group"), [("g1".to_owned(), "G one".to_owned())]);
        assert_eq!(f.get("x"), Some("你"));
        assert!(f.ids("none", 5).is_err());
    }
}
