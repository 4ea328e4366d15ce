//! Public-service accounts, follows, customer services and their evaluations (see
//! [`crate::store::services`]). A follow row means "followed" for an `mp` account and
//! "unfollowed" for an `mc` one, so that every user follows every `mc` without a row each.

use rusqlite::{params, OptionalExtension, Row};

use super::{err, SqliteStore};
use crate::store::services::{
    CustomerService, Evaluation, PublicAccount, ServiceStore, KEPT_EVALUATIONS, MAX_SEARCH_RESULTS,
};
use crate::store::StoreResult;

const COLUMNS: &str = "a.id, a.app, a.name, a.portrait, a.introduction, a.menu, a.global, a.time";

fn account(r: &Row<'_>) -> rusqlite::Result<PublicAccount> {
    Ok(PublicAccount {
        id: r.get(0)?,
        app: r.get(1)?,
        name: r.get(2)?,
        portrait: r.get(3)?,
        introduction: r.get(4)?,
        menu: r.get(5)?,
        global: r.get(6)?,
        time: r.get(7)?,
    })
}

/// `%`, `_` and `\` escaped for a `LIKE … ESCAPE '\'`.
fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

impl ServiceStore for SqliteStore {
    fn public_account(&mut self, id: &str) -> StoreResult<Option<PublicAccount>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM public_accounts a WHERE a.id = ?1"
            ))
            .and_then(|mut s| s.query_row(params![id], account).optional())
            .map_err(err)
    }

    fn public_account_count(&mut self) -> StoreResult<usize> {
        self.conn
            .query_row("SELECT COUNT(*) FROM public_accounts", [], |r| r.get(0))
            .map(count)
            .map_err(err)
    }

    fn put_public_account(&mut self, a: &PublicAccount) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO public_accounts(id, app, name, portrait, introduction, \
                 menu, global, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    a.id,
                    a.app,
                    a.name,
                    a.portrait,
                    a.introduction,
                    a.menu,
                    a.global,
                    a.time
                ])
            })
            .map_err(err)?;
        Ok(())
    }

    fn delete_public_account(&mut self, id: &str) -> StoreResult<bool> {
        let sp = self.conn.savepoint().map_err(err)?;
        let n = sp
            .execute("DELETE FROM public_accounts WHERE id = ?1", params![id])
            .map_err(err)?;
        sp.execute(
            "DELETE FROM public_follows WHERE account_id = ?1",
            params![id],
        )
        .map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(n > 0)
    }

    fn followed_accounts(&mut self, user: &str, since: i64) -> StoreResult<Vec<PublicAccount>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM public_accounts a \
                 LEFT JOIN public_follows f ON f.account_id = a.id AND f.user_id = ?1 \
                 WHERE (a.app = 1) = (f.user_id IS NULL) \
                 AND MAX(a.time, COALESCE(f.time, 0)) > ?2 ORDER BY a.id"
            ))
            .map_err(err)?;
        let rows = stmt.query_map(params![user, since], account).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn search_accounts(
        &mut self,
        mp: bool,
        mc: bool,
        exact: bool,
        keyword: &str,
    ) -> StoreResult<Vec<PublicAccount>> {
        let matches = if exact {
            "(a.id = ?3 OR a.name = ?3)"
        } else {
            "(a.id LIKE ?3 ESCAPE '\\' OR a.name LIKE ?3 ESCAPE '\\')"
        };
        let pattern = if exact {
            keyword.to_owned()
        } else {
            format!("%{}%", like_escaped(keyword))
        };
        let limit = i64::try_from(MAX_SEARCH_RESULTS).unwrap_or(50);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM public_accounts a \
                 WHERE ((a.app = 0 AND ?1) OR (a.app = 1 AND ?2)) AND {matches} \
                 ORDER BY a.id LIMIT ?4"
            ))
            .map_err(err)?;
        let rows = stmt
            .query_map(params![mp, mc, pattern, limit], account)
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn follows(&mut self, user: &str, account: &PublicAccount) -> StoreResult<bool> {
        let row: Option<i64> = self
            .conn
            .prepare_cached("SELECT 1 FROM public_follows WHERE user_id = ?1 AND account_id = ?2")
            .and_then(|mut s| {
                s.query_row(params![user, account.id], |r| r.get(0))
                    .optional()
            })
            .map_err(err)?;
        Ok(row.is_some() != account.app)
    }

    fn follow_rows(&mut self, user: &str) -> StoreResult<usize> {
        self.conn
            .prepare_cached("SELECT COUNT(*) FROM public_follows WHERE user_id = ?1")
            .and_then(|mut s| s.query_row(params![user], |r| r.get(0)))
            .map(count)
            .map_err(err)
    }

    fn set_follow(
        &mut self,
        user: &str,
        account: &PublicAccount,
        follow: bool,
        time: i64,
    ) -> StoreResult<bool> {
        // A row is wanted when following an `mp`, or not following an `mc`.
        let n = if follow != account.app {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO public_follows(user_id, account_id, time) \
                     VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut s| s.execute(params![user, account.id, time]))
        } else {
            self.conn
                .prepare_cached("DELETE FROM public_follows WHERE user_id = ?1 AND account_id = ?2")
                .and_then(|mut s| s.execute(params![user, account.id]))
                .map(|_| 0)
        }
        .map_err(err)?;
        Ok(n > 0)
    }

    fn followers(&mut self, account: &PublicAccount) -> StoreResult<Vec<String>> {
        let sql = if account.app {
            "SELECT user_id FROM (SELECT user_id FROM users UNION SELECT user_id FROM sync_marks) \
             WHERE user_id <> ?1 AND user_id NOT IN \
             (SELECT user_id FROM public_follows WHERE account_id = ?1)"
        } else {
            "SELECT user_id FROM public_follows WHERE account_id = ?1 AND user_id <> ?1"
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let rows = stmt
            .query_map(params![account.id], |r| r.get(0))
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn customer_services(&mut self) -> StoreResult<Vec<CustomerService>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, mode, greeting, agents FROM customer_services ORDER BY id")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                let agents: String = r.get(3)?;
                Ok(CustomerService {
                    id: r.get(0)?,
                    mode: r.get(1)?,
                    greeting: r.get(2)?,
                    agents: agents
                        .split('\n')
                        .filter(|a| !a.is_empty())
                        .map(str::to_owned)
                        .collect(),
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn put_customer_service(&mut self, cs: &CustomerService) -> StoreResult<()> {
        // Agent ids have no line breaks (user ids are checked before they get here).
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO customer_services(id, mode, greeting, agents) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![cs.id, cs.mode, cs.greeting, cs.agents.join("\n")]))
            .map_err(err)?;
        Ok(())
    }

    fn delete_customer_service(&mut self, id: &str) -> StoreResult<bool> {
        let sp = self.conn.savepoint().map_err(err)?;
        let n = sp
            .execute("DELETE FROM customer_services WHERE id = ?1", params![id])
            .map_err(err)?;
        sp.execute("DELETE FROM cs_evaluations WHERE service = ?1", params![id])
            .map_err(err)?;
        sp.commit().map_err(err)?;
        Ok(n > 0)
    }

    fn record_evaluation(&mut self, e: &Evaluation) -> StoreResult<()> {
        let sp = self.conn.savepoint().map_err(err)?;
        sp.execute(
            "INSERT INTO cs_evaluations(service, customer, sid, kind, source, resolved, \
             suggest, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![e.service, e.customer, e.sid, e.kind, e.source, e.resolved, e.suggest, e.time],
        )
        .map_err(err)?;
        let kept = i64::try_from(KEPT_EVALUATIONS).unwrap_or(i64::MAX);
        sp.execute(
            "DELETE FROM cs_evaluations WHERE service = ?1 AND seq <= \
             (SELECT seq FROM cs_evaluations WHERE service = ?1 ORDER BY seq DESC \
             LIMIT 1 OFFSET ?2)",
            params![e.service, kept],
        )
        .map_err(err)?;
        sp.commit().map_err(err)
    }

    fn evaluations(&mut self, service: &str, limit: usize) -> StoreResult<Vec<Evaluation>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT service, customer, sid, kind, source, resolved, suggest, time \
                 FROM cs_evaluations WHERE service = ?1 ORDER BY seq DESC LIMIT ?2",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map(params![service, limit], |r| {
                Ok(Evaluation {
                    service: r.get(0)?,
                    customer: r.get(1)?,
                    sid: r.get(2)?,
                    kind: r.get(3)?,
                    source: r.get(4)?,
                    resolved: r.get(5)?,
                    suggest: r.get(6)?,
                    time: r.get(7)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }
}
