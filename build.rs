//! Embeds the bundled ontology, data and queries in the binary (see `src/embedded.rs`): a
//! `cargo install`ed normgraph works from any folder after its source is deleted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        // Real files and folders only: a symlink could point outside the bundle.
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            files(&p, out);
        } else if meta.is_file() {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut all = Vec::new();
    for dir in ["ontology", "data", "queries"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut all);
    }
    let mut src = String::from("/// The bundle's files: (path relative to the bundle root, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n");
    for p in &all {
        let rel = p
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Relative to the package being compiled (never an absolute path baked into OUT_DIR).
        let _ = writeln!(
            src,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{rel}\"))),"
        );
    }
    src.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundle_files.rs");
    std::fs::write(out, src).unwrap();
}
