#!/usr/bin/env python3
"""Generate data/actors/coalitions.ttl and data/endorsements/coalitions.ttl: members, signatories and supporters
of coalitions and non-state pledges (Cybersecurity Tech Accord, International Counter Ransomware Initiative,
Charter of Trust, Christchurch Call online service providers and organisations, Pall Mall Process).

Python 3 standard library only. Deterministic output.

Inputs (tab-separated, '#' lines are comments):
  scripts/data/coalitions-lists.tsv   list_id, position, name_as_written: each list exactly as read in its source
  scripts/data/coalitions-names.tsv   name_as_written -> actor CURIE (+ class/label for actors minted here)

Sources (all read 2026-12-04 as stored copies through the project's search tool; the source records, with the
sentences relied on, are in data/sources/coalitions.ttl, except src:venturebeat-tech-accord-2018 which is in
data/sources/institutions.ttl):
  tech-accord-2018      https://venturebeat.com/2018/04/17/facebook-microsoft-and-32-other-tech-firms-sign-cybersecurity-pledge/
  cri-2021              https://database.cyberpolicyportal.org/en/entity/g6pnyonkf46 (copy of the White House joint
                        statement of 14 October 2021)
  cri-2023-statement    https://news.doourbest.org/content/8759 (copy of the White House "International Counter
                        Ransomware Initiative 2023 Joint Statement")
  cri-2023-new/previous https://news.doourbest.org/content/8758 (copy of the White House fact sheet on the third
                        CRI gathering, 2023)
  cri-2024-new/previous https://www.whitehouse.gov/briefing-room/statements-releases/2024/10/02/fact-sheet-biden-%E2%81%A0harris-administration-convenes-fourth-global-gathering-to-counter-ransomware/
  cot-2018              https://www.efficientplantmag.com/2018/02/siemens-8-industry-partners-sign-joint-cybersecurity-charter/
  cot-2019-igr          https://internet-governance-radar.de/en/whats-new/translate-to-englisch-blogpost/q1-2019-siemens-charter-of-trust
  cot-2019-wp           https://www.worldpipelines.com/business-news/27022019/charter-of-trust-grows-to-tackle-cybersecurity/
  cot-2020-*            https://www.infineon.com/cms/en/about-infineon/press/press-releases/2020/Charter-of-Trust.html
  cc-2019-05-15         https://theindianawaaz.com/christchurch-call-tech-companies-and-17-govts-ink-agreement-to-eliminate-extremism-online
  cc-2019-io            https://7news.com.au/news/crime/christchurch-call-gathers-steam-in-nyc-c-469830
  cc-2021-05-14         https://emmanuelmacron.medium.com/there-is-no-place-for-terrorist-and-violent-extremist-content-anywhere-4d83aa3772eb
  cc-2022-06-23         https://www.diplomatie.gouv.fr/en/french-foreign-policy/digital-diplomacy/news/article/zoom-and-roblox-join-the-christchurch-call-06-23-22
  cc-2022-09-13         https://www.christchurchcall.com/media-and-resources/news-and-updates/three-new-members-join-the-christchurch-call

What each list evidences (rules applied by this script; see also the comments written on each record):
  * Tech Accord: the 34 launch signatories (17 April 2018) -> status agreed (founding signatories, as the existing
    end:tech-accord--Microsoft--agreed) and an org:Membership in inst:Tech-Accord from 2018-04-17. Microsoft is
    skipped: its act and membership already exist (data/endorsements/declarations.ttl, memberships-tech-accord.ttl).
  * CRI: membership in inst:international-counter-ransomware-initiative for every name in any list; start date
    2021-10-13 (first meeting) for the 2021 participants, the year (precision "year") for the 2023 and 2024 intakes,
    none for the members first seen as "previous" members in 2023 (joined Oct 2021 - Oct 2023; 2022 list not read).
    Acts: agreed on instr:cri-2021-joint-statement (2021-10-14) for the 2021 list, agreed on
    instr:cri-2023-joint-statement (between 2023-10-31 and 2023-11-02) for the 50 of the 2023 statement.
  * Charter of Trust: the 9 signatories of 16 February 2018 -> agreed (and Siemens proposed: "Initiated by
    Siemens"); partners first listed in February 2019 -> supported with notBefore 2018-02-16 / notAfter the list's
    date; MHI -> supported between its declared intention (19 February 2019) and the 2020 list; the three new
    partners of 2020 -> supported, year 2020. Memberships in inst:charter-of-trust for all partners and for the two
    associated members (BSI, CCN; no act for associates).
  * Christchurch Call: acts (status supported, as the existing state records) for the non-state supporters only:
    the European Commission and the 8 online service providers of 15 May 2019, UNESCO and the Council of Europe
    (between 2019-05-15 and the first-anniversary statement of 2020-05-15), Zoom and Roblox (2022-06-23),
    Clubhouse and MEGA (2022-09-13). The state supporters already have acts in data/endorsements/declarations.ttl
    (not this script's file); the dates these lists give them are printed for data/TODO.md, not written.
  * Pall Mall Process: hand-listed below (PALL_MALL): the two conveners and the four states named by a source.

Checks (exit non-zero on failure): list sizes as stated by the sources; the 2023 statement = 2023 new + previous;
2024 previous = 2023 statement; every name maps; every state key exists in data/actors/states.ttl; every
non-minted inst: key exists in data/; no duplicate record key.

Usage (from anywhere): python3 scripts/gen_coalitions.py
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)
from ttl import curie_key as key_of, xsd_date as d  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
LISTS_TSV = os.path.join(ROOT, "scripts", "data", "coalitions-lists.tsv")
NAMES_TSV = os.path.join(ROOT, "scripts", "data", "coalitions-names.tsv")
OUT_ACTORS = os.path.join(ROOT, "data", "actors", "coalitions.ttl")
OUT_ACTS = os.path.join(ROOT, "data", "endorsements", "coalitions.ttl")
STATES_TTL = os.path.join(ROOT, "data", "actors", "states.ttl")

EXPECTED_SIZES = {
    "tech-accord-2018": 34, "cri-2021": 32, "cri-2023-statement": 50, "cri-2023-new": 13,
    "cri-2023-previous": 37, "cri-2024-new": 18, "cri-2024-previous": 50, "cot-2018": 9,
    "cot-2019-wp": 16, "cot-2020-new": 3,
}

SRC = {
    "tech-accord-2018": ["src:venturebeat-tech-accord-2018"],
    "cri-2021": ["src:cri-2021-joint-statement", "src:dataguidance-cri-2021"],
    "cri-2023-statement": ["src:cri-2023-joint-statement", "src:straitstimes-cri-2023"],
    "cri-2023-new": ["src:cri-2023-fact-sheet", "src:homeaffairs-au-cri-2023"],
    "cri-2023-previous": ["src:cri-2023-fact-sheet", "src:ucsb-cri-2022-background-call"],
    "cri-2024-new": ["src:whitehouse-cri-2024-fact-sheet"],
    "cri-2024-previous": ["src:whitehouse-cri-2024-fact-sheet"],
    "cot-2018": ["src:efficientplantmag-charter-of-trust-2018", "src:efe-charter-of-trust-2018"],
    "cot-2019-igr": ["src:igr-charter-of-trust-2019"],
    "cot-2019-wp": ["src:worldpipelines-charter-of-trust-2019"],
    "cot-2019-associates": ["src:igr-charter-of-trust-2019", "src:worldpipelines-charter-of-trust-2019"],
    "cot-2020-partners": ["src:infineon-charter-of-trust-2020"],
    "cot-2020-new": ["src:infineon-charter-of-trust-2020"],
    "cc-2019-05-15": ["src:indianawaaz-christchurch-call-2019", "src:impactagency-christchurch-call-2019"],
    "cc-2019-io": ["src:7news-christchurch-call-2019", "src:franceintheus-christchurch-call-2020"],
    "cc-2021-05-14": ["src:macron-medium-christchurch-call-2021"],
    "cc-2022-06-23": ["src:diplomatie-zoom-roblox-christchurch-2022"],
    "cc-2022-09-13": ["src:christchurchcall-three-new-members-2022"],
}

# Pall Mall Process acts: (instrument key, actor CURIE, status, date, notBefore, notAfter, sources, comment)
PALL_MALL = [
    ("pall-mall-declaration-2024", "state:GBR", "proposed", "2024-02-06", None, None,
     ["src:govuk-pall-mall-declaration-2024"],
     "The declaration records an international conference 'hosted by the United Kingdom and France' at Lancaster "
     "House, London, on 6 February 2024, which 'initiated the Pall Mall Process'; the United Kingdom published the "
     "declaration (gov.uk). Status proposed: convener and publisher of the text. Which states signed the declaration "
     "was not read (RUSI counts 26 governments, src:rusi-pall-mall-2025)."),
    ("pall-mall-declaration-2024", "state:FRA", "proposed", "2024-02-06", None, None,
     ["src:govuk-pall-mall-declaration-2024"],
     "The declaration records an international conference 'hosted by the United Kingdom and France' on 6 February "
     "2024, which 'initiated the Pall Mall Process'. Status proposed: co-convener. The list of signatories was not read."),
    ("pall-mall-code-of-practice-2025", "state:GBR", "proposed", "2025-04-04", None, None,
     ["src:pall-mall-joint-communique-2025", "src:govuk-doughty-pall-mall-2025"],
     "'On April 3 and 4, 2025, France and the United Kingdom convened the second conference of the Pall Mall "
     "Process' (joint communique of 4 April 2025); UK minister Stephen Doughty announced there 'the formal launch' "
     "of the Code. Status proposed: co-convener and co-author of the launch."),
    ("pall-mall-code-of-practice-2025", "state:FRA", "proposed", "2025-04-04", None, None,
     ["src:pall-mall-joint-communique-2025", "src:cybernews-pall-mall-code-2025"],
     "'On April 3 and 4, 2025, France and the United Kingdom convened the second conference of the Pall Mall "
     "Process' at the French Ministry for Europe and Foreign Affairs, which announced on 4 April 2025 'the "
     "publication of a groundbreaking code of practice'. Status proposed: host and co-convener."),
]
PALL_MALL_SUPPORTERS = [  # named by src:channellife-pall-mall-code-2025 (10 April 2025)
    ("state:GBR", "the UK"), ("state:FRA", "France"), ("state:JPN", "Japan"), ("state:ITA", "Italy")]

PREFIXES = ttl.prefixes("foaf", "ng", "org", "prov", "rdfs", "xsd", "state", "inst", "instr", "mem", "end", "src",
                        "status")

fail = ttl.failer("gen_coalitions")


def lit(s):
    return ttl.lit(s, newlines="keep")  # line breaks written as they are, as this script always did


def load():
    lists = collections.OrderedDict()
    for r in ttl.tsv_rows(LISTS_TSV):
        if len(r) != 3:
            fail("bad list row: %r" % (r,))
        lists.setdefault(r[0], []).append(r[2])
    names = {}
    for r in ttl.tsv_rows(NAMES_TSV):
        r = (r + [""] * 6)[:6]
        if r[0] in names:
            fail("duplicate name in names table: " + r[0])
        names[r[0]] = {"curie": r[1], "cls": r[2], "label": r[3], "extra": r[4], "note": r[5]}
    return lists, names


def check(lists, names):
    for lid, n in EXPECTED_SIZES.items():
        if len(lists.get(lid, [])) != n:
            fail("list %s has %d names, expected %d" % (lid, len(lists.get(lid, [])), n))
    for lid, lst in lists.items():
        if lid not in SRC:
            fail("list without source: " + lid)
        for nm in lst:
            if nm not in names:
                fail("name not mapped: %r (list %s)" % (nm, lid))
    c = lambda lid: {names[n]["curie"] for n in lists[lid]}
    if c("cri-2023-statement") != c("cri-2023-new") | c("cri-2023-previous"):
        fail("2023 statement != 2023 new + previous")
    if c("cri-2023-new") & c("cri-2023-previous"):
        fail("2023 new and previous overlap")
    if c("cri-2024-previous") != c("cri-2023-statement"):
        fail("2024 previous != 2023 statement")
    if not c("cri-2021") <= c("cri-2023-previous"):
        fail("a 2021 participant is missing from the 2023 previous members")
    states = ttl.state_keys(STATES_TTL, after=" ")
    existing = {"inst:" + k for k in ttl.keys_defined(ttl.data_ttl_files(ROOT, (OUT_ACTORS, OUT_ACTS)), "inst:",
                                                      "[A-Za-z0-9_-]+", " a ")}
    for nm, v in names.items():
        cu = v["curie"]
        if cu.startswith("state:") and key_of(cu) not in states:
            fail("unknown state " + cu)
        if cu.startswith("inst:") and not v["cls"] and cu not in existing and not any(
                w["curie"] == cu and w["cls"] for w in names.values()):
            fail("inst not minted and not existing: " + cu)
    return existing


def main():
    lists, names = load()
    existing = check(lists, names)
    reused = sorted({v["curie"] for v in names.values() if v["cls"] and v["curie"] in existing})
    for v in names.values():   # an actor minted meanwhile elsewhere in data/ is reused, not re-minted
        if v["curie"] in existing:
            v["cls"] = ""
    C = lambda n: names[n]["curie"]
    used = collections.OrderedDict()   # curie -> set of sources (for minted actors)
    for lid, lst in lists.items():
        for n in lst:
            used.setdefault(C(n), set()).update(SRC[lid])

    # ------------------------------------------------------------------ actors + memberships
    A = ["# GENERATED by scripts/gen_coalitions.py from scripts/data/coalitions-lists.tsv and coalitions-names.tsv",
         "# (do not edit by hand). Organisations minted for the coalitions topic and their memberships in the",
         "# Cybersecurity Tech Accord (inst:Tech-Accord, existing), the International Counter Ransomware Initiative",
         "# and the Charter of Trust. Sources: data/sources/coalitions.ttl.", "", PREFIXES]
    A.append("""inst:international-counter-ransomware-initiative a ng:Forum ;
    rdfs:label "International Counter Ransomware Initiative"@en ;
    ng:abbreviation "CRI" ;
    ng:founded "2021-10-13"^^xsd:date ;
    rdfs:comment "Partnership of governments and international organisations against ransomware, facilitated by the White House National Security Council; its first (virtual) meeting was held on 13-14 October 2021 with 31 states and the European Union, the second in Washington on 31 October - 1 November 2022 (36 countries and the EU), the third on 31 October - 1 November 2023 (50 members), the fourth on 30 September - 3 October 2024 (68 members); the fifth summit was held in Singapore on 24 October 2025, when it counted 74 members (member list not read)."@en ;
    prov:hadPrimarySource src:cri-2021-joint-statement, src:ucsb-cri-2022-background-call, src:cri-2023-joint-statement, src:whitehouse-cri-2024-fact-sheet, src:latestly-cri-2025 .

inst:charter-of-trust a ng:Company ;
    rdfs:label "Charter of Trust"@en ;
    ng:founded "2018-02-16"^^xsd:date ;
    foaf:page <https://www.charteroftrust.com/> ;
    rdfs:comment "Industry alliance initiated by Siemens: 'Founded in 2018 at the Munich Security Conference, the Charter of Trust is a global industry alliance initiated by Siemens'; signed by nine organisations at the Munich Security Conference on 16 February 2018; 16 members a year later (class ng:Company: an industry coalition of companies, as inst:Tech-Accord)."@en ;
    prov:hadPrimarySource src:charteroftrust-about, src:efficientplantmag-charter-of-trust-2018, src:efe-charter-of-trust-2018, src:worldpipelines-charter-of-trust-2019 .
""")
    minted = []
    for cu in used:
        v = next((w for w in names.values() if w["curie"] == cu and w["cls"]), None)
        if v:
            minted.append((cu, v))
    seen = set()
    for cu, v in sorted(minted):
        if cu in seen:
            continue
        seen.add(cu)
        lines = ["%s a ng:%s ;" % (cu, v["cls"]), "    rdfs:label %s@en ;" % lit(v["label"])]
        for part in filter(None, v["extra"].split(";")):
            k, val = part.split("=", 1)
            if k == "abbr":
                lines.append("    ng:abbreviation %s ;" % lit(val))
            elif k == "sub":
                lines.append("    org:subOrganizationOf %s ;" % val)
        where = sorted({lid for lid, lst in lists.items() for n in lst if C(n) == cu})
        comment = "Named in the list(s) %s of scripts/data/coalitions-lists.tsv." % ", ".join(where)
        if v["note"]:
            comment += " " + v["note"][0].upper() + v["note"][1:] + "."
        lines.append("    rdfs:comment %s@en ;" % lit(comment))
        lines.append("    prov:hadPrimarySource %s ." % ", ".join(sorted(used[cu])))
        A.append("\n".join(lines) + "\n")

    mem_keys = set()

    def membership(key, member, orgn, start, prec, comment, sources):
        if key in mem_keys:
            fail("duplicate membership " + key)
        mem_keys.add(key)
        lines = ["mem:%s a org:Membership ;" % key, "    org:member %s ;" % member, "    org:organization %s ;" % orgn]
        if start:
            lines.append("    ng:startDate %s ;" % d(start))
        if prec:
            lines.append('    ng:datePrecision "%s" ;' % prec)
        lines.append("    rdfs:comment %s@en ;" % lit(comment))
        lines.append("    prov:hadPrimarySource %s ." % ", ".join(sources))
        A.append("\n".join(lines) + "\n")

    A.append("#################### Cybersecurity Tech Accord (launch signatories, 17 April 2018) ####################\n")
    for n in lists["tech-accord-2018"]:
        if C(n) == "inst:Microsoft":
            continue
        membership("tech-accord-" + key_of(C(n)), C(n), "inst:Tech-Accord", "2018-04-17", None,
                   "One of the 34 companies that signed the Cybersecurity Tech Accord announced on 17 April 2018 (written '%s' in the launch list)." % n,
                   SRC["tech-accord-2018"])

    A.append("#################### International Counter Ransomware Initiative ####################\n")
    L = lambda lid: [C(n) for n in lists[lid]]
    nm_of = {}
    for lid in ("cri-2021", "cri-2023-statement", "cri-2024-new"):
        for n in lists[lid]:
            nm_of.setdefault(C(n), n.replace("the ", "", 1) if n.startswith("the ") else n)
    cri_members = []
    for cu in L("cri-2021") + [x for x in L("cri-2023-previous") if x not in L("cri-2021")] + L("cri-2023-new") + L("cri-2024-new"):
        if cu not in cri_members:
            cri_members.append(cu)
    for cu in cri_members:
        nm = nm_of[cu]
        k = "cri-" + key_of(cu)
        if cu in L("cri-2021"):
            membership(k, cu, "inst:international-counter-ransomware-initiative", "2021-10-13", None,
                       "%s is named among the Ministers and Representatives who gathered virtually on 13-14 October 2021 for the first Counter Ransomware Initiative meeting (its joint statement); listed again among the members in 2023 and 2024." % nm,
                       SRC["cri-2021"] + ["src:cri-2023-fact-sheet", "src:whitehouse-cri-2024-fact-sheet"])
        elif cu in L("cri-2023-new"):
            membership(k, cu, "inst:international-counter-ransomware-initiative", "2023-01-01", "year",
                       "%s is one of the thirteen new members the Initiative 'welcomed' in 2023 ('This year, the initiative welcomed thirteen new members'); the day it joined is not given. Listed again among the members in 2024." % nm,
                       SRC["cri-2023-new"] + ["src:cri-2023-joint-statement", "src:whitehouse-cri-2024-fact-sheet"])
        elif cu in L("cri-2024-new"):
            membership(k, cu, "inst:international-counter-ransomware-initiative", "2024-01-01", "year",
                       "%s is one of the 18 new members the Initiative 'welcomed' in 2024 ('This year, the Initiative welcomed 18 new members', fact sheet of 2 October 2024); the day it joined is not given." % nm,
                       SRC["cri-2024-new"])
        else:
            membership(k, cu, "inst:international-counter-ransomware-initiative", None, None,
                       "%s is not among the participants named in the October 2021 joint statement but is listed among the members that preceded the thirteen new members of 2023 (2023 fact sheet): it joined between 15 October 2021 and 31 October 2023, presumably by the second gathering of 31 October - 1 November 2022 (the White House counted 36 countries and the European Union there, which matches the 37 previous members of 2023), but no 2022 member list was read, so no start date is given." % nm,
                       SRC["cri-2023-previous"] + ["src:whitehouse-cri-2024-fact-sheet"])

    A.append("#################### Charter of Trust ####################\n")
    cot18, igr, wp = L("cot-2018"), L("cot-2019-igr"), L("cot-2019-wp")
    p20, n20, assoc = L("cot-2020-partners"), L("cot-2020-new"), L("cot-2019-associates")
    label = {}
    for nm_, v in names.items():
        label.setdefault(v["curie"], v["label"] or nm_)
    cot_members = []
    for cu in cot18 + igr + wp + p20 + n20:
        if cu not in cot_members:
            cot_members.append(cu)
    for cu in cot_members:
        nm = label.get(cu, cu)
        k = "charter-of-trust-" + key_of(cu)
        later = "" if cu in p20 + n20 else " It is not among the co-issuers of the 2020 joint press release of the Charter's partners; whether it left was not read."
        if cu in cot18:
            membership(k, cu, "inst:charter-of-trust", "2018-02-16", None,
                       "%s is one of the nine signatories of the Charter of Trust at the Munich Security Conference on 16 February 2018.%s" % (nm, later),
                       SRC["cot-2018"] + (SRC["cot-2020-partners"] if not later else []))
        elif cu in n20:
            membership(k, cu, "inst:charter-of-trust", "2020-01-01", "year",
                       "%s is one of the 'New partners: NTT, Infineon and Hasso Plattner Institute for Digital Engineering join Charter of Trust' of the partners' joint press release of 2020 (day not read; year from the publisher's archive path)." % nm,
                       SRC["cot-2020-new"])
        elif cu == "inst:mitsubishi-heavy-industries":
            membership(k, cu, "inst:charter-of-trust", None, None,
                       "Mitsubishi Heavy Industries 'declared its intention to join' on 19 February 2019 and was 'to become an official member by the end of September 2019'; it is among the co-issuing partners of the 2020 joint press release. Start date not read.",
                       ["src:elektroniknet-charter-of-trust-2019"] + SRC["cot-2020-partners"])
        else:
            srcs = (SRC["cot-2019-igr"] if cu in igr else []) + (SRC["cot-2019-wp"] if cu in wp else [])
            membership(k, cu, "inst:charter-of-trust", None, None,
                       "%s is not among the nine signatories of February 2018 but is listed among the Charter's 16 members in February 2019: it joined between 16 February 2018 and %s; the day is not given.%s" % (
                           nm, "15 February 2019" if cu in igr else "27 February 2019", later),
                       srcs + (SRC["cot-2020-partners"] if not later else []))
    for cu in assoc:
        membership("charter-of-trust-" + key_of(cu), cu, "inst:charter-of-trust", None, None,
                   "%s: one of 'two government authorities' won 'as associated members' (15 February 2019); associate partners 'can cooperate on specific projects without having to become full members with all rights and duties' (src:worldpipelines-charter-of-trust-2019). Associated membership, not full partnership; start date not given." % label[cu],
                   SRC["cot-2019-associates"])

    # ------------------------------------------------------------------ acts
    E = ["# GENERATED by scripts/gen_coalitions.py from scripts/data/coalitions-lists.tsv and coalitions-names.tsv",
         "# (do not edit by hand). Acts of members, signatories and supporters of coalitions and non-state pledges.",
         "# Key: end:<instrument-key>--<actor-key>--<status>. Sources: data/sources/coalitions.ttl.",
         "# Christchurch Call: only non-state supporters here; the state supporters' acts are in",
         "# data/endorsements/declarations.ttl (joining dates read for them are listed in data/TODO.md).", "", PREFIXES]
    act_keys = set()

    def act(instr, actor, status, comment, sources, date=None, prec=None, nb=None, na=None, locator=None):
        key = "%s--%s--%s" % (instr, key_of(actor), status)
        if key in act_keys:
            fail("duplicate act " + key)
        act_keys.add(key)
        lines = ["end:%s a ng:Endorsement ;" % key,
                 "    ng:actor %s ; ng:target instr:%s ; ng:status status:%s ;" % (actor, instr, status)]
        if date:
            lines.append("    ng:date %s ;" % d(date) + (' ng:datePrecision "%s" ;' % prec if prec else ""))
        else:
            lines.append("    ng:notBefore %s ; ng:notAfter %s ;" % (d(nb), d(na)))
        lines.append("    rdfs:comment %s@en ;" % lit(comment))
        if locator:
            lines.append("    ng:locator %s ;" % lit(locator))
        lines.append("    prov:hadPrimarySource %s ." % ", ".join(sources))
        E.append("\n".join(lines) + "\n")

    E.append("#################### Cybersecurity Tech Accord (instr:tech-accord) ####################\n")
    for n in lists["tech-accord-2018"]:
        if C(n) == "inst:Microsoft":
            continue
        act("tech-accord", C(n), "agreed",
            "'%s' is named in the launch list of the 34 companies that signed the Cybersecurity Tech Accord announced on 17 April 2018 (VentureBeat's copy of the press release list). Founding signatory, hence status agreed, as end:tech-accord--Microsoft--agreed." % n,
            SRC["tech-accord-2018"], date="2018-04-17", locator="launch list of 34 companies")

    E.append("#################### Counter Ransomware Initiative, joint statement of 14 October 2021 ####################\n")
    for n in lists["cri-2021"]:
        act("cri-2021-joint-statement", C(n), "agreed",
            "%s is named among 'the Ministers and Representatives' who, 'Having gathered virtually on October 13 and 14', issued the joint statement; the White House issued it on 14 October 2021." % nm_of[C(n)],
            SRC["cri-2021"], date="2021-10-14", locator="first paragraph (list of participants)")

    E.append("#################### Counter Ransomware Initiative, 2023 joint statement ####################\n")
    for n in lists["cri-2023-statement"]:
        act("cri-2023-joint-statement", C(n), "agreed",
            "%s is named among 'The 50 members of the International Counter Ransomware Initiative' who met in Washington on 31 October - 1 November 2023 and issued the joint statement. Its day of release was not read: the Straits Times reported it on 2 November 2023 ('A joint statement by CRI members on Thursday'), hence the interval." % nm_of[C(n)],
            SRC["cri-2023-statement"], nb="2023-10-31", na="2023-11-02", locator="first paragraph (list of the 50 members)")

    E.append("#################### Charter of Trust (instr:charter-of-trust) ####################\n")
    act("charter-of-trust", "inst:siemens", "proposed",
        "'Initiated by Siemens, this Charter of Trust calls for binding rules and standards to build trust in cybersecurity' (report of 17 February 2018 quoting Siemens); 'a global industry alliance initiated by Siemens' (charteroftrust.com).",
        SRC["cot-2018"] + ["src:charteroftrust-about"], date="2018-02-16")
    for cu in cot18:
        act("charter-of-trust", cu, "agreed",
            "%s is one of the nine signatories of the Charter of Trust at the Munich Security Conference: 'Along with Siemens and the Munich Security Conference, signatories of the Charter include Airbus, Allianz, Daimler Group, IBM, NXP, SGS and Deutsche Telekom.' Signed on Friday 16 February 2018 (EFE)." % label.get(cu, cu),
            SRC["cot-2018"], date="2018-02-16", locator="list of the nine signatories")
    for cu in cot_members:
        if cu in cot18:
            continue
        nm = label.get(cu, cu)
        if cu in n20:
            act("charter-of-trust", cu, "supported",
                "%s is one of the 'New partners: NTT, Infineon and Hasso Plattner Institute for Digital Engineering join Charter of Trust' (partners' joint press release of 2020; the day was not read, the year is from the publisher's archive path)." % nm,
                SRC["cot-2020-new"], date="2020-01-01", prec="year")
        elif cu == "inst:mitsubishi-heavy-industries":
            act("charter-of-trust", cu, "supported",
                "Mitsubishi Heavy Industries 'declared its intention to join' on 19 February 2019; it is among the co-issuing partners of the partners' joint press release of 2020 (day not read), hence the interval (notAfter: last day of 2020).",
                ["src:elektroniknet-charter-of-trust-2019"] + SRC["cot-2020-partners"], nb="2019-02-19", na="2020-12-31")
        else:
            na = "2019-02-15" if cu in igr else "2019-02-27"
            srcs = (SRC["cot-2019-igr"] if cu in igr else []) + (SRC["cot-2019-wp"] if cu in wp else [])
            act("charter-of-trust", cu, "supported",
                "%s is not among the nine signatories of 16 February 2018 but is listed among the Charter's 16 members a year later; it joined (signed on as partner) between the launch and the list's date %s." % (nm, na),
                srcs, nb="2018-02-16", na=na)

    E.append("#################### Christchurch Call (instr:christchurch-call): non-state supporters ####################\n")
    for n in lists["cc-2019-05-15"]:
        cu = C(n)
        if cu.startswith("state:"):
            continue
        act("christchurch-call", cu, "supported",
            "'%s' is named among the signatories of the Christchurch Call adopted in Paris on 15 May 2019 (list of governments and companies reproduced with the joint statement; the eight companies also in the New Zealand Prime Minister's statement as reported the same day)." % n,
            SRC["cc-2019-05-15"], date="2019-05-15", locator="list of signatories, 15 May 2019")
    for n in lists["cc-2019-io"]:
        act("christchurch-call", C(n), "supported",
            "%s is named, with the European Union, as a supporter alongside the 50 countries announced at the United Nations in New York in September 2019 (7News/AAP); not among the signatories of 15 May 2019. The joint statement of 15 May 2020 counts 'two international organizations' among the supporters, hence the interval up to that date." % n,
            SRC["cc-2019-io"], nb="2019-05-15", na="2020-05-15")
    for lid, dt in (("cc-2022-06-23", "2022-06-23"), ("cc-2022-09-13", "2022-09-13")):
        for n in lists[lid]:
            act("christchurch-call", C(n), "supported",
                ("France and New Zealand announced %s as a new supporter of the Christchurch Call on %s." % (n, dt)),
                SRC[lid], date=dt)

    E.append("#################### Pall Mall Process ####################\n")
    for ins, actor, st, dt, nb, na, srcs, cm in PALL_MALL:
        act(ins, actor, st, cm, srcs, date=dt, nb=nb, na=na)
    for actor, nm in PALL_MALL_SUPPORTERS:
        act("pall-mall-code-of-practice-2025", actor, "supported",
            "'The UK, France, Japan, Italy, and 17 other countries have signed a Code of Practice' (ChannelLife, 10 April 2025); %s is named. The Code was launched at the conference of 3-4 April 2025 ('As of today, 21 participating governments have supported a Code of Practice for States', joint communique of 4 April 2025; that list was not read): the act lies between the conference's first day and the report." % nm,
            ["src:channellife-pall-mall-code-2025", "src:pall-mall-joint-communique-2025"], nb="2025-04-03", na="2025-04-10")

    ttl.write_text(OUT_ACTORS, "\n".join(A))
    ttl.write_text(OUT_ACTS, "\n".join(E))

    # Christchurch Call state supporters: dates read, for the owner of data/endorsements/declarations.ttl
    print("Christchurch Call state supporters with a date read (existing acts in data/endorsements/declarations.ttl):")
    for lid, when in (("cc-2019-05-15", "2019-05-15 (signatory at adoption)"), ("cc-2021-05-14", "notAfter 2021-05-14 (announced as having joined)")):
        print("  %s: %s" % (when, " ".join(key_of(C(n)) for n in lists[lid] if C(n).startswith("state:"))))
    print("reused actors already in data/ (not re-minted): " + " ".join(reused))
    print("minted actors: %d; memberships: %d; acts: %d" % (len(seen), len(mem_keys), len(act_keys)))


if __name__ == "__main__":
    main()
