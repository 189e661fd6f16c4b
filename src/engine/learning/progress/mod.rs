//! A learner's progress: score series per dimension and per role over their attempts, the weakest
//! areas and what to practise next. Pure functions over stored records, so the Progress screen and
//! `warroom progress` print the same thing and the rules are unit-tested without a database.

mod records;
mod report;
mod text;

pub use records::{
    AnswerRecord, Area, AttemptKind, Catalogue, Point, RECENT, RoleTally, RunRecord, ScenarioInfo,
    Series, SetInfo, Suggestion, WEAK_BELOW, Weakness, exercised_dimensions,
};
pub use report::{ProgressReport, summarize};
pub use text::render_text;

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::engine::learning::tally::Tally;
    use crate::engine::model::id::{QuestionId, RoleId};
    use crate::engine::model::matrix::Dimension;
    use crate::engine::model::scenario::Difficulty;

    fn run(scenario: &str, at: i64, evidence: u32) -> RunRecord {
        RunRecord {
            scenario: scenario.to_owned(),
            at,
            total: 90,
            dimensions: Dimension::ALL
                .iter()
                .map(|d| {
                    (
                        *d,
                        if *d == Dimension::Evidence {
                            evidence
                        } else {
                            100
                        },
                    )
                })
                .collect(),
            roles: BTreeMap::from([(
                RoleId::new("soc"),
                RoleTally {
                    credits: 3,
                    deductions: 1,
                },
            )]),
        }
    }

    fn answer(sitting: u32, q: &str, d: Dimension, correct: bool, at: i64) -> AnswerRecord {
        AnswerRecord {
            sitting,
            question: QuestionId::new(q),
            dimension: d,
            roles: vec![RoleId::new("legal")],
            correct,
            first_try: true,
            at,
        }
    }

    fn catalogue() -> Catalogue {
        let info = |id: &str, difficulty, dims: &[Dimension]| ScenarioInfo {
            id: id.to_owned(),
            title: id.to_uppercase(),
            difficulty,
            dimensions: dims.iter().copied().collect(),
            roles: BTreeSet::from([RoleId::new("soc"), RoleId::new("legal")]),
        };
        Catalogue {
            scenarios: vec![
                info("played", Difficulty::Introductory, &[Dimension::Evidence]),
                info("hard", Difficulty::Advanced, &[Dimension::Evidence]),
                info("easy", Difficulty::Intermediate, &[Dimension::Evidence]),
                info(
                    "comms",
                    Difficulty::Introductory,
                    &[Dimension::Communication],
                ),
            ],
            sets: vec![SetInfo {
                id: "evidence".to_owned(),
                title: "Evidence first".to_owned(),
                dimensions: BTreeMap::from([(Dimension::Evidence, 4)]),
                roles: BTreeMap::new(),
            }],
        }
    }

    #[test]
    fn attempts_are_numbered_in_time_order_across_runs_and_sittings() {
        let runs = [run("played", 300, 40)];
        let answers = [
            answer(1, "q1", Dimension::Evidence, true, 100),
            answer(1, "q2", Dimension::Evidence, false, 110),
            answer(2, "q3", Dimension::Evidence, true, 500),
        ];
        let r = summarize("me", &runs, &answers, 0, &catalogue(), None);
        let evidence = r
            .dimensions
            .iter()
            .find(|s| s.area == Area::Dimension(Dimension::Evidence))
            .expect("evidence series");
        let points: Vec<(usize, u32, AttemptKind)> = evidence
            .points
            .iter()
            .map(|p| (p.attempt, p.score, p.source))
            .collect();
        assert_eq!(
            points,
            [
                (1, 50, AttemptKind::Quiz),
                (2, 40, AttemptKind::Scenario),
                (3, 100, AttemptKind::Quiz)
            ]
        );
        assert_eq!(evidence.recent(), (50 + 40 + 100) / 3);
        let legal = r
            .roles
            .iter()
            .find(|s| s.area == Area::Role(RoleId::new("legal")));
        assert_eq!(legal.map(|s| s.points.len()), Some(2));
        assert_eq!(r.first_try_correct, Tally { right: 2, asked: 3 });
    }

    #[test]
    fn weakest_area_leads_to_an_unplayed_scenario_and_a_question_set() {
        let runs = [run("played", 10, 30)];
        let r = summarize("me", &runs, &[], 4, &catalogue(), None);
        assert_eq!(r.weakest[0].area, Area::Dimension(Dimension::Evidence));
        assert_eq!(r.weakest[0].recent, 30);
        // The SOC's 3 credits / 1 deduction = 75: weak, after evidence.
        assert_eq!(r.weakest[1].area, Area::Role(RoleId::new("soc")));
        let kinds: Vec<(&str, &str)> = r
            .suggestions
            .iter()
            .map(|s| (s.kind, s.id.as_str()))
            .collect();
        assert_eq!(kinds[0], ("review", ""));
        // `easy` is the easiest unplayed scenario that practises evidence.
        assert_eq!(kinds[1], ("scenario", "easy"));
        assert_eq!(kinds[2], ("question_set", "evidence"));
    }

    #[test]
    fn a_newcomer_is_pointed_at_an_easy_scenario() {
        let r = summarize("me", &[], &[], 0, &catalogue(), None);
        assert!(r.weakest.is_empty() && r.dimensions.is_empty());
        assert_eq!(r.suggestions.len(), 1);
        assert_eq!(r.suggestions[0].kind, "scenario");
        assert!(["played", "comms"].contains(&r.suggestions[0].id.as_str()));
        assert!(render_text(&r).contains("No attempts yet."));
    }

    #[test]
    fn role_tally_score_is_a_share() {
        assert_eq!(
            RoleTally {
                credits: 1,
                deductions: 3
            }
            .score(),
            Some(25)
        );
        assert_eq!(RoleTally::default().score(), None);
    }
}
