//! TOML edits through `toml_edit` (Codex's `config.toml`): the shape is checked on the parsed
//! document, which still has byte spans for error lines, then our entry is written as its own
//! `[container.name]` table so the file keeps the idiomatic layout and every other table, comment
//! and blank line stays.

use std::fmt::Write as _;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use super::{EditError, EntryEdit, EntryLocation, EntryValue, PruneDepth, dotted};

pub(super) fn apply(text: &str, edits: &[EntryEdit]) -> Result<String, EditError> {
    let parsed = parse(text)?;
    for edit in edits {
        find_entry(text, parsed.as_table(), &edit.location)?;
    }
    let mut document: DocumentMut = parsed.into_mut();
    for edit in edits {
        let (container, name) = member_location(&edit.location)?;
        match &edit.value {
            Some(value) => set_entry(document.as_table_mut(), container, name, value),
            None => remove_entry(document.as_table_mut(), container, name, edit.prune),
        }
    }
    Ok(document.to_string())
}

pub(super) fn read(
    text: &str,
    location: &EntryLocation,
) -> Result<Option<serde_json::Value>, EditError> {
    let parsed = parse(text)?;
    Ok(find_entry(text, parsed.as_table(), location)?.map(to_json))
}

fn parse(text: &str) -> Result<toml_edit::Document<String>, EditError> {
    toml_edit::Document::parse(text.to_owned()).map_err(|error| {
        let line = error
            .span()
            .map(|span| super::line_of_offset(text.as_bytes(), span.start));
        EditError::new(
            line,
            format!("not valid TOML: {}", error.message().trim_end()),
        )
    })
}

/// TOML clients keep servers in tables; a list location would be a programming error in a
/// client definition, reported rather than guessed at.
fn member_location(location: &EntryLocation) -> Result<(&[String], &str), EditError> {
    match location {
        EntryLocation::Member { container, name } => Ok((container, name)),
        EntryLocation::ListItem { .. } => Err(EditError::new(
            None,
            "TOML entries are tables, not list items",
        )),
    }
}

fn find_entry<'a>(
    text: &str,
    root: &'a Table,
    location: &EntryLocation,
) -> Result<Option<&'a Item>, EditError> {
    let (container, name) = member_location(location)?;
    let mut table: &dyn toml_edit::TableLike = root;
    for (depth, key) in container.iter().enumerate() {
        let Some(item) = table.get(key) else {
            return Ok(None);
        };
        let Some(inner) = item.as_table_like() else {
            let line = item
                .span()
                .map(|span| super::line_of_offset(text.as_bytes(), span.start));
            return Err(EditError::new(
                line,
                format!(
                    "{} is {}, expected a table",
                    dotted(&container[..=depth]),
                    kind_name(item)
                ),
            ));
        };
        table = inner;
    }
    Ok(table.get(name))
}

fn kind_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Integer(_) | Value::Float(_)) => "a number",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date",
        Item::Value(Value::Array(_)) | Item::ArrayOfTables(_) => "a list",
        Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
    }
}

fn set_entry(root: &mut Table, container: &[String], name: &str, value: &EntryValue) {
    let mut table: &mut dyn toml_edit::TableLike = root;
    for key in container {
        let item = table.entry(key).or_insert_with(|| {
            // An implicit parent prints no `[mcp_servers]` header of its own, only
            // `[mcp_servers.name]`, which is how people write it.
            let mut parent = Table::new();
            parent.set_implicit(true);
            Item::Table(parent)
        });
        table = item
            .as_table_like_mut()
            .expect("find_entry checked every container is a table");
    }
    let mut entry = to_table(value);
    if let Some(existing) = table.get(name).and_then(Item::as_table) {
        // Keep the comment and blank lines above the entry we replace.
        *entry.decor_mut() = existing.decor().clone();
        entry.set_position(existing.position());
    }
    table.insert(name, Item::Table(entry));
}

/// Removes `name` under `path`; then each table on the path that this left empty goes too,
/// innermost first, as many as `prune` allows, so that removing what we added leaves no
/// `[mcp_servers]` behind that was not there before.
fn remove_entry(
    table: &mut dyn toml_edit::TableLike,
    path: &[String],
    name: &str,
    prune: PruneDepth,
) {
    let Some((first, rest)) = path.split_first() else {
        table.remove(name);
        return;
    };
    let Some(inner) = table.get_mut(first).and_then(Item::as_table_like_mut) else {
        return;
    };
    remove_entry(inner, rest, name, prune);
    // `inner` is as many tables out from the entry as there are keys left on the path.
    if prune.reaches(path.len()) && inner.is_empty() {
        table.remove(first);
    }
}

fn to_table(value: &EntryValue) -> Table {
    let mut table = Table::new();
    if let EntryValue::Map(fields) = value {
        for (key, value) in fields {
            table.insert(key, Item::Value(to_value(value)));
        }
    }
    table
}

fn to_value(value: &EntryValue) -> Value {
    match value {
        EntryValue::Bool(value) => (*value).into(),
        EntryValue::Integer(value) => (*value).into(),
        EntryValue::String(value) => string_value(value),
        EntryValue::List(items) => Value::Array(items.iter().map(to_value).collect::<Array>()),
        EntryValue::Map(fields) => {
            let mut inline = InlineTable::new();
            for (key, value) in fields {
                inline.insert(key, to_value(value));
            }
            Value::InlineTable(inline)
        }
    }
}

/// A string we write. One holding a line break (or another control character) is written as a
/// one-line basic string with escapes, where `toml_edit` would choose a multi-line string: in a
/// CRLF file the line endings are converted around the edit (mod.rs), and a raw line break
/// inside the value would become CRLF with them, changing the value.
fn string_value(value: &str) -> Value {
    if !value.chars().any(char::is_control) {
        return value.into();
    }
    let mut quoted = String::from('"');
    for character in value.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            control if control.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(control));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    let mut escaped: Value = quoted
        .parse()
        .expect("a basic string with every control character escaped is valid TOML");
    // Parsing keeps the surrounding whitespace as decor; cleared, the table lays it out.
    escaped.decor_mut().clear();
    escaped
}

fn to_json(item: &Item) -> serde_json::Value {
    match item {
        Item::None => serde_json::Value::Null,
        Item::Value(value) => value_to_json(value),
        Item::Table(table) => table
            .iter()
            .map(|(key, item)| (key.to_owned(), to_json(item)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Item::ArrayOfTables(tables) => tables
            .iter()
            .map(|table| to_json(&Item::Table(table.clone())))
            .collect(),
    }
}

fn value_to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::String(value) => value.value().as_str().into(),
        Value::Integer(value) => (*value.value()).into(),
        Value::Float(value) => serde_json::Number::from_f64(*value.value())
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Boolean(value) => (*value.value()).into(),
        Value::Datetime(value) => value.value().to_string().into(),
        Value::Array(items) => items.iter().map(value_to_json).collect(),
        Value::InlineTable(table) => table
            .iter()
            .map(|(key, value)| (key.to_owned(), value_to_json(value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ConfigFormat, EntryEdit, EntryLocation, EntryValue, PruneDepth};

    fn entry(url: &str) -> EntryValue {
        EntryValue::map([
            ("url", EntryValue::string(url)),
            (
                "http_headers",
                EntryValue::map([("Authorization", EntryValue::string("Basic abc"))]),
            ),
        ])
    }

    fn set(url: &str) -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::member(&["mcp_servers"], "ours"),
            value: Some(entry(url)),
            prune: PruneDepth::ALL,
        }]
    }

    fn unset() -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::member(&["mcp_servers"], "ours"),
            value: None,
            prune: PruneDepth::ALL,
        }]
    }

    #[track_caller]
    fn check(before: &str, edits: &[EntryEdit], after: &str) {
        crate::plumbing::edit::edit_check::check_edit(ConfigFormat::Toml, before, edits, after);
    }

    #[track_caller]
    fn check_round_trip(before: &str) {
        let added = ConfigFormat::Toml
            .edit(Some(before.as_bytes()), &set("https://a"))
            .unwrap();
        let removed = ConfigFormat::Toml.edit(Some(&added), &unset()).unwrap();
        assert_eq!(
            String::from_utf8(removed).unwrap(),
            before,
            "removing what we added restores every byte; with our entry it was:\n{}",
            String::from_utf8_lossy(&added)
        );
    }

    #[test]
    fn adds_a_table_after_the_other_servers_keeping_comments() {
        check(
            "# my codex config\nmodel = \"o4\"\n\n[mcp_servers.other] # theirs\ncommand = \"x\"\n",
            &set("https://a"),
            "# my codex config\nmodel = \"o4\"\n\n[mcp_servers.other] # theirs\ncommand = \"x\"\n\n[mcp_servers.ours]\nurl = \"https://a\"\nhttp_headers = { Authorization = \"Basic abc\" }\n",
        );
    }

    #[test]
    fn creates_a_new_file_from_nothing() {
        check(
            "",
            &set("https://a"),
            "[mcp_servers.ours]\nurl = \"https://a\"\nhttp_headers = { Authorization = \"Basic abc\" }\n",
        );
    }

    #[test]
    fn updates_our_entry_in_place_keeping_its_comment() {
        check(
            "# ours below\n[mcp_servers.ours]\nurl = \"https://old\"\n\n[mcp_servers.after]\ncommand = \"y\"\n",
            &set("https://new"),
            "# ours below\n[mcp_servers.ours]\nurl = \"https://new\"\nhttp_headers = { Authorization = \"Basic abc\" }\n\n[mcp_servers.after]\ncommand = \"y\"\n",
        );
    }

    #[test]
    fn remove_of_insert_restores_every_byte() {
        for before in [
            "",
            "model = \"o4\"\n",
            "# comment only\n",
            "[mcp_servers.other]\ncommand = \"x\"\n",
            "[mcp_servers.other]\r\ncommand = \"x\"\r\n",
            "\u{feff}a = 1\n\n[profiles.x]\nmodel = \"y\"\n",
        ] {
            check_round_trip(before);
        }
    }

    #[test]
    fn a_line_break_in_a_value_stays_a_line_break_in_a_crlf_file() {
        // The fuzzing input kept in fuzz/regressions/edit_toml/ is a CRLF file of one empty line.
        // Written as a multi-line string, a value's line break was converted to CRLF with the
        // file's line endings, and read back as "\r\n".
        let edits = |value: Option<EntryValue>| {
            vec![EntryEdit {
                location: EntryLocation::member(&["profiles", "mcp_servers"], "ours"),
                value,
                prune: PruneDepth::ALL,
            }]
        };
        let value = EntryValue::map([
            ("url", EntryValue::string("two\nlines")),
            ("note", EntryValue::string("tab\there, bell\u{7}")),
        ]);
        check(
            "\r\n",
            &edits(Some(value.clone())),
            "[profiles.mcp_servers.ours]\r\nurl = \"two\\nlines\"\r\nnote = \"tab\\there, bell\\u0007\"\r\n\r\n",
        );
        let added = ConfigFormat::Toml
            .edit(Some(b"\r\n"), &edits(Some(value.clone())))
            .expect("a CRLF file takes our entry");
        assert_eq!(
            ConfigFormat::Toml.read(
                &added,
                &EntryLocation::member(&["profiles", "mcp_servers"], "ours")
            ),
            Ok(Some(value.to_json())),
            "the values read back as written, line break and control characters included"
        );
        assert_eq!(
            ConfigFormat::Toml.edit(Some(&added), &edits(None)),
            Ok(b"\r\n".to_vec()),
            "removing the entry gives back the file as it was"
        );
    }

    #[test]
    fn removal_gives_back_a_table_that_was_empty_before_we_added_to_it() {
        // The TOML shape of `{"mcp": {}}`: an empty `[mcp]` table, and our entry going into
        // `mcp.servers`, which is created.
        let before = "a = 1\n\n[mcp]\n";
        let location = EntryLocation::member(&["mcp", "servers"], "ours");
        let edit = |bytes: &[u8], value: Option<EntryValue>, depth| {
            let edits = [EntryEdit {
                location: location.clone(),
                value,
                prune: PruneDepth(depth),
            }];
            String::from_utf8(ConfigFormat::Toml.edit(Some(bytes), &edits).unwrap()).unwrap()
        };
        let added = edit(before.as_bytes(), Some(entry("https://a")), 0);
        assert_eq!(
            added,
            "a = 1\n\n[mcp]\n\n[mcp.servers.ours]\nurl = \"https://a\"\nhttp_headers = { Authorization = \"Basic abc\" }\n",
            "`servers` is created implicit: it has no header of its own"
        );
        assert_eq!(
            edit(added.as_bytes(), None, 1),
            before,
            "taking out `servers` and keeping `[mcp]` gives back every byte"
        );
        assert_eq!(
            edit(added.as_bytes(), None, 0),
            before,
            "an implicit table left empty prints nothing, so keeping `servers` gives the same"
        );
        assert_eq!(
            edit(added.as_bytes(), None, 2),
            "a = 1\n",
            "depth 2 takes out `[mcp]` too, which was there before, so it is too deep here"
        );
    }

    #[test]
    fn reads_our_entry() {
        let text = "[mcp_servers.ours]\nurl = \"u\"\nhttp_headers = { A = \"b\" }\n";
        let entry = ConfigFormat::Toml
            .read(
                text.as_bytes(),
                &EntryLocation::member(&["mcp_servers"], "ours"),
            )
            .unwrap();
        assert_eq!(
            entry,
            Some(serde_json::json!({ "url": "u", "http_headers": { "A": "b" } }))
        );
    }

    #[test]
    fn bad_input_is_refused_with_its_line() {
        for (before, line, message) in [
            ("a = 1\nb = \n", Some(2), "not valid TOML"),
            (
                "mcp_servers = \"x\"\n",
                Some(1),
                "`mcp_servers` is a string, expected a table",
            ),
            ("\nmcp_servers = [1]\n", Some(2), "`mcp_servers` is a list"),
            (
                "[mcp_servers.ours]\nurl = \"a\"\n[mcp_servers.ours]\nurl = \"b\"\n",
                Some(3),
                "not valid TOML",
            ),
        ] {
            let error = ConfigFormat::Toml
                .edit(Some(before.as_bytes()), &set("https://a"))
                .unwrap_err();
            assert_eq!(error.line, line, "{before:?}: {error}");
            assert!(error.message.contains(message), "{before:?}: {error}");
        }
    }
}
