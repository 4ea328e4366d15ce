//! Arguments as a host hands them over (JS numbers, strings that may be absent), checked once:
//! each reader turns a host value into the engine's type or into the [`RequestError`] the 2.x
//! API reports for it, so the bindings and the façade decide no error codes of their own.

use im_wire::enums::ConversationType;
use im_wire::text;
use im_wire::text::Piece;
use im_wire::ErrorCode;

use crate::output::RequestError;

/// A host value that did not fit: PARAMETER_ERROR (−3) with the reason.
pub fn invalid(reason: impl Into<String>) -> RequestError {
    RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), reason)
}

/// A conversation type other than NONE.
pub fn conversation_type(v: f64) -> Result<ConversationType, RequestError> {
    integer(v)
        .and_then(|n| i32::try_from(n).ok())
        .and_then(ConversationType::from_value)
        .filter(|t| *t != ConversationType::None)
        .ok_or_else(|| invalid(text!("unknown conversation type: ", Shown(v))))
}

/// A list of conversation types; absent means every type (an empty list).
pub fn conversation_types(v: Option<Vec<f64>>) -> Result<Vec<ConversationType>, RequestError> {
    v.unwrap_or_default()
        .into_iter()
        .map(conversation_type)
        .collect::<Result<_, _>>()
        .map_err(|_| invalid("conversationTypes must be an array of conversation types"))
}

/// A public-service type: APP_PUBLIC_SERVICE (7) or PUBLIC_SERVICE (8).
pub fn public_service_type(v: f64) -> Result<ConversationType, RequestError> {
    conversation_type(v)
        .ok()
        .filter(|t| {
            matches!(
                t,
                ConversationType::AppPublicService | ConversationType::PublicService
            )
        })
        .ok_or_else(|| invalid("publicServiceType must be 7 or 8"))
}

/// A non-empty string (an id).
pub fn id(v: Option<String>, what: &str) -> Result<String, RequestError> {
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(text!(what, " must be a non-empty string")))
}

/// Any string.
pub fn text(v: Option<String>, what: &str) -> Result<String, RequestError> {
    v.ok_or_else(|| invalid(text!(what, " must be a string")))
}

/// An integer within `range`.
pub fn int_in(
    v: f64,
    range: std::ops::RangeInclusive<i32>,
    what: &str,
) -> Result<i32, RequestError> {
    integer(v)
        .and_then(|n| i32::try_from(n).ok())
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            invalid(text!(
                what,
                " must be an integer from ",
                range.start(),
                " to ",
                range.end()
            ))
        })
}

/// A time in ms (a finite number ≥ 0 within ±2^53; a fraction is dropped).
pub fn time(v: f64, what: &str) -> Result<i64, RequestError> {
    time_value(v).ok_or_else(|| invalid(text!(what, " must be a time in ms")))
}

/// The `timestamp` of `clearRemoteHistoryMessages`: a time in ms, else CLEAR_HIS_TIME_ERROR
/// (34011), as 2.x reports it.
pub fn clear_time(v: f64) -> Result<i64, RequestError> {
    time_value(v).ok_or_else(|| {
        RequestError::with_reason(
            ErrorCode::CLEAR_HIS_TIME_ERROR.value(),
            "timestamp must be a time in ms",
        )
    })
}

/// An optional time: absent (JS `null`/`undefined`) is `None`.
pub fn optional_time(v: Option<f64>, what: &str) -> Result<Option<i64>, RequestError> {
    v.map(|v| time(v, what)).transpose()
}

/// A list of non-empty strings (user ids), as the JSON text of an array.
pub fn ids(json: Option<String>, what: &str) -> Result<Vec<String>, RequestError> {
    let bad = || invalid(text!(what, " must be an array of non-empty strings"));
    let text = json.ok_or_else(bad)?;
    let list: Vec<String> = crate::wire::json::parse(&text)
        .ok()
        .and_then(|v| match v {
            im_wire::value::Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    im_wire::value::Value::String(s) if !s.is_empty() => Some(s),
                    _ => None,
                })
                .collect(),
            _ => None,
        })
        .ok_or_else(bad)?;
    Ok(list)
}

/// A `FileType` (1–4), else QNTKN_FILETYPE_ERROR (41001), as 2.x reports it.
pub fn file_type(v: f64) -> Result<im_wire::enums::FileType, RequestError> {
    integer(v)
        .and_then(|n| i32::try_from(n).ok())
        .and_then(im_wire::enums::FileType::from_value)
        .ok_or_else(|| {
            RequestError::with_reason(
                ErrorCode::QNTKN_FILETYPE_ERROR.value(),
                "fileType must be 1, 2, 3 or 4 (FileType)",
            )
        })
}

/// A local `messageId` (the store's decimal id, as text).
pub fn message_id(v: Option<String>) -> Result<u64, RequestError> {
    v.as_deref()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("messageId must be the id of a stored message"))
}

/// A list of local `messageId`s, as the JSON text of an array of ids (text or numbers).
pub fn message_ids(json: Option<String>) -> Result<Vec<u64>, RequestError> {
    let bad = || invalid("messageIds must be an array of message ids");
    let value = json
        .and_then(|t| crate::wire::json::parse(&t).ok())
        .ok_or_else(bad)?;
    let im_wire::value::Value::Array(items) = value else {
        return Err(bad());
    };
    items
        .into_iter()
        .map(|v| match v {
            im_wire::value::Value::String(s) => message_id(Some(s)),
            im_wire::value::Value::Number(n) => message_id(Some(n.as_str().to_owned())),
            _ => Err(bad()),
        })
        .collect()
}

/// A host time in ms as the engine's `u64`: NaN, negative and infinite values clamp to 0.
pub fn now(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        // Truncation is the intent: sub-millisecond parts carry no meaning.
        v as u64
    } else {
        0
    }
}

/// The integer value of a finite, integral number within ±2^53.
fn integer(v: f64) -> Option<i64> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    (v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_SAFE).then_some(v as i64)
}

fn time_value(v: f64) -> Option<i64> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    (v.is_finite() && (0.0..=MAX_SAFE).contains(&v)).then_some(v.trunc() as i64)
}

/// A number as a message shows it: integers without a fraction, anything else by kind (no
/// float formatting code in the wasm).
struct Shown(f64);

impl Piece for Shown {
    fn push_to(&self, out: &mut String) {
        match integer(self.0) {
            Some(n) => n.push_to(out),
            None if self.0.is_nan() => out.push_str("not a number"),
            None => out.push_str("not an integer"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_types_are_integral_members_other_than_none() {
        assert_eq!(conversation_type(1.0), Ok(ConversationType::Private));
        for bad in [0.0, 1.5, f64::NAN, -1.0, 99.0, f64::INFINITY] {
            let err = conversation_type(bad).unwrap_err();
            assert_eq!(err.code, -3);
        }
        assert_eq!(conversation_types(None), Ok(vec![]));
        assert!(conversation_types(Some(vec![1.0, 0.0])).is_err());
    }

    #[test]
    fn ids_must_be_non_empty_strings() {
        assert_eq!(id(Some("a".into()), "x"), Ok("a".into()));
        assert!(id(Some(String::new()), "targetId")
            .unwrap_err()
            .reason
            .is_some_and(|r| r.contains("targetId")));
        assert!(id(None, "x").is_err());
        assert_eq!(
            ids(Some(r#"["a","b"]"#.into()), "x"),
            Ok(vec!["a".into(), "b".into()])
        );
        for bad in [r#"["a",""]"#, r#"["a",1]"#, "{}", "x"] {
            assert!(ids(Some(bad.into()), "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn message_ids_are_decimal() {
        assert_eq!(message_id(Some("42".into())), Ok(42));
        for bad in ["", "4.2", "-1", "x", "99999999999999999999999"] {
            assert!(message_id(Some(bad.into())).is_err(), "{bad}");
        }
        assert_eq!(message_ids(Some(r#"["1",2]"#.into())), Ok(vec![1, 2]));
        assert!(message_ids(Some(r#"[true]"#.into())).is_err());
    }

    #[test]
    fn file_types_are_1_to_4_else_41001() {
        assert_eq!(file_type(4.0).map(|t| t.value()), Ok(4));
        for bad in [0.0, 5.0, 11.0, 1.5, f64::NAN] {
            assert_eq!(file_type(bad).unwrap_err().code, 41001);
        }
    }

    #[test]
    fn numbers_keep_their_ranges() {
        assert_eq!(int_in(20.0, 1..=20, "count"), Ok(20));
        assert!(int_in(21.0, 1..=20, "count").is_err());
        assert!(int_in(2.5, 1..=20, "count").is_err());
        assert_eq!(time(1.9, "t"), Ok(1));
        assert!(time(-1.0, "t").is_err());
        assert_eq!(optional_time(None, "t"), Ok(None));
        assert_eq!(now(f64::NAN), 0);
        assert_eq!(now(12.7), 12);
    }
}
