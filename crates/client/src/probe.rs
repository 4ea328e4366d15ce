//! Choosing a connection server: `GET /ping` to each one, 1 s apart, first HTTP 200 wins, 15 s
//! budget in all (transport.md §3.2).

use crate::config::Config;
use crate::out::Out;
use crate::output::{Output, RequestId};
use crate::url::ping_url;

/// Delay between two probes.
pub(crate) const PROBE_STAGGER_MS: u64 = 1000;
/// Overall budget; without a winner the connect attempt fails with NETWORK_UNAVAILABLE.
pub(crate) const PROBE_BUDGET_MS: u64 = 15_000;

#[derive(Clone, Debug)]
pub(crate) struct Probe {
    hosts: Vec<String>,
    started: u64,
    /// Index of the next host to probe.
    next: usize,
    in_flight: Vec<(RequestId, String)>,
}

/// How a probe round ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ProbeOutcome {
    Winner(String),
    BudgetExpired,
}

impl Probe {
    pub(crate) fn start(hosts: Vec<String>, config: &Config, now_ms: u64, out: &mut Out) -> Self {
        let mut probe = Self {
            hosts,
            started: now_ms,
            next: 0,
            in_flight: Vec::new(),
        };
        probe.send_due(config, now_ms, out);
        probe
    }

    fn next_send_at(&self) -> Option<u64> {
        (self.next < self.hosts.len()).then(|| {
            let slot = u64::try_from(self.next).unwrap_or(u64::MAX);
            self.started
                .saturating_add(slot.saturating_mul(PROBE_STAGGER_MS))
        })
    }

    fn budget_end(&self) -> u64 {
        self.started.saturating_add(PROBE_BUDGET_MS)
    }

    pub(crate) fn deadline(&self) -> Option<u64> {
        let budget = self.budget_end();
        Some(self.next_send_at().map_or(budget, |at| at.min(budget)))
    }

    fn send_due(&mut self, config: &Config, now_ms: u64, out: &mut Out) {
        while let Some(at) = self.next_send_at() {
            if at > now_ms {
                break;
            }
            if let Some(host) = self.hosts.get(self.next) {
                // Every probe of a round carries the same `r` (§3.2).
                let id = out.http_get(ping_url(config.http_scheme(), host, self.started));
                self.in_flight.push((id, host.clone()));
            }
            self.next += 1;
        }
    }

    pub(crate) fn poll(
        &mut self,
        config: &Config,
        now_ms: u64,
        out: &mut Out,
    ) -> Option<ProbeOutcome> {
        if now_ms >= self.budget_end() {
            self.cancel(out);
            return Some(ProbeOutcome::BudgetExpired);
        }
        self.send_due(config, now_ms, out);
        None
    }

    /// A `/ping` answer: HTTP 200 wins, anything else is ignored (§3.2).
    pub(crate) fn handle_response(
        &mut self,
        id: RequestId,
        status: u16,
        out: &mut Out,
    ) -> Option<ProbeOutcome> {
        let pos = self.in_flight.iter().position(|(r, _)| *r == id)?;
        let (_, host) = self.in_flight.remove(pos);
        if status != 200 {
            return None;
        }
        self.cancel(out);
        Some(ProbeOutcome::Winner(host))
    }

    /// Aborts the probes in flight and the ones not yet sent.
    pub(crate) fn cancel(&mut self, out: &mut Out) {
        for (id, _) in self.in_flight.drain(..) {
            out.push(Output::CancelHttp { id });
        }
        self.next = self.hosts.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_are_staggered_and_the_first_200_wins() {
        let config = Config::new("k");
        let mut out = Out::default();
        let hosts = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let mut p = Probe::start(hosts, &config, 100, &mut out);
        assert_eq!(p.deadline(), Some(1100));
        assert_eq!(p.poll(&config, 1100, &mut out), None);
        assert_eq!(p.deadline(), Some(2100));
        let gets: Vec<RequestId> = std::iter::from_fn(|| out.pop())
            .filter_map(|o| match o {
                Output::HttpGet { id, url } => {
                    assert!(url.ends_with("/ping?r=100"));
                    Some(id)
                }
                _ => None,
            })
            .collect();
        assert_eq!(gets.len(), 2);
        assert_eq!(p.handle_response(gets[0], 500, &mut out), None);
        assert_eq!(
            p.handle_response(gets[1], 200, &mut out),
            Some(ProbeOutcome::Winner("b".into()))
        );
        assert_eq!(p.deadline(), Some(15_100));
    }

    #[test]
    fn the_budget_ends_the_round() {
        let config = Config::new("k");
        let mut out = Out::default();
        let mut p = Probe::start(vec!["a".into()], &config, 0, &mut out);
        assert_eq!(p.poll(&config, 14_999, &mut out), None);
        assert_eq!(
            p.poll(&config, 15_000, &mut out),
            Some(ProbeOutcome::BudgetExpired)
        );
    }
}
