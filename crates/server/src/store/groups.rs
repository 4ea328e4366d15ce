//! Storage of groups (server-api.md §2.3) and discussions (api.md §3.5) with their members.

use super::StoreResult;

/// A discussion (api.md §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discussion {
    /// Discussion id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The creator, the only one who may evict, and invite when closed.
    pub admin: String,
    /// 0 = members may invite, 1 = only the creator.
    pub open_status: i32,
    /// Members in join order.
    pub members: Vec<String>,
}

/// Group and discussion calls of a [`super::Store`].
pub trait GroupStore {
    /// A discussion with its members, if it exists.
    fn discussion(&mut self, id: &str) -> StoreResult<Option<Discussion>>;
    /// Creates or replaces a discussion and its member list.
    fn save_discussion(&mut self, discussion: &Discussion) -> StoreResult<()>;
    /// Creates or renames a group.
    fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()>;
    /// Adds members (creating the group if needed).
    fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Removes members.
    fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Deletes a group and its memberships (its history stays).
    fn dismiss_group(&mut self, group: &str) -> StoreResult<()>;
    /// Members of a group, in join order.
    fn members(&mut self, group: &str) -> StoreResult<Vec<String>>;
    /// Sets exactly the groups a user belongs to, creating unknown ones with their names.
    fn sync_user_groups(&mut self, user: &str, groups: &[(String, String)]) -> StoreResult<()>;
}
