//! What a person or a script does with the app, each use case once: check a credential, set up
//! the clients, rotate, remove, see where things stand, keep the setup cared for from the tray, the
//! wizard's steps, and the demo. The window, the command line and the tray call these.

pub mod care;
pub mod check;
pub mod demo;
pub mod remove;
pub mod rotation;
pub mod setup;
pub mod status;
pub mod tray;
pub mod wizard;
