//! Commands that reach the desktop around the wizard: the browser for the page where a token is
//! made, and start at login for the tray's reminders ("keep me reminded" on the last step).

use rovo_mcp_core::domain::auth_method::AuthMethod;
use rovo_mcp_core::plumbing::start_at_login;
use rovo_mcp_core::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager as _, State};
use tauri_plugin_opener::OpenerExt as _;

use crate::IpcError;
use crate::shell::{StartAtLoginEntry, start_at_login_enabled};
use crate::wizard_context::WizardContext;

/// The method whose credential page to open.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenCredentialPageRequest {
    pub method: AuthMethod,
}

/// Opens the page where the method's credential is made in the default browser. Only these
/// fixed Atlassian pages can be opened: the web view names a method, never a URL.
///
/// # Errors
/// `internal` when no browser could be started; the message carries the URL to open by hand.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn open_credential_page(
    app: AppHandle,
    request: OpenCredentialPageRequest,
) -> Result<(), IpcError> {
    let url = request.method.info().credential_page_url;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|error| {
            Error::new(
                ErrorKind::Internal,
                format!("no browser could be opened ({error}); open {url} yourself"),
            )
            .into()
        })
}

/// Whether the tray starts at login, and whether this app can change it (the demo cannot).
#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StartAtLogin {
    pub available: bool,
    pub enabled: bool,
}

fn start_at_login_of(app: &AppHandle) -> StartAtLogin {
    StartAtLogin {
        available: app.try_state::<StartAtLoginEntry>().is_some(),
        enabled: start_at_login_enabled(app),
    }
}

/// Whether the tray starts at login now.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn start_at_login(app: AppHandle) -> StartAtLogin {
    start_at_login_of(&app)
}

/// Turns start at login on or off (on also starts the tray now), and says how it is afterwards;
/// the tray's checkbox follows within the minute.
///
/// # Errors
/// `invalid_input` in the demo or against the policy's `startAtLogin` (naming the policy);
/// `internal` when the desktop refused the change.
#[tauri::command]
#[specta::specta]
#[expect(
    clippy::needless_pass_by_value,
    reason = "Tauri hands commands their state by value"
)]
pub fn set_start_at_login(
    app: AppHandle,
    context: State<'_, WizardContext>,
    enabled: bool,
) -> Result<StartAtLogin, IpcError> {
    if app.try_state::<StartAtLoginEntry>().is_none() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "the demo does not start at login; a real setup does",
        )
        .into());
    }
    start_at_login::check_change(&context.environment()?, enabled)?;
    crate::shell::set_start_at_login(&app, enabled).map_err(|message| {
        Error::new(
            ErrorKind::Internal,
            format!("start at login could not be changed: {message}"),
        )
    })?;
    Ok(start_at_login_of(&app))
}
