//! `sensitiveword/*` endpoints (server-api.md §2.6): add, list and delete the words that are
//! replaced in, or block, client text messages. Changes apply at once.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::{ApiError, ApiResult, Form};
use crate::server::State;
use crate::store::moderation::SensitiveWord;

/// Longest word or replacement, in characters.
const MAX_WORD_CHARS: usize = 32;
/// Most words per batch delete.
const MAX_BATCH: usize = 50;

pub(super) async fn handle(state: &State, path: &str, form: &Form) -> Option<ApiResult> {
    Some(match path {
        "add" => add(state, form).await,
        "list" => list(state, form).await,
        // `delete` is the documented name; `remove` is accepted as well.
        "delete" | "remove" => {
            let word = form.get("word").map(str::to_owned);
            remove(state, word.into_iter().collect()).await
        }
        "batch/delete" | "batch/remove" => batch_remove(state, form).await,
        _ => return None,
    })
}

/// Letters, digits and CJK characters only (all of them Unicode alphanumerics), 1–32 of them.
fn valid_word(word: &str) -> bool {
    let n = word.chars().count();
    (1..=MAX_WORD_CHARS).contains(&n) && word.chars().all(char::is_alphanumeric)
}

/// `sensitiveword/add`: `word`, optional `replaceWord` (empty or absent = block). `type` is
/// ignored (§2.6 "Server").
async fn add(state: &State, form: &Form) -> ApiResult {
    let word = form
        .get("word")
        .filter(|w| valid_word(w))
        .ok_or_else(|| ApiError::param("word must have 1 to 32 letters, digits or CJK characters"))?
        .to_owned();
    let replacement = form
        .get("replaceWord")
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if replacement
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_WORD_CHARS)
    {
        return Err(ApiError::param(
            "replaceWord must have at most 32 characters",
        ));
    }
    let limit = state.config.sensitive_word_limit;
    let added = state
        .moderation
        .add_word(&state.store, SensitiveWord { word, replacement }, limit)
        .await?;
    if !added {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            1019,
            &format!("too many sensitive words (at most {limit})"),
        ));
    }
    Ok(Map::new())
}

/// `sensitiveword/list`: `type` 0 replaced words, 1 blocking words (the default), anything
/// else all → `{"words":[{"type":"0"|"1","word","replaceWord"}]}`.
async fn list(state: &State, form: &Form) -> ApiResult {
    let wanted = match form.get("type") {
        None => Some(true),
        Some("0") => Some(false),
        Some("1") => Some(true),
        Some(_) => None,
    };
    let words = state.store.read(|s| s.sensitive_words()).await?;
    let words: Vec<Value> = words
        .into_iter()
        .filter(|w| wanted.is_none_or(|block| block == w.replacement.is_none()))
        .map(|w| {
            let kind = if w.replacement.is_some() { "0" } else { "1" };
            json!({"type": kind, "word": w.word, "replaceWord": w.replacement.unwrap_or_default()})
        })
        .collect();
    let mut out = Map::new();
    out.insert("words".into(), Value::Array(words));
    Ok(out)
}

async fn remove(state: &State, words: Vec<String>) -> ApiResult {
    if words.is_empty() {
        return Err(ApiError::param("word is required"));
    }
    state.moderation.remove_words(&state.store, words).await?;
    Ok(Map::new())
}

/// `sensitiveword/batch/delete`: `words` repeated, at most 50; unknown words are fine.
async fn batch_remove(state: &State, form: &Form) -> ApiResult {
    let words = form.all("words");
    if words.len() > MAX_BATCH {
        return Err(ApiError::param("words: at most 50 entries"));
    }
    remove(state, words).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_letters_digits_or_cjk() {
        assert!(valid_word("小米手机"));
        assert!(valid_word("abc123"));
        assert!(!valid_word("-"));
        assert!(!valid_word("a b"));
        assert!(!valid_word(""));
        assert!(valid_word(&"字".repeat(32)));
        assert!(!valid_word(&"字".repeat(33)));
    }
}
