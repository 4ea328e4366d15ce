//! A copy of the user's own message sent from another device (dup-bit PUBLISH) gets no PUBACK and
//! is delivered when the server's PUBACK with the same id brings its messageUId and time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

// The same scenarios run in headless Chrome when built for wasm32 (wasm-bindgen-test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use common::*;
use im_client::wire::frame::Qos;
use im_client::wire::proto::{self, UpStreamMessage};
use im_client::wire::ServerFrame;
use im_client::Output;

fn upstream(text: &str) -> Vec<u8> {
    proto::encode(&UpStreamMessage {
        session_id: 3,
        classname: "RC:TxtMsg".into(),
        content: format!(r#"{{"content":"{text}","extra":""}}"#).into_bytes(),
        config_flag: Some(0),
        ..Default::default()
    })
}

#[test]
fn a_sync_copy_waits_for_the_server_puback_and_is_delivered_as_sent() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let ServerFrame::Publish(mut copy) =
        publish("ppMsgP", 7, Qos::AtLeastOnce, true, upstream("from phone"))
    else {
        unreachable!()
    };
    copy.target_id = "user2".into();
    let bytes = ServerFrame::Publish(copy).encode().unwrap();
    assert_eq!(bytes[0], 0x3a);
    h.raw(&bytes);
    let outs = h.take();
    assert!(
        outs.is_empty(),
        "no PUBACK, nothing delivered yet: {outs:?}"
    );

    // An unmatched PUBACK is ignored (known bug 9 of the original).
    h.server(puback(8, 0, 1_577_836_801_250, "OTHER"));
    assert!(h.take().is_empty());

    h.server(puback(7, 0, 1_577_836_801_250, "BKQ2-ABCD-1234-5678"));
    h.write_out();
    let outs = h.take();
    let got = received(&outs);
    assert_eq!(got.len(), 1);
    let m = &got[0].0;
    assert_eq!(text_of(m), "from phone");
    assert_eq!((m.message_direction, m.conversation_type), (1, 1));
    assert_eq!(
        (m.sender_user_id.as_str(), m.target_id.as_str()),
        (USER, "user2")
    );
    assert_eq!(m.message_uid.as_deref(), Some("BKQ2-ABCD-1234-5678"));
    assert_eq!(m.sent_time, 1_577_836_801_250);
    assert!(sent_bytes(&outs).is_empty());
    assert!(outs.contains(&Output::Persist {
        key: "last_sentTime_user1".into(),
        value: "1577836801250".into()
    }));
    assert!(outs.contains(&Output::Persist {
        key: "appkey_user1_sendbox".into(),
        value: "1577836801250".into()
    }));

    // The same message in a later pull is not delivered again.
    h.server(s_ntf(9, 1_577_836_802_000));
    let pull = pull_id(&h.take());
    let mut own = text_from(USER, "from phone", "BKQ2-ABCD-1234-5678", 1_577_836_801_250);
    own.group_id = Some("user2".into());
    own.direction = Some(1);
    h.server(pull_reply(pull, vec![own], 1_577_836_801_250, true));
    assert!(received(&h.take()).is_empty());
}

#[test]
fn an_echo_without_the_dup_bit_is_acknowledged_and_delivered_at_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let ServerFrame::Publish(mut p) = publish(
        "pgMsgP",
        12,
        Qos::AtLeastOnce,
        false,
        upstream("hello group"),
    ) else {
        unreachable!()
    };
    p.target_id = "g1".into();
    // Without a PUBACK the time is the local clock (api.md §5.1).
    h.advance_to(10_000);
    h.server(ServerFrame::Publish(p));
    let outs = h.take();
    assert_eq!(sent_bytes(&outs), [vec![0x40, 0x00, 0x0c]]);
    let got = received(&outs);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].0.conversation_type, got[0].0.message_direction),
        (3, 1)
    );
    assert_eq!(got[0].0.target_id, "g1", "the PUBLISH targetId");
    assert_eq!(got[0].0.sent_time, 10_000);
}
