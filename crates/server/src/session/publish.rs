//! Client PUBLISH (api.md §4, transport.md §5.3): decode the `UpStreamMessage`, check the
//! sender's right to send, route, and answer with a full PUBACK carrying the messageUId and the
//! server time — only after the message is committed.

use im_wire::content::MessageContent;
use im_wire::enums::ConversationType;
use im_wire::frame::{ClientPublish, ServerPubAck};
use im_wire::proto::{self, UpStreamMessage};
use im_wire::{topic, ErrorCode, MessageTag};

use super::refusal::Reason;
use super::services::Served;
use super::{code, Session, UNSUPPORTED};
use crate::messaging::{is_group_like, route, EchoSource, Mention, Outgoing, RouteError};
use crate::token::MAX_USER_ID_LEN;

/// `SyncReadStatusMessage`: the read position, synced to the sender's own devices (api.md §4.7).
const SYNC_READ_STATUS: &str = "RC:SRSMsg";

/// The longest `UpStreamMessage.clientMsgId` accepted (protocol-additions.md §7).
const MAX_CLIENT_ID_LEN: usize = 64;

/// A message stored earlier under the same client message id: its UId and time.
struct Repeat(String, i64);

/// The client message id of a send, when it has one that counts.
#[derive(Default)]
struct ClientId {
    id: Option<String>,
    repeat: Option<Repeat>,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_USER_ID_LEN
}

/// The conversation named inside an `RC:RcCmd` content (api.md §3.2).
struct RecallTarget {
    uid: String,
    conv_type: i32,
    target: String,
}

fn recall_target(object_name: &str, content: &[u8]) -> Option<RecallTarget> {
    let MessageContent::RecallCommand(cmd) = MessageContent::decode(object_name, content).ok()?
    else {
        return None;
    };
    Some(RecallTarget {
        uid: cmd.message_uid?,
        conv_type: i32::try_from(cmd.conversation_type?).ok()?,
        target: cmd.target_id?,
    })
}

impl Session {
    pub(super) async fn publish(&mut self, p: ClientPublish) -> ServerPubAck {
        match self.route_publish(&p).await {
            Ok((uid, time)) => {
                ServerPubAck::new(p.msg_id, 0, u64::try_from(time).unwrap_or(0), uid)
            }
            Err(status) => ServerPubAck::new(
                p.msg_id,
                status,
                u64::try_from(self.state.clock.now()).unwrap_or(0),
                "",
            ),
        }
    }

    async fn route_publish(&mut self, p: &ClientPublish) -> Result<(String, i64), u16> {
        let invalid = code(ErrorCode::BIZ_ERROR_INVALID_PARAMETER);
        let up: UpStreamMessage = proto::decode(&p.payload).map_err(|_| invalid)?;
        self.check_content_size(&up.content)?;
        if !valid_id(&p.target_id) || up.classname.is_empty() || up.classname.len() > 64 {
            return Err(invalid);
        }
        let tag = MessageTag::from_session_id(up.session_id);
        let client_id = self.client_id(&up, tag).await?;
        if let Some(Repeat(uid, time)) = client_id.repeat {
            return Ok((uid, time));
        }
        let mut out = Outgoing {
            from: self.user.clone(),
            target: p.target_id.clone(),
            object_name: up.classname.clone(),
            content: up.content.clone(),
            tag,
            push_text: up.push_text.clone(),
            app_data: up.app_data.clone(),
            echo: Some(EchoSource {
                topic: p.topic.clone(),
                target_id: p.target_id.clone(),
                payload: p.payload.clone(),
                conn: self.conn_id,
            }),
            client_id: client_id.id,
            ..Outgoing::default()
        };
        let own_read_status = up.classname == SYNC_READ_STATUS;
        match p.topic.as_str() {
            "ppMsgP" => self.one_to_one(&mut out, ConversationType::Private, &up),
            "pcMsgP" | topic::CUSTOMER_SERVICE_METHOD => {
                // A registered customer service or an agent's session (session/services.rs).
                let served = if p.topic == "pcMsgP" {
                    self.serve_customer(&mut out).await?
                } else {
                    self.agent_reply(&mut out).await?
                };
                match served {
                    Served::Done(uid, time) => return Ok((uid, time)),
                    Served::Routed => {}
                    Served::No => self.one_to_one(&mut out, ConversationType::CustomerService, &up),
                }
            }
            "pgMsgP" => self.group(&mut out, &up).await?,
            topic::RECALL_MSG => self.recall(&mut out, &up).await?,
            "pdMsgP" => self.discussion_message(&mut out, &up.user_id).await?,
            "pmcMsgN" | "pmpMsgN" => self.public_service(&mut out, &p.topic),
            _ => return Err(UNSUPPORTED),
        }
        if own_read_status {
            // Read status is for the sender's other devices only (the sync copy), whatever the
            // conversation; no other party receives it, so no blacklist applies.
            out.recipients.clear();
            out.unless_blacklisted_by = None;
        }
        self.state
            .moderation
            .review_outgoing(&mut out)
            .map_err(code)?;
        let sent = route(&self.state, out).await.map_err(|e| match e {
            RouteError::Blacklisted => self.blacklisted(),
            RouteError::Store(e) => {
                tracing::error!("{e}");
                code(ErrorCode::MSG_INSERT_ERROR)
            }
        })?;
        Ok((sent.uid, sent.time))
    }

    /// The client message id of a persisted message (protocol-additions.md §7), and the
    /// message already stored under it. A repeat is answered before any other check: the first
    /// send passed them, and what they look at (membership, blacklist, mutes) may have changed
    /// since. Two sends racing with one id are settled by `route`, in the store call.
    async fn client_id(&self, up: &UpStreamMessage, tag: MessageTag) -> Result<ClientId, u16> {
        let Some(id) = up.client_msg_id.clone().filter(|id| !id.is_empty()) else {
            return Ok(ClientId::default());
        };
        if id.len() > MAX_CLIENT_ID_LEN {
            return Err(code(ErrorCode::BIZ_ERROR_INVALID_PARAMETER));
        }
        if !tag.is_persisted() {
            // Not stored, so nothing to find it by later: delivered at least once.
            return Ok(ClientId::default());
        }
        let (user, key) = (self.user.clone(), id.clone());
        let repeat = self
            .state
            .store
            .read(move |s| s.sent_with_client_id(&user, &key))
            .await
            .map_err(|_| code(ErrorCode::MSG_INSERT_ERROR))?
            .map(|(uid, time)| Repeat(uid, time));
        Ok(ClientId {
            id: Some(id),
            repeat,
        })
    }

    /// Private and customer-service messages, persisted or not (status messages): one
    /// recipient, or the directional list ∩ it; refused when the recipient blacklisted the
    /// sender.
    fn one_to_one(&self, out: &mut Outgoing, conv: ConversationType, up: &UpStreamMessage) {
        out.conv_type = conv.value();
        let target = out.target.clone();
        out.unless_blacklisted_by = Some(target.clone());
        if up.user_id.is_empty() || up.user_id.contains(&target) {
            out.recipients = vec![(target, false)];
        }
    }

    /// PUBACK 405: the recipient blacklisted the sender.
    fn blacklisted(&mut self) -> u16 {
        self.refusal(Reason::Blacklisted);
        code(ErrorCode::REJECTED_BY_BLACKLIST)
    }

    /// Messages to a public service (`pmcMsgN` type 7, `pmpMsgN` type 8; api.md §1.2): the
    /// account of that id receives them like a private message, under the sender's id. The
    /// client cannot map an echo of these topics back to the type (api.md §5.1), so the
    /// sender's other devices pull their copy after an `s_ntf` instead.
    fn public_service(&self, out: &mut Outgoing, topic: &str) {
        out.conv_type = topic::conversation_type_of_send_topic(topic)
            .unwrap_or(ConversationType::PublicService)
            .value();
        out.recipients = vec![(out.target.clone(), false)];
        // The account is a user like any other, and its blacklist holds.
        out.unless_blacklisted_by = Some(out.target.clone());
        out.echo = None;
        out.include_sender = true;
    }

    /// Group messages: members only (api.md §3.2 errors), @mentions per recipient.
    async fn group(&self, out: &mut Outgoing, up: &UpStreamMessage) -> Result<(), u16> {
        out.conv_type = ConversationType::Group.value();
        let group = out.target.clone();
        let members = self
            .state
            .store
            .read(move |s| s.members(&group))
            .await
            .map_err(|_| code(ErrorCode::MSG_INSERT_ERROR))?;
        if !members.contains(&self.user) {
            return Err(code(ErrorCode::NOT_IN_GROUP));
        }
        self.state
            .moderation
            .check_group_send(&out.target, &self.user, crate::clock::wall_ms())
            .map_err(code)?;
        let mention = if out.tag.is_mentioned() {
            Mention::from_content(&out.object_name, &out.content)
        } else {
            Mention::None
        };
        out.recipients = members
            .into_iter()
            .filter(|m| *m != self.user && (up.user_id.is_empty() || up.user_id.contains(m)))
            .map(|m| {
                let mentioned = mention.includes(&m);
                (m, mentioned)
            })
            .collect();
        Ok(())
    }

    /// `recallMsg`: the target is the sender; the conversation is in the RC:RcCmd content. A
    /// recall in a one-to-one conversation is refused, and recalls nothing, when the peer
    /// blacklisted the sender (it would be delivered to the peer).
    async fn recall(&mut self, out: &mut Outgoing, up: &UpStreamMessage) -> Result<(), u16> {
        let recall_error = code(ErrorCode::RECALL_MESSAGE);
        if out.target != self.user {
            return Err(recall_error);
        }
        let target = recall_target(&up.classname, &up.content).ok_or(recall_error)?;
        let uid = target.uid.clone();
        let original = self
            .state
            .store
            .read(move |s| s.find_message(&uid))
            .await
            .map_err(|_| recall_error)?
            .ok_or(recall_error)?;
        // Only the sender recalls, and only in the conversation the message belongs to.
        if original.from_user != self.user
            || original.conv_type != target.conv_type
            || original.target_id != target.target
        {
            return Err(recall_error);
        }
        let uid = target.uid.clone();
        let peer =
            (!is_group_like(target.conv_type)).then(|| (target.target.clone(), self.user.clone()));
        let recalled = self
            .state
            .store
            .call(move |s| {
                if let Some((owner, from)) = peer {
                    if s.is_blacklisted(&owner, &from)? {
                        return Ok(false);
                    }
                }
                s.mark_recalled(&uid).map(|_| true)
            })
            .await
            .map_err(|_| recall_error)?;
        if !recalled {
            return Err(self.blacklisted());
        }
        out.conv_type = target.conv_type;
        out.target = target.target.clone();
        if target.conv_type == ConversationType::Group.value() {
            let group = target.target.clone();
            let members = self
                .state
                .store
                .read(move |s| s.members(&group))
                .await
                .map_err(|_| recall_error)?;
            out.recipients = members
                .into_iter()
                .filter(|m| *m != self.user)
                .map(|m| (m, false))
                .collect();
        } else {
            out.recipients = vec![(target.target, false)];
        }
        Ok(())
    }
}
