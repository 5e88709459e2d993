//! Lexical forms of literals: whether a literal is well-formed for its XSD datatype
//! (`sh:datatype` reports an ill-typed literal, e.g. `"2024-13-01"^^xsd:date`).

use oxigraph::model::Literal;

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn decimal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    match s.split_once('.') {
        Some((a, b)) => {
            (digits(a) || a.is_empty())
                && (digits(b) || b.is_empty())
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(s),
    }
}

fn double(s: &str) -> bool {
    if matches!(s, "INF" | "+INF" | "-INF" | "NaN") {
        return true;
    }
    match s.split_once(['e', 'E']) {
        Some((m, e)) => decimal(m) && digits(e.strip_prefix(['+', '-']).unwrap_or(e)),
        None => decimal(s),
    }
}

/// `YYYY-MM-DD` (year may be longer or negative).
fn date(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[0].len() >= 4
        && digits(parts[0])
        && parts[1].len() == 2
        && parts[1].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        && parts[2].len() == 2
        && parts[2].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn time(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 3
        && parts[0].len() == 2
        && parts[0].parse::<u8>().is_ok_and(|h| h <= 24)
        && parts[1].len() == 2
        && parts[1].parse::<u8>().is_ok_and(|m| m < 60)
        && parts[2]
            .get(..2)
            .is_some_and(|sec| digits(sec) && sec < "60")
        && (parts[2].len() == 2 || parts[2][2..].strip_prefix('.').is_some_and(digits))
}

/// Strips an optional timezone (`Z`, `+hh:mm`, `-hh:mm`) from the end of a date/time.
fn strip_timezone(s: &str) -> &str {
    if let Some(rest) = s.strip_suffix('Z') {
        return rest;
    }
    if s.len() > 6 {
        let (head, tz) = s.split_at(s.len() - 6);
        let b = tz.as_bytes();
        if (b[0] == b'+' || b[0] == b'-') && b[3] == b':' && digits(&tz[1..3]) && digits(&tz[4..]) {
            return head;
        }
    }
    s
}

/// True when a literal's lexical form is valid for its datatype (the XSD types SHACL tests use;
/// other datatypes are taken as well-formed).
pub(crate) fn well_formed(l: &Literal) -> bool {
    let Some(local) = l
        .datatype()
        .as_str()
        .strip_prefix("http://www.w3.org/2001/XMLSchema#")
    else {
        return l.datatype().as_str() != "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
            || l.language().is_some();
    };
    let v = l.value();
    let int_range = |min: i128, max: i128| {
        let body = v.strip_prefix(['+', '-']).unwrap_or(v);
        digits(body) && v.parse::<i128>().is_ok_and(|n| n >= min && n <= max)
    };
    let big = |sign_ok: fn(i128) -> bool| {
        let body = v.strip_prefix(['+', '-']).unwrap_or(v);
        digits(body)
            && v.parse::<i128>()
                .map_or(!v.starts_with('-') || sign_ok(-1), sign_ok)
    };
    match local {
        "boolean" => matches!(v, "true" | "false" | "1" | "0"),
        "decimal" => decimal(v),
        "integer" => big(|_| true),
        "nonNegativeInteger" => big(|n| n >= 0),
        "positiveInteger" => big(|n| n > 0),
        "nonPositiveInteger" => big(|n| n <= 0),
        "negativeInteger" => big(|n| n < 0),
        "long" => int_range(i64::MIN.into(), i64::MAX.into()),
        "int" => int_range(i32::MIN.into(), i32::MAX.into()),
        "short" => int_range(i16::MIN.into(), i16::MAX.into()),
        "byte" => int_range(i8::MIN.into(), i8::MAX.into()),
        "unsignedLong" => int_range(0, u64::MAX.into()),
        "unsignedInt" => int_range(0, u32::MAX.into()),
        "unsignedShort" => int_range(0, u16::MAX.into()),
        "unsignedByte" => int_range(0, u8::MAX.into()),
        "double" | "float" => double(v),
        // The shape of the text first, then the calendar (no 2023-02-31) by oxsdatatypes.
        "date" => date(strip_timezone(v)) && v.parse::<oxsdatatypes::Date>().is_ok(),
        "time" => time(strip_timezone(v)),
        "dateTime" | "dateTimeStamp" => {
            let v = strip_timezone(v);
            v.split_once('T').is_some_and(|(d, t)| date(d) && time(t))
                && (local == "dateTime" || v.len() < l.value().len())
                && l.value().parse::<oxsdatatypes::DateTime>().is_ok()
        }
        "gYear" => {
            let y = strip_timezone(v);
            let y = y.strip_prefix('-').unwrap_or(y);
            y.len() >= 4 && digits(y)
        }
        _ => true,
    }
}
