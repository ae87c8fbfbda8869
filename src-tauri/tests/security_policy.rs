//! The machine's policy and the secret in excerpts, through the real binary (issue 19, findings
//! 5 and 6): `ROVO_MCP_POLICY` adds a policy file and never switches the machine's off, so a
//! file it names that is missing is an error; a policy giving a key twice is refused; one saved
//! with a byte-order mark applies; and a gateway that echoes the `Authorization` header in an
//! error body, however it encodes it, gets it shown nowhere. Every run logs at trace level into
//! a captured file, checked here and kept for the suite's leak scan.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use rovo_stand_in::{Grant, HeaderEcho, Misbehaviour, StandInServer};
use rovo_test_support::leak_scan::{self, Leak};
use serde_json::Value;

const EMAIL: &str = "me@example.com";
const TOKEN: &str = leak_scan::SCOPED_TOKEN;
const TOKEN_VARIABLE: &str = "ROVO_TEST_TOKEN";

/// What the binary did: exit code, the parsed stdout, and stderr.
struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

/// `Basic base64(email:token)`, as the server expects it; built independently of the app.
fn basic(email: &str, token: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{token}"))
    )
}

/// Every test secret found in what a run printed and logged.
fn leaks(stdout: &[u8], stderr: &[u8], log: &Path) -> Vec<Leak> {
    let logged = std::fs::read(log).unwrap_or_default();
    [
        (Path::new("stdout"), stdout),
        (Path::new("stderr"), stderr),
        (log, logged.as_slice()),
    ]
    .into_iter()
    .flat_map(|(name, bytes)| leak_scan::leaks_in(name, bytes))
    .collect()
}

/// Runs `validate --json` for the personal token against `endpoint` (none: the policy's), in
/// a temporary home and an environment holding only `policy` as `ROVO_MCP_POLICY`.
fn validate(home: &Path, endpoint: Option<&str>, policy: Option<&Path>) -> Run {
    validate_in(Some(home), endpoint, policy)
}

/// `validate` with `home` as `HOME`, or without `HOME` when it is `None`.
fn validate_in(home: Option<&Path>, endpoint: Option<&str>, policy: Option<&Path>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rovo-mcp-setup"));
    command
        .args(["validate", "--json", "--auth", "personal", "--email", EMAIL])
        .args(["--token-env", TOKEN_VARIABLE])
        .args(endpoint.iter().flat_map(|url| ["--endpoint", *url]))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(home.iter().flat_map(|home| {
            [
                ("HOME", home.to_path_buf()),
                ("XDG_CONFIG_HOME", home.join(".config")),
                ("XDG_DATA_HOME", home.join(".local/share")),
            ]
        }))
        .env(TOKEN_VARIABLE, TOKEN)
        .envs(policy.map(|path| ("ROVO_MCP_POLICY", path)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let logging = leak_scan::trace_logging();
    let log = PathBuf::from(&logging[1].1);
    let output = command.envs(logging).output().expect("the binary runs");
    leak_scan::keep_output(&output);
    let found = leaks(&output.stdout, &output.stderr, &log);
    assert!(
        found.is_empty(),
        "the secret appears in no output and no log line: {found:?}"
    );
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    Run {
        code: output.status.code().expect("the binary exits normally"),
        json: serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("stdout is one JSON document ({error}): {stdout}")),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The run's error message, after checking it is `invalid_input` with exit code 2.
#[track_caller]
fn invalid_input(run: &Run) -> String {
    assert_eq!(
        run.json["verdict"], "invalid_input",
        "refused as invalid input: {}",
        run.json
    );
    assert_eq!(run.code, 2, "the exit code of invalid input");
    run.json["error"]["message"]
        .as_str()
        .expect("the refusal has a message")
        .to_owned()
}

async fn granting_server() -> StandInServer {
    StandInServer::builder()
        .grant(basic(EMAIL, TOKEN), Grant::FullScope)
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn rovo_mcp_policy_naming_a_missing_file_is_refused_not_taken_as_no_policy() {
    let server = granting_server().await;
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nonexistent-policy.json");

    let run = validate(home.path(), Some(server.url()), Some(&missing));

    let message = invalid_input(&run);
    assert!(
        message.contains(&missing.display().to_string()) && message.contains("ROVO_MCP_POLICY"),
        "the file and the variable are named: {message}"
    );
    assert!(
        server.log().requests().is_empty(),
        "nothing is sent while the policy is in doubt"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_home_folder_the_policy_still_applies() {
    let server = granting_server().await;
    let folder = tempfile::tempdir().unwrap();
    let policy = folder.path().join("policy.json");
    std::fs::write(&policy, format!("{{ \"endpoint\": \"{}\" }}", server.url())).unwrap();

    let run = validate_in(None, Some("https://mcp.example.com/v1/mcp"), Some(&policy));

    let message = invalid_input(&run);
    assert!(
        message.contains("sets the endpoint") && message.contains(&policy.display().to_string()),
        "the policy's locked endpoint holds with HOME unset: {message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_giving_a_key_twice_is_refused_naming_the_key() {
    let server = granting_server().await;
    let home = tempfile::tempdir().unwrap();
    let policy = home.path().join("policy.json");
    std::fs::write(
        &policy,
        format!(
            "{{\n  \"endpoint\": \"https://mcp.atlassian.com/v1/mcp\",\n  \"endpoint\": \"{}\"\n}}\n",
            server.url()
        ),
    )
    .unwrap();

    let run = validate(home.path(), Some(server.url()), Some(&policy));

    let message = invalid_input(&run);
    assert!(
        message.contains("gives the key `endpoint` twice")
            && message.contains(&policy.display().to_string()),
        "the key and the file are named: {message}"
    );
    assert!(
        server.log().requests().is_empty(),
        "the second value is not silently used"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_saved_with_a_byte_order_mark_is_accepted_and_applied() {
    let server = granting_server().await;
    let home = tempfile::tempdir().unwrap();
    let policy = home.path().join("policy.json");
    std::fs::write(
        &policy,
        format!("\u{feff}{{ \"endpoint\": \"{}\" }}\n", server.url()),
    )
    .unwrap();

    let run = validate(home.path(), None, Some(&policy));

    assert_eq!(
        run.json["verdict"], "ok",
        "the check ran where the policy says: {}",
        run.stderr
    );
    assert_eq!(run.code, 0, "the exit code of ok");
    assert_eq!(
        run.json["endpoint"],
        server.url(),
        "the endpoint is the policy's, given by no flag"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_echoing_the_header_in_any_encoding_gets_it_shown_nowhere() {
    let header = basic(EMAIL, TOKEN);
    for (status, verdict, code) in [(401, "unauthorized", 3), (403, "forbidden", 4)] {
        for echo in HeaderEcho::ALL {
            let server = StandInServer::builder()
                .misbehave(&header, Misbehaviour::EchoAuthorization { status, echo })
                .start()
                .await
                .unwrap();
            let home = tempfile::tempdir().unwrap();

            // `validate` itself checks that no output and no log line holds the secret.
            let run = validate(home.path(), Some(server.url()), None);

            assert_eq!(
                run.json["verdict"], verdict,
                "{status} echoing {echo:?} is still {verdict}: {}",
                run.json
            );
            assert_eq!(run.code, code, "the exit code of {verdict}");
            let excerpt = run.json["error"]["bodyExcerpt"]
                .as_str()
                .expect("the reply's body is excerpted");
            assert!(
                excerpt.starts_with("Refused by the gateway. Request headers: authorization: ")
                    && excerpt.contains("<redacted>"),
                "the excerpt keeps the gateway's words and hides the {echo:?} header: {excerpt}"
            );
            assert!(
                !excerpt.contains(&echo.write(&header)),
                "the echo itself is gone: {excerpt}"
            );
        }
    }
}
