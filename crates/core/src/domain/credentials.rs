//! Turns what a person typed or pasted into a credential the probe can send (design §2 step 2):
//! trims it, strips a pasted `Basic `/`Bearer ` prefix, unpacks a pasted base64 `email:token`,
//! checks the email, and builds the `Authorization` header itself, so no `echo -n` pitfall can
//! put a newline inside it. It warns, never blocks, when a token does not look scoped.
//!
//! Nothing here ever puts the token into an error, a warning or a `Debug` output.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::domain::auth_method::AuthMethod;
use crate::domain::oauth::{AccessToken, ClientCredentials};
use crate::domain::secrets::{Secret, redact_echoes};
use crate::{Error, ErrorKind, Result};

/// How every scoped API token (personal or service account) starts; classic tokens do not.
pub const SCOPED_TOKEN_PREFIX: &str = "ATATT3";

/// The longest token field accepted, in bytes. A scoped token is about 200 characters and a
/// whole pasted `Basic` header a few hundred; anything far longer is the wrong thing pasted,
/// refused before any work is done on it.
pub const MAX_PASTED_BYTES: usize = 4096;

/// The keychain account under which a service account's key is stored; a personal token is
/// stored under the account's email address.
pub const SERVICE_KEY_ACCOUNT: &str = "service-account";

/// The keychain account name for a credential of `method`: the email of a personal token, the
/// client ID of an OAuth client (`who`), one fixed name for the service key.
pub fn keychain_account(method: AuthMethod, who: Option<&str>) -> String {
    match method {
        AuthMethod::Personal => who.unwrap_or_default().trim().to_lowercase(),
        AuthMethod::Service => SERVICE_KEY_ACCOUNT.to_owned(),
        AuthMethod::ServiceOauth => format!("service-oauth:{}", who.unwrap_or_default().trim()),
    }
}

/// Something about the input that is worth telling the person but does not stop the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CredentialWarning {
    /// The token does not start with `ATATT3`: probably a classic token, which signs in but
    /// unlocks no product tools.
    NotScopedToken,
    /// A whole `Authorization` value (`Basic …` or `Bearer …`) was pasted; only the credential
    /// inside it is used.
    PastedHeaderPrefix,
    /// A base64 `email:token` was pasted; it was unpacked into the email and the token.
    UnpackedBasicPair,
}

impl CredentialWarning {
    /// One sentence for the person.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotScopedToken => {
                "the token does not start with ATATT3, so it is probably a classic token without scopes: it may sign in but unlock no Jira or Confluence tools; create one with \"Create API token with scopes\""
            }
            Self::PastedHeaderPrefix => {
                "a whole Authorization value was pasted; the app used only the credential after the Basic/Bearer prefix"
            }
            Self::UnpackedBasicPair => {
                "a base64 email:token pair was pasted; the app unpacked it into the email and the token"
            }
        }
    }
}

/// A checked credential, ready to send: the method, the account email for a personal token,
/// and the `Authorization` header value the app built itself.
#[derive(Debug)]
pub struct Credential {
    method: AuthMethod,
    email: Option<String>,
    /// The client ID of a service account's OAuth client.
    client_id: Option<String>,
    token: Secret,
    authorization: Secret,
    warnings: Vec<CredentialWarning>,
}

impl Credential {
    pub fn method(&self) -> AuthMethod {
        self.method
    }

    /// The account email of a personal token; `None` for a service-account key.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The client ID of a service account's OAuth client.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The keychain account its secret is kept under: the email's, the OAuth client's, or the
    /// service key's.
    pub fn keychain_account(&self) -> String {
        keychain_account(self.method, self.email().or(self.client_id()))
    }

    /// The cleaned token alone, for the keychain.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// The whole `Authorization` header value, `Basic …` or `Bearer …`.
    pub fn authorization(&self) -> &Secret {
        &self.authorization
    }

    /// What the person should know about the input; never a reason to stop.
    pub fn warnings(&self) -> &[CredentialWarning] {
        &self.warnings
    }

    /// `text` with every echo of this credential replaced by `<redacted>`, for showing text
    /// that came from elsewhere, such as a server's reply: see [`redact_authorization`].
    pub fn redact(&self, text: &str) -> String {
        redact_authorization(self.authorization.expose(), text)
    }
}

/// `text` with every echo of the `Authorization` value `authorization` replaced by
/// `<redacted>`: the whole value, the part after its scheme, and for `Basic` the decoded
/// `email:token` and the token alone, each in every form [`redact_echoes`] finds (any letter
/// case, percent-encoded, JSON-escaped, inside base64). The probe and the bridge both clean
/// what a server sent with it before showing or logging it.
pub fn redact_authorization(authorization: &str, text: &str) -> String {
    let whole = authorization.trim();
    let mut secrets = vec![Zeroizing::new(whole.to_owned())];
    if let Some((scheme, credential)) = whole.split_once(' ') {
        let credential = credential.trim();
        secrets.push(Zeroizing::new(credential.to_owned()));
        if scheme.eq_ignore_ascii_case("basic")
            && let Ok(decoded) = STANDARD.decode(credential)
        {
            let pair = Zeroizing::new(String::from_utf8_lossy(&decoded).into_owned());
            if let Some((_email, token)) = pair.split_once(':') {
                secrets.push(Zeroizing::new(token.to_owned()));
            }
            secrets.push(pair);
        }
    }
    let secrets: Vec<&str> = secrets.iter().map(|secret| secret.as_str()).collect();
    redact_echoes(text, &secrets)
}

/// Whether `bytes` hold the `Authorization` value `authorization` in any form
/// [`redact_authorization`] finds: the whole value, the part after its scheme, the `email:token`
/// pair or the token, as written or encoded. Used to find the backups that hold a credential
/// that is no longer in use.
pub fn holds_authorization(authorization: &str, bytes: &[u8]) -> bool {
    let text = Zeroizing::new(String::from_utf8_lossy(bytes).into_owned());
    let redacted = Zeroizing::new(redact_authorization(authorization, &text));
    *redacted != *text
}

/// Cleans and checks what a person entered for `method` and builds the credential.
///
/// `email` is what was typed in the email field (personal tokens only); `pasted` is the token
/// field, which may also hold a whole `Basic …`/`Bearer …` value or a base64 `email:token`.
///
/// # Errors
/// `invalid_input` with one sentence naming the field: a missing or malformed email, an empty
/// token, a token with a space or line break inside it, a personal pair given for a service
/// key, an email that disagrees with the pasted pair, or a token field longer than
/// [`MAX_PASTED_BYTES`].
pub fn prepare_credential(
    method: AuthMethod,
    email: Option<&str>,
    pasted: &Secret,
) -> Result<Credential> {
    if pasted.expose().len() > MAX_PASTED_BYTES {
        return Err(invalid(format!(
            "the token field holds {} bytes, far more than an API token (about 200 characters); paste the token alone",
            pasted.expose().len()
        )));
    }
    let mut warnings = Vec::new();
    let mut text = pasted.expose().trim();
    let mut pasted_basic = false;
    if let Some(rest) = strip_scheme(text, "basic") {
        pasted_basic = true;
        text = rest;
        warnings.push(CredentialWarning::PastedHeaderPrefix);
    } else if let Some(rest) = strip_scheme(text, "bearer") {
        text = rest;
        warnings.push(CredentialWarning::PastedHeaderPrefix);
    }

    if text.is_empty() {
        check_token(text)?;
    }
    // A scheme word left after the prefix (`Bearer Basic …`) is not a token, and cleaning the
    // result again would strip it: refuse rather than send the word as the secret.
    if !warnings.is_empty()
        && (strip_scheme(text, "basic").is_some() || strip_scheme(text, "bearer").is_some())
    {
        return Err(invalid(
            "the pasted value holds two header schemes (like `Bearer Basic …`); paste the API token alone",
        ));
    }
    let unpacked = unpack_basic_pair(text);
    if pasted_basic && unpacked.is_none() {
        return Err(invalid(
            "the pasted value starts with `Basic ` but what follows is not base64 of email:token; paste the API token alone",
        ));
    }
    let (pair_email, token) = match &unpacked {
        Some((pair_email, token)) => {
            warnings.push(CredentialWarning::UnpackedBasicPair);
            (Some(pair_email.as_str()), token.as_str())
        }
        None => (None, text),
    };
    check_token(token)?;
    if !token.starts_with(SCOPED_TOKEN_PREFIX) {
        warnings.push(CredentialWarning::NotScopedToken);
    }

    let email = match method {
        AuthMethod::Service => {
            if pair_email.is_some() {
                return Err(invalid(
                    "the pasted value is a personal token's email:token pair, not a service-account key; use --auth personal, or paste the service account's API key",
                ));
            }
            None
        }
        AuthMethod::Personal => Some(choose_email(email, pair_email)?),
        AuthMethod::ServiceOauth => {
            return Err(invalid(
                "a service account's OAuth client is not sent as it is: its client ID and secret are exchanged for an access token first (--client-id, with the secret from --token-env or --token-stdin)",
            ));
        }
    };

    let authorization = match &email {
        Some(email) => basic_header(email, token),
        None => Secret::new(format!("Bearer {token}")),
    };
    Ok(Credential {
        method,
        email,
        client_id: None,
        token: Secret::new(token),
        authorization,
        warnings,
    })
}

/// The credential a service account's OAuth client sends: the access token the token endpoint
/// gave for it, as `Bearer`. Its stored secret (`token`) is the client secret, which the
/// keychain keeps; the header is the access token's, which nothing keeps.
pub fn oauth_access(token: &AccessToken, client: &ClientCredentials) -> Credential {
    Credential {
        method: AuthMethod::ServiceOauth,
        email: None,
        client_id: Some(client.client_id().to_owned()),
        token: Secret::new(client.secret().expose()),
        authorization: Secret::new(token.authorization().expose()),
        warnings: Vec::new(),
    }
}

/// Checks an email address the way the sign-in form does: one `@`, something before it, a
/// dotted domain after it, and no spaces or colons.
///
/// # Errors
/// `invalid_input` naming what is wrong.
pub fn check_email(email: &str) -> Result<String> {
    let email = email.trim();
    if email.is_empty() {
        return Err(invalid(
            "the email is empty; a personal API token is sent together with the email of its Atlassian account",
        ));
    }
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
        // A colon cannot travel in Basic's `email:token` pair (RFC 7617), nor is it in real emails.
    }) && !email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == ':');
    if valid {
        Ok(email.to_owned())
    } else if email.contains('@') {
        Err(invalid(format!(
            "`{email}` is not an email address; use the email you sign in to Atlassian with"
        )))
    } else {
        // Without an `@` it may well be the token pasted into the wrong field: never repeat it.
        Err(invalid(
            "what was entered as the email has no `@`, so it is not an email address (it is not \
             repeated here, in case it is the token); use the email you sign in to Atlassian with",
        ))
    }
}

fn choose_email(typed: Option<&str>, from_pair: Option<&str>) -> Result<String> {
    let typed = typed.map(str::trim).filter(|typed| !typed.is_empty());
    match (typed, from_pair) {
        (Some(typed), Some(from_pair)) if !typed.eq_ignore_ascii_case(from_pair) => {
            Err(invalid(format!(
                "the pasted email:token pair is for `{from_pair}` but the email given is `{typed}`; paste the token alone, or give the matching email"
            )))
        }
        (Some(email), _) | (None, Some(email)) => check_email(email),
        (None, None) => Err(invalid(
            "a personal API token needs the email of its Atlassian account (--email)",
        )),
    }
}

/// The rest of `text` after a case-insensitive `scheme` and at least one space.
fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    let head = text.get(..scheme.len())?;
    let rest = &text[scheme.len()..];
    (head.eq_ignore_ascii_case(scheme)
        && (rest.is_empty() || rest.starts_with(char::is_whitespace)))
    .then(|| rest.trim_start())
}

/// `Some((email, token))` when `text` is standard base64 of `email:token` with a valid email.
fn unpack_basic_pair(text: &str) -> Option<(String, Zeroizing<String>)> {
    let decoded = Zeroizing::new(STANDARD.decode(text).ok()?);
    let decoded = std::str::from_utf8(&decoded).ok()?;
    let (email, token) = decoded.split_once(':')?;
    let email = check_email(email).ok()?;
    Some((email, Zeroizing::new(token.to_owned())))
}

fn check_token(token: &str) -> Result<()> {
    if token.is_empty() {
        return Err(invalid(
            "the token is empty; paste the API token Atlassian showed when you created it",
        ));
    }
    if token.chars().any(char::is_whitespace) {
        return Err(invalid(
            "the token has a space or line break inside it; copy it again in one piece",
        ));
    }
    if token.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(invalid(
            "the token has characters no Atlassian token has (non-ASCII or control characters); copy it again from the token page",
        ));
    }
    Ok(())
}

/// `Basic base64(email:token)`, built in buffers that are wiped when dropped.
fn basic_header(email: &str, token: &str) -> Secret {
    let mut pair = Zeroizing::new(String::with_capacity(email.len() + 1 + token.len()));
    pair.push_str(email);
    pair.push(':');
    pair.push_str(token);
    let mut header = String::with_capacity("Basic ".len() + pair.len().div_ceil(3) * 4);
    header.push_str("Basic ");
    STANDARD.encode_string(pair.as_bytes(), &mut header);
    Secret::new(header)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCOPED: &str = "ATATT3xFfGF0-scoped_token=ABCDEF12";
    const EMAIL: &str = "me@example.com";

    fn personal(email: Option<&str>, pasted: &str) -> Result<Credential> {
        prepare_credential(AuthMethod::Personal, email, &Secret::new(pasted))
    }

    fn service(pasted: &str) -> Result<Credential> {
        prepare_credential(AuthMethod::Service, None, &Secret::new(pasted))
    }

    fn basic_of(pair: &str) -> String {
        format!("Basic {}", STANDARD.encode(pair))
    }

    #[track_caller]
    fn assert_invalid(result: Result<Credential>, secret: &str, why: &str) -> String {
        let error = result.expect_err(why);
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{why}");
        assert!(
            secret.is_empty() || !error.message().contains(secret),
            "an error never repeats the token: {}",
            error.message()
        );
        error.message().to_owned()
    }

    #[test]
    fn a_megabyte_pasted_into_the_token_field_is_refused_at_once() {
        let pasted = format!("{SCOPED}{}", "A".repeat(1024 * 1024));
        let started = std::time::Instant::now();
        let message = assert_invalid(
            personal(Some(EMAIL), &pasted),
            &pasted,
            "a megabyte is not a token",
        );
        assert!(
            started.elapsed() < std::time::Duration::from_millis(100),
            "the length is checked before any cleaning: took {:?}",
            started.elapsed()
        );
        assert!(
            message.contains("paste the token alone"),
            "the message says what to do: {message}"
        );
        let longest = format!("{SCOPED}{}", "A".repeat(MAX_PASTED_BYTES - SCOPED.len()));
        assert!(
            service(&longest).is_ok(),
            "a field of exactly MAX_PASTED_BYTES is still accepted"
        );
    }

    #[test]
    fn a_personal_token_becomes_basic_of_email_colon_token() {
        let credential = personal(Some(EMAIL), SCOPED).unwrap();
        assert_eq!(
            credential.authorization().expose(),
            basic_of(&format!("{EMAIL}:{SCOPED}")),
            "personal tokens are sent as Basic base64(email:token), with no trailing newline"
        );
        assert!(
            credential.warnings().is_empty(),
            "a clean scoped token raises no warning: {:?}",
            credential.warnings()
        );
    }

    #[test]
    fn a_service_key_becomes_bearer() {
        let credential = service(SCOPED).unwrap();
        assert_eq!(
            credential.authorization().expose(),
            format!("Bearer {SCOPED}"),
            "service-account keys are sent as Bearer"
        );
        assert_eq!(credential.email(), None, "a service key has no email");
    }

    #[test]
    fn surrounding_whitespace_and_newlines_are_trimmed() {
        let credential =
            personal(Some("  me@example.com\n"), &format!("\n\t {SCOPED} \r\n")).unwrap();
        assert_eq!(
            credential.authorization().expose(),
            basic_of(&format!("{EMAIL}:{SCOPED}")),
            "a newline from a copy or `echo` must not end up inside the header"
        );
    }

    #[test]
    fn a_pasted_bearer_or_basic_prefix_is_stripped_with_a_warning() {
        let credential = service(&format!("Bearer {SCOPED}")).unwrap();
        assert_eq!(
            credential.authorization().expose(),
            format!("Bearer {SCOPED}"),
            "a pasted Bearer prefix is not doubled"
        );
        assert_eq!(
            credential.warnings(),
            [CredentialWarning::PastedHeaderPrefix],
            "the person learns the prefix was dropped"
        );

        let credential = personal(Some(EMAIL), &format!("bearer   {SCOPED}")).unwrap();
        assert_eq!(
            credential.authorization().expose(),
            basic_of(&format!("{EMAIL}:{SCOPED}")),
            "a personal token pasted as Bearer is sent as Basic, the only form that unlocks its tools"
        );
    }

    #[test]
    fn a_pasted_base64_pair_is_unpacked_with_or_without_basic() {
        let header = basic_of(&format!("{EMAIL}:{SCOPED}"));
        for pasted in [header.clone(), header["Basic ".len()..].to_owned()] {
            let credential = personal(None, &pasted).unwrap();
            assert_eq!(
                credential.email(),
                Some(EMAIL),
                "the email comes from the pair"
            );
            assert_eq!(
                credential.authorization().expose(),
                header,
                "the pair is re-encoded to the same header"
            );
            assert!(
                credential
                    .warnings()
                    .contains(&CredentialWarning::UnpackedBasicPair),
                "the person learns the pair was unpacked"
            );
        }
    }

    #[test]
    fn a_pair_for_another_email_is_refused() {
        let pasted = basic_of(&format!("other@example.com:{SCOPED}"));
        let message = assert_invalid(
            personal(Some(EMAIL), &pasted),
            SCOPED,
            "two different emails cannot both be right",
        );
        assert!(
            message.contains("other@example.com"),
            "the message names the pasted email: {message}"
        );
    }

    #[test]
    fn a_pair_for_a_service_key_is_refused() {
        assert_invalid(
            service(&basic_of(&format!("{EMAIL}:{SCOPED}"))),
            SCOPED,
            "a personal pair is not a service key",
        );
    }

    #[test]
    fn basic_followed_by_something_that_is_not_a_pair_is_refused() {
        assert_invalid(
            personal(Some(EMAIL), "Basic not-base64!"),
            "not-base64!",
            "Basic must carry base64 of email:token",
        );
    }

    #[test]
    fn empty_or_whitespace_tokens_are_refused() {
        for pasted in ["", "   ", "\n\t", "Bearer   ", "Basic"] {
            let message = assert_invalid(
                personal(Some(EMAIL), pasted),
                "",
                "an empty token can never sign in",
            );
            assert!(message.contains("empty"), "the message says why: {message}");
        }
    }

    #[test]
    fn a_token_with_an_inner_space_or_newline_is_refused() {
        for pasted in ["ATATT3abc def", "ATATT3abc\ndef", "ATATT3abc\u{a0}def"] {
            let message = assert_invalid(
                service(pasted),
                "ATATT3abc",
                "a token is one piece; a space means a bad copy",
            );
            assert!(
                message.contains("space or line break"),
                "the message says what to fix: {message}"
            );
        }
    }

    #[test]
    fn a_token_with_control_or_non_ascii_characters_is_refused() {
        assert_invalid(
            service("ATATT3abc\u{7}def"),
            "ATATT3abc",
            "control characters cannot go into a header",
        );
        assert_invalid(
            service("ATATT3abcédef"),
            "ATATT3abc",
            "non-ASCII cannot go into a header",
        );
    }

    #[test]
    fn bad_emails_are_refused_with_the_reason() {
        for email in [
            "me.example.com",
            "@example.com",
            "me@",
            "me@example",
            "me@.com",
            "me@example.",
            "me@@example.com",
            "me @example.com",
        ] {
            let message = assert_invalid(
                personal(Some(email), SCOPED),
                SCOPED,
                "the email must be an address",
            );
            assert!(
                message.contains("not an email address"),
                "{email}: the message says what is wrong: {message}"
            );
        }
        let message = assert_invalid(
            personal(None, SCOPED),
            SCOPED,
            "a personal token needs an email",
        );
        assert!(
            message.contains("--email"),
            "the message names the flag: {message}"
        );
        assert_invalid(
            personal(Some("   "), SCOPED),
            SCOPED,
            "a blank email is no email",
        );
    }

    #[test]
    fn an_unscoped_token_warns_but_is_accepted() {
        let credential = personal(Some(EMAIL), "abcdefghij0123456789abcd").unwrap();
        assert_eq!(
            credential.warnings(),
            [CredentialWarning::NotScopedToken],
            "a classic-looking token is checked anyway, with a warning"
        );
    }

    #[test]
    fn redact_hides_every_form_of_the_secret() {
        let credential = personal(Some(EMAIL), SCOPED).unwrap();
        let header = credential.authorization().expose().to_owned();
        let pair = &header["Basic ".len()..];
        let echoes = [
            SCOPED.to_owned(),
            header.clone(),
            pair.to_owned(),
            format!("{EMAIL}:{SCOPED}"),
            header.replace(' ', "%20").replace('=', "%3D"),
            header.replace(' ', "+").replace('=', "%3d"),
            STANDARD.encode(&header).trim_end_matches('=').to_owned(),
            STANDARD.encode(SCOPED),
            STANDARD.encode(format!("{{\"authorization\":\"{header}\"}}")),
            SCOPED.to_lowercase(),
            header.to_uppercase(),
            serde_json::to_string(&header).unwrap().replace('/', "\\/"),
        ];
        for echo in echoes {
            let redacted = credential.redact(&format!("401: you sent {echo}."));
            for secret in [SCOPED, pair] {
                assert!(
                    !redacted.to_lowercase().contains(&secret.to_lowercase()),
                    "server text that echoes the credential is shown without it: {redacted}"
                );
            }
            assert!(
                redacted.starts_with("401: you sent ") && redacted.contains("<redacted>"),
                "the text around the echo stays: {redacted}"
            );
        }
    }

    #[test]
    fn a_bearer_key_is_redacted_and_the_scheme_word_stays() {
        assert_eq!(
            redact_authorization(
                "Bearer ATSTTkey-0123456789",
                "the key atsttkey-0123456789 was refused by Bearer auth"
            ),
            "the key <redacted> was refused by Bearer auth",
            "the key goes, in any case; the scheme word stays"
        );
    }

    #[test]
    fn the_keychain_account_is_the_email_or_the_service_account() {
        assert_eq!(
            keychain_account(AuthMethod::Personal, Some(" Me@Example.com ")),
            "me@example.com",
            "one entry per Atlassian account, whatever the case typed"
        );
        assert_eq!(
            keychain_account(AuthMethod::Service, None),
            SERVICE_KEY_ACCOUNT
        );
    }

    #[test]
    fn a_token_pasted_into_the_email_field_is_refused_without_repeating_it() {
        let pasted = "ATATT3xFfGF0-pasted-into-the-wrong-field";
        let refused = check_email(pasted).expect_err("a token is not an email");
        assert_eq!(refused.kind(), ErrorKind::InvalidInput);
        assert!(
            !refused.message().contains(pasted),
            "the refusal never repeats what may be a token: {}",
            refused.message()
        );
        assert!(
            check_email("me:you@example.com").is_err(),
            "a colon would split Basic's email:token pair in the wrong place"
        );
        let typo = check_email("me@example").expect_err("no dotted domain");
        assert!(
            typo.message().contains("me@example"),
            "an email with a typo is named, to be fixed: {}",
            typo.message()
        );
    }

    #[test]
    fn two_header_schemes_in_a_row_are_refused_rather_than_sent_as_the_token() {
        for pasted in ["\n\tBearer Basic ", "Bearer bearer", "Basic Bearer abc"] {
            let refused = prepare_credential(AuthMethod::Service, None, &Secret::new(pasted))
                .expect_err("a scheme word is not a token");
            assert_eq!(refused.kind(), ErrorKind::InvalidInput, "{pasted:?}");
        }
        let token = prepare_credential(AuthMethod::Service, None, &Secret::new("Bearer Basically"))
            .expect("a token that merely starts like a scheme word is a token");
        assert_eq!(token.token().expose(), "Basically");
    }
}
