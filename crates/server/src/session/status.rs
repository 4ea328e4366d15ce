//! User status topics (api.md §3.8), all with target = self as 2.5.3 sends them:
//! `setUserStatus`, `getUserStatus` and `subUserStatus`; and the connection's part in the
//! status table ([`crate::hub::status`]): online on its first connection, offline after its last.
//!
//! Choices where the documents are silent:
//! - `getUserStatus` answers the status of the QUERY's target, which 2.5.3 always sets to the
//!   caller itself; `subUserId` names that user.
//! - `subUserStatus` adds to what the connection already watches (the 2.5.3 watcher table only
//!   grows as well), and each newly watched user's current status follows at once as an
//!   `s_stat` (RongCloud's later online-status subscription does the same). A call that would
//!   take the connection over 1,000 watched users, or a user over 5,000 watching connections
//!   (RongCloud's documented caps), is refused as a whole with 39001 (SUBSCRIBE_ERROR); one that
//!   names an invalid id with 33003 (BIZ_ERROR_INVALID_PARAMETER).
//! - What a closed connection watched is kept for an hour, and the user's next connection
//!   watches it from its start (see [`crate::hub::status`]).

use im_wire::frame::Query;
use im_wire::{topic, ErrorCode};

use super::query::{request, valid_id, Reply};
use super::{code, Session};
use crate::hub::status::{UserStatus, MAX_SUBSCRIPTIONS};
use crate::hub::Outbound;
use crate::server::State;

/// The status of each of `users`: live for the online ones, stored for the others.
async fn statuses(state: &State, users: Vec<String>) -> Result<Vec<(String, UserStatus)>, u16> {
    let mut out = Vec::with_capacity(users.len());
    let mut offline = Vec::new();
    for u in users {
        match state.presence.online(&u) {
            Some(s) => out.push((u, s)),
            None => offline.push(u),
        }
    }
    if offline.is_empty() {
        return Ok(out);
    }
    let stored = {
        let offline = offline.clone();
        state
            .store
            .read(move |s| s.user_statuses(&offline))
            .await
            .map_err(super::query::failed)?
    };
    let stored: std::collections::HashMap<String, i32> = stored.into_iter().collect();
    for u in offline {
        let status = stored.get(&u).copied().unwrap_or(0);
        out.push((
            u,
            UserStatus {
                online: false,
                status,
            },
        ));
    }
    Ok(out)
}

/// Connection `conn` of `user` is open: marks them online with their stored status, and takes
/// over what the user's closed connections watched (2.5.3 does not subscribe again after a
/// reconnect); the current status of each of those users follows at once, as after a subscribe.
pub(super) async fn connected(state: &State, user: &str, conn: u64) {
    let status = match statuses(state, vec![user.to_owned()]).await {
        Ok(s) => s.first().map_or(0, |(_, s)| s.status),
        Err(_) => 0,
    };
    state.presence.connected(user, status);
    let Some(tx) = state.hub.sender(user, conn) else {
        return;
    };
    let adopted = state.presence.adopt(user, conn, &tx, state.clock.now());
    if adopted.is_empty() {
        return;
    }
    let Ok(found) = statuses(state, adopted).await else {
        return;
    };
    for (watched, status) in found {
        let payload = status.payload(&watched);
        let _ = tx.try_send(Outbound::UserStatus {
            user: watched.into(),
            payload: payload.into(),
        });
    }
}

impl Session {
    /// `setUserStatus` (`SetUserStatusInput{status}`, absent = 0): stored, then announced.
    pub(super) async fn set_user_status(&self, q: &Query) -> Reply {
        let status = request(topic::SET_USER_STATUS, q)?.status.unwrap_or(0);
        self.store(move |s, u| s.set_user_status(u, status)).await?;
        self.state.presence.set_status(&self.user, status);
        Ok(topic::SET_USER_STATUS.encode_reply(&()))
    }

    /// `getUserStatus` → `GetUserStatusOutput{status: JSON, subUserId}` of the target.
    pub(super) async fn user_status(&self, q: &Query) -> Reply {
        request(topic::USER_STATUS, q)?;
        let user = if q.target_id.is_empty() {
            self.user.clone()
        } else {
            valid_id(q.target_id.clone())?
        };
        let found = statuses(&self.state, vec![user.clone()]).await?;
        let status = found.first().map(|(_, s)| *s).unwrap_or_default();
        Ok(status.payload(&user))
    }

    /// `subUserStatus` (`SubUserStatusInput{userid}`): this connection watches these users too.
    pub(super) async fn subscribe_user_status(&self, q: &Query) -> Reply {
        let ids = request(topic::SUBSCRIBE_USER_STATUS, q)?.userid;
        let too_many = code(ErrorCode::SUBSCRIBE_ERROR);
        if ids.len() > MAX_SUBSCRIPTIONS {
            return Err(too_many);
        }
        let ids = ids
            .into_iter()
            .map(valid_id)
            .collect::<Result<Vec<_>, _>>()?;
        let tx = self
            .state
            .hub
            .sender(&self.user, self.conn_id)
            .ok_or(too_many)?;
        let added = self
            .state
            .presence
            .subscribe(self.conn_id, &tx, &ids)
            .map_err(|_| too_many)?;
        for (user, status) in statuses(&self.state, added).await? {
            let payload = status.payload(&user);
            let _ = tx.try_send(Outbound::UserStatus {
                user: user.into(),
                payload: payload.into(),
            });
        }
        Ok(topic::SUBSCRIBE_USER_STATUS.encode_reply(&()))
    }
}
