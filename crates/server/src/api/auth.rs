//! Server API authentication (server-api.md §1.2, §1.3).
//!
//! Default mode accepts what the official SDKs send: `Signature` = hex SHA-1 of
//! `secret + Nonce + Timestamp`, compared in constant time, with no freshness check — the Node
//! SDK signs once per process and reuses Nonce and Timestamp. Strict mode (configuration) adds a
//! timestamp window, a nonce replay cache, and optionally `Signature-Hmac`: hex HMAC-SHA256
//! keyed by the secret over `METHOD\npath\nnonce\ntimestamp\nbody`.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::ApiError;
use crate::clock::wall_ms;
use crate::server::State;

/// Most nonces remembered in strict mode; beyond it the oldest half is forgotten early.
const NONCE_CAPACITY: usize = 100_000;

/// Nonces seen recently (strict mode only), with the time they may be forgotten.
#[derive(Debug, Default)]
pub struct NonceCache(Mutex<HashMap<String, i64>>);

impl NonceCache {
    /// Records `nonce` until `expires_ms`; false if it was already there (a replay).
    pub fn insert(&self, nonce: &str, now_ms: i64, expires_ms: i64) -> bool {
        let Ok(mut seen) = self.0.lock() else {
            return false;
        };
        if seen.len() >= NONCE_CAPACITY {
            seen.retain(|_, exp| *exp > now_ms);
            if seen.len() >= NONCE_CAPACITY {
                let mut times: Vec<i64> = seen.values().copied().collect();
                times.sort_unstable();
                let cut = times.get(times.len() / 2).copied().unwrap_or(i64::MAX);
                seen.retain(|_, exp| *exp > cut);
            }
        }
        match seen.get(nonce) {
            Some(exp) if *exp > now_ms => false,
            _ => {
                seen.insert(nonce.to_owned(), expires_ms);
                true
            }
        }
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name)
        .or_else(|| h.get(format!("rc-{name}").as_str()))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

fn unauthorized(message: &str) -> ApiError {
    ApiError {
        status: StatusCode::UNAUTHORIZED,
        code: 1004,
        message: message.into(),
    }
}

/// Hex SHA-1 of `secret + nonce + timestamp`.
pub fn signature(secret: &str, nonce: &str, timestamp: &str) -> String {
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(nonce.as_bytes());
    h.update(timestamp.as_bytes());
    hex::encode(h.finalize())
}

/// Hex HMAC-SHA256 of a request for strict mode.
pub fn body_hmac(
    secret: &str,
    method: &str,
    path: &str,
    nonce: &str,
    timestamp: &str,
    body: &[u8],
) -> String {
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    for part in [
        method.as_bytes(),
        path.as_bytes(),
        nonce.as_bytes(),
        timestamp.as_bytes(),
    ] {
        m.update(part);
        m.update(b"\n");
    }
    m.update(body);
    hex::encode(m.finalize().into_bytes())
}

fn same(expected: &str, given: &str) -> bool {
    bool::from(
        expected
            .as_bytes()
            .ct_eq(given.to_ascii_lowercase().as_bytes()),
    )
}

/// The checks a request passes before its body is read: `App-Key` and `Signature` (and, in
/// strict mode, a `Timestamp` within the window). A request that fails them is refused without
/// reading a byte of its body.
pub fn check_headers(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    let key = header(headers, "app-key").unwrap_or_default();
    let nonce = header(headers, "nonce").unwrap_or_default();
    let timestamp = header(headers, "timestamp").unwrap_or_default();
    let given = header(headers, "signature").unwrap_or_default();
    if key.is_empty() || nonce.is_empty() || timestamp.is_empty() || given.is_empty() {
        return Err(unauthorized(
            "missing App-Key, Nonce, Timestamp or Signature",
        ));
    }
    let app = &state.app;
    // Compare the key in constant time too, so its length and prefix leak nothing.
    let key_ok = bool::from(app.key.as_bytes().ct_eq(key.as_bytes()));
    let sig_ok = same(&signature(&app.secret, nonce, timestamp), given);
    if !(key_ok & sig_ok) {
        return Err(unauthorized("signature error"));
    }
    if !state.config.api.strict {
        return Ok(());
    }
    let ts: i64 = timestamp
        .parse()
        .map_err(|_| unauthorized("bad timestamp"))?;
    // Seconds or milliseconds (§1.3).
    let ts_ms = if ts > 100_000_000_000 {
        ts
    } else {
        ts.saturating_mul(1000)
    };
    if (wall_ms() - ts_ms).abs() > window_ms(state) {
        return Err(unauthorized("timestamp outside the accepted window"));
    }
    Ok(())
}

/// The accepted distance of a strict-mode `Timestamp` from now.
fn window_ms(state: &State) -> i64 {
    i64::try_from(state.config.api.window_secs.unwrap_or(300))
        .unwrap_or(300)
        .saturating_mul(1000)
}

/// The checks that need the body, after [`check_headers`]: in strict mode, `Signature-Hmac`
/// over the body (when required) and a nonce not seen within the window.
pub fn check_body(
    state: &State,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(), ApiError> {
    let strict = &state.config.api;
    if !strict.strict {
        return Ok(());
    }
    let nonce = header(headers, "nonce").unwrap_or_default();
    let timestamp = header(headers, "timestamp").unwrap_or_default();
    if strict.require_body_hmac {
        let given = header(headers, "signature-hmac").unwrap_or_default();
        let expected = body_hmac(&state.app.secret, method, path, nonce, timestamp, body);
        if !same(&expected, given) {
            return Err(unauthorized("Signature-Hmac error"));
        }
    }
    let now = wall_ms();
    let until = now.saturating_add(window_ms(state).saturating_mul(2));
    if !state.nonces.insert(nonce, now, until) {
        return Err(unauthorized("nonce already used"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_documented_example() {
        assert_eq!(
            signature("AppSecret123", "14314", "1408710653"),
            "269abb6857dfaed86b8c39171e8cb5641d182db9"
        );
        assert!(same(
            "269abb6857dfaed86b8c39171e8cb5641d182db9",
            "269ABB6857DFAED86B8C39171E8CB5641D182DB9"
        ));
    }

    #[test]
    fn a_nonce_is_accepted_once_until_it_expires() {
        let c = NonceCache::default();
        assert!(c.insert("n", 0, 10));
        assert!(!c.insert("n", 5, 15));
        assert!(c.insert("n", 11, 20));
    }
}
