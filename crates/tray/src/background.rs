//! The background care on a thread of its own: the scheduled check, "Check now", and the
//! desktop notifications. What the icon and status line should show goes to the event loop,
//! which alone may touch the tray.

use std::time::Duration;

use chrono::Utc;
use rovo_mcp_core::use_cases::care::{CareOutcome, Notice};
use rovo_mcp_core::use_cases::tray::{Care, CheckTimer};
use tao::event_loop::EventLoopProxy;
use tokio::sync::mpsc;

use crate::NAME;
use crate::icon::TrayEvent;

/// How often the scheduler reads the clock and the state file. Reading the wall clock each
/// minute (rather than sleeping until the due time) survives suspend and clock changes.
const TICK: Duration = Duration::from_secs(60);

/// Asks the background care to check now.
#[derive(Debug, Clone)]
pub struct CheckNow(mpsc::UnboundedSender<()>);

impl CheckNow {
    pub fn ask(&self) {
        let _ = self.0.send(());
    }
}

/// Starts the background care, which sends each status to show through `proxy`.
pub fn start(care: Care, proxy: EventLoopProxy<TrayEvent>) -> CheckNow {
    let (sender, requests) = mpsc::unbounded_channel();
    // Notifications come from the app's identity rather than from the terminal's.
    #[cfg(target_os = "macos")]
    let _ = notify_rust::set_application(rovo_mcp_core::APP_IDENTIFIER);
    std::thread::spawn(move || {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(scheduler(&care, &proxy, requests)),
            Err(error) => eprintln!("{NAME}: the background check cannot run: {error}"),
        }
    });
    CheckNow(sender)
}

/// Each tick, reads the clock and the state, checks when due, and refreshes the icon when the
/// state changed under it (the wizard finished, a file removed); checks at once when asked.
async fn scheduler(
    care: &Care,
    proxy: &EventLoopProxy<TrayEvent>,
    mut requests: mpsc::UnboundedReceiver<()>,
) {
    let mut timer = CheckTimer::default();
    loop {
        let now = Utc::now();
        if timer.should_check(now, || care.check_due(now)) {
            let outcome = care.check_now(now).await;
            timer.checked(&outcome, now);
            show(proxy, outcome).await;
        } else if proxy
            .send_event(TrayEvent::Status(care.status(now)))
            .is_err()
        {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(TICK) => {}
            request = requests.recv() => {
                if request.is_none() {
                    return;
                }
                show(proxy, care.check_now(Utc::now()).await).await;
            }
        }
    }
}

/// Shows a check's status and its notifications.
async fn show(proxy: &EventLoopProxy<TrayEvent>, outcome: CareOutcome) {
    let _ = proxy.send_event(TrayEvent::Status(outcome.status));
    for notice in outcome.notices {
        // The system's notification call blocks on its bus or service: off this thread.
        match tokio::task::spawn_blocking(move || notify(&notice)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                eprintln!("{NAME}: a notification could not be shown: {error}");
            }
            Err(error) => eprintln!("{NAME}: a notification could not be shown: {error}"),
        }
    }
}

fn notify(notice: &Notice) -> notify_rust::error::Result<()> {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname(rovo_mcp_core::plumbing::start_at_login::APP_NAME)
        .summary(&notice.title)
        .body(&notice.body)
        .auto_icon();
    // Windows shows a notification under a registered app id, which only the installed app
    // has; a build run from `target/` goes without, as tauri-plugin-notification does.
    #[cfg(windows)]
    if std::env::current_exe().is_ok_and(|exe| {
        !exe.parent().is_some_and(|folder| {
            folder.ends_with("target/debug") || folder.ends_with("target/release")
        })
    }) {
        notification.app_id(rovo_mcp_core::APP_IDENTIFIER);
    }
    notification.show().map(drop)
}
