//! The known Rovo MCP tool catalogue (`catalogue.json`, dated, with its source): which
//! permission group and product each documented tool belongs to. It groups the tools a
//! credential lists and names the groups it is missing; it never decides what a tool is called.

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
            Self::TeamworkGraph => "Teamwork Graph",
            Self::RovoSearch => "Rovo search",
            Self::Platform => "Platform",
            Self::Other => "Other",
        }
    }

    /// Whether tools of this product alone mean the credential is `limited`: the platform tools
    /// and the Teamwork Graph tools are what a classic token or a personal token sent as Bearer
    /// still sees.
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
}

/// Which sign-in a permission group is offered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum GroupAuth {
    /// API tokens and OAuth alike.
    Any,
    /// Only API tokens (JSM, Bitbucket).
    ApiToken,
    /// Only OAuth (Compass): an API token never sees it.
    OauthOnly,
}

/// One permission group of the catalogue.
#[derive(Debug, Clone, Deserialize)]
pub struct PermissionGroup {
    pub id: String,
    pub product: Product,
    pub access: Access,
    pub auth: GroupAuth,
    pub tools: Vec<String>,
}

/// The catalogue file: where it was copied from, when, and its groups.
#[derive(Debug, Clone, Deserialize)]
pub struct Catalogue {
    pub source: String,
    pub accessed: String,
    pub groups: Vec<PermissionGroup>,
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

    /// The group that documents `tool`, if any.
    pub fn group_of(&self, tool: &str) -> Option<&PermissionGroup> {
        self.groups
            .iter()
            .find(|group| group.tools.iter().any(|known| known == tool))
    }

    /// The product of `tool`: from the catalogue, else guessed from its name, since the server
    /// renames and adds tools (`listJiraProjects`, `deleteJiraComment`, …).
    pub fn product_of(&self, tool: &str) -> Product {
        if let Some(group) = self.group_of(tool) {
            return group.product;
        }
        let name = tool.to_ascii_lowercase();
        let guesses = [
            ("jsm", Product::JiraServiceManagement),
            ("jira", Product::Jira),
            ("confluence", Product::Confluence),
            ("bitbucket", Product::Bitbucket),
            ("compass", Product::Compass),
            ("teamworkgraph", Product::TeamworkGraph),
            ("search", Product::RovoSearch),
        ];
        guesses
            .into_iter()
            .find(|(fragment, _)| name.contains(fragment))
            .map_or(Product::Other, |(_, product)| product)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_parses_and_is_dated_with_its_source() {
        let catalogue = Catalogue::known();
        assert!(
            catalogue
                .source
                .starts_with("https://support.atlassian.com/"),
            "the data file names the official page it was copied from"
        );
        assert_eq!(catalogue.accessed.len(), 10, "the date is YYYY-MM-DD");
        let platform = catalogue
            .group_of("atlassianUserInfo")
            .expect("platform tool");
        assert_eq!(platform.product, Product::Platform);
    }

    #[test]
    fn no_tool_is_in_two_groups() {
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
    }

    #[test]
    fn unknown_tools_are_grouped_by_their_name() {
        let catalogue = Catalogue::known();
        assert_eq!(catalogue.product_of("listJiraProjects"), Product::Jira);
        assert_eq!(
            catalogue.product_of("getJsmOpsNewThing"),
            Product::JiraServiceManagement,
            "JSM tools contain `Jira` only sometimes; `Jsm` wins"
        );
        assert_eq!(
            catalogue.product_of("getConfluenceContent"),
            Product::Confluence
        );
        assert_eq!(catalogue.product_of("discover"), Product::Other);
    }
}
