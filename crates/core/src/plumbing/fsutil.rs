//! Reading and replacing client config files so that a file is never torn, clobbered or
//! silently overwritten: every write goes to a temp file in the same folder and is renamed over
//! the original, after a backup into our own data folder and a check that nobody else changed the
//! file since we read it (research/aesthetics.md §4).
//!
//! This module knows nothing about formats or clients; it moves bytes. It never falls back to
//! writing somewhere else when the real location fails, never writes over a file another user
//! owns, and reads every file through [`read_regular_file`], which has a size limit and refuses
//! what is not a regular file (a FIFO would hang us, `/dev/zero` would never end).

use std::fs;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{Error, ErrorKind, Result};

/// How many links deep we follow a symlink chain before calling it a loop (Linux's own limit).
const MAX_SYMLINK_DEPTH: usize = 40;

/// The most we read of a client config file, a backup of one, or the state file. Claude Code's
/// `~/.claude.json` keeps history and reaches several megabytes; no config comes near this.
pub const CONFIG_FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// The most we read of a policy file or a managed-preferences plist: a few keys.
pub const POLICY_FILE_LIMIT: u64 = 1024 * 1024;

/// The most we read of the user database when naming a file's owner.
#[cfg(unix)]
const USER_DATABASE_LIMIT: u64 = 16 * 1024 * 1024;

/// How many backups we keep per config file; older ones are deleted.
const BACKUPS_KEPT_PER_FILE: usize = 10;

/// Mode of a file we create: it may hold a secret (design §5).
const NEW_FILE_MODE: u32 = 0o600;

/// Mode of a folder we create for a config or a backup.
const NEW_FOLDER_MODE: u32 = 0o700;

/// Rename attempts. Windows antivirus and indexers hold files open for a moment and the rename
/// fails with "access denied"; uv retries the same way (`uv-fs`, about ten seconds in total).
/// Elsewhere a refused rename is final.
const RENAME_ATTEMPTS: u32 = if cfg!(windows) { 10 } else { 1 };

/// A config file as we read it: where the client looks, where the bytes really are, and what
/// they were. Writes compare against these bytes, so a change by someone else is never lost.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
    real_path: PathBuf,
    bytes: Option<Vec<u8>>,
    /// Whether the file's mode gave users other than its owner any access when we read it.
    open_to_others: bool,
}

impl ConfigFile {
    /// Reads `path`, following symlinks. A missing file is not an error (`bytes()` is `None`);
    /// a dangling symlink, a symlink loop, a folder where the file should be, a file where a
    /// folder should be, a FIFO, a device or a file over [`CONFIG_FILE_LIMIT`] is.
    pub fn read(path: &Path) -> Result<Self> {
        let real_path = resolve_symlinks(path)?;
        let bytes = read_if_present(&real_path)?;
        let open_to_others = bytes.is_some() && is_open_to_others(&real_path);
        Ok(Self {
            path: path.to_path_buf(),
            real_path,
            bytes,
            open_to_others,
        })
    }

    /// The path the client reads, which may be a symlink.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file that holds the bytes: `path` with every symlink followed.
    pub fn real_path(&self) -> &Path {
        &self.real_path
    }

    /// The contents when read, or `None` when the file did not exist.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.bytes.as_deref()
    }

    /// Whether the file's mode gave users other than its owner any access (group or others
    /// bits) when we read it; never on Windows, where files under the profile inherit per-user
    /// ACLs.
    pub fn was_open_to_others(&self) -> bool {
        self.open_to_others
    }

    /// Whether the file on disk still holds what we read.
    fn is_unchanged_on_disk(&self) -> Result<bool> {
        Ok(read_if_present(&self.real_path)? == self.bytes)
    }
}

/// The bytes of the config file at `path`, or `None` when there is none.
fn read_if_present(path: &Path) -> Result<Option<Vec<u8>>> {
    match read_regular_file(path, CONFIG_FILE_LIMIT) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(read_error(path, &error)),
    }
}

/// Reads the regular file at `path`, at most `limit` bytes. Every file the app reads goes
/// through here: a FIFO, a device, a socket or a folder is refused without being read (a FIFO
/// is opened without blocking, and its type checked on the open handle, so swapping one in
/// after the first look does not hang us either), and so is a file longer than `limit`.
///
/// A refusal's message names the file and the limit and says what to do; a missing file keeps
/// the `NotFound` kind so that callers can tell it apart.
pub fn read_regular_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    refuse_unless_regular(path, &fs::metadata(path)?)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits().cast_signed(),
    );
    let file = options.open(path)?;
    refuse_unless_regular(path, &file.metadata()?)?;
    let bytes = read_at_most(file, limit)?;
    bytes.ok_or_else(|| {
        refused(format!(
            "`{}` is larger than {}, the most this app reads from it; it was left as it is: \
             shrink it or move it away",
            path.display(),
            size_text(limit)
        ))
    })
}

/// Reads `reader` to its end when that is at most `limit` bytes; `None` when it goes on longer.
/// Never reads more than one byte past the limit, so an endless source costs nothing.
pub fn read_at_most(reader: impl io::Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((u64::try_from(bytes.len()).unwrap_or(u64::MAX) <= limit).then_some(bytes))
}

/// `limit` for people: `64 MiB`, `16 KiB`, `100 bytes`.
pub fn size_text(limit: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    match limit {
        _ if limit >= MIB && limit.is_multiple_of(MIB) => format!("{} MiB", limit / MIB),
        _ if limit >= KIB && limit.is_multiple_of(KIB) => format!("{} KiB", limit / KIB),
        _ => format!("{limit} bytes"),
    }
}

fn refuse_unless_regular(path: &Path, metadata: &fs::Metadata) -> io::Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_file_kind(kind)
    };
    Err(refused(format!(
        "`{}` is {what}, not a regular file; this app reads only regular files, so it was left \
         as it is: move it away or replace it with a file",
        path.display()
    )))
}

#[cfg(unix)]
fn special_file_kind(kind: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_kind: fs::FileType) -> &'static str {
    "a special file"
}

/// A refusal of [`read_regular_file`]: its message is complete (it names the file), so callers
/// pass it on instead of wrapping it in their own "could not read".
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(String);

fn refused(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Refused(message))
}

#[cfg(unix)]
fn is_open_to_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn is_open_to_others(_path: &Path) -> bool {
    false
}

/// Where backups go and under which name, so the tray's "restore" can find them.
#[derive(Debug, Clone, Copy)]
pub struct BackupPlace<'a> {
    /// The app's data folder for backups (never next to the config: editors index siblings and
    /// people commit them, and the file may hold a token).
    pub folder: &'a Path,
    /// A sub-folder per client, such as its id.
    pub label: &'a str,
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The new contents equal the old: nothing was written and no backup was made.
    Unchanged,
    /// The file was replaced (or created); `backup` holds the previous version if there was one.
    Written { backup: Option<PathBuf> },
    /// The file was deleted; `backup` holds what it contained.
    Deleted { backup: PathBuf },
    /// Someone else changed the file after we read it. Nothing was written; read it again and
    /// redo the edit.
    ChangedSinceRead,
}

/// The mode a replaced file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Privacy {
    /// The file keeps the mode the person gave it.
    KeepMode,
    /// The file is readable and writable by its owner only (0600), whatever it was: it now
    /// holds a secret.
    OwnerOnly,
}

/// Replaces `file` with `new` (or deletes it when `new` is `None`): backup, temp file in the same
/// folder, fsync, rename, fsync the folder, then read back and compare.
///
/// Refuses a read-only file or folder: someone made it so on purpose (people lock
/// `claude_desktop_config.json` against the app rewriting it), and a file another user owns:
/// the rename would replace it with one of ours. Keeps the file's mode; a new file is created
/// 0600 and new folders 0700.
pub fn replace_config(
    file: &ConfigFile,
    new: Option<&[u8]>,
    backups: BackupPlace<'_>,
) -> Result<WriteOutcome> {
    replace(file, new, backups, Privacy::KeepMode)
}

/// [`replace_config`] for contents that hold a secret: the file ends up 0600 even when it was
/// open to other users before ([`ConfigFile::was_open_to_others`] tells).
pub fn replace_private_config(
    file: &ConfigFile,
    new: Option<&[u8]>,
    backups: BackupPlace<'_>,
) -> Result<WriteOutcome> {
    replace(file, new, backups, Privacy::OwnerOnly)
}

fn replace(
    file: &ConfigFile,
    new: Option<&[u8]>,
    backups: BackupPlace<'_>,
    privacy: Privacy,
) -> Result<WriteOutcome> {
    // Same bytes are still rewritten when they must become private: the rewrite sets the mode.
    if file.bytes() == new && (privacy == Privacy::KeepMode || !file.was_open_to_others()) {
        return Ok(WriteOutcome::Unchanged);
    }
    let real_path = file.real_path();
    let existing = match fs::metadata(real_path) {
        Ok(metadata) => Some(metadata),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(read_error(real_path, &error)),
    };
    if let Some(metadata) = &existing {
        refuse_another_users_file(real_path, metadata)?;
    }
    let existing_permissions = existing.map(|metadata| metadata.permissions());
    if existing_permissions
        .as_ref()
        .is_some_and(fs::Permissions::readonly)
    {
        return Err(write_error(format!(
            "`{}` is read-only; make it writable to let us change it",
            real_path.display()
        )));
    }
    if !file.is_unchanged_on_disk()? {
        tracing::info!(path = %real_path.display(), "config file changed since it was read; not written");
        return Ok(WriteOutcome::ChangedSinceRead);
    }
    let backup = file
        .bytes()
        .map(|old| write_backup(old, real_path, backups))
        .transpose()?;

    let Some(new) = new else {
        let backup = backup.expect("a file we delete existed, so it was backed up");
        fs::remove_file(real_path).map_err(|error| io_write_error("delete", real_path, &error))?;
        tracing::info!(path = %real_path.display(), backup = %backup.display(), "config file deleted");
        return Ok(WriteOutcome::Deleted { backup });
    };

    let folder = parent_folder(real_path);
    create_private_folder(folder)?;
    if fs::metadata(folder).is_ok_and(|metadata| metadata.permissions().readonly()) {
        return Err(write_error(format!(
            "the folder `{}` is read-only; make it writable to let us change `{}`",
            folder.display(),
            real_path.display()
        )));
    }
    let file_name = real_path
        .file_name()
        .map_or_else(|| "config".into(), |name| name.to_string_lossy());
    remove_leftover_temp_files(folder, &file_name);
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|error| io_write_error("create a temporary file in", folder, &error))?;
    temp.write_all(new)
        .and_then(|()| set_mode(temp.as_file(), existing_permissions, privacy))
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|error| io_write_error("write", temp.path(), &error))?;

    // The client may have rewritten the file while we were busy (Claude Code rewrites
    // `~/.claude.json` constantly): checked again right before the rename, the last moment
    // we can still back out. The temp file is deleted when dropped.
    if !file.is_unchanged_on_disk()? {
        return Ok(WriteOutcome::ChangedSinceRead);
    }
    rename_with_retry(temp, real_path)?;
    sync_folder(folder);

    let written = read_regular_file(real_path, CONFIG_FILE_LIMIT)
        .map_err(|error| read_error(real_path, &error))?;
    if written != new {
        return Err(write_error(format!(
            "`{}` does not hold what we wrote when read back; another program changed it",
            real_path.display()
        )));
    }
    tracing::info!(
        path = %real_path.display(),
        backup = ?backup.as_ref().map(|backup| backup.display().to_string()),
        bytes = new.len(),
        "config file written"
    );
    Ok(WriteOutcome::Written { backup })
}

/// Follows `path` through every symlink to the file that holds the bytes, so that we replace
/// the target and keep the link (renaming over a link breaks dotfile managers).
fn resolve_symlinks(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINK_DEPTH {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target =
                    fs::read_link(&current).map_err(|error| read_error(&current, &error))?;
                current = parent_folder(&current).join(target);
            }
            Ok(_) => return Ok(current),
            Err(error) if error.kind() == io::ErrorKind::NotFound && current != path => {
                return Err(write_error(format!(
                    "`{}` is a symbolic link to `{}`, which does not exist; fix or remove the link",
                    path.display(),
                    current.display()
                )));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(error) => return Err(read_error(&current, &error)),
        }
    }
    Err(write_error(format!(
        "`{}` is a loop of symbolic links",
        path.display()
    )))
}

fn parent_folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn create_private_folder(folder: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, NEW_FOLDER_MODE);
    builder
        .create(folder)
        .map_err(|error| io_write_error("create the folder", folder, &error))
}

/// Deletes temp files an earlier write of this file left behind when it was killed between
/// creating and renaming them (`.<name>.XXXXXX.tmp`). A missing or locked one is not an error:
/// the write itself does not depend on it.
fn remove_leftover_temp_files(folder: &Path, file_name: &str) {
    let prefix = format!(".{file_name}.");
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_ours = name.len() > prefix.len() + ".tmp".len()
            && name.starts_with(&prefix)
            && name.ends_with(".tmp");
        if is_ours && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Gives the temp file the mode of the file it replaces, or 0600 when the contents are private;
/// a new file keeps the temp file's 0600.
#[cfg(unix)]
fn set_mode(
    temp: &fs::File,
    existing: Option<fs::Permissions>,
    privacy: Privacy,
) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = match (privacy, existing) {
        (Privacy::KeepMode, Some(permissions)) => permissions.mode(),
        (Privacy::OwnerOnly, _) | (_, None) => NEW_FILE_MODE,
    };
    temp.set_permissions(fs::Permissions::from_mode(mode))
}

/// Windows has no mode bits: files under the profile inherit the per-user ACLs of their folder.
#[cfg(not(unix))]
#[expect(
    clippy::unnecessary_wraps,
    reason = "the signature of the Unix version, which can fail"
)]
fn set_mode(
    _temp: &fs::File,
    _existing: Option<fs::Permissions>,
    _privacy: Privacy,
) -> io::Result<()> {
    Ok(())
}

/// Refuses a file another user owns: renaming ours over it would take it from them, and a
/// file someone else controls is no place for the person's secret.
#[cfg(unix)]
fn refuse_another_users_file(path: &Path, metadata: &fs::Metadata) -> Result<()> {
    let Some(named) = another_owner(metadata) else {
        return Ok(());
    };
    Err(write_error(format!(
        "`{}` belongs to {named}, not to you, so it was left as it is: have that user make the \
         change, or make the file yours (`chown`) and run this again",
        path.display()
    )))
}

/// Windows: files under the profile belong to the person; their ACLs decide the rest.
#[cfg(not(unix))]
#[expect(
    clippy::unnecessary_wraps,
    reason = "the signature of the Unix version, which can fail"
)]
fn refuse_another_users_file(_path: &Path, _metadata: &fs::Metadata) -> Result<()> {
    Ok(())
}

/// The owner of what `metadata` describes, named for a message, when it is not the user this
/// process runs as.
#[cfg(unix)]
fn another_owner(metadata: &fs::Metadata) -> Option<String> {
    use std::os::unix::fs::MetadataExt as _;
    let owner = metadata.uid();
    if owner == rustix::process::geteuid().as_raw() {
        return None;
    }
    Some(match user_name(owner) {
        Some(name) => format!("the user `{name}` (uid {owner})"),
        None => format!("uid {owner}"),
    })
}

/// The name of the user `uid` from `/etc/passwd`, when it lists it (macOS keeps most users in
/// its directory service; the uid alone is named then).
#[cfg(unix)]
fn user_name(uid: u32) -> Option<String> {
    let database = read_regular_file(Path::new("/etc/passwd"), USER_DATABASE_LIMIT).ok()?;
    let uid = uid.to_string();
    String::from_utf8_lossy(&database).lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid && !name.is_empty()).then(|| name.to_owned())
    })
}

fn rename_with_retry(mut temp: tempfile::NamedTempFile, target: &Path) -> Result<()> {
    let mut delay = Duration::from_millis(10);
    let mut attempt = 1;
    loop {
        match temp.persist(target) {
            Ok(_) => return Ok(()),
            Err(error)
                if error.error.kind() == io::ErrorKind::PermissionDenied
                    && attempt < RENAME_ATTEMPTS =>
            {
                temp = error.file;
                std::thread::sleep(delay);
                delay *= 2;
                attempt += 1;
            }
            Err(error) => return Err(io_write_error("replace", target, &error.error)),
        }
    }
}

/// Makes the rename itself durable. Best effort: some file systems refuse to sync a folder, and
/// the new file is already in place either way.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(folder) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// Copies the previous contents to `<folder>/<label>/<file name>.<unix time>.bak` (0600, in
/// folders that are 0700), and keeps only the newest few per file.
fn write_backup(old: &[u8], real_path: &Path, place: BackupPlace<'_>) -> Result<PathBuf> {
    let folder = place.folder.join(place.label);
    make_backup_folder_private(place.folder, &folder)?;
    let file_name = backup_file_name(real_path);
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    // Zero-padded so that names sort by age.
    let stamp = format!(
        "{:012}.{:09}",
        since_epoch.as_secs(),
        since_epoch.subsec_nanos()
    );
    let backup_path = folder.join(format!("{file_name}.{stamp}.bak"));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, NEW_FILE_MODE);
    options
        .open(&backup_path)
        .and_then(|mut backup| {
            backup.write_all(old)?;
            backup.sync_all()
        })
        .map_err(|error| io_write_error("write the backup", &backup_path, &error))?;
    prune_backups(&folder, &file_name);
    Ok(backup_path)
}

/// Creates the backups folder and the client's folder inside it, and makes both, and every
/// backup already in the client's folder, readable by the person only: a backup may hold the
/// header value, and a folder made by an older release or by hand may be open to other users.
/// A folder another user owns is refused, since they could read or swap what we put there.
fn make_backup_folder_private(backups: &Path, client_folder: &Path) -> Result<()> {
    create_private_folder(client_folder)?;
    for folder in [backups, client_folder] {
        let metadata = fs::symlink_metadata(folder).map_err(|error| read_error(folder, &error))?;
        if !metadata.is_dir() {
            return Err(write_error(format!(
                "`{}` is a file or a link, not a folder; backups go there, so move it away \
                 and run this again",
                folder.display()
            )));
        }
        refuse_another_users_folder(folder, &metadata)?;
        make_owner_only(folder, &metadata, NEW_FOLDER_MODE)?;
    }
    for backup in all_backup_files(client_folder) {
        // A link is never followed: its target is not ours to change.
        if let Ok(metadata) = fs::symlink_metadata(&backup)
            && metadata.is_file()
        {
            make_owner_only(&backup, &metadata, NEW_FILE_MODE)?;
        }
    }
    Ok(())
}

/// Takes every permission of the group and others off `path`, leaving the owner's as `mode`
/// gives them; a path already private is left alone.
#[cfg(unix)]
fn make_owner_only(path: &Path, metadata: &fs::Metadata, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let open_to_others = metadata.permissions().mode() & 0o077 != 0;
    if !open_to_others {
        return Ok(());
    }
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|error| io_write_error("make private", path, &error))?;
    tracing::info!(path = %path.display(), "made private to its owner");
    Ok(())
}

/// Windows: folders under the profile inherit the person's ACLs.
#[cfg(not(unix))]
#[expect(
    clippy::unnecessary_wraps,
    reason = "the signature of the Unix version, which can fail"
)]
fn make_owner_only(_path: &Path, _metadata: &fs::Metadata, _mode: u32) -> Result<()> {
    Ok(())
}

/// Refuses a backups folder another user owns: they could read the backups or put a link in
/// their place.
#[cfg(unix)]
fn refuse_another_users_folder(folder: &Path, metadata: &fs::Metadata) -> Result<()> {
    let Some(named) = another_owner(metadata) else {
        return Ok(());
    };
    Err(write_error(format!(
        "the backups folder `{}` belongs to {named}, not to you, so no backup was written there \
         and the config file was left as it is: delete that folder, or make it yours (`chown`), \
         and run this again",
        folder.display()
    )))
}

/// Windows: folders under the profile belong to the person.
#[cfg(not(unix))]
#[expect(
    clippy::unnecessary_wraps,
    reason = "the signature of the Unix version, which can fail"
)]
fn refuse_another_users_folder(_folder: &Path, _metadata: &fs::Metadata) -> Result<()> {
    Ok(())
}

/// Every backup in `folder`, whatever file it is of: the folder is ours, and everything we put
/// in it ends in `.bak`.
fn all_backup_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "bak"))
        .collect()
}

/// What [`purge_backups`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Purged {
    /// The backups deleted.
    pub deleted: Vec<PathBuf>,
    /// The backups that had to go but could not be deleted, each with why, in a sentence that
    /// names the file and says what to do.
    pub failed: Vec<(PathBuf, String)>,
}

/// Deletes every backup under `backups` (of any client) that `holds_secret` says holds a
/// secret no longer in use, given its path and contents, and keeps every other one. A backup
/// that cannot be read is kept: what is not a regular file or is over the size limit is not
/// one we wrote.
pub fn purge_backups(backups: &Path, holds_secret: impl Fn(&Path, &[u8]) -> bool) -> Purged {
    let mut purged = Purged::default();
    let Ok(clients) = fs::read_dir(backups) else {
        return purged;
    };
    let mut folders: Vec<PathBuf> = clients
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| entry.path())
        .collect();
    folders.sort();
    for folder in folders {
        let mut backups = all_backup_files(&folder);
        backups.sort();
        for backup in backups {
            let Ok(bytes) = read_regular_file(&backup, CONFIG_FILE_LIMIT) else {
                continue;
            };
            let bytes = zeroize::Zeroizing::new(bytes);
            if !holds_secret(&backup, &bytes) {
                continue;
            }
            match fs::remove_file(&backup) {
                Ok(()) => {
                    tracing::info!(path = %backup.display(), "backup holding a superseded secret deleted");
                    purged.deleted.push(backup);
                }
                Err(error) => {
                    tracing::warn!(path = %backup.display(), %error, "backup holding a superseded secret not deleted");
                    let message = format!(
                        "the backup `{}` holds a credential that is no longer in use and could \
                         not be deleted ({error}); delete it",
                        backup.display()
                    );
                    purged.failed.push((backup, message));
                }
            }
        }
    }
    purged
}

/// The backed-up versions of the file at `real_path`, newest first.
pub fn backed_up_versions(real_path: &Path, place: BackupPlace<'_>) -> Vec<Vec<u8>> {
    let folder = place.folder.join(place.label);
    let mut backups = backup_files(&folder, &backup_file_name(real_path));
    backups.reverse();
    backups
        .iter()
        .filter_map(|backup| read_regular_file(backup, CONFIG_FILE_LIMIT).ok())
        .collect()
}

fn backup_file_name(real_path: &Path) -> String {
    real_path.file_name().map_or_else(
        || "config".to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// The backups of one file in `folder`, oldest first (their names sort by time).
fn backup_files(folder: &Path, file_name: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let prefix = format!("{file_name}.");
    let mut backups: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| {
                    name.strip_prefix(&prefix).is_some_and(|rest| {
                        rest.strip_suffix(".bak")
                            .is_some_and(|stamp| stamp.starts_with(|c: char| c.is_ascii_digit()))
                    })
                })
        })
        .collect();
    backups.sort();
    backups
}

/// Deletes all but the newest backups of one file. Best effort: a leftover backup is harmless.
fn prune_backups(folder: &Path, file_name: &str) {
    let backups = backup_files(folder, file_name);
    let excess = backups.len().saturating_sub(BACKUPS_KEPT_PER_FILE);
    for old in &backups[..excess] {
        let _ = fs::remove_file(old);
    }
}

fn read_error(path: &Path, error: &io::Error) -> Error {
    if let Some(Refused(message)) = error.get_ref().and_then(|inner| inner.downcast_ref()) {
        return write_error(message.clone());
    }
    let reason = match error.kind() {
        io::ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        io::ErrorKind::NotADirectory => {
            "a folder on its path is a file; move that file away".to_owned()
        }
        _ => error.to_string(),
    };
    write_error(format!("could not read `{}`: {reason}", path.display()))
}

fn io_write_error(action: &str, path: &Path, error: &io::Error) -> Error {
    let reason = match error.kind() {
        io::ErrorKind::NotADirectory => {
            "a folder on its path is a file; move that file away".to_owned()
        }
        _ => error.to_string(),
    };
    write_error(format!("could not {action} `{}`: {reason}", path.display()))
}

fn write_error(message: String) -> Error {
    Error::new(ErrorKind::ConfigWriteFailed, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sandbox {
        _root: tempfile::TempDir,
        home: PathBuf,
        backups: PathBuf,
    }

    impl Sandbox {
        fn new() -> Self {
            let root = tempfile::tempdir().unwrap();
            let home = root.path().join("home");
            let backups = root.path().join("backups");
            fs::create_dir(&home).unwrap();
            Self {
                _root: root,
                home,
                backups,
            }
        }

        fn place(&self) -> BackupPlace<'_> {
            BackupPlace {
                folder: &self.backups,
                label: "cursor",
            }
        }

        fn backups(&self) -> Vec<PathBuf> {
            let mut found: Vec<_> = fs::read_dir(self.backups.join("cursor"))
                .map(|entries| entries.map(|entry| entry.unwrap().path()).collect())
                .unwrap_or_default();
            found.sort();
            found
        }
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_created_private_with_its_folders_and_no_backup() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join(".cursor/mcp.json");
        let file = ConfigFile::read(&path).unwrap();
        assert!(file.bytes().is_none(), "the file does not exist yet");

        let outcome = replace_config(&file, Some(b"{}"), sandbox.place()).unwrap();

        assert_eq!(outcome, WriteOutcome::Written { backup: None });
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600, "a new file may hold a secret");
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        assert!(sandbox.backups().is_empty(), "there was nothing to back up");
    }

    #[test]
    fn replacing_keeps_the_mode_and_backs_up_the_old_bytes() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        }
        let file = ConfigFile::read(&path).unwrap();

        let outcome = replace_config(&file, Some(b"new"), sandbox.place()).unwrap();

        let WriteOutcome::Written {
            backup: Some(backup),
        } = outcome
        else {
            panic!("expected a write with a backup, got {outcome:?}");
        };
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read(&backup).unwrap(), b"old");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o644, "the person's mode is kept");
            assert_eq!(mode(&backup), 0o600, "a backup may hold a secret");
        }
        let leftovers: Vec<_> = fs::read_dir(&sandbox.home).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");
    }

    #[test]
    fn the_same_bytes_are_not_written_and_not_backed_up() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "same").unwrap();
        let file = ConfigFile::read(&path).unwrap();

        let outcome = replace_config(&file, Some(b"same"), sandbox.place()).unwrap();

        assert_eq!(outcome, WriteOutcome::Unchanged);
        assert!(sandbox.backups().is_empty());
    }

    #[test]
    fn deleting_backs_up_and_removes_the_file() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "ours").unwrap();
        let file = ConfigFile::read(&path).unwrap();

        let outcome = replace_config(&file, None, sandbox.place()).unwrap();

        assert!(
            matches!(outcome, WriteOutcome::Deleted { .. }),
            "{outcome:?}"
        );
        assert!(!path.exists());
        assert_eq!(fs::read(&sandbox.backups()[0]).unwrap(), b"ours");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_kept() {
        let sandbox = Sandbox::new();
        let dotfiles = sandbox.home.join("dotfiles");
        fs::create_dir(&dotfiles).unwrap();
        let target = dotfiles.join("mcp.json");
        fs::write(&target, "old").unwrap();
        let link = sandbox.home.join("mcp.json");
        std::os::unix::fs::symlink("dotfiles/mcp.json", &link).unwrap();
        let file = ConfigFile::read(&link).unwrap();
        assert_eq!(file.real_path(), target);

        replace_config(&file, Some(b"new"), sandbox.place()).unwrap();

        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link survives: dotfile managers depend on it"
        );
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_is_refused_by_name() {
        let sandbox = Sandbox::new();
        let link = sandbox.home.join("mcp.json");
        std::os::unix::fs::symlink("nowhere/mcp.json", &link).unwrap();

        let error = ConfigFile::read(&link).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::ConfigWriteFailed);
        assert!(error.message().contains("does not exist"), "{error}");
        assert!(
            error.message().contains(&link.display().to_string()),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_refused() {
        let sandbox = Sandbox::new();
        let link = sandbox.home.join("a.json");
        std::os::unix::fs::symlink("b.json", &link).unwrap();
        std::os::unix::fs::symlink("a.json", sandbox.home.join("b.json")).unwrap();

        let error = ConfigFile::read(&link).unwrap_err();

        assert!(error.message().contains("loop"), "{error}");
    }

    #[test]
    fn a_read_only_file_is_refused_and_untouched() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "old").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        let file = ConfigFile::read(&path).unwrap();

        let error = replace_config(&file, Some(b"new"), sandbox.place()).unwrap_err();

        assert!(error.message().contains("read-only"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert!(
            sandbox.backups().is_empty(),
            "nothing changed, so no backup"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_refused_and_untouched() {
        use std::os::unix::fs::PermissionsExt as _;
        let sandbox = Sandbox::new();
        let folder = sandbox.home.join(".cursor");
        fs::create_dir(&folder).unwrap();
        let path = folder.join("mcp.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
        let file = ConfigFile::read(&path).unwrap();

        let error = replace_config(&file, Some(b"new"), sandbox.place()).unwrap_err();

        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(error.message().contains("read-only"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn a_config_folder_that_is_a_file_is_refused_by_name() {
        let sandbox = Sandbox::new();
        fs::write(sandbox.home.join(".cursor"), "not a folder").unwrap();
        let path = sandbox.home.join(".cursor/mcp.json");

        let error = ConfigFile::read(&path).unwrap_err();

        assert!(error.message().contains("is a file"), "{error}");
        assert!(error.message().contains(".cursor"), "{error}");
    }

    #[test]
    fn a_file_that_is_a_folder_is_refused() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::create_dir(&path).unwrap();

        let error = ConfigFile::read(&path).unwrap_err();

        assert!(error.message().contains("is a folder"), "{error}");
    }

    #[test]
    fn a_file_rewritten_after_our_read_is_not_overwritten() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "old").unwrap();
        let file = ConfigFile::read(&path).unwrap();
        fs::write(&path, "the client's own change").unwrap();

        let outcome = replace_config(&file, Some(b"ours"), sandbox.place()).unwrap();

        assert_eq!(outcome, WriteOutcome::ChangedSinceRead);
        assert_eq!(fs::read(&path).unwrap(), b"the client's own change");
    }

    #[test]
    fn a_file_created_after_our_read_is_not_overwritten() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        let file = ConfigFile::read(&path).unwrap();
        fs::write(&path, "the client's own file").unwrap();

        let outcome = replace_config(&file, Some(b"ours"), sandbox.place()).unwrap();

        assert_eq!(outcome, WriteOutcome::ChangedSinceRead);
        assert_eq!(fs::read(&path).unwrap(), b"the client's own file");
    }

    #[test]
    fn only_the_newest_backups_are_kept() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "0").unwrap();
        for generation in 1..=BACKUPS_KEPT_PER_FILE + 3 {
            let file = ConfigFile::read(&path).unwrap();
            replace_config(
                &file,
                Some(generation.to_string().as_bytes()),
                sandbox.place(),
            )
            .unwrap();
        }

        let backups = sandbox.backups();

        assert_eq!(backups.len(), BACKUPS_KEPT_PER_FILE);
        assert_eq!(
            fs::read(backups.last().unwrap()).unwrap(),
            (BACKUPS_KEPT_PER_FILE + 2).to_string().as_bytes(),
            "the newest backup holds the version before the last write"
        );
    }

    #[test]
    fn a_five_megabyte_file_is_replaced_whole() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("big.json");
        let big = vec![b' '; 5 * 1024 * 1024];
        fs::write(&path, &big).unwrap();
        let file = ConfigFile::read(&path).unwrap();
        let mut new = big.clone();
        new.push(b'\n');

        replace_config(&file, Some(&new), sandbox.place()).unwrap();

        assert_eq!(fs::read(&path).unwrap(), new);
    }

    #[cfg(unix)]
    fn make_fifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo made the FIFO");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_where_the_config_should_be_is_refused_without_blocking() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        make_fifo(&path);

        let error = ConfigFile::read(&path).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::ConfigWriteFailed);
        assert!(
            error
                .message()
                .contains("named pipe (FIFO), not a regular file"),
            "it says what the file is: {error}"
        );
        assert!(
            error.message().contains(&path.display().to_string()),
            "and names it: {error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_before_a_byte_is_read() {
        let error = read_regular_file(Path::new("/dev/zero"), CONFIG_FILE_LIMIT).unwrap_err();
        assert!(
            error.to_string().contains("`/dev/zero` is a device"),
            "an endless device is never read: {error}"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_the_limit_named() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("state.json");
        fs::write(&path, "12345").unwrap();

        let error = read_regular_file(&path, 4).unwrap_err();

        let message = error.to_string();
        assert!(message.contains("larger than 4 bytes"), "{message}");
        assert!(
            message.contains("state.json"),
            "the file is named: {message}"
        );
        assert_eq!(
            read_regular_file(&path, 5).unwrap(),
            b"12345",
            "a file of exactly the limit is read whole"
        );
        assert_eq!(
            size_text(CONFIG_FILE_LIMIT),
            "64 MiB",
            "limits read as people say them"
        );
    }

    #[test]
    fn a_missing_file_stays_not_found_for_the_callers() {
        let sandbox = Sandbox::new();
        let error = read_regular_file(&sandbox.home.join("nothing.json"), 10).unwrap_err();
        assert_eq!(
            error.kind(),
            io::ErrorKind::NotFound,
            "callers tell missing apart"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_private_replace_makes_a_shared_file_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let file = ConfigFile::read(&path).unwrap();
        assert!(file.was_open_to_others(), "0644 lets others read it");

        replace_private_config(&file, Some(b"secret"), sandbox.place()).unwrap();

        assert_eq!(mode(&path), 0o600, "the file now holds a secret");
        assert!(!ConfigFile::read(&path).unwrap().was_open_to_others());
    }

    #[cfg(unix)]
    #[test]
    fn the_same_bytes_in_a_shared_file_are_rewritten_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "secret").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        let file = ConfigFile::read(&path).unwrap();

        let outcome = replace_private_config(&file, Some(b"secret"), sandbox.place()).unwrap();

        assert!(
            matches!(outcome, WriteOutcome::Written { .. }),
            "an older release left it shared: {outcome:?}"
        );
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn backups_are_private_even_in_folders_that_were_open_to_others() {
        use std::os::unix::fs::PermissionsExt as _;
        let sandbox = Sandbox::new();
        let client_folder = sandbox.backups.join("cursor");
        fs::create_dir_all(&client_folder).unwrap();
        let older = client_folder.join("mcp.json.000000000001.000000000.bak");
        fs::write(&older, "from an older release").unwrap();
        fs::set_permissions(&sandbox.backups, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&client_folder, fs::Permissions::from_mode(0o775)).unwrap();
        fs::set_permissions(&older, fs::Permissions::from_mode(0o644)).unwrap();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "old").unwrap();

        let outcome = replace_config(
            &ConfigFile::read(&path).unwrap(),
            Some(b"new"),
            sandbox.place(),
        )
        .unwrap();

        let WriteOutcome::Written {
            backup: Some(backup),
        } = outcome
        else {
            panic!("expected a write with a backup, got {outcome:?}");
        };
        assert_eq!(
            mode(&sandbox.backups),
            0o700,
            "other users can no longer list or enter the backups folder"
        );
        assert_eq!(mode(&client_folder), 0o700, "nor the client's folder in it");
        assert_eq!(mode(&backup), 0o600, "the new backup may hold a secret");
        assert_eq!(
            mode(&older),
            0o600,
            "a backup an older release left readable is made private too"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_backups_folder_another_user_owns_is_refused_and_the_config_kept() {
        let sandbox = Sandbox::new();
        if rustix::process::geteuid().as_raw() != 0 {
            eprintln!("skipped: giving a folder to another user needs root");
            return;
        }
        fs::create_dir_all(&sandbox.backups).unwrap();
        std::os::unix::fs::chown(&sandbox.backups, Some(65534), Some(65534)).unwrap();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "old").unwrap();

        let error = replace_config(
            &ConfigFile::read(&path).unwrap(),
            Some(b"new"),
            sandbox.place(),
        )
        .unwrap_err();

        assert_eq!(error.kind(), ErrorKind::ConfigWriteFailed);
        assert!(
            error.message().contains("uid 65534")
                && error
                    .message()
                    .contains(&sandbox.backups.display().to_string()),
            "the folder and its owner are named: {error}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            b"old",
            "without a private place for its backup the file is not changed"
        );
    }

    #[test]
    fn a_purge_deletes_the_backups_holding_the_secret_and_keeps_the_others() {
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "before our entry").unwrap();
        for generation in ["with old-secret", "with new-secret"] {
            let file = ConfigFile::read(&path).unwrap();
            replace_config(&file, Some(generation.as_bytes()), sandbox.place()).unwrap();
        }
        let other_client = BackupPlace {
            folder: &sandbox.backups,
            label: "codex",
        };
        let codex = sandbox.home.join("config.toml");
        fs::write(&codex, "old-secret in codex").unwrap();
        replace_config(&ConfigFile::read(&codex).unwrap(), Some(b"x"), other_client).unwrap();

        let purged = purge_backups(&sandbox.backups, |_, bytes| {
            String::from_utf8_lossy(bytes).contains("old-secret")
        });

        assert_eq!(
            purged.deleted.len(),
            2,
            "one backup per client held it: {purged:?}"
        );
        assert!(purged.failed.is_empty());
        let kept: Vec<Vec<u8>> = sandbox
            .backups()
            .iter()
            .map(|backup| fs::read(backup).unwrap())
            .collect();
        assert_eq!(
            kept,
            [b"before our entry".to_vec()],
            "the backup without the secret survives, so remove can still give the file back"
        );
        assert!(
            fs::read_dir(sandbox.backups.join("codex"))
                .unwrap()
                .next()
                .is_none(),
            "the other client's backup holding the secret is gone too"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_another_user_owns_is_refused_with_its_owner_and_kept() {
        use std::os::unix::fs::MetadataExt as _;
        let sandbox = Sandbox::new();
        let path = sandbox.home.join("mcp.json");
        fs::write(&path, "theirs").unwrap();
        if rustix::process::geteuid().as_raw() != 0 {
            eprintln!("skipped: giving a file to another user needs root");
            return;
        }
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        let file = ConfigFile::read(&path).unwrap();

        let error = replace_config(&file, Some(b"ours"), sandbox.place()).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::ConfigWriteFailed);
        assert!(
            error.message().contains("uid 65534"),
            "the owner is named: {error}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"theirs", "the file is untouched");
        assert_eq!(
            fs::metadata(&path).unwrap().uid(),
            65534,
            "and still theirs"
        );
        assert!(
            sandbox.backups().is_empty(),
            "nothing was written, so no backup"
        );
    }
}
