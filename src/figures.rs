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
use std::fmt::Write as _;

/// The world map table: `iso3 \t name \t shape|dot \t geometry`.
const WORLD: &str = include_str!("../assets/world-map.tsv");

/// Escapes text for HTML and SVG content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

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
pub fn stance_map(
    caption: &str,
    marks: &BTreeMap<String, Mark>,
    no_record: &BTreeMap<String, (String, String)>,
) -> String {
    let mut lines = WORLD.lines();
    let view = lines
        .by_ref()
        .find_map(|l| l.strip_prefix("# viewBox "))
        .unwrap_or("0 0 1000 433");
    let mut shapes = String::new();
    let mut dots = String::new();
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
            let mut xy = geometry.split_whitespace();
            let (x, y) = (xy.next().unwrap_or("0"), xy.next().unwrap_or("0"));
            let _ = write!(
                dots,
                "<circle class=\"{class}\" cx=\"{x}\" cy=\"{y}\" r=\"2.6\"><title>{}</title></circle>",
                esc(&title)
            );
        } else {
            let _ = write!(
                shapes,
                "<path class=\"{class}\" d=\"{}\"><title>{}</title></path>",
                esc(geometry),
                esc(&title)
            );
        }
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<figure><svg class=\"map\" viewBox=\"{view}\" role=\"img\" aria-label=\"{c}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{c}</title>{shapes}{dots}</svg>\
         <figcaption>{c}. Hover a state for its strongest evidence; the lists below say the same \
         in words. Map: Natural Earth (public domain), Equal Earth projection.</figcaption></figure>",
        c = esc(caption)
    );
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
    h.push_str("<ul class=\"legend\">");
    for s in Shade::all() {
        let n = by_shade.get(&s).map_or(0, Vec::len);
        if n == 0 && matches!(s, Shade::Contested) {
            continue;
        }
        let _ = write!(
            h,
            "<li><span class=\"key {}\"></span>{} ({n})</li>",
            s.class(),
            esc(s.label())
        );
    }
    h.push_str("</ul>");
    let not_drawn: Vec<&str> = marks
        .keys()
        .chain(no_record.keys())
        .map(String::as_str)
        .filter(|k| !drawn.contains(k))
        .collect();
    if !not_drawn.is_empty() {
        let _ = write!(
            h,
            "<p><small>Too small for the map's scale: {}.</small></p>",
            esc(&not_drawn.join(", "))
        );
    }
    h.push_str("<details><summary>The map in words</summary>");
    for s in Shade::all() {
        let Some(list) = by_shade.get_mut(&s) else {
            continue;
        };
        list.sort();
        let _ = write!(h, "<h4>{} ({})</h4><p>", esc(s.label()), list.len());
        let items: Vec<String> = list
            .iter()
            .map(|(name, href, note)| {
                if note.is_empty() {
                    format!("<a href=\"{}\">{}</a>", esc(href), esc(name))
                } else {
                    format!(
                        "<a href=\"{}\">{}</a> <small>({})</small>",
                        esc(href),
                        esc(name),
                        esc(note)
                    )
                }
            })
            .collect();
        h.push_str(&items.join("; "));
        h.push_str("</p>");
    }
    h.push_str("</details>");
    h
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

/// A step chart of the number of backers over time, with the largest steps named, and a table
/// of every step as its text equivalent.
pub fn backing_timeline(caption: &str, steps: &[Step]) -> String {
    let mut steps: Vec<&Step> = steps
        .iter()
        .filter(|s| year_fraction(&s.date).is_some())
        .collect();
    steps.sort_by(|a, b| a.date.cmp(&b.date));
    if steps.is_empty() {
        return "<p>No dated backing.</p>".into();
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
    let mut svg = String::new();
    // Grid and axes.
    let span = (last - first) as i64;
    let every = match span {
        0..=12 => 1,
        13..=30 => 2,
        _ => 5,
    };
    let mut year = first as i64;
    while year as f64 <= last {
        if (year - first as i64) % every == 0 {
            let xx = x(year as f64);
            let _ = write!(
                svg,
                "<line class=\"grid\" x1=\"{xx:.1}\" y1=\"{top}\" x2=\"{xx:.1}\" y2=\"{:.1}\"/>\
                 <text x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
                h - bottom,
                h - bottom + 16.0
            );
        }
        year += 1;
    }
    for frac in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let n = (total as f64 * frac).round();
        let yy = y(n);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{n}</text>",
            w - right,
            left - 6.0,
            yy + 4.0
        );
    }
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{b:.1}\" x2=\"{:.1}\" y2=\"{b:.1}\"/>\
         <line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b:.1}\"/>",
        w - right,
        b = h - bottom
    );
    // The step line, one marker per step with its tooltip.
    let mut d = format!("M{:.1},{:.1}", x(first), y(0.0));
    let mut count = 0usize;
    let mut markers = String::new();
    for s in &steps {
        let t = year_fraction(&s.date).unwrap_or(first);
        let _ = write!(d, " H{:.1}", x(t));
        count += s.added;
        let _ = write!(d, " V{:.1}", y(count as f64));
        let _ = write!(
            markers,
            "<circle class=\"step\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\"><title>{}: +{} (total {count}){}</title></circle>",
            x(t),
            y(count as f64),
            if s.added >= 10 { 3.5 } else { 2.2 },
            esc(&s.date),
            s.added,
            esc(&if s.via.is_empty() {
                String::new()
            } else {
                format!(" — {}", s.via.join("; "))
            })
        );
    }
    let _ = write!(d, " H{:.1}", x(last));
    let _ = write!(svg, "<path class=\"line\" d=\"{d}\"/>{markers}");
    // Name the largest steps on the chart itself (at most five).
    let mut largest: Vec<&&Step> = steps.iter().filter(|s| s.added >= 5).collect();
    largest.sort_by(|a, b| b.added.cmp(&a.added).then_with(|| a.date.cmp(&b.date)));
    let mut running = BTreeMap::new();
    let mut c = 0usize;
    for s in &steps {
        c += s.added;
        running.insert(s.date.as_str(), c);
    }
    for s in largest.iter().take(5) {
        let t = year_fraction(&s.date).unwrap_or(first);
        let n = running.get(s.date.as_str()).copied().unwrap_or(0);
        let anchor = if x(t) > w * 0.7 { "end" } else { "start" };
        let dx = if anchor == "end" { -6.0 } else { 6.0 };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{} +{}</text>",
            x(t) + dx,
            y(n as f64) + 12.0,
            esc(&s.date),
            s.added
        );
    }
    let mut out = format!(
        "<figure><svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{c}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{c}</title>{svg}</svg>\
         <figcaption>{c}: each actor counted from the date it first backs the norm (its \
         \"since\"). The table below lists every step.</figcaption></figure>",
        c = esc(caption)
    );
    out.push_str(
        "<details><summary>The chart in words</summary><table class=\"rows\"><thead><tr>\
         <th>Date</th><th>Actors who began to back it</th><th>Total</th>\
         <th>Acts that began it (instrument, actors)</th></tr></thead><tbody>",
    );
    let mut c = 0usize;
    for s in &steps {
        c += s.added;
        let _ = write!(
            out,
            "<tr><td>{}</td><td>+{}</td><td>{c}</td><td>{}</td></tr>",
            esc(&s.date),
            s.added,
            esc(&s.via.join("; "))
        );
    }
    out.push_str("</tbody></table></details>");
    out
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
        let svg = stance_map("Who backs it", &marks, &none);
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
        let svg = backing_timeline("Backers", &steps);
        assert!(svg.contains("<td>2013</td><td>+15</td><td>15</td>"));
        assert!(svg.contains("<td>2015-12-23</td><td>+193</td><td>208</td>"));
        assert!(svg.contains("2015-12-23 +193"));
    }
}
