//! JSON and JSONC edits through `jsonc-parser`'s lossless CST: the shape on the way to our entry
//! is checked on the AST first (it has byte ranges, so errors carry a line), then only our entry
//! is changed in the CST and the tree is printed back.

use std::ops::Range;

use jsonc_parser::ast::{self, ObjectProp};
use jsonc_parser::cst::{
    CstArray, CstInputValue, CstNode, CstObject, CstRootNode, TrailingCommaMode,
};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};

use super::{EditError, EntryEdit, EntryLocation, EntryValue, PruneDepth, dotted};

/// What the clients themselves accept: JSON plus comments and trailing commas (VS Code and
/// Zed write both). The JSON5 extras are refused, since a client would choke on them.
fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub(super) fn apply(text: &str, edits: &[EntryEdit]) -> Result<String, EditError> {
    let root_value = parse_ast(text)?;
    let root_object = match &root_value {
        Some(value) => Some(expect_root_object(text, value)?),
        None => None,
    };
    if let Some(root_object) = root_object {
        for edit in edits {
            find_entry(text, root_object, &edit.location)?;
        }
    }

    // Adding to a container drops the blank lines at its start and end (`jsonc-parser` tidies
    // them), which removing our entry would not give back: they are set aside and put back.
    // Lines are told apart by their `\n`, so a file with a bare CR line break (which
    // `jsonc-parser` also reads as one) is left to `jsonc-parser`'s tidying.
    let paths = container_paths(edits);
    let blank_lines = match root_object {
        Some(root_object) if !has_bare_carriage_return(text) => {
            inner_blank_lines(text, root_object, &paths)
        }
        _ => Vec::new(),
    };
    let text = without_ranges(text, blank_lines.iter().map(|lines| lines.range.clone()));

    let root = CstRootNode::parse(&text, &parse_options())
        .map_err(|error| EditError::new(Some(error.line_display()), error.kind().to_string()))?;
    let object = root.object_value_or_set();
    for edit in edits {
        match &edit.value {
            Some(value) => set_entry(&object, &edit.location, value),
            None => remove_entry(&object, &edit.location, edit.prune),
        }
    }
    let mut edited = restore_blank_lines(root.to_string(), &blank_lines)?;
    // A file we create ends with a newline like every file people write by hand.
    if root_value.is_none() && !edited.ends_with('\n') {
        edited.push('\n');
    }
    Ok(edited)
}

/// Blank lines set aside from the start or the end of a container on an entry's path.
struct BlankLines {
    /// The keys from the root to the container.
    path: Vec<String>,
    at_end: bool,
    /// Whole lines, each ending in its newline.
    range: Range<usize>,
    text: String,
}

/// Every container an edit may add to: the objects on each entry's path, and a list entry's
/// list.
fn container_paths(edits: &[EntryEdit]) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = Vec::new();
    for edit in edits.iter().filter(|edit| edit.value.is_some()) {
        let container = edit.location.container();
        for depth in 0..=container.len() {
            let path = container[..depth].to_vec();
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

/// The blank lines right after the opening line and right before the closing line of each
/// container at `paths` that exists and has something in it, in the order they appear.
fn inner_blank_lines(text: &str, root: &ast::Object<'_>, paths: &[Vec<String>]) -> Vec<BlankLines> {
    let mut found = Vec::new();
    for path in paths {
        let Some(range) = container_range(root, path) else {
            continue;
        };
        let (open, close) = (range.start, range.end - 1);
        let inner = &text[open + 1..close];
        // The whole lines between the opening line and the closing line.
        let (Some(first_newline), Some(last_newline)) = (inner.find('\n'), inner.rfind('\n'))
        else {
            continue;
        };
        let (first_line, last_line) = (open + 1 + first_newline + 1, open + 1 + last_newline + 1);
        let lines = &text[first_line..last_line];
        let leading = blank_prefix_len(lines);
        if leading == lines.len() {
            // Nothing but blank lines: an empty container, which keeps its own layout rules.
            continue;
        }
        // Only the lines `jsonc-parser` drops: after an opening bracket that ends its line, and
        // before a closing bracket that starts its line.
        let leading = if is_blank(&text[open + 1..first_line]) {
            leading
        } else {
            0
        };
        let trailing = if is_blank(&text[last_line..close]) {
            blank_suffix_len(lines)
        } else {
            0
        };
        for (at_end, start, end) in [
            (false, first_line, first_line + leading),
            (true, last_line - trailing, last_line),
        ] {
            if start < end {
                found.push(BlankLines {
                    path: path.clone(),
                    at_end,
                    range: start..end,
                    text: text[start..end].to_owned(),
                });
            }
        }
    }
    found.sort_by_key(|lines| lines.range.start);
    found
}

fn has_bare_carriage_return(text: &str) -> bool {
    text.match_indices('\r')
        .any(|(at, _)| !text[at + 1..].starts_with('\n'))
}

/// The length of the whole blank lines `text` starts with.
fn blank_prefix_len(text: &str) -> usize {
    text.split_inclusive('\n')
        .take_while(|line| is_blank(line))
        .map(str::len)
        .sum()
}

/// The length of the whole blank lines `text` (which ends in a newline) ends with.
fn blank_suffix_len(text: &str) -> usize {
    text.split_inclusive('\n')
        .rev()
        .take_while(|line| is_blank(line))
        .map(str::len)
        .sum()
}

/// Whitespace as the JSONC scanner reads it between tokens.
fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

fn without_ranges(text: &str, ranges: impl Iterator<Item = Range<usize>>) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for range in ranges {
        kept.push_str(&text[from..range.start]);
        from = range.end;
    }
    kept.push_str(&text[from..]);
    kept
}

/// Puts the blank lines set aside back at the start or end of their containers in `edited`.
fn restore_blank_lines(
    mut edited: String,
    blank_lines: &[BlankLines],
) -> Result<String, EditError> {
    if blank_lines.is_empty() {
        return Ok(edited);
    }
    let mut insertions = Vec::with_capacity(blank_lines.len());
    {
        let Some(ast::Value::Object(root)) = parse_ast(&edited)? else {
            return Ok(edited);
        };
        for lines in blank_lines {
            let Some(range) = container_range(&root, &lines.path) else {
                continue;
            };
            let at = if lines.at_end {
                edited[..range.end - 1]
                    .rfind('\n')
                    .map(|newline| newline + 1)
            } else {
                edited[range.start..]
                    .find('\n')
                    .map(|newline| range.start + newline + 1)
            };
            if let Some(at) = at.filter(|&at| range.start < at && at < range.end) {
                insertions.push((at, lines.text.as_str()));
            }
        }
    }
    // From the end, so each offset still points where it did.
    insertions.sort_by_key(|&(at, _)| std::cmp::Reverse(at));
    for (at, text) in insertions {
        edited.insert_str(at, text);
    }
    Ok(edited)
}

/// The byte range of the object (or, last on the path, the list) at `path`.
fn container_range(root: &ast::Object<'_>, path: &[String]) -> Option<Range<usize>> {
    let mut range = root.range;
    let mut object = root;
    for (depth, key) in path.iter().enumerate() {
        let prop = object
            .properties
            .iter()
            .find(|prop| prop.name.as_str() == key)?;
        match &prop.value {
            ast::Value::Object(inner) => {
                range = inner.range;
                object = inner;
            }
            ast::Value::Array(list) if depth + 1 == path.len() => range = list.range,
            _ => return None,
        }
    }
    Some(range.start..range.end)
}

pub(super) fn read(
    text: &str,
    location: &EntryLocation,
) -> Result<Option<serde_json::Value>, EditError> {
    let Some(root_value) = parse_ast(text)? else {
        return Ok(None);
    };
    let root_object = expect_root_object(text, &root_value)?;
    Ok(find_entry(text, root_object, location)?.map(to_json))
}

/// Whether `text` is an object with nothing in it, not even a comment.
pub(super) fn is_empty_object(text: &str) -> bool {
    text.strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|inside| inside.trim().is_empty())
}

fn parse_ast(text: &str) -> Result<Option<ast::Value<'_>>, EditError> {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    parse_to_ast(text, &collect, &parse_options())
        .map(|parsed| parsed.value)
        .map_err(|error| {
            EditError::new(
                Some(error.line_display()),
                format!("not valid JSON: {}", error.kind()),
            )
        })
}

fn expect_root_object<'a, 'text>(
    text: &str,
    value: &'a ast::Value<'text>,
) -> Result<&'a ast::Object<'text>, EditError> {
    match value {
        ast::Value::Object(object) => Ok(object),
        other => Err(EditError::at_offset(
            text,
            range_start(other),
            format!("the top level is {}, expected an object", kind_name(other)),
        )),
    }
}

/// Walks to the entry at `location`, checking the shape on the way: each container is the
/// right kind and each key on the path (and our entry itself) appears once. `Ok(None)` when the
/// path or the entry is missing, which is fine: we create it.
fn find_entry<'a, 'text>(
    text: &str,
    root: &'a ast::Object<'text>,
    location: &EntryLocation,
) -> Result<Option<&'a ast::Value<'text>>, EditError> {
    let container = location.container();
    let mut object = root;
    for (depth, key) in container.iter().enumerate() {
        let Some(prop) = unique_member(text, object, key, &container[..depth])? else {
            return Ok(None);
        };
        let path = &container[..=depth];
        let is_last = depth + 1 == container.len();
        match (&prop.value, location, is_last) {
            (ast::Value::Array(array), EntryLocation::ListItem { key, name, .. }, true) => {
                return unique_list_item(text, array, key, name, path);
            }
            (ast::Value::Object(inner), EntryLocation::Member { .. }, _)
            | (ast::Value::Object(inner), EntryLocation::ListItem { .. }, false) => {
                object = inner;
            }
            (other, EntryLocation::ListItem { .. }, true) => {
                return Err(wrong_shape(text, path, other, "a list"));
            }
            (other, ..) => return Err(wrong_shape(text, path, other, "an object")),
        }
    }
    Ok(unique_member(text, object, location.name(), container)?.map(|prop| &prop.value))
}

fn unique_member<'a, 'text>(
    text: &str,
    object: &'a ast::Object<'text>,
    key: &str,
    parent: &[String],
) -> Result<Option<&'a ObjectProp<'text>>, EditError> {
    let mut found = object
        .properties
        .iter()
        .filter(|prop| prop.name.as_str() == key);
    let first = found.next();
    if let Some(duplicate) = found.next() {
        return Err(EditError::at_offset(
            text,
            duplicate.range.start,
            format!(
                "`{key}` appears more than once in {}; remove the duplicate so it is clear which one counts",
                dotted(parent)
            ),
        ));
    }
    Ok(first)
}

fn unique_list_item<'a, 'text>(
    text: &str,
    array: &'a ast::Array<'text>,
    key: &str,
    name: &str,
    path: &[String],
) -> Result<Option<&'a ast::Value<'text>>, EditError> {
    let mut found = array.elements.iter().filter(|element| match element {
        ast::Value::Object(object) => object.properties.iter().any(|prop| {
            prop.name.as_str() == key
                && matches!(&prop.value, ast::Value::StringLit(value) if value.value == name)
        }),
        _ => false,
    });
    let first = found.next();
    if let Some(duplicate) = found.next() {
        return Err(EditError::at_offset(
            text,
            range_start(duplicate),
            format!(
                "{} holds `{name}` more than once; remove the duplicate",
                dotted(path)
            ),
        ));
    }
    Ok(first)
}

fn wrong_shape(text: &str, path: &[String], found: &ast::Value<'_>, expected: &str) -> EditError {
    EditError::at_offset(
        text,
        range_start(found),
        format!(
            "{} is {}, expected {expected}",
            dotted(path),
            kind_name(found)
        ),
    )
}

fn kind_name(value: &ast::Value<'_>) -> &'static str {
    match value {
        ast::Value::StringLit(_) => "a string",
        ast::Value::NumberLit(_) => "a number",
        ast::Value::BooleanLit(_) => "a boolean",
        ast::Value::Object(_) => "an object",
        ast::Value::Array(_) => "a list",
        ast::Value::NullKeyword(_) => "null",
    }
}

fn range_start(value: &ast::Value<'_>) -> usize {
    match value {
        ast::Value::StringLit(node) => node.range.start,
        ast::Value::NumberLit(node) => node.range.start,
        ast::Value::BooleanLit(node) => node.range.start,
        ast::Value::Object(node) => node.range.start,
        ast::Value::Array(node) => node.range.start,
        ast::Value::NullKeyword(node) => node.range.start,
    }
}

fn to_json(value: &ast::Value<'_>) -> serde_json::Value {
    match value {
        ast::Value::StringLit(node) => node.value.as_ref().into(),
        ast::Value::NumberLit(node) => {
            serde_json::from_str(node.value).unwrap_or(serde_json::Value::Null)
        }
        ast::Value::BooleanLit(node) => node.value.into(),
        ast::Value::Object(node) => node
            .properties
            .iter()
            .map(|prop| (prop.name.as_str().to_owned(), to_json(&prop.value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        ast::Value::Array(node) => node.elements.iter().map(to_json).collect(),
        ast::Value::NullKeyword(_) => serde_json::Value::Null,
    }
}

fn to_cst(value: &EntryValue) -> CstInputValue {
    match value {
        EntryValue::Bool(value) => CstInputValue::Bool(*value),
        EntryValue::Integer(value) => CstInputValue::Number(value.to_string()),
        EntryValue::String(value) => CstInputValue::String(value.clone()),
        EntryValue::List(items) => CstInputValue::Array(items.iter().map(to_cst).collect()),
        EntryValue::Map(fields) => CstInputValue::Object(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), to_cst(value)))
                .collect(),
        ),
    }
}

/// Wraps `innermost` in one object per key of `path`, outermost first.
fn nest(path: &[String], innermost: CstInputValue) -> CstInputValue {
    path.iter().rev().fold(innermost, |inner, key| {
        CstInputValue::Object(vec![(key.clone(), inner)])
    })
}

/// Puts `value` at `location`. The shape was checked by `find_entry`, so every container on the
/// path is an object (or the final list) when present.
fn set_entry(root: &CstObject, location: &EntryLocation, value: &EntryValue) {
    let container = location.container();
    let (object_path, list_key) = match location {
        EntryLocation::Member { .. } => (container, None),
        EntryLocation::ListItem { .. } => {
            let (last, parents) = container
                .split_last()
                .expect("a list location names its list");
            (parents, Some(last))
        }
    };
    let entry = match location {
        EntryLocation::Member { name, .. } => {
            CstInputValue::Object(vec![(name.clone(), to_cst(value))])
        }
        EntryLocation::ListItem { .. } => CstInputValue::Array(vec![to_cst(value)]),
    };
    let mut object = root.clone();
    for (depth, key) in object_path.iter().enumerate() {
        let Some(next) = object.object_value(key) else {
            // Create the rest of the path in one value, so it is printed as one tidy block.
            let (first, rest) = object_path[depth..]
                .split_first()
                .expect("depth is in range");
            let inner = match list_key {
                Some(list_key) => nest(std::slice::from_ref(list_key), entry),
                None => entry,
            };
            append_member(&object, first, nest(rest, inner));
            return;
        };
        object = next;
    }
    match (location, list_key) {
        (EntryLocation::ListItem { key, name, .. }, Some(list_key)) => {
            let Some(list) = object.array_value(list_key) else {
                append_member(&object, list_key, CstInputValue::Array(vec![to_cst(value)]));
                return;
            };
            if list.elements().is_empty() && !has_comment(&list.children()) {
                // A new value is laid out like its neighbours; an element appended to `[]` is not.
                if let Some(prop) = object.get(list_key) {
                    prop.set_value(CstInputValue::Array(vec![to_cst(value)]));
                }
                return;
            }
            if let Some(item) = find_list_item(&list, key, name) {
                item.replace_with(to_cst(value));
                return;
            }
            let had_trailing_comma = last_has_trailing_comma(&list.elements());
            let appended = list.append(to_cst(value));
            // An appended object is indented one level short; printing it again in place gives
            // it the indentation of its neighbours.
            let appended = match appended.as_object() {
                Some(object) => object.replace_with(to_cst(value)).unwrap_or(appended),
                None => appended,
            };
            match_trailing_comma(&appended, had_trailing_comma, || {
                list.set_trailing_commas(TrailingCommaMode::IfMultiline);
            });
        }
        (EntryLocation::Member { name, .. }, _) => match object.get(name) {
            Some(prop) => prop.set_value(to_cst(value)),
            None => append_member(&object, name, to_cst(value)),
        },
        (EntryLocation::ListItem { .. }, None) => unreachable!("a list location has a list key"),
    }
}

/// Appends a member to `object` so that removing it again leaves the object's commas as they
/// were: see `match_trailing_comma`.
fn append_member(object: &CstObject, name: &str, value: CstInputValue) {
    let properties: Vec<CstNode> = object.properties().into_iter().map(Into::into).collect();
    let had_trailing_comma = last_has_trailing_comma(&properties);
    let appended = object.append(name, value);
    match_trailing_comma(&appended.into(), had_trailing_comma, || {
        object.set_trailing_commas(TrailingCommaMode::IfMultiline);
    });
}

/// Whether the last of `elements` is followed by a comma; `None` when there are none.
fn last_has_trailing_comma(elements: &[CstNode]) -> Option<bool> {
    elements.last().map(|last| last.trailing_comma().is_some())
}

/// Gives the element we appended a trailing comma exactly when the element before it had one.
///
/// Appending puts a comma after the previous element when it had none, and `jsonc-parser`
/// guesses whether ours gets a trailing comma from the rest of the file. Removal undoes the
/// first only when ours has no trailing comma: it takes ours out up to its trailing comma when
/// there is one, and otherwise with the comma before it. So a guess that differs from the
/// container's own last element left the element before ours with a comma it gained, or took
/// away a trailing comma the person wrote.
///
/// `jsonc-parser` adds a trailing comma only through `set_trailing_commas`, which adds one to the
/// last element of every multi-line list and object inside the container too; those it added
/// are taken out again, so only ours changes.
fn match_trailing_comma(
    appended: &CstNode,
    had_trailing_comma: Option<bool>,
    set_trailing_commas: impl FnOnce(),
) {
    match (had_trailing_comma, appended.trailing_comma()) {
        (Some(false), Some(comma)) => comma.remove(),
        (Some(true), None) => {
            let Some(container) = appended.parent() else {
                return;
            };
            let mut without_comma = Vec::new();
            for child in container.children() {
                collect_last_elements_without_comma(&child, &mut without_comma);
            }
            set_trailing_commas();
            for last in without_comma {
                if let Some(comma) = last.trailing_comma() {
                    comma.remove();
                }
            }
        }
        _ => {}
    }
}

/// The last element of each list and object in `node` (itself included) that has no trailing
/// comma.
fn collect_last_elements_without_comma(node: &CstNode, found: &mut Vec<CstNode>) {
    let last = if let Some(object) = node.as_object() {
        object.properties().pop().map(CstNode::from)
    } else if let Some(array) = node.as_array() {
        array.elements().pop()
    } else {
        None
    };
    if let Some(last) = last
        && last.trailing_comma().is_none()
    {
        found.push(last);
    }
    for child in node.children() {
        collect_last_elements_without_comma(&child, found);
    }
}

fn find_list_item(list: &CstArray, key: &str, name: &str) -> Option<CstObject> {
    list.elements().into_iter().find_map(|element| {
        let object = element.as_object()?;
        let value = object
            .get(key)?
            .value()?
            .as_string_lit()?
            .decoded_value()
            .ok()?;
        (value == name).then_some(object)
    })
}

/// Takes the entry at `location` out. Then, innermost first, each container on its path that
/// this left empty (and holds no comment) goes too, as many as `prune` allows, so that removing
/// what we added leaves the file as it was before; the first emptied container that stays is
/// written back as `{}`/`[]`.
fn remove_entry(root: &CstObject, location: &EntryLocation, prune: PruneDepth) {
    let container = location.container();
    let mut objects = vec![root.clone()];
    let walk_to = match location {
        EntryLocation::Member { .. } => container.len(),
        EntryLocation::ListItem { .. } => container.len() - 1,
    };
    for key in &container[..walk_to] {
        let Some(next) = objects.last().and_then(|object| object.object_value(key)) else {
            return;
        };
        objects.push(next);
    }
    let innermost = objects.last().expect("the root is always there").clone();
    // How many containers out from the entry the next one up is.
    let mut level = 1;
    match location {
        EntryLocation::Member { name, .. } => {
            let Some(prop) = innermost.get(name) else {
                return;
            };
            prop.remove();
        }
        EntryLocation::ListItem { key, name, .. } => {
            let list_key = &container[walk_to];
            let Some(list) = innermost.array_value(list_key) else {
                return;
            };
            let Some(item) = find_list_item(&list, key, name) else {
                return;
            };
            item.remove();
            let emptied = is_emptied(&list.children(), list.elements().is_empty());
            if !(emptied && prune.reaches(level)) {
                collapse_if_empty(&list.children(), list.elements().is_empty());
                return;
            }
            if let Some(prop) = innermost.get(list_key) {
                prop.remove();
            }
            level += 1;
        }
    }
    for (depth, key) in container[..walk_to].iter().enumerate().rev() {
        let child = &objects[depth + 1];
        let (children, is_empty) = (child.children(), child.properties().is_empty());
        if !(is_emptied(&children, is_empty) && prune.reaches(level)) {
            collapse_if_empty(&children, is_empty);
            return;
        }
        if let Some(prop) = objects[depth].get(key) {
            prop.remove();
        }
        level += 1;
    }
    collapse_if_empty(&root.children(), root.properties().is_empty());
}

/// Whether a container holds nothing at all, not even a comment, so it may go.
fn is_emptied(children: &[CstNode], is_empty: bool) -> bool {
    is_empty && !has_comment(children)
}

/// `{\n}` left behind by removing the last member becomes `{}` (and `[\n]` becomes `[]`), as it
/// was before we added to it.
fn collapse_if_empty(children: &[CstNode], is_empty: bool) {
    if is_emptied(children, is_empty) {
        for child in children {
            if child.is_whitespace() || child.is_newline() {
                child.clone().remove();
            }
        }
    }
}

fn has_comment(children: &[CstNode]) -> bool {
    children.iter().any(CstNode::is_comment)
}

#[cfg(test)]
mod tests {
    use super::super::{ConfigFormat, EntryEdit, EntryLocation, EntryValue, PruneDepth};

    fn entry() -> EntryValue {
        EntryValue::map([
            ("type", EntryValue::string("http")),
            ("url", EntryValue::string("https://mcp.example/v1/mcp")),
        ])
    }

    fn set(container: &[&str]) -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::member(container, "ours"),
            value: Some(entry()),
            prune: PruneDepth::ALL,
        }]
    }

    fn unset(container: &[&str]) -> Vec<EntryEdit> {
        vec![EntryEdit {
            location: EntryLocation::member(container, "ours"),
            value: None,
            prune: PruneDepth::ALL,
        }]
    }

    #[track_caller]
    fn check(before: &str, edits: &[EntryEdit], after: &str) {
        crate::plumbing::edit::edit_check::check_edit(ConfigFormat::Json, before, edits, after);
    }

    #[track_caller]
    fn check_round_trip(before: &str, container: &[&str]) {
        let added = ConfigFormat::Json
            .edit(Some(before.as_bytes()), &set(container))
            .unwrap();
        let removed = ConfigFormat::Json
            .edit(Some(&added), &unset(container))
            .unwrap();
        assert_eq!(
            String::from_utf8(removed).unwrap(),
            before,
            "removing what we added restores every byte; the file with our entry was:\n{}",
            String::from_utf8_lossy(&added)
        );
    }

    #[track_caller]
    fn check_refused(before: &[u8], line: Option<usize>, message: &str) {
        let error = ConfigFormat::Json
            .edit(Some(before), &set(&["mcpServers"]))
            .unwrap_err();
        assert_eq!(error.line, line, "{error}");
        assert!(error.message.contains(message), "{error}");
    }

    #[test]
    fn adds_to_an_existing_container_keeping_comments_and_order() {
        check(
            "{\n  // my servers\n  \"mcpServers\": {\n    \"other\": { \"command\": \"x\" } // keep\n  },\n  \"theme\": \"dark\"\n}\n",
            &set(&["mcpServers"]),
            "{\n  // my servers\n  \"mcpServers\": {\n    \"other\": { \"command\": \"x\" }, // keep\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }\n  },\n  \"theme\": \"dark\"\n}\n",
        );
    }

    #[test]
    fn creates_the_container_when_missing() {
        check(
            "{\n  \"theme\": \"dark\"\n}\n",
            &set(&["mcpServers"]),
            "{\n  \"theme\": \"dark\",\n  \"mcpServers\": {\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }\n  }\n}\n",
        );
    }

    #[test]
    fn creates_a_new_file_from_nothing() {
        check(
            "",
            &set(&["mcpServers"]),
            "{\n  \"mcpServers\": {\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }\n  }\n}\n",
        );
    }

    #[test]
    fn follows_the_files_indentation_and_trailing_commas() {
        check(
            "{\n\t\"mcpServers\": {\n\t\t\"other\": {},\n\t},\n}",
            &set(&["mcpServers"]),
            "{\n\t\"mcpServers\": {\n\t\t\"other\": {},\n\t\t\"ours\": {\n\t\t\t\"type\": \"http\",\n\t\t\t\"url\": \"https://mcp.example/v1/mcp\",\n\t\t},\n\t},\n}",
        );
    }

    #[test]
    fn updates_our_entry_in_place_keeping_its_comment() {
        check(
            "{\n  \"mcpServers\": {\n    // added by the wizard\n    \"ours\": { \"url\": \"https://old.example\" },\n    \"after\": 1\n  }\n}",
            &set(&["mcpServers"]),
            "{\n  \"mcpServers\": {\n    // added by the wizard\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    },\n    \"after\": 1\n  }\n}",
        );
    }

    #[test]
    fn keeps_crlf_and_bom() {
        let before = "\u{feff}{\r\n  \"a\": 1\r\n}\r\n";
        let edited = ConfigFormat::Json
            .edit(Some(before.as_bytes()), &set(&["mcpServers"]))
            .unwrap();
        let edited = String::from_utf8(edited).unwrap();
        assert!(edited.starts_with('\u{feff}'), "the BOM stays");
        assert!(
            !edited.replace("\r\n", "").contains('\n'),
            "every line still ends in CRLF: {edited:?}"
        );
        check_round_trip(before, &["mcpServers"]);
    }

    #[test]
    fn nested_container_paths_are_created_and_pruned() {
        check_round_trip("{\n  \"a\": 1\n}\n", &["projects", "/repo", "mcpServers"]);
    }

    #[test]
    fn remove_of_insert_restores_every_byte() {
        for before in [
            "{}",
            "{\n  \"a\": 1\n}\n",
            "{\n  \"mcpServers\": {\n    \"other\": {}\n  }\n}\n",
            "{\n  // comment\n  \"mcpServers\": {\n    \"other\": {}, // trailing\n  },\n}\n",
            "{\n    \"theme\": \"dark\", /* block */\n    \"x\": null\n}",
        ] {
            check_round_trip(before, &["mcpServers"]);
        }
    }

    #[test]
    fn a_blank_file_is_filled_and_a_comment_only_file_keeps_its_comment() {
        // A blank file is as good as an empty one: no byte there means anything.
        check(
            "\n",
            &set(&["mcpServers"]),
            "{\n  \"mcpServers\": {\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }\n  }\n}\n",
        );
        check(
            "// my settings\n",
            &set(&["mcpServers"]),
            "// my settings\n{\n  \"mcpServers\": {\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }\n  }\n}\n",
        );
    }

    /// The fuzzing input in `fuzz/regressions/edit_jsonc/trailing-comma-after-one-line-container`
    /// (after its selector byte): `mcpServers` opens on the line of its first member and ends in
    /// blank lines, one holding a vertical tab, which JSONC reads as whitespace.
    fn container_ending_in_blank_lines() -> String {
        format!(
            "{{\n  \"mcpServers\":     \n{{\"github\": {{\n      \"command\": \"npx\",\n      }}\n{}\u{b}\n{}  }}\n}}\n",
            "\n".repeat(21),
            "\n".repeat(6)
        )
    }

    #[test]
    fn blank_lines_closing_a_container_stay_where_they_were() {
        let before = container_ending_in_blank_lines();
        let blank_lines = format!("{}\u{b}\n{}", "\n".repeat(21), "\n".repeat(6));
        check(
            &before,
            &set(&["mcpServers"]),
            &format!(
                "{{\n  \"mcpServers\":     \n{{\"github\": {{\n      \"command\": \"npx\",\n      }},\n    \"ours\": {{\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }}\n{blank_lines}  }}\n}}\n"
            ),
        );
        check_round_trip(&before, &["mcpServers"]);
    }

    #[test]
    fn blank_lines_opening_a_container_stay_where_they_were() {
        check(
            "{\n\n  \"mcpServers\": {\n\n    \"github\": 1\n  }\n}\n",
            &set(&["mcpServers"]),
            "{\n\n  \"mcpServers\": {\n\n    \"github\": 1,\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    }\n  }\n}\n",
        );
        check_round_trip(
            "{\n\n  \"a\": 1\n  \n\n}\n",
            &["projects", "/repo", "mcpServers"],
        );
    }

    #[test]
    fn the_member_before_ours_keeps_its_own_trailing_comma_or_its_lack_of_one() {
        // Here `jsonc-parser` guessed trailing commas from the `github` object: ours got one, and
        // removing ours left `github` with the comma it gained.
        let without = "{\n\"mcpServers\": {\"github\": {\n  \"command\": \"npx\",\n  }\n}\n}\n";
        check(
            without,
            &set(&["mcpServers"]),
            "{\n\"mcpServers\": {\"github\": {\n  \"command\": \"npx\",\n  },\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\",\n    }\n}\n}\n",
        );
        check_round_trip(without, &["mcpServers"]);
        // And here it guessed none: removing ours took the person's trailing comma with it.
        let with = "{\n\"mcpServers\": {\"github\": 1,\n}\n}\n";
        check(
            with,
            &set(&["mcpServers"]),
            "{\n\"mcpServers\": {\"github\": 1,\n    \"ours\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.example/v1/mcp\"\n    },\n}\n}\n",
        );
        check_round_trip(with, &["mcpServers"]);
    }

    /// The fuzzing input in `fuzz/regressions/edit_jsonc/empty-outer-container-not-given-back`
    /// is this shape with blank lines in `mcp`: a container that was there, empty, before our
    /// entry went in one level further down.
    #[test]
    fn removal_gives_back_a_container_that_was_empty_before_we_added_to_it() {
        let before = "{\"mcp\": {}}";
        let location = EntryLocation::member(&["mcp", "servers"], "ours");
        let added = ConfigFormat::Json
            .edit(
                Some(before.as_bytes()),
                &[EntryEdit {
                    location: location.clone(),
                    value: Some(entry()),
                    prune: PruneDepth::NONE,
                }],
            )
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&added),
            "{\"mcp\": {\n    \"servers\": {\n      \"ours\": {\n        \"type\": \"http\",\n        \"url\": \"https://mcp.example/v1/mcp\"\n      }\n    }\n  }}",
            "adding creates `servers` inside the `mcp` that was there"
        );
        let removal = |depth| {
            let removed = ConfigFormat::Json
                .edit(
                    Some(&added),
                    &[EntryEdit {
                        location: location.clone(),
                        value: None,
                        prune: PruneDepth(depth),
                    }],
                )
                .unwrap();
            String::from_utf8(removed).unwrap()
        };
        assert_eq!(
            removal(1),
            before,
            "taking out `servers`, which came with our entry, and keeping `mcp`, which did not, gives back every byte"
        );
        assert_eq!(
            removal(0),
            "{\"mcp\": {\n    \"servers\": {}\n  }}",
            "depth 0 keeps every container, the emptied `servers` written `{{}}`"
        );
        assert_eq!(
            removal(2),
            "{}",
            "depth 2 takes out `mcp` too, which was there before, so it is too deep here"
        );
        assert_eq!(
            removal(7),
            removal(2),
            "a depth beyond the path's two containers takes out no more"
        );
    }

    #[test]
    fn removal_gives_back_the_empty_object_around_a_list_it_created() {
        // For a list item the list is the innermost container: depth 1 takes out the list we
        // created and keeps the object that was there, empty, before.
        let before = "{\"a\": {}}";
        let location = EntryLocation::list_item(&["a", "list"], "id", "ours");
        let item = EntryValue::map([("id", EntryValue::string("ours"))]);
        let edit = |bytes: &[u8], value: Option<EntryValue>, depth| {
            let edits = [EntryEdit {
                location: location.clone(),
                value,
                prune: PruneDepth(depth),
            }];
            String::from_utf8(ConfigFormat::Json.edit(Some(bytes), &edits).unwrap()).unwrap()
        };
        let added = edit(before.as_bytes(), Some(item), 0);
        assert_eq!(
            edit(added.as_bytes(), None, 1),
            before,
            "the list goes and the object that was there stays, byte for byte"
        );
        assert_eq!(
            edit(added.as_bytes(), None, 0),
            "{\"a\": {\n    \"list\": []\n  }}",
            "depth 0 keeps the emptied list, written `[]`"
        );
        assert_eq!(
            edit(added.as_bytes(), None, 2),
            "{}",
            "depth 2 takes out the object too"
        );
    }

    #[test]
    fn removing_an_absent_entry_changes_nothing() {
        let before = "{\n  \"mcpServers\": {\n    \"other\": {}\n  }\n}\n";
        check(before, &unset(&["mcpServers"]), before);
    }

    #[test]
    fn a_list_item_is_added_updated_and_removed_by_its_key() {
        let edits = |value: Option<EntryValue>| {
            vec![EntryEdit {
                location: EntryLocation::list_item(&["inputs"], "id", "ours"),
                value,
                prune: PruneDepth::ALL,
            }]
        };
        let item = EntryValue::map([
            ("id", EntryValue::string("ours")),
            ("password", EntryValue::Bool(true)),
        ]);
        let before = "{\n  \"inputs\": [\n    { \"id\": \"theirs\" }\n  ]\n}";
        let added = ConfigFormat::Json
            .edit(Some(before.as_bytes()), &edits(Some(item.clone())))
            .unwrap();
        let added_text = String::from_utf8(added.clone()).unwrap();
        assert!(added_text.contains("\"password\": true"), "{added_text}");
        let again = ConfigFormat::Json
            .edit(Some(&added), &edits(Some(item)))
            .unwrap();
        assert_eq!(again, added, "setting the same item twice changes nothing");
        let removed = ConfigFormat::Json.edit(Some(&added), &edits(None)).unwrap();
        assert_eq!(String::from_utf8(removed).unwrap(), before);
    }

    #[test]
    fn reads_our_entry() {
        let text = "{ \"mcpServers\": { \"ours\": { \"url\": \"u\" } } }";
        let entry = ConfigFormat::Json
            .read(
                text.as_bytes(),
                &EntryLocation::member(&["mcpServers"], "ours"),
            )
            .unwrap();
        assert_eq!(entry, Some(serde_json::json!({ "url": "u" })));
    }

    #[test]
    fn bad_input_is_refused_with_its_line() {
        check_refused(b"{\n  \"a\": 1,\n  oops\n}", Some(3), "not valid JSON");
        check_refused(b"[\n  1\n]", Some(1), "the top level is a list");
        check_refused(
            b"{\n  \"mcpServers\": []\n}",
            Some(2),
            "`mcpServers` is a list, expected an object",
        );
        check_refused(
            b"{\n  \"mcpServers\": \"x\"\n}",
            Some(2),
            "`mcpServers` is a string",
        );
        check_refused(
            b"{\n  \"mcpServers\": {},\n  \"mcpServers\": {}\n}",
            Some(3),
            "`mcpServers` appears more than once",
        );
        check_refused(
            b"{\"mcpServers\": {\n  \"ours\": {},\n  \"ours\": {}\n}}",
            Some(3),
            "`ours` appears more than once in `mcpServers`",
        );
        check_refused(b"{ 'a': 1 }", Some(1), "not valid JSON");
    }
}
