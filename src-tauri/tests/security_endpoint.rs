//! The endpoint rule and proxies (issue 19, findings 1, 2, 4, 9 and the bridge's oversized
//! request line) through the real binary: the bridge refuses an endpoint the rule or the
//! policy refuses before it reads the keychain or sends anything; a proxy named in the
//! environment never sees loopback traffic; the bridge answers a request line larger than it
//! reads and goes on serving. Only loopback is ever reached: where a refused endpoint names
//! another host, every proxy variable points at a loopback listener that records what it is
//! sent, so even the code before the fix could reach nothing else.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use base64::Engine;
use rovo_stand_in::{Grant, StandInServer, Surface};
use rovo_test_support::leak_scan::{self, secret_forms};
use serde_json::{Value, json};

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";
const AUTHORIZATION_VARIABLE: &str = "ROVO_TEST_AUTHORIZATION";
/// How long a reply from the bridge may take.
const PATIENCE: Duration = Duration::from_secs(20);
/// Every spelling of the proxy variables reqwest reads.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
];

fn basic(email: &str, token: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{token}"))
    )
}

/// A loopback listener that records every byte it is sent, answers each connection with
/// `407` after a moment, and counts the connections: a stand-in for a proxy, or for a host
/// the credential must never reach.
struct Recorder {
    address: SocketAddr,
    received: Arc<Mutex<Vec<u8>>>,
    connections: Arc<AtomicUsize>,
}

impl Recorder {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (store, count) = (Arc::clone(&received), Arc::clone(&connections));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                stream
                    .set_read_timeout(Some(Duration::from_millis(300)))
                    .unwrap();
                let mut buffer = [0u8; 8192];
                while let Ok(read @ 1..) = stream.read(&mut buffer) {
                    store.lock().unwrap().extend_from_slice(&buffer[..read]);
                }
                let _answered = stream.write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        });
        Self {
            address,
            received,
            connections,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn received(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }

    #[track_caller]
    fn assert_untouched(&self, why: &str) {
        assert_eq!(
            self.connections.load(Ordering::SeqCst),
            0,
            "{why}: nothing connects here; it received: {}",
            self.received()
        );
    }
}

/// A temporary home with no keychain on the bus, and the environment of a run in it: nothing
/// of this machine's environment (its proxies above all) is passed on.
struct Home {
    folder: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("empty-policy.json"), "{}").unwrap();
        Self { folder }
    }

    fn path(&self) -> &Path {
        self.folder.path()
    }

    fn command(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
        command
            .args(arguments)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join(".config"))
            .env("XDG_DATA_HOME", self.path().join(".local/share"))
            // Any read of the keychain fails at once.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            // No policy but the ones the tests write, whatever this machine has.
            .env("ROVO_MCP_POLICY", self.path().join("empty-policy.json"))
            .envs(leak_scan::trace_logging());
        command
    }

    /// A policy file that locks `endpoint`, in force for every later run.
    fn lock_endpoint(&self, endpoint: &str) -> PathBuf {
        let path = self.path().join("policy.json");
        std::fs::write(&path, json!({ "endpoint": endpoint }).to_string()).unwrap();
        path
    }

    /// A credential on record at `endpoint`, its secret in the keychain (which is not there).
    fn record_setup(&self, endpoint: &str) {
        let folder = self.path().join(".config/com.rovomcpsetup.desktop");
        std::fs::create_dir_all(&folder).unwrap();
        let state = json!({
            "version": 1,
            "credential": {
                "auth": "personal",
                "email": EMAIL,
                "endpoint": endpoint,
                "keychainAccount": EMAIL,
                "expiresOn": null,
                "storedAt": "2026-01-01T00:00:00Z"
            },
            "lastCheck": null,
            "clients": [],
            "remindersSent": []
        });
        std::fs::write(folder.join("state.json"), state.to_string()).unwrap();
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        leak_scan::keep_app_files(self.folder.path());
    }
}

/// `validate --json` in `home` with `arguments`, `environment` added; its exit code, report
/// and stderr, checked for the secret.
fn validate(home: &Home, arguments: &[&str], environment: &[(&str, &str)]) -> (i32, Value, String) {
    let output = home
        .command(&["validate", "--json", "--auth", "personal", "--email", EMAIL])
        .args(["--token-env", TOKEN_VARIABLE])
        .args(arguments)
        .env(TOKEN_VARIABLE, TOKEN)
        .envs(environment.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    leak_scan::keep_output(&output);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    for secret in secret_forms(TOKEN) {
        assert!(
            !stdout.contains(&secret) && !stderr.contains(&secret),
            "the secret never appears in any output:\n{stdout}\n{stderr}"
        );
    }
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("stdout is one JSON document ({error}): {stdout}"));
    (output.status.code().expect("an exit code"), report, stderr)
}

/// The bridge as an AI client runs it: MCP lines on stdin and stdout.
struct Bridge {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Bridge {
    fn start(mut command: Command) -> Self {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(leak_scan::stream_file("stderr"));
        let mut child = command.spawn().expect("the bridge starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            stdin,
            lines,
        }
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        writeln!(stdin, "{message}").expect("the bridge reads stdin");
        stdin.flush().unwrap();
    }

    /// The bridge's answer to request `id`, skipping notifications.
    fn answer(&self, id: u64) -> Value {
        loop {
            let line = self
                .lines
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|_| panic!("the bridge answers request {id} in time"));
            for secret in secret_forms(TOKEN) {
                assert!(!line.contains(&secret), "no secret on stdout: {line}");
            }
            let message: Value = serde_json::from_str(&line).expect("stdout is JSON-RPC");
            if message["id"] == id {
                return message;
            }
        }
    }

    fn initialize(&mut self) -> Value {
        self.send(&json!({
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": { "name": "security-test", "version": "1.0.0" }
            }
        }));
        self.answer(1)
    }

    /// Closes stdin and returns the exit code.
    fn finish(mut self) -> i32 {
        drop(self.stdin.take());
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("an exit code");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _killed = self.child.kill();
        panic!("the bridge exits once stdin closes");
    }
}

fn bridge(home: &Home, arguments: &[&str], environment: &[(&str, &str)]) -> Bridge {
    let mut command = home.command(&["bridge"]);
    command
        .args(arguments)
        .env(AUTHORIZATION_VARIABLE, basic(EMAIL, TOKEN))
        .envs(environment.iter().copied());
    Bridge::start(command)
}

/// Every proxy variable pointing at `proxy`, and `NO_PROXY=localhost` as the finding had it.
fn proxied_through(proxy: &Recorder) -> Vec<(&'static str, String)> {
    let mut variables: Vec<(&str, String)> = PROXY_VARIABLES
        .iter()
        .map(|name| (*name, proxy.url()))
        .collect();
    variables.push(("NO_PROXY", "localhost".to_owned()));
    variables
}

fn as_pairs<'a>(variables: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    variables
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

#[track_caller]
fn assert_refused_at_initialize(answer: &Value, says: &str) {
    let message = answer["error"]["message"].as_str().unwrap_or_else(|| {
        panic!("initialize is answered with an error: {answer}");
    });
    assert!(
        message.contains(says),
        "the AI client is told why, in one sentence ({says}): {message}"
    );
    assert_eq!(
        answer["error"]["data"]["kind"], "invalid_input",
        "the refusal is invalid input: {answer}"
    );
}

#[test]
fn the_bridge_refuses_plain_http_to_another_host_and_user_info_before_sending_anything() {
    let home = Home::new();
    let target = Recorder::start();
    let proxy = Recorder::start();
    let proxies = proxied_through(&proxy);
    let with_user_info = format!("http://localhost@{}/v1/mcp", target.address);
    for (endpoint, says) in [
        (
            "http://mcp.example.com/v1/mcp",
            "plain http to another computer",
        ),
        (
            "http://127.0.0.1.nip.io/v1/mcp",
            "plain http to another computer",
        ),
        ("http://localhost./v1/mcp", "plain http to another computer"),
        (with_user_info.as_str(), "user name or password"),
    ] {
        let mut bridge = bridge(
            &home,
            &[
                "--endpoint",
                endpoint,
                "--authorization-env",
                AUTHORIZATION_VARIABLE,
            ],
            &as_pairs(&proxies),
        );
        let answer = bridge.initialize();
        assert_refused_at_initialize(&answer, says);
        assert!(
            !answer.to_string().contains("localhost@"),
            "the user info is never repeated: {answer}"
        );
        assert_eq!(bridge.finish(), 2, "{endpoint}: exit 2, invalid input");
    }
    target.assert_untouched("the host behind the user info");
    proxy.assert_untouched("the proxy");
}

#[test]
fn the_bridge_checks_the_endpoint_on_record_path_before_it_reads_the_keychain() {
    let home = Home::new();
    let target = Recorder::start();
    home.record_setup(&format!("{}/v1/mcp", target.url()));
    let with_user_info = format!("http://user@{}/v1/mcp", target.address);
    for environment in [
        [("ROVO_MCP_ENDPOINT", "http://mcp.example.com/v1/mcp")],
        [("ROVO_MCP_ENDPOINT", with_user_info.as_str())],
    ] {
        let mut bridge = bridge(&home, &[], &environment);
        let answer = bridge.initialize();
        // Were the keychain read first, its absence would be the error.
        assert_refused_at_initialize(&answer, "the endpoint");
        assert_eq!(bridge.finish(), 2, "{environment:?}: exit 2, invalid input");
    }
    target.assert_untouched("the endpoint on record, overridden by a refused one");
}

#[test]
fn the_bridge_refuses_an_endpoint_that_contradicts_the_policys_lock() {
    let home = Home::new();
    let target = Recorder::start();
    let locked = "https://mcp.example.com/v1/mcp";
    let policy = home.lock_endpoint(locked);
    let policy_variable = [("ROVO_MCP_POLICY", policy.to_str().unwrap())];
    let elsewhere = format!("{}/v1/mcp", target.url());

    let mut flagged = bridge(
        &home,
        &[
            "--endpoint",
            &elsewhere,
            "--authorization-env",
            AUTHORIZATION_VARIABLE,
        ],
        &policy_variable,
    );
    let answer = flagged.initialize();
    assert_refused_at_initialize(&answer, locked);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("policy"),
        "the refusal names the policy: {answer}"
    );
    assert_eq!(flagged.finish(), 2, "exit 2, invalid input");

    home.record_setup(locked);
    let mut on_record = bridge(
        &home,
        &[],
        &[
            policy_variable[0],
            ("ROVO_MCP_ENDPOINT", elsewhere.as_str()),
        ],
    );
    let answer = on_record.initialize();
    // Were the keychain read first, its absence would be the error.
    assert_refused_at_initialize(&answer, "policy");
    assert_eq!(on_record.finish(), 2, "exit 2, invalid input");
    target.assert_untouched("the endpoint the policy does not allow");
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_never_sends_loopback_traffic_to_a_proxy() {
    let server = StandInServer::builder()
        .grant(basic(EMAIL, TOKEN), Grant::FullScope)
        .start()
        .await
        .unwrap();
    let home = Home::new();
    for variable in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        let proxy = Recorder::start();
        let (code, report, stderr) = validate(
            &home,
            &["--endpoint", server.url()],
            &[(variable, proxy.url().as_str()), ("NO_PROXY", "localhost")],
        );
        assert_eq!(
            (code, &report["verdict"]),
            (0, &json!("ok")),
            "{variable}: the stand-in server is reached directly: {stderr}"
        );
        proxy.assert_untouched(variable);
    }
    assert!(
        !server.log().requests().is_empty(),
        "the stand-in server got the requests instead"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bridge_never_sends_loopback_traffic_to_a_proxy() {
    let server = StandInServer::builder()
        .grant(basic(EMAIL, TOKEN), Grant::FullScope)
        .start()
        .await
        .unwrap();
    let home = Home::new();
    let proxy = Recorder::start();
    let proxies = proxied_through(&proxy);
    let mut bridge = bridge(
        &home,
        &[
            "--endpoint",
            server.url(),
            "--authorization-env",
            AUTHORIZATION_VARIABLE,
        ],
        &as_pairs(&proxies),
    );
    let answer = bridge.initialize();
    assert!(
        answer["result"]["serverInfo"].is_object(),
        "the bridge reaches the stand-in server directly: {answer}"
    );
    bridge.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    bridge.send(&json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
    let tools = bridge.answer(2);
    assert_eq!(
        tools["result"]["tools"].as_array().map(Vec::len),
        Some(Grant::FullScope.tools_on(Surface::V2Primary).len()),
        "every tool the endpoint lists comes through: {tools}"
    );
    assert_eq!(bridge.finish(), 0, "a clean end");
    proxy.assert_untouched("the proxy");
}

#[test]
fn a_proxy_is_used_for_a_real_endpoint_and_its_password_is_never_shown() {
    const PROXY_PASSWORD: &str = "proxy-pa55word-0123456789";
    let home = Home::new();
    let proxy = Recorder::start();
    let proxy_url = format!("http://proxy-user:{PROXY_PASSWORD}@{}", proxy.address);
    // `.invalid` never resolves; the proxy is asked to connect to it, and refuses.
    let (code, report, stderr) = validate(
        &home,
        &["--endpoint", "https://mcp.invalid/v1/mcp"],
        &[("HTTPS_PROXY", proxy_url.as_str())],
    );
    assert_eq!(code, 6, "the proxy refused: a network failure: {stderr}");
    assert!(
        proxy.received().starts_with("CONNECT mcp.invalid:443"),
        "the real endpoint goes through the proxy, as a tunnel: {}",
        proxy.received()
    );
    assert!(
        !proxy.received().contains(&basic(EMAIL, TOKEN)),
        "the proxy never sees the credential, which travels inside TLS"
    );
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("proxy-user:{PROXY_PASSWORD}"));
    for shown in [report.to_string(), stderr] {
        assert!(
            !shown.contains(PROXY_PASSWORD) && !shown.contains(&encoded),
            "the proxy's password is in no message: {shown}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_accepts_loopback_written_in_decimal_or_octal_and_a_flag_repeating_the_lock() {
    let server = StandInServer::builder()
        .grant(basic(EMAIL, TOKEN), Grant::FullScope)
        .start()
        .await
        .unwrap();
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    let home = Home::new();
    for written in ["2130706433", "0177.0.0.1", "0x7f.1"] {
        let endpoint = format!("http://{written}:{port}");
        let (code, report, stderr) = validate(&home, &["--endpoint", &endpoint], &[]);
        assert_eq!(code, 0, "{endpoint} is 127.0.0.1: {stderr}");
        assert!(
            report["endpoint"]
                .as_str()
                .is_some_and(|shown| shown.starts_with("http://127.0.0.1:")),
            "the report shows the address it means: {report}"
        );
    }

    let policy = home.lock_endpoint(server.url());
    let policy_variable = ("ROVO_MCP_POLICY", policy.to_str().unwrap());
    let (code, _report, stderr) =
        validate(&home, &["--endpoint", server.url()], &[policy_variable]);
    assert_eq!(
        code, 0,
        "a flag that repeats the lock exactly is fine: {stderr}"
    );
    let (code, report, _stderr) = validate(
        &home,
        &["--endpoint", "https://other.example.com/v1/mcp"],
        &[policy_variable],
    );
    assert_eq!(code, 2, "another endpoint than the lock is invalid input");
    assert!(
        report["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("policy")),
        "the refusal names the policy: {report}"
    );
}

#[test]
fn validate_refuses_a_localhost_that_is_not_this_computer_and_user_info() {
    let home = Home::new();
    let proxy = Recorder::start();
    let proxies = proxied_through(&proxy);
    for (endpoint, says) in [
        ("http://localhost./v1/mcp", "plain http to another computer"),
        (
            "http://127.0.0.1.nip.io:9/v1/mcp",
            "plain http to another computer",
        ),
        ("http://localhost@evil.example/", "user name or password"),
        (
            "http://[2001:db8::1]/v1/mcp",
            "plain http to another computer",
        ),
    ] {
        let (code, report, _stderr) =
            validate(&home, &["--endpoint", endpoint], &as_pairs(&proxies));
        assert_eq!(code, 2, "{endpoint}: invalid input");
        let message = report["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{endpoint}: {message}");
        assert!(!message.contains("localhost@"), "no user info: {message}");
    }
    proxy.assert_untouched("the proxy");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bridge_answers_an_oversized_request_line_and_goes_on() {
    let server = StandInServer::builder()
        .grant(basic(EMAIL, TOKEN), Grant::FullScope)
        .start()
        .await
        .unwrap();
    let home = Home::new();
    let mut bridge = bridge(
        &home,
        &[
            "--endpoint",
            server.url(),
            "--authorization-env",
            AUTHORIZATION_VARIABLE,
        ],
        &[],
    );
    assert!(
        bridge.initialize()["result"].is_object(),
        "the session opens"
    );
    bridge.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let blob = "x".repeat(16 * 1024 * 1024 + 1);
    bridge.send(&json!({
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": { "name": "getVisibleJiraProjects", "arguments": { "blob": blob } }
    }));
    let refused = bridge.answer(2);
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("16 MiB"),
        "the client is told the limit instead of waiting forever: {refused}"
    );
    bridge.send(&json!({"jsonrpc": "2.0", "id": 3, "method": "tools/list"}));
    let tools = bridge.answer(3);
    assert!(
        tools["result"]["tools"].is_array(),
        "the bridge goes on serving: {tools}"
    );
    assert_eq!(bridge.finish(), 0, "a clean end");
}
