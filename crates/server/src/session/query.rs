//! Client QUERY topics (api.md §1, §3): conversation list, history, clearing, deletion and the
//! blacklist. Every QUERY gets a QUERYACK with its id; unknown topics get a non-zero status.

use im_wire::enums::ConversationType;
use im_wire::frame::{Qos, Query};
use im_wire::proto::{
    self, Add2BlackListInput, BlackListStatusInput, CleanHisMsgInput, DeleteMsgInput,
    DeleteMsgOutput, DownStreamMessage, HistoryMessagesOuput, HistoryMsgInput,
    QueryBlackListOutput, RelationInfo, RelationsInput, RelationsOutput, RemoveFromBlackListInput,
};
use im_wire::{topic, ErrorCode};

use super::{code, Session, Step, UNSUPPORTED};
use crate::messaging::downstream;
use crate::store::{Page, StoreError, StoreResult};

/// Conversations returned by `qryRelation` when the client asks for 0 (its default is 300).
const DEFAULT_RELATIONS: usize = 300;
/// Most history messages per page.
const MAX_HISTORY: usize = 100;

/// A QUERYACK payload, or its non-zero status.
pub(super) type Reply = Result<Vec<u8>, u16>;

pub(super) fn invalid() -> u16 {
    code(ErrorCode::BIZ_ERROR_INVALID_PARAMETER)
}

fn failed(e: StoreError) -> u16 {
    tracing::error!("{e}");
    code(ErrorCode::BIZ_ERROR_DATABASE_ERROR)
}

pub(super) fn decode<M: prost::Message + Default>(payload: &[u8]) -> Result<M, u16> {
    proto::decode(payload).map_err(|_| invalid())
}

/// `(time, count, newer)` of a history request (api.md §3.3): `time` 0 = newest; order 0 =
/// older than `time`, 1 = newer; count 1–100, 20 when absent.
pub(super) fn paging(input: &HistoryMsgInput) -> (i64, usize, bool) {
    let time = input.time.unwrap_or(0).max(0);
    let count = match input.count.unwrap_or(0) {
        n if n <= 0 => 20,
        n => usize::try_from(n).unwrap_or(20).min(MAX_HISTORY),
    };
    (time, count, input.order.unwrap_or(0) == 1)
}

/// A history page as the client reads it: the list (newest first when paging back), the cursor
/// for the next page and `hasMsg`.
pub(super) fn page_reply(
    mut page: Page,
    time: i64,
    newer: bool,
) -> (Vec<DownStreamMessage>, i64, i32) {
    if newer {
        page.items.reverse();
    }
    let cursor = if newer {
        page.items.first()
    } else {
        page.items.last()
    };
    let sync_time = cursor.map_or(time, |i| i.message.data_time);
    (
        page.items.iter().map(downstream).collect(),
        sync_time,
        i32::from(page.more),
    )
}

/// Conversation types a history topic serves (api.md §3.3): one topic may stand for several,
/// e.g. `qryPMsg` for private (1) and the public-service types (7, 8).
fn history_types(t: &str) -> Option<Vec<i32>> {
    let types: Vec<i32> = ConversationType::ALL
        .iter()
        .filter(|ct| **ct != ConversationType::None && topic::history_topic(**ct) == t)
        .map(|ct| ct.value())
        .collect();
    (!types.is_empty()).then_some(types)
}

/// Conversation type of a clearing topic (api.md §3.3).
fn clean_type(t: &str) -> Option<ConversationType> {
    Some(match t {
        "cleanPMsg" => ConversationType::Private,
        "cleanDMsg" => ConversationType::Discussion,
        "cleanGMsg" => ConversationType::Group,
        "cleanCMsg" => ConversationType::CustomerService,
        "cleanSMsg" => ConversationType::System,
        _ => return None,
    })
}

impl Session {
    pub(super) async fn query(&mut self, q: Query) -> Step {
        if q.topic == topic::PULL_MSG {
            return self.pull(q).await;
        }
        if let Some(step) = self.chatroom_query(&q).await {
            return step;
        }
        let t = q.topic.as_str();
        let result = if let Some(r) = self.discussion_query(&q).await {
            r
        } else if let Some(types) = history_types(t) {
            self.history(types, &q).await
        } else if let Some(ct) = clean_type(t) {
            self.clean(ct.value(), &q).await
        } else {
            match t {
                "qryRelation" => self.relations(&q).await,
                "delRelation" => self.delete_relation(&q).await,
                "cleanHisMsg" => self.clean(ConversationType::Private.value(), &q).await,
                "delMsg" => self.delete_messages(&q).await,
                "addBlack" | "rmBlack" | "getBlack" | "blackStat" => self.blacklist(&q).await,
                _ => Err(UNSUPPORTED),
            }
        };
        let (status, payload) = match result {
            Ok(p) => (0, p),
            Err(s) => (s, Vec::new()),
        };
        Step::one(self.query_ack(q.msg_id, Qos::AtMostOnce, status, payload))
    }

    async fn store<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn crate::store::Store, &str) -> StoreResult<R> + Send + 'static,
    ) -> Result<R, u16> {
        let user = self.user.clone();
        self.state
            .store
            .call(move |s| f(s, &user))
            .await
            .map_err(failed)
    }

    /// Like [`Session::store`] for calls that only read.
    async fn read_store<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn crate::store::Store, &str) -> StoreResult<R> + Send + 'static,
    ) -> Result<R, u16> {
        let user = self.user.clone();
        self.state
            .store
            .read(move |s| f(s, &user))
            .await
            .map_err(failed)
    }

    /// `qryRelation` → `RelationsOutput`, most recent first (the client reverses it).
    async fn relations(&self, q: &Query) -> Reply {
        let input: RelationsInput = decode(&q.payload)?;
        let limit = match input.count.unwrap_or(0) {
            n if n <= 0 => DEFAULT_RELATIONS,
            n => usize::try_from(n).unwrap_or(DEFAULT_RELATIONS).min(1000),
        };
        let items = self
            .read_store(move |s, u| s.conversations(u, limit))
            .await?;
        let info = items
            .iter()
            .map(|i| RelationInfo {
                r#type: i.message.conv_type,
                user_id: i.conv_target.clone(),
                msg: Some(downstream(i)),
                read_msg_time: None,
            })
            .collect();
        Ok(proto::encode(&RelationsOutput { info }))
    }

    /// `delRelation`: target = the conversation, `RelationsInput.type` = its type.
    async fn delete_relation(&self, q: &Query) -> Reply {
        let input: RelationsInput = decode(&q.payload)?;
        let target = q.target_id.clone();
        self.store(move |s, u| s.delete_conversation(u, input.r#type, &target))
            .await?;
        Ok(Vec::new())
    }

    /// `qry?Msg` → `HistoryMessagesOuput`: `time` 0 = newest; order 0 = older than `time`,
    /// newest first; order 1 = newer than `time`. `syncTime` is the cursor for the next page.
    async fn history(&self, types: Vec<i32>, q: &Query) -> Reply {
        let input: HistoryMsgInput = decode(&q.payload)?;
        let target = input
            .target_id
            .clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| q.target_id.clone());
        let (time, count, newer) = paging(&input);
        let page = self
            .read_store(move |s, u| s.history(u, &types, &target, time, count, newer))
            .await?;
        let (list, sync_time, has_msg) = page_reply(page, time, newer);
        let reply = HistoryMessagesOuput {
            list,
            sync_time,
            has_msg,
        };
        Ok(proto::encode(&reply))
    }

    /// `clean?Msg` (`CleanHisMsgInput`): drop this user's copies up to `dataTime`. A time in
    /// the future is refused with status 1 (the client's 34010).
    async fn clean(&self, ct: i32, q: &Query) -> Reply {
        let input: CleanHisMsgInput = decode(&q.payload)?;
        if input.data_time > self.state.clock.now().saturating_add(60_000) {
            return Err(1);
        }
        let ct = input.conversation_type.unwrap_or(ct);
        let target = if input.target_id.is_empty() {
            q.target_id.clone()
        } else {
            input.target_id
        };
        let up_to = input.data_time;
        self.store(move |s, u| s.clean_history(u, ct, &target, up_to))
            .await?;
        Ok(Vec::new())
    }

    /// `delMsg` (`DeleteMsgInput`) → `DeleteMsgOutput{nothing}`.
    async fn delete_messages(&self, q: &Query) -> Reply {
        let input: DeleteMsgInput = decode(&q.payload)?;
        let ct = input.r#type.unwrap_or(ConversationType::Private.value());
        let target = input
            .conversation_id
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| q.target_id.clone());
        let uids: Vec<String> = input.msgs.into_iter().filter_map(|m| m.msg_id).collect();
        self.store(move |s, u| s.delete_messages(u, ct, &target, &uids))
            .await?;
        Ok(proto::encode(&DeleteMsgOutput { nothing: 1 }))
    }

    /// `addBlack`, `rmBlack`, `getBlack`, `blackStat` (api.md §3.7). `blackStat` answers
    /// status 0 when the user is blacklisted and 1 (NOT_IN_BLACK_LIST) when not.
    async fn blacklist(&self, q: &Query) -> Reply {
        let or_target = |id: String| {
            if id.is_empty() {
                q.target_id.clone()
            } else {
                id
            }
        };
        match q.topic.as_str() {
            "addBlack" => {
                let other = or_target(decode::<Add2BlackListInput>(&q.payload)?.user_id);
                if other.is_empty() {
                    return Err(invalid());
                }
                self.store(move |s, u| s.blacklist_add(u, &[other])).await?;
                Ok(Vec::new())
            }
            "rmBlack" => {
                let other = or_target(decode::<RemoveFromBlackListInput>(&q.payload)?.user_id);
                self.store(move |s, u| s.blacklist_remove(u, &[other]))
                    .await?;
                Ok(Vec::new())
            }
            "getBlack" => {
                let user_ids = self.read_store(|s, u| s.blacklist(u)).await?;
                Ok(proto::encode(&QueryBlackListOutput { user_ids }))
            }
            _ => {
                let other = or_target(decode::<BlackListStatusInput>(&q.payload)?.user_id);
                let listed = self
                    .read_store(move |s, u| s.is_blacklisted(u, &other))
                    .await?;
                if listed {
                    Ok(Vec::new())
                } else {
                    Err(1)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_topics_serve_every_type_the_client_maps_to_them() {
        assert_eq!(history_types("qryGMsg"), Some(vec![3]));
        let private = history_types("qryPMsg").unwrap_or_default();
        assert!([1, 7, 8].iter().all(|t| private.contains(t)));
        assert!(!private.contains(&0) && !private.contains(&3));
        assert_eq!(history_types("qryCMsg"), Some(vec![4, 5]));
        assert_eq!(history_types("pullMsg"), None);
    }
}
