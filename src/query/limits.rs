//! Bounds on a SPARQL text before it is parsed (nesting, UNION branches, operators: each costs
//! stack), and parsing with the query's name in the error.

use super::*;

/// Deepest nesting of brackets (`( { [`) a query or update may have.
pub const MAX_NESTING: usize = 256;
/// Most `UNION` keywords a query or update may have.
pub const MAX_UNIONS: usize = 512;
/// Most binary operators (`|| && | / + - *`) a query or update may have.
pub const MAX_OPERATORS: usize = 4096;

/// Refuses a SPARQL text whose shape would exhaust the parser's or the evaluator's stack (they
/// recurse once per nesting level and per chained operator: 5,000 nested parentheses or a
/// 5,000-branch UNION overflow an 8 MiB stack and abort the process). A lexical scan, before any
/// parsing: strings, IRIs and comments are skipped. The limits are far above hand-written or
/// generated queries (the shipped ones nest at most 6 deep).
pub fn check_complexity(text: &str) -> std::result::Result<(), String> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max_depth, mut unions, mut operators) = (0, 0usize, 0usize, 0, 0);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let long = b[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" });
                i += if long { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == q
                        && (!long || b[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" }))
                    {
                        i += if long { 3 } else { 1 };
                        break;
                    }
                    if !long && b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'<' => {
                // An IRI reference runs to '>' without spaces or brackets; otherwise '<' is an operator.
                let end = b[i + 1..].iter().position(|&c| {
                    matches!(
                        c,
                        b'>' | b' ' | b'\n' | b'\t' | b'\r' | b'<' | b'{' | b'}' | b'"'
                    )
                });
                if let Some(n) = end {
                    if b[i + 1 + n] == b'>' {
                        i += n + 2;
                        continue;
                    }
                }
            }
            b'(' | b'{' | b'[' => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            b'|' | b'&' | b'/' | b'+' | b'-' | b'*' => operators += 1,
            b'U' | b'u' if b.len() >= i + 5 && b[i..i + 5].eq_ignore_ascii_case(b"UNION") => {
                let before = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
                let after = b
                    .get(i + 5)
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
                if before && after {
                    unions += 1;
                }
                i += 5;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if max_depth > MAX_NESTING {
        return Err(format!(
            "nested {max_depth} levels deep (brackets): the limit is {MAX_NESTING}"
        ));
    }
    if unions > MAX_UNIONS {
        return Err(format!(
            "{unions} UNION branches: the limit is {MAX_UNIONS} (use VALUES for long alternatives)"
        ));
    }
    if operators > MAX_OPERATORS {
        return Err(format!(
            "{operators} operators: the limit is {MAX_OPERATORS}"
        ));
    }
    Ok(())
}

/// Parses a query text, naming `name` in the error (with the parser's line and column).
pub fn parse(name: &str, text: &str) -> Result<spargebra::Query> {
    check_complexity(text).map_err(|message| Error::QuerySyntax {
        name: name.to_owned(),
        message,
    })?;
    spargebra::SparqlParser::new()
        .parse_query(text)
        .map_err(|e| Error::QuerySyntax {
            name: name.to_owned(),
            message: e.to_string(),
        })
}
