//! [`ContentError`] and the bytes → text step of content decoding (api.md §5.4, §8.2 item 2).

use std::borrow::Cow;
use std::fmt;

use crate::text;
use crate::text::Piece;

/// A message content could not be decoded or encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContentError {
    /// The content bytes are neither UTF-8 nor CESU-8 text.
    InvalidText {
        /// The objectName (`classname`) of the message.
        object_name: String,
    },
    /// The text is not JSON, or its JSON does not fit the built-in type of the objectName
    /// (e.g. `"duration":"x"` or an array where an object is expected).
    InvalidJson {
        /// The objectName (`classname`) of the message.
        object_name: String,
        /// What did not fit, as reported by the JSON parser (with line and column).
        reason: String,
    },
    /// The content could not be serialized to JSON.
    Encode {
        /// What the serializer reported.
        reason: String,
    },
}

impl Piece for ContentError {
    fn push_to(&self, out: &mut String) {
        match self {
            Self::InvalidText { object_name } => {
                text!(in out;
                    "content of ",
                    object_name,
                    " is neither UTF-8 nor CESU-8 text"
                )
            }
            Self::InvalidJson {
                object_name,
                reason,
            } => text!(in out;
                "content of ",
                object_name,
                " is not valid JSON for that type: ",
                reason
            ),
            Self::Encode { reason } => text!(in out; "message content cannot be encoded: ", reason),
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl std::error::Error for ContentError {}

/// Decodes content bytes as UTF-8 or, failing that, CESU-8: the original client sends each UTF-16
/// surrogate half as its own 3-byte sequence (api.md §8.2 item 2), so emoji arrive that way.
pub(super) fn text<'a>(object_name: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, ContentError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => {
            crate::strings::decode(bytes)
                .map(Cow::Owned)
                .map_err(|_| ContentError::InvalidText {
                    object_name: object_name.to_owned(),
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ContentError> {
        text("RC:TxtMsg", bytes)
    }

    #[test]
    fn utf8_is_borrowed_unchanged() {
        let s = "héllo 你好 😀";
        assert!(matches!(decode(s.as_bytes()), Ok(Cow::Borrowed(t)) if t == s));
    }

    #[test]
    fn cesu8_surrogate_pairs_become_one_character() {
        // U+1F600 as CESU-8, then U+10FFFF (ED AF BF ED BF BF), mixed with plain and 4-byte UTF-8.
        let mut raw = b"x".to_vec();
        raw.extend_from_slice(&[0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]);
        raw.extend_from_slice("é😀".as_bytes());
        raw.extend_from_slice(&[0xED, 0xAF, 0xBF, 0xED, 0xBF, 0xBF]);
        assert_eq!(decode(&raw).unwrap(), "x\u{1F600}é\u{1F600}\u{10FFFF}");
    }

    #[test]
    fn lone_or_truncated_surrogates_and_garbage_are_invalid_text() {
        let bad: [&[u8]; 6] = [
            &[0xFF, 0xFE],
            &[0xED, 0xA0, 0xBD],                   // high half alone
            &[0xED, 0xB8, 0x80],                   // low half alone
            &[0xED, 0xA0, 0xBD, 0xED, 0xA0, 0xBD], // two high halves
            &[0xED, 0xA0, 0xBD, 0xED, 0xB8],       // truncated low half
            &[b'a', 0xC0, 0x80],                   // overlong NUL (modified UTF-8)
        ];
        for raw in bad {
            assert_eq!(
                decode(raw),
                Err(ContentError::InvalidText {
                    object_name: "RC:TxtMsg".into()
                }),
                "{raw:02x?}"
            );
        }
    }

    #[test]
    fn errors_describe_the_object_name_and_cause() {
        let e = ContentError::InvalidJson {
            object_name: "RC:VcMsg".into(),
            reason: "bad".into(),
        };
        assert_eq!(
            e.to_string(),
            "content of RC:VcMsg is not valid JSON for that type: bad"
        );
        let e = ContentError::InvalidText {
            object_name: "RC:TxtMsg".into(),
        };
        assert_eq!(
            e.to_string(),
            "content of RC:TxtMsg is neither UTF-8 nor CESU-8 text"
        );
        let e: Box<dyn std::error::Error> = Box::new(ContentError::Encode { reason: "x".into() });
        assert!(e.to_string().contains("cannot be encoded"));
    }
}
