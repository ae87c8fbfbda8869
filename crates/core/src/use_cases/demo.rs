//! `--demo` (design §7): the stand-in Rovo MCP server the tests run, on a loopback port, and a
//! sandbox home with a few AI clients in it, so anyone can walk the whole wizard without an
//! account and without touching their own files.
//!
//! The stand-in answers like the real endpoint of today (`rovo-stand-in`); the demo accepts any
//! well-formed credential. A scoped token (`ATATT3…`) or a service key sees every product tool
//! an admin has not left off; a token that does not look scoped is the classic kind, which
//! signs in, lists the platform and Teamwork Graph tools and is refused at call time for not
//! being a modern token (`limited`); an email at `api-tokens-off.example` or
//! `ip-blocked.example` is refused at call time as an organisation with API-token sign-in off
//! or an IP allowlist refuses; a missing or malformed `Authorization` header is a 401. Its
//! token endpoint gives any service account's OAuth client an access token of an hour.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use rovo_stand_in::{CallRefusal, Grant, Identity, StandInServer, TokenAnswer};
use tempfile::TempDir;

use crate::domain::clients::{ClientEnvironment, Os};
use crate::{Error, ErrorKind, Result};

/// The email domains whose scoped tokens the demo refuses at call time.
const API_TOKENS_OFF_DOMAIN: &str = "@api-tokens-off.example";
const IP_BLOCKED_DOMAIN: &str = "@ip-blocked.example";

/// Who every demo credential is and the site it reaches.
const DEMO_IDENTITY: Identity = Identity {
    person: "Demo Person",
    email: "service-account@your-company.example",
    email_from_basic: true,
    site_name: "your-company",
    site_url: "https://your-company.atlassian.net",
    cloud_id: "0d3c1f5e-7a2b-4c9d-8e6f-1a2b3c4d5e6f",
};

/// What `--demo` runs against: the stand-in server and the sandbox home. Both go away when it
/// is dropped.
#[derive(Debug)]
pub struct DemoWorld {
    home: TempDir,
    /// Locked for as long as this demo runs: a sandbox whose lock is free belongs to a demo
    /// that was killed, and the next demo deletes it.
    _lock: std::fs::File,
    server: StandInServer,
}

/// What every sandbox folder's name starts with, in the temporary folder.
const SANDBOX_PREFIX: &str = "rovo-mcp-demo-";
const LOCK_FILE: &str = ".demo.lock";

impl DemoWorld {
    /// Creates the sandbox home with its clients and starts the stand-in server on a free
    /// loopback port. Call it inside a Tokio runtime that outlives the demo.
    ///
    /// # Errors
    /// `internal` when the sandbox cannot be created or no loopback port is free.
    pub async fn start() -> Result<Self> {
        remove_abandoned_sandboxes(&std::env::temp_dir());
        let home = tempfile::Builder::new()
            .prefix(SANDBOX_PREFIX)
            .tempdir()
            .map_err(|error| {
                demo_failed(format!("the sandbox folder could not be made: {error}"))
            })?;
        let lock = lock_sandbox(home.path())
            .map_err(|error| demo_failed(format!("the sandbox could not be locked: {error}")))?;
        seed_sandbox(home.path())
            .map_err(|error| demo_failed(format!("the sandbox could not be filled: {error}")))?;
        let server = StandInServer::builder()
            .grant_by_rule(demo_grant)
            .oauth_client_rule(demo_oauth_client)
            .identity(DEMO_IDENTITY)
            .start()
            .await
            .map_err(|error| demo_failed(format!("no loopback port is free: {error}")))?;
        Ok(Self {
            home,
            _lock: lock,
            server,
        })
    }

    /// The stand-in server's MCP endpoint.
    pub fn endpoint(&self) -> &str {
        self.server.url()
    }

    /// The stand-in server's token endpoint, for service accounts' OAuth clients.
    pub fn token_url(&self) -> &str {
        self.server.token_url()
    }

    /// The sandbox home folder.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The environment of the sandbox: this OS, the sandbox home, and none of this user's
    /// variables, so every client path and our own state and backups land inside the sandbox.
    /// It reads no policy: an organisation's policy (a locked endpoint, say) would stop the
    /// demo from reaching its own stand-in server, and the sandbox is all the demo touches.
    pub fn environment(&self) -> ClientEnvironment {
        ClientEnvironment::new(Os::current(), self.home.path(), []).with_machine_policy(Vec::new())
    }
}

fn lock_sandbox(home: &Path) -> std::io::Result<std::fs::File> {
    let lock = std::fs::File::create(home.join(LOCK_FILE))?;
    lock.try_lock().map_err(std::io::Error::other)?;
    Ok(lock)
}

/// Deletes the sandboxes of demos that ended without cleaning up (killed, or ended by a
/// WebDriver session): those whose lock no running demo holds. Best effort: a sandbox that
/// cannot be checked or deleted is left for the system's temporary-file cleaning.
fn remove_abandoned_sandboxes(temporary: &Path) {
    let Ok(entries) = std::fs::read_dir(temporary) else {
        return;
    };
    for entry in entries.flatten() {
        let is_sandbox = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(SANDBOX_PREFIX));
        if !is_sandbox || !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        let abandoned = std::fs::File::open(entry.path().join(LOCK_FILE))
            .is_ok_and(|lock| lock.try_lock().is_ok());
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn demo_failed(message: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("the demo could not start: {message}"),
    )
}

/// A sandbox with what a developer's home often holds: Cursor with a server of its own and a
/// comment, VS Code and Claude Desktop installed with no MCP servers yet, and a Zed settings
/// file that does not parse, to show that such a file is reported and left alone.
fn seed_sandbox(home: &Path) -> std::io::Result<()> {
    let files: [(PathBuf, &str); 3] = [
        (
            home.join(".cursor/mcp.json"),
            "{\n  // My own servers stay as they are.\n  \"mcpServers\": {\n    \"filesystem\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"~/projects\"],\n    },\n  },\n}\n",
        ),
        (
            home.join(".codex/config.toml"),
            "# Codex settings\nmodel = \"gpt-5-codex\"\n",
        ),
        (
            zed_settings(home),
            "{\n  \"theme\": \"One Dark\",\n  \"buffer_font_size\": 15\n  \"vim_mode\": true\n}\n",
        ),
    ];
    for (path, contents) in files {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(path, contents)?;
    }
    for folder in [vscode_user(home), claude_desktop(home)] {
        std::fs::create_dir_all(folder)?;
    }
    Ok(())
}

fn zed_settings(home: &Path) -> PathBuf {
    match Os::current() {
        Os::Windows => home.join("AppData/Roaming/Zed/settings.json"),
        _ => home.join(".config/zed/settings.json"),
    }
}

fn vscode_user(home: &Path) -> PathBuf {
    match Os::current() {
        Os::MacOs => home.join("Library/Application Support/Code/User"),
        Os::Windows => home.join("AppData/Roaming/Code/User"),
        Os::Linux => home.join(".config/Code/User"),
    }
}

fn claude_desktop(home: &Path) -> PathBuf {
    match Os::current() {
        Os::MacOs => home.join("Library/Application Support/Claude"),
        Os::Windows => home.join("AppData/Roaming/Claude"),
        Os::Linux => home.join(".config/Claude"),
    }
}

/// How the demo's token endpoint answers a service account's OAuth client: any client ID and
/// secret get an access token of an hour, as a credential with the Rovo MCP scopes would; its
/// `Bearer` value then signs in like a service key.
fn demo_oauth_client(client_id: &str, secret: &str) -> Option<TokenAnswer> {
    (!client_id.is_empty() && !secret.is_empty()).then_some(TokenAnswer::Issue {
        grant: Grant::FullScope,
        lifetime: std::time::Duration::from_secs(3600),
    })
}

/// What the demo grants a request's `Authorization` value: any well-formed credential signs
/// in, and what it sees follows from its kind and its email's domain.
fn demo_grant(authorization: &str) -> Option<Grant> {
    if let Some(key) = authorization.strip_prefix("Bearer ") {
        return (!key.trim().is_empty()).then_some(Grant::FullScope);
    }
    let encoded = authorization.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (email, token) = decoded.split_once(':')?;
    if email.is_empty() || token.is_empty() {
        return None;
    }
    if !token.starts_with("ATATT") {
        return Some(Grant::ClassicToken);
    }
    Some(if email.ends_with(API_TOKENS_OFF_DOMAIN) {
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOff)
    } else if email.ends_with(IP_BLOCKED_DOMAIN) {
        Grant::CallsRefused(CallRefusal::IpAllowlist)
    } else {
        Grant::FullScope
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::catalogue::Product;
    use crate::domain::credentials::prepare_credential;
    use crate::domain::probe::{self, Endpoint, ProbeOptions, Verdict};
    use crate::domain::secrets::Secret;

    async fn check(
        world: &DemoWorld,
        method: AuthMethod,
        email: Option<&str>,
        token: &str,
    ) -> Verdict {
        report(world.endpoint(), method, email, token).await.verdict
    }

    async fn report(
        endpoint: &str,
        method: AuthMethod,
        email: Option<&str>,
        token: &str,
    ) -> probe::ProbeReport {
        let endpoint = Endpoint::parse(endpoint).expect("a loopback URL");
        let credential = prepare_credential(method, email, &Secret::new(token))
            .expect("a well-formed credential");
        let (report, _close) = probe::probe(
            &endpoint,
            &credential,
            &ProbeOptions::default(),
            &mut |_| {},
        )
        .await;
        report
    }

    #[tokio::test]
    async fn the_demo_shows_every_product_on_v2_and_v1_and_refuses_at_call_time() {
        let world = DemoWorld::start().await.expect("the demo starts");
        let v2 = report(
            world.endpoint(),
            AuthMethod::Personal,
            Some("me@example.com"),
            "ATATT3xDemo",
        )
        .await;
        assert_eq!(v2.verdict, Verdict::Ok, "{v2:#?}");
        assert_eq!(
            v2.account
                .as_ref()
                .and_then(|account| account["email"].as_str()),
            Some("me@example.com"),
            "the demo signs a personal token in as the email typed with it"
        );
        assert!(
            v2.sites
                .iter()
                .any(|site| site.url == "https://your-company.atlassian.net"),
            "the demo's site reads like a company's: {:?}",
            v2.sites
        );
        for product in [
            Product::Jira,
            Product::Confluence,
            Product::Bitbucket,
            Product::Loom,
            Product::Goals,
            Product::Projects,
            Product::Teams,
            Product::Focus,
            Product::Talent,
            Product::TeamworkGraph,
        ] {
            assert!(
                v2.products.iter().any(|summary| summary.product == product),
                "the demo shows {product:?}"
            );
        }
        assert!(
            !v2.meta_tools.is_empty(),
            "v2's plain list has the meta-tools"
        );
        assert!(
            v2.exposure
                .as_ref()
                .is_some_and(|exposure| exposure.primary < exposure.total),
            "a client of v2 sees some tools directly: {:?}",
            v2.exposure
        );
        let v1_endpoint = world.endpoint().replace("/v2/mcp", "/v1/mcp");
        let v1 = report(
            &v1_endpoint,
            AuthMethod::Personal,
            Some("me@example.com"),
            "ATATT3xDemo",
        )
        .await;
        assert_eq!(v1.verdict, Verdict::Ok, "v1 is served too");
        assert!(v1.meta_tools.is_empty(), "v1 has no meta-tools");
        for (email, verdict) in [
            (
                "me@api-tokens-off.example",
                Verdict::Failed(ErrorKind::Forbidden),
            ),
            (
                "me@ip-blocked.example",
                Verdict::Failed(ErrorKind::ForbiddenIp),
            ),
        ] {
            assert_eq!(
                check(&world, AuthMethod::Personal, Some(email), "ATATT3xDemo").await,
                verdict,
                "{email} is refused at call time"
            );
        }
    }

    #[tokio::test]
    async fn the_demo_server_answers_each_kind_of_credential_like_the_real_one() {
        let world = DemoWorld::start().await.expect("the demo starts");
        assert_eq!(
            check(
                &world,
                AuthMethod::Personal,
                Some("me@example.com"),
                "ATATT3xDemoToken"
            )
            .await,
            Verdict::Ok,
            "a scoped personal token sees the product tools"
        );
        assert_eq!(
            check(&world, AuthMethod::Service, None, "any-service-key").await,
            Verdict::Ok,
            "a service key sees the product tools"
        );
        assert_eq!(
            check(
                &world,
                AuthMethod::Personal,
                Some("me@example.com"),
                "classic-token"
            )
            .await,
            Verdict::Limited,
            "a token that does not look scoped is a classic one: refused for not being modern"
        );
    }

    #[tokio::test]
    async fn the_sandbox_holds_clients_and_nothing_outside_it_is_used() {
        let world = DemoWorld::start().await.expect("the demo starts");
        let environment = world.environment();
        let cursor = environment.home(&[".cursor", "mcp.json"]);
        assert!(
            cursor.starts_with(world.home()) && cursor.exists(),
            "Cursor's file is in the sandbox: {}",
            cursor.display()
        );
        let policy =
            crate::domain::policy::load_policy(&environment).expect("the demo has no policy");
        assert!(
            policy.sources.is_empty(),
            "the machine's policy does not reach the demo: {:?}",
            policy.sources
        );
        let state = crate::plumbing::state::StateFile::for_environment(&environment);
        assert!(
            state.path().starts_with(world.home()),
            "our own state stays in the sandbox too: {}",
            state.path().display()
        );
        let home = world.home().to_path_buf();
        drop(world);
        assert!(!home.exists(), "the sandbox goes away with the demo");
    }

    #[test]
    fn a_sandbox_left_by_a_killed_demo_is_removed_and_a_running_one_is_kept() {
        let temporary = tempfile::tempdir().unwrap();
        let abandoned = temporary.path().join(format!("{SANDBOX_PREFIX}killed"));
        std::fs::create_dir_all(abandoned.join(".cursor")).unwrap();
        drop(lock_sandbox(&abandoned).unwrap());
        let running = temporary.path().join(format!("{SANDBOX_PREFIX}running"));
        std::fs::create_dir_all(&running).unwrap();
        let _held = lock_sandbox(&running).unwrap();
        let unrelated = temporary.path().join("someone-else");
        std::fs::create_dir_all(&unrelated).unwrap();

        remove_abandoned_sandboxes(temporary.path());
        assert!(!abandoned.exists(), "the killed demo's sandbox is deleted");
        assert!(running.exists(), "a running demo keeps its sandbox");
        assert!(unrelated.exists(), "other folders are never touched");
    }

    #[tokio::test]
    async fn the_demos_token_endpoint_gives_any_oauth_client_a_token_that_signs_in() {
        use crate::domain::oauth::{self, ClientCredentials};

        let world = DemoWorld::start().await.expect("the demo starts");
        let token_endpoint = oauth::token_endpoint(Some(world.token_url()), None).unwrap();
        let client = ClientCredentials::new("any-client-id", &Secret::new("any-client-secret"))
            .expect("a well-formed client");
        let token = oauth::exchange(&token_endpoint, &client)
            .await
            .expect("the demo issues a token to any client");
        let bearer = token
            .authorization()
            .expose()
            .strip_prefix("Bearer ")
            .expect("a bearer token")
            .to_owned();
        assert_eq!(
            check(&world, AuthMethod::Service, None, &bearer).await,
            Verdict::Ok,
            "the access token signs in like a service key"
        );
    }
}
