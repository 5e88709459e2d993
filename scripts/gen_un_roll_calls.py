#!/usr/bin/env python3
"""Generate the per-State roll calls and the sponsor lists of UN General Assembly resolutions on ICTs in the
context of international security and on cybercrime adopted by recorded vote from 2018 on that were not yet
in data/instruments/un.ttl, and the full sponsor lists of four recorded-vote resolutions that were:

    data/instruments/un-votes-2019-2024.ttl   the resolutions A/RES/73/187, 75/32, 77/36, 77/37, 78/16, 78/237
    data/endorsements/un-votes-2019-2024.ttl  one act per (State, resolution, status): voted-for / voted-against /
                                             abstained (Member States recorded as non-voting get none), and
                                             sponsored (main sponsor) / co-sponsored, for those six and for
                                             A/RES/74/28, 74/29, 74/247 and 75/240 (their votes are already in
                                             data/endorsements/un-votes.ttl, which this script only reads)

The sources cited (src:undl-vote-*, src:dgacm-akn4un-ga-resolutions, ...) are written by hand in
data/sources/un-votes-2019-2024.ttl; the script checks that every key it cites is defined in data/sources/.

Inputs (scripts/data/, saved copies as read; Python 3 standard library only; deterministic output):

  un-roll-calls-dgacm.jsonl
      Nine lines copied verbatim from the UN Department for General Assembly and Conference Management (DGACM)
      "Machine-readable General Assembly resolutions" (Akoma Ntoso for the UN), data_extract/74.json, 75.json,
      77.json and 78.json of https://github.com/UNxml/GAresolutions at commit
      42a69b67bb92d23969fc45bba151320b82eb8e52 (read 2026-12-04). Each line is one resolution: symbol, title,
      adoption_date, adoption_type, pv, MS_in_favour / MS_against / MS_abstaining (Member State names) with
      their counts, sponsors (the draft's sponsor list) and additional_sponsors. The per-resolution XML files
      of the same commit (un-roll-calls-workflow.tsv, akn_file) give the same voter lists (checked when the
      data were read: identical for all five new roll calls).
  un-roll-calls-undl-copy.csv
      The header and six rows (A/RES/73/187, 74/28, 74/29, 74/247, 75/32, 75/240) copied verbatim (byte-order
      mark dropped) from 'UN DATA.csv' inside data/raw/downloads/UN DATA.csv.zip of
      https://github.com/navyanawal0310/un-votes-intelligence-platform at commit
      b1a33e9f13e44a213373dc4baf927cda041488ff (read 2026-12-04), a public copy (to January 2022) of the UN
      Digital Library voting records (src:undl-ga-voting-copy): one row per resolution, its Link
      (digitallibrary.un.org/record/N) and totals, one column per Member State name (Y/N/A/X). The header
      labels of the total columns are shifted: 'NO-VOTE COUNT' holds the non-voting, 'ABSENT COUNT' the
      abstentions.
  un-roll-calls-workflow.tsv
      Per resolution: committee, draft symbol and date, committee report, meeting record, adoption date, the
      DGACM file read, where its roll call is read (dgacm / copy / copy+dgacm / none) and the UN Digital
      Library voting record number where it was read.
  un-roll-calls-main-sponsors.tsv
      Per resolution: the main sponsor (the State that tabled the draft), the source naming it, and a quote.
  un-member-states.tsv (owned by scripts/gen_un_members.py; read only)
      UN Member State names -> ISO 3166-1 alpha-3 (the normgraph state key). Names written otherwise in the
      two copies are mapped by ALIASES below.

Checks (the script exits non-zero and writes nothing if one fails):
  * every Member State name maps to exactly one state:XXX defined in data/actors/states.ttl, and no State is
    in two vote lists of one resolution;
  * for each roll call written, the number of votes per status equals the tally below (TALLIES, as recorded
    by the source) and the totals the source itself states (MS_*_count, or the copy's total columns); the
    copy's rows also have Y+N+A+X = 193;
  * where both copies have a resolution (A/RES/74/28, 74/29, 74/247, 75/32, 75/240), their per-State values
    are identical (non-voting = absent from the DGACM lists);
  * the main sponsor is on the draft's sponsor list; no State is both a sponsor and an additional sponsor;
  * no act is written for a (State, resolution) that already has a sponsored or co-sponsored act elsewhere
    in data/ (those are listed on stderr instead);
  * every src: key cited is defined in data/sources/*.ttl.

Usage (from anywhere): python3 scripts/gen_un_roll_calls.py [--dry-run]
"""
import collections
import csv
import glob
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)

ROOT = os.path.normpath(os.path.join(HERE, ".."))
DATA = os.path.join(HERE, "data")
DGACM = os.path.join(DATA, "un-roll-calls-dgacm.jsonl")
COPY = os.path.join(DATA, "un-roll-calls-undl-copy.csv")
WORKFLOW = os.path.join(DATA, "un-roll-calls-workflow.tsv")
SPONSORS = os.path.join(DATA, "un-roll-calls-main-sponsors.tsv")
MEMBERS = os.path.join(DATA, "un-member-states.tsv")
STATES = os.path.join(ROOT, "data", "actors", "states.ttl")
SOURCES_GLOB = os.path.join(ROOT, "data", "sources", "*.ttl")
OUT_INSTR = os.path.join(ROOT, "data", "instruments", "un-votes-2019-2024.ttl")
OUT_END = os.path.join(ROOT, "data", "endorsements", "un-votes-2019-2024.ttl")

N_MEMBERS = 193
DGACM_COMMIT = "42a69b67bb92d23969fc45bba151320b82eb8e52"

# Tallies (in favour, against, abstaining) as the sources record them.
TALLIES = {
    "A/RES/73/187": (94, 59, 33),
    "A/RES/74/28": (163, 10, 6),
    "A/RES/74/29": (129, 6, 45),
    "A/RES/74/247": (79, 60, 33),
    "A/RES/75/32": (163, 10, 7),
    "A/RES/75/240": (92, 50, 21),
    "A/RES/77/36": (112, 52, 8),
    "A/RES/77/37": (156, 7, 14),
    "A/RES/78/16": (161, 9, 11),
    "A/RES/78/237": (104, 53, 7),
}

# Resolutions whose instrument record and roll call this script writes (the other four are in un.ttl).
NEW = {
    "A/RES/73/187": {
        "themes": "theme:cybercrime",
        "comment": (
            "Third Committee text on countering the use of ICTs for criminal purposes, tabled by the Russian "
            "Federation (US explanation of vote of 13 November 2018 in the Third Committee; Russian MFA press "
            "release of 18 December 2018, which gives the same tally, 94-59-33). Adopted by recorded vote on "
            "17 December 2018 (UN Digital Library voting record 1656199, read in its public copy); 7 Member "
            "States did not vote. Its draft symbol, committee report and co-sponsors were not read (the Russian "
            "MFA says it was 'co-authored by 36 countries'); see TODO.md."
        ),
        "sources": "src:undl-vote-a-res-73-187, src:usun-eov-2018-11-13-ict-crime, src:mid-2018-12-18-ict-crime-resolution",
    },
    "A/RES/75/32": {
        "themes": "theme:state-behaviour",
        "comment": (
            "Draft A/C.1/75/L.4, sponsored by the United States (First Committee vote 153-11-9, GA/DIS/3659), "
            "recommended in the First Committee's report A/75/394; adopted at the 37th plenary meeting "
            "(A/75/PV.37). 13 Member States did not vote. Tally and per-State votes as in the UN Digital Library "
            "voting record 3893847 (read in its public copy) and, identically, in the DGACM machine-readable "
            "text of the resolution."
        ),
        "sources": "src:undl-vote-a-res-75-32, src:dgacm-akn4un-ga-resolutions, src:gadis3659",
    },
    "A/RES/77/36": {
        "themes": "theme:state-behaviour, theme:information-security",
        "comment": (
            "Draft A/C.1/77/L.23/Rev.1, tabled by the Russian Federation (EU explanation of vote on 'L.23'), "
            "recommended in the First Committee's report A/77/380; adopted at the 46th plenary meeting "
            "(A/77/PV.46) on the same day as A/RES/77/37. 21 of the 193 Member States are on none of the three "
            "vote lists. Tally and per-State votes as given by the UN's DGACM machine-readable text of the "
            "resolution (its UN Digital Library voting record number was not read)."
        ),
        "sources": "src:undl-vote-a-res-77-36, src:dgacm-akn4un-ga-resolutions, src:eeas-eu-eov-2022-l23",
    },
    "A/RES/77/37": {
        "themes": "theme:state-behaviour, theme:information-security",
        "comment": (
            "The first resolution on a programme of action to advance responsible State behaviour in the use of "
            "ICTs. Draft A/C.1/77/L.73, introduced by France (GA/DIS/3704), recommended in the First Committee's "
            "report A/77/380; adopted at the 46th plenary meeting (A/77/PV.46). 16 of the 193 Member States are "
            "on none of the three vote lists. Tally and per-State votes as given by the UN's DGACM "
            "machine-readable text of the resolution (its UN Digital Library voting record number was not read)."
        ),
        "sources": "src:undl-vote-a-res-77-37, src:dgacm-akn4un-ga-resolutions, src:gadis3704",
    },
    "A/RES/78/16": {
        "themes": "theme:state-behaviour, theme:information-security",
        "comment": (
            "Programme of action resolution of the seventy-eighth session. Draft A/C.1/78/L.60/Rev.1, led by "
            "France (report on the 2023 First Committee cyber debate), recommended in the First Committee's "
            "report A/78/404 (10 November 2023); adopted at the 42nd plenary meeting (A/78/PV.42). 12 of the 193 "
            "Member States are on none of the three vote lists. Tally and per-State votes as given by the UN's "
            "DGACM machine-readable text of the resolution (its UN Digital Library voting record number was not "
            "read)."
        ),
        "sources": "src:undl-vote-a-res-78-16, src:dgacm-akn4un-ga-resolutions, src:policycommons-2023-first-committee-cyber",
    },
    "A/RES/78/237": {
        "themes": "theme:state-behaviour, theme:information-security",
        "comment": (
            "Draft A/C.1/78/L.11, tabled by the Russian Federation (statement of its representative in the First "
            "Committee), recommended in the First Committee's report A/78/404; adopted at the resumed 50th "
            "plenary meeting (A/78/PV.50 (Resumption 1)). 29 of the 193 Member States are on none of the three "
            "vote lists. Tally and per-State votes as given by the UN's DGACM machine-readable text of the "
            "resolution (its UN Digital Library voting record number was not read)."
        ),
        "sources": "src:undl-vote-a-res-78-237, src:dgacm-akn4un-ga-resolutions, src:russiaun-belousov-2023-l11",
    },
}

# Names the two copies write otherwise than un-member-states.tsv (compared after norm()).
ALIASES = {
    "BAHAMAS": "BHS", "GAMBIA": "GMB", "GUINEA-BISSAU": "GNB", "COTE D'IVOIRE": "CIV",
    "NETHERLANDS": "NLD", "TURKEY": "TUR", "TURKIYE": "TUR", "UNITED KINGDOM": "GBR", "UNITED STATES": "USA",
    "THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA": "MKD", "SWAZILAND": "SWZ", "CZECH REPUBLIC": "CZE",
    "CAPE VERDE": "CPV",
}

STATUS = {"Y": "voted-for", "N": "voted-against", "A": "abstained"}
LIST_LABEL = {"Y": "In favour", "N": "Against", "A": "Abstaining"}


fail = ttl.failer("gen_un_roll_calls")


def norm(name):
    s = str(name).replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"^THE ", "", re.sub(r"\s+", " ", s).strip().upper())
    # DGACM writes the dotted capital I of TURKIYE as I + combining dot, removed above.
    return s


def key_of(symbol):
    return "a-res-" + symbol.split("/RES/")[1].replace("/", "-").lower()


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    header = lines[0].rstrip("\n").split("\t")
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.rstrip("\n").split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


def lookup_table(state_keys):
    table = {}
    for row in read_tsv(MEMBERS):
        table[norm(row["un_name"])] = row["iso_alpha3"]
    for name, code in ALIASES.items():
        table.setdefault(norm(name), code)
    for code in table.values():
        if code not in state_keys:
            fail("state:%s is not defined in data/actors/states.ttl" % code)
    return table


def iso(table, name, where):
    code = table.get(norm(name))
    if not code:
        fail("%s: no ISO code for the name %r (add it to ALIASES)" % (where, name))
    return code


def dgacm_entries(table):
    out = {}
    for e in ttl.jsonl(DGACM):
        sym = e["symbol"]
        votes = {}
        for field, v in (("MS_in_favour", "Y"), ("MS_against", "N"), ("MS_abstaining", "A")):
            names = e[field]
            if int(e[field + "_count"]) != len(names):
                fail("%s: %s_count %s but %d names" % (sym, field, e[field + "_count"], len(names)))
            for n in names:
                c = iso(table, n, sym)
                if c in votes:
                    fail("%s: %s is in two vote lists" % (sym, c))
                votes[c] = (v, n)
        sponsors = [(iso(table, n, sym), n.strip()) for n in e["sponsors"]]
        extra = [(iso(table, n, sym), n.strip()) for n in e["additional_sponsors"]]
        both = set(c for c, _ in sponsors) & set(c for c, _ in extra)
        if both:
            fail("%s: both sponsor and additional sponsor: %s" % (sym, sorted(both)))
        out[sym] = {"entry": e, "votes": votes, "sponsors": sponsors, "extra": extra}
    return out


def copy_rows(table):
    out = {}
    with open(COPY, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for r in rows[1:]:
        sym = r[3]
        votes, counts = {}, collections.Counter()
        for i in range(11, len(header)):
            v = r[i].strip() if i < len(r) else ""
            if v in ("Y", "N", "A", "X"):
                c = iso(table, header[i], sym)
                if c in votes:
                    fail("%s: two columns for %s" % (sym, c))
                votes[c] = (v, header[i])
                counts[v] += 1
            elif v:
                fail("%s: unexpected value %r in column %s" % (sym, v, header[i]))
        # Columns 4-8: TOTAL VOTES (Members), NO-VOTE COUNT (non-voting), ABSENT COUNT (abstentions), NO, YES.
        total, nonvoting, abst, no, yes = (int(x) for x in r[4:9])
        if (counts["Y"], counts["N"], counts["A"], counts["X"]) != (yes, no, abst, nonvoting) or total != N_MEMBERS \
                or sum(counts.values()) != N_MEMBERS:
            fail("%s: per-State values %s do not match the row's totals %s" % (sym, dict(counts), r[4:9]))
        m = re.match(r"https://digitallibrary\.un\.org/record/(\d+)\?ln=en$", r[9])
        if not m or m.group(1) != r[10]:
            fail("%s: unexpected Link %r" % (sym, r[9]))
        out[sym] = {"row": r, "votes": votes, "record": m.group(1), "date": r[1], "title": r[2]}
    return out


def existing_sponsor_acts():
    """(instrument key, ISO3) pairs with a sponsored/co-sponsored act in data/ outside this script's output."""
    found = {}
    pat = re.compile(r"ng:actor state:([A-Z]{3}) ; ng:target instr:([a-z0-9-]+) ; ng:status status:(sponsored|co-sponsored)")
    for path in glob.glob(os.path.join(ROOT, "data", "**", "*.ttl"), recursive=True):
        if os.path.abspath(path) == os.path.abspath(OUT_END):
            continue
        with open(path, encoding="utf-8") as f:
            for m in pat.finditer(f.read()):
                found[(m.group(2), m.group(1))] = (m.group(3), os.path.relpath(path, ROOT))
    return found


def defined_sources():
    """The src: CURIEs (with their prefix) defined as ng:Source in data/sources/*.ttl."""
    return {"src:" + k for k in ttl.keys_defined(glob.glob(SOURCES_GLOB), "src:", after=" a ng:Source")}


def lit(s):
    return ttl.lit(s, newlines="keep")  # line breaks written as they are, as this script always did


PREFIXES = ttl.prefixes("dcterms", "foaf", "ng", "prov", "rdfs", "xsd", "state", "inst", "instr", "end", "src",
                        "status", "theme", "method")


def main():
    dry_run = "--dry-run" in sys.argv[1:]
    state_keys = ttl.state_keys(STATES)
    table = lookup_table(state_keys)
    dg = dgacm_entries(table)
    cp = copy_rows(table)
    workflow = {r["symbol"]: r for r in read_tsv(WORKFLOW)}
    mains = {r["symbol"]: r for r in read_tsv(SPONSORS)}
    if set(workflow) != set(TALLIES) or set(mains) != set(TALLIES):
        fail("workflow / main-sponsor tables do not list exactly the resolutions of TALLIES")

    # Cross-check the two copies where both have a resolution.
    for sym in sorted(set(dg) & set(cp)):
        a = {c: v for c, (v, _) in cp[sym]["votes"].items() if v != "X"}
        b = {c: v for c, (v, _) in dg[sym]["votes"].items()}
        if a != b:
            diff = sorted(c for c in set(a) | set(b) if a.get(c) != b.get(c))
            fail("%s: the DGACM lists and the UN Digital Library copy differ for %s" % (sym, diff))
        if cp[sym]["date"] != workflow[sym]["adoption_date"]:
            fail("%s: copy date %s != workflow %s" % (sym, cp[sym]["date"], workflow[sym]["adoption_date"]))

    # Roll calls.
    rollcalls = {}
    for sym, wf in workflow.items():
        how = wf["roll_call"]
        if how == "none":
            continue
        if how in ("copy", "copy+dgacm"):
            rec = cp[sym]
            if rec["record"] != wf["undl_record"]:
                fail("%s: record %s != workflow %s" % (sym, rec["record"], wf["undl_record"]))
            votes = {c: v for c, (v, name) in rec["votes"].items() if v != "X"}
            names = {c: name for c, (v, name) in rec["votes"].items()}
            locator = "%s, UN Digital Library record %s, column %%s" % (sym, rec["record"])
        elif how == "dgacm":
            rec = dg[sym]
            votes = {c: v for c, (v, _) in rec["votes"].items()}
            names = {c: n for c, (_, n) in rec["votes"].items()}
            locator = "%s, recorded vote at %s, list '%%s', entry %%s" % (sym, wf["meeting"])
        else:
            fail("%s: unknown roll_call %r" % (sym, how))
        counts = collections.Counter(votes.values())
        got = (counts["Y"], counts["N"], counts["A"])
        if got != TALLIES[sym]:
            fail("%s: %s votes, expected tally %s" % (sym, got, TALLIES[sym]))
        if sym in dg:
            e = dg[sym]["entry"]
            stated = (int(e["MS_in_favour_count"]), int(e["MS_against_count"]), int(e["MS_abstaining_count"]))
            if stated != TALLIES[sym]:
                fail("%s: DGACM counts %s != tally %s" % (sym, stated, TALLIES[sym]))
        rollcalls[sym] = (votes, names, locator, how)

    existing = existing_sponsor_acts()
    cited = set()
    skipped = []

    # Instruments.
    inst_out = [PREFIXES, "\n# GENERATED by scripts/gen_un_roll_calls.py from scripts/data/un-roll-calls-*.{jsonl,csv,tsv}; do not edit by hand.\n"
                "# UN General Assembly resolutions on ICTs in the context of international security and on cybercrime adopted by\n"
                "# recorded vote from 2018 on, not in data/instruments/un.ttl (A/RES/73/187 is of December 2018: the file name\n"
                "# gives the range of the later ones). Per-State votes and sponsorships: data/endorsements/un-votes-2019-2024.ttl.\n"
                "# Each resolution cites its UN voting record (src:undl-vote-<key>, data/sources/un-votes-2019-2024.ttl), which\n"
                "# says which copy of it was read.\n\n"]
    for sym in sorted(NEW, key=lambda s: (int(s.split("/")[2]), int(s.split("/")[3]))):
        k = key_of(sym)
        wf = workflow[sym]
        title = dg[sym]["entry"]["title"] if sym in dg else cp[sym]["title"].split(" : resolution")[0]
        y, n, a = TALLIES[sym]
        cfg = NEW[sym]
        lines = [
            "instr:%s a ng:Resolution ;" % k,
            "    dcterms:title %s@en ;" % lit(title),
            "    dcterms:identifier %s ;" % lit(sym),
            "    dcterms:date \"%s\"^^xsd:date ;" % wf["adoption_date"],
            "    ng:adoptedBy inst:UNGA ;",
            "    ng:isBinding false ;",
            "    foaf:page <https://undocs.org/%s> ;" % sym,
        ]
        if wf["undl_record"]:
            lines.append("    rdfs:seeAlso <https://digitallibrary.un.org/record/%s> ;" % wf["undl_record"])
        lines += [
            "    ng:theme %s ;" % cfg["themes"],
            "    ng:adoptionMethod method:recorded-vote ;",
            "    ng:votesFor %d ; ng:votesAgainst %d ; ng:abstentions %d ;" % (y, n, a),
            "    rdfs:comment %s@en ;" % lit(cfg["comment"]),
            "    prov:hadPrimarySource %s ." % cfg["sources"],
        ]
        cited.update(re.findall(r"src:[A-Za-z0-9._-]+", cfg["sources"]))
        inst_out.append("\n".join(lines) + "\n\n")

    # Acts.
    end_out = [PREFIXES, "\n# GENERATED by scripts/gen_un_roll_calls.py from scripts/data/un-roll-calls-*.{jsonl,csv,tsv}; do not edit by hand.\n"
               "# Per-State recorded votes in the UN General Assembly plenary (Y = voted-for, N = voted-against, A = abstained;\n"
               "# non-voting Members get no act), dated the day of adoption, each citing the resolution's UN voting record\n"
               "# (src:undl-vote-<key>); and sponsorships: status sponsored for the main sponsor (the State that tabled the draft,\n"
               "# named by the source in its comment), co-sponsored for every other State on the draft's sponsor list\n"
               "# (ng:notAfter = the draft's date) or among the additional sponsors (ng:notAfter = the adoption date), as the\n"
               "# DGACM machine-readable text of the resolution gives them (src:dgacm-akn4un-ga-resolutions).\n"
               "# Tallies: " + "; ".join("%s %d-%d-%d" % (s.replace("A/RES/", ""), *TALLIES[s]) for s in sorted(rollcalls, key=lambda s: (int(s.split('/')[2]), int(s.split('/')[3])))) + ".\n"]
    n_votes = collections.Counter()
    n_spons = collections.Counter()
    order = sorted(TALLIES, key=lambda s: (int(s.split("/")[2]), int(s.split("/")[3])))
    for sym in order:
        k = key_of(sym)
        wf = workflow[sym]
        block = []
        if sym in rollcalls:
            votes, names, locator, how = rollcalls[sym]
            block.append("\n#################################################################\n# %s: recorded vote of %s (%d-%d-%d)\n#################################################################\n"
                         % (sym, wf["adoption_date"], *TALLIES[sym]))
            for code in sorted(votes):
                v = votes[code]
                loc = locator % names[code] if how != "dgacm" else locator % (LIST_LABEL[v], names[code])
                block.append(
                    "end:%s--%s--%s a ng:Endorsement ; ng:actor state:%s ; ng:target instr:%s ; ng:status status:%s ;\n"
                    "    ng:date \"%s\"^^xsd:date ; ng:locator %s ; prov:hadPrimarySource src:undl-vote-%s .\n"
                    % (k, code, STATUS[v], code, k, STATUS[v], wf["adoption_date"], lit(loc), k))
                n_votes[(sym, STATUS[v])] += 1
            cited.add("src:undl-vote-" + k)
        # Sponsorships.
        main = mains[sym]
        if sym not in dg:
            sponsors, extra = [], []
        else:
            sponsors, extra = dg[sym]["sponsors"], dg[sym]["extra"]
        if sym in dg and main["iso_alpha3"] not in [c for c, _ in sponsors]:
            fail("%s: main sponsor %s is not on the draft's sponsor list" % (sym, main["iso_alpha3"]))
        block.append("\n# %s: sponsors%s\n" % (sym, (" (draft %s of %s; additional sponsors before adoption on %s)"
                                                         % (wf["draft"], wf["draft_date"], wf["adoption_date"])) if wf["draft"] else " (draft not read: main sponsor only)"))
        acts = []
        if main["sources"] != "existing":
            acts.append((main["iso_alpha3"], "sponsored", main["not_after"],
                         ("%s, list of sponsors" % wf["draft"]) if wf["draft"] else None,
                         "Main sponsor. " + main["quote"], main["sources"].split()
                         + (["src:dgacm-akn4un-ga-resolutions"] if sym in dg else [])))
        for code, name in sponsors:
            if code == main["iso_alpha3"]:
                continue
            acts.append((code, "co-sponsored", wf["draft_date"], "%s, list of sponsors, %s" % (wf["draft"], name), None,
                         ["src:dgacm-akn4un-ga-resolutions"]))
        for code, name in extra:
            if code == main["iso_alpha3"]:
                fail("%s: main sponsor among the additional sponsors" % sym)
            acts.append((code, "co-sponsored", wf["adoption_date"],
                         "%s, additional sponsors of %s, %s" % (sym, wf["draft"], name),
                         "Joined the sponsors after the draft was issued: listed among the additional sponsors "
                         "(workflow step between the draft %s and the committee report %s); ng:notAfter is the adoption date."
                         % (wf["draft"], wf["report"]), ["src:dgacm-akn4un-ga-resolutions"]))
        for code, st, not_after, loc, comment, srcs in acts:
            if (k, code) in existing:
                skipped.append("%s %s %s (already %s in %s)" % (sym, code, st, *existing[(k, code)]))
                continue
            text = "end:%s--%s--%s a ng:Endorsement ; ng:actor state:%s ; ng:target instr:%s ; ng:status status:%s ;\n    ng:notAfter \"%s\"^^xsd:date ;" % (
                k, code, st, code, k, st, not_after)
            if loc:
                text += " ng:locator %s ;" % lit(loc)
            if comment:
                text += "\n    rdfs:comment %s@en ;" % lit(comment)
            text += "\n    prov:hadPrimarySource %s .\n" % ", ".join(srcs)
            cited.update(srcs)
            block.append(text)
            n_spons[(sym, st)] += 1
        end_out.append("".join(block))

    # Final checks.
    for sym, (votes, _, _, _) in rollcalls.items():
        y, n, a = TALLIES[sym]
        if (n_votes[(sym, "voted-for")], n_votes[(sym, "voted-against")], n_votes[(sym, "abstained")]) != (y, n, a):
            fail("%s: written votes do not equal the tally" % sym)
    missing = sorted(cited - defined_sources())
    if missing:
        fail("sources cited but not defined in data/sources/*.ttl: %s" % ", ".join(missing))

    for s in skipped:
        sys.stderr.write("gen_un_roll_calls: not written, an act already exists: %s\n" % s)
    for sym in order:
        parts = []
        if sym in rollcalls:
            parts.append("votes %d-%d-%d" % (n_votes[(sym, "voted-for")], n_votes[(sym, "voted-against")], n_votes[(sym, "abstained")]))
        parts.append("sponsored %d, co-sponsored %d" % (n_spons[(sym, "sponsored")], n_spons[(sym, "co-sponsored")]))
        print("%s: %s" % (sym, "; ".join(parts)))
    print("total: %d votes, %d sponsorship acts, %d instruments" % (sum(n_votes.values()), sum(n_spons.values()), len(NEW)))
    if dry_run:
        return
    ttl.write_text(OUT_INSTR, "".join(inst_out), final_newline=True)
    ttl.write_text(OUT_END, "".join(end_out), final_newline=True)


if __name__ == "__main__":
    main()
