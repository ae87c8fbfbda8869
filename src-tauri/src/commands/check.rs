//! Commands of the check step: probe the entered credential with live progress, and cancel it.
//! The token arrives once, inside the request, and goes straight into a `Secret`: it is never
//! echoed back, logged, or put into an error.

use std::sync::Mutex;

use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::domain::probe::endpoint::EndpointChoice;
use rovo_mcp_core::domain::probe::{ProbeProgress, ProbeReport};
use rovo_mcp_core::domain::secrets::Secret;
use rovo_mcp_core::use_cases::wizard::{self, EnteredCredential, WindowVariables};
use rovo_mcp_core::{Error, ErrorKind};
use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{State, WebviewWindow};
use tokio::sync::oneshot;

use crate::IpcError;
use crate::commands::clients::SetupState;
use crate::wizard_context::WizardContext;

/// The check in progress, if any: at most one runs at a time.
#[derive(Debug, Default)]
pub struct CheckState {
    cancel: Mutex<Option<oneshot::Sender<()>>>,
}

/// What the person entered in step 2. No `Debug`: it holds the token.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckCredentialRequest {
    pub method: AuthMethod,
    pub email: Option<String>,
    /// The client ID, for a service account's OAuth client; `token` is then its secret.
    pub client_id: Option<String>,
    pub token: String,
    /// Which endpoint to check against; the URL itself is chosen in Rust.
    pub endpoint: EndpointChoice,
    /// Check the credential on record with its secret from the keychain instead of what was
    /// entered (the move of a setup to v2); `method`, `email`, `client_id` and `token` are then
    /// not used.
    pub recorded: bool,
}

/// Probes the credential, sending each stage to `on_progress`. `null` when the check was
/// cancelled; a failed check is a report whose verdict is the error kind. The checked
/// credential stays in Rust (`SetupState`) for the write step.
///
/// # Errors
/// `invalid_input` when the input cannot be used (nothing is sent then) or a check is already
/// running.
#[tauri::command]
#[specta::specta]
pub async fn check_credential(
    window: WebviewWindow,
    context: State<'_, WizardContext>,
    state: State<'_, CheckState>,
    setup: State<'_, SetupState>,
    request: CheckCredentialRequest,
    on_progress: Channel<ProbeProgress>,
) -> Result<Option<ProbeReport>, IpcError> {
    let cancelled = state.start()?;
    let _running = Running(&state);
    let secret = Secret::new(request.token);
    let endpoint_variable = context.endpoint_variable();
    let token_url_variable = context.token_url_variable();
    let environment = context.environment()?;
    let mut progress = |stage: ProbeProgress| {
        // A closed window has no one to tell; the check finishes regardless.
        let _sent = on_progress.send(stage);
    };
    let recorded = if request.recorded {
        Some(wizard::credential_on_record(
            &environment,
            context.keychain(),
        )?)
    } else {
        None
    };
    let entered = recorded.as_ref().map_or(
        EnteredCredential {
            method: request.method,
            email: request.email.as_deref(),
            client_id: request.client_id.as_deref(),
            secret: &secret,
            token_url: None,
        },
        wizard::RecordedCredential::as_entered,
    );
    let check = wizard::check_entered(
        entered,
        request.endpoint,
        WindowVariables {
            endpoint: endpoint_variable.as_deref(),
            token_url: token_url_variable.as_deref(),
        },
        &environment,
        &mut progress,
    );
    // Whatever an earlier check kept is not what this one checks: the write step must never
    // use it once this one refused, failed to keep anything or was cancelled.
    setup.forget(window.label());
    tokio::select! {
        // The session's DELETE keeps running in the background; nothing waits for it.
        result = check => {
            let (report, _close, checked) = result?;
            if let Some(checked) = checked {
                setup.keep(window.label(), checked);
            }
            Ok(Some(report))
        }
        _ = cancelled => Ok(None),
    }
}

/// Stops the running check, if any; its `check_credential` call then returns `null`.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn cancel_check(state: State<'_, CheckState>) {
    if let Some(cancel) = state.lock().take() {
        let _sent = cancel.send(());
    }
}

impl CheckState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<oneshot::Sender<()>>> {
        self.cancel
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Marks a check as running and returns what resolves when it is cancelled.
    fn start(&self) -> Result<oneshot::Receiver<()>, IpcError> {
        let mut cancel = self.lock();
        if cancel.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "a check is already running; wait for it or cancel it",
            )
            .into());
        }
        let (sender, receiver) = oneshot::channel();
        *cancel = Some(sender);
        Ok(receiver)
    }
}

/// Clears the running check when its command ends, however it ends.
struct Running<'a>(&'a CheckState);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.lock().take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_check_is_refused_while_one_runs_and_allowed_after_it() {
        let state = CheckState::default();
        let mut cancelled = state.start().expect("the first check starts");
        let refused = state.start().expect_err("a second check while one runs");
        assert_eq!(
            refused.kind,
            ErrorKind::InvalidInput,
            "the refusal is typed"
        );

        if let Some(cancel) = state.lock().take() {
            cancel.send(()).expect("the check listens for its cancel");
        }
        assert!(
            cancelled.try_recv().is_ok(),
            "cancel reaches the running check"
        );
        drop(Running(&state));
        assert!(
            state.start().is_ok(),
            "a new check may start once the last one ended"
        );
    }
}
