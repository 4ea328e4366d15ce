//! What goes over the bus: the subjects and the messages (protobuf, through prost, so that a
//! malformed message is a decoding error, never a panic).
//!
//! Subjects, under `im.<app>` (the app key, escaped like a user id):
//!
//! | subject | who subscribes | carries |
//! |---|---|---|
//! | `im.<app>.user.<user>` | nodes with a connection of `<user>` | [`ToUser`]: deliveries, logins |
//! | `im.<app>.ctl` | every node | [`Control`]: what a Server API call changed in memory |
//! | `im.<app>.room.<room>` | every node (JetStream stream `IM_ROOMS_<app>`) | [`RoomEvent`] |

use prost::Oneof;

/// A name as one subject token: itself when it is only ASCII letters, digits, `-` and `_`,
/// else `=` and its bytes in hex (NATS subjects cannot hold `.`, `*`, `>` or white space, and
/// `=` never starts a plain token, so the two forms never meet).
pub(crate) fn token(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        name.to_owned()
    } else {
        format!("={}", hex::encode(name))
    }
}

/// The subjects of one application.
#[derive(Clone, Debug)]
pub(crate) struct Subjects {
    prefix: String,
}

impl Subjects {
    pub(crate) fn new(app_key: &str) -> Self {
        Self {
            prefix: format!("im.{}", token(app_key)),
        }
    }

    pub(crate) fn user(&self, user: &str) -> String {
        format!("{}.user.{}", self.prefix, token(user))
    }

    pub(crate) fn control(&self) -> String {
        format!("{}.ctl", self.prefix)
    }

    pub(crate) fn room(&self, room: &str) -> String {
        format!("{}.room.{}", self.prefix, token(room))
    }

    pub(crate) fn rooms(&self) -> String {
        format!("{}.room.>", self.prefix)
    }

    /// The JetStream stream of the application's rooms.
    pub(crate) fn room_stream(&self) -> String {
        format!("IM_ROOMS_{}", hex::encode(&self.prefix))
    }
}

/// A message on a user's subject.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ToUser {
    /// The node that published it.
    #[prost(uint32, tag = "1")]
    pub node: u32,
    /// What it says.
    #[prost(oneof = "UserEvent", tags = "2, 3, 4, 5, 6")]
    pub event: Option<UserEvent>,
}

/// What a user's connections on other nodes are told.
#[derive(Clone, PartialEq, Oneof)]
pub(crate) enum UserEvent {
    /// A stored message is waiting: `s_ntf` with this time (the client pulls).
    #[prost(int64, tag = "2")]
    Notify(i64),
    /// A message that is not stored: the encoded `DownStreamMessage`.
    #[prost(bytes, tag = "3")]
    Direct(Vec<u8>),
    /// A copy of the user's own message sent from another device.
    #[prost(message, tag = "4")]
    Echo(Echo),
    /// The user's settings are now at this version.
    #[prost(int64, tag = "5")]
    Settings(i64),
    /// The user logged in on the publishing node: the multi-device rule applies.
    #[prost(int64, tag = "6")]
    Login(i64),
}

/// [`crate::hub::EchoCopy`] on the bus.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Echo {
    #[prost(string, tag = "1")]
    pub topic: String,
    #[prost(string, tag = "2")]
    pub target_id: String,
    #[prost(bytes = "vec", tag = "3")]
    pub payload: Vec<u8>,
    #[prost(string, tag = "4")]
    pub uid: String,
    #[prost(int64, tag = "5")]
    pub time: i64,
}

/// A message on the control subject.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Control {
    /// The node that published it.
    #[prost(uint32, tag = "1")]
    pub node: u32,
    /// What changed.
    #[prost(oneof = "Change", tags = "2, 3, 4, 5, 6, 7, 8")]
    pub change: Option<Change>,
}

/// What a Server API call changed in a node's memory, for the other nodes to change too.
#[derive(Clone, PartialEq, Oneof)]
pub(crate) enum Change {
    /// `user/token/expire`.
    #[prost(message, tag = "2")]
    Revoke(Users),
    /// `user/block`: `at` is the block's end.
    #[prost(message, tag = "3")]
    Block(Users),
    /// `user/unblock`.
    #[prost(message, tag = "4")]
    Unblock(Users),
    /// Sensitive words or group mutes, bans and whitelists: read them again from the store.
    #[prost(bool, tag = "5")]
    Moderation(bool),
    /// A `chatroom/*` call that changes rooms or their settings, to make in memory (the
    /// calling node stored what is stored).
    #[prost(message, tag = "6")]
    ChatroomApi(ApiCall),
    /// Customer services changed: read them again at their next use.
    #[prost(bool, tag = "7")]
    Services(bool),
    /// A message to every user (`message/broadcast`): each node tells its online users.
    #[prost(message, tag = "8")]
    Broadcast(Broadcast),
}

/// Users and a time.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Users {
    #[prost(string, repeated, tag = "1")]
    pub users: Vec<String>,
    #[prost(int64, tag = "2")]
    pub at: i64,
}

/// A Server API call: its path (after the endpoint's prefix) and its form.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ApiCall {
    #[prost(string, tag = "1")]
    pub path: String,
    #[prost(string, repeated, tag = "2")]
    pub keys: Vec<String>,
    #[prost(string, repeated, tag = "3")]
    pub values: Vec<String>,
}

/// A broadcast's announcement.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Broadcast {
    /// The sender, who is not told.
    #[prost(string, tag = "1")]
    pub from: String,
    /// The stored message's time.
    #[prost(int64, tag = "2")]
    pub time: i64,
    /// For a message that is not stored, the encoded `DownStreamMessage`; else empty.
    #[prost(bytes = "vec", tag = "3")]
    pub direct: Vec<u8>,
}

/// A chatroom message, on its room's subject of the rooms' stream.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct RoomEvent {
    /// The node that published it.
    #[prost(uint32, tag = "1")]
    pub node: u32,
    /// The publishing node's number for it, to find its waiting sender.
    #[prost(uint64, tag = "2")]
    pub seq: u64,
    #[prost(string, tag = "3")]
    pub room: String,
    #[prost(string, tag = "4")]
    pub from: String,
    #[prost(string, tag = "5")]
    pub object_name: String,
    #[prost(bytes = "vec", tag = "6")]
    pub content: Vec<u8>,
    #[prost(uint32, tag = "7")]
    pub tag: u32,
    #[prost(bool, tag = "8")]
    pub include_sender: bool,
    /// The time the publishing node's clock gave it; members see it no earlier than the
    /// room's newest message plus one.
    #[prost(int64, tag = "9")]
    pub time: i64,
    /// Its UId, made by the publishing node.
    #[prost(string, tag = "10")]
    pub uid: String,
}

/// Decodes a bus message; `None` (logged) if it is malformed.
pub(crate) fn decode<M: prost::Message + Default>(subject: &str, bytes: &[u8]) -> Option<M> {
    match M::decode(bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::warn!(subject, error = %e, "malformed bus message dropped");
            None
        }
    }
}

/// Encodes a bus message.
pub(crate) fn encode(m: &impl prost::Message) -> Vec<u8> {
    m.encode_to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_single_tokens_that_never_collide() {
        assert_eq!(token("alice_01-x"), "alice_01-x");
        assert_eq!(token("a.b"), "=612e62");
        assert_eq!(token(""), "=");
        assert_eq!(token("*"), "=2a");
        assert_ne!(token("=612e62"), token("a.b"));
        let s = Subjects::new("k.ey");
        assert_eq!(s.user("u>1"), "im.=6b2e6579.user.=753e31");
    }

    #[test]
    fn malformed_bus_messages_are_refused_not_panicked_on() {
        let good = encode(&ToUser {
            node: 3,
            event: Some(UserEvent::Notify(7)),
        });
        assert_eq!(
            decode::<ToUser>("s", &good).and_then(|m| m.event),
            Some(UserEvent::Notify(7))
        );
        for bad in [&[0xff_u8, 0xff, 0xff][..], &[0x12, 0x05, 1], &[0x22, 0x80]] {
            assert!(decode::<ToUser>("s", bad).is_none());
            assert!(decode::<Control>("s", bad).is_none());
            assert!(decode::<RoomEvent>("s", bad).is_none());
        }
    }
}
