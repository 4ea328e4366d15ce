//! The message bus between nodes that share one store (`IM_BUS` = `nats://HOST:PORT`): what
//! one node does that users connected to another node must see. Without `IM_BUS` the `Bus`
//! is off: every call is a no-op on a `None`, nothing connects, and the single-node paths
//! allocate and lock nothing more.
//!
//! What crosses (subjects and messages: `wire`):
//!
//! - **Deliveries** to a user: a node subscribes to `im.<app>.user.<user>` while that user has a
//!   connection on it, so NATS routes a delivery only to the nodes that want it. The announcer
//!   that queues stored messages for local connections in commit order also publishes them, in
//!   the same order, through one publishing task (`Bus::to_user`). Stored messages cross as
//!   an `s_ntf` time only, never as an `s_msg` (see below), messages that are not stored as
//!   their encoded `DownStreamMessage`, sync copies for the sender's other devices as they are.
//! - **Logins**: a login publishes `wire::UserEvent::Login` on the user's subject; a node
//!   with older connections of that user applies the multi-device rule to them as if the new
//!   connection were its own (`crate::hub::Hub::make_room`).
//! - **Server API changes** of what each node keeps in memory, on `im.<app>.ctl`
//!   (`wire::Change`): token expiry, user blocks, sensitive words and group mutes (read again
//!   from the store), chatroom settings, kicks, creations and destructions (the chatroom call
//!   replayed in memory, see `crate::api`), customer services, and broadcasts.
//! - **Chatroom messages**, through a JetStream stream (`bus::rooms`): one total order per
//!   application that every node applies in the same sequence.
//!
//! Order. Message times come from the store's commit (the PostgreSQL store's `message_clock`
//! row orders the nodes' commits), so every pull sees a prefix of each inbox in time order. NATS
//! keeps the order of one publisher only: an `s_msg` published by node A may overtake an older
//! message published by node B, and a client moves its receive box to the time of every `s_msg`
//! it takes (api.md §5.5), skipping the older one for good. So with a bus, stored messages are
//! announced with `s_ntf` and pulled (`crate::session`'s direct delivery is off): a late
//! announcement of an older message is harmless, because any pull that saw a newer message saw
//! it too.
//!
//! Bus down: local connections are served as before (the hub is fed first, the bus after
//! through a bounded queue that drops and logs when full); async-nats reconnects on its own,
//! and on every reconnection each local connection gets an `s_ntf`, so what was announced
//! while the bus was away is pulled from the shared store. Nothing acknowledged is lost: a
//! PUBACK follows the commit.

pub(crate) mod rooms;
pub(crate) mod wire;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::cluster::BusUrl;
use crate::hub::{Close, EchoCopy, Outbound};
use crate::server::State;
use wire::{Change, Control, Subjects, ToUser, UserEvent};

/// Messages waiting for the publishing task; beyond, new ones are dropped (and logged).
const PUBLISH_QUEUE: usize = 65_536;
/// The longest a start waits for the bus.
const START_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// The longest a login waits for its user's subscription (the bus may be down).
const SUBSCRIBE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A subject and a message for the publishing task.
type Outgoing = (String, Vec<u8>);

/// The bus of this node; off without `IM_BUS`. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Bus(Option<Arc<Inner>>);

struct Inner {
    client: async_nats::Client,
    node: u32,
    subjects: Subjects,
    out: mpsc::Sender<Outgoing>,
    /// Taken by [`Bus::start`].
    out_rx: Mutex<Option<mpsc::Receiver<Outgoing>>>,
    events: Mutex<Option<mpsc::UnboundedReceiver<async_nats::Event>>>,
    /// Users with connections here: how many, and the task reading their subject.
    users: Mutex<HashMap<String, UserSub>>,
    /// A full publishing queue was logged (until it drains).
    full_logged: AtomicBool,
    rooms: rooms::Rooms,
}

struct UserSub {
    conns: usize,
    task: tokio::task::AbortHandle,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bus").field("node", &self.node).finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Bus {
    /// No bus: a single node.
    pub fn off() -> Self {
        Self(None)
    }

    /// Connects to `url` as node `node` of the application `app_key`. The connection is made
    /// in the background and remade whenever it is lost, so a bus that is down at start does
    /// not stop the node (it serves its local users and says so in its log).
    pub async fn connect(url: &BusUrl, node: u16, app_key: &str) -> Self {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let options = async_nats::ConnectOptions::new()
            .name(format!("im-server node {node}"))
            .no_echo()
            .retry_on_initial_connect()
            .max_reconnects(None)
            .event_callback(move |event| {
                let tx = events_tx.clone();
                async move {
                    let _ = tx.send(event);
                }
            });
        let address = url.to_string();
        let client = match options.connect(address.as_str()).await {
            Ok(c) => c,
            Err(e) => {
                // Only a malformed address gets here (the connection itself is retried).
                tracing::error!(bus = %url, error = %e, "cannot use the bus; running alone");
                return Self::off();
            }
        };
        let (out, out_rx) = mpsc::channel(PUBLISH_QUEUE);
        let subjects = Subjects::new(app_key);
        tracing::info!(bus = %url, node, "message bus in use");
        Self(Some(Arc::new(Inner {
            rooms: rooms::Rooms::new(client.clone(), &subjects, u32::from(node)),
            client,
            node: u32::from(node),
            subjects,
            out,
            out_rx: Mutex::new(Some(out_rx)),
            events: Mutex::new(Some(events_rx)),
            users: Mutex::new(HashMap::new()),
            full_logged: AtomicBool::new(false),
        })))
    }

    /// Whether a bus is in use.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Starts the tasks that publish, read the control subject and the chatroom stream, and
    /// watch the connection, until `state.shutdown`. Returns once the control subscription
    /// and the chatroom stream are in force, or after a few seconds if the bus is not there.
    pub async fn start(&self, state: &Arc<State>) {
        let Some(inner) = &self.0 else { return };
        if let Some(rx) = lock(&inner.out_rx).take() {
            tokio::spawn(publisher(inner.clone(), rx));
        }
        if let Some(rx) = lock(&inner.events).take() {
            tokio::spawn(watch_connection(state.clone(), rx));
        }
        let (ready, subscribed) = tokio::sync::oneshot::channel();
        tokio::spawn(read_control(inner.clone(), state.clone(), ready));
        inner.rooms.start(state);
        let waited = tokio::time::timeout(START_WAIT, async {
            let _ = subscribed.await;
            inner.rooms.ready().await;
        })
        .await;
        if waited.is_err() {
            tracing::warn!("the bus is not answering yet: serving local users meanwhile");
        }
    }

    /// The chatroom side of the bus, when on.
    pub(crate) fn rooms(&self) -> Option<&rooms::Rooms> {
        self.0.as_ref().map(|i| &i.rooms)
    }

    /// Queues a message for the publishing task, without waiting.
    fn queue(inner: &Inner, subject: String, bytes: Vec<u8>) {
        match inner.out.try_send((subject, bytes)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full((subject, _))) => {
                if !inner.full_logged.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        subject,
                        "bus publishing queue full (is the bus down?): dropping; users on \
                         other nodes pull what they miss at their next notification"
                    );
                }
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Tells `user`'s connections on other nodes.
    pub(crate) fn to_user(&self, user: &str, event: UserEvent) {
        let Some(inner) = &self.0 else { return };
        let bytes = wire::encode(&ToUser {
            node: inner.node,
            event: Some(event),
        });
        Self::queue(inner, inner.subjects.user(user), bytes);
    }

    /// Tells `user`'s connections on other nodes about a hub item (those that cross).
    pub fn send(&self, user: &str, out: &Outbound) {
        if self.0.is_none() {
            return;
        }
        let event = match out {
            Outbound::Notify { time } | Outbound::Message { time, .. } => UserEvent::Notify(*time),
            Outbound::Direct(payload) => UserEvent::Direct(payload.clone()),
            Outbound::Echo(e) => UserEvent::Echo(wire::Echo {
                topic: e.topic.clone(),
                target_id: e.target_id.clone(),
                payload: e.payload.clone(),
                uid: e.uid.clone(),
                time: e.time,
            }),
            Outbound::SettingsChanged { version } => UserEvent::Settings(*version),
            _ => return,
        };
        self.to_user(user, event);
    }

    /// Tells every other node about a change made through the Server API.
    pub(crate) fn control(&self, change: Change) {
        let Some(inner) = &self.0 else { return };
        let bytes = wire::encode(&Control {
            node: inner.node,
            change: Some(change),
        });
        Self::queue(inner, inner.subjects.control(), bytes);
    }

    /// A connection of `user` opened here (registered in the hub, at `since` ms): subscribes
    /// to the user's subject if it is the first, and tells the other nodes of the login. Waits
    /// (a little, at most) until the subscription is in force, so that whatever another node
    /// commits for the user after the CONNACK reaches this connection, and what it committed
    /// before is in the client's first pull.
    pub async fn user_connected(&self, state: &Arc<State>, user: &str, since: i64) {
        let Some(inner) = &self.0 else { return };
        let subscribed = {
            let mut users = lock(&inner.users);
            match users.get_mut(user) {
                Some(sub) => {
                    sub.conns += 1;
                    None
                }
                None => {
                    let (ready, subscribed) = tokio::sync::oneshot::channel();
                    let task = tokio::spawn(read_user(
                        inner.clone(),
                        state.clone(),
                        user.to_owned(),
                        ready,
                    ));
                    users.insert(
                        user.to_owned(),
                        UserSub {
                            conns: 1,
                            task: task.abort_handle(),
                        },
                    );
                    Some(subscribed)
                }
            }
        };
        let connected = inner.client.connection_state() == async_nats::connection::State::Connected;
        if let (Some(subscribed), true) = (subscribed, connected) {
            if tokio::time::timeout(SUBSCRIBE_WAIT, subscribed)
                .await
                .is_err()
            {
                tracing::debug!(user, "bus subscription not confirmed yet");
            }
        }
        self.to_user(user, UserEvent::Login(since));
    }

    /// A connection of `user` closed: the last one unsubscribes.
    pub fn user_disconnected(&self, user: &str) {
        let Some(inner) = &self.0 else { return };
        let mut users = lock(&inner.users);
        if let Some(sub) = users.get_mut(user) {
            sub.conns = sub.conns.saturating_sub(1);
            if sub.conns == 0 {
                sub.task.abort();
                users.remove(user);
            }
        }
    }
}

/// Publishes what [`Bus::queue`] queued, in order.
async fn publisher(inner: Arc<Inner>, mut rx: mpsc::Receiver<Outgoing>) {
    let mut failing = false;
    while let Some((subject, bytes)) = rx.recv().await {
        match inner.client.publish(subject, bytes.into()).await {
            Ok(()) => {
                failing = false;
                if rx.is_empty() {
                    inner.full_logged.store(false, Ordering::Relaxed);
                }
            }
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "bus publish failed");
            }
            Err(_) => {}
        }
    }
}

/// Logs the connection's ups and downs; after a reconnection every local connection gets an
/// `s_ntf`, so what other nodes announced meanwhile is pulled.
async fn watch_connection(state: Arc<State>, mut rx: mpsc::UnboundedReceiver<async_nats::Event>) {
    let mut connected_once = false;
    while let Some(event) = rx.recv().await {
        match event {
            async_nats::Event::Connected => {
                tracing::info!("bus connected");
                if connected_once {
                    let time = state.clock.now();
                    for user in state.hub.online_users() {
                        state.hub.send(&user, None, Outbound::Notify { time });
                    }
                }
                connected_once = true;
            }
            async_nats::Event::Disconnected => tracing::warn!(
                "bus disconnected: serving local users only until it is back (reconnecting)"
            ),
            other => tracing::info!(event = %other, "bus"),
        }
    }
}

/// Reads `user`'s subject for as long as the user has connections here; `ready` once the
/// server has the subscription.
async fn read_user(
    inner: Arc<Inner>,
    state: Arc<State>,
    user: String,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let subject = inner.subjects.user(&user);
    let mut sub = match inner.client.subscribe(subject.clone()).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(user, error = %e, "cannot subscribe to the user's bus subject");
            return;
        }
    };
    if inner.client.flush().await.is_ok() {
        let _ = ready.send(());
    }
    while let Some(msg) = sub.next().await {
        let Some(m) = wire::decode::<ToUser>(&subject, &msg.payload) else {
            continue;
        };
        let out = match m.event {
            Some(UserEvent::Notify(time)) => Outbound::Notify { time },
            Some(UserEvent::Direct(payload)) => Outbound::Direct(payload),
            Some(UserEvent::Echo(e)) => Outbound::Echo(Box::new(EchoCopy {
                topic: e.topic,
                target_id: e.target_id,
                payload: e.payload,
                uid: e.uid,
                time: e.time,
            })),
            Some(UserEvent::Settings(version)) => Outbound::SettingsChanged { version },
            Some(UserEvent::Login(since)) => {
                state.hub.make_room(&user, since);
                continue;
            }
            None => continue,
        };
        state.hub.send(&user, None, out);
    }
}

/// Reads the control subject until the server stops; `ready` once subscribed.
async fn read_control(
    inner: Arc<Inner>,
    state: Arc<State>,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let subject = inner.subjects.control();
    let mut sub = match inner.client.subscribe(subject.clone()).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot subscribe to the bus control subject");
            return;
        }
    };
    if inner.client.flush().await.is_ok() {
        let _ = ready.send(());
    }
    let stop = crate::server::stopped(state.shutdown.clone());
    tokio::pin!(stop);
    loop {
        let msg = tokio::select! {
            msg = sub.next() => msg,
            () = &mut stop => return,
        };
        let Some(msg) = msg else { return };
        let Some(change) = wire::decode::<Control>(&subject, &msg.payload).and_then(|c| c.change)
        else {
            continue;
        };
        apply(&state, change).await;
    }
}

/// Makes a change another node made through the Server API.
async fn apply(state: &Arc<State>, change: Change) {
    match change {
        Change::Revoke(u) => {
            for user in &u.users {
                state.tokens.revoke_before(user, u.at);
                state
                    .hub
                    .disconnect_tokens_before(user, u.at, Close::Revoked);
            }
        }
        Change::Block(u) => {
            for user in &u.users {
                state.blocks.block(user, u.at);
                state
                    .hub
                    .disconnect_tokens_before(user, i64::MAX, Close::Blocked);
            }
        }
        Change::Unblock(u) => u.users.iter().for_each(|user| state.blocks.unblock(user)),
        Change::Moderation(_) => {
            if let Err(e) = state
                .moderation
                .reload(&state.store, crate::clock::wall_ms())
                .await
            {
                tracing::error!(error = %e, "reading moderation settings again");
            }
        }
        Change::ChatroomApi(call) => {
            let form = call.keys.into_iter().zip(call.values).collect();
            crate::api::replay_chatroom(state, &call.path, form);
        }
        Change::Services(_) => state.desk.forget_services(),
        Change::Broadcast(b) => {
            let out = if b.direct.is_empty() {
                Outbound::Notify { time: b.time }
            } else {
                Outbound::Direct(b.direct)
            };
            for user in state.hub.online_users() {
                if user != b.from {
                    state.hub.send(&user, None, out.clone());
                }
            }
        }
    }
}
