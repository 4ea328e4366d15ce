//! A streaming `multipart/form-data` reader (RFC 7578): bytes go in as they arrive, parts come
//! out as a start (name, file name, content type), data pieces and an end. It holds at most
//! one delimiter's length of a part's data and [`MAX_HEADERS`] bytes of a part's headers, so a
//! large file passes through without being held.

/// Most bytes of one part's header block.
pub const MAX_HEADERS: usize = 8 * 1024;
/// Longest boundary accepted (RFC 2046 allows 70).
const MAX_BOUNDARY: usize = 200;

/// What the reader found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A part begins.
    Part {
        /// `name` of its Content-Disposition.
        name: String,
        /// `filename`, if given.
        file_name: Option<String>,
        /// Its Content-Type, if given.
        content_type: Option<String>,
    },
    /// Bytes of the current part.
    Data(Vec<u8>),
    /// The current part ended.
    PartEnd,
}

/// Why a body is not a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Preamble,
    AfterDelimiter,
    Headers,
    Body,
    End,
}

/// The reader of one body.
#[derive(Debug)]
pub struct Reader {
    /// `CRLF--boundary`.
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    at: At,
}

/// The boundary of a `multipart/form-data` Content-Type, if it is one.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = split_params(content_type).into_iter();
    let kind = params.next()?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| param(&p, "boundary"))
        .find(|b| !b.is_empty() && b.len() <= MAX_BOUNDARY)
}

/// `a; b="c;d"; e` → `["a", " b=\"c;d\"", " e"]`: splits on `;` outside quotes.
fn split_params(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for ch in s.chars() {
        match ch {
            _ if escaped => {
                escaped = false;
                cur.push(ch);
            }
            '\\' if quoted => {
                escaped = true;
                cur.push(ch);
            }
            '"' => {
                quoted = !quoted;
                cur.push(ch);
            }
            ';' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    out
}

/// The value of parameter `name` in `p` (`name=value` or `name="value"`).
fn param(p: &str, name: &str) -> Option<String> {
    let (k, v) = p.split_once('=')?;
    if !k.trim().eq_ignore_ascii_case(name) {
        return None;
    }
    let v = v.trim();
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut escaped = false;
            for ch in inner.chars() {
                if !escaped && ch == '\\' {
                    escaped = true;
                } else {
                    escaped = false;
                    out.push(ch);
                }
            }
            Some(out)
        }
        None => Some(v.to_owned()),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(i) = hay.get(from..)?.iter().position(|&b| b == first) {
        let at = from + i;
        let end = at + 1 + rest.len();
        match hay.get(at + 1..end) {
            Some(tail) if tail == rest => return Some(at),
            // The needle may continue in bytes not yet here.
            None if hay.get(at + 1..).is_some_and(|t| rest.starts_with(t)) => return None,
            _ => from = at + 1,
        }
    }
    None
}

fn part_start(headers: &[u8]) -> Result<Event, Malformed> {
    let text = std::str::from_utf8(headers).map_err(|_| Malformed("part headers not UTF-8"))?;
    let mut name = None;
    let mut file_name = None;
    let mut content_type = None;
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let (k, v) = line
            .split_once(':')
            .ok_or(Malformed("bad part header line"))?;
        let k = k.trim();
        if k.eq_ignore_ascii_case("content-disposition") {
            let params = split_params(v);
            let mut params = params.iter();
            let kind = params.next().map(|s| s.trim().to_ascii_lowercase());
            if kind.as_deref() != Some("form-data") {
                return Err(Malformed("part is not form-data"));
            }
            for p in params {
                if let Some(n) = param(p, "name") {
                    name = Some(n);
                } else if let Some(f) = param(p, "filename") {
                    file_name = Some(f);
                }
            }
        } else if k.eq_ignore_ascii_case("content-type") {
            content_type = Some(v.trim().to_owned());
        }
    }
    Ok(Event::Part {
        name: name.ok_or(Malformed("part without a name"))?,
        file_name,
        content_type,
    })
}

impl Reader {
    /// A reader for parts separated by `boundary`.
    pub fn new(boundary: &str) -> Self {
        let mut delimiter = b"\r\n--".to_vec();
        delimiter.extend_from_slice(boundary.as_bytes());
        Self {
            delimiter,
            // The first delimiter may open the body without a line break before it.
            buf: b"\r\n".to_vec(),
            at: At::Preamble,
        }
    }

    /// Whether the closing delimiter was read.
    pub fn finished(&self) -> bool {
        self.at == At::End
    }

    /// Reads `data` and appends what it completes to `out`.
    pub fn feed(&mut self, data: &[u8], out: &mut Vec<Event>) -> Result<(), Malformed> {
        if self.at == At::End {
            return Ok(());
        }
        self.buf.extend_from_slice(data);
        let keep = self.delimiter.len().saturating_sub(1);
        loop {
            match self.at {
                At::Preamble => match find(&self.buf, &self.delimiter) {
                    Some(i) => {
                        self.buf.drain(..i + self.delimiter.len());
                        self.at = At::AfterDelimiter;
                    }
                    None => {
                        let cut = self.buf.len().saturating_sub(keep);
                        self.buf.drain(..cut);
                        return Ok(());
                    }
                },
                At::AfterDelimiter => {
                    // Transport padding (spaces, tabs) may follow a delimiter.
                    let pad = self
                        .buf
                        .iter()
                        .take_while(|&&b| b == b' ' || b == b'\t')
                        .count();
                    match self.buf.get(pad..pad + 2) {
                        None if self.buf.len() > 256 => return Err(Malformed("bad delimiter")),
                        None => return Ok(()),
                        Some(b"--") => {
                            self.at = At::End;
                            self.buf.clear();
                            return Ok(());
                        }
                        Some(b"\r\n") => {
                            self.buf.drain(..pad + 2);
                            self.at = At::Headers;
                        }
                        Some(_) => return Err(Malformed("bad delimiter")),
                    }
                }
                At::Headers => {
                    // A part without headers starts with its blank line.
                    let end = if self.buf.starts_with(b"\r\n") {
                        Some((0, 2))
                    } else {
                        find(&self.buf, b"\r\n\r\n").map(|i| (i, i + 4))
                    };
                    match end {
                        Some((i, skip)) if i <= MAX_HEADERS => {
                            out.push(part_start(self.buf.get(..i).unwrap_or_default())?);
                            self.buf.drain(..skip);
                            self.at = At::Body;
                        }
                        Some(_) => return Err(Malformed("part headers too long")),
                        None if self.buf.len() > MAX_HEADERS + 4 => {
                            return Err(Malformed("part headers too long"))
                        }
                        None => return Ok(()),
                    }
                }
                At::Body => match find(&self.buf, &self.delimiter) {
                    Some(i) => {
                        if i > 0 {
                            out.push(Event::Data(self.buf.drain(..i).collect()));
                        }
                        self.buf.drain(..self.delimiter.len());
                        out.push(Event::PartEnd);
                        self.at = At::AfterDelimiter;
                    }
                    None => {
                        let cut = self.buf.len().saturating_sub(keep);
                        if cut > 0 {
                            out.push(Event::Data(self.buf.drain(..cut).collect()));
                        }
                        return Ok(());
                    }
                },
                At::End => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &[u8], chunk: usize) -> Result<Vec<Event>, Malformed> {
        let mut r = Reader::new("XyZ");
        let mut out = Vec::new();
        for piece in body.chunks(chunk.max(1)) {
            r.feed(piece, &mut out)?;
        }
        if !r.finished() {
            return Err(Malformed("truncated"));
        }
        // Merge data pieces so that chunk sizes compare equal.
        let mut merged: Vec<Event> = Vec::new();
        for e in out {
            match (merged.last_mut(), e) {
                (Some(Event::Data(a)), Event::Data(b)) => a.extend(b),
                (_, e) => merged.push(e),
            }
        }
        Ok(merged)
    }

    const BODY: &[u8] =
        b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n\
abc\r\n--XyZ  \r\ncontent-disposition: form-data; name=\"file\"; filename=\"a;b.png\"\r\n\
Content-Type: image/png\r\n\r\n\r\n--Xy\r\n-\x00\xff\r\n--XyZ--\r\nepilogue";

    #[test]
    fn parts_come_out_the_same_whatever_the_chunk_size() {
        let want = vec![
            Event::Part {
                name: "token".into(),
                file_name: None,
                content_type: None,
            },
            Event::Data(b"abc".to_vec()),
            Event::PartEnd,
            Event::Part {
                name: "file".into(),
                file_name: Some("a;b.png".into()),
                content_type: Some("image/png".into()),
            },
            Event::Data(b"\r\n--Xy\r\n-\x00\xff".to_vec()),
            Event::PartEnd,
        ];
        for chunk in [1, 2, 3, 5, 7, 64, 4096] {
            assert_eq!(parse(BODY, chunk), Ok(want.clone()), "chunk {chunk}");
        }
    }

    #[test]
    fn truncated_or_garbled_bodies_are_errors_not_panics() {
        for cut in 0..BODY.len() - 12 {
            assert!(
                parse(BODY.get(..cut).unwrap_or_default(), 3).is_err(),
                "cut {cut}"
            );
        }
        assert!(parse(b"--XyZ\r\nNo-Colon\r\n\r\nx\r\n--XyZ--", 4).is_err());
        assert!(parse(
            b"--XyZ\r\nContent-Disposition: attachment\r\n\r\nx\r\n--XyZ--",
            4
        )
        .is_err());
        assert!(parse(b"--XyZjunk", 4).is_err());
        let long = [b"--XyZ\r\nA: ".as_slice(), &[b'a'; MAX_HEADERS + 10]].concat();
        assert_eq!(parse(&long, 100), Err(Malformed("part headers too long")));
    }

    #[test]
    fn the_boundary_is_read_from_the_content_type() {
        assert_eq!(
            boundary("multipart/form-data; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(
            boundary("Multipart/Form-Data;boundary=xyz").as_deref(),
            Some("xyz")
        );
        assert_eq!(boundary("application/json; boundary=x"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }
}
