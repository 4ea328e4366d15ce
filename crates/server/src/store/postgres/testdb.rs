//! A private PostgreSQL server for tests: `initdb` in a temp dir, `pg_ctl start` on a free
//! loopback port (no Unix socket outside the temp dir), and `pg_ctl stop` when dropped. As
//! root it runs the server as the `postgres` user, since PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cluster::{PostgresUrl, StoreUrl};

/// A running private PostgreSQL server; stopped (and its files removed) when dropped.
pub(crate) struct TempPostgres {
    dir: tempfile::TempDir,
    port: u16,
    /// `runuser -u postgres --` when running as root.
    as_user: Vec<String>,
    /// The directory of `initdb` and `pg_ctl` when they are not on the PATH.
    bin_dir: Option<PathBuf>,
    next_db: usize,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Where `initdb` and `pg_ctl` are: `Some(None)` on the PATH, else the newest
/// `/usr/lib/postgresql/VERSION/bin` (where Debian's package puts them, off the PATH); `None`
/// when neither has them.
fn server_bin_dir() -> Option<Option<PathBuf>> {
    if Command::new("initdb").arg("--version").output().is_ok() {
        return Some(None);
    }
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, bin)| Some(bin))
}

impl TempPostgres {
    /// Starts a server. Without `initdb` on the PATH the calling test fails, unless
    /// `IM_TEST_SKIP_POSTGRES=1` asks to skip it (`None`, with a note on stderr): a skip is never
    /// silent.
    pub(crate) fn start() -> Option<Self> {
        let Some(bin_dir) = server_bin_dir() else {
            assert!(
                std::env::var_os("IM_TEST_SKIP_POSTGRES").is_some_and(|v| v == "1"),
                "no initdb on the PATH: install PostgreSQL's server package (Debian: postgresql), \
                 or set IM_TEST_SKIP_POSTGRES=1 to skip the PostgreSQL store's tests"
            );
            eprintln!("skipped (IM_TEST_SKIP_POSTGRES=1): the PostgreSQL store's tests");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let as_user = if is_root() {
            let owned = Command::new("chown")
                .arg("postgres")
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(owned.success(), "chown postgres {}", dir.path().display());
            ["runuser", "-u", "postgres", "--"]
                .map(String::from)
                .to_vec()
        } else {
            Vec::new()
        };
        let pg = Self {
            dir,
            port: free_port().expect("a free port"),
            as_user,
            bin_dir,
            next_db: 0,
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                "im",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off",
            pg.port,
            path(pg.dir.path())
        );
        let log = pg.dir.path().join("log");
        pg.run(
            "pg_ctl",
            &[
                "-D",
                path(&data),
                "-l",
                path(&log),
                "-o",
                &options,
                "-w",
                "-s",
                "start",
            ],
        );
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs `program` (as the `postgres` user when root); its output if it failed.
    fn try_run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin_dir.as_ref().map_or_else(
            || program.to_owned(),
            |d| d.join(program).display().to_string(),
        );
        let (cmd, rest) = match self.as_user.split_first() {
            Some((first, rest)) => (first.as_str(), [rest, &[path]].concat()),
            None => (path.as_str(), Vec::new()),
        };
        let out = Command::new(cmd)
            .args(rest)
            .args(args)
            .output()
            .map_err(|e| format!("{program}: {e}"))?;
        if out.status.success() {
            return Ok(());
        }
        Err(format!(
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }

    fn run(&self, program: &str, args: &[&str]) {
        if let Err(e) = self.try_run(program, args) {
            panic!("{e}");
        }
    }

    /// A new empty database on the server.
    pub(crate) fn database(&mut self) -> PostgresUrl {
        self.next_db += 1;
        let name = format!("test{}", self.next_db);
        let admin = format!("postgres://im@127.0.0.1:{}/postgres", self.port);
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let url = format!("postgres://im@127.0.0.1:{}/{name}", self.port);
        match url.parse() {
            Ok(StoreUrl::Postgres(pg)) => pg,
            other => panic!("{url}: {other:?}"),
        }
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let stopped = self.try_run(
            "pg_ctl",
            &["-D", path(&data), "-m", "immediate", "-w", "-s", "stop"],
        );
        if let Err(e) = stopped {
            eprintln!("{e}");
        }
    }
}
