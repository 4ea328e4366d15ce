//! `pullMsg` (api.md §5.2 "Server:" lines): received messages newer than `syncTime` plus the
//! user's own sent messages newer than `sendBoxSyncTime` (direction 1, `groupId` = target),
//! ascending, bounded in count and bytes, `finished` always set, and another `s_ntf` after a
//! truncated batch because the client does not pull again by itself. A user who set an offline
//! message duration gets nothing older than that from sync. A finished reply also carries the
//! messages that are not stored and came while the client took no `s_msg` (see delivery.rs).

use im_wire::frame::{Qos, Query};
use im_wire::proto::DownStreamMessages;
use im_wire::{topic, ErrorCode};

use super::{code, Session, Step};

use crate::messaging::downstream;
use crate::store::RECEIVED;

impl Session {
    pub(super) async fn pull(&mut self, q: Query) -> Step {
        // The client asks with QoS 1 and expects a QoS 1 QUERYACK it confirms with QUERYCON.
        let qos = if q.qos == Qos::AtMostOnce {
            Qos::AtMostOnce
        } else {
            Qos::AtLeastOnce
        };
        let Ok(req) = topic::PULL.decode_request(&q.payload) else {
            let invalid = code(ErrorCode::BIZ_ERROR_INVALID_PARAMETER);
            return Step::one(self.query_ack(q.msg_id, qos, invalid, vec![]));
        };
        let user = self.user.clone();
        self.synced_up_to(req.sync_time);
        // What this connection sent since (an `s_msg` that crossed this pull) is not sent again.
        let received_after = req.sync_time.max(self.direct.received_up_to);
        // A client that sends no send-box time gets no own messages back.
        let sent_after = req.send_box_sync_time.unwrap_or(i64::MAX);
        let (limit, max_bytes) = (
            self.state.config.pull_batch.max(1),
            self.state.config.pull_max_bytes,
        );
        let now = self.state.clock.now();
        let page = match self
            .state
            .store
            .read(move |s| {
                // Messages older than the user's offline message duration are no longer
                // delivered by sync (setOfflineMsgDur, api.md §3.3); history keeps them.
                let floor = crate::settings::offline_floor(s, &user, now)?;
                s.pull(
                    &user,
                    received_after.max(floor),
                    sent_after.max(floor),
                    limit,
                    max_bytes,
                )
            })
            .await
        {
            Ok(p) => p,
            Err(e) => {
                tracing::error!("{e}");
                let failed = code(ErrorCode::RC_MSG_DATA_INCOMPLETE);
                return Step::one(self.query_ack(q.msg_id, qos, failed, vec![]));
            }
        };
        let newest = page
            .items
            .iter()
            .map(|i| i.message.data_time)
            .max()
            .unwrap_or(received_after)
            .max(received_after);
        let newest_received = page
            .items
            .iter()
            .filter(|i| i.direction == RECEIVED)
            .map(|i| i.message.data_time)
            .max()
            .unwrap_or(0);
        self.direct
            .pulled(received_after, newest_received, !page.more);
        let mut list: Vec<_> = page.items.iter().map(downstream).collect();
        if !page.more {
            // Messages that are not stored and came while the client took no `s_msg`, placed
            // by time among the stored ones (see delivery.rs). The sort is stable, and a held
            // message's time is never one of the stored ones' (one clock gives both).
            list.extend(self.direct.take_held(received_after));
            list.sort_by_key(|m| m.data_time);
        }
        let reply = DownStreamMessages {
            list,
            sync_time: newest,
            finished: Some(!page.more),
        };
        let payload = topic::PULL.encode_reply(&reply);
        if qos == Qos::AtLeastOnce {
            self.pull_unconfirmed = Some((q.msg_id, newest));
        }
        let mut step = Step::one(self.query_ack(q.msg_id, qos, 0, payload));
        if page.more {
            // Newer than anything stored, so the client's "already seen" check never skips it.
            let time = self.state.clock.now().saturating_add(1);
            step.frames.push(self.notify_frame(time));
        }
        step
    }
}
