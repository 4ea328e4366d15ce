//! Numbers in message contents and command arguments pass through the engine unchanged, as
//! their exact JSON text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use im_client::wire::content::JsonContent;
use im_client::wire::json;
use im_client::wire::value::Value;
use im_client::{SendContent, SendRequest};

/// Number texts a sender may produce, with the double each one stands for.
const NUMBERS: &[(&str, f64)] = &[
    ("0.30000000000000004", 0.300_000_000_000_000_04),
    ("0.1", 0.1),
    ("-0", -0.0),
    ("-0.0", -0.0),
    ("1E2", 100.0),
    ("2.5e+25", 2.5e25),
    ("-1.5e-300", -1.5e-300),
    ("5e-324", 5e-324),
    ("1.7976931348623157e308", f64::MAX),
    ("1e-400", 0.0),
    ("9007199254740993", 9_007_199_254_740_992.0),
    ("123456789012345678901234567890", 1.234_567_890_123_456_8e29),
    ("18446744073709551615", 18_446_744_073_709_551_615.0),
];

/// A parsed value as the text the engine writes for it.
fn written(value: &Value) -> String {
    value.to_string()
}

fn check(text: &str, expected: f64, out: &str) {
    assert_eq!(out, text, "kept as sent");
    let back: f64 = out.parse().unwrap();
    assert_eq!(back.to_bits(), expected.to_bits(), "{text} -> {out}");
}

#[test]
fn content_numbers_pass_through_exactly() {
    for &(text, expected) in NUMBERS {
        let raw = format!(r#"{{"n":{text},"list":[{text}]}}"#);
        let custom = JsonContent::decode("App:Num", raw.as_bytes()).unwrap();
        check(text, expected, &written(&custom.value()["n"]));
        check(text, expected, &written(&custom.value()["list"][0]));
        let encoded = String::from_utf8(custom.encode().unwrap()).unwrap();
        let again = json::parse(&encoded).unwrap();
        check(text, expected, &written(&again["n"]));

        // A float field of a built-in type.
        let raw = format!(r#"{{"latitude":{text},"longitude":1.5}}"#);
        let place = JsonContent::decode("RC:LBSMsg", raw.as_bytes()).unwrap();
        let latitude = written(place.get("latitude").unwrap());
        let back: f64 = latitude.parse().unwrap();
        assert_eq!(back, expected, "{text} -> {latitude}");
        assert_eq!(latitude, text);
    }
}

#[test]
fn numbers_beyond_the_double_range_are_refused() {
    for text in ["1e309", "-1e400", "1.7976931348623159e308", "2e308"] {
        assert!(json::parse(text).is_err(), "{text}");
        let raw = format!(r#"{{"latitude":{text}}}"#);
        assert!(
            JsonContent::decode("RC:LBSMsg", raw.as_bytes()).is_err(),
            "{text}"
        );
    }
    // Just below the halfway point to 2^1024 rounds to the largest double.
    assert!(json::parse("1.7976931348623158e308").is_ok());
}

#[test]
fn a_send_request_keeps_its_content_numbers() {
    for &(text, expected) in NUMBERS {
        let args = json::parse(&format!(
            r#"{{"conversationType":1,"targetId":"bob","objectName":"App:Num","content":{{"n":{text}}}}}"#
        ))
        .unwrap();
        let request: SendRequest = json::from_value(args).unwrap();
        let SendContent::Json { json: text_out, .. } = &request.content else {
            panic!("{:?}", request.content)
        };
        let content = JsonContent::decode("App:Num", text_out.as_bytes()).unwrap();
        check(text, expected, &written(&content.value()["n"]));
    }
}

#[test]
fn integer_fields_refuse_fractions_and_take_integers() {
    let parse = |conversation_type: &str| {
        let args = json::parse(&format!(
            r#"{{"conversationType":{conversation_type},"targetId":"bob","objectName":"RC:TxtMsg","content":{{"content":"x"}}}}"#
        ))
        .map_err(|_| ())?;
        json::from_value::<SendRequest>(args)
            .map(|r| r.conversation_type)
            .map_err(|_| ())
    };
    assert_eq!(parse("3").unwrap(), 3);
    assert!(parse("1.5").is_err());
    assert!(parse("\"1\"").is_err());
    assert!(parse("1e400").is_err());
}
