//! `im-server`: the RongIMLib 2.x compatible server.
//!
//! The navigation, WebSocket and Server API endpoints arrive with the server issues; for now the
//! binary only reports the protocol pieces it is built on.

fn main() {
    println!(
        "im-server {}: {} query topics known",
        env!("CARGO_PKG_VERSION"),
        im_wire::topic::QUERY_TOPICS.len()
    );
}
