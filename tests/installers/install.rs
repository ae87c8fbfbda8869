//! The `.deb` and `.rpm` that `make package` builds, installed into a throwaway root with the
//! system's own `dpkg` and `rpm`, run from there, and taken out again: every file they install
//! is where the IT guide says, and uninstalling leaves no file behind (only the package
//! manager's own database). `make package` runs this after building; `ROVO_BUNDLES` names the
//! bundle folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the packages install (docs/it-deployment.md §6, tauri.conf.json `bundle.linux`).
const INSTALLED: [&str; 4] = [
    "usr/bin/rovo-mcp-setup",
    "usr/bin/rovo-mcp-setup-cli",
    "usr/bin/rovo-mcp-setup-tray",
    "usr/share/applications/Rovo MCP Setup.desktop",
];

/// The one file with `extension` in the bundle folder's `kind` folder.
fn bundle(kind: &str, extension: &str) -> PathBuf {
    let bundles = PathBuf::from(
        std::env::var_os("ROVO_BUNDLES").expect("ROVO_BUNDLES: run this through make package"),
    );
    let mut found: Vec<PathBuf> = fs::read_dir(bundles.join(kind))
        .expect("the bundle folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|found| found == extension))
        .collect();
    assert_eq!(found.len(), 1, "one .{extension} in the bundle: {found:?}");
    found.remove(0)
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("the package tool runs");
    assert!(
        output.status.success(),
        "{command:?} succeeds:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file and link under `root`, relative to it, outside the package manager's database.
fn files_under(root: &Path, database: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if database.iter().any(|kept| relative.starts_with(kept)) {
                continue;
            }
            if path.is_dir() && !path.is_symlink() {
                folders.push(path);
            } else {
                found.push(relative);
            }
        }
    }
    found.sort();
    found
}

/// What is installed runs from the throwaway root: the lean binary needs no library the
/// package does not declare.
fn assert_installed(root: &Path) {
    for file in INSTALLED {
        assert!(root.join(file).is_file(), "{file} is installed");
    }
    let version = run(Command::new(root.join("usr/bin/rovo-mcp-setup-cli")).arg("--version"));
    assert!(
        version.starts_with("rovo-mcp-setup "),
        "the installed command line runs: {version}"
    );
    let desktop = fs::read_to_string(root.join(INSTALLED[3])).unwrap();
    assert!(
        desktop.contains("Exec=rovo-mcp-setup"),
        "the menu entry starts the app: {desktop}"
    );
}

#[test]
fn the_deb_installs_and_uninstalls_without_leaving_files() {
    let root = tempfile::tempdir().unwrap();
    for folder in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
        fs::create_dir_all(root.path().join(folder)).unwrap();
    }
    fs::write(root.path().join("var/lib/dpkg/status"), "").unwrap();
    let dpkg = || {
        let mut command = Command::new("dpkg");
        // The throwaway root has no WebKitGTK to satisfy `Depends`; the files are what is tested.
        command
            .arg(format!("--root={}", root.path().display()))
            .args([
                "--force-depends",
                "--force-script-chrootless",
                "--log=/dev/null",
            ]);
        command
    };
    let control = run(Command::new("dpkg-deb")
        .arg("--info")
        .arg(bundle("deb", "deb")));
    assert!(
        !["preinst", "postinst", "prerm", "postrm"]
            .iter()
            .any(|script| control.contains(script)),
        "no maintainer script runs, so skipping the chroot skips nothing: {control}"
    );
    run(dpkg().arg("--install").arg(bundle("deb", "deb")));
    assert_installed(root.path());
    let listed = run(dpkg().args(["--listfiles", "rovo-mcp-setup"]));
    for file in INSTALLED {
        assert!(listed.contains(&format!("/{file}")), "dpkg owns {file}");
    }

    run(dpkg().args(["--purge", "rovo-mcp-setup"]));
    assert_eq!(
        files_under(root.path(), &["var/lib/dpkg"]),
        Vec::<String>::new(),
        "uninstalling leaves no file behind"
    );
}

#[test]
fn the_rpm_installs_and_uninstalls_without_leaving_files() {
    let root = tempfile::tempdir().unwrap();
    let rpm = || {
        let mut command = Command::new("rpm");
        // Debian's rpm keeps its database in the user's home unless told where.
        command
            .arg("--root")
            .arg(root.path())
            .args(["--dbpath", "/var/lib/rpm"]);
        command
    };
    let scripts = run(Command::new("rpm")
        .args(["--query", "--package", "--scripts"])
        .arg(bundle("rpm", "rpm")));
    assert_eq!(
        scripts, "",
        "no scriptlet runs, so --noscripts skips nothing"
    );
    run(rpm().arg("--initdb"));
    run(rpm()
        .args(["--install", "--nodeps", "--noscripts"])
        .arg(bundle("rpm", "rpm")));
    assert_installed(root.path());
    let listed = run(rpm().args(["--query", "--list", "rovo-mcp-setup"]));
    for file in INSTALLED {
        assert!(listed.contains(&format!("/{file}")), "rpm owns {file}");
    }

    run(rpm().args(["--erase", "--nodeps", "--noscripts", "rovo-mcp-setup"]));
    assert_eq!(
        files_under(
            root.path(),
            &["var/lib/rpm", "usr/lib/sysimage/rpm", "var/tmp"]
        ),
        Vec::<String>::new(),
        "uninstalling leaves no file behind"
    );
}
