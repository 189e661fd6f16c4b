//! What every room page shares: the page around its body, and the lists a person picks from.

use maud::{DOCTYPE, Markup, html};

use crate::engine::room::{ActionChoice, Named};

/// A page with the room's style sheet and, if given, its one script after the shared helpers.
pub(super) fn page(title: &str, script: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " \u{b7} Warroom" }
                link rel="stylesheet" href="/static/room.css";
                @if let Some(script) = script {
                    // Deferred scripts run in order: the shared helpers first.
                    script src="/static/common.js" defer {}
                    script src=(format!("/static/{script}")) defer {}
                }
            }
            body { (body) }
        }
    }
}

/// Something a page lets a person pick: the value its form sends and the name it shows.
pub(super) trait Choice {
    fn value(&self) -> &str;
    fn shown(&self) -> &str;
    /// A longer explanation, shown on hover.
    fn hint(&self) -> Option<&str> {
        None
    }
}

impl Choice for Named {
    fn value(&self) -> &str {
        &self.id
    }
    fn shown(&self) -> &str {
        &self.name
    }
}

impl Choice for ActionChoice {
    fn value(&self) -> &str {
        &self.id
    }
    fn shown(&self) -> &str {
        &self.name
    }
    fn hint(&self) -> Option<&str> {
        Some(&self.prompt)
    }
}

/// A list's options.
pub(super) fn options(items: &[impl Choice]) -> Markup {
    options_picked(items, "")
}

/// A list's options with the one of value `picked` chosen.
pub(super) fn options_picked(items: &[impl Choice], picked: &str) -> Markup {
    html! {
        @for item in items {
            option value=(item.value()) title=[item.hint()] selected[item.value() == picked] { (item.shown()) }
        }
    }
}
