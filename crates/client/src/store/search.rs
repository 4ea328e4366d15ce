//! Searching stored messages by the text of their content (`searchMessageByContent`,
//! `searchConversationByContent`).
//!
//! The searchable text of a content is its natural text fields (a table per built-in type);
//! media data (base64 thumbnails, voice) and types without text never match. The keyword matches
//! as a substring, ASCII letters case-insensitively, every other character (CJK, emoji, accented
//! letters) exactly.

use crate::storage::Storage;

use im_wire::value::Value;

use super::{ConvKey, Entry, Store};

/// The text fields of each built-in type that has text (api.md §6.2).
const TEXT_FIELDS: &[(&str, &[&str])] = &[
    ("RC:TxtMsg", &["content"]),
    ("RC:ImgTextMsg", &["title", "content"]),
    ("RC:FileMsg", &["name"]),
    ("RC:LBSMsg", &["poi"]),
    ("RC:CombineMsg", &["summaryList", "nameList"]),
    ("RC:InfoNtf", &["message"]),
    ("RC:ContactNtf", &["message"]),
    ("RC:GrpNtf", &["message"]),
    ("RC:PSCmd", &["content"]),
];

/// Whether `hay` contains `needle`, ASCII letters compared case-insensitively. Byte-wise: a
/// UTF-8 needle can only match at a character boundary.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return true;
    }
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether a content of `object_name` has `keyword` in its text.
pub(crate) fn content_matches(object_name: &str, content: &Value, keyword: &str) -> bool {
    let Some((_, fields)) = TEXT_FIELDS.iter().find(|(o, _)| *o == object_name) else {
        return false;
    };
    fields.iter().any(|f| match content.get(*f) {
        Some(Value::String(s)) => contains(s, keyword),
        Some(Value::Array(items)) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| contains(s, keyword))),
        _ => false,
    })
}

/// Whether a stored line matches `keyword`. The raw line is checked first, so most lines are
/// never parsed (JSON text escapes only quotes, backslashes and control characters, which a
/// keyword rarely has).
pub(crate) fn entry_matches(e: &Entry, keyword: &str) -> bool {
    let plain = !keyword
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control());
    if plain && !contains(&e.line, keyword) {
        return false;
    }
    let Ok(v) = im_wire::json::parse(&e.line) else {
        return false;
    };
    let object_name = v.get("o").and_then(Value::as_str).unwrap_or_default();
    v.get("c")
        .is_some_and(|c| content_matches(object_name, c, keyword))
}

impl Store {
    /// Calls `f` on each message of `key`, newest first, until it returns `false`. Chunks not
    /// in memory are read for the call only.
    pub(crate) fn each_newest_first(
        &self,
        storage: &Storage,
        key: &ConvKey,
        f: &mut dyn FnMut(&Entry) -> bool,
    ) {
        let Some(conv) = self.convs.get(key) else {
            return;
        };
        for chunk in conv.chunks.iter().rev() {
            if !chunk.each_newest_first(storage, &self.user, f) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use im_wire::json;

    #[test]
    fn ascii_letters_match_in_any_case_and_other_characters_exactly() {
        assert!(contains("Hello World", "wORLD"));
        assert!(contains("你好，世界", "世界"));
        assert!(contains("party 🎉 time", "🎉"));
        assert!(!contains("Ärger", "ärger"), "only ASCII letters fold");
        assert!(!contains("abc", "abcd"));
        assert!(contains("abc", ""));
    }

    #[test]
    fn only_the_text_fields_of_a_content_are_searched() {
        let img = json!({"content": "iVBORw0KGgo", "imageUri": "http://x/cat.png"});
        assert!(!content_matches("RC:ImgMsg", &img, "cat"));
        let rich = json!({"title": "Weekly Report", "content": "numbers", "url": "http://r"});
        assert!(content_matches("RC:ImgTextMsg", &rich, "report"));
        assert!(content_matches("RC:ImgTextMsg", &rich, "NUMB"));
        assert!(!content_matches("RC:ImgTextMsg", &rich, "http"));
        let file = json!({"name": "合同.pdf", "fileUrl": "http://f"});
        assert!(content_matches("RC:FileMsg", &file, "合同"));
        let combine = json!({"summaryList": ["a: hi", "b: 晚安"], "nameList": ["Ann"]});
        assert!(content_matches("RC:CombineMsg", &combine, "晚安"));
        assert!(!content_matches(
            "App:Custom",
            &json!({"content": "hi"}),
            "hi"
        ));
    }

    #[test]
    fn a_line_is_matched_on_its_content_not_its_other_fields() {
        let line = |c: &str| Entry {
            id: 1,
            time: 1,
            uid: None,
            line: format!(r#"{{"i":1,"t":1,"s":"alice","d":2,"o":"RC:TxtMsg","c":{c}}}"#),
        };
        assert!(!entry_matches(&line(r#"{"content":"bob"}"#), "alice"));
        assert!(entry_matches(
            &line(r#"{"content":"say \"hi\""}"#),
            "\"hi\""
        ));
        assert!(entry_matches(&line(r#"{"content":"Tab\there"}"#), "b\th"));
    }
}
