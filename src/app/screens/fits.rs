//! Every screen fits every window from 1024×640 to 2560×1440 at UI scale 0.75× to 2×: each
//! control can be brought fully into the window (scrolled to, if it sits in a scroll area), and on
//! the exercise screens none of them covers the board's rectangle.

use std::sync::Arc;

use bevy_egui::egui;
use bevy_egui::egui::accesskit;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use super::actions::{ActionTab, ActionsState, NarrowPane};
use super::board_text::{BoardLayout, MIN_TEXT, board_ui, lay_out_board_text};
use super::console::{ConsoleState, ConsoleView, LeftTab, RightTab, console_ui};
use super::play::{PlayView, play_ui};
use super::widgets::root_ui;
use crate::app::exercise::{InjectBanner, LastOutcome, NewInject, ScenarioClock, ScoreTrail};
use crate::app::facilitation::ProjectorState;
use crate::engine::content::shipped;
use crate::engine::exercise::{AdHocInject, ExerciseRecord};
use crate::engine::model::scenario::Mode;
use crate::engine::{Intent, Session};

/// Window sizes in physical pixels and UI scales: the cramped, the usual and the projector.
const CASES: [(f32, f32, f32); 7] = [
    (1024.0, 640.0, 1.0),
    (1024.0, 640.0, 2.0),
    (1280.0, 720.0, 1.5),
    (1600.0, 900.0, 1.25),
    (1600.0, 900.0, 0.75),
    (2560.0, 1440.0, 1.0),
    (2560.0, 1440.0, 2.0),
];

/// Roles egui gives the widgets a person operates.
fn is_control(role: accesskit::Role) -> bool {
    use accesskit::Role;
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::ComboBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::RadioButton
            | Role::Slider
            | Role::SpinButton
            | Role::Tab
            | Role::Link
    )
}

/// The controls now laid out: accesskit id, role and label.
fn controls<S>(harness: &Harness<'_, S>) -> Vec<(accesskit::NodeId, String)> {
    harness
        .root()
        .children_recursive()
        .filter(|n| is_control(n.accesskit_node().role()))
        .map(|n| {
            let node = n.accesskit_node();
            let name = format!(
                "{:?} {:?}",
                node.role(),
                node.label().or(node.value()).unwrap_or_default()
            );
            (node.locate().0, name)
        })
        .collect()
}

/// The control `id` as now laid out.
fn find<'h, S>(
    harness: &'h Harness<'_, S>,
    id: accesskit::NodeId,
) -> Option<egui_kittest::Node<'h>> {
    harness
        .root()
        .children_recursive()
        .find(|n| n.accesskit_node().locate().0 == id)
}

/// Scrolls each control into view in turn and checks it then lies inside `window` (points) and
/// outside `keep_clear`. Returns what did not.
fn unreachable<S>(
    harness: &mut Harness<'_, S>,
    window: egui::Rect,
    keep_clear: impl Fn(&S) -> Option<egui::Rect>,
    skip: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let found = controls(harness);
    assert!(!found.is_empty(), "no control was laid out");
    for (id, name) in found.into_iter().filter(|(_, name)| !skip(name)) {
        // Twice: a control in a scroll area inside another may take the outer one a second
        // turn, as it would take a person a second turn of the wheel.
        for _ in 0..2 {
            let Some(node) = find(harness, id) else {
                break;
            };
            node.scroll_to_me();
            harness.run_steps(2);
        }
        let Some(node) = find(harness, id) else {
            continue; // gone after an earlier scroll re-laid the screen out
        };
        let rect = node.rect();
        // A control larger than the window (a long text) is reached when it fills part of it.
        let larger = rect.width() > window.width() || rect.height() > window.height();
        // Half a point of slack for rounding to pixels.
        let reached = if larger {
            window.intersects(rect)
        } else {
            window.expand(0.5).contains_rect(rect)
        };
        if !reached {
            out.push(format!(
                "{name} at {rect:?} is outside the window {window:?}"
            ));
        } else if let Some(board) = keep_clear(harness.state())
            && board.shrink(0.5).intersects(rect)
        {
            out.push(format!("{name} at {rect:?} covers the board {board:?}"));
        }
    }
    out
}

/// A window of `width` × `height` pixels at `scale`, in points.
pub(super) fn size(width: f32, height: f32, scale: f32) -> egui::Vec2 {
    egui::vec2(width / scale, height / scale)
}

/// A harness running `app` over the whole window (as the app runs each screen) with the app's
/// text sizes and spacing, after its first frame.
pub(super) fn window_harness<'a, S>(
    size: egui::Vec2,
    scale: f32,
    state: S,
    app: impl Fn(&mut egui::Ui, &mut S) + 'a,
) -> Harness<'a, S> {
    let mut harness = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(scale)
        .build_ui_state(
            move |ui, state: &mut S| {
                let mut root = root_ui(ui.ctx(), "fits");
                app(&mut root, state);
            },
            state,
        );
    // Or the test measures a smaller UI than people see.
    crate::app::theme::apply_style(&harness.ctx);
    harness.run();
    harness
}

/// Runs `app` (given the whole window, as the screens are) in a window of every size and scale
/// of [`CASES`], once per `setup` (a tab to open, say), and returns every control that cannot be
/// brought fully into the window, or that covers what `keep_clear` gives.
pub(super) fn misfits<S>(
    state: impl Fn() -> S,
    app: impl Fn(&mut egui::Ui, &mut S) + Clone,
    setups: &[(&str, &dyn Fn(&mut Harness<'_, S>))],
    keep_clear: impl Fn(&S) -> Option<egui::Rect> + Copy,
) -> Vec<String> {
    misfits_except(state, app, setups, keep_clear, |_| false)
}

/// [`misfits`] leaving out the controls `skip` names (role and label, as in the failures): the
/// many like cells of one scroll area, say, whose reach its corner cells already show.
pub(super) fn misfits_except<S>(
    state: impl Fn() -> S,
    app: impl Fn(&mut egui::Ui, &mut S) + Clone,
    setups: &[(&str, &dyn Fn(&mut Harness<'_, S>))],
    keep_clear: impl Fn(&S) -> Option<egui::Rect> + Copy,
    skip: impl Fn(&str) -> bool + Copy,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (width, height, scale) in CASES {
        let size = size(width, height, scale);
        let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
        let mut harness = window_harness(size, scale, state(), app.clone());
        for (name, setup) in setups {
            setup(&mut harness);
            harness.run();
            failures.extend(
                unreachable(&mut harness, window, keep_clear, skip)
                    .into_iter()
                    .map(|f| format!("{width}×{height} at {scale}×, {name}: {f}")),
            );
        }
    }
    failures
}

/// [`misfits`] of a screen drawn in a central panel, as all but the exercise screens are.
pub(super) fn panel_misfits<S>(
    state: impl Fn() -> S,
    app: impl Fn(&mut egui::Ui, &mut S) + Clone,
    setups: &[(&str, &dyn Fn(&mut Harness<'_, S>))],
) -> Vec<String> {
    misfits(
        state,
        move |ui, state| {
            egui::CentralPanel::default().show(ui, |ui| app(ui, state));
        },
        setups,
        |_| None,
    )
}

/// No setup: the screen as it opens.
pub(super) fn as_opened<S>() -> [(&'static str, &'static dyn Fn(&mut Harness<'_, S>)); 1] {
    [("as opened", &|_| {})]
}

fn session(scenario: &str, minutes: u32) -> Session {
    let matrix = shipped::matrix();
    let scenario = shipped::scenario_with(scenario, &matrix);
    let mut session = Session::new(Arc::clone(&scenario), matrix, 4);
    session.apply(Intent::Advance { minutes }).unwrap();
    session
}

/// The play screen's state a test keeps between frames.
#[derive(Default)]
struct PlayState {
    actions: ActionsState,
    /// The rectangle the screen gave the board's camera (empty when it drew nothing).
    board: Option<egui::Rect>,
    /// The rectangle the screen left for the board, drawn or listed.
    board_given: Option<egui::Rect>,
    words: Option<BoardLayout>,
}

impl PlayState {
    /// A narrow window's column showing the board rather than the feed.
    fn showing_the_board() -> Self {
        Self {
            actions: ActionsState {
                narrow_pane: NarrowPane::Board,
                ..ActionsState::default()
            },
            ..Self::default()
        }
    }
}

/// What the play screen's tests show: the ransomware scenario at T+10, with nothing decided,
/// no banner and the clock stopped.
struct PlayFixture {
    session: Session,
    clock: ScenarioClock,
    outcome: LastOutcome,
    trail: ScoreTrail,
    banner: InjectBanner,
}

impl PlayFixture {
    fn new() -> Self {
        Self {
            session: session("ransomware-file-server", 10),
            clock: ScenarioClock::default(),
            outcome: LastOutcome::None,
            trail: ScoreTrail::default(),
            banner: InjectBanner::default(),
        }
    }

    /// Draws the play screen in `mode`, keeping the space it leaves for the board.
    fn draw(&self, ui: &mut egui::Ui, state: &mut PlayState, mode: Mode) {
        let view = PlayView {
            session: &self.session,
            mode,
            clock: &self.clock,
            outcome: &self.outcome,
            trail: &self.trail,
            banner: &self.banner,
        };
        let (_, given) = play_ui(ui, &view, &mut state.actions);
        state.board_given = Some(given);
        state.board = Some(board_ui(ui, given, &self.session));
    }
}

#[test]
fn the_play_screen_fits_every_window_and_scale() {
    let fixture = PlayFixture::new();
    // A tab may carry a count ("Decide (1)").
    let tab = |label: &'static str| {
        move |h: &mut Harness<'_, PlayState>| {
            let counted = format!("{label} (");
            h.query_by_label(label)
                .or_else(|| h.query_all_by_label_contains(&counted).next())
                .unwrap_or_else(|| panic!("no tab {label}"))
                .click();
        }
    };
    let (decide, handoff, escalate, inform, communicate, approvals) = (
        tab("Decide"),
        tab("Hand off"),
        tab("Escalate"),
        tab("Inform"),
        tab("Communicate"),
        tab("Approvals"),
    );
    let mut failures = Vec::new();
    for mode in [Mode::Practice, Mode::Drill] {
        let app = |ui: &mut egui::Ui, state: &mut PlayState| fixture.draw(ui, state, mode);
        // The tabs are the same in both modes; the clock bar is not.
        let all: [(&str, &dyn Fn(&mut Harness<'_, PlayState>)); 6] = [
            ("Decide", &decide),
            ("Hand off", &handoff),
            ("Escalate", &escalate),
            ("Inform", &inform),
            ("Communicate", &communicate),
            ("Approvals", &approvals),
        ];
        let setups = if mode == Mode::Practice {
            &all[..]
        } else {
            &all[..1]
        };
        failures.extend(
            misfits(PlayState::default, app, setups, |s| s.board)
                .into_iter()
                .map(|f| format!("{mode:?}: {f}")),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_board_keeps_a_usable_share_of_every_window() {
    let fixture = PlayFixture::new();
    for (width, height, scale) in CASES {
        let size = size(width, height, scale);
        // A narrow window shows the board when asked, in the column it shares with the feed.
        let state = PlayState::showing_the_board();
        let harness = window_harness(size, scale, state, |ui, state: &mut PlayState| {
            fixture.draw(ui, state, Mode::Practice);
        });
        let board = harness.state().board.unwrap();
        // A narrow window gives the board the rest of the column below the bars and the
        // column's own tabs: all the height there is, which is a little less of the window.
        let (share, tall) = if crate::app::theme::is_narrow(size.x) {
            (0.4, 0.45)
        } else {
            (0.2, 0.5)
        };
        assert!(
            board.width() >= size.x * share && board.height() >= size.y * tall,
            "{width}×{height} at {scale}×: the board gets only {board:?}"
        );
    }
}

/// On a narrow window the feed and the board take turns: with the feed shown there is no room
/// left for the board (its camera is off), and the tabs switch between them.
#[test]
fn a_narrow_window_shows_the_feed_and_the_board_in_turn() {
    let fixture = PlayFixture::new();
    let mut harness = window_harness(
        size(1024.0, 640.0, 2.0),
        2.0,
        PlayState::default(),
        |ui, state: &mut PlayState| fixture.draw(ui, state, Mode::Practice),
    );
    assert!(!harness.state().board.unwrap().is_positive());
    harness.get_by_label_contains("Mass file renames on FS-01");
    // The six action tabs close up into two rows.
    let mut rows: Vec<i32> = ["Hand off", "Escalate", "Inform", "Communicate", "Approvals"]
        .into_iter()
        .map(|tab| harness.get_by_label(tab).rect().top().round() as i32)
        .collect();
    rows.dedup();
    assert!(
        rows.len() <= 2,
        "the tabs take {} rows: {rows:?}",
        rows.len()
    );
    harness.get_by_label("Board").click();
    harness.run();
    assert_eq!(harness.state().actions.narrow_pane, NarrowPane::Board);
    assert!(harness.state().board.unwrap().is_positive());
    assert!(
        harness
            .query_by_label_contains("Mass file renames on FS-01")
            .is_none()
    );
    harness.get_by_label("Feed").click();
    harness.run();
    assert!(!harness.state().board.unwrap().is_positive());
}

/// The console's state a test keeps between frames.
#[derive(Default)]
struct ConsoleFit {
    console: ConsoleState,
    actions: ActionsState,
    board: Option<egui::Rect>,
}

#[test]
fn the_console_fits_every_window_and_scale() {
    let session = session("ransomware-file-server", 10);
    let mut record = ExerciseRecord::new("fits", Mode::Facilitated, 0, &session);
    record.adhoc_injects.push(AdHocInject {
        minute: 8,
        title: "CFO on the phone".into(),
        narrative: "The CFO asks whether payroll will still run on Friday.".into(),
        after_intents: None,
        to: Vec::new(),
    });
    let clock = ScenarioClock::default();
    let (outcome, trail, banner) = (
        LastOutcome::None,
        ScoreTrail::default(),
        InjectBanner::default(),
    );
    let app = |ui: &mut egui::Ui, state: &mut ConsoleFit| {
        let view = ConsoleView {
            session: &session,
            record: &record,
            room: None,
            clock: &clock,
            projector: ProjectorState::default(),
            outcome: &outcome,
            trail: &trail,
            banner: &banner,
        };
        let (_, board) = console_ui(ui, &view, &mut state.console, &mut state.actions);
        state.board = Some(board);
    };
    let tabs = |left: LeftTab, right: RightTab, action: ActionTab| {
        move |h: &mut Harness<'_, ConsoleFit>| {
            let state = h.state_mut();
            state.console.left = left;
            state.console.right = right;
            state.actions.tab = action;
        }
    };
    let (feed, injects, people, notes, scorecard, escalate, handoff) = (
        tabs(LeftTab::Feed, RightTab::Decisions, ActionTab::Decide),
        tabs(
            LeftTab::Injects,
            RightTab::Decisions,
            ActionTab::Communicate,
        ),
        tabs(LeftTab::People, RightTab::Notes, ActionTab::Decide),
        tabs(LeftTab::Injects, RightTab::Notes, ActionTab::Decide),
        tabs(LeftTab::Feed, RightTab::Scorecard, ActionTab::Decide),
        tabs(LeftTab::People, RightTab::Decisions, ActionTab::Escalate),
        tabs(LeftTab::Feed, RightTab::Decisions, ActionTab::Handoff),
    );
    let setups: [(&str, &dyn Fn(&mut Harness<'_, ConsoleFit>)); 7] = [
        ("feed and decisions", &feed),
        ("injects and communicate", &injects),
        ("people and notes", &people),
        ("injects and notes", &notes),
        ("feed and scorecard", &scorecard),
        ("people and escalate", &escalate),
        ("feed and hand off", &handoff),
    ];
    let failures = misfits(ConsoleFit::default, app, &setups, |s| s.board);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The board's words laid out in the rectangle the play screen left it, at every window size and
/// scale, with the board shown in a narrow window's column.
fn board_words(fixture: &PlayFixture) -> Vec<(String, Option<BoardLayout>, egui::Rect)> {
    let mut laid_out = Vec::new();
    for (width, height, scale) in CASES {
        let state = PlayState::showing_the_board();
        let harness = window_harness(
            size(width, height, scale),
            scale,
            state,
            |ui, state: &mut PlayState| {
                fixture.draw(ui, state, Mode::Practice);
                let board = state.board_given.unwrap();
                state.words = Some(lay_out_board_text(ui, board, &fixture.session));
            },
        );
        let state = harness.state();
        laid_out.push((
            format!("{width}×{height} at {scale}×"),
            state.words.as_ref().map(|w| match w {
                BoardLayout::Drawn(texts) => BoardLayout::Drawn(texts.clone()),
                BoardLayout::TooSmall => BoardLayout::TooSmall,
            }),
            state.board_given.unwrap(),
        ));
    }
    laid_out
}

/// Every name on the board is at least the UI's small print, inside the board, clear of every
/// other word, and names its role: in full, or in short with the full name on hover. On a roomy
/// board every role shows its full name.
#[test]
fn every_word_on_the_board_reads_at_every_window_and_scale() {
    let fixture = PlayFixture::new();
    let matrix = fixture.session.matrix();
    let cast = crate::app::board::cast(&fixture.session);
    for (case, words, board) in board_words(&fixture) {
        let Some(BoardLayout::Drawn(texts)) = words else {
            panic!("{case}: the board ({board:?}) gave way to its list");
        };
        for (i, text) in texts.iter().enumerate() {
            assert!(text.size >= MIN_TEXT, "{case}: {text:?} is too small");
            assert!(
                board.contains_rect(text.rect),
                "{case}: {text:?} leaves {board:?}"
            );
            for other in &texts[i + 1..] {
                assert!(
                    !text.rect.intersects(other.rect),
                    "{case}: {:?} runs into {:?}",
                    text.text,
                    other.text
                );
            }
        }
        let roomy = board.width() >= 600.0 && board.height() >= 560.0;
        for role in &cast {
            let name = &matrix.role(role.as_str()).unwrap().name;
            let shown = texts
                .iter()
                .find(|t| t.full.as_ref().unwrap_or(&t.text) == name)
                .unwrap_or_else(|| panic!("{case}: the board does not name {name}"));
            assert!(
                !roomy || shown.full.is_none(),
                "{case}: a roomy board ({board:?}) shortens {name} to {:?}",
                shown.text
            );
        }
    }
}

/// Where the board's column is too short for its names (a narrow window at 2× with the new-inject
/// banner above), the column lists the same facts instead: the readings and every role, by whether
/// it is in the response, and the board's camera draws nothing.
#[test]
fn a_board_too_small_to_read_gives_way_to_a_list_of_the_same_facts() {
    let mut fixture = PlayFixture::new();
    fixture.banner = InjectBanner(Some(NewInject {
        minute: 10,
        title: "Ransom note and spreading encryption".into(),
        more: 0,
    }));
    fixture
        .session
        .apply(Intent::AssignAction {
            action: "triage-fs01".into(),
            role: "soc".into(),
        })
        .unwrap();
    let state = PlayState::showing_the_board();
    let harness = window_harness(
        size(1024.0, 640.0, 2.0),
        2.0,
        state,
        |ui, state: &mut PlayState| fixture.draw(ui, state, Mode::Practice),
    );
    assert!(!harness.state().board.unwrap().is_positive());
    let column = harness.state().board_given.unwrap();
    let in_response = harness.get_by_label("In the response").rect();
    let not_yet = harness.get_by_label("Not yet engaged").rect();
    let soc = harness.get_by_label("Security Operations Center").rect();
    assert!(in_response.top() < soc.top() && soc.top() < not_yet.top());
    harness.get_by_label("Severity 3/4 - High");
    for role in crate::app::board::cast(&fixture.session) {
        let name = &fixture.session.matrix().role(role.as_str()).unwrap().name;
        let node = harness.get_by_label(name);
        assert!(
            node.rect().left() >= column.left() && node.rect().right() <= column.right() + 0.5,
            "{name} at {:?} leaves the column {column:?}",
            node.rect()
        );
    }
}
