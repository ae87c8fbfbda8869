//! The policy as Group Policy and Intune write it: values under `SOFTWARE\Policies\RovoMcpSetup`
//! in HKLM or HKCU. Turning those values into a policy is a pure function over the values read,
//! so it is tested on any OS; only reading the registry is Windows code.

use std::fmt;

use super::{PolicyFile, PolicySource, refusal, typed};
use crate::Result;

/// The key under each hive that holds the policy; the ADMX template writes here.
pub const POLICY_KEY: &str = r"SOFTWARE\Policies\RovoMcpSetup";

/// The registry hives a policy is read from, the computer's first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryHive {
    LocalMachine,
    CurrentUser,
}

impl fmt::Display for RegistryHive {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hive = match self {
            Self::LocalMachine => "HKLM",
            Self::CurrentUser => "HKCU",
        };
        write!(formatter, r"{hive}\{POLICY_KEY}")
    }
}

/// A registry value as read, by its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryValue {
    /// `REG_SZ`.
    String(String),
    /// `REG_DWORD`.
    Dword(u32),
    /// `REG_MULTI_SZ`.
    MultiString(Vec<String>),
    /// Any other type, by its name (`REG_BINARY`…): no policy value takes it.
    Other(String),
}

impl RegistryValue {
    fn type_name(&self) -> &str {
        match self {
            Self::String(_) => ValueType::String.name(),
            Self::Dword(_) => ValueType::Dword.name(),
            Self::MultiString(_) => ValueType::MultiString.name(),
            Self::Other(name) => name,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueType {
    String,
    Dword,
    /// A `REG_DWORD` of 0 (off) or 1 (on), as an ADMX policy's enabled and disabled values.
    Boolean,
    MultiString,
}

impl ValueType {
    fn name(self) -> &'static str {
        match self {
            Self::String => "REG_SZ",
            Self::Dword | Self::Boolean => "REG_DWORD",
            Self::MultiString => "REG_MULTI_SZ",
        }
    }
}

/// Every registry value a policy may hold: its name, the policy key it sets and its type.
/// `packaging/windows/RovoMcpSetup.admx` and docs/it-deployment.md list the same values.
const VALUES: [(&str, &str, ValueType); 12] = [
    ("OrganizationName", "organization.name", ValueType::String),
    ("HelpLink", "organization.helpLink", ValueType::String),
    ("Endpoint", "endpoint", ValueType::String),
    ("EntryName", "entryName", ValueType::String),
    ("AllowedAuth", "allowedAuth", ValueType::MultiString),
    ("Clients", "clients.configure", ValueType::MultiString),
    ("NeverClients", "clients.never", ValueType::MultiString),
    ("SecretMode", "secretMode", ValueType::String),
    ("RequiredTools", "requiredTools", ValueType::MultiString),
    ("ReminderDays", "reminderDays", ValueType::Dword),
    ("CheckIntervalHours", "checkIntervalHours", ValueType::Dword),
    ("StartAtLogin", "startAtLogin", ValueType::Boolean),
];

/// The registry value that sets the policy key at `path` (`clients.never[0]` → `NeverClients`).
pub(super) fn value_name(path: &str) -> String {
    VALUES
        .iter()
        .find(|(_, key, _)| {
            path.strip_prefix(key)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
        .map_or_else(|| path.to_owned(), |(name, _, _)| (*name).to_owned())
}

/// Parses and checks the values under one hive's policy key. Value names are matched without
/// regard to case, as Windows does; values this release does not know come back as warnings.
pub fn parse_registry_policy(
    hive: RegistryHive,
    values: &[(String, RegistryValue)],
) -> Result<(PolicyFile, Vec<String>)> {
    let source = PolicySource::Registry(hive);
    let mut settings = serde_json::Map::new();
    let mut warnings = Vec::new();
    for (name, value) in values {
        let Some((known_name, key, expected)) = VALUES
            .iter()
            .find(|(known, _, _)| known.eq_ignore_ascii_case(name))
        else {
            warnings.push(format!(
                "{source} has a value this release does not know: `{name}`"
            ));
            continue;
        };
        let setting = match (expected, value) {
            (ValueType::String, RegistryValue::String(text)) => {
                serde_json::Value::from(text.as_str())
            }
            (ValueType::Dword, RegistryValue::Dword(number)) => serde_json::Value::from(*number),
            (ValueType::Boolean, RegistryValue::Dword(number @ (0 | 1))) => {
                serde_json::Value::Bool(*number == 1)
            }
            (ValueType::Boolean, RegistryValue::Dword(number)) => {
                return Err(refusal(
                    &source,
                    &format!(
                        "has `{known_name}` set to {number}, where 0 (off) or 1 (on) is expected"
                    ),
                ));
            }
            // A REG_MULTI_SZ ends in an empty string on disk; editors may leave blank lines too.
            (ValueType::MultiString, RegistryValue::MultiString(items)) => items
                .iter()
                .filter(|item| !item.trim().is_empty())
                .map(|item| serde_json::Value::from(item.as_str()))
                .collect(),
            _ => {
                return Err(refusal(
                    &source,
                    &format!(
                        "has `{known_name}` as {}, where {} is expected",
                        value.type_name(),
                        expected.name()
                    ),
                ));
            }
        };
        insert(&mut settings, key, setting);
    }
    if let Some(organization) = settings.get("organization")
        && organization.get("name").is_none()
    {
        return Err(refusal(
            &source,
            "has `HelpLink` without `OrganizationName`: set the organisation's name too",
        ));
    }
    Ok((
        typed(&source, &serde_json::Value::Object(settings))?,
        warnings,
    ))
}

/// Sets `value` at the dotted `key` (`clients.never`), making the objects on the way.
fn insert(
    settings: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    value: serde_json::Value,
) {
    match key.split_once('.') {
        Some((parent, child)) => {
            let parent = settings
                .entry(parent)
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if let serde_json::Value::Object(parent) = parent {
                insert(parent, child, value);
            }
        }
        None => {
            settings.insert(key.to_owned(), value);
        }
    }
}

/// The values under `hive`'s policy key; `None` when there is no such key.
#[cfg(windows)]
pub(super) fn read(hive: RegistryHive) -> Result<Option<Vec<(String, RegistryValue)>>> {
    use windows_registry::{CURRENT_USER, LOCAL_MACHINE, Type};

    // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): no policy key, so no registry policy.
    const NOT_FOUND: i32 = 0x8007_0002_u32.cast_signed();
    let source = PolicySource::Registry(hive);
    // The crate's error type is not public: name it only through what it shows.
    let unreadable = |error: &dyn fmt::Display| -> crate::Error {
        refusal(&source, &format!("cannot be read: {error}"))
    };
    let root = match hive {
        RegistryHive::LocalMachine => LOCAL_MACHINE,
        RegistryHive::CurrentUser => CURRENT_USER,
    };
    let key = match root.open(POLICY_KEY) {
        Ok(key) => key,
        Err(error) if error.code().0 == NOT_FOUND => return Ok(None),
        Err(error) => return Err(unreadable(&error)),
    };
    let mut values = Vec::new();
    for (name, value) in key.values().map_err(|error| unreadable(&error))? {
        let value = match value.ty() {
            Type::String => {
                RegistryValue::String(String::try_from(value).map_err(|error| unreadable(&error))?)
            }
            Type::U32 => {
                RegistryValue::Dword(u32::try_from(value).map_err(|error| unreadable(&error))?)
            }
            Type::MultiString => RegistryValue::MultiString(
                Vec::<String>::try_from(value).map_err(|error| unreadable(&error))?,
            ),
            Type::ExpandString => RegistryValue::Other("REG_EXPAND_SZ".to_owned()),
            Type::U64 => RegistryValue::Other("REG_QWORD".to_owned()),
            Type::Bytes => RegistryValue::Other("REG_BINARY".to_owned()),
            Type::Other(number) => RegistryValue::Other(format!("registry type {number}")),
        };
        values.push((name, value));
    }
    Ok(Some(values))
}

/// There is no registry off Windows, so no registry policy.
#[cfg(not(windows))]
#[expect(
    clippy::unnecessary_wraps,
    reason = "the same signature as the Windows reader"
)]
pub(super) fn read(_hive: RegistryHive) -> Result<Option<Vec<(String, RegistryValue)>>> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::clients::SecretMode;

    const HKLM: &str = r"HKLM\SOFTWARE\Policies\RovoMcpSetup";

    fn text(name: &str, value: &str) -> (String, RegistryValue) {
        (name.to_owned(), RegistryValue::String(value.to_owned()))
    }

    fn list(name: &str, items: &[&str]) -> (String, RegistryValue) {
        let items = items.iter().map(|item| (*item).to_owned()).collect();
        (name.to_owned(), RegistryValue::MultiString(items))
    }

    fn number(name: &str, value: u32) -> (String, RegistryValue) {
        (name.to_owned(), RegistryValue::Dword(value))
    }

    #[track_caller]
    fn refused(values: &[(String, RegistryValue)]) -> String {
        let error = parse_registry_policy(RegistryHive::LocalMachine, values)
            .expect_err("the registry policy is refused");
        assert_eq!(
            error.kind(),
            ErrorKind::InvalidInput,
            "a bad policy is invalid input: {error}"
        );
        assert!(
            error.message().contains(HKLM),
            "the registry key is named: {error}"
        );
        error.message().to_owned()
    }

    #[test]
    fn every_value_sets_its_policy_key() {
        let values = [
            text("OrganizationName", "Example Corp"),
            text("HelpLink", "https://intranet.example.com/ai"),
            text("Endpoint", "https://mcp.atlassian.com/v1/mcp"),
            text("EntryName", "atlassian"),
            // REG_MULTI_SZ as Windows returns it: with the empty string that ends the list.
            list("AllowedAuth", &["personal", "service", ""]),
            list("Clients", &["cursor", "vscode"]),
            list("NeverClients", &["zed"]),
            text("SecretMode", "keychain"),
            list("RequiredTools", &["getJiraIssue"]),
            number("ReminderDays", 30),
            number("checkintervalhours", 12),
            number("StartAtLogin", 1),
        ];

        let (file, warnings) = parse_registry_policy(RegistryHive::LocalMachine, &values)
            .expect("a complete registry policy parses");

        assert!(warnings.is_empty(), "every value is known: {warnings:?}");
        let organization = file.organization.expect("the organisation is set");
        assert_eq!(organization.name, "Example Corp", "OrganizationName");
        assert_eq!(
            organization.help_link.as_deref(),
            Some("https://intranet.example.com/ai"),
            "HelpLink"
        );
        assert_eq!(file.entry_name.as_deref(), Some("atlassian"), "EntryName");
        assert_eq!(
            file.allowed_auth,
            Some(vec![AuthMethod::Personal, AuthMethod::Service]),
            "AllowedAuth, without the list's closing empty string"
        );
        let clients = file.clients.expect("the clients are set");
        assert_eq!(
            clients.configure,
            Some(vec!["cursor".to_owned(), "vscode".to_owned()]),
            "Clients"
        );
        assert_eq!(clients.never, ["zed"], "NeverClients");
        assert_eq!(file.secret_mode, Some(SecretMode::Keychain), "SecretMode");
        assert_eq!(file.required_tools, ["getJiraIssue"], "RequiredTools");
        assert_eq!(file.reminder_days, Some(30), "ReminderDays");
        assert_eq!(
            file.check_interval_hours,
            Some(12),
            "value names match without regard to case, as in Windows"
        );
        assert_eq!(file.start_at_login, Some(true), "StartAtLogin 1 is on");
    }

    #[test]
    fn start_at_login_is_a_dword_of_zero_or_one() {
        let (file, _) =
            parse_registry_policy(RegistryHive::LocalMachine, &[number("StartAtLogin", 0)])
                .expect("0 is a valid StartAtLogin");
        assert_eq!(
            file.start_at_login,
            Some(false),
            "0, the ADMX policy disabled, is never turn it on"
        );
        let message = refused(&[number("StartAtLogin", 2)]);
        assert!(
            message.contains("`StartAtLogin` set to 2, where 0 (off) or 1 (on) is expected"),
            "any other number is refused naming the value: {message}"
        );
        let message = refused(&[text("StartAtLogin", "true")]);
        assert!(
            message.contains("`StartAtLogin` as REG_SZ, where REG_DWORD is expected"),
            "text is refused naming both types: {message}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_naming_it_and_both_types() {
        let message = refused(&[text("AllowedAuth", "personal")]);
        assert!(
            message.contains("`AllowedAuth` as REG_SZ, where REG_MULTI_SZ is expected"),
            "{message}"
        );
        let message = refused(&[(
            "ReminderDays".to_owned(),
            RegistryValue::Other("REG_QWORD".to_owned()),
        )]);
        assert!(
            message.contains("`ReminderDays` as REG_QWORD, where REG_DWORD is expected"),
            "{message}"
        );
    }

    #[test]
    fn a_bad_value_is_refused_naming_the_value_not_the_file_key() {
        let message = refused(&[list("AllowedAuth", &["personal", "oauth"])]);
        assert!(
            message.contains("bad value at `AllowedAuth`"),
            "the value name, as the admin typed it: {message}"
        );
        let message = refused(&[text("SecretMode", "plaintext")]);
        assert!(message.contains("bad value at `SecretMode`"), "{message}");
    }

    #[test]
    fn allowing_no_auth_kind_is_refused() {
        let message = refused(&[list("AllowedAuth", &[""])]);
        assert!(
            message.contains("allows no auth kind at `AllowedAuth`"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_client_is_refused_naming_the_value() {
        let message = refused(&[list("NeverClients", &["notepad"])]);
        assert!(
            message.contains("unknown client `notepad` at `NeverClients`"),
            "{message}"
        );
        let message = refused(&[list("Clients", &["detected", "notepad"])]);
        assert!(
            message.contains("unknown client `notepad` at `Clients`"),
            "{message}"
        );
    }

    #[test]
    fn an_http_endpoint_is_refused() {
        let message = refused(&[text("Endpoint", "http://mcp.example.com/v1/mcp")]);
        assert!(message.contains("bad value at `Endpoint`"), "{message}");
    }

    #[test]
    fn a_help_link_needs_the_organisation_name() {
        let message = refused(&[text("HelpLink", "https://intranet.example.com/ai")]);
        assert!(
            message.contains("`HelpLink` without `OrganizationName`"),
            "{message}"
        );
    }

    #[test]
    fn unknown_values_are_warned_naming_the_key_not_fatal() {
        let (file, warnings) = parse_registry_policy(
            RegistryHive::CurrentUser,
            &[text("EntryNmae", "typo"), text("EntryName", "atlassian")],
        )
        .expect("an unknown value is not fatal");
        assert_eq!(
            file.entry_name.as_deref(),
            Some("atlassian"),
            "the known value still counts"
        );
        assert_eq!(
            warnings,
            [
                r"the registry policy `HKCU\SOFTWARE\Policies\RovoMcpSetup` has a value this release does not know: `EntryNmae`"
            ],
            "the hive, key and value are named"
        );
    }

    #[test]
    fn the_admx_template_declares_every_value_with_its_type() {
        let admx = include_str!("../../../../../packaging/windows/RovoMcpSetup.admx");
        for (name, _, value_type) in VALUES {
            let element = match value_type {
                ValueType::String => ["<text ", "<enum "].as_slice(),
                ValueType::Dword => ["<decimal "].as_slice(),
                // An on/off policy names its value on the policy itself, with enabled (1) and
                // disabled (0) values.
                ValueType::Boolean => ["<policy "].as_slice(),
                ValueType::MultiString => ["<multiText "].as_slice(),
            };
            let declared = admx.lines().any(|line| {
                line.contains(&format!(r#"valueName="{name}""#))
                    && element.iter().any(|element| line.contains(element))
            });
            assert!(
                declared,
                "the ADMX declares `{name}` as {}",
                value_type.name()
            );
        }
        let declared = admx.matches("valueName=\"").count();
        assert_eq!(
            declared,
            VALUES.len(),
            "the ADMX declares no value the app does not read"
        );
        assert!(
            admx.contains(&format!(r#"key="{POLICY_KEY}""#)),
            "the ADMX writes under the key the app reads"
        );
    }
}
