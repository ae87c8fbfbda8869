//! The verdict of a probe from the tool list and the two real calls together: a refusal at
//! call time outranks any list, and `ok` needs product tools and a call that answered.

use super::call_reading::{self, CallReading, Refusal, RefusalReason};
use super::failure::ProbeFailure;
use super::report::{self, Limitation, LimitationCause, Site, ToolSummary, Verdict};
use crate::ErrorKind;
use crate::domain::auth_method::AuthMethod;

/// Where an admin turns API-token sign-in on (support.atlassian.com "Control Atlassian Rovo
/// MCP server settings", read 2026-12-03).
const API_TOKEN_ADMIN_PATH: &str =
    "Atlassian Administration → Rovo → Rovo MCP server → Authentication";

/// The verdict, why a `limited` one is limited, and the account to show, when the account
/// call's answer is one and the verdict lets it be shown.
#[derive(Debug)]
pub struct Judged {
    pub verdict: Verdict,
    pub limitation: Option<Limitation>,
    pub account: Option<serde_json::Value>,
}

/// Judges the flat list `tools` with the readings of `atlassianUserInfo` (`account`) and
/// `getAccessibleAtlassianResources` (`resources`, whose sites are `sites`). A refusal of the
/// whole credential (API-token sign-in off, the IP allowlist, any other error object) is the
/// failure returned.
pub fn judge(
    tools: &[ToolSummary],
    account: &CallReading,
    resources: &CallReading,
    sites: &[Site],
    method: AuthMethod,
) -> Result<Judged, ProbeFailure> {
    let refusals: Vec<&Refusal> = [account, resources]
        .into_iter()
        .filter_map(|reading| match reading {
            CallReading::Refused(refusal) => Some(refusal),
            _ => None,
        })
        .collect();
    if let Some(refusal) = refusals.iter().find(|refusal| {
        matches!(
            refusal.reason,
            RefusalReason::ApiTokenSignInOff | RefusalReason::IpNotAllowed | RefusalReason::Other
        )
    }) {
        return Err(credential_refused(refusal));
    }
    let products = report::has_product_tools(tools);
    if let Some(refusal) = refusals
        .iter()
        .find(|refusal| refusal.reason == RefusalReason::LegacyToken)
    {
        if products {
            return Err(ProbeFailure::new(
                ErrorKind::ForbiddenLegacyToken,
                format!(
                    "the server lists tools but refused a call for a classic token: \"{}\"",
                    refusal.message
                ),
                "create a new token with \"Create API token with scopes\" (app: Rovo MCP V2) and use that",
            ));
        }
        return Ok(limited(Limitation {
            cause: LimitationCause::ClassicToken,
            message: format!(
                "signed in, but this is a classic API token without scopes: the server answered \"{}\"",
                refusal.message
            ),
            hint: "create a new token with \"Create API token with scopes\" (app: Rovo MCP V2) at https://id.atlassian.com/manage-profile/security/api-tokens".to_owned(),
        }));
    }
    if let Some(refusal) = refusals
        .iter()
        .find(|refusal| matches!(refusal.reason, RefusalReason::InsufficientScope { .. }))
    {
        let scopes = match &refusal.reason {
            RefusalReason::InsufficientScope { scopes } if !scopes.is_empty() => scopes.join(", "),
            _ => "a scope it did not name".to_owned(),
        };
        return Ok(limited(Limitation {
            cause: LimitationCause::InsufficientScope,
            message: format!(
                "signed in, but a tool call was refused for a missing scope ({scopes}): \"{}\"",
                refusal.message
            ),
            hint: format!(
                "make a new token with \"Create API token with scopes\" that includes {scopes} (app: Rovo MCP V2)"
            ),
        }));
    }
    if !products {
        return Ok(limited(report::limitation_by_list(tools, method)));
    }
    let account_read = call_reading::account_of(account);
    let sites_read = match resources {
        CallReading::Answered(_) if !sites.is_empty() => Ok(()),
        CallReading::Answered(_) => {
            Err("getAccessibleAtlassianResources answered with no site".to_owned())
        }
        CallReading::Unreadable(why) => Err(why.clone()),
        CallReading::Refused(refusal) => Err(refusal.message.clone()),
        CallReading::NotOffered => Err("getAccessibleAtlassianResources is not offered".to_owned()),
    };
    if let (Err(account_why), Err(sites_why)) = (&account_read, &sites_read) {
        return Err(ProbeFailure::new(
            ErrorKind::ProtocolError,
            format!(
                "the server lists tools, but no real call confirmed the credential: {account_why}; {sites_why}"
            ),
            "check again in a minute; if it stays, the server is not answering tool calls as the Rovo MCP server does: report it",
        ));
    }
    Ok(Judged {
        verdict: Verdict::Ok,
        limitation: None,
        account: account_read.ok(),
    })
}

fn limited(limitation: Limitation) -> Judged {
    Judged {
        verdict: Verdict::Limited,
        limitation: Some(limitation),
        account: None,
    }
}

/// The failure for a refusal of the whole credential at call time.
fn credential_refused(refusal: &Refusal) -> ProbeFailure {
    let said = &refusal.message;
    let mut failure = match refusal.reason {
        RefusalReason::IpNotAllowed => ProbeFailure::new(
            ErrorKind::ForbiddenIp,
            format!(
                "the server signed the credential in, then refused its first tool call from this network's IP address: \"{said}\""
            ),
            "ask your Atlassian organisation admin to add this network to the IP allowlist, or connect through the company VPN",
        ),
        RefusalReason::ApiTokenSignInOff => ProbeFailure::new(
            ErrorKind::Forbidden,
            format!(
                "the server signed the credential in, then refused its first tool call: API-token sign-in is turned off for this organisation (\"{said}\")"
            ),
            format!(
                "ask your organisation admin to allow API tokens in {API_TOKEN_ADMIN_PATH}, or use OAuth sign-in"
            ),
        ),
        _ => ProbeFailure::new(
            ErrorKind::Forbidden,
            format!(
                "the server signed the credential in, then refused its first tool call: \"{said}\""
            ),
            format!(
                "an organisation admin may have turned off API-token sign-in ({API_TOKEN_ADMIN_PATH}) or the tool's permission group"
            ),
        ),
    };
    failure.body_excerpt = super::failure::excerpt(said.as_bytes());
    failure
}
