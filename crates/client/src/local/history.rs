//! History from the local store first, then from the server (`getHistoryMessages`; the server
//! only, `getRemoteHistoryMessages`, is [`Engine::history`]); and `deleteRemoteMessages`
//! (`delMsg`, api.md §3.3).
//!
//! Local-first paging back (order 0): the page takes the stored messages older than the cursor
//! from the conversation's contiguous stored part (newer than its floor). When that part cannot
//! fill the page, the server's history continues below it (`qry?Msg` with `time` = floor + 1),
//! merged with any local-only messages of that age, de-duplicated by messageUId at the seam.
//! `hasMore` is exact: a page filled exactly by the store still asks the server for one message
//! older to know. Not connected, the page is what the store has.

use im_wire::frame::Qos;
use im_wire::proto::{self, DeleteMsg, DeleteMsgInput, HistoryMsgInput};
use im_wire::text;
use im_wire::{topic, ErrorCode};

use super::{stored_type, unavailable};
use crate::engine::Engine;
use crate::message::Message;
use crate::output::{Reply, RequestError, RequestId};
use crate::requests::Pending;
use crate::store::ConvKey;

/// A message to delete on the server, as `deleteRemoteMessages` reads it from a `Message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteMessage {
    /// `messageUId`.
    pub message_uid: String,
    /// `sentTime`.
    pub sent_time: i64,
    /// `messageDirection`: 1 SEND, 2 RECEIVE.
    pub message_direction: i32,
}

/// What a local-store command waits for from the server.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Remote {
    /// Local-first history: the server's older messages complete the page.
    History(Seam),
    /// `delMsg`: once the server agrees, the messages leave the store too.
    Delete {
        key: ConvKey,
        messages: Vec<DeleteMessage>,
    },
}

/// A local-first history page waiting for the server's part.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Seam {
    key: ConvKey,
    cursor: String,
    /// From the store's contiguous part, newest first.
    local: Vec<Message>,
    /// Local-only messages below that part, newest first: merged with the server's.
    extras: Vec<Message>,
    /// Messages the page still needs (0: the server is asked only whether there are more).
    need: usize,
    /// `clearMessages` time: older server messages are not shown.
    stop: i64,
}

impl Engine {
    /// `getHistoryMessages(type, targetId, timestamp, count, callback)` with the local store,
    /// paging back (order 0): see the module documentation. Arguments and the cursor
    /// (`timestamp` `None` continues from the previous page, 0 starts from the newest) are as
    /// in [`Engine::history`], which serves order 1 and `getRemoteHistoryMessages` (the server
    /// only); completes with [`Reply::History`], oldest first. Chatrooms and RTC, whose
    /// messages are not stored, and bad arguments go to [`Engine::history`] as they are.
    pub fn history_local_first(
        &mut self,
        now_ms: u64,
        t: im_wire::enums::ConversationType,
        target_id: &str,
        timestamp: Option<i64>,
        count: i32,
    ) -> RequestId {
        let conversation_type = t.value();
        let stored = stored_type(conversation_type);
        let count = usize::try_from(count).unwrap_or(0);
        let valid = (1..=20).contains(&count) && !target_id.is_empty();
        if !stored || !valid || !self.store_ready() {
            let count = i32::try_from(count).unwrap_or(0);
            return self.history(now_ms, t, target_id, timestamp, count, 0);
        }
        let id = self.out.request_id();
        let cursor = text!(conversation_type, target_id, "_0");
        let remembered = self.cursors.history.get(&cursor).copied();
        let (last, more) = remembered.unwrap_or((0, true));
        if timestamp.is_none() && !more {
            self.complete_page(id, &cursor, Vec::new(), false);
            return id;
        }
        let time = timestamp.unwrap_or(last);
        let before = if time <= 0 { i64::MAX } else { time };
        let key = (conversation_type, target_id.to_owned());
        let Some(store) = self.store.as_mut() else {
            self.complete(id, Err(unavailable()));
            return id;
        };
        let (floor, stop) = store
            .convs
            .get(&key)
            .map_or((None, 0), |c| (c.floor, c.stop));
        let entries = store.newest_before(&self.storage, &key, before, count + 1);
        let mut local: Vec<Message> = entries
            .iter()
            .filter_map(|e| e.message(&key, &self.registry))
            .collect();
        let contiguous = local
            .iter()
            .take_while(|m| floor.is_some_and(|f| m.sent_time > f))
            .count();
        let extras = local.split_off(contiguous.min(local.len()));
        if local.len() > count || (local.len() == count && !extras.is_empty()) {
            local.truncate(count);
            self.complete_page(id, &cursor, local, true);
            return id;
        }
        // The server's messages older than the stored part, and newer than a clear.
        let asked = floor.map_or(before, |f| before.min(f.saturating_add(1)));
        if !self.is_connected() || asked <= stop.saturating_add(1) {
            let has_more = local.len() + extras.len() > count;
            local.extend(extras);
            local.truncate(count);
            self.complete_page(id, &cursor, local, has_more);
            return id;
        }
        let need = count.saturating_sub(local.len());
        let input = HistoryMsgInput {
            target_id: Some(target_id.to_owned()),
            time: Some(if asked == i64::MAX { 0 } else { asked }),
            count: Some(i32::try_from(need.max(1)).unwrap_or(1)),
            order: Some(0),
        };
        let seam = Seam {
            key,
            cursor,
            local,
            extras,
            need,
            stop,
        };
        let topic = topic::history_query(t);
        let pending = Pending::Local {
            id,
            op: Box::new(Remote::History(seam)),
        };
        let payload = topic.encode_request(&input);
        let topic = topic.name();
        if let Err(e) = self.send_query(now_ms, topic, target_id, payload, Qos::AtMostOnce, pending)
        {
            self.complete(id, Err(e));
        }
        id
    }

    /// Completes a history page (`page` newest first) and remembers where the next one starts.
    fn complete_page(&mut self, id: RequestId, cursor: &str, mut page: Vec<Message>, more: bool) {
        let next = page.last().map_or(0, |m| m.sent_time);
        self.cursors.history.insert(cursor.to_owned(), (next, more));
        page.reverse();
        self.complete(
            id,
            Ok(Reply::History {
                list: page,
                has_more: more,
            }),
        );
    }

    /// `deleteRemoteMessages(type, targetId, messages)`: `delMsg` with each message's
    /// messageUId, sentTime and direction; once the server agrees, they leave the local store
    /// too. Completes with [`Reply::Done`]; an empty list fails with 61001.
    pub fn delete_remote_messages(
        &mut self,
        now_ms: u64,
        conversation_type: i32,
        target_id: &str,
        messages: Vec<DeleteMessage>,
    ) -> RequestId {
        let id = self.out.request_id();
        let err = if messages.is_empty() {
            Some(RequestError::code(
                ErrorCode::DELETE_MESSAGE_ID_IS_NULL.value(),
            ))
        } else if target_id.is_empty() || messages.iter().any(|m| m.message_uid.is_empty()) {
            Some(RequestError::with_reason(
                ErrorCode::PARAMETER_ERROR.value(),
                "targetId and every messageUId must be given",
            ))
        } else if !self.is_connected() {
            Some(RequestError::with_reason(
                ErrorCode::RC_NET_UNAVAILABLE.value(),
                "not connected",
            ))
        } else {
            None
        };
        if let Some(err) = err {
            self.complete(id, Err(err));
            return id;
        }
        let input = DeleteMsgInput {
            r#type: Some(conversation_type),
            conversation_id: Some(target_id.to_owned()),
            msgs: messages
                .iter()
                .map(|m| DeleteMsg {
                    msg_id: Some(m.message_uid.clone()),
                    msg_data_time: Some(m.sent_time),
                    direct: Some(m.message_direction),
                })
                .collect(),
        };
        let key = (conversation_type, target_id.to_owned());
        let pending = Pending::Local {
            id,
            op: Box::new(Remote::Delete { key, messages }),
        };
        let payload = proto::encode(&input);
        if let Err(e) = self.send_query(
            now_ms,
            im_wire::topic::DELETE_MESSAGES.name(),
            target_id,
            payload,
            Qos::AtMostOnce,
            pending,
        ) {
            self.complete(id, Err(e));
        }
        id
    }

    /// The QUERYACK of a local-store command.
    pub(crate) fn finish_local(
        &mut self,
        now_ms: u64,
        id: RequestId,
        op: Remote,
        status: u16,
        payload: &[u8],
    ) {
        if status != 0 {
            self.complete(id, Err(RequestError::code(i32::from(status))));
            return;
        }
        match op {
            Remote::History(seam) => self.finish_seam(now_ms, id, seam, payload),
            Remote::Delete { key, messages } => {
                if self.store_ready() {
                    if let Some(store) = self.store.as_mut() {
                        for m in &messages {
                            let found =
                                store.find_uid(&self.storage, &key, &m.message_uid, m.sent_time);
                            if let Some(local) = found {
                                store.remove(&self.storage, local);
                            }
                        }
                    }
                }
                self.complete(id, Ok(Reply::Done));
            }
        }
    }

    /// The server's part of a local-first page.
    fn finish_seam(&mut self, now_ms: u64, id: RequestId, seam: Seam, payload: &[u8]) {
        let reply = self.history_reply(now_ms, &seam.key.1, &seam.cursor, payload);
        let (list, server_more) = match reply {
            Ok(Reply::History { list, has_more }) => (list, has_more),
            Ok(_) => (Vec::new(), false),
            Err(e) => {
                self.complete(id, Err(e));
                return;
            }
        };
        let total = list.len();
        // Newest first, and nothing a clear removed.
        let server: Vec<Message> = list
            .into_iter()
            .rev()
            .filter(|m| m.sent_time > seam.stop)
            .collect();
        let server_more = server_more && server.len() == total;
        let mut merged: Vec<Message> = Vec::new();
        let (mut s, mut x) = (
            server.into_iter().peekable(),
            seam.extras.into_iter().peekable(),
        );
        loop {
            // Newest first; on a tie the local copy, which carries its local id.
            let take_server = match (s.peek(), x.peek()) {
                (Some(a), Some(b)) => a.sent_time > b.sent_time,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_server { s.next() } else { x.next() };
            let Some(m) = next else { break };
            let seen = m.message_uid.as_ref().is_some_and(|uid| {
                seam.local
                    .iter()
                    .chain(merged.iter())
                    .any(|o| o.message_uid.as_ref() == Some(uid))
            });
            if !seen {
                merged.push(m);
            }
        }
        let more = server_more || merged.len() > seam.need;
        merged.truncate(seam.need);
        let mut page = seam.local;
        page.extend(merged);
        self.complete_page(id, &seam.cursor, page, more);
    }
}
