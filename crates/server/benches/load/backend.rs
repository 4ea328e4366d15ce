//! What the load runs against: one server on SQLite (the default), one server on a private
//! PostgreSQL (`IM_BENCH_STORE=postgres`), or `IM_BENCH_NODES` servers sharing that
//! PostgreSQL and a private `nats-server` (`IM_BENCH_NODES=2` implies PostgreSQL). Everything
//! is started fresh for each scenario and stopped when the [`Backend`] is dropped.

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use im_server::store::postgres::testdb::TempPostgres;

use super::server::{cpu_secs, env_or, stat_fields, Server};

/// The set-up chosen by the environment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Setup {
    pub(crate) postgres: bool,
    pub(crate) nodes: u64,
}

impl Setup {
    /// `IM_BENCH_STORE` (`sqlite` or `postgres`) and `IM_BENCH_NODES` (1; more implies
    /// PostgreSQL and a bus).
    pub(crate) fn from_env() -> Self {
        let nodes = env_or("IM_BENCH_NODES", 1).max(1);
        let store = std::env::var("IM_BENCH_STORE").unwrap_or_default();
        let postgres = match store.as_str() {
            "" | "sqlite" => nodes > 1,
            "postgres" => true,
            other => panic!("IM_BENCH_STORE is sqlite or postgres, not {other:?}"),
        };
        Self { postgres, nodes }
    }

    /// What the first line of the output says about the set-up.
    pub(crate) fn describe(self) -> String {
        match (self.postgres, self.nodes) {
            (false, _) => "SQLite in a temp dir, server in a child process".into(),
            (true, 1) => "one server child process on a private PostgreSQL in a temp dir (fsync, \
                 synchronous_commit and full_page_writes off)"
                .into(),
            (true, n) => format!(
                "{n} server child processes (IM_NODE_ID 1..{n}) sharing a private PostgreSQL in \
                 a temp dir (fsync, synchronous_commit and full_page_writes off) and a private \
                 nats-server -js; user u is on node {}",
                if n == 2 {
                    "(u mod 2) xor (u >= users/2), so that senders and their receivers are on \
                     different nodes"
                } else {
                    "(u + (u >= users/2)) mod nodes"
                }
            ),
        }
    }

    /// The node of user `u` among `users`: alternating, and shifted by one for the second half
    /// of the users (the receivers of the open loop), so that user `i` and user
    /// `users / 2 + i` are on different nodes.
    pub(crate) fn node_of(self, u: u64, users: u64) -> usize {
        let shifted = u + u64::from(u >= users / 2);
        usize::try_from(shifted % self.nodes).unwrap_or(0)
    }
}

/// A private `nats-server` with JetStream on a free loopback port, its store in a temp dir.
struct Nats {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Nats {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let program = if Command::new("nats-server")
            .arg("--version")
            .output()
            .is_ok()
        {
            "nats-server"
        } else {
            "/usr/sbin/nats-server"
        };
        let child = Command::new(program)
            .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts (Debian: apt-get install nats-server)");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "nats-server listening on {addr}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU seconds of the processes besides the server nodes, when there are such.
#[derive(Clone, Copy, Default)]
pub(crate) struct Helpers {
    pub(crate) postgres: f64,
    pub(crate) nats: f64,
}

/// The running set-up. Dropped in field order: the nodes first, then the bus, then the
/// database.
pub(crate) struct Backend {
    pub(crate) nodes: Vec<Server>,
    nats: Option<Nats>,
    postgres: Option<(TempPostgres, u16)>,
    setup: Setup,
}

impl Backend {
    pub(crate) fn start(setup: Setup) -> Self {
        if !setup.postgres {
            return Self {
                nodes: vec![Server::start()],
                nats: None,
                postgres: None,
                setup,
            };
        }
        let pg = TempPostgres::start()
            .unwrap()
            .expect("a private PostgreSQL (initdb) for IM_BENCH_STORE=postgres");
        let url = pg.database().unwrap();
        let port = url.port;
        let nats = (setup.nodes > 1).then(Nats::start);
        let nodes = (1..=setup.nodes)
            .map(|id| {
                let mut env = vec![("IM_STORE", url.url.clone())];
                if let Some(nats) = &nats {
                    env.push(("IM_BUS", format!("nats://127.0.0.1:{}", nats.port)));
                    env.push(("IM_NODE_ID", id.to_string()));
                }
                Server::start_for_load(&env)
            })
            .collect();
        Self {
            nodes,
            nats,
            postgres: Some((pg, port)),
            setup,
        }
    }

    /// The address of the node of user `u` among `users`.
    pub(crate) fn addr_of(&self, u: u64, users: u64) -> SocketAddr {
        self.nodes[self.setup.node_of(u, users)].addr
    }

    /// CPU seconds of every node so far.
    pub(crate) fn server_cpu(&self) -> f64 {
        self.nodes
            .iter()
            .map(|n| cpu_secs(&n.child.id().to_string()))
            .sum()
    }

    /// Resident memory of every node, in KiB.
    pub(crate) fn rss_kib(&self) -> u64 {
        self.nodes.iter().map(Server::rss_kib).sum()
    }

    /// CPU seconds of PostgreSQL and NATS so far (`None` on SQLite).
    pub(crate) fn helpers_cpu(&self) -> Option<Helpers> {
        let (_, port) = self.postgres.as_ref()?;
        Some(Helpers {
            postgres: postgres_cpu(*port),
            nats: self
                .nats
                .as_ref()
                .map_or(0.0, |n| cpu_secs(&n.child.id().to_string())),
        })
    }

    /// Resident memory of the nats-server, in KiB (`None` without one).
    pub(crate) fn nats_rss_kib(&self) -> Option<u64> {
        let nats = self.nats.as_ref()?;
        let status = std::fs::read_to_string(format!("/proc/{}/status", nats.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

/// Pids of every process, with the fields of their /proc/<pid>/stat.
fn processes() -> Vec<(String, super::server::StatFields)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let name = e.ok()?.file_name().into_string().ok()?;
        name.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| (name.clone(), stat_fields(&name)))
    })
    .collect()
}

/// CPU seconds of the PostgreSQL server listening on `port` so far: its postmaster (the
/// process whose command line has `-p PORT`) with the children it has waited for, plus its
/// live children (the backends serving the nodes' connections, the WAL writer, the
/// checkpointer, …).
fn postgres_cpu(port: u16) -> f64 {
    let port = port.to_string();
    let procs = processes();
    let postmaster = procs.iter().find(|(pid, _)| {
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            return false;
        };
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        args.first().is_some_and(|a| a.ends_with(b"postgres"))
            && args
                .windows(2)
                .any(|w| w[0] == b"-p" && w[1] == port.as_bytes())
    });
    let Some((pm_pid, pm)) = postmaster else {
        return 0.0;
    };
    let own = pm.ticks(11) + pm.ticks(12) + pm.ticks(13) + pm.ticks(14);
    let children: f64 = procs
        .iter()
        .filter(|(_, f)| f.0.get(1).is_some_and(|ppid| ppid == pm_pid))
        .map(|(_, f)| f.ticks(11) + f.ticks(12))
        .sum();
    (own + children) / 100.0
}
