//! `push` (JSON body, server-api.md §2.7): `Push.push` (a notification only) and
//! `Push.message` (a system message to an audience, plus its notification).
//!
//! The request is checked whole, recorded (the newest
//! [`MAX_PUSH_RECORDS`](crate::store::audience::MAX_PUSH_RECORDS) are kept) and answered with
//! `{"code":200,"id":…}`. A `message` is delivered as a SYSTEM conversation message from
//! `fromuserid` to the audience: `audience.userid` if given, else every user carrying all of
//! `tag` and one of `tag_or`, or every user of the app with `is_to_all`. This server has no push
//! gateway: nothing reaches APNs, FCM or vendor channels (see the README).

use std::collections::BTreeSet;

use im_wire::MessageTag;
use serde_json::{json, Map, Value};

use super::broadcast;
use super::json::JsonBody;
use super::tag::tag_list;
use super::{check_id, ApiError, ApiResult};
use crate::clock::{random_token, wall_ms};
use crate::messaging::{Outgoing, MAX_CONTENT_BYTES};
use crate::server::State;
use crate::store::audience::PushRecord;

/// Most users named in `audience.userid` (RongCloud documents 1,000).
const MAX_AUDIENCE_USERS: usize = 1000;
/// Most tags in `audience.tag` or `audience.tag_or` (RongCloud documents 20).
const MAX_AUDIENCE_TAGS: usize = 20;
/// Largest `notification` object, as JSON text: a push payload is small (APNs takes 4 KB).
const MAX_NOTIFICATION_BYTES: usize = 4096;

/// Who a push reaches.
#[derive(Debug, PartialEq, Eq)]
enum Audience {
    Users(Vec<String>),
    Tags { all: Vec<String>, any: Vec<String> },
    Everyone,
}

fn platforms(body: &JsonBody) -> Result<Vec<String>, ApiError> {
    let list = body.array("platform", 2)?;
    if list.is_empty() {
        return Err(ApiError::param("platform must name ios, android or both"));
    }
    let mut out = Vec::new();
    for p in list {
        match p.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some(p @ ("ios" | "android")) => out.push(p.to_owned()),
            _ => return Err(ApiError::param("platform entries must be ios or android")),
        }
    }
    Ok(out)
}

fn string_list(v: Option<&Value>, key: &str, max: usize) -> Result<Vec<Value>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) if a.len() <= max => Ok(a.clone()),
        Some(Value::Array(_)) => Err(ApiError::param(format!(
            "audience.{key}: at most {max} entries"
        ))),
        Some(_) => Err(ApiError::param(format!("audience.{key} must be an array"))),
    }
}

fn audience(body: &JsonBody) -> Result<Audience, ApiError> {
    let Some(Value::Object(a)) = body.get("audience") else {
        return Err(ApiError::param("audience must be an object"));
    };
    let users = string_list(a.get("userid"), "userid", MAX_AUDIENCE_USERS)?
        .iter()
        .map(|u| match u {
            Value::String(s) => check_id("audience.userid", s),
            _ => Err(ApiError::param("audience.userid must hold strings")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let all = tag_list(
        &string_list(a.get("tag"), "tag", MAX_AUDIENCE_TAGS)?,
        "audience.tag",
    )?;
    let any = tag_list(
        &string_list(a.get("tag_or"), "tag_or", MAX_AUDIENCE_TAGS)?,
        "audience.tag_or",
    )?;
    let to_all = match a.get("is_to_all") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::param("audience.is_to_all must be true or false")),
    };
    if let Some(p) = a.get("packageName") {
        if !p.is_string() && !p.is_null() {
            return Err(ApiError::param("audience.packageName must be a string"));
        }
    }
    // `userid` wins over tags, as RongCloud documents.
    Ok(if !users.is_empty() {
        let unique: BTreeSet<String> = users.into_iter().collect();
        Audience::Users(unique.into_iter().collect())
    } else if !all.is_empty() || !any.is_empty() {
        Audience::Tags { all, any }
    } else if to_all {
        Audience::Everyone
    } else {
        return Err(ApiError::param(
            "audience names nobody: give userid, tag, tag_or or is_to_all: true",
        ));
    })
}

fn notification(body: &JsonBody) -> Result<Value, ApiError> {
    let Some(n @ Value::Object(o)) = body.get("notification") else {
        return Err(ApiError::param("notification must be an object"));
    };
    if !o.get("alert").is_some_and(Value::is_string) {
        return Err(ApiError::param("notification.alert must be a string"));
    }
    for platform in ["ios", "android"] {
        if let Some(p) = o.get(platform) {
            if !p.is_object() && !p.is_null() {
                return Err(ApiError::param(format!(
                    "notification.{platform} must be an object"
                )));
            }
        }
    }
    if n.to_string().len() > MAX_NOTIFICATION_BYTES {
        return Err(ApiError {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: 1005,
            message: format!("notification is longer than {MAX_NOTIFICATION_BYTES} bytes"),
        });
    }
    Ok(n.clone())
}

/// The system message of `Push.message`, if the body has one.
fn message(body: &JsonBody, alert: Option<&str>) -> Result<Option<Outgoing>, ApiError> {
    let Some(m) = body.get("message") else {
        return Ok(None);
    };
    let Value::Object(m) = m else {
        return Err(ApiError::param("message must be an object"));
    };
    let from = body.id("fromuserid").or_else(|_| body.id("fromUserId"))?;
    let object_name = match m.get("objectName") {
        Some(Value::String(o)) if !o.is_empty() && o.len() <= 32 => o.clone(),
        _ => {
            return Err(ApiError::param(
                "message.objectName must have 1 to 32 characters",
            ))
        }
    };
    let content = match m.get("content") {
        Some(Value::String(c)) => c,
        _ => return Err(ApiError::param("message.content must be JSON text")),
    };
    if content.len() > MAX_CONTENT_BYTES {
        return Err(ApiError::param("message.content is larger than 128 KB"));
    }
    if serde_json::from_str::<Value>(content).is_err() {
        return Err(ApiError::param("message.content must be JSON text"));
    }
    let persisted = m.get("isPersisted").is_none_or(|v| v.as_i64() != Some(0));
    let counted = m.get("isCounted").is_none_or(|v| v.as_i64() != Some(0));
    Ok(Some(Outgoing {
        from,
        object_name,
        content: content.as_bytes().to_vec(),
        tag: MessageTag::new(counted, persisted),
        push_text: alert.map(str::to_owned),
        ..Outgoing::default()
    }))
}

pub(super) async fn push(state: &State, raw: &[u8]) -> ApiResult {
    let body = JsonBody::parse(raw)?;
    let platform = platforms(&body)?;
    let audience = audience(&body)?;
    let notification = notification(&body)?;
    let message = message(&body, notification.get("alert").and_then(Value::as_str))?;

    let users = match &audience {
        Audience::Users(u) => Some(u.clone()),
        Audience::Tags { all, any } => {
            let (all, any) = (all.clone(), any.clone());
            Some(
                state
                    .store
                    .read(move |s| s.users_tagged(&all, &any))
                    .await?,
            )
        }
        Audience::Everyone => None,
    };
    let (recipients, message_uid) = match (message, users) {
        (Some(base), Some(users)) => {
            let n = users.iter().filter(|u| **u != base.from).count();
            (n, Some(broadcast::to_users(state, base, users).await?))
        }
        (Some(base), None) => {
            let (uid, n) = broadcast::to_everyone(state, base).await?;
            (n, Some(uid))
        }
        (None, Some(users)) => (users.len(), None),
        // A notification to everyone, without a message: nobody is counted.
        (None, None) => (0, None),
    };
    let id = random_token(12);
    let record = PushRecord {
        id: id.clone(),
        time: wall_ms(),
        request: json!({
            "platform": platform,
            "audience": body.get("audience"),
            "notification": notification,
        })
        .to_string(),
        recipients,
        message_uid,
    };
    state.store.call(move |s| s.record_push(&record)).await?;
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> JsonBody {
        JsonBody::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn userid_wins_over_tags_and_an_empty_audience_is_refused() {
        let b = body(r#"{"audience":{"tag":["a"],"userid":["u2","u1","u2"],"is_to_all":false}}"#);
        assert_eq!(
            audience(&b).unwrap(),
            Audience::Users(vec!["u1".into(), "u2".into()])
        );
        let b = body(r#"{"audience":{"tag":["a"],"tag_or":["b","c"]}}"#);
        assert!(matches!(audience(&b).unwrap(), Audience::Tags { .. }));
        assert_eq!(
            audience(&body(r#"{"audience":{"is_to_all":true}}"#)).unwrap(),
            Audience::Everyone
        );
        for bad in [
            r#"{"audience":{"is_to_all":false}}"#,
            r#"{"audience":[]}"#,
            r#"{"audience":{"tag":"a"}}"#,
            r#"{"audience":{"userid":[1]}}"#,
            r#"{"audience":{"is_to_all":"yes"}}"#,
        ] {
            assert_eq!(audience(&body(bad)).unwrap_err().code, 1002, "{bad}");
        }
    }

    #[test]
    fn platform_and_notification_are_checked() {
        assert!(platforms(&body(r#"{"platform":["ios","android"]}"#)).is_ok());
        assert!(platforms(&body(r#"{"platform":[]}"#)).is_err());
        assert!(platforms(&body(r#"{"platform":["web"]}"#)).is_err());
        assert!(platforms(&body(r#"{"platform":"ios"}"#)).is_err());
        assert!(notification(&body(r#"{"notification":{"alert":"x"}}"#)).is_ok());
        assert!(notification(&body(r#"{"notification":{"ios":{}}}"#)).is_err());
        let long = format!(r#"{{"notification":{{"alert":"{}"}}}}"#, "x".repeat(5000));
        assert_eq!(notification(&body(&long)).unwrap_err().code, 1005);
    }
}
