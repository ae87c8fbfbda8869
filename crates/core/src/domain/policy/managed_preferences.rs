//! The policy as a macOS configuration profile delivers it: the managed preferences of the
//! domain `com.rovomcpsetup.desktop`, a plist (XML or binary) whose keys are the policy file's
//! keys. Parsing is a pure function of the bytes, so it is tested on any OS.

use std::io::Cursor;
use std::path::Path;

use super::{PolicyFile, PolicySource, known_keys, refusal, typed};
use crate::Result;

/// Stands in for a plist value JSON has no type for (data, date, UID), followed by its kind:
/// kept through the unknown-key pass so that only a known key holding one is refused.
const NO_JSON_TYPE: &str = "\u{0}plist ";

/// Parses and checks the managed preferences at `path`. Unknown keys come back as warnings.
pub fn parse_managed_preferences(path: &Path, bytes: &[u8]) -> Result<(PolicyFile, Vec<String>)> {
    let source = PolicySource::ManagedPreferences(path.to_owned());
    let plist = plist::Value::from_reader(Cursor::new(bytes))
        .map_err(|error| refusal(&source, &format!("is not a property list ({error})")))?;
    let plist::Value::Dictionary(dictionary) = plist else {
        return Err(refusal(
            &source,
            "holds no dictionary of settings at its top level",
        ));
    };
    let value = serde_json::Value::Object(
        dictionary
            .into_iter()
            // A profile's own bookkeeping (`PayloadUUID`, `PayloadVersion`…) is not a setting.
            .filter(|(key, _)| !key.starts_with("Payload"))
            .map(|(key, value)| (key, to_json(value)))
            .collect(),
    );
    let (known, warnings) = known_keys(&source, &value);
    if let Some((key, kind)) = without_json_type(&known, "") {
        return Err(refusal(
            &source,
            &format!("has a bad value at `{key}`: a {kind}, which no policy key takes"),
        ));
    }
    Ok((typed(&source, &known)?, warnings))
}

fn to_json(value: plist::Value) -> serde_json::Value {
    let no_json_type = |kind: &str| serde_json::Value::String(format!("{NO_JSON_TYPE}{kind}"));
    match value {
        plist::Value::Dictionary(dictionary) => serde_json::Value::Object(
            dictionary
                .into_iter()
                .map(|(key, value)| (key, to_json(value)))
                .collect(),
        ),
        plist::Value::Array(items) => items.into_iter().map(to_json).collect(),
        plist::Value::String(text) => serde_json::Value::String(text),
        plist::Value::Boolean(flag) => serde_json::Value::Bool(flag),
        plist::Value::Integer(number) => number.as_signed().map_or_else(
            || {
                number
                    .as_unsigned()
                    .map_or_else(|| no_json_type("integer"), Into::into)
            },
            Into::into,
        ),
        plist::Value::Real(number) => serde_json::Number::from_f64(number)
            .map_or_else(|| no_json_type("real"), serde_json::Value::Number),
        plist::Value::Data(_) => no_json_type("data value"),
        plist::Value::Date(_) => no_json_type("date"),
        _ => no_json_type("UID or other plist value"),
    }
}

/// The first place in `value` that holds a plist value JSON has no type for, and its kind.
fn without_json_type<'a>(value: &'a serde_json::Value, path: &str) -> Option<(String, &'a str)> {
    match value {
        serde_json::Value::String(text) => text
            .strip_prefix(NO_JSON_TYPE)
            .map(|kind| (path.to_owned(), kind)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| without_json_type(item, &format!("{path}[{index}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            without_json_type(item, &path)
        }),
        serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::clients::SecretMode;

    const PATH: &str = "/Library/Managed Preferences/com.rovomcpsetup.desktop.plist";

    fn plist(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
{body}
</dict>
</plist>
"#
        )
    }

    fn parse(bytes: &[u8]) -> Result<(PolicyFile, Vec<String>)> {
        parse_managed_preferences(Path::new(PATH), bytes)
    }

    #[track_caller]
    fn refused(body: &str) -> String {
        let error = parse(plist(body).as_bytes()).expect_err("the managed preferences are refused");
        assert_eq!(
            error.kind(),
            ErrorKind::InvalidInput,
            "a bad policy is invalid input: {error}"
        );
        assert!(
            error
                .message()
                .contains(&format!("the managed preferences `{PATH}`")),
            "the plist is named: {error}"
        );
        error.message().to_owned()
    }

    #[test]
    fn the_sample_for_jamf_parses_to_the_policy_it_shows() {
        let sample =
            include_bytes!("../../../../../packaging/macos/com.rovomcpsetup.desktop.plist");

        let (file, warnings) = parse(sample).expect("the committed sample is a valid policy");

        assert!(warnings.is_empty(), "every key is known: {warnings:?}");
        assert_eq!(
            file.organization
                .as_ref()
                .map(|organization| organization.name.as_str()),
            Some("Example Corp"),
            "a nested dictionary becomes the organisation"
        );
        assert_eq!(
            file.allowed_auth,
            Some(vec![AuthMethod::Personal]),
            "an array of strings"
        );
        assert_eq!(file.secret_mode, Some(SecretMode::Keychain), "a string");
        assert_eq!(file.reminder_days, Some(21), "an integer");
        assert_eq!(file.start_at_login, Some(true), "a boolean");
    }

    #[test]
    fn a_binary_plist_reads_the_same_as_the_xml_one() {
        // Written by Python's plistlib (FMT_BINARY) from the Jamf sample, as `defaults` or an MDM
        // may leave it on disk.
        let binary =
            include_bytes!("../../../tests/fixtures/policy/managed-preferences-binary.plist");
        let xml = include_bytes!("../../../../../packaging/macos/com.rovomcpsetup.desktop.plist");
        assert!(
            binary.starts_with(b"bplist00"),
            "the fixture is a binary plist"
        );

        let from_binary = parse(binary).expect("a binary plist parses");
        let from_xml = parse(xml).expect("the XML plist parses");

        assert_eq!(
            from_binary, from_xml,
            "both forms give the same policy and warnings"
        );
    }

    #[test]
    fn the_mobileconfig_for_jamf_carries_the_same_settings() {
        let profile =
            include_bytes!("../../../../../packaging/macos/com.rovomcpsetup.desktop.mobileconfig");
        let profile = plist::Value::from_reader(Cursor::new(profile.as_slice()))
            .expect("the profile is a plist");
        let settings = profile
            .as_dictionary()
            .and_then(|profile| profile.get("PayloadContent"))
            .and_then(plist::Value::as_array)
            .and_then(|payloads| payloads.first())
            .and_then(plist::Value::as_dictionary)
            .and_then(|payload| payload.get("PayloadContent"))
            .and_then(plist::Value::as_dictionary)
            .and_then(|domains| domains.get("com.rovomcpsetup.desktop"))
            .and_then(plist::Value::as_dictionary)
            .and_then(|domain| domain.get("Forced"))
            .and_then(plist::Value::as_array)
            .and_then(|forced| forced.first())
            .and_then(plist::Value::as_dictionary)
            .and_then(|forced| forced.get("mcx_preference_settings"))
            .expect("the profile forces settings of our preference domain");
        let mut bytes = Vec::new();
        settings
            .to_writer_xml(&mut bytes)
            .expect("the settings serialise");
        let xml = include_bytes!("../../../../../packaging/macos/com.rovomcpsetup.desktop.plist");

        assert_eq!(
            parse(&bytes).expect("the profile's settings are a valid policy"),
            parse(xml).expect("the sample parses"),
            "the profile and the plist sample set the same policy"
        );
    }

    #[test]
    fn payload_keys_are_not_settings_and_unknown_keys_are_warned() {
        let body = "<key>PayloadUUID</key><string>5E1B…</string>\
                    <key>entryNmae</key><string>typo</string>\
                    <key>clients</key><dict><key>always</key><array/></dict>";

        let (file, warnings) = parse(plist(body).as_bytes()).expect("unknown keys are not fatal");

        assert_eq!(file.entry_name, None, "a misspelt key sets nothing");
        assert_eq!(
            warnings.len(),
            2,
            "each unknown key is warned, the payload's are not: {warnings:?}"
        );
        assert!(
            warnings.iter().all(|warning| warning.contains(PATH)),
            "the plist is named: {warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|warning| warning.contains("`clients.always`")),
            "a nested key is named by its path: {warnings:?}"
        );
    }

    #[test]
    fn a_file_that_is_not_a_plist_is_refused() {
        let error = parse(b"{ \"endpoint\": 1 }").expect_err("JSON is not a plist");
        assert!(
            error.message().contains("is not a property list") && error.message().contains(PATH),
            "{error}"
        );
        let array =
            r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array/></plist>"#;
        let error = parse(array.as_bytes()).expect_err("a list is no settings");
        assert!(
            error.message().contains("holds no dictionary of settings"),
            "{error}"
        );
    }

    #[test]
    fn a_wrong_type_is_refused_naming_the_key() {
        let message = refused("<key>allowedAuth</key><string>personal</string>");
        assert!(message.contains("bad value at `allowedAuth`"), "{message}");
        let message = refused("<key>reminderDays</key><string>21</string>");
        assert!(message.contains("bad value at `reminderDays`"), "{message}");
        let message = refused(
            "<key>clients</key><dict><key>never</key><array><integer>4</integer></array></dict>",
        );
        assert!(
            message.contains("bad value at `clients.never[0]`"),
            "{message}"
        );
        let message = refused("<key>startAtLogin</key><integer>1</integer>");
        assert!(
            message.contains("bad value at `startAtLogin`"),
            "an on/off key takes <true/> or <false/>, not a number: {message}"
        );
        let message = refused("<key>entryName</key><date>2027-01-01T00:00:00Z</date>");
        assert!(
            message.contains("bad value at `entryName`: a date"),
            "a plist type JSON lacks is refused, not turned into text: {message}"
        );
    }

    #[test]
    fn allowing_no_auth_kind_is_refused() {
        let message = refused("<key>allowedAuth</key><array/>");
        assert!(
            message.contains("allows no auth kind at `allowedAuth`"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_client_is_refused_naming_it_and_the_key() {
        let message = refused(
            "<key>clients</key><dict><key>configure</key><array><string>notepad</string></array></dict>",
        );
        assert!(
            message.contains("unknown client `notepad` at `clients.configure`"),
            "{message}"
        );
    }

    #[test]
    fn an_http_endpoint_is_refused() {
        let message = refused("<key>endpoint</key><string>http://mcp.example.com/v1/mcp</string>");
        assert!(message.contains("bad value at `endpoint`"), "{message}");
    }
}
