//! A scripted server on virtual time: it feeds frames encoded with `ServerFrame::encode` to the
//! engine and decodes what the engine sends with `ClientFrame::decode`. No sockets, no sleeps.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use im_client::wire::frame::{ConnAck, Qos, Query, QueryAck, ServerPubAck, ServerPublish};
use im_client::wire::proto::{self, DownStreamMessage, DownStreamMessages, NotifyMsg};
use im_client::wire::{ClientFrame, ServerFrame};
use im_client::{
    Config, Engine, Event, Message, Output, Reply, RequestError, RequestId, NO_DEADLINE,
};

pub const APP_KEY: &str = "appkey";
pub const TOKEN: &str = "tok+en/=";
pub const USER: &str = "user1";
/// The CONNACK timestamp used by [`Harness::connect`].
pub const CONNACK_TIME: u64 = 1_577_836_800_000;

pub fn config() -> Config {
    let mut c = Config::new(APP_KEY);
    c.navi_hosts = vec!["nav.test".into()];
    c.secure = false;
    c.seed = 1;
    c
}

pub struct Harness {
    pub engine: Engine,
    pub now: u64,
    pub deadline: u64,
    pub outputs: Vec<Output>,
    /// What a host's storage holds: the configured storage plus every `Persist` drained.
    pub storage: im_client::Storage,
}

impl Harness {
    pub fn new(config: Config) -> Self {
        let mut h = Self {
            storage: config.storage.clone(),
            engine: Engine::new(config),
            now: 0,
            deadline: NO_DEADLINE,
            outputs: Vec::new(),
        };
        h.drain();
        h
    }

    /// Drains `poll_output` until the deadline, as the contract requires after every input.
    pub fn drain(&mut self) {
        for _ in 0..10_000 {
            match self.engine.poll_output() {
                Output::Timeout { at_ms } => {
                    self.deadline = at_ms;
                    return;
                }
                other => {
                    apply_persisted(&mut self.storage, std::slice::from_ref(&other));
                    self.outputs.push(other);
                }
            }
        }
        panic!("poll_output never returned Timeout");
    }

    /// Moves virtual time to `t`, firing every timer due on the way at its own time.
    pub fn advance_to(&mut self, t: u64) {
        for _ in 0..10_000 {
            if self.deadline > t {
                self.now = self.now.max(t);
                return;
            }
            self.now = self.now.max(self.deadline);
            self.engine.handle_timeout(self.now);
            self.drain();
        }
        panic!("timers keep firing at {}", self.now);
    }

    pub fn advance(&mut self, ms: u64) {
        self.advance_to(self.now + ms);
    }

    pub fn take(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outputs)
    }

    pub fn connect(&mut self, token: &str) -> bool {
        // As the JS host does: it hands over the token's MD5, which keys the navigation cache.
        self.engine
            .set_token_md5(token, &im_client::md5::hex(token.as_bytes()));
        let r = self.engine.connect(self.now, token);
        self.drain();
        r
    }

    pub fn http(&mut self, id: RequestId, status: u16, body: &str) {
        self.engine.handle_http_response(self.now, id, status, body);
        self.drain();
    }

    pub fn open(&mut self) {
        self.engine.handle_socket_open(self.now);
        self.drain();
    }

    pub fn close(&mut self, code: u16) {
        self.engine.handle_socket_close(self.now, code);
        self.drain();
    }

    pub fn server(&mut self, frame: ServerFrame) {
        let bytes = frame.encode().unwrap();
        self.raw(&bytes);
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.engine.handle_socket_data(self.now, bytes);
        self.drain();
    }

    /// Navigation, probe, socket, CONNACK 0, PINGRESP and an empty finished pull; returns with the
    /// outputs of that path consumed.
    pub fn connect_fully(&mut self) {
        self.connect_fully_as(USER);
    }

    /// [`Harness::connect_fully`] with `user` in the CONNACK.
    pub fn connect_fully_as(&mut self, user: &str) {
        assert!(self.connect(TOKEN));
        // A stored navigation of this token goes straight to the `/ping` probe.
        let (id, url) = take_http(&self.outputs).into_iter().next().unwrap();
        if url.contains("/navi") {
            self.take();
            self.http(id, 200, &navi_body());
        }
        self.answer_probe_and_accept_as(user);
        let pull = pull_id(&self.take());
        // The server answers the first-ping check and the pull.
        self.raw(&[0xd0]);
        self.server(pull_reply(pull, vec![], 0, true));
        self.take();
    }

    /// Answers the first `/ping` with 200, opens the socket and sends CONNACK 0.
    pub fn answer_probe_and_accept(&mut self) {
        self.answer_probe_and_accept_as(USER);
    }

    /// [`Harness::answer_probe_and_accept`] with `user` in the CONNACK.
    pub fn answer_probe_and_accept_as(&mut self, user: &str) {
        let outs = self.take();
        let (ping, url) = take_http(&outs).into_iter().next().expect("a /ping probe");
        assert!(url.contains("/ping?r="), "{url}");
        self.http(ping, 200, "");
        assert!(self
            .outputs
            .iter()
            .any(|o| matches!(o, Output::OpenSocket { .. })));
        self.open();
        self.server(ServerFrame::ConnAck(ConnAck::accepted(
            user,
            "s1",
            CONNACK_TIME,
        )));
    }

    /// A drain without an input, as a host does before it lets the engine go: the writes held
    /// after the server's frames go out (see `Engine::poll_output`).
    pub fn write_out(&mut self) {
        self.drain();
    }

    /// A new engine (default configuration) on the storage this one's host kept, after
    /// `connect`: the stored navigation names the user, so their store is there before CONNACK.
    /// This one writes out first, as a host that lets its engine go does.
    pub fn restarted(&mut self) -> Harness {
        self.write_out();
        let mut c = config();
        c.storage = self.storage.clone();
        let mut h = Harness::new(c);
        h.connect(TOKEN);
        h
    }

    /// Delivers `list` through one pull: an `s_ntf` newer than every item, then the finished
    /// reply, then writes out. Returns the outputs of the reply and of the write-out.
    pub fn pull_in(&mut self, list: Vec<DownStreamMessage>) -> Vec<Output> {
        let newest = list.iter().map(|m| m.data_time).max().unwrap_or(1);
        self.take();
        self.server(s_ntf(1, newest));
        let pull = pull_id(&self.take());
        self.server(pull_reply(pull, list, newest, true));
        self.write_out();
        self.take()
    }
}

pub fn navi_body() -> String {
    format!(
        r#"getServerEndpoint({{"code":200,"server":"cmp1.test","backupServer":"cmp2.test","userId":"{USER}"}});"#
    )
}

/// The `Persist` outputs as a map (the last write of a key wins; an empty value is a deletion).
pub fn persisted(outputs: &[Output]) -> im_client::Storage {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Persist { key, value } => Some((key.clone(), value.clone())),
            _ => None,
        })
        .collect()
}

/// Applies the `Persist` outputs to `storage` as the shim does (an empty value deletes the key).
pub fn apply_persisted(storage: &mut im_client::Storage, outputs: &[Output]) {
    for (key, value) in persisted(outputs) {
        if value.is_empty() {
            storage.remove(&key);
        } else {
            storage.insert(key, value);
        }
    }
}

pub fn take_http(outputs: &[Output]) -> Vec<(RequestId, String)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::HttpGet { id, url } => Some((*id, url.clone())),
            _ => None,
        })
        .collect()
}

pub fn events(outputs: &[Output]) -> Vec<Event> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Event { event } => Some(event.clone()),
            _ => None,
        })
        .collect()
}

pub fn statuses(outputs: &[Output]) -> Vec<i32> {
    events(outputs)
        .into_iter()
        .filter_map(|e| match e {
            Event::StatusChanged { status } => Some(status),
            _ => None,
        })
        .collect()
}

pub fn received(outputs: &[Output]) -> Vec<(Message, u32, bool)> {
    events(outputs)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived {
                message,
                left,
                has_more,
            } => Some(((*message).clone(), left, has_more)),
            _ => None,
        })
        .collect()
}

pub fn sent_bytes(outputs: &[Output]) -> Vec<Vec<u8>> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::SendBytes { bytes } => Some(bytes.clone()),
            _ => None,
        })
        .collect()
}

pub fn sent_frames(outputs: &[Output]) -> Vec<ClientFrame> {
    sent_bytes(outputs)
        .iter()
        .map(|b| ClientFrame::decode(b).unwrap())
        .collect()
}

/// The id of the one `pullMsg` QUERY in `outputs`.
pub fn pull_id(outputs: &[Output]) -> u16 {
    let pulls: Vec<u16> = sent_frames(outputs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Query(q) if q.topic == "pullMsg" => Some(q.msg_id),
            _ => None,
        })
        .collect();
    assert_eq!(pulls.len(), 1, "expected one pull in {outputs:?}");
    pulls[0]
}

pub fn pull_reply(
    msg_id: u16,
    list: Vec<DownStreamMessage>,
    sync_time: i64,
    finished: bool,
) -> ServerFrame {
    let payload = proto::encode(&DownStreamMessages {
        list,
        sync_time,
        finished: Some(finished),
    });
    ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtLeastOnce,
        msg_id,
        date: 0,
        status: 0,
        payload,
    })
}

/// A private text message from `from` to [`USER`].
pub fn text_from(from: &str, text: &str, uid: &str, time: i64) -> DownStreamMessage {
    DownStreamMessage {
        from_user_id: from.into(),
        r#type: 1,
        classname: "RC:TxtMsg".into(),
        content: format!(r#"{{"content":"{text}","extra":""}}"#).into_bytes(),
        data_time: time,
        msg_id: Some(uid.into()),
        ..Default::default()
    }
}

pub fn publish(topic: &str, msg_id: u16, qos: Qos, sync: bool, payload: Vec<u8>) -> ServerFrame {
    ServerFrame::Publish(ServerPublish {
        qos,
        sync,
        date: 0,
        topic: topic.into(),
        target_id: USER.into(),
        msg_id,
        payload,
    })
}

pub fn s_ntf(msg_id: u16, time: i64) -> ServerFrame {
    let payload = proto::encode(&NotifyMsg {
        r#type: 1,
        time: Some(time),
        chrm_id: None,
    });
    publish("s_ntf", msg_id, Qos::AtLeastOnce, false, payload)
}

pub fn s_msg(msg_id: u16, m: &DownStreamMessage) -> ServerFrame {
    publish("s_msg", msg_id, Qos::AtMostOnce, false, proto::encode(m))
}

pub fn puback(msg_id: u16, status: u16, time: u64, uid: &str) -> ServerFrame {
    ServerFrame::PubAck(ServerPubAck::new(msg_id, status, time, uid))
}

/// The text of a received text message.
pub fn text_of(m: &Message) -> String {
    im_client::content_value(&m.content)["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The one QUERY the engine sent since the last take.
pub fn query(h: &mut Harness) -> Query {
    let queries = queries(&h.take());
    assert_eq!(queries.len(), 1, "{queries:?}");
    queries.into_iter().next().unwrap()
}

/// A QoS 0 QUERYACK for `msg_id`.
pub fn ack(msg_id: u16, status: u16, payload: Vec<u8>) -> ServerFrame {
    query_ack(msg_id, status, payload)
}

/// The result of request `id`, which must have completed since the last take.
pub fn result_of(h: &mut Harness, id: RequestId) -> Result<Reply, RequestError> {
    completion(&h.take(), id).unwrap_or_else(|| panic!("request {id:?} did not complete"))
}

/// The completion of request `id` in `outputs`, if it completed.
pub fn completion(outputs: &[Output], id: RequestId) -> Option<Result<Reply, RequestError>> {
    events(outputs).into_iter().find_map(|e| match e {
        Event::RequestCompleted { id: got, result } if got == id => Some(result),
        _ => None,
    })
}

/// The QUERYs the engine sent in `outputs`.
pub fn queries(outputs: &[Output]) -> Vec<Query> {
    sent_frames(outputs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Query(q) => Some(q),
            _ => None,
        })
        .collect()
}

/// The storage keys of the local message store of `user`.
pub fn store_keys<'a>(
    storage: &'a im_client::Storage,
    user: &str,
) -> Vec<(&'a String, &'a String)> {
    let suffix = format!("_{user}");
    storage
        .iter()
        .filter(|(k, _)| {
            ["msgs", "msgn", "msgi"].iter().any(|p| {
                k.strip_prefix(p)
                    .and_then(|rest| rest.strip_suffix(suffix.as_str()))
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            })
        })
        .collect()
}

/// A QoS 0 QUERYACK for `msg_id`.
pub fn query_ack(msg_id: u16, status: u16, payload: Vec<u8>) -> ServerFrame {
    ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtMostOnce,
        msg_id,
        date: 0,
        status,
        payload,
    })
}

/// The signalling ids of the PUBLISHes in `outputs`.
pub fn published(outputs: &[Output]) -> Vec<u16> {
    sent_frames(outputs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Publish(p) => Some(p.msg_id),
            _ => None,
        })
        .collect()
}

/// The local store id a message carries as its `messageId`.
pub fn local_id(m: &Message) -> u64 {
    m.message_id.as_deref().unwrap().parse().unwrap()
}
