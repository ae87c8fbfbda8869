//! Whole-process benchmarks (issue #9, design §9): the command-line overhead of the app and of
//! the lean `rovo-mcp-setup-cli`, the bridge's memory once it listed the tools,
//! checking a credential and writing client configs beside what a person would run instead (the
//! MCP Inspector CLI, install-mcp and add-mcp, pinned in `bench/alternatives`), launch to first
//! paint of the wizard, tray-only memory, and the binary and installer sizes. With the criterion
//! results of `crates/core` it prints one Markdown table, the one the README quotes.
//!
//! Every process runs on a fresh temporary home, a private X display and session bus, and the
//! stand-in MCP server on loopback; nothing reaches another host. It asserts nothing about time.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports its numbers on stdout"
)]

use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use http::Method;
use rovo_e2e::repository_root;
use rovo_stand_in::{Grant, StandInServer};
use rovo_test_support::secret_service::SecretServiceSession;
use rovo_test_support::virtual_display::VirtualDisplay;
use tokio::runtime::Runtime;

const EMAIL: &str = "bench@example.com";
const TOKEN: &str = "ATATT3xFfGF0-benchmark-token_0123456789=ABCDEF12";
/// `Basic base64("bench@example.com:ATATT3xFfGF0-benchmark-token_0123456789=ABCDEF12")`.
const AUTHORIZATION: &str = "Basic YmVuY2hAZXhhbXBsZS5jb206QVRBVFQzeEZmR0YwLWJlbmNobWFyay10b2tlbl8wMTIzNDU2Nzg5PUFCQ0RFRjEy";
/// The variable the app reads the token from (`--token-env`).
const TOKEN_VARIABLE: &str = "ROVO_BENCH_TOKEN";
const SERVER_NAME: &str = "atlassian-rovo-mcp";

/// The clients that the app, install-mcp and add-mcp all support, as each of them names them,
/// with the folder whose presence makes each one "installed".
const SHARED_CLIENTS: [SharedClient; 7] = [
    SharedClient::new("cursor", "cursor", "cursor", ".cursor"),
    SharedClient::new("vscode", "vscode", "vscode", ".config/Code/User"),
    SharedClient::new("claude-code", "claude-code", "claude-code", ".claude"),
    SharedClient::new("codex", "codex", "codex", ".codex"),
    SharedClient::new("gemini-cli", "gemini-cli", "gemini-cli", ".gemini"),
    SharedClient::new("zed", "zed", "zed", ".config/zed"),
    SharedClient::new("opencode", "opencode", "opencode", ".config/opencode"),
];

/// Runs of each quick command; the median is reported.
const QUICK_RUNS: usize = 15;
/// Runs of each command that talks to the server or writes files.
const RUNS: usize = 7;
/// Launches of the window: the first warms the page cache, the rest are the warm starts.
const LAUNCHES: usize = 6;
/// How long a launched window may take to report its first paint.
const PAINT_DEADLINE: Duration = Duration::from_secs(60);
/// How long the tray-only process runs before its memory is read.
const TRAY_SETTLE: Duration = Duration::from_secs(3);
/// Delays per request for the check: none, and one like a distant server.
const LATENCIES_MS: [u64; 2] = [0, 300];

#[derive(Debug, Clone, Copy)]
struct SharedClient {
    ours: &'static str,
    install_mcp: &'static str,
    add_mcp: &'static str,
    folder: &'static str,
}

impl SharedClient {
    const fn new(
        ours: &'static str,
        install_mcp: &'static str,
        add_mcp: &'static str,
        folder: &'static str,
    ) -> Self {
        Self {
            ours,
            install_mcp,
            add_mcp,
            folder,
        }
    }
}

/// One line of the printed table.
#[derive(Debug)]
struct Row {
    what: String,
    ours: String,
    alternative: String,
}

impl Row {
    fn new(
        what: impl Into<String>,
        ours: impl Into<String>,
        alternative: impl Into<String>,
    ) -> Self {
        Self {
            what: what.into(),
            ours: ours.into(),
            alternative: alternative.into(),
        }
    }
}

/// Wall times of repeated runs.
#[derive(Debug)]
struct Samples(Vec<Duration>);

impl Samples {
    fn median(&self) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }

    /// `median ms (min–max)`.
    fn summary(&self) -> String {
        let min = self.0.iter().min().copied().unwrap_or_default();
        let max = self.0.iter().max().copied().unwrap_or_default();
        format!(
            "**{} ms** ({}–{})",
            self.median().as_millis(),
            min.as_millis(),
            max.as_millis()
        )
    }
}

/// What the benchmark runs and where it works.
struct Bench {
    app: PathBuf,
    /// The lean command-line executable beside the app.
    lean: PathBuf,
    alternatives: PathBuf,
    runtime: Runtime,
    keyring: SecretServiceSession,
}

fn main() -> anyhow::Result<()> {
    let root = repository_root();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    // `ROVO_APP_BIN`, as in the end-to-end tests, measures another build of the app.
    let app = std::env::var_os("ROVO_APP_BIN")
        .map_or_else(|| target.join("release/rovo-mcp-setup"), PathBuf::from);
    ensure!(
        app.exists(),
        "{} is missing: build it with `cargo build --release -p rovo-mcp-setup` (`make bench` does)",
        app.display()
    );
    let alternatives = root.join("bench/alternatives/node_modules/.bin");
    ensure!(
        alternatives.exists(),
        "{} is missing: run `npm --prefix bench/alternatives ci` (`make bench` does)",
        alternatives.display()
    );
    let lean = app.with_file_name("rovo-mcp-setup-cli");
    ensure!(
        lean.exists(),
        "{} is missing: build it with `cargo build --release -p rovo-mcp-setup-cli` (`make bench` does)",
        lean.display()
    );
    let bench = Bench {
        app,
        lean,
        alternatives,
        runtime: Runtime::new().context("starting a tokio runtime")?,
        keyring: SecretServiceSession::start()?,
    };

    let mut rows = Vec::new();
    rows.extend(bench.command_line_overhead()?);
    for program in [&bench.lean, &bench.app] {
        rows.push(bench.bridge_memory(program)?);
    }
    for latency_ms in LATENCIES_MS {
        rows.push(bench.checking(latency_ms)?);
    }
    rows.push(bench.writing()?);
    let display = VirtualDisplay::start()?;
    rows.push(bench.first_paint(&display)?);
    rows.push(bench.tray_memory(&display)?);
    drop(display);
    rows.extend(bench.sizes()?);
    rows.extend(criterion_rows(&target.join("criterion")));
    print_table(&rows);
    Ok(())
}

impl Bench {
    /// A fresh home folder with the shared clients' folders in it, so each counts as installed.
    fn home_with_clients() -> anyhow::Result<tempfile::TempDir> {
        let home = tempfile::tempdir().context("creating a temporary home")?;
        for client in SHARED_CLIENTS {
            let folder = home.path().join(client.folder);
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("creating {}", folder.display()))?;
        }
        Ok(home)
    }

    /// `program` with `home` as its whole world: no display, the private session bus, and no
    /// inherited folder or endpoint settings.
    fn command(&self, program: &Path, home: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(home)
            .env("HOME", home)
            .env("DBUS_SESSION_BUS_ADDRESS", self.keyring.bus_address())
            .env(TOKEN_VARIABLE, TOKEN)
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for inherited in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
            "CLAUDE_CONFIG_DIR",
            "CODEX_HOME",
            "COPILOT_HOME",
            "ROVO_MCP_ENDPOINT",
            "ROVO_MCP_POLICY",
        ] {
            command.env_remove(inherited);
        }
        command
    }

    fn alternative(&self, name: &str) -> PathBuf {
        self.alternatives.join(name)
    }

    /// Runs `command` to completion and returns its wall time; a failure is an error with its
    /// stderr, since a benchmark of a failing command measures nothing.
    fn timed(mut command: Command) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let program = Path::new(command.get_program()).display().to_string();
        let output = command
            .output()
            .with_context(|| format!("running {program}"))?;
        let elapsed = started.elapsed();
        ensure!(
            output.status.success(),
            "{program} {} exited with {}: {}",
            command
                .get_args()
                .map(|argument| argument.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(elapsed)
    }

    fn command_line_overhead(&self) -> anyhow::Result<Vec<Row>> {
        let home = tempfile::tempdir()?;
        let mut rows = Vec::new();
        for (what, args) in [
            ("`--version`", &["--version"][..]),
            (
                "`clients --json` (every client, empty home)",
                &["clients", "--json"][..],
            ),
        ] {
            let mut summaries = Vec::new();
            for program in [&self.lean, &self.app] {
                let samples = Samples(
                    (0..QUICK_RUNS)
                        .map(|_| {
                            let mut command = self.command(program, home.path());
                            command.args(args);
                            Self::timed(command)
                        })
                        .collect::<anyhow::Result<_>>()?,
                );
                summaries.push(format!("{}: {}", file_name(program), samples.summary()));
            }
            rows.push(Row::new(
                format!("Command-line overhead: {what}"),
                summaries.join("; "),
                "",
            ));
        }
        Ok(rows)
    }

    /// The memory of `program`'s bridge, as an AI client keeps it running all day: started
    /// with the credential in a variable, it answers `initialize` and lists the tools of the
    /// stand-in server, then its RSS and PSS are read.
    fn bridge_memory(&self, program: &Path) -> anyhow::Result<Row> {
        let server = self.server(0)?;
        let home = tempfile::tempdir()?;
        let mut command = self.command(program, home.path());
        command
            .args([
                "bridge",
                "--endpoint",
                server.url(),
                "--authorization-env",
                "ROVO_BENCH_AUTHORIZATION",
            ])
            .env("ROVO_BENCH_AUTHORIZATION", AUTHORIZATION)
            .stdin(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().context("starting the bridge")?;
        let mut stdin = child.stdin.take().context("the bridge's stdin")?;
        for line in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#,
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
        ] {
            writeln!(stdin, "{line}").context("writing to the bridge")?;
        }
        let stdout = child.stdout.take().context("the bridge's stdout")?;
        let listed = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains(r#""id":2"#) && line.contains(r#""tools""#));
        let proc = PathBuf::from(format!("/proc/{}", child.id()));
        let status = std::fs::read_to_string(proc.join("status"));
        let rollup = std::fs::read_to_string(proc.join("smaps_rollup"));
        drop(stdin);
        let _ = child.kill();
        let _ = child.wait();
        ensure!(
            listed,
            "{} bridge did not list the tools",
            file_name(program)
        );
        let rss = kib_field(&status.context("reading the bridge's status")?, "VmRSS:")?;
        let pss = kib_field(
            &rollup.context("reading the bridge's smaps_rollup")?,
            "Pss:",
        )?;
        Ok(Row::new(
            format!(
                "Bridge memory after listing the tools (`{} bridge`)",
                file_name(program)
            ),
            format!(
                "**{:.1} MB** RSS ({:.1} MB PSS)",
                kib_to_mb(rss),
                kib_to_mb(pss)
            ),
            "",
        ))
    }

    /// Starts a stand-in server that grants the benchmark credential everything.
    fn server(&self, latency_ms: u64) -> anyhow::Result<StandInServer> {
        self.runtime
            .block_on(
                StandInServer::builder()
                    .grant(AUTHORIZATION, Grant::FullScope)
                    .latency(Duration::from_millis(latency_ms))
                    .start(),
            )
            .map_err(anyhow::Error::from)
    }

    /// Runs `make_command` against a fresh server `RUNS` times: wall times, and the requests
    /// and sequential round trips (the session's `DELETE` left out) of the last run.
    fn against_server(
        &self,
        latency_ms: u64,
        make_command: impl Fn(&str, &Path) -> Command,
    ) -> anyhow::Result<(Samples, usize, usize)> {
        let mut wall = Vec::new();
        let mut requests = 0;
        let mut round_trips = 0;
        for _ in 0..RUNS {
            let server = self.server(latency_ms)?;
            let home = tempfile::tempdir()?;
            wall.push(Self::timed(make_command(server.url(), home.path()))?);
            requests = server
                .log()
                .requests()
                .iter()
                .filter(|request| request.http_method != Method::DELETE)
                .count();
            round_trips = server.log().sequential_exchanges(&Method::DELETE);
        }
        Ok((Samples(wall), requests, round_trips))
    }

    fn checking(&self, latency_ms: u64) -> anyhow::Result<Row> {
        let (ours, our_requests, our_round_trips) =
            self.against_server(latency_ms, |url, home| {
                let mut command = self.command(&self.app, home);
                command.args([
                    "validate",
                    "--auth",
                    "personal",
                    "--email",
                    EMAIL,
                    "--token-env",
                    TOKEN_VARIABLE,
                    "--endpoint",
                    url,
                    "--json",
                ]);
                command
            })?;
        let (inspector, inspector_requests, inspector_round_trips) =
            self.against_server(latency_ms, |url, home| {
                let mut command = self.command(&self.alternative("mcp-inspector"), home);
                command.args([
                    "--cli",
                    url,
                    "--transport",
                    "http",
                    "--method",
                    "tools/list",
                    "--header",
                    &format!("Authorization: {AUTHORIZATION}"),
                ]);
                command
            })?;
        // Without a delay, requests sent together can arrive one after the other and look
        // sequential; with one, what overlaps is plain in the server's log.
        let exchanges = |requests: usize, round_trips: usize| {
            if latency_ms > 0 {
                format!(", {requests} requests in {round_trips} round trips")
            } else {
                String::new()
            }
        };
        Ok(Row::new(
            format!("Check a credential, stand-in server on loopback, {latency_ms} ms per request"),
            format!(
                "`validate --json` (verdict, tools, account, sites): {}{}",
                ours.summary(),
                exchanges(our_requests, our_round_trips)
            ),
            format!(
                "MCP Inspector CLI `tools/list` (tools only): {}{}",
                inspector.summary(),
                exchanges(inspector_requests, inspector_round_trips)
            ),
        ))
    }

    fn writing(&self) -> anyhow::Result<Row> {
        let clients: Vec<&str> = SHARED_CLIENTS.iter().map(|client| client.ours).collect();
        let (ours, _, _) = self.against_server(0, |url, home| {
            let mut command = self.command(&self.app, home);
            command.args([
                "configure",
                "--auth",
                "personal",
                "--email",
                EMAIL,
                "--token-env",
                TOKEN_VARIABLE,
                "--endpoint",
                url,
                "--clients",
                &clients.join(","),
                "--yes",
                "--json",
            ]);
            command
        })?;
        let url = "http://127.0.0.1:8080/v1/mcp";
        let header = format!("Authorization: {AUTHORIZATION}");
        let add_mcp = Samples(
            (0..RUNS)
                .map(|_| {
                    let home = Self::home_with_clients()?;
                    let mut command = self.command(&self.alternative("add-mcp"), home.path());
                    command.args([url, "--global", "--yes", "--name", SERVER_NAME]);
                    command.args(["--transport", "http", "--header", &header]);
                    for client in SHARED_CLIENTS {
                        command.args(["--agent", client.add_mcp]);
                    }
                    let elapsed = Self::timed(command)?;
                    assert_written(home.path(), SHARED_CLIENTS.len(), "add-mcp")?;
                    Ok(elapsed)
                })
                .collect::<anyhow::Result<_>>()?,
        );
        // install-mcp takes one client per run.
        let install_mcp = Samples(
            (0..RUNS)
                .map(|_| {
                    let home = Self::home_with_clients()?;
                    let mut total = Duration::ZERO;
                    for client in SHARED_CLIENTS {
                        let mut command =
                            self.command(&self.alternative("install-mcp"), home.path());
                        command.args([url, "--client", client.install_mcp]);
                        command.args(["--name", SERVER_NAME, "--header", &header]);
                        command.args(["--oauth", "no", "--yes"]);
                        total += Self::timed(command)?;
                    }
                    assert_written(home.path(), SHARED_CLIENTS.len(), "install-mcp")?;
                    Ok(total)
                })
                .collect::<anyhow::Result<_>>()?,
        );
        Ok(Row::new(
            format!(
                "Write {} client configs ({}) on a temporary home",
                clients.len(),
                clients.join(", ")
            ),
            format!(
                "`configure --yes` (checks the credential first, stores it in the keychain, backs up, re-reads): {}",
                ours.summary()
            ),
            format!(
                "add-mcp, one process: {}; install-mcp, one process per client: {}",
                add_mcp.summary(),
                install_mcp.summary()
            ),
        ))
    }

    /// Launches the window `LAUNCHES` times with `ROVO_MCP_REPORT_FIRST_PAINT=exit`: the time
    /// from spawning the process to its report on stderr, and the time the app itself measured
    /// from `main`. The first launch only warms the page cache.
    fn first_paint(&self, display: &VirtualDisplay) -> anyhow::Result<Row> {
        let mut outside = Vec::new();
        let mut inside = Vec::new();
        for _ in 0..LAUNCHES {
            let home = tempfile::tempdir()?;
            let mut command = self.command(&self.app, home.path());
            command
                .env("DISPLAY", display.display())
                .env("ROVO_MCP_REPORT_FIRST_PAINT", "exit");
            let started = Instant::now();
            let mut child = command.spawn().context("launching the app")?;
            let reported = first_paint_report(&mut child);
            let painted = started.elapsed();
            let exited = wait_or_kill(&mut child, Duration::from_secs(10));
            let reported_ms = reported?;
            ensure!(
                exited?,
                "the app did not quit after reporting its first paint"
            );
            outside.push(painted);
            inside.push(Duration::from_millis(reported_ms));
        }
        let (outside, inside) = (Samples(outside.split_off(1)), Samples(inside.split_off(1)));
        Ok(Row::new(
            format!(
                "Launch to first paint of the wizard, warm start (median of {}, Xvfb)",
                LAUNCHES - 1
            ),
            format!(
                "{} from spawning the process; {} from `main`",
                outside.summary(),
                inside.summary()
            ),
            "",
        ))
    }

    /// Starts `--tray`, lets it settle, and reads its resident and proportional memory.
    fn tray_memory(&self, display: &VirtualDisplay) -> anyhow::Result<Row> {
        let home = tempfile::tempdir()?;
        let mut command = self.command(&self.app, home.path());
        command
            .arg("--tray")
            .env("DISPLAY", display.display())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = command.spawn().context("starting the app with --tray")?;
        std::thread::sleep(TRAY_SETTLE);
        let proc = PathBuf::from(format!("/proc/{}", child.id()));
        let status = std::fs::read_to_string(proc.join("status"));
        let rollup = std::fs::read_to_string(proc.join("smaps_rollup"));
        let still_running = child.try_wait()?.is_none();
        let _ = child.kill();
        let _ = child.wait();
        ensure!(
            still_running,
            "the tray-only app exited before its memory was read"
        );
        let rss = kib_field(
            &status.context("reading the tray process's status")?,
            "VmRSS:",
        )?;
        let pss = kib_field(
            &rollup.context("reading the tray process's smaps_rollup")?,
            "Pss:",
        )?;
        Ok(Row::new(
            format!(
                "Tray-only memory (`--tray`, {} s after start, Xvfb)",
                TRAY_SETTLE.as_secs()
            ),
            format!("**{} MB** RSS ({} MB PSS)", rss / 1024, pss / 1024),
            "",
        ))
    }

    /// The binaries' sizes, and the installers `make package` leaves beside them.
    fn sizes(&self) -> anyhow::Result<Vec<Row>> {
        let mut rows = Vec::new();
        for program in [&self.app, &self.lean] {
            let binary = std::fs::metadata(program)?.len();
            rows.push(Row::new(
                format!("Release binary `{}` (stripped)", file_name(program)),
                format!("**{}**", megabytes(binary)),
                "",
            ));
        }
        for (kind, folder) in [("`.deb`", "deb"), ("`.rpm`", "rpm")] {
            let folder = self.app.with_file_name("bundle").join(folder);
            let installer = std::fs::read_dir(&folder).ok().and_then(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| entry.metadata().ok())
                    .filter(std::fs::Metadata::is_file)
                    .map(|metadata| metadata.len())
                    .max()
            });
            rows.push(Row::new(
                format!("Installer {kind}"),
                installer.map_or_else(
                    || "not built (`make package` builds it)".to_owned(),
                    |bytes| format!("**{}**", megabytes(bytes)),
                ),
                "",
            ));
        }
        Ok(rows)
    }
}

/// Waits for the `first paint N ms` line on the child's stderr and returns N.
fn first_paint_report(child: &mut Child) -> anyhow::Result<u64> {
    let stderr = child
        .stderr
        .take()
        .context("the app's stderr is not piped")?;
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + PAINT_DEADLINE;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(left) {
            Ok(line) => {
                if let Some(ms) = line
                    .split_once("first paint ")
                    .and_then(|(_, rest)| rest.split_once(" ms"))
                    .and_then(|(ms, _)| ms.parse().ok())
                {
                    return Ok(ms);
                }
                seen.push(line);
            }
            Err(_) => bail!(
                "the app reported no first paint within {PAINT_DEADLINE:?}; its stderr: {}",
                seen.join("\n")
            ),
        }
    }
}

/// Waits up to `within` for the child to exit, and kills it if it does not; says whether it
/// exited by itself.
fn wait_or_kill(child: &mut Child, within: Duration) -> anyhow::Result<bool> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(true);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    Ok(false)
}

/// Checks that `tool` wrote our entry into `expected` files under `home`, so a benchmark of a
/// tool that silently did nothing is not reported as fast.
fn assert_written(home: &Path, expected: usize, tool: &str) -> anyhow::Result<()> {
    let mut written = 0;
    let mut folders = vec![home.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|text| text.contains(SERVER_NAME)) {
                written += 1;
            }
        }
    }
    ensure!(
        written >= expected,
        "{tool} wrote our entry into {written} files, not {expected}"
    );
    Ok(())
}

/// The number of kibibytes in the `field` line of a `/proc` file.
fn kib_field(text: &str, field: &str) -> anyhow::Result<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .with_context(|| format!("no {field} line"))
}

/// The medians criterion saved for the benchmarks of `crates/core` (`make bench` runs them
/// first), one row each, by benchmark id; none when they have not run.
fn criterion_rows(criterion: &Path) -> Vec<Row> {
    let mut estimates = Vec::new();
    let mut folders = vec![criterion.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
            if path.is_dir() {
                folders.push(path);
            } else if path.ends_with("new/estimates.json")
                && let Some(id) = path
                    .parent()
                    .and_then(Path::parent)
                    .and_then(|benchmark| benchmark.strip_prefix(criterion).ok())
                && let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
                && let Some(median) = json["median"]["point_estimate"].as_f64()
            {
                estimates.push((id.display().to_string(), median));
            }
        }
    }
    estimates.sort_by(|a, b| a.0.cmp(&b.0));
    estimates
        .into_iter()
        .map(|(id, nanoseconds)| {
            Row::new(
                format!("Criterion `{id}`"),
                format!("**{}** median", human_time(nanoseconds)),
                "",
            )
        })
        .collect()
}

/// Nanoseconds in the unit that keeps three significant digits readable.
fn file_name(program: &Path) -> String {
    program
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
}

#[expect(
    clippy::cast_precision_loss,
    reason = "a few thousand KiB, shown with one decimal"
)]
fn kib_to_mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn human_time(nanoseconds: f64) -> String {
    if nanoseconds >= 1e6 {
        format!("{:.2} ms", nanoseconds / 1e6)
    } else if nanoseconds >= 1e3 {
        format!("{:.2} µs", nanoseconds / 1e3)
    } else {
        format!("{nanoseconds:.0} ns")
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{}.{} MB", bytes / 1_000_000, bytes % 1_000_000 / 100_000)
}

fn print_table(rows: &[Row]) {
    println!("| what | Rovo MCP Setup | the alternative, same run |");
    println!("|---|---|---|");
    for row in rows {
        let alternative = if row.alternative.is_empty() {
            "—"
        } else {
            &row.alternative
        };
        println!("| {} | {} | {alternative} |", row.what, row.ours);
    }
}
