//! vectors.md §5 (comet header values H1–H11) and §6 (comet JSON C1–C11).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use im_wire::comet::{self, Upstream};
use im_wire::frame::*;
use im_wire::proto::{
    DownStreamMessage, DownStreamMessages, NotifyMsg, RelationsInput, SyncRequestMsg,
    UpStreamMessage,
};
use im_wire::ServerFrame;
use serde_json::{json, Value};

fn h(kind: MessageType, qos: Qos) -> Header {
    Header::new(kind, qos)
}

#[test]
fn h1_to_h11_header_values_unsigned_upstream_and_signed_downstream() {
    let rows: [(Header, u8, i8); 11] = [
        (h(MessageType::ConnAck, Qos::AtMostOnce), 0x20, 32),
        (h(MessageType::Publish, Qos::AtMostOnce), 0x30, 48),
        (h(MessageType::Publish, Qos::AtLeastOnce), 0x32, 50),
        (h(MessageType::PubAck, Qos::AtMostOnce), 0x40, 64),
        (h(MessageType::Query, Qos::AtMostOnce), 0x50, 80),
        (h(MessageType::Query, Qos::AtLeastOnce), 0x52, 82),
        (h(MessageType::QueryAck, Qos::AtMostOnce), 0x60, 96),
        (h(MessageType::QueryAck, Qos::AtLeastOnce), 0x62, 98),
        (h(MessageType::QueryCon, Qos::AtMostOnce), 0x70, 112),
        (h(MessageType::PingResp, Qos::AtMostOnce), 0xd0, -48),
        (h(MessageType::Disconnect, Qos::AtMostOnce), 0xe0, -32),
    ];
    for (header, byte, code) in rows {
        assert_eq!(header.to_byte(), byte);
        assert_eq!(comet::header_code(header), code);
        assert_eq!(comet::header_from_code(i64::from(code)).unwrap(), header);
        assert_eq!(comet::header_from_code(i64::from(byte)).unwrap(), header);
    }
    assert!(comet::header_from_code(300).is_err());
    assert!(comet::header_from_code(0).is_err());
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn c1_connack_object() {
    let frame = ServerFrame::ConnAck(ConnAck::accepted("user1", "sess-0001", 1_577_836_800_000));
    let expected = parse(
        r#"{"status":0,"userId":"user1","headerCode":32,"messageId":0,"sessionid":"sess-0001","timestamp":1577836800000}"#,
    );
    let obj = comet::server_object(&frame, None);
    assert_eq!(obj, expected);
    let back = comet::parse_server_object(&expected).unwrap();
    assert_eq!(back.header.unwrap().kind, MessageType::ConnAck);
    assert_eq!(
        (back.user_id.as_str(), back.session_id.as_str()),
        ("user1", "sess-0001")
    );
    assert_eq!(back.timestamp, 1_577_836_800_000);
}

#[test]
fn c2_c3_queryack_with_a_json_string_payload() {
    let pull = DownStreamMessages {
        list: vec![],
        sync_time: 1_577_836_800_123,
        finished: Some(true),
    };
    let data = comet::payload_to_json(&pull).unwrap();
    assert_eq!(
        parse(&data),
        json!({"list": [], "syncTime": 1_577_836_800_123_i64, "finished": true})
    );
    let frame = ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtLeastOnce,
        msg_id: 1,
        date: 1_577_836_800,
        status: 0,
        payload: vec![],
    });
    let c2 = r#"{"headerCode":98,"messageId":1,"status":0,"date":1577836800,"data":"{\"list\":[],\"syncTime\":1577836800123,\"finished\":true}"}"#;
    assert_eq!(comet::server_object(&frame, Some(&data)), parse(c2));
    let obj = comet::parse_server_object(&parse(c2)).unwrap();
    assert_eq!(obj.header.unwrap().qos, Qos::AtLeastOnce);
    let decoded: DownStreamMessages =
        comet::payload_from_json(obj.data.as_deref().unwrap()).unwrap();
    assert_eq!(decoded, pull);
    // C3: QoS 0 form.
    let c3 = comet::parse_server_object(
        &json!({"headerCode": 96, "messageId": 1, "status": 0, "date": 1, "data": "{}"}),
    )
    .unwrap();
    assert_eq!(
        c3.header.unwrap(),
        Header::new(MessageType::QueryAck, Qos::AtMostOnce)
    );
}

#[test]
fn c4_puback_object() {
    let frame = ServerFrame::PubAck(ServerPubAck::new(3, 0, 1_577_836_800_300, "BKQ2-ABCD"));
    let obj = comet::server_object(&frame, None);
    assert_eq!(
        obj,
        json!({"headerCode": 64, "messageId": 3, "status": 0, "timestamp": 1_577_836_800_300_i64, "messageUId": "BKQ2-ABCD"})
    );
    let back = comet::parse_server_object(&obj).unwrap();
    assert_eq!(
        (back.message_id, back.timestamp, back.message_uid.as_str()),
        (3, 1_577_836_800_300, "BKQ2-ABCD")
    );
}

fn publish(topic: &str, msg_id: u16, date: u32) -> ServerFrame {
    ServerFrame::Publish(ServerPublish {
        qos: Qos::AtLeastOnce,
        sync: false,
        date,
        topic: topic.into(),
        target_id: "user1".into(),
        msg_id,
        payload: vec![],
    })
}

#[test]
fn c5_s_ntf_publish() {
    let ntf = NotifyMsg {
        r#type: 1,
        time: Some(1_577_836_801_000),
        chrm_id: None,
    };
    let data = comet::payload_to_json(&ntf).unwrap();
    let c5 = r#"{"headerCode":50,"messageId":5,"topic":"s_ntf","targetId":"user1","date":1577836801,"data":"{\"type\":1,\"time\":1577836801000}"}"#;
    assert_eq!(
        comet::server_object(&publish("s_ntf", 5, 1_577_836_801), Some(&data)),
        parse(c5)
    );
    let back: NotifyMsg = comet::payload_from_json(&data).unwrap();
    assert_eq!(back, ntf);
}

#[test]
fn c6_s_msg_publish_carries_a_downstream_message_with_string_content() {
    let body = r#"[{"headerCode":50,"messageId":7,"topic":"s_msg","targetId":"user1","data":"{\"fromUserId\":\"peer2\",\"type\":1,\"groupId\":\"peer2\",\"classname\":\"RC:TxtMsg\",\"content\":\"{\\\"content\\\":\\\"hi from server\\\",\\\"extra\\\":\\\"\\\"}\",\"dataTime\":1577836801000,\"status\":0,\"msgId\":\"SRV-MUID-0001\",\"direction\":2}"}]"#;
    let list = parse(body);
    let obj = comet::parse_server_object(&list[0]).unwrap();
    assert_eq!((obj.topic.as_str(), obj.message_id), ("s_msg", 7));
    let m: DownStreamMessage = comet::payload_from_json(obj.data.as_deref().unwrap()).unwrap();
    assert_eq!(m.from_user_id, "peer2");
    assert_eq!(m.r#type, 1);
    assert_eq!(m.content, br#"{"content":"hi from server","extra":""}"#);
    assert_eq!(
        (m.msg_id.as_deref(), m.direction, m.data_time),
        (Some("SRV-MUID-0001"), Some(2), 1_577_836_801_000)
    );
    // Encoding the same message gives the same JSON value back.
    let again = parse(&comet::payload_to_json(&m).unwrap());
    assert_eq!(again, parse(obj.data.as_deref().unwrap()));
}

#[test]
fn c7_upstream_pull() {
    let params = [
        ("messageid", "1"),
        ("header", "82"),
        ("sessionid", "sess-0001"),
        ("topic", "pullMsg"),
        ("targetid", "user1"),
        ("pid", "1.5"),
    ];
    let body = r#"{"ispolling":false,"sendBoxSyncTime":0,"isPullSend":true,"syncTime":0}"#;
    let up = Upstream::from_params(params, body).unwrap();
    assert_eq!(up.header, Header::new(MessageType::Query, Qos::AtLeastOnce));
    assert_eq!(
        (up.message_id, up.topic.as_deref(), up.target_id.as_deref()),
        (1, Some("pullMsg"), Some("user1"))
    );
    let req: SyncRequestMsg = comet::payload_from_json(&up.body).unwrap();
    let expected = SyncRequestMsg {
        is_pull_send: Some(true),
        send_box_sync_time: Some(0),
        ..Default::default()
    };
    assert_eq!(req, expected);
    assert_eq!(
        parse(&comet::payload_to_json(&expected).unwrap()),
        parse(body)
    );
    let rebuilt = Upstream::request(
        MessageType::Query,
        Qos::AtLeastOnce,
        1,
        "pullMsg",
        "user1",
        body.into(),
    );
    let p: Vec<_> = rebuilt
        .params()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    assert_eq!(
        p.join("&"),
        "messageid=1&header=82&topic=pullMsg&targetid=user1"
    );
}

#[test]
fn c8_upstream_relation_query() {
    let up = Upstream::from_params(
        [
            ("header", "80"),
            ("topic", "qryRelation"),
            ("targetid", "user1"),
        ],
        r#"{"type":1,"count":300}"#,
    )
    .unwrap();
    assert_eq!(up.header, Header::new(MessageType::Query, Qos::AtMostOnce));
    let r: RelationsInput = comet::payload_from_json(&up.body).unwrap();
    assert_eq!((r.r#type, r.count), (1, Some(300)));
}

#[test]
fn c9_upstream_text_publish_with_string_content() {
    let body = r#"{"sessionId":3,"configFlag":0,"classname":"RC:TxtMsg","content":"{\"content\":\"hello 你好\",\"extra\":\"\"}"}"#;
    let up = Upstream::from_params(
        [
            ("header", "50"),
            ("topic", "ppMsgP"),
            ("targetid", "peer2"),
            ("messageid", "2"),
        ],
        body,
    )
    .unwrap();
    let m: UpStreamMessage = comet::payload_from_json(&up.body).unwrap();
    assert_eq!(
        (m.session_id, m.classname.as_str(), m.config_flag),
        (3, "RC:TxtMsg", Some(0))
    );
    assert_eq!(
        String::from_utf8(m.content.clone()).unwrap(),
        r#"{"content":"hello 你好","extra":""}"#
    );
    // Re-encoding keeps every key of the original; empty repeated fields appear as `[]`.
    let again = parse(&comet::payload_to_json(&m).unwrap());
    for (k, v) in parse(body).as_object().unwrap() {
        assert_eq!(&again[k], v, "{k}");
    }
    assert_eq!(again["userId"], json!([]));
}

#[test]
fn c10_c11_upstream_acks_have_an_empty_string_body_and_no_topic() {
    let con = Upstream::from_params(
        [("messageid", "1"), ("header", "112"), ("sessionid", "s")],
        "\"\"",
    )
    .unwrap();
    assert_eq!(
        (con.header.kind, con.message_id, con.topic.as_ref()),
        (MessageType::QueryCon, 1, None)
    );
    let ack = Upstream::from_params([("messageid", "5"), ("header", "64")], "\"\"").unwrap();
    assert_eq!(
        (ack.header.kind, ack.message_id, ack.body.as_str()),
        (MessageType::PubAck, 5, "\"\"")
    );
    assert_eq!(ack.params().len(), 2);
}

#[test]
fn h11_a_disconnect_object_serialises_with_the_marker_the_client_searches_for() {
    let text = comet::server_object(&ServerFrame::Disconnect(Disconnect::KICKED), None).to_string();
    assert!(text.contains("\"headerCode\":-32,"), "{text}");
}

#[test]
fn malformed_comet_input_is_an_error() {
    assert!(comet::parse_server_object(&json!([1])).is_err());
    assert!(comet::parse_server_object(&json!({"headerCode": "x"})).is_err());
    assert!(comet::parse_server_object(&json!({"messageId": 70000})).is_err());
    assert!(
        Upstream::from_params([("header", "82")], "{}").is_err(),
        "QUERY without a topic"
    );
    assert!(
        Upstream::from_params([("messageid", "1")], "{}").is_err(),
        "no header"
    );
    assert!(comet::payload_from_json::<SyncRequestMsg>(r#"{"syncTime":"x"}"#).is_err());
    assert!(comet::payload_from_json::<SyncRequestMsg>("not json").is_err());
}
