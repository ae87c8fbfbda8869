//! The MCP endpoint: the one rule every path that sends the credential goes through (the probe
//! behind validate, configure, rotate, the wizard and the tray's check, and the bridge), the
//! choice of which endpoint to use, and the only HTTP client that may talk to it.
//!
//! The rule: https to any host; plain http only to this computer, named by a loopback address
//! (`127.0.0.0/8`, `[::1]`) or by `localhost` when every address it resolves to is loopback,
//! and then the connection is pinned to those addresses so a second lookup cannot send it
//! elsewhere; never a user name or password in the URL. Traffic to this computer never goes
//! through a proxy.

use std::fmt;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Once;
use std::time::Duration;

use reqwest::{Client, Url, redirect};
use serde::Deserialize;

use crate::domain::policy::Policy;
use crate::{Error, ErrorKind, Result};

/// Where API tokens talk to the Rovo MCP server: v2, recommended for every client;
/// `/v1/mcp` and `/v1/mcp/authv2` stay served (atlassian/atlassian-mcp-server README and
/// support.atlassian.com "Authenticate with a service account", read 2026-12-03).
pub const DEFAULT_ENDPOINT: &str = "https://mcp.atlassian.com/v2/mcp";

/// The environment variable that overrides the default endpoint (design §7).
pub const ENDPOINT_ENV: &str = "ROVO_MCP_ENDPOINT";

/// The one host name plain http may use: it is resolved, and must resolve to loopback only.
const LOOPBACK_NAME: &str = "localhost";

/// How many same-origin redirects (307/308 only, which keep the POST and its body) are followed.
const MAX_REDIRECTS: usize = 3;

/// What the plain-http refusal tells a person to do instead.
const PLAIN_HTTP_RULE: &str = "use https (plain http is allowed only to this computer: 127.0.0.1 \
     or another 127.x.x.x address, [::1], or localhost when it resolves to those)";

/// A checked endpoint URL, and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: Url,
    /// On this computer (a loopback address, or `localhost`): never sent through a proxy.
    loopback: bool,
    /// The loopback addresses `localhost` resolved to when it was checked; the connection goes
    /// to these and nowhere else. Empty when the URL names an address or uses https.
    pinned: Vec<SocketAddr>,
}

/// Which endpoint the window asks to check a credential against. The URL itself is always
/// chosen in Rust, so script in the webview cannot send a typed token anywhere it likes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum EndpointChoice {
    /// The policy's endpoint, else `ROVO_MCP_ENDPOINT`, else Atlassian's own.
    #[default]
    Recommended,
    /// The endpoint of the setup on record (rotating a token keeps its endpoint); the
    /// recommended one when nothing is set up.
    OnRecord,
    /// The v2 endpoint that replaces the v1 one on record, on the same server (the move to
    /// v2); the policy's lock still wins. The recommended one when the record is not on v1.
    V2OfRecord,
}

/// What may name the endpoint besides a policy, strongest first.
#[derive(Debug, Clone, Copy, Default)]
pub struct EndpointSources<'a> {
    /// `--endpoint`.
    pub flag: Option<&'a str>,
    /// `ROVO_MCP_ENDPOINT`; empty means unset.
    pub environment: Option<&'a str>,
    /// The endpoint of the setup on record, where keeping it is the point (rotate, the bridge,
    /// the tray's check).
    pub on_record: Option<&'a str>,
}

impl Endpoint {
    /// Parses and checks `text` under the endpoint rule, looking `localhost` up in this
    /// computer's resolver (the hosts file).
    ///
    /// # Errors
    /// `invalid_input` when it is not an absolute http(s) URL, carries a user name or password,
    /// or uses plain http to anything but this computer.
    pub fn parse(text: &str) -> Result<Self> {
        Self::parse_resolving(text, &|host, port| {
            (host, port)
                .to_socket_addrs()
                .map(Iterator::collect::<Vec<_>>)
        })
    }

    /// [`Self::parse`] with `resolve` standing in for the system's resolver.
    fn parse_resolving(
        text: &str,
        resolve: &dyn Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>>,
    ) -> Result<Self> {
        let text = text.trim();
        let url = Url::parse(text).map_err(|error| {
            invalid(format!(
                "the endpoint `{}` is not a URL ({error}); use a full URL such as {DEFAULT_ENDPOINT}",
                without_user_info(text)
            ))
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(format!(
                "the endpoint `{}` has a user name or password in it, which would send the \
                 request somewhere else than it seems to; give the URL without it, and the \
                 credential with --token-env, --token-stdin or the keychain",
                without_user_info(text)
            )));
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(address)) => is_loopback(IpAddr::V4(address)),
            Some(url::Host::Ipv6(address)) => is_loopback(IpAddr::V6(address)),
            Some(url::Host::Domain(name)) => name == LOOPBACK_NAME,
            None => false,
        };
        match url.scheme() {
            "https" if url.host().is_some() => Ok(Self {
                url,
                loopback,
                pinned: Vec::new(),
            }),
            "http" if loopback => {
                let pinned = match url.host() {
                    Some(url::Host::Domain(name)) => {
                        let port = url.port_or_known_default().unwrap_or(80);
                        loopback_addresses(&url, name, port, resolve)?
                    }
                    _ => Vec::new(),
                };
                Ok(Self {
                    url,
                    loopback,
                    pinned,
                })
            }
            "http" => Err(invalid(format!(
                "the endpoint `{url}` uses plain http to another computer, which would send the \
                 credential unencrypted; {PLAIN_HTTP_RULE}"
            ))),
            _ => Err(invalid(format!(
                "the endpoint `{}` is not an http(s) URL; use {DEFAULT_ENDPOINT}",
                without_user_info(url.as_str())
            ))),
        }
    }

    /// The endpoint to use: the policy's lock, else the flag, else `ROVO_MCP_ENDPOINT`, else
    /// the one on record, else Atlassian's. A flag or variable that names another endpoint than
    /// the policy locks is refused, naming the policy; one that repeats it is fine.
    ///
    /// # Errors
    /// `invalid_input` for a conflict with the policy or an endpoint the rule refuses.
    pub fn choose(policy: &Policy, sources: EndpointSources<'_>) -> Result<Self> {
        let environment = sources.environment.filter(|value| !value.trim().is_empty());
        let asked = sources.flag.or(environment);
        let chosen = policy.endpoint(asked)?;
        Self::parse(
            chosen
                .as_deref()
                .or(sources.on_record)
                .unwrap_or(DEFAULT_ENDPOINT),
        )
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The host name, for messages.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// The HTTP client that talks to this endpoint, and the only one that sends the
    /// credential: TLS verified by the operating system's certificates and never switched off,
    /// HTTP/2 where offered, connections reused and kept alive, redirects followed only
    /// within the endpoint's own origin so the credential stays there; for an endpoint on this
    /// computer no proxy at all and the connection pinned to the checked addresses, for any
    /// other the system's proxy and `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` as reqwest reads them.
    ///
    /// # Errors
    /// The TLS setup failed: the certificate store could not be read.
    pub(crate) fn http_client(
        &self,
        user_agent: &str,
        connect_timeout: Duration,
    ) -> std::result::Result<Client, reqwest::Error> {
        /// When an idle connection is first probed, how often after that, and how many
        /// unanswered probes end it: a connection the network dropped silently (a laptop's
        /// Wi-Fi changed) fails within about a minute instead of the OS default of hours.
        const TCP_KEEPALIVE: Duration = Duration::from_secs(30);
        const TCP_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
        const TCP_KEEPALIVE_RETRIES: u32 = 3;
        static CRYPTO: Once = Once::new();
        CRYPTO.call_once(|| {
            // Fails only when another provider was installed first, which serves as well.
            let _installed = rustls::crypto::ring::default_provider().install_default();
        });
        let origin = self.url.origin();
        let redirects = redirect::Policy::custom(move |attempt| {
            let keeps_method = matches!(attempt.status().as_u16(), 307 | 308);
            if keeps_method
                && attempt.url().origin() == origin
                && attempt.previous().len() <= MAX_REDIRECTS
            {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let mut builder = Client::builder()
            .user_agent(user_agent)
            .connect_timeout(connect_timeout)
            .tcp_keepalive(TCP_KEEPALIVE)
            .tcp_keepalive_interval(TCP_KEEPALIVE_INTERVAL)
            .tcp_keepalive_retries(TCP_KEEPALIVE_RETRIES)
            .redirect(redirects);
        if self.loopback {
            builder = builder.no_proxy();
        }
        if let (false, Some(name)) = (self.pinned.is_empty(), self.url.host_str()) {
            builder = builder.resolve_to_addrs(name, &self.pinned);
        }
        builder.build()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.as_str())
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Self {
            url: Url::parse(DEFAULT_ENDPOINT).expect("the default endpoint is a URL"),
            loopback: false,
            pinned: Vec::new(),
        }
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// Loopback, IPv4-mapped IPv6 (`::ffff:127.0.0.1`) included.
fn is_loopback(address: IpAddr) -> bool {
    address.to_canonical().is_loopback()
}

/// Every address `name` resolves to, refused unless all of them are loopback: a hosts file
/// that maps `localhost` elsewhere must not receive the credential over plain http.
fn loopback_addresses(
    url: &Url,
    name: &str,
    port: u16,
    resolve: &dyn Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>>,
) -> Result<Vec<SocketAddr>> {
    let addresses = resolve(name, port).map_err(|error| {
        invalid(format!(
            "the endpoint `{url}` uses plain http, and `{name}` could not be looked up on this \
             computer ({error}); use http://127.0.0.1 with the same port and path instead"
        ))
    })?;
    if let Some(elsewhere) = addresses.iter().find(|address| !is_loopback(address.ip())) {
        return Err(invalid(format!(
            "the endpoint `{url}` uses plain http, but `{name}` resolves to {}, which is not \
             this computer (check the hosts file); use http://127.0.0.1 with the same port and \
             path instead",
            elsewhere.ip()
        )));
    }
    if addresses.is_empty() {
        return Err(invalid(format!(
            "the endpoint `{url}` uses plain http, and `{name}` resolves to no address on this \
             computer; use http://127.0.0.1 with the same port and path instead"
        )));
    }
    Ok(addresses)
}

/// `text` with whatever sits between the scheme and an `@` in the authority replaced by `…`:
/// a refused URL is named in the message, but what it carried as user info may be a secret.
fn without_user_info(text: &str) -> String {
    let (scheme, rest) = text.split_once("://").unwrap_or(("", text));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return text.to_owned();
    };
    let separator = if scheme.is_empty() && !text.contains("://") {
        ""
    } else {
        "://"
    };
    format!("{scheme}{separator}…{}", &rest[at..])
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    fn refused(text: &str) -> Error {
        Endpoint::parse(text).expect_err("the endpoint rule refuses it")
    }

    /// A resolver that answers every lookup with `addresses`.
    fn resolving_to(
        addresses: Vec<IpAddr>,
    ) -> impl Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>> {
        move |_name, port| {
            Ok(addresses
                .iter()
                .map(|address| SocketAddr::new(*address, port))
                .collect())
        }
    }

    #[test]
    fn https_anywhere_and_plain_http_to_a_loopback_address_are_accepted() {
        for text in [
            DEFAULT_ENDPOINT,
            "https://203.0.113.7/mcp",
            "http://127.0.0.1:8080/v1/mcp",
            "http://127.5.0.1/v1/mcp",
            "http://[::1]:3000/mcp",
            "http://[::ffff:127.0.0.1]:3000/mcp",
        ] {
            let endpoint = Endpoint::parse(text).unwrap_or_else(|error| {
                panic!("{text}: https anywhere and plain http to this computer are fine: {error}")
            });
            assert!(
                endpoint.pinned.is_empty(),
                "{text}: an address is used as given, nothing is looked up"
            );
        }
    }

    #[test]
    fn ipv4_written_in_decimal_octal_or_hex_is_judged_by_the_address_it_means() {
        for (text, address) in [
            ("http://2130706433:8080/mcp", "127.0.0.1"),
            ("http://0177.0.0.1:8080/mcp", "127.0.0.1"),
            ("http://0x7f.0x0.0x0.0x1:8080/mcp", "127.0.0.1"),
            ("http://017700000001:8080/mcp", "127.0.0.1"),
            ("http://127.1:8080/mcp", "127.0.0.1"),
        ] {
            let endpoint = Endpoint::parse(text)
                .unwrap_or_else(|error| panic!("{text} is loopback written oddly: {error}"));
            assert_eq!(
                endpoint.host(),
                address,
                "{text}: the URL is normalised, so what is shown is where it goes"
            );
        }
        for text in [
            "http://3232235521/mcp",
            "http://0300.0250.0.1/mcp",
            "http://0xc0a80001/mcp",
        ] {
            let error = refused(text);
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{text}");
            assert!(
                error.message().contains("192.168.0.1"),
                "{text}: the refusal names the address it really is: {error}"
            );
        }
    }

    #[test]
    fn plain_http_to_another_computer_is_refused_in_one_sentence() {
        for text in [
            "http://mcp.atlassian.com/v1/mcp",
            "http://10.0.0.5/mcp",
            "http://[2001:db8::1]/mcp",
            "http://localhost./mcp",
            "http://127.0.0.1.nip.io/mcp",
            "http://evil.localhost/mcp",
        ] {
            let error = refused(text);
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{text}: exit 2");
            assert!(
                error.message().contains("plain http to another computer")
                    && !error.message().contains('\n'),
                "{text}: one sentence that says why: {error}"
            );
        }
    }

    #[test]
    fn a_url_with_user_info_is_refused_without_repeating_it() {
        for (text, hidden) in [
            ("http://localhost@evil.example/", "localhost"),
            (
                "https://me:ATATT3secret@mcp.atlassian.com/v1/mcp",
                "ATATT3secret",
            ),
            ("http://user:pa55word@127.0.0.1:9/mcp", "pa55word"),
        ] {
            let error = refused(text);
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{text}");
            assert!(
                error.message().contains("user name or password"),
                "{text}: says why: {error}"
            );
            assert!(
                !error.message().contains(hidden),
                "{text}: the user info is not repeated: {error}"
            );
        }
        assert!(
            refused("http://localhost@evil.example/")
                .message()
                .contains("http://…@evil.example/"),
            "the host it would really reach is named"
        );
    }

    #[test]
    fn non_urls_and_other_schemes_are_refused() {
        for (text, why) in [
            ("mcp.atlassian.com/v1/mcp", "not a URL"),
            ("ftp://mcp.atlassian.com/", "not http(s)"),
            ("", "empty"),
        ] {
            let error = Endpoint::parse(text).expect_err(why);
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{why}");
        }
        let error = refused("user:secret@[::1");
        assert!(
            !error.message().contains("secret"),
            "an unparsable URL's user info is not repeated either: {error}"
        );
    }

    #[test]
    fn localhost_is_accepted_only_when_every_address_it_resolves_to_is_loopback() {
        let resolver = resolving_to(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]);
        let endpoint = Endpoint::parse_resolving("http://localhost:3000/mcp", &resolver)
            .expect("localhost resolving to loopback is this computer");
        assert_eq!(
            endpoint.pinned,
            [
                "127.0.0.1:3000".parse::<SocketAddr>().unwrap(),
                "[::1]:3000".parse().unwrap()
            ],
            "the connection is pinned to exactly the addresses that were checked"
        );

        for (addresses, shown) in [
            (
                vec![IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9))],
                "203.0.113.9",
            ),
            (
                vec![
                    IpAddr::V4(Ipv4Addr::LOCALHOST),
                    IpAddr::V4(Ipv4Addr::new(192, 168, 1, 2)),
                ],
                "192.168.1.2",
            ),
        ] {
            let error =
                Endpoint::parse_resolving("http://localhost:3000/mcp", &resolving_to(addresses))
                    .expect_err("a hosts file that maps localhost elsewhere is refused");
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "exit 2");
            assert!(
                error.message().contains(shown) && error.message().contains("hosts file"),
                "the message names where localhost really goes: {error}"
            );
        }
        let error = Endpoint::parse_resolving("http://localhost/mcp", &resolving_to(Vec::new()))
            .expect_err("no address is no endpoint");
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        let error = Endpoint::parse_resolving("http://localhost/mcp", &|_, _| {
            Err(std::io::Error::other("resolver down"))
        })
        .expect_err("a failed lookup is no endpoint");
        assert!(error.message().contains("resolver down"), "{error}");

        let https =
            Endpoint::parse_resolving("https://localhost:8443/mcp", &|_,
                                                                      _|
             -> std::io::Result<
                Vec<SocketAddr>,
            > {
                panic!("https is not looked up: TLS checks who answers")
            })
            .expect("https to localhost is fine");
        assert!(https.loopback, "but still never proxied");
    }

    #[test]
    fn the_flag_wins_over_the_environment_over_the_record_over_the_default() {
        let policy = Policy::default();
        let all = EndpointSources {
            flag: Some("https://flag.example.com/mcp"),
            environment: Some("https://env.example.com/mcp"),
            on_record: Some("https://record.example.com/mcp"),
        };
        let chosen = |sources| Endpoint::choose(&policy, sources).unwrap().to_string();
        assert_eq!(chosen(all), "https://flag.example.com/mcp");
        assert_eq!(
            chosen(EndpointSources { flag: None, ..all }),
            "https://env.example.com/mcp"
        );
        assert_eq!(
            chosen(EndpointSources {
                flag: None,
                environment: Some(" "),
                ..all
            }),
            "https://record.example.com/mcp",
            "an empty variable means unset"
        );
        assert_eq!(chosen(EndpointSources::default()), DEFAULT_ENDPOINT);
        let error = Endpoint::choose(
            &policy,
            EndpointSources {
                flag: Some("http://localhost@evil.example/"),
                ..EndpointSources::default()
            },
        )
        .expect_err("a chosen endpoint still meets the rule");
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn a_policys_lock_wins_and_a_flag_may_only_repeat_it() {
        let locked = "https://mcp.example.com/v1/mcp";
        let policy = Policy::locking_endpoint(locked);
        let repeated = Endpoint::choose(
            &policy,
            EndpointSources {
                flag: Some(locked),
                ..EndpointSources::default()
            },
        )
        .expect("a flag that repeats the lock exactly is accepted");
        assert_eq!(repeated.to_string(), locked);
        for sources in [
            EndpointSources {
                flag: Some("https://other.example.com/mcp"),
                ..EndpointSources::default()
            },
            EndpointSources {
                environment: Some("http://127.0.0.1:9/mcp"),
                ..EndpointSources::default()
            },
        ] {
            let error = Endpoint::choose(&policy, sources)
                .expect_err("another endpoint than the lock is refused");
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "exit 2");
            assert!(
                error.message().contains("policy") && error.message().contains(locked),
                "the refusal names the policy and its endpoint: {error}"
            );
        }
        assert_eq!(
            Endpoint::choose(
                &policy,
                EndpointSources {
                    on_record: Some("https://record.example.com/mcp"),
                    ..EndpointSources::default()
                },
            )
            .unwrap()
            .to_string(),
            locked,
            "the lock replaces the endpoint on record rather than conflicting with it"
        );
    }

    #[test]
    fn only_an_endpoint_on_this_computer_goes_around_the_proxy() {
        for text in [
            "http://127.0.0.1:9/mcp",
            "http://[::1]:9/mcp",
            "https://localhost/mcp",
        ] {
            assert!(
                Endpoint::parse(text).unwrap().loopback,
                "{text}: on this computer, so never proxied"
            );
        }
        assert!(
            !Endpoint::default().loopback,
            "Atlassian's endpoint goes through the proxy the system or HTTPS_PROXY names"
        );
    }

    #[test]
    fn a_refused_url_is_shown_without_its_user_info() {
        assert_eq!(
            without_user_info("http://me:pw@host:1/p@th"),
            "http://…@host:1/p@th"
        );
        assert_eq!(
            without_user_info("https://host/a@b"),
            "https://host/a@b",
            "an @ in the path is no user info"
        );
        assert_eq!(without_user_info("me:pw@host"), "…@host");
    }
}
