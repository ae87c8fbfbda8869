//! `rovo-mcp-setup-tray`: the tray icon, its menu, the scheduled check and its desktop
//! notifications (issue 7), in a process that links no webview, so what runs all day from
//! login costs a few tens of megabytes. `rovo-mcp-setup --tray` (what start at login runs)
//! hands over to it; a menu item that needs a window starts the app beside it.
//!
//! What to say and when comes from the core's `use_cases::care` and `use_cases::tray`; this
//! program only shows it.

// A release build on Windows is a GUI program, so no console window stays open beside the icon.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod background;
mod icon;

use std::process::ExitCode;

use clap::Parser as _;
use rovo_mcp_core::cli::Cli;
use rovo_mcp_core::domain::clients::ClientEnvironment;
use rovo_mcp_core::plumbing::start_at_login;
use rovo_mcp_core::use_cases::tray::{Care, InstanceLock};

/// This program's name, which starts each sentence it says on stderr.
const NAME: &str = "rovo-mcp-setup-tray";

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    app::GL_TURNED_OFF.store(turn_off_gl(), std::sync::atomic::Ordering::Relaxed);
    // The app hands over its own arguments: `--tray`, perhaps `--verbose`.
    let cli = Cli::parse();
    rovo_mcp_core::plumbing::logging::init(cli.verbose);
    if cli.command.is_some() || cli.demo || cli.rotate {
        eprintln!(
            "{NAME}: this program only runs the tray; the window and the subcommands are \
             `rovo-mcp-setup`'s"
        );
        return ExitCode::from(2);
    }
    let Some(environment) = ClientEnvironment::current() else {
        eprintln!(
            "{NAME}: the home folder is unknown (HOME is not set), so there is no setup to look after"
        );
        return ExitCode::FAILURE;
    };
    // Held until the process ends: a second start finds it taken and leaves the first alone.
    let lock = match InstanceLock::acquire(&InstanceLock::path(&environment)) {
        Ok(Some(lock)) => Some(lock),
        Ok(None) => {
            tracing::debug!("the tray is running already");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("{NAME}: the one-tray lock could not be taken ({error}); running anyway");
            None
        }
    };
    if let Err(problem) = icon::check_display() {
        eprintln!("{NAME}: {problem}");
        return ExitCode::FAILURE;
    }
    let care = Care::for_current_user();
    let policy_start_at_login = care
        .as_ref()
        .and_then(|care| care.policy.settings.start_at_login);
    // The policy's `startAtLogin: true` holds at every start, so an entry removed outside the
    // app comes back; before the menu is built, so its checkbox shows it on.
    if policy_start_at_login == Some(true)
        && let Some(error) = start_at_login::apply_policy_here(Some(true)).error
    {
        eprintln!("{NAME}: {error}");
    }
    icon::run(care, policy_start_at_login, lock)
}

/// Turns GTK's OpenGL off, which a tray icon never draws with, unless the person set `GDK_GL`
/// themselves: on a machine without a GPU driver (Xvfb, many virtual machines) GTK loads Mesa's
/// software renderer and its LLVM for it, about 40 MB. Whether it was turned off here.
#[cfg(target_os = "linux")]
fn turn_off_gl() -> bool {
    if std::env::var_os("GDK_GL").is_some() {
        return false;
    }
    // SAFETY: the first thing `main` does, before any thread exists that could read the
    // environment at the same time.
    #[expect(
        unsafe_code,
        reason = "GDK reads GDK_GL only from the environment, at its initialisation"
    )]
    unsafe {
        std::env::set_var("GDK_GL", "disable");
    }
    true
}
