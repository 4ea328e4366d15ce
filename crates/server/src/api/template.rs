//! `message/private/publish_template` and `message/system/publish_template` (JSON bodies,
//! server-api.md §2.2): one template, personalised per receiver.
//!
//! Body: `fromUserId`, `objectName`, `content` (the template as JSON text), `toUserId` (str[]),
//! `values` (one object per receiver, placeholder → value), optional `pushContent` and
//! `pushData` (str[] aligned with `toUserId`, entries may be null), `verifyBlacklist` (private
//! only), `isPersisted`, `isCounted`. For receiver *i* every key of `values[i]` (braces included,
//! as RongCloud writes them: `{name}`) is replaced by its value in each string of the content
//! and in `pushContent[i]`, in one pass, so a value is never expanded again. The whole request
//! is checked before the first message is sent: a bad entry sends nothing.

use aho_corasick::{AhoCorasick, MatchKind};
use im_wire::enums::ConversationType;
use im_wire::MessageTag;
use serde_json::Value;

use super::json::JsonBody;
use super::message::uids;
use super::{check_id, ApiError, ApiResult};
use crate::messaging::{route, Outgoing, RouteError, MAX_CONTENT_BYTES};
use crate::server::State;

/// Most receivers of one private template message (RongCloud documents 1,000).
const MAX_PRIVATE_RECEIVERS: usize = 1000;
/// Most receivers of one system template message (as `message/system/publish`: 100).
const MAX_SYSTEM_RECEIVERS: usize = 100;
/// Most placeholders per receiver.
const MAX_PLACEHOLDERS: usize = 100;
/// Most bytes of content one call may expand to, over all receivers.
const MAX_EXPANDED_BYTES: usize = 32 * 1024 * 1024;

pub(super) async fn handle(state: &State, path: &str, raw: &[u8]) -> Option<ApiResult> {
    Some(match path {
        "private/publish_template" => {
            publish(state, raw, ConversationType::Private, MAX_PRIVATE_RECEIVERS).await
        }
        "system/publish_template" => {
            publish(state, raw, ConversationType::System, MAX_SYSTEM_RECEIVERS).await
        }
        _ => return None,
    })
}

/// One receiver's placeholder → value pairs. Values that are numbers or booleans are written
/// as their JSON text.
fn placeholders(v: &Value) -> Result<Vec<(String, String)>, ApiError> {
    let Value::Object(map) = v else {
        return Err(ApiError::param("values must hold one object per toUserId"));
    };
    if map.len() > MAX_PLACEHOLDERS {
        return Err(ApiError::param(format!(
            "values: at most {MAX_PLACEHOLDERS} placeholders per receiver"
        )));
    }
    map.iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
            _ => Err(ApiError::param("values must map placeholders to strings")),
        })
        .collect()
}

/// Replaces placeholders in one pass (the longest key wins where keys overlap).
struct Expander {
    matcher: Option<AhoCorasick>,
    values: Vec<String>,
}

impl Expander {
    fn new(pairs: Vec<(String, String)>) -> Result<Self, ApiError> {
        if pairs.is_empty() {
            return Ok(Self {
                matcher: None,
                values: Vec::new(),
            });
        }
        let (keys, values): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .map_err(|_| ApiError::param("values: placeholders too large"))?;
        Ok(Self {
            matcher: Some(matcher),
            values,
        })
    }

    fn text(&self, s: &str) -> String {
        match &self.matcher {
            Some(m) => m.replace_all(s, &self.values),
            None => s.to_owned(),
        }
    }

    /// Every string of a JSON value (keys stay as they are).
    fn json(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.json(x)).collect()),
            Value::Object(o) => {
                Value::Object(o.iter().map(|(k, x)| (k.clone(), self.json(x))).collect())
            }
            other => other.clone(),
        }
    }
}

/// An optional array aligned with `toUserId`: entries are strings or null.
fn aligned(body: &JsonBody, key: &str, n: usize) -> Result<Vec<Option<String>>, ApiError> {
    let Some(v) = body.get(key) else {
        return Ok(vec![None; n]);
    };
    let Value::Array(a) = v else {
        return Err(ApiError::param(format!("{key} must be an array")));
    };
    if a.len() != n {
        return Err(ApiError::param(format!(
            "{key} must have one entry per toUserId"
        )));
    }
    a.iter()
        .map(|x| match x {
            Value::String(s) => Ok(Some(s.clone())),
            Value::Null => Ok(None),
            _ => Err(ApiError::param(format!("{key} must hold strings or null"))),
        })
        .collect()
}

async fn publish(state: &State, raw: &[u8], ct: ConversationType, max: usize) -> ApiResult {
    let body = JsonBody::parse(raw)?;
    let from = body.id("fromUserId")?;
    let object_name = body.string("objectName")?;
    if object_name.is_empty() || object_name.len() > 32 {
        return Err(ApiError::param("objectName must have 1 to 32 characters"));
    }
    let template = body.string("content")?;
    if template.len() > MAX_CONTENT_BYTES {
        return Err(ApiError::param("content is larger than 128 KB"));
    }
    let template: Value =
        serde_json::from_str(template).map_err(|_| ApiError::param("content must be JSON text"))?;
    let to = body.ids("toUserId", max)?;
    let values = body.array("values", max)?;
    if values.len() != to.len() {
        return Err(ApiError::param("values must have one entry per toUserId"));
    }
    let push = aligned(&body, "pushContent", to.len())?;
    let data = aligned(&body, "pushData", to.len())?;
    let verify = ct == ConversationType::Private && body.flag("verifyBlacklist", false);
    let tag = MessageTag::new(body.flag("isCounted", true), body.flag("isPersisted", true));

    // Expand and check everything before the first send.
    let mut outs = Vec::with_capacity(to.len());
    let mut total = 0usize;
    for (((user, vals), push), data) in to.into_iter().zip(values).zip(push).zip(data) {
        let user = check_id("toUserId", &user)?;
        let expander = Expander::new(placeholders(vals)?)?;
        let content = expander.json(&template).to_string();
        if content.len() > MAX_CONTENT_BYTES {
            return Err(ApiError::param(format!(
                "the content for {user} is larger than 128 KB"
            )));
        }
        total = total.saturating_add(content.len());
        if total > MAX_EXPANDED_BYTES {
            return Err(ApiError {
                status: axum::http::StatusCode::BAD_REQUEST,
                code: 1508,
                message: "the expanded contents exceed 32 MB; send fewer receivers per call".into(),
            });
        }
        outs.push(Outgoing {
            conv_type: ct.value(),
            from: from.clone(),
            target: user.clone(),
            object_name: object_name.to_owned(),
            content: content.into_bytes(),
            tag,
            push_text: push.map(|p| expander.text(&p)),
            app_data: data,
            recipients: vec![(user.clone(), false)],
            unless_blacklisted_by: verify.then(|| user.clone()),
            ..Outgoing::default()
        });
    }
    let mut sent = Vec::with_capacity(outs.len());
    for out in outs {
        let user = out.target.clone();
        match route(state, out).await {
            Ok(s) => sent.push((user, s.uid)),
            // Skipped silently, as upstream does with verifyBlacklist=1.
            Err(RouteError::Blacklisted) => {}
            Err(RouteError::Store(e)) => return Err(e.into()),
        }
    }
    Ok(uids(sent, "userId"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand_in_every_string_once() {
        let e = Expander::new(vec![
            ("{name}".into(), "{score}".into()),
            ("{score}".into(), "90".into()),
        ])
        .unwrap();
        let t: Value =
            serde_json::from_str(r#"{"content":"{name}: {score}","extra":["{score}",1]}"#).unwrap();
        assert_eq!(
            e.json(&t),
            serde_json::json!({"content":"{score}: 90","extra":["90",1]})
        );
        // A value with quotes stays inside its JSON string.
        let q = Expander::new(vec![("{n}".into(), "a\"b".into())]).unwrap();
        let out = q.json(&serde_json::json!({"content":"{n}"})).to_string();
        assert_eq!(out, r#"{"content":"a\"b"}"#);
    }

    #[test]
    fn values_must_be_objects_of_strings() {
        assert!(placeholders(&serde_json::json!("x")).is_err());
        assert!(placeholders(&serde_json::json!({"{a}": {"b": 1}})).is_err());
        assert_eq!(
            placeholders(&serde_json::json!({"{a}": 5, "": "skip"})).unwrap(),
            vec![("{a}".to_owned(), "5".to_owned())]
        );
    }
}
