//! Backups never outlive the secret they hold: once a credential is superseded (by `rotate`,
//! the rotate window or a wizard write over another credential; by the wizard's Undo, for the
//! credential the write brought; by `remove --forget`), every backup of a client file that
//! holds it, in any encoding, is deleted. Backups without it stay, so that `remove` still finds
//! the version from before our entry.

use std::path::Path;

use crate::domain::clients::{ClientWriteResult, SecretMode};
use crate::domain::credentials::{self, holds_authorization};
use crate::domain::secrets::{Secret, SecretStore};
use crate::plumbing::fsutil::{self, Purged};
use crate::plumbing::state::CredentialRecord;

/// The `Authorization` value of the credential on record, built from its keychain item; `None`
/// when the keychain holds no item for it or cannot be read, or the item no longer makes a
/// credential. Read it before the item is replaced or deleted.
pub fn authorization_on_record(
    record: &CredentialRecord,
    keychain: &dyn SecretStore,
) -> Option<Secret> {
    let token = keychain.read(&record.keychain_account).ok().flatten()?;
    let credential =
        credentials::prepare_credential(record.auth, record.email.as_deref(), &token).ok()?;
    Some(Secret::new(credential.authorization().expose()))
}

/// Deletes every backup in `backup_folder`, of any client, that holds `superseded`, the
/// `Authorization` value of a credential no longer in use (unless it is `current`, the one in use
/// now), and every backup `written` made of an entry of ours that carried a header inline other
/// than `current`: that backup holds a superseded secret even when the keychain could not tell
/// which. With no `current` (the credential was forgotten), every such backup goes.
pub fn purge(
    backup_folder: &Path,
    superseded: Option<&Secret>,
    current: Option<&Secret>,
    written: &[ClientWriteResult],
) -> Purged {
    let written_inline: Vec<&Path> = written
        .iter()
        .filter(|result| {
            result
                .previous_entry
                .as_ref()
                .is_some_and(|entry| entry.mode == Some(SecretMode::Inline))
        })
        .filter_map(|result| result.backup.as_deref().map(Path::new))
        .collect();
    let superseded = superseded
        .filter(|superseded| current.is_none_or(|current| current.expose() != superseded.expose()));
    if superseded.is_none() && written_inline.is_empty() {
        return Purged::default();
    }
    fsutil::purge_backups(backup_folder, |path, bytes| {
        superseded.is_some_and(|superseded| holds_authorization(superseded.expose(), bytes))
            || (written_inline.contains(&path)
                && !current.is_some_and(|current| holds_authorization(current.expose(), bytes)))
    })
}

/// Brings the results of a write up to date with a purge that followed it: a backup that was
/// deleted is no longer named as where the previous version went, and one that could not be
/// deleted gets a note on its client saying so.
pub fn account_for(results: &mut [ClientWriteResult], purged: &Purged) {
    for result in results {
        if result.backup.as_deref().is_some_and(|backup| {
            purged
                .deleted
                .iter()
                .any(|deleted| deleted == Path::new(backup))
        }) {
            result.backup = None;
        }
        for (path, message) in &purged.failed {
            let of_this_client = path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|label| label == result.id.as_str());
            if of_this_client {
                result.note = Some(match result.note.take() {
                    Some(note) => format!("{note}; {message}"),
                    None => message.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::fs;
    use std::path::PathBuf;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use rovo_test_support::leak_scan::{self, ROTATED_TOKEN, SCOPED_TOKEN};

    use super::*;
    use crate::domain::clients::EntrySummary;

    const EMAIL: &str = "me@example.com";

    fn basic(token: &str) -> Secret {
        Secret::new(format!(
            "Basic {}",
            STANDARD.encode(format!("{EMAIL}:{token}"))
        ))
    }

    /// A backup of Cursor's file holding `text`, as the n-th one written.
    fn backup(folder: &Path, n: usize, text: &str) -> PathBuf {
        let client = folder.join("cursor");
        fs::create_dir_all(&client).unwrap();
        let path = client.join(format!("mcp.json.{n:012}.000000000.bak"));
        fs::write(&path, text).unwrap();
        path
    }

    fn left(folder: &Path) -> Vec<String> {
        let mut texts: Vec<String> = leak_scan::every_file_under(folder)
            .iter()
            .map(|path| fs::read_to_string(path).unwrap())
            .collect();
        texts.sort();
        texts
    }

    #[test]
    fn every_encoding_of_the_superseded_secret_is_purged_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("backups");
        let old = basic(SCOPED_TOKEN);
        let pair = format!("{EMAIL}:{SCOPED_TOKEN}");
        let percent = old.expose().bytes().fold(String::new(), |mut text, byte| {
            let _ = write!(text, "%{byte:02X}");
            text
        });
        let holding_it = [
            format!(r#"{{"headers": {{"Authorization": "{}"}}}}"#, old.expose()),
            format!("bearer_token = \"{SCOPED_TOKEN}\""),
            SCOPED_TOKEN.to_uppercase(),
            percent,
            old.expose().replace('+', "\\u002B").replace('/', "\\/"),
            // The whole header inside the base64 of a longer text, as a JSON echo would be.
            STANDARD.encode(format!(r#"{{"auth":"{}"}}"#, old.expose())),
            STANDARD.encode(format!("xx{pair}")),
        ];
        for (n, text) in holding_it.iter().enumerate() {
            backup(&folder, n, text);
        }
        let before_our_entry = "{\n  \"mcpServers\": {}\n}\n";
        backup(&folder, 100, before_our_entry);
        let with_new = format!("\"Authorization\": \"{}\"", basic(ROTATED_TOKEN).expose());
        backup(&folder, 101, &with_new);

        let purged = purge(&folder, Some(&old), Some(&basic(ROTATED_TOKEN)), &[]);

        assert_eq!(
            purged.deleted.len(),
            holding_it.len(),
            "each encoding of the old credential marks its backup: {purged:?}"
        );
        let mut expected = vec![before_our_entry.to_owned(), with_new];
        expected.sort();
        assert_eq!(
            left(&folder),
            expected,
            "the backup from before our entry and the one holding the credential in use stay"
        );
        for path in leak_scan::every_file_under(&folder) {
            let leaks = leak_scan::leaks_in(&path, &fs::read(&path).unwrap());
            assert!(
                leaks.iter().all(|leak| leak.secret != "SCOPED_TOKEN"),
                "the leak scan finds the old token in no backup left: {leaks:?}"
            );
        }
    }

    #[test]
    fn the_credential_in_use_is_never_purged() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("backups");
        let current = basic(SCOPED_TOKEN);
        backup(&folder, 1, current.expose());

        let purged = purge(&folder, Some(&current), Some(&current), &[]);

        assert!(
            purged.deleted.is_empty() && left(&folder).len() == 1,
            "a rotation to the same token supersedes nothing: {purged:?}"
        );
    }

    /// A result of a write of Cursor whose file held our entry in `mode` and was backed up.
    fn written(backup: &Path, mode: SecretMode) -> ClientWriteResult {
        ClientWriteResult {
            id: "cursor".to_owned(),
            name: "Cursor".to_owned(),
            config_path: None,
            change: Some(crate::domain::clients::Change::Update),
            backup: Some(backup.display().to_string()),
            needs_restart: false,
            previous_entry: Some(EntrySummary {
                url: None,
                mode: Some(mode),
                program: None,
            }),
            note: None,
            error: None,
        }
    }

    #[test]
    fn a_backup_of_an_inline_entry_goes_even_when_the_old_secret_is_unknown() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("backups");
        let unknown = basic("a-token-the-keychain-no-longer-had");
        let inline = backup(&folder, 1, unknown.expose());
        let keychain_mode = backup(&folder, 2, "{\"command\": \"rovo-mcp-setup\"}");
        let mut results = [
            written(&inline, SecretMode::Inline),
            written(&keychain_mode, SecretMode::Keychain),
        ];

        let purged = purge(&folder, None, Some(&basic(ROTATED_TOKEN)), &results);
        account_for(&mut results, &purged);

        assert_eq!(
            purged.deleted,
            [inline],
            "the file's inline header was not the new one, so its backup held the old"
        );
        assert!(
            keychain_mode.exists(),
            "a keychain-mode entry holds no secret"
        );
        assert_eq!(
            (results[0].backup.as_deref(), results[1].backup.is_some()),
            (None, true),
            "a deleted backup is no longer named as where the previous version went"
        );
    }
}
