//! Writing a finished exercise's scorecard, log or after-action report to a folder.

use std::path::{Path, PathBuf};

use crate::app::messages::ExportFormat;
use crate::engine::Session;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::reports::aar::AfterActionReport;
use crate::engine::reports::scorecard::scorecard_markdown;
use crate::engine::scoring::score;

/// Writes one export into `dir`, named after the exercise (`<scenario>-<started>-seed<N>`), so two
/// exercises of one scenario never share a name; never over an earlier file.
pub fn export(
    session: &Session,
    record: &ExerciseRecord,
    format: ExportFormat,
    dir: &Path,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let card = score(session);
    let stem = if record.id.is_empty() {
        format!("{}-seed{}", card.scenario, card.seed)
    } else {
        record.id.clone()
    };
    let text = match format {
        ExportFormat::Json => card.to_json(),
        ExportFormat::Markdown => scorecard_markdown(&card, session),
        ExportFormat::SessionLog => {
            let text = session.log().to_ron().map_err(std::io::Error::other)?;
            crate::store::saves::fits_read_limit(&text)?;
            text
        }
        ExportFormat::ReportHtml => AfterActionReport::build(record, session).html(),
        ExportFormat::ReportMarkdown => AfterActionReport::build(record, session).markdown(),
    };
    // `create_new` claims the name atomically: a file that appeared meanwhile is never replaced.
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.{}", format.extension())
        } else {
            format!("{stem}-{n}.{}", format.extension())
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write as _;
                file.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Where exports go by default: the platform data directory.
pub fn default_export_dir() -> PathBuf {
    crate::store::data_dir().join("exports")
}

#[cfg(test)]
mod tests {
    use super::export;
    use crate::app::messages::ExportFormat;
    use crate::app::testing::ransomware_session;
    use crate::engine::exercise::ExerciseRecord;
    use crate::engine::model::scenario::Mode;

    #[test]
    fn exports_are_named_after_their_exercise_and_never_replace_one_another() {
        let dir = tempfile::tempdir().unwrap();
        let session = ransomware_session(4);
        let first = ExerciseRecord::new(
            "ransomware-file-server-1795000000-seed4",
            Mode::Practice,
            1_795_000_000,
            &session,
        );
        let second = ExerciseRecord::new(
            "ransomware-file-server-1795003600-seed4",
            Mode::Practice,
            1_795_003_600,
            &session,
        );
        let a = export(&session, &first, ExportFormat::Json, dir.path()).unwrap();
        let b = export(&session, &second, ExportFormat::Json, dir.path()).unwrap();
        let again = export(&session, &first, ExportFormat::Json, dir.path()).unwrap();
        let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name(&a), "ransomware-file-server-1795000000-seed4.json");
        assert_eq!(name(&b), "ransomware-file-server-1795003600-seed4.json");
        assert_eq!(
            name(&again),
            "ransomware-file-server-1795000000-seed4-2.json"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
