//! Strict Server API authentication (configuration): a timestamp window and a nonce replay
//! cache on top of the signature check.

mod common;

use common::{api, api_signed, start};

#[tokio::test]
async fn strict_mode_refuses_stale_timestamps_and_repeated_nonces() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.api.strict = true).await;
    let now = (im_server::clock::wall_ms() / 1000).to_string();
    let call = |nonce: &'static str, ts: String| {
        let addr = server.addr;
        async move {
            api_signed(
                addr,
                "test-app-secret-0123456789",
                "/user/getToken.json",
                "userId=u",
                nonce,
                &ts,
            )
            .await
        }
    };
    assert_eq!(call("n1", now.clone()).await.0, 200);
    let (status, body) = call("n1", now.clone()).await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (401, Some(1004)),
        "replayed nonce"
    );
    assert_eq!(call("n2", now).await.0, 200);
    // The fixed, long-past timestamp the default helper sends is outside the window.
    assert_eq!(
        api(
            server.addr,
            "test-app-secret-0123456789",
            "/user/getToken.json",
            "userId=u"
        )
        .await
        .0,
        401
    );
    server.stop().await;
}
