//! `rovo-mcp-setup rotate`: takes a new secret, checks it, and only if the check says `ok`
//! replaces the keychain item and rewrites every entry that carries the header inline (design
//! §7). Entries that ask for the secret themselves get instructions. A failing new secret
//! changes nothing anywhere.

use std::fmt::Write as _;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use super::credential_args::CredentialArgs;
use super::output::{Output, no_home};
use super::validate::{
    Checked, SESSION_CLOSE_GRACE, check, current_policy, human_summary, network_runtime,
};
use crate::domain::clients::ClientEnvironment;
use crate::domain::probe::{ProbeReport, Verdict};
use crate::domain::secrets::OsKeychain;
use crate::plumbing::state::StateFile;
use crate::use_cases::setup::{self, RotateOutcome};
use crate::{Error, ErrorKind};

/// Check a new secret, then put it in the keychain and every configured client.
#[derive(Debug, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// The MCP endpoint (default: the policy's, else `$ROVO_MCP_ENDPOINT`, else the one on
    /// record, else Atlassian's).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The new token's expiry date (YYYY-MM-DD), so the app can remind before it.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<NaiveDate>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// The deadline for the check, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RotateReport<'a> {
    verdict: Verdict,
    validation: &'a ProbeReport,
    #[serde(flatten)]
    outcome: Option<&'a RotateOutcome>,
}

/// Runs `rotate` and returns the exit code.
pub fn main(args: &RotateArgs) -> u8 {
    let Some(environment) = ClientEnvironment::current() else {
        return no_home(args.json).print();
    };
    if !args.credential.gives_secret() {
        let error = Error::new(
            ErrorKind::InvalidInput,
            "rotate needs the new secret: pass it with --token-env VAR or --token-stdin",
        );
        return Output::error(&error, args.json).print();
    }
    let policy = match current_policy() {
        Ok(policy) => policy,
        Err(error) => return Output::error(&error, args.json).print(),
    };
    let state = StateFile::for_environment(&environment);
    let recorded = match state.load() {
        Ok(recorded) => recorded,
        Err(error) => return Output::error(&error, args.json).print(),
    };
    // The email and endpoint on record stand in for flags that were not given.
    let mut credential_args = args.credential.clone();
    let on_record = recorded.credential.as_ref();
    if credential_args.email.is_none() && on_record.is_some_and(|c| c.auth == credential_args.auth)
    {
        credential_args.email = on_record.and_then(|credential| credential.email.clone());
    }
    // So do the OAuth client's ID and token endpoint: a new secret is for the same client.
    let client_on_record = on_record
        .filter(|credential| credential.auth == credential_args.auth)
        .and_then(|credential| credential.oauth.as_ref());
    if let Some(client) = client_on_record {
        credential_args
            .client_id
            .get_or_insert_with(|| client.client_id.clone());
        if credential_args.token_url.is_none() {
            credential_args.token_url.clone_from(&client.token_url);
        }
    }

    let runtime = match network_runtime() {
        Ok(runtime) => runtime,
        Err(error) => return Output::error(&error, args.json).print(),
    };
    let Checked {
        report,
        session_close,
        input,
    } = runtime.block_on(check(
        &credential_args,
        args.endpoint.as_deref(),
        on_record.map(|credential| credential.endpoint.as_str()),
        false,
        args.timeout,
        &policy,
    ));
    let outcome = match input {
        Some((endpoint, credential)) if report.verdict == Verdict::Ok => setup::rotate(
            policy.entry_name(),
            &credential,
            &endpoint,
            report.verdict,
            args.expires,
            &environment,
            &OsKeychain::new(),
            &state,
        )
        .map(Some),
        _ => Ok(None),
    };
    let exit_code = match outcome {
        Err(error) => Output::error(&error, args.json).print(),
        Ok(outcome) => {
            let output = if args.json {
                Output::json(&RotateReport {
                    verdict: report.verdict,
                    validation: &report,
                    outcome: outcome.as_ref(),
                })
            } else {
                Output::default()
            };
            let exit_code = outcome
                .as_ref()
                .map_or(report.verdict.exit_code(), RotateOutcome::exit_code);
            let mut output = output.with_exit_code(exit_code);
            output.stderr = format!(
                "{}{}",
                human_summary(&report),
                outcome_text(outcome.as_ref())
            );
            output.print()
        }
    };
    runtime.block_on(session_close.finish(SESSION_CLOSE_GRACE));
    exit_code
}

fn outcome_text(outcome: Option<&RotateOutcome>) -> String {
    let Some(outcome) = outcome else {
        return "the new secret did not pass the check: nothing was changed\n".to_owned();
    };
    let mut text = String::new();
    let _ = match &outcome.keychain.error {
        None => writeln!(
            text,
            "the keychain item `{}` holds the new secret",
            outcome.keychain.account
        ),
        Some(error) => writeln!(text, "warning: the keychain was not updated: {error}"),
    };
    for result in &outcome.clients {
        let path = result.config_path.as_deref().unwrap_or("?");
        let _ = match &result.error {
            Some(error) => writeln!(text, "{}: failed: {}", result.name, error.message),
            None => writeln!(text, "{}: rewrote `{path}`", result.name),
        };
        if let Some(note) = &result.note {
            let _ = writeln!(text, "  note: {note}");
        }
    }
    for name in &outcome.keychain_clients {
        let _ = writeln!(text, "{name}: reads the keychain; nothing to change");
    }
    for step in &outcome.manual_steps {
        let _ = writeln!(text, "{}: {}", step.name, step.instructions);
    }
    if let Some(error) = &outcome.state_error {
        let _ = writeln!(text, "warning: the app's state was not saved: {error}");
    }
    text
}
