//! A private PostgreSQL server for tests, the store's own and the integration tests' (not part
//! of the server's interface): `initdb` in a temp dir, `pg_ctl start` on a free loopback port
//! (no Unix socket outside the temp dir), and a fresh database per [`TempPostgres::database`].
//! As root it runs the server as the `postgres` user, since PostgreSQL refuses to run as root.
//!
//! A watchdog process stops the server and removes its files when the [`TempPostgres`] is
//! dropped, or when the test process ends in any other way (a server kept in a `static` is
//! never dropped, and a killed test runs no destructor): it waits for the end of a pipe that
//! only this process holds open.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cluster::{PostgresUrl, StoreUrl};

/// A running private PostgreSQL server; stopped (and its files removed) when dropped or when
/// the process ends.
pub struct TempPostgres {
    dir: PathBuf,
    port: u16,
    /// `runuser -u postgres --` when running as root.
    as_user: Vec<String>,
    /// The directory of `initdb` and `pg_ctl` when they are not on the PATH.
    bin_dir: Option<PathBuf>,
    /// The watchdog and the pipe it waits on.
    watchdog: Option<(Child, ChildStdin)>,
}

impl std::fmt::Debug for TempPostgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TempPostgres")
            .field("dir", &self.dir)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
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

/// `s` quoted for `sh`.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn path(p: &Path) -> Result<&str, String> {
    p.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", p.display()))
}

/// A new empty directory under the system's temp dir.
fn temp_dir() -> Result<PathBuf, String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let base = std::env::temp_dir();
    for _ in 0..100 {
        let mut random = [0u8; 6];
        crate::clock::random_bytes(&mut random);
        let name = format!(
            "im-pg-{}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            hex::encode(random)
        );
        let dir = base.join(name);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        }
    }
    Err("no free temp dir name".into())
}

impl TempPostgres {
    /// Starts a server. Without `initdb` (on the PATH or in Debian's place) it fails, unless
    /// `IM_TEST_SKIP_POSTGRES=1` asks to skip the PostgreSQL tests: then `Ok(None)`, with a
    /// note on stderr (a skip is never silent).
    pub fn start() -> Result<Option<Self>, String> {
        let Some(bin_dir) = server_bin_dir() else {
            if std::env::var_os("IM_TEST_SKIP_POSTGRES").is_some_and(|v| v == "1") {
                eprintln!("skipped (IM_TEST_SKIP_POSTGRES=1): no initdb for the PostgreSQL tests");
                return Ok(None);
            }
            return Err(
                "no initdb on the PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL's \
                 server package (Debian: postgresql), or set IM_TEST_SKIP_POSTGRES=1 to skip the \
                 PostgreSQL store's tests"
                    .into(),
            );
        };
        let dir = temp_dir()?;
        let as_user = if is_root() {
            let owned = Command::new("chown")
                .arg("postgres")
                .arg(&dir)
                .status()
                .map_err(|e| format!("chown: {e}"))?;
            if !owned.success() {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(format!("chown postgres {}: {owned}", dir.display()));
            }
            ["runuser", "-u", "postgres", "--"]
                .map(String::from)
                .to_vec()
        } else {
            Vec::new()
        };
        let mut pg = Self {
            dir,
            port: free_port().map_err(|e| format!("a free port: {e}"))?,
            as_user,
            bin_dir,
            watchdog: None,
        };
        // From here on, a failure drops `pg`, whose watchdog cleans up.
        pg.watchdog = Some(pg.spawn_watchdog()?);
        let data = pg.dir.join("data");
        let log = pg.dir.join("log");
        pg.run(
            "initdb",
            &[
                "-D",
                path(&data)?,
                "-U",
                "im",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200",
            pg.port,
            path(&pg.dir)?
        );
        pg.run(
            "pg_ctl",
            &[
                "-D",
                path(&data)?,
                "-l",
                path(&log)?,
                "-o",
                &options,
                "-w",
                "-s",
                "start",
            ],
        )?;
        Ok(Some(pg))
    }

    /// The full path of `program`, and the command that runs it (as `postgres` when root).
    fn command(&self, program: &str) -> (String, Vec<String>) {
        let program = self.bin_dir.as_ref().map_or_else(
            || program.to_owned(),
            |d| d.join(program).display().to_string(),
        );
        match self.as_user.split_first() {
            Some((first, rest)) => (first.clone(), [rest, &[program]].concat()),
            None => (program, Vec::new()),
        }
    }

    /// A shell that waits for its standard input to end, then stops the server (if it was
    /// started) and removes the temp dir.
    fn spawn_watchdog(&self) -> Result<(Child, ChildStdin), String> {
        let (cmd, args) = self.command("pg_ctl");
        let data = path(&self.dir.join("data"))?.to_owned();
        let stop = std::iter::once(cmd)
            .chain(args)
            .chain(["-D".into(), data.clone(), "-m".into(), "immediate".into()])
            .chain(["-w".into(), "-s".into(), "stop".into()])
            .map(|a| quoted(&a))
            .collect::<Vec<_>>()
            .join(" ");
        let script = format!(
            "cat >/dev/null; if [ -f {pid} ]; then {stop} >/dev/null 2>&1; fi; rm -rf {dir}",
            pid = quoted(&format!("{data}/postmaster.pid")),
            dir = quoted(path(&self.dir)?),
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("sh: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin for the watchdog")?;
        Ok((child, stdin))
    }

    /// Runs `program` (as the `postgres` user when root); its output if it failed.
    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let (cmd, rest) = self.command(program);
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

    /// A new empty database on the server, named `test1`, `test2`, … in order. Callable from
    /// async code: the synchronous client runs on a thread of its own.
    pub fn database(&self) -> Result<PostgresUrl, String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("test{}", NEXT.fetch_add(1, Ordering::Relaxed) + 1);
        let admin = format!("postgres://im@127.0.0.1:{}/postgres", self.port);
        let create = || {
            let mut client = postgres::Client::connect(&admin, postgres::NoTls)
                .map_err(|e| format!("connect to {admin}: {e}"))?;
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .map_err(|e| format!("create database {name}: {e}"))
        };
        std::thread::scope(|s| s.spawn(create).join())
            .map_err(|_| "the thread creating a database panicked".to_owned())??;
        let url = format!("postgres://im@127.0.0.1:{}/{name}", self.port);
        match url.parse() {
            Ok(StoreUrl::Postgres(pg)) => Ok(pg),
            other => Err(format!("{url}: {other:?}")),
        }
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if let Some((mut child, mut stdin)) = self.watchdog.take() {
            // Closing the pipe sets the watchdog off; wait until it is done.
            let _ = stdin.flush();
            drop(stdin);
            let _ = child.wait();
        }
    }
}
