//! The store the tests run on: SQLite in the test's data directory (the default), or, with
//! `IM_TEST_STORE=postgres`, PostgreSQL: a private server that this test binary starts on first
//! use (and that goes with the binary, see `TempPostgres`), and a fresh database per data
//! directory, so that tests stay independent and run in parallel, and a server started again on
//! the same directory finds its data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use im_server::clock::NodeId;
use im_server::cluster::{PostgresUrl, StoreUrl};
use im_server::store::postgres::testdb::TempPostgres;
use im_server::store::postgres::PostgresStore;
use im_server::store::sqlite::SqliteStore;
use im_server::store::Store;

/// Whether the tests run on PostgreSQL (`IM_TEST_STORE=postgres`; `sqlite` or unset: SQLite).
pub fn on_postgres() -> bool {
    match std::env::var("IM_TEST_STORE").as_deref() {
        Err(_) | Ok("" | "sqlite") => false,
        Ok("postgres") => true,
        Ok(other) => panic!("IM_TEST_STORE is sqlite or postgres, not {other:?}"),
    }
}

fn server() -> &'static TempPostgres {
    static SERVER: OnceLock<TempPostgres> = OnceLock::new();
    SERVER.get_or_init(|| {
        TempPostgres::start()
            .unwrap()
            .expect("IM_TEST_STORE=postgres needs PostgreSQL's initdb")
    })
}

/// The database of the data directory `dir`: a new one the first time.
fn database(dir: &Path) -> PostgresUrl {
    static DATABASES: OnceLock<Mutex<HashMap<PathBuf, PostgresUrl>>> = OnceLock::new();
    let mut known = DATABASES.get_or_init(Default::default).lock().unwrap();
    known
        .entry(dir.to_path_buf())
        .or_insert_with(|| server().database().unwrap())
        .clone()
}

/// The store of a server whose data directory is `dir`.
pub fn store_url(dir: &Path) -> StoreUrl {
    if on_postgres() {
        StoreUrl::Postgres(database(dir))
    } else {
        StoreUrl::Sqlite
    }
}

/// `IM_STORE` for a server process whose data directory is `dir`.
pub fn store_env(dir: &Path) -> String {
    match store_url(dir) {
        StoreUrl::Sqlite => "sqlite".into(),
        StoreUrl::Postgres(pg) => pg.url,
    }
}

/// Runs `f` on the store of `dir` (no server running on it), on a thread of its own: the
/// PostgreSQL client blocks, which async code must not.
pub fn with_store<R: Send>(dir: &Path, f: impl FnOnce(&mut dyn Store) -> R + Send) -> R {
    let url = store_url(dir);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut store: Box<dyn Store> = match &url {
                StoreUrl::Sqlite => Box::new(SqliteStore::open(dir, false).unwrap().0),
                StoreUrl::Postgres(pg) => {
                    Box::new(PostgresStore::open(pg, NodeId::default()).unwrap().0)
                }
            };
            f(store.as_mut())
        })
        .join()
        .unwrap()
    })
}

/// A value of [`insert_rows`].
#[derive(Clone, Debug)]
pub enum Value {
    /// BIGINT (INTEGER in SQLite).
    BigInt(i64),
    /// INTEGER.
    Int(i32),
    /// TEXT.
    Text(String),
    /// BYTEA (BLOB in SQLite).
    Bytes(Vec<u8>),
}

/// Runs `sql`, whose parameters are `$1`, `$2`, … in order, once per row of `rows`, in one
/// transaction, straight on the database of `dir` (no server running on it): rows that the
/// server could not write itself, such as messages of an hour past.
pub fn insert_rows(dir: &Path, sql: &str, rows: &[Vec<Value>]) {
    match store_url(dir) {
        StoreUrl::Sqlite => {
            let mut db = rusqlite::Connection::open(dir.join("im.sqlite3")).unwrap();
            let tx = db.transaction().unwrap();
            for row in rows {
                let values = row.iter().map(|v| match v {
                    Value::BigInt(n) => rusqlite::types::Value::Integer(*n),
                    Value::Int(n) => rusqlite::types::Value::Integer(i64::from(*n)),
                    Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
                    Value::Bytes(b) => rusqlite::types::Value::Blob(b.clone()),
                });
                tx.execute(sql, rusqlite::params_from_iter(values)).unwrap();
            }
            tx.commit().unwrap();
        }
        StoreUrl::Postgres(pg) => std::thread::scope(|s| {
            s.spawn(|| {
                let mut db = postgres::Client::connect(&pg.url, postgres::NoTls).unwrap();
                let mut tx = db.transaction().unwrap();
                let st = tx.prepare(sql).unwrap();
                for row in rows {
                    let params: Vec<&(dyn postgres::types::ToSql + Sync)> = row
                        .iter()
                        .map(|v| -> &(dyn postgres::types::ToSql + Sync) {
                            match v {
                                Value::BigInt(n) => n,
                                Value::Int(n) => n,
                                Value::Text(s) => s,
                                Value::Bytes(b) => b,
                            }
                        })
                        .collect();
                    tx.execute(&st, &params).unwrap();
                }
                tx.commit().unwrap();
            })
            .join()
            .unwrap();
        }),
    }
}
