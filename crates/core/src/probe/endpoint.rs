//! The MCP endpoint URL, checked before anything is sent: https, or plain http only to this
//! computer, and never with a credential inside the URL.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::{Error, ErrorKind, Result};

/// Where API tokens talk to the Rovo MCP server: v2, recommended for every client;
/// `/v1/mcp` and `/v1/mcp/authv2` stay served (atlassian/atlassian-mcp-server README and
/// support.atlassian.com "Authenticate with a service account", read 2026-12-03).
pub const DEFAULT_ENDPOINT: &str = "https://mcp.atlassian.com/v2/mcp";

/// The environment variable that overrides the default endpoint (design §7).
pub const ENDPOINT_ENV: &str = "ROVO_MCP_ENDPOINT";

/// A checked endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(Url);

impl Endpoint {
    /// Parses and checks `text`.
    ///
    /// # Errors
    /// `invalid_input` when it is not an absolute http(s) URL, carries a user name or password,
    /// or uses plain http to another computer.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let url = Url::parse(text).map_err(|error| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the endpoint `{text}` is not a URL ({error}); use a full URL such as {DEFAULT_ENDPOINT}"
                ),
            )
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            // The URL itself is not repeated: what is inside it may be a secret.
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "the endpoint URL has a user name or password in it; give the credential with --token-env, --token-stdin or the keychain instead",
            ));
        }
        match url.scheme() {
            "https" if url.host().is_some() => Ok(Self(url)),
            "http" if is_loopback(&url) => Ok(Self(url)),
            "http" => Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the endpoint `{url}` uses plain http, which would send the credential unencrypted; use https (plain http is allowed only to this computer)"
                ),
            )),
            _ => Err(Error::new(
                ErrorKind::InvalidInput,
                format!("the endpoint `{url}` is not an http(s) URL; use {DEFAULT_ENDPOINT}"),
            )),
        }
    }

    /// The endpoint chosen by the command line flag, else `ROVO_MCP_ENDPOINT`, else the default.
    pub fn choose(flag: Option<&str>, environment: Option<&str>) -> Result<Self> {
        let environment = environment.filter(|value| !value.trim().is_empty());
        Self::parse(flag.or(environment).unwrap_or(DEFAULT_ENDPOINT))
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The host name, for messages.
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Self(Url::parse(DEFAULT_ENDPOINT).expect("the default endpoint is a URL"))
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => IpAddr::V4(address).is_loopback(),
        Some(url::Host::Ipv6(address)) => IpAddr::V6(address).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for text in [
            DEFAULT_ENDPOINT,
            "http://127.0.0.1:8080/v1/mcp",
            "http://127.5.0.1/v1/mcp",
            "http://localhost:3000/mcp",
            "http://[::1]:3000/mcp",
        ] {
            assert!(
                Endpoint::parse(text).is_ok(),
                "{text}: https anywhere and plain http to this computer are fine"
            );
        }
    }

    #[test]
    fn remote_http_non_urls_and_credentials_in_urls_are_refused() {
        for (text, why) in [
            (
                "http://mcp.atlassian.com/v1/mcp",
                "plain http to another host",
            ),
            ("mcp.atlassian.com/v1/mcp", "not a URL"),
            ("ftp://mcp.atlassian.com/", "not http(s)"),
            ("", "empty"),
        ] {
            let error = Endpoint::parse(text).expect_err(why);
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{why}");
        }
        let error = Endpoint::parse("https://me:ATATT3secret@mcp.atlassian.com/v1/mcp")
            .expect_err("a password in the URL is refused");
        assert!(
            !error.message().contains("ATATT3secret"),
            "the refused URL's password is not repeated: {}",
            error.message()
        );
    }

    #[test]
    fn the_flag_wins_over_the_environment_which_wins_over_the_default() {
        let flag = "https://flag.example.com/mcp";
        let environment = "https://env.example.com/mcp";
        assert_eq!(
            Endpoint::choose(Some(flag), Some(environment))
                .unwrap()
                .to_string(),
            flag
        );
        assert_eq!(
            Endpoint::choose(None, Some(environment))
                .unwrap()
                .to_string(),
            environment
        );
        assert_eq!(
            Endpoint::choose(None, Some(" ")).unwrap().to_string(),
            DEFAULT_ENDPOINT,
            "an empty variable means unset"
        );
    }
}
