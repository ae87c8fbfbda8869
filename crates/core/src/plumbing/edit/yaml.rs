//! YAML edits for Goose (`extensions` map) and Continue (`mcpServers` list).
//!
//! `yaml-edit` parses the file (syntax errors with their line, reading our entry), but writes are
//! line splices of our own: the entry is rendered as a block and inserted after the last line of
//! its container, replaced in place, or cut out again, so removing what we added gives back the
//! exact bytes. Only block-style top-level containers are edited; a container written in flow
//! style (`extensions: {a: …}`) is refused rather than rewritten.

use std::fmt::Write as _;

use yaml_edit::{Document, Mapping, SyntaxKind, YamlFile, YamlNode};

use super::{EditError, EntryEdit, EntryLocation, EntryValue};

/// Indentation step when the file gives us none to copy.
const DEFAULT_INDENT: usize = 2;

pub(super) fn apply(text: &str, edits: &[EntryEdit]) -> Result<String, EditError> {
    parse(text)?;
    let mut text = text.to_owned();
    for edit in edits {
        text = apply_one(&text, edit)?;
    }
    Ok(text)
}

pub(super) fn read(
    text: &str,
    location: &EntryLocation,
) -> Result<Option<serde_json::Value>, EditError> {
    let document = parse(text)?;
    let container_key = top_level_key(location)?;
    // Locating the entry with the line scanner checks shape and duplicates with lines.
    let located = locate(text, location)?;
    let found = document
        .and_then(|document| document.as_mapping())
        .and_then(|mapping| mapping.get(container_key))
        .and_then(|container| find_parsed(&container, location));
    // The scanner's lines are what an edit changes: when they and the parser disagree on
    // whether the entry is there (an indentation YAML does not allow, which `yaml-edit` lets
    // through), an edit could not take out or replace what the client reads.
    if found.is_some() != located.entry.is_some() {
        let line = located
            .container
            .map_or(0, |container| container.key_line_start);
        return Err(EditError::at_offset(
            text,
            line,
            format!(
                "the indentation under `{container_key}` is unclear, so `{}` cannot be found for certain",
                location.name()
            ),
        ));
    }
    Ok(found.as_ref().map(to_json))
}

/// Our entry in the parsed container.
fn find_parsed(container: &YamlNode, location: &EntryLocation) -> Option<YamlNode> {
    match location {
        EntryLocation::Member { name, .. } => container
            .as_mapping()
            .and_then(|members| members.get(name.as_str())),
        EntryLocation::ListItem { key, name, .. } => container.as_sequence().and_then(|items| {
            items.values().find(|item| {
                item.as_mapping()
                    .and_then(|fields| fields.get(key.as_str()))
                    .and_then(|value| value.as_scalar().map(yaml_edit::Scalar::as_string))
                    .is_some_and(|value| value == *name)
            })
        }),
    }
}

/// Parses `text`, refusing syntax errors with their line. `None` for a document with no content.
fn parse(text: &str) -> Result<Option<Document>, EditError> {
    let parsed = YamlFile::parse(text);
    if let Some(error) = parsed.positioned_errors().first() {
        return Err(EditError::at_offset(
            text,
            usize::try_from(error.range.start).unwrap_or(usize::MAX),
            format!("not valid YAML: {}", error.message),
        ));
    }
    // YAML allows no control character but tab and line breaks (`yaml-edit` reads them as
    // text), and a file holding one is not a config someone wrote.
    if let Some((at, control)) = text.char_indices().find(|&(_, character)| {
        !matches!(character, '\t' | '\n' | '\r' | '\u{85}')
            && (character.is_control() || matches!(character, '\u{fffe}' | '\u{ffff}'))
    }) {
        return Err(EditError::at_offset(
            text,
            at,
            format!(
                "not valid YAML: the control character U+{:04X}",
                u32::from(control)
            ),
        ));
    }
    if let Some(directive) = directive_after_content(text) {
        return Err(EditError::at_offset(
            text,
            directive.start,
            "not valid YAML: a directive (a line starting with `%`) after the document's content",
        ));
    }
    let document = parsed.tree().documents().next();
    if let Some(first) = content_lines(text).next()
        && document.as_ref().and_then(Document::as_mapping).is_none()
    {
        return Err(EditError::at_offset(
            text,
            first.start,
            "the top level is not a map of settings",
        ));
    }
    Ok(document)
}

/// A `%` line after content and before the next document marker, which YAML forbids and
/// `yaml-edit` lets through. Taking our entry out could leave it first in the file, where it
/// reads as the directive it looks like and the settings no longer parse as a map.
fn directive_after_content(text: &str) -> Option<Line<'_>> {
    let mut after_content = false;
    for line in lines(text) {
        if line.indent == 0 && line.content.starts_with('%') {
            if after_content {
                return Some(line);
            }
        } else if line.indent == 0 && ["---", "..."].contains(&line.content) {
            after_content = false;
        } else if !line.is_blank_or_comment() {
            after_content = true;
        }
    }
    None
}

fn to_json(node: &YamlNode) -> serde_json::Value {
    match node {
        YamlNode::Scalar(scalar) => {
            if scalar.is_null() {
                serde_json::Value::Null
            } else if let Some(value) = scalar.as_bool() {
                value.into()
            } else if let Some(value) = scalar.as_i64() {
                value.into()
            } else {
                scalar.as_string().into()
            }
        }
        YamlNode::Mapping(mapping) => mapping
            .iter()
            .map(|(key, value)| (scalar_text(&key), to_json(&value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        YamlNode::Sequence(sequence) => sequence.values().map(|item| to_json(&item)).collect(),
        other => other.to_string().into(),
    }
}

fn scalar_text(node: &YamlNode) -> String {
    node.as_scalar()
        .map_or_else(|| node.to_string(), yaml_edit::Scalar::as_string)
}

/// One line of the file: where it starts, its text without the newline, and its indentation.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    /// Offset just past the newline (or the end of the text).
    end: usize,
    indent: usize,
    content: &'a str,
}

impl Line<'_> {
    fn is_blank_or_comment(&self) -> bool {
        self.content.is_empty() || self.content.starts_with('#')
    }

    fn is_list_item(&self) -> bool {
        self.content == "-" || self.content.starts_with("- ")
    }
}

/// The file's lines as the scanner sees them: a line that continues a value begun on an earlier
/// line (a quoted or block scalar, a flow collection) is part of that line, whatever its
/// indentation, so an entry is never cut in the middle of a value. YAML allows a double-quoted
/// scalar's later lines at any indentation, even column 0.
fn lines(text: &str) -> Vec<Line<'_>> {
    let values = multi_line_values(text);
    let continues_a_value = |start: usize| {
        values
            .iter()
            .any(|&(value_start, value_end)| value_start < start && start < value_end)
    };
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let end = start + raw.len();
        if continues_a_value(start)
            && let Some(previous) = lines.last_mut()
        {
            previous.end = end;
            start = end;
            continue;
        }
        let body = raw.trim_end_matches('\n');
        let content = body.trim_start_matches(' ');
        lines.push(Line {
            start,
            end,
            indent: body.len() - content.len(),
            content: content.trim_end(),
        });
        start = end;
    }
    lines
}

/// The byte ranges of the values that span several lines: the scalars `yaml-edit`'s lexer read
/// as one token (quoted and plain), and the scalars and flow collections of its parse tree.
/// Block collections are looked into, since their lines are the structure the scanner reads.
/// The tokens cover what the tree leaves out when it recovers from a malformed entry.
fn multi_line_values(text: &str) -> Vec<(usize, usize)> {
    let mut values: Vec<(usize, usize)> = yaml_edit::lex(text)
        .into_iter()
        .filter(|(kind, token)| {
            !matches!(
                kind,
                SyntaxKind::NEWLINE
                    | SyntaxKind::WHITESPACE
                    | SyntaxKind::INDENT
                    | SyntaxKind::COMMENT
            ) && token.trim_end().contains('\n')
        })
        .map(|(_, token)| {
            // Every token is a slice of `text`.
            let start = token.as_ptr() as usize - text.as_ptr() as usize;
            (start, start + token.len())
        })
        .collect();
    for document in YamlFile::parse(text).tree().documents() {
        if let Some(mapping) = document.as_mapping() {
            collect_mapping_values(text, &mapping, &mut values);
        } else if let Some(sequence) = document.as_sequence() {
            for item in sequence.values() {
                collect_multi_line_values(text, &item, &mut values);
            }
        }
    }
    values
}

fn collect_mapping_values(text: &str, mapping: &Mapping, values: &mut Vec<(usize, usize)>) {
    for (key, value) in mapping.iter() {
        collect_multi_line_values(text, &key, values);
        collect_multi_line_values(text, &value, values);
    }
}

fn collect_multi_line_values(text: &str, node: &YamlNode, values: &mut Vec<(usize, usize)>) {
    let range = node.byte_range();
    let (start, end) = (range.start as usize, range.end as usize);
    let Some(node_text) = text.get(start..end) else {
        return;
    };
    let is_flow = node_text.starts_with(['{', '[']);
    match node {
        YamlNode::Mapping(mapping) if !is_flow => collect_mapping_values(text, mapping, values),
        YamlNode::Sequence(sequence) if !is_flow => {
            for item in sequence.values() {
                collect_multi_line_values(text, &item, values);
            }
        }
        YamlNode::TaggedNode(tagged) if !is_flow => {
            if let Some(mapping) = tagged.as_mapping() {
                collect_mapping_values(text, &mapping, values);
            } else if let Some(sequence) = tagged.as_sequence() {
                for item in sequence.values() {
                    collect_multi_line_values(text, &item, values);
                }
            } else if node_text.trim_end().contains('\n') {
                values.push((start, end));
            }
        }
        _ if node_text.trim_end().contains('\n') => values.push((start, end)),
        _ => {}
    }
}

fn content_lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    lines(text)
        .into_iter()
        .filter(|line| !line.is_blank_or_comment() && line.content != "---")
}

/// Splits `key: rest` into the key (unquoted) and what follows the colon, without a comment.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, rest) = split_at_colon(content)?;
    let value = match rest.find(" #") {
        Some(comment) => &rest[..comment],
        None => rest,
    };
    Some((key, value.trim()))
}

/// Splits `key: rest` at the key's colon into the key (unquoted) and everything after the colon.
fn split_at_colon(content: &str) -> Option<(String, &str)> {
    if let Some(quoted) = content.strip_prefix('"') {
        let close = quoted.find('"')?;
        Some((
            quoted[..close].to_owned(),
            quoted[close + 1..].strip_prefix(':')?,
        ))
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let close = quoted.find('\'')?;
        Some((
            quoted[..close].to_owned(),
            quoted[close + 1..].strip_prefix(':')?,
        ))
    } else {
        let colon = content
            .match_indices(':')
            .find(|(index, _)| {
                content[index + 1..].is_empty() || content[index + 1..].starts_with(' ')
            })?
            .0;
        Some((
            content[..colon].trim_end().to_owned(),
            &content[colon + 1..],
        ))
    }
}

fn top_level_key(location: &EntryLocation) -> Result<&str, EditError> {
    match location.container() {
        [key] => Ok(key),
        _ => Err(EditError::new(
            None,
            "YAML entries are edited only in a top-level container",
        )),
    }
}

/// Where the container and our entry are, as byte ranges of whole lines.
#[derive(Debug, Default)]
struct Located {
    /// The `key:` line of the container and the end of its last content line.
    container: Option<Container>,
    /// Our entry's lines, from its first line to the end of its last content line.
    entry: Option<(usize, usize)>,
}

#[derive(Debug)]
struct Container {
    key_line_start: usize,
    key_line_end: usize,
    /// Just past the colon of the key line, where the container's value starts.
    value_start: usize,
    /// End of the last line with content in the container (the key line when it has none).
    content_end: usize,
    /// Indentation of the container's children, when it has any.
    child_indent: Option<usize>,
    /// Whether the key line holds an empty flow value (`{}` or `[]`) we replace with a block.
    inline_empty: bool,
    /// Whether a comment sits among the container's lines, so it must stay even when empty.
    has_comment: bool,
}

fn locate(text: &str, location: &EntryLocation) -> Result<Located, EditError> {
    let container_key = top_level_key(location)?;
    let all = lines(text);
    let mut located = Located::default();
    let mut index = 0;
    while index < all.len() {
        let line = all[index];
        index += 1;
        if line.indent != 0 || line.is_blank_or_comment() {
            continue;
        }
        let Some((key, inline)) = split_key(line.content) else {
            continue;
        };
        if key != container_key {
            continue;
        }
        if located.container.is_some() {
            return Err(EditError::at_offset(
                text,
                line.start,
                format!("`{container_key}` appears more than once; remove the duplicate"),
            ));
        }
        let is_list = matches!(location, EntryLocation::ListItem { .. });
        let inline_empty = inline == if is_list { "[]" } else { "{}" };
        if !inline.is_empty() && !inline_empty {
            let what = if inline.starts_with(['{', '[']) {
                "written in flow style (on one line); write it as an indented block so we can edit it"
            } else {
                "a single value"
            };
            let expected = if is_list { "a list" } else { "a map" };
            return Err(EditError::at_offset(
                text,
                line.start,
                format!("`{container_key}` is {what}, expected {expected}"),
            ));
        }
        // The container's lines: everything more indented, or list items at column 0 (YAML
        // allows `key:` followed by `- item` at the same indentation).
        let mut block = Vec::new();
        while index < all.len() {
            let next = all[index];
            let belongs =
                next.is_blank_or_comment() || next.indent > 0 || (is_list && next.is_list_item());
            if !belongs {
                break;
            }
            block.push(next);
            index += 1;
        }
        let content: Vec<Line<'_>> = block
            .iter()
            .copied()
            .filter(|line| !line.is_blank_or_comment())
            .collect();
        let last_content_end = content.last().map_or(line.end, |last| last.end);
        let has_comment = block
            .iter()
            .any(|line| line.content.starts_with('#') && line.end <= last_content_end);
        let child_indent = content.first().map(|first| first.indent);
        if let Some(first) = content.first()
            && first.is_list_item() != is_list
        {
            let (found, expected) = if is_list {
                ("a map", "a list")
            } else {
                ("a list", "a map")
            };
            return Err(EditError::at_offset(
                text,
                first.start,
                format!("`{container_key}` is {found}, expected {expected}"),
            ));
        }
        // A list's items all start with `- ` at its indentation; a key there would end the list
        // in YAML, so where the list stops is unclear and the file is refused.
        if is_list
            && let Some(stray) = content
                .iter()
                .find(|line| Some(line.indent) == child_indent && !line.is_list_item())
        {
            return Err(EditError::at_offset(
                text,
                stray.start,
                format!(
                    "`{container_key}` is a list, but this line at its items' indentation is not an item"
                ),
            ));
        }
        located.entry = find_entry(text, &content, location)?;
        let after_colon = split_at_colon(line.content).map_or(0, |(_, rest)| rest.len());
        located.container = Some(Container {
            key_line_start: line.start,
            key_line_end: line.end,
            value_start: line.start + line.content.len() - after_colon,
            content_end: last_content_end,
            child_indent,
            inline_empty,
            has_comment,
        });
    }
    Ok(located)
}

/// Finds our entry among the container's content lines, refusing a second one.
fn find_entry(
    text: &str,
    content: &[Line<'_>],
    location: &EntryLocation,
) -> Result<Option<(usize, usize)>, EditError> {
    let Some(child_indent) = content.first().map(|first| first.indent) else {
        return Ok(None);
    };
    // Children start at the child indentation; each runs until the next one. In a map, a list
    // item at that indentation is the value of the key above it (YAML allows `key:` followed by
    // `- item` at the same indentation), so it continues that child.
    let is_list = matches!(location, EntryLocation::ListItem { .. });
    let starts: Vec<usize> = content
        .iter()
        .enumerate()
        .filter(|(_, line)| line.indent == child_indent && (is_list || !line.is_list_item()))
        .map(|(position, _)| position)
        .collect();
    let mut found = None;
    for (number, &first) in starts.iter().enumerate() {
        let last = starts.get(number + 1).map_or(content.len(), |&next| next) - 1;
        let child = &content[first..=last];
        let is_ours = match location {
            EntryLocation::Member { name, .. } => {
                split_key(child[0].content).is_some_and(|(key, _)| key == *name)
            }
            EntryLocation::ListItem { key, name, .. } => {
                list_item_field(child, key).is_some_and(|value| value == *name)
            }
        };
        if !is_ours {
            continue;
        }
        if found.is_some() {
            return Err(EditError::at_offset(
                text,
                child[0].start,
                format!(
                    "`{}` appears more than once; remove the duplicate",
                    location.name()
                ),
            ));
        }
        found = Some((child[0].start, child[child.len() - 1].end));
    }
    Ok(found)
}

/// The value of `key` in a list item written as `- key: value` or with `key: value` on a later
/// line at the item's inner indentation.
fn list_item_field(item: &[Line<'_>], key: &str) -> Option<String> {
    let first = item.first()?;
    let inner_indent = first.indent + 2;
    let first_content = first.content.strip_prefix('-')?.trim_start();
    std::iter::once(first_content)
        .chain(
            item[1..]
                .iter()
                .filter(|line| line.indent == inner_indent)
                .map(|line| line.content),
        )
        .filter_map(split_key)
        .find(|(found, _)| found == key)
        .map(|(_, value)| unquote(value))
}

fn unquote(value: &str) -> String {
    if value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')))
    {
        value[1..value.len() - 1].to_owned()
    } else {
        value.to_owned()
    }
}

fn apply_one(text: &str, edit: &EntryEdit) -> Result<String, EditError> {
    let container_key = top_level_key(&edit.location)?;
    let located = locate(text, &edit.location)?;
    match (&edit.value, located.container, located.entry) {
        (Some(value), Some(container), Some((start, end))) => {
            let indent = container.child_indent.unwrap_or(DEFAULT_INDENT);
            let rendered = render_child(&edit.location, value, indent, step(indent));
            Ok(splice(text, start, end, &rendered))
        }
        (Some(value), Some(container), None) => {
            let indent = container.child_indent.unwrap_or(DEFAULT_INDENT);
            let rendered = render_child(&edit.location, value, indent, step(indent));
            let key_line = format!("{}:\n", quote_key(container_key));
            let (mut edited, at) = if container.inline_empty {
                // `extensions: {}` becomes a block we can add to.
                let edited = splice(
                    text,
                    container.key_line_start,
                    container.key_line_end,
                    &key_line,
                );
                (edited, container.key_line_start + key_line.len())
            } else {
                (text.to_owned(), container.content_end)
            };
            // The last line may have no newline; ours must start on a line of its own.
            let mut at = at;
            if at == edited.len() && !edited.is_empty() && !edited.ends_with('\n') {
                edited.push('\n');
                at = edited.len();
            }
            edited.insert_str(at, &rendered);
            Ok(edited)
        }
        (Some(value), None, _) => {
            let mut edited = text.to_owned();
            if !edited.is_empty() && !edited.ends_with('\n') {
                edited.push('\n');
            }
            let _ = writeln!(edited, "{}:", quote_key(container_key));
            edited.push_str(&render_child(
                &edit.location,
                value,
                DEFAULT_INDENT,
                DEFAULT_INDENT,
            ));
            Ok(edited)
        }
        (None, Some(container), Some((start, end))) => {
            let edited = splice(text, start, end, "");
            let relocated = locate(&edited, &edit.location)?;
            match relocated.container {
                // That was the container's only child.
                Some(after) if after.child_indent.is_none() => {
                    // The prune depth reaches the container when it came with our entry (it is
                    // the only one on the path: YAML entries live in a top-level container);
                    // then the `key:` line goes too, unless a comment the person wrote lives
                    // there.
                    if edit.prune.reaches(1) && !container.has_comment {
                        Ok(splice(&edited, after.key_line_start, after.content_end, ""))
                    } else {
                        // It stays as the empty map or list it was: a key alone reads as null,
                        // which a client may refuse where it expects a container.
                        let empty = match edit.location {
                            EntryLocation::Member { .. } => " {}",
                            EntryLocation::ListItem { .. } => " []",
                        };
                        Ok(splice(&edited, after.value_start, after.value_start, empty))
                    }
                }
                _ => Ok(edited),
            }
        }
        (None, _, _) => Ok(text.to_owned()),
    }
}

fn step(child_indent: usize) -> usize {
    if child_indent == 0 {
        DEFAULT_INDENT
    } else {
        child_indent
    }
}

fn splice(text: &str, start: usize, end: usize, replacement: &str) -> String {
    format!("{}{replacement}{}", &text[..start], &text[end..])
}

/// Renders our entry as the container's child at `indent`, nested levels `step` deeper.
fn render_child(
    location: &EntryLocation,
    value: &EntryValue,
    indent: usize,
    step: usize,
) -> String {
    let mut out = String::new();
    match location {
        EntryLocation::Member { name, .. } => {
            render_field(&mut out, indent, step, &quote_key(name), value);
        }
        EntryLocation::ListItem { .. } => {
            let EntryValue::Map(fields) = value else {
                render_scalar_item(&mut out, indent, value);
                return out;
            };
            // `- first: …` then the other fields aligned under `first`.
            let inner = indent + 2;
            for (position, (key, field)) in fields.iter().enumerate() {
                let mut line = String::new();
                render_field(&mut line, inner, step, &quote_key(key), field);
                if position == 0 {
                    out.push_str(&" ".repeat(indent));
                    out.push_str("- ");
                    out.push_str(&line[inner..]);
                } else {
                    out.push_str(&line);
                }
            }
        }
    }
    out
}

fn render_scalar_item(out: &mut String, indent: usize, value: &EntryValue) {
    let _ = writeln!(out, "{}- {}", " ".repeat(indent), scalar(value));
}

fn render_field(out: &mut String, indent: usize, step: usize, key: &str, value: &EntryValue) {
    let pad = " ".repeat(indent);
    match value {
        EntryValue::Map(fields) if !fields.is_empty() => {
            let _ = writeln!(out, "{pad}{key}:");
            for (child_key, child) in fields {
                render_field(out, indent + step, step, &quote_key(child_key), child);
            }
        }
        EntryValue::List(items) if !items.is_empty() => {
            let _ = writeln!(out, "{pad}{key}:");
            for item in items {
                render_scalar_item(out, indent + step, item);
            }
        }
        _ => {
            let _ = writeln!(out, "{pad}{key}: {}", scalar(value));
        }
    }
}

fn scalar(value: &EntryValue) -> String {
    match value {
        EntryValue::Bool(value) => value.to_string(),
        EntryValue::Integer(value) => value.to_string(),
        EntryValue::String(value) => quote_string(value),
        EntryValue::List(_) => "[]".to_owned(),
        EntryValue::Map(_) => "{}".to_owned(),
    }
}

fn quote_key(key: &str) -> String {
    quote_string(key)
}

/// Writes a string plain when YAML reads it back as the same string, double-quoted (JSON
/// escaping is valid YAML) otherwise.
fn quote_string(value: &str) -> String {
    let plain_safe = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:".contains(c))
        && !value.starts_with(['-', ':', '.'])
        && !value.ends_with(':')
        && !value.contains(": ")
        && value.parse::<f64>().is_err()
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain_safe {
        value.to_owned()
    } else {
        serde_json::Value::String(value.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ConfigFormat, EntryEdit, EntryLocation, EntryValue, PruneDepth};

    fn goose_entry(url: &str) -> EntryValue {
        EntryValue::map([
            ("type", EntryValue::string("streamable_http")),
            ("uri", EntryValue::string(url)),
            (
                "headers",
                EntryValue::map([("Authorization", EntryValue::string("Basic abc=="))]),
            ),
            ("enabled", EntryValue::Bool(true)),
            ("timeout", EntryValue::Integer(300)),
        ])
    }

    fn goose(value: Option<EntryValue>) -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::member(&["extensions"], "ours"),
            value,
            prune: PruneDepth::ALL,
        }]
    }

    fn continue_entry() -> EntryValue {
        EntryValue::map([
            ("name", EntryValue::string("ours")),
            ("type", EntryValue::string("streamable-http")),
            ("url", EntryValue::string("https://a/v1/mcp")),
        ])
    }

    fn continue_edit(value: Option<EntryValue>) -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::list_item(&["mcpServers"], "name", "ours"),
            value,
            prune: PruneDepth::ALL,
        }]
    }

    #[track_caller]
    fn check(before: &str, edits: &[EntryEdit], after: &str) {
        crate::plumbing::edit::edit_check::check_edit(ConfigFormat::Yaml, before, edits, after);
    }

    #[track_caller]
    fn check_round_trip(before: &str, set: &[EntryEdit], unset: &[EntryEdit]) {
        let added = ConfigFormat::Yaml
            .edit(Some(before.as_bytes()), set)
            .unwrap();
        let removed = ConfigFormat::Yaml.edit(Some(&added), unset).unwrap();
        assert_eq!(
            String::from_utf8(removed).unwrap(),
            before,
            "removing what we added restores every byte; with our entry it was:\n{}",
            String::from_utf8_lossy(&added)
        );
    }

    #[test]
    fn adds_a_goose_extension_after_the_others_keeping_comments() {
        check(
            "# goose\nGOOSE_PROVIDER: openai\nextensions:\n  developer: # built in\n    enabled: true\n    type: builtin\n\n# models\nGOOSE_MODEL: gpt\n",
            &goose(Some(goose_entry("https://a/v1/mcp"))),
            "# goose\nGOOSE_PROVIDER: openai\nextensions:\n  developer: # built in\n    enabled: true\n    type: builtin\n  ours:\n    type: streamable_http\n    uri: https://a/v1/mcp\n    headers:\n      Authorization: \"Basic abc==\"\n    enabled: true\n    timeout: 300\n\n# models\nGOOSE_MODEL: gpt\n",
        );
    }

    #[test]
    fn updates_a_goose_extension_in_place() {
        check(
            "extensions:\n    ours:\n        uri: https://old\n    other:\n        enabled: false\n",
            &goose(Some(goose_entry("https://new"))),
            "extensions:\n    ours:\n        type: streamable_http\n        uri: https://new\n        headers:\n            Authorization: \"Basic abc==\"\n        enabled: true\n        timeout: 300\n    other:\n        enabled: false\n",
        );
    }

    #[test]
    fn creates_the_container_and_the_file() {
        check(
            "",
            &continue_edit(Some(continue_entry())),
            "mcpServers:\n  - name: ours\n    type: streamable-http\n    url: https://a/v1/mcp\n",
        );
    }

    #[test]
    fn adds_a_continue_server_to_a_list_at_column_zero() {
        check(
            "name: Assistant\nmcpServers:\n- name: theirs\n  command: x\nmodels: []\n",
            &continue_edit(Some(continue_entry())),
            "name: Assistant\nmcpServers:\n- name: theirs\n  command: x\n- name: ours\n  type: streamable-http\n  url: https://a/v1/mcp\nmodels: []\n",
        );
    }

    #[test]
    fn remove_of_insert_restores_every_byte() {
        for before in [
            "",
            "name: Assistant\n",
            "name: Assistant\nmcpServers:\n  - name: theirs\n    command: x\n# tail\n",
            "mcpServers:\r\n- name: theirs\r\n",
            "\u{feff}version: 1\n",
        ] {
            check_round_trip(
                before,
                &continue_edit(Some(continue_entry())),
                &continue_edit(None),
            );
        }
        for before in [
            "extensions:\n  developer:\n    enabled: true\n\nGOOSE_MODEL: x\n",
            "GOOSE_MODEL: x\n",
        ] {
            check_round_trip(before, &goose(Some(goose_entry("https://a"))), &goose(None));
        }
    }

    /// The fuzzing input in `fuzz/regressions/edit_yaml/removal-leaves-invalid-yaml` (after its
    /// selector byte): a Goose config whose entry holds a double-quoted header value over three
    /// lines, the later two at lower indentation, which YAML allows inside quotes.
    const GOOSE_WITH_A_MULTI_LINE_VALUE: &str = "GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o\nextensions:\n  developer:\n    bundled: true\n    enabled: true\n    name: developer\n    timeout: 300\n    type: builtin\n  atlassian-rovo-mcp:\n    enabled: true\n    type: streamable_http\n    name: atlassian-rovo-mcp\n    description: \"Atlassian Rovo MCP server\"\n    uri: https://mcp.atlassian.com/v1/mcp\n    headers:\n      Authorization: \"Basic dGons:\n  developer:\nbTpBVEFUVDN4ZmFrZQ==\"\n    timeout: 300\n# keep this comment\n";

    /// The same file without the entry, as the person had it before.
    const GOOSE_WITHOUT_THE_ENTRY: &str = "GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o\nextensions:\n  developer:\n    bundled: true\n    enabled: true\n    name: developer\n    timeout: 300\n    type: builtin\n# keep this comment\n";

    fn rovo(value: Option<EntryValue>) -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::member(&["extensions"], "atlassian-rovo-mcp"),
            value,
            prune: PruneDepth::NONE,
        }]
    }

    #[test]
    fn an_entry_with_a_quoted_value_over_several_lines_is_removed_whole() {
        // The line scanner took `  developer:` inside the quotes for the next extension and cut
        // the entry there, leaving the rest of the value and an unclosed quote behind.
        check(
            GOOSE_WITH_A_MULTI_LINE_VALUE,
            &rovo(None),
            GOOSE_WITHOUT_THE_ENTRY,
        );
        let developer = ConfigFormat::Yaml
            .read(
                GOOSE_WITHOUT_THE_ENTRY.as_bytes(),
                &EntryLocation::member(&["extensions"], "developer"),
            )
            .expect("the file left after removal parses");
        assert_eq!(
            developer.and_then(|developer| developer.get("timeout").cloned()),
            Some(serde_json::json!(300)),
            "the extension before ours keeps its own settings"
        );
    }

    #[test]
    fn an_entry_with_a_quoted_value_over_several_lines_is_replaced_whole() {
        check(
            GOOSE_WITH_A_MULTI_LINE_VALUE,
            &rovo(Some(goose_entry("https://a/v1/mcp"))),
            "GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o\nextensions:\n  developer:\n    bundled: true\n    enabled: true\n    name: developer\n    timeout: 300\n    type: builtin\n  atlassian-rovo-mcp:\n    type: streamable_http\n    uri: https://a/v1/mcp\n    headers:\n      Authorization: \"Basic abc==\"\n    enabled: true\n    timeout: 300\n# keep this comment\n",
        );
    }

    #[test]
    fn a_list_under_our_key_at_the_same_indentation_goes_with_it() {
        // YAML lets a key's list start at the key's own indentation; those items are our
        // entry's, not the next entries of `extensions`.
        check(
            "extensions:\n  ours:\n  - a\n  - b\n  other: 1\n",
            &goose(None),
            "extensions:\n  other: 1\n",
        );
    }

    #[test]
    fn a_list_with_a_key_among_its_items_is_refused() {
        let before = "mcpServers:\n  - name: ours\n  type: sts\n";
        let error = ConfigFormat::Yaml
            .edit(Some(before.as_bytes()), &continue_edit(None))
            .expect_err("where the list ends is unclear, so it is not edited");
        assert_eq!(
            error.line,
            Some(3),
            "the stray key's line is named: {error}"
        );
        assert!(
            error.message.contains("not an item"),
            "the message says what is wrong with that line: {error}"
        );
        assert!(
            ConfigFormat::Yaml
                .read(
                    before.as_bytes(),
                    &EntryLocation::list_item(&["mcpServers"], "name", "ours")
                )
                .is_err(),
            "reading refuses it too, so no entry is reported that could not be removed"
        );
    }

    /// The first case is the input in `fuzz/regressions/edit_yaml/empty-container-comes-back-as-null`
    /// (after its selector byte): removal left `extensions:` alone, which reads as null.
    #[test]
    fn removal_gives_back_a_container_that_was_empty_before_we_added_to_it() {
        // YAML entries live in a top-level container, so the path holds one container: depth 0
        // keeps it, depth 1 takes it out. Adding to `{}` or `[]` rewrites it as a block.
        for (before, without_container, set, unset) in [
            (
                "GOOSE_MODEL: x\nextensions: {}\n",
                "GOOSE_MODEL: x\n",
                goose(Some(goose_entry("https://a"))),
                goose(None),
            ),
            (
                "name: Assistant\nmcpServers: []\n",
                "name: Assistant\n",
                continue_edit(Some(continue_entry())),
                continue_edit(None),
            ),
        ] {
            let added = ConfigFormat::Yaml
                .edit(Some(before.as_bytes()), &set)
                .unwrap();
            let removal = |depth| {
                let edits = [EntryEdit {
                    prune: PruneDepth(depth),
                    ..unset[0].clone()
                }];
                String::from_utf8(ConfigFormat::Yaml.edit(Some(&added), &edits).unwrap()).unwrap()
            };
            assert_eq!(
                removal(0),
                before,
                "keeping the container writes it back empty as it was, byte for byte"
            );
            assert_eq!(
                removal(1),
                without_container,
                "depth 1 takes the container out, which was there before, so it is too deep here"
            );
        }
    }

    #[test]
    fn a_container_written_as_its_key_alone_comes_back_as_an_empty_container() {
        // `extensions:` alone reads as null, not as an empty map: once our entry is in it, it
        // cannot be told from `extensions: {}`, and the empty map is what clients read as one.
        let added = ConfigFormat::Yaml
            .edit(
                Some(b"extensions:\n"),
                &goose(Some(goose_entry("https://a"))),
            )
            .unwrap();
        let edits = [EntryEdit {
            prune: PruneDepth::NONE,
            ..goose(None)[0].clone()
        }];
        assert_eq!(
            ConfigFormat::Yaml.edit(Some(&added), &edits),
            Ok(b"extensions: {}\n".to_vec()),
            "a container kept empty is written as the empty map it is"
        );
    }

    #[test]
    fn reads_our_entry() {
        let text =
            "extensions:\n  ours:\n    uri: https://a\n    enabled: true\n    timeout: 300\n";
        let entry = ConfigFormat::Yaml
            .read(
                text.as_bytes(),
                &EntryLocation::member(&["extensions"], "ours"),
            )
            .unwrap();
        assert_eq!(
            entry,
            Some(serde_json::json!({ "uri": "https://a", "enabled": true, "timeout": 300 }))
        );
        let text = "mcpServers:\n  - name: theirs\n  - name: ours\n    url: u\n";
        let entry = ConfigFormat::Yaml
            .read(
                text.as_bytes(),
                &EntryLocation::list_item(&["mcpServers"], "name", "ours"),
            )
            .unwrap();
        assert_eq!(
            entry,
            Some(serde_json::json!({ "name": "ours", "url": "u" }))
        );
    }

    #[test]
    fn setting_the_same_entry_twice_changes_nothing() {
        let once = ConfigFormat::Yaml
            .edit(Some(b"a: 1\n"), &goose(Some(goose_entry("https://a"))))
            .unwrap();
        let twice = ConfigFormat::Yaml
            .edit(Some(&once), &goose(Some(goose_entry("https://a"))))
            .unwrap();
        assert_eq!(once, twice);
    }

    #[test]
    fn bad_input_is_refused_with_its_line() {
        for (before, line, message) in [
            ("a: 1\nb: [1, 2\n", Some(2), "not valid YAML"),
            ("- a\n- b\n", Some(1), "the top level is not a map"),
            (
                "extensions:\n  - a\n",
                Some(2),
                "`extensions` is a list, expected a map",
            ),
            (
                "x: 1\nextensions: hello\n",
                Some(2),
                "`extensions` is a single value",
            ),
            ("extensions: {a: 1}\n", Some(1), "flow style"),
            (
                "extensions:\n  a: \u{1}\n",
                Some(2),
                "not valid YAML: the control character U+0001",
            ),
            (
                "extensions:\n a: 1\n  ours:\n    x: 1\n",
                Some(1),
                "the indentation under `extensions` is unclear",
            ),
            (
                "extensions:\n  a: 1\n%   b: 2\n",
                Some(3),
                "a directive (a line starting with `%`) after",
            ),
            (
                "extensions:\n  a: 1\nextensions:\n  b: 2\n",
                Some(3),
                "more than once",
            ),
            (
                "extensions:\n  ours: {}\n  ours: {}\n",
                Some(3),
                "more than once",
            ),
        ] {
            let error = ConfigFormat::Yaml
                .edit(
                    Some(before.as_bytes()),
                    &goose(Some(goose_entry("https://a"))),
                )
                .unwrap_err();
            assert_eq!(error.line, line, "{before:?}: {error}");
            assert!(error.message.contains(message), "{before:?}: {error}");
        }
    }
}
