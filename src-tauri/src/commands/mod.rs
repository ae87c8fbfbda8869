//! Tauri commands, one file per wizard domain. Each unpacks its request, calls one core
//! function and maps the error: no logic lives here.

pub mod check;
pub mod clients;
pub mod desktop;
pub mod rotate;
pub mod startup;
pub mod wizard;
