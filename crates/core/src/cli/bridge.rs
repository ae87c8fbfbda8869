//! `rovo-mcp-setup bridge`: runs the keychain bridge on this process's stdin and stdout for a
//! stdio-only AI client (design §5, `keychain` mode).
//!
//! The credential is the one set up with this app: its record in the state file and its secret
//! in the OS keychain, read at start, so the client's config holds no secret and rotation needs
//! no file change. `--authorization-env VAR` names an environment variable to use instead; it
//! is never taken from an argument, so it does not show in the process list. Everything written
//! to stdout is MCP; the bridge's own lines go to stderr.
//!
//! Whoever can start the bridge can choose its command line and environment, and on macOS and
//! Windows the keychain item is the app's, read without a prompt: so the endpoint goes through
//! the endpoint rule and the policy's lock before the keychain is read (issue 19, finding 1).

use clap::Args;

use super::validate::current_policy;
use crate::domain::auth_method::AuthMethod;
use crate::domain::bridge::{BridgeConfig, BridgeCredential, run_bridge, run_unavailable_bridge};
use crate::domain::clients::ClientEnvironment;
use crate::domain::policy::Policy;
use crate::domain::probe::endpoint::EndpointSources;
use crate::domain::probe::{ENDPOINT_ENV, Endpoint};
use crate::domain::secrets::{OsKeychain, Secret};
use crate::plumbing::state::{CredentialRecord, StateFile};
use crate::use_cases::care;
use crate::{Error, ErrorKind};

/// Options of `bridge`.
#[derive(Debug, Args)]
pub struct BridgeArgs {
    /// The remote MCP endpoint [default: the policy's, else `ROVO_MCP_ENDPOINT`, else the one
    /// set up with this app, else `https://mcp.atlassian.com/v1/mcp`]
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
        match bridge_config(args, |name| std::env::var(name).ok(), &ThisUser) {
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

/// What the bridge reads besides its arguments, in the order it may read them: the policy,
/// then the setup on record, and the keychain only once the endpoint has passed the rule.
pub(super) trait Setup {
    fn policy(&self) -> Result<Policy, Error>;
    fn on_record(&self) -> Result<CredentialRecord, Error>;
    /// What to send for `record`, from the keychain: the whole `Authorization` value, or the
    /// OAuth client that mints it.
    fn credential(&self, record: &CredentialRecord) -> Result<BridgeCredential, Error>;
}

/// The setup of the user running the bridge: the policy in force, the state file, the OS
/// keychain.
pub(super) struct ThisUser;

impl Setup for ThisUser {
    fn policy(&self) -> Result<Policy, Error> {
        current_policy()
    }

    fn on_record(&self) -> Result<CredentialRecord, Error> {
        let not_set_up = || {
            Error::new(
                ErrorKind::InvalidInput,
                "no credential is set up for the bridge: open Rovo MCP Setup, or run \
                 `rovo-mcp-setup configure`",
            )
        };
        let environment = ClientEnvironment::current().ok_or_else(not_set_up)?;
        let state = StateFile::for_environment(&environment).load()?;
        state.credential.ok_or_else(not_set_up)
    }

    fn credential(&self, record: &CredentialRecord) -> Result<BridgeCredential, Error> {
        let keychain = OsKeychain::new();
        if record.auth == AuthMethod::ServiceOauth {
            return care::oauth_client_on_record(record, &keychain)
                .map(|tokens| BridgeCredential::OauthClient(Box::new(tokens)));
        }
        let credential = care::credential_on_record(record, &keychain)?;
        Ok(BridgeCredential::Header(Secret::new(
            credential.authorization().expose(),
        )))
    }
}

/// The bridge's endpoint and credential, or why there is none to use. The endpoint is the
/// policy's, else `--endpoint`, else `ROVO_MCP_ENDPOINT` (`variable` looks a variable up), else
/// the one on record, else Atlassian's, and must pass the endpoint rule before any credential
/// is read: one named by a flag or variable against the policy's lock, or not allowed by the
/// rule, is refused without touching the keychain. The credential is the variable named by
/// `--authorization-env`, else the setup on record.
pub(super) fn bridge_config(
    args: &BridgeArgs,
    variable: impl Fn(&str) -> Option<String>,
    setup: &dyn Setup,
) -> Result<BridgeConfig, Error> {
    let policy = setup.policy()?;
    let environment_endpoint = variable(ENDPOINT_ENV);
    let sources = EndpointSources {
        flag: args.endpoint.as_deref(),
        environment: environment_endpoint.as_deref(),
        on_record: None,
    };
    let Some(name) = &args.authorization_env else {
        let record = setup.on_record()?;
        let endpoint = Endpoint::choose(
            &policy,
            EndpointSources {
                on_record: Some(&record.endpoint),
                ..sources
            },
        )?;
        return Ok(BridgeConfig {
            endpoint,
            credential: setup.credential(&record)?,
        });
    };
    let endpoint = Endpoint::choose(&policy, sources)?;
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
        credential: BridgeCredential::Header(Secret::new(authorization)),
    })
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::HashMap;

    use chrono::DateTime;
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::domain::auth_method::AuthMethod;
    use crate::domain::probe::DEFAULT_ENDPOINT;

    const RECORDED: &str = "https://recorded.example/mcp";

    /// The header value a config sends; every config here has a fixed one.
    fn header(config: &BridgeConfig) -> &str {
        match &config.credential {
            BridgeCredential::Header(authorization) => authorization.expose(),
            BridgeCredential::OauthClient(_) => panic!("a fixed header, not an OAuth client"),
        }
    }

    fn parse(arguments: &[&str]) -> BridgeArgs {
        let cli = Cli::try_parse_from(["rovo-mcp-setup", "bridge"].iter().chain(arguments))
            .expect("the arguments parse");
        match cli.command {
            Some(Command::Bridge(args)) => args,
            other => panic!("`bridge` parses as the bridge: {other:?}"),
        }
    }

    /// A setup on record at [`RECORDED`] under `policy`, counting keychain reads.
    struct Recorded {
        policy: Policy,
        record: Option<CredentialRecord>,
        keychain_reads: Cell<usize>,
    }

    impl Recorded {
        fn new(policy: Policy) -> Self {
            Self {
                policy,
                record: Some(CredentialRecord {
                    auth: AuthMethod::Personal,
                    email: Some("me@example.com".to_owned()),
                    endpoint: RECORDED.to_owned(),
                    keychain_account: "me@example.com".to_owned(),
                    expires_on: None,
                    stored_at: DateTime::UNIX_EPOCH,
                    oauth: None,
                    unknown: crate::plumbing::state::UnknownKeys::new(),
                }),
                keychain_reads: Cell::new(0),
            }
        }
    }

    impl Setup for Recorded {
        fn policy(&self) -> Result<Policy, Error> {
            Ok(self.policy.clone())
        }

        fn on_record(&self) -> Result<CredentialRecord, Error> {
            self.record
                .clone()
                .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "no credential is set up"))
        }

        fn credential(&self, _record: &CredentialRecord) -> Result<BridgeCredential, Error> {
            self.keychain_reads.set(self.keychain_reads.get() + 1);
            Ok(BridgeCredential::Header(Secret::new("Basic c3RvcmVk")))
        }
    }

    fn config_with(
        setup: &Recorded,
        arguments: &[&str],
        environment: &[(&str, &str)],
    ) -> Result<BridgeConfig, Error> {
        let environment: HashMap<String, String> = environment
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        bridge_config(
            &parse(arguments),
            |name| environment.get(name).cloned(),
            setup,
        )
    }

    fn config(arguments: &[&str], environment: &[(&str, &str)]) -> Result<BridgeConfig, Error> {
        config_with(&Recorded::new(Policy::default()), arguments, environment)
    }

    #[test]
    fn the_endpoint_comes_from_the_flag_then_the_environment_then_the_default() {
        let environment = [
            ("AUTH", "Basic abc"),
            (ENDPOINT_ENV, "https://env.example/mcp"),
        ];
        let arguments = ["--authorization-env", "AUTH"];
        assert_eq!(
            config(
                &[&arguments[..], &["--endpoint", "https://flag.example/mcp"]].concat(),
                &environment
            )
            .unwrap()
            .endpoint
            .to_string(),
            "https://flag.example/mcp",
            "--endpoint wins"
        );
        assert_eq!(
            config(&arguments, &environment)
                .unwrap()
                .endpoint
                .to_string(),
            "https://env.example/mcp",
            "then ROVO_MCP_ENDPOINT"
        );
        assert_eq!(
            config(&arguments, &[("AUTH", "Basic abc"), (ENDPOINT_ENV, " ")])
                .unwrap()
                .endpoint
                .to_string(),
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
            header(&config),
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
            header(&stored),
            "Basic c3RvcmVk",
            "the keychain's credential"
        );
        assert_eq!(
            stored.endpoint.to_string(),
            RECORDED,
            "and the endpoint on record"
        );
        let flagged = config(&["--endpoint", "https://flag.example/mcp"], &[]).unwrap();
        assert_eq!(
            flagged.endpoint.to_string(),
            "https://flag.example/mcp",
            "--endpoint still wins"
        );
    }

    #[test]
    fn an_endpoint_the_rule_refuses_is_refused_before_the_keychain_is_read() {
        for (arguments, environment) in [
            (&["--endpoint", "http://mcp.example.com/mcp"][..], &[][..]),
            (
                &["--endpoint", "http://localhost@evil.example/"][..],
                &[][..],
            ),
            (&[][..], &[(ENDPOINT_ENV, "http://10.0.0.5:8080/mcp")][..]),
        ] {
            let setup = Recorded::new(Policy::default());
            let error = config_with(&setup, arguments, environment)
                .expect_err("the endpoint rule holds for the bridge too");
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "exit 2: {error}");
            assert_eq!(
                setup.keychain_reads.get(),
                0,
                "{arguments:?} {environment:?}: the keychain is never read for such an endpoint"
            );
        }
    }

    #[test]
    fn the_policys_endpoint_wins_and_a_conflicting_one_is_refused_naming_the_policy() {
        let locked = "https://locked.example/mcp";
        let setup = Recorded::new(Policy::locking_endpoint(locked));
        let error = config_with(&setup, &["--endpoint", "https://other.example/mcp"], &[])
            .expect_err("the flag contradicts the policy");
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(
            error.message().contains("policy") && error.message().contains(locked),
            "the refusal names the policy and its endpoint: {error}"
        );
        assert_eq!(setup.keychain_reads.get(), 0, "the keychain is not read");

        let repeated = config_with(&setup, &["--endpoint", locked], &[])
            .expect("a flag that repeats the lock exactly is fine");
        assert_eq!(repeated.endpoint.to_string(), locked);
        let recorded = config_with(&setup, &[], &[]).unwrap();
        assert_eq!(
            recorded.endpoint.to_string(),
            locked,
            "the lock replaces the endpoint on record"
        );
        let from_variable = config_with(
            &setup,
            &["--authorization-env", "AUTH"],
            &[("AUTH", "Basic abc")],
        )
        .unwrap();
        assert_eq!(
            from_variable.endpoint.to_string(),
            locked,
            "and the default when the credential comes from a variable"
        );
    }

    #[test]
    fn without_a_setup_on_record_the_reason_reaches_the_client() {
        let setup = Recorded {
            record: None,
            ..Recorded::new(Policy::default())
        };
        let error = config_with(&setup, &[], &[]).expect_err("there is no credential");
        assert_eq!(
            error.message(),
            "no credential is set up",
            "the reason is passed on as is"
        );
    }
}
