//! Surgical edits of one named entry in a client's config file (JSON/JSONC, TOML, YAML): every
//! byte outside that entry stays as it was, comments, order, trailing commas, CRLF and BOM
//! included (design §5, research/aesthetics.md §3).
//!
//! Edits are pure (text in, text out) so plans and diffs are computed without touching the disk.
//! A file that does not parse, or has the wrong shape on the way to our entry, is refused with its
//! line: never "start from an empty config".
//!
//! Removing what we added, at the prune depth that keeps the containers the file had (see
//! [`PruneDepth`]), gives back the original bytes, with three known exceptions, all cosmetic: a
//! JSON container written on one line (`{ "a": {} }`) is spread over several lines when our
//! entry goes in and stays so, an empty JSON object written over several lines comes back as
//! `{}`, and a file without a final newline gains one. And one that is not cosmetic: a YAML
//! container written as its key alone (`extensions:`, which reads as null) comes back as the
//! empty container it is used as (`extensions: {}`); once it holds our entry it cannot be told
//! from one written `{}`, which is how clients write an empty one.

mod jsonc;
mod toml;
mod yaml;

use std::fmt;

/// The syntax of a config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ConfigFormat {
    /// JSON, with comments and trailing commas accepted and kept (JSONC).
    Json,
    Toml,
    Yaml,
}

/// A value we write: like JSON, but maps keep the order we give them, so an entry reads
/// `type`, `url`, `headers` in every format rather than alphabetically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryValue {
    Bool(bool),
    Integer(i64),
    String(String),
    List(Vec<EntryValue>),
    Map(Vec<(String, EntryValue)>),
}

impl EntryValue {
    /// A map from `(key, value)` pairs, in that order.
    pub fn map<const N: usize>(fields: [(&str, EntryValue); N]) -> Self {
        Self::Map(
            fields
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    }

    pub fn string(value: impl Into<String>) -> Self {
        Self::String(value.into())
    }

    /// The same value as `serde_json`, to compare with what a file holds.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Bool(value) => (*value).into(),
            Self::Integer(value) => (*value).into(),
            Self::String(value) => value.as_str().into(),
            Self::List(items) => items.iter().map(Self::to_json).collect(),
            Self::Map(fields) => fields
                .iter()
                .map(|(key, value)| (key.clone(), value.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Where an entry lives in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryLocation {
    /// The member `name` of the map at `container`, such as `mcpServers` → `atlassian-rovo-mcp`.
    Member {
        container: Vec<String>,
        name: String,
    },
    /// The item of the list at `container` whose field `key` is `name`, such as Continue's
    /// `mcpServers` list or VS Code's `inputs`.
    ListItem {
        container: Vec<String>,
        key: String,
        name: String,
    },
}

impl EntryLocation {
    pub fn member(container: &[&str], name: &str) -> Self {
        Self::Member {
            container: container.iter().map(|&key| key.to_owned()).collect(),
            name: name.to_owned(),
        }
    }

    pub fn list_item(container: &[&str], key: &str, name: &str) -> Self {
        Self::ListItem {
            container: container.iter().map(|&key| key.to_owned()).collect(),
            key: key.to_owned(),
            name: name.to_owned(),
        }
    }

    fn container(&self) -> &[String] {
        match self {
            Self::Member { container, .. } | Self::ListItem { container, .. } => container,
        }
    }

    /// Every prune depth that gives a removal here a different result, from keeping every
    /// container on the path (`PruneDepth::NONE`) to taking out all of them: one container per
    /// key of the path, a list entry's list being the innermost.
    pub fn prune_depths(&self) -> impl Iterator<Item = PruneDepth> + use<> {
        (0..=self.container().len()).map(PruneDepth)
    }

    fn name(&self) -> &str {
        match self {
            Self::Member { name, .. } | Self::ListItem { name, .. } => name,
        }
    }
}

/// One change: put `value` at `location`, or take whatever is there out when `value` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryEdit {
    pub location: EntryLocation,
    pub value: Option<EntryValue>,
    /// When removing: how many of the containers this leaves empty go too.
    pub prune: PruneDepth,
}

/// On removing an entry, how many of the containers on its path, innermost first, go too when
/// the removal leaves them empty. Those were created with our entry; a container that was
/// there before, even empty (`"mcp": {}`), must stay for the file to be what it was. An emptied
/// container that stays is written `{}`/`[]`; one holding a comment always stays.
///
/// For `mcp.servers.ours`: 0 keeps `servers` (`"mcp": {"servers": {}}`), 1 takes out `servers`
/// and keeps `mcp` (`"mcp": {}`), 2 or more takes out both when nothing else is in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PruneDepth(pub usize);

impl PruneDepth {
    /// Every container stays: all of them were there before our entry.
    pub const NONE: Self = Self(0);
    /// Every container the removal empties goes: all of them came with our entry.
    pub const ALL: Self = Self(usize::MAX);

    /// Whether the container `level` steps out from the entry (1: the one holding it) may go.
    fn reaches(self, level: usize) -> bool {
        level <= self.0
    }
}

/// Why a document cannot be edited, with the 1-based line it concerns when there is one. The
/// caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub line: Option<usize>,
    pub message: String,
}

impl EditError {
    fn new(line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }

    /// An error at a byte offset; one at the very end of the text (an unclosed bracket) is
    /// reported on the last line, which is where the person has to look.
    fn at_offset(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let last_line = text.lines().count().max(1);
        let line = line_of_offset(text.as_bytes(), offset).min(last_line);
        Self::new(Some(line), message)
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

const BYTE_ORDER_MARK: &str = "\u{feff}";

impl ConfigFormat {
    /// Applies `edits` in order to a file's bytes (`None`: the file does not exist) and returns
    /// the new bytes. The BOM and CRLF line endings survive; so does everything we do not touch.
    pub fn edit(self, bytes: Option<&[u8]>, edits: &[EntryEdit]) -> Result<Vec<u8>, EditError> {
        let original = bytes.unwrap_or_default();
        let text = decode(original)?;
        let (bom, body) = split_one_bom(text)?;
        // An entry that already holds what we would write is left alone, so a second run
        // changes no byte (and VS Code's `inputs` keep their formatting).
        let mut needed = Vec::with_capacity(edits.len());
        for edit in edits {
            let current = self.read_body(body, &edit.location)?;
            if current != edit.value.as_ref().map(EntryValue::to_json) {
                needed.push(edit.clone());
            }
        }
        if needed.is_empty() {
            return Ok(original.to_vec());
        }
        let edits = needed.as_slice();
        // Only a file whose every line ends in CRLF is converted, and converted back: a mixed
        // file is edited as it is, so no line's ending changes either way. Converting back is
        // safe because no editor writes a raw line break inside a value (JSON and YAML escape
        // it, TOML too, see toml.rs), and `check_edited` refuses the edit if one slips through.
        let crlf = body.contains("\r\n") && !body.replace("\r\n", "").contains('\n');
        let body = if crlf {
            body.replace("\r\n", "\n")
        } else {
            body.to_owned()
        };
        let mut edited = match self {
            Self::Json => jsonc::apply(&body, edits)?,
            Self::Toml => toml::apply(&body, edits)?,
            Self::Yaml => yaml::apply(&body, edits)?,
        };
        if crlf {
            edited = edited.replace('\n', "\r\n");
        }
        self.check_edited(&edited, edits)?;
        Ok(format!("{bom}{edited}").into_bytes())
    }

    /// Reads the edited text back before anything is written: it must parse, and every entry we
    /// touched must hold what we meant. An editor defect then refuses the edit, leaving the
    /// person's file as it was, instead of writing a file the client cannot read (design: refuse
    /// rather than guess).
    fn check_edited(self, edited: &str, edits: &[EntryEdit]) -> Result<(), EditError> {
        // The last edit of a location is what it holds afterwards.
        let mut expected: Vec<(&EntryLocation, Option<serde_json::Value>)> = Vec::new();
        for edit in edits {
            let value = edit.value.as_ref().map(EntryValue::to_json);
            match expected
                .iter_mut()
                .find(|(location, _)| **location == edit.location)
            {
                Some(slot) => slot.1 = value,
                None => expected.push((&edit.location, value)),
            }
        }
        for (location, value) in expected {
            let read_back = self.read_body(edited, location).map_err(|error| {
                EditError::new(
                    None,
                    format!(
                        "changing `{}` would have left a file that does not parse ({error}), so the change was refused",
                        location.name()
                    ),
                )
            })?;
            if read_back != value {
                return Err(EditError::new(
                    None,
                    format!(
                        "changing `{}` would not have read back as written, so the change was refused",
                        location.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Reads the entry at `location`, as JSON, or `None` when there is none.
    pub fn read(
        self,
        bytes: &[u8],
        location: &EntryLocation,
    ) -> Result<Option<serde_json::Value>, EditError> {
        let (_, body) = split_one_bom(decode(bytes)?)?;
        self.read_body(body, location)
    }

    fn read_body(
        self,
        body: &str,
        location: &EntryLocation,
    ) -> Result<Option<serde_json::Value>, EditError> {
        match self {
            Self::Json => jsonc::read(body, location),
            Self::Toml => toml::read(body, location),
            Self::Yaml => yaml::read(body, location),
        }
    }

    /// Whether a document holds nothing at all: no keys, no comments. Removing our entry from a
    /// file we created leaves such a document, and then the file is deleted rather than left as
    /// `{}` (design §5: "a file we created is deleted").
    pub fn is_empty_document(self, bytes: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        let body = split_bom(text).1.trim();
        match self {
            Self::Json => body.is_empty() || jsonc::is_empty_object(body),
            Self::Toml | Self::Yaml => body.is_empty(),
        }
    }
}

fn decode(bytes: &[u8]) -> Result<&str, EditError> {
    std::str::from_utf8(bytes).map_err(|error| {
        EditError::new(
            Some(line_of_offset(bytes, error.valid_up_to())),
            "the file is not valid UTF-8 text",
        )
    })
}

/// [`split_bom`], refusing a second byte-order mark after the first: parsers drop it, so an
/// edit would lose it, and no editor writes one.
fn split_one_bom(text: &str) -> Result<(&str, &str), EditError> {
    let (bom, body) = split_bom(text);
    if body.starts_with(BYTE_ORDER_MARK) {
        return Err(EditError::new(
            Some(1),
            "the file starts with two byte-order marks; remove one and try again",
        ));
    }
    Ok((bom, body))
}

fn split_bom(text: &str) -> (&str, &str) {
    match text.strip_prefix(BYTE_ORDER_MARK) {
        Some(body) => (BYTE_ORDER_MARK, body),
        None => ("", text),
    }
}

/// The 1-based line of a byte offset.
fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .split(|&byte| byte == b'\n')
        .count()
}

/// A readable name for a container path in messages: `mcpServers`, `projects.x.mcpServers`.
fn dotted(path: &[String]) -> String {
    if path.is_empty() {
        "the top level".to_owned()
    } else {
        format!("`{}`", path.join("."))
    }
}

/// Before→after checks shared by the three format editors' tests.
#[cfg(test)]
pub(crate) mod edit_check {
    use super::{ConfigFormat, EntryEdit};

    /// Applies `edits` to `before` in `format` and compares the bytes with `after`.
    #[track_caller]
    pub(crate) fn check_edit(format: ConfigFormat, before: &str, edits: &[EntryEdit], after: &str) {
        let edited = format
            .edit(Some(before.as_bytes()), edits)
            .unwrap_or_else(|error| panic!("edit failed: {error}"));
        let edited = String::from_utf8(edited).unwrap();
        assert_eq!(
            edited, after,
            "\n--- got ---\n{edited}\n--- expected ---\n{after}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_bytes_are_refused_with_their_line() {
        let error = ConfigFormat::Json
            .edit(Some(b"{\n\"a\": \"\xff\"\n}"), &[])
            .unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(error.message.contains("UTF-8"), "{error}");
    }

    /// The fuzzing input in `fuzz/regressions/edit_toml/two-byte-order-marks`: TOML's parser
    /// drops the second mark, so an edit would have lost it.
    #[test]
    fn a_file_with_two_byte_order_marks_is_refused_whole() {
        let ours = EntryLocation::member(&["mcp_servers"], "ours");
        let put = [EntryEdit {
            location: ours.clone(),
            value: Some(EntryValue::map([("url", EntryValue::string("new"))])),
            prune: PruneDepth::NONE,
        }];
        let twice = "\u{feff}\u{feff}".as_bytes();
        for format in [ConfigFormat::Json, ConfigFormat::Toml, ConfigFormat::Yaml] {
            let error = format
                .edit(Some(twice), &put)
                .expect_err("no edit can keep both marks");
            assert!(
                error.message.contains("two byte-order marks"),
                "{format:?}: the message says what is wrong: {error}"
            );
            assert!(
                format.read(twice, &ours).is_err(),
                "{format:?}: the file reads as broken, so the client is shown as such"
            );
        }
    }

    #[test]
    fn an_edit_that_would_not_read_back_is_refused() {
        let ours = EntryLocation::member(&["extensions"], "ours");
        let removal = [EntryEdit {
            location: ours.clone(),
            value: None,
            prune: PruneDepth::NONE,
        }];
        let error = ConfigFormat::Yaml
            .check_edited("extensions:\n  other: \"unclosed\n", &removal)
            .expect_err("a result that does not parse is never written");
        assert!(
            error.message.contains("does not parse") && error.message.contains("refused"),
            "the message says the change was refused and why: {error}"
        );
        let error = ConfigFormat::Yaml
            .check_edited("extensions:\n  ours:\n    url: left\n", &removal)
            .expect_err("an entry still there after its removal is never written");
        assert!(
            error.message.contains("`ours`") && error.message.contains("refused"),
            "the message names the entry and says the change was refused: {error}"
        );
        let update = [EntryEdit {
            location: ours,
            value: Some(EntryValue::map([("url", EntryValue::string("new"))])),
            prune: PruneDepth::NONE,
        }];
        assert_eq!(
            ConfigFormat::Yaml.check_edited("extensions:\n  ours:\n    url: new\n", &update),
            Ok(()),
            "an entry that reads back as written passes"
        );
    }

    #[test]
    fn empty_documents_are_recognised_per_format() {
        assert!(ConfigFormat::Json.is_empty_document(b"{\n}\n"));
        assert!(ConfigFormat::Json.is_empty_document(b""));
        assert!(!ConfigFormat::Json.is_empty_document(b"{ // keep\n}"));
        assert!(!ConfigFormat::Json.is_empty_document(b"{\"a\": 1}"));
        assert!(ConfigFormat::Toml.is_empty_document(b"\n"));
        assert!(!ConfigFormat::Toml.is_empty_document(b"# comment\n"));
        assert!(ConfigFormat::Yaml.is_empty_document(b""));
    }
}
