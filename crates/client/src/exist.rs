//! `hasRemoteUnreadMessages(token)` (api.md §3.3): an HTTP GET of
//! `{api}/message/exist.js?appKey=…&token=…&callBack=RCCallback&_={now}`, answered with JSONP
//! `RCCallback({"status":N})`; the app learns `N != 0`. It needs no connection: an app asks it
//! before it connects, with the token it would connect with.

use im_wire::text;
use im_wire::value::Value;

use crate::engine::Engine;
use crate::navi::parse_body;
use crate::output::{Reply, RequestError, RequestId};
use crate::url::encode_uri_component;

/// 2.x's `ErrorCode.UNKNOWN` (−2): what 2.5.3 passes when the script fails to load.
const UNKNOWN: i32 = im_wire::ErrorCode::UNKNOWN.value();

impl Engine {
    /// `hasRemoteUnreadMessages(token)`: completes with [`Reply::Status`], the server's `status`
    /// (non-zero: messages wait), or fails with `UNKNOWN` when the server cannot be asked.
    pub fn has_remote_unread(&mut self, now_ms: u64, token: &str) -> RequestId {
        let url = text!(
            self.config.http_scheme(),
            self.config.api_host(),
            "/message/exist.js?appKey=",
            encode_uri_component(&self.config.app_key),
            "&token=",
            encode_uri_component(token),
            "&callBack=RCCallback&_=",
            now_ms
        );
        let id = self.out.http_get(url);
        self.exist_checks.push(id);
        id
    }

    /// The answer to a [`Engine::has_remote_unread`] request; `false` when `id` is not one.
    pub(crate) fn exist_response(&mut self, id: RequestId, status: u16, body: &str) -> bool {
        let Some(at) = self.exist_checks.iter().position(|&c| c == id) else {
            return false;
        };
        self.exist_checks.swap_remove(at);
        let body = (status == 200).then(|| parse_body(body)).flatten();
        let found = body
            .as_ref()
            .and_then(|v| v.get("status"))
            .and_then(status_of);
        let result = match (found, body.as_ref().and_then(|v| v.get("code"))) {
            (Some(status), _) => Ok(Reply::Status { status }),
            (None, Some(code)) => Err(RequestError::with_reason(
                UNKNOWN,
                // Written by json_out, as Value's Display would (which links a second writer).
                text!(
                    "message/exist answered code ",
                    im_wire::json_out::text(code)
                ),
            )),
            (None, None) => Err(RequestError::with_reason(
                UNKNOWN,
                text!("message/exist answered HTTP ", status, " without a status"),
            )),
        };
        self.complete(id, result);
        true
    }
}

/// `x.status` as 2.5.3 reads it (`!!+x.status`): a number, or a string holding one; reduced to
/// 0 or 1. (A string is read with the JSON number parser: `str::parse::<f64>` would add its
/// tables to the wasm.)
fn status_of(v: &Value) -> Option<i32> {
    let number = |n: &im_wire::value::Number| im_wire::json::number_f64(n);
    let n = match v {
        Value::Number(n) => number(n)?,
        Value::String(s) if s.trim_ascii().is_empty() => 0.0,
        Value::String(s) => match im_wire::json::parse(s.trim_ascii()).ok()? {
            Value::Number(n) => number(&n)?,
            _ => return None,
        },
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => return None,
    };
    Some(i32::from(n != 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Event, Output};
    use crate::Config;

    fn engine(navi: &[&str], api: Option<&str>) -> Engine {
        let mut c = Config::new("key 1");
        c.navi_hosts = navi.iter().map(|h| (*h).to_owned()).collect();
        c.api_host = api.map(str::to_owned);
        c.secure = false;
        Engine::new(c)
    }

    fn get(e: &mut Engine) -> (RequestId, String) {
        match e.poll_output() {
            Output::HttpGet { id, url } => (id, url),
            other => panic!("expected an HTTP GET, got {other:?}"),
        }
    }

    fn completed(e: &mut Engine) -> Result<Reply, RequestError> {
        loop {
            match e.poll_output() {
                Output::Event {
                    event: Event::RequestCompleted { result, .. },
                } => return result,
                Output::Timeout { .. } => panic!("no completion"),
                _ => {}
            }
        }
    }

    #[test]
    fn asks_the_api_host_with_the_encoded_token_and_reads_the_jsonp_status() {
        let mut e = engine(&["127.0.0.1:8080"], None);
        let id = e.has_remote_unread(42, "t/k=");
        let (got, url) = get(&mut e);
        assert_eq!(got, id);
        assert_eq!(
            url,
            "http://127.0.0.1:8080/message/exist.js?appKey=key%201&token=t%2Fk%3D&callBack=RCCallback&_=42"
        );
        e.handle_http_response(50, id, 200, "RCCallback({\"status\":1});");
        assert_eq!(completed(&mut e), Ok(Reply::Status { status: 1 }));

        let id = e.has_remote_unread(60, "t");
        e.handle_http_response(61, id, 200, "RCCallback({\"status\":\"0\"})");
        assert_eq!(completed(&mut e), Ok(Reply::Status { status: 0 }));
    }

    #[test]
    fn the_api_option_wins_and_rongcloud_navigation_means_rongcloud_api() {
        let mut e = engine(&["nav.example.com"], Some("https://api.example.com/x"));
        e.has_remote_unread(1, "t");
        assert!(get(&mut e)
            .1
            .starts_with("http://api.example.com/message/exist.js?"));
        let mut e = engine(&crate::DEFAULT_NAVI_HOSTS, None);
        e.has_remote_unread(1, "t");
        assert!(get(&mut e)
            .1
            .starts_with("http://api.cn.ronghub.com/message/exist.js?"));
    }

    #[test]
    fn a_failed_or_unreadable_answer_is_error_unknown() {
        for (status, body) in [
            (0, ""),
            (500, "RCCallback({\"status\":1})"),
            (200, "nope"),
            (200, "RCCallback({\"code\":401});"),
        ] {
            let mut e = engine(&["h"], None);
            let id = e.has_remote_unread(1, "t");
            e.handle_http_response(2, id, status, body);
            assert_eq!(completed(&mut e).unwrap_err().code, UNKNOWN);
        }
    }
}
