//! Chatrooms across nodes.
//!
//! A chatroom lives in each node's memory (members and their connections, the ring of recent
//! messages, per-connection queues; see [`crate::chatroom`]). What must be shared is the order of
//! a room's messages: every member, on whichever node, gets each message exactly once and in
//! the same order, and the time cursors of `chrmPull` must never skip one. NATS core keeps only
//! one publisher's order, so chatroom messages go through a JetStream stream
//! (`IM_ROOMS_…`, subjects `im.<app>.room.<room>`, in memory, kept 10 minutes): the stream puts
//! every node's messages in one sequence, and each node reads the whole stream with an ordered
//! consumer and fans each message out to its own members, exactly as a message sent locally.
//!
//! The sending node does not fan out itself: it publishes and waits until its own consumer
//! has applied the message, which gives the time for the PUBACK. A message's time is the one
//! the sender's clock gave it, raised above the room's newest time where needed (as nodes
//! apply the same sequence, they agree; a node whose copy of the room began later may raise
//! fewer). Membership stays per node: a member is in the room on the node it is connected to,
//! and the Server API's kicks, blocks, creations and destructions are replayed on every node
//! ([`crate::api::replay_chatroom`]).
//!
//! Without JetStream on the bus, or while the bus is down, a chatroom message is delivered to
//! the sending node's members only (and logged).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::jetstream;
use futures_util::StreamExt;
use tokio::sync::oneshot;

use super::wire::{self, RoomEvent, Subjects};
use crate::chatroom::ChatroomMessage;
use crate::server::State;

/// How long the stream keeps a message (nodes that fall behind longer skip ahead).
const KEEP: Duration = Duration::from_secs(600);
/// Most bytes the stream keeps.
const MAX_BYTES: i64 = 256 * 1024 * 1024;
/// How long a sender waits for its message to come back through the stream.
const ROUND_TRIP: Duration = Duration::from_secs(5);

type Waiting = Arc<Mutex<HashMap<u64, oneshot::Sender<(String, i64)>>>>;

/// The chatroom side of a node's bus.
pub(crate) struct Rooms {
    js: jetstream::Context,
    client: async_nats::Client,
    subjects: Subjects,
    node: u32,
    next: AtomicU64,
    waiting: Waiting,
    /// The stream exists and this node reads it.
    ready: Arc<AtomicBool>,
}

/// A message published into the stream, not yet back.
pub(crate) struct Published {
    rx: oneshot::Receiver<(String, i64)>,
    uid: String,
    time: i64,
}

impl Published {
    /// The message's UId and time once this node applied it; if it does not come back in
    /// time, the ones it was sent with (and a warning).
    pub(crate) async fn applied(self) -> (String, i64) {
        match tokio::time::timeout(ROUND_TRIP, self.rx).await {
            Ok(Ok(stamp)) => stamp,
            _ => {
                tracing::warn!(
                    uid = self.uid,
                    "a chatroom message did not come back through the bus in time"
                );
                (self.uid, self.time)
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Rooms {
    pub(crate) fn new(client: async_nats::Client, subjects: &Subjects, node: u32) -> Self {
        Self {
            js: jetstream::new(client.clone()),
            client,
            subjects: subjects.clone(),
            node,
            next: AtomicU64::new(1),
            waiting: Arc::default(),
            ready: Arc::default(),
        }
    }

    /// Completes once this node reads the stream.
    pub(crate) async fn ready(&self) {
        while !self.ready.load(Ordering::Acquire) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Starts reading the stream (creating it if needed).
    pub(crate) fn start(&self, state: &Arc<State>) {
        tokio::spawn(consume(
            self.js.clone(),
            self.subjects.clone(),
            self.node,
            self.waiting.clone(),
            self.ready.clone(),
            state.clone(),
        ));
    }

    /// Publishes a chatroom message into the stream; `None` when the bus cannot carry it now
    /// (then the caller delivers it here only). Calls made one after another reach the stream
    /// in that order.
    pub(crate) async fn publish(&self, state: &State, msg: &ChatroomMessage) -> Option<Published> {
        if !self.ready.load(Ordering::Acquire)
            || self.client.connection_state() != async_nats::connection::State::Connected
        {
            tracing::debug!(
                room = msg.room,
                "bus unavailable: chatroom message kept local"
            );
            return None;
        }
        let time = state.clock.next();
        let uid = state.clock.uid(time);
        let seq = self.next.fetch_add(1, Ordering::Relaxed);
        let event = RoomEvent {
            node: self.node,
            seq,
            room: msg.room.clone(),
            from: msg.from.clone(),
            object_name: msg.object_name.clone(),
            content: msg.content.clone(),
            tag: u32::from(msg.tag),
            include_sender: msg.include_sender,
            time,
            uid: uid.clone(),
        };
        let (tx, rx) = oneshot::channel();
        lock(&self.waiting).insert(seq, tx);
        let subject = self.subjects.room(&msg.room);
        match self.js.publish(subject, wire::encode(&event).into()).await {
            Ok(ack) => {
                // The stream's acknowledgement is not awaited: the message coming back is.
                tokio::spawn(async move {
                    if let Err(e) = ack.await {
                        tracing::warn!(error = %e, "chatroom message not acknowledged by the bus");
                    }
                });
                Some(Published { rx, uid, time })
            }
            Err(e) => {
                lock(&self.waiting).remove(&seq);
                tracing::warn!(error = %e, "chatroom message not published: kept local");
                None
            }
        }
    }
}

/// Reads the stream from now on, in order, and applies every message; starts again after the
/// last message applied when reading fails.
async fn consume(
    js: jetstream::Context,
    subjects: Subjects,
    node: u32,
    waiting: Waiting,
    ready: Arc<AtomicBool>,
    state: Arc<State>,
) {
    let mut last = 0_u64;
    let mut complained = false;
    let stop = crate::server::stopped(state.shutdown.clone());
    tokio::pin!(stop);
    loop {
        let reading = async {
            let stream = js
                .get_or_create_stream(jetstream::stream::Config {
                    name: subjects.room_stream(),
                    subjects: vec![subjects.rooms()],
                    storage: jetstream::stream::StorageType::Memory,
                    max_age: KEEP,
                    max_bytes: MAX_BYTES,
                    discard: jetstream::stream::DiscardPolicy::Old,
                    ..Default::default()
                })
                .await
                .map_err(|e| e.to_string())?;
            let deliver_policy = if last == 0 {
                jetstream::consumer::DeliverPolicy::New
            } else {
                jetstream::consumer::DeliverPolicy::ByStartSequence {
                    start_sequence: last + 1,
                }
            };
            let consumer = stream
                .create_consumer(jetstream::consumer::pull::OrderedConfig {
                    filter_subject: subjects.rooms(),
                    deliver_policy,
                    ..Default::default()
                })
                .await
                .map_err(|e| e.to_string())?;
            let mut messages = consumer.messages().await.map_err(|e| e.to_string())?;
            ready.store(true, Ordering::Release);
            tracing::info!("chatrooms shared through the bus");
            complained = false;
            while let Some(m) = messages.next().await {
                let m = m.map_err(|e| e.to_string())?;
                if let Ok(info) = m.info() {
                    last = info.stream_sequence;
                }
                let Some(event) = wire::decode::<RoomEvent>(&m.subject, &m.payload) else {
                    continue;
                };
                apply(&state, node, &waiting, event);
            }
            Err::<(), String>("the stream ended".into())
        };
        let failed = tokio::select! {
            r = reading => r.err().unwrap_or_default(),
            () = &mut stop => return,
        };
        ready.store(false, Ordering::Release);
        if !complained {
            complained = true;
            tracing::warn!(
                error = failed,
                "chatroom stream unavailable (does the NATS server run with JetStream?): \
                 chatroom messages stay on their node until it is back"
            );
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            () = &mut stop => return,
        }
    }
}

/// Fans a message of the stream out to this node's members; wakes its sender if it is here.
fn apply(state: &State, node: u32, waiting: &Waiting, e: RoomEvent) {
    let from_here = e.node == node;
    let seq = e.seq;
    let msg = ChatroomMessage {
        room: e.room,
        from: e.from,
        object_name: e.object_name,
        content: e.content,
        tag: u8::try_from(e.tag).unwrap_or(0),
        include_sender: e.include_sender,
    };
    let stamp = crate::chatroom::deliver_stamped(state, &msg, e.uid, e.time);
    if from_here {
        if let Some(tx) = lock(waiting).remove(&seq) {
            let _ = tx.send(stamp);
        }
    }
}
