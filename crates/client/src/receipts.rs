//! Group read receipts, RongIMLib 2.5.3's request/response (api.md §3.2 `sendReceiptResponse`,
//! §5.5 step 7, §9).
//!
//! - A `RC:RRReqMsg` (`{messageUId}`) received in a group or discussion from another user is a
//!   pending request: it is kept under 2.5.3's key `{self}{type}{targetId}RECEIVED`, JSON
//!   `{senderId: {"uIds": [uid…], "dealtime": sentTime, "isResponse": false}}` (so a request
//!   2.5.3 stored is answered too). At most [`MAX_SENDERS`] senders per conversation and
//!   [`MAX_UIDS`] uids per sender are kept, the oldest forgotten first.
//! - `sendReceiptResponse(type, targetId)` sends one `RC:RRRspMsg`
//!   `{receiptMessageDic: {S: [uid…]}}` per sender S with unanswered requests (the send path
//!   directs it to S in groups and discussions, api.md §4.2), all at once rather than one every
//!   200 ms. Each acknowledged answer removes what it answered from the key (an entry 2.5.3
//!   marked `isResponse` counts as answered), so a second call sends nothing. It completes with
//!   `Done` once every answer is acknowledged, or with the first error.
//! - A `RC:RRRspMsg` from reader R naming, under the current user, messageUIds of messages this
//!   user sent adds R to each one's `receiptResponse` in the local store:
//!   `{"<messageUId>": [readerId…]}` (2.5.3 keeps a count there; the readers say who read, and
//!   their number is the count). `getMessage` and local history show it. The response itself
//!   reaches the app like any message.
//! - The user's own answers sent from another device remove what they answered here too.

use im_wire::content::JsonContent;
use im_wire::enums::MessageDirection;
use im_wire::text;
use im_wire::text::Piece;
use im_wire::value::{Map, Value};
use im_wire::ErrorCode;

use crate::engine::Engine;
use crate::message::Message;
use crate::output::{Reply, RequestError, RequestId};
use crate::send::SendRequest;

/// `ReadReceiptRequestMessage`.
pub(crate) const REQUEST: &str = "RC:RRReqMsg";
/// `ReadReceiptResponseMessage`.
pub(crate) const RESPONSE: &str = "RC:RRRspMsg";
/// Senders with pending requests kept per conversation.
pub(crate) const MAX_SENDERS: usize = 64;
/// messageUIds kept per sender.
pub(crate) const MAX_UIDS: usize = 64;
/// Readers kept per message.
const MAX_READERS: usize = 500;
/// Newest chunks of a conversation searched for the message a response names.
const SEARCH_CHUNKS: usize = 16;

/// The storage key of the pending requests of a conversation (2.5.3's, api.md §9).
pub(crate) fn received_key(user: &str, conversation_type: i32, target_id: &str) -> String {
    text!(user, conversation_type, target_id, "RECEIVED")
}

/// One answer in flight: its send, the requester and the uids it answers.
#[derive(Clone, Debug)]
struct Part {
    send: RequestId,
    sender: String,
    uids: Vec<String>,
}

/// One `sendReceiptResponse` call in flight.
#[derive(Clone, Debug)]
struct Batch {
    id: RequestId,
    key: String,
    parts: Vec<Part>,
    error: Option<RequestError>,
}

/// The calls in flight.
#[derive(Clone, Debug, Default)]
pub(crate) struct Receipts {
    batches: Vec<Batch>,
    /// The batch whose answers are being written: a send failing at once completes inside
    /// `send_message`, before its id is known to the batch.
    filling: Option<RequestId>,
    /// Such a send's failure.
    failed_at_once: Option<RequestError>,
}

/// The pending requests of a stored value: `(sender, uids)` of each unanswered sender.
fn pending(value: &Map<String, Value>) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (sender, entry) in value {
        if entry.get("isResponse").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let uids: Vec<String> = entry
            .get("uIds")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if !sender.is_empty() && !uids.is_empty() {
            out.push((sender.clone(), uids));
        }
    }
    out
}

/// The strings of a JSON array (others skipped).
fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl Engine {
    /// The stored requests of `key`, as a JSON object (empty when absent or damaged).
    fn requests_of(&self, key: &str) -> Map<String, Value> {
        match self.storage.get(key).map(|v| im_wire::json::parse(v)) {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        }
    }

    fn write_requests(&mut self, key: String, map: &Map<String, Value>) {
        let value = if map.is_empty() {
            String::new()
        } else {
            im_wire::json_out::text(map)
        };
        if self.storage.get(&key).map_or("", String::as_str) != value {
            self.persist(key, value);
        }
    }

    /// A delivered message, before it reaches the app: records a read-receipt request, applies
    /// a response to the user's messages, or an own answer from another device.
    pub(crate) fn note_receipt(&mut self, m: &Message) {
        if self.user_id.is_empty() {
            return;
        }
        let received = m.message_direction == MessageDirection::Receive.value()
            && m.sender_user_id != self.user_id;
        match m.object_name.as_str() {
            REQUEST if received && matches!(m.conversation_type, 2 | 3) => {
                let uid = m.content.get("messageUId").and_then(Value::as_str);
                if let Some(uid) = uid.filter(|u| !u.is_empty()) {
                    self.record_request(m, uid.to_owned());
                }
            }
            RESPONSE if received => self.apply_response(m),
            RESPONSE if m.sender_user_id == self.user_id => {
                let key = received_key(&self.user_id, m.conversation_type, &m.target_id);
                let dic = m
                    .content
                    .get("receiptMessageDic")
                    .and_then(Value::as_object);
                let answered: Vec<(String, Vec<String>)> = dic
                    .map(|d| {
                        d.iter()
                            .map(|(s, l)| (s.clone(), strings(Some(l))))
                            .collect()
                    })
                    .unwrap_or_default();
                for (sender, uids) in answered {
                    self.mark_answered(&key, &sender, &uids);
                }
            }
            _ => {}
        }
    }

    /// Remembers that `m`'s sender asked about `uid`.
    fn record_request(&mut self, m: &Message, uid: String) {
        let key = received_key(&self.user_id, m.conversation_type, &m.target_id);
        let mut map = self.requests_of(&key);
        let entry = map.get(&m.sender_user_id);
        let answered = entry
            .and_then(|e| e.get("isResponse"))
            .and_then(Value::as_bool)
            == Some(true);
        let mut uids = if answered {
            Vec::new()
        } else {
            strings(entry.and_then(|e| e.get("uIds")))
        };
        if !uids.contains(&uid) {
            uids.push(uid);
        }
        let excess = uids.len().saturating_sub(MAX_UIDS);
        uids.drain(..excess);
        let mut fresh = Map::new();
        fresh.insert("uIds".into(), uids.into());
        fresh.insert("dealtime".into(), m.sent_time.into());
        fresh.insert("isResponse".into(), false.into());
        // A new sender goes last; a known one keeps its place.
        map.insert(m.sender_user_id.clone(), Value::Object(fresh));
        while map.len() > MAX_SENDERS {
            let oldest = map
                .iter()
                .min_by_key(|(_, e)| e.get("dealtime").and_then(Value::as_i64).unwrap_or(0))
                .map(|(s, _)| s.clone());
            match oldest {
                Some(s) => map.remove(&s),
                None => break,
            };
        }
        self.write_requests(key, &map);
    }

    /// Removes `uids` from what `sender` is waiting for in `key`.
    fn mark_answered(&mut self, key: &str, sender: &str, uids: &[String]) {
        let mut map = self.requests_of(key);
        let Some(entry) = map.get(sender) else {
            return;
        };
        let answered = entry.get("isResponse").and_then(Value::as_bool) == Some(true);
        let left: Vec<String> = strings(entry.get("uIds"))
            .into_iter()
            .filter(|u| !uids.contains(u))
            .collect();
        if answered || left.is_empty() {
            map.remove(sender);
        } else if let Some(Value::Object(e)) = map.get_mut(sender) {
            e.insert("uIds".into(), left.into());
        }
        self.write_requests(key.to_owned(), &map);
    }

    /// A reader's response: each named message of this user's in the conversation gets the
    /// reader in its `receiptResponse`.
    fn apply_response(&mut self, m: &Message) {
        let uids = strings(
            m.content
                .get("receiptMessageDic")
                .and_then(|d| d.get(&self.user_id)),
        );
        if uids.is_empty() || !self.store_ready() {
            return;
        }
        let key = (m.conversation_type, m.target_id.clone());
        let reader = m.sender_user_id.clone();
        for uid in uids {
            let found = self
                .store
                .as_mut()
                .and_then(|s| s.find_uid_recent(&self.storage, &key, &uid, SEARCH_CHUNKS));
            let Some(id) = found else {
                continue;
            };
            let Some(mut sent) = self.get_message(id) else {
                continue;
            };
            if sent.message_direction != MessageDirection::Send.value() {
                continue;
            }
            let mut all = match sent.receipt_response.take() {
                Some(Value::Object(map)) => map,
                _ => Map::new(),
            };
            let mut readers = strings(all.get(&uid));
            if readers.contains(&reader) || readers.len() >= MAX_READERS {
                sent.receipt_response = Some(Value::Object(all));
                continue;
            }
            readers.push(reader.clone());
            all.insert(uid, readers.into());
            sent.receipt_response = Some(Value::Object(all));
            if let Some(store) = self.store.as_mut() {
                store.replace(&self.storage, id, &sent);
            }
        }
    }

    /// `sendReceiptResponse(type, targetId)`: answers every pending read-receipt request of the
    /// conversation (see the module documentation). Completes with [`Reply::Done`], at once
    /// when nothing is pending; with 30002 when not connected; or with the first failed
    /// answer's error (what failed stays pending).
    pub fn send_receipt_response(
        &mut self,
        now_ms: u64,
        conversation_type: i32,
        target_id: &str,
    ) -> RequestId {
        let id = self.out.request_id();
        let key = received_key(&self.user_id, conversation_type, target_id);
        let in_flight: Vec<&str> = self
            .receipts
            .batches
            .iter()
            .filter(|b| b.key == key)
            .flat_map(|b| b.parts.iter().map(|p| p.sender.as_str()))
            .collect();
        let todo: Vec<(String, Vec<String>)> = if self.user_id.is_empty() {
            Vec::new()
        } else {
            pending(&self.requests_of(&key))
                .into_iter()
                .filter(|(s, _)| !in_flight.contains(&s.as_str()))
                .collect()
        };
        if todo.is_empty() {
            self.complete(id, Ok(Reply::Done));
            return id;
        }
        if !self.is_connected() {
            let err =
                RequestError::with_reason(ErrorCode::RC_NET_UNAVAILABLE.value(), "not connected");
            self.complete(id, Err(err));
            return id;
        }
        self.receipts.batches.push(Batch {
            id,
            key,
            parts: Vec::new(),
            error: None,
        });
        for (sender, uids) in todo {
            let mut dic = Map::new();
            dic.insert(sender.clone(), uids.clone().into());
            let mut fields = Map::new();
            fields.insert("receiptMessageDic".into(), Value::Object(dic));
            let content = match JsonContent::from_value(RESPONSE, Value::Object(fields)) {
                Ok(c) => c,
                Err(e) => {
                    let err =
                        RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), e.text());
                    self.batch_error(id, err);
                    continue;
                }
            };
            let req = SendRequest::with_content(conversation_type, target_id, content);
            self.receipts.filling = Some(id);
            let send = self.send_message(now_ms, req);
            self.receipts.filling = None;
            if let Some(err) = self.receipts.failed_at_once.take() {
                self.batch_error(id, err);
                continue;
            }
            if let Some(b) = self.receipts.batches.iter_mut().find(|b| b.id == id) {
                b.parts.push(Part { send, sender, uids });
            }
        }
        self.finish_batch_if_done(id);
        id
    }

    fn batch_error(&mut self, batch: RequestId, err: RequestError) {
        if let Some(b) = self.receipts.batches.iter_mut().find(|b| b.id == batch) {
            b.error.get_or_insert(err);
        }
    }

    fn finish_batch_if_done(&mut self, batch: RequestId) {
        let Some(pos) = self
            .receipts
            .batches
            .iter()
            .position(|b| b.id == batch && b.parts.is_empty())
        else {
            return;
        };
        let b = self.receipts.batches.remove(pos);
        let result = match b.error {
            Some(mut err) => {
                // The batch's error names no message: the app asked for none.
                err.message = None;
                Err(err)
            }
            None => Ok(Reply::Done),
        };
        self.complete(b.id, result);
    }

    /// The completion of request `id`, before it goes out: an answer's is taken by its batch
    /// (`None`), any other is returned.
    pub(crate) fn receipt_completion(
        &mut self,
        id: RequestId,
        result: Result<Reply, RequestError>,
    ) -> Option<Result<Reply, RequestError>> {
        if let Some(batch) = self.receipts.filling {
            if batch != id {
                // Sends complete at once only when they fail.
                if let Err(e) = result {
                    self.receipts.failed_at_once = Some(e);
                }
                return None;
            }
        }
        let found = self
            .receipts
            .batches
            .iter()
            .enumerate()
            .find_map(|(b, batch)| {
                batch
                    .parts
                    .iter()
                    .position(|p| p.send == id)
                    .map(|p| (b, p))
            });
        let Some((b, p)) = found else {
            return Some(result);
        };
        let batch = self.receipts.batches.get_mut(b)?;
        let part = batch.parts.remove(p);
        let (batch_id, key) = (batch.id, batch.key.clone());
        match result {
            Ok(_) => self.mark_answered(&key, &part.sender, &part.uids),
            Err(e) => self.batch_error(batch_id, e),
        }
        self.finish_batch_if_done(batch_id);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answered_and_empty_entries_are_not_pending() {
        let v = im_wire::json::parse(
            r#"{"a":{"uIds":["u1","u2"],"dealtime":1,"isResponse":false},
                "b":{"uIds":["u3"],"dealtime":2,"isResponse":true},
                "c":{"uIds":[],"dealtime":3},"d":5}"#,
        )
        .unwrap();
        let Value::Object(map) = v else { panic!() };
        assert_eq!(
            pending(&map),
            vec![("a".to_owned(), vec!["u1".to_owned(), "u2".to_owned()])]
        );
    }

    #[test]
    fn the_key_is_2_5_3_s() {
        assert_eq!(received_key("me", 3, "g1"), "me3g1RECEIVED");
    }
}
