//! Properties of the frame codec: every frame type of both directions round-trips in both string
//! forms, arbitrary bytes never panic, and malformed input gets a descriptive error.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use im_wire::frame::*;
use im_wire::{ClientFrame, DecodeError, Direction, EncodeError, ServerFrame, StringForm};
use proptest::collection::vec;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    // Includes non-BMP characters so the CESU-8 path is exercised.
    "[a-zA-Z0-9_:-]{0,12}|\\PC{0,8}"
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..64)
}

fn qos() -> impl Strategy<Value = Qos> {
    prop_oneof![
        Just(Qos::AtMostOnce),
        Just(Qos::AtLeastOnce),
        Just(Qos::ExactlyOnce),
        Just(Qos::Default)
    ]
}

fn client_frame() -> impl Strategy<Value = ClientFrame> {
    let will =
        (text(), text(), 0u8..4, any::<bool>()).prop_map(|(topic, message, qos, retain)| Will {
            topic,
            message,
            qos,
            retain,
        });
    prop_oneof![
        (
            text(),
            any::<u8>(),
            any::<bool>(),
            any::<u16>(),
            text(),
            proptest::option::of(will),
            proptest::option::of(text()),
            proptest::option::of(text())
        )
            .prop_map(
                |(
                    protocol_name,
                    protocol_version,
                    clean_session,
                    keep_alive,
                    client_id,
                    will,
                    app_id,
                    token,
                )| {
                    ClientFrame::Connect(Connect {
                        protocol_name,
                        protocol_version,
                        clean_session,
                        keep_alive,
                        client_id,
                        will,
                        app_id,
                        token,
                    })
                }
            ),
        (qos(), text(), text(), any::<u16>(), payload()).prop_map(
            |(qos, topic, target_id, msg_id, payload)| {
                ClientFrame::Publish(ClientPublish {
                    qos,
                    topic,
                    target_id,
                    msg_id,
                    payload,
                })
            }
        ),
        any::<u16>().prop_map(|msg_id| ClientFrame::PubAck(ClientPubAck { msg_id })),
        (qos(), text(), text(), any::<u16>(), payload()).prop_map(
            |(qos, topic, target_id, msg_id, payload)| {
                ClientFrame::Query(Query {
                    qos,
                    topic,
                    target_id,
                    msg_id,
                    payload,
                })
            }
        ),
        any::<u16>().prop_map(|msg_id| ClientFrame::QueryCon(QueryCon { msg_id })),
        Just(ClientFrame::PingReq),
    ]
}

fn server_frame() -> impl Strategy<Value = ServerFrame> {
    let session = (text(), text(), any::<u64>()).prop_map(|(user_id, session_id, timestamp)| {
        ConnAckSession {
            user_id,
            session_id,
            timestamp,
        }
    });
    prop_oneof![
        (0u8..=MAX_CONNACK_STATUS, proptest::option::of(session))
            .prop_map(|(status, session)| ServerFrame::ConnAck(ConnAck { status, session })),
        (
            qos(),
            any::<bool>(),
            any::<u32>(),
            text(),
            text(),
            any::<u16>(),
            payload()
        )
            .prop_map(|(qos, sync, date, topic, target_id, msg_id, payload)| {
                ServerFrame::Publish(ServerPublish {
                    qos,
                    sync,
                    date,
                    topic,
                    target_id,
                    msg_id,
                    payload,
                })
            }),
        (
            any::<u16>(),
            any::<u32>(),
            any::<u16>(),
            any::<u16>(),
            text()
        )
            .prop_map(|(msg_id, date, status, millis, message_uid)| {
                ServerFrame::PubAck(ServerPubAck {
                    msg_id,
                    date,
                    status,
                    millis,
                    message_uid,
                })
            }),
        (qos(), any::<u16>(), any::<u32>(), any::<u16>(), payload()).prop_map(
            |(qos, msg_id, date, status, payload)| {
                ServerFrame::QueryAck(QueryAck {
                    qos,
                    msg_id,
                    date,
                    status,
                    payload,
                })
            }
        ),
        Just(ServerFrame::PingResp),
        (0u8..=MAX_DISCONNECT_STATUS)
            .prop_map(|status| ServerFrame::Disconnect(Disconnect { status })),
    ]
}

fn form() -> impl Strategy<Value = StringForm> {
    prop_oneof![Just(StringForm::Utf8), Just(StringForm::Cesu8)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_client_frame_round_trips(frame in client_frame(), form in form()) {
        let bytes = frame.encode_with(form).unwrap();
        prop_assert_eq!(bytes[0], frame.header().to_byte());
        prop_assert_eq!(ClientFrame::decode(&bytes).unwrap(), frame);
    }

    #[test]
    fn every_server_frame_round_trips(frame in server_frame(), form in form()) {
        let bytes = frame.encode_with(form).unwrap();
        prop_assert_eq!(bytes[0], frame.header().to_byte());
        prop_assert_eq!(ServerFrame::decode(&bytes).unwrap(), frame);
    }

    #[test]
    fn arbitrary_bytes_decode_to_a_frame_or_an_error_never_a_panic(bytes in vec(any::<u8>(), 0..128)) {
        // Whatever decodes must re-encode to a frame that decodes to the same value.
        if let Ok(f) = ClientFrame::decode(&bytes) {
            prop_assert_eq!(ClientFrame::decode(&f.encode().unwrap()).unwrap(), f);
        }
        if let Ok(f) = ServerFrame::decode(&bytes) {
            prop_assert_eq!(ServerFrame::decode(&f.encode().unwrap()).unwrap(), f);
        }
    }

    #[test]
    fn every_strict_prefix_of_a_fixed_layout_frame_is_rejected(frame in client_frame()) {
        let bytes = frame.encode().unwrap();
        // PUBLISH/QUERY bodies end in an open payload, so only their fixed part is checked.
        let fixed = match &frame {
            ClientFrame::Publish(p) => bytes.len() - p.payload.len(),
            ClientFrame::Query(q) => bytes.len() - q.payload.len(),
            _ => bytes.len(),
        };
        for cut in 0..fixed {
            prop_assert!(ClientFrame::decode(&bytes[..cut]).is_err(), "prefix {} of {:02x?}", cut, bytes);
        }
    }
}

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

#[test]
fn an_empty_frame_is_an_error() {
    assert_eq!(ClientFrame::decode(&[]), Err(DecodeError::Empty));
    assert_eq!(ServerFrame::decode(&[]), Err(DecodeError::Empty));
}

#[test]
fn truncated_frames_name_the_missing_field() {
    let e = ClientFrame::decode(&hex("32 00 06 70 70 4d")).unwrap_err();
    assert_eq!(
        e,
        DecodeError::Truncated {
            field: "PUBLISH topic",
            needed: 6,
            available: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "truncated frame: PUBLISH topic needs 6 bytes but only 3 remain"
    );
    let e = ServerFrame::decode(&hex("62 00 01 5e 0b")).unwrap_err();
    assert!(matches!(
        e,
        DecodeError::Truncated {
            field: "QUERYACK date",
            ..
        }
    ));
    let e = ServerFrame::decode(&hex("20 00 00 00 05 75 73")).unwrap_err();
    assert!(matches!(
        e,
        DecodeError::Truncated {
            field: "CONNACK userId",
            ..
        }
    ));
}

#[test]
fn a_string_length_past_the_end_is_an_error() {
    let e = ClientFrame::decode(&hex("52 ff ff 70 75")).unwrap_err();
    assert_eq!(
        e,
        DecodeError::Truncated {
            field: "QUERY topic",
            needed: 65535,
            available: 2
        }
    );
}

#[test]
fn invalid_utf8_in_a_string_field_is_an_error() {
    let e = ClientFrame::decode(&hex("32 00 02 61 ff 00 01 61 00 01")).unwrap_err();
    assert_eq!(
        e,
        DecodeError::InvalidUtf8 {
            field: "PUBLISH topic",
            at: 1
        }
    );
    assert!(e.to_string().contains("not valid UTF-8 or CESU-8"));
}

#[test]
fn unknown_and_wrong_direction_message_types_are_errors() {
    assert_eq!(
        ClientFrame::decode(&[0x00]),
        Err(DecodeError::UnknownMessageType(0))
    );
    assert_eq!(
        ServerFrame::decode(&[0xf0]),
        Err(DecodeError::UnknownMessageType(15))
    );
    // A server never sends QUERY, SUBACK or PINGREQ; 2.5.3 mistook SUBACK for PINGRESP.
    for b in [0x50u8, 0x90, 0xb0, 0xc0, 0x10] {
        assert_eq!(
            ServerFrame::decode(&[b, 0, 0]),
            Err(DecodeError::UnexpectedMessageType {
                kind: b >> 4,
                from: Direction::ServerToClient
            })
        );
    }
    for b in [0x20u8, 0x60, 0xd0, 0xe0, 0x80] {
        assert!(matches!(
            ClientFrame::decode(&[b, 0, 0]),
            Err(DecodeError::UnexpectedMessageType {
                from: Direction::ClientToServer,
                ..
            })
        ));
    }
}

#[test]
fn oversize_frames_are_refused_before_parsing() {
    let big = vec![0x32; MAX_CLIENT_FRAME_LEN + 1];
    assert_eq!(
        ClientFrame::decode(&big),
        Err(DecodeError::Oversize {
            len: MAX_CLIENT_FRAME_LEN + 1,
            max: MAX_CLIENT_FRAME_LEN
        })
    );
    assert!(matches!(
        ServerFrame::decode_with_limit(&hex("d0 00"), 1),
        Err(DecodeError::Oversize { len: 2, max: 1 })
    ));
}

#[test]
fn trailing_bytes_after_fixed_frames_are_errors() {
    assert_eq!(
        ClientFrame::decode(&hex("c0 00")),
        Err(DecodeError::TrailingBytes {
            frame: "PINGREQ",
            count: 1
        })
    );
    assert_eq!(
        ClientFrame::decode(&hex("40 00 01 02")),
        Err(DecodeError::TrailingBytes {
            frame: "PUBACK",
            count: 1
        })
    );
    assert_eq!(
        ServerFrame::decode(&hex("e0 00 01 00")),
        Err(DecodeError::TrailingBytes {
            frame: "DISCONNECT",
            count: 1
        })
    );
}

#[test]
fn unencodable_frames_are_refused() {
    let long = "x".repeat(70_000);
    let p = ClientFrame::Publish(ClientPublish {
        qos: Qos::AtLeastOnce,
        topic: "ppMsgP".into(),
        target_id: long,
        msg_id: 1,
        payload: vec![],
    });
    assert_eq!(
        p.encode(),
        Err(EncodeError::StringTooLong {
            field: "PUBLISH targetId",
            len: 70_000
        })
    );
    let c = ServerFrame::ConnAck(ConnAck {
        status: 13,
        session: None,
    });
    assert_eq!(
        c.encode(),
        Err(EncodeError::InvalidStatus {
            frame: "CONNACK",
            value: 13
        })
    );
    let d = ServerFrame::Disconnect(Disconnect { status: 9 });
    assert!(d.encode().is_err());
}

#[test]
fn protobuf_payload_errors_name_the_message() {
    let e = im_wire::proto::decode::<im_wire::proto::DownStreamMessages>(&[0x0a, 0x05, 0x01])
        .unwrap_err();
    assert!(
        matches!(
            e,
            DecodeError::Protobuf {
                message: "DownStreamMessages",
                ..
            }
        ),
        "{e:?}"
    );
}
