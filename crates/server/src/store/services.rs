//! Storage of public-service accounts and who follows them (api.md §3.8: `pullMp`, `schMp`,
//! `mpFollow`, …), of the customer services registered through the Server API and of their
//! evaluations (`RC:CsEva`). The rules and bounds are the caller's
//! ([`crate::services`], [`crate::session`]); this layer only keeps rows.

use super::StoreResult;

/// Public-service accounts per app.
pub const MAX_ACCOUNTS: usize = 1_000;
/// Follow rows per user: followed `mp` accounts plus unfollowed `mc` ones.
pub const MAX_FOLLOWS: usize = 500;
/// Customer services per app.
pub const MAX_CUSTOMER_SERVICES: usize = 100;
/// Agents per customer service.
pub const MAX_AGENTS: usize = 100;
/// Evaluations kept per customer service (the oldest go first).
pub const KEPT_EVALUATIONS: usize = 1_000;
/// Accounts a search answers at most.
pub const MAX_SEARCH_RESULTS: usize = 50;

/// A public-service account: `mc` (APP_PUBLIC_SERVICE 7, every user follows it until they
/// unfollow it) or `mp` (PUBLIC_SERVICE 8, followed by choice).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicAccount {
    /// The account id, which is also the sender id of its messages.
    pub id: String,
    /// `true` for `mc`, `false` for `mp`.
    pub app: bool,
    /// Display name.
    pub name: String,
    /// Portrait URL ("" for none).
    pub portrait: String,
    /// Introduction text.
    pub introduction: String,
    /// The menu as JSON text (an array), as the client shows it.
    pub menu: String,
    /// Whether the account is global (2.x's `isGlobal`).
    pub global: bool,
    /// When it was created or last changed (ms).
    pub time: i64,
}

/// A customer service registered through the Server API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerService {
    /// The service id: the conversation target of its customers.
    pub id: String,
    /// CustomerType: 1 ONLY_ROBOT, 2 ONLY_HUMAN, 3 ROBOT_FIRST, 4 HUMAN_FIRST.
    pub mode: i32,
    /// The robot's greeting, sent as a text message after the handshake ("" for none).
    pub greeting: String,
    /// The human agents (user ids), in the order registered.
    pub agents: Vec<String>,
}

/// An evaluation a customer sent (`RC:CsEva`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// The customer service.
    pub service: String,
    /// The customer.
    pub customer: String,
    /// The session evaluated.
    pub sid: String,
    /// 0 robot, 1 human.
    pub kind: i64,
    /// The rating (1–5) when given.
    pub source: Option<i64>,
    /// Whether the problem was solved, when given.
    pub resolved: Option<bool>,
    /// The comment ("" for none).
    pub suggest: String,
    /// When it was received (ms).
    pub time: i64,
}

/// Public- and customer-service calls of a [`super::Store`].
pub trait ServiceStore {
    /// The account `id`.
    fn public_account(&mut self, id: &str) -> StoreResult<Option<PublicAccount>>;
    /// How many accounts exist.
    fn public_account_count(&mut self) -> StoreResult<usize>;
    /// Creates or replaces an account.
    fn put_public_account(&mut self, account: &PublicAccount) -> StoreResult<()>;
    /// Deletes an account and every follow row naming it; false if there was none.
    fn delete_public_account(&mut self, id: &str) -> StoreResult<bool>;
    /// The accounts `user` follows whose account or follow changed after `since` (0: all), in
    /// id order.
    fn followed_accounts(&mut self, user: &str, since: i64) -> StoreResult<Vec<PublicAccount>>;
    /// Accounts of the kinds asked (`mp`, `mc`) whose id or name equals `keyword` (`exact`)
    /// or contains it, in id order, at most [`MAX_SEARCH_RESULTS`].
    fn search_accounts(
        &mut self,
        mp: bool,
        mc: bool,
        exact: bool,
        keyword: &str,
    ) -> StoreResult<Vec<PublicAccount>>;
    /// Whether `user` follows `account`.
    fn follows(&mut self, user: &str, account: &PublicAccount) -> StoreResult<bool>;
    /// How many follow rows `user` has.
    fn follow_rows(&mut self, user: &str) -> StoreResult<usize>;
    /// Makes `user` follow `account` or not, at `time`; true if a row was added.
    fn set_follow(
        &mut self,
        user: &str,
        account: &PublicAccount,
        follow: bool,
        time: i64,
    ) -> StoreResult<bool>;
    /// Every user who follows `account` (for an `mc`: every user of the app who has not
    /// unfollowed it), but the account itself.
    fn followers(&mut self, account: &PublicAccount) -> StoreResult<Vec<String>>;

    /// Every customer service.
    fn customer_services(&mut self) -> StoreResult<Vec<CustomerService>>;
    /// Creates or replaces a customer service.
    fn put_customer_service(&mut self, service: &CustomerService) -> StoreResult<()>;
    /// Deletes a customer service and its evaluations; false if there was none.
    fn delete_customer_service(&mut self, id: &str) -> StoreResult<bool>;
    /// Records an evaluation, keeping the newest [`KEPT_EVALUATIONS`] of its service.
    fn record_evaluation(&mut self, evaluation: &Evaluation) -> StoreResult<()>;
    /// The evaluations of a service, newest first, at most `limit`.
    fn evaluations(&mut self, service: &str, limit: usize) -> StoreResult<Vec<Evaluation>>;
}
