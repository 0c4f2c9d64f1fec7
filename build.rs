//! Gives herald an identity finer than its version: a fingerprint of its sources, templates
//! and locked dependencies, so an output cache never survives a change to herald itself.
//! Also embeds every default template of `templates/wiki` and `templates/slack`, so a new
//! template is a new file and nothing else.

use std::path::Path;

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for dir in ["src", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        walk(Path::new(dir), &mut files);
    }
    for file in ["Cargo.lock", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={file}");
        files.push(file.into());
    }
    files.sort();
    // FNV-1a, 64 bits, as the output cache uses.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let name = file.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(&file).unwrap_or_default();
        for b in name.bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!(
        "cargo:rustc-env=HERALD_BUILD_ID={}-{hash:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default()
    );
    embed_templates();
}

/// Writes `OUT_DIR/templates.rs`: the name and `include_str!` of every default template.
fn embed_templates() {
    let root =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut list = String::from("&[\n");
    for dir in ["wiki", "slack"] {
        let mut files = Vec::new();
        walk(&root.join("templates").join(dir), &mut files);
        files.sort();
        for file in files {
            let name = file
                .strip_prefix(root.join("templates"))
                .expect("under templates/")
                .to_string_lossy()
                .replace('\\', "/");
            list.push_str(&format!(
                "    ({name:?}, include_str!({:?})),\n",
                file.display().to_string()
            ));
        }
    }
    list.push_str("]\n");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"))
        .join("templates.rs");
    std::fs::write(out, list).expect("OUT_DIR is writable");
}
