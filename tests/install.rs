//! Running normgraph as an installed binary would: from another folder, with its source folder out
//! of reach (the bundle embedded in the binary), `--version` naming the data release, and the
//! prerequisite check failing fast when libclang is missing.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary carries its bundle: run as if its source folder were gone
/// (`NORMGRAPH_IGNORE_SOURCE=1`), from another folder, it writes the embedded bundle to its cache
/// and answers README's main query from it. (`cargo install --path` into the test's own target
/// folder is not used here: cargo gives the installed copy the same artifact names as the
/// workspace build, so it would overwrite the build under test.)
#[test]
fn the_binary_works_from_its_embedded_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let bin = env!("CARGO_BIN_EXE_normgraph");
    let out = Command::new(bin)
        .current_dir(&elsewhere)
        .env_remove("NORMGRAPH_HOME")
        .env("NORMGRAPH_IGNORE_SOURCE", "1")
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .args([
            "query",
            "who-backs-norm",
            "--param",
            "norm=norm:gge2015-13f",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every UN member backs 13(f) through A/RES/70/237: 193 rows and a header.
    assert_eq!(stdout.lines().count(), 194, "{stdout}");
    assert!(stdout.contains("/state/IRN,"));
    // The bundle was read from the cache, not from the source folder.
    let cached: Vec<_> = std::fs::read_dir(tmp.path().join("cache/normgraph"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].path().join("data/norms/gge.ttl").is_file());
    let run = |args: &[&str]| {
        Command::new(bin)
            .current_dir(&elsewhere)
            .env_remove("NORMGRAPH_HOME")
            .env("NORMGRAPH_IGNORE_SOURCE", "1")
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .args(args)
            .output()
            .unwrap()
    };
    let version = run(&["--version"]);
    let version = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.contains(&format!(
            "bundled data sha256:{}",
            normgraph::embedded::digest()
        )),
        "{version}"
    );
    // The data release it names is the canonical hash of the data it answers from.
    let export = run(&["--memory", "export", "--canonical", "-o", "/dev/null"]);
    let stderr = String::from_utf8_lossy(&export.stderr);
    let canonical = stderr
        .lines()
        .find_map(|l| l.strip_prefix("sha256:"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no hash: {stderr}"));
    assert!(
        version.contains(&format!("data release sha256:{canonical} (")),
        "{version} / {canonical}"
    );
}

/// Shell completions and man pages come from the clap definitions.
#[test]
fn completions_and_man_pages_are_generated() {
    let bin = env!("CARGO_BIN_EXE_normgraph");
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(bin)
            .args(["completions", shell])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        for sub in ["validate", "compare", "search", "unload"] {
            assert!(text.contains(sub), "{shell}: {sub}");
        }
    }
    let out = Command::new(bin).arg("manpage").output().unwrap();
    let roff = String::from_utf8_lossy(&out.stdout);
    assert!(
        roff.starts_with(".ie") || roff.contains(".TH normgraph"),
        "{roff}"
    );
    assert!(roff.contains("validate"));
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(bin)
        .args(["manpage", "--dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    for page in ["normgraph.1", "normgraph-load.1", "normgraph-compare.1"] {
        let text = std::fs::read_to_string(tmp.path().join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    let bad = Command::new(bin)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_prerequisite_check_fails_fast_with_the_install_command() {
    let started = Instant::now();
    let out = Command::new("sh")
        .arg(root().join("scripts/prereqs.sh"))
        .arg("build")
        .env("NORMGRAPH_NO_INSTALL", "1")
        .env("NORMGRAPH_LIB_DIRS", "/nonexistent")
        .env_remove("LIBCLANG_PATH")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("apt-get install libclang-dev"), "{stderr}");
    assert!(stderr.contains("dnf install clang-devel"), "{stderr}");
    assert!(stderr.contains("brew install"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // With libclang where it is looked for, the check passes.
    let ok = Command::new("sh")
        .arg(root().join("scripts/prereqs.sh"))
        .arg("build")
        .env("NORMGRAPH_NO_INSTALL", "1")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// Runs a crash-trial script of scripts/ on the binary under test; it must succeed. Its stdout.
fn trials(script: &str, args: &[&str]) -> String {
    let out = Command::new("bash")
        .arg(root().join(script))
        .arg(env!("CARGO_BIN_EXE_normgraph"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Crash trials (scripts/crash-trials.sh): `load` killed at random moments, five times; the store
/// must hold the old content or the new after each, and the same load run again must finish it.
/// The long run (50 trials) is reported in the closing note of the hardening issue.
#[test]
fn a_load_killed_at_random_moments_leaves_old_or_new_content() {
    let stdout = trials("scripts/crash-trials.sh", &["5", "100000"]);
    assert!(stdout.contains("a mix 0 times"), "{stdout}");
}

/// Crash trials of a server write (scripts/server-crash-trials.sh): `serve --writable` killed at a
/// random moment of a 20,000-triple update, three times; the reopened store holds the graph whole
/// or not at all, and who-backs-norm still answers 193 states (the derived graph recomputed when
/// it was stale). The long run is reported in the closing note of the hardening issue.
#[test]
fn a_server_killed_during_a_write_leaves_old_or_new_content() {
    let stdout = trials("scripts/server-crash-trials.sh", &["3"]);
    assert!(
        stdout.contains("partial 0 times; derived graph wrong 0 times"),
        "{stdout}"
    );
}
