//! VS Code's profiles: a profile that does not share the default profile's MCP servers reads its
//! own `mcp.json` in `<User>/profiles/<location>`, so our entry goes there too. The profiles are
//! listed in `<User>/globalStorage/storage.json` under `userDataProfiles`, each with its
//! `location` (a folder name, or a URI in older files) and `useDefaultFlags`. Source:
//! microsoft/vscode `src/vs/platform/userDataProfile/common/userDataProfile.ts`
//! (`toUserDataProfile`: `mcpResource`) and `node/userDataProfile.ts` (`saveStoredProfiles`),
//! read 2026-12-04.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ClientEnvironment;
use crate::plumbing::fsutil::{CONFIG_FILE_LIMIT, read_regular_file};

/// One profile with an MCP config of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientProfile {
    /// The name the person gave the profile.
    pub name: String,
    /// The profile's `mcp.json`, which may not exist yet.
    pub config_file: PathBuf,
}

#[derive(Deserialize)]
struct Storage {
    #[serde(rename = "userDataProfiles", default)]
    profiles: Vec<StoredProfile>,
}

#[derive(Deserialize)]
struct StoredProfile {
    name: Option<String>,
    location: Option<serde_json::Value>,
    #[serde(rename = "useDefaultFlags", default)]
    use_default: UseDefault,
}

#[derive(Deserialize, Default)]
struct UseDefault {
    #[serde(default)]
    mcp: bool,
}

/// The profiles of the VS Code-family product `product` (`Code`, `Code - Insiders`) whose folder
/// exists and which keep MCP servers of their own. A missing or unreadable `storage.json` means
/// no profiles: the default profile's file is written either way.
pub fn vscode_profiles(environment: &ClientEnvironment, product: &str) -> Vec<ClientProfile> {
    let storage = environment.vscode_user(product, &["globalStorage", "storage.json"]);
    let Some(stored) = read_regular_file(&storage, CONFIG_FILE_LIMIT)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Storage>(&bytes).ok())
    else {
        return Vec::new();
    };
    let profiles_folder = environment.vscode_user(product, &["profiles"]);
    stored
        .profiles
        .into_iter()
        .filter(|profile| !profile.use_default.mcp)
        .filter_map(|profile| {
            let folder = profile_folder(environment, &profiles_folder, profile.location?)?;
            folder.is_dir().then(|| ClientProfile {
                name: profile.name.unwrap_or_else(|| folder_name(&folder)),
                config_file: environment.join(&folder, &["mcp.json"]),
            })
        })
        .collect()
}

/// The profile's folder: a folder name under `profiles`, or the path of an older file's URI.
fn profile_folder(
    environment: &ClientEnvironment,
    profiles_folder: &Path,
    location: serde_json::Value,
) -> Option<PathBuf> {
    match location {
        serde_json::Value::String(name)
            if !name.is_empty() && !name.contains(['/', '\\']) && name != ".." =>
        {
            Some(environment.join(profiles_folder, &[&name]))
        }
        serde_json::Value::Object(uri) => {
            let path = uri
                .get("fsPath")
                .or_else(|| uri.get("path"))
                .and_then(serde_json::Value::as_str)?;
            // Only a folder under `profiles`: a path elsewhere is not a VS Code profile folder.
            let path = PathBuf::from(path);
            path.starts_with(profiles_folder).then_some(path)
        }
        _ => None,
    }
}

fn folder_name(folder: &Path) -> String {
    folder
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clients::Os;

    #[test]
    fn profiles_with_their_own_servers_and_a_folder_are_listed() {
        let home = tempfile::tempdir().unwrap();
        let user = home.path().join(".config/Code/User");
        for folder in ["-6f1a2b", "3c4d5e", "7a8b9c"] {
            std::fs::create_dir_all(user.join("profiles").join(folder)).unwrap();
        }
        std::fs::create_dir_all(user.join("globalStorage")).unwrap();
        let old_uri = user.join("profiles/7a8b9c");
        std::fs::write(
            user.join("globalStorage/storage.json"),
            serde_json::json!({
                "userDataProfiles": [
                    { "name": "Work", "location": "-6f1a2b" },
                    { "name": "Shares servers", "location": "3c4d5e", "useDefaultFlags": { "mcp": true } },
                    { "name": "Old", "location": { "$mid": 1, "path": old_uri.to_str().unwrap(), "scheme": "file" } },
                    { "name": "Never opened", "location": "000000" },
                    { "name": "Escapes", "location": "../../.ssh" },
                ]
            })
            .to_string(),
        )
        .unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);

        let profiles = vscode_profiles(&environment, "Code");

        assert_eq!(
            profiles,
            [
                ClientProfile {
                    name: "Work".to_owned(),
                    config_file: user.join("profiles/-6f1a2b/mcp.json"),
                },
                ClientProfile {
                    name: "Old".to_owned(),
                    config_file: old_uri.join("mcp.json"),
                },
            ],
            "a profile sharing the default's servers, one whose folder is missing and one that \
             points outside `profiles` are left out"
        );
    }

    #[test]
    fn no_storage_file_or_a_broken_one_means_no_profiles() {
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        assert!(vscode_profiles(&environment, "Code").is_empty());
        let storage = home.path().join(".config/Code/User/globalStorage");
        std::fs::create_dir_all(&storage).unwrap();
        std::fs::write(storage.join("storage.json"), "{ not json").unwrap();
        assert!(vscode_profiles(&environment, "Code").is_empty());
    }
}
