//! Process-wide counters: connections, published messages and refusals by reason.
//!
//! Every refusal goes through [`refused`], which counts it and logs it at most once per
//! [`LOG_INTERVAL_MS`] per reason, so a flood of refusals cannot flood the log as well.
//! The counters are plain atomics shared by every server in the process; [`handler`] serves
//! them in the Prometheus text format (`GET /metrics`).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Why the server refused a connection, a request or a frame. Extend as needed: add the variant
/// to [`Reason::ALL`] and give it a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// A TCP connection beyond the cap for one client address.
    ConnectionsPerIp,
    /// A TCP connection beyond the total cap.
    ConnectionsTotal,
    /// A connection that did not send its request headers (or finish its TLS handshake) in time.
    HeaderTimeout,
    /// A TLS handshake that failed.
    TlsHandshake,
    /// A message content over 128 KB.
    ContentTooLarge,
    /// A person-to-person send or recall to a user who blacklisted the sender.
    Blacklisted,
    /// A connected user was blocked: the connection closed.
    Blocked,
    /// A connected user's token was revoked: the connection closed.
    Revoked,
    /// A client read too slowly: its outbound queue went over its byte budget.
    SlowReader,
    /// A chatroom join that would create a room beyond the application's limit.
    TooManyRooms,
    /// A signed Server API request whose body did not arrive within the header timeout.
    BodyTimeout,
}

impl Reason {
    /// Every reason, in the order of their counters.
    pub const ALL: [Self; 11] = [
        Self::ConnectionsPerIp,
        Self::ConnectionsTotal,
        Self::HeaderTimeout,
        Self::TlsHandshake,
        Self::ContentTooLarge,
        Self::Blacklisted,
        Self::Blocked,
        Self::Revoked,
        Self::SlowReader,
        Self::TooManyRooms,
        Self::BodyTimeout,
    ];

    /// The `reason` label in `/metrics` and in the log.
    pub fn name(self) -> &'static str {
        match self {
            Self::ConnectionsPerIp => "per_ip_cap",
            Self::ConnectionsTotal => "total_cap",
            Self::HeaderTimeout => "header_timeout",
            Self::TlsHandshake => "tls_handshake",
            Self::ContentTooLarge => "content_too_large",
            Self::Blacklisted => "blacklisted",
            Self::Blocked => "blocked",
            Self::Revoked => "revoked",
            Self::SlowReader => "slow_reader",
            Self::TooManyRooms => "too_many_rooms",
            Self::BodyTimeout => "body_timeout",
        }
    }

    /// Whether the refusal closes a connection before any request is served (counted again in
    /// `im_connections_refused_total`).
    pub fn is_connection(self) -> bool {
        matches!(
            self,
            Self::ConnectionsPerIp
                | Self::ConnectionsTotal
                | Self::HeaderTimeout
                | Self::TlsHandshake
        )
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// A refusal is logged at most once per this many milliseconds per reason.
pub const LOG_INTERVAL_MS: i64 = 10_000;

const REASONS: usize = Reason::ALL.len();
static REFUSED: [AtomicU64; REASONS] = [const { AtomicU64::new(0) }; REASONS];
static LOGGED_AT: [AtomicI64; REASONS] = [const { AtomicI64::new(i64::MIN) }; REASONS];
static CONNECTIONS_OPEN: AtomicU64 = AtomicU64::new(0);
static CONNECTIONS_TOTAL: AtomicU64 = AtomicU64::new(0);
static MESSAGES_PUBLISHED: AtomicU64 = AtomicU64::new(0);
static QUEUED_BYTES: AtomicU64 = AtomicU64::new(0);

/// Upper bounds, in microseconds, of the store batch latency histogram's buckets (`+Inf` last).
const STORE_BUCKETS_US: [u64; 11] = [
    500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
];

/// A latency histogram: per-bucket counts (not cumulative; the last one is `+Inf`), the count
/// and the sum in microseconds.
struct Histogram {
    buckets: [AtomicU64; STORE_BUCKETS_US.len() + 1],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl Histogram {
    const fn new() -> Self {
        Self {
            buckets: [const { AtomicU64::new(0) }; STORE_BUCKETS_US.len() + 1],
            count: AtomicU64::new(0),
            sum_us: AtomicU64::new(0),
        }
    }

    fn observe(&self, us: u64) {
        let i = STORE_BUCKETS_US
            .iter()
            .position(|&b| us <= b)
            .unwrap_or(STORE_BUCKETS_US.len());
        if let Some(b) = self.buckets.get(i) {
            b.fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(us, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, label: &str) {
        let mut cumulative = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            cumulative += b.load(Ordering::Relaxed);
            let le = STORE_BUCKETS_US
                .get(i)
                .map_or_else(|| "+Inf".to_owned(), |us| seconds(*us));
            let _ = writeln!(out, "{name}_bucket{{{label},le=\"{le}\"}} {cumulative}");
        }
        let sum = seconds(self.sum_us.load(Ordering::Relaxed));
        let _ = writeln!(out, "{name}_sum{{{label}}} {sum}");
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_count{{{label}}} {count}");
    }
}

/// Microseconds as decimal seconds (`2500` → `0.0025`).
fn seconds(us: u64) -> String {
    let text = format!("{}.{:06}", us / 1_000_000, us % 1_000_000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

static STORE_WRITES: Histogram = Histogram::new();
static STORE_READS: Histogram = Histogram::new();

/// `n` bytes entered a connection's outbound queue.
pub(crate) fn queued(n: usize) {
    QUEUED_BYTES.fetch_add(n as u64, Ordering::Relaxed);
}

/// `n` bytes left a connection's outbound queue (sent, or dropped with the connection).
pub(crate) fn dequeued(n: usize) {
    QUEUED_BYTES.fetch_sub(n as u64, Ordering::Relaxed);
}

/// Bytes in every connection's outbound queue now.
pub fn queued_bytes() -> u64 {
    QUEUED_BYTES.load(Ordering::Relaxed)
}

/// A store batch (its calls and its commit) took `elapsed`, on the writing thread or a reading
/// one.
pub(crate) fn store_batch(writer: bool, elapsed: std::time::Duration) {
    let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    if writer {
        STORE_WRITES.observe(us);
    } else {
        STORE_READS.observe(us);
    }
}

/// Counts one refusal and logs it unless this reason was logged in the last 10 s.
pub fn refused(reason: Reason) {
    let i = reason.index();
    let total = REFUSED
        .get(i)
        .map_or(0, |c| c.fetch_add(1, Ordering::Relaxed) + 1);
    let Some(logged) = LOGGED_AT.get(i) else {
        return;
    };
    let now = crate::clock::wall_ms();
    let last = logged.load(Ordering::Relaxed);
    if now.saturating_sub(last) >= LOG_INTERVAL_MS
        && logged
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        tracing::warn!(
            reason = reason.name(),
            total,
            "refused (logged at most once per 10 s for each reason)"
        );
    }
}

/// Counts one refusal without logging it (for refusals logged where they happen).
pub fn count(reason: Reason) {
    if let Some(c) = REFUSED.get(reason.index()) {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// How many refusals of `reason` so far.
pub fn refusals(reason: Reason) -> u64 {
    REFUSED
        .get(reason.index())
        .map_or(0, |c| c.load(Ordering::Relaxed))
}

/// A connection was accepted; [`connection_closed`] follows when it ends.
pub(crate) fn connection_opened() {
    CONNECTIONS_OPEN.fetch_add(1, Ordering::Relaxed);
    CONNECTIONS_TOTAL.fetch_add(1, Ordering::Relaxed);
}

/// An accepted connection ended.
pub(crate) fn connection_closed() {
    CONNECTIONS_OPEN.fetch_sub(1, Ordering::Relaxed);
}

/// One message was stored and routed.
pub fn message_published() {
    MESSAGES_PUBLISHED.fetch_add(1, Ordering::Relaxed);
}

/// Accepted connections still open.
pub fn connections_open() -> u64 {
    CONNECTIONS_OPEN.load(Ordering::Relaxed)
}

/// `GET /metrics`: every counter in the Prometheus text exposition format (version 0.0.4).
pub async fn handler() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(),
    )
        .into_response()
}

/// The counters as Prometheus text.
pub fn render() -> String {
    let mut out = String::with_capacity(2048);
    let mut metric = |name: &str, kind: &str, help: &str, samples: &[(Option<&str>, u64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (reason, value) in samples {
            let _ = match reason {
                Some(r) => writeln!(out, "{name}{{reason=\"{r}\"}} {value}"),
                None => writeln!(out, "{name} {value}"),
            };
        }
    };
    let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
    metric(
        "im_connections_open",
        "gauge",
        "Accepted TCP connections open now, WebSocket sessions included.",
        &[(None, load(&CONNECTIONS_OPEN))],
    );
    metric(
        "im_connections_total",
        "counter",
        "TCP connections accepted under the connection caps.",
        &[(None, load(&CONNECTIONS_TOTAL))],
    );
    let by_reason = |connection: bool| -> Vec<(Option<&str>, u64)> {
        Reason::ALL
            .iter()
            .filter(|r| !connection || r.is_connection())
            .map(|r| (Some(r.name()), refusals(*r)))
            .collect()
    };
    metric(
        "im_connections_refused_total",
        "counter",
        "Connections closed before a request was served, by reason.",
        &by_reason(true),
    );
    metric(
        "im_messages_published_total",
        "counter",
        "Messages accepted and routed to their recipients.",
        &[(None, load(&MESSAGES_PUBLISHED))],
    );
    metric(
        "im_refusals_total",
        "counter",
        "Refusals of any kind, by reason.",
        &by_reason(false),
    );
    metric(
        "im_outbound_queue_bytes",
        "gauge",
        "Bytes waiting in the connections' outbound queues.",
        &[(None, queued_bytes())],
    );
    let name = "im_store_batch_seconds";
    let _ = writeln!(
        out,
        "# HELP {name} Time to run one store batch (its calls and one commit), by thread.\n\
         # TYPE {name} histogram"
    );
    STORE_WRITES.render(&mut out, name, "thread=\"write\"");
    STORE_READS.render(&mut out, name, "thread=\"read\"");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_its_own_counter() {
        for (i, r) in Reason::ALL.iter().enumerate() {
            assert_eq!(r.index(), i);
        }
        let before = refusals(Reason::TlsHandshake);
        refused(Reason::TlsHandshake);
        refused(Reason::TlsHandshake);
        assert!(refusals(Reason::TlsHandshake) >= before + 2);
    }

    #[test]
    fn every_sample_line_is_a_name_optional_labels_and_a_number() {
        let text = render();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (name, value) = line.rsplit_once(' ').unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
            assert!(name.starts_with("im_"), "{line}");
        }
        assert!(text.contains("im_refusals_total{reason=\"header_timeout\"}"));
    }

    #[test]
    fn the_store_histogram_is_cumulative_and_counts_every_batch() {
        let before = STORE_READS.count.load(Ordering::Relaxed);
        store_batch(false, std::time::Duration::from_micros(700));
        store_batch(false, std::time::Duration::from_secs(3));
        assert!(STORE_READS.count.load(Ordering::Relaxed) >= before + 2);
        let text = render();
        let bucket = |le: &str| -> u64 {
            let prefix = format!("im_store_batch_seconds_bucket{{thread=\"read\",le=\"{le}\"}} ");
            let line = text.lines().find(|l| l.starts_with(&prefix)).unwrap();
            line[prefix.len()..].parse().unwrap()
        };
        assert!(bucket("0.0005") <= bucket("0.001"));
        assert!(bucket("0.001") >= 1);
        assert!(bucket("+Inf") > bucket("1"));
        assert_eq!(seconds(2_500), "0.0025");
        assert_eq!(seconds(1_000_000), "1");
        assert_eq!(seconds(0), "0");
    }
}
