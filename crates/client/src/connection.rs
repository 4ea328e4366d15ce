//! The connection lifecycle: connect, CONNACK, DISCONNECT, socket loss, disconnect/logout and
//! reconnection (transport.md §7, §8).

use im_wire::enums::{ConnectionStatus, DisconnectStatus};
use im_wire::frame::ConnAck;
use im_wire::{ClientFrame, ErrorCode};

use crate::engine::{Engine, Phase};
use crate::keepalive::Keepalive;
use crate::navi::{NaviOutcome, NaviResult, Navigation};
use crate::output::{Event, Output, RequestId};
use crate::probe::{Probe, ProbeOutcome};
use crate::sync::Boxes;

/// `connect` fails with 1101 (ULTRALIMIT) once kicked more than this many times (§7.6).
const MAX_KICKS: u32 = 5;
/// Redirects (CONNACK 6) followed in a row before giving up.
const MAX_REDIRECTS: u32 = 5;
/// WebSocket close code of an abnormal closure.
const CLOSE_ABNORMAL: u16 = 1006;

// The persisted navigation cache (transport.md §2.1, §2.6), under the original's key names; the
// shim adds the `rong_{appKey}_` prefix.
/// The raw navigation JSON (`fullnavi`).
const NAVI_RAW: &str = "fullnavi";
/// The connection servers, a JSON array in probing order (`servers`).
const NAVI_SERVERS: &str = "servers";
/// Hex characters 8–15 of `md5(token)`: which token the cache belongs to (`rc_uid`). The host
/// computes the MD5 ([`Engine::set_token_md5`]): it has one for `RongUtil.MD5` anyway, and a
/// second in the wasm would be 0.9 KB more to load.
const NAVI_UID: &str = "rc_uid";
/// The user of that token (`current_user`).
const NAVI_USER: &str = "current_user";
/// The transport that last connected (`rongSDK`); the cache is used only for the same one.
const NAVI_TRANSPORT: &str = "rongSDK";
/// The transport value of a WebSocket connection.
const TRANSPORT_WEBSOCKET: &str = "websocket";

fn servers_json(servers: &[String]) -> String {
    im_wire::json_out::text(servers)
}

impl Engine {
    /// The lower-case hex MD5 of `token`, from the host, which makes its navigation cache key
    /// (`rc_uid`, hex characters 8–15; transport.md §2.1): a later connect with the same token
    /// reuses the stored navigation. Without it (or with anything but 32 hex digits) the token's
    /// navigation is not cached. [`crate::md5::hex`] computes it natively.
    pub fn set_token_md5(&mut self, token: &str, md5_hex: &str) {
        let hex = md5_hex.len() == 32
            && md5_hex
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        self.token_uid = md5_hex
            .get(8..16)
            .filter(|_| hex)
            .map(|uid| (token.to_owned(), uid.to_owned()));
    }

    /// The navigation cache key of `token`, if the host gave its MD5.
    fn token_uid(&self, token: &str) -> Option<&str> {
        self.token_uid
            .as_ref()
            .filter(|(t, _)| t == token)
            .map(|(_, uid)| uid.as_str())
    }

    /// `RongIMClient.connect(token, callbacks)`. Returns `false` when ignored because a
    /// connection is already up or being made (the original also stays silent then); otherwise
    /// exactly one of [`Event::Connected`], [`Event::TokenIncorrect`] or [`Event::ConnectFailed`]
    /// follows.
    pub fn connect(&mut self, now_ms: u64, token: &str) -> bool {
        if self.busy() {
            return false;
        }
        self.cancel_phase();
        if self.kicks > MAX_KICKS {
            self.out.event(Event::ConnectFailed {
                code: ConnectionStatus::Ultralimit.value(),
            });
            return true;
        }
        if self.navi.as_ref().is_some_and(|(t, _)| t != token) {
            self.navi = None;
        }
        if self.navi.is_none() {
            if let Some(cached) = self.cached_navi(token) {
                // The stored counts and drafts of this user are readable before CONNACK.
                self.switch_user(&cached.user_id);
                self.navi = Some((token.to_owned(), cached));
            }
        }
        self.token = Some(token.to_owned());
        self.wanted = true;
        self.attempts = 0;
        self.redirects = 0;
        self.start_attempt(now_ms);
        true
    }

    /// `disconnect()`: closes the socket (no frame is sent) and emits DISCONNECTED; automatic
    /// reconnection stops until the next `connect`.
    pub fn disconnect(&mut self, now_ms: u64) {
        self.wanted = false;
        // Leaving on purpose leaves the chatrooms too (the server drops them with the socket);
        // only a connection that was lost rejoins them.
        self.cursors.rooms = Default::default();
        self.watched.clear();
        let was_active = !matches!(self.phase, Phase::Idle);
        self.teardown(now_ms);
        if was_active {
            self.out.status(ConnectionStatus::Disconnected);
        }
    }

    /// `logout()`: as [`Engine::disconnect`], and forgets the token, the user and the cached
    /// navigation.
    pub fn logout(&mut self, now_ms: u64) {
        self.disconnect(now_ms);
        self.outbox_abandon();
        self.token = None;
        self.navi = None;
        self.user_id.clear();
        // The next user must not see this one's conversations.
        self.conversations = Default::default();
    }

    /// The socket closed. `code` is the WebSocket close code (1006 = abnormal).
    pub fn handle_socket_close(&mut self, now_ms: u64, code: u16) {
        match self.phase {
            Phase::Opening { .. } | Phase::AwaitingConnAck { .. } => {
                self.phase = Phase::Idle;
                self.demote_current_host();
                self.out.status(ConnectionStatus::NetworkUnavailable);
                self.attempt_failed(now_ms, ConnectionStatus::NetworkUnavailable.value());
            }
            Phase::Connected => {
                // 2.5.3 stays silent on a clean close without DISCONNECT (known bug 5).
                let status = if code == CLOSE_ABNORMAL {
                    ConnectionStatus::NetworkUnavailable
                } else {
                    ConnectionStatus::Disconnected
                };
                self.phase = Phase::Idle;
                self.connection_lost(now_ms, status.value());
            }
            _ => {}
        }
    }

    /// The socket reported an error; the close that follows decides what happens next.
    pub fn handle_socket_error(&mut self, _now_ms: u64) {
        if matches!(
            self.phase,
            Phase::Opening { .. } | Phase::AwaitingConnAck { .. } | Phase::Connected
        ) {
            self.out.status(ConnectionStatus::WebsocketError);
        }
    }

    /// Connecting or connected: `connect`/`reconnect` are no-ops (§7.1, with bug 6 fixed).
    pub(crate) fn busy(&self) -> bool {
        matches!(
            self.phase,
            Phase::Navigating(_)
                | Phase::Probing(_)
                | Phase::Opening { .. }
                | Phase::AwaitingConnAck { .. }
                | Phase::Connected
        )
    }

    /// Stops whatever the current phase is doing, without events.
    pub(crate) fn cancel_phase(&mut self) {
        match std::mem::replace(&mut self.phase, Phase::Idle) {
            Phase::Navigating(mut n) => n.cancel(&mut self.out),
            Phase::Probing(mut p) => p.cancel(&mut self.out),
            Phase::AppProbe(mut p) => p.cancel(&mut self.out),
            Phase::Opening { .. } | Phase::AwaitingConnAck { .. } | Phase::Connected => {
                self.out.push(Output::CloseSocket);
            }
            Phase::Idle | Phase::Backoff { .. } => {}
        }
    }

    /// Cancels the phase and fails every request in flight: their acks cannot arrive on
    /// another connection.
    fn teardown(&mut self, now_ms: u64) {
        self.cancel_phase();
        self.sync.on_disconnected();
        self.keepalive = Keepalive::default();
        self.parked.clear();
        for (msg_id, pending) in self.requests.drain() {
            self.request_failed(now_ms, msg_id, pending, ErrorCode::TIMEOUT.value());
        }
    }

    /// The stored navigation of `token`, if it may be reused: same token (`rc_uid`), last
    /// connected over a WebSocket, and at least one server (§2.1).
    fn cached_navi(&self, token: &str) -> Option<NaviResult> {
        if Some(self.stored(NAVI_UID)?) != self.token_uid(token)
            || self.stored(NAVI_TRANSPORT)? != TRANSPORT_WEBSOCKET
        {
            return None;
        }
        // A JSON array of strings; anything else is no cached navigation.
        let im_wire::value::Value::Array(items) =
            im_wire::json::parse(self.stored(NAVI_SERVERS)?).ok()?
        else {
            return None;
        };
        let servers = items.into_iter().map(|item| match item {
            im_wire::value::Value::String(s) => Some(s),
            _ => None,
        });
        let servers: Vec<String> = servers.collect::<Option<_>>()?;
        let servers: Vec<String> = servers.into_iter().filter(|s| !s.is_empty()).collect();
        if servers.is_empty() {
            return None;
        }
        Some(NaviResult {
            servers,
            user_id: self.stored(NAVI_USER).unwrap_or_default().to_owned(),
            raw: self.stored(NAVI_RAW).unwrap_or_default().to_owned(),
        })
    }

    /// `Navigation.clear()`: the next connect navigates again.
    fn forget_cached_navi(&mut self) {
        for key in [NAVI_UID, NAVI_TRANSPORT] {
            if self.stored(key).is_some() {
                self.persist(key.to_owned(), String::new());
            }
        }
    }

    /// Makes `user` the current user. The conversation list in memory belongs to the previous
    /// one, so it is dropped when the user changes; counts and drafts are read from storage
    /// per user.
    fn switch_user(&mut self, user: &str) {
        if self.user_id != user {
            self.outbox_abandon();
            if !self.user_id.is_empty() {
                self.conversations = Default::default();
            }
            self.user_id = user.to_owned();
            self.load_settings();
            self.load_outbox();
        }
    }

    /// Navigation (unless cached), then probing (§7.1).
    pub(crate) fn start_attempt(&mut self, now_ms: u64) {
        let Some(token) = self.token.clone() else {
            return;
        };
        if let Some((_, navi)) = &self.navi {
            let servers = navi.servers.clone();
            self.begin_probe(now_ms, servers);
        } else {
            let navi = Navigation::start(&self.config, &token, now_ms, &mut self.out);
            self.phase = Phase::Navigating(navi);
        }
    }

    /// CONNECTING, then `/ping` probes. Emitted on the cached-navi path too (known bug 6).
    fn begin_probe(&mut self, now_ms: u64, servers: Vec<String>) {
        self.out.status(ConnectionStatus::Connecting);
        let probe = Probe::start(servers, &self.config, now_ms, &mut self.out);
        self.phase = Phase::Probing(probe);
    }

    fn open_socket(&mut self, now_ms: u64, host: &str) {
        let Some(token) = self.token.clone() else {
            return;
        };
        let url = crate::url::websocket_url(
            self.config.ws_scheme(),
            host,
            &self.config.app_key,
            &token,
            &self.config.sdk_version,
            self.rng.below(1_000_000),
        );
        self.out.push(Output::OpenSocket { url });
        self.current_host = Some(host.to_owned());
        self.phase = Phase::Opening {
            deadline: now_ms.saturating_add(self.config.connack_timeout_ms),
        };
    }

    /// After NETWORK_UNAVAILABLE the server that failed moves to the end of the list, so the
    /// next attempt probes the others first (§7.7).
    fn demote_current_host(&mut self) {
        let (Some(host), Some((_, navi))) = (&self.current_host, &mut self.navi) else {
            return;
        };
        if let Some(pos) = navi.servers.iter().position(|s| s == host) {
            let failed = navi.servers.remove(pos);
            navi.servers.push(failed);
            let servers = servers_json(&navi.servers);
            self.persist(NAVI_SERVERS.to_owned(), servers);
        }
    }

    /// A connect attempt failed before CONNACK 0: report it, then retry with backoff if the app
    /// still wants a connection.
    fn attempt_failed(&mut self, now_ms: u64, code: i32) {
        self.out.event(Event::ConnectFailed { code });
        self.schedule_reconnect(now_ms);
    }

    /// The established connection is gone: close, fail requests, report `status`, retry.
    pub(crate) fn connection_lost(&mut self, now_ms: u64, status: i32) {
        if status == ConnectionStatus::NetworkUnavailable.value() {
            self.demote_current_host();
        }
        self.teardown(now_ms);
        self.out.status_code(status);
        self.schedule_reconnect(now_ms);
    }

    /// CONNACK (§7.2).
    pub(crate) fn handle_connack(&mut self, now_ms: u64, c: &ConnAck) {
        if !matches!(self.phase, Phase::AwaitingConnAck { .. }) {
            return;
        }
        match c.status {
            0 => self.accepted(now_ms, c),
            6 => {
                // Redirect: close, forget the servers, navigate again (§7.2).
                self.out.push(Output::CloseSocket);
                self.phase = Phase::Idle;
                self.out.status(ConnectionStatus::Disconnected);
                self.navi = None;
                self.forget_cached_navi();
                self.redirects += 1;
                if self.redirects > MAX_REDIRECTS {
                    self.out.event(Event::ConnectFailed { code: 6 });
                    self.wanted = false;
                } else {
                    self.start_attempt(now_ms);
                }
            }
            status => {
                // No status event, like 2.5.3; the token or account will not get better by
                // retrying, so automatic reconnection stops too.
                self.out.push(Output::CloseSocket);
                self.phase = Phase::Idle;
                self.wanted = false;
                self.out.event(if status == 4 {
                    Event::TokenIncorrect
                } else {
                    Event::ConnectFailed {
                        code: i32::from(status),
                    }
                });
            }
        }
    }

    fn accepted(&mut self, now_ms: u64, c: &ConnAck) {
        let session = c.session.as_ref();
        let user = session
            .map(|s| s.user_id.clone())
            .filter(|u| !u.is_empty())
            .or_else(|| self.navi.as_ref().map(|(_, n)| n.user_id.clone()))
            .unwrap_or_default();
        self.switch_user(&user);
        if self.stored(NAVI_USER) != Some(user.as_str()) {
            self.persist(NAVI_USER.to_owned(), user.clone());
        }
        if self.stored(NAVI_TRANSPORT) != Some(TRANSPORT_WEBSOCKET) {
            self.persist(NAVI_TRANSPORT.to_owned(), TRANSPORT_WEBSOCKET.to_owned());
        }
        self.connect_ack_time =
            session.map_or(0, |s| i64::try_from(s.timestamp).unwrap_or(i64::MAX));
        self.phase = Phase::Connected;
        self.attempts = 0;
        self.redirects = 0;
        if !self.first_ping_sent {
            // The first connection pings at once (transport.md §7.3, vectors.md G3); an answer
            // is due within the usual 6 s rather than triggering a reconnect (known bug 7).
            self.first_ping_sent = true;
            if self.send_frame(&ClientFrame::PingReq).is_ok() {
                self.keepalive.ping_sent(now_ms);
            }
        }
        self.out.status(ConnectionStatus::Connected);
        self.out.event(Event::Connected { user_id: user });
        // Another device may have changed them while this one was away.
        self.settings.fresh = false;
        // The boxes of the connection before (perhaps another user's) are written first.
        self.write_boxes();
        let boxes = Boxes::load(&self.storage, &self.config.app_key, &self.user_id);
        self.sync.on_connected(boxes, now_ms);
        self.outbox_pump(now_ms);
        self.pull_if_wanted(now_ms);
        self.rejoin_chatrooms(now_ms);
        self.resubscribe_user_status(now_ms);
    }

    /// DISCONNECT from the server (§5.11, §9.3).
    pub(crate) fn handle_disconnect(&mut self, now_ms: u64, status: u8) {
        let reason = DisconnectStatus::from_value(status);
        let listener = reason.map_or(ConnectionStatus::Disconnected.value(), |r| {
            r.listener_status()
        });
        // Only "reconnect" and "unknown error" invite another attempt; kicked, closed,
        // logged out and blocked do not.
        if !matches!(
            reason,
            Some(DisconnectStatus::Reconnect | DisconnectStatus::UnknownError)
        ) {
            self.wanted = false;
        }
        if reason == Some(DisconnectStatus::OtherDeviceLogin) {
            self.kicks = self.kicks.saturating_add(1);
        }
        if matches!(self.phase, Phase::AwaitingConnAck { .. }) {
            self.out.push(Output::CloseSocket);
            self.phase = Phase::Idle;
            self.out.status_code(listener);
            self.attempt_failed(now_ms, listener);
            return;
        }
        self.connection_lost(now_ms, listener);
    }

    /// An HTTP response: navigation, a `/ping` probe or a reconnect probe.
    pub(crate) fn http_response(&mut self, now_ms: u64, id: RequestId, status: u16, body: &str) {
        match &mut self.phase {
            Phase::Navigating(n) => {
                match n.handle_response(id, status, body, now_ms, &mut self.out) {
                    Some(outcome) => self.navi_done(now_ms, outcome),
                    // A failed attempt is followed by the next one at once (§2.4).
                    None => self.phase_timer(now_ms),
                }
            }
            Phase::Probing(p) => {
                if let Some(outcome) = p.handle_response(id, status, &mut self.out) {
                    self.probe_done(now_ms, outcome);
                }
            }
            Phase::AppProbe(p) => {
                if let Some(outcome) = p.handle_response(id, status, now_ms) {
                    self.app_probe_done(now_ms, outcome);
                }
            }
            _ => {}
        }
    }

    /// Timers of the current phase.
    pub(crate) fn phase_timer(&mut self, now_ms: u64) {
        let token = self.token.clone().unwrap_or_default();
        match &mut self.phase {
            Phase::Navigating(n) => {
                if let Some(outcome) = n.poll(&self.config, &token, now_ms, &mut self.out) {
                    self.navi_done(now_ms, outcome);
                }
            }
            Phase::Probing(p) => {
                if let Some(outcome) = p.poll(&self.config, now_ms, &mut self.out) {
                    self.probe_done(now_ms, outcome);
                }
            }
            Phase::Opening { deadline } | Phase::AwaitingConnAck { deadline } => {
                if *deadline <= now_ms {
                    // No CONNACK in time (2.5.3 waits forever: known bug 4).
                    self.out.push(Output::CloseSocket);
                    self.phase = Phase::Idle;
                    self.demote_current_host();
                    self.out.status(ConnectionStatus::NetworkUnavailable);
                    self.attempt_failed(now_ms, ErrorCode::RC_CONN_ACK_TIMEOUT.value());
                }
            }
            Phase::Backoff { at } => {
                if *at <= now_ms {
                    self.phase = Phase::Idle;
                    self.start_attempt(now_ms);
                }
            }
            Phase::AppProbe(p) => {
                if let Some(outcome) = p.poll(now_ms, &mut self.out) {
                    self.app_probe_done(now_ms, outcome);
                }
            }
            Phase::Idle | Phase::Connected => {}
        }
    }

    fn navi_done(&mut self, now_ms: u64, outcome: NaviOutcome) {
        self.phase = Phase::Idle;
        match outcome {
            NaviOutcome::Found(result) => {
                let servers = result.servers.clone();
                let token = self.token.clone().unwrap_or_default();
                self.persist(NAVI_RAW.to_owned(), result.raw.clone());
                self.persist(NAVI_SERVERS.to_owned(), servers_json(&servers));
                // Without the token's key, no cache is kept for it (an old one is not reused).
                let uid = self.token_uid(&token).unwrap_or_default().to_owned();
                self.persist(NAVI_UID.to_owned(), uid);
                self.persist(NAVI_USER.to_owned(), result.user_id.clone());
                self.navi = Some((token, result));
                self.begin_probe(now_ms, servers);
            }
            NaviOutcome::TokenIncorrect => {
                self.wanted = false;
                self.out.event(Event::TokenIncorrect);
            }
            NaviOutcome::AppKeyFake => {
                // 2.5.3 emits status 20 and never calls back (known bug 10).
                self.wanted = false;
                self.out.status(ConnectionStatus::AppkeyIsFake);
                self.out.event(Event::ConnectFailed {
                    code: ConnectionStatus::AppkeyIsFake.value(),
                });
            }
            NaviOutcome::Exhausted => {
                self.attempt_failed(now_ms, ConnectionStatus::ResponseNaviError.value());
            }
        }
    }

    fn probe_done(&mut self, now_ms: u64, outcome: ProbeOutcome) {
        match outcome {
            ProbeOutcome::Winner(host) => self.open_socket(now_ms, &host),
            ProbeOutcome::BudgetExpired => {
                // Navigation is redone next time (§3.2).
                self.navi = None;
                self.forget_cached_navi();
                self.phase = Phase::Idle;
                self.out.status(ConnectionStatus::NetworkUnavailable);
                self.attempt_failed(now_ms, ConnectionStatus::NetworkUnavailable.value());
            }
        }
    }
}
