//! A config write seen from outside: a reader at any moment, or a writer killed at any moment,
//! finds the old file or the new one, never a torn mix (design §9).
//!
//! The killed writer is this test binary itself, started again with `WRITER_VARIABLE` set so that
//! `each_write_switches_to_the_other_version` turns into an endless writer.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rovo_mcp_core::plumbing::fsutil::{BackupPlace, ConfigFile, WriteOutcome, replace_config};

/// Names the file the re-started binary writes to, and makes it a writer.
const WRITER_VARIABLE: &str = "ROVO_MCP_TEST_ATOMIC_WRITER";

/// Two versions big enough that a write takes a while, so kills land in the middle of one.
fn versions() -> [Vec<u8>; 2] {
    [vec![b'a'; 2 * 1024 * 1024], vec![b'b'; 3 * 1024 * 1024]]
}

fn write_the_other_version(path: &Path, backups: &Path) {
    let versions = versions();
    let file = ConfigFile::read(path).unwrap();
    let next = if file.bytes() == Some(versions[0].as_slice()) {
        &versions[1]
    } else {
        &versions[0]
    };
    let place = BackupPlace {
        folder: backups,
        label: "writer",
    };
    let outcome = replace_config(&file, Some(next), place).unwrap();
    assert!(
        matches!(outcome, WriteOutcome::Written { .. }),
        "{outcome:?}"
    );
}

/// In a normal run: one write replaces one version with the other, whole. Started again by
/// `a_killed_writer_never_leaves_a_torn_file` with `WRITER_VARIABLE` set: the endless writer.
#[test]
fn each_write_switches_to_the_other_version() {
    if let Some(path) = std::env::var_os(WRITER_VARIABLE) {
        let path = Path::new(&path);
        let backups = path.with_extension("backups");
        loop {
            write_the_other_version(path, &backups);
        }
    }
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("mcp.json");
    let versions = versions();
    fs::write(&path, &versions[0]).unwrap();
    write_the_other_version(&path, &folder.path().join("backups"));
    assert!(
        fs::read(&path).unwrap() == versions[1],
        "the first write puts the second version"
    );
    write_the_other_version(&path, &folder.path().join("backups"));
    assert!(
        fs::read(&path).unwrap() == versions[0],
        "the next write puts the first back"
    );
}

#[test]
fn a_killed_writer_never_leaves_a_torn_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("mcp.json");
    let versions = versions();
    fs::write(&path, &versions[0]).unwrap();
    for round in 0..12_u64 {
        let mut writer = Command::new(std::env::current_exe().unwrap())
            .args([
                "each_write_switches_to_the_other_version",
                "--exact",
                "--test-threads=1",
            ])
            .env(WRITER_VARIABLE, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Different moments each round: before the first write, mid-write, between writes.
        std::thread::sleep(Duration::from_millis(40 + round * 17));
        writer.kill().unwrap();
        writer.wait().unwrap();

        let found = fs::read(&path).unwrap();
        assert!(
            versions.contains(&found),
            "round {round}: the file is one version or the other, not {} bytes of a mix",
            found.len()
        );
    }
    let writes =
        fs::read_dir(path.with_extension("backups").join("writer")).map_or(0, Iterator::count);
    assert!(writes > 0, "the writer really wrote before it was killed");
}

/// Unix only: on Windows a read that meets the rename fails with a sharing violation instead,
/// which the client retries; it still never sees a mix.
#[cfg(unix)]
#[test]
fn a_reader_never_sees_a_torn_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("mcp.json");
    let backups = folder.path().join("backups");
    let versions = versions();
    fs::write(&path, &versions[0]).unwrap();
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        for _ in 0..30 {
            write_the_other_version(&writer_path, &backups);
        }
    });
    let mut reads = 0;
    while !writer.is_finished() {
        let found = fs::read(&path).unwrap();
        assert!(versions.contains(&found), "read {reads} saw a torn file");
        reads += 1;
    }
    writer.join().unwrap();
    assert!(reads > 0, "the reader ran while the writer wrote");
}
