//! History, remote-history clearing, blacklist, discussions, chatrooms and recall bookkeeping
//! against a scripted server on virtual time (api.md §3.3, §3.5–§3.7, §5.3).
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
use im_client::wire::frame::{Qos, Query, QueryAck};
use im_client::wire::proto::{self, DownStreamMessage};
use im_client::wire::{ClientFrame, ServerFrame};
use im_client::{Event, Reply, RequestError, RequestId};

/// The one QUERY the engine sent since the last take.
fn query(h: &mut Harness) -> Query {
    let frames = sent_frames(&h.take());
    let queries: Vec<_> = frames
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Query(q) => Some(q),
            _ => None,
        })
        .collect();
    assert_eq!(queries.len(), 1, "{queries:?}");
    queries.into_iter().next().unwrap()
}

fn ack(msg_id: u16, status: u16, payload: Vec<u8>) -> ServerFrame {
    query_ack(msg_id, status, payload)
}

fn result_of(h: &mut Harness, id: RequestId) -> Result<Reply, RequestError> {
    for e in events(&h.take()) {
        if let Event::RequestCompleted { id: got, result } = e {
            if got == id {
                return result;
            }
        }
    }
    panic!("request {id:?} did not complete");
}

fn connected() -> Harness {
    let mut h = Harness::new(config());
    h.connect_fully();
    h
}

#[test]
fn history_pages_with_a_remembered_cursor_and_stops_when_the_server_says_no_more() {
    let mut h = connected();
    let id = h.engine.history(h.now, 1, "bob", Some(0), 2, 0);
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("qryPMsg", "bob"));
    let input: proto::HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!(
        (input.time, input.count, input.order),
        (Some(0), Some(2), Some(0))
    );
    // The server answers newest first; the app gets oldest first.
    let out = proto::HistoryMessagesOuput {
        list: vec![
            text_from("bob", "new", "H2", 2000),
            text_from("bob", "old", "H1", 1000),
        ],
        sync_time: 1000,
        has_msg: 1,
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    let Reply::History { list, has_more } = result_of(&mut h, id).unwrap() else {
        panic!()
    };
    assert!(has_more);
    assert_eq!(list.iter().map(text_of).collect::<Vec<_>>(), ["old", "new"]);
    assert!(list
        .iter()
        .all(|m| m.target_id == "bob" && m.sent_status == Some(50)));

    // `null` continues from the cursor.
    let id = h.engine.history(h.now, 1, "bob", None, 2, 0);
    h.drain();
    let q = query(&mut h);
    let input: proto::HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!(input.time, Some(1000));
    let out = proto::HistoryMessagesOuput {
        list: vec![],
        sync_time: 900,
        has_msg: 0,
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::History {
            list: vec![],
            has_more: false
        }
    );

    // After "no more", continuing answers at once without traffic.
    let id = h.engine.history(h.now, 1, "bob", None, 2, 0);
    h.drain();
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::History {
            list: vec![],
            has_more: false
        }
    );
}

#[test]
fn history_rejects_bad_arguments_and_uses_the_topic_of_the_type() {
    let mut h = connected();
    for (count, target, kind) in [(0, "bob", 1), (21, "bob", 1), (5, "", 1), (5, "bob", 9)] {
        let id = h.engine.history(h.now, kind, target, Some(0), count, 0);
        h.drain();
        assert_eq!(result_of(&mut h, id).unwrap_err().code, -3);
    }
    // A count of 1 is valid (2.x refused it).
    h.engine.history(h.now, 3, "g1", Some(0), 1, 0);
    h.drain();
    assert_eq!(query(&mut h).topic, "qryGMsg");
}

#[test]
fn clearing_remote_history_uses_clean_topics_and_refuses_other_types() {
    let mut h = connected();
    let id = h.engine.clear_remote_history(h.now, 1, "bob", 5000);
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "cleanPMsg");
    let input: proto::CleanHisMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!((input.target_id.as_str(), input.data_time), ("bob", 5000));
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);
    let id = h.engine.clear_remote_history(h.now, 4, "room", 5000);
    h.drain();
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 34008);
}

#[test]
fn blacklist_operations_and_status_as_a_success_value() {
    let mut h = connected();
    let id = h.engine.add_to_blacklist(h.now, "eve");
    h.drain();
    let q = query(&mut h);
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str()),
        ("addBlack", "eve")
    );
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);

    let id = h.engine.blacklist(h.now);
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("getBlack", USER));
    let out = proto::QueryBlackListOutput {
        user_ids: vec!["eve".into()],
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::UserIds {
            user_ids: vec!["eve".into()]
        }
    );

    for (status, expected) in [(0u16, true), (1, false)] {
        let id = h.engine.blacklist_status(h.now, "eve");
        h.drain();
        let q = query(&mut h);
        assert_eq!(q.topic, "blackStat");
        h.server(ack(q.msg_id, status, vec![]));
        assert_eq!(
            result_of(&mut h, id).unwrap(),
            Reply::InBlacklist {
                in_blacklist: expected
            }
        );
    }

    let id = h.engine.remove_from_blacklist(h.now, "eve");
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "rmBlack");
    h.server(ack(q.msg_id, 405, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 405);
}

#[test]
fn creating_a_discussion_invites_its_members_and_reports_once() {
    let mut h = connected();
    let id = h
        .engine
        .create_discussion(h.now, "trip", vec!["bob".into(), "carol".into()]);
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("crDiz", USER));
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::CreateDiscussionOutput { id: "d1".into() }),
    ));
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("invtDiz", "d1"));
    let invite: proto::ChannelInvitationInput = proto::decode(&q.payload).unwrap();
    assert_eq!(invite.users, ["bob", "carol"]);
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::Id { id: "d1".into() }
    );

    // A failing invitation is the one outcome, not a second callback after a success.
    let id = h.engine.create_discussion(h.now, "x", vec!["zed".into()]);
    h.drain();
    let q = query(&mut h);
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::CreateDiscussionOutput { id: "d2".into() }),
    ));
    let q = query(&mut h);
    h.server(ack(q.msg_id, 21407, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 21407);
}

#[test]
fn discussion_info_and_member_operations() {
    let mut h = connected();
    let id = h.engine.discussion(h.now, "d1");
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("dizInf", "d1"));
    let info = proto::ChannelInfoOutput {
        r#type: 2,
        channel_id: "d1".into(),
        channel_name: "trip".into(),
        admin_user_id: "bob".into(),
        first_ten_user_ids: vec!["bob".into(), USER.into()],
        open_status: 0,
    };
    h.server(ack(q.msg_id, 0, proto::encode(&info)));
    let Reply::Discussion { discussion } = result_of(&mut h, id).unwrap() else {
        panic!()
    };
    assert_eq!(
        (discussion.name.as_str(), discussion.creator_id.as_str()),
        ("trip", "bob")
    );
    assert!(discussion.is_open && discussion.open_status == 0);

    let cases: Vec<(RequestId, &str)> = vec![
        (h.engine.quit_discussion(h.now, "d1"), "quitDiz"),
        (
            h.engine.remove_discussion_member(h.now, "d1", "bob"),
            "evctDiz",
        ),
        (
            h.engine.set_discussion_invite_status(h.now, "d1", 1),
            "pdOpen",
        ),
        (h.engine.set_discussion_name(h.now, "d1", "new"), "rename"),
        (
            h.engine
                .add_discussion_members(h.now, "d1", vec!["x".into()]),
            "invtDiz",
        ),
    ];
    h.drain();
    let frames = sent_frames(&h.take());
    let topics: Vec<_> = frames
        .iter()
        .filter_map(|f| match f {
            ClientFrame::Query(q) => Some((q.topic.clone(), q.msg_id)),
            _ => None,
        })
        .collect();
    assert_eq!(
        topics.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        cases.iter().map(|(_, t)| *t).collect::<Vec<_>>()
    );
    for (_, msg_id) in &topics {
        h.server(ack(*msg_id, 0, vec![]));
    }
    let completed: Vec<_> = events(&h.take())
        .into_iter()
        .filter_map(|e| match e {
            Event::RequestCompleted { id, result } => Some((id, result)),
            _ => None,
        })
        .collect();
    let expected: Vec<_> = cases.iter().map(|(id, _)| (*id, Ok(Reply::Done))).collect();
    assert_eq!(completed, expected);
    let id = h.engine.set_discussion_invite_status(h.now, "d1", 7);
    h.drain();
    assert_eq!(result_of(&mut h, id).unwrap_err().code, -3);
}

fn in_room(mut m: DownStreamMessage, room: &str) -> DownStreamMessage {
    m.r#type = 4;
    m.group_id = Some(room.into());
    m
}

fn room_notify(msg_id: u16, room: &str, time: i64) -> ServerFrame {
    let payload = proto::encode(&proto::NotifyMsg {
        r#type: 2,
        time: Some(time),
        chrm_id: Some(room.into()),
    });
    publish("s_ntf", msg_id, Qos::AtLeastOnce, false, payload)
}

#[test]
fn joining_a_chatroom_pulls_recent_messages_then_live_ones_without_counting_them() {
    let mut h = connected();
    let id = h.engine.join_chatroom(h.now, "room", 0);
    h.drain();
    let q = query(&mut h);
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str(), q.qos),
        ("joinChrm", "room", Qos::AtMostOnce)
    );
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    let outs = h.take();
    let done = events(&outs).into_iter().any(
        |e| matches!(e, Event::RequestCompleted { id: got, result: Ok(Reply::Done) } if got == id),
    );
    assert!(done, "onSuccess right after the join ack");
    let pull = sent_frames(&outs).into_iter().find_map(|f| match f {
        ClientFrame::Query(q) if q.topic == "chrmPull" => Some(q),
        _ => None,
    });
    let pull = pull.expect("a join-time chrmPull");
    assert_eq!(pull.qos, Qos::AtLeastOnce);
    let req: proto::ChrmPullMsg = proto::decode(&pull.payload).unwrap();
    assert_eq!(
        (req.sync_time, req.count),
        (0, -1),
        "count 0 asks for no history as -1"
    );
    let batch = proto::DownStreamMessages {
        list: vec![in_room(text_from("bob", "hi", "R1", 1000), "room")],
        sync_time: 1000,
        finished: None,
    };
    h.server(ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtLeastOnce,
        msg_id: pull.msg_id,
        date: 0,
        status: 0,
        payload: proto::encode(&batch),
    }));
    let got = received(&h.take());
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].0.conversation_type, got[0].0.target_id.as_str()),
        (4, "room")
    );

    // Live: s_ntf type 2 → chrmPull from the cursor; older or repeated items are dropped.
    h.server(room_notify(3, "room", 2000));
    let pull = query(&mut h);
    assert_eq!(pull.topic, "chrmPull");
    let req: proto::ChrmPullMsg = proto::decode(&pull.payload).unwrap();
    assert_eq!((req.sync_time, req.count), (1000, 0));
    let batch = proto::DownStreamMessages {
        list: vec![
            in_room(text_from("bob", "hi", "R1", 1000), "room"),
            in_room(text_from("carol", "yo", "R2", 2000), "room"),
        ],
        sync_time: 2000,
        finished: None,
    };
    h.server(ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtLeastOnce,
        msg_id: pull.msg_id,
        date: 0,
        status: 0,
        payload: proto::encode(&batch),
    }));
    let got = received(&h.take());
    assert_eq!(
        got.iter().map(|(m, _, _)| text_of(m)).collect::<Vec<_>>(),
        ["yo"]
    );
    assert_eq!(h.engine.total_unread_count(&[]), 0);
    assert!(h.engine.conversation_list(&[]).is_empty());
    // A notification for what was already pulled causes no traffic.
    h.server(room_notify(4, "room", 2000));
    assert!(sent_frames(&h.take())
        .iter()
        .all(|f| !matches!(f, ClientFrame::Query(_))));

    let id = h.engine.quit_chatroom(h.now, "room");
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "exitChrm");
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);
    h.server(room_notify(5, "room", 9000));
    assert!(
        sent_frames(&h.take())
            .iter()
            .all(|f| !matches!(f, ClientFrame::Query(_))),
        "a quit room is not pulled"
    );
}

#[test]
fn chatroom_errors_info_and_history() {
    let mut h = connected();
    let id = h.engine.join_chatroom(h.now, "", 10);
    h.drain();
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 36001);
    let id = h.engine.join_chatroom(h.now, "full", 10);
    h.drain();
    let q = query(&mut h);
    h.server(ack(q.msg_id, 23411, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 23411);

    let id = h.engine.chatroom_info(h.now, "room", 2, 1);
    h.drain();
    let q = query(&mut h);
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str()),
        ("queryChrmI", "room")
    );
    let out = proto::QueryChatroomInfoOutput {
        user_total_nums: Some(3),
        user_infos: vec![
            proto::ChrmMember {
                time: 5,
                id: "a".into(),
            },
            proto::ChrmMember {
                time: 6,
                id: "b".into(),
            },
        ],
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    let Reply::ChatRoomInfo {
        user_total_nums,
        user_infos,
    } = result_of(&mut h, id).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (user_total_nums, user_infos.len(), user_infos[1].id.as_str()),
        (3, 2, "b")
    );

    h.engine.set_chatroom_history_timestamp("room", 7777);
    let id = h.engine.chatroom_history(h.now, "room", 10, 0);
    h.drain();
    let q = query(&mut h);
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str()),
        ("qryCHMsg", USER),
        "target is self"
    );
    let input: proto::HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!(
        (input.target_id.as_deref(), input.time),
        (Some("room"), Some(7777))
    );
    let out = proto::HistoryMessagesOuput {
        list: vec![in_room(text_from("bob", "x", "R9", 7000), "room")],
        sync_time: 7000,
        has_msg: 0,
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    let Reply::History { list, has_more } = result_of(&mut h, id).unwrap() else {
        panic!()
    };
    assert_eq!(
        (list.len(), list[0].target_id.as_str(), has_more),
        (1, "room", false)
    );

    // The next call continues from the reply's syncTime ...
    h.engine.chatroom_history(h.now, "room", 10, 0);
    h.drain();
    let input: proto::HistoryMsgInput = proto::decode(&query(&mut h).payload).unwrap();
    assert_eq!(input.time, Some(7000));
    // ... until a timestamp is set again.
    h.engine.set_chatroom_history_timestamp("room", 0);
    h.engine.chatroom_history(h.now, "room", 10, 0);
    h.drain();
    let input: proto::HistoryMsgInput = proto::decode(&query(&mut h).payload).unwrap();
    assert_eq!(input.time, Some(0));
}

#[test]
fn a_recall_replaces_the_latest_message_and_uncounts_it() {
    let mut h = connected();
    h.server(s_msg(0, &text_from("bob", "oops", "U1", 1000)));
    assert_eq!(h.engine.unread_count(1, "bob"), 1);
    let recall = DownStreamMessage {
        from_user_id: "bob".into(),
        r#type: 1,
        classname: "RC:RcCmd".into(),
        content: format!(
            r#"{{"messageUId":"U1","conversationType":1,"targetId":"{USER}","sentTime":1000}}"#
        )
        .into_bytes(),
        data_time: 1100,
        msg_id: Some("U2".into()),
        ..Default::default()
    };
    h.server(s_msg(0, &recall));
    let c = h.engine.conversation(1, "bob").unwrap();
    assert_eq!(c.unread_message_count, 0);
    assert_eq!(c.latest_message.unwrap().object_name, "RC:RcCmd");
    assert_eq!(h.engine.total_unread_count(&[]), 0);
}
