//! [`parse`]: JSON text (RFC 8259) into a [`Value`], for every JSON text the codec and the
//! client engine read (message contents, command arguments, navigation replies).
//!
//! It accepts what `serde_json::from_str` accepts: a number keeps its text (see
//! [`crate::value`]) and is refused only beyond the `f64` range, as serde_json refuses it; a
//! repeated key keeps its first position and its last value; nesting deeper than 128 levels is an
//! error rather than a deep recursion. Only the error messages differ. It is a small parser of its
//! own because serde_json's deserializer, with its exact float parsing, was the largest single
//! part of the client's wasm.

use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess,
};
use serde::de::{SeqAccess, Unexpected, Visitor};
use serde::forward_to_deserialize_any;

use crate::value::{Map, Number, Value};

/// A number from its JSON text (already checked against the grammar): the text itself, kept
/// exactly; `None` when it is beyond the `f64` range, which serde_json refuses too.
fn number(text: &str) -> Option<Number> {
    (!overflows(text)).then(|| Number::from_text(text.to_owned()))
}

/// The significant digits of a JSON number's text and the decimal exponent of the point before
/// them (`12.5e1` → `(b"125", 3)`, i.e. 0.125 × 10³); no digits for zero.
fn decimal(text: &str) -> (Vec<u8>, i64) {
    let mut digits = Vec::new();
    let (mut point, mut exp) = (0i64, 0i64);
    let (mut fraction, mut exponent, mut negative) = (false, false, false);
    for c in text.bytes() {
        match c {
            b'0'..=b'9' if exponent => {
                // Saturates far beyond any exponent that matters.
                exp = (exp * 10 + i64::from(c - b'0')).min(1_000_000_000_000);
            }
            b'0' if digits.is_empty() => point -= i64::from(fraction),
            b'0'..=b'9' => {
                digits.push(c);
                point += i64::from(!fraction);
            }
            b'.' => fraction = true,
            b'e' | b'E' => exponent = true,
            b'-' => negative = exponent,
            _ => {}
        }
    }
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        return (digits, 0);
    }
    (digits, point + if negative { -exp } else { exp })
}

/// Whether a JSON number rounds to an infinite `f64`: whether its magnitude is at least
/// 2^1024 − 2^970, halfway between the largest double and 2^1024 (ties go to even: up).
fn overflows(text: &str) -> bool {
    const LIMIT: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
    let (digits, point) = decimal(text);
    match point.cmp(&309) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => !digits.is_empty(),
        std::cmp::Ordering::Equal => digits.as_slice() >= LIMIT.as_bytes(),
    }
}

/// A number's value for the engine's own arguments (times, counts, codes): exact for integers
/// within ±2^53, close for anything else (never a message content, which keeps its text).
pub fn number_f64(n: &Number) -> Option<f64> {
    #[cfg(not(target_arch = "wasm32"))]
    return n.as_str().parse::<f64>().ok().filter(|f| f.is_finite());
    #[cfg(target_arch = "wasm32")]
    {
        let text = n.as_str();
        if overflows(text) {
            return None;
        }
        let (digits, point) = decimal(text);
        let mut value = 0.0f64;
        for &d in digits.iter().take(20) {
            value = value * 10.0 + f64::from(d.saturating_sub(b'0'));
        }
        let used = i64::try_from(digits.len().min(20)).unwrap_or(20);
        let scale = i32::try_from((point - used).clamp(-700, 700)).unwrap_or(0);
        let first = scale.clamp(-300, 300);
        value *= 10f64.powi(first);
        value *= 10f64.powi(scale - first);
        Some(if text.starts_with('-') { -value } else { value })
    }
}

/// One more than the deepest nesting of arrays and objects accepted (serde_json's limit too).
const MAX_DEPTH: usize = 128;

/// Parses one JSON value; only whitespace may surround it. `Err` says what was wrong and where
/// (a byte offset).
pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    let value = p.value(MAX_DEPTH)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        crate::text!(what, " at byte ", self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `b` after optional whitespace.
    fn eat(&mut self, b: u8) -> bool {
        self.skip_ws();
        let found = self.peek() == Some(b);
        if found {
            self.pos += 1;
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        self.skip_ws();
        let Some(b) = self.peek() else {
            return Err(self.error("EOF while parsing a value"));
        };
        match b {
            b'n' => self.literal("null", Value::Null),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' => {
                let depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Err(self.error("recursion limit exceeded"));
                }
                self.pos += 1;
                if b == b'[' {
                    self.array(depth)
                } else {
                    self.object(depth)
                }
            }
            _ => Err(self.error("expected value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected value"))
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error("expected `,` or `]`"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        let mut map = Map::new();
        if self.eat(b'}') {
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("key must be a string"));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.error("expected `:`"));
            }
            let value = self.value(depth)?;
            map.insert(key, value);
            if self.eat(b'}') {
                return Ok(Value::Object(map));
            }
            if !self.eat(b',') {
                return Err(self.error("expected `,` or `}`"));
            }
        }
    }

    /// Skips the digits at the cursor; `false` when there are none.
    fn digits(&mut self) -> bool {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos > start
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        if !self.digits() {
            return Err(self.error("invalid number"));
        }
        if self.pos - int_start > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(self.error("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.digits() {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.digits() {
                return Err(self.error("invalid number"));
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        number(text)
            .map(Value::Number)
            .ok_or_else(|| self.error("number out of range"))
    }

    /// A string at the cursor (its opening quote).
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The run ends at an ASCII byte or the end, so it is whole UTF-8.
            out.push_str(self.text.get(run..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.peek();
                    self.pos += 1;
                    let c = match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("invalid escape"));
                        }
                    };
                    out.push(c);
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
    }

    /// The four hex digits after `\u`, and a low surrogate's escape after a high one.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error("invalid hex escape"))?;
            code = code * 16 + digit;
            self.pos += 1;
        }
        Ok(code)
    }
}

/// Reads a `T` from a parsed value, like `serde_json::from_value`, but numbers reach `T` without
/// a detour through `f64`: integers as integers, others (for a `Value` inside `T`) as their text
/// in the wasm build. serde_json's own value deserializer would link float parsing and formatting
/// there.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ValueError> {
    T::deserialize(Plain(value))
}

/// A JSON value as a field of a type read with [`from_value`]: reads like `Value` but takes a
/// number's text as it is (in the wasm build), without serde_json's number parser.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonValue(pub Value);

impl<'de> de::Deserialize<'de> for JsonValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(JsonValueVisitor)
            .map(JsonValue)
    }
}

struct JsonValueVisitor;

impl<'de> Visitor<'de> for JsonValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        JsonValue::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            if key == NUMBER_TOKEN && map.is_empty() {
                let text: String = entries.next_value()?;
                return Ok(number(&text).map_or(Value::Null, Value::Number));
            }
            let JsonValue(value) = entries.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// The key of the one-entry map that stands for a number's text (serde_json's, too).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Why [`from_value`] failed. Its messages are serde's, except that a number is never written
/// out as a float (which would link float formatting into the wasm).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError(String);

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl de::Error for ValueError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid type: {}, expected {expected}",
            Found(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid value: {}, expected {expected}",
            Found(unexpected)
        ))
    }
}

/// What a value was, as serde words it, with a number's value left out when it is a float.
struct Found<'a>(Unexpected<'a>);

impl std::fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Float(_) => f.write_str("floating point"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string \"{s}\""),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("array"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// The deserializer of [`from_value`].
struct Plain(Value);

impl Plain {
    /// An integer for an integer visitor; a non-integral number is the visitor's type error.
    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match &self.0 {
            Value::Number(n) if n.as_u64().is_none() && n.as_i64().is_none() => Err(
                de::Error::invalid_type(Unexpected::Other("a non-integral number"), &visitor),
            ),
            _ => de::Deserializer::deserialize_any(self, visitor),
        }
    }
}

macro_rules! integers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            self.integer(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Plain {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => {
                // `-0` reads as the integer 0 from text; a `Value` keeps it as `-0`.
                let signed = n.as_i64().filter(|_| n.as_str() != "-0");
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = signed {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_map(NumberText(Some(n.as_str().to_owned())))
                }
            }
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            Value::Object(map) => visitor.visit_map(Entries {
                iter: map.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Plain(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    /// A struct is read from an object only (serde_json also takes an array of its fields in
    /// order, which no caller sends, at the cost of a second reader per type).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries {
                iter: map.into_iter(),
                value: None,
            }),
            _ => Err(de::Error::invalid_type(
                Unexpected::Other("a value other than an object"),
                &visitor,
            )),
        }
    }

    integers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64);

    forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = ValueError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ValueError> {
        self.0
            .next()
            .map(|v| seed.deserialize(Plain(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    iter: std::vec::IntoIter<(String, Value)>,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = ValueError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ValueError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, ValueError> {
        seed.deserialize(Plain(self.value.take().unwrap_or_default()))
    }
}

/// A number as the one-entry map a [`JsonValue`] reads a number's text from (serde_json's
/// `arbitrary_precision` form).
struct NumberText(Option<String>);

impl<'de> MapAccess<'de> for NumberText {
    type Error = ValueError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ValueError> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(NUMBER_TOKEN.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, ValueError> {
        seed.deserialize(self.0.take().unwrap_or_default().into_deserializer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both parsers agree on `text`: the same value, or both refuse it; and ours writes back
    /// text that it reads as the same value.
    fn agree(text: &str) {
        let ours = parse(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(serde_json::Value::from(a.clone()), *b, "{text:?}");
                assert_eq!(parse(&a.to_string()).as_ref(), Ok(a), "{text:?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: {ours:?} vs {theirs:?}"),
        }
    }

    #[test]
    fn values_are_those_of_serde_json() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "-0.0",
            "0.0",
            "1",
            "-1",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "1E5",
            "1e-5",
            "2.5E+3",
            "0.1",
            "0.30000000000000004",
            "0.1e1",
            "123456789012345678901234567890",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "9007199254740993",
            "1e308",
            "1e309",
            "-1e400",
            "1e-400",
            "4.9406564584124654e-324",
            "2.2250738585072011e-308",
            "1.7976931348623157e308",
            "\"\"",
            "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
            "\"\\u00e9\\u20AC\\ud83d\\ude00\"",
            "\"\\ud83d\"",
            "\"\\ud83dx\"",
            "\"\\ud83d\\u0041\"",
            "\"\\ude00\"",
            "\"\\u12\"",
            "\"\\x\"",
            "\"tab\there\"",
            "\"é😀\"",
            "\"open",
            "[]",
            "[1,2,[3,{}]]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{}",
            "{\"a\":1,\"b\":[true,null]}",
            "{\"a\":1,\"a\":2}",
            "{\"b\":1,\"a\":2,\"b\":3}",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "{1:1}",
            "nul",
            "truex",
            "1 2",
            "",
            "   ",
            "[",
            "{\"a\":",
            "not json",
        ] {
            agree(text);
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        agree(&deep(127));
        agree(&deep(128));
        assert!(parse(&deep(100_000)).is_err());
        assert!(parse(&"{\"a\":".repeat(200)).is_err());
    }

    /// Numbers come back out as the same double (or the same integer) they went in as.
    #[test]
    fn numbers_round_trip() {
        for text in [
            "0.30000000000000004",
            "0.1",
            "5e-324",
            "123456789.12345679",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            let v = parse(text).unwrap();
            assert_eq!(v.to_string(), text);
        }
        assert_eq!(parse("-0").unwrap().to_string(), "-0");
        assert_eq!(parse("1e2").unwrap().to_string(), "1e2");
        assert_eq!(parse(" [1.50, 2E+3] ").unwrap().to_string(), "[1.50,2E+3]");
    }

    #[test]
    fn from_value_reads_like_serde_json_without_floats_for_integers() {
        #[derive(serde::Deserialize, Debug, PartialEq, Default)]
        #[serde(default, rename_all = "camelCase")]
        struct Args {
            count: u32,
            time: Option<i64>,
            ids: Vec<String>,
            bytes: Vec<u8>,
            any: Value,
        }
        let read = |text: &str| from_value::<Args>(parse(text).unwrap());
        let args = read(
            r#"{"count":3,"time":-5,"ids":["a"],"bytes":[1,255],"any":{"x":[0.5]},"extra":1}"#,
        )
        .unwrap();
        assert_eq!(
            args,
            Args {
                count: 3,
                time: Some(-5),
                ids: vec!["a".into()],
                bytes: vec![1, 255],
                any: crate::json!({"x": [0.5]}),
            }
        );
        assert_eq!(read(r#"{"time":null}"#).unwrap().time, None);
        for bad in [
            r#"{"count":1.5}"#,
            r#"{"count":-1}"#,
            r#"{"count":"1"}"#,
            r#"{"bytes":[256]}"#,
            r#"{"ids":[1]}"#,
            "[3]",
            "null",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert_eq!(
            from_value::<Vec<i32>>(parse("[1,-2]").unwrap()).unwrap(),
            [1, -2]
        );
    }

    #[test]
    fn decimal_digits_and_the_double_range() {
        assert_eq!(decimal("12.5e1"), (b"125".to_vec(), 3));
        assert_eq!(decimal("-0.00123"), (b"123".to_vec(), -2));
        assert_eq!(decimal("100"), (b"1".to_vec(), 3));
        assert_eq!(decimal("1E-2"), (b"1".to_vec(), -1));
        assert_eq!(decimal("-0.0e5"), (Vec::new(), 0));
        for (text, out) in [
            ("1e308", false),
            ("1.7976931348623157e308", false),
            ("1.7976931348623158e308", false),
            ("1.7976931348623158079e308", false),
            ("1.797693134862315808e308", true),
            ("179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791", false),
            ("-2e308", true),
            ("1e309", true),
            ("0.0e400", false),
            ("1e-400", false),
            ("1e99999999999999999999999", true),
        ] {
            assert_eq!(overflows(text), out, "{text}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(text).is_err(), out, "{text}");
            assert_eq!(parse(text).is_err(), out, "{text}");
        }
    }

    /// Random JSON (native only: proptest seeds from the OS).
    #[cfg(not(target_arch = "wasm32"))]
    mod random {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_text_parses_like_serde_json(text in "[-\\[\\]{}:,\" 0-9eE.+a-z\\\\]{0,24}") {
                agree(&text);
            }

            #[test]
            fn any_float_round_trips(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
                let text = serde_json::Value::from(f).to_string();
                agree(&text);
            }
        }
    }
}
