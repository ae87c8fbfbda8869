//! Property tests of the lossless edits over generated config files (design §9), with the
//! invariants of `rovo_mcp_invariants::edits`, which the fuzz targets check too: for documents
//! with comments, trailing commas, tabs or spaces, CRLF, BOMs and any text in their values,
//! containers on the entry's path present, absent or present but empty, and entries holding any
//! text, the entry reads back as written, a second add is a no-op, changing it to another value
//! touches nothing outside it, and removing it at the depth that keeps the containers the
//! document had gives back the original bytes. What only a generated document tells is checked
//! here: adding or changing our entry changes no other value a client reads.
//!
//! The documents are built by proptest from small choices, so a failure shrinks to the
//! smallest document and entry that still break it, printed with the seed that replays it.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::select;
use rovo_mcp_core::plumbing::edit::{ConfigFormat, EntryLocation, EntryValue, PruneDepth};
use rovo_mcp_invariants::edits::{
    NAME, Restoration, check_edits_of_any_document, check_edits_of_document_without_entry,
};

/// A generated document, and what the checks need to know about it.
#[derive(Debug, Clone)]
struct Document {
    text: String,
    /// The top-level keys besides our container, to read back and compare.
    keys: Vec<String>,
    /// The entry's path, from the top level to the container holding it.
    path: Vec<&'static str>,
    /// How many containers of that path, from the top level, the document already has: the
    /// removal keeps those and takes out the rest.
    existing_containers: usize,
}

impl Document {
    fn location(&self) -> EntryLocation {
        EntryLocation::member(&self.path, NAME)
    }

    /// The prune depth that gives back this document: the containers our entry brought.
    fn prune(&self) -> PruneDepth {
        PruneDepth(self.path.len() - self.existing_containers)
    }
}

/// Text as a person or a tool writes it: printable ASCII and some non-ASCII letters, with the
/// characters that need quoting or escaping in one format or another.
fn any_text() -> impl Strategy<Value = String> {
    "[ -~éß中😀\\\\\"'#:{}\\[\\],]{0,16}"
}

/// Text for a comment that runs to the end of its line.
fn comment_text() -> impl Strategy<Value = String> {
    "[ -~é中😀]{0,24}"
}

/// The value of our entry: its usual shape, with any text in its strings.
fn entry_value() -> impl Strategy<Value = EntryValue> {
    (any_text(), any_text(), any_text(), any::<bool>()).prop_map(|(kind, url, header, enabled)| {
        EntryValue::map([
            ("type", EntryValue::string(format!("http{kind}"))),
            ("url", EntryValue::string(url)),
            ("enabled", EntryValue::Bool(enabled)),
            (
                "headers",
                EntryValue::map([("Authorization", EntryValue::string(header))]),
            ),
        ])
    })
}

/// One top-level member of a JSON document: key suffix, value kind, number, text, and
/// whether a comment goes before it and after it.
type JsonMember = (u8, u8, u16, String, Option<String>, Option<String>);

/// The container our entry goes in, and where it is among the other members: for
/// `mcpServers`, an object with one or two servers or `{}`; for `mcp.servers`, an outer `mcp`
/// that is `{}`, holds another setting, or holds `servers` in one of those forms.
#[derive(Debug, Clone)]
struct JsonContainer {
    position: prop::sample::Index,
    nested: bool,
    /// 0: `{}` (empty), 1: one server, 2: two servers; nested only, `mcp` without
    /// `servers`: 3: holding another setting, 4: `{}`, the case a removal once lost.
    form: u8,
}

fn json_document(nested: bool) -> impl Strategy<Value = Document> {
    let member = (
        0u8..8,
        0u8..4,
        any::<u16>(),
        any_text(),
        proptest::option::weighted(0.3, comment_text()),
        proptest::option::weighted(0.2, comment_text()),
    );
    let forms = if nested { 0u8..5 } else { 0u8..3 };
    let servers =
        (any::<prop::sample::Index>(), forms).prop_map(move |(position, form)| JsonContainer {
            position,
            nested,
            form,
        });
    (
        select(vec!["  ", "    ", "\t"]),
        any::<bool>(),
        proptest::collection::vec(member, 0..6),
        proptest::option::of(servers),
    )
        .prop_map(move |(indent, trailing, members, servers)| {
            render_json(indent, trailing, &members, nested, servers.as_ref())
        })
}

fn render_json(
    indent: &str,
    trailing: bool,
    members: &[JsonMember],
    nested: bool,
    servers: Option<&JsonContainer>,
) -> Document {
    let mut keys = Vec::new();
    let mut rendered: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for (position, (suffix, kind, number, text, before, after)) in members.iter().enumerate() {
        let key = format!("key{position}-{suffix}");
        let text = serde_json::to_string(text).unwrap();
        let value = match kind {
            0 => number.to_string(),
            1 => text,
            2 => format!("[1, {text}, {}]", number % 2 == 0),
            _ => format!("{{ \"nested\": {text} }}"),
        };
        rendered.push((
            format!("{}: {value}", serde_json::to_string(&key).unwrap()),
            before.clone(),
            after.clone(),
        ));
        keys.push(key);
    }
    let comma = if trailing { "," } else { "" };
    // An object over several lines at `depth` levels of `indent`.
    let block = |depth: usize, members: &[String]| {
        let inner = indent.repeat(depth + 1);
        let lines: Vec<String> = members
            .iter()
            .map(|member| format!("{inner}{member}"))
            .collect();
        format!(
            "{{\n{}{comma}\n{}}}",
            lines.join(",\n"),
            indent.repeat(depth)
        )
    };
    let mut existing_containers = 0;
    if let Some(servers) = servers {
        let depth = usize::from(servers.nested) + 1;
        let mut entries = vec!["\"github\": { \"command\": \"npx\" }".to_owned()];
        if servers.form == 2 {
            entries.push("\"local\": { \"url\": \"http://localhost:3000\" }".to_owned());
        }
        let servers_value = if servers.form == 0 {
            "{}".to_owned()
        } else {
            block(depth, &entries)
        };
        let member = if servers.nested {
            let mcp_value = match servers.form {
                3 => block(1, &["\"enabled\": true".to_owned()]),
                4 => "{}".to_owned(),
                _ => block(1, &[format!("\"servers\": {servers_value}")]),
            };
            existing_containers = if servers.form >= 3 { 1 } else { 2 };
            format!("\"mcp\": {mcp_value}")
        } else {
            existing_containers = 1;
            format!("\"mcpServers\": {servers_value}")
        };
        rendered.insert(
            servers.position.index(rendered.len() + 1),
            (member, None, None),
        );
    }
    let mut text = String::from("{\n");
    for (position, (member, before, after)) in rendered.iter().enumerate() {
        if let Some(comment) = before {
            let _ = writeln!(text, "{indent}// {comment}");
        }
        text.push_str(indent);
        text.push_str(member);
        if position + 1 < rendered.len() || trailing {
            text.push(',');
        }
        if let Some(comment) = after {
            let _ = write!(text, " /* {} */", comment.replace("*/", "* /"));
        }
        text.push('\n');
    }
    text.push_str("}\n");
    Document {
        text,
        keys,
        path: if nested {
            vec!["mcp", "servers"]
        } else {
            vec!["mcpServers"]
        },
        existing_containers,
    }
}

/// For `mcp_servers`, a `[mcp_servers.github]` table; for `mcp.servers`, an outer `[mcp]` table
/// that is empty (0), holds another setting (1), or a `[mcp.servers.github]` table (2).
fn toml_document(nested: bool) -> impl Strategy<Value = Document> {
    (
        proptest::option::of(comment_text()),
        proptest::collection::vec((any::<u16>(), any_text()), 0..5),
        proptest::option::of((proptest::option::of(comment_text()), 0u8..3)),
        any::<bool>(),
    )
        .prop_map(move |(heading, values, servers, servers_first)| {
            let mut text = String::new();
            let mut keys = Vec::new();
            if let Some(comment) = heading {
                let _ = writeln!(text, "# {comment}");
            }
            for (position, (number, value)) in values.iter().enumerate() {
                let key = format!("key{position}");
                if number % 2 == 0 {
                    let _ = writeln!(text, "{key} = {number}");
                } else {
                    // A TOML basic string is a JSON string for these characters.
                    let _ = writeln!(text, "{key} = {}", serde_json::to_string(value).unwrap());
                }
                keys.push(key);
            }
            keys.push("profiles".to_owned());
            let mut tables = vec!["[profiles.fast]\nmodel = \"o4-mini\"\n".to_owned()];
            let mut existing_containers = 0;
            if let Some((comment, form)) = servers {
                let comment = comment.map(|text| format!(" # {text}")).unwrap_or_default();
                let (table, existing) = match (nested, form) {
                    (false, _) => (
                        format!("[mcp_servers.github]{comment}\ncommand = \"npx\"\n"),
                        1,
                    ),
                    (true, 0) => (format!("[mcp]{comment}\n"), 1),
                    (true, 1) => (format!("[mcp]{comment}\nenabled = true\n"), 1),
                    (true, _) => (
                        format!("[mcp.servers.github]{comment}\ncommand = \"npx\"\n"),
                        2,
                    ),
                };
                tables.push(table);
                existing_containers = existing;
                if servers_first {
                    tables.reverse();
                }
            }
            for table in tables {
                text.push('\n');
                text.push_str(&table);
            }
            Document {
                text,
                keys,
                path: if nested {
                    vec!["mcp", "servers"]
                } else {
                    vec!["mcp_servers"]
                },
                existing_containers,
            }
        })
}

fn yaml_document() -> impl Strategy<Value = Document> {
    (
        select(vec!["  ", "    "]),
        proptest::option::of(comment_text()),
        proptest::collection::vec(any_text(), 0..4),
        proptest::option::of((proptest::option::of(comment_text()), any::<bool>())),
        any::<bool>(),
    )
        .prop_map(|(indent, heading, values, servers, list)| {
            let mut text = String::new();
            let mut keys = Vec::new();
            if let Some(comment) = heading {
                let _ = writeln!(text, "# {comment}");
            }
            for (position, value) in values.iter().enumerate() {
                let key = format!("KEY_{position}");
                // A JSON string is a YAML double-quoted scalar.
                let _ = writeln!(text, "{key}: {}", serde_json::to_string(value).unwrap());
                keys.push(key);
            }
            let existing_containers = usize::from(servers.is_some());
            if let Some((comment, empty)) = servers {
                if empty {
                    text.push_str("extensions: {}\n");
                } else {
                    let _ = write!(
                        text,
                        "extensions:\n{indent}developer:\n{indent}{indent}enabled: true\n{indent}{indent}type: builtin\n"
                    );
                }
                if let Some(comment) = comment {
                    let _ = writeln!(text, "# {comment}");
                }
            }
            if list {
                text.push_str("other:\n  - a\n  - b\n");
                keys.push("other".to_owned());
            }
            Document {
                text,
                keys,
                path: vec!["extensions"],
                existing_containers,
            }
        })
}

/// What else the document holds, to check nothing else moved: for JSON and TOML the other
/// top-level values as a client reads them; for YAML, which is read only inside a top-level
/// container, every line outside our container, in order.
fn others(format: ConfigFormat, bytes: &[u8], keys: &[String]) -> Vec<Option<serde_json::Value>> {
    if format == ConfigFormat::Yaml {
        return yaml_lines_outside(bytes, "extensions:")
            .into_iter()
            .map(|line| Some(line.into()))
            .collect();
    }
    keys.iter()
        .map(|key| {
            format
                .read(bytes, &EntryLocation::member(&[], key))
                .unwrap_or_else(|error| panic!("reading `{key}`: {error}"))
        })
        .collect()
}

/// The lines of a YAML document outside the top-level block that starts with `container`.
fn yaml_lines_outside(bytes: &[u8], container: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut inside = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if !line.starts_with([' ', '\t']) && !line.is_empty() {
            inside = line.starts_with(container);
        }
        if !inside {
            lines.push(line.to_owned());
        }
    }
    lines
}

/// What removing our entry gives back: the original bytes, except that an empty JSON object
/// written over several lines comes back as `{}` (the editor cannot tell which way an empty
/// object was written once it holds our entry; see the `edit` module).
fn restored(format: ConfigFormat, original: &str) -> String {
    let body = original.trim_start_matches('\u{feff}');
    let object = body.trim_end();
    let empty_object = object
        .strip_prefix('{')
        .and_then(|inside| inside.strip_suffix('}'))
        .is_some_and(|inside| inside.trim().is_empty());
    if format == ConfigFormat::Json && empty_object {
        let bom = &original[..original.len() - body.len()];
        let end = &body[object.len()..];
        return format!("{bom}{{}}{end}");
    }
    original.to_owned()
}

/// Every check of `rovo_mcp_invariants::edits`, on the document as generated, with CRLF line
/// endings, and behind a BOM, removal giving back every byte; and what only a generated document
/// tells: adding and changing our entry changes no other value.
fn check_document(
    format: ConfigFormat,
    document: &Document,
    first: &EntryValue,
    second: &EntryValue,
) -> Result<(), TestCaseError> {
    let variants = [
        document.text.clone(),
        document.text.replace('\n', "\r\n"),
        format!("\u{feff}{}", document.text),
    ];
    let location = document.location();
    for original in variants {
        let expected = restored(format, &original);
        let original = original.as_bytes();
        let restoration = Restoration::Exactly {
            prune: document.prune(),
            bytes: expected.as_bytes(),
        };
        let edited = check_edits_of_document_without_entry(
            format,
            original,
            &location,
            first,
            second,
            restoration,
        )
        .map_err(|error| TestCaseError::fail(format!("adding our entry failed: {error}")))?;
        let before = others(format, original, &document.keys);
        for (what, with_entry) in [("adding", &edited.added), ("changing", &edited.changed)] {
            prop_assert_eq!(
                &others(format, with_entry, &document.keys),
                &before,
                "{} our entry changes nothing else:\n{}",
                what,
                String::from_utf8_lossy(with_entry)
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn json_edits_are_lossless(
        document in any::<bool>().prop_flat_map(json_document),
        first in entry_value(),
        second in entry_value(),
    ) {
        check_document(ConfigFormat::Json, &document, &first, &second)?;
    }

    #[test]
    fn toml_edits_are_lossless(
        document in any::<bool>().prop_flat_map(toml_document),
        first in entry_value(),
        second in entry_value(),
    ) {
        check_document(ConfigFormat::Toml, &document, &first, &second)?;
    }

    #[test]
    fn yaml_edits_are_lossless(
        document in yaml_document(),
        first in entry_value(),
        second in entry_value(),
    ) {
        check_document(ConfigFormat::Yaml, &document, &first, &second)?;
    }

    /// Any bytes at all: an edit is refused with a reason or succeeds, never panics, and what
    /// it adds reads back and comes out again, giving back the document up to layout.
    #[test]
    fn any_bytes_are_edited_or_refused_without_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        format in select(vec![ConfigFormat::Json, ConfigFormat::Toml, ConfigFormat::Yaml]),
        first in entry_value(),
        second in entry_value(),
    ) {
        let location = EntryLocation::member(&["servers"], NAME);
        check_edits_of_any_document(format, &bytes, &location, &first, &second);
    }
}
