//! Where the machine's policy is read, and how its layers merge into one: the platform's
//! managed locations, then `ROVO_MCP_POLICY`, merged key by key (see the module above).

use std::path::{Path, PathBuf};

use super::parse::parse_policy;
use super::{
    ClientsPolicy, POLICY_ENV, PREFERENCE_DOMAIN, Policy, PolicyFile, PolicySource, RegistryHive,
    parse_managed_preferences, parse_registry_policy, refusal, registry,
};
use crate::domain::clients::{ClientEnvironment, Os};
use crate::{Error, ErrorKind, Result};

/// The machine's policy sources on `environment`'s platform, highest precedence first (see the
/// module doc), unless the environment was built with others (the demo's sandbox, tests).
pub fn machine_policy_sources(environment: &ClientEnvironment) -> Vec<PolicySource> {
    if let Some(sources) = environment.machine_policy() {
        return sources.to_vec();
    }
    match environment.os() {
        Os::Linux => vec![PolicySource::File(PathBuf::from(
            "/etc/rovo-mcp-setup/policy.json",
        ))],
        Os::MacOs => {
            let profile = format!("{PREFERENCE_DOMAIN}.plist");
            let managed = Path::new("/Library/Managed Preferences");
            let mut sources = vec![PolicySource::ManagedPreferences(managed.join(&profile))];
            if let Some(user) = macos_user(environment) {
                sources.push(PolicySource::ManagedPreferences(
                    managed.join(user).join(&profile),
                ));
            }
            sources.push(PolicySource::File(PathBuf::from(
                "/Library/Application Support/Rovo MCP Setup/policy.json",
            )));
            sources
        }
        Os::Windows => {
            let program_data = environment
                .variable("ProgramData")
                .unwrap_or(r"C:\ProgramData");
            vec![
                PolicySource::Registry(RegistryHive::LocalMachine),
                PolicySource::Registry(RegistryHive::CurrentUser),
                PolicySource::File(
                    environment.join(Path::new(program_data), &["Rovo MCP Setup", "policy.json"]),
                ),
            ]
        }
    }
}

/// The file `ROVO_MCP_POLICY` adds below the machine's policy, when it names one.
fn added_policy_file(environment: &ClientEnvironment) -> Option<PathBuf> {
    environment
        .variable(POLICY_ENV)
        .filter(|path| !path.trim().is_empty())
        .map(PathBuf::from)
}

/// The short name macOS files a user's managed preferences under: `USER`, else the home
/// folder's name (`/Users/<name>`).
fn macos_user(environment: &ClientEnvironment) -> Option<String> {
    environment
        .variable("USER")
        .filter(|user| !user.trim().is_empty() && !user.contains('/'))
        .map(str::to_owned)
        .or_else(|| {
            environment
                .home(&[])
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
}

/// Reads and merges the machine's policy sources that exist and the file `ROVO_MCP_POLICY`
/// adds below them. No machine source is no machine policy; a source that exists but cannot be
/// used, or an added file that does not exist, is an error naming it.
pub fn load_policy(environment: &ClientEnvironment) -> Result<Policy> {
    let mut layers = Vec::new();
    for source in machine_policy_sources(environment) {
        if let Some(layer) = read_layer(&source)? {
            layers.push(layer);
        } else {
            tracing::trace!(%source, "no policy here");
        }
    }
    if let Some(path) = added_policy_file(environment) {
        let source = PolicySource::File(path);
        let layer = read_layer(&source)?.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "{source}, named by {POLICY_ENV}, does not exist; nothing was changed: \
                     point {POLICY_ENV} at a policy file, or unset it to use only this \
                     machine's policy"
                ),
            )
        })?;
        layers.push(layer);
    }
    Ok(merge_layers(layers))
}

/// One source's policy and warnings; `None` when the source is not there.
fn read_layer(source: &PolicySource) -> Result<Option<(PolicySource, PolicyFile, Vec<String>)>> {
    let layer = match source {
        PolicySource::File(path) => read_source(source, path)?
            .map(|bytes| parse_policy(path, &bytes))
            .transpose()?,
        PolicySource::ManagedPreferences(path) => read_source(source, path)?
            .map(|bytes| parse_managed_preferences(path, &bytes))
            .transpose()?,
        PolicySource::Registry(hive) => registry::read(*hive)?
            .map(|values| parse_registry_policy(*hive, &values))
            .transpose()?,
    };
    Ok(layer.map(|(file, warnings)| {
        tracing::info!(%source, warnings = warnings.len(), "policy loaded");
        (source.clone(), file, warnings)
    }))
}

/// The policy in force for this process ([`load_policy`] of its environment), the machine's
/// even when no home folder is known: unsetting `HOME` must not switch it off.
pub fn load_current_policy() -> Result<Policy> {
    if let Some(environment) = ClientEnvironment::current() {
        return load_policy(&environment);
    }
    let variables: Vec<(&str, String)> = [POLICY_ENV, "ProgramData", "USER"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok().map(|value| (name, value)))
        .collect();
    load_policy(&ClientEnvironment::new(
        Os::current(),
        PathBuf::new(),
        variables
            .iter()
            .map(|(name, value)| (*name, value.as_str())),
    ))
}

/// A source file's bytes; `None` when there is no such file.
fn read_source(source: &PolicySource, path: &Path) -> Result<Option<Vec<u8>>> {
    match crate::plumbing::fsutil::read_regular_file(
        path,
        crate::plumbing::fsutil::POLICY_FILE_LIMIT,
    ) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(refusal(source, &format!("cannot be read: {error}"))),
    }
}

/// The policy of `layers`, given highest precedence first.
pub(super) fn merge_layers(layers: Vec<(PolicySource, PolicyFile, Vec<String>)>) -> Policy {
    let mut policy = Policy::default();
    // Lowest precedence first, so that a higher layer's keys replace a lower one's.
    for (source, file, warnings) in layers.into_iter().rev() {
        policy.warnings.splice(0..0, warnings);
        let locks = [
            ("endpoint", file.endpoint.is_some()),
            ("allowedAuth", file.allowed_auth.is_some()),
            ("secretMode", file.secret_mode.is_some()),
            ("startAtLogin", file.start_at_login.is_some()),
        ];
        let keys = locks
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(key, _)| key.to_owned())
            .chain(
                file.clients
                    .iter()
                    .flat_map(|clients| &clients.never)
                    .map(|id| format!("clients.never.{id}")),
            );
        for key in keys {
            policy.origins.insert(key, source.clone());
        }
        merge(&mut policy.settings, file);
        policy.sources.insert(0, source);
    }
    policy
}

/// Lays `higher` over `lower`, key by key: a value `higher` sets replaces `lower`'s (each of
/// `clients`' two keys on its own), and the lists of what to refuse are joined, so a higher
/// source can add to them but never drop what a lower one refuses.
pub(super) fn merge(lower: &mut PolicyFile, higher: PolicyFile) {
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
        start_at_login,
    } = higher;
    lower.organization = organization.or(lower.organization.take());
    lower.endpoint = endpoint.or(lower.endpoint.take());
    lower.entry_name = entry_name.or(lower.entry_name.take());
    lower.allowed_auth = allowed_auth.or(lower.allowed_auth.take());
    if let Some(higher_clients) = clients {
        let merged = lower.clients.get_or_insert_with(ClientsPolicy::default);
        merged.configure = higher_clients.configure.or(merged.configure.take());
        merged.never = joined(higher_clients.never, &merged.never);
    }
    lower.secret_mode = secret_mode.or(lower.secret_mode.take());
    lower.required_tools = joined(required_tools, &lower.required_tools);
    lower.reminder_days = reminder_days.or(lower.reminder_days);
    lower.check_interval_hours = check_interval_hours.or(lower.check_interval_hours);
    lower.start_at_login = start_at_login.or(lower.start_at_login);
}

/// `higher`'s items, then those of `lower` that `higher` does not list.
fn joined(mut higher: Vec<String>, lower: &[String]) -> Vec<String> {
    for item in lower {
        if !higher.contains(item) {
            higher.push(item.clone());
        }
    }
    higher
}
