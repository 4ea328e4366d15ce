//! Which handler answers a client QUERY: the topic is looked up in `im-wire`'s typed table
//! ([`QueryTopic`]) and each handler reads its request through that topic's const, so the
//! server decodes exactly the types a client encodes. Topics outside the table, or in it but
//! not served here (RTC), get the client's "unsupported" status.

use im_wire::enums::ConversationType;
use im_wire::frame::{Qos, Query};
use im_wire::topic::{self, QueryTopic};

use super::query::Reply;
use super::{Session, Step, UNSUPPORTED};
use crate::store::settings::ConversationFlag;

impl Session {
    pub(super) async fn query(&mut self, q: Query) -> Step {
        let Some(t) = QueryTopic::from_name(&q.topic) else {
            return self.answer(&q, Err(UNSUPPORTED));
        };
        match t {
            QueryTopic::PullMsg => return self.pull(q).await,
            QueryTopic::ChrmPull => return self.chatroom_pull(&q),
            _ => {}
        }
        let result = self.serve(t, &q).await;
        self.answer(&q, result)
    }

    /// A QUERYACK: status 0 with the payload, or the status alone.
    pub(super) fn answer(&self, q: &Query, result: Reply) -> Step {
        let (status, payload) = match result {
            Ok(p) => (0, p),
            Err(s) => (s, Vec::new()),
        };
        Step::one(self.query_ack(q.msg_id, Qos::AtMostOnce, status, payload))
    }

    async fn serve(&mut self, t: QueryTopic, q: &Query) -> Reply {
        use ConversationType as C;
        use QueryTopic as T;
        match t {
            T::JoinChrm => self.join_chatroom(q),
            T::ExitChrm => self.exit_chatroom(q),
            T::QueryChrmI => self.chatroom_info(q),
            T::QryChMsg => self.chatroom_history(q).await,
            T::SetKv => self.set_entry(q).await,
            T::DelKv => self.delete_entry(q).await,
            T::PullKv => self.pull_entries(q).await,
            T::CrDiz => self.create_discussion(q).await,
            T::DizInf => self.discussion_info(q).await,
            T::InvtDiz | T::QuitDiz | T::EvctDiz | T::Rename | T::PdOpen => {
                self.change_discussion(t, q).await
            }
            T::QryPMsg => self.history(topic::HISTORY_PRIVATE, q).await,
            T::QryDMsg => self.history(topic::HISTORY_DISCUSSION, q).await,
            T::QryGMsg => self.history(topic::HISTORY_GROUP, q).await,
            T::QryCMsg => self.history(topic::HISTORY_CUSTOMER, q).await,
            T::QrySMsg => self.history(topic::HISTORY_SYSTEM, q).await,
            T::CleanPMsg => self.clean(topic::CLEAN_PRIVATE, C::Private, q).await,
            T::CleanDMsg => self.clean(topic::CLEAN_DISCUSSION, C::Discussion, q).await,
            T::CleanGMsg => self.clean(topic::CLEAN_GROUP, C::Group, q).await,
            T::CleanCMsg => {
                self.clean(topic::CLEAN_CUSTOMER, C::CustomerService, q)
                    .await
            }
            T::CleanSMsg => self.clean(topic::CLEAN_SYSTEM, C::System, q).await,
            T::CleanHisMsg => self.clean(topic::CLEAN_HISTORY, C::Private, q).await,
            T::DelMsg => self.delete_messages(q).await,
            T::QryRelation => self.relations(q).await,
            T::DelRelation => self.delete_relation(q).await,
            T::AddBlack => self.add_black(q).await,
            T::RmBlack => self.remove_black(q).await,
            T::GetBlack => self.black_list().await,
            T::BlackStat => self.black_status(q).await,
            T::QryPPush | T::QryDPush => self.notification_status(t, q).await,
            T::BlkPPush | T::BlkDPush | T::UnblkPPush | T::UnblkDPush => {
                self.set_notification_status(t, q).await
            }
            T::PullUs => self.pull_user_settings(q).await,
            T::SetOfflineMsgDur => self.set_offline_duration(q).await,
            T::XSetTop => {
                self.set_flag(topic::SET_TOP, ConversationFlag::Top, q)
                    .await
            }
            T::XSetHidden => {
                self.set_flag(topic::SET_HIDDEN, ConversationFlag::Hidden, q)
                    .await
            }
            T::XSetQuiet => self.set_quiet_hours(q).await,
            T::XQryQuiet => self.quiet_hours().await,
            T::XDelQuiet => self.remove_quiet_hours().await,
            T::XQrySettings => self.all_settings().await,
            T::SetUserStatus => self.set_user_status(q).await,
            T::GetUserStatus => self.user_status(q).await,
            T::SubUserStatus => self.subscribe_user_status(q).await,
            T::QnTkn => self.file_token(q),
            T::QnUrl => self.file_url(q),
            T::PullMp => self.public_services(q).await,
            T::SchMp => self.search_public_services(q).await,
            T::MpFollow => self.follow_public_service(q, false, true).await,
            T::McFollow => self.follow_public_service(q, true, true).await,
            T::MpUnFollow => self.follow_public_service(q, false, false).await,
            T::McUnFollow => self.follow_public_service(q, true, false).await,
            _ => Err(UNSUPPORTED),
        }
    }
}
