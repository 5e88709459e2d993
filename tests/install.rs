//! Running normgraph as an installed binary would: from another folder, with its source folder out
//! of reach (the bundle embedded in the binary), `--version` naming the data release, and the
//! prerequisite check failing fast when libclang is missing.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// README's main query, as CSV.
const MAIN_QUERY: &[&str] = &[
    "query",
    "who-backs-norm",
    "--param",
    "norm=norm:gge2015-13f",
    "-f",
    "csv",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary carries its bundle: run as if its source folder were gone
/// (`NORMGRAPH_IGNORE_SOURCE=1`), from another folder, it writes the embedded bundle to its cache
/// and answers README's main query from it. (`cargo install` itself:
/// `cargo_install_from_a_deleted_copy_works_from_any_folder` below.)
#[test]
fn the_binary_works_from_its_embedded_bundle() {
    let _only = binary_lock();
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
        .args(MAIN_QUERY)
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
    let _only = binary_lock();
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
    let _only = binary_lock();
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
/// random moment of a 20,000-triple update that also adds a backer of norm 13(f), five times; the
/// reopened store holds the graph whole or not at all, and who-backs-norm answers 194 states when it
/// is whole and 193 when it is absent (a write marks the derived graph stale before its data
/// commit; a store reopened before the rules finished recomputes them). The long run (50 trials)
/// is reported in the closing note of the hardening issue.
#[test]
fn a_server_killed_during_a_write_leaves_old_or_new_content() {
    let stdout = trials("scripts/server-crash-trials.sh", &["5"]);
    assert!(
        stdout.contains("partial 0 times; derived graph wrong 0 times"),
        "{stdout}"
    );
}

/// Tests of this file that run the binary under test take this lock: `cargo install` below
/// rebuilds it into the shared target folder for a moment.
fn binary_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Copies the source tree (what git tracks would do; here: everything but build output and
/// version control) from `from` to `to`.
fn copy_source(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if matches!(name.as_ref(), "target" | ".git" | "node_modules" | ".venv") {
            continue;
        }
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_source(&entry.path(), &to.join(&*name));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&*name)).unwrap();
        }
    }
}

/// README's install route: `cargo install --path` from a copy of the source into a temporary root
/// (sharing the target folder: only normgraph itself is compiled again), the copy deleted, then
/// README's main query run from another folder. The installed binary answers from the bundle it
/// carries. The build under test is put back afterwards (cargo gives the installed build the same
/// file name in the shared target folder).
#[test]
fn cargo_install_from_a_deleted_copy_works_from_any_folder() {
    let _only = binary_lock();
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("normgraph-src");
    copy_source(&root(), &copy);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_normgraph"));
    let target = bin.parent().unwrap().parent().unwrap().to_path_buf();
    let kept = bin.with_extension("under-test");
    std::fs::copy(&bin, &kept).unwrap();
    let install_root = tmp.path().join("root");
    let started = Instant::now();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["install", "--locked", "--offline", "--quiet", "--path"])
        .arg(&copy)
        .arg("--root")
        .arg(&install_root)
        .arg("--target-dir")
        .arg(&target)
        .output()
        .unwrap();
    std::fs::rename(&kept, &bin).unwrap();
    assert!(
        out.status.success(),
        "cargo install: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("cargo install --path took {:.0?}", started.elapsed());
    std::fs::remove_dir_all(&copy).unwrap();
    let installed = install_root.join("bin/normgraph");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let run = |args: &[&str]| {
        Command::new(&installed)
            .current_dir(&elsewhere)
            .env_remove("NORMGRAPH_HOME")
            .env_remove("NORMGRAPH_STORE")
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(MAIN_QUERY);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every UN member backs 13(f) through A/RES/70/237 (hand-checked in tests/explore.rs).
    assert_eq!(stdout.lines().count(), 194, "{stdout}");
    // From the bundle it carries, written to its cache: its source folder is gone.
    assert!(tmp.path().join("cache/normgraph").is_dir());
    let version = run(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).contains(&format!(
        "bundled data sha256:{}",
        normgraph::embedded::digest()
    )));
}
