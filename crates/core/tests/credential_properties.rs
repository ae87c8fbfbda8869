//! Property tests of the credential cleaner (design §2 step 2): whatever is pasted, cleaning
//! never panics; surrounding whitespace and a pasted `Basic `/`Bearer ` prefix are stripped; a
//! base64 `email:token` is unpacked; cleaning what came out changes nothing; and the token
//! never shows in an error message or in any `Debug` output. The invariants the fuzz target
//! checks too come from `rovo_mcp_invariants::credentials`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use proptest::sample::select;
use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::credentials::{CredentialWarning, prepare_credential};
use rovo_mcp_core::domain::secrets::Secret;
use rovo_mcp_invariants::credentials::{check_cleaning, check_secrets_never_shown};

/// A scoped token, or a classic one (which has a `_`, so it is never base64 of anything).
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        "ATATT3[A-Za-z0-9_=-]{12,60}",
        "[A-Za-z0-9]{8,20}_[A-Za-z0-9]{4,12}"
    ]
}

fn email() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9.+]{0,10}@[a-z]{1,10}\\.[a-z]{2,5}"
}

fn whitespace() -> impl Strategy<Value = String> {
    "[ \t\r\n]{0,4}"
}

fn method() -> impl Strategy<Value = AuthMethod> {
    select(vec![AuthMethod::Personal, AuthMethod::Service])
}

fn basic_pair(email: &str, token: &str) -> String {
    STANDARD.encode(format!("{email}:{token}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Arbitrary text in both fields is cleaned or refused with `invalid_input`, never a panic.
    #[test]
    fn any_input_is_cleaned_or_refused(
        method in method(),
        email in proptest::option::of(any::<String>()),
        pasted in any::<String>(),
    ) {
        check_cleaning(method, email.as_deref(), &pasted);
    }

    /// Whitespace around either field and a pasted `Bearer ` prefix go; the header is built
    /// from the token alone.
    #[test]
    fn whitespace_and_a_bearer_prefix_are_stripped(
        method in method(),
        token in token(),
        email in email(),
        before in whitespace(),
        after in whitespace(),
        prefix in select(vec!["", "Bearer ", "bearer\t", "BEARER  "]),
    ) {
        let pasted = format!("{before}{prefix}{token}{after}");
        let typed = format!("{after}{email}{before}");
        let credential = prepare_credential(method, Some(&typed), &Secret::new(pasted))
            .map_err(|error| TestCaseError::fail(error.message().to_owned()))?;
        prop_assert_eq!(credential.token().expose(), token.as_str(), "the token is what was pasted, cleaned");
        let expected = match method {
            AuthMethod::Personal => format!("Basic {}", basic_pair(&email, &token)),
            AuthMethod::Service => format!("Bearer {token}"),
            AuthMethod::ServiceOauth => unreachable!("the strategy gives the methods whose token is sent as pasted"),
        };
        prop_assert_eq!(credential.authorization().expose(), expected.as_str(), "the header is built by the app");
        prop_assert_eq!(
            credential.warnings().contains(&CredentialWarning::PastedHeaderPrefix),
            !prefix.is_empty(),
            "the person learns when a prefix was dropped"
        );
    }

    /// A pasted base64 `email:token`, with or without `Basic `, gives back the email and token.
    #[test]
    fn a_base64_pair_is_unpacked(
        token in token(),
        email in email(),
        typed_email in any::<bool>(),
        prefix in select(vec!["", "Basic ", "basic\t"]),
        around in whitespace(),
    ) {
        let pasted = format!("{around}{prefix}{}{around}", basic_pair(&email, &token));
        let typed = typed_email.then_some(email.as_str());
        let credential = prepare_credential(AuthMethod::Personal, typed, &Secret::new(pasted))
            .map_err(|error| TestCaseError::fail(error.message().to_owned()))?;
        prop_assert_eq!(credential.email(), Some(email.as_str()), "the email comes from the pair");
        prop_assert_eq!(credential.token().expose(), token.as_str(), "the token comes from the pair");
        prop_assert!(
            credential.warnings().contains(&CredentialWarning::UnpackedBasicPair),
            "the person learns the pair was unpacked"
        );
    }

    /// Cleaning a cleaned credential again, from its token or its whole header, changes nothing.
    #[test]
    fn cleaning_is_idempotent(
        method in method(),
        email in proptest::option::of(any::<String>()),
        pasted in prop_oneof![any::<String>(), token()],
    ) {
        check_cleaning(method, email.as_deref(), &pasted);
    }

    /// Whatever goes wrong around a token, neither the error nor any `Debug` output shows it.
    #[test]
    fn the_token_never_shows_in_errors_or_debug_output(
        method in method(),
        token in token(),
        email in email(),
        email_field in proptest::option::of(select(vec!["", "not-an-email", "other@example.com"])),
        damage in select(vec!["", " inner", "\ninner", "\u{7}", "é", "\u{a0}x"]),
        prefix in select(vec!["", "Bearer ", "Basic "]),
        pair in any::<bool>(),
    ) {
        let core = if pair { basic_pair(&email, &token) } else { token.clone() };
        let pasted = format!("{prefix}{core}{damage}");
        let email_field = email_field.map_or_else(|| email.clone(), str::to_owned);
        check_secrets_never_shown(
            method,
            Some(&email_field),
            &pasted,
            &[&token, &basic_pair(&email, &token)],
        );
    }
}
