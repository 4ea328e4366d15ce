//! `/metrics` in the Prometheus text format: served on the Server API's own address, on the
//! public one only with `metrics_public`, else 404; its counters move with connections,
//! messages and refusals.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;

use common::health::{assert_healthy, closed, connect_from};
use common::{http_get, start, text, Client, GUARD};

/// The samples of a scrape, by `name{labels}`; panics on a line that is not a comment or a
/// `name[{labels}] value` sample, or on a sample without a `# TYPE` line before it.
async fn scrape(addr: SocketAddr) -> HashMap<String, f64> {
    let res = http_get(addr, "/metrics").await;
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(
        res.contains("content-type: text/plain; version=0.0.4"),
        "{res}"
    );
    let body = res.split("\r\n\r\n").nth(1).unwrap();
    let mut typed = Vec::new();
    let mut samples = HashMap::new();
    for line in body.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            typed.push(name.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (key, value) = line.rsplit_once(' ').unwrap();
        let name = key.split('{').next().unwrap();
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .filter(|base| typed.iter().any(|t| t == base))
            .unwrap_or(name);
        assert!(typed.iter().any(|t| t == family), "no TYPE for {line}");
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        if let Some(labels) = key.strip_prefix(name) {
            // No labels, or `{k="v",…}` with plain label names.
            let well_formed = labels
                .strip_prefix('{')
                .and_then(|l| l.strip_suffix('}'))
                .is_some_and(|l| {
                    l.split(',').all(|pair| {
                        pair.split_once("=\"").is_some_and(|(k, v)| {
                            !k.is_empty()
                                && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                                && v.ends_with('"')
                        })
                    })
                });
            assert!(labels.is_empty() || well_formed, "{line}");
        }
        samples.insert(key.to_owned(), value.parse::<f64>().unwrap());
    }
    samples
}

#[tokio::test]
async fn metrics_on_the_api_address_parse_and_count_connections_messages_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.api_addr = Some("127.0.0.1:0".parse().unwrap());
        c.connections.max_per_ip = 2;
        c.connections.exempt_ips = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let admin = server.api_addr.unwrap();
    let before = scrape(admin).await;
    for key in [
        "im_connections_open",
        "im_connections_total",
        "im_messages_published_total",
        "im_connections_refused_total{reason=\"per_ip_cap\"}",
        "im_refusals_total{reason=\"header_timeout\"}",
        "im_outbound_queue_bytes",
        "im_store_batch_seconds_count{thread=\"write\"}",
        "im_store_batch_seconds_bucket{thread=\"read\",le=\"+Inf\"}",
    ] {
        assert!(before.contains_key(key), "{key} in {before:?}");
    }

    // Two users connect and exchange a message; a third connection from a capped address is
    // refused.
    assert_healthy(&server, "metrics").await;
    let _a = connect_from("127.0.0.3", server.addr).await;
    let _b = connect_from("127.0.0.3", server.addr).await;
    let c = connect_from("127.0.0.3", server.addr).await;
    tokio::time::timeout(GUARD, closed(c)).await.unwrap();
    // A send over 128 KB is refused and counted by its reason.
    let mut big = Client::connect(&server, "metrics-big").await;
    let ack = big
        .publish("ppMsgP", "metrics-peer", &text(&"x".repeat(140_000)))
        .await;
    assert_ne!(ack.status, 0);

    let after = scrape(admin).await;
    let grew = |key: &str| after[key] - before[key];
    assert!(grew("im_connections_total") >= 4.0, "{after:?}");
    assert!(grew("im_messages_published_total") >= 1.0, "{after:?}");
    assert!(grew("im_connections_refused_total{reason=\"per_ip_cap\"}") >= 1.0);
    assert!(grew("im_refusals_total{reason=\"per_ip_cap\"}") >= 1.0);
    assert!(grew("im_refusals_total{reason=\"content_too_large\"}") >= 1.0);
    assert!(after["im_connections_open"] >= 2.0, "the two held sockets");
    // Storing the message ran at least one batch on the writing thread, timed.
    assert!(grew("im_store_batch_seconds_count{thread=\"write\"}") >= 1.0);
    assert!(after["im_store_batch_seconds_sum{thread=\"write\"}"] > 0.0);
    assert!(after["im_outbound_queue_bytes"] >= 0.0);

    // The public port does not serve it.
    let public = http_get(server.addr, "/metrics").await;
    assert!(public.starts_with("HTTP/1.1 404"), "{public}");
    server.stop().await;
}

#[tokio::test]
async fn without_an_api_address_metrics_are_public_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let res = http_get(server.addr, "/metrics").await;
    assert!(res.starts_with("HTTP/1.1 404"), "{res}");
    server.stop().await;

    let server = start(dir.path(), |c| c.metrics_public = true).await;
    let samples = scrape(server.addr).await;
    assert!(
        samples["im_connections_open"] >= 1.0,
        "this scrape's own connection"
    );
    server.stop().await;
}
