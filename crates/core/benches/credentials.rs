//! Cleaning what a person pasted into the credential field (design §2 step 2), for the inputs
//! the wizard sees: a bare scoped token with a trailing newline, a whole `Basic` header, a
//! base64 `email:token` pair, and the longest field accepted. Run with `make bench`; it asserts
//! nothing about time.

use std::hint::black_box;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, criterion_group, criterion_main};
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::{MAX_PASTED_BYTES, prepare_credential};
use rovo_mcp_core::domain::secrets::Secret;

const EMAIL: &str = "bench@example.com";
const TOKEN: &str = "ATATT3xFfGF0-benchmark-token_0123456789=ABCDEF12";

fn bench_cleaning(criterion: &mut Criterion) {
    let pair = STANDARD.encode(format!("{EMAIL}:{TOKEN}"));
    let inputs = [
        ("scoped_token_with_newline", format!("  {TOKEN}\n")),
        ("pasted_basic_header", format!("Basic {pair}")),
        ("pasted_base64_pair", pair.clone()),
        (
            "longest_accepted_field",
            format!("{TOKEN:<MAX_PASTED_BYTES$}"),
        ),
    ];
    let mut group = criterion.benchmark_group("credential_cleaning");
    for (name, pasted) in inputs {
        let pasted = Secret::new(pasted);
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                prepare_credential(AuthMethod::Personal, Some(EMAIL), black_box(&pasted))
                    .expect("every benchmark input is a usable credential")
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = bench_cleaning
}
criterion_main!(benches);
