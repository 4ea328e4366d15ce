//! Versioned schema migrations, shared by every store: each store keeps its own ordered list of
//! [`Migration`]s and records in its database the versions it applied; at open it applies, in
//! one transaction, those the database has not seen. A migration, once released, never
//! changes: a change of schema is a new migration at the end of the list.

use super::{StoreError, StoreResult};

/// One step of a store's schema.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// Its version: the first migration of a list is 1, each next one is one more.
    pub version: u32,
    /// What it does, recorded with the version.
    pub name: &'static str,
    /// Its statements, run in order.
    pub sql: &'static [&'static str],
}

/// The migrations of `list` that a database at schema version `current` still needs, in order.
/// Refuses a list whose versions do not count up from 1, and a database of a newer version than
/// the list knows (written by a newer server: running on it could lose data).
pub fn pending(list: &[Migration], current: u32) -> StoreResult<&[Migration]> {
    for (i, m) in list.iter().enumerate() {
        if usize::try_from(m.version).ok() != i.checked_add(1) {
            return Err(StoreError(format!(
                "migration {:?} has version {}, expected {}",
                m.name,
                m.version,
                i + 1
            )));
        }
    }
    let latest = latest(list);
    if current > latest {
        return Err(StoreError(format!(
            "the database has schema version {current}, newer than this im-server knows \
             ({latest}); run a newer im-server on it"
        )));
    }
    let done = usize::try_from(current).unwrap_or(usize::MAX);
    Ok(list.get(done..).unwrap_or_default())
}

/// A database being migrated, inside the transaction (and lock) its store opened for it.
pub trait Schema {
    /// The highest version recorded, 0 for none (creating the record if needed).
    fn version(&mut self) -> StoreResult<u32>;
    /// Runs the statements of `m` and records its version.
    fn apply(&mut self, m: &Migration) -> StoreResult<()>;
}

/// Applies, in order, the migrations of `list` that `db` lacks; returns the version it had.
pub fn run(db: &mut impl Schema, list: &[Migration]) -> StoreResult<u32> {
    let current = db.version()?;
    for m in pending(list, current)? {
        db.apply(m)?;
        tracing::info!(
            "store: schema migrated to version {} ({})",
            m.version,
            m.name
        );
    }
    Ok(current)
}

/// The version a database has once every migration of `list` is applied.
pub fn latest(list: &[Migration]) -> u32 {
    list.last().map_or(0, |m| m.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[Migration] = &[
        Migration {
            version: 1,
            name: "one",
            sql: &[],
        },
        Migration {
            version: 2,
            name: "two",
            sql: &[],
        },
    ];

    #[test]
    fn a_database_gets_the_migrations_after_its_version() {
        let names = |v| {
            pending(LIST, v)
                .unwrap()
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(0), ["one", "two"]);
        assert_eq!(names(1), ["two"]);
        assert!(names(2).is_empty());
        assert_eq!(latest(LIST), 2);
    }

    #[test]
    fn a_newer_database_and_a_list_out_of_order_are_refused() {
        let e = pending(LIST, 3).unwrap_err();
        assert!(e.0.contains("newer"), "{e}");
        let gap = [LIST[1]];
        assert!(pending(&gap, 0).is_err());
    }
}
