//! `rovo-mcp-setup status [--json]`: the credential on record, its expiry, the last check and
//! every client holding our entry (design §7).

use std::fmt::Write as _;

use chrono::Local;
use clap::Args;

use super::output::{Output, no_home};
use crate::domain::clients::ClientEnvironment;
use crate::domain::policy::load_policy;
use crate::domain::probe::Verdict;
use crate::plumbing::state::StateFile;
use crate::use_cases::status::{SetupStatus, setup_status};

/// Show the credential on record, its expiry, the last check and the configured clients.
///
/// The exit code is the setup's health: 0 healthy, 10 expiring within the reminder window,
/// 11 failing (expired, rejected, forbidden or limited), 12 not set up, 13 a client broken
/// (its entry gone, or running a program that moved); 1 when the state file cannot be read.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print one JSON document on stdout.
    #[arg(long, conflicts_with = "summary")]
    pub json: bool,
    /// Print only the one line for management tools on stdout: `<state>: <what it means>`.
    #[arg(long)]
    pub summary: bool,
}

/// Runs `status` and returns the exit code: 1 when the state file cannot be read, else the
/// health's code.
pub fn main(args: &StatusArgs) -> u8 {
    let Some(environment) = ClientEnvironment::current() else {
        return no_home(args.json).print();
    };
    let policy = match load_policy(&environment) {
        Ok(policy) => policy,
        Err(error) => return Output::error(&error, args.json).print(),
    };
    let status = setup_status(
        &environment,
        &StateFile::for_environment(&environment),
        &policy,
        Local::now().date_naive(),
    );
    let exit_code = if status.state_error.is_some() {
        1
    } else {
        status.health.exit_code()
    };
    let output = if args.summary {
        Output::line(&summary_line(&status))
    } else if args.json {
        Output::json(&status)
    } else {
        Output::human(human(&status))
    };
    output.with_exit_code(exit_code).print()
}

/// `<state>: <what it means>`; an unreadable state file is `error: <why>`.
fn summary_line(status: &SetupStatus) -> String {
    match &status.state_error {
        Some(error) => format!("error: {error}"),
        None => format!("{}: {}", status.health.word(), status.summary),
    }
}

fn human(status: &SetupStatus) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{}", summary_line(status));
    if status.configured {
        let auth = match status.auth {
            Some(crate::domain::auth_method::AuthMethod::Service) => {
                "service-account API key".to_owned()
            }
            Some(crate::domain::auth_method::AuthMethod::ServiceOauth) => format!(
                "service account's OAuth client {}",
                status.client_id.as_deref().unwrap_or("?")
            ),
            _ => format!(
                "personal API token of {}",
                status.email.as_deref().unwrap_or("?")
            ),
        };
        let _ = writeln!(text, "credential: {auth}");
        let _ = writeln!(
            text,
            "endpoint: {}",
            status.endpoint.as_deref().unwrap_or("?")
        );
        if let Some(moved) = &status.endpoint_move {
            let clients: Vec<&str> = status
                .clients
                .iter()
                .map(|client| client.id.as_str())
                .collect();
            let credential = match (status.auth, status.email.as_deref()) {
                (Some(crate::domain::auth_method::AuthMethod::Personal), Some(email)) => {
                    format!("--auth personal --email {email}")
                }
                (Some(crate::domain::auth_method::AuthMethod::ServiceOauth), _) => format!(
                    "--auth service-oauth --client-id {}",
                    status.client_id.as_deref().unwrap_or("ID")
                ),
                _ => "--auth service".to_owned(),
            };
            let clients = if clients.is_empty() {
                "detected".to_owned()
            } else {
                clients.join(",")
            };
            let _ = writeln!(
                text,
                "this setup uses a v1 endpoint, which Atlassian keeps serving but no longer recommends; \
                 move it to {to} with the same check, preview and write as a setup:\n  \
                 rovo-mcp-setup configure {credential} --endpoint {to} --clients {clients}",
                to = moved.to,
            );
        }
        let _ = match (status.expires_on, status.days_left) {
            (Some(date), Some(days)) if days < 0 => writeln!(text, "expired on {date}"),
            (Some(date), Some(days)) => writeln!(text, "expires on {date} ({days} days left)"),
            _ => writeln!(text, "expiry date unknown"),
        };
    }
    if let Some(check) = &status.last_check {
        let verdict = match check.verdict {
            Verdict::Ok => "ok".to_owned(),
            Verdict::Limited => "limited".to_owned(),
            Verdict::Failed(kind) => format!("failed ({kind:?})"),
        };
        let _ = writeln!(
            text,
            "last check: {verdict} at {}",
            check.at.with_timezone(&Local)
        );
    }
    if status.clients.is_empty() {
        let _ = writeln!(text, "no client holds our entry");
    }
    for client in &status.clients {
        let mode = client
            .mode
            .map_or("unknown mode", crate::domain::clients::SecretMode::name);
        let path = client.config_path.as_deref().unwrap_or("?");
        match &client.former_path {
            Some(former) => {
                let _ = writeln!(
                    text,
                    "{}: {mode}, in `{former}`, which {} no longer reads; run `rovo-mcp-setup \
                     configure --clients {}` to move it to `{path}`",
                    client.name, client.name, client.id
                );
            }
            None => {
                let _ = writeln!(text, "{}: {mode}, `{path}`", client.name);
            }
        }
    }
    text
}
