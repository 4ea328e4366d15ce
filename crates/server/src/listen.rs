//! The accept loop: connection caps per client address and in total, a deadline for request
//! headers, HTTP/1.1 with upgrades (for `/websocket`), and graceful stop.
//!
//! A connection over a cap is closed as soon as it is accepted, before anything is read. A
//! connection counts against the caps until it closes, WebSocket sessions included: the count
//! travels with the socket into the upgraded connection.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

use crate::metrics::{self, Reason};
use crate::server::stopped;

/// Connection limits (`[connections]` in the configuration file).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionConfig {
    /// Seconds a new connection has to send its request headers (and to finish the TLS
    /// handshake first, with TLS); also the most a kept-alive HTTP connection stays idle.
    pub header_timeout_secs: u64,
    /// Most open connections from one client address (IPv6: one /64 network).
    pub max_per_ip: usize,
    /// Most open connections in total.
    pub max_total: usize,
    /// Client addresses the per-address cap does not apply to (e.g. a reverse proxy on the
    /// same machine); the total cap still does.
    pub exempt_ips: Vec<IpAddr>,
}

impl Default for ConnectionConfig {
    fn default() -> Self {
        Self {
            header_timeout_secs: 10,
            max_per_ip: 256,
            max_total: 10_000,
            exempt_ips: Vec::new(),
        }
    }
}

impl ConnectionConfig {
    /// The header deadline; at least one second.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs.max(1))
    }
}

/// Counts open connections and admits or refuses new ones.
#[derive(Debug)]
pub(crate) struct Gate {
    config: ConnectionConfig,
    open: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

impl Gate {
    pub(crate) fn new(config: ConnectionConfig) -> Arc<Self> {
        Arc::new(Self {
            config,
            open: Mutex::new(Counts::default()),
        })
    }

    /// A permit for one connection from `ip`, or why there is none.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Permit, Reason> {
        let key = (!self.config.exempt_ips.contains(&ip.to_canonical())).then(|| group(ip));
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= self.config.max_total {
            return Err(Reason::ConnectionsTotal);
        }
        if let Some(key) = key {
            let n = open.per_ip.entry(key).or_insert(0);
            if *n >= self.config.max_per_ip {
                return Err(Reason::ConnectionsPerIp);
            }
            *n += 1;
        }
        open.total += 1;
        metrics::connection_opened();
        Ok(Permit {
            gate: self.clone(),
            key,
        })
    }
}

/// The address a connection is counted under: IPv4 as is, IPv6 by its /64 network (one
/// subscriber usually holds a whole /64).
fn group(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// One admitted connection; gives its place back when dropped.
#[derive(Debug)]
struct Permit {
    gate: Arc<Gate>,
    key: Option<IpAddr>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.gate.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(key) = self.key {
            if let Some(n) = open.per_ip.get_mut(&key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.per_ip.remove(&key);
                }
            }
        }
        metrics::connection_closed();
    }
}

/// A socket that holds its connection's [`Permit`] for as long as it lives.
struct Counted<S> {
    io: S,
    _permit: Permit,
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// Accepts on `listener` and serves `router` (over TLS with `tls`) until `shutdown` reads
/// `true`; then stops accepting and waits for the HTTP exchanges in progress (upgraded
/// WebSocket sessions close on `shutdown` themselves).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    gate: Arc<Gate>,
    tls: Option<TlsAcceptor>,
    shutdown: watch::Receiver<bool>,
) {
    // Each connection task holds a sender; `recv` returns `None` once all are gone.
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    let stop = stopped(shutdown.clone());
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let permit = match gate.admit(peer.ip()) {
            Ok(p) => p,
            Err(reason) => {
                metrics::refused(reason);
                drop(tcp);
                continue;
            }
        };
        let conn = Connection {
            router: router.clone(),
            peer,
            header_timeout: gate.config.header_timeout(),
            tls: tls.clone(),
            shutdown: shutdown.clone(),
        };
        let alive = alive.clone();
        tokio::spawn(async move {
            conn.run(tcp, permit).await;
            drop(alive);
        });
    }
    drop(listener);
    drop(alive);
    let _ = all_done.recv().await;
}

/// Transient accept errors (a client that reset first) are skipped; others (out of file
/// descriptors) are logged and retried after a pause instead of spinning.
async fn accept_error(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!("accept: {e}");
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Counts one request being answered for as long as it lives.
struct Answering(Arc<AtomicUsize>);

impl Answering {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Self(count.clone())
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What one accepted connection needs.
struct Connection {
    router: Router,
    peer: SocketAddr,
    header_timeout: Duration,
    tls: Option<TlsAcceptor>,
    shutdown: watch::Receiver<bool>,
}

impl Connection {
    async fn run(mut self, tcp: TcpStream, permit: Permit) {
        // Frames are small and answered at once: Nagle's delay would add tens of milliseconds.
        let _ = tcp.set_nodelay(true);
        let Some(tls) = self.tls.take() else {
            return self
                .http(Counted {
                    io: tcp,
                    _permit: permit,
                })
                .await;
        };
        // The handshake has its own header deadline, then the request headers get theirs.
        let handshake = tokio::time::timeout(self.header_timeout, tls.accept(tcp));
        let done = tokio::select! {
            done = handshake => done,
            () = stopped(self.shutdown.clone()) => return,
        };
        match done {
            Ok(Ok(io)) => {
                self.http(Counted {
                    io,
                    _permit: permit,
                })
                .await
            }
            Ok(Err(e)) => {
                tracing::debug!(peer = %self.peer, "tls handshake: {e}");
                metrics::refused(Reason::TlsHandshake);
            }
            Err(_) => metrics::refused(Reason::HeaderTimeout),
        }
    }

    /// Serves HTTP/1.1 on `io` until the client leaves, the header deadline passes, the
    /// connection is upgraded, or the server stops.
    async fn http<S>(self, io: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Self {
            router,
            peer,
            header_timeout,
            shutdown,
            ..
        } = self;
        // Requests being answered on this connection: a stop waits for them, not for a client
        // that has yet to send (the rest of) a request.
        let busy = Arc::new(AtomicUsize::new(0));
        let in_flight = busy.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            let answering = Answering::new(&in_flight);
            let response = tower_service::Service::call(&mut router, req);
            async move {
                let response = response.await;
                drop(answering);
                response
            }
        });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let conn = builder
            .serve_connection(TokioIo::new(io), service)
            .with_upgrades();
        tokio::pin!(conn);
        let stop = stopped(shutdown);
        tokio::pin!(stop);
        let result = tokio::select! {
            r = conn.as_mut() => r,
            () = &mut stop => {
                if busy.load(Ordering::Acquire) == 0 {
                    return;
                }
                conn.as_mut().graceful_shutdown();
                conn.await
            }
        };
        if let Err(e) = result {
            if e.is_timeout() {
                metrics::refused(Reason::HeaderTimeout);
            } else {
                tracing::debug!(%peer, "http connection: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(max_per_ip: usize, max_total: usize, exempt: &[&str]) -> Arc<Gate> {
        Gate::new(ConnectionConfig {
            max_per_ip,
            max_total,
            exempt_ips: exempt.iter().map(|s| s.parse().unwrap()).collect(),
            ..ConnectionConfig::default()
        })
    }

    #[test]
    fn an_address_over_its_cap_is_refused_until_one_of_its_connections_closes() {
        let g = gate(2, 10, &[]);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let a = g.admit(ip).unwrap();
        let _b = g.admit(ip).unwrap();
        assert_eq!(g.admit(ip).unwrap_err(), Reason::ConnectionsPerIp);
        assert!(g.admit("10.0.0.2".parse().unwrap()).is_ok());
        drop(a);
        assert!(g.admit(ip).is_ok());
    }

    #[test]
    fn the_total_cap_applies_to_exempt_addresses_too() {
        let g = gate(1, 3, &["127.0.0.1"]);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let held: Vec<_> = (0..3).map(|_| g.admit(ip).unwrap()).collect();
        assert_eq!(g.admit(ip).unwrap_err(), Reason::ConnectionsTotal);
        drop(held);
        assert!(g.admit(ip).is_ok());
    }

    #[test]
    fn ipv6_addresses_of_one_64_network_share_a_cap_and_mapped_ipv4_is_ipv4() {
        let g = gate(1, 10, &[]);
        let _a = g.admit("2001:db8::1".parse().unwrap()).unwrap();
        let refused = g.admit("2001:db8::ffff:2".parse().unwrap());
        assert_eq!(refused.unwrap_err(), Reason::ConnectionsPerIp);
        let _v4 = g.admit("192.0.2.7".parse().unwrap()).unwrap();
        let mapped = g.admit("::ffff:192.0.2.7".parse().unwrap());
        assert_eq!(mapped.unwrap_err(), Reason::ConnectionsPerIp);
    }
}
