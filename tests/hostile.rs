//! The hostile-input corpus (tests/hostile/README.md): every case runs the real binary against one
//! store and must end with its expected exit code, a one-line message naming the cause, no panic
//! or abort, and — when it fails — the store exactly as before.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use normgraph::serve::{self, Config};
use normgraph::{Bundle, KnowledgeGraph};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Case {
    name: String,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    code: i32,
    pattern: String,
    /// A valid input that loads: run on a scratch copy of the store.
    scratch: bool,
}

fn case(name: &str, args: &[&str], code: i32, pattern: &str) -> Case {
    Case {
        name: name.to_owned(),
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        stdin: None,
        code,
        pattern: pattern.to_owned(),
        scratch: false,
    }
}

fn loads(name: &str, args: &[&str]) -> Case {
    Case {
        scratch: true,
        ..case(name, args, 0, "")
    }
}

/// A small bundle: the real ontology and queries, one data file.
fn small_bundle(dir: &Path) -> PathBuf {
    let b = dir.join("bundle");
    for d in ["ontology", "queries"] {
        copy_dir(&root().join(d), &b.join(d));
    }
    std::fs::create_dir_all(b.join("data")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/evidence/rules.ttl"),
        b.join("data/rules.ttl"),
    )
    .unwrap();
    b
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Every quad of the store, derived graph included, sorted, hashed.
fn store_hash(bundle: &Path, store: &Path) -> String {
    let kg = KnowledgeGraph::open(store, Bundle::new(bundle)).unwrap();
    let mut lines: Vec<String> = kg.store().iter().map(|q| q.unwrap().to_string()).collect();
    lines.sort();
    normgraph::digest::sha256_hex(lines.join("\n").as_bytes())
}

/// Valid samples of every format, with a line in the middle to cut at.
fn samples() -> Vec<(&'static str, String)> {
    let mut ttl = String::from("@prefix ex: <http://example.org/> .\n");
    let mut nt = String::new();
    let mut nq = String::new();
    let mut trig = String::from("@prefix ex: <http://example.org/> .\nex:g {\n");
    let mut rdf = String::from("<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"http://example.org/\">\n");
    let mut jsonld = String::from("[\n");
    for i in 0..40 {
        ttl.push_str(&format!(
            "ex:s{i} ex:p \"value number {i}\" ; ex:q ex:o{i} .\n"
        ));
        nt.push_str(&format!(
            "<http://example.org/s{i}> <http://example.org/p> \"value number {i}\" .\n"
        ));
        nq.push_str(&format!("<http://example.org/s{i}> <http://example.org/p> \"value number {i}\" <http://example.org/g> .\n"));
        trig.push_str(&format!("  ex:s{i} ex:p \"value number {i}\" .\n"));
        rdf.push_str(&format!("  <rdf:Description rdf:about=\"http://example.org/s{i}\"><ex:p>value number {i}</ex:p></rdf:Description>\n"));
        jsonld.push_str(&format!(
            "  {{\"@id\": \"http://example.org/s{i}\", \"http://example.org/p\": \"value number {i}\"}}{}\n",
            if i < 39 { "," } else { "" }
        ));
    }
    trig.push_str("}\n");
    rdf.push_str("</rdf:RDF>\n");
    jsonld.push_str("]\n");
    vec![
        ("ttl", ttl),
        ("nt", nt),
        ("nq", nq),
        ("trig", trig),
        ("rdf", rdf),
        ("jsonld", jsonld),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// A file written to `dir` that `load` must refuse (exit 2) with `pattern` in its one line.
fn refused_file(dir: &Path, name: &str, bytes: &[u8], pattern: &str) -> Case {
    let p = write(dir, name, bytes);
    case(name, &["load", &p], 2, pattern)
}

fn corpus(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    // 1. Truncated files, every format, cut inside a line at five places (30 cases).
    for (ext, text) in samples() {
        let lines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        for (k, frac) in [0.1, 0.3, 0.5, 0.7, 0.95].iter().enumerate() {
            let line_start = lines[((lines.len() as f64 * frac) as usize).min(lines.len() - 2)];
            let cut = line_start + 7;
            let name = format!("truncated-{k}.{ext}");
            let path = write(dir, &name, &text.as_bytes()[..cut]);
            cases.push(case(&name, &["load", &path], 2, &name));
        }
        // 2. Invalid UTF-8 inside a literal (6).
        let mut bad = text.clone().into_bytes();
        let at = text.find("value number 3").unwrap() + 6;
        bad.splice(at..at, [0xC3, 0x28]);
        let name = format!("bad-utf8.{ext}");
        let path = write(dir, &name, &bad);
        cases.push(case(&name, &["load", &path], 2, &name));
        // 3. A NUL byte inside an IRI (6).
        let nul = text.replacen("example.org/", "exam\u{0}ple.org/", 1);
        let name = format!("nul-in-iri.{ext}");
        let path = write(dir, &name, nul.as_bytes());
        cases.push(case(&name, &["load", &path], 2, &name));
    }
    // 4. Deep nesting.
    let depth = 100_000;
    let deep_ttl = format!(
        "@prefix ex: <http://example.org/> .\nex:s ex:p {}ex:o{} .\n",
        "[ ex:p ".repeat(depth),
        " ]".repeat(depth)
    );
    let p = write(dir, "deep-blank-nodes.ttl", deep_ttl.as_bytes());
    cases.push(loads("deep-blank-nodes.ttl", &["load", &p]));
    let deep_list = format!(
        "@prefix ex: <http://example.org/> .\nex:s ex:p {}ex:o{} .\n",
        "( ".repeat(depth),
        " )".repeat(depth)
    );
    let p = write(dir, "deep-collections.ttl", deep_list.as_bytes());
    cases.push(loads("deep-collections.ttl", &["load", &p]));
    let deep_json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let p = write(dir, "deep-arrays.jsonld", deep_json.as_bytes());
    cases.push(case(
        "deep-arrays.jsonld",
        &["load", &p],
        2,
        "deep-arrays.jsonld",
    ));
    // 5. XML entity expansion, external and parameter entities.
    let mut ents = vec!["<!ENTITY lol \"lol\">".to_owned()];
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        ents.push(format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let xml = |dtd: &str, value: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{dtd}\n]>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"http://example.org/\">\n<rdf:Description rdf:about=\"http://example.org/a\"><ex:p>{value}</ex:p></rdf:Description>\n</rdf:RDF>\n"
        )
    };
    cases.push(refused_file(
        dir,
        "billion-laughs.rdf",
        xml(&ents.join("\n"), "&lol9;").as_bytes(),
        "entities would expand",
    ));
    let big = "x".repeat(100_000);
    cases.push(refused_file(
        dir,
        "quadratic-blowup.rdf",
        xml(&format!("<!ENTITY a \"{big}\">"), &"&a;".repeat(1_000)).as_bytes(),
        "entities would expand",
    ));
    cases.push(refused_file(
        dir,
        "external-entity.rdf",
        xml("<!ENTITY x SYSTEM \"file:///etc/passwd\">", "&x;").as_bytes(),
        "external entities",
    ));
    cases.push(refused_file(
        dir,
        "parameter-entity.rdf",
        xml("<!ENTITY % x \"y\">", "z").as_bytes(),
        "parameter entities",
    ));
    let p = write(dir, "unclosed-root.rdf", b"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    cases.push(case("unclosed-root.rdf", &["load", &p], 2, "never closed"));
    // A 17 MiB literal: over the streaming parser's 16 MiB token buffer. Chosen by size the bulk
    // path gives way to the transactional one (loaded); asked for, it says why in one line.
    let huge = format!(
        "<http://example.org/s> <http://example.org/p> \"{}\" .\n",
        "a".repeat(17 << 20)
    );
    let p = write(dir, "huge-literal.nt", huge.as_bytes());
    cases.push(loads("huge-literal.nt", &["load", "--force", &p]));
    cases.push(case(
        "huge-literal.nt --bulk",
        &["load", "--bulk", &p],
        2,
        "longer than the 16 MiB",
    ));
    // RDF/XML nested 200k deep: the parser would take minutes (quadratic); refused at once.
    let deep_xml = format!(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"http://example.org/\"><rdf:Description rdf:about=\"http://example.org/s\">{}x{}</rdf:Description></rdf:RDF>\n",
        "<ex:p rdf:parseType=\"Resource\">".repeat(200_000),
        "</ex:p>".repeat(200_000)
    );
    let p = write(dir, "deep-nesting.rdf", deep_xml.as_bytes());
    cases.push(case(
        "deep-nesting.rdf",
        &["load", &p],
        2,
        "nested deeper than 4096 levels",
    ));
    // 6. A remote JSON-LD context: nothing is fetched.
    cases.push(refused_file(
        dir,
        "remote-context.jsonld",
        br#"{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a", "name": "x"}"#,
        "remote-context.jsonld",
    ));
    // 7. Paths: missing, dangling symlink, unknown format, a store that is a file.
    let missing = dir.join("no-such-file.ttl").display().to_string();
    cases.push(case(
        "missing file",
        &["load", &missing],
        2,
        "no-such-file.ttl",
    ));
    let dangling = dir.join("dangling.ttl");
    std::os::unix::fs::symlink(dir.join("nowhere.ttl"), &dangling).unwrap();
    cases.push(case(
        "dangling symlink",
        &["load", &dangling.display().to_string()],
        2,
        "leads nowhere",
    ));
    let p = write(dir, "notes.docx", b"not rdf");
    cases.push(case("unknown extension", &["load", &p], 2, "notes.docx"));
    // 8. Bad SPARQL on standard input (15).
    let deep_parens = format!(
        "SELECT * WHERE {{ ?s ?p ?o FILTER({}1{}) }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let union = format!(
        "SELECT * WHERE {{ {} }}",
        vec!["{ ?s ?p ?o }"; 20_000].join(" UNION ")
    );
    let braces = format!(
        "SELECT * WHERE {} ?s ?p ?o {}",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    let pluses = format!(
        "SELECT * WHERE {{ ?s ?p ?o FILTER(1{} > 0) }}",
        "+1".repeat(20_000)
    );
    for (name, text, pattern) in [
        (
            "unclosed brace",
            "SELECT * WHERE { ?s ?p ?o".to_owned(),
            "error",
        ),
        (
            "unknown prefix",
            "SELECT * WHERE { ?s nope:p ?o }".to_owned(),
            "Prefix not found",
        ),
        (
            "bad IRI",
            "SELECT * WHERE { ?s <http://a b> ?o }".to_owned(),
            "error",
        ),
        ("update as query", "DROP ALL".to_owned(), "error"),
        ("empty text", String::new(), "error"),
        (
            "binary garbage",
            "\u{1}\u{2}\u{3}SELECT".to_owned(),
            "error",
        ),
        ("5000 nested parentheses", deep_parens, "nested 5002 levels"),
        ("20000-branch UNION", union, "UNION branches"),
        ("100000 nested groups", braces, "nested 100000 levels"),
        ("20000 chained additions", pluses, "operators"),
        (
            "SERVICE to a file",
            "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }".to_owned(),
            "refused",
        ),
        (
            "SERVICE off the allowlist",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }".to_owned(),
            "refused",
        ),
        (
            "LOAD in a query",
            "LOAD <http://example.org/x>".to_owned(),
            "error",
        ),
        (
            "huge OFFSET",
            "SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999".to_owned(),
            "error",
        ),
        (
            "unterminated string",
            "SELECT * WHERE { ?s ?p \"abc }".to_owned(),
            "error",
        ),
    ] {
        cases.push(Case {
            name: format!("query: {name}"),
            args: vec!["query".into(), "-".into()],
            stdin: Some(text.into_bytes()),
            code: 2,
            pattern: pattern.to_owned(),
            scratch: false,
        });
    }
    // 9. Injection attempts in parameters (6).
    for (name, value) in [
        ("close the IRI and drop", "norm=<x> } ; DROP ALL ; {"),
        (
            "break out of a prefixed name",
            "norm=norm:x> . ?s ?p ?o . <y",
        ),
        ("literal with a filter", "norm=\"a\" . FILTER(true)"),
        ("empty value", "norm= "),
        ("unknown prefix", "norm=evil:x"),
        (
            "IRI with a space",
            "norm=https://w3id.org/normgraph/id/norm/x y",
        ),
    ] {
        cases.push(case(
            &format!("param: {name}"),
            &["query", "who-backs-norm", "--param", value],
            2,
            "norm",
        ));
    }
    cases.push(case(
        "param: missing",
        &["query", "who-backs-norm"],
        2,
        "missing --param norm",
    ));
    cases.push(case(
        "param: repeated",
        &[
            "query",
            "who-backs-norm",
            "-p",
            "norm=norm:x-n1",
            "-p",
            "norm=norm:x-n2",
        ],
        2,
        "given 2 times",
    ));
    cases.push(case(
        "param: undeclared",
        &[
            "query",
            "who-backs-norm",
            "-p",
            "norm=norm:x-n1",
            "-p",
            "evil=1",
        ],
        2,
        "evil",
    ));
    cases.push(case(
        "unknown query",
        &["query", "no-such-query"],
        2,
        "no-such-query",
    ));
    cases.push(case(
        "unknown format",
        &["query", "contested-norms", "-f", "docx"],
        2,
        "docx",
    ));
    // 10. Cyclic shapes (4).
    let data = write(
        dir,
        "one.ttl",
        b"<http://example.org/a> a <http://example.org/C> .\n",
    );
    for f in [
        "cyclic-list",
        "cyclic-inverse",
        "cyclic-star",
        "cyclic-alternative",
    ] {
        let shapes = root()
            .join(format!("tests/hostile/{f}.ttl"))
            .display()
            .to_string();
        cases.push(case(
            f,
            &["validate", "--shapes", &shapes, &data],
            2,
            "cyclic SHACL path",
        ));
    }
    // 11. Numeric flags out of range (6).
    let nt = dir.join("truncated-0.nt").display().to_string();
    cases.push(case(
        "--max-memory huge",
        &[
            "load",
            "--bulk",
            "--max-memory",
            "18446744073709551615",
            &nt,
        ],
        2,
        "max-memory",
    ));
    cases.push(case(
        "--max-memory zero",
        &["load", "--bulk", "--max-memory", "0", &nt],
        2,
        "max-memory",
    ));
    cases.push(case(
        "--max-bytes huge",
        &["load", "--max-bytes", "18446744073709551615", &nt],
        2,
        "max-bytes",
    ));
    cases.push(case(
        "--http-timeout zero",
        &["load", "--http-timeout", "0", &nt],
        2,
        "http-timeout",
    ));
    cases.push(case(
        "serve --timeout 1e300",
        &["serve", "--timeout", "1e300"],
        2,
        "timeout",
    ));
    cases.push(case(
        "serve --timeout=-1",
        &["serve", "--timeout=-1"],
        2,
        "timeout",
    ));
    // A base URL that would put invalid IRIs into /void and every link.
    cases.push(case(
        "serve --base with a space",
        &["serve", "--bind", "127.0.0.1:0", "--base", "http://a b/"],
        2,
        "not an absolute http(s) IRI",
    ));
    cases.push(case(
        "serve --base not http",
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--base",
            "ftp://example.org/",
        ],
        2,
        "not an absolute http(s) IRI",
    ));
    // 12. Verbs beyond load and query (11): each bad argument named, nothing written.
    cases.push(case(
        "validate a missing file",
        &["validate", &dir.join("absent.ttl").display().to_string()],
        2,
        "absent.ttl: no such file or folder",
    ));
    cases.push(case(
        "query --timeout 0",
        &["query", "contested-norms", "--timeout", "0"],
        2,
        "timeout",
    ));
    cases.push(case(
        "query --timeout 1e300",
        &["query", "contested-norms", "--timeout", "1e300"],
        2,
        "timeout",
    ));
    cases.push(Case {
        stdin: Some(
            b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }".to_vec(),
        ),
        ..case(
            "query --timeout on a cartesian product",
            &["query", "-", "--timeout", "1"],
            2,
            "did not finish within the time limit of 1 s",
        )
    });
    cases.push(case(
        "unload a graph never loaded",
        &["unload", "<http://example.org/never>"],
        2,
        "is not the graph of a loaded file",
    ));
    let bundled = dir
        .parent()
        .unwrap()
        .join("bundle/data/rules.ttl")
        .display()
        .to_string();
    cases.push(case(
        "unload a bundled file",
        &["unload", &bundled],
        2,
        "bundled data",
    ));
    cases.push(case(
        "describe an unknown IRI",
        &["describe", "<http://example.org/nothing>"],
        2,
        "says nothing about",
    ));
    cases.push(case(
        "compare: injection in an actor",
        &["compare", "state:CHN> } ; DROP ALL #", "state:USA"],
        2,
        "does not expand to a valid IRI",
    ));
    cases.push(case(
        "search: unknown kind",
        &["search", "--kind", "spaceship", "china"],
        2,
        "unknown kind",
    ));
    cases.push(case(
        "export: unknown format",
        &["export", "-f", "docx"],
        2,
        "invalid value 'docx' for '--format <FORMAT>'",
    ));
    cases.push(case(
        "timeline: unknown norm",
        &["timeline", "norm:nothing-here"],
        2,
        "appears in no triple",
    ));
    cases
}

/// An error line names each cause once ("cannot read F: no such file or folder", not the cause
/// twice, as the causes' chain printed it).
fn repeats_a_cause(line: &str) -> bool {
    let parts: Vec<&str> = line.split(": ").map(str::trim).collect();
    parts.windows(2).any(|w| w[0] == w[1] && w[0].len() > 3)
}

#[test]
fn a_store_path_that_is_a_file_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("store");
    std::fs::write(&file, b"not a store").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
        .arg("--store")
        .arg(&file)
        .arg("stats")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("it is a file, not a store folder"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"not a store");
}

#[test]
fn every_hostile_input_gets_a_clear_error_and_leaves_the_store_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = small_bundle(tmp.path());
    let store = tmp.path().join("store");
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let cases = corpus(&inputs);
    let bin = env!("CARGO_BIN_EXE_normgraph");
    let scratch = tmp.path().join("scratch");
    let run_on = |store: &Path, args: &[String], stdin: Option<&[u8]>| {
        let mut child = Command::new(bin)
            .arg("--home")
            .arg(&bundle)
            .arg("--store")
            .arg(store)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            let _ = input.write_all(bytes);
        }
        drop(input);
        child.wait_with_output().unwrap()
    };
    let run = |args: &[String], stdin: Option<&[u8]>| run_on(&store, args, stdin);
    // Build the store (bundle + rules), then take its fingerprint.
    let out = run(&["stats".to_owned()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = store_hash(&bundle, &store);
    let mut failures = Vec::new();
    let mut outcomes = (0, 0, 0); // as expected, panics or aborts, stores changed
    for c in &cases {
        if c.scratch {
            // A valid input: it must load (no crash, exit 0) into a copy of the store.
            let _ = std::fs::remove_dir_all(&scratch);
            copy_dir(&store, &scratch);
            let out = run_on(&scratch, &c.args, c.stdin.as_deref());
            if out.status.code() == Some(c.code) {
                outcomes.0 += 1;
            } else {
                failures.push(format!(
                    "{}: exit {:?}: {}",
                    c.name,
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            continue;
        }
        let out = run(&c.args, c.stdin.as_deref());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                !l.trim().is_empty()
                    && !l.starts_with("For more information")
                    && !l.starts_with("Usage:")
                    && !l.starts_with("  ")
            })
            .collect();
        if code.is_none() || matches!(code, Some(101 | 134 | 139)) || stderr.contains("panicked") {
            outcomes.1 += 1;
            failures.push(format!("{}: crashed ({code:?}): {stderr}", c.name));
            continue;
        }
        let after = store_hash(&bundle, &store);
        if after != before {
            outcomes.2 += 1;
            failures.push(format!("{}: the store changed", c.name));
        }
        if code != Some(c.code)
            || !stderr.contains(&c.pattern)
            || lines.len() != 1
            || repeats_a_cause(lines[0])
        {
            failures.push(format!(
                "{}: exit {code:?} (want {}), stderr {stderr:?} (want one line with {:?})",
                c.name, c.code, c.pattern
            ));
        } else {
            outcomes.0 += 1;
        }
    }
    println!(
        "hostile corpus: {} cases: {} as expected (clear one-line errors; valid inputs loaded), {} panics or aborts, {} stores changed",
        cases.len(),
        outcomes.0,
        outcomes.1,
        outcomes.2
    );
    assert!(cases.len() >= 90, "{} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A symlink to its own folder: every file is loaded once.
#[test]
fn a_folder_that_links_to_itself_loads_each_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.ttl"),
        "<http://example.org/a> <http://example.org/p> 1 .\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("again")).unwrap();
    let files = normgraph::store::rdf_files_in(&dir).unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
}

fn writable() -> (tempfile::TempDir, serve::Handle) {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = small_bundle(tmp.path());
    let kg = KnowledgeGraph::in_memory(Bundle::new(&bundle)).unwrap();
    kg.sync_bundle().unwrap();
    let server = serve::spawn(
        Arc::new(kg),
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            write_token: Some("t0ken".into()),
            idle: Some(Duration::from_secs(2)),
            ..Config::default()
        },
    )
    .unwrap();
    (tmp, server)
}

#[test]
fn hostile_requests_get_clear_statuses_and_the_server_stays_up() {
    let (_tmp, server) = writable();
    let base = server.base().to_owned();
    let http = reqwest::blocking::Client::new();
    let query = |text: String| {
        http.post(format!("{base}/sparql"))
            .header("content-type", "application/sparql-query")
            .body(text)
            .send()
            .unwrap()
    };
    let update = |text: &str| {
        http.post(format!("{base}/update"))
            .header("content-type", "application/sparql-update")
            .header("authorization", "Bearer t0ken")
            .body(text.to_owned())
            .send()
            .unwrap()
    };
    // Queries that used to kill the process.
    let deep = format!(
        "SELECT * WHERE {{ ?s ?p ?o FILTER({}1{}) }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    assert_eq!(query(deep).status(), 400);
    let union = format!(
        "SELECT * WHERE {{ {} }}",
        vec!["{ ?s ?p ?o }"; 20_000].join(" UNION ")
    );
    assert_eq!(query(union).status(), 400);
    assert_eq!(
        query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }".into()).status(),
        200,
        "still up"
    );
    // Reserved graphs.
    let meta = "DROP GRAPH <https://w3id.org/normgraph/graph/meta>";
    assert_eq!(update(meta).status(), 403);
    assert_eq!(
        update("DROP GRAPH <https://w3id.org/normgraph/graph/inferred>").status(),
        403
    );
    assert_eq!(update("CLEAR ALL").status(), 403);
    assert_eq!(
        update("INSERT { GRAPH ?g { <a:a> <a:b> <a:c> } } WHERE { GRAPH ?g { ?s ?p ?o } }")
            .status(),
        403
    );
    let file_graph = "https://w3id.org/normgraph/graph/data/rules.ttl";
    let put = http
        .put(format!("{base}/store?graph={file_graph}"))
        .header("content-type", "text/turtle")
        .header("authorization", "Bearer t0ken")
        .body("<http://example.org/a> <http://example.org/b> 1 .")
        .send()
        .unwrap();
    assert_eq!(put.status(), 403);
    // A free graph is writable, and the derived graph is still there after the write.
    assert_eq!(update("INSERT DATA { GRAPH <http://example.org/mine> { <http://example.org/a> <http://example.org/b> 1 } }").status(), 204);
    let backs = query("ASK { ?a <https://w3id.org/normgraph/ontology#backs> ?n }".into())
        .text()
        .unwrap();
    assert!(backs.contains("true"), "{backs}");
    // An entity bomb by Graph Store PUT.
    let mut ents = vec!["<!ENTITY lol \"lol\">".to_owned()];
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        ents.push(format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let bomb = format!("<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{}\n]>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"http://example.org/\"><rdf:Description rdf:about=\"http://example.org/a\"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>", ents.join("\n"));
    let put = http
        .put(format!("{base}/store?graph=http://example.org/bomb"))
        .header("content-type", "application/rdf+xml")
        .header("authorization", "Bearer t0ken")
        .body(bomb)
        .send()
        .unwrap();
    assert_eq!(put.status(), 400);
}

#[test]
fn slow_clients_are_cut_off_and_connections_are_capped() {
    let (_tmp, server) = writable();
    let addr = server.base().trim_start_matches("http://").to_owned();
    let mut socks: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            s
        })
        .collect();
    // Half a header, then silence: each socket is closed after the 2 s idle limit.
    let mut closed = 0;
    for s in &mut socks {
        let mut buf = [0u8; 64];
        if matches!(s.read(&mut buf), Ok(0) | Err(_)) {
            closed += 1;
        }
    }
    assert_eq!(closed, socks.len());
}

/// Slowloris: a header sent a byte at a time keeps the idle limit from firing, but not the header
/// limit, counted from the connection's opening.
#[test]
fn a_trickled_header_is_cut_at_the_header_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = small_bundle(tmp.path());
    let kg = KnowledgeGraph::in_memory(Bundle::new(&bundle)).unwrap();
    kg.sync_bundle().unwrap();
    let server = serve::spawn(
        Arc::new(kg),
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            idle: Some(Duration::from_secs(60)),
            header_timeout: Duration::from_secs(3),
            ..Config::default()
        },
    )
    .unwrap();
    let addr = server
        .base()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut s = TcpStream::connect(&addr).unwrap();
    let start = std::time::Instant::now();
    let mut cut = None;
    for b in b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter().cycle() {
        if s.write_all(&[*b]).is_err() {
            cut = Some(start.elapsed());
            break;
        }
        if start.elapsed() > Duration::from_secs(20) {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // A write fails once the server has closed (the first write after the close may still be
    // accepted by the kernel: allow a few hundred ms).
    let cut = cut.expect("the trickling connection was never closed");
    assert!(cut < Duration::from_secs(6), "closed after {cut:?}");
    // A complete request on a fresh connection is answered.
    let mut ok = TcpStream::connect(&addr).unwrap();
    ok.write_all(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    ok.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// SERVICE follows a redirect only to an allowlisted host: A (allowlisted) answers 307 to B.
#[test]
fn service_redirects_off_the_allowlist_are_refused() {
    let b = TcpListener::bind("127.0.0.1:0").unwrap();
    let b_port = b.local_addr().unwrap().port();
    b.set_nonblocking(true).unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let a = TcpListener::bind("127.0.0.1:0").unwrap();
    let a_port = a.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in a.incoming().take(4) {
            let mut s = s.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://localhost:{b_port}/sparql\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    let bin = env!("CARGO_BIN_EXE_normgraph");
    let tmp = tempfile::tempdir().unwrap();
    let bundle = small_bundle(tmp.path());
    let mut child = Command::new(bin)
        .arg("--home")
        .arg(&bundle)
        .arg("--memory")
        .args([
            "query",
            "-",
            "--allow-service",
            &format!("127.0.0.1:{a_port}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            format!(
                "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{a_port}/sparql> {{ ?s ?p ?o }} }}"
            )
            .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("refused"), "{stderr}");
    if b.accept().is_ok() {
        hits.fetch_add(1, Ordering::SeqCst);
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the redirect target was called"
    );
}
