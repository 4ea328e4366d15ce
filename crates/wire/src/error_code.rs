//! `ErrorCode`: all 125 members of RongIMLib 2.5.3 (transport.md §9.5), and four names that 2.x's
//! own connect sample switches on but 2.5.3 never defined (see [`ERROR_CODES`]).
//!
//! A newtype rather than an enum: servers send arbitrary status codes, and two values have two
//! names each (51001, 61001).

use std::fmt;

/// A RongIMLib error code, as passed to `onError(code)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(pub i32);

#[allow(missing_docs)]
impl ErrorCode {
    /// `PARAMETER_ERROR` = -3.
    pub const PARAMETER_ERROR: Self = Self(-3);
    /// `UNKNOWN` = -2.
    pub const UNKNOWN: Self = Self(-2);
    /// `TIMEOUT` = -1.
    pub const TIMEOUT: Self = Self(-1);
    /// `SUCCESS` = 0.
    pub const SUCCESS: Self = Self(0);
    /// `CANCEL` = 1.
    pub const CANCEL: Self = Self(1);
    /// `REJECT` = 2.
    pub const REJECT: Self = Self(2);
    /// `HANGUP` = 3.
    pub const HANGUP: Self = Self(3);
    /// `BUSYLINE` = 4.
    pub const BUSYLINE: Self = Self(4);
    /// `NO_RESPONSE` = 5.
    pub const NO_RESPONSE: Self = Self(5);
    /// `ENGINE_UN_SUPPORTED` = 6.
    pub const ENGINE_UN_SUPPORTED: Self = Self(6);
    /// `NETWORK_ERROR` = 7.
    pub const NETWORK_ERROR: Self = Self(7);
    /// `REMOTE_CANCEL` = 11.
    pub const REMOTE_CANCEL: Self = Self(11);
    /// `REMOTE_REJECT` = 12.
    pub const REMOTE_REJECT: Self = Self(12);
    /// `REMOTE_HANGUP` = 13.
    pub const REMOTE_HANGUP: Self = Self(13);
    /// `REMOTE_BUSYLINE` = 14.
    pub const REMOTE_BUSYLINE: Self = Self(14);
    /// `REMOTE_NO_RESPONSE` = 15.
    pub const REMOTE_NO_RESPONSE: Self = Self(15);
    /// `REMOTE_ENGINE_UN_SUPPORTED` = 16.
    pub const REMOTE_ENGINE_UN_SUPPORTED: Self = Self(16);
    /// `REMOTE_NETWORK_ERROR` = 17.
    pub const REMOTE_NETWORK_ERROR: Self = Self(17);
    /// `VOIP_NOT_AVALIABLE` = 18.
    pub const VOIP_NOT_AVALIABLE: Self = Self(18);
    /// `REJECTED_BY_BLACKLIST` = 405.
    pub const REJECTED_BY_BLACKLIST: Self = Self(405);
    /// `RC_MSG_UNAUTHORIZED` = 20406.
    pub const RC_MSG_UNAUTHORIZED: Self = Self(20406);
    /// `RC_DISCUSSION_GROUP_ID_INVALID` = 20407.
    pub const RC_DISCUSSION_GROUP_ID_INVALID: Self = Self(20407);
    /// `SEND_FREQUENCY_TOO_FAST` = 20604.
    pub const SEND_FREQUENCY_TOO_FAST: Self = Self(20604);
    /// `NOT_IN_DISCUSSION` = 21406.
    pub const NOT_IN_DISCUSSION: Self = Self(21406);
    /// `JOIN_IN_DISCUSSION` = 21407.
    pub const JOIN_IN_DISCUSSION: Self = Self(21407);
    /// `CREATE_DISCUSSION` = 21408.
    pub const CREATE_DISCUSSION: Self = Self(21408);
    /// `INVITE_DICUSSION` = 21409.
    pub const INVITE_DICUSSION: Self = Self(21409);
    /// `SENSITIVE_SHIELD` = 21501.
    pub const SENSITIVE_SHIELD: Self = Self(21501);
    /// `SENSITIVE_REPLACE` = 21502.
    pub const SENSITIVE_REPLACE: Self = Self(21502);
    /// `NOT_IN_GROUP` = 22406.
    pub const NOT_IN_GROUP: Self = Self(22406);
    /// `FORBIDDEN_IN_GROUP` = 22408.
    pub const FORBIDDEN_IN_GROUP: Self = Self(22408);
    /// `NOT_IN_CHATROOM` = 23406.
    pub const NOT_IN_CHATROOM: Self = Self(23406);
    /// `GET_USERINFO_ERROR` = 23407.
    pub const GET_USERINFO_ERROR: Self = Self(23407);
    /// `FORBIDDEN_IN_CHATROOM` = 23408.
    pub const FORBIDDEN_IN_CHATROOM: Self = Self(23408);
    /// `RC_CHATROOM_USER_KICKED` = 23409.
    pub const RC_CHATROOM_USER_KICKED: Self = Self(23409);
    /// `RC_CHATROOM_NOT_EXIST` = 23410.
    pub const RC_CHATROOM_NOT_EXIST: Self = Self(23410);
    /// `RC_CHATROOM_IS_FULL` = 23411.
    pub const RC_CHATROOM_IS_FULL: Self = Self(23411);
    /// `RC_CHATROOM_PATAMETER_INVALID` = 23412.
    pub const RC_CHATROOM_PATAMETER_INVALID: Self = Self(23412);
    /// `CHATROOM_GET_HISTORYMSG_ERROR` = 23413.
    pub const CHATROOM_GET_HISTORYMSG_ERROR: Self = Self(23413);
    /// `CHATROOM_NOT_OPEN_HISTORYMSG_STORE` = 23414.
    pub const CHATROOM_NOT_OPEN_HISTORYMSG_STORE: Self = Self(23414);
    /// `CHATROOM_KV_EXCEED` = 23423.
    pub const CHATROOM_KV_EXCEED: Self = Self(23423);
    /// `CHATROOM_KV_OVERWRITE_INVALID` = 23424.
    pub const CHATROOM_KV_OVERWRITE_INVALID: Self = Self(23424);
    /// `CHATROOM_KV_STORE_NOT_OPEN` = 23426.
    pub const CHATROOM_KV_STORE_NOT_OPEN: Self = Self(23426);
    /// `CHATROOM_KEY_NOT_EXIST` = 23427.
    pub const CHATROOM_KEY_NOT_EXIST: Self = Self(23427);
    /// `HAVNODEVICEID` = 24001.
    pub const HAVNODEVICEID: Self = Self(24001);
    /// `DEVICEIDISHAVE` = 24002.
    pub const DEVICEIDISHAVE: Self = Self(24002);
    /// `FEILD` = 24009.
    pub const FEILD: Self = Self(24009);
    /// `NOENGINETYPE` = 24010.
    pub const NOENGINETYPE: Self = Self(24010);
    /// `NULLCHANNELNAME` = 24011.
    pub const NULLCHANNELNAME: Self = Self(24011);
    /// `VOIPDYANMICERROR` = 24012.
    pub const VOIPDYANMICERROR: Self = Self(24012);
    /// `VOIPISNULL` = 24013.
    pub const VOIPISNULL: Self = Self(24013);
    /// `NOVOIP` = 24014.
    pub const NOVOIP: Self = Self(24014);
    /// `INTERNALERRROR` = 24015.
    pub const INTERNALERRROR: Self = Self(24015);
    /// `VOIPCLOSE` = 24016.
    pub const VOIPCLOSE: Self = Self(24016);
    /// `RECALL_MESSAGE` = 25101.
    pub const RECALL_MESSAGE: Self = Self(25101);
    /// `RC_NET_CHANNEL_INVALID` = 30001.
    pub const RC_NET_CHANNEL_INVALID: Self = Self(30001);
    /// `RC_NET_UNAVAILABLE` = 30002.
    pub const RC_NET_UNAVAILABLE: Self = Self(30002);
    /// `RC_MSG_RESP_TIMEOUT` = 30003.
    pub const RC_MSG_RESP_TIMEOUT: Self = Self(30003);
    /// `RC_HTTP_SEND_FAIL` = 30004.
    pub const RC_HTTP_SEND_FAIL: Self = Self(30004);
    /// `RC_HTTP_REQ_TIMEOUT` = 30005.
    pub const RC_HTTP_REQ_TIMEOUT: Self = Self(30005);
    /// `RC_HTTP_RECV_FAIL` = 30006.
    pub const RC_HTTP_RECV_FAIL: Self = Self(30006);
    /// `RC_NAVI_RESOURCE_ERROR` = 30007.
    pub const RC_NAVI_RESOURCE_ERROR: Self = Self(30007);
    /// `RC_NODE_NOT_FOUND` = 30008.
    pub const RC_NODE_NOT_FOUND: Self = Self(30008);
    /// `RC_DOMAIN_NOT_RESOLVE` = 30009.
    pub const RC_DOMAIN_NOT_RESOLVE: Self = Self(30009);
    /// `RC_SOCKET_NOT_CREATED` = 30010.
    pub const RC_SOCKET_NOT_CREATED: Self = Self(30010);
    /// `RC_SOCKET_DISCONNECTED` = 30011.
    pub const RC_SOCKET_DISCONNECTED: Self = Self(30011);
    /// `RC_PING_SEND_FAIL` = 30012.
    pub const RC_PING_SEND_FAIL: Self = Self(30012);
    /// `RC_PONG_RECV_FAIL` = 30013.
    pub const RC_PONG_RECV_FAIL: Self = Self(30013);
    /// `RC_MSG_SEND_FAIL` = 30014.
    pub const RC_MSG_SEND_FAIL: Self = Self(30014);
    /// `RC_CONN_ACK_TIMEOUT` = 31000.
    pub const RC_CONN_ACK_TIMEOUT: Self = Self(31000);
    /// `RC_CONN_PROTO_VERSION_ERROR` = 31001.
    pub const RC_CONN_PROTO_VERSION_ERROR: Self = Self(31001);
    /// `RC_CONN_ID_REJECT` = 31002.
    pub const RC_CONN_ID_REJECT: Self = Self(31002);
    /// `RC_CONN_SERVER_UNAVAILABLE` = 31003.
    pub const RC_CONN_SERVER_UNAVAILABLE: Self = Self(31003);
    /// `RC_CONN_USER_OR_PASSWD_ERROR` = 31004.
    pub const RC_CONN_USER_OR_PASSWD_ERROR: Self = Self(31004);
    /// `RC_CONN_NOT_AUTHRORIZED` = 31005.
    pub const RC_CONN_NOT_AUTHRORIZED: Self = Self(31005);
    /// `RC_CONN_REDIRECTED` = 31006.
    pub const RC_CONN_REDIRECTED: Self = Self(31006);
    /// `RC_CONN_PACKAGE_NAME_INVALID` = 31007.
    pub const RC_CONN_PACKAGE_NAME_INVALID: Self = Self(31007);
    /// `RC_CONN_APP_BLOCKED_OR_DELETED` = 31008.
    pub const RC_CONN_APP_BLOCKED_OR_DELETED: Self = Self(31008);
    /// `RC_CONN_USER_BLOCKED` = 31009.
    pub const RC_CONN_USER_BLOCKED: Self = Self(31009);
    /// `RC_DISCONN_KICK` = 31010.
    pub const RC_DISCONN_KICK: Self = Self(31010);
    /// `RC_DISCONN_EXCEPTION` = 31011.
    pub const RC_DISCONN_EXCEPTION: Self = Self(31011);
    /// `RC_QUERY_ACK_NO_DATA` = 32001.
    pub const RC_QUERY_ACK_NO_DATA: Self = Self(32001);
    /// `RC_MSG_DATA_INCOMPLETE` = 32002.
    pub const RC_MSG_DATA_INCOMPLETE: Self = Self(32002);
    /// `BIZ_ERROR_CLIENT_NOT_INIT` = 33001.
    pub const BIZ_ERROR_CLIENT_NOT_INIT: Self = Self(33001);
    /// `BIZ_ERROR_DATABASE_ERROR` = 33002.
    pub const BIZ_ERROR_DATABASE_ERROR: Self = Self(33002);
    /// `BIZ_ERROR_INVALID_PARAMETER` = 33003.
    pub const BIZ_ERROR_INVALID_PARAMETER: Self = Self(33003);
    /// `BIZ_ERROR_NO_CHANNEL` = 33004.
    pub const BIZ_ERROR_NO_CHANNEL: Self = Self(33004);
    /// `BIZ_ERROR_RECONNECT_SUCCESS` = 33005.
    pub const BIZ_ERROR_RECONNECT_SUCCESS: Self = Self(33005);
    /// `BIZ_ERROR_CONNECTING` = 33006.
    pub const BIZ_ERROR_CONNECTING: Self = Self(33006);
    /// `MSG_ROAMING_SERVICE_UNAVAILABLE` = 33007.
    pub const MSG_ROAMING_SERVICE_UNAVAILABLE: Self = Self(33007);
    /// `MSG_INSERT_ERROR` = 33008.
    pub const MSG_INSERT_ERROR: Self = Self(33008);
    /// `MSG_DEL_ERROR` = 33009.
    pub const MSG_DEL_ERROR: Self = Self(33009);
    /// `CONVER_REMOVE_ERROR` = 34001.
    pub const CONVER_REMOVE_ERROR: Self = Self(34001);
    /// `CONVER_GETLIST_ERROR` = 34002.
    pub const CONVER_GETLIST_ERROR: Self = Self(34002);
    /// `CONVER_SETOP_ERROR` = 34003.
    pub const CONVER_SETOP_ERROR: Self = Self(34003);
    /// `CONVER_TOTAL_UNREAD_ERROR` = 34004.
    pub const CONVER_TOTAL_UNREAD_ERROR: Self = Self(34004);
    /// `CONVER_TYPE_UNREAD_ERROR` = 34005.
    pub const CONVER_TYPE_UNREAD_ERROR: Self = Self(34005);
    /// `CONVER_ID_TYPE_UNREAD_ERROR` = 34006.
    pub const CONVER_ID_TYPE_UNREAD_ERROR: Self = Self(34006);
    /// `CONVER_CLEAR_ERROR` = 34007.
    pub const CONVER_CLEAR_ERROR: Self = Self(34007);
    /// `CLEAR_HIS_TYPE_ERROR` = 34008.
    pub const CLEAR_HIS_TYPE_ERROR: Self = Self(34008);
    /// `CONVER_GET_ERROR` = 34009.
    pub const CONVER_GET_ERROR: Self = Self(34009);
    /// `CLEAR_HIS_ERROR` = 34010.
    pub const CLEAR_HIS_ERROR: Self = Self(34010);
    /// `CLEAR_HIS_TIME_ERROR` = 34011.
    pub const CLEAR_HIS_TIME_ERROR: Self = Self(34011);
    /// `GROUP_SYNC_ERROR` = 35001.
    pub const GROUP_SYNC_ERROR: Self = Self(35001);
    /// `GROUP_MATCH_ERROR` = 35002.
    pub const GROUP_MATCH_ERROR: Self = Self(35002);
    /// `CHATROOM_ID_ISNULL` = 36001.
    pub const CHATROOM_ID_ISNULL: Self = Self(36001);
    /// `CHARTOOM_JOIN_ERROR` = 36002.
    pub const CHARTOOM_JOIN_ERROR: Self = Self(36002);
    /// `CHATROOM_HISMESSAGE_ERROR` = 36003.
    pub const CHATROOM_HISMESSAGE_ERROR: Self = Self(36003);
    /// `CHATROOM_KV_NOT_FOUND` = 36004.
    pub const CHATROOM_KV_NOT_FOUND: Self = Self(36004);
    /// `BLACK_ADD_ERROR` = 37001.
    pub const BLACK_ADD_ERROR: Self = Self(37001);
    /// `BLACK_GETSTATUS_ERROR` = 37002.
    pub const BLACK_GETSTATUS_ERROR: Self = Self(37002);
    /// `BLACK_REMOVE_ERROR` = 37003.
    pub const BLACK_REMOVE_ERROR: Self = Self(37003);
    /// `DRAF_GET_ERROR` = 38001.
    pub const DRAF_GET_ERROR: Self = Self(38001);
    /// `DRAF_SAVE_ERROR` = 38002.
    pub const DRAF_SAVE_ERROR: Self = Self(38002);
    /// `DRAF_REMOVE_ERROR` = 38003.
    pub const DRAF_REMOVE_ERROR: Self = Self(38003);
    /// `SUBSCRIBE_ERROR` = 39001.
    pub const SUBSCRIBE_ERROR: Self = Self(39001);
    /// `QNTKN_FILETYPE_ERROR` = 41001.
    pub const QNTKN_FILETYPE_ERROR: Self = Self(41001);
    /// `QNTKN_GET_ERROR` = 41002.
    pub const QNTKN_GET_ERROR: Self = Self(41002);
    /// `CLOSE_BEFORE_OPEN` = 51001.
    pub const CLOSE_BEFORE_OPEN: Self = Self(51001);
    /// `COOKIE_ENABLE` = 51001.
    pub const COOKIE_ENABLE: Self = Self(51001);
    /// `ALREADY_IN_USE` = 51002.
    pub const ALREADY_IN_USE: Self = Self(51002);
    /// `INVALID_CHANNEL_NAME` = 51003.
    pub const INVALID_CHANNEL_NAME: Self = Self(51003);
    /// `VIDEO_CONTAINER_IS_NULL` = 51004.
    pub const VIDEO_CONTAINER_IS_NULL: Self = Self(51004);
    /// `DELETE_MESSAGE_ID_IS_NULL` = 61001.
    pub const DELETE_MESSAGE_ID_IS_NULL: Self = Self(61001);
    /// `GET_MESSAGE_BY_ID_ERROR` = 61001.
    pub const GET_MESSAGE_BY_ID_ERROR: Self = Self(61001);
}

/// Every member as (value, name), sorted by value. For a value with several names the one that
/// TypeScript's reverse map keeps (the last declared in 2.5.3) comes first. Beyond 2.5.3:
/// `UNKNOWN_ERROR` (what an unknown failure passes) and the raw CONNACK refusals that `connect`
/// reports (transport.md §9.2): `UNACCEPTABLE_PaROTOCOL_VERSION` (sic), `IDENTIFIER_REJECTED`,
/// `SERVER_UNAVAILABLE`.
pub const ERROR_CODES: &[(i32, &str)] = &[
    (-3, "PARAMETER_ERROR"),
    (-2, "UNKNOWN"),
    (-2, "UNKNOWN_ERROR"),
    (-1, "TIMEOUT"),
    (0, "SUCCESS"),
    (1, "CANCEL"),
    (1, "UNACCEPTABLE_PaROTOCOL_VERSION"),
    (2, "REJECT"),
    (2, "IDENTIFIER_REJECTED"),
    (3, "HANGUP"),
    (3, "SERVER_UNAVAILABLE"),
    (4, "BUSYLINE"),
    (5, "NO_RESPONSE"),
    (6, "ENGINE_UN_SUPPORTED"),
    (7, "NETWORK_ERROR"),
    (11, "REMOTE_CANCEL"),
    (12, "REMOTE_REJECT"),
    (13, "REMOTE_HANGUP"),
    (14, "REMOTE_BUSYLINE"),
    (15, "REMOTE_NO_RESPONSE"),
    (16, "REMOTE_ENGINE_UN_SUPPORTED"),
    (17, "REMOTE_NETWORK_ERROR"),
    (18, "VOIP_NOT_AVALIABLE"),
    (405, "REJECTED_BY_BLACKLIST"),
    (20406, "RC_MSG_UNAUTHORIZED"),
    (20407, "RC_DISCUSSION_GROUP_ID_INVALID"),
    (20604, "SEND_FREQUENCY_TOO_FAST"),
    (21406, "NOT_IN_DISCUSSION"),
    (21407, "JOIN_IN_DISCUSSION"),
    (21408, "CREATE_DISCUSSION"),
    (21409, "INVITE_DICUSSION"),
    (21501, "SENSITIVE_SHIELD"),
    (21502, "SENSITIVE_REPLACE"),
    (22406, "NOT_IN_GROUP"),
    (22408, "FORBIDDEN_IN_GROUP"),
    (23406, "NOT_IN_CHATROOM"),
    (23407, "GET_USERINFO_ERROR"),
    (23408, "FORBIDDEN_IN_CHATROOM"),
    (23409, "RC_CHATROOM_USER_KICKED"),
    (23410, "RC_CHATROOM_NOT_EXIST"),
    (23411, "RC_CHATROOM_IS_FULL"),
    (23412, "RC_CHATROOM_PATAMETER_INVALID"),
    (23413, "CHATROOM_GET_HISTORYMSG_ERROR"),
    (23414, "CHATROOM_NOT_OPEN_HISTORYMSG_STORE"),
    (23423, "CHATROOM_KV_EXCEED"),
    (23424, "CHATROOM_KV_OVERWRITE_INVALID"),
    (23426, "CHATROOM_KV_STORE_NOT_OPEN"),
    (23427, "CHATROOM_KEY_NOT_EXIST"),
    (24001, "HAVNODEVICEID"),
    (24002, "DEVICEIDISHAVE"),
    (24009, "FEILD"),
    (24010, "NOENGINETYPE"),
    (24011, "NULLCHANNELNAME"),
    (24012, "VOIPDYANMICERROR"),
    (24013, "VOIPISNULL"),
    (24014, "NOVOIP"),
    (24015, "INTERNALERRROR"),
    (24016, "VOIPCLOSE"),
    (25101, "RECALL_MESSAGE"),
    (30001, "RC_NET_CHANNEL_INVALID"),
    (30002, "RC_NET_UNAVAILABLE"),
    (30003, "RC_MSG_RESP_TIMEOUT"),
    (30004, "RC_HTTP_SEND_FAIL"),
    (30005, "RC_HTTP_REQ_TIMEOUT"),
    (30006, "RC_HTTP_RECV_FAIL"),
    (30007, "RC_NAVI_RESOURCE_ERROR"),
    (30008, "RC_NODE_NOT_FOUND"),
    (30009, "RC_DOMAIN_NOT_RESOLVE"),
    (30010, "RC_SOCKET_NOT_CREATED"),
    (30011, "RC_SOCKET_DISCONNECTED"),
    (30012, "RC_PING_SEND_FAIL"),
    (30013, "RC_PONG_RECV_FAIL"),
    (30014, "RC_MSG_SEND_FAIL"),
    (31000, "RC_CONN_ACK_TIMEOUT"),
    (31001, "RC_CONN_PROTO_VERSION_ERROR"),
    (31002, "RC_CONN_ID_REJECT"),
    (31003, "RC_CONN_SERVER_UNAVAILABLE"),
    (31004, "RC_CONN_USER_OR_PASSWD_ERROR"),
    (31005, "RC_CONN_NOT_AUTHRORIZED"),
    (31006, "RC_CONN_REDIRECTED"),
    (31007, "RC_CONN_PACKAGE_NAME_INVALID"),
    (31008, "RC_CONN_APP_BLOCKED_OR_DELETED"),
    (31009, "RC_CONN_USER_BLOCKED"),
    (31010, "RC_DISCONN_KICK"),
    (31011, "RC_DISCONN_EXCEPTION"),
    (32001, "RC_QUERY_ACK_NO_DATA"),
    (32002, "RC_MSG_DATA_INCOMPLETE"),
    (33001, "BIZ_ERROR_CLIENT_NOT_INIT"),
    (33002, "BIZ_ERROR_DATABASE_ERROR"),
    (33003, "BIZ_ERROR_INVALID_PARAMETER"),
    (33004, "BIZ_ERROR_NO_CHANNEL"),
    (33005, "BIZ_ERROR_RECONNECT_SUCCESS"),
    (33006, "BIZ_ERROR_CONNECTING"),
    (33007, "MSG_ROAMING_SERVICE_UNAVAILABLE"),
    (33008, "MSG_INSERT_ERROR"),
    (33009, "MSG_DEL_ERROR"),
    (34001, "CONVER_REMOVE_ERROR"),
    (34002, "CONVER_GETLIST_ERROR"),
    (34003, "CONVER_SETOP_ERROR"),
    (34004, "CONVER_TOTAL_UNREAD_ERROR"),
    (34005, "CONVER_TYPE_UNREAD_ERROR"),
    (34006, "CONVER_ID_TYPE_UNREAD_ERROR"),
    (34007, "CONVER_CLEAR_ERROR"),
    (34008, "CLEAR_HIS_TYPE_ERROR"),
    (34009, "CONVER_GET_ERROR"),
    (34010, "CLEAR_HIS_ERROR"),
    (34011, "CLEAR_HIS_TIME_ERROR"),
    (35001, "GROUP_SYNC_ERROR"),
    (35002, "GROUP_MATCH_ERROR"),
    (36001, "CHATROOM_ID_ISNULL"),
    (36002, "CHARTOOM_JOIN_ERROR"),
    (36003, "CHATROOM_HISMESSAGE_ERROR"),
    (36004, "CHATROOM_KV_NOT_FOUND"),
    (37001, "BLACK_ADD_ERROR"),
    (37002, "BLACK_GETSTATUS_ERROR"),
    (37003, "BLACK_REMOVE_ERROR"),
    (38001, "DRAF_GET_ERROR"),
    (38002, "DRAF_SAVE_ERROR"),
    (38003, "DRAF_REMOVE_ERROR"),
    (39001, "SUBSCRIBE_ERROR"),
    (41001, "QNTKN_FILETYPE_ERROR"),
    (41002, "QNTKN_GET_ERROR"),
    (51001, "CLOSE_BEFORE_OPEN"),
    (51001, "COOKIE_ENABLE"),
    (51002, "ALREADY_IN_USE"),
    (51003, "INVALID_CHANNEL_NAME"),
    (51004, "VIDEO_CONTAINER_IS_NULL"),
    (61001, "DELETE_MESSAGE_ID_IS_NULL"),
    (61001, "GET_MESSAGE_BY_ID_ERROR"),
];

impl ErrorCode {
    /// The 2.5.3 name of this code, if it has one.
    pub fn name(self) -> Option<&'static str> {
        ERROR_CODES
            .iter()
            .find(|(v, _)| *v == self.0)
            .map(|(_, n)| *n)
    }

    /// The numeric value.
    pub const fn value(self) -> i32 {
        self.0
    }
}

impl From<u16> for ErrorCode {
    fn from(status: u16) -> Self {
        Self(i32::from(status))
    }
}

impl crate::text::Piece for ErrorCode {
    fn push_to(&self, out: &mut String) {
        crate::text::Piece::push_to(&self.0, out);
        if let Some(name) = self.name() {
            crate::text!(in out; " (", name, ")");
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::Piece::text(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_125_members_of_2_5_3_and_4_more_sorted_by_value() {
        assert_eq!(ERROR_CODES.len(), 129);
        assert!(ERROR_CODES.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn duplicated_values_resolve_to_the_typescript_reverse_map_name() {
        assert_eq!(ErrorCode(51001).name(), Some("CLOSE_BEFORE_OPEN"));
        assert_eq!(ErrorCode(61001).name(), Some("DELETE_MESSAGE_ID_IS_NULL"));
        assert_eq!(ErrorCode::COOKIE_ENABLE, ErrorCode::CLOSE_BEFORE_OPEN);
        // The names beyond 2.5.3 never take a value's name from a 2.5.3 member.
        assert_eq!(ErrorCode::UNKNOWN.name(), Some("UNKNOWN"));
        assert_eq!(ErrorCode(3).name(), Some("HANGUP"));
    }

    #[test]
    fn codes_the_server_sends_have_their_names() {
        assert_eq!(ErrorCode::from(22406).name(), Some("NOT_IN_GROUP"));
        assert_eq!(ErrorCode::REJECTED_BY_BLACKLIST.value(), 405);
        assert_eq!(ErrorCode::SENSITIVE_REPLACE.value(), 21502);
        assert_eq!(ErrorCode(-1).to_string(), "-1 (TIMEOUT)");
        assert_eq!(ErrorCode(1234).to_string(), "1234");
    }
}
