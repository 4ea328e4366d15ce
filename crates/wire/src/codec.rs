//! Cursor-based reading and append-only writing of the fixed fields (transport.md §4.2–§4.3):
//! big-endian unsigned integers and u16-length-prefixed strings.

use crate::error::{DecodeError, EncodeError};
use crate::strings::{self, StringForm};

/// Reads fields from a frame body. Every read is bounds-checked and names its field on error.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, positioned at its start.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end.and_then(|e| self.buf.get(self.pos..e)) {
            Some(bytes) => {
                self.pos += n;
                Ok(bytes)
            }
            None => Err(DecodeError::Truncated {
                field,
                needed: n,
                available: self.remaining(),
            }),
        }
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    /// Reads one byte.
    pub fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(u8::from_be_bytes(self.array(field)?))
    }

    /// Reads a big-endian u16.
    pub fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    /// Reads a big-endian u32.
    pub fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    /// Reads a big-endian u64.
    pub fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }

    /// Reads a u16-length-prefixed string in UTF-8 or CESU-8.
    pub fn string(&mut self, field: &'static str) -> Result<String, DecodeError> {
        let len = usize::from(self.u16(field)?);
        let bytes = self.take(len, field)?;
        strings::decode(bytes).map_err(|at| DecodeError::InvalidUtf8 { field, at })
    }

    /// Takes everything left (the payload of PUBLISH, QUERY and QUERYACK).
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        rest
    }

    /// Fails if bytes remain after the last field of a fixed-size frame.
    pub fn finish(&self, frame: &'static str) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(DecodeError::TrailingBytes { frame, count }),
        }
    }
}

/// Appends fields to a frame being built.
#[derive(Debug)]
pub struct Writer {
    buf: Vec<u8>,
    form: StringForm,
}

impl Writer {
    /// A writer that encodes strings in `form`, with room for `capacity` bytes.
    pub fn new(form: StringForm, capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
            form,
        }
    }

    /// Appends one byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Appends a big-endian u16.
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Appends a big-endian u32.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Appends a big-endian u64.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Appends a u16-length-prefixed string, refusing strings longer than 65 535 bytes.
    pub fn string(&mut self, field: &'static str, s: &str) -> Result<(), EncodeError> {
        let len = strings::encoded_len(s, self.form);
        let prefix = u16::try_from(len).map_err(|_| EncodeError::StringTooLong { field, len })?;
        self.u16(prefix);
        strings::encode_into(s, self.form, &mut self.buf);
        Ok(())
    }

    /// Appends raw bytes.
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// The finished frame.
    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i1_to_i3_integer_fields_are_big_endian() {
        let mut r = Reader::new(&[0x5e, 0x0b, 0xe1, 0x00]);
        assert_eq!(r.u32("date").unwrap(), 1_577_836_800);
        let mut r = Reader::new(&[0x00, 0x00, 0x01, 0x6f, 0x5e, 0x66, 0xe8, 0x00]);
        assert_eq!(r.u64("timestamp").unwrap(), 1_577_836_800_000);
        let mut r = Reader::new(&[0x01, 0x2c]);
        assert_eq!(r.u16("millis").unwrap(), 300);
        assert!(r.is_empty());
    }

    #[test]
    fn i4_reading_past_the_end_is_a_truncation_error() {
        let mut r = Reader::new(&[0x01]);
        assert_eq!(
            r.u16("status"),
            Err(DecodeError::Truncated {
                field: "status",
                needed: 2,
                available: 1
            })
        );
    }

    #[test]
    fn a_string_length_past_the_end_is_reported() {
        let mut r = Reader::new(&[0x00, 0x05, b'a', b'b']);
        assert_eq!(
            r.string("topic"),
            Err(DecodeError::Truncated {
                field: "topic",
                needed: 5,
                available: 2
            })
        );
    }

    #[test]
    fn strings_over_65535_bytes_are_refused() {
        let mut w = Writer::new(StringForm::Utf8, 0);
        let long = "a".repeat(65_536);
        assert_eq!(
            w.string("targetId", &long),
            Err(EncodeError::StringTooLong {
                field: "targetId",
                len: 65_536
            })
        );
        assert!(w.string("targetId", &long[..65_535]).is_ok());
    }
}
