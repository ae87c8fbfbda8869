//! Commands of the clients, write and done steps: list the clients, preview and write the chosen
//! ones with the credential the check step kept in Rust, and undo that write. The credential
//! stays in `SetupState`; it never goes back to the UI.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rovo_mcp_core::domain::clients::ClientStatus;
use rovo_mcp_core::use_cases::setup::PlannedChange;
use rovo_mcp_core::use_cases::wizard::{
    self, CheckedCredential, ClientChoice, UndoOutcome, WizardWriteOutcome, WriteUndo,
};
use rovo_mcp_core::{Error, ErrorKind};
use serde::Deserialize;
use tauri::{State, WebviewWindow};

use crate::IpcError;
use crate::wizard_context::WizardContext;

/// What the wizard remembers between its steps, in Rust only.
#[derive(Debug, Default)]
pub struct SetupState {
    /// The credential of each window's last check, whatever its verdict, by window label: the
    /// rotate window's check never replaces the one the setup window is about to write.
    checked: Mutex<HashMap<String, CheckedCredential>>,
    /// What the last preview showed.
    previewed: Mutex<Vec<PlannedChange>>,
    /// What Undo of the last write puts back.
    undo: Mutex<Option<WriteUndo>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SetupState {
    /// Keeps the credential `window` just checked.
    pub fn keep(&self, window: &str, checked: CheckedCredential) {
        lock(&self.checked).insert(window.to_owned(), checked);
    }

    /// Forgets the credential `window` kept, as a new check of it starts.
    pub fn forget(&self, window: &str) {
        lock(&self.checked).remove(window);
    }

    /// Runs `use_it` with the credential `window` last checked.
    ///
    /// # Errors
    /// `invalid_input` when that window has checked nothing yet; else what `use_it` returns.
    pub fn with_checked<T>(
        &self,
        window: &str,
        use_it: impl FnOnce(&CheckedCredential) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        let checked = lock(&self.checked);
        use_it(checked.get(window).ok_or_else(not_checked)?)
    }
}

fn not_checked() -> IpcError {
    Error::new(
        ErrorKind::InvalidInput,
        "check the credential first; nothing was changed",
    )
    .into()
}

/// Every supported client with its state.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn list_clients(context: State<'_, WizardContext>) -> Result<Vec<ClientStatus>, IpcError> {
    Ok(wizard::clients_overview(&context.environment()?)?)
}

/// The clients ticked in step 5, each with its secret mode, and whether they get every tool
/// directly (`?tools=all`).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewClientsRequest {
    pub clients: Vec<ClientChoice>,
    pub all_tools: bool,
}

/// The change each chosen client would get, with masked diffs; nothing is written.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn preview_clients(
    window: WebviewWindow,
    context: State<'_, WizardContext>,
    state: State<'_, SetupState>,
    request: PreviewClientsRequest,
) -> Result<Vec<PlannedChange>, IpcError> {
    let environment = context.environment()?;
    let previewed = state.with_checked(window.label(), |checked| {
        Ok(wizard::preview_clients(
            checked,
            &request.clients,
            request.all_tools,
            &environment,
        )?)
    })?;
    lock(&state.previewed).clone_from(&previewed);
    Ok(previewed)
}

/// The clients to write, whether they get every tool directly, and the token's expiry date
/// (`YYYY-MM-DD`) for reminders.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WriteClientsRequest {
    pub clients: Vec<ClientChoice>,
    pub all_tools: bool,
    pub expires_on: Option<String>,
}

/// Stores the secret in the keychain and writes each chosen client.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn write_clients(
    window: WebviewWindow,
    context: State<'_, WizardContext>,
    state: State<'_, SetupState>,
    request: WriteClientsRequest,
) -> Result<WizardWriteOutcome, IpcError> {
    let environment = context.environment()?;
    let previewed = lock(&state.previewed).clone();
    let (outcome, undo) = context.writing(|| {
        state.with_checked(window.label(), |checked| {
            Ok(wizard::write_clients(
                checked,
                &request.clients,
                request.all_tools,
                &previewed,
                request.expires_on.as_deref(),
                &environment,
                context.keychain(),
            )?)
        })
    })?;
    *lock(&state.undo) = Some(undo);
    Ok(outcome)
}

/// Puts every file of the last write back as it was, and the keychain item and the credential
/// on record with them; a second call does nothing.
#[tauri::command(async)]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn undo_write(
    context: State<'_, WizardContext>,
    state: State<'_, SetupState>,
) -> Result<UndoOutcome, IpcError> {
    let environment = context.environment()?;
    let undo = lock(&state.undo).take().unwrap_or_default();
    Ok(context.writing(|| wizard::undo(&undo, &environment, context.keychain())))
}
