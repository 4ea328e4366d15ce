//! Wiring: shared state, the HTTP router and the start/stop lifecycle.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::cluster::StoreUrl;
use crate::config::{AppCredentials, Config};
use crate::hub::Hub;
use crate::store::postgres::PostgresStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreHandle};
use crate::token::Tokens;
use crate::{api, navi, session};

/// State shared by every request and connection.
#[derive(Debug)]
pub struct State {
    /// The configuration in force.
    pub config: Config,
    /// The served application.
    pub app: AppCredentials,
    /// Token issuing and checking.
    pub tokens: Tokens,
    /// The store thread.
    pub store: StoreHandle,
    /// Online connections.
    pub hub: Arc<Hub>,
    /// The message bus to the other nodes (off without `IM_BUS`).
    pub bus: crate::bus::Bus,
    /// Hands stored messages to the hub in commit order (see [`crate::messaging::Announcer`]).
    pub announcer: crate::messaging::Announcer,
    /// Who is online and who watches whose status.
    pub presence: crate::hub::status::Presence,
    /// Uploaded files.
    pub files: Arc<crate::files::Files>,
    /// Blocked users.
    pub blocks: crate::block::Blocks,
    /// Sensitive words and group mutes.
    pub moderation: crate::moderation::Moderation,
    /// The clock stored message times come from.
    pub clock: Clock,
    /// Chatrooms.
    pub chatrooms: Arc<crate::chatroom::Chatrooms>,
    /// Customer services and their open sessions.
    pub desk: crate::services::Desk,
    /// Nonces seen by the Server API in strict mode.
    pub nonces: api::auth::NonceCache,
    /// Becomes `true` when the server stops; sessions close.
    pub shutdown: watch::Receiver<bool>,
}

/// Why the server could not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// A started server.
#[derive(Debug)]
pub struct RunningServer {
    /// The bound address (useful with port 0).
    pub addr: SocketAddr,
    /// The bound address of the Server API when it has its own (`api_addr`).
    pub api_addr: Option<SocketAddr>,
    /// Whether the public address speaks TLS (https, wss).
    pub tls: bool,
    /// The served application.
    pub app: AppCredentials,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    store_threads: crate::store::StoreThreads,
}

impl RunningServer {
    /// A token for `user_id`, as `user/getToken` would issue.
    pub fn issue_token(&self, user_id: &str) -> String {
        self.state.tokens.issue(user_id, crate::clock::wall_ms())
    }

    /// Shared state (for tests and embedding).
    pub fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// Closes every connection, stops accepting, and closes the store.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        self.state.store.stop();
        drop(self.state);
        let _ = tokio::task::spawn_blocking(move || self.store_threads.join()).await;
    }

    /// Runs until Ctrl-C (SIGINT) or SIGTERM, then stops gracefully.
    pub async fn run_until_signal(self) {
        let signal = termination().await;
        tracing::info!(signal, "stopping");
        self.stop().await;
    }
}

/// Completes on the first SIGINT or SIGTERM (Ctrl-C elsewhere) and names it.
async fn termination() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "SIGINT"
}

/// Completes once `rx` reads `true` (or its sender is gone).
pub(crate) async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stopped| *stopped).await;
}

/// Navigation, `/ping` and `/websocket`; `/metrics` if `metrics_public`; and the Server API
/// when `with_api` (it has no address of its own), else a 404 for every other path.
/// Every hour until `shutdown` reads true, forgets the client message ids older than
/// `client_id_retention_secs`.
async fn forget_client_ids(state: Arc<State>, shutdown: watch::Receiver<bool>) {
    let retention_ms = i64::try_from(state.config.client_id_retention_secs)
        .unwrap_or(i64::MAX)
        .saturating_mul(1000);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stop = stopped(shutdown);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let before = crate::clock::wall_ms().saturating_sub(retention_ms);
                match state.store.call(move |s| s.forget_client_ids(before)).await {
                    Ok(n) if n > 0 => tracing::debug!(ids = n, "client message ids forgotten"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "forgetting client message ids"),
                }
            }
            () = &mut stop => return,
        }
    }
}

fn public_router(state: &Arc<State>, with_api: bool) -> Router {
    let router = Router::new()
        .route("/navi.js", get(navi::navi_js))
        .route("/navi.json", get(navi::navi_json))
        .route("/ping", get(navi::ping))
        .route("/message/exist.js", get(navi::message_exist))
        .route("/websocket", get(session::upgrade))
        .merge(crate::files::routes());
    let router = if state.config.metrics_public {
        router.route("/metrics", get(crate::metrics::handler))
    } else {
        router
    };
    let router = if with_api {
        router.fallback(api::handle)
    } else {
        router.fallback(api::not_served)
    };
    router.with_state(state.clone())
}

/// A store, a second connection to it that only reads, and the clock of its node.
type Opened = (Box<dyn Store>, Box<dyn Store>, Clock);

/// The store of `url` (SQLite in `dir`, or PostgreSQL) opened for `node`.
fn open_store(
    url: &StoreUrl,
    dir: &std::path::Path,
    node: crate::clock::NodeId,
) -> crate::store::StoreResult<Opened> {
    match url {
        StoreUrl::Sqlite => {
            let (store, clock) = SqliteStore::open_on(dir, false, node)?;
            let reader = SqliteStore::open_reader(dir, clock.clone())?;
            Ok((Box::new(store), Box::new(reader), clock))
        }
        StoreUrl::Postgres(pg) => {
            let (store, clock) = PostgresStore::open(pg, node)
                .map_err(|e| crate::store::StoreError(format!("{pg}: {}", e.0)))?;
            let reader = PostgresStore::open_reader(pg, clock.clone())?;
            Ok((Box::new(store), Box::new(reader), clock))
        }
    }
}

/// Opens the store, binds `config.addr` (and `config.api_addr`) and serves.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let app = config
        .resolve_app()
        .map_err(|e| StartError(e.to_string()))?;
    let (store, reader, clock) = tokio::task::spawn_blocking({
        let (url, dir, node) = (
            config.store.clone(),
            config.data_dir.clone(),
            config.node_id,
        );
        move || open_store(&url, &dir, node)
    })
    .await
    .map_err(|e| StartError(e.to_string()))?
    .map_err(|e| StartError(e.to_string()))?;
    let (store, store_threads) =
        StoreHandle::spawn(store, Some(reader)).map_err(|e| StartError(e.to_string()))?;
    let watermarks = store
        .read(|s| s.token_watermarks())
        .await
        .map_err(|e| StartError(e.to_string()))?;
    let now = crate::clock::wall_ms();
    let blocks = store
        .call(move |s| s.user_blocks(now))
        .await
        .map_err(|e| StartError(e.to_string()))?;
    let moderation = crate::moderation::Moderation::load(&store, now)
        .await
        .map_err(|e| StartError(e.to_string()))?;
    let settings = store
        .read(|s| s.chatroom_settings())
        .await
        .map_err(|e| StartError(e.to_string()))?;
    let chatroom_moderation = crate::chatroom::Moderation::restore(&settings, now);
    let tls = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => Some(crate::tls::acceptor(cert, key).map_err(StartError)?),
        (None, None) => None,
        _ => {
            return Err(StartError(
                "TLS needs both tls_cert and tls_key (IM_TLS_CERT, IM_TLS_KEY)".into(),
            ))
        }
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartError(format!("cannot listen on {}: {e}", config.addr)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError(e.to_string()))?;
    let api_listener = match config.api_addr {
        Some(api) => Some(
            tokio::net::TcpListener::bind(api)
                .await
                .map_err(|e| StartError(format!("cannot listen on {api}: {e}")))?,
        ),
        None => None,
    };
    let api_addr = api_listener
        .as_ref()
        .map(tokio::net::TcpListener::local_addr)
        .transpose()
        .map_err(|e| StartError(e.to_string()))?;
    let files = crate::files::Files::open(
        config.files.clone(),
        &config.data_dir,
        &app.secret,
        crate::files::own_base(&config, addr),
    )
    .map_err(|e| StartError(format!("files: {e}")))?;
    let bus = match &config.bus {
        Some(url) => crate::bus::Bus::connect(url, config.node_id.get(), &app.key).await,
        None => crate::bus::Bus::off(),
    };
    let (stop, shutdown) = watch::channel(false);
    let hub = Arc::new(Hub::new(config.devices_per_user));
    let state = Arc::new(State {
        tokens: Tokens::new(&app.key, &app.secret, watermarks),
        announcer: crate::messaging::Announcer::spawn(hub.clone(), bus.clone()),
        hub,
        bus,
        presence: crate::hub::status::Presence::default(),
        files: Arc::new(files),
        blocks: crate::block::Blocks::new(blocks),
        moderation,
        nonces: api::auth::NonceCache::default(),
        desk: crate::services::Desk::default(),
        chatrooms: Arc::new(crate::chatroom::Chatrooms::with_clock(
            config.chatroom.clone(),
            chatroom_moderation,
            clock.clone(),
        )),
        config,
        app: app.clone(),
        store,
        clock,
        shutdown: shutdown.clone(),
    });
    crate::chatroom::kv::restore(&state)
        .await
        .map_err(|e| StartError(e.to_string()))?;
    tokio::spawn(crate::chatroom::kv::janitor(
        state.clone(),
        shutdown.clone(),
    ));
    tokio::spawn(state.chatrooms.clone().reaper(shutdown.clone()));
    state.bus.start(&state).await;
    tokio::spawn(forget_client_ids(state.clone(), shutdown.clone()));
    let public = crate::listen::serve(
        listener,
        public_router(&state, api_listener.is_none()),
        crate::listen::Gate::new(state.config.connections.clone()),
        tls,
        shutdown.clone(),
    );
    let api = api_listener.map(|listener| {
        crate::listen::serve(
            listener,
            Router::new()
                .route("/metrics", get(crate::metrics::handler))
                .fallback(api::handle)
                .with_state(state.clone()),
            crate::listen::Gate::new(state.config.connections.clone()),
            None,
            shutdown,
        )
    });
    let task = tokio::spawn(async move {
        match api {
            Some(api) => drop(tokio::join!(public, api)),
            None => public.await,
        }
    });
    if let Some(api_addr) = api_addr {
        tracing::info!(%api_addr, "server api on its own address");
    }
    tracing::info!(%addr, tls = state.config.tls_cert.is_some(), app_key = %app.key, "listening");
    Ok(RunningServer {
        addr,
        api_addr,
        tls: state.config.tls_cert.is_some(),
        app,
        state,
        stop,
        task,
        store_threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::testdb::TempPostgres;

    #[tokio::test]
    async fn a_server_runs_on_a_postgres_store_and_keeps_its_data_across_a_restart() {
        let Some(pg) = TempPostgres::start().unwrap() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: dir.path().join("data"),
            store: StoreUrl::Postgres(pg.database().unwrap()),
            ..Config::default()
        };
        let server = start(config.clone()).await.unwrap();
        server
            .state()
            .store
            .call(|s| s.blacklist_add("a", &["b".to_owned()]))
            .await
            .unwrap();
        server.stop().await;
        let server = start(config).await.unwrap();
        let list = server.state().store.read(|s| s.blacklist("a")).await;
        assert_eq!(list.unwrap(), ["b"]);
        server.stop().await;
    }

    #[tokio::test]
    async fn an_unreachable_postgres_store_stops_the_start_with_a_clear_message() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: dir.path().join("data"),
            store: format!("postgres://im:hunter2@127.0.0.1:{port}/im")
                .parse()
                .unwrap(),
            ..Config::default()
        };
        let err = start(config).await.unwrap_err();
        assert!(err.0.contains(&format!("127.0.0.1:{port}/im")), "{err}");
        assert!(!err.0.contains("hunter2"), "{err}");
    }
}
