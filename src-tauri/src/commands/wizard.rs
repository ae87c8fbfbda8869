//! Commands of the wizard's first step: choosing how to authenticate.

use rovo_mcp_core::auth_method::{self, AuthMethod, AuthMethodInfo};
use serde::Deserialize;

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
