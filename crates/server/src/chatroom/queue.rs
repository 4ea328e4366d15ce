//! One chatroom message encoded once for every member, and the bounded queue of messages one
//! member connection has not pulled yet, with the overload policy of server-api.md §3 item 24:
//! when the queue is full, low-priority objectNames go first, then ordinary messages, oldest
//! first; protected messages (whitelisted objectName or sender) are never dropped for ordinary
//! traffic.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use im_wire::proto::DownStreamMessage;
use prost::Message;

/// How a message ranks when a member's queue is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rank {
    /// A low-priority objectName (`chatroom/message/priority/*`): dropped first.
    Low,
    /// Everything else that is not protected.
    Normal,
    /// A whitelisted objectName (`chatroom/whitelist/*`) or a message from a whitelisted
    /// member (`chatroom/user/whitelist/*`): never dropped to make room for others.
    Protected,
}

/// A chatroom message as every member receives it.
#[derive(Debug)]
pub struct ChatMsg {
    /// `dataTime` (ms), unique and increasing within the room.
    pub time: i64,
    /// Message UId.
    pub uid: String,
    /// Sender.
    pub from: String,
    /// How it ranks under overload.
    pub rank: Rank,
    /// `DownStreamMessages.list` entry: field key, length and the encoded `DownStreamMessage`,
    /// ready to be copied into any pull reply.
    entry: Vec<u8>,
}

/// Bytes counted for a queued message on top of its encoded entry.
const MSG_OVERHEAD: usize = 128;

impl ChatMsg {
    /// Bytes this message holds: its encoded entry, its ids and a fixed overhead.
    pub fn bytes(&self) -> usize {
        self.entry.len() + self.uid.len() + self.from.len() + MSG_OVERHEAD
    }

    /// Bytes this message adds to a pull reply.
    pub fn reply_bytes(&self) -> usize {
        self.entry.len()
    }

    /// Encodes `msg` once (api.md §5.4: `groupId` = the room, type 4).
    pub fn new(msg: &DownStreamMessage, rank: Rank) -> Self {
        let mut entry = Vec::with_capacity(msg.encoded_len() + 6);
        prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut entry);
        // Writing into a Vec cannot run out of space.
        let _ = msg.encode_length_delimited(&mut entry);
        Self {
            time: msg.data_time,
            uid: msg.msg_id.clone().unwrap_or_default(),
            from: msg.from_user_id.clone(),
            rank,
            entry,
        }
    }
}

/// A `DownStreamMessages` payload (api.md §2.2) made of pre-encoded entries; `chrmPull` never
/// sends `finished` (api.md §2.2 comment).
pub fn pull_reply(list: &[Arc<ChatMsg>], sync_time: i64) -> Vec<u8> {
    let size: usize = list.iter().map(|m| m.entry.len()).sum();
    let mut out = Vec::with_capacity(size + 11);
    for m in list {
        out.extend_from_slice(&m.entry);
    }
    prost::encoding::int64::encode(2, &sync_time, &mut out);
    out
}

#[derive(Debug, Default)]
struct Pending {
    items: VecDeque<Arc<ChatMsg>>,
    /// An `s_ntf` was sent and not yet answered by a pull.
    notified: bool,
    low: usize,
    normal: usize,
    bytes: usize,
}

impl Pending {
    fn count(&mut self, m: &ChatMsg, add: bool) {
        if add {
            self.bytes += m.bytes();
        } else {
            self.bytes = self.bytes.saturating_sub(m.bytes());
        }
        let n = match m.rank {
            Rank::Low => &mut self.low,
            Rank::Normal => &mut self.normal,
            Rank::Protected => return,
        };
        *n = if add { *n + 1 } else { n.saturating_sub(1) };
    }

    fn evict_oldest(&mut self, rank: Rank) {
        if let Some(i) = self.items.iter().position(|m| m.rank == rank) {
            if let Some(m) = self.items.remove(i) {
                self.count(&m, false);
            }
        }
    }
}

/// The messages one member connection has not pulled from one room.
#[derive(Debug)]
pub struct MemberQueue {
    capacity: usize,
    max_bytes: usize,
    /// Newest room message time when the member joined: the join pull's history ends there
    /// and its cursor starts there.
    pub joined_at: i64,
    pending: Mutex<Pending>,
}

/// What one pull takes from a member queue.
#[derive(Debug, Default)]
pub struct Taken {
    /// Messages newer than the pull's cursor, oldest first.
    pub list: Vec<Arc<ChatMsg>>,
    /// The time of the newest message left for the next pull, when the reply's byte budget
    /// left some.
    pub more: Option<i64>,
}

impl MemberQueue {
    /// An empty queue holding `capacity` (at least 1) ordinary messages and `max_bytes` of
    /// them.
    pub fn new(capacity: usize, max_bytes: usize, joined_at: i64) -> Self {
        Self {
            capacity: capacity.max(1),
            max_bytes,
            joined_at,
            pending: Mutex::new(Pending::default()),
        }
    }

    /// Queues `msg` under the overload policy, which bounds items and bytes alike; true when
    /// the member should now be told with an `s_ntf` (none is outstanding).
    pub fn push(&self, msg: &Arc<ChatMsg>) -> bool {
        let Ok(mut p) = self.pending.lock() else {
            return false;
        };
        let size = msg.bytes();
        let over = |p: &Pending, factor: usize| {
            !p.items.is_empty()
                && (p.items.len() >= self.capacity.saturating_mul(factor)
                    || p.bytes.saturating_add(size) > self.max_bytes.saturating_mul(factor))
        };
        while over(&p, 1) {
            if p.low > 0 {
                p.evict_oldest(Rank::Low);
            } else if msg.rank == Rank::Low {
                return false;
            } else if p.normal > 0 {
                p.evict_oldest(Rank::Normal);
            } else if msg.rank == Rank::Normal {
                return false;
            } else if over(&p, PROTECTED_HEADROOM) {
                // Only protected messages are queued and the member has not pulled for a long
                // time: bound the memory a connection that never reads can hold.
                p.evict_oldest(Rank::Protected);
            } else {
                break;
            }
        }
        p.count(msg, true);
        p.items.push_back(msg.clone());
        !std::mem::replace(&mut p.notified, true)
    }

    /// Takes the queued messages newer than `after`, oldest first, as long as their entries
    /// fit in `budget` bytes (the first one whatever its size when `first_always`); the rest
    /// stay for the next pull. The next `s_ntf` is allowed only when nothing stays: the caller
    /// tells the member about the rest.
    pub fn take(&self, after: i64, budget: usize, first_always: bool) -> Taken {
        let Ok(mut p) = self.pending.lock() else {
            return Taken::default();
        };
        let mut taken = Taken::default();
        let mut used = 0;
        while let Some(m) = p.items.front() {
            if m.time > after {
                let size = m.reply_bytes();
                if (!first_always || !taken.list.is_empty()) && used + size > budget {
                    break;
                }
                used += size;
            }
            let Some(m) = p.items.pop_front() else {
                break;
            };
            p.count(&m, false);
            if m.time > after {
                taken.list.push(m);
            }
        }
        taken.more = p.items.back().map(|m| m.time);
        p.notified = taken.more.is_some();
        taken
    }

    /// The `s_ntf` could not be queued: let the next message try again.
    pub fn notify_failed(&self) {
        if let Ok(mut p) = self.pending.lock() {
            p.notified = false;
        }
    }
}

/// How far beyond its capacity a queue holding only protected messages may grow.
const PROTECTED_HEADROOM: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use im_wire::proto::{self, DownStreamMessages};

    fn msg(time: i64, name: &str, rank: Rank) -> Arc<ChatMsg> {
        Arc::new(ChatMsg::new(
            &DownStreamMessage {
                from_user_id: "a".into(),
                r#type: 4,
                group_id: Some("room".into()),
                classname: name.into(),
                content: b"{}".to_vec(),
                data_time: time,
                status: 0,
                msg_id: Some(format!("uid{time}")),
                ..DownStreamMessage::default()
            },
            rank,
        ))
    }

    fn times(list: &[Arc<ChatMsg>]) -> Vec<i64> {
        list.iter().map(|m| m.time).collect()
    }

    #[test]
    fn a_full_queue_drops_low_priority_first_then_the_oldest_ordinary_never_protected() {
        let q = MemberQueue::new(3, usize::MAX, 0);
        assert!(q.push(&msg(1, "Low", Rank::Low)));
        assert!(
            !q.push(&msg(2, "N", Rank::Normal)),
            "one s_ntf until a pull"
        );
        q.push(&msg(3, "P", Rank::Protected));
        q.push(&msg(4, "N", Rank::Normal));
        assert_eq!(times(&q.take(0, usize::MAX, true).list), [2, 3, 4]);

        q.push(&msg(5, "N", Rank::Normal));
        q.push(&msg(6, "P", Rank::Protected));
        q.push(&msg(7, "N", Rank::Normal));
        q.push(&msg(8, "Low", Rank::Low));
        q.push(&msg(9, "P", Rank::Protected));
        assert_eq!(times(&q.take(0, usize::MAX, true).list), [6, 7, 9]);

        for t in 10..13 {
            q.push(&msg(t, "P", Rank::Protected));
        }
        q.push(&msg(13, "N", Rank::Normal));
        q.push(&msg(14, "P", Rank::Protected));
        assert_eq!(times(&q.take(11, usize::MAX, true).list), [12, 14]);
    }

    #[test]
    fn the_byte_budget_evicts_like_the_item_budget() {
        let size = msg(1, "N", Rank::Normal).bytes();
        let q = MemberQueue::new(100, 2 * size, 0);
        q.push(&msg(1, "Low", Rank::Low));
        q.push(&msg(2, "N", Rank::Normal));
        q.push(&msg(3, "N", Rank::Normal));
        assert_eq!(
            times(&q.take(0, usize::MAX, true).list),
            [2, 3],
            "low goes first"
        );
        q.push(&msg(4, "N", Rank::Normal));
        q.push(&msg(5, "N", Rank::Normal));
        q.push(&msg(6, "Low", Rank::Low));
        q.push(&msg(7, "N", Rank::Normal));
        assert_eq!(
            times(&q.take(0, usize::MAX, true).list),
            [5, 7],
            "then the oldest ordinary one"
        );
    }

    #[test]
    fn a_pull_takes_what_fits_its_budget_and_leaves_the_rest_queued() {
        let q = MemberQueue::new(100, usize::MAX, 0);
        for t in 1..=5 {
            q.push(&msg(t, "N", Rank::Normal));
        }
        let one = msg(1, "N", Rank::Normal).reply_bytes();
        let first = q.take(1, 2 * one, true);
        assert_eq!(
            times(&first.list),
            [2, 3],
            "the one at the cursor is dropped"
        );
        assert_eq!(first.more, Some(5));
        assert!(
            !q.push(&msg(6, "N", Rank::Normal)),
            "the caller tells the member"
        );
        let none = q.take(3, 1, false);
        assert!(none.list.is_empty() && none.more == Some(6));
        let tiny = q.take(3, 1, true);
        assert_eq!(times(&tiny.list), [4], "at least one");
        let rest = q.take(4, usize::MAX, true);
        assert_eq!(times(&rest.list), [5, 6]);
        assert_eq!(rest.more, None);
        assert!(
            q.push(&msg(7, "N", Rank::Normal)),
            "the next s_ntf is allowed"
        );
    }

    #[test]
    fn a_pull_reply_of_pre_encoded_entries_decodes_like_a_regular_one() {
        let list = [msg(5, "RC:TxtMsg", Rank::Normal), msg(7, "X", Rank::Low)];
        let reply: DownStreamMessages = proto::decode(&pull_reply(&list, 7)).unwrap();
        assert_eq!(reply.sync_time, 7);
        assert_eq!(reply.finished, None);
        assert_eq!(reply.list.len(), 2);
        assert_eq!(reply.list[1].classname, "X");
        assert_eq!(reply.list[0].msg_id.as_deref(), Some("uid5"));
        let empty: DownStreamMessages = proto::decode(&pull_reply(&[], 0)).unwrap();
        assert!(empty.list.is_empty());
    }
}
