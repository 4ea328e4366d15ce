//! Public-service accounts, follows, customer services and their evaluations, as the SQLite
//! store keeps them (see [`crate::store::services`]). A follow row means "followed" for an `mp`
//! account and "unfollowed" for an `mc` one.

use postgres::Row;

use super::{bigint, size, text, texts, PostgresStore};
use crate::store::services::{
    CustomerService, Evaluation, PublicAccount, ServiceStore, KEPT_EVALUATIONS, MAX_SEARCH_RESULTS,
};
use crate::store::StoreResult;

const COLUMNS: &str = "a.id, a.app, a.name, a.portrait, a.introduction, a.menu, a.global, a.time";

fn account(r: &Row) -> Result<PublicAccount, postgres::Error> {
    Ok(PublicAccount {
        id: r.try_get(0)?,
        app: r.try_get(1)?,
        name: r.try_get(2)?,
        portrait: r.try_get(3)?,
        introduction: r.try_get(4)?,
        menu: r.try_get(5)?,
        global: r.try_get(6)?,
        time: r.try_get(7)?,
    })
}

fn accounts(rows: &[Row]) -> Result<Vec<PublicAccount>, postgres::Error> {
    rows.iter().map(account).collect()
}

/// `%`, `_` and `\` escaped for a `LIKE` (whose escape character is `\`).
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

impl ServiceStore for PostgresStore {
    fn public_account(&mut self, id: &str) -> StoreResult<Option<PublicAccount>> {
        let sql = format!("SELECT {COLUMNS} FROM public_accounts a WHERE a.id = $1");
        self.run(|c| {
            c.query_opt(&sql, &[&text(id)])?
                .map(|r| account(&r))
                .transpose()
        })
    }

    fn public_account_count(&mut self) -> StoreResult<usize> {
        self.run(|c| {
            c.query_one("SELECT COUNT(*) FROM public_accounts", &[])?
                .try_get(0)
                .map(size)
        })
    }

    fn put_public_account(&mut self, a: &PublicAccount) -> StoreResult<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO public_accounts(id, app, name, portrait, introduction, menu, global, \
                 time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT(id) DO UPDATE SET \
                 app = excluded.app, name = excluded.name, portrait = excluded.portrait, \
                 introduction = excluded.introduction, menu = excluded.menu, \
                 global = excluded.global, time = excluded.time",
                &[
                    &text(&a.id),
                    &a.app,
                    &text(&a.name),
                    &text(&a.portrait),
                    &text(&a.introduction),
                    &text(&a.menu),
                    &a.global,
                    &a.time,
                ],
            )
            .map(drop)
        })
    }

    fn delete_public_account(&mut self, id: &str) -> StoreResult<bool> {
        let id = text(id);
        self.atomic(|c| {
            let n = c.execute("DELETE FROM public_accounts WHERE id = $1", &[&id])?;
            c.execute("DELETE FROM public_follows WHERE account_id = $1", &[&id])?;
            Ok(n > 0)
        })
    }

    fn followed_accounts(&mut self, user: &str, since: i64) -> StoreResult<Vec<PublicAccount>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM public_accounts a \
             LEFT JOIN public_follows f ON f.account_id = a.id AND f.user_id = $1 \
             WHERE a.app = (f.user_id IS NULL) \
             AND GREATEST(a.time, COALESCE(f.time, 0)) > $2 ORDER BY a.id"
        );
        self.run(|c| accounts(&c.query(&sql, &[&text(user), &since])?))
    }

    fn search_accounts(
        &mut self,
        mp: bool,
        mc: bool,
        exact: bool,
        keyword: &str,
    ) -> StoreResult<Vec<PublicAccount>> {
        // SQLite's LIKE ignores the case of ASCII letters only; so does ILIKE on text that
        // compares byte by byte (`COLLATE "C"`).
        let matches = if exact {
            "(a.id = $3 OR a.name = $3)"
        } else {
            "(a.id ILIKE $3 ESCAPE '\\' OR a.name ILIKE $3 ESCAPE '\\')"
        };
        let keyword = text(keyword);
        let pattern = if exact {
            keyword.into_owned()
        } else {
            format!("%{}%", like_escaped(&keyword))
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM public_accounts a \
             WHERE ((NOT a.app AND $1) OR (a.app AND $2)) AND {matches} ORDER BY a.id LIMIT $4"
        );
        let limit = bigint(MAX_SEARCH_RESULTS);
        self.run(|c| accounts(&c.query(&sql, &[&mp, &mc, &pattern, &limit])?))
    }

    fn follows(&mut self, user: &str, account: &PublicAccount) -> StoreResult<bool> {
        let row = self.run(|c| {
            c.query_opt(
                "SELECT 1 FROM public_follows WHERE user_id = $1 AND account_id = $2",
                &[&text(user), &text(&account.id)],
            )
        })?;
        Ok(row.is_some() != account.app)
    }

    fn follow_rows(&mut self, user: &str) -> StoreResult<usize> {
        self.run(|c| {
            c.query_one(
                "SELECT COUNT(*) FROM public_follows WHERE user_id = $1",
                &[&text(user)],
            )?
            .try_get(0)
            .map(size)
        })
    }

    fn set_follow(
        &mut self,
        user: &str,
        account: &PublicAccount,
        follow: bool,
        time: i64,
    ) -> StoreResult<bool> {
        let (user, id) = (text(user), text(&account.id));
        // A row is wanted when following an `mp`, or not following an `mc`.
        let n = self.run(|c| {
            if follow != account.app {
                c.execute(
                    "INSERT INTO public_follows(user_id, account_id, time) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                    &[&user, &id, &time],
                )
            } else {
                c.execute(
                    "DELETE FROM public_follows WHERE user_id = $1 AND account_id = $2",
                    &[&user, &id],
                )
                .map(|_| 0)
            }
        })?;
        Ok(n > 0)
    }

    fn followers(&mut self, account: &PublicAccount) -> StoreResult<Vec<String>> {
        let sql = if account.app {
            "SELECT user_id FROM (SELECT user_id FROM users UNION SELECT user_id FROM sync_marks) e \
             WHERE user_id <> $1 AND user_id NOT IN \
             (SELECT user_id FROM public_follows WHERE account_id = $1) ORDER BY user_id"
        } else {
            "SELECT user_id FROM public_follows WHERE account_id = $1 AND user_id <> $1 \
             ORDER BY user_id"
        };
        self.run(|c| c.column(sql, &[&text(&account.id)]))
    }

    fn customer_services(&mut self) -> StoreResult<Vec<CustomerService>> {
        self.run(|c| {
            c.query(
                "SELECT id, mode, greeting, agents FROM customer_services ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(CustomerService {
                    id: r.try_get(0)?,
                    mode: r.try_get(1)?,
                    greeting: r.try_get(2)?,
                    agents: r.try_get(3)?,
                })
            })
            .collect()
        })
    }

    fn put_customer_service(&mut self, cs: &CustomerService) -> StoreResult<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO customer_services(id, mode, greeting, agents) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT(id) DO UPDATE SET mode = excluded.mode, \
                 greeting = excluded.greeting, agents = excluded.agents",
                &[
                    &text(&cs.id),
                    &cs.mode,
                    &text(&cs.greeting),
                    &texts(&cs.agents),
                ],
            )
            .map(drop)
        })
    }

    fn delete_customer_service(&mut self, id: &str) -> StoreResult<bool> {
        let id = text(id);
        self.atomic(|c| {
            let n = c.execute("DELETE FROM customer_services WHERE id = $1", &[&id])?;
            c.execute("DELETE FROM cs_evaluations WHERE service = $1", &[&id])?;
            Ok(n > 0)
        })
    }

    fn record_evaluation(&mut self, e: &Evaluation) -> StoreResult<()> {
        let service = text(&e.service);
        self.atomic(|c| {
            c.execute(
                "INSERT INTO cs_evaluations(service, customer, sid, kind, source, resolved, \
                 suggest, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &service,
                    &text(&e.customer),
                    &text(&e.sid),
                    &e.kind,
                    &e.source,
                    &e.resolved,
                    &text(&e.suggest),
                    &e.time,
                ],
            )?;
            c.execute(
                "DELETE FROM cs_evaluations WHERE service = $1 AND seq <= \
                 (SELECT seq FROM cs_evaluations WHERE service = $1 ORDER BY seq DESC \
                 LIMIT 1 OFFSET $2)",
                &[&service, &bigint(KEPT_EVALUATIONS)],
            )
            .map(drop)
        })
    }

    fn evaluations(&mut self, service: &str, limit: usize) -> StoreResult<Vec<Evaluation>> {
        self.run(|c| {
            c.query(
                "SELECT service, customer, sid, kind, source, resolved, suggest, time \
                 FROM cs_evaluations WHERE service = $1 ORDER BY seq DESC LIMIT $2",
                &[&text(service), &bigint(limit)],
            )?
            .iter()
            .map(|r| {
                Ok(Evaluation {
                    service: r.try_get(0)?,
                    customer: r.try_get(1)?,
                    sid: r.try_get(2)?,
                    kind: r.try_get(3)?,
                    source: r.try_get(4)?,
                    resolved: r.try_get(5)?,
                    suggest: r.try_get(6)?,
                    time: r.try_get(7)?,
                })
            })
            .collect()
        })
    }
}
