//! Client QUERY topics (api.md §1, §3): conversation list, history, clearing, deletion and the
//! blacklist, and the helpers every QUERY handler shares. Requests are read through the typed
//! topic consts of `im-wire`.

use im_wire::enums::ConversationType;
use im_wire::frame::Query;
use im_wire::proto::{
    CleanHisMsgInput, DeleteMsgOutput, DownStreamMessage, HistoryMessagesOuput, HistoryMsgInput,
    QueryBlackListOutput, RelationInfo, RelationsOutput,
};
use im_wire::{topic, ErrorCode};

use super::{code, Session};
use crate::messaging::downstream;
use crate::store::{MessageRef, Page, StoreError, StoreResult};

/// The most content bytes one history or conversation-list reply carries (at least one message
/// goes whatever its size): the rest comes with the next page, as `pullMsg` pages.
pub(super) const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// Cuts `items` after the content that fits [`MAX_REPLY_BYTES`] (each message counted with
/// room for its other fields); whether anything was cut.
pub(super) fn within_reply_bytes(items: &mut Vec<crate::store::InboxItem>) -> bool {
    let mut bytes = 0usize;
    let keep = items
        .iter()
        .take_while(|i| {
            bytes = bytes.saturating_add(i.message.content.len() + 128);
            bytes <= MAX_REPLY_BYTES
        })
        .count()
        .max(1);
    let cut = items.len() > keep;
    items.truncate(keep);
    cut
}

/// Conversations returned by `qryRelation` when the client asks for 0 (its default is 300).
const DEFAULT_RELATIONS: usize = 300;
/// Most history messages per page.
const MAX_HISTORY: usize = 100;
/// Most messages one `delMsg` removes.
const MAX_DELETE: usize = 100;

/// A QUERYACK payload, or its non-zero status.
pub(super) type Reply = Result<Vec<u8>, u16>;

pub(super) fn invalid() -> u16 {
    code(ErrorCode::BIZ_ERROR_INVALID_PARAMETER)
}

pub(super) fn failed(e: StoreError) -> u16 {
    tracing::error!("{e}");
    code(ErrorCode::BIZ_ERROR_DATABASE_ERROR)
}

/// The request of QUERY `q` as topic `t` reads it; a malformed one is an invalid parameter.
pub(super) fn request<Req, Rep>(t: topic::Query<Req, Rep>, q: &Query) -> Result<Req, u16>
where
    Req: prost::Message + im_wire::proto::Named + Default,
    Rep: prost::Message + Default,
{
    t.decode_request(&q.payload).map_err(|_| invalid())
}

/// `id` if it is a user, group or conversation id of 1–64 bytes.
pub(super) fn valid_id(id: String) -> Result<String, u16> {
    if id.is_empty() || id.len() > crate::token::MAX_USER_ID_LEN {
        Err(invalid())
    } else {
        Ok(id)
    }
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
    // The items nearest the cursor come first in either order: a cut page goes on from its end.
    if within_reply_bytes(&mut page.items) {
        page.more = true;
    }
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

impl Session {
    pub(super) async fn store<R: Send + 'static>(
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
    pub(super) async fn read_store<R: Send + 'static>(
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
    pub(super) async fn relations(&self, q: &Query) -> Reply {
        let input = request(topic::CONVERSATIONS, q)?;
        let limit = match input.count.unwrap_or(0) {
            n if n <= 0 => DEFAULT_RELATIONS,
            n => usize::try_from(n).unwrap_or(DEFAULT_RELATIONS).min(1000),
        };
        let mut items = self
            .read_store(move |s, u| s.conversations(u, limit))
            .await?;
        // The most recent conversations that fit one reply; the client pages no further.
        within_reply_bytes(&mut items);
        let info = items
            .iter()
            .map(|i| RelationInfo {
                r#type: i.message.conv_type,
                user_id: i.conv_target.clone(),
                msg: Some(downstream(i)),
                read_msg_time: None,
            })
            .collect();
        Ok(topic::CONVERSATIONS.encode_reply(&RelationsOutput { info }))
    }

    /// `delRelation`: target = the conversation, `RelationsInput.type` = its type.
    pub(super) async fn delete_relation(&self, q: &Query) -> Reply {
        let input = request(topic::DELETE_CONVERSATION, q)?;
        let target = q.target_id.clone();
        self.store(move |s, u| s.delete_conversation(u, input.r#type, &target))
            .await?;
        Ok(topic::DELETE_CONVERSATION.encode_reply(&()))
    }

    /// `qry?Msg` → `HistoryMessagesOuput`: `time` 0 = newest; order 0 = older than `time`,
    /// newest first; order 1 = newer than `time`. `syncTime` is the cursor for the next page.
    pub(super) async fn history(
        &self,
        t: topic::Query<HistoryMsgInput, HistoryMessagesOuput>,
        q: &Query,
    ) -> Reply {
        let types = history_types(t.name()).ok_or(super::UNSUPPORTED)?;
        let input = request(t, q)?;
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
        Ok(t.encode_reply(&reply))
    }

    /// `clean?Msg` (`CleanHisMsgInput`): drop this user's copies up to `dataTime`. A time in
    /// the future is refused with status 1 (the client's 34010).
    pub(super) async fn clean(
        &self,
        t: topic::Query<CleanHisMsgInput, ()>,
        ct: ConversationType,
        q: &Query,
    ) -> Reply {
        let input = request(t, q)?;
        if input.data_time > self.state.clock.now().saturating_add(60_000) {
            return Err(1);
        }
        let ct = input.conversation_type.unwrap_or(ct.value());
        let target = if input.target_id.is_empty() {
            q.target_id.clone()
        } else {
            input.target_id
        };
        let up_to = input.data_time;
        self.store(move |s, u| s.clean_history(u, ct, &target, up_to))
            .await?;
        Ok(t.encode_reply(&()))
    }

    /// `delMsg` (`DeleteMsgInput`) → `DeleteMsgOutput{nothing}`: removes the listed messages
    /// (by `msgId`, or by `msgDataTime` when a message names no UId) from this user's history
    /// and later pulls, on every device; the other party keeps them. 1–100 messages.
    pub(super) async fn delete_messages(&self, q: &Query) -> Reply {
        let input = request(topic::DELETE_MESSAGES, q)?;
        let ct = input.r#type.unwrap_or(ConversationType::Private.value());
        let target = valid_id(
            input
                .conversation_id
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| q.target_id.clone()),
        )?;
        if input.msgs.is_empty() || input.msgs.len() > MAX_DELETE {
            return Err(invalid());
        }
        let messages = input
            .msgs
            .into_iter()
            .map(
                |m| match (m.msg_id.filter(|id| !id.is_empty()), m.msg_data_time) {
                    (Some(uid), _) => Ok(MessageRef::Uid(uid)),
                    (None, Some(time)) => Ok(MessageRef::Time(time)),
                    (None, None) => Err(invalid()),
                },
            )
            .collect::<Result<Vec<_>, _>>()?;
        self.store(move |s, u| s.delete_messages(u, ct, &target, &messages))
            .await?;
        Ok(topic::DELETE_MESSAGES.encode_reply(&DeleteMsgOutput { nothing: 1 }))
    }

    /// The other user of a blacklist QUERY: the id in the request, else the target (1.x
    /// clients sent self as the target, 2.x the other user; api.md §3.7).
    fn other_user(id: String, q: &Query) -> Result<String, u16> {
        valid_id(if id.is_empty() {
            q.target_id.clone()
        } else {
            id
        })
    }

    /// `addBlack` (api.md §3.7).
    pub(super) async fn add_black(&self, q: &Query) -> Reply {
        let other = Self::other_user(request(topic::ADD_BLACK, q)?.user_id, q)?;
        self.store(move |s, u| s.blacklist_add(u, &[other])).await?;
        Ok(topic::ADD_BLACK.encode_reply(&()))
    }

    /// `rmBlack`.
    pub(super) async fn remove_black(&self, q: &Query) -> Reply {
        let other = Self::other_user(request(topic::REMOVE_BLACK, q)?.user_id, q)?;
        self.store(move |s, u| s.blacklist_remove(u, &[other]))
            .await?;
        Ok(topic::REMOVE_BLACK.encode_reply(&()))
    }

    /// `getBlack` → `QueryBlackListOutput`.
    pub(super) async fn black_list(&self) -> Reply {
        let user_ids = self.read_store(|s, u| s.blacklist(u)).await?;
        Ok(topic::BLACKLIST.encode_reply(&QueryBlackListOutput { user_ids }))
    }

    /// `blackStat`: status 0 when the user is blacklisted and 1 (NOT_IN_BLACK_LIST) when not.
    pub(super) async fn black_status(&self, q: &Query) -> Reply {
        let other = Self::other_user(request(topic::BLACKLIST_STATUS, q)?.user_id, q)?;
        let listed = self
            .read_store(move |s, u| s.is_blacklisted(u, &other))
            .await?;
        if listed {
            Ok(topic::BLACKLIST_STATUS.encode_reply(&()))
        } else {
            Err(1)
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
