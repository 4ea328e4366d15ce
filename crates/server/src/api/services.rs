//! Our Server API for public services and customer service (protocol-additions.md §11, §12;
//! RongCloud's Server API has no endpoints for them). Bad input: HTTP 400 with 1002 and nothing
//! changed; a bound reached: HTTP 400 with 1502.
//!
//! - `publicservice/create`, `publicservice/update`, `publicservice/delete`,
//!   `publicservice/get`: accounts (`id`, `type` = `mp` | `mc`, `name`, `portraitUri`,
//!   `introduction`, `menu` = a JSON array, `isGlobal`);
//! - `publicservice/message/publish`: a message from the account `fromUserId` to its
//!   followers, with `message/private/publish`'s fields;
//! - `customerservice/set`, `customerservice/delete`: a service (`customerServiceId`, `mode`
//!   1–4, `greeting`, `agentId` repeated);
//! - `customerservice/evaluation/query`: its evaluations, newest first.

use axum::http::StatusCode;
use im_wire::enums::ConversationType;
use serde_json::{json, Map, Value};

use super::{ApiError, ApiResult, Form};
use crate::messaging::{route, Outgoing};
use crate::server::State;
use crate::store::services::{
    CustomerService, PublicAccount, MAX_ACCOUNTS, MAX_AGENTS, MAX_CUSTOMER_SERVICES,
};

/// Longest name, in bytes.
const MAX_NAME: usize = 128;
/// Longest portrait URL, in bytes.
const MAX_URL: usize = 1024;
/// Longest introduction or greeting, in bytes.
const MAX_TEXT: usize = 4096;
/// Longest menu JSON, in bytes.
const MAX_MENU: usize = 16 * 1024;
/// Most evaluations one query answers.
const MAX_EVALUATIONS: usize = 100;

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "publicservice/create" => put_account(state, form, true).await,
        "publicservice/update" => put_account(state, form, false).await,
        "publicservice/delete" => delete_account(state, form).await,
        "publicservice/get" => get_account(state, form).await,
        "publicservice/message/publish" => publish(state, form).await,
        "customerservice/set" => set_service(state, form).await,
        "customerservice/delete" => delete_service(state, form).await,
        "customerservice/evaluation/query" => evaluations(state, form).await,
        _ => return None,
    })
}

fn over_limit(what: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, 1502, what)
}

/// The optional text field `key`, at most `max` bytes.
fn text(form: &Form, key: &str, max: usize) -> Result<Option<String>, ApiError> {
    match form.get(key) {
        Some(v) if v.len() > max || v.chars().any(char::is_control) && key != "introduction" => {
            Err(ApiError::param(format!(
                "{key}: at most {max} bytes, no control characters"
            )))
        }
        v => Ok(v.map(str::to_owned)),
    }
}

fn account_json(a: &PublicAccount) -> Value {
    json!({
        "id": a.id,
        "type": if a.app { "mc" } else { "mp" },
        "name": a.name,
        "portraitUri": a.portrait,
        "introduction": a.introduction,
        "menu": serde_json::from_str::<Value>(&a.menu).unwrap_or_else(|_| json!([])),
        "isGlobal": a.global,
        "time": a.time,
    })
}

/// `create` (a new id) or `update` (an existing one; absent fields keep their values, the
/// type cannot change).
async fn put_account(state: &State, form: &Form, create: bool) -> ApiResult {
    let id = form.id("id")?;
    let kind = form.get("type");
    let app = match kind {
        Some("mc") => Some(true),
        Some("mp") => Some(false),
        None if !create => None,
        _ => return Err(ApiError::param("type must be mp or mc")),
    };
    let name = text(form, "name", MAX_NAME)?;
    if create && name.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::param("name is required"));
    }
    let portrait = text(form, "portraitUri", MAX_URL)?;
    let introduction = text(form, "introduction", MAX_TEXT)?;
    let menu = match form.get("menu") {
        Some(m)
            if m.len() <= MAX_MENU && matches!(serde_json::from_str(m), Ok(Value::Array(_))) =>
        {
            Some(m.to_owned())
        }
        Some(_) => {
            return Err(ApiError::param(
                "menu must be a JSON array of at most 16 KB",
            ))
        }
        None => None,
    };
    let global = form.get("isGlobal").map(|_| form.flag("isGlobal", false));
    let time = state.clock.now();
    let result = state
        .store
        .call(move |s| {
            let old = s.public_account(&id)?;
            let base = match (old, create) {
                (Some(_), true) => return Ok(Err(ApiError::param("id already exists"))),
                (None, false) => return Ok(Err(ApiError::param("no such public service"))),
                (Some(a), false) if app.is_some_and(|app| app != a.app) => {
                    return Ok(Err(ApiError::param("type cannot change")))
                }
                (Some(a), false) => a,
                (None, true) if s.public_account_count()? >= MAX_ACCOUNTS => {
                    return Ok(Err(over_limit("at most 1000 public services")))
                }
                (None, true) => PublicAccount {
                    id,
                    app: app.unwrap_or_default(),
                    menu: "[]".into(),
                    ..PublicAccount::default()
                },
            };
            let a = PublicAccount {
                name: name.unwrap_or(base.name),
                portrait: portrait.unwrap_or(base.portrait),
                introduction: introduction.unwrap_or(base.introduction),
                menu: menu.unwrap_or(base.menu),
                global: global.unwrap_or(base.global),
                time,
                ..base
            };
            s.put_public_account(&a)?;
            Ok(Ok(a))
        })
        .await??;
    let mut out = Map::new();
    out.insert("publicService".into(), account_json(&result));
    Ok(out)
}

async fn delete_account(state: &State, form: &Form) -> ApiResult {
    let id = form.id("id")?;
    if !state
        .store
        .call(move |s| s.delete_public_account(&id))
        .await?
    {
        return Err(ApiError::param("no such public service"));
    }
    Ok(Map::new())
}

async fn get_account(state: &State, form: &Form) -> ApiResult {
    let id = form.id("id")?;
    let a = state.store.read(move |s| s.public_account(&id)).await?;
    let a = a.ok_or_else(|| ApiError::param("no such public service"))?;
    let mut out = Map::new();
    out.insert("publicService".into(), account_json(&a));
    Ok(out)
}

/// A message from an account to each of its followers, in conversation type 7 (`mc`) or 8
/// (`mp`): receivers see it under the account's id.
async fn publish(state: &State, form: &Form) -> ApiResult {
    let base = super::message::common(form)?;
    let id = base.from.clone();
    let a = state.store.read(move |s| s.public_account(&id)).await?;
    let a = a.ok_or_else(|| ApiError::param("fromUserId: no such public service"))?;
    let account = a.clone();
    let followers = state.store.read(move |s| s.followers(&account)).await?;
    let count = followers.len();
    let conv_type = if a.app {
        ConversationType::AppPublicService
    } else {
        ConversationType::PublicService
    };
    let out = Outgoing {
        conv_type: conv_type.value(),
        target: a.id.clone(),
        recipients: followers.into_iter().map(|u| (u, false)).collect(),
        include_sender: false,
        ..base
    };
    let sent = route(state, out).await?;
    let mut map = Map::new();
    map.insert("messageUID".into(), json!(sent.uid));
    map.insert("count".into(), json!(count));
    Ok(map)
}

async fn set_service(state: &State, form: &Form) -> ApiResult {
    let id = form.id("customerServiceId")?;
    let mode: i32 = form
        .get("mode")
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=4).contains(m))
        .ok_or_else(|| ApiError::param("mode must be 1 to 4"))?;
    let greeting = text(form, "greeting", MAX_TEXT)?.unwrap_or_default();
    let mut agents = Vec::new();
    for a in form.all("agentId") {
        let a = super::check_id("agentId", &a)?;
        if !agents.contains(&a) {
            agents.push(a);
        }
    }
    if agents.len() > MAX_AGENTS {
        return Err(over_limit("at most 100 agents per customer service"));
    }
    let service = CustomerService {
        id: id.clone(),
        mode,
        greeting,
        agents,
    };
    // The registry is read before the count is checked.
    crate::session::registered(state, &id).await?;
    if state.desk.service(&id).is_none() && state.desk.service_count() >= MAX_CUSTOMER_SERVICES {
        return Err(over_limit("at most 100 customer services"));
    }
    let stored = service.clone();
    state
        .store
        .call(move |s| s.put_customer_service(&stored))
        .await?;
    state.desk.put_service(service);
    Ok(Map::new())
}

async fn delete_service(state: &State, form: &Form) -> ApiResult {
    let id = form.id("customerServiceId")?;
    crate::session::registered(state, &id).await?;
    let key = id.clone();
    if !state
        .store
        .call(move |s| s.delete_customer_service(&key))
        .await?
    {
        return Err(ApiError::param("no such customer service"));
    }
    state.desk.remove_service(&id);
    Ok(Map::new())
}

async fn evaluations(state: &State, form: &Form) -> ApiResult {
    let id = form.id("customerServiceId")?;
    let count = match form.get("count") {
        None => 20,
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|c| (1..=MAX_EVALUATIONS).contains(c))
            .ok_or_else(|| ApiError::param("count must be 1 to 100"))?,
    };
    let list = state.store.read(move |s| s.evaluations(&id, count)).await?;
    let list: Vec<Value> = list
        .into_iter()
        .map(|e| {
            json!({
                "userId": e.customer,
                "sid": e.sid,
                "type": e.kind,
                "source": e.source,
                "isresolve": e.resolved,
                "suggest": e.suggest,
                "time": e.time,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("evaluations".into(), Value::Array(list));
    Ok(out)
}
