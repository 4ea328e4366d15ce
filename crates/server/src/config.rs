//! Configuration: defaults, then an optional TOML or JSON file (`IM_CONFIG` or `--config`), then
//! environment variables (`IM_ADDR`, `IM_API_ADDR`, `IM_DATA_DIR`, `IM_APP_KEY`, `IM_APP_SECRET`,
//! `IM_PUBLIC_ADDR`, `IM_API_STRICT`, `IM_METRICS_PUBLIC`, `IM_TLS_CERT`, `IM_TLS_KEY`,
//! `IM_HEADER_TIMEOUT_SECS`, `IM_MAX_CONNECTIONS_PER_IP`, `IM_MAX_CONNECTIONS`,
//! `IM_CONNECTION_EXEMPT_IPS`, `IM_STORE`, `IM_BUS`, `IM_NODE_ID`, and the limits named on their
//! fields).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::clock::NodeId;
use crate::cluster::{BusUrl, StoreUrl};

/// Everything the server can be told. Every field has a default, so an empty file is valid.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Listen address for HTTP, WebSocket and (without `api_addr`) the Server API.
    pub addr: SocketAddr,
    /// A separate listen address for the Server API; when set, `addr` does not serve it.
    /// `/metrics` is served there too.
    pub api_addr: Option<SocketAddr>,
    /// Serve `/metrics` on the public address as well (it is unauthenticated).
    pub metrics_public: bool,
    /// PEM certificate chain for TLS on `addr` (https, wss); needs `tls_key`.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1) for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Directory holding the SQLite database and the generated development app.
    pub data_dir: PathBuf,
    /// The store: `sqlite` (in `data_dir`) or `postgres://USER:PASS@HOST:PORT/DB`. `IM_STORE`.
    pub store: StoreUrl,
    /// The message bus of nodes sharing a store: `nats://HOST:PORT`. `IM_BUS`.
    pub bus: Option<BusUrl>,
    /// This node's id among the nodes sharing a store, 0–1023, distinct per node: part of
    /// every message UId it makes. `IM_NODE_ID`.
    pub node_id: NodeId,
    /// App key of the one application this server serves; generated when absent.
    pub app_key: Option<String>,
    /// App secret of that application; generated when absent.
    pub app_secret: Option<String>,
    /// `host:port` announced by navigation; the request's `Host` header when absent.
    pub public_addr: Option<String>,
    /// Extra `host:port` entries for navigation's `backupServer` (transport.md §7.7); the
    /// announced address itself when empty, so the list is never empty.
    pub backup_servers: Vec<String>,
    /// Connections one user may hold at once; a new login beyond this kicks the oldest.
    pub devices_per_user: usize,
    /// Largest client frame accepted, in bytes.
    pub max_frame_bytes: usize,
    /// Sustained client frames per second allowed on one connection.
    pub rate_per_sec: u32,
    /// Burst of client frames allowed above the sustained rate.
    pub rate_burst: u32,
    /// Seconds without any client frame after which a connection is closed (the client pings
    /// every 30 s, transport.md §7.4).
    pub idle_timeout_secs: u64,
    /// Seconds a frame may wait for the client to take it; a client that stops reading is
    /// disconnected then (its messages stay pullable).
    pub write_timeout_secs: u64,
    /// Most messages in one `pullMsg` reply (api.md §5.2 counts batches of up to 200).
    pub pull_batch: usize,
    /// Most content bytes in one `pullMsg` reply, and most bytes of messages in one `chrmPull`
    /// reply (the rest follows in the next pull).
    pub pull_max_bytes: usize,
    /// Server API authentication.
    pub api: ApiAuthConfig,
    /// Most sensitive words stored (server-api.md §2.6: 50 upstream); beyond it, 1019.
    pub sensitive_word_limit: usize,
    /// Chatrooms.
    pub chatroom: crate::chatroom::ChatroomConfig,
    /// Connection caps and the request header deadline.
    pub connections: crate::listen::ConnectionConfig,
    /// Most items waiting in one connection's outbound queue; beyond it, notifications are
    /// dropped (the client's pull recovers the messages). `IM_OUTBOUND_QUEUE_ITEMS`.
    pub outbound_queue_items: usize,
    /// Most bytes waiting in one connection's outbound queue; a client that reads so slowly
    /// that more would wait is disconnected, and pulls its stored messages when it
    /// reconnects. `IM_OUTBOUND_QUEUE_BYTES`.
    pub outbound_queue_bytes: usize,
    /// How long a sent message's client message id is kept for recognising a resend (the SDK's
    /// outbox resends with the same id after a lost PUBACK), in seconds; a resend later than
    /// that is stored again. Default 7 days, past the SDK's default outbox expiry of 24 hours.
    /// `IM_CLIENT_ID_RETENTION_SECS`.
    pub client_id_retention_secs: u64,
    /// Uploaded files (`[files]`; the `IM_FILES_*` variables).
    pub files: crate::files::FilesConfig,
}

/// How the Server API checks requests (server-api.md §1.3).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiAuthConfig {
    /// Reject stale timestamps and repeated nonces. Off by default: the official Node SDK signs
    /// once per process and reuses Nonce and Timestamp for every request.
    pub strict: bool,
    /// Accepted clock difference in strict mode, in seconds (default 300).
    pub window_secs: Option<u64>,
    /// In strict mode, also require `Signature-Hmac`: hex HMAC-SHA256 keyed by the app secret
    /// over `METHOD\npath\nnonce\ntimestamp\nbody`.
    pub require_body_hmac: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8443)),
            api_addr: None,
            metrics_public: false,
            tls_cert: None,
            tls_key: None,
            data_dir: PathBuf::from("im-data"),
            store: StoreUrl::Sqlite,
            bus: None,
            node_id: NodeId::default(),
            app_key: None,
            app_secret: None,
            public_addr: None,
            backup_servers: Vec::new(),
            devices_per_user: 1,
            max_frame_bytes: im_wire::frame::MAX_CLIENT_FRAME_LEN,
            rate_per_sec: 50,
            rate_burst: 200,
            idle_timeout_secs: 120,
            write_timeout_secs: 10,
            pull_batch: 200,
            pull_max_bytes: 1024 * 1024,
            api: ApiAuthConfig::default(),
            sensitive_word_limit: 50,
            chatroom: crate::chatroom::ChatroomConfig::default(),
            connections: crate::listen::ConnectionConfig::default(),
            outbound_queue_items: 1024,
            outbound_queue_bytes: 8 * 1024 * 1024,
            client_id_retention_secs: 7 * 24 * 3600,
            files: crate::files::FilesConfig::default(),
        }
    }
}

/// A configuration that could not be read.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Defaults, then `file` (or `IM_CONFIG`) if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env_file = std::env::var_os("IM_CONFIG").map(PathBuf::from);
        let mut config = match file.map(Path::to_path_buf).or(env_file) {
            Some(path) => Self::from_file(&path)?,
            None => Self::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    /// Reads a TOML file, or JSON when the name ends in `.json`.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
        let parsed = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
        parsed.map_err(|e| ConfigError(format!("{}: {e}", path.display())))
    }

    /// Overrides fields from environment variables read through `var`.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(addr) = var("IM_ADDR") {
            self.addr = addr
                .parse()
                .map_err(|e| ConfigError(format!("IM_ADDR={addr}: {e}")))?;
        }
        if let Some(addr) = var("IM_API_ADDR") {
            self.api_addr = match addr.trim() {
                "" => None,
                a => Some(
                    a.parse()
                        .map_err(|e| ConfigError(format!("IM_API_ADDR={addr}: {e}")))?,
                ),
            };
        }
        if let Some(cert) = var("IM_TLS_CERT") {
            self.tls_cert = Some(PathBuf::from(cert));
        }
        if let Some(key) = var("IM_TLS_KEY") {
            self.tls_key = Some(PathBuf::from(key));
        }
        if let Some(dir) = var("IM_DATA_DIR") {
            self.data_dir = PathBuf::from(dir);
        }
        parse_env(&var, "IM_STORE", &mut self.store)?;
        if let Some(bus) = var("IM_BUS") {
            self.bus = match bus.trim() {
                "" => None,
                b => Some(b.parse().map_err(|e| ConfigError(format!("IM_BUS: {e}")))?),
            };
        }
        parse_env(&var, "IM_NODE_ID", &mut self.node_id)?;
        if let Some(key) = var("IM_APP_KEY") {
            self.app_key = Some(key);
        }
        if let Some(secret) = var("IM_APP_SECRET") {
            self.app_secret = Some(secret);
        }
        if let Some(public) = var("IM_PUBLIC_ADDR") {
            self.public_addr = Some(public);
        }
        if let Some(strict) = var("IM_API_STRICT") {
            self.api.strict = is_yes(&strict);
        }
        if let Some(public) = var("IM_METRICS_PUBLIC") {
            self.metrics_public = is_yes(&public);
        }
        let c = &mut self.connections;
        parse_env(&var, "IM_HEADER_TIMEOUT_SECS", &mut c.header_timeout_secs)?;
        parse_env(&var, "IM_MAX_CONNECTIONS_PER_IP", &mut c.max_per_ip)?;
        parse_env(&var, "IM_MAX_CONNECTIONS", &mut c.max_total)?;
        if let Some(list) = var("IM_CONNECTION_EXEMPT_IPS") {
            c.exempt_ips = list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map_err(|e| ConfigError(format!("IM_CONNECTION_EXEMPT_IPS={s}: {e}")))
                })
                .collect::<Result<_, _>>()?;
        }
        let limits = [
            ("IM_OUTBOUND_QUEUE_ITEMS", &mut self.outbound_queue_items),
            ("IM_OUTBOUND_QUEUE_BYTES", &mut self.outbound_queue_bytes),
            ("IM_CHATROOM_RING_BYTES", &mut self.chatroom.ring_bytes),
            (
                "IM_CHATROOM_MEMBER_QUEUE_BYTES",
                &mut self.chatroom.member_queue_bytes,
            ),
            ("IM_CHATROOM_MAX_ROOMS", &mut self.chatroom.max_rooms),
            ("IM_CHATROOM_KV_ENTRIES", &mut self.chatroom.kv_entries),
        ];
        for (name, field) in limits {
            parse_env(&var, name, field)?;
        }
        parse_env(
            &var,
            "IM_CLIENT_ID_RETENTION_SECS",
            &mut self.client_id_retention_secs,
        )?;
        self.files.apply_env(&var)?;
        Ok(())
    }

    /// The application credentials: configured ones, or a development app generated once and
    /// kept in `data_dir/dev-app.json` so that issued tokens survive restarts.
    pub fn resolve_app(&self) -> Result<AppCredentials, ConfigError> {
        if let Some(secret) = &self.app_secret {
            if secret.len() < MIN_SECRET_BYTES {
                return Err(ConfigError(format!(
                    "the app secret (IM_APP_SECRET) has {} bytes; at least {MIN_SECRET_BYTES} are \
                     needed, since it signs tokens and Server API requests",
                    secret.len()
                )));
            }
        }
        if let (Some(key), Some(secret)) = (&self.app_key, &self.app_secret) {
            return Ok(AppCredentials {
                key: key.clone(),
                secret: secret.clone(),
            });
        }
        let path = self.data_dir.join("dev-app.json");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let app: AppCredentials = serde_json::from_str(&text)
                .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
            return Ok(app);
        }
        let app = AppCredentials {
            key: self
                .app_key
                .clone()
                .unwrap_or_else(|| format!("dev{}", crate::clock::random_token(6))),
            secret: self
                .app_secret
                .clone()
                .unwrap_or_else(|| crate::clock::random_token(MIN_SECRET_BYTES)),
        };
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| ConfigError(format!("cannot create {}: {e}", self.data_dir.display())))?;
        let text = serde_json::to_string_pretty(&app).map_err(|e| ConfigError(e.to_string()))?;
        write_private(&path, &text)
            .map_err(|e| ConfigError(format!("cannot write {}: {e}", path.display())))?;
        Ok(app)
    }
}

fn is_yes(value: &str) -> bool {
    matches!(value, "1" | "true" | "yes")
}

/// Sets `field` from the environment variable `name` when it is set.
pub(crate) fn parse_env<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    field: &mut T,
) -> Result<(), ConfigError>
where
    T::Err: std::fmt::Display,
{
    if let Some(text) = var(name) {
        *field = text
            .trim()
            .parse()
            .map_err(|e| ConfigError(format!("{name}={text}: {e}")))?;
    }
    Ok(())
}

/// The shortest app secret accepted from the configuration: it signs tokens and Server API
/// requests, so an empty or short one lets anyone forge both.
pub const MIN_SECRET_BYTES: usize = 16;

/// Writes `text` to a new file readable by its owner only (mode 0600 on Unix).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// App key and secret of the served application.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AppCredentials {
    /// The app key clients pass as `appId` and the Server API as `App-Key`.
    pub key: String,
    /// The secret that signs Server API requests and tokens.
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "IM_ADDR" => Some("127.0.0.1:9000".into()),
            "IM_APP_KEY" => Some("k".into()),
            "IM_API_ADDR" => Some("127.0.0.1:9001".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.addr.port(), 9000);
        assert_eq!(c.api_addr.map(|a| a.port()), Some(9001));
        assert_eq!(c.app_key.as_deref(), Some("k"));
        c.apply_env(|k| (k == "IM_OUTBOUND_QUEUE_BYTES").then(|| "1000".into()))
            .unwrap();
        assert_eq!(c.outbound_queue_bytes, 1000);
        c.apply_env(|k| (k == "IM_CLIENT_ID_RETENTION_SECS").then(|| "60".into()))
            .unwrap();
        assert_eq!(c.client_id_retention_secs, 60);
        assert!(c
            .apply_env(|k| (k == "IM_OUTBOUND_QUEUE_ITEMS").then(|| "x".into()))
            .is_err());
    }

    #[test]
    fn connection_limits_come_from_the_environment_and_bad_values_are_errors() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "IM_HEADER_TIMEOUT_SECS" => Some("3".into()),
            "IM_MAX_CONNECTIONS_PER_IP" => Some("5".into()),
            "IM_MAX_CONNECTIONS" => Some("50".into()),
            "IM_CONNECTION_EXEMPT_IPS" => Some("127.0.0.1, ::1".into()),
            _ => None,
        })
        .unwrap();
        let l = &c.connections;
        assert_eq!(
            (l.header_timeout_secs, l.max_per_ip, l.max_total),
            (3, 5, 50)
        );
        assert_eq!(l.exempt_ips.len(), 2);
        let err = c
            .apply_env(|k| (k == "IM_MAX_CONNECTIONS").then(|| "many".into()))
            .unwrap_err();
        assert!(err.0.contains("IM_MAX_CONNECTIONS"), "{err:?}");
    }

    #[test]
    fn store_bus_and_node_id_come_from_the_environment_or_a_file_and_are_checked() {
        let mut c = Config::default();
        assert_eq!(
            (&c.store, &c.bus, c.node_id.get()),
            (&StoreUrl::Sqlite, &None, 0)
        );
        c.apply_env(|k| match k {
            "IM_STORE" => Some("postgres://im:pw@10.0.0.5:5432/im".into()),
            "IM_BUS" => Some("nats://10.0.0.6:4222".into()),
            "IM_NODE_ID" => Some("1023".into()),
            _ => None,
        })
        .unwrap();
        assert!(matches!(&c.store, StoreUrl::Postgres(p) if p.host == "10.0.0.5"));
        assert_eq!(c.bus.as_ref().map(|b| b.port), Some(4222));
        assert_eq!(c.node_id.get(), 1023);
        for (name, bad) in [
            ("IM_STORE", "postgres://nobody"),
            ("IM_STORE", "mysql://u:p@h:1/d"),
            ("IM_BUS", "redis://h:1"),
            ("IM_NODE_ID", "1024"),
            ("IM_NODE_ID", "-1"),
        ] {
            let err = Config::default()
                .apply_env(|k| (k == name).then(|| bad.into()))
                .unwrap_err();
            assert!(err.0.contains(name), "{err:?}");
        }
        let c: Config =
            toml::from_str("store = \"postgres://a:b@h:1/d\"\nbus = \"nats://h:2\"\nnode_id = 7\n")
                .unwrap();
        assert!(matches!(c.store, StoreUrl::Postgres(_)));
        assert_eq!((c.bus.map(|b| b.port), c.node_id.get()), (Some(2), 7));
        assert!(toml::from_str::<Config>("node_id = 5000\n").is_err());
        assert!(toml::from_str::<Config>("store = \"sqlite3\"\n").is_err());
        let c: Config = serde_json::from_str(r#"{"store": "sqlite", "node_id": 3}"#).unwrap();
        assert_eq!((c.store, c.node_id.get()), (StoreUrl::Sqlite, 3));
    }

    #[test]
    fn toml_files_may_set_any_field() {
        let c: Config = toml::from_str("devices_per_user = 2\n[api]\nstrict = true\n").unwrap();
        assert_eq!(c.devices_per_user, 2);
        assert!(c.api.strict);
    }

    #[test]
    fn a_development_app_is_generated_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let a = c.resolve_app().unwrap();
        let b = c.resolve_app().unwrap();
        assert!(a.secret.len() >= MIN_SECRET_BYTES);
        assert_eq!((a.key, a.secret), (b.key, b.secret));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join("dev-app.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
    }

    #[test]
    fn a_configured_secret_shorter_than_16_bytes_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for secret in ["", "abc", "fifteen-bytes!!"] {
            let c = Config {
                data_dir: dir.path().to_path_buf(),
                app_key: Some("k".into()),
                app_secret: Some(secret.into()),
                ..Config::default()
            };
            let err = c.resolve_app().unwrap_err();
            assert!(err.0.contains("at least 16"), "{err:?}");
        }
        let c = Config {
            data_dir: dir.path().to_path_buf(),
            app_key: Some("k".into()),
            app_secret: Some("sixteen-bytes-ok".into()),
            ..Config::default()
        };
        assert_eq!(c.resolve_app().unwrap().secret, "sixteen-bytes-ok");
    }
}
