//! A second login of the same user kicks the first (DISCONNECT status 1).

mod common;

use common::{start, Client};
use im_wire::frame::Disconnect;
use im_wire::{ClientFrame, ServerFrame};

#[tokio::test]
async fn a_second_login_of_the_same_user_kicks_the_first_with_disconnect_1() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut first = Client::connect(&server, "alice").await;
    let mut second = Client::connect(&server, "alice").await;
    assert_eq!(
        first.recv().await,
        Some(ServerFrame::Disconnect(Disconnect { status: 1 }))
    );
    assert_eq!(first.recv().await, None, "the kicked connection is closed");
    second.send(ClientFrame::PingReq).await;
    assert_eq!(second.recv().await, Some(ServerFrame::PingResp));
    server.stop().await;
}
