//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The python of the suite's pinned venv (tests/python/venv.sh), created on first use under the
/// cargo target tmpdir, or at `$NORMGRAPH_VENV`.
pub fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = std::env::var("NORMGRAPH_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_TARGET_TMPDIR")).join("venv"));
    let out = Command::new("bash")
        .arg(root.join("tests/python/venv.sh"))
        .arg(&venv)
        .output()
        .expect("bash runs tests/python/venv.sh");
    assert!(
        out.status.success(),
        "creating the test venv failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}
