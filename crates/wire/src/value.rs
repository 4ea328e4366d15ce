//! [`Value`]: a JSON value as the codec and the client engine hold it — message contents,
//! command arguments, navigation replies — read by [`crate::json::parse`] and written by
//! [`crate::json_out`].
//!
//! The shape is serde_json's (`Null`, `Bool`, `Number`, `String`, `Array`, `Object`) with two
//! differences that keep contents exact and the wasm small:
//! - a [`Number`] is its JSON text, as it came: `1.50` stays `1.50`, integers beyond 2^53 stay
//!   exact, and no float parsing or formatting runs unless a caller asks for an `f64`;
//! - a [`Map`] is a vector of members in their order, found by comparing keys: objects here have
//!   a handful of keys, and a hash table per object (and its hasher) cost more code and more
//!   instructions per message than they save.

use std::fmt;

/// A JSON value. See the module documentation.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its JSON text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, its members in their order.
    Object(Map<String, Value>),
}

/// A JSON number: its text, checked against the JSON grammar by whoever made it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(String);

/// A JSON object's members in their order; a key appears once. (The type parameters are
/// serde_json's spelling; only `Map<String, Value>` exists.)
#[derive(Clone, PartialEq)]
pub struct Map<K = String, V = Value> {
    items: Vec<(K, V)>,
}

impl Number {
    /// A number from JSON number text the caller has checked against the grammar.
    pub fn from_text(text: String) -> Self {
        Self(text)
    }

    /// The number's JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the text has no fraction and no exponent.
    fn integral(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// The number as an `i64`, when it is an integer written without fraction or exponent that
    /// fits.
    pub fn as_i64(&self) -> Option<i64> {
        if self.integral() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The number as a `u64`, when it is a non-negative integer written without fraction or
    /// exponent that fits.
    pub fn as_u64(&self) -> Option<u64> {
        if self.integral() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// Whether [`Number::as_i64`] gives a value.
    pub fn is_i64(&self) -> bool {
        self.as_i64().is_some()
    }

    /// Whether [`Number::as_u64`] gives a value.
    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    /// The number as an `f64`: exact for integers within ±2^53; see [`crate::json::number_f64`]
    /// for the precision of others in the wasm build. `None` beyond the `f64` range.
    pub fn as_f64(&self) -> Option<f64> {
        crate::json::number_f64(self)
    }

    /// A finite `f64` as a number (`None` for NaN and infinities). Whole numbers within ±2^53
    /// print without a fraction, as JavaScript prints them.
    pub fn from_f64(f: f64) -> Option<Self> {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
            // Exact: the magnitude is below 2^53.
            #[allow(clippy::cast_possible_truncation)]
            return Some(Self::from(f as i64));
        }
        Some(Self(float_text(f)))
    }
}

/// An `f64`'s shortest text that reads back as the same value.
#[cfg(not(target_arch = "wasm32"))]
fn float_text(f: f64) -> String {
    f.to_string()
}

/// An `f64`'s text, in the wasm build, where no float formatting is linked: the value to 17
/// significant digits (enough to read back as the same `f64`). No engine path writes floats it
/// did not read as text.
#[cfg(target_arch = "wasm32")]
fn float_text(f: f64) -> String {
    let mut out = String::new();
    let mut v = f;
    if v < 0.0 {
        out.push('-');
        v = -v;
    }
    let mut exp = 0i32;
    while v >= 10.0 {
        v /= 10.0;
        exp += 1;
    }
    while v < 1.0 {
        v *= 10.0;
        exp -= 1;
    }
    for i in 0..17 {
        let d = (v as u8).min(9);
        out.push(char::from(b'0' + d));
        if i == 0 {
            out.push('.');
        }
        v = (v - f64::from(d)) * 10.0;
    }
    out.push('e');
    out.push_str(&crate::json_out::int(i64::from(exp)));
    out
}

macro_rules! number_from_int {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(n: $t) -> Self {
                Self(crate::json_out::int(n as i64))
            }
        }
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(Number::from(n))
            }
        }
    )*};
}
number_from_int!(i8 i16 i32 i64 u8 u16 u32 isize);

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        let mut out = String::with_capacity(20);
        crate::json_out::write_u64(&mut out, n);
        Self(out)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(Number::from(n))
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Number(Number::from(n as u64))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Value {
    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// See [`Number::as_i64`].
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// See [`Number::as_u64`].
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// See [`Number::as_f64`].
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    /// Whether this is an integer that fits an `i64`.
    pub fn is_i64(&self) -> bool {
        self.as_i64().is_some()
    }

    /// Whether this is an integer that fits a `u64`.
    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Map<String, Value>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut Map<String, Value>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The member of an object (`get("key")`) or the item of an array (`get(0)`), if there is
    /// one.
    pub fn get<I: Index>(&self, at: I) -> Option<&Value> {
        at.find(self)
    }

    /// The member `key`, if this is an object that has it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_object_mut().and_then(|m| m.get_mut(key))
    }

    /// Takes the value out, leaving `null`.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// What [`Value::get`] takes: a key (`&str`) or an array index (`usize`).
pub trait Index {
    /// The value at this key or index of `v`.
    fn find(self, v: &Value) -> Option<&Value>;
}

impl Index for &str {
    fn find(self, v: &Value) -> Option<&Value> {
        v.as_object().and_then(|m| m.get(self))
    }
}

impl Index for &String {
    fn find(self, v: &Value) -> Option<&Value> {
        v.as_object().and_then(|m| m.get(self))
    }
}

impl Index for usize {
    fn find(self, v: &Value) -> Option<&Value> {
        v.as_array().and_then(|a| a.get(self))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

impl From<Map<String, Value>> for Value {
    fn from(map: Map<String, Value>) -> Self {
        Value::Object(map)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl fmt::Display for Value {
    /// The compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::json_out::text(self))
    }
}

impl From<f64> for Value {
    /// A finite number; `null` for NaN and infinities (as serde_json).
    fn from(f: f64) -> Self {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// `null` for a missing member or item, as serde_json's indexing gives.
static NULL: Value = Value::Null;

impl std::ops::Index<&str> for Value {
    type Output = Value;

    /// The member `key`; `null` when this is not an object or lacks it.
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;

    /// The item at `i`; `null` when this is not an array or is shorter.
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

macro_rules! eq_int {
    ($($t:ty)*) => {$(
        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                self.as_i64() == i64::try_from(*other).ok() && self.as_i64().is_some()
            }
        }
    )*};
}
eq_int!(i32 i64 u32 u64 usize);

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl Default for Map<String, Value> {
    fn default() -> Self {
        Self::new()
    }
}

impl Map<String, Value> {
    /// An empty object.
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// An empty object with room for `n` members.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            items: Vec::with_capacity(n),
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.items.iter().position(|(k, _)| k == key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.items.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.items
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether `key` is a member.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`: a new key goes last, an existing one keeps its place. The value it
    /// replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.get_mut(&key) {
            Some(v) => Some(std::mem::replace(v, value)),
            None => {
                self.items.push((key, value));
                None
            }
        }
    }

    /// Removes `key`, keeping the order of the other members; its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.position(key)?;
        Some(self.items.remove(at).1)
    }

    /// The same as [`Map::remove`] (serde_json's name for the order-keeping removal).
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.remove(key)
    }

    /// Keeps only the members for which `keep` says so, in their order.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v));
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The members, in order.
    pub fn iter(&self) -> Iter<'_> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    /// The members, in order, with their values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Value)> {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.items.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.items.iter().map(|(_, v)| v)
    }

    /// The values, in order, mutable.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.items.iter_mut().map(|(_, v)| v)
    }
}

/// The iterator of [`Map::iter`].
pub type Iter<'a> = std::iter::Map<
    std::slice::Iter<'a, (String, Value)>,
    fn(&'a (String, Value)) -> (&'a String, &'a Value),
>;

impl fmt::Debug for Map<String, Value> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Map<String, Value> {
    /// The members in order; a repeated key keeps its first place and its last value.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        let mut map = Self::new();
        map.extend(members);
        map
    }
}

impl Extend<(String, Value)> for Map<String, Value> {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, members: I) {
        for (k, v) in members {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Map<String, Value> {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map<String, Value> {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl serde::Serialize for Value {
    /// As serde_json serializes its own value: a number as an integer when it is one, else as
    /// an `f64`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    s.serialize_u64(u)
                } else if let Some(i) = n.as_i64() {
                    s.serialize_i64(i)
                } else {
                    s.serialize_f64(n.as_f64().unwrap_or_default())
                }
            }
            Value::String(v) => s.serialize_str(v),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => map.serialize(s),
        }
    }
}

impl serde::Serialize for Map<String, Value> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::JsonValue::deserialize(d).map(|v| v.0)
    }
}

/// The same value as serde_json's (the server and the tests meet serde_json values).
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(Number(n.to_string())),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

/// The same value as serde_json's; a number serde_json cannot hold becomes `null`.
impl From<Value> for serde_json::Value {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(b),
            Value::Number(n) => serde_json::from_str(n.as_str()).unwrap_or_default(),
            Value::String(s) => serde_json::Value::String(s),
            Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(Into::into).collect())
            }
            Value::Object(map) => {
                serde_json::Value::Object(map.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    }
}

/// A [`Value`] built with serde_json's `json!` syntax (for the server and tests; the caller
/// depends on serde_json).
#[macro_export]
macro_rules! json {
    ($($t:tt)+) => {
        $crate::value::Value::from(::serde_json::json!($($t)+))
    };
}
