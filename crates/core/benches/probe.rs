//! The probe against the stand-in Atlassian server on loopback (design §4 and §9): the time to
//! the full verdict (tool list, account and sites), with no delay and with a delay injected into
//! every request, where the number of sequential round trips dominates. Before timing, one
//! probe's requests are counted from the server's log (design §9: at most 3 sequential round
//! trips). Run with `make bench`; it asserts nothing about time.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports its numbers on stdout"
)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use http::Method;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::{Credential, prepare_credential};
use rovo_mcp_core::domain::probe::{Endpoint, ProbeOptions, Verdict, probe};
use rovo_mcp_core::domain::secrets::Secret;
use rovo_stand_in::{Grant, StandInServer};
use tokio::runtime::Runtime;

const EMAIL: &str = "bench@example.com";
const TOKEN: &str = "ATATT3xFfGF0-benchmark-token_0123456789=ABCDEF12";
/// How long the session's background `DELETE` may take after each timed probe.
const CLOSE_WITHIN: Duration = Duration::from_secs(1);

/// Runs one probe and returns the time to its verdict; the session's `DELETE` is awaited
/// afterwards, outside the time, as the CLI does before it exits.
async fn timed_probe(endpoint: &Endpoint, credential: &Credential) -> Duration {
    let started = Instant::now();
    let (report, session_close) =
        probe(endpoint, credential, &ProbeOptions::default(), &mut |_| {}).await;
    let elapsed = started.elapsed();
    assert_eq!(
        report.verdict,
        Verdict::Ok,
        "the stand-in grants full scope, so anything but `ok` means the benchmark measures a failure"
    );
    session_close.finish(CLOSE_WITHIN).await;
    elapsed
}

fn bench_probe(criterion: &mut Criterion) {
    let runtime = Runtime::new().expect("a tokio runtime");
    let credential = prepare_credential(AuthMethod::Personal, Some(EMAIL), &Secret::new(TOKEN))
        .expect("the benchmark credential is well formed");
    let authorization = credential.authorization().expose().to_owned();

    let mut group = criterion.benchmark_group("probe_to_full_verdict");
    for latency_ms in [0, 20] {
        let server = runtime
            .block_on(
                StandInServer::builder()
                    .grant(authorization.clone(), Grant::FullScope)
                    .latency(Duration::from_millis(latency_ms))
                    .start(),
            )
            .expect("the stand-in server starts on loopback");
        let endpoint = Endpoint::parse(server.url()).expect("the stand-in URL is an endpoint");

        // Without a delay, requests sent together can arrive one after the other and look
        // sequential; with one, what overlaps is plain in the server's log.
        if latency_ms > 0 {
            runtime.block_on(timed_probe(&endpoint, &credential));
            let requests = server.log().requests();
            println!(
                "probe with {latency_ms} ms per request: {} requests ({} DELETE), {} sequential round trips to the verdict",
                requests.len(),
                requests
                    .iter()
                    .filter(|request| request.http_method == Method::DELETE)
                    .count(),
                server.log().sequential_exchanges(&Method::DELETE)
            );
        }

        group.bench_function(format!("{latency_ms}ms_per_request"), |bencher| {
            bencher.iter_custom(|iterations| {
                runtime.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        total += timed_probe(&endpoint, &credential).await;
                    }
                    total
                })
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(20);
    targets = bench_probe
}
criterion_main!(benches);
