//! Client tokens (server-api.md §2.1 `user/getToken`): opaque to clients, signed by the server,
//! verified without a database read.
//!
//! Layout before base64url: `u8 version = 1 · u64 issued_ms · 16-byte MAC · userId bytes`, where
//! the MAC is HMAC-SHA256 keyed by the app secret over the app key, the user id and the issue
//! time, truncated to 128 bits. Revocation is a per-user watermark: tokens issued before it are
//! refused (`user/token/expire`). Watermarks live in memory, loaded from the store at start.

use std::collections::HashMap;
use std::sync::RwLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

const VERSION: u8 = 1;
const MAC_LEN: usize = 16;
const HEADER_LEN: usize = 1 + 8 + MAC_LEN;
/// Longest user id accepted (server-api.md §3 item 6: ids are at most 64 bytes).
pub const MAX_USER_ID_LEN: usize = 64;

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not base64url, too short, wrong version or wrong MAC.
    Invalid,
    /// Issued before the user's revocation watermark.
    Revoked,
}

/// Issues and verifies tokens of one application.
#[derive(Debug)]
pub struct Tokens {
    app_key: String,
    secret: Vec<u8>,
    revoked_before: RwLock<HashMap<String, i64>>,
}

impl Tokens {
    /// Tokens for `app_key`, signed with `secret`, with the stored revocation watermarks.
    pub fn new(app_key: &str, secret: &str, watermarks: HashMap<String, i64>) -> Self {
        Self {
            app_key: app_key.to_owned(),
            secret: secret.as_bytes().to_vec(),
            revoked_before: RwLock::new(watermarks),
        }
    }

    fn mac(&self, user_id: &str, issued_ms: u64) -> [u8; MAC_LEN] {
        let mut out = [0u8; MAC_LEN];
        if let Ok(mut m) = Hmac::<Sha256>::new_from_slice(&self.secret) {
            m.update(b"im-token-v1\0");
            m.update(self.app_key.as_bytes());
            m.update(b"\0");
            m.update(user_id.as_bytes());
            m.update(b"\0");
            m.update(&issued_ms.to_be_bytes());
            let full = m.finalize().into_bytes();
            for (o, b) in out.iter_mut().zip(full.iter()) {
                *o = *b;
            }
        }
        out
    }

    /// A token for `user_id`, issued at `issued_ms`.
    pub fn issue(&self, user_id: &str, issued_ms: i64) -> String {
        let issued = u64::try_from(issued_ms).unwrap_or(0);
        let mut raw = Vec::with_capacity(HEADER_LEN + user_id.len());
        raw.push(VERSION);
        raw.extend_from_slice(&issued.to_be_bytes());
        raw.extend_from_slice(&self.mac(user_id, issued));
        raw.extend_from_slice(user_id.as_bytes());
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The user id a token was issued for, if it is genuine and not revoked.
    pub fn verify(&self, token: &str) -> Result<String, TokenError> {
        self.verify_issued(token).map(|(user, _)| user)
    }

    /// The user id a token was issued for and its issue time (ms), if it is genuine and not
    /// revoked.
    pub fn verify_issued(&self, token: &str) -> Result<(String, i64), TokenError> {
        let raw = URL_SAFE_NO_PAD
            .decode(token.trim_end_matches('='))
            .map_err(|_| TokenError::Invalid)?;
        let (&version, rest) = raw.split_first().ok_or(TokenError::Invalid)?;
        if version != VERSION || rest.len() <= 8 + MAC_LEN {
            return Err(TokenError::Invalid);
        }
        let (issued, rest) = rest.split_at(8);
        let (mac, user) = rest.split_at(MAC_LEN);
        let issued = u64::from_be_bytes(issued.try_into().map_err(|_| TokenError::Invalid)?);
        let user_id = std::str::from_utf8(user).map_err(|_| TokenError::Invalid)?;
        if user_id.len() > MAX_USER_ID_LEN {
            return Err(TokenError::Invalid);
        }
        if !bool::from(self.mac(user_id, issued).ct_eq(mac)) {
            return Err(TokenError::Invalid);
        }
        let watermark = self
            .revoked_before
            .read()
            .ok()
            .and_then(|m| m.get(user_id).copied())
            .unwrap_or(0);
        let issued = i64::try_from(issued).unwrap_or(i64::MAX);
        if issued < watermark {
            return Err(TokenError::Revoked);
        }
        Ok((user_id.to_owned(), issued))
    }

    /// Refuses from now on every token of `user_id` issued before `before_ms`.
    pub fn revoke_before(&self, user_id: &str, before_ms: i64) {
        if let Ok(mut m) = self.revoked_before.write() {
            let entry = m.entry(user_id.to_owned()).or_insert(0);
            *entry = (*entry).max(before_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> Tokens {
        Tokens::new("appkey", "secret", HashMap::new())
    }

    #[test]
    fn an_issued_token_verifies_to_its_user() {
        let t = tokens();
        let tok = t.issue("user1", 1_700_000_000_000);
        assert_eq!(t.verify(&tok), Ok("user1".to_owned()));
        assert!(!tok.contains('+') && !tok.contains('/'));
    }

    #[test]
    fn a_tampered_or_foreign_token_is_refused() {
        let t = tokens();
        let tok = t.issue("user1", 1);
        let mut bytes = tok.into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            t.verify(std::str::from_utf8(&bytes).unwrap()),
            Err(TokenError::Invalid)
        );
        let other = Tokens::new("appkey", "other-secret", HashMap::new());
        assert_eq!(t.verify(&other.issue("user1", 1)), Err(TokenError::Invalid));
        assert_eq!(t.verify(""), Err(TokenError::Invalid));
        assert_eq!(t.verify("%%%"), Err(TokenError::Invalid));
    }

    #[test]
    fn tokens_issued_before_a_watermark_are_revoked() {
        let t = tokens();
        let old = t.issue("u", 100);
        t.revoke_before("u", 200);
        assert_eq!(t.verify(&old), Err(TokenError::Revoked));
        assert!(t.verify(&t.issue("u", 200)).is_ok());
    }
}
