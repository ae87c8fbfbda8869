//! `rovo-mcp-setup configure`: checks the credential, then keeps it in the keychain and writes
//! our entry into each chosen client (design §7). Nothing is written unless the check says `ok`;
//! one client failing does not stop the others (exit 8). `--dry-run` shows each client's diff
//! and writes nothing. After a setup, start at login is turned on only when the policy's
//! `startAtLogin` asks for it: installers and scripts never add it unasked.

use std::fmt::Write as _;
use std::io::IsTerminal as _;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use super::credential_args::CredentialArgs;
use super::output::{Output, no_home};
use super::validate::{
    Checked, SESSION_CLOSE_GRACE, check, current_policy, human_summary, network_runtime,
};
use crate::domain::auth_method::AuthMethod;
use crate::domain::clients::{self, ClientEnvironment, KeychainCarrier, SecretMode};
use crate::domain::policy::Policy;
use crate::domain::probe::{ProbeReport, Verdict};
use crate::domain::secrets::OsKeychain;
use crate::plumbing::start_at_login::{self, StartAtLoginReport};
use crate::plumbing::state::StateFile;
use crate::use_cases::setup::{self, PlannedChange, SetupOutcome, SetupRequest};
use crate::{Error, ErrorKind};

/// Check a credential, store it in the keychain and write it into the chosen clients.
#[derive(Debug, Args)]
pub struct ConfigureArgs {
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// Comma-separated client ids (see `clients`), or `detected` or `all` [default: the
    /// policy's list].
    #[arg(long, value_delimiter = ',')]
    pub clients: Vec<String>,
    /// How the secret reaches each client; default: each client's preferred mode.
    #[arg(long, value_enum)]
    pub mode: Option<SecretMode>,
    /// In `keychain` mode, what gives the secret to a client with a header helper (Claude
    /// Code): `helper` (its `headersHelper` runs `rovo-mcp-setup headers`) or `bridge` (it
    /// starts `rovo-mcp-setup bridge`, for a client that starts an OAuth sign-in beside the
    /// helper's header). Clients without a helper always get the bridge.
    #[arg(long, value_enum, value_name = "CARRIER", default_value_t = KeychainCarrier::Helper)]
    pub keychain_via: KeychainCarrier,
    /// The MCP endpoint (default: `$ROVO_MCP_ENDPOINT`, else Atlassian's own endpoint).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Which tools the clients see directly: `primary` (the main tools, the rest through
    /// discover/execute, as Atlassian recommends) or `all` (`?tools=all`: every tool's name,
    /// description and input schema goes to the model with every request, which uses up
    /// context).
    #[arg(long, value_enum, default_value_t = ToolList::Primary)]
    pub tools: ToolList,
    /// The token's expiry date (YYYY-MM-DD), so the app can remind before it.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<NaiveDate>,
    /// Show each client's change as a diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write without asking for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// The deadline for the check, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
}

/// The `--json` document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfigureReport<'a> {
    verdict: Verdict,
    validation: &'a ProbeReport,
    dry_run: bool,
    plans: Vec<PlannedChange>,
    #[serde(flatten)]
    outcome: Option<&'a SetupOutcome>,
    /// After a write only: whether the tray starts at login, and who decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    start_at_login: Option<StartAtLoginReport>,
}

/// Runs `configure` and returns the exit code.
pub fn main(args: &ConfigureArgs) -> u8 {
    let Some(environment) = ClientEnvironment::current() else {
        return no_home(args.json).print();
    };
    let chosen = current_policy().and_then(|policy| {
        let mode = policy.secret_mode(args.mode)?;
        let mode = if args.credential.auth == AuthMethod::ServiceOauth {
            Some(oauth_mode(mode)?)
        } else {
            mode
        };
        let listed = policy.clients(&args.clients)?;
        if listed.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "name the clients to configure with --clients (ids from `clients`, or `detected` or `all`)",
            ));
        }
        let mut chosen = clients::select(&listed, &environment)?;
        // `all` and `detected` never bring in a client the policy keeps us out of.
        chosen.retain(|client| !policy.never_touch(client.id));
        Ok((policy, chosen, mode))
    });
    let (policy, chosen, mode) = match chosen {
        Ok(chosen) => chosen,
        Err(error) => return Output::error(&error, args.json).print(),
    };
    if !args.yes
        && !args.dry_run
        && (args.credential.token_stdin || !std::io::stdin().is_terminal())
    {
        let error = Error::new(
            ErrorKind::InvalidInput,
            "configure writes client configs and needs a confirmation: add --yes to run without a prompt, or --dry-run to only see the changes",
        );
        return Output::error(&error, args.json).print();
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
        &args.credential,
        args.endpoint.as_deref(),
        None,
        args.tools == ToolList::All,
        args.timeout,
        &policy,
    ));
    // What the setup records for the bridge: the token endpoint as asked, when one was.
    let oauth_token_url = args
        .credential
        .token_url
        .clone()
        .or_else(|| std::env::var(crate::domain::oauth::TOKEN_URL_ENV).ok())
        .filter(|url| !url.trim().is_empty());
    let exit_code = match input {
        Some((endpoint, credential)) if report.verdict == Verdict::Ok => {
            let bridge_command = bridge_command();
            let request = SetupRequest {
                credential: &credential,
                endpoint: &endpoint,
                clients: &chosen,
                mode,
                client_modes: &[],
                expires_on: args.expires,
                server_name: policy.entry_name(),
                bridge_command: &bridge_command,
                keychain_carrier: args.keychain_via,
                token_url: oauth_token_url.as_deref(),
            };
            write_or_preview(args, &request, &report, &environment, &policy)
        }
        _ => {
            let output = if args.json {
                Output::json(&ConfigureReport {
                    verdict: report.verdict,
                    validation: &report,
                    dry_run: args.dry_run,
                    plans: Vec::new(),
                    outcome: None,
                    start_at_login: None,
                })
            } else {
                Output::default()
            };
            let mut output = output.with_exit_code(report.verdict.exit_code());
            output.stderr = format!("{}no client was changed\n", human_summary(&report));
            output.print()
        }
    };
    runtime.block_on(session_close.finish(SESSION_CLOSE_GRACE));
    exit_code
}

/// The secret mode of a service account's OAuth client: `keychain`, the only one that can renew
/// its access tokens; another one asked for, or locked by the policy, is refused with the why.
fn oauth_mode(asked: Option<SecretMode>) -> crate::Result<SecretMode> {
    match asked {
        None | Some(SecretMode::Keychain) => Ok(SecretMode::Keychain),
        Some(other) => Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "a service account's OAuth client cannot be written in `{}` mode: its access tokens last an hour, so a client file cannot hold one; use --mode keychain, where our bridge and header helper renew the token",
                other.name()
            ),
        )),
    }
}

/// Which tools a client sees directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ToolList {
    /// The endpoint as chosen: on v2 the primary tools and discover/execute.
    Primary,
    /// The flat list of every tool (`?tools=all`).
    All,
}

/// The path `keychain` entries run: the lean command-line executable beside this one, as
/// installed, else this very binary (a build or install without it).
pub(crate) fn bridge_command() -> String {
    let Ok(this) = std::env::current_exe().and_then(dunce::canonicalize) else {
        return super::CLI_BINARY.to_owned();
    };
    super::sibling_binary(&this, super::CLI_BINARY)
        .filter(|lean| lean.is_file())
        .unwrap_or(this)
        .display()
        .to_string()
}

fn write_or_preview(
    args: &ConfigureArgs,
    request: &SetupRequest<'_>,
    report: &ProbeReport,
    environment: &ClientEnvironment,
    policy: &Policy,
) -> u8 {
    let plans = setup::preview(request, environment);
    if args.dry_run {
        let output = if args.json {
            Output::json(&ConfigureReport {
                verdict: report.verdict,
                validation: report,
                dry_run: true,
                plans,
                outcome: None,
                start_at_login: None,
            })
        } else {
            Output::human(format!("{}{}", human_summary(report), preview_text(&plans)))
        };
        return output.print();
    }
    if !args.yes && !confirm(report, &plans) {
        eprintln!("nothing was written");
        return 1;
    }
    let state = StateFile::for_environment(environment);
    let outcome = match setup::set_up(
        request,
        report.verdict,
        environment,
        &OsKeychain::new(),
        &state,
    ) {
        Ok(outcome) => outcome,
        Err(error) => return Output::error(&error, args.json).print(),
    };
    // The credential is on record now, so the tray's reminders have something to watch.
    let start_at_login = start_at_login::apply_policy_here(policy.settings.start_at_login);
    let output = if args.json {
        Output::json(&ConfigureReport {
            verdict: report.verdict,
            validation: report,
            dry_run: false,
            plans: Vec::new(),
            outcome: Some(&outcome),
            start_at_login: Some(start_at_login),
        })
    } else {
        Output::human(format!(
            "{}{}{}\n",
            human_summary(report),
            outcome_text(&outcome),
            start_at_login.text()
        ))
    };
    output.with_exit_code(outcome.exit_code()).print()
}

/// Shows the diffs on stderr and asks on the terminal.
fn confirm(report: &ProbeReport, plans: &[PlannedChange]) -> bool {
    eprint!(
        "{}{}Write these changes? [y/N] ",
        human_summary(report),
        preview_text(plans)
    );
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

fn preview_text(plans: &[PlannedChange]) -> String {
    let mut text = String::new();
    for plan in plans {
        let path = plan
            .config_path
            .as_deref()
            .unwrap_or("(no config file on this system)");
        match (&plan.error, &plan.diff) {
            (Some(error), _) => {
                let _ = writeln!(
                    text,
                    "{}: cannot be configured: {}",
                    plan.name, error.message
                );
            }
            (None, Some(diff)) if diff.is_empty() => {
                let _ = writeln!(text, "{}: `{path}` already holds this entry", plan.name);
            }
            (None, Some(diff)) => {
                let _ = writeln!(text, "{}: `{path}`\n{diff}", plan.name);
            }
            (None, None) => {}
        }
    }
    text
}

fn outcome_text(outcome: &SetupOutcome) -> String {
    let mut text = String::new();
    let keychain = &outcome.keychain;
    let _ = match &keychain.error {
        None => writeln!(
            text,
            "the credential is in the keychain under `{}`",
            keychain.account
        ),
        Some(error) => writeln!(
            text,
            "warning: the credential is not in the keychain: {error}"
        ),
    };
    for result in &outcome.clients {
        let name = &result.name;
        let path = result.config_path.as_deref().unwrap_or("(no config file)");
        let _ = match (&result.error, result.change) {
            (Some(error), _) => write!(text, "{name}: failed: {}", error.message),
            (None, Some(clients::Change::Unchanged)) => {
                write!(text, "{name}: `{path}` already had this entry")
            }
            (None, Some(clients::Change::Create)) => write!(text, "{name}: created `{path}`"),
            (None, _) => write!(text, "{name}: updated `{path}`"),
        };
        if result.needs_restart {
            let _ = write!(text, "; restart {name} to pick this up");
        }
        if let Some(note) = &result.note {
            let _ = write!(text, "\n  note: {note}");
        }
        text.push('\n');
    }
    if let Some(error) = &outcome.state_error {
        let _ = writeln!(text, "warning: the app's state was not saved: {error}");
    }
    text
}
