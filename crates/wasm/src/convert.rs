//! Value conversion between Rust and JS, and the one helper that turns a failure into a JS
//! `Error` with a numeric `code`.

use im_client::Output;
use js_sys::{Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `ErrorCode.PARAMETER_ERROR`: what a malformed argument object fails with.
pub(crate) const PARAMETER_ERROR: i32 = -3;

/// Maps become plain objects (message contents are JSON objects); 64-bit numbers stay numbers.
const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);

/// A JS `Error` with `message` and a numeric `code` property.
pub(crate) fn error(code: i32, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from(code));
    err.into()
}

/// Reads an argument object; anything that does not fit becomes a PARAMETER_ERROR.
pub(crate) fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| error(PARAMETER_ERROR, &format!("invalid {what}: {e}")))
}

/// A value as a plain JS value (objects for structs and maps, numbers for integers).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&SERIALIZER)
        .map_err(|e| error(-2, &format!("unrepresentable output: {e}")))
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// An [`Output`] as a plain JS object `{type, …}` with the engine's camelCase field names.
/// Frames to send carry a `Uint8Array`; the deadline is a number, or `null` for none.
pub(crate) fn output(out: &Output) -> Result<JsValue, JsValue> {
    match out {
        Output::SendBytes { bytes } => {
            let obj = Object::new();
            set(&obj, "type", &JsValue::from_str("sendBytes"));
            set(&obj, "bytes", &Uint8Array::from(bytes.as_slice()).into());
            Ok(obj.into())
        }
        Output::Timeout { at_ms } => {
            let obj = Object::new();
            set(&obj, "type", &JsValue::from_str("timeout"));
            let at = if *at_ms == im_client::NO_DEADLINE {
                JsValue::NULL
            } else {
                // Deadlines are ms since the epoch: far below 2^53.
                JsValue::from_f64(*at_ms as f64)
            };
            set(&obj, "atMs", &at);
            Ok(obj.into())
        }
        other => to_js(other),
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

/// A string argument; anything else is a PARAMETER_ERROR.
pub(crate) fn string(what: &str, value: &JsValue) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| error(PARAMETER_ERROR, &format!("{what} must be a string")))
}

/// An integral number argument that fits an `i32` (a type, a count, an order, a status).
pub(crate) fn int(what: &str, value: f64) -> Result<i32, JsValue> {
    int_value(value).ok_or_else(|| error(PARAMETER_ERROR, &format!("{what} must be an integer")))
}

/// A timestamp argument in ms: a finite number within ±2^53; fractions are dropped.
pub(crate) fn timestamp(what: &str, value: f64) -> Result<i64, JsValue> {
    timestamp_value(value)
        .ok_or_else(|| error(PARAMETER_ERROR, &format!("{what} must be a finite number")))
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

/// A list of conversation types; `undefined` or `null` means all (an empty list).
pub(crate) fn types(value: JsValue) -> Result<Vec<i32>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    from_js("conversation types", value)
}

/// A list of user ids.
pub(crate) fn user_ids(value: JsValue) -> Result<Vec<String>, JsValue> {
    from_js("user ids", value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_clamp_instead_of_wrapping() {
        assert_eq!(ms(f64::NAN), 0);
        assert_eq!(ms(-5.0), 0);
        assert_eq!(ms(f64::INFINITY), 0);
        assert_eq!(ms(1_700_000_000_123.7), 1_700_000_000_123);
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
}
