//! What configuring or removing our entry would change in one client's file, as exact bytes and
//! as a unified diff, before anything is written; and applying that change safely (fsutil).
//!
//! Diffs mask every secret-looking value, ours or another server's, old or new (`mask`): they
//! are shown on screens, in terminals and in the webview.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::entry::{self, EntrySettings, EntrySummary, KeychainCarrier, SecretMode};
use super::mask::mask_secrets;
use super::{Client, ClientEnvironment};
use crate::plumbing::edit::{ConfigFormat, EditError, EntryEdit, EntryLocation, PruneDepth};
use crate::plumbing::fsutil::{
    BackupPlace, ConfigFile, WriteOutcome, backed_up_versions, replace_config,
    replace_private_config,
};
use crate::{Error, ErrorKind, Result};

/// What a plan does to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// The file does not exist and will be created.
    Create,
    /// The file will be rewritten with our entry added, changed or removed.
    Update,
    /// The file already is what it should be; nothing is written.
    Unchanged,
    /// Our entry was all the file held, so the file (which our setup created) will be deleted.
    Delete,
}

/// Who made a config file, as far as the app's records tell: only a file our setup created may
/// be deleted when taking our entry out leaves it empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOrigin {
    /// The state file records that our setup created this file.
    CreatedBySetup,
    /// The file was there before our first write, or nothing on record says otherwise: it is
    /// the person's, and keeps its (empty) container.
    Found,
}

/// What a plan is for, which decides what happens to a file left without entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Configure,
    Remove(FileOrigin),
}

/// The change to one client's config file, computed from the file as read.
pub struct ClientPlan {
    client: &'static Client,
    file: ConfigFile,
    edits: Vec<EntryEdit>,
    purpose: Purpose,
    /// Whether the new contents hold our header value, so the file must be private (0600).
    holds_secret: bool,
    /// The new contents, or `None` to delete the file (or leave a missing one missing).
    after: Option<Vec<u8>>,
    /// Our entry as the file held it before, so an entry updated in place can be reported.
    previous_entry: Option<EntrySummary>,
    /// Why a removal leaves the file alone although it could not read it.
    unreadable_note: Option<String>,
    /// The client's other files that change with this one: former locations losing our entry,
    /// profiles getting the same change.
    others: Vec<OtherFile>,
}

/// Another file of the same client, changed with the main one.
struct OtherFile {
    role: Role,
    plan: ClientPlan,
}

/// Why another file changes with the main one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// A file the client read before it moved its config (`Client::former`): our entry leaves.
    Former,
    /// A profile's own file (VS Code's), by the profile's name: it gets the same change.
    Profile(String),
}

/// Never prints the contents: they may hold the header value.
impl fmt::Debug for ClientPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientPlan")
            .field("client", &self.client.id)
            .field("path", &self.file.path())
            .field("change", &self.change())
            .finish_non_exhaustive()
    }
}

/// Plans putting our entry into `client`'s config.
pub fn plan_configure(
    client: &'static Client,
    environment: &ClientEnvironment,
    settings: &EntrySettings<'_>,
) -> Result<ClientPlan> {
    if !client.modes().contains(&settings.mode) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} cannot use the `{}` secret mode",
                client.name,
                settings.mode.name()
            ),
        ));
    }
    let edits = entry::configure_edits(
        client.shape,
        client.prompt_inputs,
        environment.os(),
        settings,
    );
    let path = config_path(client, environment)?;
    if let Some(problem) = client.location_problem(environment) {
        return Err(Error::new(ErrorKind::InvalidInput, problem));
    }
    let mut plan = configure_file(client, &path, edits.clone(), settings)?;
    plan.others = former_removals(
        client,
        environment,
        settings.name,
        &super::backup_folder(environment),
    )?;
    for profile in (client.profiles)(environment) {
        plan.others.push(OtherFile {
            role: Role::Profile(profile.name),
            plan: configure_file(client, &profile.config_file, edits.clone(), settings)?,
        });
    }
    if plan.previous_entry.is_none() {
        plan.previous_entry = plan
            .others
            .iter()
            .find_map(|other| other.plan.previous_entry.clone());
    }
    Ok(plan)
}

/// Plans putting our entry into one file of `client`.
fn configure_file(
    client: &'static Client,
    path: &Path,
    edits: Vec<EntryEdit>,
    settings: &EntrySettings<'_>,
) -> Result<ClientPlan> {
    let file = ConfigFile::read(path)?;
    let after = edited(client, &file, &edits, Purpose::Configure)?;
    let previous_entry = match file.bytes() {
        Some(bytes) => read_summary(client, file.path(), bytes, settings.name)?,
        None => None,
    };
    Ok(ClientPlan {
        client,
        file,
        edits,
        purpose: Purpose::Configure,
        holds_secret: settings.mode == SecretMode::Inline,
        after,
        previous_entry,
        unreadable_note: None,
        others: Vec::new(),
    })
}

/// Removals of our entry `name` from the files `client` read before it moved, for those that
/// hold one: `configure` moves the entry, `remove` takes it out everywhere. A former file that
/// does not parse and does not mention the name is nothing of ours.
fn former_removals(
    client: &'static Client,
    environment: &ClientEnvironment,
    name: &str,
    backup_folder: &Path,
) -> Result<Vec<OtherFile>> {
    let mut removals = Vec::new();
    for &former in client.former {
        let Some(path) = former.config_path(environment) else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        let removal = remove_file(former, &path, name, backup_folder, FileOrigin::Found)?;
        if removal.change() != Change::Unchanged {
            removals.push(OtherFile {
                role: Role::Former,
                plan: removal,
            });
        }
    }
    Ok(removals)
}

/// Plans taking our entry `name` out of `client`'s config, so the file is what it would be had
/// we never added the entry (design §5).
///
/// How many of the containers our entry leaves empty go too depends on which were there before,
/// even empty: the backups in `backup_folder` tell, as the version from before ours equals the
/// result of one prune depth (per location, for a client with more than one). Without such a
/// backup every container stays, unless `origin` says our setup created the file and it then
/// holds nothing at all: then it is deleted. A file the person had is never deleted: at most it
/// is left with its empty container, as they had it (backups are pruned, so their absence
/// proves nothing).
pub fn plan_remove(
    client: &'static Client,
    environment: &ClientEnvironment,
    name: &str,
    backup_folder: &Path,
    origin: FileOrigin,
) -> Result<ClientPlan> {
    let path = config_path(client, environment)?;
    let mut plan = remove_file(client, &path, name, backup_folder, origin)?;
    plan.others = former_removals(client, environment, name, backup_folder)?;
    for profile in (client.profiles)(environment) {
        if profile.config_file.is_file() {
            plan.others.push(OtherFile {
                role: Role::Profile(profile.name),
                plan: remove_file(
                    client,
                    &profile.config_file,
                    name,
                    backup_folder,
                    FileOrigin::Found,
                )?,
            });
        }
    }
    Ok(plan)
}

/// Plans taking our entry `name` out of one file of `client` (see [`plan_remove`]).
fn remove_file(
    client: &'static Client,
    path: &Path,
    name: &str,
    backup_folder: &Path,
    origin: FileOrigin,
) -> Result<ClientPlan> {
    let file = ConfigFile::read(path)?;
    if let Some(plan) = unparseable_without_our_entry(client, &file, name) {
        return Ok(plan);
    }
    let locations = entry::locations(client.shape, name, client.prompt_inputs);
    let removal = |depths: &[PruneDepth]| -> Vec<EntryEdit> {
        locations
            .iter()
            .zip(depths)
            .map(|(location, &prune)| EntryEdit {
                location: location.clone(),
                value: None,
                prune,
            })
            .collect()
    };
    let depths = match file.bytes() {
        // A file of our own goes with its last server, so its list goes with our entry.
        _ if client.shape.own_file_header.is_some() => vec![PruneDepth::ALL; locations.len()],
        None => vec![PruneDepth::ALL; locations.len()],
        Some(before) => {
            let mut results = Vec::new();
            for depths in prune_combinations(&locations) {
                let result = client
                    .format
                    .edit(Some(before), &removal(&depths))
                    .map_err(|error| invalid_config(file.path(), &error))?;
                results.push((depths, result));
            }
            let place = backup_place(client, backup_folder);
            let from_backup = backed_up_versions(file.real_path(), place)
                .iter()
                .find_map(|old| {
                    results
                        .iter()
                        .find(|(_, result)| result == old)
                        .map(|(depths, _)| depths.clone())
                });
            from_backup.unwrap_or_else(|| {
                let (deepest, pruned) = results.pop().expect("there is always one combination");
                if origin == FileOrigin::CreatedBySetup && client.format.is_empty_document(&pruned)
                {
                    deepest
                } else {
                    vec![PruneDepth::NONE; locations.len()]
                }
            })
        }
    };
    let edits = removal(&depths);
    let purpose = Purpose::Remove(origin);
    let after = edited(client, &file, &edits, purpose)?;
    let previous_entry = match file.bytes() {
        Some(bytes) => read_summary(client, file.path(), bytes, name)?,
        None => None,
    };
    Ok(ClientPlan {
        client,
        file,
        edits,
        purpose,
        holds_secret: false,
        after,
        previous_entry,
        unreadable_note: None,
        others: Vec::new(),
    })
}

/// A removal plan that leaves `file` alone when it does not parse and never mentions `name`:
/// there is nothing of ours to take out, so the client is not a failure. A file that mentions
/// the name may hold our entry, and is refused with its line by the normal path.
fn unparseable_without_our_entry(
    client: &'static Client,
    file: &ConfigFile,
    name: &str,
) -> Option<ClientPlan> {
    let bytes = file.bytes()?;
    let location = entry::location(client.shape.placement(), name);
    client.format.read(bytes, &location).err()?;
    let mentions_name = bytes
        .windows(name.len().max(1))
        .any(|window| window == name.as_bytes());
    (!mentions_name).then(|| ClientPlan {
        client,
        file: file.clone(),
        edits: Vec::new(),
        purpose: Purpose::Remove(FileOrigin::Found),
        holds_secret: false,
        after: Some(bytes.to_vec()),
        previous_entry: None,
        others: Vec::new(),
        unreadable_note: Some(format!(
            "no entry of ours (`{}` does not parse, and does not mention `{name}`); it was left \
             untouched",
            file.path().display()
        )),
    })
}

/// Every way to prune a removal at `locations`: one depth per location, from keeping every
/// container to taking out all of them. Keeping comes first, so where several give the same
/// file, the plan keeps the most; the last takes out every container.
fn prune_combinations(locations: &[EntryLocation]) -> Vec<Vec<PruneDepth>> {
    locations
        .iter()
        .fold(vec![Vec::new()], |combinations, location| {
            combinations
                .iter()
                .flat_map(|combination| {
                    location.prune_depths().map(move |depth| {
                        let mut longer = combination.clone();
                        longer.push(depth);
                        longer
                    })
                })
                .collect()
        })
}

fn backup_place<'a>(client: &Client, backup_folder: &'a Path) -> BackupPlace<'a> {
    BackupPlace {
        folder: backup_folder,
        label: client.id,
    }
}

fn config_path(client: &Client, environment: &ClientEnvironment) -> Result<PathBuf> {
    client.config_path(environment).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("{} does not exist on {:?}", client.name, environment.os()),
        )
    })
}

fn edited(
    client: &Client,
    file: &ConfigFile,
    edits: &[EntryEdit],
    purpose: Purpose,
) -> Result<Option<Vec<u8>>> {
    let format = client.format;
    let before = file.bytes();
    if purpose != Purpose::Configure && before.is_none() {
        return Ok(None);
    }
    let after = format
        .edit(before, edits)
        .map_err(|error| invalid_config(file.path(), &error))?;
    if let Some(header) = client.shape.own_file_header {
        return Ok(own_file(
            header,
            client.entry_container(),
            before,
            after,
            purpose,
        ));
    }
    let emptied = purpose == Purpose::Remove(FileOrigin::CreatedBySetup)
        && before != Some(after.as_slice())
        && format.is_empty_document(&after);
    Ok((!emptied).then_some(after))
}

/// A file of our entry's own (a Continue block file): created with its header, and deleted by a
/// removal that leaves no server in it. Another server someone added keeps it.
fn own_file(
    header: &str,
    container: &[&str],
    before: Option<&[u8]>,
    after: Vec<u8>,
    purpose: Purpose,
) -> Option<Vec<u8>> {
    if before.is_none() && purpose == Purpose::Configure {
        let mut created = header.as_bytes().to_vec();
        created.extend(after);
        return Some(created);
    }
    let key = format!("{}:", container.first().copied().unwrap_or_default());
    let servers_left = String::from_utf8_lossy(&after)
        .lines()
        .any(|line| line.starts_with(&key));
    (purpose == Purpose::Configure || servers_left).then_some(after)
}

fn invalid_config(path: &Path, error: &EditError) -> Error {
    let location = match error.line {
        Some(line) => format!("`{}` line {line}", path.display()),
        None => format!("`{}`", path.display()),
    };
    // Parser messages can quote the text they stumbled on, which may be a header value.
    Error::new(
        ErrorKind::ConfigInvalid,
        format!(
            "{location}: {}; the file was left untouched",
            mask_secrets(&error.message)
        ),
    )
}

impl ClientPlan {
    pub fn client(&self) -> &'static Client {
        self.client
    }

    /// The path the client reads (a symlink is written through, not replaced).
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Our entry as it was before this plan, when the file held one: configuring over it
    /// updates it in place, and callers report what it said (an old URL, another mode).
    pub fn previous_entry(&self) -> Option<&EntrySummary> {
        self.previous_entry.as_ref()
    }

    pub fn change(&self) -> Change {
        match (self.file.bytes(), self.after.as_deref()) {
            (before, after)
                if before == after
                    && self
                        .others
                        .iter()
                        .all(|other| other.plan.change() == Change::Unchanged) =>
            {
                Change::Unchanged
            }
            (before, after) if before == after => Change::Update,
            (None, Some(_)) => Change::Create,
            (Some(_), None) => Change::Delete,
            _ => Change::Update,
        }
    }

    /// The unified diff of the change, with credentials masked; empty when nothing changes.
    pub fn diff(&self) -> String {
        let moved: String = self.others.iter().map(|other| other.plan.diff()).collect();
        if self.file.bytes() == self.after.as_deref() {
            return moved;
        }
        let before = mask_secrets(&String::from_utf8_lossy(
            self.file.bytes().unwrap_or_default(),
        ));
        let after = mask_secrets(&String::from_utf8_lossy(
            self.after.as_deref().unwrap_or_default(),
        ));
        let path = self.file.path().display().to_string();
        let old_name = if self.file.bytes().is_some() {
            path.clone()
        } else {
            "/dev/null".to_owned()
        };
        let new_name = if self.after.is_some() {
            path
        } else {
            "/dev/null".to_owned()
        };
        let diff = similar::TextDiff::from_lines(&before, &after)
            .unified_diff()
            .context_radius(3)
            .header(&old_name, &new_name)
            .to_string();
        diff + &moved
    }

    /// Writes the change: backup, atomic replace, read back. If the client rewrote the file
    /// since the plan was made, the edit is redone once on the new contents (our edit touches
    /// only our entry, so their change is kept); a second change in that window is an error.
    ///
    /// A file that gets our header value inline is made private (0600) whatever its mode was
    /// ([`ClientPlan::privacy_note`] says when that changed it).
    pub fn apply(&self, backup_folder: &Path) -> Result<WriteOutcome> {
        let backups = backup_place(self.client, backup_folder);
        let mut file = self.file.clone();
        let mut after = self.after.clone();
        for _ in 0..2 {
            let outcome = if self.holds_secret {
                replace_private_config(&file, after.as_deref(), backups)?
            } else {
                replace_config(&file, after.as_deref(), backups)?
            };
            match outcome {
                WriteOutcome::ChangedSinceRead => {
                    file = ConfigFile::read(self.file.path())?;
                    after = edited(self.client, &file, &self.edits, self.purpose)?;
                }
                outcome => {
                    self.confirm(after.is_some())?;
                    // The entry is in its new place first, so a failure here leaves it in both
                    // rather than in neither.
                    for other in &self.others {
                        other.plan.apply(backup_folder)?;
                    }
                    return Ok(outcome);
                }
            }
        }
        Err(Error::new(
            ErrorKind::ConfigWriteFailed,
            format!(
                "`{}` kept changing while we wrote it; quit {} and try again",
                self.file.path().display(),
                self.client.name
            ),
        ))
    }

    /// What else the person should know about the file: that it was open to other users and,
    /// getting our header value, is made private; or that a removal left a file alone that does
    /// not parse and holds nothing of ours.
    pub fn note(&self) -> Option<String> {
        if let Some(note) = &self.unreadable_note {
            return Some(note.clone());
        }
        let mut notes = Vec::new();
        let paths = |role: &dyn Fn(&Role) -> bool| -> Vec<String> {
            self.others
                .iter()
                .filter(|other| role(&other.role) && other.plan.change() != Change::Unchanged)
                .map(|other| format!("`{}`", other.plan.path().display()))
                .collect()
        };
        let former = paths(&|role| *role == Role::Former);
        if !former.is_empty() {
            let verb = if self.purpose == Purpose::Configure {
                "moved here from"
            } else {
                "also taken out of"
            };
            notes.push(format!(
                "our entry was {verb} {}, which {} no longer reads",
                former.join(", "),
                self.client.name
            ));
        }
        let profiles: Vec<String> = self
            .others
            .iter()
            .filter_map(|other| match &other.role {
                Role::Profile(name) if other.plan.change() != Change::Unchanged => {
                    Some(format!("“{name}” (`{}`)", other.plan.path().display()))
                }
                _ => None,
            })
            .collect();
        if !profiles.is_empty() {
            notes.push(format!(
                "the same change in the profiles {}",
                profiles.join(", ")
            ));
        }
        if !notes.is_empty() {
            return Some(notes.join("; "));
        }
        (self.holds_secret && self.file.was_open_to_others()).then(|| {
            format!(
                "`{}` could be opened by other users of this computer; it holds the credential now, \
                 so it was made readable by you only (0600)",
                self.file.path().display()
            )
        })
    }

    /// Reads the file back and checks our entry is what we meant it to be (design §5).
    fn confirm(&self, should_exist: bool) -> Result<()> {
        let file = ConfigFile::read(self.file.path())?;
        let confirmed = match (file.bytes(), should_exist) {
            (None, false) => true,
            (Some(bytes), true) => self.edits.iter().all(|edit| {
                self.client.format.read(bytes, &edit.location).ok()
                    == Some(
                        edit.value
                            .as_ref()
                            .map(crate::plumbing::edit::EntryValue::to_json),
                    )
            }),
            _ => false,
        };
        if confirmed {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::ConfigWriteFailed,
                format!(
                    "`{}` does not hold our change when read back; another program rewrote it",
                    self.file.path().display()
                ),
            ))
        }
    }
}

/// One client as `clients` and the wizard show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientStatus {
    pub id: String,
    pub name: String,
    pub installed: bool,
    /// The config file, or `None` when the client does not exist on this OS.
    pub config_path: Option<String>,
    pub format: ConfigFormat,
    /// Our entry when the file holds one.
    pub entry: Option<EntrySummary>,
    /// The secret modes the client supports, preferred first.
    pub modes: Vec<SecretMode>,
    pub needs_restart: bool,
    /// Whether the entry runs the `mcp-remote` bridge, which needs Node.js (`npx`).
    pub stdio_bridge: bool,
    /// What gives the client the secret in `keychain` mode: our header helper (Claude Code's
    /// `headersHelper`) or our bridge; `None` when the client cannot take that mode.
    pub keychain_via: Option<KeychainCarrier>,
    /// Why the file could not be read, when it could not.
    pub problem: Option<String>,
    /// Where `entry` was found when it is not in `config_path` but in a file the client read
    /// before it moved, and no longer reads: `configure` moves it.
    pub former_path: Option<String>,
}

/// Where `client` stands: installed or not, its file, and our entry named `name` in it.
pub fn status(client: &Client, environment: &ClientEnvironment, name: &str) -> ClientStatus {
    let path = client.config_path(environment);
    let (entry, problem) = match path.as_deref().map(|path| read_entry(client, path, name)) {
        Some(Ok(entry)) => (entry, None),
        Some(Err(error)) => (None, Some(error.message().to_owned())),
        None => (None, None),
    };
    let former = entry
        .is_none()
        .then(|| {
            client.former.iter().find_map(|former| {
                let path = former.config_path(environment)?;
                let entry = read_entry(former, &path, name).ok()??;
                Some((path, entry))
            })
        })
        .flatten();
    let (entry, former_path) = match former {
        Some((path, entry)) => (Some(entry), Some(path.display().to_string())),
        None => (entry, None),
    };
    ClientStatus {
        id: client.id.to_owned(),
        name: client.name.to_owned(),
        installed: client.is_installed(environment),
        config_path: path.map(|path| path.display().to_string()),
        format: client.format,
        entry,
        modes: client.modes().to_vec(),
        needs_restart: client.needs_restart,
        stdio_bridge: client.uses_stdio_bridge(),
        keychain_via: client.keychain_via(),
        problem,
        former_path,
    }
}

fn read_entry(client: &Client, path: &Path, name: &str) -> Result<Option<EntrySummary>> {
    let file = ConfigFile::read(path)?;
    match file.bytes() {
        Some(bytes) => read_summary(client, path, bytes, name),
        None => Ok(None),
    }
}

fn read_summary(
    client: &Client,
    path: &Path,
    bytes: &[u8],
    name: &str,
) -> Result<Option<EntrySummary>> {
    let location = entry::location(client.shape.placement(), name);
    let found = client
        .format
        .read(bytes, &location)
        .map_err(|error| invalid_config(path, &error))?;
    Ok(found.as_ref().map(entry::summarise))
}

#[cfg(test)]
mod tests {
    use indoc::indoc;

    use super::*;
    use crate::domain::clients::entry::{Placement, URL_AND_HEADERS};
    use crate::domain::clients::{
        ALL, DEFAULT_ENDPOINT, DEFAULT_SERVER_NAME, EntryShape, Os, find,
    };

    /// A client whose entry sits two containers deep, at `mcp.servers`, so that a removal has
    /// three depths to choose from; no real client nests its servers that deep.
    static NESTED: Client = Client {
        id: "nested",
        name: "Nested",
        format: ConfigFormat::Json,
        config_files: nested_config_files,
        install_markers: nested_config_files,
        commands: &[],
        shape: EntryShape::remote(Placement::Member(&["mcp", "servers"]), URL_AND_HEADERS),
        prompt_inputs: false,
        needs_restart: false,
        former: &[],
        profiles: crate::domain::clients::no_profiles,
        location_variables: &[],
    };

    fn nested_config_files(environment: &ClientEnvironment) -> Vec<PathBuf> {
        vec![environment.home(&["nested.json"])]
    }

    #[test]
    fn parser_messages_never_carry_a_credential() {
        let error = invalid_config(
            Path::new("mcp.json"),
            &EditError {
                line: Some(2),
                message: "unexpected token: Bearer s3cr3t".to_owned(),
            },
        );
        assert!(!error.message().contains("s3cr3t"), "{error}");
    }

    #[test]
    fn a_mode_the_client_lacks_is_refused() {
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let settings = EntrySettings {
            name: DEFAULT_SERVER_NAME,
            endpoint: DEFAULT_ENDPOINT,
            mode: SecretMode::Prompt,
            authorization: "Bearer k",
            bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
            keychain_carrier: KeychainCarrier::Helper,
        };
        let error = plan_configure(find("cursor").unwrap(), &environment, &settings).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }

    /// Our entry with a Basic header in the client's own file.
    fn inline_settings() -> EntrySettings<'static> {
        EntrySettings {
            name: DEFAULT_SERVER_NAME,
            endpoint: DEFAULT_ENDPOINT,
            mode: SecretMode::Inline,
            authorization: "Basic c2VjcmV0",
            bridge_command: "/opt/rovo-mcp-setup/rovo-mcp-setup",
            keychain_carrier: KeychainCarrier::Helper,
        }
    }

    #[test]
    fn a_backup_from_before_our_entry_picks_the_depth_that_keeps_what_was_there() {
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let backups = home.path().join("backups");
        let path = home.path().join("nested.json");
        // `mcp` was there, empty; `servers` comes with our entry.
        let before = "{\"mcp\": {}}\n";
        std::fs::write(&path, before).unwrap();
        let settings = inline_settings();
        plan_configure(&NESTED, &environment, &settings)
            .unwrap()
            .apply(&backups)
            .unwrap();

        let without_backups = plan_remove(
            &NESTED,
            &environment,
            DEFAULT_SERVER_NAME,
            &home.path().join("no-backups"),
            FileOrigin::Found,
        )
        .unwrap();
        assert_eq!(
            without_backups.change(),
            Change::Update,
            "without a backup and without a record of creating it, the file is the person's: \
             it stays, with every container"
        );

        let removal = plan_remove(
            &NESTED,
            &environment,
            DEFAULT_SERVER_NAME,
            &backups,
            FileOrigin::Found,
        )
        .unwrap();
        assert_eq!(
            removal.change(),
            Change::Update,
            "the file stays: it was there before"
        );
        removal.apply(&backups).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            before,
            "the backup equals depth 1, between keeping `servers` (0) and taking out `mcp` (2): \
             the file is given back byte for byte"
        );
    }

    #[test]
    fn a_file_emptied_by_remove_is_deleted_only_when_our_setup_created_it() {
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let cursor = find("cursor").unwrap();
        let path = home.path().join(".cursor/mcp.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let only_ours = "{\n  \"mcpServers\": {\n    \"atlassian-rovo-mcp\": { \"url\": \"https://mcp.atlassian.com/v1/mcp\" }\n  }\n}\n";
        let no_backups = home.path().join("backups");

        std::fs::write(&path, only_ours).unwrap();
        let found = plan_remove(
            cursor,
            &environment,
            DEFAULT_SERVER_NAME,
            &no_backups,
            FileOrigin::Found,
        )
        .unwrap();
        assert_eq!(found.change(), Change::Update, "a file we found is kept");
        found.apply(&no_backups).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            indoc! {r#"
                {
                  "mcpServers": {}
                }
            "#},
            "its container stays, empty, as the person had it"
        );

        std::fs::write(&path, only_ours).unwrap();
        let created = plan_remove(
            cursor,
            &environment,
            DEFAULT_SERVER_NAME,
            &no_backups,
            FileOrigin::CreatedBySetup,
        )
        .unwrap();
        assert_eq!(
            created.change(),
            Change::Delete,
            "a file our setup created, left empty, goes"
        );
    }

    #[test]
    fn a_file_the_person_had_empty_is_kept_when_a_backup_matches_it() {
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let backups = home.path().join("backups");
        let path = home.path().join("nested.json");
        std::fs::write(&path, "{}\n").unwrap();
        plan_configure(&NESTED, &environment, &inline_settings())
            .unwrap()
            .apply(&backups)
            .unwrap();

        let removal = plan_remove(
            &NESTED,
            &environment,
            DEFAULT_SERVER_NAME,
            &backups,
            FileOrigin::Found,
        )
        .unwrap();

        assert_eq!(
            removal.change(),
            Change::Update,
            "an empty document is still the person's file"
        );
        removal.apply(&backups).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
    }

    #[cfg(unix)]
    #[test]
    fn an_inline_write_makes_a_shared_file_private_and_says_so() {
        use std::os::unix::fs::PermissionsExt as _;
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let path = home.path().join(".cursor/mcp.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{}\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let cursor = find("cursor").unwrap();

        let plan = plan_configure(cursor, &environment, &inline_settings()).unwrap();
        let note = plan.note().expect("the person is told");
        plan.apply(&home.path().join("backups")).unwrap();

        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the header value is readable by the person only"
        );
        assert!(note.contains("mcp.json"), "the note names the file: {note}");
        let again = plan_configure(cursor, &environment, &inline_settings()).unwrap();
        assert_eq!(again.note(), None, "a private file needs no note");
    }

    #[test]
    fn every_client_plans_on_an_empty_home() {
        let home = tempfile::tempdir().unwrap();
        let environment = ClientEnvironment::new(Os::Linux, home.path(), []);
        let settings = inline_settings();
        for client in ALL {
            if client.config_path(&environment).is_none() {
                continue;
            }
            let plan = plan_configure(client, &environment, &settings).unwrap();
            assert_eq!(plan.change(), Change::Create, "{}", client.id);
            assert!(
                !plan.diff().contains("c2VjcmV0"),
                "{}: the diff never shows the secret",
                client.id
            );
        }
    }
}
