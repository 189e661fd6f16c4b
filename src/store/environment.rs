//! What the store reads from the machine: where data lives, who is playing, and what time it is.

use std::path::PathBuf;

/// Environment variable that moves all of Warroom's data (tests and CI use it).
pub const DATA_DIR_ENV: &str = "WARROOM_DATA_DIR";

/// Where Warroom keeps its data: `$WARROOM_DATA_DIR`, else the platform data directory
/// (`~/.local/share/warroom` on Linux).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("org", "Warroom", "warroom").map_or_else(
        || PathBuf::from("warroom-data"),
        |dirs| dirs.data_dir().to_path_buf(),
    )
}

/// Seconds since the Unix epoch, for timestamps on stored attempts.
pub fn unix_now() -> i64 {
    #[expect(
        clippy::disallowed_methods,
        reason = "stored attempts carry wall-clock time; the engine itself never reads the clock"
    )]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The default learner profile's name: the OS user, else `learner`.
pub fn default_profile() -> String {
    std::env::var("WARROOM_PROFILE")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "learner".to_owned())
}
