//! Reconnection: the app's `reconnect(callback, {auto, url, rate})` (transport.md §8) and the
//! automatic exponential backoff the original lacks (§7.4, "no automatic reconnect").

use im_wire::enums::ConnectionStatus;
use im_wire::text;

use crate::config::{strip_scheme, Backoff, Config, DEFAULT_RECONNECT_RATE, DEFAULT_RECONNECT_URL};
use crate::engine::{Engine, Phase};
use crate::out::Out;
use crate::output::{Event, Output, RequestId};
use crate::rng::Rng;

/// A reconnect probe that hangs counts as failed after this long (2.5.3 waits forever: known
/// bug 12).
pub(crate) const APP_PROBE_TIMEOUT_MS: u64 = 10_000;

/// The `config` argument of `RongIMClient.reconnect(callback, config)`; deserializes from the
/// same JSON (`{auto, url, rate}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ReconnectConfig {
    /// `true`: probe `url` first, at the delays of `rate`; `false`: connect at once.
    pub auto: bool,
    /// Probe URL; its scheme is replaced by the configured one. Default
    /// `cdn.ronghub.com/RongIMLib-2.2.6.min.js`.
    pub url: Option<String>,
    /// Delays in ms before each probe. Default 100, 1000, 3000, 6000, 10000, 18000.
    pub rate: Option<Vec<u64>>,
}

/// The delay before automatic attempt `attempt` (from 0): exponential, capped, with the top
/// `jitter_percent` of it random.
pub(crate) fn backoff_delay(b: &Backoff, attempt: u32, rng: &mut Rng) -> u64 {
    let factor = 1u64.checked_shl(attempt.min(40)).unwrap_or(u64::MAX);
    let base = b.initial_ms.saturating_mul(factor).min(b.max_ms);
    let jitter = base / 100 * u64::from(b.jitter_percent.min(100));
    base - jitter + rng.below(jitter + 1)
}

/// How the app's probe sequence ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AppProbeOutcome {
    Reachable,
    GaveUp,
}

/// The `auto: true` probe sequence. The caller's `rate` is copied, never modified (bug 12).
#[derive(Clone, Debug)]
pub(crate) struct AppProbe {
    url: String,
    rate: Vec<u64>,
    index: usize,
    next_at: Option<u64>,
    current: Option<(RequestId, u64)>,
}

impl AppProbe {
    pub(crate) fn start(config: &Config, rc: &ReconnectConfig, now_ms: u64) -> Self {
        let path = rc.url.as_deref().unwrap_or(DEFAULT_RECONNECT_URL);
        let rate = rc
            .rate
            .clone()
            .unwrap_or_else(|| DEFAULT_RECONNECT_RATE.to_vec());
        Self {
            url: text!(config.http_scheme(), strip_scheme(path)),
            next_at: rate.first().map(|d| now_ms.saturating_add(*d)),
            rate,
            index: 0,
            current: None,
        }
    }

    pub(crate) fn deadline(&self) -> Option<u64> {
        self.current.map(|(_, d)| d).or(self.next_at)
    }

    pub(crate) fn cancel(&mut self, out: &mut Out) {
        if let Some((id, _)) = self.current.take() {
            out.push(Output::CancelHttp { id });
        }
        self.next_at = None;
    }

    fn failed(&mut self, now_ms: u64) -> Option<AppProbeOutcome> {
        self.index += 1;
        match self.rate.get(self.index) {
            Some(delay) => {
                self.next_at = Some(now_ms.saturating_add(*delay));
                None
            }
            None => Some(AppProbeOutcome::GaveUp),
        }
    }

    pub(crate) fn poll(&mut self, now_ms: u64, out: &mut Out) -> Option<AppProbeOutcome> {
        if self.rate.is_empty() {
            return Some(AppProbeOutcome::GaveUp);
        }
        if let Some((id, deadline)) = self.current {
            if now_ms < deadline {
                return None;
            }
            out.push(Output::CancelHttp { id });
            self.current = None;
            return self.failed(now_ms);
        }
        match self.next_at {
            Some(at) if at <= now_ms => {
                self.next_at = None;
                let id = out.http_get(self.url.clone());
                self.current = Some((id, now_ms.saturating_add(APP_PROBE_TIMEOUT_MS)));
                None
            }
            _ => None,
        }
    }

    pub(crate) fn handle_response(
        &mut self,
        id: RequestId,
        status: u16,
        now_ms: u64,
    ) -> Option<AppProbeOutcome> {
        if self.current.map(|(c, _)| c) != Some(id) {
            return None;
        }
        self.current = None;
        if status == 200 {
            Some(AppProbeOutcome::Reachable)
        } else {
            self.failed(now_ms)
        }
    }
}

impl Engine {
    /// `RongIMClient.reconnect(callbacks, config)` (§8). Returns `false` when nothing happens:
    /// no token was ever given, or a connection is already up or being made.
    pub fn reconnect(&mut self, now_ms: u64, config: &ReconnectConfig) -> bool {
        let Some(token) = self.token.clone() else {
            return false;
        };
        if self.busy() {
            return false;
        }
        if !config.auto {
            return self.connect(now_ms, &token);
        }
        self.cancel_phase();
        self.wanted = true;
        self.phase = Phase::AppProbe(AppProbe::start(&self.config, config, now_ms));
        true
    }

    pub(crate) fn schedule_reconnect(&mut self, now_ms: u64) {
        self.phase = Phase::Idle;
        let Some(backoff) = self.config.auto_reconnect else {
            return;
        };
        if !self.wanted || self.token.is_none() {
            return;
        }
        if self.held() {
            // Lost in the background or offline: not a failed attempt; wait to be resumed.
            self.phase = Self::held_backoff();
            return;
        }
        if backoff.max_attempts.is_some_and(|max| self.attempts >= max) {
            self.wanted = false;
            return;
        }
        let delay = backoff_delay(&backoff, self.attempts, &mut self.rng);
        self.attempts = self.attempts.saturating_add(1);
        self.phase = Phase::Backoff {
            at: now_ms.saturating_add(delay),
        };
    }

    pub(crate) fn app_probe_done(&mut self, now_ms: u64, outcome: AppProbeOutcome) {
        self.phase = Phase::Idle;
        match outcome {
            AppProbeOutcome::Reachable => {
                self.attempts = 0;
                self.start_attempt(now_ms);
            }
            AppProbeOutcome::GaveUp => {
                self.wanted = false;
                self.out.event(Event::ConnectFailed {
                    code: ConnectionStatus::NetworkUnavailable.value(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_bounded_jitter() {
        let b = Backoff {
            initial_ms: 1000,
            max_ms: 8000,
            jitter_percent: 50,
            max_attempts: None,
        };
        let mut rng = Rng::new(3);
        for (attempt, base) in [
            (0, 1000),
            (1, 2000),
            (2, 4000),
            (3, 8000),
            (9, 8000),
            (200, 8000),
        ] {
            let d = backoff_delay(&b, attempt, &mut rng);
            assert!(d >= base / 2 && d <= base, "{attempt}: {d}");
        }
        let exact = Backoff {
            jitter_percent: 0,
            ..b
        };
        assert_eq!(backoff_delay(&exact, 2, &mut rng), 4000);
    }

    #[test]
    fn the_probe_walks_the_rate_list_then_gives_up() {
        let config = Config::new("k");
        let rc = ReconnectConfig {
            auto: true,
            url: Some("http://example.com/x.js".into()),
            rate: Some(vec![100, 1000]),
        };
        let mut out = Out::default();
        let mut p = AppProbe::start(&config, &rc, 0);
        assert_eq!(p.deadline(), Some(100));
        assert_eq!(p.poll(100, &mut out), None);
        let Some(Output::HttpGet { id, url }) = out.pop() else {
            panic!("no probe")
        };
        assert_eq!(url, "https://example.com/x.js");
        assert_eq!(p.handle_response(id, 0, 150), None);
        assert_eq!(p.deadline(), Some(1150));
        assert_eq!(p.poll(1150, &mut out), None);
        assert_eq!(p.poll(11_150, &mut out), Some(AppProbeOutcome::GaveUp));
    }
}
