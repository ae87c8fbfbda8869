//! The known Rovo MCP tool catalogue (`catalogue.json`, dated, with its sources): which
//! permission group and product each documented tool belongs to, v1 and v2 names alike, and
//! which tools are the v2 meta-tools. It sorts the tools a credential lists and names the groups
//! it is missing; it never decides what a tool is called. A tool it does not know is sorted by
//! its name and annotations, never dropped.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The product a tool belongs to, in the order the wizard shows them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    Jira,
    Confluence,
    JiraServiceManagement,
    Bitbucket,
    Compass,
    Loom,
    Goals,
    Projects,
    Teams,
    Focus,
    Talent,
    TeamworkGraph,
    RovoSearch,
    /// `atlassianUserInfo` and `getAccessibleAtlassianResources`, present for every sign-in.
    Platform,
    /// A tool whose name matches no known product.
    Other,
}

impl Product {
    /// The name a person reads.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Jira => "Jira",
            Self::Confluence => "Confluence",
            Self::JiraServiceManagement => "Jira Service Management",
            Self::Bitbucket => "Bitbucket",
            Self::Compass => "Compass",
            Self::Loom => "Loom",
            Self::Goals => "Goals",
            Self::Projects => "Projects",
            Self::Teams => "Teams",
            Self::Focus => "Focus",
            Self::Talent => "Talent",
            Self::TeamworkGraph => "Teamwork Graph",
            Self::RovoSearch => "Rovo search",
            Self::Platform => "Platform",
            Self::Other => "Other",
        }
    }

    /// Whether tools of this product alone mean the credential is `limited`: the platform tools
    /// and the Teamwork Graph tools are what a classic token, a token made for the wrong app or
    /// a personal token sent as Bearer still sees.
    pub fn is_sign_in_only(self) -> bool {
        matches!(self, Self::Platform | Self::TeamworkGraph)
    }
}

/// What a permission group lets a credential do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Write,
    Search,
    /// Deleting (Jira's `delete_jira`): off until an admin turns it on.
    Delete,
    /// Managing versions and sprints (Jira's `manage_jira`): off until an admin turns it on.
    Manage,
}

impl Access {
    /// Whether tools of this access only read.
    pub fn only_reads(self) -> bool {
        matches!(self, Self::Read | Self::Search)
    }
}

/// Which sign-in a permission group is offered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum GroupAuth {
    /// API tokens and OAuth alike.
    Any,
    /// Only API tokens (JSM).
    ApiToken,
    /// OAuth and personal API tokens; its scopes cannot be granted to a service account's API
    /// key yet (Teams).
    NotServiceKeys,
    /// Only OAuth (Compass): an API token never sees it.
    OauthOnly,
}

/// One permission group of the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionGroup {
    pub id: String,
    pub product: Product,
    pub access: Access,
    pub auth: GroupAuth,
    /// Off until an organisation admin turns it on (`delete_jira`, `manage_jira`).
    #[serde(default)]
    pub off_by_default: bool,
    /// The documented tools, v1 and v2 names; empty where none is documented yet.
    pub tools: Vec<String>,
}

/// Where a part of the catalogue was copied from, and when.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogueSource {
    pub what: String,
    pub url: String,
    pub accessed: String,
}

/// The catalogue file: its sources, the meta-tools and the groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalogue {
    pub sources: Vec<CatalogueSource>,
    /// v2's `discover`, `executeRead`, `executeWrite`, `executeDestructive`: they reach other
    /// tools and are never product tools.
    pub meta_tools: Vec<String>,
    /// v1 names and the v2 names that replaced them.
    pub renamed: std::collections::BTreeMap<String, String>,
    pub groups: Vec<PermissionGroup>,
}

/// How a listed tool was sorted.
#[derive(Debug, Clone, Copy)]
pub struct Sorted<'a> {
    pub product: Product,
    /// The group the catalogue names, else the product's group of the tool's inferred access.
    pub group: Option<&'a PermissionGroup>,
    /// Whether the catalogue names the tool (not inferred from its name).
    pub documented: bool,
}

impl Catalogue {
    /// The catalogue shipped in the binary.
    pub fn known() -> &'static Self {
        static KNOWN: OnceLock<Catalogue> = OnceLock::new();
        KNOWN.get_or_init(|| {
            serde_json::from_str(include_str!("catalogue.json"))
                .expect("catalogue.json is checked by a unit test")
        })
    }

    /// Whether `tool` is one of v2's meta-tools.
    pub fn is_meta_tool(&self, tool: &str) -> bool {
        self.meta_tools.iter().any(|meta| meta == tool)
    }

    /// Whether `tool` is a v1 name that v2 replaced.
    pub fn is_v1_name(&self, tool: &str) -> bool {
        self.renamed.contains_key(tool)
    }

    /// Whether `a` and `b` name the same tool, under either name.
    pub fn same_tool(&self, a: &str, b: &str) -> bool {
        let current = |name: &str| {
            self.renamed
                .get(name)
                .map_or(name, String::as_str)
                .to_owned()
        };
        current(a) == current(b)
    }

    /// The group that documents `tool`, if any.
    pub fn group_of(&self, tool: &str) -> Option<&PermissionGroup> {
        self.groups
            .iter()
            .find(|group| group.tools.iter().any(|known| known == tool))
    }

    /// Sorts `tool` into its product and group: from the catalogue, else from its name and its
    /// server's `readOnlyHint`, since the server renames and adds tools.
    pub fn sort(&self, tool: &str, read_only_hint: Option<bool>) -> Sorted<'_> {
        if let Some(group) = self.group_of(tool) {
            return Sorted {
                product: group.product,
                group: Some(group),
                documented: true,
            };
        }
        let product = self.product_of(tool);
        let access = inferred_access(tool, read_only_hint);
        let of_product = |access: Access| {
            self.groups
                .iter()
                .find(|group| group.product == product && group.access == access)
        };
        let group = of_product(access).or_else(|| match access {
            Access::Delete | Access::Manage => of_product(Access::Write),
            Access::Search => of_product(Access::Read),
            Access::Read | Access::Write => None,
        });
        Sorted {
            product,
            group: group.filter(|_| product != Product::Other),
            documented: false,
        }
    }

    /// The product of `tool`: from the catalogue, else guessed from its name.
    pub fn product_of(&self, tool: &str) -> Product {
        if let Some(group) = self.group_of(tool) {
            return group.product;
        }
        let name = tool.to_ascii_lowercase();
        // Order matters: `getJiraProject` is Jira, not Projects; `teamworkgraph` is not Teams.
        let guesses = [
            ("jsm", Product::JiraServiceManagement),
            ("jira", Product::Jira),
            ("confluence", Product::Confluence),
            ("bitbucket", Product::Bitbucket),
            ("compass", Product::Compass),
            ("loom", Product::Loom),
            ("teamworkgraph", Product::TeamworkGraph),
            ("graph", Product::TeamworkGraph),
            ("goal", Product::Goals),
            ("talent", Product::Talent),
            ("focus", Product::Focus),
            ("team", Product::Teams),
            ("project", Product::Projects),
            ("search", Product::RovoSearch),
        ];
        guesses
            .into_iter()
            .find(|(fragment, _)| name.contains(fragment))
            .map_or(Product::Other, |(_, product)| product)
    }
}

/// What an undocumented tool most likely does, from the verb its name starts with, then the
/// server's `readOnlyHint`.
fn inferred_access(tool: &str, read_only_hint: Option<bool>) -> Access {
    let starts = |verb: &str| tool.starts_with(verb);
    if starts("search") {
        Access::Search
    } else if starts("delete") {
        Access::Delete
    } else if starts("manage") {
        Access::Manage
    } else if let Some(read_only) = read_only_hint {
        if read_only {
            Access::Read
        } else {
            Access::Write
        }
    } else if ["get", "list", "lookup", "fetch"]
        .iter()
        .any(|verb| starts(verb))
    {
        Access::Read
    } else {
        Access::Write
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_parses_and_is_dated_with_its_sources() {
        let catalogue = Catalogue::known();
        assert!(
            catalogue
                .sources
                .iter()
                .all(|source| source.url.starts_with("https://") && source.accessed.len() == 10),
            "every part names the page it was copied from and a YYYY-MM-DD date"
        );
        let platform = catalogue
            .group_of("atlassianUserInfo")
            .expect("platform tool");
        assert_eq!(platform.product, Product::Platform);
        assert_eq!(
            catalogue.meta_tools,
            [
                "discover",
                "executeRead",
                "executeWrite",
                "executeDestructive"
            ],
            "v2's four meta-tools"
        );
    }

    #[test]
    fn no_tool_is_in_two_groups_and_no_meta_tool_in_any() {
        let catalogue = Catalogue::known();
        let mut names: Vec<&str> = catalogue
            .groups
            .iter()
            .flat_map(|group| group.tools.iter().map(String::as_str))
            .collect();
        let total = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), total, "a tool belongs to exactly one group");
        assert!(
            !names.iter().any(|name| catalogue.is_meta_tool(name)),
            "a meta-tool is not a product tool"
        );
    }

    #[test]
    fn renamed_tools_sit_in_the_same_group_as_their_old_names() {
        let catalogue = Catalogue::known();
        for (old, new) in &catalogue.renamed {
            assert_eq!(
                catalogue.group_of(old).map(|group| &group.id),
                catalogue.group_of(new).map(|group| &group.id),
                "{new} replaced {old}, so both are documented in one group"
            );
            assert!(catalogue.same_tool(old, new));
        }
        for (old, new) in [
            ("getConfluencePage", "getConfluenceContent"),
            ("searchConfluenceUsingCql", "searchConfluence"),
            ("getVisibleJiraProjects", "listJiraProjects"),
            ("addCommentToJiraIssue", "addOrEditJiraIssueComment"),
            (
                "getJiraProjectIssueTypesMetadata",
                "listJiraProjectIssueTypesMetadata",
            ),
            ("createConfluencePage", "createConfluenceContent"),
        ] {
            assert_eq!(
                catalogue.group_of(old).map(|group| &group.id),
                catalogue.group_of(new).map(|group| &group.id),
                "{new} is {old} renamed, so it unlocks the same group"
            );
        }
    }

    #[test]
    fn every_product_and_access_of_v2_has_its_groups() {
        let catalogue = Catalogue::known();
        for id in [
            "read_loom",
            "write_loom",
            "read_goals",
            "write_goals",
            "read_projects",
            "write_projects",
            "read_teams",
            "write_teams",
            "read_focus",
            "write_focus",
            "read_talent",
            "write_talent",
            "write_bitbucket",
            "write_teamwork_graph",
            "delete_jira",
            "manage_jira",
        ] {
            assert!(
                catalogue.groups.iter().any(|group| group.id == id),
                "{id} is a permission group of today's server"
            );
        }
        let off: Vec<&str> = catalogue
            .groups
            .iter()
            .filter(|group| group.off_by_default)
            .map(|group| group.id.as_str())
            .collect();
        assert_eq!(
            off,
            ["delete_jira", "manage_jira"],
            "only these wait for an admin"
        );
    }

    #[test]
    fn unknown_tools_are_sorted_by_their_name_and_hint() {
        let catalogue = Catalogue::known();
        let sorted = |name: &str, hint: Option<bool>| {
            let sorted = catalogue.sort(name, hint);
            (sorted.product, sorted.group.map(|group| group.id.as_str()))
        };
        assert_eq!(
            sorted("getJsmOpsNewThing", None),
            (Product::JiraServiceManagement, Some("read_jsm")),
            "JSM tools contain `Jira` only sometimes; `Jsm` wins"
        );
        assert_eq!(
            sorted("deleteJiraWorklog", None),
            (Product::Jira, Some("delete_jira")),
            "a delete tool belongs to the group an admin must turn on"
        );
        assert_eq!(
            sorted("createLoomComment", Some(false)),
            (Product::Loom, Some("write_loom"))
        );
        assert_eq!(
            sorted("getGoal", Some(true)),
            (Product::Goals, Some("read_goals"))
        );
        assert_eq!(
            sorted("getJiraProjectRoles", None),
            (Product::Jira, Some("read_jira")),
            "a Jira project is Jira, not the Projects app"
        );
        assert_eq!(
            sorted("getTeamworkGraphEdges", None),
            (Product::TeamworkGraph, Some("read_teamwork_graph")),
            "Teamwork Graph is not Teams"
        );
        assert_eq!(sorted("listTeamMembers", None).0, Product::Teams);
        assert_eq!(sorted("updateTalentProfile", None).0, Product::Talent);
        assert_eq!(
            sorted("somethingNew", None),
            (Product::Other, None),
            "a tool of no known product is shown under Other, in no group"
        );
    }
}
