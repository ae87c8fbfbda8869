//! Design §9: detecting and planning every client must take under 20 ms on a warm disk. Each
//! client's config is seeded with another server's entry first, so the plan edits a real file.
//! Run with `make bench`; it prints the timing and asserts nothing about it.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports its numbers on stdout"
)]

use std::time::{Duration, Instant};

use rovo_mcp_core::clients::{
    self, ALL, ClientEnvironment, DEFAULT_ENDPOINT, DEFAULT_SERVER_NAME, EntrySettings, Os,
    plan_configure,
};

const AUTHORIZATION: &str = "Basic YmVuY2hAZXhhbXBsZS5jb206QVRBVFQzeGJlbmNo";
const ROUNDS: usize = 50;

fn settings(name: &'static str, client: &clients::Client) -> EntrySettings<'static> {
    EntrySettings {
        name,
        endpoint: DEFAULT_ENDPOINT,
        mode: client.modes()[0],
        authorization: AUTHORIZATION,
        bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
    }
}

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

fn main() {
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
    let mut timings: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            detect_and_plan(&environment);
            started.elapsed()
        })
        .collect();
    timings.sort();
    println!(
        "detect + plan of {} clients ({planned} with a config to edit): median {:?}, slowest {:?} over {ROUNDS} rounds",
        ALL.len(),
        timings[ROUNDS / 2],
        timings[ROUNDS - 1]
    );
}
