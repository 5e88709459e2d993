//! The bundle embedded in the binary at build time (`build.rs`): the ontology, data and queries
//! of the source tree it was built from. When that tree is gone (a `cargo install`ed binary whose
//! source was deleted) the files are written once to a cache folder named by their digest, and
//! the bundle is read from there.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

include!(concat!(env!("OUT_DIR"), "/bundle_files.rs"));

/// SHA-256 over the embedded files, each as its relative path, a NUL, its own SHA-256 and a
/// newline, in path order: names the data release inside the binary.
pub fn digest() -> &'static str {
    static DIGEST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DIGEST.get_or_init(compute_digest)
}

fn compute_digest() -> String {
    let mut all = Sha256::new();
    for (path, bytes) in FILES {
        all.update(path.as_bytes());
        all.update([0]);
        all.update(format!("{}\n", crate::digest::sha256_hex(bytes)).as_bytes());
    }
    crate::digest::hex(&all.finalize())
}

/// The folder holding the embedded bundle, written on first use under `$XDG_CACHE_HOME/normgraph`
/// (or `~/.cache/normgraph`).
pub fn extracted() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("normgraph");
    let short = &digest()[..16];
    let dir = base.join(format!("bundle-{short}"));
    if dir.join(".complete").exists() {
        return Ok(dir);
    }
    // Written beside, then renamed: a crash never leaves a half bundle under the final name.
    let tmp = base.join(format!(
        ".bundle-{}-{}",
        &digest()[..16],
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    for (path, bytes) in FILES {
        let target = tmp.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
    }
    let marker = tmp.join(".complete");
    std::fs::write(&marker, digest()).map_err(|e| Error::io(&marker, e))?;
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(dir),
        // Another process finished first: use its copy.
        Err(_) if dir.join(".complete").exists() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(dir)
        }
        Err(e) => Err(Error::io(&dir, e)),
    }
}
