//! What every store must do, as checks generic over the domain traits, one file per domain:
//! each store's tests run them on fresh stores of theirs, so the SQLite and the PostgreSQL store
//! answer alike.

mod audience;
mod chatrooms;
mod groups;
mod messages;
mod moderation;
mod services;
mod settings;
mod users;

use super::{Delivery, Message, MessageStore, Store, RECEIVED, SENT};

/// Stores a text message of `conv_type` from `from` to `to`, with the copy `to` sees in
/// `direction`; returns it as stored.
pub(crate) fn store_text(
    s: &mut impl MessageStore,
    conv_type: i32,
    from: &str,
    to: &str,
    direction: u8,
) -> Message {
    let mut m = Message {
        conv_type,
        from_user: from.into(),
        target_id: to.into(),
        object_name: "RC:TxtMsg".into(),
        content: br#"{"content":"hi"}"#.to_vec(),
        tag: 3,
        ..Message::default()
    };
    let copy = Delivery {
        user_id: to.into(),
        conv_target: from.into(),
        direction,
        mentioned: false,
    };
    s.insert_message(&mut m, &[copy], None).unwrap();
    m
}

/// A private message from `from` to `to` with both copies, as routing stores one.
pub(crate) fn store_private(
    s: &mut impl MessageStore,
    from: &str,
    to: &str,
    text: &str,
) -> Message {
    let mut m = Message {
        conv_type: 1,
        from_user: from.into(),
        target_id: to.into(),
        object_name: "RC:TxtMsg".into(),
        content: format!(r#"{{"content":"{text}"}}"#).into_bytes(),
        tag: 3,
        push_text: Some(text.into()),
        ..Message::default()
    };
    let copies = [(to, from, RECEIVED), (from, to, SENT)].map(|(user, peer, direction)| Delivery {
        user_id: user.into(),
        conv_target: peer.into(),
        direction,
        mentioned: false,
    });
    s.insert_message(&mut m, &copies, None).unwrap();
    m
}

/// Every check of every domain, in turn, each on a store from `fresh`.
pub(crate) fn all<S: Store>(mut fresh: impl FnMut() -> S) {
    messages::all(&mut fresh);
    users::all(&mut fresh);
    groups::all(&mut fresh);
    chatrooms::all(&mut fresh);
    moderation::all(&mut fresh);
    settings::all(&mut fresh);
    audience::all(&mut fresh);
    services::all(&mut fresh);
}
