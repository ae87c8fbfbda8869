//! Commands of the "Rotate token…" window: what is set up now, the rotation once the new
//! secret passed its check (`check_credential`, called from that window), and opening the
//! window from the setup window.

use chrono::Utc;
use rovo_mcp_core::use_cases::care;
use rovo_mcp_core::use_cases::rotation::{self, RotationTarget};
use rovo_mcp_core::use_cases::setup::RotateOutcome;
use serde::Deserialize;
use tauri::{AppHandle, State, WebviewWindow};

use crate::IpcError;
use crate::commands::clients::SetupState;
use crate::wizard_context::WizardContext;

/// The credential on record and the clients that use it.
///
/// # Errors
/// `invalid_input` when nothing is set up yet; `state_unreadable` for a state file that does
/// not read.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn rotation_target(context: State<'_, WizardContext>) -> Result<RotationTarget, IpcError> {
    let today = care::local_date(Utc::now());
    Ok(rotation::rotation_target(&context.environment()?, today)?)
}

/// The new token's expiry date (`YYYY-MM-DD`), for reminders.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotateCredentialRequest {
    pub expires_on: Option<String>,
}

/// Puts the credential this window just checked into the keychain and every client.
///
/// # Errors
/// `invalid_input` when this window has no passing check, or for a malformed date.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn rotate_credential(
    window: WebviewWindow,
    context: State<'_, WizardContext>,
    state: State<'_, SetupState>,
    request: RotateCredentialRequest,
) -> Result<RotateOutcome, IpcError> {
    let environment = context.environment()?;
    context.writing(|| {
        state.with_checked(window.label(), |checked| {
            Ok(rotation::rotate_checked(
                checked,
                request.expires_on.as_deref(),
                &environment,
                context.keychain(),
            )?)
        })
    })
}

/// Opens the rotate window, or focuses it when it is open.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn open_rotate_window(app: AppHandle) {
    crate::shell::open_rotate(&app);
}
