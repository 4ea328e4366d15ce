//! The settings of one node among several: the store it uses (`IM_STORE`), the message bus the
//! nodes share (`IM_BUS`) and its node id (`IM_NODE_ID`, [`crate::clock::NodeId`]). Each is
//! parsed and checked when the configuration is read, so a typo stops the start instead of
//! falling back to a default.

use serde::Deserialize;

/// Where the server keeps its data (`store`, `IM_STORE`).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum StoreUrl {
    /// The embedded SQLite store in `data_dir` (`sqlite`, the default).
    #[default]
    Sqlite,
    /// A PostgreSQL database (`postgres://USER:PASS@HOST:PORT/DB`) that nodes may share.
    Postgres(PostgresUrl),
}

/// A parsed `postgres://` URL. Its password never appears in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl {
    /// The URL as given (for the PostgreSQL client, which reads its options too).
    pub url: String,
    /// User name (percent-decoded).
    pub user: String,
    /// Password (percent-decoded); empty when none.
    pub password: String,
    /// Host name or address (an IPv6 address without brackets).
    pub host: String,
    /// Port; 5432 when the URL names none.
    pub port: u16,
    /// Database name (percent-decoded).
    pub database: String,
}

/// The message bus the nodes share (`bus`, `IM_BUS`): `nats://HOST:PORT`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BusUrl {
    /// Host name or address (an IPv6 address without brackets).
    pub host: String,
    /// Port; 4222 when the URL names none.
    pub port: u16,
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite => f.write_str("sqlite"),
            Self::Postgres(pg) => write!(f, "{pg}"),
        }
    }
}

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}

impl std::fmt::Display for PostgresUrl {
    /// The URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(
            f,
            "postgres://{}@{host}:{}/{}",
            self.user, self.port, self.database
        )
    }
}

impl std::fmt::Display for BusUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "nats://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "nats://{}:{}", self.host, self.port)
        }
    }
}

impl TryFrom<String> for StoreUrl {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl TryFrom<String> for BusUrl {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl std::str::FromStr for StoreUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s == "sqlite" {
            return Ok(Self::Sqlite);
        }
        let rest = s
            .strip_prefix("postgres://")
            .or_else(|| s.strip_prefix("postgresql://"))
            .ok_or_else(|| {
                "the store is `sqlite` or a URL postgres://USER:PASS@HOST:PORT/DB".to_owned()
            })?;
        let bad = |why: &str| format!("store URL postgres://…: {why}");
        let (authority, path) = rest.split_once('/').ok_or_else(|| bad("no /DB"))?;
        let database = path.split_once('?').map_or(path, |(db, _)| db);
        let database = percent_decoded(database).ok_or_else(|| bad("bad %-escape in DB"))?;
        if database.is_empty() {
            return Err(bad("no database name after the /"));
        }
        let (credentials, host_port) = authority
            .rsplit_once('@')
            .ok_or_else(|| bad("no USER@ before the host"))?;
        let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
        let user = percent_decoded(user).ok_or_else(|| bad("bad %-escape in USER"))?;
        let password = percent_decoded(password).ok_or_else(|| bad("bad %-escape in PASS"))?;
        if user.is_empty() {
            return Err(bad("no user name"));
        }
        let (host, port) = host_and_port(host_port, 5432).map_err(|e| bad(&e))?;
        Ok(Self::Postgres(PostgresUrl {
            url: s.to_owned(),
            user,
            password,
            host,
            port,
            database,
        }))
    }
}

impl std::str::FromStr for BusUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("nats://")
            .ok_or_else(|| format!("the bus is a URL nats://HOST:PORT, not {s:?}"))?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '@', '?']) {
            return Err(format!("bus URL {s}: only nats://HOST:PORT"));
        }
        let (host, port) = host_and_port(rest, 4222).map_err(|e| format!("bus URL {s}: {e}"))?;
        Ok(Self { host, port })
    }
}

/// `HOST`, `HOST:PORT`, `[V6]` or `[V6]:PORT`.
fn host_and_port(s: &str, default_port: u16) -> Result<(String, u16), String> {
    let (host, port) = match s.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']').ok_or("no ] after an IPv6 address")?;
            (host, after.strip_prefix(':'))
        }
        None => match s.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (s, None),
        },
    };
    if host.is_empty() || host.contains(['/', '@', ' ']) {
        return Err(format!("bad host {host:?}"));
    }
    let port = match port {
        None => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(format!("bad port {p:?}")),
        },
    };
    Ok((host.to_owned(), port))
}

/// `s` with its `%XX` escapes decoded; `None` if one is malformed or the result is not UTF-8.
fn percent_decoded(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(s: &str) -> PostgresUrl {
        match s.parse::<StoreUrl>().unwrap() {
            StoreUrl::Postgres(pg) => pg,
            StoreUrl::Sqlite => panic!("{s} is not postgres"),
        }
    }

    #[test]
    fn a_store_is_sqlite_or_a_postgres_url() {
        assert_eq!("sqlite".parse::<StoreUrl>(), Ok(StoreUrl::Sqlite));
        let p = pg("postgres://im:s%40cret@db.local:6543/im_prod?sslmode=disable");
        assert_eq!(
            (&*p.user, &*p.password, &*p.host, p.port, &*p.database),
            ("im", "s@cret", "db.local", 6543, "im_prod")
        );
        let p = pg("postgresql://im@[::1]/im");
        assert_eq!((&*p.host, p.port, &*p.password), ("::1", 5432, ""));
        for bad in [
            "",
            "sqlite3",
            "mysql://a:b@h:1/d",
            "postgres://h:5432/db",
            "postgres://u:p@h:5432",
            "postgres://u:p@h:5432/",
            "postgres://u:p@:5432/db",
            "postgres://u:p@h:port/db",
            "postgres://u:p@h:0/db",
            "postgres://u:p%zz@h/db",
        ] {
            assert!(bad.parse::<StoreUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_postgres_password_is_never_printed() {
        let store = "postgres://im:hunter2@h:1/d".parse::<StoreUrl>().unwrap();
        let shown = format!("{store:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(shown, "postgres://im@h:1/d");
    }

    #[test]
    fn a_bus_is_a_nats_url() {
        let b: BusUrl = "nats://127.0.0.1:4222".parse().unwrap();
        assert_eq!((&*b.host, b.port), ("127.0.0.1", 4222));
        assert_eq!(b.to_string(), "nats://127.0.0.1:4222");
        let b: BusUrl = "nats://[::1]".parse().unwrap();
        assert_eq!(b.to_string(), "nats://[::1]:4222");
        for bad in [
            "",
            "127.0.0.1:4222",
            "http://h:1",
            "nats://",
            "nats://h:x",
            "nats://u@h:1",
        ] {
            assert!(bad.parse::<BusUrl>().is_err(), "{bad}");
        }
    }
}
