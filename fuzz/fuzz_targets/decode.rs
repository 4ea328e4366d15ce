//! Feeds arbitrary bytes to every decoder a peer can reach: frames of both directions, the
//! protobuf payloads by topic, wire strings and message contents. Any panic is a bug; whatever
//! decodes must re-encode and decode to the same value.
#![no_main]

use im_wire::content::{JsonContent, MessageContent};
use im_wire::proto;
use im_wire::{ClientFrame, ServerFrame};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = ClientFrame::decode(data) {
        let bytes = f.encode().expect("a decoded frame re-encodes");
        assert_eq!(ClientFrame::decode(&bytes).expect("re-decodes"), f);
        if let ClientFrame::Publish(p) = &f {
            if let Ok(up) = proto::decode::<proto::UpStreamMessage>(&p.payload) {
                let _ = MessageContent::decode(&up.classname, &up.content);
            }
        }
        if let ClientFrame::Query(q) = &f {
            let _ = proto::decode::<proto::SyncRequestMsg>(&q.payload);
            let _ = proto::decode::<proto::HistoryMsgInput>(&q.payload);
            let _ = proto::decode::<proto::RelationsInput>(&q.payload);
        }
    }
    if let Ok(f) = ServerFrame::decode(data) {
        let bytes = f.encode().expect("a decoded frame re-encodes");
        assert_eq!(ServerFrame::decode(&bytes).expect("re-decodes"), f);
        if let ServerFrame::QueryAck(a) = &f {
            if let Ok(d) = proto::decode::<proto::DownStreamMessages>(&a.payload) {
                for m in &d.list {
                    let _ = MessageContent::decode(&m.classname, &m.content);
                }
            }
        }
        if let ServerFrame::Publish(p) = &f {
            let _ = proto::decode::<proto::NotifyMsg>(&p.payload);
            let _ = proto::decode::<proto::DownStreamMessage>(&p.payload);
        }
    }
    if let Some((&split, rest)) = data.split_first() {
        let (name, body) = rest.split_at(usize::from(split).min(rest.len()));
        if let Ok(name) = std::str::from_utf8(name) {
            if let Ok(c) = MessageContent::decode(name, body) {
                let json = c.encode().expect("a decoded content re-encodes");
                let again = MessageContent::decode(name, &json).expect("re-decodes");
                assert_eq!(again.encode().expect("encodes"), json);
            }
            // The engine's content path: checked against the field tables, stable once encoded.
            if let Ok(c) = JsonContent::decode(name, body) {
                let json = c.encode().expect("a checked content re-encodes");
                let again = JsonContent::decode(name, &json).expect("re-decodes");
                assert_eq!(again.encode().expect("encodes"), json);
            }
        }
    }
    let _ = im_wire::strings::decode(data);
    if let Ok(text) = std::str::from_utf8(data) {
        // The engine's own JSON reader: whatever it accepts serde_json accepts too.
        if im_wire::json::parse(text).is_ok() {
            assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "{text:?}");
        }
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
            let _ = im_wire::comet::parse_server_object(&v);
        }
        let _ = im_wire::comet::payload_from_json::<proto::DownStreamMessages>(text);
        let _ = im_wire::comet::payload_from_json::<proto::UpStreamMessage>(text);
    }
});
