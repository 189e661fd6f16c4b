//! Writing a finished exercise's scorecard, log or after-action report to a folder.

use std::path::{Path, PathBuf};

use crate::app::messages::ExportFormat;
use crate::engine::Session;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::reports::aar::AfterActionReport;
use crate::engine::reports::scorecard::scorecard_markdown;
use crate::engine::scoring::score;

/// Writes one export into `dir` under a name that does not overwrite an earlier export.
pub fn export(
    session: &Session,
    record: &ExerciseRecord,
    format: ExportFormat,
    dir: &Path,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let card = score(session);
    let stem = format!("{}-seed{}", card.scenario, card.seed);
    let mut path = dir.join(format!("{stem}.{}", format.extension()));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{}", format.extension()));
        n += 1;
    }
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
    std::fs::write(&path, text)?;
    Ok(path)
}

/// Where exports go by default: the platform data directory.
pub fn default_export_dir() -> PathBuf {
    crate::store::data_dir().join("exports")
}
