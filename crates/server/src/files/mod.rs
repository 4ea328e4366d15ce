//! Files: a self-hosted stand-in for the qiniu-style storage RongCloud's clients upload to
//! (api.md §3.8 `getFileToken` / `getFileUrl`).
//!
//! - `qnTkn` hands a connected user an upload token: signed by the server (HMAC-SHA256 keyed
//!   from the app secret), bound to the user and the file type, valid `token_ttl_secs`.
//! - `POST /upload` (and `POST /`, where qiniu's form upload posts) takes a
//!   `multipart/form-data` body with `token`, `key` (optional) and `file`, as qiniu's form
//!   upload does, streams the file to [`FileStore`] and answers `{"key","hash"}`.
//! - `qnUrl` answers `{base}/files/{key}`, served by `GET /files/{key}` with ranges, an ETag
//!   and a year of caching (a key's bytes never change).
//!
//! Tokens are `base64url(policy) "." base64url(mac)`, the policy being
//! `v1:{type}:{deadline_ms}:{userId}` and the MAC an HMAC-SHA256 of the policy text.

mod http;
pub mod multipart;
pub mod store;

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub use http::{download, upload};
pub use store::{DiskStore, FileMeta, FileStore, Put};

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 128;

/// File settings (`[files]` in the configuration file).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// Seconds an upload token stays valid (default 3600). `IM_FILES_TOKEN_TTL_SECS`.
    pub token_ttl_secs: u64,
    /// Largest image (type 1), in bytes (default 10 MiB). `IM_FILES_MAX_IMAGE_BYTES`.
    pub max_image_bytes: u64,
    /// Largest audio file (type 2) (default 10 MiB). `IM_FILES_MAX_AUDIO_BYTES`.
    pub max_audio_bytes: u64,
    /// Largest video (type 3) (default 100 MiB). `IM_FILES_MAX_VIDEO_BYTES`.
    pub max_video_bytes: u64,
    /// Largest other file (type 4) (default 100 MiB). `IM_FILES_MAX_FILE_BYTES`.
    pub max_file_bytes: u64,
    /// Start of the download URLs `qnUrl` answers, e.g. `https://files.example.com`; by
    /// default `http(s)://` and the announced address (`public_addr`, else the bound one).
    /// `IM_FILES_URL_BASE`.
    pub url_base: Option<String>,
}

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            token_ttl_secs: 3600,
            max_image_bytes: 10 << 20,
            max_audio_bytes: 10 << 20,
            max_video_bytes: 100 << 20,
            max_file_bytes: 100 << 20,
            url_base: None,
        }
    }
}

impl FilesConfig {
    /// The size limit of file type `t` (1–4), if it is one.
    pub fn limit(&self, t: i32) -> Option<u64> {
        match t {
            1 => Some(self.max_image_bytes),
            2 => Some(self.max_audio_bytes),
            3 => Some(self.max_video_bytes),
            4 => Some(self.max_file_bytes),
            _ => None,
        }
    }

    /// The largest limit of any type: the bound on a file whose token is not read yet.
    pub fn largest(&self) -> u64 {
        (1..=4).filter_map(|t| self.limit(t)).max().unwrap_or(0)
    }
}

impl FilesConfig {
    /// Overrides fields from the `IM_FILES_*` environment variables read through `var`.
    pub fn apply_env(
        &mut self,
        var: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), crate::config::ConfigError> {
        use crate::config::parse_env;
        parse_env(var, "IM_FILES_TOKEN_TTL_SECS", &mut self.token_ttl_secs)?;
        parse_env(var, "IM_FILES_MAX_IMAGE_BYTES", &mut self.max_image_bytes)?;
        parse_env(var, "IM_FILES_MAX_AUDIO_BYTES", &mut self.max_audio_bytes)?;
        parse_env(var, "IM_FILES_MAX_VIDEO_BYTES", &mut self.max_video_bytes)?;
        parse_env(var, "IM_FILES_MAX_FILE_BYTES", &mut self.max_file_bytes)?;
        if let Some(base) = var("IM_FILES_URL_BASE") {
            self.url_base = Some(base).filter(|b| !b.trim().is_empty());
        }
        Ok(())
    }
}

/// The default start of download URLs: `http(s)://` and the announced address
/// (`public_addr`), else the bound one.
pub fn own_base(config: &crate::config::Config, bound: std::net::SocketAddr) -> String {
    let scheme = if config.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    match &config.public_addr {
        Some(a) => format!("{scheme}://{a}"),
        None => format!("{scheme}://{bound}"),
    }
}

/// The public routes of files: uploads at `/upload` and `/` (qiniu's form upload path), and
/// downloads at `/files/{key}`. Request bodies are not capped here: the upload handler bounds
/// them by the largest size limit.
pub fn routes() -> axum::Router<std::sync::Arc<crate::server::State>> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/upload", post(upload))
        .route("/", post(upload))
        .route("/files/{key}", get(download))
        .layer(DefaultBodyLimit::disable())
}

/// Whether `key` may name a file: 1–[`MAX_KEY_LEN`] of `[A-Za-z0-9._-]`, not starting with a
/// dot (so never `.` or `..`).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && !key.starts_with('.')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// What a valid upload token allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The user it was issued to.
    pub user: String,
    /// The file type (1–4).
    pub file_type: i32,
}

/// Why an upload token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token of this server.
    Invalid,
    /// Past its deadline.
    Expired,
}

/// The files service of a server.
#[derive(Debug)]
pub struct Files {
    /// Its settings.
    pub config: FilesConfig,
    /// Where the files are.
    pub store: Box<dyn FileStore>,
    mac_key: Vec<u8>,
    base: String,
}

impl Files {
    /// Files under `data_dir/files`, tokens keyed from `secret`, URLs from `base` (used when
    /// `config.url_base` is not set, e.g. `http://127.0.0.1:8443`).
    pub fn open(
        config: FilesConfig,
        data_dir: &Path,
        secret: &str,
        base: String,
    ) -> std::io::Result<Self> {
        let store = DiskStore::open(&data_dir.join("files"))?;
        let mut derive = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        derive.update(b"im-server file tokens v1");
        let base = config
            .url_base
            .clone()
            .unwrap_or(base)
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            config,
            store: Box::new(store),
            mac_key: derive.finalize().into_bytes().to_vec(),
            base,
        })
    }

    fn mac(&self, policy: &str) -> Vec<u8> {
        match Hmac::<Sha256>::new_from_slice(&self.mac_key) {
            Ok(mut m) => {
                m.update(policy.as_bytes());
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }

    /// An upload token for `user` and file type `t`, issued at `now_ms`: `(deadline_ms, token)`.
    pub fn token(&self, user: &str, t: i32, now_ms: i64) -> (i64, String) {
        let ttl =
            i64::try_from(self.config.token_ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        let deadline = now_ms.saturating_add(ttl);
        let policy = format!("v1:{t}:{deadline}:{user}");
        let token = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&policy),
            URL_SAFE_NO_PAD.encode(self.mac(&policy))
        );
        (deadline, token)
    }

    /// What `token` allows at `now_ms`.
    pub fn check(&self, token: &str, now_ms: i64) -> Result<Grant, TokenError> {
        let (policy, mac) = token.split_once('.').ok_or(TokenError::Invalid)?;
        let policy = URL_SAFE_NO_PAD
            .decode(policy)
            .ok()
            .and_then(|p| String::from_utf8(p).ok())
            .ok_or(TokenError::Invalid)?;
        let mac = URL_SAFE_NO_PAD
            .decode(mac)
            .map_err(|_| TokenError::Invalid)?;
        if !bool::from(self.mac(&policy).ct_eq(&mac)) {
            return Err(TokenError::Invalid);
        }
        let mut fields = policy.splitn(4, ':');
        let (Some("v1"), Some(t), Some(deadline), Some(user)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(TokenError::Invalid);
        };
        let file_type: i32 = t.parse().map_err(|_| TokenError::Invalid)?;
        let deadline: i64 = deadline.parse().map_err(|_| TokenError::Invalid)?;
        if self.config.limit(file_type).is_none() {
            return Err(TokenError::Invalid);
        }
        if now_ms > deadline {
            return Err(TokenError::Expired);
        }
        Ok(Grant {
            user: user.to_owned(),
            file_type,
        })
    }

    /// The download URL of `key`; with `file_name`, `?attname=` asks for it as an attachment
    /// of that name (qiniu's parameter).
    pub fn url(&self, key: &str, file_name: Option<&str>) -> String {
        let mut url = format!("{}/files/{key}", self.base);
        if let Some(name) = file_name.filter(|n| !n.is_empty()) {
            url.push_str("?attname=");
            url.extend(form_urlencoded::byte_serialize(name.as_bytes()));
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Files {
        let base = "http://h:1".to_owned();
        Files::open(FilesConfig::default(), dir, "secret-secret-secret", base)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_token_carries_its_user_and_type_until_its_deadline_and_a_changed_one_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let f = files(dir.path());
        let (deadline, token) = f.token("a:b", 3, 1000);
        assert_eq!(deadline, 1000 + 3_600_000);
        let grant = Grant {
            user: "a:b".into(),
            file_type: 3,
        };
        assert_eq!(f.check(&token, deadline), Ok(grant));
        assert_eq!(f.check(&token, deadline + 1), Err(TokenError::Expired));
        let (_, other) = f.token("a:b", 1, 1000);
        let (policy, _) = token.split_once('.').unwrap_or_default();
        let (_, mac) = other.split_once('.').unwrap_or_default();
        assert_eq!(
            f.check(&format!("{policy}.{mac}"), 0),
            Err(TokenError::Invalid)
        );
        for junk in ["", ".", "x.y", "%%%.%%%", "a"] {
            assert_eq!(f.check(junk, 0), Err(TokenError::Invalid));
        }
    }

    #[test]
    fn settings_come_from_the_file_and_the_environment() {
        let c: crate::Config =
            toml::from_str("[files]\nmax_image_bytes = 5\ntoken_ttl_secs = 60\n")
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((c.files.max_image_bytes, c.files.token_ttl_secs), (5, 60));
        let mut c = crate::Config::default();
        c.apply_env(|k| match k {
            "IM_FILES_MAX_VIDEO_BYTES" => Some("7".into()),
            "IM_FILES_URL_BASE" => Some("https://cdn.example.com/".into()),
            _ => None,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.files.limit(3), Some(7));
        assert_eq!(
            c.files.url_base.as_deref(),
            Some("https://cdn.example.com/")
        );
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let f = Files::open(c.files.clone(), dir.path(), "s", String::new())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.url("k", None), "https://cdn.example.com/files/k");
        assert!(c
            .apply_env(|k| (k == "IM_FILES_MAX_FILE_BYTES").then(|| "-1".into()))
            .is_err());
    }

    #[test]
    fn keys_are_plain_names() {
        for good in ["a", "img-1.png", "A_b.C-9", &"k".repeat(MAX_KEY_LEN)] {
            assert!(valid_key(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "..%2f",
            "a b",
            "é",
            &"k".repeat(129),
        ] {
            assert!(!valid_key(bad), "{bad}");
        }
    }

    #[test]
    fn urls_point_at_the_files_path_and_name_attachments() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let f = files(dir.path());
        assert_eq!(f.url("k1", None), "http://h:1/files/k1");
        assert_eq!(
            f.url("k1", Some("a b.txt")),
            "http://h:1/files/k1?attname=a+b.txt"
        );
    }
}
