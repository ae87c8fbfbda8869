//! The invariants of the entry editors (design §5): on any document, adding, changing and
//! removing our entry never panics; an entry added reads back, adding it again is a no-op,
//! changing it touches nothing outside it, and removing it at the right prune depth gives back
//! the document.

use rovo_mcp_core::plumbing::edit::{
    ConfigFormat, EditError, EntryEdit, EntryLocation, EntryValue, PruneDepth,
};

/// The name of our entry.
pub const NAME: &str = "atlassian-rovo-mcp";

/// Values that need quoting or escaping in one format or another.
const VALUES: [&str; 14] = [
    "https://mcp.atlassian.com/v1/mcp",
    "Basic YTpi",
    "quote \" and \\ backslash",
    "# not a comment",
    "key: value",
    "two\nlines",
    "tab\there",
    "é 中 😀",
    "",
    "{[,]}",
    "'single'",
    "- dash",
    "null",
    "123",
];

/// Where our entry goes in a document of `format`: the locations the clients use, and one
/// nested two containers deep.
fn locations(format: ConfigFormat) -> Vec<EntryLocation> {
    match format {
        ConfigFormat::Json => vec![
            EntryLocation::member(&["mcpServers"], NAME),
            EntryLocation::member(&["mcp", "servers"], NAME),
            EntryLocation::list_item(&["inputs"], "id", NAME),
        ],
        ConfigFormat::Toml => vec![
            EntryLocation::member(&["mcp_servers"], NAME),
            EntryLocation::member(&["profiles", "mcp_servers"], NAME),
        ],
        ConfigFormat::Yaml => vec![
            EntryLocation::member(&["extensions"], NAME),
            EntryLocation::list_item(&["mcpServers"], "name", NAME),
        ],
    }
}

/// An entry value holding `text`; a list item also carries the key it is found by.
fn entry(location: &EntryLocation, text: &str) -> EntryValue {
    let mut fields = Vec::new();
    if let EntryLocation::ListItem { key, name, .. } = location {
        fields.push((key.clone(), EntryValue::string(name.clone())));
    }
    fields.push(("type".to_owned(), EntryValue::string("http")));
    fields.push(("url".to_owned(), EntryValue::string(text)));
    fields.push((
        "headers".to_owned(),
        EntryValue::map([("Authorization", EntryValue::string(text))]),
    ));
    EntryValue::Map(fields)
}

/// Puts `value` at `location` in `document`.
fn put(
    format: ConfigFormat,
    document: &[u8],
    location: &EntryLocation,
    value: &EntryValue,
) -> Result<Vec<u8>, EditError> {
    let edits = [EntryEdit {
        location: location.clone(),
        value: Some(value.clone()),
        prune: PruneDepth::NONE,
    }];
    format.edit(Some(document), &edits)
}

/// Takes the entry at `location` out of `document`, and as many emptied containers as `prune`
/// says.
fn remove(
    format: ConfigFormat,
    document: &[u8],
    location: &EntryLocation,
    prune: PruneDepth,
) -> Result<Vec<u8>, EditError> {
    let edits = [EntryEdit {
        location: location.clone(),
        value: None,
        prune,
    }];
    format.edit(Some(document), &edits)
}

/// The fuzz targets' input: one byte choosing the entry's location and values, then the
/// document, checked by [`check_edits_of_any_document`].
pub fn check_entry_edits(format: ConfigFormat, data: &[u8]) {
    let Some((&selector, document)) = data.split_first() else {
        return;
    };
    let locations = locations(format);
    let location = &locations[usize::from(selector) % locations.len()];
    let first_text = VALUES[usize::from(selector / 4) % VALUES.len()];
    let second_text = VALUES[(usize::from(selector / 4) + 1) % VALUES.len()];
    let (first, second) = (entry(location, first_text), entry(location, second_text));
    check_edits_of_any_document(format, document, location, &first, &second);
}

/// Edits our entry at `location` in any bytes: a document that does not parse is refused by
/// every edit, never half-edited; one that holds our entry is checked from what it is without
/// it, by [`check_edits_of_document_without_entry`], removal giving it back up to layout.
pub fn check_edits_of_any_document(
    format: ConfigFormat,
    document: &[u8],
    location: &EntryLocation,
    first: &EntryValue,
    second: &EntryValue,
) {
    let Ok(existing) = format.read(document, location) else {
        assert!(
            put(format, document, location, first).is_err(),
            "a document that cannot be read cannot be edited either"
        );
        return;
    };
    let base = match existing {
        Some(_) => {
            let base = remove(format, document, location, PruneDepth::NONE)
                .expect("an entry that reads can be removed");
            assert_eq!(
                format.read(&base, location),
                Ok(None),
                "a removed entry is gone"
            );
            base
        }
        None => document.to_vec(),
    };
    // A document of the wrong shape on the way to our entry is refused, which is all there is
    // to check of it.
    let _ = check_edits_of_document_without_entry(
        format,
        &base,
        location,
        first,
        second,
        Restoration::UpToLayout,
    );
}

/// What removing our entry must give back.
#[derive(Debug, Clone, Copy)]
pub enum Restoration<'a> {
    /// The document at some prune depth, up to the editors' known changes of layout (see the
    /// core's `edit` module): what can be said of any bytes.
    UpToLayout,
    /// Exactly `bytes` at the depth `prune`: for a document whose containers and layout are
    /// known.
    Exactly { prune: PruneDepth, bytes: &'a [u8] },
}

/// The documents the edits went through, for callers that check more of them.
#[derive(Debug)]
pub struct EditedDocuments {
    /// With `first` added.
    pub added: Vec<u8>,
    /// With `first` changed to `second`.
    pub changed: Vec<u8>,
}

/// Adds `first` at `location` to `document`, which does not hold it; the editor's error when
/// that is refused. Then the entry reads back as written, adding it again is a no-op, changing
/// it to `second` reads back too and, at every prune depth, removing it gives what removing
/// `first` does, so the change touched nothing outside it. Removing it gives back the document
/// as `restoration` says, and once the document is in the editor's own layout, adding and
/// removing again gives back every byte.
pub fn check_edits_of_document_without_entry(
    format: ConfigFormat,
    document: &[u8],
    location: &EntryLocation,
    first: &EntryValue,
    second: &EntryValue,
    restoration: Restoration<'_>,
) -> Result<EditedDocuments, EditError> {
    let added = put(format, document, location, first)?;
    let shown = String::from_utf8_lossy(&added).into_owned();
    assert_eq!(
        format.read(&added, location),
        Ok(Some(first.to_json())),
        "an entry that was added reads back as written:\n{shown}"
    );
    assert_eq!(
        put(format, &added, location, first).as_ref(),
        Ok(&added),
        "adding the same entry again is a no-op"
    );
    let changed = put(format, &added, location, second)
        .unwrap_or_else(|error| panic!("an entry that was added can be changed: {error}\n{shown}"));
    assert_eq!(
        format.read(&changed, location),
        Ok(Some(second.to_json())),
        "a changed entry reads back as written:\n{}",
        String::from_utf8_lossy(&changed)
    );

    let mut restored = None;
    for prune in location.prune_depths() {
        let from_added = remove(format, &added, location, prune).expect("removal works");
        let from_changed = remove(format, &changed, location, prune).expect("removal works");
        assert_eq!(
            String::from_utf8_lossy(&from_added),
            String::from_utf8_lossy(&from_changed),
            "at prune depth {}, removing the changed entry gives what removing the added one \
             does: changing it touched nothing outside it",
            prune.0
        );
        let gives_back = match restoration {
            Restoration::UpToLayout => same_up_to_layout(format, document, &from_added),
            Restoration::Exactly { prune: at, .. } => at == prune,
        };
        if gives_back {
            restored = Some((prune, from_added));
        }
    }
    let (prune, restored) =
        restored.expect("removing what was added gives back the document, up to whitespace");
    if let Restoration::Exactly { bytes, .. } = restoration {
        assert_eq!(
            String::from_utf8_lossy(&restored),
            String::from_utf8_lossy(bytes),
            "removing our entry at prune depth {}, which keeps the containers the document had, \
             gives back every byte\nwith our entry:\n{shown}",
            prune.0
        );
    }
    let again =
        put(format, &restored, location, second).expect("a document we wrote can be edited again");
    assert_eq!(
        remove(format, &again, location, prune),
        Ok(restored),
        "once in the editor's own layout, remove(insert(x)) == x byte for byte"
    );
    Ok(EditedDocuments { added, changed })
}

/// Whether removing our entry gave back `before` up to the editors' known changes of layout:
/// whitespace; a blank file filled with a whole document comes back as an empty one (which the
/// caller deletes when it created the file); a JSON file of comments alone keeps the object
/// our entry went into, `{}`; and a YAML container written as its key alone comes back as `{}`
/// or `[]`.
fn same_up_to_layout(format: ConfigFormat, before: &[u8], removed: &[u8]) -> bool {
    let (before_text, removed_text) = (without_whitespace(before), without_whitespace(removed));
    let blank = before_text
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(&before_text)
        .is_empty();
    let comments_only =
        format == ConfigFormat::Json && removed_text == [before_text.as_slice(), b"{}"].concat();
    before_text == removed_text
        || (blank && format.is_empty_document(removed))
        || comments_only
        || (format == ConfigFormat::Yaml && gains_an_empty_container(&before_text, &removed_text))
}

/// The text without whitespace, Unicode's, which JSONC reads as whitespace too (an empty JSON
/// object written over several lines comes back as `{}`, whatever blank characters it held).
fn without_whitespace(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect::<String>()
        .into_bytes()
}

/// Whether `removed` is `before` with `{}` or `[]` after one colon.
fn gains_an_empty_container(before: &[u8], removed: &[u8]) -> bool {
    removed.len() == before.len() + 2
        && (1..=before.len()).any(|at| {
            before[at - 1] == b':'
                && removed[..at] == before[..at]
                && matches!(&removed[at..at + 2], b"{}" | b"[]")
                && removed[at + 2..] == before[at..]
        })
}
