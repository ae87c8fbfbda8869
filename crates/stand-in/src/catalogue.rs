//! What the stand-in knows of the real server's catalogue and of the credentials it meets: the
//! tools of each surface (v1, v2's plain list, v2's flat list), what each kind of credential
//! unlocks, and the words of the refusals it answers calls with.

/// The second site of [`Grant::TwoSites`].
pub const SECOND_SITE_CLOUD_ID: &str = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
pub const SECOND_SITE_URL: &str = "https://stand-in-eu.atlassian.net";

/// The server's words when an admin turned API-token sign-in off: the text of a tool result,
/// without `isError` (research/atlassian-mcp.md, corrections of 2026-12-03).
pub const API_TOKEN_OFF_REFUSAL: &str = r#"{"error":true,"message":"You don't have permission to connect via API token. Please ask your organization admin for access."}"#;
/// The same refusal for a network outside the organisation's IP allowlist.
pub const IP_REFUSAL: &str = r#"{"error":true,"message":"You don't have permission to connect from this IP address. Please ask your admin for access."}"#;
/// The classic token's refusal at call time, as it has been seen worded.
pub const CLASSIC_TOKEN_REFUSAL: &str =
    "Teamwork Graph tools require a modern API token (API token with scopes).";
/// A scope refusal at call time.
pub const SCOPE_REFUSAL: &str =
    r#"Insufficient scopes for "atlassianUserInfo". Required: [read:me:agent-interface]"#;

/// Which list a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/v1/mcp`, with or without `?tools=all`: every tool, v1 names.
    V1,
    /// `/v2/mcp`: the primary tools and the meta-tools.
    V2Primary,
    /// `/v2/mcp?tools=all`: every tool, flat.
    V2All,
}

/// What a granted credential can see and how its tool calls are answered, matching the cases
/// the real server produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// A scoped token with every Rovo MCP scope: product tools plus the platform tools.
    FullScope,
    /// A token whose scopes match no tool: signed in, but only the two platform tools.
    PlatformOnly,
    /// A personal token sent as `Bearer`: signed in, but only the Teamwork Graph tools.
    TeamworkGraphOnly,
    /// A token made for the other token app: platform and Teamwork Graph tools.
    WrongApp,
    /// A classic token: platform and Teamwork Graph tools listed, every call refused with the
    /// "modern API token" words.
    ClassicToken,
    /// Everything listed, every call refused inside the result.
    CallsRefused(CallRefusal),
    /// Everything listed; the token reaches two sites.
    TwoSites,
    /// Everything listed; `atlassianUserInfo` answers with something that is not an account.
    OddAccount(OddAccount),
}

/// How tool calls are refused at call time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallRefusal {
    /// API-token sign-in turned off: the refusal object without `isError`.
    ApiTokenSignInOff,
    /// The same with `isError: true`.
    ApiTokenSignInOffMarkedError,
    /// Outside the IP allowlist, inside the result.
    IpAllowlist,
    /// HTTP 403 to `tools/call`, its body the API-token refusal.
    Http403,
    /// The platform tools refused for a missing scope.
    Scope,
}

/// What an odd `atlassianUserInfo` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OddAccount {
    /// Text that is not JSON.
    NotJson,
    /// JSON of the wrong shape.
    WrongShape,
}

/// One tool of the stand-in catalogue: name (v2), title, whether it only reads, whether v2
/// lists it in the plain list, and its name on v1 (`None`: not on v1).
#[derive(Debug, Clone, Copy)]
pub struct CatalogueTool {
    pub name: &'static str,
    pub title: &'static str,
    pub read_only: bool,
    pub primary: bool,
    pub v1_name: Option<&'static str>,
}

const fn tool(
    name: &'static str,
    title: &'static str,
    read_only: bool,
    primary: bool,
    v1_name: Option<&'static str>,
) -> CatalogueTool {
    CatalogueTool {
        name,
        title,
        read_only,
        primary,
        v1_name,
    }
}

/// The platform tools every signed-in credential sees.
pub const PLATFORM_TOOLS: [CatalogueTool; 2] = [
    tool(
        "atlassianUserInfo",
        "Atlassian user info",
        true,
        true,
        Some("atlassianUserInfo"),
    ),
    tool(
        "getAccessibleAtlassianResources",
        "Accessible Atlassian resources",
        true,
        true,
        Some("getAccessibleAtlassianResources"),
    ),
];

/// The Teamwork Graph tools: v2 names, their v1 names, and v2's new write tool.
pub const TEAMWORK_GRAPH_TOOLS: [CatalogueTool; 3] = [
    tool(
        "getGraphContext",
        "Teamwork Graph context",
        true,
        true,
        Some("getTeamworkGraphContext"),
    ),
    tool(
        "getGraphObject",
        "Teamwork Graph object",
        true,
        true,
        Some("getTeamworkGraphObject"),
    ),
    tool(
        "addGraphContext",
        "Add Teamwork Graph context",
        false,
        true,
        None,
    ),
];

/// v2's meta-tools, listed with the primary tools on the plain v2 endpoint only.
pub const META_TOOLS: [CatalogueTool; 4] = [
    tool("discover", "Discover tools", true, true, None),
    tool("executeRead", "Run a read tool", true, true, None),
    tool("executeWrite", "Run a write tool", false, true, None),
    tool(
        "executeDestructive",
        "Run a destructive tool",
        false,
        true,
        None,
    ),
];

/// The product tools of today's server: the primary ones as a user observed them on v2
/// (research/atlassian-mcp.md, corrections of 2026-12-03), the rest of the documented
/// catalogue, and one tool each of the products whose tool names are not documented yet (names
/// of the stand-in's own, which the catalogue sorts by name).
pub const PRODUCT_TOOLS: [CatalogueTool; 38] = [
    tool(
        "getJiraIssue",
        "Get Jira issue",
        true,
        true,
        Some("getJiraIssue"),
    ),
    tool(
        "searchJiraIssuesUsingJql",
        "Search Jira issues with JQL",
        true,
        true,
        Some("searchJiraIssuesUsingJql"),
    ),
    tool(
        "createJiraIssue",
        "Create Jira issue",
        false,
        true,
        Some("createJiraIssue"),
    ),
    tool(
        "editJiraIssue",
        "Edit Jira issue",
        false,
        true,
        Some("editJiraIssue"),
    ),
    tool(
        "transitionJiraIssue",
        "Transition Jira issue",
        false,
        true,
        Some("transitionJiraIssue"),
    ),
    tool(
        "addOrEditJiraIssueComment",
        "Comment on a Jira issue",
        false,
        true,
        Some("addCommentToJiraIssue"),
    ),
    tool(
        "listJiraProjects",
        "Jira projects",
        true,
        false,
        Some("getVisibleJiraProjects"),
    ),
    tool(
        "listJiraProjectIssueTypesMetadata",
        "Issue types of a project",
        true,
        false,
        Some("getJiraProjectIssueTypesMetadata"),
    ),
    tool(
        "getJiraIssueTypeMetaWithFields",
        "Issue type fields",
        true,
        false,
        Some("getJiraIssueTypeMetaWithFields"),
    ),
    tool(
        "listJiraIssueTransitions",
        "Transitions of an issue",
        true,
        false,
        Some("getTransitionsForJiraIssue"),
    ),
    tool(
        "lookupJiraAccountId",
        "Look up a Jira account",
        true,
        false,
        Some("lookupJiraAccountId"),
    ),
    tool(
        "getJiraIssueRemoteIssueLinks",
        "Remote links of an issue",
        true,
        false,
        Some("getJiraIssueRemoteIssueLinks"),
    ),
    tool(
        "getIssueLinkTypes",
        "Issue link types",
        true,
        false,
        Some("getIssueLinkTypes"),
    ),
    tool(
        "listJiraIssueComments",
        "Comments of an issue",
        true,
        false,
        None,
    ),
    tool(
        "addWorklogToJiraIssue",
        "Log work",
        false,
        false,
        Some("addWorklogToJiraIssue"),
    ),
    tool(
        "createJiraIssueLink",
        "Link two issues",
        false,
        false,
        Some("createIssueLink"),
    ),
    tool(
        "uploadAttachmentToJiraIssue",
        "Attach a file",
        false,
        false,
        None,
    ),
    tool(
        "getConfluenceContent",
        "Get Confluence content",
        true,
        true,
        Some("getConfluencePage"),
    ),
    tool(
        "createConfluenceContent",
        "Create Confluence content",
        false,
        true,
        Some("createConfluencePage"),
    ),
    tool(
        "updateConfluenceContent",
        "Update Confluence content",
        false,
        true,
        Some("updateConfluencePage"),
    ),
    tool(
        "searchConfluence",
        "Search Confluence",
        true,
        true,
        Some("searchConfluenceUsingCql"),
    ),
    tool(
        "getConfluenceSpaces",
        "Confluence spaces",
        true,
        false,
        Some("getConfluenceSpaces"),
    ),
    tool(
        "getPagesInConfluenceSpace",
        "Pages of a space",
        true,
        false,
        Some("getPagesInConfluenceSpace"),
    ),
    tool(
        "getConfluencePageFooterComments",
        "Footer comments",
        true,
        false,
        Some("getConfluencePageFooterComments"),
    ),
    tool(
        "createConfluenceFooterComment",
        "Add a footer comment",
        false,
        false,
        Some("createConfluenceFooterComment"),
    ),
    tool(
        "listConfluenceContentVersions",
        "Versions of a page",
        true,
        false,
        None,
    ),
    tool(
        "archiveConfluenceContent",
        "Archive a page",
        false,
        false,
        None,
    ),
    tool(
        "getJsmOpsAlerts",
        "JSM alerts",
        true,
        false,
        Some("getJsmOpsAlerts"),
    ),
    tool(
        "updateJsmOpsAlert",
        "Update a JSM alert",
        false,
        false,
        Some("updateJsmOpsAlert"),
    ),
    tool(
        "bitbucketRepository",
        "Bitbucket repository",
        true,
        false,
        Some("bitbucketRepository"),
    ),
    tool(
        "bitbucketPullRequest",
        "Bitbucket pull request",
        true,
        false,
        Some("bitbucketPullRequest"),
    ),
    tool("getLoomVideo", "Get Loom video", true, true, None),
    tool("getGoal", "Get a goal", true, false, None),
    tool(
        "getAtlassianProjectUpdate",
        "Project update",
        true,
        false,
        None,
    ),
    tool("getTeamMembers", "Members of a team", true, false, None),
    tool("getFocusArea", "Focus area", true, false, None),
    tool("getTalentPosition", "Talent position", true, false, None),
    tool("search", "Search Rovo", true, true, Some("search")),
];

impl Grant {
    /// Every tool this grant unlocks, under its v2 name, platform tools first as the real
    /// server does.
    fn unlocked(self) -> Vec<CatalogueTool> {
        match self {
            Self::PlatformOnly => PLATFORM_TOOLS.to_vec(),
            Self::TeamworkGraphOnly => TEAMWORK_GRAPH_TOOLS.to_vec(),
            Self::WrongApp | Self::ClassicToken => PLATFORM_TOOLS
                .into_iter()
                .chain(TEAMWORK_GRAPH_TOOLS)
                .collect(),
            Self::FullScope | Self::CallsRefused(_) | Self::TwoSites | Self::OddAccount(_) => {
                PLATFORM_TOOLS
                    .into_iter()
                    .chain(PRODUCT_TOOLS)
                    .chain(TEAMWORK_GRAPH_TOOLS)
                    .collect()
            }
        }
    }

    /// The tools this grant lists on `surface`, each under the name it has there.
    pub fn tools_on(self, surface: Surface) -> Vec<CatalogueTool> {
        let unlocked = self.unlocked();
        match surface {
            Surface::V2All => unlocked,
            Surface::V2Primary => unlocked
                .into_iter()
                .filter(|tool| tool.primary)
                .chain(META_TOOLS)
                .collect(),
            Surface::V1 => unlocked
                .into_iter()
                .filter_map(|tool| {
                    Some(CatalogueTool {
                        name: tool.v1_name?,
                        ..tool
                    })
                })
                .collect(),
        }
    }

    /// Whether `name` is a tool of this grant under either of its names.
    pub(crate) fn unlocks(self, name: &str) -> bool {
        self.unlocked()
            .iter()
            .chain(META_TOOLS.iter())
            .any(|tool| tool.name == name || tool.v1_name == Some(name))
    }
}
