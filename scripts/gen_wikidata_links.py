#!/usr/bin/env python3
"""Generate data/actors/wikidata.ttl: owl:sameAs links from states and institutions to Wikidata items.

Python 3 standard library only. Deterministic (states in ISO alpha-3 order, institutions in table order).
Retrieval date of every copy: 2026-12-05. Run from anywhere: python3 scripts/gen_wikidata_links.py
Sources are described in data/sources/wikidata.ttl (written by hand, not by this script).

Inputs (saved copies, as read):
- scripts/data/wikidata-natural-earth-admin0-50m.tsv : the columns NE_ID, ADMIN, TYPE, ADM0_A3, ISO_A3 and
  WIKIDATAID of the 242 features of Natural Earth's 1:50m "Admin 0 - Countries" layer
  (ne_50m_admin_0_countries.geojson, public domain), extracted with the json module from the copy at
  https://github.com/mikeskydev/energy-globe/blob/661cb797ef294f63fd312e6d6b99fa75aa1b933c/public/data/ne_50m_admin_0_countries.geojson
  (upstream: https://github.com/nvkelso/natural-earth-vector/blob/master/geojson/ne_50m_admin_0_countries.geojson,
  too large to copy here whole). The copy was compared with upstream readings: the first two features of
  the upstream 50m file (Zimbabwe Q954, Zambia Q953, same NE_ID) and the first four of the upstream 110m file
  (Fiji Q712, Tanzania Q924, Western Sahara Q6250, Canada Q16, same NE_ID) hold the same WIKIDATAID; the 172
  states common to the 50m copy and a copy of the 110m file (aripiz/cfa-index) agree 172/172.
  Cited as src:natural-earth-admin0-50m.
- scripts/data/wikidata-owid-countries-regions.csv : Our World in Data's countries-and-regions table
  (columns code, iso_alpha3, wikidata_uri, wikidata_label, ...), saved verbatim from the template literal
  in https://github.com/owid/owid-grapher/blob/c7402d12e25bd1d45f5bd7d66cfc083342a1ed96/packages/@ourworldindata/grapher/src/mapCharts/CountriesRegions.ts
  (escape sequences in the aliases column left as written). Cited as src:owid-countries-regions.
- scripts/data/wikidata-institutions.tsv : one row per reading of an institution's Wikidata item, with the
  name as the source writes it and the line or entry read. Sources: SupraVerden (src:supraverden-all-bodies),
  OpenSanctions' IGO registry (src:opensanctions-igo-registry), kuni's groupings
  (src:kuni-groupings-config), conzept's regional composites (src:conzept-economic-regions).

Rules:
1. States (data/actors/states.ttl): a link is written when the WIKIDATAID of the Natural Earth feature whose
   ISO_A3 is the state's code equals the QID of OWID's row with that iso_alpha3. (Natural Earth's ISO_A3 is
   never -99 for the 195 states in this version, so no ADM0_A3 fallback is used; the script checks this.)
   Any state where the two differ, or where one lacks a QID, is left out and printed; the list goes to
   data/TODO.md under "## Wikidata links".
2. Institutions (data/actors/institutions.ttl, data/actors/internet-governance.ttl): a link is written when
   every reading of the institution in the table gives the same QID; every source read is cited.
   Institutions read in one source only are written too (the table says which).
3. No QID may be linked to two actors; every actor key must exist in data/actors/.
"""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'scripts', 'data')
OUT = os.path.join(ROOT, 'data', 'actors', 'wikidata.ttl')
QID = re.compile(r'^Q[1-9][0-9]*$')

SOURCE_KEYS = {
    'supraverden': 'supraverden-all-bodies',
    'opensanctions-igo': 'opensanctions-igo-registry',
    'kuni-groupings': 'kuni-groupings-config',
    'conzept-regions': 'conzept-economic-regions',
}


def read_text(*parts):
    with open(os.path.join(ROOT, *parts), encoding='utf-8') as f:
        return f.read()


def states():
    text = read_text('data', 'actors', 'states.ttl')
    return dict(re.findall(r'^state:([A-Z]{3}) a ng:State ; rdfs:label "([^"]*)"@en', text, re.M))


def institution_keys():
    paths = [os.path.join(ROOT, 'data', 'actors', name) for name in ('institutions.ttl', 'internet-governance.ttl')]
    return ttl.keys_defined(paths, 'inst:', '[A-Za-z0-9_-]+', ' a ')


def natural_earth():
    by_iso = {}
    with open(os.path.join(DATA, 'wikidata-natural-earth-admin0-50m.tsv'), encoding='utf-8') as f:
        for r in csv.DictReader(f, delimiter='\t'):
            by_iso.setdefault(r['ISO_A3'], []).append(r)
    return by_iso


def owid():
    by_iso = {}
    with open(os.path.join(DATA, 'wikidata-owid-countries-regions.csv'), encoding='utf-8') as f:
        for r in csv.DictReader(f):
            if r['iso_alpha3']:
                by_iso.setdefault(r['iso_alpha3'], []).append(r)
    return by_iso


def main():
    st = states()
    ne = natural_earth()
    ow = owid()
    links, left_out = [], []
    for iso in sorted(st):
        ne_rows, ow_rows = ne.get(iso, []), ow.get(iso, [])
        if len(ne_rows) != 1 or len(ow_rows) != 1:
            left_out.append((iso, st[iso], f'{len(ne_rows)} Natural Earth rows, {len(ow_rows)} OWID rows'))
            continue
        a = ne_rows[0]['WIKIDATAID']
        b = ow_rows[0]['wikidata_uri'].rsplit('/', 1)[-1]
        if QID.match(a) and a == b:
            links.append(('state', iso, a, ['natural-earth-admin0-50m', 'owid-countries-regions']))
        else:
            left_out.append((iso, st[iso], f'Natural Earth {a or "none"} ({ne_rows[0]["ADMIN"]}, '
                             f'{ne_rows[0]["TYPE"]}); OWID {b or "none"} ({ow_rows[0]["wikidata_label"]})'))
    n_states = len(links)

    keys = institution_keys()
    readings = {}
    order = []
    with open(os.path.join(DATA, 'wikidata-institutions.tsv'), encoding='utf-8') as f:
        for r in csv.DictReader(f, delimiter='\t'):
            if r['inst_key'] not in keys:
                sys.exit(f'unknown institution inst:{r["inst_key"]}')
            if r['inst_key'] not in readings:
                order.append(r['inst_key'])
            readings.setdefault(r['inst_key'], []).append(r)
    inst_left_out = []
    for key in order:
        qids = {r['qid'] for r in readings[key]}
        srcs = []
        for r in readings[key]:
            s = SOURCE_KEYS[r['source_key']]
            if s not in srcs:
                srcs.append(s)
        if len(qids) == 1 and QID.match(next(iter(qids))):
            links.append(('inst', key, next(iter(qids)), srcs))
        else:
            inst_left_out.append((key, sorted(qids)))

    seen = {}
    for kind, key, q, _ in links:
        if q in seen:
            sys.exit(f'{q} linked to both {seen[q]} and {kind}:{key}')
        seen[q] = f'{kind}:{key}'

    out = [
        '# GENERATED by scripts/gen_wikidata_links.py -- do not edit by hand.',
        f'# owl:sameAs links to Wikidata items: {n_states} of {len(st)} states (Natural Earth 1:50m admin-0 WIKIDATAID',
        '# and Our World in Data agree) and ' + str(len(links) - n_states) + ' institutions (item read in the cited datasets).',
        '# Sources: data/sources/wikidata.ttl. Retrieved 2026-12-05.',
    ]
    for iso, label, why in left_out:
        out.append(f'# Left out, sources disagree: state:{iso} ({label}): {why}.')
    for key, qids in inst_left_out:
        out.append(f'# Left out, sources disagree: inst:{key}: {", ".join(qids)}.')
    out += [
        '',
        ttl.prefixes('inst', 'owl', 'prov', 'src', 'state', 'wd'),
    ]
    for kind, key, q, srcs in links:
        out.append(f'{kind}:{key} owl:sameAs wd:{q} ;')
        out.append('    prov:hadPrimarySource ' + ', '.join('src:' + s for s in srcs) + ' .')
        out.append('')
    ttl.write_text(OUT, '\n'.join(out))
    print(f'states linked: {n_states}/{len(st)}; institutions linked: {len(links) - n_states}; '
          f'left out: {[x[0] for x in left_out]} {[x[0] for x in inst_left_out]}')


if __name__ == '__main__':
    main()
