//! The folders client configs live under, computed from an operating system, a home folder and
//! environment variables only, so every OS's paths are tested on any machine (design §5).
//!
//! Paths for another OS are built with that OS's separator; nothing here touches the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::domain::policy::PolicySource;

/// The operating systems clients run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    #[serde(rename = "macos")]
    MacOs,
    Windows,
}

impl Os {
    /// The system this program runs on.
    pub fn current() -> Self {
        if cfg!(windows) {
            Self::Windows
        } else if cfg!(target_os = "macos") {
            Self::MacOs
        } else {
            Self::Linux
        }
    }

    fn separator(self) -> char {
        match self {
            Self::Windows => '\\',
            Self::Linux | Self::MacOs => '/',
        }
    }

    fn path_list_separator(self) -> char {
        match self {
            Self::Windows => ';',
            Self::Linux | Self::MacOs => ':',
        }
    }
}

/// The variables that move client configs: the XDG folders, the Windows profile folders and the
/// clients' own overrides. Only these are captured, so a plan never depends on anything else.
const RELEVANT_VARIABLES: [&str; 19] = [
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "APPDATA",
    "LOCALAPPDATA",
    "CLAUDE_CONFIG_DIR",
    "CODEX_HOME",
    "COPILOT_HOME",
    "CLINE_MCP_SETTINGS_PATH",
    "CLINE_DATA_DIR",
    "CLINE_DIR",
    "CRUSH_GLOBAL_CONFIG",
    "GEMINI_CLI_HOME",
    "CONTINUE_GLOBAL_DIR",
    "AMP_SETTINGS_FILE",
    "PATH",
    "PATHEXT",
    // Where the policy lives (design §8).
    "ProgramData",
    "ROVO_MCP_POLICY",
    // Whose managed preferences a macOS configuration profile may have set.
    "USER",
];

/// Everything a client's config path depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientEnvironment {
    os: Os,
    home: PathBuf,
    variables: BTreeMap<String, String>,
    /// Where macOS app bundles are looked for (`/Applications`, `~/Applications`).
    application_folders: Vec<PathBuf>,
    /// The machine's policy sources when they are not the platform's fixed ones: set only by
    /// code (the demo's sandbox, tests), never from a variable a person could set.
    machine_policy: Option<Vec<PolicySource>>,
}

impl ClientEnvironment {
    /// An environment for `os` with this home folder and these variables (unset ones absent).
    pub fn new<'a>(
        os: Os,
        home: impl Into<PathBuf>,
        variables: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        Self {
            os,
            home: home.into(),
            variables: variables
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            application_folders: Vec::new(),
            machine_policy: None,
        }
    }

    /// This environment with `sources` read as the machine's policy instead of the platform's
    /// managed locations: none for the demo's sandbox, a temporary file in tests.
    #[must_use]
    pub fn with_machine_policy(mut self, sources: Vec<PolicySource>) -> Self {
        self.machine_policy = Some(sources);
        self
    }

    /// The machine's policy sources this environment was built with; `None`: the platform's.
    pub fn machine_policy(&self) -> Option<&[PolicySource]> {
        self.machine_policy.as_deref()
    }

    /// The environment of this process: `HOME` (`USERPROFILE` on Windows) and the variables
    /// above, so tests and scripts can point everything at a temporary home.
    pub fn current() -> Option<Self> {
        let os = Os::current();
        let home_variable = if os == Os::Windows {
            "USERPROFILE"
        } else {
            "HOME"
        };
        let home = std::env::var_os(home_variable).filter(|home| !home.is_empty())?;
        let values: Vec<(&str, String)> = RELEVANT_VARIABLES
            .iter()
            .filter_map(|&name| std::env::var(name).ok().map(|value| (name, value)))
            .collect();
        let mut environment = Self::new(
            os,
            PathBuf::from(&home),
            values.iter().map(|(name, value)| (*name, value.as_str())),
        );
        if os == Os::MacOs {
            environment.application_folders = vec![
                PathBuf::from("/Applications"),
                environment.home(&["Applications"]),
            ];
        }
        Some(environment)
    }

    pub fn os(&self) -> Os {
        self.os
    }

    /// A variable's value when it is set and not empty.
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    /// `base` joined with `parts` using this environment's OS separator.
    pub fn join(&self, base: &Path, parts: &[&str]) -> PathBuf {
        let separator = self.os.separator();
        let mut joined = base.to_string_lossy().into_owned();
        for part in parts {
            if !joined.ends_with(['/', separator]) {
                joined.push(separator);
            }
            joined.push_str(part);
        }
        PathBuf::from(joined)
    }

    /// A path under the home folder.
    pub fn home(&self, parts: &[&str]) -> PathBuf {
        self.join(&self.home, parts)
    }

    /// A path under the folder a variable names, or under the home-relative default.
    fn variable_or_home(&self, variable: &str, default: &[&str], parts: &[&str]) -> PathBuf {
        if let Some(folder) = self.variable(variable) {
            self.join(Path::new(folder), parts)
        } else {
            let base = self.home(default);
            self.join(&base, parts)
        }
    }

    /// `$XDG_CONFIG_HOME` or `~/.config`: where command-line tools keep settings on every OS
    /// (opencode, Kilo and Goose use it on macOS too; opencode even on Windows).
    pub fn xdg_config(&self, parts: &[&str]) -> PathBuf {
        self.variable_or_home("XDG_CONFIG_HOME", &[".config"], parts)
    }

    /// `$XDG_DATA_HOME` or `~/.local/share`.
    pub fn xdg_data(&self, parts: &[&str]) -> PathBuf {
        self.variable_or_home("XDG_DATA_HOME", &[".local", "share"], parts)
    }

    /// The per-user application settings folder: `~/Library/Application Support` on macOS,
    /// `%APPDATA%` on Windows, the XDG config folder on Linux.
    pub fn app_config(&self, parts: &[&str]) -> PathBuf {
        match self.os {
            Os::MacOs => {
                let base = self.home(&["Library", "Application Support"]);
                self.join(&base, parts)
            }
            Os::Windows => self.variable_or_home("APPDATA", &["AppData", "Roaming"], parts),
            Os::Linux => self.xdg_config(parts),
        }
    }

    /// The per-user data folder apps keep their own files in, as Tauri's `app_data_dir` sees it:
    /// `$XDG_DATA_HOME` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on
    /// Windows.
    pub fn app_data(&self, parts: &[&str]) -> PathBuf {
        match self.os {
            Os::Linux => self.xdg_data(parts),
            Os::MacOs | Os::Windows => self.app_config(parts),
        }
    }

    /// `%LOCALAPPDATA%` on Windows (`~\AppData\Local` when unset).
    pub fn local_app_data(&self, parts: &[&str]) -> PathBuf {
        self.variable_or_home("LOCALAPPDATA", &["AppData", "Local"], parts)
    }

    /// A VS Code-family user folder (`Code`, `Code - Insiders`), where `mcp.json` and the
    /// extensions' `globalStorage` live.
    pub fn vscode_user(&self, product: &str, parts: &[&str]) -> PathBuf {
        let user = self.app_config(&[product, "User"]);
        self.join(&user, parts)
    }

    /// The app bundles named `bundle` in the macOS application folders.
    pub fn app_bundles(&self, bundle: &str) -> Vec<PathBuf> {
        self.application_folders
            .iter()
            .map(|folder| folder.join(bundle))
            .collect()
    }

    /// Whether `command` is an executable file in one of the `PATH` folders.
    pub fn has_command(&self, command: &str) -> bool {
        let Some(path) = self.variable("PATH") else {
            return false;
        };
        let names: Vec<String> = if self.os == Os::Windows {
            let extensions = self.variable("PATHEXT").unwrap_or(".EXE;.CMD;.BAT");
            extensions
                .split(';')
                .map(|extension| format!("{command}{}", extension.to_ascii_lowercase()))
                .collect()
        } else {
            vec![command.to_owned()]
        };
        path.split(self.os.path_list_separator())
            .filter(|folder| !folder.is_empty())
            .any(|folder| {
                names
                    .iter()
                    .any(|name| Path::new(folder).join(name).is_file())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_use_backslashes_and_the_profile_variables() {
        let environment =
            ClientEnvironment::new(Os::Windows, r"C:\Users\me", [("APPDATA", r"D:\Roaming")]);
        assert_eq!(
            environment.app_config(&["Claude", "claude_desktop_config.json"]),
            PathBuf::from(r"D:\Roaming\Claude\claude_desktop_config.json")
        );
        assert_eq!(
            environment.local_app_data(&["crush"]),
            PathBuf::from(r"C:\Users\me\AppData\Local\crush")
        );
    }

    #[test]
    fn xdg_config_home_moves_linux_configs_and_an_empty_one_does_not() {
        let moved = ClientEnvironment::new(Os::Linux, "/home/me", [("XDG_CONFIG_HOME", "/cfg")]);
        assert_eq!(moved.xdg_config(&["zed"]), PathBuf::from("/cfg/zed"));
        let empty = ClientEnvironment::new(Os::Linux, "/home/me", [("XDG_CONFIG_HOME", "")]);
        assert_eq!(
            empty.xdg_config(&["zed"]),
            PathBuf::from("/home/me/.config/zed")
        );
    }

    #[test]
    fn commands_are_found_on_path() {
        // The real OS: `PATH` syntax and executable names are the host's.
        let folder = tempfile::tempdir().unwrap();
        let executable = format!("codex{}", std::env::consts::EXE_SUFFIX);
        std::fs::write(folder.path().join(executable), "").unwrap();
        let path = folder.path().to_string_lossy().into_owned();
        let environment =
            ClientEnvironment::new(Os::current(), "/home/me", [("PATH", path.as_str())]);
        assert!(environment.has_command("codex"));
        assert!(!environment.has_command("claude"));
    }
}
