//! Customer-service signalling (conversation type 5), neither stored nor counted (tag 0), api.md
//! §6.2 and §5.5 step 6. Keys are declared in the order the SDK constructor assigns them.

use crate::value::Value;

content_struct! {
    /// `RC:CsHs`: starts a customer-service session (sent by the client only).
    pub struct HandShakeMessage {
        /// `requestInfo`: any JSON, e.g. `{"productId":"123","referrer":"10001"}`.
        pub request_info: Option<Value>,
        /// `userInfo`: any JSON, e.g. `{"grade":"VIP","name":"Martin"}`.
        pub user_info: Option<Value>,
    }
}

content_struct! {
    /// `RC:CsHsR`: the service's answer to the handshake.
    pub struct HandShakeResponseMessage {
        /// `msg`: text.
        pub msg: Option<String>,
        /// `status` code.
        pub status: Option<i64>,
        /// `data`: the session object (`uid`, `sid`, `pid`, `serviceType`, `notAutoCha`, …).
        pub data: Option<Value>,
    }
}

content_struct! {
    /// `RC:CSCha` (capital S): asks to switch to a human agent (sent by the client only).
    pub struct ChangeModeMessage {
        /// `uid`: session user id.
        pub uid: Option<String>,
        /// `sid`: session id.
        pub sid: Option<String>,
        /// `pid`: process id.
        pub pid: Option<String>,
    }
}

content_struct! {
    /// `RC:CsChaR`: answer to a mode change.
    pub struct ChangeModeResponseMessage {
        /// `code`: result code.
        pub code: Option<i64>,
        /// `data`: any JSON.
        pub data: Option<Value>,
        /// `msg`: text.
        pub msg: Option<String>,
    }
}

content_struct! {
    /// `RC:CsEva`: rates the service (sent by the client only).
    pub struct EvaluateMessage {
        /// `uid`: session user id.
        pub uid: Option<String>,
        /// `sid`: session id.
        pub sid: Option<String>,
        /// `pid`: process id.
        pub pid: Option<String>,
        /// `source`: the rating, 1–5.
        pub source: Option<i64>,
        /// `suggest`: free comment.
        pub suggest: Option<String>,
        /// `isresolve`: whether the problem was solved.
        pub isresolve: Option<bool>,
        /// `type`: 0 robot, 1 human.
        pub r#type: Option<i64>,
    }
}

content_struct! {
    /// `RC:CsSp`: the service suspends the session.
    pub struct SuspendMessage {
        /// `uid`: session user id.
        pub uid: Option<String>,
        /// `sid`: session id.
        pub sid: Option<String>,
        /// `pid`: process id.
        pub pid: Option<String>,
    }
}

content_struct! {
    /// `RC:CsEnd`: the service ends the session.
    pub struct TerminateMessage {
        /// `code`: 0 ended, 1 switched to the robot.
        pub code: Option<i64>,
        /// `msg`: text.
        pub msg: Option<String>,
        /// `sid`: session id (a Terminate for another session is ignored, api.md §5.5).
        pub sid: Option<String>,
    }
}

content_struct! {
    /// `RC:CsUpdate`: the service's status changed.
    pub struct CustomerStatusUpdateMessage {
        /// `serviceStatus`: kept as any JSON (declared as a string in the SDK, but the value
        /// is a status number in other SDKs).
        pub service_status: Option<Value>,
        /// `sid`: session id.
        pub sid: Option<String>,
    }
}

content_struct! {
    /// `RC:CsContact`: contact/routing details for the service.
    pub struct CustomerContact {
        /// `page`: any JSON.
        pub page: Option<Value>,
        /// `nickName`.
        pub nick_name: Option<String>,
        /// `routingInfo`: any JSON.
        pub routing_info: Option<Value>,
        /// `info`: any JSON.
        pub info: Option<Value>,
        /// `requestInfo`: any JSON.
        pub request_info: Option<Value>,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::round_trip;
    use super::super::MessageContent;
    use crate::json;

    #[test]
    fn handshake_and_response() {
        let raw = r#"{"requestInfo":{"define":"","productId":"123","referrer":"10001"},"userInfo":{"grade":"VIP","name":"Martin"}}"#;
        let MessageContent::HandShake(h) = round_trip("RC:CsHs", raw) else {
            panic!()
        };
        assert_eq!(h.user_info, Some(json!({"grade": "VIP", "name": "Martin"})));
        let raw = r#"{"msg":"ok","status":0,"data":{"uid":"u1","sid":"s1","pid":"p1","serviceType":2,"notAutoCha":"1"}}"#;
        let MessageContent::HandShakeResponse(r) = round_trip("RC:CsHsR", raw) else {
            panic!()
        };
        assert_eq!((r.msg.as_deref(), r.status), (Some("ok"), Some(0)));
        assert_eq!(r.data.unwrap()["serviceType"], 2);
    }

    #[test]
    fn change_mode_and_response() {
        let raw = r#"{"uid":"u1","sid":"s1","pid":"p1"}"#;
        let MessageContent::ChangeMode(c) = round_trip("RC:CSCha", raw) else {
            panic!()
        };
        assert_eq!(
            (c.uid.as_deref(), c.sid.as_deref(), c.pid.as_deref()),
            (Some("u1"), Some("s1"), Some("p1"))
        );
        let raw = r#"{"code":1,"data":{"status":1},"msg":"queued"}"#;
        let MessageContent::ChangeModeResponse(r) = round_trip("RC:CsChaR", raw) else {
            panic!()
        };
        assert_eq!((r.code, r.msg.as_deref()), (Some(1), Some("queued")));
    }

    #[test]
    fn evaluate() {
        let raw = r#"{"uid":"u1","sid":"s1","pid":"p1","source":5,"suggest":"great","isresolve":true,"type":1}"#;
        let MessageContent::Evaluate(e) = round_trip("RC:CsEva", raw) else {
            panic!()
        };
        assert_eq!(
            (e.source, e.isresolve, e.r#type),
            (Some(5), Some(true), Some(1))
        );
        assert_eq!(e.suggest.as_deref(), Some("great"));
    }

    #[test]
    fn suspend_and_terminate() {
        let MessageContent::Suspend(s) =
            round_trip("RC:CsSp", r#"{"uid":"u1","sid":"s1","pid":"p1"}"#)
        else {
            panic!()
        };
        assert_eq!(s.sid.as_deref(), Some("s1"));
        let MessageContent::Terminate(t) =
            round_trip("RC:CsEnd", r#"{"code":0,"msg":"bye","sid":"s1"}"#)
        else {
            panic!()
        };
        assert_eq!(
            (t.code, t.msg.as_deref(), t.sid.as_deref()),
            (Some(0), Some("bye"), Some("s1"))
        );
    }

    #[test]
    fn status_update_and_contact() {
        let MessageContent::CustomerStatusUpdate(u) =
            round_trip("RC:CsUpdate", r#"{"serviceStatus":2,"sid":"s1"}"#)
        else {
            panic!()
        };
        assert_eq!(u.service_status, Some(json!(2)));
        let raw = r#"{"page":{"title":"Shop"},"nickName":"Martin","routingInfo":{"group":"g1"},"info":{"tel":"1"},"requestInfo":{"productId":"123"}}"#;
        let MessageContent::CustomerContact(c) = round_trip("RC:CsContact", raw) else {
            panic!()
        };
        assert_eq!(c.nick_name.as_deref(), Some("Martin"));
        assert_eq!(c.routing_info, Some(json!({"group": "g1"})));
    }
}
