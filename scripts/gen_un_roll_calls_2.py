#!/usr/bin/env python3
"""Generate, from the UN's own machine-readable General Assembly resolutions, the records of the UN General Assembly
resolutions on ICTs (and other ICT/digital texts adopted by recorded vote) of the 74th-80th sessions that were not
yet in data/ (topic "un-votes-2"; continues scripts/gen_un_roll_calls.py, which it imports but does not change):

    data/instruments/un-votes-2.ttl   the new resolutions (ng:Resolution): A/RES/79/152, 80/118, 80/215 (recorded
                                      vote: method:recorded-vote with the tally) and A/RES/74/173, 75/282, 79/237,
                                      80/16 (adopted without a vote: method:consensus, from which a rule derives the
                                      members' joined-consensus acts; none is written here), plus operative
                                      paragraph 1 of A/RES/80/16 (ng:Provision, endorsing the OEWG 2021-2025 final
                                      report)
    data/endorsements/un-votes-2.ttl  one act per (State, resolution, status): voted-for / voted-against / abstained
                                      for the three roll calls (Member States on no list get none), and sponsored
                                      (main sponsor) / co-sponsored for every State on a draft's sponsor list or
                                      among its additional sponsors (A/RES/75/282, 76/19, 79/152, 79/237, 80/16,
                                      80/215)

The sources cited (src:undl-vote-<key>, src:dgacm-<key>, src:ga12328, src:gashc4430, src:russiaun-belousov-2021) are
written by hand in data/sources/un-votes-2.ttl (and un.ttl); the script checks that every key it cites is defined.

Source: UN Department for General Assembly and Conference Management (DGACM), "Machine-readable General Assembly
resolutions" (Akoma Ntoso for the UN), https://github.com/UNxml/GAresolutions at commit
42a69b67bb92d23969fc45bba151320b82eb8e52 (the newest snapshot, read 2026-12-05; the same commit as
gen_un_roll_calls.py read). Inputs (scripts/data/; Python 3 standard library only; deterministic output):

  un-roll-calls-2-candidates.tsv
      Every candidate considered (all resolutions of data_extract/74.json ... 80.json whose title or agenda item
      names ICTs, information and telecommunications, cyber, criminal purposes, digital technology, the Internet or
      the information society, and every recorded vote on a technology/information/AI title), the DGACM
      adoption_type, and the decision taken with its reason: rollcall / consensus-new / consensus-existing /
      existing / out. Only rollcall, consensus-new and consensus-existing rows are generated.
  un-roll-calls-2-dgacm.jsonl
      The nine lines of data_extract/74.json, 75.json, 76.json, 79.json and 80.json for the generated resolutions,
      copied verbatim (symbol, title, adoption_date, adoption_type, pv, committee, MS_in_favour / MS_against /
      MS_abstaining with their counts, sponsors, additional_sponsors).
  un-roll-calls-2-akn.jsonl
      For each of the nine, the resolution's English Akoma Ntoso file (akn_file; the 74th-session files are inside
      "74session/GA resolutions_74session_English.zip") and, copied verbatim from it, its <workflow> element (draft
      symbol, date and sponsor list 'by'; additional sponsors; committee report; meeting record and adoption date)
      and its <voting> element (outcome; <count> per list with the voters' names); for A/RES/80/16 also operative
      paragraph 1 and the third preambular paragraph.
  un-roll-calls-2-main-sponsors.tsv
      The State that tabled each draft, where a source names it, with the quote.
  un-member-states.tsv (owned by scripts/gen_un_members.py; read through gen_un_roll_calls.lookup_table)

Checks (the script exits non-zero and writes nothing if one fails):
  * every Member State name (JSON upper-case lists, XML voter names, XML title-case sponsor lists) maps to exactly
    one state:XXX of data/actors/states.ttl; no State is in two vote lists of one resolution;
  * the adoption_type of the candidates table equals the JSON, and the JSON's equals the XML <voting outcome>;
  * for each roll call: votes per list = TALLIES below = the JSON MS_*_count = the XML <count value> = the number of
    names, and the JSON lists equal the XML lists State by State;
  * the JSON sponsor lists equal the XML 'draftResolution' and 'draftResolutionAdditionalSponsors' lists, except the
    differences listed in KNOWN_DIFFS (then the XML, the per-resolution document, is used);
  * the main sponsor is on the draft's sponsor list; no State is both a sponsor and an additional sponsor;
  * no record key written here exists elsewhere in data/; no act is written for a (State, resolution, status)
    already recorded in data/ (listed on stderr instead); instruments marked consensus-existing / existing are in
    data/ and those marked rollcall / consensus-new are not;
  * every src: key cited is defined in data/sources/*.ttl; instr:oewg-2021-2025-final-report exists.

Usage (from anywhere): python3 scripts/gen_un_roll_calls_2.py [--dry-run]
"""
import collections
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)
import gen_un_roll_calls as g1  # noqa: E402  (helpers only: name mapping, keys, literals, sources)

ROOT = g1.ROOT
DATA = g1.DATA
CANDIDATES = os.path.join(DATA, "un-roll-calls-2-candidates.tsv")
DGACM = os.path.join(DATA, "un-roll-calls-2-dgacm.jsonl")
AKN = os.path.join(DATA, "un-roll-calls-2-akn.jsonl")
SPONSORS = os.path.join(DATA, "un-roll-calls-2-main-sponsors.tsv")
OUT_INSTR = os.path.join(ROOT, "data", "instruments", "un-votes-2.ttl")
OUT_END = os.path.join(ROOT, "data", "endorsements", "un-votes-2.ttl")

N_MEMBERS = 193
COMMIT = "42a69b67bb92d23969fc45bba151320b82eb8e52"

# Tallies (in favour, against, abstaining) as the source records them (DGACM JSON counts and XML <count> values).
TALLIES = {
    "A/RES/79/152": (174, 0, 11),
    "A/RES/80/118": (181, 2, 1),
    "A/RES/80/215": (174, 3, 4),
}

# Differences between the JSON extract and the resolution's XML that were found when the data were read; the XML
# (the per-resolution document, whose originating_document in the JSON names the addendum) is used.
KNOWN_DIFFS = {
    ("A/RES/75/282", "additional"): "JSON additional_sponsors is empty; the XML lists 'Cameroon, Eritrea and Gabon' "
                                    "(the JSON's originating_document names A/75/L.87/Rev.1/Add.1)",
}

# Extra sources and sentences for the instruments' comments (facts read in the sources named).
EXTRA = {
    "A/RES/75/282": {
        "sources": ["src:ga12328"],
        "comment": "GA/12328 (press release of the meeting): 'adopted unanimously following intensive discussion and "
                   "three approved amendments — two of which required recorded votes'; the draft was introduced by the "
                   "Russian Federation, 'its main co-sponsor'. The recorded votes on the amendments are not recorded here "
                   "(not in the DGACM files; TODO.md).",
    },
    "A/RES/79/152": {
        "sources": ["src:gashc4430"],
        "comment": "Introduced in the Third Committee by France (GA/SHC/4430, which gives the Committee's vote on "
                   "A/C.3/79/L.17/Rev.1 as 170-1-13).",
    },
    "A/RES/79/237": {
        "comment": "Operative paragraph 1: 'Decides to endorse the third annual progress report of the OEWG as contained "
                   "in document A/79/214' (that report is not an instrument in data/, so no provision is written).",
    },
    "A/RES/80/16": {
        "comment": "Operative paragraph 1 endorses the final report of the open-ended working group 2021-2025 "
                   "(A/80/257): provision:a-res-80-16--op-1 below. Its preamble recalls that the group 'at its eleventh "
                   "substantive session, on 11 July 2025, ... considered its final report, decided to include in its "
                   "report the outcome of the substantive discussions of the working group as contained in the annex to "
                   "document A/80/257'.",
    },
    "A/RES/80/118": {
        "comment": "No State sponsors: the draft was 'submitted by the Vice-Chair of the Committee, Jenni Mikkola "
                   "(Finland) and on the basis of informal consultations'.",
    },
    "A/RES/80/215": {
        "comment": "The State that introduced the draft in the Third Committee was not identified (TODO.md): every State "
                   "on the sponsor lists is recorded as co-sponsored.",
    },
    "A/RES/74/173": {
        "comment": "No State sponsors: the draft was 'submitted by the Chair of the Committee on the recommendation of "
                   "the Economic and Social Council'.",
    },
}

# Operative paragraphs written as ng:Provision: symbol -> (akn field, number, affirmed instrument key).
PROVISIONS = {
    "A/RES/80/16": ("para_1", 1, "oewg-2021-2025-final-report"),
}

ORDINAL_COMMITTEE = {"First Committee": "First Committee", "Second Committee": "Second Committee",
                     "Third Committee": "Third Committee"}


fail = ttl.failer("gen_un_roll_calls_2")


def sym_order(s):
    parts = s.split("/")
    return (int(parts[2]), int(parts[3]))


def attrs(tag):
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


def parse_workflow(xml, sym):
    steps = {}
    for tag in re.findall(r"<step\b[^>]*/>", xml):
        a = attrs(tag)
        out = a.get("outcome")
        if out in steps:
            fail("%s: two workflow steps %r" % (sym, out))
        if a.get("date") == "0001-01-01":  # DGACM's placeholder for an unknown date
            a["date"] = ""
        steps[out] = a
    return steps


def parse_voting(xml, sym):
    if not xml.rstrip().endswith("</voting>"):
        fail("%s: saved <voting> element is not complete" % sym)
    outcome = re.match(r'<voting outcome="([^"]+)"', xml).group(1)
    lists = {}
    for m in re.finditer(r'<count value="(\d+)" refersTo="(\w+)">(.*?)</count>', xml, re.S):
        names = re.findall(r"<organization\b[^>]*>([^<]+)</organization>", m.group(3))
        lists[m.group(2)] = (int(m.group(1)), [n.strip() for n in names])
    return outcome, lists


def split_names(table, text, sym):
    """Split a DGACM 'by' list ('A, B and C') into Member State names, using the name table to resolve ' and '."""
    text = text.strip()
    if not text:
        return []
    if text.lower().startswith("submitted by"):
        return []
    out = []
    for part in text.split(", "):
        if g1.norm(part) in table:
            out.append(part)
            continue
        found = None
        pieces = part.split(" and ")
        for i in range(1, len(pieces)):
            left, right = " and ".join(pieces[:i]), " and ".join(pieces[i:])
            if g1.norm(left) in table and g1.norm(right) in table:
                if found:
                    fail("%s: ambiguous split of %r" % (sym, part))
                found = (left, right)
        if not found:
            fail("%s: no Member State name in %r" % (sym, part))
        out.extend(found)
    return out


MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                        "September", "October", "November", "December"], 1)}


def json_date(text):
    """The JSON extract writes '2019-12-18 00:00:00' (74th session) or '26 May 2021' (later sessions)."""
    text = text.replace("\u00a0", " ").strip()  # 79.json writes a no-break space in some dates
    m = re.match(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", text)
    if m:
        return m.group(1)
    m = re.match(r"^(\d{1,2}) (\w+) (\d{4})$", text)
    if m and m.group(2) in MONTHS:
        return "%s-%02d-%02d" % (m.group(3), MONTHS[m.group(2)], int(m.group(1)))
    fail("unreadable JSON date %r" % text)


def json_sponsor_names(names):
    return [n for n in names if not n.lower().startswith("submitted by")]


def existing_records():
    """Keys defined in data/ outside this script's outputs, and (target, actor, status) of acts."""
    keys, acts = set(), {}
    key_pat = re.compile(r"^((?:end|instr|provision|src):[A-Za-z0-9._-]+) a ", re.M)
    act_pat = re.compile(r"ng:actor state:([A-Z]{3}) ; ng:target instr:([a-z0-9-]+) ; ng:status status:([a-z-]+)")
    end_pat = re.compile(r"^end:([a-z0-9-]+)--([A-Z]{3})--([a-z-]+)(?:--\d{4})? a ", re.M)
    mine = {os.path.abspath(OUT_INSTR), os.path.abspath(OUT_END)}
    for path in glob.glob(os.path.join(ROOT, "data", "**", "*.ttl"), recursive=True):
        if os.path.abspath(path) in mine:
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        rel = os.path.relpath(path, ROOT)
        keys.update(key_pat.findall(text))
        for m in act_pat.finditer(text):
            acts[(m.group(2), m.group(1), m.group(3))] = rel
        for m in end_pat.finditer(text):
            acts[(m.group(1), m.group(2), m.group(3))] = rel
    return keys, acts


def clean_text(fragment):
    s = re.sub(r"<num>.*?</num>", "", fragment, flags=re.S)
    s = re.sub(r"<[^>]+>", "", s)
    return re.sub(r"\s+", " ", s).strip()


PREFIXES = g1.PREFIXES + ttl.prefixes("provision", "kind")


def main():
    dry_run = "--dry-run" in sys.argv[1:]
    state_keys = ttl.state_keys(g1.STATES)
    table = g1.lookup_table(state_keys)

    def iso(name, where):
        code = table.get(g1.norm(name))
        if not code:
            fail("%s: no ISO code for the name %r" % (where, name))
        return code

    cands = g1.read_tsv(CANDIDATES)
    use = {r["symbol"]: r for r in cands if r["decision"] in ("rollcall", "consensus-new", "consensus-existing")}
    if len(set(r["symbol"] for r in cands)) != len(cands):
        fail("a symbol is listed twice in the candidates table")
    dg = {e["symbol"]: e for e in ttl.jsonl(DGACM)}
    akn = {r["symbol"]: r for r in ttl.jsonl(AKN)}
    if set(dg) != set(use) or set(akn) != set(use):
        fail("the JSON / AKN copies do not hold exactly the resolutions the candidates table generates")
    mains = collections.defaultdict(list)
    for r in g1.read_tsv(SPONSORS):
        mains[r["symbol"]].append(r)

    existing_keys, existing_acts = existing_records()
    instr_keys = set(k[len("instr:"):] for k in existing_keys if k.startswith("instr:"))
    for r in cands:
        k = g1.key_of(r["symbol"])
        if r["decision"] in ("existing", "consensus-existing") and k not in instr_keys:
            fail("%s is marked %s but instr:%s is not in data/" % (r["symbol"], r["decision"], k))
        if r["decision"] in ("rollcall", "consensus-new") and k in instr_keys:
            fail("%s is marked %s but instr:%s already exists in data/" % (r["symbol"], r["decision"], k))
    for sym, (_, _, target) in PROVISIONS.items():
        if target not in instr_keys:
            fail("%s: affirmed instrument instr:%s not in data/" % (sym, target))

    cited = set()
    written_keys = set()
    skipped = []

    def add_key(k):
        if k in existing_keys or k in written_keys:
            fail("record key %s already exists" % k)
        written_keys.add(k)

    parsed = {}
    for sym in sorted(use, key=sym_order):
        cand, e, a = use[sym], dg[sym], akn[sym]
        if e["adoption_type"] != cand["adoption_type"]:
            fail("%s: adoption_type %r != candidates table %r" % (sym, e["adoption_type"], cand["adoption_type"]))
        steps = parse_workflow(a["workflow"], sym)
        outcome, lists = parse_voting(a["voting"], sym)
        expect = {"By a recorded vote": "adoptedRecordedVote", "Without a vote": "adoptedWithoutVote"}[e["adoption_type"]]
        if outcome != expect:
            fail("%s: XML voting outcome %s, JSON adoption_type %r" % (sym, outcome, e["adoption_type"]))
        if (cand["decision"] == "rollcall") != (outcome == "adoptedRecordedVote"):
            fail("%s: decision %s does not fit the outcome %s" % (sym, cand["decision"], outcome))
        adopted = steps.get("adopted", {})
        if adopted.get("as") != e["pv"]:
            fail("%s: XML meeting %r != JSON pv %r" % (sym, adopted.get("as"), e["pv"]))
        if json_date(e["adoption_date"]) != adopted.get("date"):
            fail("%s: JSON adoption_date %r != XML date %r" % (sym, e["adoption_date"], adopted.get("date")))
        # Votes.
        votes = {}
        if outcome == "adoptedRecordedVote":
            for field, ref, v in (("MS_in_favour", "inFavour", "Y"), ("MS_against", "against", "N"),
                                  ("MS_abstaining", "abstaining", "A")):
                jnames = e[field]
                xcount, xnames = lists.get(ref, (0, []))
                stated = int(e[field + "_count"])
                want = TALLIES[sym]["YNA".index(v)]
                if not (len(jnames) == stated == xcount == len(xnames) == want):
                    fail("%s: %s counts differ: JSON %d names / count %d, XML count %d / %d names, tally %d"
                         % (sym, field, len(jnames), stated, xcount, len(xnames), want))
                jc = sorted(iso(n, sym) for n in jnames)
                xc = sorted(iso(n, sym) for n in xnames)
                if jc != xc:
                    fail("%s: %s lists differ between JSON and XML: %s" % (sym, field, sorted(set(jc) ^ set(xc))))
                for n in xnames:
                    c = iso(n, sym)
                    if c in votes:
                        fail("%s: %s is in two vote lists" % (sym, c))
                    votes[c] = (v, n)
            if len(votes) > N_MEMBERS:
                fail("%s: more votes than Members" % sym)
        elif lists:
            fail("%s: counts in a vote without a vote" % sym)
        # Sponsors.
        draft = steps.get("draftResolution", {})
        xs = split_names(table, draft.get("by", ""), sym)
        xa = split_names(table, steps.get("draftResolutionAdditionalSponsors", {}).get("by", ""), sym)
        js = json_sponsor_names(e["sponsors"])
        ja = json_sponsor_names(e["additional_sponsors"])
        for label, j, x in (("sponsors", js, xs), ("additional", ja, xa)):
            jc, xc = sorted(iso(n, sym) for n in j), sorted(iso(n, sym) for n in x)
            if jc != xc:
                if (sym, label) in KNOWN_DIFFS:
                    sys.stderr.write("gen_un_roll_calls_2: %s %s: known difference, XML used: %s\n"
                                     % (sym, label, KNOWN_DIFFS[(sym, label)]))
                    if not set(jc) <= set(xc):
                        fail("%s: JSON %s not a subset of the XML list" % (sym, label))
                else:
                    fail("%s: %s differ between JSON and XML: %s" % (sym, label, sorted(set(jc) ^ set(xc))))
        sponsors = [(iso(n, sym), n) for n in xs]
        extra = [(iso(n, sym), n) for n in xa]
        if len(set(c for c, _ in sponsors)) != len(sponsors) or len(set(c for c, _ in extra)) != len(extra):
            fail("%s: a State is listed twice among the sponsors" % sym)
        both = set(c for c, _ in sponsors) & set(c for c, _ in extra)
        if both:
            fail("%s: both sponsor and additional sponsor: %s" % (sym, sorted(both)))
        main = {}
        for r in mains.get(sym, []):
            if r["iso_alpha3"] not in [c for c, _ in sponsors]:
                fail("%s: main sponsor %s is not on the draft's sponsor list" % (sym, r["iso_alpha3"]))
            if r["not_after"] != draft.get("date"):
                fail("%s: main sponsor date %s != draft date %s" % (sym, r["not_after"], draft.get("date")))
            main[r["iso_alpha3"]] = r
        parsed[sym] = dict(cand=cand, e=e, a=a, steps=steps, votes=votes, sponsors=sponsors, extra=extra, main=main)
    for sym in mains:
        if sym not in parsed:
            fail("main sponsor row for %s, which is not generated" % sym)

    # Instruments.
    inst_out = [PREFIXES, "\n# GENERATED by scripts/gen_un_roll_calls_2.py from scripts/data/un-roll-calls-2-*.{tsv,jsonl}; do not edit by hand.\n"
                "# UN General Assembly resolutions of the 74th-80th sessions on ICTs (international security, cybercrime) and other\n"
                "# ICT/digital texts adopted by recorded vote that were not yet in data/ (topic un-votes-2). Per-State votes and\n"
                "# sponsorships: data/endorsements/un-votes-2.ttl. All read in the UN's DGACM machine-readable resolutions\n"
                "# (github.com/UNxml/GAresolutions, commit %s): one src:dgacm-<key> per resolution, and for a\n"
                "# roll call src:undl-vote-<key> (data/sources/un-votes-2.ttl). Texts adopted without a vote carry method:consensus\n"
                "# (the members' joined-consensus acts are derived by rule 05-consensus; none is written). Candidates considered and\n"
                "# left out, with reasons: scripts/data/un-roll-calls-2-candidates.tsv.\n\n" % COMMIT]
    for sym in sorted(parsed, key=sym_order):
        p = parsed[sym]
        if p["cand"]["decision"] == "consensus-existing":
            continue
        e, steps, k = p["e"], p["steps"], g1.key_of(sym)
        draft, report, adopted = steps.get("draftResolution", {}), steps.get("recommendedForAdoption", {}), steps["adopted"]
        date = adopted["date"]
        bits = []
        committee = e["committee"]
        if draft.get("as"):
            bits.append("Draft %s%s" % (draft["as"], " (%s)" % draft["date"] if draft.get("date") else ""))
        if report.get("as"):
            bits.append("recommended in the %s's report %s%s" % (committee, report["as"],
                        " (%s, para. %s)" % (report["date"], report.get("refersTo")) if report.get("date") else
                        " (para. %s)" % report.get("refersTo") if report.get("refersTo") else ""))
        elif committee.startswith("Without reference"):
            bits.append("considered without reference to a Main Committee")
        sentence = ", ".join(bits)
        sentence = (sentence + "; adopted" if sentence else "Adopted") + " at the %s (%s) on %s, %s." % (
            e["adoption_meeting"], adopted["as"], date,
            "by recorded vote" if p["votes"] else "without a vote ('adoptedWithoutVote')")
        comment = [sentence]
        if p["votes"]:
            y, n, a = TALLIES[sym]
            comment.append("%d of the %d Member States are on none of the three vote lists." % (N_MEMBERS - y - n - a, N_MEMBERS))
        comment.append("Read in the DGACM machine-readable text of the resolution (%s): workflow, mode of adoption%s." % (
            p["a"]["akn_file"], ", vote lists with their counts" if p["votes"] else ""))
        if sym in EXTRA and EXTRA[sym].get("comment"):
            comment.append(EXTRA[sym]["comment"])
        sources = (["src:undl-vote-" + k] if p["votes"] else []) + ["src:dgacm-" + k] + EXTRA.get(sym, {}).get("sources", [])
        cited.update(sources)
        lines = [
            "instr:%s a ng:Resolution ;" % k,
            "    dcterms:title %s@en ;" % g1.lit(re.sub(r"\s+", " ", e["title"]).strip()),  # 80.json has no-break spaces
            "    dcterms:identifier %s ;" % g1.lit(sym),
            "    dcterms:date \"%s\"^^xsd:date ;" % date,
            "    ng:adoptedBy inst:UNGA ;",
            "    ng:isBinding false ;",
            "    foaf:page <https://undocs.org/%s> ;" % sym,
            "    ng:theme %s ;" % p["cand"]["themes"],
        ]
        if p["votes"]:
            lines += ["    ng:adoptionMethod method:recorded-vote ;",
                      "    ng:votesFor %d ; ng:votesAgainst %d ; ng:abstentions %d ;" % TALLIES[sym]]
        else:
            lines.append("    ng:adoptionMethod method:consensus ;")
        lines += ["    rdfs:comment %s@en ;" % g1.lit(" ".join(comment)),
                  "    prov:hadPrimarySource %s ." % ", ".join(sources)]
        add_key("instr:" + k)
        inst_out.append("\n".join(lines) + "\n\n")
        if sym in PROVISIONS:
            field, num, target = PROVISIONS[sym]
            frag = p["a"][field]
            if ("<num>%d.</num>" % num) not in frag:
                fail("%s: saved paragraph is not operative paragraph %d" % (sym, num))
            text = clean_text(frag)
            pk = "provision:%s--op-%d" % (k, num)
            add_key(pk)
            inst_out.append(
                "%s a ng:Provision ;\n    ng:provisionOf instr:%s ;\n    ng:locator \"operative paragraph %d\" ;\n"
                "    ng:provisionKind kind:operative ;\n    ng:text %s@en ;\n    ng:affirms instr:%s ;\n"
                "    rdfs:comment %s@en ;\n    prov:hadPrimarySource src:dgacm-%s .\n\n"
                % (pk, k, num, g1.lit(text), target, g1.lit(
                    "Verbatim from the DGACM Akoma Ntoso text of %s (<mainBody>, paragraph numbered %d.). 'The open-ended "
                    "working group' is the OEWG on security of and in the use of ICTs 2021-2025 (the resolution's title); "
                    "A/80/257 is the document symbol of the final report it adopted on 11 July 2025 (third preambular "
                    "paragraph), recorded as instr:%s under its conference-room-paper symbol." % (sym, num, target)), k))

    # Acts.
    end_out = [PREFIXES, "\n# GENERATED by scripts/gen_un_roll_calls_2.py from scripts/data/un-roll-calls-2-*.{tsv,jsonl}; do not edit by hand.\n"
               "# Per-State recorded votes in the UN General Assembly plenary (voted-for / voted-against / abstained; Members on no\n"
               "# list get no act), dated the day of adoption, each citing the resolution's UN voting record (src:undl-vote-<key>);\n"
               "# and sponsorships: status sponsored for the main sponsor (named by the source quoted in its comment, or the only\n"
               "# State on the draft), co-sponsored for every other State on the draft's sponsor list (ng:notAfter = the draft's\n"
               "# date) or among the additional sponsors (ng:notAfter = the adoption date), as the DGACM Akoma Ntoso text of the\n"
               "# resolution gives them (src:dgacm-<key>). No per-member joined-consensus act is written (derived by rule).\n"
               "# Tallies: " + "; ".join("%s %d-%d-%d" % (s.replace("A/RES/", ""), *TALLIES[s]) for s in sorted(TALLIES, key=sym_order)) + ".\n"]
    n_votes, n_spons = collections.Counter(), collections.Counter()
    for sym in sorted(parsed, key=sym_order):
        p = parsed[sym]
        k, steps, e = g1.key_of(sym), p["steps"], p["e"]
        adopted_date = steps["adopted"]["date"]
        draft = steps.get("draftResolution", {})
        block = []
        if p["votes"]:
            block.append("\n#################################################################\n# %s: recorded vote of %s (%d-%d-%d)\n"
                         "#################################################################\n" % (sym, adopted_date, *TALLIES[sym]))
            for code in sorted(p["votes"]):
                v, name = p["votes"][code]
                st = g1.STATUS[v]
                if (k, code, st) in existing_acts:
                    skipped.append("%s %s %s (already in %s)" % (sym, code, st, existing_acts[(k, code, st)]))
                    continue
                ek = "end:%s--%s--%s" % (k, code, st)
                add_key(ek)
                loc = "%s, recorded vote at %s, list '%s', entry %s" % (sym, steps["adopted"]["as"], g1.LIST_LABEL[v], name)
                block.append("%s a ng:Endorsement ; ng:actor state:%s ; ng:target instr:%s ; ng:status status:%s ;\n"
                             "    ng:date \"%s\"^^xsd:date ; ng:locator %s ; prov:hadPrimarySource src:undl-vote-%s .\n"
                             % (ek, code, k, st, adopted_date, g1.lit(loc), k))
                n_votes[(sym, st)] += 1
            cited.add("src:undl-vote-" + k)
        if not p["sponsors"] and not p["extra"]:
            block.append("\n# %s: no State sponsors in the DGACM text (nothing written)\n" % sym)
            end_out.append("".join(block))
            continue
        block.append("\n# %s: sponsors (draft %s of %s; additional sponsors before adoption on %s)\n"
                     % (sym, draft.get("as"), draft.get("date"), adopted_date))
        no_main = not p["main"]
        acts = []
        for code, name in p["sponsors"]:
            if code in p["main"]:
                r = p["main"][code]
                srcs = (r["sources"].split() if r["sources"] else []) + ["src:dgacm-" + k]
                acts.append((code, "sponsored", r["not_after"], "%s, list of sponsors, %s" % (draft["as"], name),
                             "Main sponsor. " + r["quote"], srcs))
            else:
                acts.append((code, "co-sponsored", draft["date"], "%s, list of sponsors, %s" % (draft["as"], name),
                             "The State that introduced the draft was not identified; it is one of the States on this list, "
                             "all recorded as co-sponsored." if no_main else None, ["src:dgacm-" + k]))
        for code, name in p["extra"]:
            acts.append((code, "co-sponsored", adopted_date, "%s, additional sponsors of %s, %s" % (sym, draft.get("as"), name),
                         "Joined the sponsors after the draft was issued: listed among the additional sponsors (workflow step "
                         "after the draft %s); ng:notAfter is the adoption date." % draft.get("as"), ["src:dgacm-" + k]))
        for code, st, not_after, loc, comment, srcs in acts:
            if not not_after:
                fail("%s: no date for the act of %s" % (sym, code))
            if (k, code, st) in existing_acts:
                skipped.append("%s %s %s (already in %s)" % (sym, code, st, existing_acts[(k, code, st)]))
                continue
            other = "co-sponsored" if st == "sponsored" else "sponsored"
            if (k, code, other) in existing_acts:
                skipped.append("%s %s %s (already %s in %s)" % (sym, code, st, other, existing_acts[(k, code, other)]))
                continue
            ek = "end:%s--%s--%s" % (k, code, st)
            add_key(ek)
            text = "%s a ng:Endorsement ; ng:actor state:%s ; ng:target instr:%s ; ng:status status:%s ;\n    ng:notAfter \"%s\"^^xsd:date ; ng:locator %s ;" % (
                ek, code, k, st, not_after, g1.lit(loc))
            if comment:
                text += "\n    rdfs:comment %s@en ;" % g1.lit(comment)
            text += "\n    prov:hadPrimarySource %s .\n" % ", ".join(srcs)
            cited.update(srcs)
            block.append(text)
            n_spons[(sym, st)] += 1
        end_out.append("".join(block))

    # Final checks.
    for sym in TALLIES:
        got = (n_votes[(sym, "voted-for")], n_votes[(sym, "voted-against")], n_votes[(sym, "abstained")])
        if got != TALLIES[sym]:
            fail("%s: written votes %s do not equal the tally %s" % (sym, got, TALLIES[sym]))
    missing = sorted(cited - g1.defined_sources())
    if missing:
        fail("sources cited but not defined in data/sources/*.ttl: %s" % ", ".join(missing))

    for s in skipped:
        sys.stderr.write("gen_un_roll_calls_2: not written, an act already exists: %s\n" % s)
    n_inst = sum(1 for s in parsed if parsed[s]["cand"]["decision"] != "consensus-existing")
    for sym in sorted(parsed, key=sym_order):
        parts = [parsed[sym]["cand"]["decision"]]
        if sym in TALLIES:
            parts.append("votes %d-%d-%d" % (n_votes[(sym, "voted-for")], n_votes[(sym, "voted-against")], n_votes[(sym, "abstained")]))
        parts.append("sponsored %d, co-sponsored %d" % (n_spons[(sym, "sponsored")], n_spons[(sym, "co-sponsored")]))
        print("%s: %s" % (sym, "; ".join(parts)))
    print("total: %d votes, %d sponsorship acts, %d instruments, %d provisions" % (
        sum(n_votes.values()), sum(n_spons.values()), n_inst, len(PROVISIONS)))
    if dry_run:
        return
    ttl.write_text(OUT_INSTR, "".join(inst_out), final_newline=True)
    ttl.write_text(OUT_END, "".join(end_out), final_newline=True)


if __name__ == "__main__":
    main()
