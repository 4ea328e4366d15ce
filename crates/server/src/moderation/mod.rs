//! Moderation: sensitive words and group mutes (server-api.md §2.3, §2.6, §3 items 18, 26–29).
//!
//! The settings live in memory, loaded from the store at start and written through on every
//! change, so the send path never waits on the database to learn whether a message may go.
//!
//! - [`Moderation::review`] is the one content check every client send path calls (private,
//!   discussion, group, customer service, public service, and chatrooms): a blocking word
//!   refuses the message with `SENSITIVE_SHIELD` (21501); replacement words are replaced in the
//!   copy that is stored, delivered and synced. [`Moderation::review_outgoing`] applies it to an
//!   [`Outgoing`], including the sync copy for the sender's other devices.
//! - [`Moderation::check_group_send`] refuses a muted member's group message with
//!   `FORBIDDEN_IN_GROUP` (22408).
//!
//! Reviewed content: the `content` text of `RC:TxtMsg`, the only type upstream filters (§3
//! item 26). Server API messages are not reviewed, as upstream by default (§3 item 27).

mod mutes;
mod words;

use std::sync::{Arc, PoisonError, RwLock};

use im_wire::content::MessageContent;
use im_wire::proto::{self, UpStreamMessage};
use im_wire::ErrorCode;

pub use mutes::PERMANENT;
pub use words::{Verdict, WordFilter};

use crate::messaging::Outgoing;
use crate::store::moderation::SensitiveWord;
use crate::store::{StoreHandle, StoreResult};
use mutes::Mutes;

/// The objectName whose text is reviewed.
const TEXT: &str = "RC:TxtMsg";

/// A content that passed review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reviewed {
    /// Nothing to change: send the content as it came.
    Unchanged,
    /// Words were replaced: send this content instead.
    Replaced(Vec<u8>),
}

/// Sensitive words and group mutes in force.
#[derive(Debug, Default)]
pub struct Moderation {
    words: RwLock<Arc<WordFilter>>,
    mutes: RwLock<Mutes>,
    // Word changes one at a time, so that the filter built last is the newest list.
    word_changes: tokio::sync::Mutex<()>,
}

impl Moderation {
    /// Loads the stored settings; member mutes ended by `now_ms` are dropped.
    pub async fn load(store: &StoreHandle, now_ms: i64) -> StoreResult<Self> {
        let (words, mutes) = store
            .call(move |s| Ok((s.sensitive_words()?, s.group_mutes(now_ms)?)))
            .await?;
        Ok(Self {
            words: RwLock::new(Arc::new(WordFilter::new(&words))),
            mutes: RwLock::new(Mutes::from_stored(mutes)),
            word_changes: tokio::sync::Mutex::new(()),
        })
    }

    /// Reads the stored settings again (another node changed them, see [`crate::bus`]).
    pub async fn reload(&self, store: &StoreHandle, now_ms: i64) -> StoreResult<()> {
        let _one_at_a_time = self.word_changes.lock().await;
        // On the writing thread, as at start: reading the mutes forgets those that ended.
        let (words, mutes) = store
            .call(move |s| Ok((s.sensitive_words()?, s.group_mutes(now_ms)?)))
            .await?;
        *self.words.write().unwrap_or_else(PoisonError::into_inner) =
            Arc::new(WordFilter::new(&words));
        self.with_mutes(|m| *m = Mutes::from_stored(mutes));
        Ok(())
    }

    fn filter(&self) -> Arc<WordFilter> {
        self.words
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn with_mutes<R>(&self, f: impl FnOnce(&mut Mutes) -> R) -> R {
        f(&mut self.mutes.write().unwrap_or_else(PoisonError::into_inner))
    }

    /// Reviews a content against the sensitive words: `Err(SENSITIVE_SHIELD)` when a blocking
    /// word occurs, the content with words replaced when a replacement word occurs. Contents
    /// other than `RC:TxtMsg` pass unchanged; a text content that is not valid JSON is refused
    /// if its raw text holds a blocking word.
    pub fn review(&self, object_name: &str, content: &[u8]) -> Result<Reviewed, ErrorCode> {
        if object_name != TEXT {
            return Ok(Reviewed::Unchanged);
        }
        let filter = self.filter();
        if filter.is_empty() {
            return Ok(Reviewed::Unchanged);
        }
        let Ok(MessageContent::Text(mut text)) = MessageContent::decode(object_name, content)
        else {
            let raw = String::from_utf8_lossy(content);
            return if filter.blocks(&raw) {
                Err(ErrorCode::SENSITIVE_SHIELD)
            } else {
                Ok(Reviewed::Unchanged)
            };
        };
        let Some(body) = text.content.as_deref() else {
            return Ok(Reviewed::Unchanged);
        };
        match filter.check(body) {
            Verdict::Clean => Ok(Reviewed::Unchanged),
            Verdict::Blocked => Err(ErrorCode::SENSITIVE_SHIELD),
            Verdict::Replaced(replaced) => {
                text.content = Some(replaced);
                MessageContent::Text(text)
                    .encode()
                    .map(Reviewed::Replaced)
                    .map_err(|e| {
                        tracing::error!("re-encoding a reviewed text: {e}");
                        ErrorCode::SENSITIVE_SHIELD
                    })
            }
        }
    }

    /// [`Moderation::review`] applied to a message about to be routed: a replaced content also
    /// goes into the sync copy for the sender's other devices.
    pub fn review_outgoing(&self, out: &mut Outgoing) -> Result<(), ErrorCode> {
        let Reviewed::Replaced(content) = self.review(&out.object_name, &out.content)? else {
            return Ok(());
        };
        if let Some(echo) = out.echo.as_mut() {
            if let Ok(mut up) = proto::decode::<UpStreamMessage>(&echo.payload) {
                up.content.clone_from(&content);
                echo.payload = proto::encode(&up);
            }
        }
        out.content = content;
        Ok(())
    }

    /// `Err(FORBIDDEN_IN_GROUP)` when `user` is muted in `group` at `now_ms`: muted
    /// individually (there or in every group), or the group is muted as a whole and the user is
    /// not on its whitelist.
    pub fn check_group_send(&self, group: &str, user: &str, now_ms: i64) -> Result<(), ErrorCode> {
        let refused = self
            .mutes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .refuses(group, user, now_ms);
        if refused {
            Err(ErrorCode::FORBIDDEN_IN_GROUP)
        } else {
            Ok(())
        }
    }

    /// Adds a word (or changes its replacement) and rebuilds the filter; `false` when `limit`
    /// words are stored already.
    pub async fn add_word(
        &self,
        store: &StoreHandle,
        word: SensitiveWord,
        limit: usize,
    ) -> StoreResult<bool> {
        let _one = self.word_changes.lock().await;
        let (added, list) = store
            .call(move |s| {
                let added = s.add_sensitive_word(&word, limit)?;
                Ok((added, s.sensitive_words()?))
            })
            .await?;
        self.set_words(&list);
        Ok(added)
    }

    /// Removes words and rebuilds the filter.
    pub async fn remove_words(&self, store: &StoreHandle, words: Vec<String>) -> StoreResult<()> {
        let _one = self.word_changes.lock().await;
        let list = store
            .call(move |s| {
                s.remove_sensitive_words(&words)?;
                s.sensitive_words()
            })
            .await?;
        self.set_words(&list);
        Ok(())
    }

    fn set_words(&self, list: &[SensitiveWord]) {
        let filter = Arc::new(WordFilter::new(list));
        *self.words.write().unwrap_or_else(PoisonError::into_inner) = filter;
    }

    /// Mutes `users` in `group` ("" = every group) until `until_ms`.
    pub async fn gag(
        &self,
        store: &StoreHandle,
        group: &str,
        users: &[String],
        until_ms: i64,
    ) -> StoreResult<()> {
        let (g, u) = (group.to_owned(), users.to_vec());
        store.call(move |s| s.gag_members(&g, &u, until_ms)).await?;
        self.with_mutes(|m| m.gag(group, users, until_ms));
        Ok(())
    }

    /// Ends the mutes of `users` in `group` ("" = the every-group mute).
    pub async fn ungag(
        &self,
        store: &StoreHandle,
        group: &str,
        users: &[String],
    ) -> StoreResult<()> {
        let (g, u) = (group.to_owned(), users.to_vec());
        store.call(move |s| s.ungag_members(&g, &u)).await?;
        self.with_mutes(|m| m.ungag(group, users));
        Ok(())
    }

    /// Members of `group` ("" = every group) muted at `now_ms`, with their end times.
    pub fn gagged(&self, group: &str, now_ms: i64) -> Vec<(String, i64)> {
        self.with_mutes(|m| m.gagged_in(group, now_ms))
    }

    /// Turns mute-all on or off for `groups`.
    pub async fn set_banned(
        &self,
        store: &StoreHandle,
        groups: &[String],
        banned: bool,
    ) -> StoreResult<()> {
        let g = groups.to_vec();
        store.call(move |s| s.set_group_ban(&g, banned)).await?;
        self.with_mutes(|m| m.set_banned(groups, banned));
        Ok(())
    }

    /// Whether `group` is muted as a whole.
    pub fn is_banned(&self, group: &str) -> bool {
        self.with_mutes(|m| m.is_banned(group))
    }

    /// Every group muted as a whole, sorted.
    pub fn banned(&self) -> Vec<String> {
        self.with_mutes(|m| m.banned())
    }

    /// Adds `users` to (or removes them from) `group`'s mute-all whitelist.
    pub async fn change_whitelist(
        &self,
        store: &StoreHandle,
        group: &str,
        users: &[String],
        add: bool,
    ) -> StoreResult<()> {
        let (g, u) = (group.to_owned(), users.to_vec());
        store
            .call(move |s| s.change_ban_whitelist(&g, &u, add))
            .await?;
        self.with_mutes(|m| m.change_whitelist(group, users, add));
        Ok(())
    }

    /// `group`'s mute-all whitelist, sorted.
    pub fn whitelist(&self, group: &str) -> Vec<String> {
        self.with_mutes(|m| m.whitelist(group))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moderation(words: &[(&str, Option<&str>)]) -> Moderation {
        let list: Vec<SensitiveWord> = words
            .iter()
            .map(|(w, r)| SensitiveWord {
                word: (*w).into(),
                replacement: r.map(Into::into),
            })
            .collect();
        let m = Moderation::default();
        m.set_words(&list);
        m
    }

    #[test]
    fn only_text_contents_are_reviewed_and_other_keys_survive() {
        let m = moderation(&[("坏", Some("好")), ("禁", None)]);
        let out = m.review("RC:TxtMsg", r#"{"content":"坏人","extra":"坏"}"#.as_bytes());
        let Ok(Reviewed::Replaced(bytes)) = out else {
            panic!("expected a replacement, got {out:?}");
        };
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        assert_eq!(v["content"], "好人");
        assert_eq!(v["extra"], "坏", "only the text is reviewed");
        assert_eq!(
            m.review("RC:TxtMsg", r#"{"content":"禁止"}"#.as_bytes()),
            Err(ErrorCode::SENSITIVE_SHIELD)
        );
        assert_eq!(
            m.review("RC:TxtMsg", "禁 not json".as_bytes()),
            Err(ErrorCode::SENSITIVE_SHIELD)
        );
        assert_eq!(
            m.review("RC:ImgMsg", r#"{"content":"禁"}"#.as_bytes()),
            Ok(Reviewed::Unchanged)
        );
    }
}
