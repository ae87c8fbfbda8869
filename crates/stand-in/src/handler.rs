//! The MCP side of the stand-in: lists the tools of the caller's grant and answers calls to
//! them the way the real server does.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use http::header;
use http::request::Parts;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, JsonObject, ListPromptsResult,
    ListResourcesResult, ListToolsResult, PaginatedRequestParams, ProgressNotificationParam,
    Prompt, PromptMessage, ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, Resource, ResourceContents, Role, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};

use crate::catalogue::{
    API_TOKEN_OFF_REFUSAL, CLASSIC_TOKEN_REFUSAL, CallRefusal, Grant, IP_REFUSAL, OddAccount,
    PLATFORM_TOOLS, SCOPE_REFUSAL, SECOND_SITE_CLOUD_ID, SECOND_SITE_URL, Surface,
};
use crate::server::{Controls, Credentials, Identity, STAND_IN_PROMPT, STAND_IN_RESOURCE_URI};

/// The MCP handler: lists the tools of the caller's grant and answers calls to them.
#[derive(Debug, Clone)]
pub(crate) struct StandInRovo {
    pub(crate) credentials: Arc<Credentials>,
    pub(crate) identity: Identity,
    pub(crate) controls: Arc<Controls>,
    pub(crate) newest_protocol: ProtocolVersion,
    pub(crate) stateless_only: bool,
    /// Serves `/v1/mcp`, which ignores `?tools=all`.
    pub(crate) v1: bool,
    pub(crate) extra_tools: usize,
    pub(crate) endless_tool_pages: bool,
}

/// The request's `Authorization` value.
fn authorization_of(context: &RequestContext<RoleServer>) -> Option<String> {
    let parts = context.extensions.get::<Parts>()?;
    Some(
        parts
            .headers
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .to_owned(),
    )
}

/// The versions of a server that no longer has `initialize`.
const STATELESS_PROTOCOLS: &[ProtocolVersion] = &[ProtocolVersion::V_2026_07_28];

impl StandInRovo {
    fn offers_resources_and_prompts(&self) -> bool {
        self.controls
            .offer_resources_and_prompts
            .load(Ordering::SeqCst)
    }

    fn require_resources_and_prompts(&self) -> Result<(), ErrorData> {
        if self.offers_resources_and_prompts() {
            Ok(())
        } else {
            Err(ErrorData::method_not_found::<
                rmcp::model::ListResourcesRequestMethod,
            >())
        }
    }

    fn surface_of(&self, context: &RequestContext<RoleServer>) -> Surface {
        if self.v1 {
            return Surface::V1;
        }
        let all = context
            .extensions
            .get::<Parts>()
            .and_then(|parts| parts.uri.query())
            .is_some_and(|query| query.split('&').any(|pair| pair == "tools=all"));
        if all {
            Surface::V2All
        } else {
            Surface::V2Primary
        }
    }

    fn grant_of(&self, context: &RequestContext<RoleServer>) -> Option<Grant> {
        self.credentials.grant(&authorization_of(context)?)
    }
}

impl ServerHandler for StandInRovo {
    fn get_info(&self) -> ServerConfig {
        let capabilities = if self.offers_resources_and_prompts() {
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_prompts()
                .build()
        } else {
            ServerCapabilities::builder().enable_tools().build()
        };
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("atlassian-rovo-mcp-stand-in", "1.0.0"))
            .with_protocol_version(self.newest_protocol.clone())
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(if self.stateless_only {
            STATELESS_PROTOCOLS
        } else {
            ProtocolVersion::known_up_to(&self.newest_protocol)
        })
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        self.require_resources_and_prompts()?;
        Ok(ListResourcesResult::with_all_items(vec![Resource::new(
            STAND_IN_RESOURCE_URI,
            "readme",
        )]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        self.require_resources_and_prompts()?;
        if request.uri != STAND_IN_RESOURCE_URI {
            return Err(ErrorData::resource_not_found("no such resource", None));
        }
        Ok(ReadResourceResult::new(vec![ResourceContents::text(
            "read from the stand-in server",
            STAND_IN_RESOURCE_URI,
        )])
        .into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        self.require_resources_and_prompts()?;
        Ok(ListPromptsResult::with_all_items(vec![Prompt::new(
            STAND_IN_PROMPT,
            Some("Summarize a Jira issue"),
            None,
        )]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        self.require_resources_and_prompts()?;
        if request.name != STAND_IN_PROMPT {
            return Err(ErrorData::invalid_params("no such prompt", None));
        }
        Ok(GetPromptResult::new(vec![PromptMessage::new_text(
            Role::User,
            "prompt from the stand-in server",
        )])
        .into())
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        self.controls
            .peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(context.peer);
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let grant = self
            .grant_of(&context)
            .ok_or_else(|| ErrorData::invalid_request("no granted credential", None))?;
        let surface = self.surface_of(&context);
        let mut tools: Vec<Tool> = grant
            .tools_on(surface)
            .into_iter()
            .map(|tool| mcp_tool(tool.name, tool.title, tool.read_only))
            .collect();
        if surface != Surface::V2Primary {
            tools.extend(
                (0..self.extra_tools).map(|index| {
                    mcp_tool(format!("getJiraExtraTool{index}"), "An extra tool", true)
                }),
            );
        }
        let page_size = match self.controls.tools_page_size.load(Ordering::SeqCst) {
            0 => tools.len(),
            size => size,
        };
        let cursor = request.and_then(|request| request.cursor);
        if self.endless_tool_pages && surface != Surface::V2Primary {
            // Each page points to one more, whose number never repeats.
            let next = cursor
                .as_deref()
                .and_then(|cursor| cursor.strip_prefix("page-"))
                .and_then(|number| number.parse::<u64>().ok())
                .map_or(1, |number| number + 1);
            let mut page = ListToolsResult::with_all_items(tools.into_iter().take(1).collect());
            page.next_cursor = Some(format!("page-{next}"));
            return Ok(page);
        }
        // The cursor is the index of the page's first tool.
        let start = match cursor {
            Some(cursor) => cursor
                .parse::<usize>()
                .ok()
                .filter(|start| *start < tools.len())
                .ok_or_else(|| ErrorData::invalid_params("unknown cursor", None))?,
            None => 0,
        };
        let end = (start + page_size).min(tools.len());
        let mut page = ListToolsResult::with_all_items(tools[start..end].to_vec());
        page.next_cursor = (end < tools.len()).then(|| end.to_string());
        Ok(page)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let grant = self
            .grant_of(&context)
            .ok_or_else(|| ErrorData::invalid_request("no granted credential", None))?;
        if !grant.unlocks(&request.name) {
            return Err(ErrorData::method_not_found::<
                rmcp::model::CallToolRequestMethod,
            >());
        }
        if let Some(refused) = refusal_of(grant, &request.name) {
            return Ok(refused.into());
        }
        if self.controls.hold_tool_calls.load(Ordering::SeqCst) {
            // `notify_one` keeps the signal for a waiter that has not started waiting yet.
            self.controls.tool_call_held.notify_one();
            context.ct.cancelled().await;
            self.controls.tool_call_cancelled.notify_one();
            return Err(ErrorData::internal_error("cancelled by the client", None));
        }
        // A caller that asked for progress gets one step of it, as long calls do.
        if let Some(token) = context.meta.get_progress_token() {
            let progress = ProgressNotificationParam::new(token, 1.0)
                .with_total(1.0)
                .with_message("answered");
            context
                .peer
                .notify_progress(progress)
                .await
                .map_err(|error| ErrorData::internal_error(error.to_string(), None))?;
        }
        let mut text = format!("{} answered by the stand-in server", request.name);
        if self.controls.ask_client_for_roots.load(Ordering::SeqCst) {
            #[expect(
                deprecated,
                reason = "SEP-2577 deprecates roots; clients still send them"
            )]
            let root_count = context
                .peer
                .list_roots()
                .await
                .map(|roots| roots.roots.len())
                .map_err(|error| {
                    ErrorData::internal_error(format!("roots/list failed: {error}"), None)
                })?;
            text = format!("{text} with {root_count} roots of the client");
        }
        if let (Grant::OddAccount(odd), "atlassianUserInfo") = (grant, request.name.as_ref()) {
            let text = match odd {
                OddAccount::NotJson => "Hello from the account service",
                OddAccount::WrongShape => "[1, 2, 3]",
            };
            return Ok(CallToolResult::success(vec![ContentBlock::text(text)]).into());
        }
        let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
        result.structured_content = platform_tool_output(
            &request.name,
            grant,
            &self.identity,
            &authorization_of(&context).unwrap_or_default(),
        );
        Ok(result.into())
    }
}

/// How `grant` refuses a call of `tool` inside its result, if it does.
fn refusal_of(grant: Grant, tool: &str) -> Option<CallToolResult> {
    let text = |text: &str| vec![ContentBlock::text(text)];
    match grant {
        Grant::ClassicToken => Some(CallToolResult::error(text(CLASSIC_TOKEN_REFUSAL))),
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOff) => {
            Some(CallToolResult::success(text(API_TOKEN_OFF_REFUSAL)))
        }
        Grant::CallsRefused(CallRefusal::ApiTokenSignInOffMarkedError) => {
            Some(CallToolResult::error(text(API_TOKEN_OFF_REFUSAL)))
        }
        Grant::CallsRefused(CallRefusal::IpAllowlist) => {
            Some(CallToolResult::success(text(IP_REFUSAL)))
        }
        Grant::CallsRefused(CallRefusal::Scope)
            if PLATFORM_TOOLS.iter().any(|platform| platform.name == tool) =>
        {
            Some(CallToolResult::error(text(SCOPE_REFUSAL)))
        }
        _ => None,
    }
}

/// What the platform tools return, in the shape of Atlassian's own: the account, and the
/// sites with their cloud ids (the REST `accessible-resources` shape).
fn platform_tool_output(
    tool: &str,
    grant: Grant,
    identity: &Identity,
    authorization: &str,
) -> Option<Value> {
    let site = json!({
        "id": identity.cloud_id,
        "url": identity.site_url,
        "name": identity.site_name,
        "scopes": ["read:jira-work", "write:jira-work"],
    });
    match tool {
        "getAccessibleAtlassianResources" if grant == Grant::TwoSites => Some(json!([
            site,
            {
                "id": SECOND_SITE_CLOUD_ID,
                "url": SECOND_SITE_URL,
                "name": "stand-in-eu",
                "scopes": ["read:jira-work"],
            },
        ])),
        "getAccessibleAtlassianResources" => Some(json!([site])),
        "atlassianUserInfo" => Some(json!({
            "account_id": "5b10a2844c20165700ede21g",
            "email": identity.email_of(authorization),
            "name": identity.person,
        })),
        _ => None,
    }
}

fn mcp_tool(name: impl Into<Cow<'static, str>>, title: &'static str, read_only: bool) -> Tool {
    let schema: JsonObject = serde_json::from_value(json!({
        "type": "object",
        "properties": {},
    }))
    .expect("a literal JSON object is a schema object");
    Tool::new(name, title, Arc::new(schema))
        .with_title(title)
        .annotate(ToolAnnotations::new().read_only(read_only))
}
