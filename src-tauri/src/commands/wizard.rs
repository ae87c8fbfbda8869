//! Commands of the wizard's frame and first step: how the window was started, choosing how to
//! authenticate, and the organisation's policy that locks some choices on every step.

use rovo_mcp_core::domain::auth_method::{self, AuthMethod, AuthMethodInfo};
use rovo_mcp_core::domain::policy::LockedChoices;
use rovo_mcp_core::use_cases::wizard;
use serde::Deserialize;
use tauri::State;

use crate::IpcError;
use crate::wizard_context::{AppMode, WizardContext};

/// Whether this window is the demo (and where its sandbox is): the UI shows a banner then.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn app_mode(context: State<'_, WizardContext>) -> AppMode {
    context.mode()
}

/// The methods the wizard offers, each with what it needs and how it is sent.
#[tauri::command]
#[specta::specta]
pub fn auth_methods() -> Vec<AuthMethodInfo> {
    auth_method::auth_methods()
}

/// The person's choice in step 1.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChooseAuthMethodRequest {
    pub method: AuthMethod,
}

/// What the chosen method needs: shown under the choice and used to build step 2.
#[tauri::command]
#[specta::specta]
pub fn choose_auth_method(request: ChooseAuthMethodRequest) -> AuthMethodInfo {
    request.method.info()
}

/// The choices the organisation's policy locks, with who sets them and where to get help.
///
/// # Errors
/// `invalid_input` naming the policy's file or registry key when it cannot be used.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn current_policy(context: State<'_, WizardContext>) -> Result<LockedChoices, IpcError> {
    Ok(wizard::locked_choices(&context.environment()?)?)
}
