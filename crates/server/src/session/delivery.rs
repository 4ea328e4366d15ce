//! Direct delivery (api.md §5.1): a stored message reaches a connection whose client takes
//! `s_msg` as that `s_msg`, with the message itself, instead of an `s_ntf` that the client
//! answers with a `pullMsg` (one round trip and one store read per message saved).
//!
//! The client drops an `s_msg` while its last pull is unfinished, and it moves its receive box
//! to the time of every message it takes (an overwrite, §5.5 step 4), so a message sent
//! directly while an older one is still unannounced would make it skip the older one. The rules
//! that keep every message delivered exactly once:
//!
//! * stored messages reach the connection's queue in the order of their times (the hub is told
//!   on the writing store thread after each commit, see [`crate::messaging`]);
//! * `s_msg` only while [`Direct::caught_up`]: the last pull reply sent was finished, no
//!   `s_ntf` went out since and the queue refused nothing — exactly when the client takes
//!   `s_msg`, since it learns "finished" from the same replies, in the same order;
//! * otherwise an `s_ntf`, and the client pulls;
//! * a message no newer than [`Direct::received_up_to`] was already sent (in a pull reply or an
//!   `s_msg`) and is dropped, and a pull returns only received messages newer than it, so a
//!   pull that crossed an `s_msg` on the wire does not bring it twice;
//! * a message that is not stored (typing status, receipts, the customer-service desk's
//!   answers) goes out as `s_msg` with its own time while caught up; otherwise it waits (at most
//!   [`MAX_HELD`] of them, [`MAX_HELD_BYTES`] in all, the oldest dropped first) and goes out in
//!   the connection's next finished pull reply, among the stored messages by time. 2.5.3 drops
//!   every `s_msg` that comes while its pull is unfinished, before its first pull reply too, so
//!   sent then it would be lost: `startCustomService` called from `connect`'s `onSuccess` would
//!   never see the `RC:CsHsR` that opens its session. In the reply it gets a time newer than
//!   the client's receive box (or the client skips it) and it is placed by that time, so the
//!   handshake's answer comes before the robot's stored greeting, which 2.5.3 drops unless
//!   the session is known.

use std::collections::VecDeque;

use im_wire::frame::{Qos, ServerFrame, ServerPublish};
use im_wire::proto::{self, DownStreamMessage};
use im_wire::topic;

use super::Session;
use crate::hub::{Outbound, QueueRx};

/// Most messages that are not stored a connection keeps for its next finished pull reply.
pub(super) const MAX_HELD: usize = 64;
/// Most bytes of them.
pub(super) const MAX_HELD_BYTES: usize = 256 * 1024;

/// A connection's direct-delivery state.
#[derive(Debug, Default)]
pub(super) struct Direct {
    /// The client takes `s_msg` now (see the module documentation).
    pub(super) caught_up: bool,
    /// The newest received-message time this connection has sent (pull replies, `s_msg`) or
    /// that the client said it has (a pull's `syncTime`).
    pub(super) received_up_to: i64,
    /// The last `s_msg` not yet acknowledged: its id and time.
    pub(super) unacked: Option<(u16, i64)>,
    /// Messages that are not stored, received while the client took no `s_msg`, for the next
    /// finished pull reply (encoded `DownStreamMessage`s, oldest first), and their bytes.
    held: VecDeque<Vec<u8>>,
    held_bytes: usize,
    /// Stored messages are only announced (nodes sharing a bus: another node's older message
    /// may reach this connection after a newer one, see [`crate::bus`]).
    notify_only: bool,
}

/// What to do with a stored message or a notification taken from the queue.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// Already sent: nothing.
    Drop,
    /// Announce with `s_ntf` at this time.
    Announce(i64),
    /// Send as `s_msg`.
    Send,
}

impl Direct {
    /// The state of a new connection; `notify_only` turns direct delivery of stored messages
    /// off.
    pub(super) fn new(notify_only: bool) -> Self {
        Self {
            notify_only,
            ..Self::default()
        }
    }

    fn plan(&self, out: &Outbound, missed: bool) -> Option<Plan> {
        let time = match out {
            Outbound::Notify { time } | Outbound::Message { time, .. } => *time,
            _ => return None,
        };
        Some(if time <= self.received_up_to {
            Plan::Drop
        } else if matches!(out, Outbound::Message { .. })
            && self.caught_up
            && !missed
            && !self.notify_only
        {
            Plan::Send
        } else {
            Plan::Announce(time)
        })
    }

    /// Notes a pull reply: the client asked from `sync_time`, the reply's newest received
    /// message is `newest_received`, and it was `finished`.
    pub(super) fn pulled(&mut self, sync_time: i64, newest_received: i64, finished: bool) {
        self.received_up_to = self.received_up_to.max(sync_time).max(newest_received);
        self.caught_up = finished;
    }

    /// Keeps a message that is not stored for the next finished pull reply, dropping the
    /// oldest beyond the bounds.
    fn hold(&mut self, payload: Vec<u8>) {
        self.held_bytes += payload.len();
        self.held.push_back(payload);
        while self.held.len() > MAX_HELD || self.held_bytes > MAX_HELD_BYTES {
            let Some(old) = self.held.pop_front() else {
                break;
            };
            self.held_bytes -= old.len();
        }
    }

    /// The held messages, for a finished pull reply whose request's receive box was `after`:
    /// each keeps its own time when newer than `after`, else gets `after + 1`, so the client,
    /// which skips what is not newer than its box, takes it.
    pub(super) fn take_held(&mut self, after: i64) -> Vec<DownStreamMessage> {
        self.held_bytes = 0;
        self.held
            .drain(..)
            .filter_map(|p| proto::decode::<DownStreamMessage>(&p).ok())
            .map(|mut m| {
                m.data_time = m.data_time.max(after.saturating_add(1));
                m
            })
            .collect()
    }
}

impl Session {
    /// Takes from the queue, behind `first`, what is to be announced by `s_ntf` and merges it
    /// into one notification with the newest time (the client pulls everything up to now on
    /// any of them, api.md §5.2). Returns what to deliver first and the first queued item that
    /// is not merged, if one was taken. `missed`: the queue refused an item that no
    /// notification has covered yet.
    pub(super) fn coalesce(
        &self,
        first: Outbound,
        rx: &mut QueueRx,
        missed: bool,
    ) -> (Outbound, Option<Outbound>) {
        let Some(Plan::Announce(mut newest)) = self.direct.plan(&first, missed) else {
            return (first, None);
        };
        loop {
            let Some(next) = rx.try_recv() else {
                return (Outbound::Notify { time: newest }, None);
            };
            match self.direct.plan(&next, missed) {
                Some(Plan::Announce(time)) => newest = newest.max(time),
                Some(Plan::Drop) => {}
                _ => return (Outbound::Notify { time: newest }, Some(next)),
            }
        }
    }

    /// Frames for a stored message or a notification (`None` for other items).
    pub(super) fn deliver_stored(
        &mut self,
        out: Outbound,
        missed: bool,
    ) -> Result<Vec<ServerFrame>, Outbound> {
        match (self.direct.plan(&out, missed), out) {
            (Some(Plan::Drop), _) => Ok(Vec::new()),
            (Some(Plan::Announce(time)), _) => {
                self.direct.caught_up = false;
                Ok(vec![self.notify_frame(time)])
            }
            (Some(Plan::Send), Outbound::Message { time, payload }) => {
                self.direct.received_up_to = time;
                let id = self.next_server_id();
                self.direct.unacked = Some((id, time));
                Ok(vec![self.direct_frame(Qos::AtLeastOnce, id, payload)])
            }
            (_, out) => Err(out),
        }
    }

    /// `s_msg` for a message that is not stored while the client takes one; otherwise it is
    /// held for the next finished pull reply (see the module documentation).
    pub(super) fn deliver_unstored(&mut self, payload: Vec<u8>, missed: bool) -> Vec<ServerFrame> {
        if !self.direct.caught_up || missed {
            self.direct.hold(payload);
            return Vec::new();
        }
        let id = self.next_server_id();
        vec![self.direct_frame(Qos::AtMostOnce, id, payload)]
    }

    /// The client acknowledged server PUBLISH `id`: if it was the last `s_msg`, the client has
    /// every received message up to its time.
    pub(super) fn acknowledged(&mut self, id: u16) {
        if let Some((_, time)) = self.direct.unacked.filter(|(i, _)| *i == id) {
            self.direct.unacked = None;
            self.synced_up_to(time);
        }
    }

    fn direct_frame(&self, qos: Qos, msg_id: u16, payload: Vec<u8>) -> ServerFrame {
        ServerFrame::Publish(ServerPublish {
            qos,
            sync: false,
            date: self.date(),
            topic: topic::S_MSG.into(),
            target_id: self.user.clone(),
            msg_id,
            payload,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn message(time: i64) -> Outbound {
        Outbound::Message {
            time,
            payload: vec![1],
        }
    }

    #[test]
    fn only_a_caught_up_connection_without_a_missed_item_sends_messages_directly() {
        let mut d = Direct::default();
        assert_eq!(d.plan(&message(5), false), Some(Plan::Announce(5)));
        d.pulled(3, 4, true);
        assert_eq!(d.plan(&message(5), false), Some(Plan::Send));
        assert_eq!(d.plan(&message(5), true), Some(Plan::Announce(5)));
        assert_eq!(
            d.plan(&message(4), false),
            Some(Plan::Drop),
            "in the pull reply"
        );
        assert_eq!(
            d.plan(&Outbound::Notify { time: 5 }, false),
            Some(Plan::Announce(5))
        );
        assert_eq!(
            d.plan(&Outbound::Notify { time: 4 }, false),
            Some(Plan::Drop)
        );
        assert_eq!(d.plan(&Outbound::Direct(vec![]), false), None);
        d.pulled(0, 0, false);
        assert_eq!(d.received_up_to, 4, "never moves back");
        assert_eq!(d.plan(&message(5), false), Some(Plan::Announce(5)));
    }

    #[test]
    fn with_a_bus_stored_messages_are_only_announced() {
        let mut d = Direct::new(true);
        d.pulled(3, 4, true);
        assert_eq!(d.plan(&message(5), false), Some(Plan::Announce(5)));
        assert_eq!(d.plan(&message(4), false), Some(Plan::Drop));
    }

    #[tokio::test]
    async fn queued_announcements_merge_into_the_newest_and_keep_their_place_before_others() {
        let dir = tempfile::tempdir().unwrap();
        let server = crate::start(crate::config::Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            app_key: Some("k".into()),
            app_secret: Some("test-app-secret-0123456789".into()),
            ..crate::config::Config::default()
        })
        .await
        .unwrap();
        let mut session = Session::new(server.state().clone(), "u".into(), 1);
        session.direct.pulled(0, 2, false);
        let (tx, mut rx) = crate::hub::queue(8, usize::MAX);
        for o in [
            message(7),
            Outbound::Notify { time: 3 },
            message(2),
            Outbound::Direct(vec![1]),
            Outbound::Notify { time: 9 },
        ] {
            tx.try_send(o).unwrap();
        }
        let (first, then) = session.coalesce(message(5), &mut rx, false);
        assert!(matches!(first, Outbound::Notify { time: 7 }), "{first:?}");
        assert!(matches!(then, Some(Outbound::Direct(_))));
        assert!(matches!(rx.try_recv(), Some(Outbound::Notify { time: 9 })));
        // Caught up, a message is sent, not merged.
        session.direct.pulled(0, 2, true);
        tx.try_send(Outbound::Notify { time: 9 }).unwrap();
        let (sent, none) = session.coalesce(message(8), &mut rx, false);
        assert!(matches!(sent, Outbound::Message { time: 8, .. }) && none.is_none());
        assert_eq!(session.outbound(sent, false).len(), 1);
        assert_eq!(session.direct.received_up_to, 8);
        // A missed item makes it an announcement again.
        let (missed, _) = session.coalesce(message(10), &mut rx, true);
        assert!(
            matches!(missed, Outbound::Notify { time: 10 }),
            "{missed:?}"
        );
        drop(session);
        server.stop().await;
    }
}
