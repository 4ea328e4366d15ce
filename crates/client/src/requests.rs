//! Signalling message ids and the table of requests waiting for PUBACK / QUERYACK
//! (transport.md §6).

use crate::message::Message;
use crate::output::RequestId;

/// How long a PUBLISH or QUERY waits for its ack before failing with −1 (TIMEOUT).
pub(crate) const REQUEST_TIMEOUT_MS: u64 = 30_000;

/// One 16-bit counter for PUBLISH and QUERY: 1…65535, then 1 again; never 0. It lives as long as
/// the engine, so ids continue across reconnects (transport.md §6).
#[derive(Clone, Debug, Default)]
pub(crate) struct MsgIds {
    last: u16,
}

impl MsgIds {
    /// The next id. Ids are given out in sequence, so an id comes back into use only after
    /// 65,534 others, long after the 30 s its request may wait.
    pub(crate) fn next(&mut self) -> u16 {
        self.last = self.last % u16::MAX + 1;
        self.last
    }
}

/// What a pending id is waiting for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pending {
    /// An app send (PUBLISH): completes with the message.
    Send {
        id: RequestId,
        message: Box<Message>,
        /// A `sendStatusMessage`: kept out of the local store and the conversation list.
        status: bool,
    },
    /// A send of the outbox (`crate::outbox`), which knows it by its signalling id.
    Outbox,
    /// An app query (QUERY): completes with the payload.
    Query { id: RequestId },
    /// A sync pull; the box times it was sent with decide which items are new.
    Pull { receive_box: i64, send_box: i64 },
    /// `qryRelation` for `getConversationList(types)`.
    Conversations {
        id: RequestId,
        types: Vec<im_wire::enums::ConversationType>,
        hidden: bool,
    },
    /// A typed request (history, blacklist, discussions, chatrooms).
    Typed {
        id: RequestId,
        kind: crate::typed::Kind,
    },
    /// A chatroom pull (join-time or live).
    ChatRoomPull { room: String },
    /// A local-store command waiting for the server (local-first history, `delMsg`).
    Local {
        id: RequestId,
        op: Box<crate::local::Remote>,
    },
    /// `delRelation` for `removeConversation`.
    RemoveConversation {
        id: RequestId,
        conversation_type: im_wire::enums::ConversationType,
        target_id: String,
    },
}

#[derive(Clone, Debug)]
struct Entry {
    pending: Pending,
    deadline: u64,
}

/// Pending requests by signalling id. An entry is removed exactly once: by its ack, by its
/// timeout, or when the connection is lost — so a late ack finds nothing (fixes known bug 2).
///
/// Ids are handed out in sequence, so the pending ones form a window: one slot per id from
/// `base` on, `None` once answered (or never used). Finding an id is an offset, the oldest
/// request is at the front, and deadlines rise along the window; nothing is searched or shifted
/// per request, which matters with thousands of sends in flight in an interpreter.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requests {
    ids: MsgIds,
    slots: Vec<Option<Entry>>,
    /// Slots before it are answered; it moves forward as the front ones are.
    head: usize,
    /// The id of `slots[0]`.
    base: u16,
    /// The newest deadline: a later request never times out before an earlier one.
    last_deadline: u64,
}

impl Requests {
    /// Allocates an id for a new request (its slot, filled by [`Requests::insert`]).
    pub(crate) fn next_id(&mut self) -> u16 {
        let id = self.ids.next();
        if self.head >= self.slots.len() {
            self.slots.clear();
            self.head = 0;
            self.base = id;
        }
        self.slots.push(None);
        id
    }

    /// The slot of `msg_id` in the window.
    fn offset(&self, msg_id: u16) -> Option<usize> {
        if msg_id == 0 {
            return None;
        }
        // Ids run 1…65535 and wrap to 1 (transport.md §6).
        let at = (usize::from(msg_id) + 65_535 - usize::from(self.base)) % 65_535;
        (at >= self.head && at < self.slots.len()).then_some(at)
    }

    /// Registers the request sent under `msg_id`, which [`Requests::next_id`] gave out.
    pub(crate) fn insert(&mut self, msg_id: u16, pending: Pending, now_ms: u64) {
        let deadline = now_ms
            .saturating_add(REQUEST_TIMEOUT_MS)
            .max(self.last_deadline);
        self.last_deadline = deadline;
        if let Some(slot) = self.offset(msg_id).and_then(|at| self.slots.get_mut(at)) {
            *slot = Some(Entry { pending, deadline });
        }
    }

    pub(crate) fn take(&mut self, msg_id: u16) -> Option<Pending> {
        let at = self.offset(msg_id)?;
        let entry = self.slots.get_mut(at)?.take()?;
        self.advance();
        Some(entry.pending)
    }

    /// Moves `head` past answered slots, and drops them once they are half the window.
    fn advance(&mut self) {
        while matches!(self.slots.get(self.head), Some(None)) {
            self.head += 1;
        }
        if self.head >= 64 && self.head * 2 >= self.slots.len() {
            self.slots = self.slots.split_off(self.head);
            // `head` ≤ the window's length < 65535, so this wraps within 1…65535.
            self.base = ((usize::from(self.base.max(1)) - 1 + self.head) % 65_535 + 1) as u16;
            self.head = 0;
        }
    }

    pub(crate) fn get(&self, msg_id: u16) -> Option<&Pending> {
        let at = self.offset(msg_id)?;
        self.slots.get(at)?.as_ref().map(|e| &e.pending)
    }

    pub(crate) fn next_deadline(&self) -> Option<u64> {
        self.slots
            .get(self.head..)?
            .iter()
            .flatten()
            .next()
            .map(|e| e.deadline)
    }

    /// Removes and returns every request whose deadline has passed, oldest first.
    pub(crate) fn expire(&mut self, now_ms: u64) -> Vec<(u16, Pending)> {
        let mut due = Vec::new();
        while self.next_deadline().is_some_and(|d| d <= now_ms) {
            due.extend(self.take_oldest());
        }
        due
    }

    /// Removes the oldest pending request.
    fn take_oldest(&mut self) -> Option<(u16, Pending)> {
        let at = self.head
            + self
                .slots
                .iter()
                .skip(self.head)
                .position(Option::is_some)?;
        let entry = self.slots.get_mut(at)?.take()?;
        let id = self.id_at(at);
        self.advance();
        Some((id, entry.pending))
    }

    /// The id of slot `at`.
    fn id_at(&self, at: usize) -> u16 {
        ((usize::from(self.base.max(1)) - 1 + at) % 65_535 + 1) as u16
    }

    /// Removes every request, oldest first: the connection that would have carried the acks is
    /// gone.
    pub(crate) fn drain(&mut self) -> Vec<(u16, Pending)> {
        let mut out = Vec::new();
        out.extend(std::iter::from_fn(|| self.take_oldest()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_run_from_1_to_65535_and_wrap_to_1() {
        let mut ids = MsgIds::default();
        assert_eq!(ids.next(), 1);
        ids.last = 65534;
        assert_eq!(ids.next(), 65535);
        assert_eq!(ids.next(), 1);
    }

    #[test]
    fn expired_and_drained_requests_come_out_oldest_first() {
        let mut r = Requests::default();
        let query = |id: u16| Pending::Query {
            id: RequestId(u32::from(id)),
        };
        let ids = |v: Vec<(u16, Pending)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        r.ids.last = 65_533;
        let mut sent = Vec::new();
        for t in [0, 0, 10_000, 0, 20_000] {
            let id = r.next_id();
            r.insert(id, query(id), t);
            sent.push(id);
        }
        assert_eq!(sent, [65_534, 65_535, 1, 2, 3]);
        // A request never times out before an earlier one: 2's deadline is 1's.
        assert_eq!(ids(r.expire(30_000)), [65_534, 65_535]);
        assert_eq!(r.get(1), Some(&query(1)));
        assert_eq!(r.take(3), Some(query(3)));
        assert_eq!(r.take(3), None);
        assert_eq!(ids(r.expire(40_000)), [1, 2]);
        let id = r.next_id();
        r.insert(id, query(id), 0);
        let unused = r.next_id();
        let id = r.next_id();
        r.insert(id, query(id), 0);
        assert_eq!(r.get(unused), None);
        assert_eq!(ids(r.drain()), [4, 6]);
        assert_eq!(r.next_deadline(), None);
        assert_eq!(r.get(4), None);
    }

    #[test]
    fn thousands_in_flight_answered_in_any_order_leave_nothing_behind() {
        let mut r = Requests::default();
        let mut sent = Vec::new();
        for t in 0..5_000u64 {
            let id = r.next_id();
            r.insert(
                id,
                Pending::Query {
                    id: RequestId(u32::from(id)),
                },
                t,
            );
            sent.push(id);
        }
        // Acks in order for the first half, then from the newest back.
        let (first, second) = sent.split_at(2_500);
        for &id in first.iter().chain(second.iter().rev()) {
            assert_eq!(
                r.take(id),
                Some(Pending::Query {
                    id: RequestId(u32::from(id))
                })
            );
            assert_eq!(r.get(id), None);
        }
        assert_eq!(r.next_deadline(), None);
        assert!(r.drain().is_empty());
        // Ids go on from where they were.
        assert_eq!(r.next_id(), 5_001);
    }

    #[test]
    fn an_entry_is_removed_once_by_timeout() {
        let mut r = Requests::default();
        let id = r.next_id();
        r.insert(id, Pending::Query { id: RequestId(9) }, 1000);
        assert_eq!(r.next_deadline(), Some(31_000));
        assert!(r.expire(30_999).is_empty());
        assert_eq!(r.expire(31_000).len(), 1);
        assert_eq!(r.take(id), None);
        assert_eq!(r.next_deadline(), None);
    }
}
