//! The ways to authenticate to the Rovo MCP server, and what each asks of the person.

use serde::{Deserialize, Serialize};

/// Where a person creates a personal API token ("Create API token with scopes").
pub const PERSONAL_TOKEN_PAGE: &str = "https://id.atlassian.com/manage-profile/security/api-tokens";

/// Where an organisation admin creates a service account's API key
/// (Directory → Service accounts → Create credentials).
pub const SERVICE_KEY_PAGE: &str = "https://admin.atlassian.com";

/// How a credential authenticates: the wizard's first choice and the command line's `--auth`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    specta::Type,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// A personal API token with scopes, sent as `Basic base64(email:token)`.
    Personal,
    /// A service account's API key, sent as `Bearer <key>`.
    Service,
    /// A service account's OAuth 2.0 client (ID and secret), exchanged at Atlassian's token
    /// endpoint for an access token of about an hour, sent as `Bearer <access token>`.
    #[serde(rename = "service-oauth")]
    #[value(name = "service-oauth")]
    ServiceOauth,
}

/// The HTTP `Authorization` scheme a method uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    Basic,
    Bearer,
}

/// One thing the person has to supply for a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum CredentialField {
    /// The Atlassian account's email address (personal tokens only).
    Email,
    /// A personal API token with scopes.
    ApiToken,
    /// A service account's API key.
    ServiceKey,
    /// A service account's OAuth client ID.
    ClientId,
    /// A service account's OAuth client secret.
    ClientSecret,
}

/// Everything the wizard and the command line show about a method before a secret is entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuthMethodInfo {
    pub method: AuthMethod,
    pub scheme: AuthScheme,
    /// The header the app will send, with placeholders instead of values.
    pub header_template: String,
    /// What the person types in the next step, in order.
    pub credential_fields: Vec<CredentialField>,
    /// Where the credential is created.
    pub credential_page_url: String,
}

impl AuthMethod {
    /// The method's name, as `--auth` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Service => "service",
            Self::ServiceOauth => "service-oauth",
        }
    }

    /// Every method.
    pub const ALL: [Self; 3] = [Self::Personal, Self::Service, Self::ServiceOauth];

    /// What this method needs and how it is sent.
    pub fn info(self) -> AuthMethodInfo {
        let (scheme, header_template, credential_fields, page) = match self {
            Self::Personal => (
                AuthScheme::Basic,
                "Authorization: Basic base64(email:token)",
                vec![CredentialField::Email, CredentialField::ApiToken],
                PERSONAL_TOKEN_PAGE,
            ),
            Self::Service => (
                AuthScheme::Bearer,
                "Authorization: Bearer <service account API key>",
                vec![CredentialField::ServiceKey],
                SERVICE_KEY_PAGE,
            ),
            Self::ServiceOauth => (
                AuthScheme::Bearer,
                "Authorization: Bearer <access token from the client ID and secret>",
                vec![CredentialField::ClientId, CredentialField::ClientSecret],
                SERVICE_KEY_PAGE,
            ),
        };
        AuthMethodInfo {
            method: self,
            scheme,
            header_template: header_template.to_owned(),
            credential_fields,
            credential_page_url: page.to_owned(),
        }
    }
}

/// The methods the wizard offers, each with what it needs.
pub fn auth_methods() -> Vec<AuthMethodInfo> {
    AuthMethod::ALL.into_iter().map(AuthMethod::info).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_token_is_basic_and_asks_for_email_then_token() {
        let info = AuthMethod::Personal.info();
        assert_eq!(
            info.scheme,
            AuthScheme::Basic,
            "personal tokens go out as Basic base64(email:token)"
        );
        assert_eq!(
            info.credential_fields,
            [CredentialField::Email, CredentialField::ApiToken],
            "Basic needs the account email before the token"
        );
        assert_eq!(info.credential_page_url, PERSONAL_TOKEN_PAGE);
    }

    #[test]
    fn service_key_is_bearer_and_asks_only_for_the_key() {
        let info = AuthMethod::Service.info();
        assert_eq!(
            info.scheme,
            AuthScheme::Bearer,
            "service keys go out as Bearer"
        );
        assert_eq!(
            info.credential_fields,
            [CredentialField::ServiceKey],
            "a service key needs no email"
        );
    }

    #[test]
    fn the_wire_format_is_what_the_ui_bindings_expect() {
        let json = serde_json::to_value(AuthMethod::Personal.info()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "method": "personal",
                "scheme": "basic",
                "headerTemplate": "Authorization: Basic base64(email:token)",
                "credentialFields": ["email", "apiToken"],
                "credentialPageUrl": PERSONAL_TOKEN_PAGE,
            }),
            "field names and enum values cross IPC and must stay camelCase/lowercase"
        );
    }

    #[test]
    fn the_wizard_offers_personal_then_the_service_key_then_the_oauth_client() {
        let methods: Vec<_> = auth_methods().into_iter().map(|info| info.method).collect();
        assert_eq!(
            methods,
            [
                AuthMethod::Personal,
                AuthMethod::Service,
                AuthMethod::ServiceOauth
            ],
            "the wizard's cards follow the order a person most often needs them in"
        );
    }
}
