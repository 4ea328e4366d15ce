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
    /// The next id that is not in use by a pending request.
    pub(crate) fn next(&mut self, in_use: impl Fn(u16) -> bool) -> u16 {
        for _ in 0..=u16::MAX {
            self.last = if self.last == u16::MAX {
                1
            } else {
                self.last + 1
            };
            if !in_use(self.last) {
                return self.last;
            }
        }
        // Every id is pending: impossible in practice (65535 requests within 30 s); reuse.
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
/// A vector (few requests are in flight at once; far less code than a `BTreeMap`); what is
/// removed together comes out in id order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requests {
    ids: MsgIds,
    table: Vec<(u16, Entry)>,
}

impl Requests {
    /// Allocates an id for a new request.
    pub(crate) fn next_id(&mut self) -> u16 {
        let table = &self.table;
        self.ids.next(|id| table.iter().any(|(k, _)| *k == id))
    }

    pub(crate) fn insert(&mut self, msg_id: u16, pending: Pending, now_ms: u64) {
        let deadline = now_ms.saturating_add(REQUEST_TIMEOUT_MS);
        let entry = Entry { pending, deadline };
        match self.table.iter_mut().find(|(k, _)| *k == msg_id) {
            Some((_, e)) => *e = entry,
            None => self.table.push((msg_id, entry)),
        }
    }

    pub(crate) fn take(&mut self, msg_id: u16) -> Option<Pending> {
        let i = self.table.iter().position(|(k, _)| *k == msg_id)?;
        Some(self.table.swap_remove(i).1.pending)
    }

    pub(crate) fn get(&self, msg_id: u16) -> Option<&Pending> {
        self.table
            .iter()
            .find(|(k, _)| *k == msg_id)
            .map(|(_, e)| &e.pending)
    }

    pub(crate) fn next_deadline(&self) -> Option<u64> {
        self.table.iter().map(|(_, e)| e.deadline).min()
    }

    /// Removes and returns every request whose deadline has passed, in id order.
    pub(crate) fn expire(&mut self, now_ms: u64) -> Vec<(u16, Pending)> {
        let (due, keep) = std::mem::take(&mut self.table)
            .into_iter()
            .partition(|(_, e)| e.deadline <= now_ms);
        self.table = keep;
        in_id_order(due)
    }

    /// Removes every request, in id order: the connection that would have carried the acks is
    /// gone.
    pub(crate) fn drain(&mut self) -> Vec<(u16, Pending)> {
        in_id_order(std::mem::take(&mut self.table))
    }
}

fn in_id_order(mut entries: Vec<(u16, Entry)>) -> Vec<(u16, Pending)> {
    entries.sort_unstable_by_key(|(id, _)| *id);
    entries.into_iter().map(|(id, e)| (id, e.pending)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_run_from_1_to_65535_and_wrap_to_1() {
        let mut ids = MsgIds::default();
        assert_eq!(ids.next(|_| false), 1);
        ids.last = 65534;
        assert_eq!(ids.next(|_| false), 65535);
        assert_eq!(ids.next(|_| false), 1);
    }

    #[test]
    fn ids_in_use_are_skipped() {
        let mut r = Requests::default();
        let a = r.next_id();
        r.insert(a, Pending::Query { id: RequestId(1) }, 0);
        r.ids.last = 0;
        assert_eq!(r.next_id(), 2);
    }

    #[test]
    fn expired_and_drained_requests_come_out_in_id_order() {
        let mut r = Requests::default();
        for (id, t) in [(7, 0), (3, 0), (5, 10_000), (1, 0)] {
            r.insert(
                id,
                Pending::Query {
                    id: RequestId(u32::from(id)),
                },
                t,
            );
        }
        let ids = |v: Vec<(u16, Pending)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids(r.expire(30_000)), [1, 3, 7]);
        assert_eq!(r.get(5), Some(&Pending::Query { id: RequestId(5) }));
        r.insert(2, Pending::Query { id: RequestId(2) }, 0);
        assert_eq!(ids(r.drain()), [2, 5]);
        assert_eq!(r.next_deadline(), None);
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
