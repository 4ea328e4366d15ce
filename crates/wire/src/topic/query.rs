//! The typed table of QUERY topics (api.md §3): each topic is a const that names its protobuf
//! request and reply types, so a client and a server that use the same const cannot disagree on
//! them. A reply type of `()` means "no pb type": the answer is the QUERYACK status alone and the
//! payload is empty.
//!
//! Topics whose types api.md does not give (the legacy `joinGrp`, `exitGrp`, `uGcmpr`, `pGrps`,
//! `createChrm`, `destroyChrm`, `queryChrm`, `addRelation`, and the replies of the RTC lists
//! `rtcUData`, `rtcUList`, `rtcRInfo`) are in the name lists of the parent module only. RTC
//! setters whose reply api.md does not name are entered as status-only. The `x…` topics are this project's additions (docs/protocol-additions.md), which
//! original clients never send.

use std::fmt;
use std::marker::PhantomData;

use crate::error::DecodeError;
use crate::proto::{self, *};

/// A QUERY topic whose request is a `Req` and whose QUERYACK payload is a `Rep`.
pub struct Query<Req, Rep> {
    name: &'static str,
    types: PhantomData<fn(Req) -> Rep>,
}

impl<Req, Rep> Query<Req, Rep> {
    /// The topic `name` with these types.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            types: PhantomData,
        }
    }

    /// The topic as it travels in the QUERY frame.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<Req, Rep> Clone for Query<Req, Rep> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Rep> Copy for Query<Req, Rep> {}

impl<Req, Rep> fmt::Debug for Query<Req, Rep> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Query({})", self.name)
    }
}

impl<Req, Rep> Query<Req, Rep>
where
    Req: prost::Message + Default,
    Rep: prost::Message + Default,
{
    /// The QUERY payload of a request.
    pub fn encode_request(&self, request: &Req) -> Vec<u8> {
        proto::encode(request)
    }

    /// Reads a QUERY payload of this topic.
    pub fn decode_request(&self, payload: &[u8]) -> Result<Req, DecodeError>
    where
        Req: proto::Named,
    {
        proto::decode(payload)
    }

    /// The QUERYACK payload of a reply (empty for `()`).
    pub fn encode_reply(&self, reply: &Rep) -> Vec<u8> {
        proto::encode(reply)
    }

    /// Reads a QUERYACK payload of this topic.
    pub fn decode_reply(&self, payload: &[u8]) -> Result<Rep, DecodeError>
    where
        Rep: proto::Named,
    {
        proto::decode(payload)
    }
}

macro_rules! queries {
    ($($(#[$doc:meta])* $variant:ident $konst:ident = $name:literal: $req:ty => $rep:ty;)*) => {
        $($(#[$doc])* pub const $konst: Query<$req, $rep> = Query::new($name);)*

        /// Every topic of the typed table, for dispatching on a received topic name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum QueryTopic {
            $(#[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl QueryTopic {
            /// Every entry, in table order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The topic name.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The entry of a topic name, if the table has one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

queries! {
    // ---- sync (api.md §5.2, §5.3) ----
    /// Sync pull of the inbox and sent box (QoS 1).
    PullMsg PULL = "pullMsg": SyncRequestMsg => DownStreamMessages;
    /// Sync pull of a chatroom (QoS 1); target = the room.
    ChrmPull CHATROOM_PULL = "chrmPull": ChrmPullMsg => DownStreamMessages;

    // ---- history and deletion (api.md §3.3) ----
    /// Private (also types 7, 8) history; target = the peer.
    QryPMsg HISTORY_PRIVATE = "qryPMsg": HistoryMsgInput => HistoryMessagesOuput;
    /// Discussion history.
    QryDMsg HISTORY_DISCUSSION = "qryDMsg": HistoryMsgInput => HistoryMessagesOuput;
    /// Group history.
    QryGMsg HISTORY_GROUP = "qryGMsg": HistoryMsgInput => HistoryMessagesOuput;
    /// Chatroom and customer-service history.
    QryCMsg HISTORY_CUSTOMER = "qryCMsg": HistoryMsgInput => HistoryMessagesOuput;
    /// System history.
    QrySMsg HISTORY_SYSTEM = "qrySMsg": HistoryMsgInput => HistoryMessagesOuput;
    /// Chatroom history; target = self, the room in the input.
    QryChMsg CHATROOM_HISTORY = "qryCHMsg": HistoryMsgInput => HistoryMsgOuput;
    /// Clears private history up to a time.
    CleanPMsg CLEAN_PRIVATE = "cleanPMsg": CleanHisMsgInput => ();
    /// Clears discussion history.
    CleanDMsg CLEAN_DISCUSSION = "cleanDMsg": CleanHisMsgInput => ();
    /// Clears group history.
    CleanGMsg CLEAN_GROUP = "cleanGMsg": CleanHisMsgInput => ();
    /// Clears customer-service history.
    CleanCMsg CLEAN_CUSTOMER = "cleanCMsg": CleanHisMsgInput => ();
    /// Clears system history.
    CleanSMsg CLEAN_SYSTEM = "cleanSMsg": CleanHisMsgInput => ();
    /// Numbered entry 38; served like `cleanPMsg`.
    CleanHisMsg CLEAN_HISTORY = "cleanHisMsg": CleanHisMsgInput => ();
    /// Deletes listed messages from the user's own history.
    DelMsg DELETE_MESSAGES = "delMsg": DeleteMsgInput => DeleteMsgOutput;

    // ---- conversations (api.md §3.4) ----
    /// The conversation list; target = self.
    QryRelation CONVERSATIONS = "qryRelation": RelationsInput => RelationsOutput;
    /// Removes a conversation; target = the conversation.
    DelRelation DELETE_CONVERSATION = "delRelation": RelationsInput => ();
    /// Notification status of a private conversation: QUERYACK status 0 DO_NOT_DISTURB,
    /// 1 NOTIFY (api.md §3.4); target = self.
    QryPPush PUSH_STATUS_PRIVATE = "qryPPush": BlockPushInput => ();
    /// Notification status of a group conversation (2.5.3 sends type 3 here).
    QryDPush PUSH_STATUS_GROUP = "qryDPush": BlockPushInput => ();
    /// Do not disturb, private.
    BlkPPush BLOCK_PUSH_PRIVATE = "blkPPush": BlockPushInput => ();
    /// Do not disturb, group.
    BlkDPush BLOCK_PUSH_GROUP = "blkDPush": BlockPushInput => ();
    /// Notify again, private.
    UnblkPPush UNBLOCK_PUSH_PRIVATE = "unblkPPush": BlockPushInput => ();
    /// Notify again, group.
    UnblkDPush UNBLOCK_PUSH_GROUP = "unblkDPush": BlockPushInput => ();

    // ---- user settings (api.md §3.3) ----
    /// User settings; the 2.5.3 client sends `version = 2`.
    PullUs PULL_USER_SETTINGS = "pullUS": PullUserSettingInput => PullUserSettingOutput;
    /// Offline message duration: `deadline` = the `pullUS` version, `token` = the days as text.
    SetOfflineMsgDur SET_OFFLINE_DURATION = "setOfflineMsgDur": GetQNupTokenOutput => ();

    // ---- discussions (api.md §3.5) ----
    /// Creates a discussion; target = self.
    CrDiz CREATE_DISCUSSION = "crDiz": CreateDiscussionInput => CreateDiscussionOutput;
    /// Adds members.
    InvtDiz INVITE_DISCUSSION = "invtDiz": ChannelInvitationInput => ();
    /// Discussion details.
    DizInf DISCUSSION_INFO = "dizInf": ChannelInfoInput => ChannelInfoOutput;
    /// Leaves a discussion.
    QuitDiz QUIT_DISCUSSION = "quitDiz": LeaveChannelInput => ();
    /// Removes a member.
    EvctDiz EVICT_DISCUSSION = "evctDiz": ChannelEvictionInput => ();
    /// Renames a discussion.
    Rename RENAME_DISCUSSION = "rename": RenameChannelInput => ();
    /// Who may invite: 0 members, 1 the creator.
    PdOpen DISCUSSION_INVITE_STATUS = "pdOpen": ModifyPermissionInput => ();

    // ---- chatrooms (api.md §3.6) ----
    /// Joins a room.
    JoinChrm JOIN_CHATROOM = "joinChrm": ChrmInput => ChrmOutput;
    /// Leaves a room.
    ExitChrm EXIT_CHATROOM = "exitChrm": ChrmInput => ChrmOutput;
    /// Member count and members.
    QueryChrmI CHATROOM_INFO = "queryChrmI": QueryChatroomInfoInput => QueryChatroomInfoOutput;
    /// Sets a chatroom entry.
    SetKv SET_CHATROOM_ENTRY = "setKV": SetChrmKv => ChrmOutput;
    /// Removes a chatroom entry.
    DelKv DELETE_CHATROOM_ENTRY = "delKV": DeleteChrmKv => ChrmOutput;
    /// Chatroom entries changed since a time.
    PullKv PULL_CHATROOM_ENTRIES = "pullKV": QueryChrmKv => ChrmKvOutput;

    // ---- blacklist (api.md §3.7) ----
    /// Adds a user; target = that user.
    AddBlack ADD_BLACK = "addBlack": Add2BlackListInput => ();
    /// Removes a user.
    RmBlack REMOVE_BLACK = "rmBlack": RemoveFromBlackListInput => ();
    /// The list; target = self.
    GetBlack BLACKLIST = "getBlack": QueryBlackListInput => QueryBlackListOutput;
    /// QUERYACK status 0 = in the blacklist, non-zero = not.
    BlackStat BLACKLIST_STATUS = "blackStat": BlackListStatusInput => ();

    // ---- files, VoIP, user status, public service (api.md §3.8) ----
    /// Upload token.
    QnTkn FILE_TOKEN = "qnTkn": GetQNupTokenInput => GetQNupTokenOutput;
    /// Download URL.
    QnUrl FILE_URL = "qnUrl": GetQNdownloadUrlInput => GetQNdownloadUrlOutput;
    /// User profile (unused by the 2.5.3 API).
    UserInf USER_INFO = "userInf": GetUserInfoInput => GetUserInfoOutput;
    /// VoIP dynamic key.
    QryVoipK VOIP_KEY = "qryVoipK": VoipDynamicInput => VoipDynamicOutput;
    /// Own online status.
    GetUserStatus USER_STATUS = "getUserStatus": GetUserStatusInput => GetUserStatusOutput;
    /// Sets own status.
    SetUserStatus SET_USER_STATUS = "setUserStatus": SetUserStatusInput => ();
    /// Subscribes to users' status (`s_stat` pushes follow).
    SubUserStatus SUBSCRIBE_USER_STATUS = "subUserStatus": SubUserStatusInput => ();
    /// Followed public services.
    PullMp PUBLIC_SERVICES = "pullMp": PullMpInput => PullMpOutput;
    /// Searches public services.
    SchMp SEARCH_PUBLIC_SERVICES = "schMp": SearchMpInput => SearchMpOutput;
    /// Follows a public service.
    MpFollow FOLLOW_MP = "mpFollow": MpFollowInput => MpFollowOutput;
    /// Follows an app public service.
    McFollow FOLLOW_MC = "mcFollow": MpFollowInput => MpFollowOutput;
    /// Unfollows a public service.
    MpUnFollow UNFOLLOW_MP = "mpUnFollow": MpFollowInput => MpFollowOutput;
    /// Unfollows an app public service.
    McUnFollow UNFOLLOW_MC = "mcUnFollow": MpFollowInput => MpFollowOutput;

    // ---- RTC (api.md §3.8); target = the room ----
    /// Joins an RTC room.
    RtcRJoinData RTC_JOIN = "rtcRJoin_data": RtcInput => RtcUserListOutput;
    /// Leaves an RTC room.
    RtcRExit RTC_EXIT = "rtcRExit": SetUserStatusInput => ();
    /// Keeps the membership alive.
    RtcPing RTC_PING = "rtcPing": RtcInput => ();
    /// RTC token.
    RtcToken RTC_TOKEN = "rtcToken": RtcInput => RtcTokenOutput;
    /// Sets user data.
    RtcUPut RTC_USER_PUT = "rtcUPut": RtcValueInfo => ();
    /// Sets room data.
    RtcRPut RTC_ROOM_PUT = "rtcRPut": RtcValueInfo => ();
    /// Removes user data.
    RtcUDel RTC_USER_DELETE = "rtcUDel": RtcKeyDeleteInput => ();
    /// Removes room data.
    RtcRDel RTC_ROOM_DELETE = "rtcRDel": RtcKeyDeleteInput => ();
    /// Sets data (target 2 person / 1 room).
    RtcSetData RTC_SET_DATA = "rtcSetData": RtcSetDataInput => ();
    /// Reads data.
    RtcQryData RTC_QUERY_DATA = "rtcQryData": RtcDataInput => RtcQryOutput;
    /// Removes data.
    RtcDelData RTC_DELETE_DATA = "rtcDelData": RtcDataInput => ();
    /// Sets data visible outside the room.
    RtcSetOutData RTC_SET_OUT_DATA = "rtcSetOutData": RtcSetOutDataInput => ();
    /// Reads other users' outside data.
    RtcQryUserOutData RTC_QUERY_OUT_DATA =
        "rtcQryUserOutData": RtcQryUserOutDataInput => RtcUserOutDataOutput;
    /// Reports the RTC state.
    RtcUserState RTC_USER_STATE = "rtcUserState": McFollowInput => ();

    // ---- additions of this project (docs/protocol-additions.md); target = self ----
    /// Pins (`on`) or unpins a conversation.
    XSetTop SET_TOP = "xSetTop": ConversationFlagInput => ();
    /// Hides (`on`) or shows a conversation.
    XSetHidden SET_HIDDEN = "xSetHidden": ConversationFlagInput => ();
    /// Sets the notification quiet hours.
    XSetQuiet SET_QUIET_HOURS = "xSetQuiet": QuietHours => ();
    /// The notification quiet hours, if any.
    XQryQuiet QUIET_HOURS = "xQryQuiet": () => QuietHoursOutput;
    /// Removes the notification quiet hours.
    XDelQuiet REMOVE_QUIET_HOURS = "xDelQuiet": () => ();
    /// Every conversation setting and the quiet hours in one reply.
    XQrySettings SETTINGS = "xQrySettings": () => UserSettingsOutput;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_found_by_its_name_and_names_are_unique() {
        for t in QueryTopic::ALL {
            assert_eq!(QueryTopic::from_name(t.name()), Some(*t));
        }
        let mut names: Vec<_> = QueryTopic::ALL.iter().map(|t| t.name()).collect();
        names.sort_unstable();
        let len = names.len();
        names.dedup();
        assert_eq!(names.len(), len);
        assert_eq!(QueryTopic::from_name("nope"), None);
    }

    #[test]
    fn original_entries_are_documented_topics_and_additions_start_with_x() {
        for t in QueryTopic::ALL {
            let name = t.name();
            assert_eq!(
                super::super::is_query_topic(name),
                !name.starts_with('x'),
                "{name}"
            );
        }
    }

    #[test]
    fn requests_and_replies_round_trip_through_their_consts() {
        let input = BlockPushInput {
            blockee_id: "peer".into(),
            r#type: Some(3),
        };
        let bytes = BLOCK_PUSH_GROUP.encode_request(&input);
        assert_eq!(BLOCK_PUSH_GROUP.decode_request(&bytes), Ok(input));
        assert!(BLOCK_PUSH_GROUP.encode_reply(&()).is_empty());
        let reply = DeleteMsgOutput { nothing: 1 };
        let bytes = DELETE_MESSAGES.encode_reply(&reply);
        assert_eq!(DELETE_MESSAGES.decode_reply(&bytes), Ok(reply));
        assert!(PULL.decode_reply(&[0xff]).is_err());
        assert_eq!(format!("{SETTINGS:?}"), "Query(xQrySettings)");
    }
}
