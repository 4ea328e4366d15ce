//! The sensitive-word matcher (server-api.md §2.6, §3 items 26–29): one Aho–Corasick automaton
//! over the words that block and one over the words that are replaced, rebuilt whenever the word
//! list changes, so a message is scanned once per automaton whatever the number of words.
//!
//! Matching works on UTF-8 bytes: a valid UTF-8 word can only match on character boundaries of
//! valid UTF-8 text, so Chinese words match exactly. ASCII letters match without regard to case
//! ("QQ" also catches "qq"); other letters match as written.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::store::moderation::SensitiveWord;

/// What the filter makes of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No word found.
    Clean,
    /// A blocking word was found: the message is refused.
    Blocked,
    /// Replacement words were found; the text with each replaced.
    Replaced(String),
}

/// The compiled word list.
#[derive(Debug, Default)]
pub struct WordFilter {
    block: Option<AhoCorasick>,
    replace: Option<(AhoCorasick, Vec<String>)>,
}

fn automaton(words: &[&str]) -> Option<AhoCorasick> {
    if words.is_empty() {
        return None;
    }
    // Leftmost-longest: of overlapping words, the longest one starting first wins, so
    // "小米手机" is replaced as a whole rather than as "小米" plus the rest.
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(words)
        .map_err(|e| tracing::error!("sensitive words: {e}"))
        .ok()
}

impl WordFilter {
    /// Compiles `words`.
    pub fn new(words: &[SensitiveWord]) -> Self {
        let block: Vec<&str> = words
            .iter()
            .filter(|w| w.replacement.is_none())
            .map(|w| w.word.as_str())
            .collect();
        let (replace, with): (Vec<&str>, Vec<String>) = words
            .iter()
            .filter_map(|w| Some((w.word.as_str(), w.replacement.clone()?)))
            .unzip();
        Self {
            block: automaton(&block),
            replace: automaton(&replace).map(|ac| (ac, with)),
        }
    }

    /// Whether there is no word at all.
    pub fn is_empty(&self) -> bool {
        self.block.is_none() && self.replace.is_none()
    }

    /// Whether `text` contains a blocking word.
    pub fn blocks(&self, text: &str) -> bool {
        self.block.as_ref().is_some_and(|ac| ac.is_match(text))
    }

    /// Blocking words win over replacements; otherwise every replacement word is replaced.
    pub fn check(&self, text: &str) -> Verdict {
        if self.blocks(text) {
            return Verdict::Blocked;
        }
        let Some((ac, with)) = &self.replace else {
            return Verdict::Clean;
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in ac.find_iter(text) {
            out.push_str(text.get(last..m.start()).unwrap_or_default());
            out.push_str(with.get(m.pattern().as_usize()).map_or("", String::as_str));
            last = m.end();
        }
        if last == 0 {
            return Verdict::Clean;
        }
        out.push_str(text.get(last..).unwrap_or_default());
        Verdict::Replaced(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str, r: Option<&str>) -> SensitiveWord {
        SensitiveWord {
            word: w.into(),
            replacement: r.map(Into::into),
        }
    }

    #[test]
    fn replacements_and_blocks_work_on_chinese_and_ascii_text() {
        let f = WordFilter::new(&[
            word("小米手机", Some("iPhone7")),
            word("小米", Some("**")),
            word("QQ", Some("微信")),
            word("赌博", None),
        ]);
        assert_eq!(
            f.check("买小米手机和小米，加qq"),
            Verdict::Replaced("买iPhone7和**，加微信".into())
        );
        assert_eq!(f.check("不要赌博小米"), Verdict::Blocked);
        assert_eq!(f.check("hello 世界"), Verdict::Clean);
        assert_eq!(f.check(""), Verdict::Clean);
    }

    #[test]
    fn an_empty_list_finds_nothing() {
        let f = WordFilter::new(&[]);
        assert!(f.is_empty());
        assert_eq!(f.check("anything"), Verdict::Clean);
    }

    #[test]
    fn many_words_compile_into_one_scan() {
        let words: Vec<SensitiveWord> = (0..5_000)
            .map(|i| word(&format!("词{i}x"), Some("*")))
            .collect();
        let f = WordFilter::new(&words);
        assert_eq!(f.check("a词4999xb"), Verdict::Replaced("a*b".into()));
    }
}
