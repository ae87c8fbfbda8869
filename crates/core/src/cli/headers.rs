//! `rovo-mcp-setup headers`: the header helper of `keychain` mode for a client that runs one
//! (Claude Code's `headersHelper`, design §5). It prints one JSON object, `{"Authorization":
//! "…"}`, and nothing else on stdout; the client reads it at every connection, so rotation needs
//! no file change.
//!
//! The credential and endpoint follow the bridge's rule exactly (`bridge::bridge_config`): the
//! endpoint passes the endpoint rule and the policy's lock before the keychain is read. A
//! failure is one sentence on stderr and the exit code of its kind; stdout stays empty, so the
//! client never sends a half-written header.

use std::io::Write as _;

use super::bridge::{BridgeArgs, Setup, ThisUser, bridge_config};
use crate::Error;
use crate::domain::bridge::BridgeCredential;

/// Prints the header object and returns the exit code.
pub fn main(args: &BridgeArgs) -> u8 {
    match header_object(args, |name| std::env::var(name).ok(), &ThisUser) {
        Ok(object) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(object.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => 0,
                Err(error) => {
                    eprintln!("rovo-mcp-setup headers: could not write to stdout: {error}");
                    crate::ErrorKind::Internal.exit_code()
                }
            }
        }
        Err(error) => {
            eprintln!("rovo-mcp-setup headers: {}", error.message());
            error.kind().exit_code()
        }
    }
}

/// The JSON object the client reads, with a final newline.
fn header_object(
    args: &BridgeArgs,
    variable: impl Fn(&str) -> Option<String>,
    setup: &dyn Setup,
) -> Result<String, Error> {
    let config = bridge_config(args, variable, setup)?;
    let authorization = match config.credential {
        BridgeCredential::Header(authorization) => authorization,
        // A token for this connection, fresh from the token endpoint: the client runs the helper
        // again for the next one, so nothing here needs to renew it.
        BridgeCredential::OauthClient(tokens) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| {
                Error::new(
                    crate::ErrorKind::Internal,
                    format!("could not start the network runtime: {error}"),
                )
            })?
            .block_on(tokens.authorization())?,
    };
    let object = serde_json::json!({ "Authorization": authorization.expose() });
    Ok(format!("{object}\n"))
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::ErrorKind;
    use crate::cli::{Cli, Command};
    use crate::domain::policy::Policy;
    use crate::plumbing::state::CredentialRecord;

    /// No setup on record: the credential must come from `--authorization-env`.
    struct NothingOnRecord;

    impl Setup for NothingOnRecord {
        fn policy(&self) -> Result<Policy, Error> {
            Ok(Policy::default())
        }

        fn on_record(&self) -> Result<CredentialRecord, Error> {
            Err(Error::new(
                ErrorKind::InvalidInput,
                "no credential is set up",
            ))
        }

        fn credential(&self, _record: &CredentialRecord) -> Result<BridgeCredential, Error> {
            unreachable!("nothing is on record, so the keychain is never asked")
        }
    }

    fn parse(arguments: &[&str]) -> BridgeArgs {
        let cli = Cli::try_parse_from(["rovo-mcp-setup", "headers"].iter().chain(arguments))
            .expect("the arguments parse");
        match cli.command {
            Some(Command::Headers(args)) => args,
            other => panic!("`headers` parses as the header helper: {other:?}"),
        }
    }

    #[test]
    fn the_helper_prints_one_json_object_with_the_header() {
        let printed = header_object(
            &parse(&["--authorization-env", "AUTH"]),
            |name| (name == "AUTH").then(|| "Basic bWU6dG9rZW4=\n".to_owned()),
            &NothingOnRecord,
        )
        .unwrap();
        assert_eq!(
            printed, "{\"Authorization\":\"Basic bWU6dG9rZW4=\"}\n",
            "exactly the object Claude Code parses, the value trimmed"
        );
    }

    #[test]
    fn without_a_credential_the_reason_is_an_error_and_nothing_is_printed() {
        let error = header_object(&parse(&[]), |_| None, &NothingOnRecord)
            .expect_err("there is no credential to print");
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "exit code 2");
        let refused = header_object(
            &parse(&["--endpoint", "http://mcp.example.com/mcp"]),
            |_| Some("Basic abc".to_owned()),
            &NothingOnRecord,
        )
        .expect_err("the endpoint rule holds for the helper as for the bridge");
        assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    }
}
