//! The report's sections in order, written once for every output format.

use super::build::{AfterActionReport, Rating};
use super::writer::{Cell, Html, Markdown, Span, Writer};
use crate::engine::model::matrix::Dimension;
use crate::engine::reports::scorecard::{score_label, tested_line};
use crate::engine::scoring::FindingKind;

impl AfterActionReport {
    /// The report as Markdown; user and scenario text is escaped.
    pub fn markdown(&self) -> String {
        let mut writer = Markdown::default();
        self.write(&mut writer);
        writer.finish()
    }

    /// The report as one self-contained HTML page; every piece of text is escaped.
    pub fn html(&self) -> String {
        let mut writer = Html::new(&format!("After-action report: {}", self.title));
        self.write(&mut writer);
        writer.finish()
    }

    fn write(&self, w: &mut impl Writer) {
        w.title(&format!("After-action report: {}", self.title));
        self.overview(w);
        self.objectives(w);
        self.timeline(w);
        self.reporting(w);
        self.seats(w);
        self.scores(w);
        self.teams(w);
        self.notes(w);
        self.discussion(w);
        self.hotwash(w);
        self.plan(w);
    }

    fn overview(&self, w: &mut impl Writer) {
        w.section("Exercise overview");
        let facilitator = if self.facilitator.is_empty() {
            "—".to_owned()
        } else {
            self.facilitator.clone()
        };
        w.key_values(&[
            ("Scenario", self.title.clone()),
            ("Date", self.date.clone()),
            ("Mode", self.mode.clone()),
            ("Facilitator", facilitator),
            ("Responsibility matrix", self.matrix.clone()),
            (
                "Scenario time",
                format!("{} of {} minutes", self.minute_reached, self.duration_mins),
            ),
            ("Seed", self.seed.to_string()),
        ]);
        w.paragraph(&self.summary);
        w.subsection("Participants");
        if self.participants.is_empty() {
            w.paragraph("No participants were recorded.");
            return;
        }
        let items: Vec<Vec<Span<'_>>> = self
            .participants
            .iter()
            .flat_map(|p| {
                let mut item = vec![Span::Strong(&p.role), Span::Text(": ")];
                for (i, name) in p.people.iter().enumerate() {
                    if i > 0 {
                        item.push(Span::Text(", "));
                    }
                    item.push(Span::Text(name));
                }
                [item]
            })
            .collect();
        w.list(&items);
    }

    fn objectives(&self, w: &mut impl Writer) {
        w.section("Objectives");
        let rows: Vec<Vec<Cell<'_>>> = self
            .objectives
            .iter()
            .map(|o| {
                let class = match o.rating {
                    Rating::Met => "good",
                    Rating::PartlyMet => "fair",
                    Rating::NotMet => "poor",
                    Rating::NotExercised | Rating::NotAssessed => "",
                };
                vec![
                    Cell::Text(&o.text),
                    Cell::Rated {
                        label: o.rating.label(),
                        class,
                    },
                    Cell::Text(&o.evidence),
                ]
            })
            .collect();
        w.table(&["Objective", "Rating", "Scores"], &rows);
    }

    fn timeline(&self, w: &mut impl Writer) {
        w.section("Timeline");
        let rows: Vec<Vec<Cell<'_>>> = self
            .timeline
            .iter()
            .map(|t| {
                vec![
                    Cell::Num(t.minute.to_string()),
                    Cell::Label(t.kind),
                    Cell::Text(&t.text),
                    Cell::Text(t.expected.as_deref().unwrap_or_default()),
                ]
            })
            .collect();
        w.table(
            &["Minute", "", "What happened", "What the matrix expected"],
            &rows,
        );
    }

    fn seats(&self, w: &mut impl Writer) {
        if self.seats.is_empty() {
            return;
        }
        w.section("Seat by seat");
        w.paragraph(
            "The exercise was played from seats on the participants' own devices. For each seat: \
             who sat there, what it sent and received, and its chat with the facilitator (seats \
             nobody took and nothing reached are left out).",
        );
        for seat in &self.seats {
            w.group(&seat.seat);
            let people = if seat.people.is_empty() {
                "nobody at the end".to_owned()
            } else {
                seat.people.join(", ")
            };
            let mut facts = vec![
                ("People", people),
                ("Actions sent from its devices", seat.intents.to_string()),
            ];
            if seat.roles != seat.seat {
                facts.insert(0, ("Roles", seat.roles.clone()));
            }
            w.key_values(&facts);
            if seat.entries.is_empty() {
                w.paragraph("Nothing was sent to or from this seat.");
                continue;
            }
            let rows: Vec<Vec<Cell<'_>>> = seat
                .entries
                .iter()
                .map(|e| {
                    vec![
                        Cell::Num(e.minute.to_string()),
                        Cell::Label(e.kind),
                        Cell::Text(&e.text),
                    ]
                })
                .collect();
            w.table(&["Minute", "", "What"], &rows);
        }
    }

    fn teams(&self, w: &mut impl Writer) {
        if self.teams.is_empty() {
            return;
        }
        w.section("Teams compared");
        w.paragraph(
            "The same scenario ran with the same seed for each team at once, so every team met \
             the same injects and variations: the differences below are the teams' own choices.",
        );
        let dimensions: Vec<Dimension> = Dimension::ALL.to_vec();
        let mut headers: Vec<&str> = vec!["Team", "Total"];
        headers.extend(dimensions.iter().map(|d| d.label()));
        headers.extend(["Deductions", "Decisions", "Minute"]);
        let names: Vec<String> = self
            .teams
            .iter()
            .map(|t| {
                if t.this {
                    format!("{} (this report)", t.team)
                } else {
                    t.team.clone()
                }
            })
            .collect();
        let rows: Vec<Vec<Cell<'_>>> = self
            .teams
            .iter()
            .zip(&names)
            .map(|(t, name)| {
                let mut row = vec![Cell::Text(name), Cell::Num(t.total.to_string())];
                row.extend(
                    dimensions
                        .iter()
                        .map(|d| Cell::Num(score_label(t.dimensions.get(d).copied().flatten()))),
                );
                row.push(Cell::Num(t.deductions.to_string()));
                row.push(Cell::Num(t.decisions.to_string()));
                row.push(Cell::Num(t.minute.to_string()));
                row
            })
            .collect();
        w.table(&headers, &rows);
    }

    fn scores(&self, w: &mut impl Writer) {
        w.section("Scores");
        w.figure(&format!(
            "Total: {}/100 ({})",
            self.card.total,
            tested_line(&self.card)
        ));
        let bars: Vec<(String, u32)> = self
            .card
            .tested()
            .map(|(d, score)| (d.label().to_owned(), score))
            .collect();
        w.paragraph(&format!(
            "{}. Each deduction below shows what it cost the total; a dimension's score is 100 less what its own deductions cost.",
            self.card.total_explained()
        ));
        w.chart("Score per tested dimension", &bars, 100);
        let rows: Vec<Vec<Cell<'_>>> = Dimension::ALL
            .iter()
            .map(|d| {
                let cost = self.card.points.get(d).map_or(0, |p| p.cost);
                vec![
                    Cell::Label(d.label()),
                    Cell::Num(score_label(self.card.dimension(*d))),
                    Cell::Num(if cost == 0 {
                        "—".to_owned()
                    } else {
                        format!("−{cost}")
                    }),
                ]
            })
            .collect();
        w.table(&["Dimension", "Score", "Deducted"], &rows);
        let not_reached: Vec<Vec<Span<'_>>> = self
            .card
            .not_reached()
            .map(|f| vec![Span::Text(&f.message)])
            .collect();
        if !not_reached.is_empty() {
            w.subsection("Not reached");
            w.list(&not_reached);
        }

        w.subsection("Findings by dimension");
        for d in Dimension::ALL {
            let items: Vec<Vec<Span<'_>>> = self
                .card
                .findings_in(d)
                .filter(|f| f.kind == FindingKind::Deduction)
                .map(|f| {
                    vec![
                        Span::Owned(format!("minute {}, {} points: ", f.minute, f.points)),
                        Span::Text(&f.message),
                        Span::Text(" "),
                        Span::Em("Responsibility:"),
                        Span::Text(" "),
                        Span::Text(&f.citation),
                    ]
                })
                .collect();
            if items.is_empty() {
                continue;
            }
            w.group(d.label());
            w.list(&items);
        }

        w.subsection("Findings by role");
        if !self.roles.is_empty() {
            let lost: Vec<(String, u32)> = self
                .roles
                .iter()
                .map(|r| (r.role.clone(), r.points_lost.unsigned_abs()))
                .collect();
            let max = lost.iter().map(|(_, v)| *v).max().unwrap_or(0).max(10);
            w.chart("Points lost per role", &lost, max);
        }
        let people: Vec<String> = self.roles.iter().map(|r| r.people.join(", ")).collect();
        let rows: Vec<Vec<Cell<'_>>> = self
            .roles
            .iter()
            .zip(&people)
            .map(|(r, people)| {
                vec![
                    Cell::Text(&r.role),
                    Cell::Text(people),
                    Cell::Num(r.credits.to_string()),
                    Cell::Num(r.deductions.to_string()),
                    Cell::Num(r.points_lost.to_string()),
                ]
            })
            .collect();
        w.table(
            &["Role", "Played by", "Credits", "Deductions", "Points lost"],
            &rows,
        );
    }

    fn notes(&self, w: &mut impl Writer) {
        w.section("Observer notes");
        if self.notes.is_empty() {
            w.paragraph("None recorded.");
            return;
        }
        let rows: Vec<Vec<Cell<'_>>> = self
            .notes
            .iter()
            .map(|n| {
                vec![
                    Cell::Num(n.minute.to_string()),
                    Cell::Text(&n.role),
                    Cell::Text(&n.dimension),
                    Cell::Text(&n.text),
                ]
            })
            .collect();
        w.table(&["Minute", "Role", "Dimension", "Note"], &rows);
    }

    /// The scenario's questions for the room, when it has any; ungraded.
    fn discussion(&self, w: &mut impl Writer) {
        if self.discussion.is_empty() {
            return;
        }
        w.section("Discussion questions");
        let reached: Vec<String> = self
            .discussion
            .iter()
            .map(|d| match d.reached_at {
                Some(minute) => format!("T+{minute:02}"),
                None => "not reached".to_owned(),
            })
            .collect();
        let rows: Vec<Vec<Cell<'_>>> = self
            .discussion
            .iter()
            .zip(&reached)
            .map(|(d, when)| {
                vec![
                    Cell::Text(&d.after),
                    Cell::Text(when),
                    Cell::Text(if d.roles.is_empty() {
                        "Everyone"
                    } else {
                        &d.roles
                    }),
                    Cell::Text(&d.prompt),
                ]
            })
            .collect();
        w.table(&["After", "When", "For", "Question"], &rows);
    }

    fn hotwash(&self, w: &mut impl Writer) {
        w.section("Hotwash");
        if self.hotwash.is_empty() {
            w.paragraph("No hotwash was recorded.");
        }
        for h in &self.hotwash {
            w.group(&h.role);
            let items: Vec<Vec<Span<'_>>> = h
                .strengths
                .iter()
                .map(|s| vec![Span::Em("Strength:"), Span::Text(" "), Span::Text(s)])
                .chain(
                    h.improvements
                        .iter()
                        .map(|i| vec![Span::Em("To improve:"), Span::Text(" "), Span::Text(i)]),
                )
                .collect();
            w.list(&items);
        }
    }

    /// Only when the run started a regime's clock: most scenarios report to nobody by law.
    fn reporting(&self, w: &mut impl Writer) {
        if self.reporting.is_empty() {
            return;
        }
        w.section("Reporting clocks");
        w.paragraph(
            "Reports the law or a contract required, each clock started where the organisation became aware.",
        );
        let rows: Vec<Vec<Cell<'_>>> = self
            .reporting
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(&r.report),
                    Cell::Text(&r.recipient),
                    Cell::Text(&r.started),
                    Cell::Text(&r.deadline),
                    Cell::Text(&r.status),
                ]
            })
            .collect();
        w.table(
            &["Report", "To", "Clock started", "Deadline", "Status"],
            &rows,
        );
    }

    fn plan(&self, w: &mut impl Writer) {
        w.section("Improvement plan");
        let rows: Vec<Vec<Cell<'_>>> = self
            .plan
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(&p.capability),
                    Cell::Text(&p.issue),
                    Cell::Text(&p.action),
                    Cell::Text(&p.owner),
                    Cell::Blank,
                ]
            })
            .collect();
        w.table(
            &[
                "Capability",
                "Issue",
                "Corrective action",
                "Owner (role)",
                "Due date",
            ],
            &rows,
        );
    }
}
