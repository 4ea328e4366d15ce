//! A minimal ZIP writer for the hourly history file: one entry, stored (not compressed), data
//! streamed to disk and its CRC-32 and sizes written into the local header afterwards. Every
//! unzip tool and ZIP library reads it. Entries stop short of 4 GiB (no ZIP64).

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

/// Largest entry: the 32-bit size fields of a ZIP without ZIP64 extensions.
pub(super) const MAX_ENTRY_BYTES: u64 = 0xFFFF_0000;

/// CRC-32 (IEEE, reflected), bit by bit: no table to index.
fn crc32_update(mut crc: u32, bytes: &[u8]) -> u32 {
    crc = !crc;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A ZIP file with one stored entry, written front to back.
pub(super) struct ZipEntryWriter {
    out: BufWriter<File>,
    name: Vec<u8>,
    crc: u32,
    size: u64,
    dos_time: u16,
    dos_date: u16,
}

impl ZipEntryWriter {
    /// Starts the entry `name`, dated `(year, month, day, hour)`.
    pub(super) fn new(file: File, name: &str, date: (i64, i64, i64, i64)) -> io::Result<Self> {
        let (y, mo, d, h) = date;
        let dos_date = u16::try_from(((y - 1980).clamp(0, 127) << 9) | (mo << 5) | d).unwrap_or(0);
        let dos_time = u16::try_from(h << 11).unwrap_or(0);
        let mut w = Self {
            out: BufWriter::new(file),
            name: name.as_bytes().to_vec(),
            crc: 0,
            size: 0,
            dos_time,
            dos_date,
        };
        w.local_header()?;
        Ok(w)
    }

    fn local_header(&mut self) -> io::Result<()> {
        let size = u32::try_from(self.size).unwrap_or(u32::MAX);
        let name_len = u16::try_from(self.name.len()).unwrap_or(u16::MAX);
        let o = &mut self.out;
        o.write_all(&0x0403_4b50u32.to_le_bytes())?;
        o.write_all(&10u16.to_le_bytes())?; // version needed: 1.0 (stored)
        o.write_all(&0x0800u16.to_le_bytes())?; // flags: UTF-8 name
        o.write_all(&0u16.to_le_bytes())?; // method: stored
        o.write_all(&self.dos_time.to_le_bytes())?;
        o.write_all(&self.dos_date.to_le_bytes())?;
        o.write_all(&self.crc.to_le_bytes())?;
        o.write_all(&size.to_le_bytes())?; // compressed size
        o.write_all(&size.to_le_bytes())?; // uncompressed size
        o.write_all(&name_len.to_le_bytes())?;
        o.write_all(&0u16.to_le_bytes())?; // extra length
        o.write_all(&self.name)
    }

    /// Appends `bytes` to the entry; false (and nothing written) once it would pass
    /// [`MAX_ENTRY_BYTES`].
    pub(super) fn append(&mut self, bytes: &[u8]) -> io::Result<bool> {
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if self.size.saturating_add(len) > MAX_ENTRY_BYTES {
            return Ok(false);
        }
        self.out.write_all(bytes)?;
        self.crc = crc32_update(self.crc, bytes);
        self.size += len;
        Ok(true)
    }

    /// Writes the sizes and CRC into the local header, then the central directory.
    pub(super) fn finish(mut self) -> io::Result<File> {
        let data_end = self.out.stream_position()?;
        self.out.seek(SeekFrom::Start(0))?;
        self.local_header()?;
        self.out.seek(SeekFrom::Start(data_end))?;
        let size = u32::try_from(self.size).unwrap_or(u32::MAX);
        let name_len = u16::try_from(self.name.len()).unwrap_or(u16::MAX);
        let cd_start = u32::try_from(data_end).unwrap_or(u32::MAX);
        let o = &mut self.out;
        o.write_all(&0x0201_4b50u32.to_le_bytes())?;
        o.write_all(&0x031Eu16.to_le_bytes())?; // made by: Unix, spec 3.0
        o.write_all(&10u16.to_le_bytes())?;
        o.write_all(&0x0800u16.to_le_bytes())?;
        o.write_all(&0u16.to_le_bytes())?;
        o.write_all(&self.dos_time.to_le_bytes())?;
        o.write_all(&self.dos_date.to_le_bytes())?;
        o.write_all(&self.crc.to_le_bytes())?;
        o.write_all(&size.to_le_bytes())?;
        o.write_all(&size.to_le_bytes())?;
        o.write_all(&name_len.to_le_bytes())?;
        o.write_all(&[0; 8])?; // extra, comment, disk number, internal attributes
        o.write_all(&0o100_644u32.wrapping_shl(16).to_le_bytes())?; // external: -rw-r--r--
        o.write_all(&0u32.to_le_bytes())?; // local header offset
        o.write_all(&self.name)?;
        let cd_size = u32::try_from(46 + self.name.len()).unwrap_or(u32::MAX);
        o.write_all(&0x0605_4b50u32.to_le_bytes())?;
        o.write_all(&[0; 4])?; // disk numbers
        o.write_all(&1u16.to_le_bytes())?;
        o.write_all(&1u16.to_le_bytes())?;
        o.write_all(&cd_size.to_le_bytes())?;
        o.write_all(&cd_start.to_le_bytes())?;
        o.write_all(&0u16.to_le_bytes())?; // comment length
        o.flush()?;
        self.out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_check_value() {
        assert_eq!(crc32_update(0, b"123456789"), 0xCBF4_3926);
        let split = crc32_update(crc32_update(0, b"12345"), b"6789");
        assert_eq!(split, 0xCBF4_3926);
    }

    #[test]
    fn a_written_entry_has_its_sizes_in_both_headers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.zip");
        let mut w =
            ZipEntryWriter::new(File::create(&path).unwrap(), "a.txt", (2024, 5, 6, 7)).unwrap();
        assert!(w.append(b"hello\n").unwrap());
        w.finish().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        assert_eq!(u32::from_le_bytes(bytes[18..22].try_into().unwrap()), 6);
        assert_eq!(&bytes[30..35], b"a.txt");
        assert_eq!(&bytes[35..41], b"hello\n");
        assert_eq!(&bytes[41..45], b"PK\x01\x02");
        assert_eq!(&bytes[bytes.len() - 22..bytes.len() - 18], b"PK\x05\x06");
    }
}
