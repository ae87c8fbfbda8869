//! Masks every secret-looking value in config text before it is shown (the preview's diff, a
//! parser's message): ours or another server's, in JSON, JSONC, TOML and YAML.
//!
//! A value is secret when its key names one (`Authorization`, `X-Api-Key`, `*token*`,
//! `*secret*`, `*password*`, `api_key`…), when a string reads `Header-Name: value` or
//! `name=value` with such a name (`mcp-remote --header` arguments, query strings), when it is a
//! URL's password, or when it follows `Basic `/`Bearer ` anywhere. The text is read line by
//! line, without parsing: a preview must mask what a parser would refuse too. Masking more than
//! needed only hides a value from a screen; masking less shows a secret, so every doubt masks.

/// What a secret value is shown as.
const MASK: &str = "••••••••";

/// Words that make a key name a secret, compared without case and without `-`, `_` or spaces.
const SECRET_WORDS: [&str; 10] = [
    "auth",
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "credential",
    "cookie",
    "privatekey",
    "accesskey",
];

/// Schemes kept in front of a masked header value, so the preview still tells them apart.
const SCHEMES: [&str; 3] = ["Basic", "Bearer", "Token"];

/// `text` with every secret value replaced by a mask; everything else, line breaks included,
/// as it was.
pub(super) fn mask_secrets(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut open = Open::Nothing;
    for line in text.split_inclusive('\n') {
        let (body, ending) = split_ending(line);
        let (shown, next) = match open {
            Open::BlockScalar { indent } if continues_block(body, indent) => {
                (mask_whole_line(body), open)
            }
            Open::MultilineString(delimiter) => match body.find(delimiter) {
                Some(end) => (format!("{MASK}{}", &body[end..]), Open::Nothing),
                None => (mask_whole_line(body), open),
            },
            Open::BlockScalar { .. } | Open::Nothing => mask_line(body),
        };
        masked.push_str(&shown);
        masked.push_str(ending);
        open = next;
    }
    mask_schemes(&masked)
}

/// A secret value that goes on past the end of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    /// A YAML `key: |` or `key: >` block under a secret key, on a line indented this much.
    BlockScalar {
        indent: usize,
    },
    /// A TOML `"""` or `'''` string under a secret key.
    MultilineString(&'static str),
}

fn split_ending(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, &line[body.len()..])
}

fn indentation(body: &str) -> usize {
    body.len() - body.trim_start_matches([' ', '\t']).len()
}

fn continues_block(body: &str, indent: usize) -> bool {
    body.trim().is_empty() || indentation(body) > indent
}

fn mask_whole_line(body: &str) -> String {
    if body.trim().is_empty() {
        body.to_owned()
    } else {
        format!("{}{MASK}", &body[..indentation(body)])
    }
}

/// Whether a key names a secret. A dotted TOML key is judged by its last part; a key naming an
/// environment variable (Codex's `bearer_token_env_var`) holds a name, not a secret.
fn is_secret_name(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    let normalized: String = last
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    !normalized.ends_with("envvar") && SECRET_WORDS.iter().any(|word| normalized.contains(word))
}

/// One line with its secret values masked, and what it leaves open for the next lines.
fn mask_line(body: &str) -> (String, Open) {
    let bytes = body.as_bytes();
    let mut line = Line {
        body,
        shown: String::with_capacity(body.len()),
        copied: 0,
        open: Open::Nothing,
    };
    let mut flow_depth = 0_usize;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii_whitespace() || matches!(byte, b',' | b':' | b'=') {
            at += 1;
            continue;
        }
        if byte == b'#' || body[at..].starts_with("//") {
            break;
        }
        if matches!(byte, b'{' | b'[') {
            flow_depth += 1;
            at += 1;
            continue;
        }
        if matches!(byte, b'}' | b']') {
            flow_depth = flow_depth.saturating_sub(1);
            at += 1;
            continue;
        }
        let (name, token_end, quoted) = if matches!(byte, b'"' | b'\'') {
            let end = quoted_end(body, at);
            ((at + 1, end.saturating_sub(1).max(at + 1)), end, true)
        } else {
            let end = bare_end(bytes, at);
            ((at, end), end, false)
        };
        let after_token = skip_spaces(bytes, token_end);
        if after_token < bytes.len() && matches!(bytes[after_token], b':' | b'=') {
            let secret = is_secret_name(&body[name.0..name.1]);
            at = line.value(secret, skip_spaces(bytes, after_token + 1), flow_depth > 0);
        } else {
            if quoted && let Some(masked) = mask_embedded(&body[name.0..name.1]) {
                line.replace(name.0, name.1, &masked);
            }
            at = token_end;
        }
    }
    line.shown.push_str(&body[line.copied..]);
    (line.shown, line.open)
}

/// A line being masked: what is shown so far, up to `copied` in `body`.
struct Line<'a> {
    body: &'a str,
    shown: String,
    copied: usize,
    open: Open,
}

impl Line<'_> {
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        self.shown.push_str(&self.body[self.copied..start]);
        self.shown.push_str(with);
        self.copied = end;
    }

    /// Masks the value of a key starting at `start` when it is a secret (`secret`) or carries
    /// one; returns where scanning goes on. A flow collection is scanned into, for its keys.
    fn value(&mut self, secret: bool, start: usize, in_flow: bool) -> usize {
        let body = self.body;
        let bytes = body.as_bytes();
        if start >= bytes.len() || bytes[start] == b'#' {
            return start;
        }
        if let Some(delimiter) = ["\"\"\"", "'''"]
            .into_iter()
            .find(|delimiter| body[start..].starts_with(delimiter))
        {
            return self.multiline_string(secret, start + 3, delimiter);
        }
        match bytes[start] {
            b'"' | b'\'' => {
                let end = quoted_end(body, start);
                let inner = (start + 1, end.saturating_sub(1).max(start + 1));
                let text = &body[inner.0..inner.1];
                let masked = if secret {
                    masked_value(text)
                } else {
                    mask_embedded(text)
                };
                if let Some(masked) = masked {
                    self.replace(inner.0, inner.1, &masked);
                }
                end
            }
            b'{' | b'[' => start,
            b'|' | b'>' => {
                if secret {
                    self.open = Open::BlockScalar {
                        indent: indentation(body),
                    };
                }
                body.len()
            }
            _ => {
                let end = plain_end(body, start, in_flow);
                let value = body[start..end].trim_end();
                let masked = if secret && !is_plain_non_string(value) {
                    masked_value(value)
                } else {
                    mask_embedded(value)
                };
                if let Some(masked) = masked {
                    self.replace(start, start + value.len(), &masked);
                }
                end
            }
        }
    }

    /// A TOML `"""` or `'''` string whose text starts at `inner_start`: masked when `secret`,
    /// up to its end on this line or on a later one.
    fn multiline_string(
        &mut self,
        secret: bool,
        inner_start: usize,
        delimiter: &'static str,
    ) -> usize {
        let body = self.body;
        if let Some(length) = body[inner_start..].find(delimiter) {
            if secret {
                self.replace(inner_start, inner_start + length, MASK);
            }
            inner_start + length + delimiter.len()
        } else {
            if secret {
                self.replace(inner_start, body.len(), MASK);
                self.open = Open::MultilineString(delimiter);
            }
            body.len()
        }
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\r') {
        at += 1;
    }
    at
}

/// The index just past the string opened by the quote at `start` (the line's end when it is
/// not closed). Double quotes take backslash escapes; single quotes double themselves (YAML).
fn quoted_end(body: &str, start: usize) -> usize {
    let bytes = body.as_bytes();
    let quote = bytes[start];
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            byte if byte == quote => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

fn bare_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    while at < bytes.len()
        && !bytes[at].is_ascii_whitespace()
        && !matches!(
            bytes[at],
            b':' | b'=' | b',' | b'{' | b'}' | b'[' | b']' | b'"' | b'\''
        )
    {
        at += 1;
    }
    at.max(start + 1)
}

/// Where an unquoted value ends: at a comment; at `,`, `}` or `]` in a flow collection or
/// after a JSON number or literal (`"timeout": 30, "token": "…"` holds a second key).
fn plain_end(body: &str, start: usize, in_flow: bool) -> usize {
    let bytes = body.as_bytes();
    let mut at = start;
    while at < bytes.len() {
        let comment = bytes[at] == b'#' && at > start && bytes[at - 1].is_ascii_whitespace();
        let closes = matches!(bytes[at], b',' | b'}' | b']')
            && (in_flow || is_plain_non_string(body[start..at].trim()));
        if comment || closes {
            break;
        }
        at += 1;
    }
    at
}

/// Numbers, booleans and nulls are settings, not secrets (`maxTokens: 4096`).
fn is_plain_non_string(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off"
    ) || value.parse::<f64>().is_ok()
}

/// The mask for a secret value, keeping a known scheme in front; `None` when there is nothing
/// to hide: an empty value or a reference to where the secret is kept (`${input:…}`,
/// `${env:X}`, `$X`, `{env:X}`), which the preview should show.
fn masked_value(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let (scheme, credential) = SCHEMES
        .iter()
        .find_map(|scheme| {
            let rest = trimmed.get(scheme.len()..)?;
            (trimmed[..scheme.len()].eq_ignore_ascii_case(scheme) && rest.starts_with(' '))
                .then(|| (&trimmed[..=scheme.len()], rest.trim_start()))
        })
        .unwrap_or(("", trimmed));
    if credential.is_empty() || is_reference(credential) || credential == MASK {
        return None;
    }
    Some(format!("{scheme}{MASK}"))
}

fn is_reference(value: &str) -> bool {
    let braced = |open: &str| {
        value
            .strip_prefix(open)
            .and_then(|rest| rest.strip_suffix('}'))
            .is_some_and(|inside| !inside.contains('}'))
    };
    let variable = value.strip_prefix('$').is_some_and(|name| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    braced("${") || braced("{env:") || variable
}

/// A value that is not under a secret key but may carry one inside: `X-Api-Key: abc` or
/// `--api-key=abc` (command arguments), a URL's query or password. `None` when nothing in it
/// needs masking.
fn mask_embedded(value: &str) -> Option<String> {
    if let Some((name, rest)) = header_like(value, ':').or_else(|| header_like(value, '='))
        && is_secret_name(name)
    {
        let separator_end = value.len() - rest.len();
        return masked_value(rest).map(|masked| format!("{}{masked}", &value[..separator_end]));
    }
    mask_url(value)
}

/// `name` and the text after `separator` when `value` reads `name<separator>text`, with a name
/// made of header or flag characters.
fn header_like(value: &str, separator: char) -> Option<(&str, &str)> {
    let (name, rest) = value.split_once(separator)?;
    let name = name.trim().trim_start_matches('-');
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (is_name && !rest.starts_with("//")).then_some((name, rest))
}

/// A URL with its password and secret query values masked; `None` when it has neither.
fn mask_url(value: &str) -> Option<String> {
    let scheme_end = value.find("://")? + 3;
    let mut masked = value.to_owned();
    let authority_end = value[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(value.len(), |end| scheme_end + end);
    let mut changed = false;
    if let Some(at) = value[scheme_end..authority_end].rfind('@')
        && let Some(colon) = value[scheme_end..scheme_end + at].find(':')
        && colon + 1 < at
    {
        masked.replace_range(scheme_end + colon + 1..scheme_end + at, MASK);
        changed = true;
    }
    if let Some(query_start) = masked.find('?') {
        let (path, query) = masked.split_at(query_start + 1);
        let (query, fragment) = query.split_at(query.find('#').unwrap_or(query.len()));
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((name, secret)) if is_secret_name(name) && !secret.is_empty() => {
                    changed = true;
                    format!("{name}={MASK}")
                }
                _ => parameter.to_owned(),
            })
            .collect();
        masked = format!("{path}{}{fragment}", parameters.join("&"));
    }
    changed.then_some(masked)
}

/// Replaces the credential after every `Basic ` and `Bearer ` with a mask, wherever it is: the
/// net under the rules above (a comment, an argument list, a value split over lines).
fn mask_schemes(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["Basic ", "Bearer "]
            .iter()
            .filter_map(|scheme| rest.find(scheme).map(|at| (at, scheme.len())))
            .min();
        let Some((at, scheme_len)) = next else {
            masked.push_str(rest);
            return masked;
        };
        let value_start = at + scheme_len;
        masked.push_str(&rest[..value_start]);
        let value_len = rest[value_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=-_.~".contains(c)))
            .unwrap_or(rest.len() - value_start);
        if value_len > 0 {
            masked.push_str(MASK);
        }
        rest = &rest[value_start + value_len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_bearer_values_are_masked_anywhere() {
        assert_eq!(
            mask_secrets("\"Authorization\": \"Basic ZTp0==\",\nx: Bearer abc.def\n"),
            "\"Authorization\": \"Basic ••••••••\",\nx: Bearer ••••••••\n",
            "the scheme stays, the credential goes"
        );
    }

    #[test]
    fn json_header_values_of_every_server_are_masked() {
        let text = r#"{
  "mcpServers": {
    "github": { "url": "https://api.github.com/mcp", "headers": { "X-Api-Key": "ghp_123", "Authorization": "token abc" } },
    "other": {
      "env": { "SLACK_BOT_TOKEN": "xoxb-1", "DB_PASSWORD": "hunter2", "client_secret": "s3" },
      "timeout": 30, "maxTokens": 4096, "name": "other"
    }
  }
}
"#;
        let masked = mask_secrets(text);
        for secret in ["ghp_123", "abc", "xoxb-1", "hunter2", "s3\""] {
            assert!(!masked.contains(secret), "`{secret}` is masked: {masked}");
        }
        for kept in [
            "https://api.github.com/mcp",
            "\"timeout\": 30",
            "\"maxTokens\": 4096",
            "\"name\": \"other\"",
            "\"Authorization\": \"token ••••••••\"",
        ] {
            assert!(masked.contains(kept), "`{kept}` is still shown: {masked}");
        }
        assert_eq!(
            masked.lines().count(),
            text.lines().count(),
            "the lines stay, so the diff lines up"
        );
    }

    #[test]
    fn toml_header_values_are_masked_in_tables_and_inline_tables() {
        let text = "[mcp_servers.linear]\nurl = \"https://mcp.linear.app/mcp\"\nhttp_headers = { Authorization = \"Bearer lin_1\", \"X-Api-Key\" = 'k2' }\nbearer_token_env_var = \"LINEAR_TOKEN\"\n\n[mcp_servers.linear.env]\nAPI_KEY = \"k3\"\nmcp_servers.x.token = \"\"\"k4\"\"\"\n";
        let masked = mask_secrets(text);
        for secret in ["lin_1", "k2", "k3", "k4"] {
            assert!(!masked.contains(secret), "`{secret}` is masked: {masked}");
        }
        assert!(
            masked.contains("bearer_token_env_var = \"LINEAR_TOKEN\""),
            "the name of a variable is not a secret: {masked}"
        );
    }

    #[test]
    fn yaml_values_are_masked_plain_quoted_in_flow_and_in_blocks() {
        let text = "extensions:\n  jira:\n    headers:\n      X-Api-Key: plain-k1\n      Authorization: 'Bearer k2'\n    env: {GITHUB_TOKEN: k3, LOG: debug}\n    password: |\n      k4-line-one\n      k4-line-two\n    timeout: 300\n";
        let masked = mask_secrets(text);
        for secret in ["k1", "k2", "k3", "k4"] {
            assert!(!masked.contains(secret), "`{secret}` is masked: {masked}");
        }
        assert!(masked.contains("LOG: debug"), "{masked}");
        assert!(
            masked.contains("    timeout: 300"),
            "the block ends where the indentation does: {masked}"
        );
    }

    #[test]
    fn secrets_inside_arguments_and_urls_are_masked() {
        let text = r#"{ "args": ["-y", "mcp-remote", "https://me:pw1@host/sse?api_key=k2&team=a", "--header", "X-Api-Key: k3", "--token=k4", "Authorization:${AUTH_HEADER}"] }"#;
        let masked = mask_secrets(text);
        for secret in ["pw1", "k2", "k3", "k4"] {
            assert!(!masked.contains(secret), "`{secret}` is masked: {masked}");
        }
        for kept in ["team=a", "Authorization:${AUTH_HEADER}", "\"--header\""] {
            assert!(masked.contains(kept), "`{kept}` is still shown: {masked}");
        }
    }

    #[test]
    fn references_to_where_a_secret_is_kept_are_shown() {
        let text = "{ \"headers\": { \"Authorization\": \"${input:atlassian-rovo-mcp-authorization}\", \"X-Api-Key\": \"{env:KEY}\", \"Cookie\": \"\" } }";
        assert_eq!(
            mask_secrets(text),
            text,
            "a reference holds no secret and tells the person where it is"
        );
    }

    #[test]
    fn key_names_are_judged_by_their_words() {
        for secret in [
            "Authorization",
            "X-Api-Key",
            "api_key",
            "apiKey",
            "GITHUB_TOKEN",
            "clientSecret",
            "DB_PASSWORD",
            "Proxy-Authorization",
            "http_headers.Authorization",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for setting in ["url", "command", "type", "timeout", "bearer_token_env_var"] {
            assert!(!is_secret_name(setting), "{setting}");
        }
    }
}
