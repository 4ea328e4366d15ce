//! Keepalive: PINGREQ every 30 s counted from WebSocket open, PINGRESP expected within 6 s
//! (transport.md §7.4).

/// Interval between two pings, from socket open.
pub(crate) const PING_INTERVAL_MS: u64 = 30_000;
/// Time allowed for the PINGRESP.
pub(crate) const PONG_TIMEOUT_MS: u64 = 6_000;

/// What the keepalive timer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tick {
    Nothing,
    SendPing,
    Dead,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Keepalive {
    next_ping: Option<u64>,
    pong_deadline: Option<u64>,
}

impl Keepalive {
    /// Starts the schedule at socket open.
    pub(crate) fn start(now_ms: u64) -> Self {
        Self {
            next_ping: Some(now_ms.saturating_add(PING_INTERVAL_MS)),
            pong_deadline: None,
        }
    }

    pub(crate) fn deadline(&self) -> Option<u64> {
        match (self.next_ping, self.pong_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// A ping sent outside the schedule (the first-ping check after CONNACK, §7.3) also waits
    /// for its answer.
    pub(crate) fn ping_sent(&mut self, now_ms: u64) {
        if self.pong_deadline.is_none() {
            self.pong_deadline = Some(now_ms.saturating_add(PONG_TIMEOUT_MS));
        }
    }

    pub(crate) fn pong_received(&mut self) {
        self.pong_deadline = None;
    }

    pub(crate) fn poll(&mut self, now_ms: u64) -> Tick {
        if self.pong_deadline.is_some_and(|d| d <= now_ms) {
            self.next_ping = None;
            self.pong_deadline = None;
            return Tick::Dead;
        }
        match self.next_ping {
            Some(at) if at <= now_ms => {
                // The schedule stays anchored at socket open, however late the timer fired.
                let periods = (now_ms - at) / PING_INTERVAL_MS + 1;
                let next = at.saturating_add(periods.saturating_mul(PING_INTERVAL_MS));
                self.next_ping = Some(next);
                self.ping_sent(now_ms);
                Tick::SendPing
            }
            _ => Tick::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_every_30s_from_open_and_dies_6s_after_an_unanswered_ping() {
        let mut k = Keepalive::start(1000);
        assert_eq!(k.deadline(), Some(31_000));
        assert_eq!(k.poll(30_999), Tick::Nothing);
        assert_eq!(k.poll(31_000), Tick::SendPing);
        assert_eq!(k.deadline(), Some(37_000));
        k.pong_received();
        assert_eq!(k.deadline(), Some(61_000));
        assert_eq!(k.poll(61_000), Tick::SendPing);
        assert_eq!(k.poll(66_999), Tick::Nothing);
        assert_eq!(k.poll(67_000), Tick::Dead);
        assert_eq!(k.deadline(), None);
    }

    #[test]
    fn a_late_timer_keeps_the_schedule_anchored_and_extreme_times_do_not_hang() {
        let mut k = Keepalive::start(0);
        assert_eq!(k.poll(95_000), Tick::SendPing);
        k.pong_received();
        assert_eq!(k.deadline(), Some(120_000));
        let mut k = Keepalive::start(u64::MAX - 10);
        assert_eq!(k.poll(u64::MAX), Tick::SendPing);
    }
}
