//! Reading one policy source: its keys checked against the schema, unknown ones warned, a
//! key given twice or a bad value refused with the source and key named.

use std::path::Path;

use serde::Deserialize;

use super::{PolicyFile, PolicySource, unique_keys};
use crate::domain::clients;
use crate::domain::probe::Endpoint;
use crate::{Error, ErrorKind, Result};

/// Parses and checks one policy file. Unknown keys come back as warnings; a key given twice
/// is refused, and a leading byte-order mark (Notepad writes one) is not part of the JSON.
pub fn parse_policy(path: &Path, bytes: &[u8]) -> Result<(PolicyFile, Vec<String>)> {
    let source = PolicySource::File(path.to_owned());
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value = unique_keys::parse(bytes).map_err(|refused| match refused {
        unique_keys::JsonRefusal::Syntax(error) => refusal(
            &source,
            &format!("is not JSON (line {}: {error})", error.line()),
        ),
        unique_keys::JsonRefusal::TwiceGiven { key, line } => refusal(
            &source,
            &format!("gives the key `{key}` twice (the second on line {line}): keep one"),
        ),
    })?;
    let (known, warnings) = known_keys(&source, &value);
    Ok((typed(&source, &known)?, warnings))
}

/// `value` without the keys this release does not know, and a warning for each of them.
pub(super) fn known_keys(
    source: &PolicySource,
    value: &serde_json::Value,
) -> (serde_json::Value, Vec<String>) {
    let mut unknown = Vec::new();
    let known = strip_unknown(value, &mut unknown);
    let warnings = unknown
        .into_iter()
        .map(|key| format!("{source} has a key this release does not know: `{key}`"))
        .collect();
    (known, warnings)
}

/// The policy of `known` (only known keys), refused with the key named when a value is bad.
pub(super) fn typed(source: &PolicySource, known: &serde_json::Value) -> Result<PolicyFile> {
    let file: PolicyFile = serde_path_to_error::deserialize(known).map_err(|error| {
        let key = source.key(&error.path().to_string());
        refusal(
            source,
            &format!("has a bad value at {key}: {}", error.inner()),
        )
    })?;
    check(source, &file)?;
    Ok(file)
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
    start_at_login: Option<serde_json::Value>,
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
pub(super) fn check(source: &PolicySource, file: &PolicyFile) -> Result<()> {
    if let Some(endpoint) = &file.endpoint {
        Endpoint::parse(endpoint).map_err(|error| {
            let key = source.key("endpoint");
            refusal(source, &format!("has a bad value at {key}: {error}"))
        })?;
    }
    if file.allowed_auth.as_ref().is_some_and(Vec::is_empty) {
        let key = source.key("allowedAuth");
        return Err(refusal(
            source,
            &format!("allows no auth kind at {key}: list `personal`, `service` or both"),
        ));
    }
    if let Some(name) = &file.entry_name
        && name.trim().is_empty()
    {
        let key = source.key("entryName");
        return Err(refusal(source, &format!("has an empty {key}")));
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
                let key = source.key(key);
                return Err(refusal(
                    source,
                    &format!("names an unknown client `{id}` at {key}"),
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn refusal(source: &PolicySource, detail: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{source} {detail}; nothing was changed: ask your IT team to fix the policy"),
    )
}
