//! Windows: a subcommand prints to the console it was started from. The release build is a
//! GUI program (no console window flashes up behind the wizard), so Windows gives it no console
//! of its own; attaching to the parent's makes `configure`, `status`… print in cmd and
//! PowerShell. Elsewhere there is nothing to do.

/// Attaches to the console of the process that started this one, if it has one.
#[cfg(windows)]
#[allow(unsafe_code)]
pub fn attach() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id by value and touches no memory of ours. It fails
    // harmlessly (returns 0) when the parent has no console, as under Explorer or at login, or
    // when this process already has one; either way there is nothing to undo. Standard handles
    // a caller redirected (`> out.json`, pipes) stay as they are.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

/// Every other platform already gives a program its parent's terminal.
#[cfg(not(windows))]
pub fn attach() {}
