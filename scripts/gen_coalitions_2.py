#!/usr/bin/env python3
"""Generate data/endorsements/coalitions-2.ttl and data/actors/coalitions-2.ttl (topic "coalitions-2"): further
members, signatories and supporters of the International Counter Ransomware Initiative (CRI), the Pall Mall
Process and the Charter of Trust, beyond those of scripts/gen_coalitions.py.

Python 3 standard library only. Deterministic output.

Inputs (tab-separated, '#' lines are comments):
  scripts/data/coalitions-2-lists.tsv   list_id, position, name_as_written: each list exactly as read in its source
  scripts/data/coalitions-2-names.tsv   name_as_written -> actor CURIE (+ class/label for actors minted here)

Sources (all read 2026-12-05 as stored copies through the project's search tool; the source records, with the
sentences relied on, are in data/sources/coalitions-2.ttl, except src:rusi-pall-mall-2025 which is in
data/sources/coalitions.ttl):
  cri-2022-summit, cri-2022-eu  https://digital-strategy.ec.europa.eu/fi/node/11297 (European Commission Digibyte
                                "International Counter Ransomware Initiative: strengthening cybersecurity cooperation
                                & actions"; the White House text of the 2022 summit was not in the stored corpus)
  cri-2023-payments             https://www.gov.uk/government/publications/cri-joint-statement-on-ransomware-payments/cri-joint-statement-on-ransomware-payments
                                (and the copy of the Cyber Security Agency of Singapore, 2 November 2023)
  pmp-decl-darkreading          https://thenetworkcompany.net/world-govs-tech-giants-sign-spyware-responsibility-pledge/
                                (copy of Dark Reading, 6 February 2024)
  pmp-decl-urbana               https://urbananews.ca/international-coalition-forms-to-combat-misuse-of-commercial-spyware
  pmp-decl-rusi                 https://rusi.org/explore-our-research/publications/commentary/paris-pall-mall-and-code-practice-cyber-capabilities
  pmp-decl-aspi                 https://www.aspi.org.au/strategist-posts/keeping-the-indo-pacific-on-board-with-the-global-anti-spyware-movement/
  pmp-code-therecord-*          https://therecord.media/pall-mall-process-commercial-spyware-hacking-paris-diplomacy
                                (dated 9 April 2025 by the copy of the Business & Human Rights Resource Centre)
  pmp-code-bindinghook          https://bindinghook.com/?p=2855
  pmp-code-orf                  https://orfamerica.org/orf-america-comments/pall-mall-cyber-intrusion-capabilities
  cot-2022-dtf, -associates     https://www.charteroftrust.com/news/charter-of-trust-and-digital-trust-forum-join-forces-for-greater-cybersecurity
  cot-2022-microsoft            https://charteroftrust.com/news/microsoft-joins-charter-of-trust-for-greater-cybersecurity-collaboration
                                (date from https://dcnnmagazine.com/security/microsoft-joins-charter-of-trust/)

What each list evidences: see LISTS below (instrument, status, date rule, sources, wording of the comment). The
official signatory lists of the Pall Mall declaration and Code (end of the GOV.UK pages) were not in the stored
copies, so the Pall Mall acts rest on press and think-tank reports that name signatories; each comment says so.
Rules: one act per (actor, instrument, status); when several lists name the same act, the first list in LISTS
order sets its date and the others add their source and sentence ("also", else "comment"); an act whose key already exists elsewhere in
data/endorsements/ (e.g. Japan on the Pall Mall Code, data/endorsements/coalitions.ttl) is skipped and reported.
Charter of Trust partners and associated partners also get an org:Membership in inst:charter-of-trust.

Checks (exit non-zero on failure): list sizes as read; the 36 states of the 2022 summit plus the EU equal the 37
members that preceded the 2023 intake (scripts/data/coalitions-lists.tsv, read only); the 47 of the payments
statement are among the 50 members of 2023, the EU, Papua New Guinea and Uruguay being the three not named; every name maps; every state key exists in
data/actors/states.ttl; every non-minted inst: key and every src: key exists in data/; no duplicate record key.

Usage (from anywhere): python3 scripts/gen_coalitions_2.py
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)
from ttl import curie_key as key_of, xsd_date as d  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
LISTS_TSV = os.path.join(ROOT, "scripts", "data", "coalitions-2-lists.tsv")
NAMES_TSV = os.path.join(ROOT, "scripts", "data", "coalitions-2-names.tsv")
OUT_ACTORS = os.path.join(ROOT, "data", "actors", "coalitions-2.ttl")
OUT_ACTS = os.path.join(ROOT, "data", "endorsements", "coalitions-2.ttl")
STATES_TTL = os.path.join(ROOT, "data", "actors", "states.ttl")
OLD_LISTS_TSV = os.path.join(ROOT, "scripts", "data", "coalitions-lists.tsv")   # scripts/gen_coalitions.py's lists
OLD_NAMES_TSV = os.path.join(ROOT, "scripts", "data", "coalitions-names.tsv")
READ_ON = "2026-12-05"   # reading date: ng:notAfter where the report naming the act has no date that was read

CRI22 = "cri-2022-summit-commitments"
CRI23P = "cri-2023-ransomware-payments-statement"
PMD = "pall-mall-declaration-2024"
PMC = "pall-mall-code-of-practice-2025"
COT = "charter-of-trust"

# list_id -> settings. kind "act": one act per distinct actor (instrument, status, date or nb/na, sources, comment
# with {nm} = name as written); kind "membership": a membership only. "size" = rows as read; "distinct" = actors.
LISTS = collections.OrderedDict([
    ("cri-2022-summit", dict(
        kind="act", instr=CRI22, status="agreed", nb="2022-10-31", na="2022-11-01", size=37, distinct=36,
        src=["src:ec-digibyte-cri-2022"], locator="list of 'the members' (first paragraph)",
        comment="'{nm}' is named by the European Commission among 'the members' who, 'At the second Counter Ransomware "
                "Initiative, or CRI, Summit' in Washington on 31 October and 1 November 2022, 'reaffirmed their joint "
                "commitments to counter all elements of ransomware threats' and 'commit to continuous action'. The "
                "act lies within the summit; the White House text of its outcome was not read.")),
    ("cri-2022-eu", dict(
        kind="act", instr=CRI22, status="participated", nb="2022-10-31", na="2022-11-01", size=1, distinct=1,
        src=["src:ec-digibyte-cri-2022"], locator="introduction",
        comment="'The EU participated in the 2022 Summit of the Counter Ransomware Initiative in Washington D.C. on 31 "
                "October and 1 November' (European Commission). The EU is not in the Commission's list of 'the "
                "members' that made the commitments, so only its participation is recorded (it is a CRI member: "
                "mem:cri-EU).")),
    ("cri-2023-payments", dict(
        kind="act", instr=CRI23P, status="agreed", date="2023-11-02", size=47, distinct=47,
        src=["src:govuk-cri-ransomware-payments-2023", "src:csa-cri-ransomware-payments-2023"],
        locator="footnote 1 (list of the members joining the statement)",
        comment="'{nm}' is named in footnote 1 to 'Members of the Counter Ransomware Initiative are joining together to "
                "publicly denounce ransomware ...' of the CRI joint statement on ransomware payments, published on 2 "
                "November 2023 by the United Kingdom and Singapore (co-chairs of the CRI Policy Pillar). Not in the "
                "footnote, although members in 2023: the European Union, Papua New Guinea and Uruguay.")),
    ("pmp-decl-darkreading", dict(
        kind="act", instr=PMD, status="supported", date="2024-02-06", size=6, distinct=6,
        src=["src:darkreading-pall-mall-2024"], locator="press report (the declaration's own list not read)",
        comment="'{nm}' is named by Dark Reading on 6 February 2024: 'A coalition of dozens of countries including "
                "France, the UK, and the US, along with tech giants such as Google, Meta, and Microsoft, have signed a "
                "joint agreement to combat the use of commercial spyware' (the Pall Mall declaration of 6 February "
                "2024). Secondary source: the declaration's signatory list on GOV.UK was not in the stored copy.")),
    ("pmp-decl-urbana", dict(
        kind="act", instr=PMD, status="supported", nb="2024-02-06", na="2024-02-07", size=4, distinct=4,
        src=["src:urbananews-pall-mall-2024"], locator="press report (the declaration's own list not read)",
        comment="'{nm}' is named by Urbana News on 7 February 2024: 'A coalition of 25 countries, including Canada, the "
                "United States, France, and the U.K., along with various nation groups, has pledged to combat the "
                "misuse of commercial spyware ... Termed the Pall Mall Process'. Secondary source.")),
    ("pmp-decl-rusi", dict(
        kind="act", instr=PMD, status="supported", nb="2024-02-06", na="2025-04-02", size=2, distinct=2,
        src=["src:rusi-pall-mall-2025"], locator="commentary (the declaration's own list not read)",
        comment="RUSI: the declaration 'at the time of writing, has been signed by 26 governments, two regional "
                "organisations (African Union and the Gulf Cooperation Council) and other non-governmental "
                "representatives'; the commentary was written before the Paris meeting of 3-4 April 2025 ('will be "
                "heading to Paris for the second meeting ... in early April'), hence the interval. Secondary source.")),
    ("pmp-decl-aspi", dict(
        kind="act", instr=PMD, status="supported", nb="2024-02-06", na=READ_ON, size=2, distinct=2,
        src=["src:aspi-pall-mall-2025"], locator="commentary (the declaration's own list not read)",
        comment="ASPI: 'While Australia and Singapore endorsed the initial 2024 declaration, neither signed the code of "
                "conduct.' The commentary's date was not read (it refers to the launch of the Code 'In April'), so "
                "ng:notAfter is the reading date. Secondary source.")),
    ("pmp-code-therecord-initial", dict(
        kind="act", instr=PMC, status="supported", nb="2025-04-03", na="2025-04-09", size=2, distinct=2,
        src=["src:therecord-pall-mall-2025"], locator="press report (the Code's own list not read)",
        comment="The Record (Recorded Future News), 9 April 2025: 'On Friday, 21 countries initially signed the Code of "
                "Practice. Romania also signed up on Monday. The list of signatories introduces some surprises. Austria "
                "and Hungary, ... who did not join the declaration following the first conference in London last "
                "year, agreed this time round to uphold the Code of Practice advanced in Paris.' '{nm}' supported the "
                "Code between the conference's first day and the report. Secondary source.")),
    ("pmp-code-therecord-monday", dict(
        kind="act", instr=PMC, status="supported", date="2025-04-07", size=1, distinct=1,
        src=["src:therecord-pall-mall-2025"], locator="press report (the Code's own list not read)",
        comment="The Record, 9 April 2025: 'On Friday, 21 countries initially signed the Code of Practice. Romania also "
                "signed up on Monday.' Friday is 4 April 2025, the day the Code was published (joint communique and "
                "French ministry, src:cybernews-pall-mall-code-2025), so Monday is 7 April 2025. Secondary source.")),
    ("pmp-code-bindinghook", dict(
        kind="act", instr=PMC, status="supported", nb="2025-04-05", na=READ_ON, size=2, distinct=2,
        src=["src:bindinghook-pall-mall-2025"], locator="commentary (the Code's own list not read)",
        also="Binding Hook: '21 states (later joined by Romania and the United States) signed a non-binding code of practice'.",
        comment="Binding Hook: 'As springtime bloomed in Paris in the first week of April 2025, 21 states (later joined "
                "by Romania and the United States) signed a non-binding code of practice'. '{nm}' joined after the "
                "signing of 4 April 2025; the commentary's date was not read, so ng:notAfter is the reading date. "
                "Secondary source.")),
    ("pmp-code-orf", dict(
        kind="act", instr=PMC, status="supported", nb="2025-04-03", na=READ_ON, size=3, distinct=3,
        src=["src:orfamerica-pall-mall-2025"], locator="commentary (the Code's own list not read)",
        also="ORF America names '{nm}' among the '25 countries' that 'agreed in Paris to a code'.",
        comment="ORF America: 'Three months ago, to little fanfare, 25 countries - including the United States, many "
                "European Union member states, Japan, and South Korea - agreed in Paris to a code to tackle the "
                "proliferation and irresponsible use of commercial cyber intrusion capabilities.' '{nm}' is named; the "
                "commentary's date was not read, so ng:notAfter is the reading date. Secondary source.")),
    ("cot-2022-dtf", dict(
        kind="act", instr=COT, status="supported", date="2022-01-01", prec="year", size=2, distinct=2, member=True,
        src=["src:charteroftrust-dtf-merger"], locator="news release 'Charter of Trust and Digital Trust Forum join forces'",
        comment="Charter of Trust release: 'Bosch and Deutsche Post DHL Group join Charter of Trust ... bringing the "
                "number of Charter of Trust members up to 17 four years after it was first signed' (signed on 16 "
                "February 2018): year 2022, day not read. By the Microsoft release of November 2022 the initiative "
                "had 18 members. Later partner, hence status supported (convention of data/endorsements/coalitions.ttl).")),
    ("cot-2022-associates", dict(
        kind="membership", size=4, distinct=4, src=["src:charteroftrust-dtf-merger"])),
    ("cot-2022-microsoft", dict(
        kind="act", instr=COT, status="supported", date="2022-11-10", size=1, distinct=1, member=True,
        src=["src:charteroftrust-microsoft-2022", "src:dcnn-charter-of-trust-microsoft-2022"],
        locator="news release 'Microsoft joins Charter of Trust'",
        comment="'Microsoft has joined the Charter of Trust (CoT) cyber security initiative as of 10 November 2022 ... "
                "With the addition of Microsoft, the Charter of Trust initiative has grown to 18 members' (DCNN, 16 "
                "November 2022, reproducing the Charter's release, whose text on charteroftrust.com was read from the "
                "Microsoft quotation on). Later partner, hence status supported.")),
])

PREFIXES = ttl.prefixes("ng", "org", "prov", "rdfs", "xsd", "state", "inst", "instr", "mem", "end", "src", "status")

fail = ttl.failer("gen_coalitions_2")


def lit(s):
    return ttl.lit(s, newlines="keep")  # line breaks written as they are, as this script always did


def scan_data(exclude):
    """Subjects defined elsewhere in data/: inst:, src:, end:, mem: keys and instr: keys."""
    files = ttl.data_ttl_files(ROOT, exclude)
    return {pre: ttl.keys_defined(files, pre + ":", after=" a ") for pre in ("inst", "src", "end", "mem", "instr")}


def main():
    lists = collections.OrderedDict()
    for r in ttl.tsv_rows(LISTS_TSV):
        if len(r) != 3:
            fail("bad list row: %r" % (r,))
        lists.setdefault(r[0], []).append(r[2])
    names = {}
    for r in ttl.tsv_rows(NAMES_TSV):
        r = (r + [""] * 5)[:5]
        if r[0] in names:
            fail("duplicate name: " + r[0])
        names[r[0]] = {"curie": r[1], "cls": r[2], "label": r[3], "note": r[4]}

    # ---------------------------------------------------------------- checks
    if list(lists) != list(LISTS):
        fail("lists in the TSV %s differ from LISTS %s" % (list(lists), list(LISTS)))
    for lid, cfg in LISTS.items():
        lst = lists[lid]
        if len(lst) != cfg["size"]:
            fail("list %s has %d rows, expected %d" % (lid, len(lst), cfg["size"]))
        for nm in lst:
            if nm not in names:
                fail("name not mapped: %r (list %s)" % (nm, lid))
        if len({names[n]["curie"] for n in lst}) != cfg["distinct"]:
            fail("list %s: %d distinct actors, expected %d" % (lid, len({names[n]["curie"] for n in lst}), cfg["distinct"]))
    # cross-check with the lists of scripts/gen_coalitions.py (read only): the 2022 summit's members plus the EU are
    # the 37 members that preceded the 2023 intake; the payments statement's 47 are among the 50 of 2023
    old = collections.defaultdict(set)
    for r in ttl.tsv_rows(OLD_LISTS_TSV):
        old[r[0]].add(r[2])
    old_names = {}
    for r in ttl.tsv_rows(OLD_NAMES_TSV):
        old_names[r[0]] = r[1]
    C2 = lambda lid: {names[n]["curie"] for n in lists[lid]}
    C1 = lambda lid: {old_names[n] for n in old[lid]}
    if C2("cri-2022-summit") | C2("cri-2022-eu") != C1("cri-2023-previous"):
        fail("2022 summit members + EU != the 37 previous members of 2023: %s" % sorted(
            (C2("cri-2022-summit") | C2("cri-2022-eu")) ^ C1("cri-2023-previous")))
    if not C2("cri-2023-payments") <= C1("cri-2023-statement"):
        fail("a signatory of the payments statement is not among the 50 members of 2023")
    not_in_payments = sorted(C1("cri-2023-statement") - C2("cri-2023-payments"))
    if not_in_payments != ["inst:EU", "state:PNG", "state:URY"]:
        fail("members of 2023 not in the payments statement changed: %s" % not_in_payments)
    states = ttl.state_keys(STATES_TTL, after=" ")
    found = scan_data({OUT_ACTORS, OUT_ACTS})
    for nm, v in names.items():
        cu = v["curie"]
        if cu.startswith("state:") and key_of(cu) not in states:
            fail("unknown state " + cu)
        if cu.startswith("inst:") and not v["cls"] and key_of(cu) not in found["inst"]:
            fail("inst neither minted here nor existing: " + cu)
    for cfg in LISTS.values():
        for s in cfg["src"]:
            if key_of(s) not in found["src"]:
                fail("source not defined in data/sources: " + s)
        if cfg.get("instr") and cfg["instr"] not in found["instr"]:
            fail("instrument not defined in data/: instr:" + cfg["instr"])
    reused = sorted({v["curie"] for v in names.values() if v["cls"] and key_of(v["curie"]) in found["inst"]})
    for v in names.values():
        if key_of(v["curie"]) in found["inst"]:
            v["cls"] = ""

    # ---------------------------------------------------------------- acts (merged by key)
    acts = collections.OrderedDict()
    skipped = []
    for lid, cfg in LISTS.items():
        if cfg["kind"] != "act":
            continue
        seen = set()
        for nm in lists[lid]:
            cu = names[nm]["curie"]
            if cu in seen:
                continue
            seen.add(cu)
            key = "%s--%s--%s" % (cfg["instr"], key_of(cu), cfg["status"])
            sentence = cfg["comment"].format(nm=nm)
            if key in found["end"]:
                skipped.append((key, lid))
                continue
            if key in acts:
                a = acts[key]
                a["src"] += [s for s in cfg["src"] if s not in a["src"]]
                a["comment"] += " Also: " + cfg.get("also", cfg["comment"]).format(nm=nm)
                a["lists"].append(lid)
                continue
            acts[key] = dict(actor=cu, instr=cfg["instr"], status=cfg["status"], date=cfg.get("date"),
                             prec=cfg.get("prec"), nb=cfg.get("nb"), na=cfg.get("na"), src=list(cfg["src"]),
                             comment=sentence, locator=cfg["locator"], lists=[lid])
    for key, a in acts.items():
        if a["actor"] == "state:BEL" and a["instr"] == CRI22:
            a["comment"] += " The Commission lists Belgium twice, the second time as 'the newly-joining, Belgium'."

    # ---------------------------------------------------------------- actors + memberships
    A = ["# GENERATED by scripts/gen_coalitions_2.py from scripts/data/coalitions-2-lists.tsv and coalitions-2-names.tsv",
         "# (do not edit by hand). Organisations minted for the coalitions-2 topic, and memberships in the Charter of",
         "# Trust (inst:charter-of-trust, data/actors/coalitions.ttl). Sources: data/sources/coalitions-2.ttl.", "", PREFIXES]
    used = collections.OrderedDict()
    for lid, lst in lists.items():
        for nm in lst:
            used.setdefault(names[nm]["curie"], set()).update(LISTS[lid]["src"])
    minted = 0
    for cu in sorted(used):
        v = next((w for w in names.values() if w["curie"] == cu and w["cls"]), None)
        if not v:
            continue
        minted += 1
        where = sorted({lid for lid, lst in lists.items() for n in lst if names[n]["curie"] == cu})
        comment = "Named in the list(s) %s of scripts/data/coalitions-2-lists.tsv." % ", ".join(where)
        if v["note"]:
            comment += " " + v["note"][0].upper() + v["note"][1:] + "."
        A.append("\n".join(["%s a ng:%s ;" % (cu, v["cls"]), "    rdfs:label %s@en ;" % lit(v["label"]),
                            "    rdfs:comment %s@en ;" % lit(comment),
                            "    prov:hadPrimarySource %s ." % ", ".join(sorted(used[cu]))]) + "\n")
    mem_keys = []
    A.append("#################### Charter of Trust: partners and associated partners (2022) ####################\n")
    for lid in ("cot-2022-dtf", "cot-2022-associates", "cot-2022-microsoft"):
        cfg = LISTS[lid]
        for nm in lists[lid]:
            cu = names[nm]["curie"]
            k = "charter-of-trust-" + key_of(cu)
            if k in found["mem"] or k in mem_keys:
                fail("membership exists already: mem:" + k)
            mem_keys.append(k)
            if lid == "cot-2022-associates":
                start, prec = "2022-01-01", "year"
                cm = ("'%s' is named in the Charter of Trust release 'Charter of Trust and Digital Trust Forum join forces': "
                      "'Associated Partner Forum further growing with CyberNB, Cyber Peace Institute, Cyber Readiness "
                      "Institute and Global Cyber Alliance' (four years after the Charter was first signed: 2022, day not "
                      "read). Associated partnership, not full partnership (no act recorded, as for BSI and CCN)." % nm)
            elif lid == "cot-2022-dtf":
                start, prec = "2022-01-01", "year"
                cm = "'%s' joined the Charter of Trust as a partner in 2022 (day not read): see end:%s--%s--supported." % (nm, COT, key_of(cu))
            else:
                start, prec = "2022-11-10", None
                cm = "Microsoft joined the Charter of Trust 'as of 10 November 2022': see end:%s--Microsoft--supported." % COT
            lines = ["mem:%s a org:Membership ;" % k, "    org:member %s ;" % cu, "    org:organization inst:charter-of-trust ;",
                     "    ng:startDate %s ;" % d(start) + (' ng:datePrecision "%s" ;' % prec if prec else ""),
                     "    rdfs:comment %s@en ;" % lit(cm), "    prov:hadPrimarySource %s ." % ", ".join(cfg["src"])]
            A.append("\n".join(lines) + "\n")

    # ---------------------------------------------------------------- write acts
    E = ["# GENERATED by scripts/gen_coalitions_2.py from scripts/data/coalitions-2-lists.tsv and coalitions-2-names.tsv",
         "# (do not edit by hand). Acts of members, signatories and supporters of the Counter Ransomware Initiative's",
         "# 2022 commitments and 2023 statement on ransomware payments, the Pall Mall declaration (2024) and Code of",
         "# Practice (2025), and later partners of the Charter of Trust. Key: end:<instrument-key>--<actor-key>--<status>.",
         "# Sources: data/sources/coalitions-2.ttl (src:rusi-pall-mall-2025: data/sources/coalitions.ttl).", "", PREFIXES]
    heads = {CRI22: "Counter Ransomware Initiative, second summit (2022)", CRI23P: "Counter Ransomware Initiative, statement on ransomware payments (2023)",
             PMD: "Pall Mall Process declaration (2024)", PMC: "Pall Mall Process Code of Practice for States (2025)", COT: "Charter of Trust (later partners)"}
    for ins in (CRI22, CRI23P, PMD, PMC, COT):
        E.append("#################### %s (instr:%s) ####################\n" % (heads[ins], ins))
        for key, a in acts.items():
            if a["instr"] != ins:
                continue
            lines = ["end:%s a ng:Endorsement ;" % key,
                     "    ng:actor %s ; ng:target instr:%s ; ng:status status:%s ;" % (a["actor"], a["instr"], a["status"])]
            if a["date"]:
                lines.append("    ng:date %s ;" % d(a["date"]) + (' ng:datePrecision "%s" ;' % a["prec"] if a["prec"] else ""))
            else:
                if a["nb"] > a["na"]:
                    fail("notBefore after notAfter: " + key)
                lines.append("    ng:notBefore %s ; ng:notAfter %s ;" % (d(a["nb"]), d(a["na"])))
            lines.append("    rdfs:comment %s@en ;" % lit(a["comment"]))
            lines.append("    ng:locator %s ;" % lit(a["locator"]))
            lines.append("    prov:hadPrimarySource %s ." % ", ".join(a["src"]))
            E.append("\n".join(lines) + "\n")

    ttl.write_text(OUT_ACTORS, "\n".join(A))
    ttl.write_text(OUT_ACTS, "\n".join(E))
    per = collections.Counter(a["instr"] for a in acts.values())
    print("acts per instrument: " + ", ".join("%s %d" % (k, per[k]) for k in (CRI22, CRI23P, PMD, PMC, COT)))
    print("skipped (act already in data/endorsements): " + (", ".join("%s (%s)" % s for s in skipped) or "none"))
    print("reused actors (already in data/): " + (" ".join(reused) or "none"))
    print("minted actors: %d; memberships: %d; acts: %d" % (minted, len(mem_keys), len(acts)))


if __name__ == "__main__":
    main()
