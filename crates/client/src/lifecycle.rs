//! The host's lifecycle as inputs: the app going to the background and back (mini program:
//! `wx.onAppHide`/`wx.onAppShow`; browser: `visibilitychange`) and the network going away and
//! back (`wx.onNetworkStatusChange`; `offline`/`online`). The engine uses no host API: the
//! platform adapter reports these.
//!
//! A connection lost while the app is in the background (WeChat closes a mini program's sockets
//! a few seconds after it is hidden) or while the network is down is not a failed attempt: no
//! automatic attempt is made then, and the backoff does not grow. When the app is back in the
//! foreground with a network, an automatic reconnection starts at once instead of waiting for
//! its backoff timer.

use crate::engine::{Engine, Phase};
use crate::output::NO_DEADLINE;

impl Engine {
    /// The app went to the background (`false`) or came back to the foreground (`true`).
    pub fn handle_app_state(&mut self, now_ms: u64, foreground: bool) {
        self.background = !foreground;
        if foreground {
            self.resume(now_ms);
        }
    }

    /// The network went away (`false`) or came back (`true`).
    pub fn handle_network(&mut self, now_ms: u64, online: bool) {
        self.offline = !online;
        if online {
            self.resume(now_ms);
        }
    }

    /// Whether automatic attempts wait for the app or the network to come back.
    pub(crate) fn held(&self) -> bool {
        self.background || self.offline
    }

    /// An automatic reconnection that waits (for its timer, or for the app or the network)
    /// starts now, with a fresh backoff, when nothing holds it any more.
    fn resume(&mut self, now_ms: u64) {
        if self.held() || !self.wanted || self.token.is_none() {
            return;
        }
        if matches!(self.phase, Phase::Backoff { .. }) {
            self.attempts = 0;
            self.phase = Phase::Idle;
            self.start_attempt(now_ms);
        }
    }

    /// The phase of an automatic reconnection held by the app or the network: no timer.
    pub(crate) fn held_backoff() -> Phase {
        Phase::Backoff { at: NO_DEADLINE }
    }
}
