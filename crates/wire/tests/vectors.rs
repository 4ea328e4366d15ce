//! Every vector of protocol/vectors.md §1–§4, asserted in both directions where the vector allows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use im_wire::frame::*;
use im_wire::proto::{self, DownStreamMessages, NotifyMsg, SyncRequestMsg, UpStreamMessage};
use im_wire::{ClientFrame, DecodeError, ServerFrame, StringForm};

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

/// Decodes a client frame, checks it, and checks that encoding gives the same bytes back.
fn client(h: &str, form: StringForm, expected: ClientFrame) {
    let bytes = hex(h);
    assert_eq!(ClientFrame::decode(&bytes).unwrap(), expected, "decode {h}");
    assert_eq!(expected.encode_with(form).unwrap(), bytes, "encode {h}");
}

fn server(h: &str, expected: ServerFrame) {
    let bytes = hex(h);
    assert_eq!(ServerFrame::decode(&bytes).unwrap(), expected, "decode {h}");
    assert_eq!(expected.encode().unwrap(), bytes, "encode {h}");
}

fn publish(qos: Qos, topic: &str, target: &str, id: u16, payload: &[u8]) -> ClientFrame {
    ClientFrame::Publish(ClientPublish {
        qos,
        topic: topic.into(),
        target_id: target.into(),
        msg_id: id,
        payload: payload.to_vec(),
    })
}

fn query(qos: Qos, topic: &str, target: &str, id: u16, payload: &[u8]) -> ClientFrame {
    ClientFrame::Query(Query {
        qos,
        topic: topic.into(),
        target_id: target.into(),
        msg_id: id,
        payload: payload.to_vec(),
    })
}

#[test]
fn v1_v2_ping() {
    client("c0", StringForm::Utf8, ClientFrame::PingReq);
    server("d0", ServerFrame::PingResp);
}

#[test]
fn v3_to_v7_client_publish() {
    let u = StringForm::Utf8;
    client(
        "32 00 06 70 70 4d 73 67 50 00 05 75 73 65 72 32 00 01 01 02 03",
        u,
        publish(Qos::AtLeastOnce, "ppMsgP", "user2", 1, &[1, 2, 3]),
    );
    client(
        "30 00 06 70 70 4d 73 67 50 00 05 75 73 65 72 32 00 01 01 02 03",
        u,
        publish(Qos::AtMostOnce, "ppMsgP", "user2", 1, &[1, 2, 3]),
    );
    client(
        "32 00 06 70 67 4d 73 67 50 00 05 67 72 70 2d 31 12 34 ff 7f 80",
        u,
        publish(
            Qos::AtLeastOnce,
            "pgMsgP",
            "grp-1",
            0x1234,
            &[0xff, 0x7f, 0x80],
        ),
    );
    client(
        "32 00 06 70 70 4d 73 67 50 00 06 e7 94 a8 e6 88 b7 ff ff aa",
        u,
        publish(Qos::AtLeastOnce, "ppMsgP", "用户", 65535, &[0xaa]),
    );
    // V7: the original client's CESU-8 form of U+1F600; byte-identical when encoding CESU-8.
    client(
        "32 00 06 70 70 4d 73 67 50 00 06 ed a0 bd ed b8 80 00 03 aa",
        StringForm::Cesu8,
        publish(Qos::AtLeastOnce, "ppMsgP", "\u{1F600}", 3, &[0xaa]),
    );
    // Standard UTF-8 (our default) spells the same target in 4 bytes and decodes to the same value.
    let utf8 = publish(Qos::AtLeastOnce, "ppMsgP", "\u{1F600}", 3, &[0xaa])
        .encode()
        .unwrap();
    assert_eq!(
        utf8,
        hex("32 00 06 70 70 4d 73 67 50 00 04 f0 9f 98 80 00 03 aa")
    );
}

#[test]
fn v8_captured_text_send_and_its_upstream_message() {
    let h = "32 00 06 70 70 4d 73 67 50 00 05 75 73 65 72 32 00 02 08 03 12 09 52 43 3a 54 78 74 4d 73 67 1a 1b 7b 22 63 6f 6e 74 65 6e 74 22 3a 22 68 69 22 2c 22 65 78 74 72 61 22 3a 22 22 7d 48 00";
    let up = UpStreamMessage {
        session_id: 3,
        classname: "RC:TxtMsg".into(),
        content: br#"{"content":"hi","extra":""}"#.to_vec(),
        config_flag: Some(0),
        ..Default::default()
    };
    let payload = proto::encode(&up);
    client(
        h,
        StringForm::Utf8,
        publish(Qos::AtLeastOnce, "ppMsgP", "user2", 2, &payload),
    );
    assert_eq!(hex(h).len(), 62);
    let ClientFrame::Publish(p) = ClientFrame::decode(&hex(h)).unwrap() else {
        panic!()
    };
    assert_eq!(proto::decode::<UpStreamMessage>(&p.payload).unwrap(), up);
}

#[test]
fn v3_ts_repository_spec_frame() {
    let h = "32 00 06 70 70 4d 73 67 50 00 07 7a 68 61 6f 6c 69 75 00 04 08 00 12 09 52 43 3a 54 78 74 4d 73 67 1a 36 7b 22 63 6f 6e 74 65 6e 74 22 3a 22 e6 b5 8b e8 af 95 77 65 62 53 6f 63 6b 65 74 5c 6e 20 20 20 20 20 20 20 20 20 20 20 20 22 2c 22 65 78 74 72 61 22 3a 22 22 7d";
    let bytes = hex(h);
    assert_eq!(bytes.len(), 89);
    let ClientFrame::Publish(p) = ClientFrame::decode(&bytes).unwrap() else {
        panic!()
    };
    assert_eq!(
        (p.topic.as_str(), p.target_id.as_str(), p.msg_id),
        ("ppMsgP", "zhaoliu", 4)
    );
    let up: UpStreamMessage = proto::decode(&p.payload).unwrap();
    assert_eq!(
        (up.session_id, up.classname.as_str(), up.config_flag),
        (0, "RC:TxtMsg", None)
    );
    let json = String::from_utf8(up.content.clone()).unwrap();
    assert_eq!(
        json,
        "{\"content\":\"测试webSocket\\n            \",\"extra\":\"\"}"
    );
    assert_eq!(up.content.len(), 54);
    assert_eq!(ClientFrame::Publish(p).encode().unwrap(), bytes);
}

#[test]
fn v9_to_v12_client_query() {
    let u = StringForm::Utf8;
    client(
        "50 00 07 71 72 79 50 4d 73 67 00 05 75 73 65 72 32 00 02 08 01",
        u,
        query(Qos::AtMostOnce, "qryPMsg", "user2", 2, &[0x08, 0x01]),
    );
    client(
        "52 00 07 70 75 6c 6c 4d 73 67 00 02 6d 65 01 02 08 00",
        u,
        query(Qos::AtLeastOnce, "pullMsg", "me", 258, &[0x08, 0x00]),
    );
    client(
        "50 00 07 75 73 65 72 49 6e 66 00 01 75 00 04",
        u,
        query(Qos::AtMostOnce, "userInf", "u", 4, &[]),
    );
    let pull = SyncRequestMsg {
        sync_time: 0,
        ispolling: false,
        is_pull_send: Some(true),
        send_box_sync_time: Some(0),
        ..Default::default()
    };
    client(
        "52 00 07 70 75 6c 6c 4d 73 67 00 05 75 73 65 72 31 00 01 08 00 10 00 20 01 30 00",
        u,
        query(
            Qos::AtLeastOnce,
            "pullMsg",
            "user1",
            1,
            &proto::encode(&pull),
        ),
    );
}

#[test]
fn v13_v14_client_acks() {
    client(
        "40 00 09",
        StringForm::Utf8,
        ClientFrame::PubAck(ClientPubAck { msg_id: 9 }),
    );
    client(
        "40 12 34",
        StringForm::Utf8,
        ClientFrame::PubAck(ClientPubAck { msg_id: 0x1234 }),
    );
    client(
        "70 00 02",
        StringForm::Utf8,
        ClientFrame::QueryCon(QueryCon { msg_id: 2 }),
    );
    client(
        "70 01 2c",
        StringForm::Utf8,
        ClientFrame::QueryCon(QueryCon { msg_id: 300 }),
    );
}

#[test]
fn v15_v16_server_puback() {
    let ack = ServerPubAck {
        msg_id: 1,
        date: 1_577_836_800,
        status: 0,
        millis: 300,
        message_uid: "ABCD".into(),
    };
    assert_eq!(ack.timestamp(), 1_577_836_800_300);
    assert_eq!(ServerPubAck::new(1, 0, 1_577_836_800_300, "ABCD"), ack);
    server(
        "40 00 01 5e 0b e1 00 00 00 01 2c 00 04 41 42 43 44",
        ServerFrame::PubAck(ack),
    );
    let err = ServerPubAck::new(2, 20604, 1_577_836_800_000, "");
    server(
        "40 00 02 5e 0b e1 00 50 7c 00 00 00 00",
        ServerFrame::PubAck(err),
    );
}

#[test]
fn v17_short_puback_defaults_missing_fields_instead_of_status_minus_257() {
    let ServerFrame::PubAck(a) = ServerFrame::decode(&hex("40 00 01")).unwrap() else {
        panic!()
    };
    assert_eq!(
        (a.msg_id, a.date, a.status, a.millis, a.message_uid.as_str()),
        (1, 0, 0, 0, "")
    );
    // Cut inside a field is still an error.
    assert!(matches!(
        ServerFrame::decode(&hex("40 00 01 5e 0b")),
        Err(DecodeError::Truncated {
            field: "PUBACK date",
            ..
        })
    ));
}

#[test]
fn v15_cap_captured_puback() {
    let ack = ServerPubAck::new(2, 0, 1_577_836_801_250, "BKQ2-ABCD-1234-5678");
    server(
        "40 00 02 5e 0b e1 01 00 00 00 fa 00 13 42 4b 51 32 2d 41 42 43 44 2d 31 32 33 34 2d 35 36 37 38",
        ServerFrame::PubAck(ack),
    );
}

#[test]
fn v18_to_v20_queryack_and_querycon_reply() {
    let ack = |qos, msg_id, status, payload: &[u8]| {
        ServerFrame::QueryAck(QueryAck {
            qos,
            msg_id,
            date: 1_577_836_800,
            status,
            payload: payload.to_vec(),
        })
    };
    server(
        "60 00 02 5e 0b e1 00 00 00 08 01",
        ack(Qos::AtMostOnce, 2, 0, &[8, 1]),
    );
    server(
        "62 01 02 5e 0b e1 00 00 00",
        ack(Qos::AtLeastOnce, 258, 0, &[]),
    );
    client(
        "70 01 02",
        StringForm::Utf8,
        ClientFrame::QueryCon(QueryCon { msg_id: 258 }),
    );
    server(
        "60 00 05 5e 0b e1 00 5b 6e",
        ack(Qos::AtMostOnce, 5, 23406, &[]),
    );
}

#[test]
fn v18_cap_captured_pull_reply() {
    let bytes = hex("62 00 01 5e 0b e1 00 00 00 10 fb d0 9b f3 f5 2d 18 01");
    let ServerFrame::QueryAck(a) = ServerFrame::decode(&bytes).unwrap() else {
        panic!()
    };
    assert_eq!((a.qos, a.msg_id, a.status), (Qos::AtLeastOnce, 1, 0));
    let d: DownStreamMessages = proto::decode(&a.payload).unwrap();
    assert_eq!(
        d,
        DownStreamMessages {
            list: vec![],
            sync_time: 1_577_836_800_123,
            finished: Some(true)
        }
    );
    assert_eq!(proto::encode(&d), a.payload);
    assert_eq!(ServerFrame::QueryAck(a).encode().unwrap(), bytes);
    client(
        "70 00 01",
        StringForm::Utf8,
        ClientFrame::QueryCon(QueryCon { msg_id: 1 }),
    );
}

#[test]
fn v21_to_v24_connack() {
    server(
        "20 00 00",
        ServerFrame::ConnAck(ConnAck {
            status: 0,
            session: None,
        }),
    );
    server(
        "20 00 00 00 05 75 73 65 72 31 00 02 73 31 00 00 01 6f 5e 66 e8 00",
        ServerFrame::ConnAck(ConnAck::accepted("user1", "s1", 1_577_836_800_000)),
    );
    for (h, status) in [("20 00 04", 4), ("20 00 03", 3), ("20 00 06", 6)] {
        server(
            h,
            ServerFrame::ConnAck(ConnAck {
                status,
                session: None,
            }),
        );
    }
    assert_eq!(
        ServerFrame::decode(&hex("20 00 0d")),
        Err(DecodeError::InvalidStatus {
            frame: "CONNACK",
            value: 13
        })
    );
}

#[test]
fn v25_v26_disconnect() {
    server("e0 00 01", ServerFrame::Disconnect(Disconnect::KICKED));
    server(
        "e0 00 00",
        ServerFrame::Disconnect(Disconnect { status: 0 }),
    );
    server(
        "e0 00 02",
        ServerFrame::Disconnect(Disconnect { status: 2 }),
    );
    assert_eq!(
        ServerFrame::decode(&hex("e0 00 06")),
        Err(DecodeError::InvalidStatus {
            frame: "DISCONNECT",
            value: 6
        })
    );
}

#[test]
fn v27_to_v29_server_publish() {
    let p = |qos, sync, topic: &str, target: &str, msg_id, payload: &[u8]| {
        ServerFrame::Publish(ServerPublish {
            qos,
            sync,
            date: 1_577_836_800,
            topic: topic.into(),
            target_id: target.into(),
            msg_id,
            payload: payload.to_vec(),
        })
    };
    let v27 = "32 5e 0b e1 00 00 05 73 5f 6e 74 66 00 05 75 73 65 72 31 00 09 08 01";
    server(
        v27,
        p(Qos::AtLeastOnce, false, "s_ntf", "user1", 9, &[8, 1]),
    );
    let ServerFrame::Publish(ntf) = ServerFrame::decode(&hex(v27)).unwrap() else {
        panic!()
    };
    let n: NotifyMsg = proto::decode(&ntf.payload).unwrap();
    assert_eq!((n.r#type, n.time), (1, None));
    client(
        "40 00 09",
        StringForm::Utf8,
        ClientFrame::PubAck(ClientPubAck { msg_id: 9 }),
    );
    server(
        "30 5e 0b e1 00 00 05 73 5f 6d 73 67 00 02 6d 65 00 00 0a 0b",
        p(Qos::AtMostOnce, false, "s_msg", "me", 0, &[0x0a, 0x0b]),
    );
    server(
        "3a 5e 0b e1 00 00 06 70 70 4d 73 67 50 00 05 75 73 65 72 32 00 07 01 02",
        p(Qos::AtLeastOnce, true, "ppMsgP", "user2", 7, &[1, 2]),
    );
}

#[test]
fn v30_connect_reference_layout() {
    client(
        "10 00 06 52 43 6c 6f 75 64 03 c2 01 2c 00 03 63 69 64 00 03 61 70 70 00 02 74 6b",
        StringForm::Utf8,
        ClientFrame::Connect(Connect {
            protocol_name: "RCloud".into(),
            protocol_version: 3,
            clean_session: true,
            keep_alive: 300,
            client_id: "cid".into(),
            will: None,
            app_id: Some("app".into()),
            token: Some("tk".into()),
        }),
    );
}

#[test]
fn i5_i6_protobuf_field_vectors() {
    let d = DownStreamMessages {
        list: vec![],
        sync_time: 1_577_836_800_123,
        finished: None,
    };
    assert_eq!(proto::encode(&d), hex("10 fb d0 9b f3 f5 2d"));
    let s = SyncRequestMsg {
        is_pull_send: Some(true),
        send_box_sync_time: Some(0),
        ..Default::default()
    };
    assert_eq!(proto::encode(&s), hex("08 00 10 00 20 01 30 00"));
}

#[test]
fn golden_transcript_g1_to_g9() {
    // Server frames of the transcript decode to what the client must act on, in order.
    let g2 = ServerFrame::decode(&hex(
        "20 00 00 00 05 75 73 65 72 31 00 02 73 31 00 00 01 6f 5e 66 e8 00",
    ))
    .unwrap();
    let ServerFrame::ConnAck(c) = g2 else {
        panic!()
    };
    assert_eq!(c.state(), Some(im_wire::enums::ConnectionState::Accepted));
    assert_eq!(c.session.unwrap().user_id, "user1");
    assert_eq!(ClientFrame::PingReq.encode().unwrap(), hex("c0")); // G3
    assert_eq!(
        ServerFrame::decode(&hex("d0")).unwrap(),
        ServerFrame::PingResp
    ); // G4
    let g5 =
        hex("52 00 07 70 75 6c 6c 4d 73 67 00 05 75 73 65 72 31 00 01 08 00 10 00 20 01 30 00");
    let ClientFrame::Query(q) = ClientFrame::decode(&g5).unwrap() else {
        panic!()
    };
    let req: SyncRequestMsg = proto::decode(&q.payload).unwrap();
    assert_eq!(
        (req.sync_time, req.is_pull_send, req.send_box_sync_time),
        (0, Some(true), Some(0))
    );
    let g6 = hex("62 00 01 5e 0b e1 00 00 00 10 fb d0 9b f3 f5 2d 18 01");
    let ServerFrame::QueryAck(a) = ServerFrame::decode(&g6).unwrap() else {
        panic!()
    };
    assert_eq!(a.msg_id, q.msg_id);
    assert_eq!(
        ClientFrame::QueryCon(QueryCon { msg_id: a.msg_id })
            .encode()
            .unwrap(),
        hex("70 00 01")
    ); // G7
    let ServerFrame::Disconnect(d) = ServerFrame::decode(&hex("e0 00 01")).unwrap() else {
        panic!()
    }; // G9
    let status = im_wire::enums::DisconnectStatus::from_value(d.status).unwrap();
    assert_eq!(status.listener_status(), 6);
}
