//! The Author screen's document and its upkeep: a content folder's plan edited in the app, checked
//! on every change and its scripts graded again off the main thread.

pub mod doc;

pub use doc::{AuthorDoc, CELL_CYCLE, Preview};
