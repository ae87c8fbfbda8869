//! `rovo-mcp-setup bridge`: runs the keychain bridge on this process's stdin and stdout for a
//! stdio-only AI client (design §5, `keychain` mode).
//!
//! The credential is read from the environment variable named by `--authorization-env`, never
//! from an argument, so it does not show in the process list or the client's config file.
//! Everything written to stdout is MCP; the bridge's own lines go to stderr.

use clap::Args;

use crate::bridge::{BridgeConfig, run_bridge, run_unavailable_bridge};
use crate::secrets::Secret;
use crate::{Error, ErrorKind};

/// The endpoint used when neither `--endpoint` nor `ROVO_MCP_ENDPOINT` names one.
pub const DEFAULT_ENDPOINT: &str = "https://mcp.atlassian.com/v1/mcp";
/// The environment variable that overrides the default endpoint (design §7).
pub const ENDPOINT_VARIABLE: &str = "ROVO_MCP_ENDPOINT";

/// Options of `bridge`.
#[derive(Debug, Args)]
pub struct BridgeArgs {
    /// The remote MCP endpoint [default: `ROVO_MCP_ENDPOINT`, else
    /// `https://mcp.atlassian.com/v1/mcp`]
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The environment variable that holds the whole `Authorization` header value
    /// (`Basic …` or `Bearer …`)
    #[arg(long, value_name = "VAR")]
    pub authorization_env: Option<String>,
}

/// Serves the bridge until the client closes stdin; 0 then, or the exit code of the failure
/// the client was told about. The bridge has already logged that failure to stderr.
pub fn run(args: &BridgeArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rovo-mcp-setup bridge: could not start: {error}");
            return ErrorKind::Internal.exit_code();
        }
    };
    let input = tokio::io::stdin();
    let output = tokio::io::stdout();
    let outcome = runtime.block_on(async {
        match bridge_config(args) {
            Ok(config) => run_bridge(config, input, output).await,
            Err(reason) => run_unavailable_bridge(reason, input, output).await,
        }
    });
    // Reading stdin blocks a thread that no cancellation reaches; do not wait for it.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => 0,
        Err(error) => error.kind().exit_code(),
    }
}

fn bridge_config(args: &BridgeArgs) -> Result<BridgeConfig, Error> {
    let endpoint = args
        .endpoint
        .clone()
        .or_else(|| {
            std::env::var(ENDPOINT_VARIABLE)
                .ok()
                .filter(|value| !value.is_empty())
        })
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    let Some(variable) = &args.authorization_env else {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "the bridge has no credential: its entry must pass `--authorization-env VAR`; \
             open Rovo MCP Setup and configure this client again",
        ));
    };
    let authorization = std::env::var(variable)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the environment variable `{variable}` named by `--authorization-env` is \
                     not set or empty; set it in this client's entry, or open Rovo MCP Setup \
                     and configure this client again"
                ),
            )
        })?;
    Ok(BridgeConfig {
        endpoint,
        authorization: Secret::new(authorization),
    })
}
