//! Routing shared by the socket and the Server API: who gets a message, storing it, and telling
//! online connections (api.md §4–§5).
//!
//! Persisted messages (MessageTag bit 0) are committed with one inbox entry per recipient, then
//! each online recipient gets an `s_ntf`; the sender's other devices get a sync copy. Messages
//! that are not persisted (typing status, commands, receipts) go to online connections only, as
//! `s_msg`, and are never stored.

use im_wire::content::{MentionedInfo, MessageContent};
use im_wire::enums::{downstream_status, ConversationType};
use im_wire::proto::{self, DownStreamMessage, UpStreamMessage};
use im_wire::{topic, MessageTag};

use std::sync::Arc;

use crate::bus::Bus;
use crate::hub::{EchoCopy, Hub, Outbound};
use crate::server::State;
use crate::store::{Delivery, InboxItem, Message, StoreError, RECEIVED, SENT};

/// Largest message content, in bytes, on every send path: the Server API's 128 KB
/// (server-api.md §2.2) and the client's own limit (api.md §4.5).
pub const MAX_CONTENT_BYTES: usize = 128 * 1024;

/// Where a sync copy for the sender's other devices comes from (transport.md §5.6).
#[derive(Clone, Debug)]
pub struct EchoSource {
    /// The PUBLISH topic as sent.
    pub topic: String,
    /// The PUBLISH targetId as sent.
    pub target_id: String,
    /// The `UpStreamMessage` bytes as sent.
    pub payload: Vec<u8>,
    /// The sending connection, which gets a PUBACK instead.
    pub conn: u64,
}

/// A message ready to route.
#[derive(Clone, Debug, Default)]
pub struct Outgoing {
    /// Conversation type.
    pub conv_type: i32,
    /// Sender.
    pub from: String,
    /// Target as addressed by the sender: peer id or group id.
    pub target: String,
    /// objectName.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags.
    pub tag: MessageTag,
    /// Push text.
    pub push_text: Option<String>,
    /// Push data.
    pub app_data: Option<String>,
    /// Recipients and whether each is @mentioned.
    pub recipients: Vec<(String, bool)>,
    /// Record the message in the sender's sent box and tell the sender's devices.
    pub include_sender: bool,
    /// Sync copy source, for messages sent from a client connection.
    pub echo: Option<EchoSource>,
    /// Refuse the message if this user has blacklisted the sender; checked in the same store
    /// call that stores the message, so a send costs one trip to the store.
    pub unless_blacklisted_by: Option<String>,
    /// The sender's client message id (protocol-additions.md §7): a persisted message sent
    /// with an id already stored is answered with the first one's UId and time, and neither
    /// stored nor delivered again.
    pub client_id: Option<String>,
}

impl Outgoing {
    /// The message, without UId and time until the store gives them.
    fn message(&self) -> Message {
        Message {
            conv_type: self.conv_type,
            from_user: self.from.clone(),
            target_id: self.target.clone(),
            object_name: self.object_name.clone(),
            content: self.content.clone(),
            tag: self.tag.0,
            push_text: self.push_text.clone(),
            app_data: self.app_data.clone(),
            ..Message::default()
        }
    }

    /// The message as routed without being stored (a type that is not persisted): a fresh time
    /// and UId from `clock`.
    fn unstored(&self, clock: &crate::clock::Clock) -> Message {
        let time = clock.next();
        Message {
            uid: clock.uid(time),
            data_time: time,
            ..self.message()
        }
    }
}

/// Why a message was not routed.
#[derive(Debug)]
pub enum RouteError {
    /// The recipient named in [`Outgoing::unless_blacklisted_by`] blacklisted the sender.
    Blacklisted,
    /// Storage failed.
    Store(StoreError),
}

impl From<StoreError> for RouteError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// The result of routing: the message's UId and time, for the PUBACK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// Message UId.
    pub uid: String,
    /// Server time in ms.
    pub time: i64,
}

/// Whether recipients see the conversation under the target id (groups and the like) rather
/// than under the sender's id (one-to-one types).
pub fn is_group_like(conv_type: i32) -> bool {
    matches!(
        ConversationType::from_value(conv_type),
        Some(ConversationType::Discussion | ConversationType::Group | ConversationType::ChatRoom)
    )
}

/// Who a content's `mentionedInfo` names (api.md §6.1): type 1 = everyone, 2 = `userIdList`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mention {
    /// Nobody.
    None,
    /// Every recipient.
    All,
    /// The listed users.
    Users(Vec<String>),
}

impl Mention {
    /// Reads `mentionedInfo` from a content through the typed content codec: the built-in
    /// types that carry it (api.md §6.1) and any custom objectName whose JSON has the key.
    /// Anything malformed mentions nobody.
    pub fn from_content(object_name: &str, content: &[u8]) -> Self {
        let Ok(decoded) = MessageContent::decode(object_name, content) else {
            return Self::None;
        };
        let custom;
        let info = match &decoded {
            MessageContent::Unknown(u) => {
                custom = u
                    .json
                    .get("mentionedInfo")
                    .and_then(|v| im_wire::json::from_value::<MentionedInfo>(v.clone()).ok());
                custom.as_ref()
            }
            known => known.mentioned_info(),
        };
        match info {
            Some(i) if i.r#type == Some(MentionedInfo::ALL) => Self::All,
            Some(i) if i.r#type == Some(MentionedInfo::PART) => Self::Users(i.user_ids().to_vec()),
            _ => Self::None,
        }
    }

    /// Whether `user` is mentioned.
    pub fn includes(&self, user: &str) -> bool {
        match self {
            Self::None => false,
            Self::All => true,
            Self::Users(list) => list.iter().any(|u| u == user),
        }
    }
}

/// The send topic of a conversation type whose echo the client maps back to that type
/// (transport.md §5.6, api.md §5.1).
fn api_echo_topic(conv_type: i32) -> Option<&'static str> {
    let ct = ConversationType::from_value(conv_type)?;
    let t = topic::send_topic(ct)?;
    (topic::conversation_type_of_echo(t) == Some(ct)).then_some(t)
}

/// The `DownStreamMessage` a user receives for an inbox item (api.md §5.4 "Server:" line).
pub fn downstream(item: &InboxItem) -> DownStreamMessage {
    downstream_of(
        &item.message,
        item.direction,
        &item.conv_target,
        item.mentioned,
    )
}

/// The `DownStreamMessage` of `m` for a user who sees it in `direction` under `conv_target`.
fn downstream_of(
    m: &Message,
    direction: u8,
    conv_target: &str,
    mentioned: bool,
) -> DownStreamMessage {
    let mut status = 0;
    if m.recalled {
        status |= downstream_status::RETRIEVED;
    }
    if mentioned {
        status |= downstream_status::MENTIONED;
    }
    let sent = direction == SENT;
    DownStreamMessage {
        from_user_id: m.from_user.clone(),
        r#type: m.conv_type,
        group_id: (sent || is_group_like(m.conv_type)).then(|| conv_target.to_owned()),
        classname: m.object_name.clone(),
        content: m.content.clone(),
        data_time: m.data_time,
        status,
        extra: None,
        msg_id: Some(m.uid.clone()),
        direction: sent.then_some(1),
    }
}

fn recipient_target(out: &Outgoing) -> String {
    if is_group_like(out.conv_type) {
        out.target.clone()
    } else {
        out.from.clone()
    }
}

/// What the store call of [`route`] did.
enum Insert {
    /// Stored the message.
    New(Message),
    /// Found a message of the same sender and client id: its UId and time.
    Repeat((String, i64)),
}

/// Stores (if persisted) and delivers a message.
pub async fn route(state: &State, out: Outgoing) -> Result<Sent, RouteError> {
    let conv_target = recipient_target(&out);
    let mut deliveries: Vec<Delivery> = out
        .recipients
        .iter()
        .map(|(user, mentioned)| Delivery {
            user_id: user.clone(),
            conv_target: conv_target.clone(),
            direction: RECEIVED,
            mentioned: *mentioned,
        })
        .collect();
    let sender_copy = out.include_sender || out.echo.is_some();
    if sender_copy {
        deliveries.push(Delivery {
            user_id: out.from.clone(),
            conv_target: out.target.clone(),
            direction: SENT,
            mentioned: false,
        });
    }
    if out.tag.is_persisted() {
        let mut msg = out.message();
        let copies = deliveries.clone();
        let client_id = out.client_id.clone();
        let check = out
            .unless_blacklisted_by
            .clone()
            .map(|u| (u, out.from.clone()));
        let announcer = state.announcer.clone();
        // The look-up runs in the same call as the insert, on the one writing thread: of two
        // sends with the same client id, the second finds the first even before it committed.
        // The message is handed to the announcer from that thread once it committed, so
        // every connection's queue holds stored messages in the order of their times (which
        // direct delivery relies on, see crate::session).
        let stored = state
            .store
            .call_then(
                move |s| {
                    if let Some(id) = &client_id {
                        if let Some(first) = s.sent_with_client_id(&msg.from_user, id)? {
                            return Ok(Some(Insert::Repeat(first)));
                        }
                    }
                    match check {
                        Some((owner, from)) if s.is_blacklisted(&owner, &from)? => Ok(None),
                        _ => {
                            s.insert_message(&mut msg, &copies, client_id.as_deref())?;
                            Ok(Some(Insert::New(msg)))
                        }
                    }
                },
                move |inserted| {
                    if let Some(Insert::New(stored)) = inserted {
                        announcer.announce(out, stored, deliveries);
                    }
                },
            )
            .await?
            .ok_or(RouteError::Blacklisted)?;
        return Ok(match stored {
            Insert::New(m) => Sent {
                uid: m.uid,
                time: m.data_time,
            },
            Insert::Repeat((uid, time)) => Sent { uid, time },
        });
    }
    let stored = {
        if let Some(owner) = out.unless_blacklisted_by.clone() {
            let from = out.from.clone();
            if state
                .store
                .read(move |s| s.is_blacklisted(&owner, &from))
                .await?
            {
                return Err(RouteError::Blacklisted);
            }
        }
        out.unstored(&state.clock)
    };
    notify(&state.hub, &state.bus, &out, &stored, &deliveries);
    Ok(Sent {
        uid: stored.uid,
        time: stored.data_time,
    })
}

/// Stores (if persisted) and delivers a message to every user of the app but its sender
/// ([`crate::store::AudienceStore::insert_broadcast`]; `out.recipients` is ignored): online
/// users are told at once, the others pull it at their next sync. A message that is not
/// persisted reaches online users only. Returns the message and how many users it reached.
pub async fn route_to_everyone(state: &State, out: Outgoing) -> Result<(Sent, usize), RouteError> {
    let online: Vec<String> = state
        .hub
        .online_users()
        .into_iter()
        .filter(|u| *u != out.from)
        .collect();
    let deliveries: Vec<Delivery> = online
        .iter()
        .map(|user_id| Delivery {
            user_id: user_id.clone(),
            conv_target: recipient_target(&out),
            direction: RECEIVED,
            mentioned: false,
        })
        .collect();
    let out = Outgoing {
        include_sender: false,
        echo: None,
        ..out
    };
    let (from, persisted, target) = (
        out.from.clone(),
        out.tag.is_persisted(),
        recipient_target(&out),
    );
    let (stored, count) = if out.tag.is_persisted() {
        let mut msg = out.message();
        let announcer = state.announcer.clone();
        // Handed on from the writing thread after the commit, as in [`route`].
        state
            .store
            .call_then(
                move |s| {
                    let count = s.insert_broadcast(&mut msg, &online)?;
                    Ok((msg, count))
                },
                move |(stored, _)| announcer.announce(out, stored, deliveries),
            )
            .await?
    } else {
        let stored = out.unstored(&state.clock);
        notify(&state.hub, &state.bus, &out, &stored, &deliveries);
        (stored, online.len())
    };
    if state.bus.is_on() {
        // The other nodes tell their own online users.
        let direct = if persisted {
            Vec::new()
        } else {
            proto::encode(&downstream_of(&stored, RECEIVED, &target, false))
        };
        state.bus.control(crate::bus::wire::Change::Broadcast(
            crate::bus::wire::Broadcast {
                from,
                time: stored.data_time,
                direct,
            },
        ));
    }
    Ok((
        Sent {
            uid: stored.uid,
            time: stored.data_time,
        },
        count,
    ))
}

/// Tells the hub about stored messages in the order of their commits, on a task of its own:
/// the writing store thread hands each message over right after its commit (a channel send),
/// and the encoding and the queueing happen here, off that thread.
#[derive(Clone, Debug)]
pub struct Announcer(tokio::sync::mpsc::UnboundedSender<(Outgoing, Message, Vec<Delivery>)>);

impl Announcer {
    /// Starts the announcing task (on the current tokio runtime) for `hub`, and for the
    /// connections of other nodes through `bus` (in the same order).
    pub fn spawn(hub: Arc<Hub>, bus: Bus) -> Self {
        let (tx, mut rx) =
            tokio::sync::mpsc::unbounded_channel::<(Outgoing, Message, Vec<Delivery>)>();
        tokio::spawn(async move {
            while let Some((out, stored, deliveries)) = rx.recv().await {
                notify(&hub, &bus, &out, &stored, &deliveries);
            }
        });
        Self(tx)
    }

    /// Hands over a stored message: its routing, and its stored form, whose parts it takes but
    /// the UId and time (the caller's PUBACK needs those).
    fn announce(&self, out: Outgoing, stored: &mut Message, deliveries: Vec<Delivery>) {
        let message = std::mem::take(stored);
        stored.uid.clone_from(&message.uid);
        stored.data_time = message.data_time;
        // Only fails once the runtime is shutting down.
        let _ = self.0.send((out, message, deliveries));
    }
}

/// Tells the recipients' connections and the sender's other devices about a routed message,
/// here and, through `bus`, on other nodes.
fn notify(hub: &Hub, bus: &Bus, out: &Outgoing, stored: &Message, deliveries: &[Delivery]) {
    crate::metrics::message_published();
    let persisted = out.tag.is_persisted();
    // One encoding per (target, mention) met: every recipient of a message but the mentioned
    // ones shares one.
    let mut encoded: Vec<(&str, bool, Vec<u8>)> = Vec::new();
    for d in deliveries.iter().filter(|d| d.direction == RECEIVED) {
        let known = encoded
            .iter()
            .find(|(t, m, _)| *t == d.conv_target && *m == d.mentioned)
            .map(|(_, _, p)| p.clone());
        let payload = known.unwrap_or_else(|| {
            let m = downstream_of(stored, RECEIVED, &d.conv_target, d.mentioned);
            let p = proto::encode(&m);
            encoded.push((&d.conv_target, d.mentioned, p.clone()));
            p
        });
        let msg = if persisted {
            Outbound::Message {
                time: stored.data_time,
                payload,
            }
        } else {
            Outbound::Direct(payload)
        };
        bus.send(&d.user_id, &msg);
        hub.send(&d.user_id, None, msg);
    }
    match &out.echo {
        Some(echo) => {
            let copy = Outbound::Echo(Box::new(EchoCopy {
                topic: echo.topic.clone(),
                target_id: echo.target_id.clone(),
                payload: echo.payload.clone(),
                uid: stored.uid.clone(),
                time: stored.data_time,
            }));
            bus.send(&out.from, &copy);
            hub.send(&out.from, Some(echo.conn), copy);
        }
        None if out.include_sender && persisted => {
            // A Server API message with isIncludeSender=1 reaches the sender's devices as if
            // another device of theirs had sent it; types without a client send topic that the
            // client maps back (system messages) are pulled after an s_ntf instead.
            // A recall is echoed on `recallMsg` addressed to the sender, as a client sends it.
            let echo = if out.object_name == "RC:RcCmd" {
                Some((topic::RECALL_MSG, out.from.clone()))
            } else {
                api_echo_topic(out.conv_type).map(|t| (t, out.target.clone()))
            };
            let copy = match echo {
                Some((topic, target_id)) => Outbound::Echo(Box::new(EchoCopy {
                    topic: topic.to_owned(),
                    target_id,
                    payload: proto::encode(&UpStreamMessage {
                        session_id: out.tag.session_id(),
                        classname: out.object_name.clone(),
                        content: out.content.clone(),
                        push_text: out.push_text.clone(),
                        app_data: out.app_data.clone(),
                        ..UpStreamMessage::default()
                    }),
                    uid: stored.uid.clone(),
                    time: stored.data_time,
                })),
                None => Outbound::Notify {
                    time: stored.data_time,
                },
            };
            bus.send(&out.from, &copy);
            hub.send(&out.from, None, copy);
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentioned_info_names_everyone_or_a_list() {
        let all = Mention::from_content(
            "RC:TxtMsg",
            br#"{"content":"x","mentionedInfo":{"type":1}}"#,
        );
        assert!(all.includes("anyone"));
        let some = Mention::from_content(
            "RC:ImgMsg",
            br#"{"mentionedInfo":{"type":2,"userIdList":["a","b"],"mentionedContent":""}}"#,
        );
        assert!(some.includes("a") && !some.includes("c"));
        let custom = Mention::from_content(
            "App:Custom",
            br#"{"mentionedInfo":{"type":2,"userIdList":["x"]}}"#,
        );
        assert!(custom.includes("x"));
        assert_eq!(
            Mention::from_content("RC:TxtMsg", b"not json"),
            Mention::None
        );
        assert_eq!(
            Mention::from_content("RC:TxtMsg", br#"{"mentionedInfo":{"type":"1"}}"#),
            Mention::None
        );
    }

    #[test]
    fn api_echoes_use_topics_the_client_maps_back() {
        assert_eq!(api_echo_topic(1), Some("ppMsgP"));
        assert_eq!(api_echo_topic(3), Some("pgMsgP"));
        assert_eq!(api_echo_topic(6), None);
        assert_eq!(api_echo_topic(7), None);
        assert_eq!(api_echo_topic(99), None);
    }

    #[test]
    fn own_messages_carry_direction_and_target() {
        let item = InboxItem {
            message: Message {
                uid: "U".into(),
                data_time: 5,
                conv_type: 1,
                from_user: "me".into(),
                target_id: "peer".into(),
                object_name: "RC:TxtMsg".into(),
                content: b"{}".to_vec(),
                tag: 3,
                recalled: true,
                ..Message::default()
            },
            direction: SENT,
            conv_target: "peer".into(),
            mentioned: false,
        };
        let d = downstream(&item);
        assert_eq!(d.direction, Some(1));
        assert_eq!(d.group_id.as_deref(), Some("peer"));
        assert_eq!(d.status, downstream_status::RETRIEVED);
    }
}
