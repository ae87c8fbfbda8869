//! The organisation's policy (design §8): what an IT team pins down for every machine — the
//! endpoint, the entry name, the allowed auth kinds, which clients to configure or never touch,
//! the secret mode, the tools that must be present, reminders, checks and start at login — read
//! from the platform's managed locations. A policy is never silently ignored: a source that does
//! not parse, gives a key twice or holds a bad value is refused with the source and key named,
//! and unknown keys are warned.
//!
//! Where the machine's policy is read, highest precedence first (docs/it-deployment.md says the
//! same to admins). No variable a person can set removes these sources (`%ProgramData%` and
//! `USER` still say where two of them are, as the platform does).
//! - Windows: `HKLM\SOFTWARE\Policies\RovoMcpSetup`, then `HKCU\SOFTWARE\Policies\RovoMcpSetup`,
//!   then `%ProgramData%\Rovo MCP Setup\policy.json`.
//! - macOS: the configuration profile's managed preferences for the computer
//!   (`/Library/Managed Preferences/com.rovomcpsetup.desktop.plist`), then the user's
//!   (`/Library/Managed Preferences/<user>/com.rovomcpsetup.desktop.plist`), then
//!   `/Library/Application Support/Rovo MCP Setup/policy.json`.
//! - Linux: `/etc/rovo-mcp-setup/policy.json`.
//!
//! `ROVO_MCP_POLICY` names one more JSON file (tests, trials, custom deployments), read below
//! all of them: it can add to the machine's policy, never loosen it, and a file it names that
//! does not exist is an error, not an empty policy.
//!
//! Sources merge key by key (`merge`): a value a higher source sets (the endpoint, the secret
//! mode, the allowed auth kinds, `clients.configure`…) wins over a lower one's, and the lists
//! of what to refuse (`clients.never`, `requiredTools`) are joined, so every source's refusals
//! hold. MDM-managed settings (profiles, registry) win over the file because they are what the
//! MDM enforces and reports on; the computer wins over the user as it does for Chrome and Edge,
//! so a user-scoped profile cannot loosen what the machine's policy locks; and the machine wins
//! over `ROVO_MCP_POLICY`.

mod managed_preferences;
mod parse;
mod registry;
mod sources;
mod unique_keys;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{self, SecretMode};
use crate::{Error, ErrorKind, Result};

pub use managed_preferences::parse_managed_preferences;
pub use parse::parse_policy;
use parse::{known_keys, refusal, typed};
pub use registry::{RegistryHive, RegistryValue, parse_registry_policy};
pub use sources::{load_current_policy, load_policy, machine_policy_sources};

/// The environment variable naming a policy file read below the machine's own (tests, trials).
pub const POLICY_ENV: &str = "ROVO_MCP_POLICY";

/// The preference domain of macOS configuration profiles: the app's bundle identifier.
pub const PREFERENCE_DOMAIN: &str = "com.rovomcpsetup.desktop";

/// Where one layer of the policy comes from; every message about it names it this way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// A JSON policy file.
    File(PathBuf),
    /// A configuration profile's managed preferences on macOS (a plist, XML or binary).
    ManagedPreferences(PathBuf),
    /// The policy key in a Windows registry hive.
    Registry(RegistryHive),
}

impl fmt::Display for PolicySource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::File(_) => "the policy",
            Self::ManagedPreferences(_) => "the managed preferences",
            Self::Registry(_) => "the registry policy",
        };
        write!(formatter, "{kind} {}", self.location())
    }
}

impl PolicySource {
    /// The file or registry key, quoted.
    fn location(&self) -> String {
        match self {
            Self::File(path) | Self::ManagedPreferences(path) => format!("`{}`", path.display()),
            Self::Registry(hive) => format!("`{hive}`"),
        }
    }

    /// How this source names a policy key: the registry by its value name, the others by the
    /// key's path (`clients.never[0]`).
    fn key(&self, path: &str) -> String {
        match self {
            Self::Registry(_) => format!("`{}`", registry::value_name(path)),
            Self::File(_) | Self::ManagedPreferences(_) => format!("`{path}`"),
        }
    }
}

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
    /// Start the tray at login: `true` turns it on after a setup and at each start of the app,
    /// `false` never turns it on (an entry the person made stays). Unset: the person chooses.
    pub start_at_login: Option<bool>,
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

/// What the wizard shows of the policy: who sets it, where to get help, and each locked choice
/// with its value (`None`: the person chooses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LockedChoices {
    /// The organisation named beside every locked choice.
    pub organization: Option<String>,
    /// Where people get help.
    pub help_link: Option<String>,
    /// The only auth kinds allowed.
    pub auth_kinds: Option<Vec<AuthMethod>>,
    /// The secret mode every client uses.
    pub secret_mode: Option<SecretMode>,
    /// The clients the organisation configures (ids, or `detected`, `all`).
    pub clients: Option<Vec<String>>,
    /// The only endpoint.
    pub endpoint: Option<String>,
    /// Whether the tray starts at login: `true` always on, `false` never turned on.
    pub start_at_login: Option<bool>,
}

impl LockedChoices {
    /// Whether the policy locks anything the method and clients steps ask about (they show a
    /// banner for it); start at login is shown locked on the last step alone.
    pub fn any(&self) -> bool {
        self.auth_kinds.is_some()
            || self.secret_mode.is_some()
            || self.clients.is_some()
            || self.endpoint.is_some()
    }
}

/// The policy in force: the merged sources and where they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub settings: PolicyFile,
    /// The sources read, highest precedence first.
    pub sources: Vec<PolicySource>,
    /// Keys that no release knows, per source: warned, never fatal.
    pub warnings: Vec<String>,
    /// The source whose value is in force for each key a refusal is about (`endpoint`,
    /// `allowedAuth`, `secretMode`, `startAtLogin`, `clients.never.<id>`), so the refusal names
    /// the file that set it; a key not here is named after the highest source.
    pub origins: BTreeMap<String, PolicySource>,
}

impl Policy {
    /// Who to name in a refusal about `key`: the organisation and the source that set the key,
    /// else the policy's highest source.
    fn named(&self, key: &str) -> String {
        let location = self
            .origins
            .get(key)
            .or_else(|| self.sources.first())
            .map_or_else(String::new, PolicySource::location);
        match &self.settings.organization {
            Some(organization) => format!("{}'s policy {location}", organization.name),
            None => format!("the policy {location}"),
        }
    }

    fn locked(&self, key: &str, what: &str, value: &str) -> Error {
        let help = self
            .settings
            .organization
            .as_ref()
            .and_then(|organization| organization.help_link.as_deref())
            .map_or_else(String::new, |link| format!("; see {link}"));
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} sets {what} to {value}, so it cannot be changed here{help}",
                self.named(key)
            ),
        )
    }

    /// The endpoint to use: the policy's, refusing a different one asked for.
    pub fn endpoint(&self, asked: Option<&str>) -> Result<Option<String>> {
        match (&self.settings.endpoint, asked) {
            (Some(locked), Some(asked))
                if locked.trim_end_matches('/') != asked.trim_end_matches('/') =>
            {
                Err(self.locked("endpoint", "the endpoint", &format!("`{locked}`")))
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
                Err(self.locked(
                    "allowedAuth",
                    "the allowed auth kinds",
                    &names.join(" and "),
                ))
            }
            _ => Ok(()),
        }
    }

    /// The secret mode to use: the policy's, refusing a different one asked for.
    pub fn secret_mode(&self, asked: Option<SecretMode>) -> Result<Option<SecretMode>> {
        match (self.settings.secret_mode, asked) {
            (Some(locked), Some(asked)) if locked != asked => {
                Err(self.locked("secretMode", "the secret mode", locked.name()))
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
            return Err(self.locked(
                &format!("clients.never.{id}"),
                &format!("`{id}`"),
                "never be touched",
            ));
        }
        Ok(chosen)
    }

    /// Refuses turning start at login on or off against the policy's `startAtLogin`: `true`
    /// keeps it on, `false` keeps it from being turned on (turning it off stays allowed).
    pub fn check_start_at_login(&self, enabled: bool) -> Result<()> {
        match self.settings.start_at_login {
            Some(true) if !enabled => Err(self.locked("startAtLogin", "start at login", "on")),
            Some(false) if enabled => Err(self.locked("startAtLogin", "start at login", "off")),
            _ => Ok(()),
        }
    }

    /// Whether `id` must never be touched.
    pub fn never_touch(&self, id: &str) -> bool {
        self.settings
            .clients
            .as_ref()
            .is_some_and(|clients| clients.never.iter().any(|never| never == id))
    }

    /// The choices the policy locks, for the wizard to show locked.
    pub fn locked_choices(&self) -> LockedChoices {
        let settings = &self.settings;
        LockedChoices {
            organization: settings
                .organization
                .as_ref()
                .map(|organization| organization.name.clone()),
            help_link: settings
                .organization
                .as_ref()
                .and_then(|organization| organization.help_link.clone()),
            auth_kinds: settings.allowed_auth.clone(),
            secret_mode: settings.secret_mode,
            clients: settings
                .clients
                .as_ref()
                .and_then(|clients| clients.configure.clone()),
            endpoint: settings.endpoint.clone(),
            start_at_login: settings.start_at_login,
        }
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
    pub fn require_tools(&self, report: &mut crate::domain::probe::ProbeReport) {
        if report.verdict != crate::domain::probe::Verdict::Ok {
            return;
        }
        let missing: Vec<&str> = self
            .settings
            .required_tools
            .iter()
            // A tool required under its v1 name is there under its v2 name too.
            .filter(|required| {
                !report.tools.iter().any(|tool| {
                    crate::domain::catalogue::Catalogue::known().same_tool(&tool.name, required)
                })
            })
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return;
        }
        report.verdict = crate::domain::probe::Verdict::Limited;
        report.limitation = Some(crate::domain::probe::report::Limitation {
            cause: crate::domain::probe::report::LimitationCause::RequiredToolsMissing,
            message: format!(
                "{} requires tools this credential does not unlock: {}",
                self.named("requiredTools"),
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
impl Policy {
    /// A policy read from `policy.json` that locks `endpoint` and nothing else.
    pub(crate) fn locking_endpoint(endpoint: &str) -> Self {
        Self {
            settings: PolicyFile {
                endpoint: Some(endpoint.to_owned()),
                ..PolicyFile::default()
            },
            sources: vec![PolicySource::File("policy.json".into())],
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::sources::{merge, merge_layers};
    use super::*;
    use crate::domain::clients::{ClientEnvironment, Os};

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
            "checkIntervalHours": 12,
            "startAtLogin": true
        }"#;
        let (file, warnings) = parse_policy(Path::new(PATH), text.as_bytes()).unwrap();
        assert!(warnings.is_empty(), "every key is known: {warnings:?}");
        assert_eq!(file.allowed_auth, Some(vec![AuthMethod::Service]));
        assert_eq!(file.secret_mode, Some(SecretMode::Inline));
        assert_eq!(file.required_tools, ["getJiraIssue"]);
        assert_eq!(file.start_at_login, Some(true));
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
    fn start_at_login_takes_only_a_boolean() {
        let message = refused(r#"{ "startAtLogin": "yes" }"#);
        assert!(
            message.contains("bad value at `startAtLogin`"),
            "the key is named: {message}"
        );
    }

    #[test]
    fn start_at_login_locks_the_one_way_the_policy_forbids() {
        let on = policy(PolicyFile {
            organization: Some(Organization {
                name: "Example Corp".to_owned(),
                help_link: None,
            }),
            start_at_login: Some(true),
            ..PolicyFile::default()
        });
        let error = on
            .check_start_at_login(false)
            .expect_err("a policy that turns it on keeps it on");
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(
            error.message().contains(
                "Example Corp's policy `/etc/rovo-mcp-setup/policy.json` sets start at login to on"
            ),
            "the organisation and file are named: {error}"
        );
        assert!(on.check_start_at_login(true).is_ok(), "on stays allowed");
        let off = policy(PolicyFile {
            start_at_login: Some(false),
            ..PolicyFile::default()
        });
        assert!(
            off.check_start_at_login(true).is_err(),
            "a policy that says never cannot be overridden"
        );
        assert!(
            off.check_start_at_login(false).is_ok(),
            "turning an old entry off agrees with the policy"
        );
        let unset = policy(PolicyFile::default());
        assert!(
            unset.check_start_at_login(true).is_ok() && unset.check_start_at_login(false).is_ok(),
            "without the key the person chooses"
        );
        assert_eq!(
            off.locked_choices().start_at_login,
            Some(false),
            "the wizard is told it is locked"
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
            sources: vec![PolicySource::File(PathBuf::from(PATH))],
            ..Policy::default()
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
    fn each_platform_reads_its_sources_highest_first() {
        let windows = ClientEnvironment::new(
            Os::Windows,
            r"C:\Users\ada",
            [("ProgramData", r"D:\ProgramData")],
        );
        assert_eq!(
            machine_policy_sources(&windows),
            [
                PolicySource::Registry(RegistryHive::LocalMachine),
                PolicySource::Registry(RegistryHive::CurrentUser),
                PolicySource::File(PathBuf::from(r"D:\ProgramData\Rovo MCP Setup\policy.json")),
            ],
            "the computer's registry policy, the user's, then the file"
        );
        let macos = ClientEnvironment::new(Os::MacOs, "/Users/ada", [("USER", "ada")]);
        assert_eq!(
            machine_policy_sources(&macos),
            [
                PolicySource::ManagedPreferences(PathBuf::from(
                    "/Library/Managed Preferences/com.rovomcpsetup.desktop.plist"
                )),
                PolicySource::ManagedPreferences(PathBuf::from(
                    "/Library/Managed Preferences/ada/com.rovomcpsetup.desktop.plist"
                )),
                PolicySource::File(PathBuf::from(
                    "/Library/Application Support/Rovo MCP Setup/policy.json"
                )),
            ],
            "the computer's profile, the user's, then the file"
        );
        let without_user = ClientEnvironment::new(Os::MacOs, "/Users/grace", []);
        assert_eq!(
            machine_policy_sources(&without_user)[1],
            PolicySource::ManagedPreferences(PathBuf::from(
                "/Library/Managed Preferences/grace/com.rovomcpsetup.desktop.plist"
            )),
            "without USER the home folder's name is the user's"
        );
        let linux = ClientEnvironment::new(Os::Linux, "/home/ada", [(POLICY_ENV, "policy.json")]);
        assert_eq!(
            machine_policy_sources(&linux),
            [PolicySource::File(PathBuf::from(
                "/etc/rovo-mcp-setup/policy.json"
            ))],
            "ROVO_MCP_POLICY leaves the machine's own source where it is"
        );
    }

    /// A temporary folder holding `policy.json` with `text`, and its path.
    fn policy_file(folder: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// An environment whose machine policy is `machine` and whose `ROVO_MCP_POLICY` is `added`.
    fn environment(machine: &[&Path], added: Option<&Path>) -> ClientEnvironment {
        let added = added.map(|path| path.to_string_lossy().into_owned());
        let variables: Vec<(&str, &str)> = added
            .iter()
            .map(|path| (POLICY_ENV, path.as_str()))
            .collect();
        ClientEnvironment::new(Os::Linux, "/home/ada", variables).with_machine_policy(
            machine
                .iter()
                .map(|path| PolicySource::File(path.to_path_buf()))
                .collect(),
        )
    }

    #[test]
    fn rovo_mcp_policy_naming_a_missing_file_is_an_error_not_an_empty_policy() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("absent.json");

        let error = load_policy(&environment(&[], Some(&missing)))
            .expect_err("a policy file that is not there is not no policy");

        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(
            error.message().contains(&missing.display().to_string())
                && error.message().contains(POLICY_ENV),
            "the file and the variable are named: {error}"
        );
    }

    #[test]
    fn the_machine_policy_applies_over_the_added_file_key_by_key() {
        let folder = tempfile::tempdir().unwrap();
        let machine = policy_file(
            &folder,
            "machine.json",
            r#"{ "organization": { "name": "Example Corp" },
                 "endpoint": "https://mcp.atlassian.com/v1/mcp", "secretMode": "keychain",
                 "allowedAuth": ["personal"], "startAtLogin": true,
                 "clients": { "never": ["zed"] }, "requiredTools": ["getJiraIssue"] }"#,
        );
        let added = policy_file(
            &folder,
            "added.json",
            r#"{ "endpoint": "http://127.0.0.1:9/mcp", "secretMode": "inline",
                 "allowedAuth": ["personal", "service"], "startAtLogin": false,
                 "clients": { "configure": ["cursor"], "never": ["windsurf"] },
                 "requiredTools": ["getConfluencePage"], "entryName": "trial" }"#,
        );

        let policy = load_policy(&environment(&[&machine], Some(&added))).unwrap();

        let settings = &policy.settings;
        assert_eq!(
            settings.endpoint.as_deref(),
            Some("https://mcp.atlassian.com/v1/mcp"),
            "the machine's locked endpoint stays"
        );
        assert_eq!(
            settings.secret_mode,
            Some(SecretMode::Keychain),
            "and its secret mode"
        );
        assert_eq!(
            settings.allowed_auth,
            Some(vec![AuthMethod::Personal]),
            "and its auth kinds: the added file cannot allow more"
        );
        assert_eq!(settings.start_at_login, Some(true), "and start at login");
        assert_eq!(
            settings.clients.as_ref().map(|clients| &clients.never),
            Some(&vec!["zed".to_owned(), "windsurf".to_owned()]),
            "both files' clients never to touch hold"
        );
        assert_eq!(
            settings.required_tools,
            ["getJiraIssue", "getConfluencePage"],
            "both files' required tools are required"
        );
        assert_eq!(
            settings
                .clients
                .as_ref()
                .and_then(|clients| clients.configure.as_deref()),
            Some(&["cursor".to_owned()][..]),
            "what the machine leaves open, the added file may set"
        );
        assert_eq!(policy.entry_name(), "trial", "and so is the entry name");
        let endpoint = policy
            .endpoint(Some("http://127.0.0.1:9/mcp"))
            .expect_err("the machine's endpoint is locked");
        assert!(
            endpoint.message().contains(&machine.display().to_string()),
            "a refusal names the file that set the key: {endpoint}"
        );
        let never = policy
            .clients(&["windsurf".to_owned()])
            .expect_err("the added file keeps Windsurf out");
        assert!(
            never.message().contains(&added.display().to_string())
                && !never.message().contains(&machine.display().to_string()),
            "the added file is named for its own refusal, not the machine's: {never}"
        );
        assert_eq!(
            policy.sources,
            [PolicySource::File(machine), PolicySource::File(added)],
            "the machine's source first, the added file last"
        );
    }

    #[test]
    fn without_a_machine_policy_the_added_file_is_the_policy() {
        let folder = tempfile::tempdir().unwrap();
        let absent_machine = folder.path().join("machine.json");
        let added = policy_file(&folder, "added.json", r#"{ "secretMode": "inline" }"#);

        let policy = load_policy(&environment(&[&absent_machine], Some(&added))).unwrap();

        assert_eq!(
            policy.settings.secret_mode,
            Some(SecretMode::Inline),
            "the added file applies where the machine sets nothing"
        );
        assert_eq!(
            policy.sources,
            [PolicySource::File(added)],
            "the machine's missing file is no source"
        );
    }

    #[test]
    fn a_key_given_twice_is_refused_naming_it_and_the_file() {
        let message = refused(
            "{\n  \"endpoint\": \"https://a.example/mcp\",\n  \"endpoint\": \"https://b.example/mcp\"\n}",
        );
        assert!(
            message.contains("gives the key `endpoint` twice (the second on line 3)"),
            "the key and the line are named: {message}"
        );
        let message =
            refused(r#"{ "clients": { "never": ["zed"], "configure": [], "never": [] } }"#);
        assert!(
            message.contains("`clients.never` twice"),
            "a nested key is named by its path: {message}"
        );
    }

    #[test]
    fn a_leading_byte_order_mark_is_accepted() {
        let text = "\u{feff}{ \"secretMode\": \"inline\" }";
        let (file, warnings) = parse_policy(Path::new(PATH), text.as_bytes())
            .expect("a file saved with a byte-order mark is a policy");
        assert_eq!(file.secret_mode, Some(SecretMode::Inline), "its keys apply");
        assert!(warnings.is_empty(), "and nothing is warned: {warnings:?}");
    }

    #[test]
    fn lists_of_refusals_join_and_clients_merge_key_by_key() {
        let mut merged = PolicyFile {
            clients: Some(ClientsPolicy {
                configure: Some(vec!["vscode".to_owned()]),
                never: vec!["zed".to_owned(), "cline".to_owned()],
            }),
            required_tools: vec!["getJiraIssue".to_owned()],
            ..PolicyFile::default()
        };
        merge(
            &mut merged,
            PolicyFile {
                clients: Some(ClientsPolicy {
                    configure: None,
                    never: vec!["cline".to_owned(), "windsurf".to_owned()],
                }),
                ..PolicyFile::default()
            },
        );
        assert_eq!(
            merged.clients,
            Some(ClientsPolicy {
                configure: Some(vec!["vscode".to_owned()]),
                never: vec!["cline".to_owned(), "windsurf".to_owned(), "zed".to_owned()],
            }),
            "a higher `clients.never` keeps the lower one's and its `configure`, once each"
        );
        assert_eq!(
            merged.required_tools,
            ["getJiraIssue"],
            "a higher source without required tools drops none"
        );
    }

    #[test]
    fn managed_settings_win_over_the_file_key_by_key() {
        let registry = PolicySource::Registry(RegistryHive::LocalMachine);
        let user_registry = PolicySource::Registry(RegistryHive::CurrentUser);
        let file = PolicySource::File(PathBuf::from(r"C:\ProgramData\Rovo MCP Setup\policy.json"));
        let layers = vec![
            (
                registry.clone(),
                PolicyFile {
                    secret_mode: Some(SecretMode::Keychain),
                    ..PolicyFile::default()
                },
                vec!["computer warning".to_owned()],
            ),
            (
                user_registry.clone(),
                PolicyFile {
                    secret_mode: Some(SecretMode::Inline),
                    entry_name: Some("from-user".to_owned()),
                    ..PolicyFile::default()
                },
                Vec::new(),
            ),
            (
                file.clone(),
                PolicyFile {
                    entry_name: Some("from-file".to_owned()),
                    endpoint: Some("https://mcp.example.com/v1/mcp".to_owned()),
                    ..PolicyFile::default()
                },
                vec!["file warning".to_owned()],
            ),
        ];

        let policy = merge_layers(layers);

        assert_eq!(
            policy.settings.secret_mode,
            Some(SecretMode::Keychain),
            "the computer's registry policy wins over the user's"
        );
        assert_eq!(
            policy.entry_name(),
            "from-user",
            "the user's registry policy wins over the file"
        );
        assert_eq!(
            policy.settings.endpoint.as_deref(),
            Some("https://mcp.example.com/v1/mcp"),
            "a key only the file sets still counts"
        );
        assert_eq!(
            policy.sources,
            [registry, user_registry, file],
            "the sources, highest first"
        );
        assert_eq!(
            policy.warnings,
            ["computer warning", "file warning"],
            "every source's warnings, highest first"
        );
    }

    #[test]
    fn a_refusal_from_a_managed_source_names_it() {
        let policy = Policy {
            settings: PolicyFile {
                endpoint: Some("https://mcp.atlassian.com/v1/mcp".to_owned()),
                ..PolicyFile::default()
            },
            sources: vec![PolicySource::Registry(RegistryHive::LocalMachine)],
            ..Policy::default()
        };
        let error = policy
            .endpoint(Some("https://other.example/mcp"))
            .expect_err("the endpoint is locked");
        assert!(
            error
                .message()
                .starts_with(r"the policy `HKLM\SOFTWARE\Policies\RovoMcpSetup` sets the endpoint"),
            "the registry key is named: {error}"
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
