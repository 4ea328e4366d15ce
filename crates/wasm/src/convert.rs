//! Reading the JSON arguments of a command and writing its JSON answer.
//!
//! Values cross the wasm boundary as JSON text in both directions: the façade serializes a
//! command's arguments (`JSON.stringify`, non-finite numbers as their names) and parses the
//! answer. A failure is the text `!` followed by the reason; the façade throws it as an `Error`
//! with `code` −3 (PARAMETER_ERROR).

use serde::Serialize;
use serde_json::Value;

/// A command's failure: the reason, for an `Error` with `code` −3.
pub(crate) type Failure = String;

/// The arguments of one command, read left to right.
pub(crate) struct Args {
    values: std::vec::IntoIter<Value>,
}

impl Args {
    pub(crate) fn new(values: Vec<Value>) -> Self {
        Self {
            values: values.into_iter(),
        }
    }

    /// The next argument; a missing one reads as `null` (JS `undefined`).
    fn next(&mut self) -> Value {
        self.values.next().unwrap_or(Value::Null)
    }

    /// A number, or NaN for anything else (lenient host inputs: times, ids, status codes).
    pub(crate) fn number(&mut self) -> f64 {
        number_of(&self.next()).unwrap_or(f64::NAN)
    }

    /// A JS time in ms as the engine's `u64`: NaN, negative and infinite values clamp to 0.
    pub(crate) fn now(&mut self) -> u64 {
        ms(self.number())
    }

    /// A string argument.
    pub(crate) fn string(&mut self, what: &str) -> Result<String, Failure> {
        match self.next() {
            Value::String(s) => Ok(s),
            _ => Err(format!("{what} must be a string")),
        }
    }

    /// An integral number that fits an `i32` (a type, a count, an order, a status).
    pub(crate) fn int(&mut self, what: &str) -> Result<i32, Failure> {
        number_of(&self.next())
            .and_then(int_value)
            .ok_or_else(|| format!("{what} must be an integer"))
    }

    /// A timestamp in ms: a finite number within ±2^53; fractions are dropped.
    pub(crate) fn timestamp(&mut self, what: &str) -> Result<i64, Failure> {
        number_of(&self.next())
            .and_then(timestamp_value)
            .ok_or_else(|| format!("{what} must be a finite number"))
    }

    /// An optional timestamp: `null`/`undefined` is `None`.
    pub(crate) fn optional_timestamp(&mut self, what: &str) -> Result<Option<i64>, Failure> {
        match self.next() {
            Value::Null => Ok(None),
            v => number_of(&v)
                .and_then(timestamp_value)
                .map(Some)
                .ok_or_else(|| format!("{what} must be a finite number")),
        }
    }

    /// A list of strings (user ids).
    pub(crate) fn strings(&mut self, what: &str) -> Result<Vec<String>, Failure> {
        strings(self.next()).ok_or_else(|| format!("invalid {what}"))
    }

    /// A list of conversation types; `null`/`undefined` means all (an empty list).
    pub(crate) fn types(&mut self) -> Result<Vec<i32>, Failure> {
        match self.next() {
            Value::Null => Ok(Vec::new()),
            v => list(v, integer).ok_or_else(|| "invalid conversation types".to_owned()),
        }
    }

    /// An object argument, read field by field.
    pub(crate) fn object<'w>(&mut self, what: &'w str) -> Result<Fields<'w>, Failure> {
        Fields::of(self.next(), what)
    }

    /// An optional object argument: `null`/`undefined` is `None`.
    pub(crate) fn optional_object<'w>(
        &mut self,
        what: &'w str,
    ) -> Result<Option<Fields<'w>>, Failure> {
        match self.next() {
            Value::Null => Ok(None),
            v => Fields::of(v, what).map(Some),
        }
    }
}

/// The fields of an object argument, read by name as a derived `Deserialize` would: a missing
/// field is a failure unless it has a default, a field of the wrong kind always is, and other
/// keys are ignored. One reader for every argument object instead of one per type.
pub(crate) struct Fields<'w> {
    map: serde_json::Map<String, Value>,
    what: &'w str,
}

impl<'w> Fields<'w> {
    pub(crate) fn of(value: Value, what: &'w str) -> Result<Self, Failure> {
        match value {
            Value::Object(map) => Ok(Self { map, what }),
            _ => Err(format!("invalid {what}: not an object")),
        }
    }

    fn fail(&self, key: &str, kind: &str) -> Failure {
        format!("invalid {}: `{key}` {kind}", self.what)
    }

    /// A field's value when present (`null` included), read by `read`.
    pub(crate) fn get<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
    ) -> Result<Option<T>, Failure> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(v) => read(v)
                .map(Some)
                .ok_or_else(|| self.fail(key, "has the wrong type")),
        }
    }

    /// A required field.
    pub(crate) fn need<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
    ) -> Result<T, Failure> {
        self.get(key, read)?
            .ok_or_else(|| self.fail(key, "is missing"))
    }

    /// A field with a default: `slot` keeps its value when the field is missing.
    pub(crate) fn set<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
        slot: &mut T,
    ) -> Result<(), Failure> {
        if let Some(value) = self.get(key, read)? {
            *slot = value;
        }
        Ok(())
    }

    /// An optional field: missing or `null` is `None`.
    pub(crate) fn opt<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
    ) -> Result<Option<T>, Failure> {
        match self.map.get(key) {
            Some(Value::Null) => Ok(None),
            _ => self.get(key, read),
        }
    }

    /// A field's raw value; `None` when missing.
    pub(crate) fn raw(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }
}

/// A string value.
pub(crate) fn string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// A boolean value.
pub(crate) fn boolean(value: Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

/// An integral number that fits `T` (written without a fraction or exponent, as serde reads it).
pub(crate) fn integer<T: TryFrom<u64> + TryFrom<i64>>(value: Value) -> Option<T> {
    let Value::Number(n) = value else {
        return None;
    };
    if let Some(u) = n.as_u64() {
        return T::try_from(u).ok();
    }
    // `-0` is not an integer to the reader of text numbers.
    #[cfg(target_arch = "wasm32")]
    if n.as_str() == "-0" {
        return None;
    }
    n.as_i64().and_then(|i| T::try_from(i).ok())
}

/// An array whose items all read with `read`.
pub(crate) fn list<T>(value: Value, read: fn(Value) -> Option<T>) -> Option<Vec<T>> {
    match value {
        Value::Array(items) => items.into_iter().map(read).collect(),
        _ => None,
    }
}

/// A list of strings.
pub(crate) fn strings(value: Value) -> Option<Vec<String>> {
    list(value, string)
}

/// A value as JSON text. The engine's values always serialize (string keys, finite numbers).
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A number argument's value (`None` for anything else).
fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => im_client::wire::json::number_f64(n),
        _ => None,
    }
}

/// A JS time in ms as the engine's `u64`: NaN, negative and infinite values clamp.
pub(crate) fn ms(now: f64) -> u64 {
    if now.is_finite() && now > 0.0 {
        // `as` saturates for values beyond u64; fractions are dropped.
        now as u64
    } else {
        0
    }
}

fn int_value(value: f64) -> Option<i32> {
    let fits = value.is_finite()
        && value.fract() == 0.0
        && value >= f64::from(i32::MIN)
        && value <= f64::from(i32::MAX);
    // Integral and within range, so the cast is exact.
    fits.then_some(value as i32)
}

fn timestamp_value(value: f64) -> Option<i64> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    // Within ±2^53 the cast is exact after truncation.
    (value.is_finite() && value.abs() <= MAX_SAFE).then_some(value.trunc() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(v: Value) -> Args {
        let Value::Array(items) = v else {
            unreachable!()
        };
        Args::new(items)
    }

    #[test]
    fn times_clamp_instead_of_wrapping() {
        assert_eq!(ms(f64::NAN), 0);
        assert_eq!(ms(-5.0), 0);
        assert_eq!(ms(f64::INFINITY), 0);
        assert_eq!(ms(1_700_000_000_123.7), 1_700_000_000_123);
        // Non-finite numbers arrive as their names.
        assert_eq!(args(json!(["NaN", null, 5.5])).now(), 0);
    }

    #[test]
    fn integers_must_be_integral_and_in_range() {
        assert_eq!(int_value(20.0), Some(20));
        assert_eq!(int_value(-1.0), Some(-1));
        assert_eq!(int_value(1.5), None);
        assert_eq!(int_value(f64::NAN), None);
        assert_eq!(int_value(3e9), None);
        assert_eq!(
            timestamp_value(1_700_000_000_123.9),
            Some(1_700_000_000_123)
        );
        assert_eq!(timestamp_value(f64::INFINITY), None);
        assert_eq!(timestamp_value(1e300), None);
    }

    #[test]
    fn arguments_of_the_wrong_kind_are_failures() {
        let mut a = args(json!([1, "x", "Infinity", null, [1.5], ["a"]]));
        assert!(a.string("targetId").is_err());
        assert!(a.int("count").is_err());
        assert!(a.optional_timestamp("timestamp").is_err());
        assert_eq!(a.optional_timestamp("timestamp"), Ok(None));
        assert!(a.types().is_err());
        assert_eq!(a.strings("user ids"), Ok(vec!["a".to_owned()]));
        // Past the end: undefined.
        assert_eq!(a.types(), Ok(Vec::new()));
        assert!(a.string("userId").is_err());
    }
}
