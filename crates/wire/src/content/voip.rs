//! VoIP call signalling, neither stored nor counted (tag 0), api.md §6.2 and §5.5 step 8. Keys are
//! declared in the order the SDK constructor assigns them. `mediaId` and `mode` have no documented
//! type, so they are kept as any JSON.

use crate::value::Value;

content_struct! {
    /// `RC:VCAccept`: the callee accepts.
    pub struct AcceptMessage {
        /// `mediaId`: any JSON (untyped in the SDK).
        pub media_id: Option<Value>,
        /// `callId`.
        pub call_id: Option<String>,
        /// `mediaType`: 1 audio, 2 video.
        pub media_type: Option<i64>,
        /// `mode`: any JSON (untyped in the SDK).
        pub mode: Option<Value>,
        /// `subInfo`.
        pub sub_info: Option<Vec<String>>,
    }
}

content_struct! {
    /// `RC:VCRinging`: the callee's device is ringing.
    pub struct RingingMessage {
        /// `callId`.
        pub call_id: Option<String>,
    }
}

content_struct! {
    /// `RC:VCSummary`: summary of a finished call.
    pub struct SummaryMessage {
        /// `caller`: user id.
        pub caller: Option<String>,
        /// `inviter`: user id.
        pub inviter: Option<String>,
        /// `mediaType`: 1 audio, 2 video.
        pub media_type: Option<i64>,
        /// `memberIdList`: participants.
        pub member_id_list: Option<Vec<String>>,
        /// `startTime` (ms).
        pub start_time: Option<i64>,
        /// `connectedTime` (ms).
        pub connected_time: Option<i64>,
        /// `duration` (ms).
        pub duration: Option<i64>,
        /// `status`: hang-up reason code (1–18).
        pub status: Option<i64>,
    }
}

content_struct! {
    /// `RC:VCHangup`: a participant hangs up.
    pub struct HungupMessage {
        /// `callId`.
        pub call_id: Option<String>,
        /// `reason`: hang-up reason code (the SDK sends `ErrorCode` numbers such as
        /// `REMOTE_HANGUP`).
        pub reason: Option<i64>,
        /// `mode`: any JSON (untyped in the SDK).
        pub mode: Option<Value>,
        /// `subInfo`.
        pub sub_info: Option<Vec<String>>,
    }
}

content_struct! {
    /// `RC:VCInvite`: invites users to a call.
    pub struct InviteMessage {
        /// `mediaId`: any JSON (untyped in the SDK).
        pub media_id: Option<Value>,
        /// `callId`.
        pub call_id: Option<String>,
        /// `engineType`: media engine number.
        pub engine_type: Option<i64>,
        /// `channelInfo`: `{Id, Key}`, kept as any JSON.
        pub channel_info: Option<Value>,
        /// `mediaType`: 1 audio, 2 video.
        pub media_type: Option<i64>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `inviteUserIds`.
        pub invite_user_ids: Option<Vec<String>>,
        /// `observerUserIds`.
        pub observer_user_ids: Option<Vec<String>>,
        /// `mode`: any JSON (untyped in the SDK).
        pub mode: Option<Value>,
        /// `subInfo`.
        pub sub_info: Option<Vec<String>>,
    }
}

content_struct! {
    /// `RC:VCModifyMedia`: switches between audio and video.
    pub struct MediaModifyMessage {
        /// `callId`.
        pub call_id: Option<String>,
        /// `mediaType`: 1 audio, 2 video.
        pub media_type: Option<i64>,
        /// `mode`: any JSON (untyped in the SDK).
        pub mode: Option<Value>,
        /// `subInfo`.
        pub sub_info: Option<Vec<String>>,
    }
}

content_struct! {
    /// `RC:VCModifyMem`: members join a running call.
    pub struct MemberModifyMessage {
        /// `modifyMemType`: kind of change.
        pub modify_mem_type: Option<i64>,
        /// `callId`.
        pub call_id: Option<String>,
        /// `caller`: user id.
        pub caller: Option<String>,
        /// `engineType`: media engine number.
        pub engine_type: Option<i64>,
        /// `channelInfo`: `{Id, Key}`, kept as any JSON.
        pub channel_info: Option<Value>,
        /// `mediaType`: 1 audio, 2 video.
        pub media_type: Option<i64>,
        /// `extra`: free app data.
        pub extra: Option<String>,
        /// `inviteUserIds`.
        pub invite_user_ids: Option<Vec<String>>,
        /// `existedMemberStatusList`: any JSON (the SDK declares `string[]`, apps send objects
        /// such as `{userId, callStatus}`).
        pub existed_member_status_list: Option<Value>,
        /// `existedUserPofiles` (sic): the mobile SDKs' name for the same list; any JSON.
        pub existed_user_pofiles: Option<Value>,
        /// `observerUserIds`.
        pub observer_user_ids: Option<Vec<String>>,
        /// `mode`: any JSON (untyped in the SDK).
        pub mode: Option<Value>,
        /// `subInfo`.
        pub sub_info: Option<Vec<String>>,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::round_trip;
    use super::super::MessageContent;
    use crate::json;

    #[test]
    fn accept_and_ringing() {
        let raw = r#"{"mediaId":"m1","callId":"c1","mediaType":2,"mode":0,"subInfo":["s1"]}"#;
        let MessageContent::Accept(a) = round_trip("RC:VCAccept", raw) else {
            panic!()
        };
        assert_eq!((a.call_id.as_deref(), a.media_type), (Some("c1"), Some(2)));
        assert_eq!((a.media_id, a.mode), (Some(json!("m1")), Some(json!(0))));
        assert_eq!(a.sub_info, Some(vec!["s1".to_string()]));
        let MessageContent::Ringing(r) = round_trip("RC:VCRinging", r#"{"callId":"c1"}"#) else {
            panic!()
        };
        assert_eq!(r.call_id.as_deref(), Some("c1"));
    }

    #[test]
    fn summary() {
        let raw = r#"{"caller":"u1","inviter":"u1","mediaType":1,"memberIdList":["u1","u2"],"startTime":1577000000000,"connectedTime":1577000003000,"duration":60000,"status":3}"#;
        let MessageContent::Summary(s) = round_trip("RC:VCSummary", raw) else {
            panic!()
        };
        assert_eq!((s.caller.as_deref(), s.media_type), (Some("u1"), Some(1)));
        assert_eq!(
            (s.start_time, s.connected_time),
            (Some(1_577_000_000_000), Some(1_577_000_003_000))
        );
        assert_eq!((s.duration, s.status), (Some(60_000), Some(3)));
        assert_eq!(s.member_id_list.map(|m| m.len()), Some(2));
    }

    #[test]
    fn hangup() {
        let raw = r#"{"callId":"c1","reason":13,"mode":0,"subInfo":[]}"#;
        let MessageContent::Hungup(h) = round_trip("RC:VCHangup", raw) else {
            panic!()
        };
        assert_eq!((h.call_id.as_deref(), h.reason), (Some("c1"), Some(13)));
    }

    #[test]
    fn invite_with_channel_info() {
        let raw = r#"{"mediaId":"m1","callId":"c1","engineType":1,"channelInfo":{"Id":"c1","Key":"k"},"mediaType":2,"extra":"","inviteUserIds":["u2","u3"],"observerUserIds":[],"mode":0,"subInfo":[]}"#;
        let MessageContent::Invite(i) = round_trip("RC:VCInvite", raw) else {
            panic!()
        };
        assert_eq!((i.engine_type, i.media_type), (Some(1), Some(2)));
        assert_eq!(i.channel_info.unwrap()["Key"], "k");
        assert_eq!(i.invite_user_ids.unwrap(), ["u2", "u3"]);
        assert_eq!(i.observer_user_ids, Some(vec![]));
    }

    #[test]
    fn media_modify() {
        let raw = r#"{"callId":"c1","mediaType":1,"mode":0,"subInfo":["a"]}"#;
        let MessageContent::MediaModify(m) = round_trip("RC:VCModifyMedia", raw) else {
            panic!()
        };
        assert_eq!((m.call_id.as_deref(), m.media_type), (Some("c1"), Some(1)));
    }

    #[test]
    fn member_modify_with_member_objects() {
        let raw = r#"{"modifyMemType":1,"callId":"c1","caller":"u1","engineType":1,"channelInfo":{"Id":"c1","Key":""},"mediaType":2,"extra":"","inviteUserIds":["u4"],"existedMemberStatusList":[{"userId":"u2","callStatus":5}],"existedUserPofiles":[{"userId":"u2","mediaId":"m2","mediaType":2}],"observerUserIds":[],"mode":0,"subInfo":[]}"#;
        let MessageContent::MemberModify(m) = round_trip("RC:VCModifyMem", raw) else {
            panic!()
        };
        assert_eq!(
            (m.modify_mem_type, m.caller.as_deref()),
            (Some(1), Some("u1"))
        );
        assert_eq!(m.existed_member_status_list.unwrap()[0]["callStatus"], 5);
        assert_eq!(m.existed_user_pofiles.unwrap()[0]["mediaId"], "m2");
        assert_eq!(m.invite_user_ids.unwrap(), ["u4"]);
    }
}
