//! The content built into the binary (the reference matrix, the scenarios and the question sets),
//! installed as ordinary files in the data folder the first time they are needed, so a `warroom`
//! copied to another folder or machine plays what it was built with, and a trainer can open and
//! copy the files like any others. Each build installs into a folder named by its version and a
//! digest of the content, so no build ever reads another's files.

use std::fs;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/shipped_content.rs"));

/// Folder under the data folder where builds install their content.
pub const CONTENT_DIR: &str = "content";

/// `<version>-<digest>`: the folder this build's content lives in.
pub fn content_stamp() -> String {
    // FNV-1a over the files: stable across builds and platforms, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (path, text) in SHIPPED_FILES {
        mix(path.as_bytes());
        mix(&[0]);
        mix(text.as_bytes());
        mix(&[0]);
    }
    format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), hash)
}

/// Installs the built-in content under `data_dir` unless this build's is already there, and
/// returns its folder. Written to a temporary folder first and renamed into place, so a crash
/// never leaves half the content where a later run would trust it.
pub fn install_shipped(data_dir: &Path) -> std::io::Result<PathBuf> {
    let root = data_dir.join(CONTENT_DIR);
    let stamp = content_stamp();
    let target = root.join(&stamp);
    if target.join("responsibilities.ron").is_file() {
        return Ok(target);
    }
    fs::create_dir_all(&root)?;
    let staging = root.join(format!(".{stamp}.{}.tmp", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    for (relative, text) in SHIPPED_FILES {
        let path = staging.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
    }
    match fs::rename(&staging, &target) {
        Ok(()) => Ok(target),
        // Another process installed the same content first: theirs is identical.
        Err(_) if target.join("responsibilities.ron").is_file() => {
            let _ = fs::remove_dir_all(&staging);
            Ok(target)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SHIPPED_FILES, content_stamp, install_shipped};

    #[test]
    fn every_file_of_the_source_tree_content_is_built_in_and_installs() {
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let data = tempfile::tempdir().unwrap();
        let installed = install_shipped(data.path()).unwrap();
        assert!(installed.ends_with(content_stamp()));
        assert!(SHIPPED_FILES.len() >= 20);
        for (relative, text) in SHIPPED_FILES {
            assert_eq!(
                std::fs::read_to_string(source.join(relative)).unwrap(),
                *text,
                "{relative} is stale in the build"
            );
            assert_eq!(
                std::fs::read_to_string(installed.join(relative)).unwrap(),
                *text
            );
        }
        // Installed once: a second call finds it and writes nothing.
        let marker = installed.join("responsibilities.ron");
        let before = std::fs::metadata(&marker).unwrap().modified().unwrap();
        assert_eq!(install_shipped(data.path()).unwrap(), installed);
        assert_eq!(
            std::fs::metadata(&marker).unwrap().modified().unwrap(),
            before
        );
    }
}
