//! One small section writer with two outputs: the report walks its sections once
//! ([`super::walk`]) and each writer turns them into Markdown or into one self-contained HTML page.
//! Every piece of text that comes from a scenario, a matrix or a person is escaped by the writer;
//! only fixed labels and numbers pass through as they are.

use std::fmt::Write as _;

use crate::engine::reports::scorecard::md_escape;

/// A run of text in a line or a table cell.
pub enum Span<'a> {
    /// Text from content or people: escaped.
    Text(&'a str),
    /// Text made for this line (numbers and fixed words): escaped all the same.
    Owned(String),
    /// Emphasised text (a fixed label).
    Em(&'a str),
    /// Strong text from content or people: escaped.
    Strong(&'a str),
}

/// One table cell.
pub enum Cell<'a> {
    /// Text from content or people: escaped.
    Text(&'a str),
    /// A number, right-aligned in HTML.
    Num(String),
    /// A fixed label.
    Label(&'a str),
    /// A rating, coloured in HTML by its class.
    Rated {
        /// The rating's words.
        label: &'a str,
        /// `good`, `fair`, `poor` or empty.
        class: &'a str,
    },
    /// A blank to be filled in on paper.
    Blank,
}

/// What the report is written with.
pub trait Writer {
    /// The report's title.
    fn title(&mut self, text: &str);
    /// A top-level section.
    fn section(&mut self, text: &str);
    /// A section inside a section.
    fn subsection(&mut self, text: &str);
    /// A heading over a short group (a dimension's findings, a role's hotwash).
    fn group(&mut self, text: &str);
    /// A paragraph of content text.
    fn paragraph(&mut self, text: &str);
    /// A highlighted figure ("Total: 87/100").
    fn figure(&mut self, text: &str);
    /// A table.
    fn table(&mut self, headers: &[&str], rows: &[Vec<Cell<'_>>]);
    /// A two-column table of labels and values.
    fn key_values(&mut self, rows: &[(&str, String)]);
    /// A bulleted list.
    fn list(&mut self, items: &[Vec<Span<'_>>]);
    /// A bar chart (labels, values, the full-scale value); Markdown leaves it out.
    fn chart(&mut self, title: &str, bars: &[(String, u32)], max: u32);
    /// The finished document.
    fn finish(self) -> String;
}

/// Writes Markdown.
#[derive(Default)]
pub struct Markdown {
    out: String,
}

fn md_spans(spans: &[Span<'_>]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => md_escape(t),
            Span::Owned(t) => md_escape(t),
            Span::Em(t) => format!("*{t}*"),
            Span::Strong(t) => format!("**{}**", md_escape(t)),
        })
        .collect()
}

impl Writer for Markdown {
    fn title(&mut self, text: &str) {
        let _ = writeln!(self.out, "# {}\n", md_escape(text));
    }

    fn section(&mut self, text: &str) {
        let _ = writeln!(self.out, "## {}\n", md_escape(text));
    }

    fn subsection(&mut self, text: &str) {
        let _ = writeln!(self.out, "### {}\n", md_escape(text));
    }

    fn group(&mut self, text: &str) {
        let _ = writeln!(self.out, "**{}**\n", md_escape(text));
    }

    fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}\n", md_escape(text));
    }

    fn figure(&mut self, text: &str) {
        let _ = writeln!(self.out, "**{}**\n", md_escape(text));
    }

    fn table(&mut self, headers: &[&str], rows: &[Vec<Cell<'_>>]) {
        let _ = writeln!(self.out, "| {} |", headers.join(" | "));
        let _ = writeln!(self.out, "|{}", "---|".repeat(headers.len()));
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => md_escape(t),
                    Cell::Num(n) => n.clone(),
                    Cell::Label(l) | Cell::Rated { label: l, .. } => (*l).to_owned(),
                    Cell::Blank => "____".to_owned(),
                })
                .collect();
            let _ = writeln!(self.out, "| {} |", cells.join(" | "));
        }
        self.out.push('\n');
    }

    fn key_values(&mut self, rows: &[(&str, String)]) {
        let _ = writeln!(self.out, "| | |\n|---|---|");
        for (key, value) in rows {
            let _ = writeln!(self.out, "| {key} | {} |", md_escape(value));
        }
        self.out.push('\n');
    }

    fn list(&mut self, items: &[Vec<Span<'_>>]) {
        for item in items {
            let _ = writeln!(self.out, "- {}", md_spans(item));
        }
        self.out.push('\n');
    }

    fn chart(&mut self, _title: &str, _bars: &[(String, u32)], _max: u32) {}

    fn finish(self) -> String {
        self.out
    }
}

/// Writes one self-contained HTML page: inline CSS, charts as inline SVG, print styles.
pub struct Html {
    out: String,
}

impl Html {
    /// Starts the page; `title` goes in the head.
    pub fn new(title: &str) -> Self {
        Self {
            out: format!(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
                esc(title)
            ),
        }
    }
}

fn html_spans(spans: &[Span<'_>]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => esc(t),
            Span::Owned(t) => esc(t),
            Span::Em(t) => format!("<em>{}</em>", esc(t)),
            Span::Strong(t) => format!("<strong>{}</strong>", esc(t)),
        })
        .collect()
}

impl Writer for Html {
    fn title(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h1>{}</h1>", esc(text));
    }

    fn section(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h2>{}</h2>", esc(text));
    }

    fn subsection(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h3>{}</h3>", esc(text));
    }

    fn group(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h4>{}</h4>", esc(text));
    }

    fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.out, "<p>{}</p>", esc(text));
    }

    fn figure(&mut self, text: &str) {
        let _ = writeln!(self.out, "<p class=\"total\">{}</p>", esc(text));
    }

    fn table(&mut self, headers: &[&str], rows: &[Vec<Cell<'_>>]) {
        self.out.push_str("<table><tr>");
        for header in headers {
            let _ = write!(self.out, "<th>{header}</th>");
        }
        self.out.push_str("</tr>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for cell in row {
                let _ = match cell {
                    Cell::Text(t) => write!(self.out, "<td>{}</td>", esc(t)),
                    Cell::Num(n) => write!(self.out, "<td class=\"num\">{n}</td>"),
                    Cell::Label(l) => write!(self.out, "<td>{l}</td>"),
                    Cell::Rated { label, class } => {
                        write!(self.out, "<td class=\"{class}\">{label}</td>")
                    }
                    Cell::Blank => write!(self.out, "<td class=\"due\"></td>"),
                };
            }
            self.out.push_str("</tr>\n");
        }
        let _ = writeln!(self.out, "</table>");
    }

    fn key_values(&mut self, rows: &[(&str, String)]) {
        let _ = writeln!(self.out, "<table class=\"kv\">");
        for (key, value) in rows {
            let _ = writeln!(self.out, "<tr><th>{key}</th><td>{}</td></tr>", esc(value));
        }
        let _ = writeln!(self.out, "</table>");
    }

    fn list(&mut self, items: &[Vec<Span<'_>>]) {
        let _ = writeln!(self.out, "<ul>");
        for item in items {
            let _ = writeln!(self.out, "<li>{}</li>", html_spans(item));
        }
        let _ = writeln!(self.out, "</ul>");
    }

    fn chart(&mut self, title: &str, bars: &[(String, u32)], max: u32) {
        self.out.push_str(&bar_chart(title, bars, max));
    }

    fn finish(mut self) -> String {
        let _ = writeln!(
            self.out,
            "<footer>Generated by Warroom.</footer>\n</body>\n</html>"
        );
        self.out
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as inline SVG.
fn bar_chart(title: &str, bars: &[(String, u32)], max: u32) -> String {
    const ROW: u32 = 26;
    const LABEL: u32 = 230;
    const WIDTH: u32 = 420;
    let height = ROW * bars.len() as u32 + 10;
    let mut o = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">\n",
        esc(title),
        LABEL + WIDTH + 50,
        LABEL + WIDTH + 50
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i as u32 * ROW + 5;
        let w = value.min(&max) * WIDTH / max.max(1);
        let color = if max == 100 {
            match value {
                85.. => "#2e7d32",
                60..85 => "#b26a00",
                _ => "#c62828",
            }
        } else {
            "#c62828"
        };
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\">{value}</text>",
            LABEL - 8,
            y + 16,
            esc(label),
            ROW - 8,
            LABEL + w + 6,
            y + 16
        );
    }
    o.push_str("</svg>\n");
    o
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{border-bottom:3px solid #1f4e8c;padding-bottom:.3rem}h2{color:#1f4e8c;margin-top:2rem;border-bottom:1px solid #ccd}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccd;padding:.3rem .5rem;vertical-align:top;text-align:left}\
th{background:#eef2f8}table.kv{width:auto}td.num{text-align:right}td.due{min-width:6rem}.good{color:#2e7d32}.fair{color:#b26a00}.poor{color:#c62828}\
.total{font-size:1.3rem;font-weight:bold}svg.chart{max-width:100%;height:auto;font-size:13px}footer{margin-top:2rem;color:#777;font-size:.85rem}\
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}tr,li,svg{break-inside:avoid}a{color:inherit}}";
