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
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
import ttl  # noqa: E402  (shared helpers)
import gen_treaty_charts as charts  # noqa: E402  (the same reading, checks and writing as the first treaty charts)

ROOT = os.path.normpath(os.path.join(HERE, ".."))
TSV_GLOB = os.path.join(HERE, "data", "treaty-charts-2-*.tsv")
OUT = os.path.join(ROOT, "data", "endorsements", "treaty-charts-2.ttl")
TSV_GLOB_3 = os.path.join(HERE, "data", "treaty-charts-3-*.tsv")
OUT_3 = os.path.join(ROOT, "data", "endorsements", "treaty-charts-3.ttl")
RETRIEVED = datetime.date(2026, 12, 5)

TREATIES = {"ets-185", "ets-189", "cets-224", "un-cybercrime-convention", "itu-itr-2012"}
# Statuses and columns: charts.STATUSES and charts.COLUMNS (the same as for scripts/gen_treaty_charts.py).

HEADER = """# GENERATED by scripts/gen_treaty_charts_2.py from scripts/data/treaty-charts-2-*.tsv -- do not edit by hand.
# Topic "treaties-2": treaty acts on ETS 185, ETS 189, CETS 224, the UN Convention against Cybercrime and the 2012
# International Telecommunication Regulations that are NOT already in data/endorsements/ (budapest.ttl,
# budapest-protocols.ttl, treaty-charts.ttl, un-participation.ttl, internet-governance.ttl). Acts are kept distinct as
# the depositary records them (signed / ratified / accepted / approved / acceded / succeeded); reservations and
# declarations are one status:reservation act per actor and treaty, dated by the earliest one read.
# Sources: data/sources/treaty-charts-2.ttl (read {retrieved}). {n} acts.

""" + ttl.prefixes("ng", "prov", "rdfs", "xsd", "state", "inst", "instr", "end", "src", "status") + "\n"

HEADER_3 = """# GENERATED by scripts/gen_treaty_charts_2.py from scripts/data/treaty-charts-3-*.tsv -- do not edit by hand.
# Topic "treaty-charts-3": treaty acts on ETS 185, ETS 189, CETS 224, the UN Convention against Cybercrime and the 2012
# International Telecommunication Regulations that are NOT already in data/endorsements/ (budapest.ttl,
# budapest-protocols.ttl, treaty-charts.ttl, treaty-charts-2.ttl, un-participation.ttl, internet-governance.ttl).
# Same conventions as treaty-charts-2.ttl: acts kept distinct as the depositary records them; reservations and
# declarations are one status:reservation act per actor and treaty, dated by the earliest one read.
# Sources: data/sources/treaty-charts-3.ttl (read {retrieved}). {n} acts.

""" + HEADER.split("\n\n", 1)[1]


fail = ttl.failer("gen_treaty_charts_2")


def read_rows(tsv_glob):
    paths = sorted(glob.glob(tsv_glob))
    if not paths:
        fail("no input file matches " + os.path.relpath(tsv_glob, ROOT))
    rows = []
    for path in paths:
        rows += charts.read_chart(path, fail, os.path.basename(path))
    return rows


def generate(tsv_glob, out_path, header):
    charts.generate(read_rows(tsv_glob), out_path, header, TREATIES, RETRIEVED, fail,
                    check_instruments=True, show_path=True)


def main():
    generate(TSV_GLOB, OUT, HEADER)
    generate(TSV_GLOB_3, OUT_3, HEADER_3)


if __name__ == "__main__":
    main()
