//! [`WriteJson`]: values written straight to compact JSON text, with the bytes
//! `serde_json::to_string` gives for the same data (the same string escapes, numbers as
//! `serde_json::Number` prints them, object members in their order).
//!
//! A writer of its own because serde's serializer, instantiated per type and field, was a large
//! part of the client's wasm for the few shapes the engine writes (its outputs, message and
//! conversation objects, stored state); the parser is [`crate::json::parse`].

use crate::value::{Number, Value};

/// A value that writes itself as JSON text.
pub trait WriteJson {
    /// Appends this value's JSON text to `out`.
    fn write_json(&self, out: &mut String);
}

/// The decimal text of `n`, without `core::fmt` (costly in an interpreter, per message).
pub fn int(n: i64) -> String {
    let mut out = String::with_capacity(20);
    write_i64(&mut out, n);
    out
}

/// The JSON text of `value`.
pub fn text<T: WriteJson + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(128);
    value.write_json(&mut out);
    out
}

/// The members of a JSON object being written: `{` when made, `}` at [`Object::end`].
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    /// Starts an object in `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    /// Writes `"key":` (after a comma unless first) and returns the text to write the value to.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    /// A member.
    pub fn field<T: WriteJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        value.write_json(self.key(key));
        self
    }

    /// A member that is left out when `None` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn opt<T: WriteJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        if let Some(v) = value {
            v.write_json(self.key(key));
        }
        self
    }

    /// Closes the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// Appends `s` as a JSON string: `"`, `\` and control characters escaped as serde_json does
/// (`\n`, `\t`, … or `\u00XX`), everything else as it is.
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        // The byte before `i` is ASCII, so both slices fall on character boundaries.
        out.push_str(s.get(start..i - 1).unwrap_or_default());
        start = i;
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => {
                out.push_str("\\u00");
                for nibble in [b >> 4, b & 0xf] {
                    out.extend(char::from_digit(u32::from(nibble), 16));
                }
                continue;
            }
        };
        out.push_str(escape);
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Appends an unsigned integer in decimal.
pub(crate) fn write_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        // `n % 10` is a digit; `at` stays within the 20 digits of `u64::MAX`.
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or_default());
}

/// Appends a signed integer in decimal.
fn write_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    write_u64(out, n.unsigned_abs());
}

/// Appends a number as serde_json prints it: in the wasm build its JSON text as read.
fn write_number(out: &mut String, n: &Number) {
    out.push_str(n.as_str());
}

impl WriteJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl WriteJson for u64 {
    fn write_json(&self, out: &mut String) {
        write_u64(out, *self);
    }
}

impl WriteJson for i64 {
    fn write_json(&self, out: &mut String) {
        write_i64(out, *self);
    }
}

impl WriteJson for u32 {
    fn write_json(&self, out: &mut String) {
        write_u64(out, u64::from(*self));
    }
}

impl WriteJson for i32 {
    fn write_json(&self, out: &mut String) {
        write_i64(out, i64::from(*self));
    }
}

impl WriteJson for u8 {
    fn write_json(&self, out: &mut String) {
        write_u64(out, u64::from(*self));
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for std::sync::Arc<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// `None` is `null`.
impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

/// A pair is an array, as serde writes tuples.
impl<A: WriteJson, B: WriteJson> WriteJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

/// A triple is an array, as serde writes tuples.
impl<A: WriteJson, B: WriteJson, C: WriteJson> WriteJson for (A, B, C) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(',');
        self.2.write_json(out);
        out.push(']');
    }
}

impl WriteJson for Number {
    fn write_json(&self, out: &mut String) {
        write_number(out, self);
    }
}

impl WriteJson for crate::value::Map {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        for (k, v) in self {
            o.field(k, v);
        }
        o.end();
    }
}

impl WriteJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => write_number(out, n),
            Value::String(s) => write_str(out, s),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => map.write_json(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let samples = [
            json!(null),
            json!({}),
            json!([]),
            json!({"z": 1, "a": [true, false, null], "m": {"k": "v"}}),
            json!("quote \" backslash \\ slash / newline \n tab \t cr \r bs \u{8} ff \u{c}"),
            json!("controls \u{0} \u{1} \u{1f} \u{7f} and é 😀 中文"),
            json!([0, -0, 1, -1, u64::MAX, i64::MIN, 12.5, -3.25e-7, 1e300]),
            json!({"\"key\"\n": "value"}),
        ];
        for v in samples {
            assert_eq!(text(&v), serde_json::to_string(&v).unwrap(), "{v}");
        }
        // A number read from text is written back as that text, exactly.
        for text_in in [
            "1.0",
            "-0",
            "1e2",
            "123456789012345678901234567890",
            "0.1",
            "1.50",
        ] {
            let v = crate::json::parse(text_in).unwrap();
            assert_eq!(text(&v), text_in);
        }
    }

    #[test]
    fn integers_and_options_are_written_in_decimal_and_null() {
        for n in [0i64, 7, -7, 10, 99, 100, i64::MAX, i64::MIN] {
            assert_eq!(text(&n), n.to_string());
        }
        assert_eq!(text(&u64::MAX), u64::MAX.to_string());
        assert_eq!(text(&None::<u32>), "null");
        assert_eq!(text(&vec![Some(1u8), None]), "[1,null]");
        let tuples = vec![(1i32, "a", 2u8), (-1, "b\"", 0)];
        assert_eq!(text(&tuples), serde_json::to_string(&tuples).unwrap());
        let pair = Some(("22:00:00".to_owned(), 60i32));
        assert_eq!(text(&pair), serde_json::to_string(&pair).unwrap());
        let mut out = String::new();
        let mut o = Object::new(&mut out);
        o.field("a", &1u32)
            .opt("b", &None::<bool>)
            .opt("c", &Some(true));
        o.end();
        assert_eq!(out, r#"{"a":1,"c":true}"#);
    }
}
