"""Helpers shared by the data generators in scripts/ (gen_*.py, resource_vote_sources.py).

Python 3 standard library only. Not a script: the generators import it. A generator run as a file
(`python3 scripts/gen_x.py`, from any folder) finds this module beside it: each one puts its own folder first on
sys.path and sets sys.dont_write_bytecode before the import, so that no __pycache__ is left in scripts/.

Nothing here decides what a generator writes: the helpers only spell out what several generators did the same way
(Turtle @prefix lines and string literals, failing with the script's name, reading the tab-separated inputs with
their line numbers, parsing and checking dates, finding the keys already defined in data/, writing an output
file). Where the generators differed (how a literal treats a line break, which lines of a TSV count as blank,
the text after a key that makes it a definition), the helper takes that as a parameter.
"""
import datetime
import glob
import json
import os
import re
import sys

# The prefixes the generated files declare, with their namespace IRIs.
NAMESPACES = {
    "dcterms": "http://purl.org/dc/terms/",
    "end": "https://w3id.org/normgraph/id/endorsement/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "inst": "https://w3id.org/normgraph/id/org/",
    "instr": "https://w3id.org/normgraph/id/instrument/",
    "kind": "https://w3id.org/normgraph/id/provision-kind/",
    "mem": "https://w3id.org/normgraph/id/membership/",
    "method": "https://w3id.org/normgraph/id/adoption-method/",
    "ng": "https://w3id.org/normgraph/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "provision": "https://w3id.org/normgraph/id/provision/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "src": "https://w3id.org/normgraph/id/source/",
    "state": "https://w3id.org/normgraph/id/state/",
    "status": "https://w3id.org/normgraph/id/status/",
    "theme": "https://w3id.org/normgraph/id/theme/",
    "unstatus": "https://w3id.org/normgraph/id/un-status/",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# A record key as most generators match it (the local part of a CURIE).
KEY = r"[A-Za-z0-9._-]+"


# ----------------------------------------------------------------------------------------------- Turtle text

def prefixes(*names):
    """The Turtle @prefix lines for the given prefix names, in the order given, each ending with a newline."""
    return "".join("@prefix %s: <%s> .\n" % (name, NAMESPACES[name]) for name in names)


def escape(s, newlines="escape"):
    """The body of a Turtle short string literal (between double quotes): backslash and double quote escaped.

    newlines: "escape" writes LF and CR as \\n and \\r; "space" replaces each LF by a space (CR kept); "keep"
    leaves line breaks as they are (what the generators whose inputs hold none always did).
    """
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    if newlines == "escape":
        return s.replace("\n", "\\n").replace("\r", "\\r")
    if newlines == "space":
        return s.replace("\n", " ")
    if newlines == "keep":
        return s
    raise ValueError("newlines must be escape, space or keep, not %r" % (newlines,))


def lit(s, newlines="escape"):
    """A Turtle short string literal (double quotes) of s; newlines as for escape()."""
    return '"' + escape(s, newlines) + '"'


def xsd_date(s):
    """The typed literal "s"^^xsd:date."""
    return '"%s"^^xsd:date' % s


def curie_key(curie):
    """The local part of a CURIE: "inst:EU" -> "EU"."""
    return curie.split(":", 1)[1]


# ----------------------------------------------------------------------------------------------- failing

def failer(prog):
    """A fail(msg) for the script prog: writes "prog: msg" and a newline to stderr, then exits with status 1."""
    def fail(msg):
        sys.stderr.write(prog + ": " + msg + "\n")
        sys.exit(1)
    return fail


# ----------------------------------------------------------------------------------------------- inputs

def tsv_lines(path, whitespace_is_blank=True):
    """(line number, cells) for each line of a UTF-8 tab-separated file, except comment lines ('#' in the first
    column) and blank lines. A line that holds only whitespace is blank unless whitespace_is_blank is False (then
    only empty lines are). The cells are the line split on tabs, not stripped."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if (not line.strip() if whitespace_is_blank else not line) or line.startswith("#"):
                continue
            yield lineno, line.split("\t")


def tsv_rows(path, whitespace_is_blank=True):
    """The cells of each line that tsv_lines() yields, without the line numbers."""
    for _, cells in tsv_lines(path, whitespace_is_blank):
        yield cells


def tsv_body(path, header, bad_header, whole=True, whitespace_is_blank=True):
    """(line number, cells) for the data lines of a tab-separated file whose first line (after comments and blank
    lines, as for tsv_lines()) is a header. The header must equal the list `header` (whole=False: begin with
    it); if it does not, bad_header(line number, cells) is called (and is expected to fail)."""
    header_seen = False
    for lineno, cells in tsv_lines(path, whitespace_is_blank):
        if not header_seen:
            if (cells if whole else cells[:len(header)]) != header:
                bad_header(lineno, cells)
            header_seen = True
            continue
        yield lineno, cells


def jsonl(path):
    """The JSON value of each non-blank line of a UTF-8 JSON Lines file, one at a time."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# ----------------------------------------------------------------------------------------------- dates

def date_dmy(s, sep):
    """The datetime.date written "dd<sep>mm<sep>yyyy" (two-digit day and month), or None if s is not of that
    shape; ValueError if there is no such day."""
    between = re.escape(sep)
    m = re.fullmatch(r"(\d\d)" + between + r"(\d\d)" + between + r"(\d{4})", s)
    if not m:
        return None
    return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))


def checked_date(s, where, fail, parse=datetime.date.fromisoformat, first=None, last=None,
                 out_of_range="out of range"):
    """The date s read by parse (default: ISO yyyy-mm-dd). If parse returns None or raises ValueError:
    fail("<where>: bad date 's'"); if the date is before first or after last (either may be None):
    fail("<where>: date s <out_of_range>")."""
    try:
        d = parse(s)
    except ValueError:
        d = None
    if d is None:
        fail("%s: bad date %r" % (where, s))
    if (first is not None and d < first) or (last is not None and d > last):
        fail("%s: date %s %s" % (where, s, out_of_range))
    return d


# ----------------------------------------------------------------------------------------------- data/

def data_ttl_files(root, exclude=()):
    """Every .ttl file below root/data (at any depth, os.walk order), except the paths in exclude (compared as
    strings: build them from the same root)."""
    paths = []
    for dirpath, _, files in os.walk(os.path.join(root, "data")):
        for fn in files:
            path = os.path.join(dirpath, fn)
            if fn.endswith(".ttl") and path not in exclude:
                paths.append(path)
    return paths


def data_folder_files(root, folder, exclude=None):
    """The .ttl files directly in root/data/<folder>, except the file exclude (compared as absolute paths)."""
    paths = glob.glob(os.path.join(root, "data", folder, "*.ttl"))
    if exclude is None:
        return paths
    return [p for p in paths if os.path.abspath(p) != os.path.abspath(exclude)]


def keys_defined(paths, start, key=KEY, after=r"\s+a\s"):
    """The set of keys K of the subjects written "<start>K<after>" at the beginning of a line in the files paths
    (UTF-8). start is literal text ("src:", "mem:coe-"); key and after are regular expressions."""
    pattern = re.compile("^" + re.escape(start) + "(" + key + ")" + after, re.M)
    keys = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            keys.update(pattern.findall(f.read()))
    return keys


def state_keys(path, after=" a ng:State"):
    """The ISO 3166-1 alpha-3 keys XXX of the subjects state:XXX defined in path (usually data/actors/states.ttl),
    a subject line being "state:XXX" followed by the regular expression after."""
    return keys_defined([path], "state:", "[A-Z]{3}", after)


# ----------------------------------------------------------------------------------------------- output

def write_text(path, text, final_newline=False):
    """Write text to path (UTF-8). final_newline: end the file with exactly one newline (trailing ones trimmed)."""
    if final_newline:
        text = text.rstrip("\n") + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
