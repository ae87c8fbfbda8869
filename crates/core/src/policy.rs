//! The organisation's policy (design §8): what an IT team pins down for every machine — the
//! endpoint, the entry name, the allowed auth kinds, which clients to configure or never touch,
//! the secret mode, the tools that must be present, reminders and checks — read from the
//! platform's managed locations. A policy is never silently ignored: a file that does not parse
//! or holds a bad value is refused with the file and key named, and unknown keys are warned.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth_method::AuthMethod;
use crate::clients::{self, ClientEnvironment, Os, SecretMode};
use crate::probe::Endpoint;
use crate::{Error, ErrorKind, Result};

/// The environment variable naming a policy file to read instead of the managed ones (tests).
pub const POLICY_ENV: &str = "ROVO_MCP_POLICY";

/// One policy file, as IT writes it. Every key is optional; `$schema` is allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "Rovo MCP Setup policy")]
pub struct PolicyFile {
    /// The JSON Schema this file follows, for editors.
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    /// Who sets this policy; shown beside every locked choice.
    pub organization: Option<Organization>,
    /// The MCP endpoint every client uses (https; loopback may be http, for tests).
    pub endpoint: Option<String>,
    /// The name of our entry in every client's config.
    pub entry_name: Option<String>,
    /// The auth kinds people may use; at least one.
    pub allowed_auth: Option<Vec<AuthMethod>>,
    /// Which clients to configure, and which never to touch.
    pub clients: Option<ClientsPolicy>,
    /// The secret mode every client must use.
    pub secret_mode: Option<SecretMode>,
    /// Tools a credential must unlock; without them the check is `limited`.
    #[serde(default)]
    pub required_tools: Vec<String>,
    /// Days before expiry of the first reminder.
    pub reminder_days: Option<u32>,
    /// Hours between background checks.
    pub check_interval_hours: Option<u32>,
}

/// The organisation behind a policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    /// Where people get help (an intranet page).
    pub help_link: Option<String>,
}

/// Client selection by policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientsPolicy {
    /// Client ids (or `detected`, `all`) to configure when none are chosen.
    pub configure: Option<Vec<String>>,
    /// Client ids never to touch.
    #[serde(default)]
    pub never: Vec<String>,
}

/// The policy in force: the merged files and where they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub settings: PolicyFile,
    /// The files read, highest precedence first.
    pub sources: Vec<PathBuf>,
    /// Keys that no release knows, per file: warned, never fatal.
    pub warnings: Vec<String>,
}

/// The policy files this platform reads, highest precedence first (design §8).
pub fn policy_locations(environment: &ClientEnvironment) -> Vec<PathBuf> {
    if let Some(path) = environment
        .variable(POLICY_ENV)
        .filter(|path| !path.trim().is_empty())
    {
        return vec![PathBuf::from(path)];
    }
    match environment.os() {
        Os::Linux => vec![PathBuf::from("/etc/rovo-mcp-setup/policy.json")],
        Os::MacOs => vec![PathBuf::from(
            "/Library/Application Support/Rovo MCP Setup/policy.json",
        )],
        Os::Windows => {
            let program_data = environment
                .variable("ProgramData")
                .unwrap_or(r"C:\ProgramData");
            vec![environment.join(Path::new(program_data), &["Rovo MCP Setup", "policy.json"])]
        }
    }
}

/// Reads and merges the policy files that exist. No file is no policy; a file that exists but
/// cannot be used is an error naming it.
pub fn load_policy(environment: &ClientEnvironment) -> Result<Policy> {
    let mut policy = Policy::default();
    // Lowest precedence first, so that a higher file's keys replace a lower one's.
    for path in policy_locations(environment).into_iter().rev() {
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                tracing::trace!(path = %path.display(), "no policy here");
                continue;
            }
            Err(error) => {
                return Err(refusal(&path, &format!("it cannot be read: {error}")));
            }
        };
        let (file, warnings) = parse_policy(&path, &text)?;
        tracing::info!(path = %path.display(), warnings = warnings.len(), "policy loaded");
        policy.warnings.extend(warnings);
        merge(&mut policy.settings, file);
        policy.sources.insert(0, path);
    }
    Ok(policy)
}

fn refusal(path: &Path, detail: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!(
            "the policy `{}` {detail}; nothing was changed: ask your IT team to fix the policy",
            path.display()
        ),
    )
}

/// Parses and checks one policy file. Unknown keys come back as warnings.
pub fn parse_policy(path: &Path, bytes: &[u8]) -> Result<(PolicyFile, Vec<String>)> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
        refusal(
            path,
            &format!("is not JSON (line {}: {error})", error.line()),
        )
    })?;
    // Unknown keys are found on a lenient pass and warned; the strict pass below then reads
    // the file without them.
    let mut unknown = Vec::new();
    let lenient: serde_json::Value = strip_unknown(&value, &mut unknown);
    let warnings = unknown
        .into_iter()
        .map(|key| {
            format!(
                "the policy `{}` has a key this release does not know: `{key}`",
                path.display()
            )
        })
        .collect();
    let file: PolicyFile = serde_path_to_error::deserialize(&lenient).map_err(|error| {
        let key = error.path().to_string();
        refusal(
            path,
            &format!("has a bad value at `{key}`: {}", error.inner()),
        )
    })?;
    check(path, &file)?;
    Ok((file, warnings))
}

/// A copy of `value` without the keys `PolicyFile` does not know, whose paths go to `unknown`.
fn strip_unknown(value: &serde_json::Value, unknown: &mut Vec<String>) -> serde_json::Value {
    let mut ignored = Vec::new();
    // serde_ignored writes `?` for each `Option` it went through: `clients.?.always`.
    let _ = serde_ignored::deserialize(value, |path| {
        let key: Vec<String> = path
            .to_string()
            .split('.')
            .filter(|part| *part != "?")
            .map(str::to_owned)
            .collect();
        ignored.push(key.join("."));
    })
    .map(|_: LenientPolicy| ());
    let mut stripped = value.clone();
    for path in &ignored {
        remove_path(&mut stripped, path);
    }
    unknown.extend(ignored);
    stripped
}

fn remove_path(value: &mut serde_json::Value, path: &str) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut current = value;
    for part in parts {
        let next = match current {
            serde_json::Value::Object(map) => map.get_mut(part),
            _ => None,
        };
        let Some(next) = next else { return };
        current = next;
    }
    if let serde_json::Value::Object(map) = current {
        map.remove(last);
    }
}

/// `PolicyFile`'s shape without `deny_unknown_fields`, so `serde_ignored` can see what is extra.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "only read to find the keys that are not fields")]
struct LenientPolicy {
    #[serde(rename = "$schema")]
    schema: Option<serde_json::Value>,
    organization: Option<LenientOrganization>,
    endpoint: Option<serde_json::Value>,
    entry_name: Option<serde_json::Value>,
    allowed_auth: Option<serde_json::Value>,
    clients: Option<LenientClients>,
    secret_mode: Option<serde_json::Value>,
    required_tools: Option<serde_json::Value>,
    reminder_days: Option<serde_json::Value>,
    check_interval_hours: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "only read to find the keys that are not fields")]
struct LenientOrganization {
    name: Option<serde_json::Value>,
    help_link: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "only read to find the keys that are not fields")]
struct LenientClients {
    configure: Option<serde_json::Value>,
    never: Option<serde_json::Value>,
}

/// The rules a type cannot say: an https endpoint, at least one auth kind, known client ids.
fn check(path: &Path, file: &PolicyFile) -> Result<()> {
    if let Some(endpoint) = &file.endpoint {
        Endpoint::parse(endpoint)
            .map_err(|error| refusal(path, &format!("has a bad value at `endpoint`: {error}")))?;
    }
    if file.allowed_auth.as_ref().is_some_and(Vec::is_empty) {
        return Err(refusal(
            path,
            "allows no auth kind at `allowedAuth`: list `personal`, `service` or both",
        ));
    }
    if let Some(name) = &file.entry_name
        && name.trim().is_empty()
    {
        return Err(refusal(path, "has an empty `entryName`"));
    }
    if let Some(clients_policy) = &file.clients {
        let configure = clients_policy
            .configure
            .iter()
            .flatten()
            .map(|id| ("clients.configure", id));
        let never = clients_policy.never.iter().map(|id| ("clients.never", id));
        for (key, id) in configure.chain(never) {
            let special = key == "clients.configure" && (id == "all" || id == "detected");
            if !special && clients::find(id).is_none() {
                return Err(refusal(
                    path,
                    &format!("names an unknown client `{id}` at `{key}`"),
                ));
            }
        }
    }
    Ok(())
}

/// Replaces every key `higher` sets.
fn merge(lower: &mut PolicyFile, higher: PolicyFile) {
    let PolicyFile {
        schema: _,
        organization,
        endpoint,
        entry_name,
        allowed_auth,
        clients,
        secret_mode,
        required_tools,
        reminder_days,
        check_interval_hours,
    } = higher;
    lower.organization = organization.or(lower.organization.take());
    lower.endpoint = endpoint.or(lower.endpoint.take());
    lower.entry_name = entry_name.or(lower.entry_name.take());
    lower.allowed_auth = allowed_auth.or(lower.allowed_auth.take());
    lower.clients = clients.or(lower.clients.take());
    lower.secret_mode = secret_mode.or(lower.secret_mode.take());
    if !required_tools.is_empty() {
        lower.required_tools = required_tools;
    }
    lower.reminder_days = reminder_days.or(lower.reminder_days);
    lower.check_interval_hours = check_interval_hours.or(lower.check_interval_hours);
}

impl Policy {
    /// Who to name in a refusal: the organisation and the policy file.
    fn named(&self) -> String {
        let source = self
            .sources
            .first()
            .map_or_else(String::new, |path| format!("`{}`", path.display()));
        match &self.settings.organization {
            Some(organization) => format!("{}'s policy {source}", organization.name),
            None => format!("the policy {source}"),
        }
    }

    fn locked(&self, what: &str, value: &str) -> Error {
        let help = self
            .settings
            .organization
            .as_ref()
            .and_then(|organization| organization.help_link.as_deref())
            .map_or_else(String::new, |link| format!("; see {link}"));
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} sets {what} to {value}, so the command line cannot change it{help}",
                self.named()
            ),
        )
    }

    /// The endpoint to use: the policy's, refusing a different one asked for.
    pub fn endpoint(&self, asked: Option<&str>) -> Result<Option<String>> {
        match (&self.settings.endpoint, asked) {
            (Some(locked), Some(asked))
                if locked.trim_end_matches('/') != asked.trim_end_matches('/') =>
            {
                Err(self.locked("the endpoint", &format!("`{locked}`")))
            }
            (Some(locked), _) => Ok(Some(locked.clone())),
            (None, asked) => Ok(asked.map(str::to_owned)),
        }
    }

    /// Refuses an auth kind the policy does not allow.
    pub fn check_auth(&self, auth: AuthMethod) -> Result<()> {
        match &self.settings.allowed_auth {
            Some(allowed) if !allowed.contains(&auth) => {
                let names: Vec<&str> = allowed.iter().map(|method| method.name()).collect();
                Err(self.locked("the allowed auth kinds", &names.join(" and ")))
            }
            _ => Ok(()),
        }
    }

    /// The secret mode to use: the policy's, refusing a different one asked for.
    pub fn secret_mode(&self, asked: Option<SecretMode>) -> Result<Option<SecretMode>> {
        match (self.settings.secret_mode, asked) {
            (Some(locked), Some(asked)) if locked != asked => {
                Err(self.locked("the secret mode", locked.name()))
            }
            (Some(locked), _) => Ok(Some(locked)),
            (None, asked) => Ok(asked),
        }
    }

    /// The client list to use: the one asked for, else the policy's; a client the policy
    /// never touches is refused when named and left out when implied by `all` or `detected`.
    pub fn clients(&self, asked: &[String]) -> Result<Vec<String>> {
        let policy = self.settings.clients.clone().unwrap_or_default();
        let chosen = if asked.is_empty() {
            policy.configure.clone().unwrap_or_default()
        } else {
            asked.to_vec()
        };
        if let Some(id) = chosen.iter().find(|id| policy.never.contains(id)) {
            return Err(self.locked(&format!("`{id}`"), "never be touched"));
        }
        Ok(chosen)
    }

    /// Whether `id` must never be touched.
    pub fn never_touch(&self, id: &str) -> bool {
        self.settings
            .clients
            .as_ref()
            .is_some_and(|clients| clients.never.iter().any(|never| never == id))
    }

    /// The entry name in every client.
    pub fn entry_name(&self) -> &str {
        self.settings
            .entry_name
            .as_deref()
            .unwrap_or(clients::DEFAULT_SERVER_NAME)
    }
}

impl Policy {
    /// Turns an `ok` report `limited` when it lacks a tool the policy requires, naming them.
    pub fn require_tools(&self, report: &mut crate::probe::ProbeReport) {
        if report.verdict != crate::probe::Verdict::Ok {
            return;
        }
        let missing: Vec<&str> = self
            .settings
            .required_tools
            .iter()
            .filter(|required| !report.tools.iter().any(|tool| &tool.name == *required))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return;
        }
        report.verdict = crate::probe::Verdict::Limited;
        report.limitation = Some(crate::probe::report::Advice {
            message: format!(
                "{} requires tools this credential does not unlock: {}",
                self.named(),
                missing.join(", ")
            ),
            hint: "create a token with the scopes for them, or ask your admin to turn their \
                   permission groups on"
                .to_owned(),
        });
    }
}

/// The JSON Schema of a policy file, as committed in `docs/policy.schema.json`.
pub fn policy_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(PolicyFile)).expect("a schema is plain JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/etc/rovo-mcp-setup/policy.json";

    #[track_caller]
    fn refused(text: &str) -> String {
        let error =
            parse_policy(Path::new(PATH), text.as_bytes()).expect_err("the policy is refused");
        assert_eq!(
            error.kind(),
            ErrorKind::InvalidInput,
            "a bad policy is invalid input: {error}"
        );
        assert!(error.message().contains(PATH), "the file is named: {error}");
        error.message().to_owned()
    }

    #[test]
    fn a_complete_policy_parses() {
        let text = r#"{
            "$schema": "https://example.com/policy.schema.json",
            "organization": { "name": "Example Corp", "helpLink": "https://intranet.example.com/ai" },
            "endpoint": "https://mcp.atlassian.com/v1/mcp",
            "entryName": "atlassian",
            "allowedAuth": ["service"],
            "clients": { "configure": ["cursor", "vscode"], "never": ["claude-desktop"] },
            "secretMode": "inline",
            "requiredTools": ["getJiraIssue"],
            "reminderDays": 30,
            "checkIntervalHours": 12
        }"#;
        let (file, warnings) = parse_policy(Path::new(PATH), text.as_bytes()).unwrap();
        assert!(warnings.is_empty(), "every key is known: {warnings:?}");
        assert_eq!(file.allowed_auth, Some(vec![AuthMethod::Service]));
        assert_eq!(file.secret_mode, Some(SecretMode::Inline));
        assert_eq!(file.required_tools, ["getJiraIssue"]);
    }

    #[test]
    fn a_file_that_is_not_json_is_refused_with_its_line() {
        let message = refused("{\n  \"endpoint\": \n}");
        assert!(message.contains("is not JSON (line 3"), "{message}");
    }

    #[test]
    fn a_wrong_type_is_refused_naming_the_key() {
        let message = refused(r#"{ "allowedAuth": "personal" }"#);
        assert!(
            message.contains("`allowedAuth`"),
            "the key is named: {message}"
        );
        let message = refused(r#"{ "clients": { "never": [42] } }"#);
        assert!(
            message.contains("`clients.never[0]`"),
            "the nested key is named: {message}"
        );
    }

    #[test]
    fn allowing_no_auth_kind_is_refused() {
        let message = refused(r#"{ "allowedAuth": [] }"#);
        assert!(message.contains("allows no auth kind"), "{message}");
    }

    #[test]
    fn an_unknown_client_is_refused_naming_it_and_the_key() {
        let message = refused(r#"{ "clients": { "configure": ["cursor", "notepad"] } }"#);
        assert!(
            message.contains("`notepad`") && message.contains("`clients.configure`"),
            "{message}"
        );
    }

    #[test]
    fn an_http_endpoint_is_refused() {
        let message = refused(r#"{ "endpoint": "http://mcp.example.com/v1/mcp" }"#);
        assert!(message.contains("`endpoint`"), "{message}");
    }

    #[test]
    fn unknown_keys_are_warned_not_fatal() {
        let text = r#"{ "endpiont": "https://x.example/mcp", "clients": { "always": [] } }"#;
        let (file, warnings) = parse_policy(Path::new(PATH), text.as_bytes()).unwrap();
        assert_eq!(file.endpoint, None, "a misspelt key sets nothing");
        assert_eq!(
            file.clients,
            Some(ClientsPolicy::default()),
            "nor does an unknown nested one"
        );
        assert_eq!(
            warnings.len(),
            2,
            "each unknown key is warned: {warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("`endpiont`")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("`clients.always`")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_higher_file_replaces_only_the_keys_it_sets() {
        let mut merged = PolicyFile {
            endpoint: Some("https://low.example/mcp".to_owned()),
            entry_name: Some("low".to_owned()),
            ..PolicyFile::default()
        };
        merge(
            &mut merged,
            PolicyFile {
                entry_name: Some("high".to_owned()),
                ..PolicyFile::default()
            },
        );
        assert_eq!(
            merged.entry_name.as_deref(),
            Some("high"),
            "the higher file wins"
        );
        assert_eq!(
            merged.endpoint.as_deref(),
            Some("https://low.example/mcp"),
            "the rest stays"
        );
    }

    fn policy(settings: PolicyFile) -> Policy {
        Policy {
            settings,
            sources: vec![PathBuf::from(PATH)],
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_conflicting_flag_is_invalid_input_naming_the_policy() {
        let policy = policy(PolicyFile {
            organization: Some(Organization {
                name: "Example Corp".to_owned(),
                help_link: Some("https://intranet.example.com/ai".to_owned()),
            }),
            endpoint: Some("https://mcp.atlassian.com/v1/mcp".to_owned()),
            allowed_auth: Some(vec![AuthMethod::Service]),
            secret_mode: Some(SecretMode::Keychain),
            clients: Some(ClientsPolicy {
                configure: Some(vec!["cursor".to_owned()]),
                never: vec!["zed".to_owned()],
            }),
            ..PolicyFile::default()
        });
        let error = policy
            .endpoint(Some("https://other.example/mcp"))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(
            error.message().contains("Example Corp's policy"),
            "the organisation is named: {error}"
        );
        assert!(error.message().contains(PATH), "and the file: {error}");
        assert!(
            error.message().contains("https://intranet.example.com/ai"),
            "and the help link: {error}"
        );
        assert_eq!(
            policy.endpoint(None).unwrap().as_deref(),
            Some("https://mcp.atlassian.com/v1/mcp")
        );
        assert!(
            policy.check_auth(AuthMethod::Personal).is_err(),
            "personal is not allowed"
        );
        assert!(policy.check_auth(AuthMethod::Service).is_ok());
        assert!(
            policy.secret_mode(Some(SecretMode::Inline)).is_err(),
            "the mode is locked"
        );
        assert_eq!(
            policy.clients(&[]).unwrap(),
            ["cursor"],
            "no list given: the policy's"
        );
        assert!(
            policy.clients(&["zed".to_owned()]).is_err(),
            "a client never to touch is refused"
        );
    }

    #[test]
    fn the_committed_schema_matches_the_policy_type() {
        let committed_path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/policy.schema.json");
        let mut generated = serde_json::to_string_pretty(&policy_schema()).unwrap();
        generated.push('\n');
        let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
        if committed != generated {
            std::fs::write(&committed_path, &generated).unwrap();
        }
        assert!(
            committed == generated,
            "docs/policy.schema.json was stale and has been regenerated: review and commit it"
        );
    }
}
