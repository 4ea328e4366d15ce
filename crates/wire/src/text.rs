//! Messages built without `core::fmt`: [`text!`](crate::text!) joins [`Piece`]s — strings,
//! integers and the crate's error types — into a `String`.
//!
//! The client's wasm carries every byte of code it links, and `format!` brings the formatting
//! machinery (padding, `Arguments`, a `Display` per type) plus an `Arguments` built at each call
//! site. The errors still implement `Display` (the server logs them) on top of [`Piece`].

use crate::json_out::write_u64;

/// Something that appends its text to a `String`.
pub trait Piece {
    /// Appends this piece's text to `out`.
    fn push_to(&self, out: &mut String);

    /// This piece's text alone.
    fn text(&self) -> String {
        let mut out = String::new();
        self.push_to(&mut out);
        out
    }
}

/// A `String` of the pieces in order: `text!(what, " must be a string")`; `text!(in out; …)`
/// appends them to the `String` `out` instead.
#[macro_export]
macro_rules! text {
    (in $out:expr; $($piece:expr),+ $(,)?) => {{
        let out: &mut ::std::string::String = $out;
        $( $crate::text::Piece::push_to(&$piece, out); )+
    }};
    ($($piece:expr),+ $(,)?) => {{
        let mut out = ::std::string::String::new();
        $( $crate::text::Piece::push_to(&$piece, &mut out); )+
        out
    }};
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for std::borrow::Cow<'_, str> {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

macro_rules! unsigned {
    ($($t:ty),+) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                write_u64(out, u64::from(*self));
            }
        }
    )+};
}
unsigned!(u8, u16, u32, u64);

impl Piece for usize {
    fn push_to(&self, out: &mut String) {
        write_u64(out, *self as u64);
    }
}

macro_rules! signed {
    ($($t:ty),+) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                let n = i64::from(*self);
                if n < 0 {
                    out.push('-');
                }
                write_u64(out, n.unsigned_abs());
            }
        }
    )+};
}
signed!(i8, i16, i32, i64);

/// The byte offset of the first `needle` in `haystack`, as `str::find` with a `&str` gives it; a
/// plain scan (the strings searched are short), without the two-way searcher's code.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// `bytes` as text, each invalid UTF-8 sequence replaced by U+FFFD as
/// `String::from_utf8_lossy` does, without its chunk iterator's code.
pub fn lossy(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                bytes = rest
                    .get(e.error_len().unwrap_or(rest.len())..)
                    .unwrap_or_default();
            }
        }
    }
}

/// `s` as a `u32` in decimal, as `s.parse::<u32>()` reads it, through the `u64` parser (one
/// integer parser in the wasm instead of two).
pub fn u32_of(s: &str) -> Option<u32> {
    s.parse::<u64>().ok().and_then(|n| u32::try_from(n).ok())
}

/// The lowercase hexadecimal digit of `n & 15`.
pub fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n & 15), 16).unwrap_or('0')
}

/// `value` in lowercase hexadecimal, zero-padded to at least `width` digits (`{:0width$x}`).
pub struct Hex {
    /// The number.
    pub value: u64,
    /// The fewest digits written.
    pub width: usize,
}

impl Piece for Hex {
    fn push_to(&self, out: &mut String) {
        let digits = (64 - self.value.leading_zeros() as usize)
            .div_ceil(4)
            .max(1);
        for i in (0..digits.max(self.width)).rev() {
            let nibble = if i < 16 {
                (self.value >> (4 * i)) & 15
            } else {
                0
            };
            out.push(hex_digit(nibble as u8));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Piece;

    #[test]
    fn pieces_read_as_format_would_write_them() {
        for n in [0i64, 7, -7, 10, -10, 1234567890, i64::MIN, i64::MAX] {
            assert_eq!(n.text(), format!("{n}"));
        }
        for n in [0u64, 9, 10, 99, 100, u64::MAX] {
            assert_eq!(n.text(), format!("{n}"));
        }
        assert_eq!(i32::MIN.text(), i32::MIN.to_string());
        assert_eq!(255u8.text(), "255");
        assert_eq!(usize::MAX.text(), usize::MAX.to_string());
        let what = "count";
        assert_eq!(
            crate::text!(what, " must be from ", -1i32, " to ", 5u32, '.'),
            "count must be from -1 to 5."
        );
        assert_eq!(crate::text!(String::from("a"), "b"), "ab");
        for (h, n) in [
            ("a://b", "://"),
            ("", "x"),
            ("abc", ""),
            ("ab", "abc"),
            ("xxy", "xy"),
            ("é://", "://"),
        ] {
            assert_eq!(super::find(h, n), h.find(n), "{h:?} {n:?}");
        }
        for bytes in [
            &b"ok"[..],
            b"\xff",
            b"a\xe4\xbdb",
            b"\xf0\x9f\x98",
            b"\xed\xa0\x80x",
            b"\xc0\x80",
            "😀".as_bytes(),
        ] {
            assert_eq!(
                super::lossy(bytes),
                String::from_utf8_lossy(bytes),
                "{bytes:?}"
            );
        }
        for s in [
            "0",
            "+7",
            "4294967295",
            "4294967296",
            "-1",
            "",
            "x",
            "00012",
        ] {
            assert_eq!(super::u32_of(s), s.parse::<u32>().ok(), "{s:?}");
        }
        for (value, width) in [
            (0u64, 0),
            (0, 16),
            (0xab, 1),
            (0xab, 16),
            (u64::MAX, 16),
            (1 << 60, 4),
        ] {
            let hex = super::Hex { value, width };
            assert_eq!(hex.text(), format!("{value:0width$x}"));
        }
    }
}
