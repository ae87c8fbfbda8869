//! What a probe found, in the shape of design §7's `validate --json`: the verdict, the tools
//! grouped by product, the permission groups missing against the catalogue, the account and
//! its sites, or the failure.

use std::collections::BTreeMap;

use rmcp::model::Tool;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::failure::ProbeFailure;
use crate::ErrorKind;
use crate::auth_method::AuthMethod;
use crate::catalogue::{Access, Catalogue, GroupAuth, Product};
use crate::credentials::CredentialWarning;

/// The outcome in one word: `ok`, `limited`, or the error kind of the failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Product tools are listed: the credential is ready to use.
    Ok,
    /// Signed in, but only platform or Teamwork Graph tools are listed.
    Limited,
    /// The check failed; the report's `error` says why.
    Failed(ErrorKind),
}

impl Verdict {
    /// The process exit code (design §4).
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Limited => 5,
            Self::Failed(kind) => kind.exit_code(),
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Ok => serializer.serialize_str("ok"),
            Self::Limited => serializer.serialize_str("limited"),
            Self::Failed(kind) => kind.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Verdict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = String::deserialize(deserializer)?;
        Ok(match word.as_str() {
            "ok" => Self::Ok,
            "limited" => Self::Limited,
            _ => Self::Failed(ErrorKind::deserialize(
                serde::de::value::StrDeserializer::<D::Error>::new(&word),
            )?),
        })
    }
}

/// The full report of one probe.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProbeReport {
    /// `ok`, `limited`, or an error kind (typed as a string across IPC: see [`Verdict`]).
    #[specta(type = String)]
    pub verdict: Verdict,
    pub auth: Option<AuthMethod>,
    pub endpoint: Option<String>,
    pub server: Option<ServerIdentity>,
    pub protocol_version: Option<String>,
    pub tools: Vec<ToolSummary>,
    pub products: Vec<ProductSummary>,
    pub missing_groups: Vec<MissingGroup>,
    /// What `atlassianUserInfo` returned, as it returned it.
    #[specta(type = Option<AccountShape>)]
    pub account: Option<Value>,
    pub sites: Vec<Site>,
    /// Why a `limited` credential is limited and what to do; `None` otherwise.
    pub limitation: Option<Advice>,
    pub error: Option<ProbeFailure>,
    pub warnings: Vec<WarningReport>,
    pub timings: Timings,
}

impl ProbeReport {
    /// A report for a probe that stopped before or during the exchange.
    pub fn failed(failure: ProbeFailure) -> Self {
        Self {
            verdict: Verdict::Failed(failure.kind),
            auth: None,
            endpoint: None,
            server: None,
            protocol_version: None,
            tools: Vec::new(),
            products: Vec::new(),
            missing_groups: Vec::new(),
            account: None,
            sites: Vec::new(),
            limitation: None,
            error: Some(failure),
            warnings: Vec::new(),
            timings: Timings::default(),
        }
    }
}

/// How the account is typed across IPC: the fields `atlassianUserInfo` is known to return.
/// The report carries the tool's JSON as it came, so any of them may be absent.
#[derive(specta::Type)]
#[expect(
    dead_code,
    reason = "describes the JSON of `ProbeReport::account` to specta only"
)]
struct AccountShape {
    #[specta(optional)]
    account_id: Option<String>,
    #[specta(optional)]
    email: Option<String>,
    #[specta(optional)]
    name: Option<String>,
}

/// The server's name and version from `initialize`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ServerIdentity {
    pub name: String,
    pub version: String,
}

/// One listed tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolSummary {
    pub name: String,
    /// `title`, else the annotations' title, else the name (the spec's display precedence).
    pub title: String,
    pub description: Option<String>,
    pub product: Product,
    /// The catalogue's permission group, when the tool is documented there.
    pub group: Option<String>,
    /// The server's `readOnlyHint`, else the catalogue group's access, else false.
    pub read_only: bool,
}

/// How many tools a product has, split into read and write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductSummary {
    pub product: Product,
    pub name: &'static str,
    #[specta(type = u32)]
    pub read: usize,
    #[specta(type = u32)]
    pub write: usize,
}

/// A permission group of the catalogue of which no tool is listed, and the likely reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MissingGroup {
    pub group: String,
    pub product: Product,
    pub access: Access,
    pub reason: MissingReason,
    pub explanation: &'static str,
}

/// Why a group is likely missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MissingReason {
    /// The group is offered only to OAuth sign-in (Compass).
    OauthOnly,
    /// The token lacks the group's scopes, or an admin turned the group off.
    NotGranted,
    /// Bitbucket also needs the workspace linked to the organisation.
    NotGrantedOrNotLinked,
}

/// A site the credential reaches, from `getAccessibleAtlassianResources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    pub cloud_id: String,
    pub url: String,
    pub name: String,
}

/// A message and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Advice {
    pub message: String,
    pub hint: String,
}

/// A credential warning as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct WarningReport {
    pub code: CredentialWarning,
    pub message: &'static str,
}

impl From<CredentialWarning> for WarningReport {
    fn from(code: CredentialWarning) -> Self {
        Self {
            code,
            message: code.message(),
        }
    }
}

/// How long the probe took, and how many sequential exchanges with the server it needed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Timings {
    // A check lasts seconds: far below 2^53, so a JavaScript number holds it exactly.
    #[specta(type = u32)]
    pub total_ms: u64,
    pub sequential_exchanges: u32,
}

/// Summarises listed tools against `catalogue`.
pub fn summarise_tools(tools: &[Tool], catalogue: &Catalogue) -> Vec<ToolSummary> {
    tools
        .iter()
        .map(|tool| {
            let name = tool.name.to_string();
            let group = catalogue.group_of(&name);
            let hinted = tool
                .annotations
                .as_ref()
                .and_then(|annotations| annotations.read_only_hint);
            let title = tool
                .title
                .clone()
                .or_else(|| tool.annotations.as_ref()?.title.clone())
                .unwrap_or_else(|| name.clone());
            ToolSummary {
                title,
                description: tool.description.as_ref().map(ToString::to_string),
                product: catalogue.product_of(&name),
                group: group.map(|group| group.id.clone()),
                read_only: hinted
                    .or_else(|| group.map(|group| group.access != Access::Write))
                    .unwrap_or(false),
                name,
            }
        })
        .collect()
}

/// Counts per product, in the catalogue's product order.
pub fn summarise_products(tools: &[ToolSummary]) -> Vec<ProductSummary> {
    let mut counts: BTreeMap<Product, (usize, usize)> = BTreeMap::new();
    for tool in tools {
        let (read, write) = counts.entry(tool.product).or_default();
        if tool.read_only {
            *read += 1;
        } else {
            *write += 1;
        }
    }
    counts
        .into_iter()
        .map(|(product, (read, write))| ProductSummary {
            product,
            name: product.display_name(),
            read,
            write,
        })
        .collect()
}

/// `ok` when a product tool is listed, `limited` when only sign-in tools are.
pub fn verdict_of(tools: &[ToolSummary]) -> Verdict {
    if tools.iter().any(|tool| !tool.product.is_sign_in_only()) {
        Verdict::Ok
    } else {
        Verdict::Limited
    }
}

/// The catalogue's groups (other than the platform tools) of which no tool is listed.
pub fn missing_groups(tools: &[ToolSummary], catalogue: &Catalogue) -> Vec<MissingGroup> {
    catalogue
        .groups
        .iter()
        .filter(|group| group.product != Product::Platform)
        .filter(|group| {
            !tools
                .iter()
                .any(|tool| group.tools.contains(&tool.name))
        })
        .map(|group| {
            let (reason, explanation) = match (group.auth, group.product) {
                (GroupAuth::OauthOnly, _) => (
                    MissingReason::OauthOnly,
                    "offered only to OAuth sign-in, never to API tokens",
                ),
                (_, Product::Bitbucket) => (
                    MissingReason::NotGrantedOrNotLinked,
                    "the token lacks the Bitbucket scopes, the workspace is not linked to the organisation, or an admin turned the group off",
                ),
                _ => (
                    MissingReason::NotGranted,
                    "the token was created without this group's scopes, or an admin turned the group off",
                ),
            };
            MissingGroup {
                group: group.id.clone(),
                product: group.product,
                access: group.access,
                reason,
                explanation,
            }
        })
        .collect()
}

/// Why a `limited` credential sees only sign-in tools, from what it sees and how it was sent.
pub fn limitation(tools: &[ToolSummary], method: AuthMethod) -> Advice {
    let graph_only = tools
        .iter()
        .any(|tool| tool.product == Product::TeamworkGraph);
    match (graph_only, method) {
        (true, AuthMethod::Service) => Advice {
            message: "signed in, but only Teamwork Graph tools are listed: this is what a personal API token sent as Bearer gets".to_owned(),
            hint: "if this is a personal token, check it with --auth personal and its email (sent as Basic); a service key needs the Rovo MCP scopes".to_owned(),
        },
        _ => Advice {
            message: "signed in, but no Jira, Confluence or other product tools are listed: the token is probably a classic token without scopes".to_owned(),
            hint: "create a token with \"Create API token with scopes\" (app: Rovo MCP, all scopes) at https://id.atlassian.com/manage-profile/security/api-tokens".to_owned(),
        },
    }
}

/// The JSON a tool call returned: its structured content, else its first text parsed as JSON,
/// else that text as a string. `None` for a call that reported an error.
pub fn tool_output(result: &Value) -> Option<Value> {
    if result.get("isError").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    if let Some(structured) = result.get("structuredContent") {
        return Some(structured.clone());
    }
    let text = result
        .get("content")?
        .as_array()?
        .iter()
        .find_map(|block| block.get("text").and_then(Value::as_str))?;
    Some(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
}

/// The sites in `getAccessibleAtlassianResources` output: a list of `{id, url, name}` (the
/// shape of the REST `accessible-resources`), bare or under a key.
pub fn sites_of(output: &Value) -> Vec<Site> {
    let list = output
        .as_array()
        .or_else(|| output.as_object()?.values().find_map(Value::as_array));
    let text = |site: &Value, key: &str| {
        site.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    list.into_iter()
        .flatten()
        .filter(|site| site.is_object())
        .map(|site| Site {
            cloud_id: site
                .get("cloudId")
                .or_else(|| site.get("id"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            url: text(site, "url"),
            name: text(site, "name"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rmcp::model::ToolAnnotations;
    use serde_json::json;

    use super::*;

    fn tool(name: &'static str, read_only: Option<bool>) -> Tool {
        let tool = Tool::new(name, "", Arc::new(serde_json::Map::new()));
        match read_only {
            Some(read_only) => tool.annotate(ToolAnnotations::new().read_only(read_only)),
            None => tool,
        }
    }

    fn summaries(names: &[&'static str]) -> Vec<ToolSummary> {
        let tools: Vec<Tool> = names.iter().map(|name| tool(name, None)).collect();
        summarise_tools(&tools, Catalogue::known())
    }

    #[test]
    fn only_platform_or_graph_tools_is_limited_anything_else_is_ok() {
        assert_eq!(
            verdict_of(&summaries(&[
                "atlassianUserInfo",
                "getAccessibleAtlassianResources"
            ])),
            Verdict::Limited,
            "a classic token sees only the platform tools"
        );
        assert_eq!(
            verdict_of(&summaries(&[
                "getTeamworkGraphContext",
                "getTeamworkGraphObject"
            ])),
            Verdict::Limited,
            "a personal token sent as Bearer sees only Teamwork Graph tools"
        );
        assert_eq!(
            verdict_of(&[]),
            Verdict::Limited,
            "no tools at all is no use"
        );
        assert_eq!(
            verdict_of(&summaries(&["atlassianUserInfo", "listJiraProjects"])),
            Verdict::Ok,
            "a renamed product tool still counts: names are data"
        );
    }

    #[test]
    fn read_only_comes_from_the_hint_then_the_catalogue() {
        let tools = [
            tool("createJiraIssue", None),
            tool("getJiraIssue", None),
            tool("createJiraIssue", Some(true)),
            tool("somethingNew", None),
        ];
        let read_only: Vec<bool> = summarise_tools(&tools, Catalogue::known())
            .iter()
            .map(|tool| tool.read_only)
            .collect();
        assert_eq!(
            read_only,
            [false, true, true, false],
            "the catalogue's access fills in a missing hint; an unknown tool is assumed to write"
        );
    }

    #[test]
    fn missing_groups_name_compass_as_oauth_only() {
        let missing = missing_groups(&summaries(&["getJiraIssue"]), Catalogue::known());
        let compass = missing
            .iter()
            .find(|group| group.group == "read_compass")
            .expect("Compass is never listed for a token");
        assert_eq!(compass.reason, MissingReason::OauthOnly);
        assert!(
            !missing.iter().any(|group| group.group == "read_jira"),
            "a listed group is not missing"
        );
        assert!(
            !missing.iter().any(|group| group.group == "platform"),
            "the platform tools are not a permission group"
        );
    }

    #[test]
    fn sites_come_from_a_bare_list_or_one_under_a_key() {
        let site = json!({"id": "c1", "url": "https://a.atlassian.net", "name": "a", "scopes": []});
        let expected = vec![Site {
            cloud_id: "c1".into(),
            url: "https://a.atlassian.net".into(),
            name: "a".into(),
        }];
        assert_eq!(sites_of(&json!([site.clone()])), expected);
        assert_eq!(sites_of(&json!({"resources": [site]})), expected);
        assert!(
            sites_of(&json!("no sites")).is_empty(),
            "text is not a site"
        );
    }

    #[test]
    fn tool_output_prefers_structured_content_then_json_text() {
        assert_eq!(
            tool_output(&json!({"content": [{"type": "text", "text": "{\"a\":1}"}]})),
            Some(json!({"a": 1}))
        );
        assert_eq!(
            tool_output(&json!({"structuredContent": {"b": 2}, "content": []})),
            Some(json!({"b": 2}))
        );
        assert_eq!(
            tool_output(&json!({"isError": true, "content": [{"type": "text", "text": "no"}]})),
            None,
            "an error result is no account"
        );
    }
}
