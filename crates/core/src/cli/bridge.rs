//! `rovo-mcp-setup bridge`: runs the keychain bridge on this process's stdin and stdout for a
//! stdio-only AI client (design §5, `keychain` mode).
//!
//! The credential is the one set up with this app: its record in the state file and its secret
//! in the OS keychain, read at start, so the client's config holds no secret and rotation needs
//! no file change. `--authorization-env VAR` names an environment variable to use instead; it
//! is never taken from an argument, so it does not show in the process list. Everything written
//! to stdout is MCP; the bridge's own lines go to stderr.

use clap::Args;

use crate::bridge::{BridgeConfig, run_bridge, run_unavailable_bridge};
use crate::care;
use crate::clients::ClientEnvironment;
use crate::probe::{DEFAULT_ENDPOINT, ENDPOINT_ENV as ENDPOINT_VARIABLE};
use crate::secrets::OsKeychain;
use crate::secrets::Secret;
use crate::state::StateFile;
use crate::{Error, ErrorKind};

/// Options of `bridge`.
#[derive(Debug, Args)]
pub struct BridgeArgs {
    /// The remote MCP endpoint [default: `ROVO_MCP_ENDPOINT`, else
    /// `https://mcp.atlassian.com/v1/mcp`]
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The environment variable that holds the whole `Authorization` header value
    /// (`Basic …` or `Bearer …`) [default: the credential set up with this app, from the
    /// keychain]
    #[arg(long, value_name = "VAR")]
    pub authorization_env: Option<String>,
}

/// Serves the bridge until the client closes stdin; 0 then, or the exit code of the failure
/// the client was told about. The bridge has already logged that failure to stderr.
pub fn main(args: &BridgeArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rovo-mcp-setup bridge: could not start: {error}");
            return ErrorKind::Internal.exit_code();
        }
    };
    let input = tokio::io::stdin();
    let output = tokio::io::stdout();
    let outcome = runtime.block_on(async {
        match bridge_config(args, |name| std::env::var(name).ok(), stored_credential) {
            Ok(config) => run_bridge(config, input, output).await,
            Err(reason) => run_unavailable_bridge(reason, input, output).await,
        }
    });
    // Reading stdin blocks a thread that no cancellation reaches; do not wait for it.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => 0,
        Err(error) => error.kind().exit_code(),
    }
}

/// The credential set up with this app: the endpoint on record and the `Authorization` value
/// built from the keychain's secret.
fn stored_credential() -> Result<(String, Secret), Error> {
    let not_set_up = || {
        Error::new(
            ErrorKind::InvalidInput,
            "no credential is set up for the bridge: open Rovo MCP Setup, or run \
             `rovo-mcp-setup configure`",
        )
    };
    let environment = ClientEnvironment::current().ok_or_else(not_set_up)?;
    let state = StateFile::for_environment(&environment).load()?;
    let record = state.credential.ok_or_else(not_set_up)?;
    let credential = care::credential_on_record(&record, &OsKeychain::new())?;
    Ok((
        record.endpoint,
        Secret::new(credential.authorization().expose()),
    ))
}

/// The bridge's endpoint and credential from `args` and the environment (`variable` looks a
/// variable up), else from `stored` (the setup on record), or why there is none to use.
fn bridge_config(
    args: &BridgeArgs,
    variable: impl Fn(&str) -> Option<String>,
    stored: impl FnOnce() -> Result<(String, Secret), Error>,
) -> Result<BridgeConfig, Error> {
    let chosen_endpoint = args
        .endpoint
        .clone()
        .or_else(|| variable(ENDPOINT_VARIABLE).filter(|value| !value.trim().is_empty()));
    let Some(name) = &args.authorization_env else {
        let (recorded_endpoint, authorization) = stored()?;
        return Ok(BridgeConfig {
            endpoint: chosen_endpoint.unwrap_or(recorded_endpoint),
            authorization,
        });
    };
    let endpoint = chosen_endpoint.unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    let authorization = variable(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the environment variable `{name}` named by `--authorization-env` is not \
                     set or empty; set it in this client's entry, or open Rovo MCP Setup and \
                     configure this client again"
                ),
            )
        })?;
    Ok(BridgeConfig {
        endpoint,
        authorization: Secret::new(authorization),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(arguments: &[&str]) -> BridgeArgs {
        let cli = Cli::try_parse_from(["rovo-mcp-setup", "bridge"].iter().chain(arguments))
            .expect("the arguments parse");
        match cli.command {
            Some(Command::Bridge(args)) => args,
            other => panic!("`bridge` parses as the bridge: {other:?}"),
        }
    }

    fn config(arguments: &[&str], environment: &[(&str, &str)]) -> Result<BridgeConfig, Error> {
        let environment: HashMap<String, String> = environment
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        bridge_config(
            &parse(arguments),
            |name| environment.get(name).cloned(),
            || {
                Ok((
                    "https://recorded.example/mcp".to_owned(),
                    Secret::new("Basic c3RvcmVk"),
                ))
            },
        )
    }

    #[test]
    fn the_endpoint_comes_from_the_flag_then_the_environment_then_the_default() {
        let environment = [
            ("AUTH", "Basic abc"),
            (ENDPOINT_VARIABLE, "https://env.example/mcp"),
        ];
        let arguments = ["--authorization-env", "AUTH"];
        assert_eq!(
            config(
                &[&arguments[..], &["--endpoint", "https://flag.example/mcp"]].concat(),
                &environment
            )
            .unwrap()
            .endpoint,
            "https://flag.example/mcp",
            "--endpoint wins"
        );
        assert_eq!(
            config(&arguments, &environment).unwrap().endpoint,
            "https://env.example/mcp",
            "then ROVO_MCP_ENDPOINT"
        );
        assert_eq!(
            config(
                &arguments,
                &[("AUTH", "Basic abc"), (ENDPOINT_VARIABLE, " ")]
            )
            .unwrap()
            .endpoint,
            DEFAULT_ENDPOINT,
            "an empty ROVO_MCP_ENDPOINT is no override"
        );
    }

    #[test]
    fn the_credential_is_the_trimmed_value_of_the_named_variable() {
        let config = config(
            &["--authorization-env", "AUTH"],
            &[("AUTH", "  Basic bWU6dG9rZW4=\n")],
        )
        .unwrap();
        assert_eq!(
            config.authorization.expose(),
            "Basic bWU6dG9rZW4=",
            "surrounding white space (a pasted newline) is not part of the header"
        );
    }

    #[test]
    fn a_missing_or_empty_variable_is_invalid_input_naming_the_variable() {
        for environment in [&[][..], &[("AUTH", "   ")][..]] {
            let error = config(&["--authorization-env", "AUTH"], environment)
                .expect_err("there is no credential");
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidInput,
                "exit code 2: {error:?}"
            );
            assert!(
                error.message().contains("`AUTH`"),
                "the message names the variable to set: {error:?}"
            );
        }
    }

    #[test]
    fn without_a_variable_the_credential_on_record_is_used() {
        let stored = config(&[], &[]).expect("the setup on record is used");
        assert_eq!(
            stored.authorization.expose(),
            "Basic c3RvcmVk",
            "the keychain's credential"
        );
        assert_eq!(
            stored.endpoint, "https://recorded.example/mcp",
            "and the endpoint on record"
        );
        let flagged = config(&["--endpoint", "https://flag.example/mcp"], &[]).unwrap();
        assert_eq!(
            flagged.endpoint, "https://flag.example/mcp",
            "--endpoint still wins"
        );
    }

    #[test]
    fn without_a_setup_on_record_the_reason_reaches_the_client() {
        let not_set_up = Error::new(ErrorKind::InvalidInput, "no credential is set up");
        let error = bridge_config(&parse(&[]), |_| None, || Err(not_set_up))
            .expect_err("there is no credential");
        assert_eq!(
            error.message(),
            "no credential is set up",
            "the reason is passed on as is"
        );
    }
}
