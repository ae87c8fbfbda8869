//! A desktop-notification server on a private session bus: it owns
//! `org.freedesktop.Notifications`, as a desktop's notification daemon does, and records every
//! notification it is asked to show, so a test can count what the app announced.

// The interface macro's generated code uses the arguments a server may ignore.
#![allow(
    clippy::used_underscore_binding,
    reason = "zbus passes on the ignored D-Bus arguments"
)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use zbus::zvariant::OwnedValue;

/// One notification as the app sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownNotification {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

#[derive(Debug, Default)]
struct Recorder {
    shown: Arc<Mutex<Vec<ShownNotification>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
#[expect(
    clippy::unused_self,
    reason = "the D-Bus interface's methods, some of which need no state"
)]
impl Recorder {
    #[expect(clippy::too_many_arguments, reason = "the D-Bus method's signature")]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap_or_else(PoisonError::into_inner);
        shown.push(ShownNotification {
            app_name,
            summary,
            body,
        });
        u32::try_from(shown.len()).unwrap_or(u32::MAX)
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".to_owned()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "rovo-test-notifications".to_owned(),
            "rovo".to_owned(),
            "1.0".to_owned(),
            "1.2".to_owned(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// The running notification server; it leaves the bus when dropped.
#[derive(Debug)]
pub struct NotificationServer {
    _connection: zbus::blocking::Connection,
    shown: Arc<Mutex<Vec<ShownNotification>>>,
}

impl NotificationServer {
    /// Connects to the session bus at `bus_address` and serves notifications there.
    pub fn start(bus_address: &str) -> anyhow::Result<Self> {
        let shown = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            shown: Arc::clone(&shown),
        };
        let connection = zbus::blocking::connection::Builder::address(bus_address)?
            .name("org.freedesktop.Notifications")?
            .serve_at("/org/freedesktop/Notifications", recorder)?
            .build()?;
        Ok(Self {
            _connection: connection,
            shown,
        })
    }

    /// Every notification shown so far, oldest first.
    pub fn shown(&self) -> Vec<ShownNotification> {
        self.shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
