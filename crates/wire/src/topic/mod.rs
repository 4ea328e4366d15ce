//! Topic tables (api.md §1): the numbered QUERY table, send topics by conversation type, string
//! topics and server push topics; and the typed table of QUERY topics ([`Query`],
//! [`QueryTopic`]) with their protobuf request and reply types, which client and server both
//! go through.

mod query;

pub use query::*;

use crate::enums::ConversationType;

/// The 39-entry numbered QUERY table (`bridge.queryMsg(index, …)`, api.md §1.1). Entry 10 is the
/// nested send-topic list in the original; it is empty here (see [`send_topic`]).
#[rustfmt::skip]
pub const QUERY_TOPICS: [&str; 39] = [
    "invtDiz", "crDiz", "qnUrl", "userInf", "dizInf", "userInf", "joinGrp", "quitDiz", "exitGrp",
    "evctDiz", "", "pdOpen", "rename", "uGcmpr", "qnTkn", "destroyChrm", "createChrm", "exitChrm",
    "queryChrm", "joinChrm", "pGrps", "addBlack", "rmBlack", "getBlack", "blackStat",
    "addRelation", "qryRelation", "delRelation", "pullMp", "schMp", "qnTkn", "qnUrl", "qryVoipK",
    "delMsg", "qryCHMsg", "getUserStatus", "setUserStatus", "subUserStatus", "cleanHisMsg",
];

/// String topics the 2.5.3 client uses directly (api.md §1.3).
#[rustfmt::skip]
pub const STRING_TOPICS: &[&str] = &[
    "pullMsg", "chrmPull", "queryChrmI", "qryPMsg", "qryDMsg", "qryGMsg", "qryCMsg", "qrySMsg",
    "cleanPMsg", "cleanDMsg", "cleanGMsg", "cleanCMsg", "cleanSMsg", "delMsg", "setKV", "delKV",
    "pullKV", "pullUS", "setOfflineMsgDur", "qryPPush", "qryDPush", "blkPPush", "blkDPush",
    "unblkPPush", "unblkDPush", "mpFollow", "mcFollow", "mpUnFollow", "mcUnFollow",
    "rtcRJoin_data", "rtcRExit", "rtcPing", "rtcUData", "rtcUList", "rtcUPut", "rtcUDel",
    "rtcRInfo", "rtcRPut", "rtcRDel", "rtcSetData", "rtcQryData", "rtcDelData", "rtcSetOutData",
    "rtcQryUserOutData", "rtcToken", "rtcUserState",
];

/// Server push: "something arrived, pull" (`NotifyMsg`).
pub const S_NTF: &str = "s_ntf";
/// Server push: one `DownStreamMessage` delivered directly.
pub const S_MSG: &str = "s_msg";
/// Server push: user status (`GetUserStatusOutput`).
pub const S_STAT: &str = "s_stat";
/// Server push: chatroom KV changed (`ChrmNotifyMsg`); with `type` [`S_CMD_SETTINGS`], this
/// project's "settings changed" notice (docs/protocol-additions.md).
pub const S_CMD: &str = "s_cmd";
/// `NotifyMsg.type` of an `s_cmd` telling a user's device that their settings changed (query
/// [`SETTINGS`] when `time` is newer than the version it holds). An addition of this project:
/// the original client acts on type 2 only.
pub const S_CMD_SETTINGS: i32 = 3;

/// Sync pull of the inbox and sent box (QoS 1).
pub const PULL_MSG: &str = "pullMsg";
/// Sync pull of a chatroom (QoS 1).
pub const CHRM_PULL: &str = "chrmPull";
/// Send topic for recall; the target is the sender's own id (api.md §8.1 item 6).
pub const RECALL_MSG: &str = "recallMsg";
/// Send topic for `MethodType.CUSTOMER_SERVICE`.
pub const CUSTOMER_SERVICE_METHOD: &str = "pcuMsgP";

/// The PUBLISH topic for a conversation type (api.md §1.2); `None` where the original would send
/// an empty topic (NONE, SYSTEM, 9–11).
pub const fn send_topic(t: ConversationType) -> Option<&'static str> {
    match t {
        ConversationType::Private => Some("ppMsgP"),
        ConversationType::Discussion => Some("pdMsgP"),
        ConversationType::Group => Some("pgMsgP"),
        ConversationType::ChatRoom => Some("chatMsg"),
        ConversationType::CustomerService => Some("pcMsgP"),
        ConversationType::AppPublicService => Some("pmcMsgN"),
        ConversationType::PublicService => Some("pmpMsgN"),
        ConversationType::RtcSignal => Some("prMsgS"),
        ConversationType::RtcRoom => Some("prMsgP"),
        ConversationType::None | ConversationType::System => None,
    }
}

/// The conversation type of a send topic, the inverse of [`send_topic`].
pub fn conversation_type_of_send_topic(topic: &str) -> Option<ConversationType> {
    ConversationType::ALL
        .iter()
        .copied()
        .find(|t| send_topic(*t) == Some(topic))
}

/// The conversation type the client infers for an echoed upstream message from the topic's first
/// two letters (api.md §5.1): `pp`→1, `pd`→2, `pg`→3, `ch`→4, `pc`→5.
pub fn conversation_type_of_echo(topic: &str) -> Option<ConversationType> {
    match topic.get(..2)? {
        "pp" => Some(ConversationType::Private),
        "pd" => Some(ConversationType::Discussion),
        "pg" => Some(ConversationType::Group),
        "ch" => Some(ConversationType::ChatRoom),
        "pc" => Some(ConversationType::CustomerService),
        _ => None,
    }
}

/// History query topic by conversation type (api.md §3.3); `qryPMsg` by default.
pub const fn history_topic(t: ConversationType) -> &'static str {
    history_query(t).name()
}

/// [`history_topic`] as its typed table entry.
pub const fn history_query(
    t: ConversationType,
) -> Query<crate::proto::HistoryMsgInput, crate::proto::HistoryMessagesOuput> {
    match t {
        ConversationType::Discussion => HISTORY_DISCUSSION,
        ConversationType::Group => HISTORY_GROUP,
        ConversationType::ChatRoom | ConversationType::CustomerService => HISTORY_CUSTOMER,
        ConversationType::System => HISTORY_SYSTEM,
        _ => HISTORY_PRIVATE,
    }
}

/// Remote-history clearing topic by conversation type (api.md §3.3); other types are refused
/// by the client with 34008.
pub const fn clean_history_topic(t: ConversationType) -> Option<&'static str> {
    match clean_history_query(t) {
        Some(q) => Some(q.name()),
        None => None,
    }
}

/// [`clean_history_topic`] as its typed table entry.
pub const fn clean_history_query(
    t: ConversationType,
) -> Option<Query<crate::proto::CleanHisMsgInput, ()>> {
    match t {
        ConversationType::Private => Some(CLEAN_PRIVATE),
        ConversationType::Discussion => Some(CLEAN_DISCUSSION),
        ConversationType::Group => Some(CLEAN_GROUP),
        ConversationType::CustomerService => Some(CLEAN_CUSTOMER),
        ConversationType::System => Some(CLEAN_SYSTEM),
        _ => None,
    }
}

/// Whether a server must accept `topic` on a client QUERY (§1.1 and §1.3).
pub fn is_query_topic(topic: &str) -> bool {
    !topic.is_empty() && (QUERY_TOPICS.contains(&topic) || STRING_TOPICS.contains(&topic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_topics_sit_at_their_documented_indexes() {
        assert_eq!(QUERY_TOPICS[0], "invtDiz");
        assert_eq!(QUERY_TOPICS[10], "");
        assert_eq!(QUERY_TOPICS[19], "joinChrm");
        assert_eq!(QUERY_TOPICS[26], "qryRelation");
        assert_eq!(QUERY_TOPICS[38], "cleanHisMsg");
    }

    #[test]
    fn send_topics_follow_the_conversation_type_table() {
        let got: Vec<_> = ConversationType::ALL
            .iter()
            .map(|t| send_topic(*t))
            .collect();
        assert_eq!(
            got,
            [
                None,
                Some("ppMsgP"),
                Some("pdMsgP"),
                Some("pgMsgP"),
                Some("chatMsg"),
                Some("pcMsgP"),
                None,
                Some("pmcMsgN"),
                Some("pmpMsgN"),
                Some("prMsgS"),
                Some("prMsgP"),
            ]
        );
        for t in ConversationType::ALL {
            if let Some(topic) = send_topic(*t) {
                assert_eq!(conversation_type_of_send_topic(topic), Some(*t));
            }
        }
    }

    #[test]
    fn echo_topics_map_by_prefix() {
        assert_eq!(
            conversation_type_of_echo("pgMsgP"),
            Some(ConversationType::Group)
        );
        assert_eq!(
            conversation_type_of_echo("pcuMsgP"),
            Some(ConversationType::CustomerService)
        );
        assert_eq!(conversation_type_of_echo("recallMsg"), None);
        assert_eq!(conversation_type_of_echo("p"), None);
    }

    #[test]
    fn history_and_clean_topics_by_type() {
        assert_eq!(history_topic(ConversationType::CustomerService), "qryCMsg");
        assert_eq!(history_topic(ConversationType::PublicService), "qryPMsg");
        assert_eq!(clean_history_topic(ConversationType::ChatRoom), None);
        assert!(is_query_topic("pullMsg") && is_query_topic("blackStat") && !is_query_topic(""));
    }
}
