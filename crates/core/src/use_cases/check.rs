//! The check of a credential, once, as the wizard, the command line (`validate`, `configure`,
//! `rotate`) and the tray's daily check all run it: the auth method against the policy, the
//! endpoint chosen by the endpoint rule before any secret is read, the credential read, the
//! probe, and the tools the policy requires. Callers differ only in where the endpoint and the
//! credential come from and in how they show the outcome.

use crate::Result;
use crate::domain::auth_method::AuthMethod;
use crate::domain::credentials::{Credential, oauth_access};
use crate::domain::oauth::{self, ClientCredentials};
use crate::domain::policy::Policy;
use crate::domain::probe::endpoint::EndpointSources;
use crate::domain::probe::{
    self, Endpoint, ProbeOptions, ProbeProgress, ProbeReport, SessionClose,
};

/// What to check, besides the credential.
#[derive(Debug, Clone, Copy)]
pub struct CheckRequest<'a> {
    pub policy: &'a Policy,
    pub method: AuthMethod,
    /// Where the endpoint may come from, for [`Endpoint::choose`].
    pub endpoint: EndpointSources<'a>,
    /// Whether to check the flat list of every tool (`?tools=all`) of the chosen endpoint,
    /// which is then what the clients get.
    pub all_tools: bool,
    pub options: ProbeOptions,
}

/// A check that ran: the report, the session's end still under way, and what was checked.
#[derive(Debug)]
pub struct Checked {
    pub report: ProbeReport,
    pub session_close: SessionClose,
    pub endpoint: Endpoint,
    pub credential: Credential,
}

/// A check whose method and endpoint passed and whose credential is read, ready to probe: the
/// caller can name the endpoint (a progress line) before anything is sent.
#[derive(Debug)]
pub struct PreparedCheck<'a> {
    policy: &'a Policy,
    options: ProbeOptions,
    endpoint: Endpoint,
    credential: Credential,
}

/// Prepares the check. `credential` is called once the method and the endpoint passed, so no
/// secret is read (a keychain, a variable, standard input) for a check that cannot go ahead.
///
/// # Errors
/// `invalid_input` when the policy does not allow the method or the endpoint, or the endpoint
/// rule refuses it; whatever `credential` fails with. Nothing is sent then.
pub fn prepare<'a>(
    request: &CheckRequest<'a>,
    credential: impl FnOnce() -> Result<Credential>,
) -> Result<PreparedCheck<'a>> {
    let endpoint = allowed_endpoint(request)?;
    Ok(PreparedCheck {
        policy: request.policy,
        options: request.options,
        endpoint,
        credential: credential()?,
    })
}

/// [`prepare`] for a service account's OAuth client: the method and the endpoint checked before
/// any secret is read, then the client read (`client`) and exchanged at `token_endpoint` for the
/// access token the probe sends.
///
/// # Errors
/// As [`prepare`], and the token endpoint's refusals and failures ([`oauth::exchange`]).
pub async fn prepare_oauth<'a>(
    request: &CheckRequest<'a>,
    token_endpoint: &Endpoint,
    client: impl FnOnce() -> Result<ClientCredentials>,
) -> Result<PreparedCheck<'a>> {
    let endpoint = allowed_endpoint(request)?;
    let client = client()?;
    let token = oauth::exchange(token_endpoint, &client).await?;
    Ok(PreparedCheck {
        policy: request.policy,
        options: request.options,
        endpoint,
        credential: oauth_access(&token, &client),
    })
}

/// The method against the policy and the endpoint under the endpoint rule, before any secret.
fn allowed_endpoint(request: &CheckRequest<'_>) -> Result<Endpoint> {
    request.policy.check_auth(request.method)?;
    let endpoint = Endpoint::choose(request.policy, request.endpoint)?;
    Ok(if request.all_tools {
        probe::all_tools_endpoint(&endpoint)
    } else {
        endpoint
    })
}

impl PreparedCheck<'_> {
    /// The endpoint the check will probe.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Probes, and applies the tools the policy requires. Every failure is the report's
    /// verdict.
    pub async fn run(self, progress: &mut (dyn FnMut(ProbeProgress) + Send)) -> Checked {
        let (mut report, session_close) =
            probe::probe(&self.endpoint, &self.credential, &self.options, progress).await;
        self.policy.require_tools(&mut report);
        Checked {
            report,
            session_close,
            endpoint: self.endpoint,
            credential: self.credential,
        }
    }
}

/// Prepares and runs the check in one go (see [`prepare`]).
///
/// # Errors
/// As [`prepare`]: nothing is sent then. Every failure of the check itself is the report's
/// verdict.
pub async fn check(
    request: &CheckRequest<'_>,
    credential: impl FnOnce() -> Result<Credential>,
    progress: &mut (dyn FnMut(ProbeProgress) + Send),
) -> Result<Checked> {
    Ok(prepare(request, credential)?.run(progress).await)
}
