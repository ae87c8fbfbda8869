//! Property checks of the lossless edits over generated config files (design §9): for hundreds of
//! documents with comments, trailing commas, tabs or spaces, CRLF and BOMs, adding our entry
//! changes nothing else the client reads, the entry reads back as written, a second add is a
//! no-op, and removing it gives back the original bytes.
//!
//! The generator is a fixed-seed xorshift, so a failure names a case that can be replayed.

use std::fmt::Write as _;

use rovo_mcp_core::edit::{ConfigFormat, EntryEdit, EntryLocation, EntryValue};

const CASES: u64 = 300;

/// A small deterministic random source (xorshift64*).
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let value = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33;
        usize::try_from(value).unwrap() % bound
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len())]
    }
}

const KEYS: [&str; 8] = [
    "theme",
    "model",
    "fontSize",
    "telemetry",
    "editor",
    "proxy",
    "x-y",
    "z",
];

fn entry() -> EntryValue {
    EntryValue::map([
        ("type", EntryValue::string("http")),
        (
            "url",
            EntryValue::string("https://mcp.atlassian.com/v1/mcp"),
        ),
        (
            "headers",
            EntryValue::map([("Authorization", EntryValue::string("Basic abc=="))]),
        ),
    ])
}

fn edits(container: &str, value: Option<EntryValue>, prune: bool) -> Vec<EntryEdit> {
    vec![EntryEdit {
        location: EntryLocation::member(&[container], "atlassian-rovo-mcp"),
        value,
        prune,
    }]
}

/// A JSONC document and whether it already has a non-empty `mcpServers`.
fn json_document(random: &mut Random) -> (String, bool) {
    let indent = random.pick(&["  ", "    ", "\t"]);
    let trailing = random.chance(30);
    let comments = random.chance(60);
    let mut members: Vec<String> = Vec::new();
    let mut has_servers = false;
    for (position, key) in KEYS.iter().enumerate() {
        if !random.chance(50) {
            continue;
        }
        let value = match random.below(4) {
            0 => format!("{}", random.below(1000)),
            1 => format!("\"value {position}\""),
            2 => format!("[1, \"two\", {}]", random.chance(50)),
            _ => format!("{{ \"nested\": {} }}", random.below(9)),
        };
        members.push(format!("\"{key}\": {value}"));
    }
    if random.chance(50) {
        has_servers = true;
        let inner = format!("{indent}{indent}");
        let mut servers = vec![format!("{inner}\"github\": {{ \"command\": \"npx\" }}")];
        if random.chance(50) {
            servers.push(format!(
                "{inner}\"local\": {{ \"url\": \"http://localhost:3000\" }}"
            ));
        }
        let mut block = servers.join(",\n");
        if trailing {
            block.push(',');
        }
        members.insert(
            random.below(members.len() + 1),
            format!("\"mcpServers\": {{\n{block}\n{indent}}}"),
        );
    }
    let mut text = String::from("{\n");
    for (position, member) in members.iter().enumerate() {
        if comments && random.chance(30) {
            let _ = writeln!(text, "{indent}// about {position}");
        }
        text.push_str(indent);
        text.push_str(member);
        if position + 1 < members.len() || trailing {
            text.push(',');
        }
        if comments && random.chance(20) {
            text.push_str(" // same line");
        }
        text.push('\n');
    }
    text.push_str("}\n");
    (text, has_servers)
}

fn toml_document(random: &mut Random) -> (String, bool) {
    let mut text = String::new();
    if random.chance(50) {
        text.push_str("# my settings\n");
    }
    for key in KEYS
        .iter()
        .filter(|key| key.chars().all(char::is_alphabetic))
    {
        if random.chance(50) {
            let _ = writeln!(text, "{key} = {}", random.below(100));
        }
    }
    let has_servers = random.chance(50);
    let mut tables = vec!["[profiles.fast]\nmodel = \"o4-mini\"\n".to_owned()];
    if has_servers {
        tables.push("[mcp_servers.github] # by hand\ncommand = \"npx\"\n".to_owned());
    }
    if random.chance(50) {
        tables.reverse();
    }
    for table in tables {
        text.push('\n');
        text.push_str(&table);
    }
    (text, has_servers)
}

fn yaml_document(random: &mut Random) -> (String, bool) {
    let indent = random.pick(&["  ", "    "]);
    let mut text = String::new();
    if random.chance(50) {
        text.push_str("# goose\n");
    }
    for key in ["GOOSE_PROVIDER", "GOOSE_MODEL"] {
        if random.chance(60) {
            let _ = writeln!(text, "{key}: value{}", random.below(9));
        }
    }
    let has_servers = random.chance(50);
    if has_servers {
        let _ = write!(
            text,
            "extensions:\n{indent}developer:\n{indent}{indent}enabled: true\n{indent}{indent}type: builtin\n"
        );
        if random.chance(40) {
            text.push_str("# trailing note\n");
        }
    }
    if random.chance(50) {
        text.push_str("other:\n  - a\n  - b\n");
    }
    (text, has_servers)
}

/// The document's other top-level values as a client reads them, to check nothing else moved.
/// YAML edits are line splices that cannot reach other lines; its removal check covers it.
fn others(format: ConfigFormat, bytes: &[u8], container: &str) -> serde_json::Value {
    if format == ConfigFormat::Yaml {
        return serde_json::Value::Null;
    }
    let mut seen = serde_json::Map::new();
    // Each top-level key is read through the public reader, our container aside.
    for key in KEYS
        .iter()
        .chain(&["GOOSE_PROVIDER", "GOOSE_MODEL", "other", "profiles"])
    {
        if *key == container {
            continue;
        }
        let value = format
            .read(bytes, &EntryLocation::member(&[], key))
            .unwrap_or_else(|error| panic!("reading `{key}`: {error}"));
        if let Some(value) = value {
            seen.insert((*key).to_owned(), value);
        }
    }
    serde_json::Value::Object(seen)
}

#[track_caller]
fn check_document(format: ConfigFormat, container: &str, text: &str, has_servers: bool, case: u64) {
    let variants = [
        text.to_owned(),
        text.replace('\n', "\r\n"),
        format!("\u{feff}{text}"),
    ];
    for original in variants {
        let original = original.as_bytes();
        let added = format
            .edit(Some(original), &edits(container, Some(entry()), false))
            .unwrap_or_else(|error| panic!("case {case}: {error}\n{text}"));
        let shown = String::from_utf8_lossy(&added).into_owned();
        assert_eq!(
            format
                .read(
                    &added,
                    &EntryLocation::member(&[container], "atlassian-rovo-mcp")
                )
                .unwrap(),
            Some(entry().to_json()),
            "case {case}: our entry reads back\n{shown}"
        );
        assert_eq!(
            others(format, &added, container),
            others(format, original, container),
            "case {case}: nothing else changed\n{shown}"
        );
        let again = format
            .edit(Some(&added), &edits(container, Some(entry()), false))
            .unwrap();
        assert_eq!(again, added, "case {case}: a second add is a no-op");
        let removed = format
            .edit(Some(&added), &edits(container, None, !has_servers))
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&removed),
            String::from_utf8_lossy(original),
            "case {case}: removing restores every byte\nwith our entry:\n{shown}"
        );
    }
}

#[test]
fn json_edits_are_lossless_over_generated_documents() {
    for case in 0..CASES {
        let mut random = Random(case * 7919 + 1);
        let (text, has_servers) = json_document(&mut random);
        check_document(ConfigFormat::Json, "mcpServers", &text, has_servers, case);
    }
}

#[test]
fn toml_edits_are_lossless_over_generated_documents() {
    for case in 0..CASES {
        let mut random = Random(case * 104_729 + 3);
        let (text, has_servers) = toml_document(&mut random);
        check_document(ConfigFormat::Toml, "mcp_servers", &text, has_servers, case);
    }
}

#[test]
fn yaml_edits_are_lossless_over_generated_documents() {
    for case in 0..CASES {
        let mut random = Random(case * 15_485_863 + 5);
        let (text, has_servers) = yaml_document(&mut random);
        check_document(ConfigFormat::Yaml, "extensions", &text, has_servers, case);
    }
}
