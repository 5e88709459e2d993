#!/usr/bin/env python3
"""Give each recorded UN General Assembly vote in data/endorsements/un-votes.ttl its primary source.

Before: every per-State vote (status voted-for / voted-against / abstained) cited
`src:undl-ga-voting-copy`, a third-party GitHub copy of the UN Digital Library voting records.
After: each vote cites the UN Digital Library voting record of the resolution it targets, defined in
data/sources/un-voting-records.ttl:

    ng:target instr:a-res-73-27   ->  src:undl-vote-a-res-73-27   (digitallibrary.un.org/record/1655128)
    ng:target instr:a-res-73-266  ->  src:undl-vote-a-res-73-266  (record/1657117)
    ng:target instr:a-res-74-28   ->  src:undl-vote-a-res-74-28   (record/3839870)
    ng:target instr:a-res-74-29   ->  src:undl-vote-a-res-74-29   (record/3839871)
    ng:target instr:a-res-74-247  ->  src:undl-vote-a-res-74-247  (record/3841023)
    ng:target instr:a-res-75-240  ->  src:undl-vote-a-res-75-240  (record/3896180)

The copy stays defined in data/sources/un.ttl and is linked from each new source with rdfs:seeAlso (a
finding aid); it is no longer cited on the votes. Nothing else of a vote changes: not its actor, target,
status, date or locator. The header comment of un-votes.ttl that names the copy as the source of the votes
is rewritten to name the new sources.

The edit is textual (statement by statement) so that the file's layout and comments are kept. Checks (the
script exits non-zero and writes nothing if one fails):
  * every statement that cites the copy is a vote on one of the six resolutions above;
  * after the edit no statement cites the copy;
  * the number of votes per resolution and status is unchanged, and equals the tally recorded in the
    comment of each new source (checked against the expected tallies below);
  * each vote's locator names the same UN Digital Library record number as its new source.

Python 3 standard library only; idempotent (a second run finds nothing to change and exits 0).
Usage (from anywhere): python3 scripts/resource_vote_sources.py [--dry-run]
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOTES = os.path.join(ROOT, "data", "endorsements", "un-votes.ttl")

COPY = "src:undl-ga-voting-copy"
# instrument key -> (UN Digital Library record number, expected (for, against, abstentions))
RECORDS = {
    "a-res-73-27": ("1655128", (119, 46, 14)),
    "a-res-73-266": ("1657117", (138, 12, 16)),
    "a-res-74-28": ("3839870", (163, 10, 6)),
    "a-res-74-29": ("3839871", (129, 6, 45)),
    "a-res-74-247": ("3841023", (79, 60, 33)),
    "a-res-75-240": ("3896180", (92, 50, 21)),
}
VOTE_STATUSES = ("voted-for", "voted-against", "abstained")

OLD_HEADER = "# dated the day of adoption, from the UN Digital Library voting records (src:undl-ga-voting-copy).\n"
NEW_HEADER = (
    "# dated the day of adoption, from the UN Digital Library voting record of each resolution\n"
    "# (src:undl-vote-a-res-73-27 ... src:undl-vote-a-res-75-240, data/sources/un-voting-records.ttl; the\n"
    "# per-State values were read through the copy src:undl-ga-voting-copy, kept there as a finding aid).\n"
)

# A statement ends with " ." at the end of a line; vote statements are two lines long.
STATEMENT_END = re.compile(r"(?<=\s\.)\n")


fail = ttl.failer("resource_vote_sources")


def count_votes(text):
    counts = collections.Counter()
    for m in re.finditer(r"ng:target instr:([a-z0-9-]+) ; ng:status status:([a-z-]+)", text):
        if m.group(2) in VOTE_STATUSES:
            counts[(m.group(1), m.group(2))] += 1
    return counts


def main():
    dry_run = "--dry-run" in sys.argv[1:]
    with open(VOTES, encoding="utf-8") as f:
        text = f.read()
    before = count_votes(text)

    parts = STATEMENT_END.split(text)
    changed = 0
    out = []
    for part in parts:
        if COPY in part:
            body = "\n".join(l for l in part.split("\n") if not l.lstrip().startswith("#"))
            if COPY not in body:
                out.append(part)
                continue
            m = re.search(r"ng:target instr:([a-z0-9-]+) ; ng:status status:([a-z-]+)", body)
            if not m or m.group(1) not in RECORDS or m.group(2) not in VOTE_STATUSES:
                fail("a statement citing %s is not a vote on a known resolution:\n%s" % (COPY, body))
            key = m.group(1)
            record = RECORDS[key][0]
            loc = re.search(r'UN Digital Library record (\d+)', body)
            if not loc or loc.group(1) != record:
                fail("locator of this vote does not name record %s:\n%s" % (record, body))
            part = part.replace("prov:hadPrimarySource " + COPY + " .",
                                "prov:hadPrimarySource src:undl-vote-" + key + " .")
            if COPY in "\n".join(l for l in part.split("\n") if not l.lstrip().startswith("#")):
                fail("could not replace the copy in:\n%s" % body)
            changed += 1
        out.append(part)
    new = "\n".join(out)
    if OLD_HEADER in new:
        new = new.replace(OLD_HEADER, NEW_HEADER)

    # Checks.
    for line in new.split("\n"):
        if COPY in line and not line.lstrip().startswith("#"):
            fail("a statement still cites %s: %s" % (COPY, line))
    after = count_votes(new)
    if before != after:
        fail("vote counts changed: %s -> %s" % (dict(before), dict(after)))
    for key, (record, (yes, no, abst)) in RECORDS.items():
        got = (after[(key, "voted-for")], after[(key, "voted-against")], after[(key, "abstained")])
        if got != (yes, no, abst):
            fail("instr:%s has %s votes, expected %s" % (key, got, (yes, no, abst)))
        n_src = new.count("prov:hadPrimarySource src:undl-vote-" + key + " .")
        if n_src != yes + no + abst:
            fail("instr:%s: %d votes cite src:undl-vote-%s, expected %d" % (key, n_src, key, yes + no + abst))

    print("statements re-sourced: %d; votes per resolution unchanged: %s" % (
        changed, ", ".join("%s %d-%d-%d" % (k, *v[1]) for k, v in RECORDS.items())))
    if dry_run or new == text:
        return
    ttl.write_text(VOTES, new)


if __name__ == "__main__":
    main()
