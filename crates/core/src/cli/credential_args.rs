//! The credential flags that `validate`, `configure` and `rotate` share (design §7): the method
//! and email as flags, the secret from an environment variable, standard input or the keychain,
//! never from an argument value.

use clap::Args;

use crate::domain::auth_method::AuthMethod;
use crate::domain::credentials::{self, Credential};
use crate::domain::oauth::{self, ClientCredentials};
use crate::domain::probe::Endpoint;
use crate::domain::secrets::{OsKeychain, Secret, SecretStore};
use crate::plumbing::fsutil::{read_at_most, size_text};
use crate::{Error, ErrorKind};

/// The most `--token-stdin` reads: Atlassian tokens are a few hundred characters, and a stdin
/// that never ends (`/dev/zero`, a stream) must not grow the process.
const TOKEN_STDIN_LIMIT: u64 = 16 * 1024;

/// Which credential to use and where its secret comes from.
#[derive(Clone, Args)]
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
    /// The client ID of a service account's OAuth 2.0 credential (`--auth service-oauth`); its
    /// secret comes from --token-env, --token-stdin or the keychain.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The OAuth token endpoint (`--auth service-oauth`); default Atlassian's, or
    /// `ROVO_MCP_TOKEN_URL`. https, or http to this computer only.
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
}

/// The command is logged when it starts: a client ID is no secret, but a secret pasted in its
/// place would be, so only its length is shown.
impl std::fmt::Debug for CredentialArgs {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CredentialArgs")
            .field("auth", &self.auth)
            .field("email", &self.email)
            .field("token_env", &self.token_env)
            .field("token_stdin", &self.token_stdin)
            .field(
                "client_id",
                &self
                    .client_id
                    .as_ref()
                    .map(|id| format!("<{} characters>", id.chars().count())),
            )
            .field("token_url", &self.token_url)
            .finish()
    }
}

impl CredentialArgs {
    /// Whether the secret is given on this run rather than taken from the keychain.
    pub fn gives_secret(&self) -> bool {
        self.token_env.is_some() || self.token_stdin
    }

    /// The cleaned credential: the secret from `--token-env`, `--token-stdin`, or else the
    /// keychain entry of this method and account.
    pub fn read_credential(&self) -> crate::Result<Credential> {
        if self.client_id.is_some() || self.token_url.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "--client-id and --token-url are for a service account's OAuth client: add --auth service-oauth",
            ));
        }
        let secret = self.read_secret(self.email.as_deref())?;
        credentials::prepare_credential(self.auth, self.email.as_deref(), &secret)
    }

    /// The OAuth client of `--auth service-oauth`: `--client-id`, and its secret from
    /// `--token-env`, `--token-stdin` or the keychain, both cleaned.
    ///
    /// # Errors
    /// `invalid_input` without `--client-id` or for a pasted value that cannot be a client ID or
    /// secret; as [`Self::read_credential`] for reading the secret.
    pub fn read_client(&self) -> crate::Result<ClientCredentials> {
        let client_id = self.client_id.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                "--auth service-oauth needs the client ID of the service account's OAuth 2.0 credential (--client-id ID)",
            )
        })?;
        let secret = self.read_secret(Some(client_id.trim()))?;
        ClientCredentials::new(client_id, &secret)
    }

    /// The token endpoint of `--auth service-oauth`: `--token-url`, else `ROVO_MCP_TOKEN_URL`,
    /// else Atlassian's.
    ///
    /// # Errors
    /// `invalid_input` for a URL the endpoint rule refuses.
    pub fn token_endpoint(&self) -> crate::Result<Endpoint> {
        let environment = std::env::var(oauth::TOKEN_URL_ENV).ok();
        oauth::token_endpoint(self.token_url.as_deref(), environment.as_deref())
    }

    /// The secret from `--token-env`, `--token-stdin`, or the keychain item of `who` (the
    /// email, or the OAuth client ID).
    fn read_secret(&self, who: Option<&str>) -> crate::Result<Secret> {
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
            Secret::new(read_token_from(std::io::stdin().lock())?)
        } else {
            let account = credentials::keychain_account(self.auth, who);
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
        Ok(secret)
    }
}

/// The token piped to `--token-stdin`, up to [`TOKEN_STDIN_LIMIT`]. What was read is never
/// quoted in an error: it may be the secret.
fn read_token_from(input: impl std::io::Read) -> crate::Result<String> {
    let invalid = |reason: String| Error::new(ErrorKind::InvalidInput, reason);
    let bytes = read_at_most(input, TOKEN_STDIN_LIMIT)
        .map_err(|error| {
            invalid(format!(
                "could not read the token from standard input: {error}"
            ))
        })?
        .ok_or_else(|| {
            invalid(format!(
                "standard input holds more than {}, which is no token; pipe the token alone to \
                 --token-stdin",
                size_text(TOKEN_STDIN_LIMIT)
            ))
        })?;
    String::from_utf8(bytes).map_err(|_| {
        invalid("the token on standard input is not UTF-8 text; pipe the token alone".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_on_stdin_is_read_whole() {
        let token = read_token_from(&b"ATATT3xFfGF0-token\n"[..]).unwrap();
        assert_eq!(token, "ATATT3xFfGF0-token\n", "the cleaner trims it later");
    }

    #[test]
    fn an_endless_stdin_is_refused_after_the_limit() {
        let error = read_token_from(std::io::repeat(b'A')).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(
            error.message().contains("16 KiB"),
            "the limit is named: {error}"
        );
        assert!(
            !error.message().contains("AAAA"),
            "what was read is never quoted: {error}"
        );
    }

    #[test]
    fn a_stdin_that_is_not_text_is_refused() {
        let error = read_token_from(&[0xff, 0xfe][..]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    }
}
