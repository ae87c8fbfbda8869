//! What a probe found, in the shape of design §7's `validate --json`: the verdict, every tool
//! the credential unlocks grouped by product (and which of them a client sees directly), the
//! meta-tools apart, the permission groups missing against the catalogue, the account and its
//! sites, or the failure.

use std::collections::BTreeMap;

use rmcp::model::Tool;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::failure::ProbeFailure;
use crate::ErrorKind;
use crate::domain::auth_method::AuthMethod;
use crate::domain::catalogue::{Access, Catalogue, GroupAuth, Product};
use crate::domain::credentials::CredentialWarning;

/// The outcome in one word: `ok`, `limited`, or the error kind of the failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Product tools are listed and a real tool call answered: the credential is ready to use.
    Ok,
    /// Signed in, but only platform or Teamwork Graph tools are listed, or a tool call was
    /// refused for the token's kind or scopes.
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
    /// Every tool the credential unlocks (the flat list, `?tools=all` on v2), meta-tools left out.
    pub tools: Vec<ToolSummary>,
    /// How the endpoint as chosen shows the tools to a client.
    pub exposure: Option<ToolExposure>,
    /// v2's `discover`/`execute*` tools, which reach the others; never product tools.
    pub meta_tools: Vec<String>,
    pub products: Vec<ProductSummary>,
    pub missing_groups: Vec<MissingGroup>,
    /// What `atlassianUserInfo` returned, when it is an account; a refusal never is.
    #[specta(type = Option<AccountShape>)]
    pub account: Option<Value>,
    pub sites: Vec<Site>,
    /// Why a `limited` credential is limited and what to do; `None` otherwise.
    pub limitation: Option<Limitation>,
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
            exposure: None,
            meta_tools: Vec::new(),
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
    /// The permission group: the catalogue's, else the one its name and annotations point to.
    pub group: Option<String>,
    /// The server's `readOnlyHint`, else the catalogue group's access, else false.
    pub read_only: bool,
    /// Whether a client given the endpoint as chosen sees the tool in its plain `tools/list`
    /// (v2's primary tools); the others it reaches through `discover` and `execute*`.
    pub primary: bool,
}

/// How the endpoint shows the tools a credential unlocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolExposure {
    /// The URL of the flat list of every tool (`?tools=all`), which the probe counted.
    pub all_tools_endpoint: String,
    /// How many product and platform tools a client sees directly in the plain list.
    pub primary: u32,
    /// How many the credential unlocks in all.
    pub total: u32,
    /// Whether the plain list is already every tool (v1, or an endpoint given with `?tools=all`).
    pub flat: bool,
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
    /// The group's scopes cannot be granted to a service account's API key yet (Teams).
    NotForServiceKeys,
    /// The group is off until an organisation admin turns it on (`delete_jira`, `manage_jira`).
    OffByDefault,
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

/// Why a `limited` credential is limited: its cause, a message and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Limitation {
    pub cause: LimitationCause,
    pub message: String,
    pub hint: String,
}

/// What makes a credential `limited`, told apart by what the server returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LimitationCause {
    /// A tool call answered that the tools need a modern API token: a classic token.
    ClassicToken,
    /// Platform and Teamwork Graph tools only, for a personal token: made for the other token
    /// app ("Rovo MCP" against "Rovo MCP V2").
    WrongApp,
    /// Teamwork Graph tools only, sent as Bearer: a personal token sent as a service key.
    PersonalTokenAsBearer,
    /// The platform tools only: the token's scopes match no tool.
    ScopesMatchNoTool,
    /// A tool call was refused for a scope the token lacks.
    InsufficientScope,
    /// The organisation's policy requires tools this credential does not unlock.
    RequiredToolsMissing,
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

/// Summarises the flat list `tools` against `catalogue`, meta-tools left out; `primary` names
/// the tools of the plain list, `None` when the plain list is the flat one.
pub fn summarise_tools(
    tools: &[Tool],
    primary: Option<&[String]>,
    catalogue: &Catalogue,
) -> Vec<ToolSummary> {
    let mut seen: Vec<&str> = Vec::new();
    tools
        .iter()
        .filter(|tool| !catalogue.is_meta_tool(&tool.name))
        // A flat list that repeats a tool (a page boundary served twice) counts it once.
        .filter(|tool| {
            let fresh = !seen.contains(&tool.name.as_ref());
            seen.push(tool.name.as_ref());
            fresh
        })
        .map(|tool| {
            let name = tool.name.to_string();
            let hinted = tool
                .annotations
                .as_ref()
                .and_then(|annotations| annotations.read_only_hint);
            let sorted = catalogue.sort(&name, hinted);
            let title = tool
                .title
                .clone()
                .or_else(|| tool.annotations.as_ref()?.title.clone())
                .unwrap_or_else(|| name.clone());
            ToolSummary {
                title,
                description: tool.description.as_ref().map(ToString::to_string),
                product: sorted.product,
                group: sorted.group.map(|group| group.id.clone()),
                read_only: hinted
                    .or_else(|| sorted.group.map(|group| group.access.only_reads()))
                    .unwrap_or(false),
                primary: primary.is_none_or(|primary| primary.contains(&name)),
                name,
            }
        })
        .collect()
}

/// The meta-tools among `tools`, in the order listed.
pub fn meta_tools_of(tools: &[Tool], catalogue: &Catalogue) -> Vec<String> {
    let mut meta: Vec<String> = Vec::new();
    for tool in tools {
        if catalogue.is_meta_tool(&tool.name) && !meta.iter().any(|name| *name == tool.name) {
            meta.push(tool.name.to_string());
        }
    }
    meta
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

/// Whether a tool of a product is listed, beyond the sign-in tools (platform, Teamwork
/// Graph). Meta-tools are never in `tools`, so they never count.
pub fn has_product_tools(tools: &[ToolSummary]) -> bool {
    tools.iter().any(|tool| !tool.product.is_sign_in_only())
}

/// The catalogue's groups (other than the platform tools) of which no tool is listed, under
/// any of its names or sorted into it by name.
pub fn missing_groups(
    tools: &[ToolSummary],
    catalogue: &Catalogue,
    method: AuthMethod,
) -> Vec<MissingGroup> {
    catalogue
        .groups
        .iter()
        .filter(|group| group.product != Product::Platform)
        .filter(|group| {
            !tools
                .iter()
                .any(|tool| tool.group.as_deref() == Some(group.id.as_str()))
        })
        .map(|group| {
            let (reason, explanation) = match (group.auth, group.product) {
                (GroupAuth::OauthOnly, _) => (
                    MissingReason::OauthOnly,
                    "offered only to OAuth sign-in, never to API tokens",
                ),
                (GroupAuth::NotServiceKeys, _) if method == AuthMethod::Service => (
                    MissingReason::NotForServiceKeys,
                    "its scopes cannot be granted to a service account's API key yet",
                ),
                _ if group.off_by_default => (
                    MissingReason::OffByDefault,
                    "off until an organisation admin turns it on (Atlassian Administration → Rovo → Rovo MCP server → Permissions)",
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

/// The address where tokens are made, for hints.
const TOKEN_PAGE: &str = "https://id.atlassian.com/manage-profile/security/api-tokens";

/// Why a credential that lists no product tool is limited, from what it lists and how it was
/// sent.
pub fn limitation_by_list(tools: &[ToolSummary], method: AuthMethod) -> Limitation {
    let graph = tools
        .iter()
        .any(|tool| tool.product == Product::TeamworkGraph);
    match (graph, method) {
        (true, AuthMethod::Service) => Limitation {
            cause: LimitationCause::PersonalTokenAsBearer,
            message: "signed in, but only Teamwork Graph tools are listed: this is what a personal API token sent as Bearer gets".to_owned(),
            hint: "if this is a personal token, check it with --auth personal and its email (sent as Basic); a service key needs the Rovo MCP scopes".to_owned(),
        },
        (true, AuthMethod::ServiceOauth) => Limitation {
            cause: LimitationCause::ScopesMatchNoTool,
            message: "signed in, but only Teamwork Graph tools are listed: the service account's OAuth credential has none of the Rovo MCP product scopes".to_owned(),
            hint: "create an OAuth 2.0 credential for the service account in admin.atlassian.com (Directory → Service accounts → Create credentials) with the Rovo MCP scopes (filter the app types to Rovo MCP)".to_owned(),
        },
        (true, AuthMethod::Personal) => Limitation {
            cause: LimitationCause::WrongApp,
            message: "signed in, but only platform and Teamwork Graph tools are listed: the token was most likely made for the other Rovo MCP app".to_owned(),
            hint: format!("create a token with \"Create API token with scopes\" and choose the app \"Rovo MCP V2\" for the v2 endpoint (\"Rovo MCP\" for v1), with all its scopes, at {TOKEN_PAGE}"),
        },
        (false, _) => Limitation {
            cause: LimitationCause::ScopesMatchNoTool,
            message: "signed in, but only the platform tools are listed: the token's scopes match no Jira, Confluence or other product tool".to_owned(),
            hint: format!("create a token with \"Create API token with scopes\" (app: Rovo MCP V2) and tick the product scopes (for example read:jira:agent-interface) at {TOKEN_PAGE}"),
        },
    }
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
        // A site without a cloud id is of no use to a tool call, and not what the tool returns.
        .filter(|site| !site.cloud_id.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rmcp::model::ToolAnnotations;
    use serde_json::json;

    use super::*;

    fn tool(name: &str, read_only: Option<bool>) -> Tool {
        let tool = Tool::new(name.to_owned(), "", Arc::new(serde_json::Map::new()));
        match read_only {
            Some(read_only) => tool.annotate(ToolAnnotations::new().read_only(read_only)),
            None => tool,
        }
    }

    fn summaries(names: &[&str]) -> Vec<ToolSummary> {
        let tools: Vec<Tool> = names.iter().map(|name| tool(name, None)).collect();
        summarise_tools(&tools, None, Catalogue::known())
    }

    #[test]
    fn only_platform_or_graph_tools_are_no_product_tools_and_meta_tools_never_count() {
        assert!(
            !has_product_tools(&summaries(&[
                "atlassianUserInfo",
                "getAccessibleAtlassianResources"
            ])),
            "the platform tools are what every sign-in sees"
        );
        assert!(
            !has_product_tools(&summaries(&["getGraphContext", "getTeamworkGraphObject"])),
            "Teamwork Graph tools, v1 or v2 names, are what a wrong token still sees"
        );
        assert!(
            !has_product_tools(&summaries(&[
                "atlassianUserInfo",
                "discover",
                "executeRead",
                "executeWrite",
                "executeDestructive"
            ])),
            "meta-tools are never product tools"
        );
        assert!(
            summaries(&["discover", "executeRead"]).is_empty(),
            "meta-tools are left out of the tools"
        );
        assert!(
            has_product_tools(&summaries(&["atlassianUserInfo", "listJiraProjects"])),
            "a renamed product tool still counts: names are data"
        );
        assert!(
            has_product_tools(&summaries(&["atlassianUserInfo", "getLoomVideo"])),
            "Loom is a product"
        );
    }

    #[test]
    fn read_only_comes_from_the_hint_then_the_group() {
        let tools = [
            tool("createJiraIssue", None),
            tool("getJiraIssue", None),
            tool("createJiraIssue", Some(true)),
            tool("somethingNew", None),
            tool("searchConfluence", None),
        ];
        let read_only: Vec<bool> = summarise_tools(&tools, None, Catalogue::known())
            .iter()
            .map(|tool| tool.read_only)
            .collect();
        assert_eq!(
            read_only,
            [false, true, false, true],
            "the group's access fills in a missing hint; a repeated tool counts once; an unknown tool is assumed to write; search only reads"
        );
    }

    #[test]
    fn primary_tools_are_marked_and_a_flat_list_is_all_primary() {
        let tools = [tool("getJiraIssue", None), tool("listJiraProjects", None)];
        let primary = ["getJiraIssue".to_owned(), "discover".to_owned()];
        let marked: Vec<bool> = summarise_tools(&tools, Some(&primary), Catalogue::known())
            .iter()
            .map(|tool| tool.primary)
            .collect();
        assert_eq!(
            marked,
            [true, false],
            "only the plain list's tools are primary"
        );
        assert!(
            summarise_tools(&tools, None, Catalogue::known())
                .iter()
                .all(|tool| tool.primary),
            "a client of a flat endpoint sees every tool directly"
        );
    }

    #[test]
    fn a_group_present_under_another_name_is_not_missing() {
        let missing = missing_groups(
            &summaries(&[
                "getConfluenceContent",
                "createConfluenceContent",
                "searchConfluence",
                "listJiraProjects",
                "getLoomVideo",
                "createLoomComment",
            ]),
            Catalogue::known(),
            AuthMethod::Personal,
        );
        let ids: Vec<&str> = missing.iter().map(|group| group.group.as_str()).collect();
        for present in [
            "read_confluence",
            "write_confluence",
            "search_confluence",
            "read_jira",
            "read_loom",
            "write_loom",
        ] {
            assert!(
                !ids.contains(&present),
                "{present} is granted under its v2 names or sorted by name: {ids:?}"
            );
        }
        let reason = |id: &str| {
            missing
                .iter()
                .find(|group| group.group == id)
                .map(|group| group.reason)
        };
        assert_eq!(reason("read_compass"), Some(MissingReason::OauthOnly));
        assert_eq!(
            reason("delete_jira"),
            Some(MissingReason::OffByDefault),
            "deleting waits for an admin"
        );
        assert_eq!(reason("read_teams"), Some(MissingReason::NotGranted));
        assert!(
            reason("platform").is_none(),
            "the platform tools are not a permission group"
        );
        let service = missing_groups(&[], Catalogue::known(), AuthMethod::Service);
        assert!(
            service.iter().any(|group| group.group == "read_teams"
                && group.reason == MissingReason::NotForServiceKeys),
            "Teams cannot be granted to a service key yet"
        );
    }

    #[test]
    fn each_list_of_sign_in_tools_has_its_own_cause() {
        let cause = |names: &[&str], method| limitation_by_list(&summaries(names), method).cause;
        assert_eq!(
            cause(&["atlassianUserInfo"], AuthMethod::Personal),
            LimitationCause::ScopesMatchNoTool
        );
        assert_eq!(
            cause(
                &["atlassianUserInfo", "getGraphContext"],
                AuthMethod::Personal
            ),
            LimitationCause::WrongApp
        );
        assert_eq!(
            cause(&["getGraphContext"], AuthMethod::Service),
            LimitationCause::PersonalTokenAsBearer
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
}
