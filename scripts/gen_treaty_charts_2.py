#!/usr/bin/env python3
"""Generate data/endorsements/treaty-charts-2.ttl (topic "treaties-2"): treaty acts (signature, ratification,
acceptance, approval, accession, succession) and reservations/declarations that are MISSING from the existing treaty
files, one ng:Endorsement per (actor, instrument, status), from the saved copies scripts/data/treaty-charts-2-*.tsv.

Python 3 standard library only. Deterministic: records are written sorted by treaty, actor and status.

Treaties covered (instrument keys reused, never minted here): the Convention on Cybercrime (instr:ets-185), its First
(instr:ets-189) and Second (instr:cets-224) Additional Protocols, the UN Convention against Cybercrime
(instr:un-cybercrime-convention) and the International Telecommunication Regulations revised at WCIT-12
(instr:itu-itr-2012).

These rows COMPLEMENT data/endorsements/budapest.ttl, budapest-protocols.ttl, treaty-charts.ttl, un-participation.ttl
and internet-governance.ttl (written by other curators, not edited here): the script refuses any act whose key already
exists in another file under data/endorsements/.

Sources (all read 2026-12-05 through the stored-page search tool, which returns only the beginning of each stored
page; defined, with the sentences relied on, in data/sources/treaty-charts-2.ttl):
  - Portuguese Avisos (Diário da República, Ministério dos Negócios Estrangeiros) that publish the Council of Europe
    Secretary General's depositary notifications, read in the copies at
    https://dre.tretas.org/dre/2643134/aviso-66-2016-de-24-de-junho (Aviso 66/2016) and
    https://regulacaodociberespaco.com/inicio/legislacao/deposito-pela-republica-polonia-instrumento-ratificacao-protocolo-adicional-convencao-sobre-cibercrime-relativo-incriminacao-atos-natureza-racista-xenofoba-praticados-atraves-sistemas-informaticos
    (Aviso 30/2016).
The depositaries' own lists could NOT be read past their opening rows: the Council of Europe Treaty Office charts
(https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=185, 189, 224), the UN Treaty
Collection chapter XVIII-16 (https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-16&chapter=18,
read to "Jamaica"), and the ITU list of signatories of the WCIT-12 Final Acts
(https://www.itu.int/osg/wcit-12/highlights/signatories.html, not found in any stored copy). See data/TODO.md,
"Treaty charts 2 (treaties-2)".

Input: every file scripts/data/treaty-charts-2-*.tsv (tab-separated, '#' lines are comments, first other line is the
header): treaty, actor, status, date, precision, not_after, source, locator, comment (see the files' own headers).

Checks (the script exits non-zero if one fails): known treaty, defined as an instrument in data/instruments/; known
status; actor is a state:XXX of data/actors/states.ttl or an inst: key defined somewhere in data/; exactly one of
date / not_after; valid calendar dates not after the retrieval date; precision only with date; every source key is
defined in data/sources/; no duplicate key; no key already written by another file in data/endorsements/.

Second set (topic "treaty-charts-3", added 2026-12-05): the same script also reads every
scripts/data/treaty-charts-3-*.tsv (same columns and checks) and writes data/endorsements/treaty-charts-3.ttl, with
sources in data/sources/treaty-charts-3.ttl. That pass looked for machine-readable copies of the depositaries' tables
(GitHub datasets, UN Treaty Collection scrapes, the Council of Europe Treaty Office JSON service
conventions-ws.coe.int as cached by public tools, ITU signatory lists) and for per-State official notices; what was
and was not found is in data/TODO.md, "Treaty charts 3 (treaty-charts-3)". Keys are checked across both outputs and
all other files of data/endorsements/.
Retrieval of the treaty-charts-3 sources: 2026-12-05, through the stored-page search tool; the source URLs are in
data/sources/treaty-charts-3.ttl (the Portuguese Procuradoria-Geral da República treaty database record of the
Convention on Cybercrime, https://gddc.ministeriopublico.pt/instrumento/convencao-sobre-o-cibercrime-0).

Usage (from anywhere): python3 scripts/gen_treaty_charts_2.py
"""
import datetime
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
TSV_GLOB = os.path.join(HERE, "data", "treaty-charts-2-*.tsv")
STATES = os.path.join(ROOT, "data", "actors", "states.ttl")
OUT = os.path.join(ROOT, "data", "endorsements", "treaty-charts-2.ttl")
TSV_GLOB_3 = os.path.join(HERE, "data", "treaty-charts-3-*.tsv")
OUT_3 = os.path.join(ROOT, "data", "endorsements", "treaty-charts-3.ttl")
RETRIEVED = datetime.date(2026, 12, 5)

TREATIES = {"ets-185", "ets-189", "cets-224", "un-cybercrime-convention", "itu-itr-2012"}
STATUSES = {"signed", "ratified", "accepted", "approved", "acceded", "succeeded", "reservation"}
COLUMNS = ["treaty", "actor", "status", "date", "precision", "not_after", "source", "locator", "comment"]

HEADER = """# GENERATED by scripts/gen_treaty_charts_2.py from scripts/data/treaty-charts-2-*.tsv -- do not edit by hand.
# Topic "treaties-2": treaty acts on ETS 185, ETS 189, CETS 224, the UN Convention against Cybercrime and the 2012
# International Telecommunication Regulations that are NOT already in data/endorsements/ (budapest.ttl,
# budapest-protocols.ttl, treaty-charts.ttl, un-participation.ttl, internet-governance.ttl). Acts are kept distinct as
# the depositary records them (signed / ratified / accepted / approved / acceded / succeeded); reservations and
# declarations are one status:reservation act per actor and treaty, dated by the earliest one read.
# Sources: data/sources/treaty-charts-2.ttl (read {retrieved}). {n} acts.

@prefix ng: <https://w3id.org/normgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix state: <https://w3id.org/normgraph/id/state/> .
@prefix inst: <https://w3id.org/normgraph/id/org/> .
@prefix instr: <https://w3id.org/normgraph/id/instrument/> .
@prefix end: <https://w3id.org/normgraph/id/endorsement/> .
@prefix src: <https://w3id.org/normgraph/id/source/> .
@prefix status: <https://w3id.org/normgraph/id/status/> .

"""

HEADER_3 = """# GENERATED by scripts/gen_treaty_charts_2.py from scripts/data/treaty-charts-3-*.tsv -- do not edit by hand.
# Topic "treaty-charts-3": treaty acts on ETS 185, ETS 189, CETS 224, the UN Convention against Cybercrime and the 2012
# International Telecommunication Regulations that are NOT already in data/endorsements/ (budapest.ttl,
# budapest-protocols.ttl, treaty-charts.ttl, treaty-charts-2.ttl, un-participation.ttl, internet-governance.ttl).
# Same conventions as treaty-charts-2.ttl: acts kept distinct as the depositary records them; reservations and
# declarations are one status:reservation act per actor and treaty, dated by the earliest one read.
# Sources: data/sources/treaty-charts-3.ttl (read {retrieved}). {n} acts.

""" + HEADER.split("\n\n", 1)[1]


def fail(msg):
    sys.stderr.write("gen_treaty_charts_2: " + msg + "\n")
    sys.exit(1)


def lit(s):
    """A Turtle short string literal (double quotes) with the required escapes."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def parse_date(s, where):
    try:
        d = datetime.date.fromisoformat(s)
    except ValueError:
        fail(f"{where}: bad date {s!r}")
    if d > RETRIEVED:
        fail(f"{where}: date {s} is after the retrieval date")
    return d


def read_rows(tsv_glob):
    paths = sorted(glob.glob(tsv_glob))
    if not paths:
        fail("no input file matches " + os.path.relpath(tsv_glob, ROOT))
    rows = []
    for path in paths:
        header_seen = False
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                cells = line.split("\t")
                if not header_seen:
                    if cells != COLUMNS:
                        fail(f"{name} line {lineno}: header must be {COLUMNS}")
                    header_seen = True
                    continue
                if len(cells) != len(COLUMNS):
                    fail(f"{name} line {lineno}: {len(cells)} cells, expected {len(COLUMNS)}")
                row = dict(zip(COLUMNS, (c.strip() for c in cells)))
                row["where"] = f"{name} line {lineno}"
                rows.append(row)
    return rows


def known_states():
    text = open(STATES, encoding="utf-8").read()
    return set(re.findall(r"^state:([A-Z]{3}) a ng:State", text, re.M))


def defined_subjects(folder, prefix):
    keys = set()
    for path in glob.glob(os.path.join(ROOT, "data", folder, "*.ttl")):
        keys.update(re.findall(r"^" + prefix + r":([A-Za-z0-9._-]+)\s+a\s", open(path, encoding="utf-8").read(), re.M))
    return keys


def existing_endorsement_keys(out):
    keys = set()
    for path in glob.glob(os.path.join(ROOT, "data", "endorsements", "*.ttl")):
        if os.path.abspath(path) == os.path.abspath(out):
            continue
        keys.update(re.findall(r"^end:([A-Za-z0-9._-]+)\s+a\s+ng:Endorsement", open(path, encoding="utf-8").read(), re.M))
    return keys


def generate(tsv_glob, out_path, header):
    rows = read_rows(tsv_glob)
    states = known_states()
    sources = defined_subjects("sources", "src")
    instruments = defined_subjects("instruments", "instr")
    insts = set()
    for folder in ("actors", "instruments", "sources", "seed"):
        insts |= defined_subjects(folder, "inst")
    existing = existing_endorsement_keys(out_path)
    seen, records = set(), []
    for r in rows:
        where = r["where"]
        if r["treaty"] not in TREATIES:
            fail(f"{where}: unknown treaty {r['treaty']!r}")
        if r["treaty"] not in instruments:
            fail(f"{where}: instr:{r['treaty']} is not defined in data/instruments/")
        if r["status"] not in STATUSES:
            fail(f"{where}: unknown status {r['status']!r}")
        actor = r["actor"]
        m = re.fullmatch(r"(state|inst):([A-Za-z0-9._-]+)", actor)
        if not m:
            fail(f"{where}: bad actor {actor!r}")
        if m.group(1) == "state" and m.group(2) not in states:
            fail(f"{where}: {actor} is not in data/actors/states.ttl")
        if m.group(1) == "inst" and m.group(2) not in insts:
            fail(f"{where}: {actor} is not defined in data/")
        if bool(r["date"]) == bool(r["not_after"]):
            fail(f"{where}: give exactly one of date / not_after")
        if r["date"]:
            parse_date(r["date"], where)
        if r["not_after"]:
            parse_date(r["not_after"], where)
        if r["precision"] and (r["precision"] not in ("month", "year") or not r["date"]):
            fail(f"{where}: precision must be month/year and only with a date")
        srcs = [s.strip() for s in r["source"].split(",") if s.strip()]
        if not srcs:
            fail(f"{where}: no source")
        for s in srcs:
            if s not in sources:
                fail(f"{where}: source src:{s} is not defined in data/sources/")
        key = f"{r['treaty']}--{m.group(2)}--{r['status']}"
        if key in seen:
            fail(f"{where}: duplicate key end:{key}")
        if key in existing:
            fail(f"{where}: end:{key} already exists in another file of data/endorsements/")
        seen.add(key)
        records.append((r["treaty"], m.group(2), r["status"], key, actor, r, srcs))
    records.sort(key=lambda t: (t[0], t[1], t[2]))
    out = [header.format(retrieved=RETRIEVED.isoformat(), n=len(records))]
    for treaty, _, status, key, actor, r, srcs in records:
        lines = [f"end:{key} a ng:Endorsement ;",
                 f"    ng:actor {actor} ; ng:target instr:{treaty} ; ng:status status:{status} ;"]
        if r["date"]:
            d = f'    ng:date "{r["date"]}"^^xsd:date'
            if r["precision"]:
                d += f' ; ng:datePrecision "{r["precision"]}"'
            lines.append(d + " ;")
        else:
            lines.append(f'    ng:notAfter "{r["not_after"]}"^^xsd:date ;')
        if r["locator"]:
            lines.append(f"    ng:locator {lit(r['locator'])} ;")
        if r["comment"]:
            lines.append(f"    rdfs:comment {lit(r['comment'])}@en ;")
        lines.append("    prov:hadPrimarySource " + ", ".join("src:" + s for s in srcs) + " .")
        out.append("\n".join(lines) + "\n\n")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("".join(out).rstrip("\n") + "\n")
    print("# " + os.path.relpath(out_path, ROOT))
    counts = {}
    for treaty, _, status, *_ in records:
        counts[(treaty, status)] = counts.get((treaty, status), 0) + 1
    for (treaty, status), n in sorted(counts.items()):
        print(f"{treaty}\t{status}\t{n}")
    print(f"total\t{len(records)}")


def main():
    generate(TSV_GLOB, OUT, HEADER)
    generate(TSV_GLOB_3, OUT_3, HEADER_3)


if __name__ == "__main__":
    main()
