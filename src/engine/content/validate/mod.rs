//! Semantic validation of matrices, scenarios and question sets: every problem is reported with its
//! location, not only the first one.

mod collector;
mod conditions;
mod matrix;
mod questions;
mod scenario;

pub(crate) use collector::suggest;
pub use matrix::validate_matrix;
pub use questions::validate_question_set;
pub use scenario::{MAX_DURATION_MINS, placeholders, validate_scenario};

#[cfg(test)]
mod tests {
    use super::collector::suggest;
    use super::*;

    #[test]
    fn suggestions_find_close_ids() {
        assert_eq!(
            suggest("lgeal", ["legal", "soc", "it_ops"]),
            Some("did you mean `legal`?".into())
        );
        assert_eq!(suggest("zzzzzz", ["legal", "soc"]), None);
    }

    #[test]
    fn placeholders_are_identifiers_only() {
        let found: Vec<&str> = placeholders("host {entry_host} said {\"json\": 1} {x1}").collect();
        assert_eq!(found, ["entry_host", "x1"]);
    }
}
