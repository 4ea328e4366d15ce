//! The few value shapes content fields take, read from and written to a JSON map without a
//! serde derive per content type (which cost most of the content code's wasm size).

use std::borrow::Cow;

use crate::value::{Map, Value};

/// A field value that converts from and to JSON.
pub(crate) trait Field: Sized {
    /// What the field holds, for the table-driven [`normalize`].
    const KIND: Kind;
    /// Reads the value; `Err` names what was expected.
    fn from_json(value: Value) -> Result<Self, String>;
    /// Writes the value.
    fn to_json(&self) -> Value;
    /// [`Self::KIND`], as a function (kinds refer to each other through these, so that a
    /// recursive struct is a finite table).
    fn kind() -> Kind {
        Self::KIND
    }
}

/// What a field holds: the data that [`normalize`] checks a JSON value against, giving what
/// `T::from_json(v).map(|t| t.to_json())` gives for the field's type `T`, with the same errors.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// `String`.
    Str,
    /// `i64`.
    Int,
    /// `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `serde_json::Value`: anything.
    Any,
    /// `Vec<T>`: the kind of `T`.
    List(fn() -> Kind),
    /// A [`json_struct!`] type: its fields, in the SDK's order.
    Object(fn() -> &'static [Key]),
}

/// One field of a [`json_struct!`] type: its Rust name (see [`key`]) and kind.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    /// The Rust field name.
    pub(crate) field: &'static str,
    /// What it holds.
    pub(crate) kind: fn() -> Kind,
}

/// Checks `value` against `kind` and writes it as the typed value would be written: known keys of
/// an object in the SDK's order (a `null` one dropped), then the unknown ones in their order;
/// numbers as their text. `Err` is the typed decoding's message.
pub(crate) fn normalize(value: Value, kind: Kind) -> Result<Value, String> {
    match kind {
        Kind::Str => String::from_json(value).map(Value::String),
        Kind::Int => i64::from_json(value).map(|v| v.to_json()),
        // A number keeps its text as it came (see `crate::value`).
        Kind::Float => match value {
            Value::Number(_) => Ok(value),
            _ => Err("expected a number".into()),
        },
        Kind::Bool => bool::from_json(value).map(Value::Bool),
        Kind::Any => Ok(value),
        Kind::List(item) => match value {
            Value::Array(items) => items
                .into_iter()
                .map(|v| normalize(v, item()))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            _ => Err("expected an array".into()),
        },
        Kind::Object(keys) => match value {
            Value::Object(map) => normalize_object(map, keys()).map(Value::Object),
            _ => Err("expected a JSON object".into()),
        },
    }
}

/// [`normalize`] for the fields of an object.
pub(crate) fn normalize_object(
    mut map: Map<String, Value>,
    keys: &[Key],
) -> Result<Map<String, Value>, String> {
    if in_sdk_order(&map, keys) {
        // The usual case (what the SDKs send): each value is normalized where it is, instead of
        // the map being rebuilt (a hash and a copy per key).
        for (name, v) in map.iter_mut() {
            if let Some(k) = keys.iter().find(|k| key_is(k.field, name)) {
                *v = normalize(std::mem::take(v), (k.kind)())
                    .map_err(|e| crate::text!("`", name, "`: ", e))?;
            }
        }
        return Ok(map);
    }
    rebuild_object(map, keys)
}

/// Whether `map` already has the order [`rebuild_object`] gives: its known keys in the SDK's
/// order, none of them `null`, before any unknown key.
fn in_sdk_order(map: &Map<String, Value>, keys: &[Key]) -> bool {
    let mut next = 0;
    for (name, v) in map {
        let later = keys
            .get(next..)
            .and_then(|rest| rest.iter().position(|k| key_is(k.field, name)));
        match later {
            Some(p) if !v.is_null() => next += p + 1,
            Some(_) => return false,
            None if keys.iter().any(|k| key_is(k.field, name)) => return false,
            None => next = keys.len(),
        }
    }
    true
}

/// Whether `name` is [`key`]`(field)`, without allocating.
fn key_is(field: &'static str, name: &str) -> bool {
    let field = field.strip_prefix("r#").unwrap_or(field);
    if field == "message_uid" {
        return name == "messageUId";
    }
    if !field.contains('_') {
        return field == name;
    }
    let mut rest = name.bytes();
    let mut upper = false;
    for c in field.bytes() {
        if c == b'_' {
            upper = true;
            continue;
        }
        let want = if upper { c.to_ascii_uppercase() } else { c };
        upper = false;
        if rest.next() != Some(want) {
            return false;
        }
    }
    rest.next().is_none()
}

/// [`normalize_object`] by building the map again in the SDK's order.
fn rebuild_object(mut map: Map<String, Value>, keys: &[Key]) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for k in keys {
        let key = key(k.field);
        match map.shift_remove(key.as_ref()) {
            None | Some(Value::Null) => {}
            Some(v) => {
                let v = normalize(v, (k.kind)()).map_err(|e| crate::text!("`", key, "`: ", e))?;
                out.insert(key.into_owned(), v);
            }
        }
    }
    out.extend(map);
    Ok(out)
}

/// The JSON key of a Rust field name: camelCase, `r#type` → `type`, and the SDK's `messageUId`.
/// Names without an underscore are used as they are, without allocating. Field names are ASCII,
/// so only ASCII letters change case (no Unicode case tables in the build).
pub(crate) fn key(field: &'static str) -> Cow<'static, str> {
    let field = field.strip_prefix("r#").unwrap_or(field);
    if field == "message_uid" {
        return Cow::Borrowed("messageUId");
    }
    if !field.contains('_') {
        return Cow::Borrowed(field);
    }
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Removes `field`'s key from `map` (keeping the order of the rest) and reads it. A missing key
/// or `null` is `None`.
pub(crate) fn take<T: Field>(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<T>, String> {
    let key = key(field);
    match map.shift_remove(key.as_ref()) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::from_json(v)
            .map(Some)
            .map_err(|e| crate::text!("`", key, "`: ", e)),
    }
}

/// Writes `value` under `field`'s key when it is set.
pub(crate) fn put<T: Field>(map: &mut Map<String, Value>, field: &'static str, value: &Option<T>) {
    if let Some(v) = value {
        map.insert(key(field).into_owned(), v.to_json());
    }
}

impl Field for String {
    const KIND: Kind = Kind::Str;
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s),
            _ => Err("expected a string".into()),
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Field for i64 {
    const KIND: Kind = Kind::Int;
    fn from_json(value: Value) -> Result<Self, String> {
        value.as_i64().ok_or_else(|| "expected an integer".into())
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl Field for f64 {
    const KIND: Kind = Kind::Float;
    fn from_json(value: Value) -> Result<Self, String> {
        value.as_f64().ok_or_else(|| "expected a number".into())
    }
    fn to_json(&self) -> Value {
        // Whole numbers print like JavaScript does (`40`, not `40.0`).
        if self.fract() == 0.0 && self.abs() < 9.007_199_254_740_992e15 {
            Value::from(*self as i64)
        } else {
            crate::value::Number::from_f64(*self).map_or(Value::Null, Value::Number)
        }
    }
}

impl Field for crate::value::Number {
    const KIND: Kind = Kind::Float;
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => Ok(n),
            _ => Err("expected a number".into()),
        }
    }
    fn to_json(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl Field for bool {
    const KIND: Kind = Kind::Bool;
    fn from_json(value: Value) -> Result<Self, String> {
        value.as_bool().ok_or_else(|| "expected a boolean".into())
    }
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Field for Value {
    const KIND: Kind = Kind::Any;
    fn from_json(value: Value) -> Result<Self, String> {
        Ok(value)
    }
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: Field> Field for Vec<T> {
    const KIND: Kind = Kind::List(T::kind);
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            _ => Err("expected an array".into()),
        }
    }
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(Field::to_json).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_compares_with_the_sdk_spelling_without_allocating() {
        for field in [
            "mentioned_info",
            "r#type",
            "message_uid",
            "existed_user_pofiles",
            "isresolve",
        ] {
            assert!(key_is(field, &key(field)), "{field}");
            assert!(!key_is(field, &format!("{}x", key(field))), "{field}");
            assert!(!key_is(field, &key(field)[1..]), "{field}");
        }
        assert!(!key_is("mentioned_info", "mentioned_info"));
    }

    const KEYS: &[Key] = &[
        Key {
            field: "content",
            kind: String::kind,
        },
        Key {
            field: "mentioned_info",
            kind: Value::kind,
        },
        Key {
            field: "r#type",
            kind: i64::kind,
        },
        Key {
            field: "duration",
            kind: f64::kind,
        },
    ];

    #[test]
    fn in_place_and_rebuilt_normalization_agree() {
        let cases = [
            r#"{"content":"a","mentionedInfo":{"x":1},"type":2,"duration":3.0,"extra":"e"}"#,
            r#"{"content":"a","type":2}"#,
            r#"{"type":2,"content":"a"}"#,
            r#"{"extra":"e","content":"a"}"#,
            r#"{"content":null,"type":2}"#,
            r#"{"content":"a","type":"two"}"#,
            r#"{"content":1,"type":"two"}"#,
            r#"{"duration":"x","content":"a"}"#,
            r#"{"other":null,"content":"a"}"#,
            r#"{}"#,
        ];
        for text in cases {
            let Value::Object(map) = serde_json::from_str::<Value>(text).unwrap() else {
                panic!("{text}");
            };
            let fast = normalize_object(map.clone(), KEYS).map(|m| Value::Object(m).to_string());
            let slow = rebuild_object(map, KEYS).map(|m| Value::Object(m).to_string());
            assert_eq!(fast, slow, "{text}");
        }
    }

    #[test]
    fn keys_are_the_sdk_spellings() {
        assert_eq!(key("mentioned_info"), "mentionedInfo");
        assert_eq!(key("r#type"), "type");
        assert_eq!(key("message_uid"), "messageUId");
        assert_eq!(key("existed_user_pofiles"), "existedUserPofiles");
        assert_eq!(key("isresolve"), "isresolve");
    }

    #[test]
    fn whole_floats_print_without_a_fraction() {
        assert_eq!(40.0f64.to_json().to_string(), "40");
        assert_eq!(39.9f64.to_json().to_string(), "39.9");
    }
}
