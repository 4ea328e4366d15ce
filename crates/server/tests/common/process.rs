//! The real `im-server` binary as a child process, for the tests that kill or signal it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// App key and secret the child process runs with.
pub const APP_KEY: &str = "testkey";
/// See [`APP_KEY`].
pub const APP_SECRET: &str = "test-app-secret-0123456789";

/// A child server process, killed when dropped (a failing test must not leave it running).
pub struct Spawned(Child);

impl std::ops::Deref for Spawned {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Spawned {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real binary on a free port with its data in `dir` (and in the database of `dir`
/// on PostgreSQL, see [`super::store`]); returns it with the address it printed on its first
/// line.
pub fn spawn_server(dir: &std::path::Path) -> (Spawned, std::net::SocketAddr) {
    spawn_server_with(dir, &[])
}

/// [`spawn_server`] with more environment variables (`IM_BUS`, `IM_NODE_ID`, …).
pub fn spawn_server_with(
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (Spawned, std::net::SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_im-server"))
        .envs(env.iter().copied())
        .env("IM_ADDR", "127.0.0.1:0")
        .env("IM_DATA_DIR", dir)
        .env("IM_STORE", super::store::store_env(dir))
        .env("IM_APP_KEY", APP_KEY)
        .env("IM_APP_SECRET", APP_SECRET)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (Spawned(child), addr)
}
