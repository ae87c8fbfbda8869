//! Benchmark: how many requests and sequential round trips an MCP client needs against the
//! stand-in server, and how long it takes, with a delay injected into every request.
//!
//! ```text
//! cargo run -p rovo-test-support --example round_trips -- LATENCY_MS RUNS COMMAND ARGS...
//! ```
//! In the command, `{url}` becomes the server's endpoint and `{authorization}` the granted
//! `Authorization` value; the token is also in `$ROVO_BENCH_TOKEN` and the email in
//! `$ROVO_BENCH_EMAIL`. Each run gets a fresh server; one line per run is printed to stderr.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::Method;
use rovo_test_support::mcp_server::{Grant, TestMcpServer};

const EMAIL: &str = "bench@example.com";
const TOKEN: &str = "ATATT3xFfGF0-benchmark-token_0123456789=ABCDEF12";
/// `Basic base64("bench@example.com:ATATT3xFfGF0-benchmark-token_0123456789=ABCDEF12")`.
const AUTHORIZATION: &str = "Basic YmVuY2hAZXhhbXBsZS5jb206QVRBVFQzeEZmR0YwLWJlbmNobWFyay10b2tlbl8wMTIzNDU2Nzg5PUFCQ0RFRjEy";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: round_trips LATENCY_MS RUNS COMMAND ARGS...";
    let latency =
        Duration::from_millis(args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?);
    let runs: u32 = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    let command: Vec<String> = args.collect();
    anyhow::ensure!(!command.is_empty(), usage);

    for run in 1..=runs {
        let server = TestMcpServer::builder()
            .grant(AUTHORIZATION, Grant::FullScope)
            .latency(latency)
            .start()
            .await?;
        let words: Vec<String> = command
            .iter()
            .map(|word| {
                word.replace("{url}", server.url())
                    .replace("{authorization}", AUTHORIZATION)
            })
            .collect();
        let started = Instant::now();
        let output = tokio::task::spawn_blocking(move || {
            Command::new(&words[0])
                .args(&words[1..])
                .env("ROVO_BENCH_TOKEN", TOKEN)
                .env("ROVO_BENCH_EMAIL", EMAIL)
                .stderr(Stdio::null())
                .output()
        })
        .await??;
        let wall = started.elapsed();
        // `validate --json` reports the probe's own time; the rest of the wall time is the
        // process around it.
        let probe_ms = serde_json::from_slice::<serde_json::Value>(&output.stdout)
            .ok()
            .and_then(|report| report["timings"]["totalMs"].as_u64())
            .map_or_else(String::new, |total| format!(" (probe {total} ms)"));
        let requests = server.log().requests();
        let deletes = requests
            .iter()
            .filter(|request| request.http_method == Method::DELETE)
            .count();
        let methods: Vec<String> = requests
            .iter()
            .map(|request| {
                request
                    .rpc_method
                    .clone()
                    .unwrap_or_else(|| request.http_method.to_string())
            })
            .collect();
        eprintln!(
            "run {run}: exit {} wall {} ms{probe_ms}, {} requests ({deletes} DELETE), {} sequential round trips: {}",
            output.status.code().unwrap_or(-1),
            wall.as_millis(),
            requests.len(),
            server.log().sequential_exchanges(&Method::DELETE),
            methods.join(", ")
        );
    }
    Ok(())
}
