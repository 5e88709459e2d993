#!/usr/bin/env python3
"""Paris Call for Trust and Security in Cyberspace (12 November 2018): the supporters that are not
states, as the Call's official supporter list gives them.

Source (primary): the public source repository of the official website https://pariscall.international,
  https://github.com/ambanum/pariscall.international , folder _supporters/ (one Markdown file per
  supporter with YAML front matter: name, category, nature, nationality, sometimes date_signed),
  read at commit 916433b20a70ce587db86de70b108ce21a25c551 (2025-12-25, "Merge pull request #57"),
  together with the repository's git history (first-parent and side branches, 2019-09-16 onwards).
  The website's supporters page https://pariscall.international/en/supporters is rendered from this
  folder (_includes/pages/supporters.html, categories from _config.yml
  "supporter_categories: [ state, public-authority, private-sector, civil-society ]"), and
  https://pariscall.international/supporters.csv lists every entry of the folder (_pages/supporters.csv).
Retrieved: 2026-12-04.

Two steps:
  1. --extract GIT_DIR : read the repository (a clone or the bare mirror; needs the `git` command) and
     write scripts/data/paris-call-supporters.tsv, one row per file of _supporters/ at the commit above,
     with the list's own fields plus the date the entry first appears in the repository:
       - "lineage": the file's own history, following renames and copies between _supporters/,
         _supporters_en/ and _supporters_fr/ (a rename is accepted where the file stem or the name
         field matches, a copy only where the file stem matches, so that unrelated look-alike files are
         not chained: some entries were created by copying another supporter's file);
       - "name": an entry with the same name (compared without case, accents, spaces or punctuation)
         exists in that commit (the 2019-11-09/10 re-import from the organisers' spreadsheet renamed
         every file, so the lineage alone loses the earlier history);
       - "alias": the few entries renamed in that re-import beyond the above, matched by hand
         (ALIASES below; old and new entries have the same category and the same country, except that
         the old entries of Finabel and LACNIC gave 'UE' and 'International' where the new give BEL and URY).
     The earliest of these dates is kept. It is the date of the first commit that contains the entry,
     i.e. the entry was on the list no later than that day. The first import (2019-09-16) copied the
     list as it stood then, so 2019-09-16 means "joined between the launch and 2019-09-16".
     The date_signed values of the 2019-09/10 versions of the list (all 568 first entries were set to
     2018-11-12 in commit cc88a7b "Add alliance data to supporters", the 34 entries added on 2019-10-17
     to 2019-10-10) are batch placeholders, not joining dates, and are not used.
  2. (no option): read the TSV and write
       data/actors/paris-call-supporters.ttl       (new non-state actors)
       data/endorsements/paris-call-supporters.ttl (status:supported acts on instr:paris-call)
     States (category "state") and supporters that already have an act in
     data/endorsements/paris-call.ttl are skipped; supporters that are already actors in data/
     (EXISTING below, or any inst: key declared in another file) get an act but no new actor record.

Standard library only.
"""
import csv
import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "scripts", "data", "paris-call-supporters.tsv")
ACTORS_TTL = os.path.join(ROOT, "data", "actors", "paris-call-supporters.ttl")
ACTS_TTL = os.path.join(ROOT, "data", "endorsements", "paris-call-supporters.ttl")
EXISTING_ACTS_TTL = os.path.join(ROOT, "data", "endorsements", "paris-call.ttl")
MY_FILES = {ACTORS_TTL, ACTS_TTL, os.path.join(ROOT, "data", "sources", "paris-call-supporters.ttl")}

COMMIT = "916433b20a70ce587db86de70b108ce21a25c551"
COMMIT_DATE = "2025-12-25"
LAUNCH = "2018-11-12"
SRC_LIST = "src:pariscall-supporters-916433b"
SRC_HISTORY = "src:pariscall-supporters-history"

# Supporters that are already actors of the registry (label in data/actors/institutions.ttl).
EXISTING = {
    "The Internet Society (ISOC)": "ISOC",
    "Global Commission on the Stability of Cyberspace (GCSC)": "GCSC",
    "European Union": "EU",
    "INTERPOL": "Interpol",
    "Microsoft": "Microsoft",
}

# The same body already minted by another file under another key (its label spelt otherwise): used
# only while that key is declared in data/ (else the list's own key is minted here).
SAME_AS = {
    "Symantec Corporation": "symantec",   # data/actors/coalitions.ttl, label "Symantec"
    "Trendmicro": "trend-micro",          # data/actors/coalitions.ttl, label "Trend Micro"
}

# Entries renamed when the list was re-imported on 2019-11-09/10: old name -> name at COMMIT.
ALIASES = {
    "ACN (Alliance pour la Confiance Numérique)": "Alliance pour la Confiance Numérique (ACN)",
    "ACTI (Asociacion Chilena de empresas de Technologias  y de Informacion)":
        "Asociacion Chilena de Empresas de Technologias y de Informacion (ACTI)",
    "ASSOFT - Associação Portuguesa de Software": "Associação Portuguesa de Software (ASSOFT)",
    "American Chamber of Commerce (AmCham) in Bulgaria": "American Chamber of Commerce in Bulgaria",
    "American Chamber of Commerce (AmCham) in Norway": "American Chamber of Commerce in Norway",
    "American Chamber of Commerce (AmCham) in Peru": "American Chamber of Commerce in Peru",
    "American Chamber of Commerce (AmCham) in Romania": "American Chamber of Commerce in Romania",
    "American Chamber of Commerce Ireland": "American Chamber of Commerce in Ireland",
    "American Chamber of Commerce of Mexico (AmCham/Mexico)": "American Chamber of Commerce of Mexico",
    "Cámara de Comercio Hondureña America - AmCham Honduras": "American Chamber of Commerce in Honduras",
    "CIP – Confederação Empresarial de Portugal": "Confederação Empresarial de Portugal (CIP)",
    "CITRIS (Center for Information Technology Research in the Interest of Society)":
        "Center for Information Technology Research in the Interest of Society (CITRIS)",
    "Coalition of services industries": "The Coalition of Services Industries",
    "Finabel - The European Army Interoperability Center": "Finabel - European Army Interoperability Center",
    "GPMSE Fédération (Groupement Professionnel des Métiers de la Sécurité Electronique)":
        "Groupement Professionnel des Métiers de la Sécurité Electronique (GPMSE)",
    "La Fondation SGH – Institut de recherche Cybermonde": "Fondation SGH – Institut de recherche Cybermonde",
    "Latin America and Carribbean Network Information Center (LACNIC)":
        "Latin America and Caribbean Network Information Center (LACNIC)",
    "The Collins Institute, Ireland": "The Collins Institute",
    "Pierstone Praha": "PIERSTONE s.r.o., advokátní kancelář",
}

FIELDS = ["file", "name", "category", "nature", "nationality", "nationality_name", "date_signed", "website",
          "first_seen", "first_seen_commit", "first_seen_basis"]

CATEGORY_EN = {  # _data/translations/supporters.yml (en)
    "state": "State", "public-authority": "Public authority", "private-sector": "Private sector",
    "civil-society": "Civil society",
}
NATURE_EN = {  # English gloss of the list's French "nature" values
    "Entreprise": "company", "Association professionnelle": "professional association",
    "Chambre de commerce": "chamber of commerce", "Organisation à but non lucratif": "non-profit organisation",
    "Université": "university", "université": "university", "Fondation": "foundation",
    "Think tank": "think tank", "Association": "association", "association": "association", "ONG": "NGO",
    "Centre de recherche": "research centre", "Fédération": "federation", "Forum": "forum",
    "Ecole": "school", "Organisation internationale": "international organisation", "Académie": "academy",
    "Collectivité locale": "local government", "Etat fédéré": "federated state", "Opérateur": "operator",
    "Autorité indépendante": "independent authority", "Organisme public": "public body", "Agence": "agency",
    "Groupement d’intérêt public": "public interest group", "Commission consultative": "advisory commission",
    "Centre d'excellence": "centre of excellence", "International Organization": "international organization",
}


# ----------------------------------------------------------------------------------------------- common

def norm(v):
    v = unicodedata.normalize("NFKD", v or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", v)


def kebab(name):
    v = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", v).strip("-")


def front_matter(text):
    parts = text.split("---")
    fm = parts[1] if len(parts) > 2 else text
    d = {}
    for line in fm.strip().split("\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                v = v[1:-1]
            d[k.strip()] = v.strip()
    return d


# ----------------------------------------------------------------------------------------------- extract

class Repo:
    def __init__(self, gitdir):
        self.gitdir = gitdir
        self.cat = subprocess.Popen(["git", "-C", gitdir, "cat-file", "--batch"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.cache = {}

    def git(self, *args):
        return subprocess.run(["git", "-C", self.gitdir] + list(args), capture_output=True, text=True,
                              check=True).stdout

    def show(self, spec):
        if spec in self.cache:
            return self.cache[spec]
        self.cat.stdin.write((spec + "\n").encode())
        self.cat.stdin.flush()
        hdr = self.cat.stdout.readline().decode().split()
        if hdr[-1] == "missing":
            self.cache[spec] = None
            return None
        data = self.cat.stdout.read(int(hdr[2])).decode("utf-8", "replace")
        self.cat.stdout.read(1)
        self.cache[spec] = data
        return data

    def name(self, spec):
        t = self.show(spec)
        return front_matter(t).get("name", "") if t else ""


def stem(path):
    b = path.rsplit("/", 1)[1][:-3]
    return re.sub(r"-(state|public-authority|private-sector|civil-society|undefined|international-organization).*$",
                  "", b)


def lineage(repo):
    """path at COMMIT -> (time, date, commit) of the commit that first added it, following renames/copies."""
    rows = [l.split() for l in repo.git("rev-list", "--topo-order", "--reverse", "--format=%H %ct %cs %P", COMMIT)
            .split("\n") if l and not l.startswith("commit ")]
    maps = {}

    def same(par, src, h, dst):
        if stem(src) == stem(dst):
            return True
        a, b = norm(repo.name(par + ":" + src)), norm(repo.name(h + ":" + dst))
        return bool(a) and a == b

    for r in rows:
        h, parents = r[0], r[3:]
        cd = (int(r[1]), r[2], h)  # (commit time, date, commit): the earliest commit wins
        if not parents:
            maps[h] = {p: cd for p in repo.git("ls-tree", "-r", "--name-only", h).split()
                       if p.startswith("_supporters")}
            continue
        cands = []
        for par in parents:
            pm = maps[par]
            m = dict(pm)
            out = repo.git("diff-tree", "-r", "-M", "-l5000", "-C", "--find-copies-harder", "--name-status",
                           par, h, "--", "_supporters*")
            for line in out.strip().split("\n"):
                if not line:
                    continue
                f = line.split("\t")
                st = f[0]
                if st == "A":
                    m[f[1]] = cd
                elif st == "D":
                    m.pop(f[1], None)
                elif st[0] == "R":
                    o = m.pop(f[1], None) or cd
                    m[f[2]] = o if same(par, f[1], h, f[2]) else cd
                elif st[0] == "C":
                    # a copy (the source stays) continues an entry only under the same file stem: entries were
                    # created by copying another supporter's file (INTERPOL from Europol's, 2024-01-19)
                    m[f[2]] = pm.get(f[1], cd) if stem(f[1]) == stem(f[2]) else cd
            cands.append(m)
        maps[h] = {p: min(c[p] for c in cands if p in c) for p in cands[0]}
    return {p: v for p, v in maps[COMMIT].items() if p.startswith("_supporters/")}


def first_by_name(repo):
    """normalized name -> (time, date, commit) of the first commit with an entry of that name."""
    first = {}
    for l in repo.git("rev-list", "--format=%H %ct %cs", COMMIT).split("\n"):
        if not l or l.startswith("commit "):
            continue
        h, ct, date = l.split()
        cd = (int(ct), date, h)
        for line in repo.git("ls-tree", "-r", h).split("\n"):
            if not line:
                continue
            meta, p = line.split("\t")
            if not p.startswith("_supporters"):
                continue
            k = norm(repo.name(meta.split()[2]))
            if k and (k not in first or cd < first[k]):
                first[k] = cd
    return first


def extract(gitdir):
    repo = Repo(gitdir)
    countries = {}
    for row in csv.DictReader(repo.show(COMMIT + ":_data/country-codes.csv").splitlines()):
        countries[row["ISO-3166-1-alpha-3"]] = row["usual-en"]
    lin = lineage(repo)
    byname = first_by_name(repo)
    alias_of = {norm(new): norm(old) for old, new in ALIASES.items()}
    rows = []
    for p in sorted(repo.git("ls-tree", "-r", "--name-only", COMMIT, "--", "_supporters").split()):
        d = front_matter(repo.show(COMMIT + ":" + p))
        k = norm(d.get("name"))
        cands = [(lin[p], "lineage")]
        if k in byname:
            cands.append((byname[k], "name"))
        if k in alias_of and alias_of[k] in byname:
            old = [o for o, n in ALIASES.items() if norm(n) == k][0]
            cands.append((byname[alias_of[k]], "alias: " + old))
        (_, date, commit), basis = min(cands, key=lambda c: c[0])
        nat = d.get("nationality", "")
        rows.append({
            "file": p, "name": d.get("name", ""), "category": d.get("category", ""),
            "nature": d.get("nature", ""), "nationality": nat, "nationality_name": countries.get(nat, "") if nat else "",
            "date_signed": d.get("date_signed", ""), "website": d.get("website", ""),
            "first_seen": date, "first_seen_commit": commit, "first_seen_basis": basis,
        })
    with open(TSV, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: re.sub(r"[\t\r\n]+", " ", v) for k, v in r.items()})
    print(f"wrote {len(rows)} rows to {TSV}")


# ----------------------------------------------------------------------------------------------- generate

def lit(s):
    return ttl.lit(s, newlines="space")  # a line break becomes a space


def label(name):
    return re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip()


def declared_inst_keys():
    return ttl.keys_defined(ttl.data_ttl_files(ROOT, MY_FILES), "inst:")


def existing_acts():
    return ttl.keys_defined([EXISTING_ACTS_TTL], "end:paris-call--", after=r"--supported\s+a\s")


def actor_class(r):
    cat, nature, name = r["category"], r["nature"], r["name"]
    if cat == "private-sector":
        return "ng:Company"
    if cat == "civil-society":
        if nature == "Think tank":
            return "ng:ThinkTank"
        if nature == "Entreprise":
            return "ng:Company"
        return "ng:Institution"
    if cat == "public-authority":
        # bodies of the European Union are not agencies of a state's government
        if name in ("European Union Institute for Security Studies (EUISS)", "Europol"):
            return "ng:Institution"
        return "ng:GovernmentAgency"
    return "ng:Institution"  # no category in the list


def describe(r):
    cat = CATEGORY_EN.get(r["category"])
    bits = []
    if cat:
        bits.append(f"category '{cat}' ({r['category']})")
    else:
        bits.append("no category (the field is empty: the entry is in the site's supporters spreadsheet "
                    "supporters.csv but not on the supporters page, which shows only the four categories)")
    if r["nature"]:
        gloss = NATURE_EN.get(r["nature"])
        bits.append(f"nature '{r['nature']}'" + (f" ({gloss})" if gloss and gloss != r["nature"].lower() else ""))
    if r["nationality"]:
        nat = r["nationality"] + (f" ({r['nationality_name']})" if r["nationality_name"] else "")
        bits.append(f"nationality {nat}")
    return "; ".join(bits)


def website(r):
    w = r["website"].strip()
    u = urllib.parse.urlparse(w)
    if u.scheme in ("http", "https") and "." in u.netloc and not re.search(r"[\s<>\"{}|\\^`]", w) \
            and ":" not in u.netloc and "linkedin." not in u.netloc and "twitter." not in u.netloc:
        return w
    return None


PREFIXES = ttl.prefixes("foaf", "ng", "prov", "rdfs", "xsd", "inst", "instr", "end", "src", "status")


def generate():
    with open(TSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    declared = declared_inst_keys()
    done = existing_acts()
    actors, acts, skipped = [], [], []
    keys = {}
    for r in rows:
        if r["category"] == "state":
            skipped.append((r, "state (acts in data/endorsements/paris-call.ttl)"))
            continue
        key = EXISTING.get(r["name"]) or kebab(r["name"])
        if r["name"] in SAME_AS and SAME_AS[r["name"]] in declared:
            key = SAME_AS[r["name"]]
        if not key:
            raise SystemExit(f"empty key for {r['file']}")
        if key in keys:
            raise SystemExit(f"key collision {key}: {keys[key]} / {r['file']}")
        keys[key] = r["file"]
        if key in done:
            skipped.append((r, f"act end:paris-call--{key}--supported already in paris-call.ttl"))
            continue
        if key not in declared:
            actors.append((key, r))
        acts.append((key, r))

    out = ["# GENERATED by scripts/gen_paris_call_supporters.py from scripts/data/paris-call-supporters.tsv",
           "# Non-state supporters of the Paris Call for Trust and Security in Cyberspace that were not yet actors",
           f"# of the registry, as the official supporter list gives them (pariscall.international source repository,",
           f"# _supporters/ at commit {COMMIT[:7]}, {COMMIT_DATE}). Class: private sector -> ng:Company; civil society ->",
           "# ng:ThinkTank (nature 'Think tank'), ng:Company (nature 'Entreprise') or ng:Institution; public authority ->",
           "# ng:GovernmentAgency (bodies of the European Union: ng:Institution); no category -> ng:Institution.",
           "# The list's category, nature (French, with an English gloss) and nationality are kept in rdfs:comment.",
           "", PREFIXES]
    for key, r in actors:
        lines = [f"inst:{key} a {actor_class(r)} ;",
                 f"    rdfs:label {lit(label(r['name']))}@en ;"]
        w = website(r)
        if w:
            lines.append(f"    foaf:page <{w}> ;")
        lines.append(f"    rdfs:comment {lit('Paris Call supporter list: ' + describe(r) + '. Entry ' + r['file'] + '.')}@en ;")
        lines.append(f"    prov:hadPrimarySource {SRC_LIST} .")
        out.append("\n".join(lines) + "\n")
    ttl.write_text(ACTORS_TTL, "\n".join(out))

    out = ["# GENERATED by scripts/gen_paris_call_supporters.py from scripts/data/paris-call-supporters.tsv",
           "# Non-state supporters of the Paris Call (status:supported on instr:paris-call), from the official supporter",
           f"# list (pariscall.international source repository, _supporters/ at commit {COMMIT[:7]}, {COMMIT_DATE}).",
           "# States and Microsoft are in data/endorsements/paris-call.ttl. Dates: ng:date is the entry's date_signed",
           "# field where the list gives one; otherwise ng:notBefore is the launch (2018-11-12) and ng:notAfter the date of",
           "# the first commit of the site's repository that contains the entry (see the script's docstring): the",
           "# supporter joined on or before that day. 2019-09-16 is the repository's first import of the list.",
           "", PREFIXES]
    for key, r in acts:
        cat = CATEGORY_EN.get(r["category"], "no category")
        lines = [f"end:paris-call--{key}--supported a ng:Endorsement ;",
                 f"    ng:actor inst:{key} ; ng:target instr:paris-call ; ng:status status:supported ;"]
        name = label(r["name"])
        if r["date_signed"]:
            lines.append(f'    ng:date "{r["date_signed"]}"^^xsd:date ;')
            c = f"{name}: listed as a supporter ({cat}); date is the list's date_signed field."
            if r["first_seen"] < r["date_signed"]:
                c += (f" The entry is in the site's repository from {r['first_seen']} "
                      f"(commit {r['first_seen_commit'][:7]}), before that date.")
            srcs = SRC_LIST
        else:
            lines.append(f'    ng:notBefore "{LAUNCH}"^^xsd:date ; ng:notAfter "{r["first_seen"]}"^^xsd:date ;')
            c = (f"{name}: listed as a supporter ({cat}); the list gives no joining date; ng:notAfter is the date of "
                 f"the first commit of the site's repository that contains the entry (commit "
                 f"{r['first_seen_commit'][:7]}")
            if r["first_seen_basis"].startswith("alias: "):
                c += f", where it was named '{label(r['first_seen_basis'][7:])}'"
            c += ")"
            c += (", the repository's first import of the list, so it joined between the launch and that date."
                  if r["first_seen"] == "2019-09-16" else ", so it joined on or before that date.")
            srcs = f"{SRC_LIST}, {SRC_HISTORY}"
        if not r["category"]:
            c += (" The list gives this entry no category: it is in the site's supporters spreadsheet (supporters.csv)"
                  " but not on the supporters page.")
        lines.append(f"    rdfs:comment {lit(c)}@en ;")
        lines.append(f"    ng:locator {lit(r['file'])} ;")
        lines.append(f"    prov:hadPrimarySource {srcs} .")
        out.append("\n".join(lines) + "\n")
    ttl.write_text(ACTS_TTL, "\n".join(out))

    from collections import Counter
    print(f"rows {len(rows)}; skipped {len(skipped)}; new actors {len(actors)}; acts {len(acts)}")
    print("acts by category:", dict(Counter(r['category'] or '(none)' for _, r in acts)))
    print("new actors by class:", dict(Counter(actor_class(r) for _, r in actors)))
    print("acts with ng:date:", sum(1 for _, r in acts if r["date_signed"]))
    print("reused actors:", [k for k, r in acts if (k, r) not in actors])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--extract":
        extract(sys.argv[2])
    elif len(sys.argv) == 1:
        generate()
    else:
        sys.exit(__doc__)
