//! `rovo-mcp-setup validate`: runs the probe from the command line (design §7). With `--json`
//! one JSON document goes to stdout and nothing else; human text always goes to stderr. The
//! exit code is the verdict's (design §4).
//!
//! The secret comes from an environment variable, standard input or the keychain, never from
//! an argument value, and is never printed.

use std::io::Write;
use std::time::Duration;

use clap::Args;

use super::credential_args::CredentialArgs;
use crate::domain::auth_method::AuthMethod;
use crate::domain::credentials::Credential;
use crate::domain::oauth;
use crate::domain::policy::{Policy, load_current_policy};
use crate::domain::probe::endpoint::EndpointSources;
use crate::domain::probe::{
    ENDPOINT_ENV, Endpoint, ProbeFailure, ProbeOptions, ProbeProgress, ProbeReport, SessionClose,
    Verdict,
};
use crate::use_cases::check::{CheckRequest, prepare as prepare_check, prepare_oauth};
use crate::{Error, ErrorKind};

/// How long the sessions' `DELETE`s may hold up the exit: long enough to hand them to the
/// connections already open (a few milliseconds), never a round trip. The server ends the
/// session when the request arrives; its answer changes nothing for a process that is done,
/// and waiting for it would add one round trip to every command's wall time.
pub(super) const SESSION_CLOSE_GRACE: Duration = Duration::from_millis(30);

/// Check a credential against the Rovo MCP server and list the tools it unlocks.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// The MCP endpoint (default: `$ROVO_MCP_ENDPOINT`, else Atlassian's own endpoint).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// The deadline for the whole check, in seconds (each step gets at most a third of it).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
}

/// Runs `validate` and returns the exit code.
pub fn main(args: &ValidateArgs) -> u8 {
    let runtime = match network_runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            let report = ProbeReport::failed(input_failure(&error));
            print_report(args, &report);
            return report.verdict.exit_code();
        }
    };
    let (report, session_close) = runtime.block_on(validate(args));
    print_report(args, &report);
    // The report is out; the sessions' DELETEs get a moment to leave before the process exits.
    runtime.block_on(session_close.finish(SESSION_CLOSE_GRACE));
    report.verdict.exit_code()
}

/// The human summary on stderr and, with `--json`, the report on stdout.
fn print_report(args: &ValidateArgs, report: &ProbeReport) {
    eprint!("{}", human_summary(report));
    if args.json {
        let mut stdout = std::io::stdout().lock();
        let written = serde_json::to_writer_pretty(&mut stdout, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout));
        if let Err(error) = written {
            eprintln!("error: could not write the report to stdout: {error}");
        }
    }
}

async fn validate(args: &ValidateArgs) -> (ProbeReport, SessionClose) {
    let checked = match current_policy() {
        Ok(policy) => {
            check(
                &args.credential,
                args.endpoint.as_deref(),
                None,
                false,
                args.timeout,
                &policy,
            )
            .await
        }
        Err(error) => {
            let mut report = ProbeReport::failed(input_failure(&error));
            report.auth = Some(args.credential.auth);
            return (report, SessionClose::default());
        }
    };
    (checked.report, checked.session_close)
}

/// A finished check, with the endpoint and credential it used when the input was valid.
pub(super) struct Checked {
    pub report: ProbeReport,
    pub session_close: SessionClose,
    pub input: Option<(Endpoint, Credential)>,
}

/// The single-threaded runtime a subcommand's network work runs on.
pub(super) fn network_runtime() -> crate::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            Error::new(
                ErrorKind::Internal,
                format!("could not start the network runtime: {error}"),
            )
        })
}

/// The policy in force, its warnings shown on stderr.
pub(super) fn current_policy() -> crate::Result<Policy> {
    let policy = load_current_policy()?;
    for warning in &policy.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(policy)
}

/// Reads the endpoint and credential from the flags (within the policy) and probes, showing
/// progress on stderr. The endpoint is chosen by [`Endpoint::choose`], `on_record` standing
/// after the flag and `ROVO_MCP_ENDPOINT`; nothing is read or sent for one it refuses. With
/// `all_tools` the chosen endpoint asks for the flat list of every tool (`?tools=all`), which is
/// then what the clients get.
pub(super) async fn check(
    credential_args: &CredentialArgs,
    endpoint_flag: Option<&str>,
    on_record: Option<&str>,
    all_tools: bool,
    timeout_seconds: f64,
    policy: &Policy,
) -> Checked {
    let environment_endpoint = std::env::var(ENDPOINT_ENV).ok();
    let request = CheckRequest {
        policy,
        method: credential_args.auth,
        endpoint: EndpointSources {
            flag: endpoint_flag,
            environment: environment_endpoint.as_deref(),
            on_record,
        },
        all_tools,
        options: options(timeout_seconds),
    };
    let prepared = if credential_args.auth == AuthMethod::ServiceOauth {
        match credential_args.token_endpoint() {
            Ok(token_endpoint) => {
                prepare_oauth(&request, &token_endpoint, || credential_args.read_client()).await
            }
            Err(error) => Err(error),
        }
    } else {
        prepare_check(&request, || credential_args.read_credential())
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            let mut report = ProbeReport::failed(input_failure(&error));
            report.auth = Some(credential_args.auth);
            return Checked {
                report,
                session_close: SessionClose::default(),
                input: None,
            };
        }
    };
    let host = prepared.endpoint().host().to_owned();
    let mut show_progress = |step: ProbeProgress| {
        let line = match step {
            ProbeProgress::Connecting => format!("connecting to {host}…"),
            ProbeProgress::SignedIn => "signed in".to_owned(),
            ProbeProgress::ListingTools { page } => format!("listing tools (page {page})…"),
            ProbeProgress::ReadingAccount => "reading the account and its sites…".to_owned(),
        };
        eprintln!("{line}");
    };
    let checked = prepared.run(&mut show_progress).await;
    Checked {
        report: checked.report,
        session_close: checked.session_close,
        input: Some((checked.endpoint, checked.credential)),
    }
}

fn options(timeout_seconds: f64) -> ProbeOptions {
    let total = Duration::try_from_secs_f64(timeout_seconds)
        .ok()
        .filter(|total| !total.is_zero())
        .unwrap_or(ProbeOptions::default().total_timeout);
    ProbeOptions {
        step_timeout: (total / 3).max(Duration::from_millis(100)).min(total),
        total_timeout: total,
    }
}

fn input_failure(error: &Error) -> ProbeFailure {
    let hint = match error.kind() {
        ErrorKind::InvalidInput => "fix the input and run validate again",
        ErrorKind::KeychainUnavailable => {
            "or pass the token with --token-env VAR or --token-stdin instead of the keychain"
        }
        ErrorKind::Network | ErrorKind::Tls | ErrorKind::Timeout => {
            "check the network, proxy and firewall between this computer and the token endpoint"
        }
        ErrorKind::RateLimited | ErrorKind::ServerError => "try again in a few minutes",
        kind => oauth::hint(kind).unwrap_or("this is a fault of the app; report it"),
    };
    ProbeFailure::from_error(error, hint)
}

/// The report for a person: the verdict, the tools per product, the account, or the failure.
pub(super) fn human_summary(report: &ProbeReport) -> String {
    let mut lines: Vec<String> = report
        .warnings
        .iter()
        .map(|warning| format!("warning: {}", warning.message))
        .collect();
    match report.verdict {
        Verdict::Ok | Verdict::Limited => {
            let verdict = if report.verdict == Verdict::Ok {
                "ok"
            } else {
                "limited"
            };
            lines.push(format!("{verdict}: {} tools", report.tools.len()));
            if let Some(exposure) = report.exposure.as_ref().filter(|exposure| !exposure.flat) {
                lines.push(format!(
                    "  a client of this endpoint sees {} of them directly and reaches the rest through {}",
                    exposure.primary,
                    report.meta_tools.join(", ")
                ));
            }
            lines.extend(report.products.iter().map(|product| {
                format!(
                    "  {}: {} read, {} write",
                    product.name, product.read, product.write
                )
            }));
            if let Some(limitation) = &report.limitation {
                lines.push(limitation.message.clone());
                lines.push(format!("hint: {}", limitation.hint));
            }
            if report.sites.len() > 1 {
                lines.push(format!(
                    "this credential reaches {} sites: it is not bound to one, so give tool calls the cloudId of the site you mean",
                    report.sites.len()
                ));
            }
            lines.extend(report.sites.iter().map(|site| {
                format!(
                    "site: {} {} (cloudId {})",
                    site.name, site.url, site.cloud_id
                )
            }));
        }
        Verdict::Failed(_) => {
            if let Some(error) = &report.error {
                let status = error
                    .http_status
                    .map(|status| format!(" (HTTP {status})"))
                    .filter(|status| !error.message.contains(status.trim_start()))
                    .unwrap_or_default();
                lines.push(format!("error: {}{status}", error.message));
                lines.push(format!("hint: {}", error.hint));
            }
        }
    }
    lines.push(String::new());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_splits_into_steps_and_never_is_zero() {
        let options = options(3.0);
        assert_eq!(options.total_timeout, Duration::from_secs(3));
        assert_eq!(
            options.step_timeout,
            Duration::from_secs(1),
            "a third per step"
        );
        assert_eq!(
            super::options(0.0).total_timeout,
            ProbeOptions::default().total_timeout,
            "zero would fail every check: use the default"
        );
        assert_eq!(
            super::options(-1.0).total_timeout,
            ProbeOptions::default().total_timeout
        );
    }
}
