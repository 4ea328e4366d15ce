//! `searchMessageByContent` and `searchConversationByContent` over the local store (see
//! `crate::store::search` for what matches).

use serde::Serialize;

use crate::engine::Engine;
use crate::message::Message;
use crate::store::search::entry_matches;
use crate::store::ConvKey;

/// A conversation with stored messages that match a search.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationMatch {
    /// `ConversationType` value.
    pub conversation_type: i32,
    /// The peer, group or discussion id.
    pub target_id: String,
    /// How many of its stored messages match.
    pub matched_count: u32,
    /// The newest of them.
    pub latest_message: Message,
}

impl Engine {
    /// `searchMessageByContent(type, targetId, keyword, timestamp, count, total)`: stored
    /// messages of the conversation older than `timestamp` (0 = from the newest) whose text
    /// contains `keyword`, newest first, at most `count` of them; and how many match in all
    /// older than `timestamp`. An empty keyword matches nothing.
    pub fn search_messages(
        &mut self,
        conversation_type: i32,
        target_id: &str,
        keyword: &str,
        timestamp: i64,
        count: usize,
    ) -> (Vec<Message>, u32) {
        let mut found = Vec::new();
        let mut total = 0u32;
        if keyword.is_empty() || !self.store_ready() {
            return (found, total);
        }
        let Some(store) = self.store.as_ref() else {
            return (found, total);
        };
        let before = if timestamp <= 0 { i64::MAX } else { timestamp };
        let key: ConvKey = (conversation_type, target_id.to_owned());
        store.each_newest_first(&self.storage, &key, &mut |e| {
            if e.time < before && entry_matches(e, keyword) {
                total = total.saturating_add(1);
                if found.len() < count {
                    found.extend(e.message(&key, &self.registry));
                }
            }
            true
        });
        (found, total)
    }

    /// `searchConversationByContent(keyword, types)`: the conversations of `types` (all when
    /// empty) with stored messages whose text contains `keyword`, the one with the newest
    /// match first.
    pub fn search_conversations(&mut self, keyword: &str, types: &[i32]) -> Vec<ConversationMatch> {
        let mut out: Vec<ConversationMatch> = Vec::new();
        if keyword.is_empty() || !self.store_ready() {
            return out;
        }
        let Some(store) = self.store.as_ref() else {
            return out;
        };
        for key in store.convs.keys() {
            if !types.is_empty() && !types.contains(&key.0) {
                continue;
            }
            let mut latest = None;
            let mut matched = 0u32;
            store.each_newest_first(&self.storage, key, &mut |e| {
                if entry_matches(e, keyword) {
                    matched = matched.saturating_add(1);
                    if latest.is_none() {
                        latest = e.message(key, &self.registry);
                    }
                }
                true
            });
            if let Some(latest_message) = latest {
                out.push(ConversationMatch {
                    conversation_type: key.0,
                    target_id: key.1.clone(),
                    matched_count: matched,
                    latest_message,
                });
            }
        }
        // Newest first, then by type and target: a total order, so the smaller unstable sort.
        out.sort_unstable_by(|a, b| {
            (b.latest_message.sent_time, a.conversation_type)
                .cmp(&(a.latest_message.sent_time, b.conversation_type))
                .then_with(|| a.target_id.cmp(&b.target_id))
        });
        out
    }
}
