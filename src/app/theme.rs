//! Design tokens, light/dark themes, UI scale, persisted settings and the window icon.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use serde::{Deserialize, Serialize};

/// The signal colours of one theme, chosen for WCAG AA contrast (4.5:1) as text on that theme's
/// panels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Primary actions, engaged roles.
    pub accent: egui::Color32,
    /// Deductions, rejections, critical severity.
    pub danger: egui::Color32,
    /// Credit and success.
    pub success: egui::Color32,
    /// Warnings, high severity.
    pub warning: egui::Color32,
    /// Moderate severity.
    pub caution: egui::Color32,
}

impl Palette {
    /// On dark panels.
    pub const DARK: Self = Self {
        accent: egui::Color32::from_rgb(0x60, 0xa5, 0xfa),
        danger: egui::Color32::from_rgb(0xf8, 0x71, 0x71),
        success: egui::Color32::from_rgb(0x16, 0xa3, 0x4a),
        warning: egui::Color32::from_rgb(0xd9, 0x77, 0x06),
        caution: egui::Color32::from_rgb(0xca, 0x8a, 0x04),
    };
    /// On light panels.
    pub const LIGHT: Self = Self {
        accent: egui::Color32::from_rgb(0x1d, 0x4e, 0xd8),
        danger: egui::Color32::from_rgb(0xb9, 0x1c, 0x1c),
        success: egui::Color32::from_rgb(0x16, 0x65, 0x34),
        warning: egui::Color32::from_rgb(0xb4, 0x53, 0x09),
        caution: egui::Color32::from_rgb(0x85, 0x4d, 0x0e),
    };

    /// The colour for a severity level on a 1–`max` scale.
    pub fn severity(self, level: u8, max: u8) -> egui::Color32 {
        let ratio = f32::from(level) / f32::from(max.max(1));
        if ratio >= 0.99 {
            self.danger
        } else if ratio >= 0.7 {
            self.warning
        } else if ratio >= 0.4 {
            self.caution
        } else {
            self.success
        }
    }
}

/// The palette of the theme `ui` is drawn in.
pub fn palette(ui: &egui::Ui) -> Palette {
    if ui.visuals().dark_mode {
        Palette::DARK
    } else {
        Palette::LIGHT
    }
}

/// Spacing between groups.
pub const GAP: f32 = 8.0;
/// Heading size for screen titles.
pub const TITLE_SIZE: f32 = 34.0;

/// User-facing display settings, saved between runs.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// Dark (true) or light theme.
    pub dark: bool,
    /// UI scale (egui zoom factor), 0.75–2.0; larger for projectors.
    pub scale: f32,
    /// A short chime when a new inject arrives.
    pub chime: bool,
}

impl Default for UiSettings {
    fn default() -> Self {
        Self {
            dark: true,
            scale: 1.0,
            chime: true,
        }
    }
}

impl UiSettings {
    /// Allowed scale range.
    pub const SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.75..=2.0;
    /// The scales offered as buttons: a laptop, a large screen, a projector.
    pub const SCALE_PRESETS: [(f32, &'static str); 4] =
        [(1.0, "1×"), (1.25, "1.25×"), (1.5, "1.5×"), (2.0, "2×")];

    /// Beside the rest of Warroom's data when `WARROOM_DATA_DIR` moves it (tests, a kiosk, a
    /// portable install), else in the platform's config folder.
    fn path() -> Option<PathBuf> {
        Self::path_for(std::env::var_os(crate::store::DATA_DIR_ENV).map(PathBuf::from))
    }

    fn path_for(data_dir: Option<PathBuf>) -> Option<PathBuf> {
        match data_dir {
            Some(dir) => Some(dir.join("settings.ron")),
            None => directories::ProjectDirs::from("org", "Warroom", "warroom")
                .map(|d| d.config_dir().join("settings.ron")),
        }
    }

    /// Loads saved settings; a missing or unreadable file gives the defaults (and a log line).
    pub fn load() -> Self {
        let Some(path) = Self::path() else {
            return Self::default();
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => ron::from_str(&text).unwrap_or_else(|e| {
                warn!("ignoring unreadable settings {}: {e}", path.display());
                Self::default()
            }),
            Err(_) => Self::default(),
        }
    }

    /// Saves settings; failure is logged, never fatal.
    pub fn save(&self) {
        let Some(path) = Self::path() else {
            return;
        };
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
                    .map_err(std::io::Error::other)?;
                std::fs::write(&path, text)
            });
        if let Err(e) = result {
            warn!("could not save settings to {}: {e}", path.display());
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(UiSettings::load())
        .add_systems(Startup, set_window_icon)
        .add_systems(EguiPrimaryContextPass, apply_settings);
}

fn apply_settings(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    mut applied: Local<Option<UiSettings>>,
) -> Result {
    if applied.as_ref() == Some(&*settings) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let visuals = visuals(settings.dark);
    ctx.set_visuals(visuals);
    ctx.set_zoom_factor(settings.scale.clamp(
        *UiSettings::SCALE_RANGE.start(),
        *UiSettings::SCALE_RANGE.end(),
    ));
    apply_style(ctx);
    if applied.is_some() {
        settings.save();
    }
    *applied = Some(settings.clone());
    Ok(())
}

/// Warroom's spacing and text sizes, on top of egui's defaults.
pub fn apply_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(GAP, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        // A row starts as tall as a button (the text's line and its padding), so a label put
        // before a button or a list is centred on it rather than sitting a few points above.
        style.spacing.interact_size.y = 28.0;
        // Scroll bars take their own width instead of floating over the right edge of fields.
        style.spacing.scroll = egui::style::ScrollStyle::solid();
        for (text_style, size) in [
            (egui::TextStyle::Body, 15.0),
            (egui::TextStyle::Button, 15.0),
            (egui::TextStyle::Heading, 22.0),
            (egui::TextStyle::Small, 12.0),
            (egui::TextStyle::Monospace, 13.5),
        ] {
            if let Some(font) = style.text_styles.get_mut(&text_style) {
                font.size = size;
            }
        }
    });
}

/// egui's visuals for a theme with Warroom's accent, adjusted so text meets WCAG AA contrast.
pub fn visuals(dark: bool) -> egui::Visuals {
    let (mut visuals, palette) = if dark {
        (egui::Visuals::dark(), Palette::DARK)
    } else {
        (egui::Visuals::light(), Palette::LIGHT)
    };
    visuals.selection.bg_fill = palette.accent;
    visuals.hyperlink_color = palette.accent;
    // Text on a selected (accent-filled) button: near-black on the dark theme's light blue,
    // white on the light theme's deep blue.
    // egui's weak text is the body colour at 60 % alpha, under 3:1 on dark panels.
    visuals.weak_text_color = Some(if dark {
        egui::Color32::from_rgb(0x9a, 0x9a, 0x9a)
    } else {
        egui::Color32::from_rgb(0x5c, 0x5c, 0x5c)
    });
    visuals.selection.stroke.color = if dark {
        egui::Color32::from_rgb(0x0b, 0x0b, 0x0b)
    } else {
        egui::Color32::WHITE
    };
    visuals
}

/// The window icon, drawn in the assets folder as a PNG and embedded at build time.
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

fn set_window_icon(_main_thread: bevy::ecs::system::NonSendMarker) {
    let Ok(image) = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png) else {
        warn!("window icon could not be decoded");
        return;
    };
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let Ok(icon) = winit::window::Icon::from_rgba(rgba.into_raw(), width, height) else {
        return;
    };
    bevy::winit::WINIT_WINDOWS.with_borrow(|windows| {
        for window in windows.windows.values() {
            window.set_window_icon(Some(icon.clone()));
        }
    });
}

/// Size ranges of the two side panels of play and the console for a screen `width` points wide:
/// together never more than four fifths of it, so the board between them keeps a fifth, however
/// large the UI scale (2× on a 1280-pixel projector leaves 640 points).
/// Below this width in points (1024 pixels at 1.4× and more) feed, board and actions do not fit
/// side by side: the feed and the board take turns in one column beside the actions.
pub const NARROW_WIDTH: f32 = 740.0;

/// The actions' share of a narrow window's width.
pub const NARROW_ACTIONS_SHARE: f32 = 0.56;

/// Whether a window `width` points wide is narrow (see [`NARROW_WIDTH`]).
pub fn is_narrow(width: f32) -> bool {
    width < NARROW_WIDTH
}

/// The id of a side panel named `name`, new for each UI scale: a resizable panel remembers its
/// width in points, which after a change of scale would be a different share of the window; so
/// each scale starts from the panel's default size.
pub fn panel_id(ui: &egui::Ui, name: &str) -> egui::Id {
    egui::Id::new((name, ui.ctx().zoom_factor().to_bits()))
}

/// The width ranges of the left and right panels in a window `width` points wide.
pub fn side_panels(width: f32) -> (egui::Rangef, egui::Rangef) {
    // Room for the composers' pickers where there is some, a share of the width where not.
    let left = egui::Rangef::new(
        (width * 0.2).min(240.0),
        (width * 0.34).max(180.0).min(width * 0.33),
    );
    let right = egui::Rangef::new(
        (width * 0.26).min(300.0),
        (width * 0.46).max(240.0).min(width * 0.45),
    );
    (left, right)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use bevy_egui::egui;

    use super::{Palette, UiSettings, visuals};

    /// WCAG 2 contrast ratio of two opaque colours.
    fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
        fn luminance(c: egui::Color32) -> f32 {
            let channel = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
        }
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn signal_colours_and_selected_buttons_meet_wcag_aa_in_both_themes() {
        for dark in [true, false] {
            let v = visuals(dark);
            let p = if dark { Palette::DARK } else { Palette::LIGHT };
            for background in [v.panel_fill, v.window_fill, v.extreme_bg_color] {
                for (name, colour) in [
                    ("accent", p.accent),
                    ("danger", p.danger),
                    ("success", p.success),
                    ("warning", p.warning),
                    ("caution", p.caution),
                    ("body text", v.text_color()),
                    ("weak text", v.weak_text_color()),
                ] {
                    let ratio = contrast(colour, background);
                    assert!(
                        ratio >= 4.5,
                        "{name} on {background:?} (dark {dark}): {ratio:.2}"
                    );
                }
            }
            // The text of a selected button on its accent fill.
            let ratio = contrast(v.selection.stroke.color, v.selection.bg_fill);
            assert!(ratio >= 4.5, "selected button (dark {dark}): {ratio:.2}");
            // Buttons' text on their resting fill.
            let ratio = contrast(
                v.widgets.inactive.text_color(),
                v.widgets.inactive.weak_bg_fill,
            );
            assert!(ratio >= 4.5, "button (dark {dark}): {ratio:.2}");
        }
    }

    #[test]
    fn settings_live_with_the_data_when_its_folder_is_moved() {
        let moved = UiSettings::path_for(Some(PathBuf::from("/tmp/warroom-kiosk")));
        assert_eq!(
            moved,
            Some(PathBuf::from("/tmp/warroom-kiosk/settings.ron"))
        );
        let default = UiSettings::path_for(None);
        assert!(default.is_none_or(|p| p.ends_with("settings.ron") && !p.starts_with("/tmp")));
    }
}
