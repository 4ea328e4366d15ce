//! Wire strings: UTF-8 out, UTF-8 or CESU-8 in (transport.md §4.3).
//!
//! The original client encodes each UTF-16 surrogate half as its own 3-byte sequence (CESU-8), and
//! its decoder mangles 4-byte UTF-8. We decode both forms correctly so emoji survive either way,
//! and encode standard UTF-8 unless a peer needs CESU-8 to read non-BMP characters.

/// How strings are written on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StringForm {
    /// Standard UTF-8 (4 bytes for a non-BMP character).
    #[default]
    Utf8,
    /// CESU-8: non-BMP characters as two 3-byte surrogate halves, byte-identical to what the
    /// original client sends, and the only form its decoder reads correctly.
    Cesu8,
}

/// Appends `s` to `out` in the given form.
pub fn encode_into(s: &str, form: StringForm, out: &mut Vec<u8>) {
    match form {
        StringForm::Utf8 => out.extend_from_slice(s.as_bytes()),
        StringForm::Cesu8 => {
            for c in s.chars() {
                let cp = u32::from(c);
                if cp < 0x1_0000 {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                } else {
                    let v = cp - 0x1_0000;
                    push_three(out, 0xD800 | (v >> 10));
                    push_three(out, 0xDC00 | (v & 0x3FF));
                }
            }
        }
    }
}

/// Number of bytes `s` takes in the given form.
pub fn encoded_len(s: &str, form: StringForm) -> usize {
    match form {
        StringForm::Utf8 => s.len(),
        // Each 4-byte UTF-8 sequence becomes two 3-byte halves.
        StringForm::Cesu8 => s.len() + 2 * s.chars().filter(|c| u32::from(*c) > 0xFFFF).count(),
    }
}

fn push_three(out: &mut Vec<u8>, unit: u32) {
    out.extend_from_slice(&[
        0xE0 | (unit >> 12) as u8,
        0x80 | ((unit >> 6) & 0x3F) as u8,
        0x80 | (unit & 0x3F) as u8,
    ]);
}

/// Decodes standard UTF-8 or CESU-8 (also mixed). On failure returns the offset of the first byte
/// that cannot start or continue a valid sequence; lone surrogates and overlong forms are invalid.
pub fn decode(bytes: &[u8]) -> Result<String, usize> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let (cp, len) = sequence(bytes, i)?;
        if (0xD800..0xDC00).contains(&cp) {
            // A high surrogate must be followed by a 3-byte low surrogate (CESU-8 pair).
            let next = i + len;
            let (low, len2) = sequence(bytes, next).map_err(|_| i)?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(i);
            }
            let c = 0x1_0000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            out.push(char::from_u32(c).ok_or(i)?);
            i = next + len2;
        } else {
            // Lone low surrogates fail here: char::from_u32 rejects U+DC00..U+DFFF.
            out.push(char::from_u32(cp).ok_or(i)?);
            i += len;
        }
    }
    Ok(out)
}

/// Reads one UTF-8 sequence (surrogate code points allowed) starting at `i`.
fn sequence(bytes: &[u8], i: usize) -> Result<(u32, usize), usize> {
    let b0 = *bytes.get(i).ok_or(i)?;
    let (len, init, min) = match b0 {
        0x00..=0x7F => return Ok((u32::from(b0), 1)),
        0xC2..=0xDF => (2, u32::from(b0 & 0x1F), 0x80),
        0xE0..=0xEF => (3, u32::from(b0 & 0x0F), 0x800),
        0xF0..=0xF4 => (4, u32::from(b0 & 0x07), 0x1_0000),
        _ => return Err(i),
    };
    let mut cp = init;
    for k in 1..len {
        match bytes.get(i + k) {
            Some(&b) if b & 0xC0 == 0x80 => cp = (cp << 6) | u32::from(b & 0x3F),
            _ => return Err(i + k),
        }
    }
    if cp < min || cp > 0x10_FFFF {
        return Err(i);
    }
    Ok((cp, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cesu(s: &str) -> Vec<u8> {
        let mut v = Vec::new();
        encode_into(s, StringForm::Cesu8, &mut v);
        v
    }

    #[test]
    fn s1_non_bmp_encodes_as_surrogate_halves_in_cesu8() {
        assert_eq!(cesu("\u{1F600}"), [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]);
        assert_eq!(encoded_len("\u{1F600}", StringForm::Cesu8), 6);
    }

    #[test]
    fn utf8_form_writes_four_bytes_for_non_bmp() {
        let mut v = Vec::new();
        encode_into("\u{1F600}", StringForm::Utf8, &mut v);
        assert_eq!(v, [0xf0, 0x9f, 0x98, 0x80]);
    }

    #[test]
    fn s2_nul_is_a_plain_zero_byte() {
        assert_eq!(cesu("\0"), [0x00]);
    }

    #[test]
    fn s3_cjk_is_three_bytes_per_character() {
        assert_eq!(cesu("用户"), [0xe7, 0x94, 0xa8, 0xe6, 0x88, 0xb7]);
    }

    #[test]
    fn s4_to_s7_decode_two_three_cesu_and_four_byte_forms() {
        assert_eq!(decode(&[0xc3, 0xa9]).unwrap(), "é");
        assert_eq!(decode(&[0xe7, 0x94, 0xa8]).unwrap(), "用");
        assert_eq!(
            decode(&[0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]).unwrap(),
            "\u{1F600}"
        );
        // The original client yields U+F600 here; a correct decoder yields U+1F600.
        assert_eq!(decode(&[0xf0, 0x9f, 0x98, 0x80]).unwrap(), "\u{1F600}");
    }

    #[test]
    fn s8_s9_stray_continuation_and_ff_are_errors_not_nul_or_latin1() {
        assert_eq!(decode(&[0x61, 0x80]), Err(1));
        assert_eq!(decode(&[0xff]), Err(0));
    }

    #[test]
    fn lone_and_reversed_surrogates_are_rejected() {
        assert_eq!(decode(&[0xed, 0xa0, 0xbd]), Err(0));
        assert_eq!(decode(&[0xed, 0xa0, 0xbd, 0x41]), Err(0));
        assert_eq!(decode(&[0xed, 0xb8, 0x80]), Err(0));
        assert_eq!(decode(&[0xed, 0xb8, 0x80, 0xed, 0xa0, 0xbd]), Err(0));
    }

    #[test]
    fn overlong_and_out_of_range_forms_are_rejected() {
        assert!(decode(&[0xc0, 0x80]).is_err());
        assert!(decode(&[0xe0, 0x80, 0x80]).is_err());
        assert!(decode(&[0xf4, 0x90, 0x80, 0x80]).is_err());
        assert!(decode(&[0xe7, 0x94]).is_err());
    }

    #[test]
    fn mixed_utf8_and_cesu8_decode_together() {
        let mut v = "é".as_bytes().to_vec();
        v.extend(cesu("\u{1F600}"));
        v.extend("\u{1F601}".as_bytes());
        assert_eq!(decode(&v).unwrap(), "é\u{1F600}\u{1F601}");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_string_round_trips_in_both_forms(s in ".*") {
            for form in [StringForm::Utf8, StringForm::Cesu8] {
                let mut v = Vec::new();
                encode_into(&s, form, &mut v);
                proptest::prop_assert_eq!(v.len(), encoded_len(&s, form));
                proptest::prop_assert_eq!(decode(&v).unwrap(), s.clone());
            }
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(b in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let _ = decode(&b);
        }
    }
}
