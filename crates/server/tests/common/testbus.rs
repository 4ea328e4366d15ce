//! A private NATS server for tests: `nats-server` with JetStream on a free loopback port, its
//! store in a temp dir, stopped (and its files removed) when dropped. Without `nats-server`
//! the calling test fails, unless `IM_TEST_SKIP_NATS=1` asks to skip it (`None`, with a note on
//! stderr): a skip is never silent.

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running private NATS server.
pub struct TempNats {
    child: Child,
    _dir: tempfile::TempDir,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl TempNats {
    /// Starts a server (see the module documentation for a missing binary).
    pub fn start() -> Option<Self> {
        if Command::new("nats-server")
            .arg("--version")
            .output()
            .is_err()
        {
            assert!(
                std::env::var_os("IM_TEST_SKIP_NATS").is_some_and(|v| v == "1"),
                "no nats-server on the PATH: install it (Debian: nats-server), or set \
                 IM_TEST_SKIP_NATS=1 to skip the tests of nodes sharing a bus"
            );
            eprintln!("skipped (IM_TEST_SKIP_NATS=1): the tests of nodes sharing a bus");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let child = Self::spawn(dir.path(), port);
        Some(Self {
            child,
            _dir: dir,
            port,
        })
    }

    fn spawn(dir: &std::path::Path, port: u16) -> Child {
        let child = Command::new("nats-server")
            .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "nats-server listening on {addr}");
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }

    /// `nats://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for TempNats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
