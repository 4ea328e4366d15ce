//! The `im-server` binary as a child process, and what /proc says about it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use super::{APP_KEY, APP_SECRET};

/// The `im-server` binary in a child process with its own data directory.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Server {
    /// A server for load: without the rate limit and the connection caps.
    pub(crate) fn start() -> Self {
        Self::start_for_load(&[])
    }

    /// [`Server::start`] with more environment variables.
    pub(crate) fn start_for_load(env: &[(&str, String)]) -> Self {
        // The per-connection rate limit and the connection caps protect a real deployment; here
        // they would cap the load (every bench client is on 127.0.0.1, over the 256 per address).
        Self::start_env(
            "rate_per_sec = 1000000\nrate_burst = 1000000\nidle_timeout_secs = 600\n\
             [connections]\nexempt_ips = [\"127.0.0.1\"]\nmax_total = 1000000\n",
            env,
        )
    }

    /// A server with the settings of the TOML text `config` (defaults for the rest).
    #[allow(dead_code)] // The floods bench's.
    pub(crate) fn start_with(config_text: &str) -> Self {
        Self::start_env(config_text, &[])
    }

    /// [`Server::start_with`] with more environment variables (`IM_STORE`, `IM_BUS`,
    /// `IM_NODE_ID`).
    pub(crate) fn start_env(config_text: &str, env: &[(&str, String)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, config_text).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_im-server"))
            .arg("--config")
            .arg(&config)
            .env("IM_ADDR", "127.0.0.1:0")
            .env("IM_DATA_DIR", dir.path().join("data"))
            .env("IM_APP_KEY", APP_KEY)
            .env("IM_APP_SECRET", APP_SECRET)
            .env("RUST_LOG", "error")
            .envs(env.iter().map(|(k, v)| (k, v)))
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
        Self {
            child,
            addr,
            _dir: dir,
        }
    }

    /// Resident memory of the server process, in KiB (`VmRSS` of /proc/<pid>/status).
    pub(crate) fn rss_kib(&self) -> u64 {
        self.status_kib("VmRSS:")
    }

    /// The most resident memory of the server process since it started or since the last
    /// [`Server::reset_peak`], in KiB (`VmHWM`).
    #[allow(dead_code)] // The floods bench's, as is `reset_peak`.
    pub(crate) fn peak_kib(&self) -> u64 {
        self.status_kib("VmHWM:")
    }

    /// Sets the peak back to the present resident memory (`5` into /proc/<pid>/clear_refs);
    /// false if the kernel refused.
    #[allow(dead_code)]
    pub(crate) fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5").is_ok()
    }

    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

/// CPU time (user + system) of process `pid` so far, in seconds (/proc/<pid>/stat, 100 ticks/s).
pub(crate) fn cpu_secs(pid: &str) -> f64 {
    let fields = stat_fields(pid);
    (fields.ticks(11) + fields.ticks(12)) / 100.0
}

/// The fields of /proc/<pid>/stat after the parenthesised command name (the process state is
/// index 0, the parent's pid 1, utime 11, stime 12, cutime 13, cstime 14).
pub(crate) struct StatFields(pub(crate) Vec<String>);

impl StatFields {
    pub(crate) fn ticks(&self, i: usize) -> f64 {
        self.0
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    }
}

pub(crate) fn stat_fields(pid: &str) -> StatFields {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or_default();
    StatFields(rest.split_whitespace().map(str::to_owned).collect())
}

/// CPU time (every state but idle and iowait) used on the whole machine so far, in seconds
/// (the `cpu` line of /proc/stat, 100 ticks/s).
pub(crate) fn machine_cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or_default();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: f64 = line
        .split_whitespace()
        .skip(1)
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .filter_map(|(_, t)| t.parse::<f64>().ok())
        .sum();
    busy / 100.0
}

/// The number in environment variable `name`, or `default`.
pub(crate) fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `p` quantile (0–1) of sorted microseconds, in milliseconds.
pub(crate) fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
