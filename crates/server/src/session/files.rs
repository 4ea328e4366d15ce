//! File topics (api.md §3.8), target = self: `qnTkn` hands out an upload token for a file type
//! and `qnUrl` the download URL of a key, both for this server's own file service
//! ([`crate::files`]).

use im_wire::frame::Query;
use im_wire::proto::{GetQNdownloadUrlOutput, GetQNupTokenOutput};
use im_wire::{topic, ErrorCode};

use super::query::{invalid, request, Reply};
use super::{code, Session};

impl Session {
    /// The file type of a request, 1–4, else 41001 (QNTKN_FILETYPE_ERROR, the client's own
    /// code for it).
    fn file_type(&self, t: i32) -> Result<i32, u16> {
        if self.state.files.config.limit(t).is_some() {
            Ok(t)
        } else {
            Err(code(ErrorCode::QNTKN_FILETYPE_ERROR))
        }
    }

    /// `qnTkn` (`GetQNupTokenInput{type}`) → `GetQNupTokenOutput{deadline (ms), token}`.
    pub(super) fn file_token(&self, q: &Query) -> Reply {
        let t = self.file_type(request(topic::FILE_TOKEN, q)?.r#type)?;
        let (deadline, token) = self
            .state
            .files
            .token(&self.user, t, crate::clock::wall_ms());
        Ok(topic::FILE_TOKEN.encode_reply(&GetQNupTokenOutput { deadline, token }))
    }

    /// `qnUrl` (`GetQNdownloadUrlInput{type, key, fileName?}`) → `{downloadUrl}`; the URL
    /// names `fileName` as the attachment name when given. The file need not exist yet.
    pub(super) fn file_url(&self, q: &Query) -> Reply {
        let input = request(topic::FILE_URL, q)?;
        self.file_type(input.r#type)?;
        if !crate::files::valid_key(&input.key) {
            return Err(invalid());
        }
        let name = input.file_name.filter(|n| n.len() <= 1024);
        let download_url = self.state.files.url(&input.key, name.as_deref());
        Ok(topic::FILE_URL.encode_reply(&GetQNdownloadUrlOutput { download_url }))
    }
}
