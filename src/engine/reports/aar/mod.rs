//! The after-action report / improvement plan (HSEEP style) of an exercise: overview, objectives
//! and how they were met, timeline, scores and findings by dimension and by role, observer notes,
//! hotwash, and an improvement-plan table. Written as Markdown or as one self-contained HTML file
//! (inline CSS, charts as inline SVG) by one walk over its sections, in which every piece of
//! scenario or user text is escaped.

mod build;
mod sections;
mod writer;

pub use build::{
    AfterActionReport, HotwashRow, ImprovementRow, NoteRow, ObjectiveRow, PARTLY, Rating,
    ReportRow, RolePeople, RoleRow, SeatEntry, SeatRow, TeamRow, TimelineEntry, utc_date,
};
pub use writer::esc;
