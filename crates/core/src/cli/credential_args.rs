//! The credential flags that `validate`, `configure` and `rotate` share (design §7): the method
//! and email as flags, the secret from an environment variable, standard input or the keychain,
//! never from an argument value.

use std::io::Read;

use clap::Args;

use crate::auth_method::AuthMethod;
use crate::credentials::{self, Credential};
use crate::secrets::{OsKeychain, Secret, SecretStore};
use crate::{Error, ErrorKind};

/// Which credential to use and where its secret comes from.
#[derive(Debug, Clone, Args)]
pub struct CredentialArgs {
    /// How the credential signs in.
    #[arg(long, value_enum, default_value_t = AuthMethod::Personal)]
    pub auth: AuthMethod,
    /// The Atlassian account's email (personal tokens).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Read the token from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "token_stdin")]
    pub token_env: Option<String>,
    /// Read the token from standard input.
    #[arg(long)]
    pub token_stdin: bool,
}

impl CredentialArgs {
    /// Whether the secret is given on this run rather than taken from the keychain.
    pub fn gives_secret(&self) -> bool {
        self.token_env.is_some() || self.token_stdin
    }

    /// The cleaned credential: the secret from `--token-env`, `--token-stdin`, or else the
    /// keychain entry of this method and account.
    pub fn read_credential(&self) -> crate::Result<Credential> {
        let secret = if let Some(variable) = &self.token_env {
            Secret::new(std::env::var(variable).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "the environment variable `{variable}` named by --token-env is not set or not valid UTF-8"
                    ),
                )
            })?)
        } else if self.token_stdin {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|error| {
                    Error::new(
                        ErrorKind::InvalidInput,
                        format!("could not read the token from standard input: {error}"),
                    )
                })?;
            Secret::new(text)
        } else {
            let account = credentials::keychain_account(self.auth, self.email.as_deref());
            if self.auth == AuthMethod::Personal && account.is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "a personal API token needs the email of its Atlassian account (--email)",
                ));
            }
            OsKeychain::new().read(&account)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "the keychain has no credential for `{account}`; give one with --token-env VAR or --token-stdin"
                    ),
                )
            })?
        };
        credentials::prepare_credential(self.auth, self.email.as_deref(), &secret)
    }
}
