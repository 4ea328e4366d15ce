//! Delivery (api.md §5.3): a message gets its time and goes into the ring and the member queues
//! under the room's lock, members are told with one `s_ntf` each, and their `chrmPull` takes what
//! is queued; persisted messages then enter the room's history.

use std::sync::Arc;
use std::time::Instant;

use im_wire::enums::ConversationType;
use im_wire::proto::DownStreamMessage;

use super::{lock, ChatMsg, ChatroomMessage, Chatrooms, Pulled, Rank, Refusal, Room};
use crate::clock::wall_ms;
use crate::hub::Outbound;
use crate::server::State;
use crate::store::{Message, StoreError};

impl Chatrooms {
    /// `chrmPull` from connection `conn`: with `count` > 0 (a join pull) the `count` newest
    /// messages from before the join, then everything queued newer than `after`, in at most
    /// `budget` bytes of entries: the oldest history goes first, and queued messages beyond
    /// the budget stay for the next pull ([`Pulled::more`]).
    pub fn pull(
        &self,
        room_id: &str,
        conn: u64,
        (after, count): (i64, i32),
        budget: usize,
    ) -> Result<Pulled, Refusal> {
        let queue = lock(&self.conns)
            .get(&conn)
            .and_then(|rooms| rooms.get(room_id).cloned())
            .ok_or(Refusal::NotMember)?;
        let mut list = Vec::new();
        let mut used = 0;
        if count > 0 {
            if let Some(room) = self.room(room_id) {
                let st = lock(&room.state);
                let n = usize::try_from(count).unwrap_or(0);
                // Newest first, as many as asked for and fit.
                for m in st
                    .ring
                    .iter()
                    .rev()
                    .filter(|m| m.time <= queue.joined_at && m.time > after)
                    .take(n)
                {
                    if used + m.reply_bytes() > budget {
                        break;
                    }
                    used += m.reply_bytes();
                    list.push(m.clone());
                }
                list.reverse();
            }
        }
        // A live pull always takes one message, however large, so that it makes progress.
        let taken = queue.take(after, budget - used, list.is_empty());
        list.extend(taken.list);
        let newest = list.last().map_or(0, |m| m.time);
        Ok(Pulled {
            sync_time: newest.max(after).max(queue.joined_at),
            list,
            more: taken.more,
        })
    }

    /// Whether a member may send, or why not.
    pub fn may_send(&self, room_id: &str, user: &str) -> Result<(), Refusal> {
        if !self.is_member(room_id, user) {
            return Err(Refusal::NotMember);
        }
        if self.moderation().muted(room_id, user, wall_ms()) {
            return Err(Refusal::Muted);
        }
        Ok(())
    }

    /// Gives the message its time (under the room's lock, so members see the room's messages
    /// in time order), appends it to the ring and queues it for the members.
    /// `stamp` gives the UId and time from the room's newest time.
    fn fan_out(
        &self,
        room: &Room,
        msg: &ChatroomMessage,
        stamp: impl FnOnce(i64) -> (String, i64),
    ) -> (String, i64) {
        let rank = self.rank(&msg.room, &msg.from, &msg.object_name);
        let stopped = self.moderation().stopped.contains(&*room.id);
        let mut st = lock(&room.state);
        let (uid, time) = stamp(st.newest);
        let down = DownStreamMessage {
            from_user_id: msg.from.clone(),
            r#type: ConversationType::ChatRoom.value(),
            group_id: Some(msg.room.clone()),
            classname: msg.object_name.clone(),
            content: msg.content.clone(),
            data_time: time,
            status: 0,
            extra: None,
            msg_id: Some(uid.clone()),
            direction: None,
        };
        let encoded = Arc::new(ChatMsg::new(&down, rank));
        st.ring_bytes += encoded.bytes();
        st.ring.push_back(encoded.clone());
        while st.ring.len() > self.config.ring || st.ring_bytes > self.config.ring_bytes {
            let Some(old) = st.ring.pop_front() else {
                break;
            };
            st.ring_bytes = st.ring_bytes.saturating_sub(old.bytes());
        }
        st.newest = st.newest.max(time);
        st.active = Instant::now();
        if stopped {
            return (uid, time);
        }
        let skip = (!msg.include_sender).then_some(msg.from.as_str());
        for m in st.members.values() {
            if Some(m.user.as_str()) == skip {
                continue;
            }
            for c in &m.conns {
                if c.queue.push(&encoded) {
                    let ntf = Outbound::ChatroomNotify {
                        room: room.id.clone(),
                        time,
                    };
                    if c.tx.try_send(ntf).is_err() {
                        c.queue.notify_failed();
                    }
                }
            }
        }
        (uid, time)
    }

    fn rank(&self, room: &str, from: &str, object_name: &str) -> Rank {
        let m = self.moderation();
        if m.whitelist.contains(object_name) || m.protected_user(room, from) {
            Rank::Protected
        } else if m.low_priority.contains(object_name) {
            Rank::Low
        } else {
            Rank::Normal
        }
    }
}

/// A stamp from `clock`: its next time and a UId of it.
fn from_clock(clock: &crate::clock::Clock) -> impl FnOnce(i64) -> (String, i64) + '_ {
    |_| {
        let t = clock.next();
        (clock.uid(t), t)
    }
}

/// Delivers a chatroom message, then stores it in the room's history when it is persisted;
/// returns its UId and time once stored. Members may receive it before the commit: ordering
/// within the room comes first, and a chatroom message lost in a crash is not in history. A
/// room that does not exist gets nothing delivered, but the message still enters its history.
/// With a bus, the members of every node get it (see `bus::rooms`).
pub async fn send(state: &State, msg: ChatroomMessage) -> Result<(String, i64), StoreError> {
    let published = match state.bus.rooms() {
        Some(rooms) => rooms.publish(state, &msg).await,
        None => None,
    };
    let (uid, time, history) = match published {
        Some(p) => {
            let (uid, time) = p.applied().await;
            let history = history_of(msg, &uid, time);
            (uid, time, history)
        }
        None => deliver(state, msg),
    };
    if let Some(stored) = history {
        persist(state.store.clone(), stored).await?;
    }
    Ok((uid, time))
}

/// The first half of [`send`]: gives the message its time and delivers it; returns its UId,
/// time, and what to store in history when it is persisted (see [`persist`]).
pub fn deliver(state: &State, msg: ChatroomMessage) -> (String, i64, Option<Message>) {
    crate::metrics::message_published();
    let (uid, time) = match state.chatrooms.room(&msg.room) {
        Some(room) => state
            .chatrooms
            .fan_out(&room, &msg, from_clock(&state.clock)),
        None => from_clock(&state.clock)(0),
    };
    let history = history_of(msg, &uid, time);
    (uid, time, history)
}

/// Delivers a chatroom message that another node (or this one) published on the bus, with
/// its UId and sending time, raised above the room's newest time where needed; returns the
/// UId and the time it got.
pub fn deliver_stamped(
    state: &State,
    msg: &ChatroomMessage,
    uid: String,
    time: i64,
) -> (String, i64) {
    crate::metrics::message_published();
    let stamp = move |newest: i64| (uid, time.max(newest.saturating_add(1)));
    match state.chatrooms.room(&msg.room) {
        Some(room) => state.chatrooms.fan_out(&room, msg, stamp),
        None => stamp(0),
    }
}

/// What enters a room's history: a persisted message only.
pub fn history_of(msg: ChatroomMessage, uid: &str, time: i64) -> Option<Message> {
    (msg.tag & 1 != 0).then(|| Message {
        uid: uid.to_owned(),
        data_time: time,
        conv_type: ConversationType::ChatRoom.value(),
        from_user: msg.from,
        target_id: msg.room,
        object_name: msg.object_name,
        content: msg.content,
        tag: msg.tag,
        ..Message::default()
    })
}

/// The second half of [`send`]: commits a delivered message to its room's history.
pub async fn persist(store: crate::store::StoreHandle, msg: Message) -> Result<(), StoreError> {
    store.call(move |s| s.insert_chatroom_message(&msg)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chatroom::{ChatroomConfig, Moderation};

    #[test]
    fn a_join_pull_returns_the_newest_messages_from_before_the_join_then_what_came_after() {
        let rooms = Chatrooms::new(ChatroomConfig::default(), Moderation::default());
        let clock = crate::clock::Clock::default();
        let (tx, _rx) = crate::hub::queue(8, usize::MAX);
        rooms.join("r", "a", 1, tx.clone()).unwrap();
        let say = |text: &str| ChatroomMessage {
            room: "r".into(),
            from: "a".into(),
            object_name: "RC:TxtMsg".into(),
            content: text.as_bytes().to_vec(),
            tag: 0,
            include_sender: false,
        };
        let room = rooms.room("r").unwrap();
        let times: Vec<i64> = ["1", "2", "3"]
            .iter()
            .map(|t| rooms.fan_out(&room, &say(t), from_clock(&clock)).1)
            .collect();
        rooms.join("r", "b", 2, tx).unwrap();
        let after = rooms.fan_out(&room, &say("4"), from_clock(&clock)).1;
        let pulled = rooms.pull("r", 2, (0, 2), usize::MAX).unwrap();
        let got: Vec<i64> = pulled.list.iter().map(|m| m.time).collect();
        assert_eq!(got, [times[1], times[2], after]);
        assert_eq!(pulled.sync_time, after);
        assert!(rooms
            .pull("r", 2, (after, 0), usize::MAX)
            .unwrap()
            .list
            .is_empty());
        assert_eq!(
            rooms.pull("r", 3, (0, 0), usize::MAX).unwrap_err(),
            Refusal::NotMember
        );
    }
}
