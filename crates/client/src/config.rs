//! Engine configuration: what `RongIMClient.init(appKey, …, options)` decides, plus the seed and
//! the persisted values the host loaded from storage.

use crate::storage::Storage;

use serde::Deserialize;

/// The default navigation hosts of 2.5.3 (transport.md §2.2).
pub const DEFAULT_NAVI_HOSTS: [&str; 2] = ["nav.cn.ronghub.com", "nav2-cn.ronghub.com"];

/// 2.5.3's default API host (`hasRemoteUnreadMessages`).
const DEFAULT_API_HOST: &str = "api.cn.ronghub.com";

/// The default probe URL of `reconnect({auto: true})` (transport.md §8).
pub const DEFAULT_RECONNECT_URL: &str = "cdn.ronghub.com/RongIMLib-2.2.6.min.js";

/// The default probe delays of `reconnect({auto: true})` in ms (transport.md §8).
pub const DEFAULT_RECONNECT_RATE: [u64; 6] = [100, 1000, 3000, 6000, 10000, 18000];

/// The default byte budget of the local message store ([`Config::store_budget`]): 4 MiB.
pub const DEFAULT_STORE_BUDGET: usize = 4 * 1024 * 1024;

/// The default [`Config::outbox_expiry_ms`]: 24 hours.
pub const DEFAULT_OUTBOX_EXPIRY_MS: u64 = 24 * 60 * 60 * 1000;

/// Configuration fixed at construction. Deserializes from camelCase JSON (`appKey`, `naviHosts`,
/// `secure`, …); absent keys take the 2.5.3 defaults of [`Config::new`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Config {
    /// The app key, sent raw as `appId` (transport.md §2.3, §3.4).
    pub app_key: String,
    /// Navigation hosts, tried in order (transport.md §2.4). Any `scheme://` is stripped and the
    /// entry is cut at the first `/`, as `init({navi})` does.
    pub navi_hosts: Vec<String>,
    /// The navigation file: `navi.js` (JSONP text, like 2.5.3) or `navi.json`. Either reply is
    /// parsed by taking the text from the first `{` to the last `}`.
    pub navi_file: String,
    /// `true` for `https://` + `wss://`, `false` for `http://` + `ws://` (transport.md §2.2).
    pub secure: bool,
    /// The SDK version sent as `v` and `sdkVer`, e.g. `2.5.3`.
    pub sdk_version: String,
    /// Seed of the engine's PRNG (apiVer nonce, local message ids, jitter).
    pub seed: u64,
    /// Per-attempt navigation timeout (`naviTimeout`, 5000 ms).
    pub navi_timeout_ms: u64,
    /// `maxNaviRetry` (10): with N hosts, N + maxNaviRetry − 1 attempts in all.
    pub max_navi_retry: u32,
    /// Time allowed from opening the socket to CONNACK (2.5.3 has none: known bug 4).
    pub connack_timeout_ms: u64,
    /// Automatic reconnection after a lost connection; `None` turns it off (2.5.3 behaviour).
    pub auto_reconnect: Option<Backoff>,
    /// Values the host loaded from storage, as earlier [`crate::Output::Persist`] wrote them
    /// (receive/send box times, `last_sentTime_{userId}`; api.md §9). Keys without the host's
    /// `rong_` prefix.
    pub storage: Storage,
    /// Bytes the local message store may take in storage (its values: messages, index and id
    /// map); beyond it the oldest messages go. 0 turns the store off: messages are then not
    /// kept and `messageId` is 2.5.3's (see [`crate::Engine::get_message`]).
    pub store_budget: usize,
    /// The host of `hasRemoteUnreadMessages` (`init({api})`, scheme and path stripped); `None`
    /// asks the first navigation host, or RongCloud's API host when the navigation hosts are
    /// RongCloud's.
    pub api_host: Option<String>,
    /// `init(…, {outbox: true})`: a send made while disconnected, or left without its PUBACK by
    /// a lost connection, is kept (across reloads too) and sent when a connection is back (see
    /// `crate::outbox`). Off by default: such a send fails, as in 2.x.
    pub outbox: bool,
    /// How long the outbox keeps trying a send, from the call (`outboxExpiryMs`); then it fails
    /// with −1.
    pub outbox_expiry_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self::new("")
    }
}

impl Config {
    /// A configuration with the 2.5.3 defaults for `app_key`.
    pub fn new(app_key: impl Into<String>) -> Self {
        Self {
            app_key: app_key.into(),
            navi_hosts: DEFAULT_NAVI_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            navi_file: "navi.js".to_owned(),
            secure: true,
            sdk_version: "2.5.3".to_owned(),
            seed: 0,
            navi_timeout_ms: 5000,
            max_navi_retry: 10,
            connack_timeout_ms: 15_000,
            auto_reconnect: Some(Backoff::default()),
            storage: Storage::new(),
            store_budget: DEFAULT_STORE_BUDGET,
            api_host: None,
            outbox: false,
            outbox_expiry_ms: DEFAULT_OUTBOX_EXPIRY_MS,
        }
    }

    pub(crate) fn http_scheme(&self) -> &'static str {
        if self.secure {
            "https://"
        } else {
            "http://"
        }
    }

    pub(crate) fn ws_scheme(&self) -> &'static str {
        if self.secure {
            "wss://"
        } else {
            "ws://"
        }
    }

    /// The host `hasRemoteUnreadMessages` asks (see [`Config::api_host`]).
    pub(crate) fn api_host(&self) -> String {
        if let Some(host) = self.api_host.as_deref().map(normalize_host) {
            if !host.is_empty() {
                return host;
            }
        }
        let hosts = self.normalized_navi_hosts();
        match hosts.first() {
            Some(h) if !DEFAULT_NAVI_HOSTS.contains(&h.as_str()) => h.clone(),
            _ => DEFAULT_API_HOST.to_owned(),
        }
    }

    /// The navigation hosts after normalisation, empty entries dropped.
    pub(crate) fn normalized_navi_hosts(&self) -> Vec<String> {
        self.navi_hosts
            .iter()
            .map(|h| normalize_host(h))
            .filter(|h| !h.is_empty())
            .collect()
    }
}

/// Exponential backoff with jitter for automatic reconnection.
///
/// Attempt `n` (from 0) waits `min(max_ms, initial_ms × 2^n)`, of which the upper `jitter_percent`
/// is randomised, so clients dropped together do not come back together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Backoff {
    /// Delay before the first attempt.
    pub initial_ms: u64,
    /// Upper bound of the delay.
    pub max_ms: u64,
    /// Share of each delay (0–100) that is random.
    pub jitter_percent: u8,
    /// Give up after this many attempts in a row; `None` retries forever.
    pub max_attempts: Option<u32>,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial_ms: 1000,
            max_ms: 60_000,
            jitter_percent: 50,
            max_attempts: None,
        }
    }
}

/// Strips `scheme://` and cuts at the first `/` (transport.md §2.2).
pub(crate) fn normalize_host(entry: &str) -> String {
    let entry = entry.trim_ascii();
    let rest =
        im_wire::text::find(entry, "://").map_or(entry, |i| entry.get(i + 3..).unwrap_or(""));
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    rest.split('/').next().unwrap_or("").to_owned()
}

/// Strips `scheme://` only, keeping the path (the `reconnect` probe URL, transport.md §8).
pub(crate) fn strip_scheme(url: &str) -> &str {
    let url = url.trim_ascii();
    let rest = im_wire::text::find(url, "://").map_or(url, |i| url.get(i + 3..).unwrap_or(""));
    rest.strip_prefix("//").unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_normalised_like_init_does() {
        assert_eq!(
            normalize_host("https://nav.example.com/x/y"),
            "nav.example.com"
        );
        assert_eq!(
            normalize_host("nav.example.com:8443"),
            "nav.example.com:8443"
        );
        assert_eq!(normalize_host("//h/"), "h");
        assert_eq!(strip_scheme("http://cdn.x/a.js"), "cdn.x/a.js");
        let mut c = Config::new("k");
        c.navi_hosts = vec!["".into(), "http://a/".into()];
        assert_eq!(c.normalized_navi_hosts(), ["a"]);
    }

    #[test]
    fn config_deserializes_from_camel_case_json_with_defaults() {
        let c: Config = serde_json::from_str(
            r#"{"appKey":"k","naviHosts":["h:1"],"secure":false,"seed":9,
                "autoReconnect":{"initialMs":500},"storage":{"k_u_sendbox":"5"}}"#,
        )
        .unwrap();
        assert_eq!((c.app_key.as_str(), c.secure, c.seed), ("k", false, 9));
        assert_eq!(c.navi_file, "navi.js");
        assert_eq!(c.auto_reconnect.unwrap().initial_ms, 500);
        assert_eq!(c.auto_reconnect.unwrap().max_ms, 60_000);
        let off: Config = serde_json::from_str(r#"{"autoReconnect":null}"#).unwrap();
        assert_eq!(off.auto_reconnect, None);
    }
}
