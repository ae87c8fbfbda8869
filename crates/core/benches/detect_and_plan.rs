//! Design §9: detecting and planning every client must take under 20 ms on a warm disk. Each
//! client's config is seeded with another server's entry first, so the plan edits a real file
//! (JSONC, TOML or YAML) and computes its diff. Run with `make bench`; it asserts nothing
//! about time.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rovo_mcp_core::domain::clients::{
    self, ALL, ClientEnvironment, DEFAULT_ENDPOINT, DEFAULT_SERVER_NAME, EntrySettings, Os,
    plan_configure,
};

const AUTHORIZATION: &str = "Basic YmVuY2hAZXhhbXBsZS5jb206QVRBVFQzeGJlbmNo";

fn settings(name: &'static str, client: &clients::Client) -> EntrySettings<'static> {
    EntrySettings {
        name,
        endpoint: DEFAULT_ENDPOINT,
        mode: client.modes()[0],
        authorization: AUTHORIZATION,
        bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
        keychain_carrier: clients::KeychainCarrier::Helper,
    }
}

/// What the wizard's clients step and `configure` do first: every client's state, then a plan
/// with its diff for each one that has a config file. Returns how many plans change a file.
fn detect_and_plan(environment: &ClientEnvironment) -> usize {
    let mut planned = 0;
    for client in ALL {
        let status = clients::status(client, environment, DEFAULT_SERVER_NAME);
        if status.config_path.is_some() {
            let plan = plan_configure(client, environment, &settings(DEFAULT_SERVER_NAME, client))
                .expect("every seeded config plans");
            planned += usize::from(!plan.diff().is_empty());
        }
    }
    planned
}

fn bench_detect_and_plan(criterion: &mut Criterion) {
    let root = tempfile::tempdir().expect("a temporary home");
    let home = root.path().join("home");
    std::fs::create_dir(&home).expect("the home folder");
    let environment = ClientEnvironment::new(Os::Linux, &home, []);
    for client in ALL {
        if client.config_path(&environment).is_some() {
            plan_configure(client, &environment, &settings("another-server", client))
                .and_then(|plan| plan.apply(root.path()))
                .expect("seeding a config with another server's entry");
        }
    }
    let planned = detect_and_plan(&environment);
    assert!(
        planned > 0,
        "the seeded configs must give the plans something to edit, or the benchmark measures nothing"
    );

    let mut group = criterion.benchmark_group("detect_and_plan");
    group.bench_function(
        format!("{}_clients_{planned}_with_a_config", ALL.len()),
        |bencher| bencher.iter(|| detect_and_plan(black_box(&environment))),
    );
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = bench_detect_and_plan
}
criterion_main!(benches);
