//! The board's words (role names, meter readings, clock, title), drawn by egui over the shapes Bevy
//! draws. Text drawn in the board's world would shrink with the board to a few pixels on a small
//! window or at a large UI scale; egui's text keeps the UI's point size, so a name is never smaller
//! than the screen's small print. Where full names would run into each other, a place shows its
//! short form and names the role in full on hover.

use bevy::math::Vec2;
use bevy_egui::egui;

use crate::app::board::{
    BOARD_SIZE, IMPACT_Y, METER_HEIGHT, METER_WIDTH, PLACE_RADIUS, SEVERITY_Y, TABLE_HALF,
    TIMELINE_HALF, TIMELINE_MARK, TIMELINE_Y, cast, clock_text, impact_text, place_label,
    place_label_size, place_positions, severity_text,
};
use crate::engine::Session;

/// The smallest text the board draws, in points: the UI's small print.
pub const MIN_TEXT: f32 = 12.0;
/// The largest a role's name is drawn.
const MAX_PLACE_TEXT: f32 = 24.0;
/// Room kept between two pieces of text.
const GAP: f32 = 2.0;
/// The size of the readings and the title in board units, when the board is large enough.
const READING_SIZE: f32 = 22.0;
const TITLE_SIZE: f32 = 26.0;

const IDLE_FILL: egui::Color32 = egui::Color32::from_rgb(71, 79, 92);
const ENGAGED_FILL: egui::Color32 = egui::Color32::from_rgb(59, 130, 245);
const TITLE_COLOR: egui::Color32 = egui::Color32::from_rgb(235, 224, 204);

/// How the board's world lies on the screen: centred in its rectangle, as large as fits whole.
#[derive(Debug, Clone, Copy)]
pub struct BoardFrame {
    center: egui::Pos2,
    points_per_unit: f32,
}

impl BoardFrame {
    /// The frame of a board drawn in `rect` (the board camera fits the whole world in it).
    pub fn new(rect: egui::Rect) -> Self {
        Self {
            center: rect.center(),
            points_per_unit: (rect.width() / BOARD_SIZE.x).min(rect.height() / BOARD_SIZE.y),
        }
    }

    /// Where a point of the board's world is on the screen (the world's y grows upwards).
    pub fn to_screen(self, world: Vec2) -> egui::Pos2 {
        self.center + egui::vec2(world.x, -world.y) * self.points_per_unit
    }

    /// A length of the board's world in points.
    pub fn points(self, length: f32) -> f32 {
        length * self.points_per_unit
    }
}

/// A piece of the board's text, laid out.
#[derive(Debug, Clone)]
pub struct BoardText {
    /// What it says.
    pub text: String,
    /// Its size in points.
    pub size: f32,
    /// Where it is drawn.
    pub rect: egui::Rect,
    /// What the board calls it in full, when `text` is a short form.
    pub full: Option<String>,
    galley: std::sync::Arc<egui::Galley>,
    kind: TextKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TextKind {
    Place { engaged: bool },
    Reading,
    Title,
}

/// A role's place as the board shows it.
struct PlaceName {
    /// What the place may say, longest first: the role's name, then its short form as every list
    /// would read it ("IT Ops"), then any other short form of its own ("Execs").
    forms: Vec<String>,
    at: egui::Pos2,
    engaged: bool,
}

impl PlaceName {
    /// The role's name, as every list calls it.
    fn name(&self) -> &str {
        self.forms.first().map_or("", String::as_str)
    }
}

/// The board's words laid out for a rectangle.
#[derive(Debug)]
pub enum BoardLayout {
    /// Every word found a place on the board.
    Drawn(Vec<BoardText>),
    /// The role names cannot all be read at the UI's size, even shortened: the board gives way to
    /// a list of the same facts.
    TooSmall,
}

/// Lays out every word the board shows in `rect` for `session`. The role names come first; the
/// readings and the title, which the top bar also shows, only where they touch nothing.
pub fn lay_out_board_text(ui: &egui::Ui, rect: egui::Rect, session: &Session) -> BoardLayout {
    if !rect.is_positive() {
        return BoardLayout::Drawn(Vec::new());
    }
    let painter = &ui.painter_at(rect);
    let frame = BoardFrame::new(rect);
    let meters = [SEVERITY_Y, IMPACT_Y].map(|y| meter_bar(frame, y));
    let timeline = egui::Rect::from_center_size(
        frame.to_screen(Vec2::new(0.0, TIMELINE_Y)),
        egui::vec2(
            frame.points(TIMELINE_HALF * 2.0),
            frame.points(TIMELINE_MARK * 2.0),
        ),
    );
    let shapes = [meters[0], meters[1], timeline];
    let places = place_names(session, frame);
    let Some(mut texts) = lay_out_places(painter, frame, rect, &places, &shapes) else {
        return BoardLayout::TooSmall;
    };
    let reading_color = ui.visuals().text_color();
    let size = frame.points(READING_SIZE).max(MIN_TEXT);
    // A reading sits just above its meter, the clock just below the timeline's marks.
    let reading = |text: String, edge_y: f32, above: bool| {
        let galley = centred(painter, &text, size, reading_color, f32::INFINITY);
        let edge = frame.to_screen(Vec2::new(0.0, edge_y));
        let half = GAP + galley.size().y / 2.0;
        let centre_y = if above { edge.y - half } else { edge.y + half };
        BoardText {
            rect: egui::Rect::from_center_size(egui::pos2(edge.x, centre_y), galley.size()),
            text,
            size,
            full: None,
            galley,
            kind: TextKind::Reading,
        }
    };
    let readings = [
        reading(
            severity_text(session),
            SEVERITY_Y + METER_HEIGHT / 2.0,
            true,
        ),
        reading(impact_text(session), IMPACT_Y + METER_HEIGHT / 2.0, true),
        reading(clock_text(session), TIMELINE_Y - TIMELINE_MARK, false),
    ];
    let title = &session.scenario().title;
    let title_size = frame.points(TITLE_SIZE).clamp(MIN_TEXT, TITLE_SIZE);
    let title_galley = centred(
        painter,
        title,
        title_size,
        TITLE_COLOR,
        frame.points(TABLE_HALF.x * 1.6),
    );
    let title = BoardText {
        rect: egui::Rect::from_center_size(frame.to_screen(Vec2::ZERO), title_galley.size()),
        text: title.clone(),
        size: title_size,
        full: None,
        galley: title_galley,
        kind: TextKind::Title,
    };
    let table = egui::Rect::from_center_size(
        frame.to_screen(Vec2::ZERO),
        egui::vec2(
            frame.points(TABLE_HALF.x * 2.0),
            frame.points(TABLE_HALF.y * 2.0),
        ),
    );
    // The top bar shows the readings and the title too: where the larger print would run one
    // into a meter, a name or out of the board, the board leaves it out rather than unreadable.
    for extra in readings {
        let clear = rect.contains_rect(extra.rect)
            && !shapes.iter().any(|s| s.intersects(extra.rect))
            && !texts
                .iter()
                .any(|t| t.rect.expand(GAP).intersects(extra.rect));
        if clear {
            texts.push(extra);
        }
    }
    if table.contains_rect(title.rect) && !texts.iter().any(|t| t.rect.intersects(title.rect)) {
        texts.push(title);
    }
    BoardLayout::Drawn(texts)
}

/// The meter bar at height `y`, on the screen.
fn meter_bar(frame: BoardFrame, y: f32) -> egui::Rect {
    egui::Rect::from_center_size(
        frame.to_screen(Vec2::new(0.0, y)),
        egui::vec2(frame.points(METER_WIDTH), frame.points(METER_HEIGHT)),
    )
}

fn place_names(session: &Session, frame: BoardFrame) -> Vec<PlaceName> {
    let roles = cast(session);
    roles
        .iter()
        .zip(place_positions(roles.len()))
        .map(|(role, position)| {
            let mut forms = match session.matrix().role(role.as_str()) {
                Some(r) => vec![r.name.clone(), place_label(r).to_owned(), r.short.clone()],
                None => vec![role.to_string()],
            };
            forms.retain(|f| !f.is_empty());
            forms.dedup();
            PlaceName {
                forms,
                at: frame.to_screen(position),
                engaged: session.engaged().contains_key(role),
            }
        })
        .collect()
}

/// Every place shows its full name, unless it would touch another place's name or one of the
/// board's `shapes`, or leave the board: then it shows its next shorter form, the one every list
/// would read as the name first. `None` when even the shortest forms do not fit.
fn lay_out_places(
    painter: &egui::Painter,
    frame: BoardFrame,
    rect: egui::Rect,
    places: &[PlaceName],
    shapes: &[egui::Rect],
) -> Option<Vec<BoardText>> {
    let circle = frame.points(PLACE_RADIUS) * 2.0;
    let lay_out = |place: &PlaceName, form: usize| {
        let text = place
            .forms
            .get(form)
            .map_or_else(|| place.name(), String::as_str);
        let short = form > 0;
        let size = frame
            .points(place_label_size(text))
            .clamp(MIN_TEXT, MAX_PLACE_TEXT);
        let widest_word = text
            .split_whitespace()
            .map(|word| {
                painter
                    .layout_no_wrap(
                        word.to_owned(),
                        egui::FontId::proportional(size),
                        egui::Color32::WHITE,
                    )
                    .size()
                    .x
            })
            .fold(0.0, f32::max);
        let galley = centred(
            painter,
            text,
            size,
            egui::Color32::WHITE,
            // A short form stays on one line, where it takes the least height.
            if short {
                f32::INFINITY
            } else {
                (circle * 0.95).max(widest_word + 1.0)
            },
        );
        BoardText {
            rect: egui::Rect::from_center_size(place.at, galley.size()),
            text: text.to_owned(),
            size,
            full: short.then(|| place.name().to_owned()),
            galley,
            kind: TextKind::Place {
                engaged: place.engaged,
            },
        }
    };
    let mut form = vec![0; places.len()];
    loop {
        let texts: Vec<BoardText> = places
            .iter()
            .zip(&form)
            .map(|(place, &form)| lay_out(place, form))
            .collect();
        let shorten: Vec<usize> = (0..places.len())
            .filter(|&i| form[i] + 1 < places[i].forms.len() && crowded(&texts, i, rect, shapes))
            .collect();
        if shorten.is_empty() {
            let mut texts = texts;
            move_apart(&mut texts, places, frame.points(PLACE_RADIUS));
            let fits = (0..texts.len()).all(|i| !crowded(&texts, i, rect, shapes));
            return fits.then_some(texts);
        }
        for i in shorten {
            form[i] += 1;
        }
    }
}

/// Whether the `i`th name leaves the board or touches another name or one of the board's shapes.
fn crowded(texts: &[BoardText], i: usize, board: egui::Rect, shapes: &[egui::Rect]) -> bool {
    let mine = texts[i].rect.expand(GAP);
    !board.contains_rect(texts[i].rect)
        || shapes.iter().any(|s| mine.intersects(*s))
        || texts
            .iter()
            .enumerate()
            .any(|(j, other)| j != i && mine.intersects(other.rect))
}

/// Moves names that still touch apart sideways, each by half of what they share, as long as each
/// stays over its place (within `radius` of its centre).
fn move_apart(texts: &mut [BoardText], places: &[PlaceName], radius: f32) {
    for _ in 0..8 {
        let mut moved = false;
        for i in 0..texts.len() {
            for j in i + 1..texts.len() {
                let (a, b) = (texts[i].rect.expand(GAP), texts[j].rect);
                if !a.intersects(b) {
                    continue;
                }
                let rightwards = if b.center().x >= a.center().x {
                    1.0
                } else {
                    -1.0
                };
                let shared = if rightwards > 0.0 {
                    a.right() - b.left()
                } else {
                    b.right() - a.left()
                };
                let step = shared / 2.0 + 0.25;
                let (to_i, to_j) = (
                    texts[i].rect.center().x - rightwards * step,
                    texts[j].rect.center().x + rightwards * step,
                );
                if (to_i - places[i].at.x).abs() <= radius
                    && (to_j - places[j].at.x).abs() <= radius
                {
                    texts[i].rect = texts[i].rect.translate(egui::vec2(-rightwards * step, 0.0));
                    texts[j].rect = texts[j].rect.translate(egui::vec2(rightwards * step, 0.0));
                    moved = true;
                }
            }
        }
        if !moved {
            return;
        }
    }
}

/// `text` laid out centred on its lines, wrapped at `wrap_width`.
fn centred(
    painter: &egui::Painter,
    text: &str,
    size: f32,
    color: egui::Color32,
    wrap_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::simple(
        text.to_owned(),
        egui::FontId::proportional(size),
        color,
        wrap_width,
    );
    job.halign = egui::Align::Center;
    painter.layout_job(job)
}

/// Draws the board's words over the board in `rect`: role names on their place's colour where they
/// outgrow the circle, with the full name on hover where a short form stands in. On a board too
/// small for the names to be read, shows the same facts as a list instead and returns an empty
/// rectangle, so the board's camera draws nothing; else returns `rect`.
pub fn board_ui(ui: &mut egui::Ui, rect: egui::Rect, session: &Session) -> egui::Rect {
    let texts = match lay_out_board_text(ui, rect, session) {
        BoardLayout::Drawn(texts) => texts,
        BoardLayout::TooSmall => {
            board_list_ui(ui, rect, session);
            return egui::Rect::NOTHING;
        }
    };
    let painter = ui.painter_at(rect);
    let circle = BoardFrame::new(rect).points(PLACE_RADIUS) * 2.0;
    for text in texts {
        if let TextKind::Place { engaged } = text.kind
            && (text.rect.width() > circle * 0.9 || text.rect.height() > circle * 0.9)
        {
            painter.rect_filled(
                text.rect.expand2(egui::vec2(4.0, 1.0)),
                4.0,
                place_fill(engaged),
            );
        }
        let origin = text.rect.center() - text.galley.rect.center().to_vec2();
        painter.galley(origin, text.galley.clone(), egui::Color32::WHITE);
        let response = ui.interact(
            text.rect,
            ui.id().with(("board-text", &text.text)),
            egui::Sense::hover(),
        );
        let named = text.full.clone().unwrap_or_else(|| text.text.clone());
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::WidgetType::Label, true, named.clone())
        });
        if let Some(full) = text.full {
            response.on_hover_text(full);
        }
    }
    rect
}

fn place_fill(engaged: bool) -> egui::Color32 {
    if engaged { ENGAGED_FILL } else { IDLE_FILL }
}

/// The board's facts as a list, for a space too small to draw it: the readings, then who is in
/// the response and who is not yet, each team in the colour its place has on the board.
fn board_list_ui(ui: &mut egui::Ui, rect: egui::Rect, session: &Session) {
    let places = place_names(session, BoardFrame::new(rect));
    ui.scope_builder(egui::UiBuilder::new().max_rect(rect.shrink(6.0)), |ui| {
        egui::ScrollArea::vertical()
            .id_salt("board-list")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for reading in [
                    severity_text(session),
                    impact_text(session),
                    clock_text(session),
                ] {
                    ui.label(reading);
                }
                for (engaged, heading) in [(true, "In the response"), (false, "Not yet engaged")] {
                    ui.add_space(4.0);
                    ui.label(egui::RichText::new(heading).strong());
                    for place in places.iter().filter(|p| p.engaged == engaged) {
                        ui.label(
                            egui::RichText::new(place.name())
                                .color(egui::Color32::WHITE)
                                .background_color(place_fill(engaged)),
                        );
                    }
                }
            });
    });
}
