//! The invariants of the credential cleaner (design §2 step 2): whatever is typed or pasted is
//! cleaned or refused as the person's to fix, cleaning what came out changes nothing, and the
//! token never shows in an error message or in any `Debug` output.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rovo_mcp_core::ErrorKind;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::prepare_credential;
use rovo_mcp_core::domain::secrets::Secret;

/// The fuzz target's input: the fields as typed, and a token-shaped secret put into the token
/// field in one of the ways people paste it.
#[derive(Debug, arbitrary::Arbitrary)]
pub struct CredentialInput {
    service: bool,
    email: Option<String>,
    typed: String,
    token_body: String,
    wrapping: u8,
    damage: String,
}

/// Cleans the fields as typed, then a token pasted bare, after `Bearer ` or `Basic `, or as a
/// base64 `email:token`, followed by any damage: see [`check_cleaning`] and
/// [`check_secrets_never_shown`].
pub fn check_credential(input: &CredentialInput) {
    let method = if input.service {
        AuthMethod::Service
    } else {
        AuthMethod::Personal
    };
    let email = input.email.as_deref();
    check_cleaning(method, email, &input.typed);

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
    check_secrets_never_shown(method, email, &pasted, &[&token, &pair]);
}

/// Cleans `pasted` with `email`: never a panic, a refusal is `invalid_input` (the person's to
/// fix), and cleaning the result again, from its token or from its whole header, gives the same
/// header and email.
pub fn check_cleaning(method: AuthMethod, email: Option<&str>, pasted: &str) {
    let first = match prepare_credential(method, email, &Secret::new(pasted.to_owned())) {
        Ok(credential) => credential,
        Err(error) => {
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidInput,
                "a bad input is the person's to fix: {}",
                error.message()
            );
            return;
        }
    };
    for (pasted_again, what) in [(first.token(), "token"), (first.authorization(), "header")] {
        let again = prepare_credential(method, first.email(), pasted_again)
            .unwrap_or_else(|error| panic!("a cleaned {what} cleans again: {error}"));
        assert_eq!(
            again.authorization().expose(),
            first.authorization().expose(),
            "the {what} pasted back gives the same header"
        );
        assert_eq!(
            again.email(),
            first.email(),
            "with the {what} pasted back, the email cleans to itself"
        );
    }
}

/// Cleans `pasted`, which holds each of `secrets` in some form: whether it is cleaned or
/// refused, none of them shows in the credential's `Debug` output, nor in a refusal's message,
/// `Display` or `Debug` output.
pub fn check_secrets_never_shown(
    method: AuthMethod,
    email: Option<&str>,
    pasted: &str,
    secrets: &[&str],
) {
    let shown = match prepare_credential(method, email, &Secret::new(pasted.to_owned())) {
        Ok(credential) => vec![format!("{credential:?}")],
        Err(error) => vec![
            error.message().to_owned(),
            error.to_string(),
            format!("{error:?}"),
        ],
    };
    for text in &shown {
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "the token never shows in an error or a Debug output: {text}"
            );
        }
    }
}
