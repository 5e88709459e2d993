//! Figures drawn as SVG on the server (no JavaScript, offline, printable): a world map of states
//! by stance and a step chart of backing over time. Every figure comes with its text equivalent.
//!
//! The map's shapes are Natural Earth 1:110m admin-0 countries (public domain) through the
//! `world-atlas` 2.0.2 TopoJSON (ISC licence), projected with Equal Earth by
//! `scripts/world_map.py` into `assets/world-map.tsv`; states too small for that scale are dots at
//! their 1:50m centroid. Colours: a ColorBrewer sequential blue for the five levels of obligation
//! of a backing, Okabe-Ito vermillion and yellow for opposition and abstention, greys for no
//! record, all distinguishable by the common forms of colour blindness.

use std::collections::BTreeMap;

use maud::{html, Markup};

/// The world map table: `iso3 \t name \t shape|dot \t geometry`.
const WORLD: &str = include_str!("../assets/world-map.tsv");

/// A state's colour on a stance map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shade {
    /// Backs it; the obligation rank of its strongest evidence (5 = bound by treaty ... 1 = statement).
    Backs(u8),
    /// Opposes it (a vote against its paragraph, a dissociation, an objection...).
    Opposes,
    /// Backs and opposes it (both on record).
    Contested,
    /// Abstained on the paragraph that states it.
    Abstains,
    /// A state of the graph with no record on it.
    NoRecord,
}

impl Shade {
    /// The CSS class of the colour.
    pub fn class(self) -> &'static str {
        match self {
            Shade::Backs(5) => "b5",
            Shade::Backs(4) => "b4",
            Shade::Backs(3) => "b3",
            Shade::Backs(2) => "b2",
            Shade::Backs(_) => "b1",
            Shade::Opposes => "op",
            Shade::Contested => "co",
            Shade::Abstains => "ab",
            Shade::NoRecord => "nr",
        }
    }

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            Shade::Backs(5) => "backs: bound by treaty",
            Shade::Backs(4) => "backs: signatory",
            Shade::Backs(3) => "backs: intergovernmental text (vote, consensus, sponsorship)",
            Shade::Backs(2) => "backs: political declaration",
            Shade::Backs(_) => "backs: statement only",
            Shade::Opposes => "opposes",
            Shade::Contested => "backs and opposes (both on record)",
            Shade::Abstains => "abstained on its paragraph",
            Shade::NoRecord => "no record",
        }
    }

    /// Every colour, in the legend's order.
    pub fn all() -> [Shade; 9] {
        [
            Shade::Backs(5),
            Shade::Backs(4),
            Shade::Backs(3),
            Shade::Backs(2),
            Shade::Backs(1),
            Shade::Opposes,
            Shade::Contested,
            Shade::Abstains,
            Shade::NoRecord,
        ]
    }
}

/// CSS of the figures (embedded in the pages' style sheet).
pub const CSS: &str = ".map{width:100%;height:auto;background:#fff}.map path,.map circle{stroke:#fff;stroke-width:.4}\
.map .b5{fill:#08519c}.map .b4{fill:#3182bd}.map .b3{fill:#6baed6}.map .b2{fill:#9ecae1}.map .b1{fill:#c6dbef}\
.map .op{fill:#d55e00}.map .co{fill:#cc79a7}.map .ab{fill:#f0e442}.map .nr{fill:#dcdcdc}.map .na{fill:#f4f4f4}\
.map circle{stroke:#333;stroke-width:.5}.key{display:inline-block;width:.9em;height:.9em;border:1px solid #999;\
vertical-align:-.1em;margin-right:.3em}.key.b5{background:#08519c}.key.b4{background:#3182bd}.key.b3{background:#6baed6}\
.key.b2{background:#9ecae1}.key.b1{background:#c6dbef}.key.op{background:#d55e00}.key.co{background:#cc79a7}\
.key.ab{background:#f0e442}.key.nr{background:#dcdcdc}ul.legend{list-style:none;padding:0;columns:2}\
.chart{width:100%;height:auto}.chart .line{fill:none;stroke:#08519c;stroke-width:2}.chart .axis{stroke:#555;stroke-width:1}\
.chart text{font-size:11px;fill:#333}.compare td.cell{white-space:nowrap;font-size:.85rem}\
.compare td.b5,.compare td.b4{background:#08519c;color:#fff}.compare td.b4{background:#3182bd}\
.compare td.b5 a,.compare td.b4 a{color:#fff}.compare td.b3{background:#6baed6}.compare td.b2{background:#9ecae1}\
.compare td.b1{background:#c6dbef}.compare td.op{background:#d55e00;color:#fff}.compare td.op a{color:#fff}\
.compare td.co{background:#cc79a7}.compare td.ab{background:#f0e442}.compare td.none{color:#999;text-align:center}.chart .grid{stroke:#e4e4e4}.chart .step{fill:#08519c}";

/// One state on a map: its colour, and what the tooltip and the text equivalent say.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The colour.
    pub shade: Shade,
    /// One line: the state's strongest evidence (status, instrument, date).
    pub note: String,
    /// Link to the state's page.
    pub href: String,
    /// The state's name.
    pub name: String,
}

/// A world map of `marks` (ISO 3166-1 alpha-3 → mark), with its legend and a text equivalent
/// (the states of each colour, as lists). States of the graph absent from `marks` are
/// `no_record` (name and link by ISO code).
/// `abstains` names the abstention colour (`None`: "abstained on its paragraph").
pub fn stance_map(
    caption: &str,
    marks: &BTreeMap<String, Mark>,
    no_record: &BTreeMap<String, (String, String)>,
    abstains: Option<&str>,
) -> Markup {
    let label = |s: Shade| match (s, abstains) {
        (Shade::Abstains, Some(words)) => words,
        _ => s.label(),
    };
    let mut lines = WORLD.lines();
    let view = lines
        .by_ref()
        .find_map(|l| l.strip_prefix("# viewBox "))
        .unwrap_or("0 0 1000 433");
    // (class, title, shape or dot geometry) of every state drawn; shapes before dots.
    let mut shapes = Vec::new();
    let mut dots = Vec::new();
    let mut drawn = std::collections::BTreeSet::new();
    for line in lines {
        if line.starts_with('#') || line.starts_with("iso3\t") {
            continue;
        }
        let mut cols = line.splitn(4, '\t');
        let (Some(iso), Some(name), Some(kind), Some(geometry)) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let (class, title) = match (marks.get(iso), no_record.get(iso)) {
            (Some(m), _) => (m.shade.class(), format!("{}: {}", m.name, m.note)),
            (None, Some((n, _))) => ("nr", format!("{n}: no record")),
            (None, None) => ("na", format!("{name} (not a state of the graph)")),
        };
        drawn.insert(iso);
        if kind == "dot" {
            dots.push((class, title, geometry));
        } else {
            shapes.push((class, title, geometry));
        }
    }
    // Legend with counts, then the text equivalent.
    let mut by_shade: BTreeMap<Shade, Vec<(&str, &str, &str)>> = BTreeMap::new();
    for m in marks.values() {
        by_shade.entry(m.shade).or_default().push((
            m.name.as_str(),
            m.href.as_str(),
            m.note.as_str(),
        ));
    }
    for (n, href) in no_record.values() {
        by_shade
            .entry(Shade::NoRecord)
            .or_default()
            .push((n.as_str(), href.as_str(), ""));
    }
    for list in by_shade.values_mut() {
        list.sort();
    }
    let not_drawn: Vec<&str> = marks
        .keys()
        .chain(no_record.keys())
        .map(String::as_str)
        .filter(|k| !drawn.contains(k))
        .collect();
    html! {
        figure {
            svg class="map" viewBox=(view) role="img" aria-label=(caption) xmlns="http://www.w3.org/2000/svg" {
                title { (caption) }
                @for (class, title, d) in &shapes {
                    path class=(class) d=(d) { title { (title) } }
                }
                @for (class, title, xy) in &dots {
                    @let mut xy = xy.split_whitespace();
                    circle class=(class) cx=(xy.next().unwrap_or("0")) cy=(xy.next().unwrap_or("0")) r="2.6" {
                        title { (title) }
                    }
                }
            }
            figcaption {
                (caption) ". Hover a state for its strongest evidence; the lists below say the same \
                in words. Map: Natural Earth (public domain), Equal Earth projection."
            }
        }
        ul.legend {
            @for s in Shade::all() {
                @let n = by_shade.get(&s).map_or(0, Vec::len);
                @if n > 0 || !matches!(s, Shade::Contested) {
                    li { span class={ "key " (s.class()) } {} (label(s)) " (" (n) ")" }
                }
            }
        }
        @if !not_drawn.is_empty() {
            p { small { "Too small for the map's scale: " (not_drawn.join(", ")) "." } }
        }
        details {
            summary { "The map in words" }
            @for s in Shade::all() {
                @if let Some(list) = by_shade.get(&s) {
                    h4 { (label(s)) " (" (list.len()) ")" }
                    p {
                        @for (i, (name, href, note)) in list.iter().enumerate() {
                            @if i > 0 { "; " }
                            a href=(href) { (name) }
                            @if !note.is_empty() { " " small { "(" (note) ")" } }
                        }
                    }
                }
            }
        }
    }
}

/// One date on which backing grew: how many actors began to back the norm that day, and the
/// instruments of the acts that began it.
#[derive(Debug, Clone)]
pub struct Step {
    /// `YYYY-MM-DD` (or `YYYY`, `YYYY-MM`).
    pub date: String,
    /// Actors whose backing begins on that date.
    pub added: usize,
    /// What their strongest evidence is (labels of instruments, most frequent first).
    pub via: Vec<String>,
}

fn year_fraction(date: &str) -> Option<f64> {
    let mut parts = date.split('-');
    let y: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(1.0);
    let d: f64 = parts
        .next()
        .and_then(|d| d.get(..2))
        .and_then(|d| d.parse().ok())
        .unwrap_or(1.0);
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}

/// What a step chart counts, in the words of its caption and of its table's second column.
#[derive(Debug, Clone, Copy)]
pub struct Counted<'a> {
    /// How each step is counted: "each actor counted from the date it first backs the norm".
    pub from: &'a str,
    /// The table's column of each step's count: "Actors who began to back it".
    pub column: &'a str,
}

/// A norm's backers over time.
pub const BACKERS: Counted<'static> = Counted {
    from: "each actor counted from the date it first backs the norm",
    column: "Actors who began to back it",
};

/// A step chart of the number of backers over time, with the largest steps named, and a table
/// of every step as its text equivalent.
pub fn backing_timeline(caption: &str, steps: &[Step], counted: Counted<'_>) -> Markup {
    let mut steps: Vec<&Step> = steps
        .iter()
        .filter(|s| year_fraction(&s.date).is_some())
        .collect();
    steps.sort_by(|a, b| a.date.cmp(&b.date));
    if steps.is_empty() {
        return html! { p { "No dated backing." } };
    }
    let (w, h, left, right, top, bottom) = (1000.0, 260.0, 48.0, 16.0, 14.0, 28.0);
    let first = year_fraction(&steps[0].date).unwrap_or(2000.0).floor();
    let last = steps
        .iter()
        .filter_map(|s| year_fraction(&s.date))
        .fold(first, f64::max)
        .floor()
        + 1.0;
    let total: usize = steps.iter().map(|s| s.added).sum();
    let x = |t: f64| left + (t - first) / (last - first).max(1.0) * (w - left - right);
    let y = |n: f64| top + (1.0 - n / (total.max(1) as f64)) * (h - top - bottom);
    let one = |v: f64| format!("{v:.1}");
    // The years with a grid line.
    let span = (last - first) as i64;
    let every = match span {
        0..=12 => 1,
        13..=30 => 2,
        _ => 5,
    };
    let years: Vec<i64> = (first as i64..=last as i64)
        .filter(|year| (year - first as i64) % every == 0)
        .collect();
    // The step line, and each step's marker with its running total.
    let mut d = format!("M{:.1},{:.1}", x(first), y(0.0));
    let mut count = 0usize;
    let mut totals = Vec::with_capacity(steps.len());
    for s in &steps {
        let t = year_fraction(&s.date).unwrap_or(first);
        count += s.added;
        d.push_str(&format!(" H{:.1} V{:.1}", x(t), y(count as f64)));
        totals.push((t, count));
    }
    d.push_str(&format!(" H{:.1}", x(last)));
    // Name the largest steps on the chart itself (at most five).
    let mut largest: Vec<(usize, &&Step)> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.added >= 5)
        .collect();
    largest.sort_by(|(_, a), (_, b)| b.added.cmp(&a.added).then_with(|| a.date.cmp(&b.date)));
    largest.truncate(5);
    let b = h - bottom;
    html! {
        figure {
            svg class="chart" viewBox={ "0 0 " (w) " " (h) } role="img" aria-label=(caption) xmlns="http://www.w3.org/2000/svg" {
                title { (caption) }
                @for year in &years {
                    @let xx = one(x(*year as f64));
                    line class="grid" x1=(xx) y1=(top) x2=(xx) y2=(one(b)) {}
                    text x=(xx) y=(one(b + 16.0)) text-anchor="middle" { (year) }
                }
                @for frac in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    @let n = (total as f64 * frac).round();
                    @let yy = y(n);
                    line class="grid" x1=(left) y1=(one(yy)) x2=(one(w - right)) y2=(one(yy)) {}
                    text x=(one(left - 6.0)) y=(one(yy + 4.0)) text-anchor="end" { (n) }
                }
                line class="axis" x1=(left) y1=(one(b)) x2=(one(w - right)) y2=(one(b)) {}
                line class="axis" x1=(left) y1=(top) x2=(left) y2=(one(b)) {}
                path class="line" d=(d) {}
                @for (s, (t, total)) in steps.iter().zip(&totals) {
                    circle class="step" cx=(one(x(*t))) cy=(one(y(*total as f64)))
                        r=(one(if s.added >= 10 { 3.5 } else { 2.2 })) {
                        title {
                            (s.date) ": +" (s.added) " (total " (total) ")"
                            @if !s.via.is_empty() { " — " (s.via.join("; ")) }
                        }
                    }
                }
                @for (i, s) in &largest {
                    @let (t, n) = totals[*i];
                    @let anchor = if x(t) > w * 0.7 { "end" } else { "start" };
                    @let dx = if anchor == "end" { -6.0 } else { 6.0 };
                    text x=(one(x(t) + dx)) y=(one(y(n as f64) + 12.0)) text-anchor=(anchor) {
                        (s.date) " +" (s.added)
                    }
                }
            }
            figcaption {
                (caption) ": " (counted.from) " (its \"since\"). The table below lists every step."
            }
        }
        details {
            summary { "The chart in words" }
            table.rows {
                thead { tr {
                    th { "Date" } th { (counted.column) } th { "Total" }
                    th { "Acts that began it (instrument, actors)" }
                } }
                tbody {
                    @for (s, (_, total)) in steps.iter().zip(&totals) {
                        tr {
                            td { (s.date) } td { "+" (s.added) } td { (total) }
                            td { (s.via.join("; ")) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_un_member_is_on_the_map_but_tuvalu() {
        // The table holds 173 shapes and 28 dots (scripts/world_map.py); Tuvalu is in neither
        // Natural Earth file.
        let isos: Vec<&str> = WORLD
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("iso3\t"))
            .filter_map(|l| l.split('\t').next())
            .collect();
        assert_eq!(isos.len(), 201);
        for iso in ["CHN", "USA", "RUS", "BRA", "SGP", "MLT", "VAT"] {
            assert!(isos.contains(&iso), "{iso}");
        }
        assert!(!isos.contains(&"TUV"));
    }

    #[test]
    fn map_marks_states_by_shade_and_escapes_notes() {
        let mut marks = BTreeMap::new();
        marks.insert(
            "CHN".to_owned(),
            Mark {
                shade: Shade::Backs(3),
                note: "voted for <A/RES/73/27>".into(),
                href: "/id/state/CHN".into(),
                name: "China".into(),
            },
        );
        let mut none = BTreeMap::new();
        none.insert(
            "USA".to_owned(),
            ("United States".to_owned(), "/id/state/USA".to_owned()),
        );
        let svg = stance_map("Who backs it", &marks, &none, None).into_string();
        assert!(svg.contains("class=\"b3\""));
        assert!(svg.contains("China: voted for &lt;A/RES/73/27&gt;"));
        assert!(svg.contains("United States: no record"));
        assert!(svg.contains("backs: intergovernmental text (vote, consensus, sponsorship) (1)"));
        assert!(!svg.contains("<A/RES"));
    }

    #[test]
    fn timeline_counts_up_to_the_total() {
        let steps = vec![
            Step {
                date: "2015-12-23".into(),
                added: 193,
                via: vec!["A/RES/70/237".into()],
            },
            Step {
                date: "2013".into(),
                added: 15,
                via: vec![],
            },
        ];
        let svg = backing_timeline("Backers", &steps, BACKERS).into_string();
        assert!(svg.contains("<td>2013</td><td>+15</td><td>15</td>"));
        assert!(svg.contains("<td>2015-12-23</td><td>+193</td><td>208</td>"));
        assert!(svg.contains("2015-12-23 +193"));
    }
}
