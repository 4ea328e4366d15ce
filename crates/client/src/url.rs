//! The URLs the engine asks the host to fetch or open (transport.md §2.3, §3.2, §3.4).

use im_wire::text;
use im_wire::text::hex_digit;

/// Percent-encodes like JavaScript's `encodeURIComponent`: everything except `A–Z a–z 0–9` and
/// `- _ . ! ~ * ' ( )` becomes `%XX` of its UTF-8 bytes (so `+ / =` become `%2B %2F %3D`).
pub fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4).to_ascii_uppercase());
            out.push(hex_digit(b).to_ascii_uppercase());
        }
    }
    out
}

/// `{scheme}{host}/{file}?appId=…&token=…&callBack=getServerEndpoint&v=…&r={now}` (§2.3). The
/// appKey travels raw, the token encoded.
pub(crate) fn navi_url(
    scheme: &str,
    host: &str,
    file: &str,
    app_key: &str,
    token: &str,
    sdk_version: &str,
    now_ms: u64,
) -> String {
    text!(
        scheme,
        host,
        "/",
        file,
        "?appId=",
        app_key,
        "&token=",
        encode_uri_component(token),
        "&callBack=getServerEndpoint&v=",
        sdk_version,
        "&r=",
        now_ms
    )
}

/// `{scheme}{host}/ping?r={ms}` (§3.2).
pub(crate) fn ping_url(scheme: &str, host: &str, r: u64) -> String {
    text!(scheme, host, "/ping?r=", r)
}

/// `{wsScheme}{host}/websocket?appId=…&token=…&sdkVer=…&apiVer=…` (§3.4).
pub(crate) fn websocket_url(
    ws_scheme: &str,
    host: &str,
    app_key: &str,
    token: &str,
    sdk_version: &str,
    api_ver: u64,
) -> String {
    text!(
        ws_scheme,
        host,
        "/websocket?appId=",
        app_key,
        "&token=",
        encode_uri_component(token),
        "&sdkVer=",
        sdk_version,
        "&apiVer=",
        api_ver
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_encoded_like_encode_uri_component() {
        // vectors.md U3.
        assert_eq!(encode_uri_component("tok+en/="), "tok%2Ben%2F%3D");
        assert_eq!(encode_uri_component("a b~*'()!é"), "a%20b~*'()!%C3%A9");
    }

    #[test]
    fn urls_match_the_captured_ones() {
        // vectors.md U4 and U7.
        assert_eq!(
            navi_url(
                "https://",
                "nav.cn.ronghub.com",
                "navi.js",
                "appkeyXYZ",
                "tok+en/=",
                "2.5.3",
                1_795_634_914_029
            ),
            "https://nav.cn.ronghub.com/navi.js?appId=appkeyXYZ&token=tok%2Ben%2F%3D&callBack=getServerEndpoint&v=2.5.3&r=1795634914029"
        );
        assert_eq!(
            websocket_url(
                "wss://",
                "cmp1.example.com",
                "appkeyXYZ",
                "tok+en/=",
                "2.5.3",
                272_054
            ),
            "wss://cmp1.example.com/websocket?appId=appkeyXYZ&token=tok%2Ben%2F%3D&sdkVer=2.5.3&apiVer=272054"
        );
        assert_eq!(
            ping_url("https://", "cmp1.example.com", 1_795_634_914_030),
            "https://cmp1.example.com/ping?r=1795634914030"
        );
    }
}
