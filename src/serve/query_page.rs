//! The query page (`/`): the static `query.html` with the query library and prefixes embedded, its
//! Content-Security-Policy (the page's own script allowed by its hash), and the library as JSON
//! (`/queries`).

use std::collections::HashMap;

use crate::query::NamedQuery;
use crate::vocab;

/// The named queries as JSON: name, description, parameters (with example values), returns, text.
pub fn queries_json(queries: &[NamedQuery]) -> String {
    let list: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| {
            let examples: HashMap<&str, &str> = q
                .examples
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            serde_json::json!({
                "name": q.name,
                "description": q.description,
                "params": q.params.iter().map(|p| serde_json::json!({
                    "name": p.name,
                    "doc": p.doc,
                    "example": examples.get(p.name.as_str()).copied().unwrap_or_default(),
                })).collect::<Vec<_>>(),
                "returns": q.returns,
                "text": q.text,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The query page with the library and the prefixes embedded (a JSON island in a script tag).
pub fn query_page(queries: &[NamedQuery], writable: bool) -> String {
    let prefixes: Vec<(&str, &str)> = vocab::PREFIXES.to_vec();
    let data = serde_json::json!({
        "queries": serde_json::from_str::<serde_json::Value>(&queries_json(queries))
            .unwrap_or_default(),
        "prefixes": prefixes,
        "writable": writable,
    })
    .to_string()
    // Inside <script>: `<` only occurs in JSON strings, where \u003c means the same.
    .replace('<', "\\u003c");
    include_str!("query.html").replace("/*__NORMGRAPH_DATA__*/null", &data)
}

/// The `Content-Security-Policy` of every HTML answer: nothing from elsewhere, no frames, and no
/// script but the query page's own (allowed by its SHA-256, so an injected script never runs).
pub fn content_security_policy() -> &'static str {
    static CSP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSP.get_or_init(|| {
        use sha2::Digest as _;
        let page = include_str!("query.html");
        let script = page
            .split("<script>")
            .nth(1)
            .and_then(|s| s.split("</script>").next())
            .unwrap_or_default();
        let hash = base64(&sha2::Sha256::digest(script.as_bytes()));
        format!(
            "default-src 'self'; script-src 'sha256-{hash}'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
             form-action 'self'"
        )
    })
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        // RFC 4648 §10.
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want, "{input:?}");
        }
    }
}
