//! The checks the fuzz targets run, one function per target, so each target is a single line
//! and the invariants read in one place. Every check panics, which libFuzzer reports as a
//! crash with the input that caused it, when an invariant breaks.
//!
//! Input layouts, which `seed-corpora.sh` follows when it turns the test fixtures into seeds:
//! an editor input is one byte choosing the entry's location and values, then the document;
//! a reply input is two bytes of status, one of content type, one of request id, then the body.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::auth_method::AuthMethod;
use rovo_mcp_core::credentials::prepare_credential;
use rovo_mcp_core::edit::{ConfigFormat, EntryEdit, EntryLocation, EntryValue, PruneDepth};
use rovo_mcp_core::probe::failure::BODY_EXCERPT_BYTES;
use rovo_mcp_core::probe::parse_http_reply;
use rovo_mcp_core::secrets::Secret;

const NAME: &str = "atlassian-rovo-mcp";

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

/// Where our entry goes in a document of `format`: the locations the clients use.
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

fn edit(
    format: ConfigFormat,
    document: &[u8],
    location: &EntryLocation,
    value: Option<EntryValue>,
    prune: PruneDepth,
) -> Result<Vec<u8>, String> {
    let edits = [EntryEdit {
        location: location.clone(),
        value,
        prune,
    }];
    format
        .edit(Some(document), &edits)
        .map_err(|error| error.to_string())
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

/// Whether `restored` is `base` up to whitespace with `{}` or `[]` after one colon.
fn gains_an_empty_container(base: &[u8], restored: &[u8]) -> bool {
    let (base, restored) = (without_whitespace(base), without_whitespace(restored));
    restored.len() == base.len() + 2
        && (1..=base.len()).any(|at| {
            base[at - 1] == b':'
                && restored[..at] == base[..at]
                && matches!(&restored[at..at + 2], b"{}" | b"[]")
                && restored[at + 2..] == base[at..]
        })
}

/// Adds, changes and removes our entry in any document: never a panic; an entry added reads
/// back, adding it again is a no-op, changing it touches nothing else, and removing it gives
/// back the document up to whitespace (the editor's known cosmetic exceptions), then exactly.
pub fn check_entry_edits(format: ConfigFormat, data: &[u8]) {
    let Some((&selector, document)) = data.split_first() else {
        return;
    };
    let locations = locations(format);
    let location = &locations[usize::from(selector) % locations.len()];
    let first_text = VALUES[usize::from(selector / 4) % VALUES.len()];
    let second_text = VALUES[(usize::from(selector / 4) + 1) % VALUES.len()];
    let (first, second) = (entry(location, first_text), entry(location, second_text));

    let Ok(existing) = format.read(document, location) else {
        // A document that does not parse is refused by every edit, never half-edited.
        assert!(
            edit(format, document, location, Some(first), PruneDepth::NONE).is_err(),
            "a document that cannot be read cannot be edited either"
        );
        return;
    };
    // A document that already has our entry is checked from what it is without it.
    let base = match existing {
        Some(_) => {
            let base = edit(format, document, location, None, PruneDepth::NONE)
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
    let Ok(added) = edit(
        format,
        &base,
        location,
        Some(first.clone()),
        PruneDepth::NONE,
    ) else {
        return;
    };
    assert_eq!(
        format.read(&added, location),
        Ok(Some(first.to_json())),
        "an entry that was added reads back"
    );
    assert_eq!(
        edit(format, &added, location, Some(first), PruneDepth::NONE).as_ref(),
        Ok(&added),
        "adding the same entry again is a no-op"
    );
    let changed = edit(
        format,
        &added,
        location,
        Some(second.clone()),
        PruneDepth::NONE,
    )
    .expect("an entry that was added can be changed");
    assert_eq!(
        format.read(&changed, location),
        Ok(Some(second.to_json())),
        "a changed entry reads back"
    );
    let mut restored = None;
    // Some depth gives back the document: the one that keeps the containers it had, even empty.
    for prune in location.prune_depths() {
        let from_added = edit(format, &added, location, None, prune).expect("removal works");
        let from_changed = edit(format, &changed, location, None, prune).expect("removal works");
        assert_eq!(
            from_added, from_changed,
            "changing the entry touched nothing outside it"
        );
        // A blank file is filled with a whole document, and comes back as an empty one,
        // which the caller deletes when it created the file.
        let blank = without_whitespace(&base)
            .strip_prefix("\u{feff}".as_bytes())
            .unwrap_or(&without_whitespace(&base))
            .is_empty();
        // A JSON file of comments alone gains the object our entry went into, and keeps `{}`.
        let comments_only = format == ConfigFormat::Json
            && without_whitespace(&from_added)
                == [without_whitespace(&base), b"{}".to_vec()].concat();
        // A YAML container written as its key alone comes back as `{}` or `[]`.
        let null_container_emptied =
            format == ConfigFormat::Yaml && gains_an_empty_container(&base, &from_added);
        if without_whitespace(&from_added) == without_whitespace(&base)
            || (blank && format.is_empty_document(&from_added))
            || comments_only
            || null_container_emptied
        {
            restored = Some((prune, from_added));
        }
    }
    let (prune, restored) =
        restored.expect("removing what was added gives back the document, up to whitespace");
    let again = edit(format, &restored, location, Some(second), PruneDepth::NONE)
        .expect("a document we wrote can be edited again");
    assert_eq!(
        edit(format, &again, location, None, prune),
        Ok(restored),
        "once in the editor's own layout, remove(insert(x)) == x byte for byte"
    );
}

/// What the credentials target is given: the fields as typed, and a token-shaped secret put
/// into the token field in one of the ways people paste it.
#[derive(Debug, arbitrary::Arbitrary)]
pub struct CredentialInput {
    service: bool,
    email: Option<String>,
    typed: String,
    token_body: String,
    wrapping: u8,
    damage: String,
}

/// The kinds an HTTP reply (rather than no reply) can be classified as.
const REPLY_KINDS: [ErrorKind; 8] = [
    ErrorKind::Unauthorized,
    ErrorKind::ForbiddenIp,
    ErrorKind::ForbiddenLegacyToken,
    ErrorKind::Forbidden,
    ErrorKind::RateLimited,
    ErrorKind::ServerError,
    ErrorKind::NotMcp,
    ErrorKind::ProtocolError,
];

/// Cleans the fields: never a panic, a refusal is always `invalid_input`, cleaning the result
/// again changes nothing, and the token never shows in an error or a `Debug` output.
pub fn check_credential(input: &CredentialInput) {
    let method = if input.service {
        AuthMethod::Service
    } else {
        AuthMethod::Personal
    };
    let email = input.email.as_deref();
    match prepare_credential(method, email, &Secret::new(input.typed.clone())) {
        Ok(credential) => {
            let again = prepare_credential(method, credential.email(), credential.token())
                .expect("a cleaned credential cleans again");
            assert_eq!(
                again.authorization().expose(),
                credential.authorization().expose(),
                "cleaning is idempotent"
            );
        }
        Err(error) => assert_eq!(
            error.kind(),
            ErrorKind::InvalidInput,
            "a refusal is the person's to fix"
        ),
    }

    let token = format!("ATATT3{}", input.token_body);
    // An email that holds the token is echoed as the email it claims to be.
    if input.token_body.len() < 8 || email.is_some_and(|email| email.contains(&token)) {
        return;
    }
    let pair = STANDARD.encode(format!("{}:{token}", email.unwrap_or_default()));
    let pasted = match input.wrapping % 4 {
        0 => format!("{token}{}", input.damage),
        1 => format!("Bearer {token}{}", input.damage),
        2 => format!("Basic {pair}{}", input.damage),
        _ => format!("{pair}{}", input.damage),
    };
    let shown = match prepare_credential(method, email, &Secret::new(pasted)) {
        Ok(credential) => format!("{credential:?}"),
        Err(error) => format!("{error} {error:?}"),
    };
    assert!(
        !shown.contains(&token) && !shown.contains(&pair),
        "the token never shows in an error or a Debug output"
    );
}

/// Parses any reply: never a panic; a failure is one of design §4's reply kinds, keeps the
/// status, and shows at most 256 bytes of the body.
pub fn check_reply(data: &[u8]) {
    let [status_high, status_low, content_type, id, body @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*status_high, *status_low]) % 500;
    let content_type = match content_type % 5 {
        0 => "application/json",
        1 => "text/event-stream",
        2 => "text/html; charset=utf-8",
        3 => "",
        _ => "Application/JSON; charset=utf-8",
    };
    let Err(failure) = parse_http_reply(
        "mcp.example.com",
        "tools/list",
        u64::from(*id),
        status,
        content_type,
        body,
    ) else {
        return;
    };
    assert!(
        REPLY_KINDS.contains(&failure.kind),
        "a reply is one of the reply kinds"
    );
    assert_eq!(failure.http_status, Some(status), "the status is kept");
    if let Some(excerpt) = failure.body_excerpt {
        assert!(
            !excerpt.is_empty() && excerpt.len() <= BODY_EXCERPT_BYTES,
            "an excerpt is 1 to 256 bytes"
        );
    }
}
