//! Chatroom entry topics of a connection (api.md §3.6): `setKV` (`SetChrmKV` → `ChrmOutput`),
//! `delKV` (`DeleteChrmKV` → `ChrmOutput`) and `pullKV` (`QueryChrmKV` → `ChrmKVOutput`), target
//! = the room; and the `s_cmd{type 2}` that tells a member to pull (§5.1). The rules are those
//! of [`crate::chatroom::kv`].
//!
//! Statuses: 23406 not a member; 33003 a malformed request, a bad key or value, or a
//! notification without its message; 23424 someone else's entry, not forced; 23423 the room
//! is full; 23427 no such key to delete; 23426 entries are turned off; and a notification
//! message refused as a chatroom message would be (23408 from a muted member, a blocked
//! sensitive word) refuses the whole change. Nothing changes unless the status is 0.
//!
//! `pullKV` answers `ChrmKVOutput{entries, bFullUpdate, syncTime}`: from `timestamp` 0, or from
//! before the deletions the room still remembers, the live entries with `bFullUpdate = true`;
//! otherwise every entry set or deleted after `timestamp` (a deletion has status bit 0x4 and an
//! empty value). Every entry carries status bit 0x2, so the 2.5.3 cache applies it whoever set
//! the key before; `uid` is who set (or deleted) it, `timestamp` when.

use im_wire::frame::Query;
use im_wire::proto::{ChrmKvEntity, ChrmKvOutput, ChrmOutput, NotifyMsg, UpStreamMessage};
use im_wire::{topic, ErrorCode, ServerFrame};

use super::chatroom::{refused, room_id};
use super::query::{failed, invalid, request, Reply};
use super::{code, Session};
use crate::chatroom::kv::{
    valid_key, valid_value, EntryChange, EntryRefusal, AUTO_DELETE, DELETE, MAX_ENTRIES, OVERWRITE,
};
use crate::chatroom::{self, Refusal};
use crate::store::kv::ChatroomEntry;

fn entry_refused(r: EntryRefusal) -> u16 {
    match r {
        EntryRefusal::NotMember => refused(Refusal::NotMember),
        EntryRefusal::NotOwner => code(ErrorCode::CHATROOM_KV_OVERWRITE_INVALID),
        EntryRefusal::Full => code(ErrorCode::CHATROOM_KV_EXCEED),
        EntryRefusal::NoSuchKey => code(ErrorCode::CHATROOM_KEY_NOT_EXIST),
    }
}

fn entity(e: ChatroomEntry) -> ChrmKvEntity {
    let mut status = OVERWRITE;
    if e.auto_delete {
        status |= AUTO_DELETE;
    }
    if e.deleted {
        status |= DELETE;
    }
    ChrmKvEntity {
        key: e.key,
        value: e.value,
        status: Some(status),
        timestamp: Some(e.time),
        uid: Some(e.owner),
    }
}

/// What `setKV` and `delKV` carry (`SetChrmKV` and `DeleteChrmKV` share their layout).
struct Request {
    entry: ChrmKvEntity,
    notify: bool,
    notification: Option<UpStreamMessage>,
}

impl Session {
    /// The most live entries a room may hold, or 23426 when entries are off.
    fn entry_limit(&self) -> Result<usize, u16> {
        match self.state.config.chatroom.kv_entries {
            0 => Err(code(ErrorCode::CHATROOM_KV_STORE_NOT_OPEN)),
            n => Ok(n.min(MAX_ENTRIES)),
        }
    }

    /// `setKV`.
    pub(super) async fn set_entry(&mut self, q: &Query) -> Reply {
        let input = request(topic::SET_CHATROOM_ENTRY, q)?;
        let req = Request {
            entry: input.entry,
            notify: input.b_notify.unwrap_or(false),
            notification: input.notification,
        };
        self.change_entry(q, req, false).await?;
        Ok(topic::SET_CHATROOM_ENTRY.encode_reply(&ChrmOutput { nothing: 1 }))
    }

    /// `delKV`.
    pub(super) async fn delete_entry(&mut self, q: &Query) -> Reply {
        let input = request(topic::DELETE_CHATROOM_ENTRY, q)?;
        let req = Request {
            entry: input.entry,
            notify: input.b_notify.unwrap_or(false),
            notification: input.notification,
        };
        self.change_entry(q, req, true).await?;
        Ok(topic::DELETE_CHATROOM_ENTRY.encode_reply(&ChrmOutput { nothing: 1 }))
    }

    /// Checks a change, has it decided and written, then sends the notification message (if
    /// asked for) and tells the room. Nothing changes unless every check passes.
    async fn change_entry(&mut self, q: &Query, req: Request, delete: bool) -> Result<(), u16> {
        let limit = self.entry_limit()?;
        let room = room_id(&q.target_id)?.to_owned();
        self.member_of(&room)?;
        let status = req.entry.status.unwrap_or(0);
        if !valid_key(&req.entry.key) || !(delete || valid_value(&req.entry.value)) {
            return Err(invalid());
        }
        let notice = if req.notify {
            let up = req.notification.ok_or_else(invalid)?;
            self.check_content_size(&up.content)?;
            Some(self.chatroom_outgoing(&room, &up)?)
        } else {
            None
        };
        let change = EntryChange {
            room: room.clone(),
            user: self.user.clone(),
            key: req.entry.key,
            value: (!delete).then_some(req.entry.value),
            auto_delete: status & AUTO_DELETE != 0,
            force: status & OVERWRITE != 0,
        };
        let rooms = self.state.chatrooms.clone();
        let written = self
            .state
            .store
            .call(move |s| rooms.change_entry(s, &change, limit))
            .await
            .map_err(failed)?
            .map_err(entry_refused)?;
        if let Some(msg) = notice {
            if let Err(e) = chatroom::send(&self.state, msg).await {
                tracing::error!("{e}");
            }
        }
        self.state
            .chatrooms
            .tell_entries_changed(&room, written.time);
        Ok(())
    }

    /// `pullKV`: what changed in the room since `timestamp`; members only.
    pub(super) async fn pull_entries(&self, q: &Query) -> Reply {
        self.entry_limit()?;
        let room = room_id(&q.target_id)?.to_owned();
        self.member_of(&room)?;
        let since = request(topic::PULL_CHATROOM_ENTRIES, q)?.timestamp.max(0);
        let changes = self
            .read_store(move |s, _| s.chatroom_entries_since(&room, since))
            .await?;
        let reply = ChrmKvOutput {
            entries: changes.entries.into_iter().map(entity).collect(),
            b_full_update: Some(changes.full),
            sync_time: Some(changes.sync_time),
        };
        Ok(topic::PULL_CHATROOM_ENTRIES.encode_reply(&reply))
    }

    /// `s_cmd{type: 2, time, chrmId}`: the room's entries changed at `time` (api.md §5.1).
    pub(super) fn entries_notice_frame(&mut self, room: &str, time: i64) -> ServerFrame {
        let ntf = NotifyMsg {
            r#type: 2,
            time: Some(time),
            chrm_id: Some(room.to_owned()),
        };
        self.notice_frame(
            (topic::S_CMD, im_wire::frame::Qos::AtMostOnce),
            room.to_owned(),
            &ntf,
        )
    }
}
