//! JSON request bodies: the five endpoints that take `application/json` (server-api.md §1.4)
//! read their fields here. Wrong types are 1002 with a message naming the field, as for forms.

use serde_json::{Map, Value};

use super::{check_id, ApiError};

/// A request body that is a JSON object.
#[derive(Debug, Default)]
pub(super) struct JsonBody(Map<String, Value>);

impl JsonBody {
    /// Parses the body; anything but a JSON object is 1002.
    pub(super) fn parse(raw: &[u8]) -> Result<Self, ApiError> {
        match serde_json::from_slice::<Value>(raw) {
            Ok(Value::Object(m)) => Ok(Self(m)),
            Ok(_) | Err(_) => Err(ApiError::param(
                "the body must be a JSON object (Content-Type: application/json)",
            )),
        }
    }

    /// The value of `key`, if present and not null.
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A required id of 1–64 bytes.
    pub(super) fn id(&self, key: &str) -> Result<String, ApiError> {
        match self.get(key) {
            Some(Value::String(s)) => check_id(key, s),
            Some(_) => Err(ApiError::param(format!("{key} must be a string"))),
            None => Err(ApiError::param(format!("{key} is required"))),
        }
    }

    /// A required string.
    pub(super) fn string(&self, key: &str) -> Result<&str, ApiError> {
        match self.get(key) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(ApiError::param(format!("{key} must be a string"))),
            None => Err(ApiError::param(format!("{key} is required"))),
        }
    }

    /// A required array (possibly empty) of at most `max` entries.
    pub(super) fn array(&self, key: &str, max: usize) -> Result<&[Value], ApiError> {
        match self.get(key) {
            Some(Value::Array(a)) if a.len() <= max => Ok(a),
            Some(Value::Array(_)) => Err(ApiError::param(format!("{key}: at most {max} entries"))),
            Some(_) => Err(ApiError::param(format!("{key} must be an array"))),
            None => Err(ApiError::param(format!("{key} is required"))),
        }
    }

    /// A required non-empty array of ids of 1–64 bytes, at most `max`.
    pub(super) fn ids(&self, key: &str, max: usize) -> Result<Vec<String>, ApiError> {
        let list = self.array(key, max)?;
        if list.is_empty() {
            return Err(ApiError::param(format!("{key} must not be empty")));
        }
        list.iter()
            .map(|v| match v {
                Value::String(s) => check_id(key, s),
                _ => Err(ApiError::param(format!("{key} must hold strings"))),
            })
            .collect()
    }

    /// A 0/1 flag (number, string or boolean) with a default.
    pub(super) fn flag(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64().map_or(default, |n| n != 0),
            Some(Value::String(s)) => match s.as_str() {
                "1" | "true" => true,
                "0" | "false" => false,
                _ => default,
            },
            _ => default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_typed_and_bad_bodies_are_parameter_errors() {
        assert_eq!(JsonBody::parse(b"[1]").unwrap_err().code, 1002);
        assert_eq!(JsonBody::parse(b"userId=a").unwrap_err().code, 1002);
        let b = JsonBody::parse(br#"{"userId":"a","n":5,"tags":["x"],"ids":[1],"f":1}"#).unwrap();
        assert_eq!(b.id("userId").unwrap(), "a");
        assert!(b.id("n").is_err());
        assert!(b.id("missing").is_err());
        assert_eq!(b.array("tags", 20).unwrap().len(), 1);
        assert!(b.array("tags", 0).is_err());
        assert!(b.ids("ids", 5).is_err());
        assert!(b.flag("f", false));
        assert!(!b.flag("missing", false));
    }
}
