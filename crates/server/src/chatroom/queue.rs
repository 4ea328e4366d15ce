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

impl ChatMsg {
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
}

impl Pending {
    fn count(&mut self, rank: Rank, delta: isize) {
        let n = match rank {
            Rank::Low => &mut self.low,
            Rank::Normal => &mut self.normal,
            Rank::Protected => return,
        };
        *n = n.saturating_add_signed(delta);
    }

    fn evict_oldest(&mut self, rank: Rank) {
        if let Some(i) = self.items.iter().position(|m| m.rank == rank) {
            if let Some(m) = self.items.remove(i) {
                self.count(m.rank, -1);
            }
        }
    }
}

/// The messages one member connection has not pulled from one room.
#[derive(Debug)]
pub struct MemberQueue {
    capacity: usize,
    /// Newest room message time when the member joined: the join pull's history ends there
    /// and its cursor starts there.
    pub joined_at: i64,
    pending: Mutex<Pending>,
}

impl MemberQueue {
    /// An empty queue holding `capacity` (at least 1) ordinary messages.
    pub fn new(capacity: usize, joined_at: i64) -> Self {
        Self {
            capacity: capacity.max(1),
            joined_at,
            pending: Mutex::new(Pending::default()),
        }
    }

    /// Queues `msg` under the overload policy; true when the member should now be told with an
    /// `s_ntf` (none is outstanding).
    pub fn push(&self, msg: &Arc<ChatMsg>) -> bool {
        let Ok(mut p) = self.pending.lock() else {
            return false;
        };
        if p.items.len() >= self.capacity {
            if p.low > 0 {
                p.evict_oldest(Rank::Low);
            } else if msg.rank == Rank::Low {
                return false;
            } else if p.normal > 0 {
                p.evict_oldest(Rank::Normal);
            } else if msg.rank == Rank::Normal {
                return false;
            } else if p.items.len() >= self.capacity.saturating_mul(PROTECTED_HEADROOM) {
                // Only protected messages are queued and the member has not pulled for a long
                // time: bound the memory a connection that never reads can hold.
                p.evict_oldest(Rank::Protected);
            }
        }
        p.count(msg.rank, 1);
        p.items.push_back(msg.clone());
        !std::mem::replace(&mut p.notified, true)
    }

    /// Takes every queued message newer than `after`, and allows the next `s_ntf`.
    pub fn take(&self, after: i64) -> Vec<Arc<ChatMsg>> {
        let Ok(mut p) = self.pending.lock() else {
            return Vec::new();
        };
        p.notified = false;
        p.low = 0;
        p.normal = 0;
        p.items.drain(..).filter(|m| m.time > after).collect()
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
        let q = MemberQueue::new(3, 0);
        assert!(q.push(&msg(1, "Low", Rank::Low)));
        assert!(
            !q.push(&msg(2, "N", Rank::Normal)),
            "one s_ntf until a pull"
        );
        q.push(&msg(3, "P", Rank::Protected));
        q.push(&msg(4, "N", Rank::Normal));
        assert_eq!(times(&q.take(0)), [2, 3, 4]);

        q.push(&msg(5, "N", Rank::Normal));
        q.push(&msg(6, "P", Rank::Protected));
        q.push(&msg(7, "N", Rank::Normal));
        q.push(&msg(8, "Low", Rank::Low));
        q.push(&msg(9, "P", Rank::Protected));
        assert_eq!(times(&q.take(0)), [6, 7, 9]);

        for t in 10..13 {
            q.push(&msg(t, "P", Rank::Protected));
        }
        q.push(&msg(13, "N", Rank::Normal));
        q.push(&msg(14, "P", Rank::Protected));
        assert_eq!(times(&q.take(11)), [12, 14]);
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
