//! Navigation: one HTTP GET that names the connection servers (transport.md §2), with the 2.5.x
//! retry algorithm and the error handling the original should have had (known bug 10).

use im_wire::enums::ConnectionStatus;
use im_wire::value::Value;

use crate::config::Config;
use crate::out::Out;
use crate::output::{Output, RequestId};
use crate::url::navi_url;

/// Minimum spacing of attempts that fail at once (network errors), so an offline device does not
/// burn every attempt within a millisecond.
const MIN_ATTEMPT_SPACING_MS: u64 = 1000;

/// What navigation found (transport.md §2.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NaviResult {
    /// `server` then `backupServer` entries, empty ones dropped (known bug 11).
    pub(crate) servers: Vec<String>,
    /// Navigation's idea of the user id; CONNACK's wins.
    pub(crate) user_id: String,
    /// The whole JSON object as received (`getNavi()`).
    pub(crate) raw: String,
}

/// How navigation ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NaviOutcome {
    Found(NaviResult),
    TokenIncorrect,
    AppKeyFake,
    Exhausted,
}

#[derive(Clone, Debug)]
pub(crate) struct Navigation {
    hosts: Vec<String>,
    /// Attempts started so far.
    attempts: u32,
    /// N + maxNaviRetry − 1 (transport.md §2.4).
    total: u32,
    current: Option<(RequestId, u64)>,
    next_attempt_at: Option<u64>,
    last_start: u64,
}

impl Navigation {
    /// Starts navigating; the first attempt goes out at once.
    pub(crate) fn start(config: &Config, token: &str, now_ms: u64, out: &mut Out) -> Self {
        let hosts = config.normalized_navi_hosts();
        let n = u32::try_from(hosts.len()).unwrap_or(u32::MAX);
        let mut navi = Self {
            hosts,
            attempts: 0,
            total: n
                .saturating_add(config.max_navi_retry)
                .saturating_sub(1)
                .max(1),
            current: None,
            next_attempt_at: Some(now_ms),
            last_start: now_ms,
        };
        navi.poll(config, token, now_ms, out);
        navi
    }

    pub(crate) fn deadline(&self) -> Option<u64> {
        self.current.map(|(_, d)| d).or(self.next_attempt_at)
    }

    /// Abandons navigation, cancelling the request in flight.
    pub(crate) fn cancel(&mut self, out: &mut Out) {
        if let Some((id, _)) = self.current.take() {
            out.push(Output::CancelHttp { id });
        }
        self.next_attempt_at = None;
    }

    /// Fires the attempt timer or starts a scheduled attempt.
    pub(crate) fn poll(
        &mut self,
        config: &Config,
        token: &str,
        now_ms: u64,
        out: &mut Out,
    ) -> Option<NaviOutcome> {
        if let Some((id, deadline)) = self.current {
            if now_ms < deadline {
                return None;
            }
            out.push(Output::CancelHttp { id });
            self.current = None;
            out.status(ConnectionStatus::ResponseNaviTimeout);
            self.next_attempt_at = Some(now_ms);
        }
        match self.next_attempt_at {
            Some(at) if at <= now_ms => {}
            _ => return None,
        }
        self.next_attempt_at = None;
        if self.attempts >= self.total {
            return Some(NaviOutcome::Exhausted);
        }
        let index = usize::try_from(self.attempts).unwrap_or(usize::MAX);
        let host = self
            .hosts
            .get(index)
            .or_else(|| self.hosts.first())
            .cloned();
        let Some(host) = host else {
            return Some(NaviOutcome::Exhausted);
        };
        self.attempts += 1;
        self.last_start = now_ms;
        out.status(ConnectionStatus::RequestNavi);
        let url = navi_url(
            config.http_scheme(),
            &host,
            &config.navi_file,
            &config.app_key,
            token,
            &config.sdk_version,
            now_ms,
        );
        let id = out.http_get(url);
        self.current = Some((id, now_ms.saturating_add(config.navi_timeout_ms)));
        None
    }

    /// Handles an HTTP response; `None` when it is not ours or another attempt follows.
    pub(crate) fn handle_response(
        &mut self,
        id: RequestId,
        status: u16,
        body: &str,
        now_ms: u64,
        out: &mut Out,
    ) -> Option<NaviOutcome> {
        if self.current.map(|(c, _)| c) != Some(id) {
            return None;
        }
        self.current = None;
        let parsed = parse_body(body);
        let code = match (status, &parsed) {
            // 2.5.3 reads `code` from the body for 200, 401 and 403; a body it cannot parse
            // falls back to the HTTP status instead of throwing (known bug 10).
            (200 | 401 | 403, Some(v)) => v.get("code").and_then(Value::as_i64),
            (401 | 403, None) => Some(i64::from(status)),
            _ => None,
        };
        match code {
            Some(200) => {
                if let Some(result) = parsed.as_ref().and_then(|v| result_of(v, body)) {
                    out.status(ConnectionStatus::ResponseNavi);
                    return Some(NaviOutcome::Found(result));
                }
            }
            Some(401) => {
                out.status(ConnectionStatus::ResponseNavi);
                return Some(NaviOutcome::TokenIncorrect);
            }
            Some(403) => {
                out.status(ConnectionStatus::ResponseNavi);
                return Some(NaviOutcome::AppKeyFake);
            }
            _ => {}
        }
        out.status(ConnectionStatus::ResponseNaviError);
        let earliest = self.last_start.saturating_add(MIN_ATTEMPT_SPACING_MS);
        self.next_attempt_at = Some(if status == 0 {
            earliest.max(now_ms)
        } else {
            now_ms
        });
        None
    }
}

/// The JSON object between the first `{` and the last `}`: works for `navi.json`, the JSONP
/// `getServerEndpoint({...});` of `navi.js`, and variants without the semicolon (§2.5).
pub(crate) fn parse_body(body: &str) -> Option<Value> {
    let start = body.find('{')?;
    let end = body.bytes().rposition(|b| b == b'}')?;
    let json = body.get(start..=end)?;
    im_wire::json::parse(json).ok().filter(Value::is_object)
}

fn result_of(v: &Value, body: &str) -> Option<NaviResult> {
    let server = v.get("server").and_then(Value::as_str)?;
    let backup = v.get("backupServer").and_then(Value::as_str).unwrap_or("");
    let servers: Vec<String> = std::iter::once(server)
        .chain(backup.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if servers.is_empty() {
        return None;
    }
    let raw = match (body.find('{'), body.bytes().rposition(|b| b == b'}')) {
        (Some(s), Some(e)) => body.get(s..=e).unwrap_or(body).to_owned(),
        _ => body.to_owned(),
    };
    Some(NaviResult {
        servers,
        user_id: v
            .get("userId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_and_plain_bodies_parse() {
        let v = parse_body(r#"getServerEndpoint({"code":200,"server":"a"});"#).unwrap();
        assert_eq!(v["code"], 200);
        assert!(parse_body(r#"{"code":401}"#).is_some());
        assert!(parse_body("<html>").is_none());
        assert!(parse_body("} {").is_none());
    }

    #[test]
    fn servers_drop_empty_entries() {
        let v = parse_body(r#"{"code":200,"server":"a","backupServer":"b,c:8443"}"#).unwrap();
        assert_eq!(result_of(&v, "").unwrap().servers, ["a", "b", "c:8443"]);
        let v = parse_body(r#"{"code":200,"server":"a","backupServer":""}"#).unwrap();
        assert_eq!(result_of(&v, "").unwrap().servers, ["a"]);
        let v = parse_body(r#"{"code":200}"#).unwrap();
        assert_eq!(result_of(&v, ""), None);
    }

    #[test]
    fn eleven_attempts_with_the_default_hosts() {
        let config = Config::new("k");
        let mut out = Out::default();
        let mut navi = Navigation::start(&config, "t", 0, &mut out);
        let mut now = 0;
        let mut attempts = 1;
        loop {
            now += 5000;
            match navi.poll(&config, "t", now, &mut out) {
                Some(outcome) => {
                    assert_eq!(outcome, NaviOutcome::Exhausted);
                    break;
                }
                None => attempts += 1,
            }
        }
        assert_eq!((attempts, now), (11, 55_000));
    }
}
