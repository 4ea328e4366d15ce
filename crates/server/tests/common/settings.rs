//! Helpers for the settings tests: typed QUERYs through `im-wire`'s topic table, and the
//! `s_cmd` settings notice (docs/protocol-additions.md).

use im_wire::frame::Qos;
use im_wire::proto::{self, BlockPushInput, NotifyMsg, UserSettingsOutput};
use im_wire::topic::{self, Query};
use im_wire::ServerFrame;

use super::Client;

/// What a typed QUERY got: the QUERYACK status, and the decoded reply when it is 0.
pub struct Answer<Rep> {
    pub status: u16,
    pub reply: Option<Rep>,
}

impl Client {
    /// One QUERY of topic `t` to `target`, answered as that topic's reply type.
    pub async fn ask<Req, Rep>(
        &mut self,
        t: Query<Req, Rep>,
        target: &str,
        req: &Req,
    ) -> Answer<Rep>
    where
        Req: prost::Message + Default,
        Rep: prost::Message + im_wire::proto::Named + Default,
    {
        let ack = self
            .query(t.name(), target, t.encode_request(req), Qos::AtMostOnce)
            .await;
        let reply = (ack.status == 0).then(|| t.decode_reply(&ack.payload).unwrap());
        Answer {
            status: ack.status,
            reply,
        }
    }

    /// A QUERY of a settings topic (target = self) that must succeed.
    pub async fn ask_self<Req, Rep>(&mut self, t: Query<Req, Rep>, req: &Req) -> Rep
    where
        Req: prost::Message + Default,
        Rep: prost::Message + im_wire::proto::Named + Default,
    {
        let me = self.user.clone();
        let a = self.ask(t, &me, req).await;
        assert_eq!(a.status, 0, "{} answered {}", t.name(), a.status);
        a.reply.unwrap()
    }

    /// The QUERYACK status of a QUERY of a settings topic (target = self).
    pub async fn status_of<Req, Rep>(&mut self, t: Query<Req, Rep>, req: &Req) -> u16
    where
        Req: prost::Message + Default,
        Rep: prost::Message + im_wire::proto::Named + Default,
    {
        let me = self.user.clone();
        self.ask(t, &me, req).await.status
    }

    /// Every setting of this user (`xQrySettings`).
    pub async fn settings(&mut self) -> UserSettingsOutput {
        self.ask_self(topic::SETTINGS, &()).await
    }

    /// Waits for the next `s_cmd` settings notice and returns the version it carries.
    pub async fn wait_settings_notice(&mut self) -> i64 {
        let f = self
            .recv_matching(|f| matches!(f, ServerFrame::Publish(p) if p.topic == topic::S_CMD))
            .await;
        let ServerFrame::Publish(p) = f else {
            unreachable!()
        };
        assert_eq!(p.target_id, self.user);
        let ntf: NotifyMsg = proto::decode(&p.payload).unwrap();
        assert_eq!(ntf.r#type, topic::S_CMD_SETTINGS);
        ntf.time.expect("the notice carries the version")
    }
}

/// `BlockPushInput` naming `peer`, with our optional conversation type.
pub fn blockee(peer: &str, conv_type: Option<i32>) -> BlockPushInput {
    BlockPushInput {
        blockee_id: peer.into(),
        r#type: conv_type,
    }
}
