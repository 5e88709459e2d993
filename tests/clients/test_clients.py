"""Real clients against a live `normgraph serve` at $NORMGRAPH_ENDPOINT: SPARQLWrapper (SELECT, ASK,
CONSTRUCT in each format; GET, POST form, POST direct), rdflib's SPARQLStore, and pandas DataFrames
from CSV and JSON results."""
import io
import json
import os
import urllib.parse
import urllib.request
import warnings

import pandas as pd
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE,
                           URLENCODED, XML, SPARQLWrapper)

ENDPOINT = os.environ["NORMGRAPH_ENDPOINT"]
BASE = ENDPOINT.rsplit("/", 1)[0]
NG = "https://w3id.org/normgraph/ontology#"
NORM = "https://w3id.org/normgraph/id/norm/gge2015-13f"
SELECT = f"""PREFIX ng: <{NG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?norm ?label WHERE {{ ?norm a ng:Norm ; rdfs:label ?label FILTER(LANG(?label) = "en") }}
ORDER BY ?norm LIMIT 10"""
ASK = f"ASK {{ <{NORM}> a <{NG}Norm> }}"
CONSTRUCT = f"CONSTRUCT {{ <{NORM}> ?p ?o }} WHERE {{ <{NORM}> ?p ?o }}"
MODES = [("GET", GET, None), ("POST form", POST, URLENCODED), ("POST direct", POST, POSTDIRECTLY)]

checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def run(query, fmt, method, request_method):
    w = SPARQLWrapper(ENDPOINT)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    if request_method:
        w.setRequestMethod(request_method)
    result = w.query()
    content_type = result.response.headers.get("Content-Type", "")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = result.convert()
    mismatches = [str(c.message) for c in caught if "returned by the endpoint" in str(c.message)]
    check(not mismatches, f"SPARQLWrapper saw a format mismatch: {mismatches}")
    return content_type, data


for mode, method, request_method in MODES:
    # SELECT in every results format.
    ct, data = run(SELECT, JSON, method, request_method)
    check(ct.startswith("application/sparql-results+json"), f"{mode} JSON: {ct}")
    check(len(data["results"]["bindings"]) == 10, f"{mode} JSON rows")
    ct, data = run(SELECT, XML, method, request_method)
    check(ct.startswith("application/sparql-results+xml"), f"{mode} XML: {ct}")
    check(len(data.getElementsByTagName("result")) == 10, f"{mode} XML rows")
    ct, data = run(SELECT, CSV, method, request_method)
    check(ct.startswith("text/csv"), f"{mode} CSV: {ct}")
    frame = pd.read_csv(io.BytesIO(data))
    check(list(frame.columns) == ["norm", "label"] and len(frame) == 10, f"{mode} CSV frame")
    ct, data = run(SELECT, TSV, method, request_method)
    check(ct.startswith("text/tab-separated-values"), f"{mode} TSV: {ct}")
    lines = data.decode().strip().split("\n")
    check(lines[0] == "?norm\t?label" and len(lines) == 11, f"{mode} TSV lines: {lines[:2]}")
    # ASK.
    ct, data = run(ASK, JSON, method, request_method)
    check(data["boolean"] is True, f"{mode} ASK JSON")
    ct, data = run(ASK, XML, method, request_method)
    check(data.getElementsByTagName("boolean")[0].firstChild.data == "true", f"{mode} ASK XML")
    # CONSTRUCT in every graph format SPARQLWrapper knows.
    for fmt, media in [(TURTLE, "turtle"), (N3, "turtle"), (XML, "application/rdf+xml"),
                       (RDFXML, "application/rdf+xml"), (JSONLD, "application/ld+json")]:
        ct, data = run(CONSTRUCT, fmt, method, request_method)
        check(media in ct, f"{mode} CONSTRUCT {fmt}: {ct}")
        if isinstance(data, bytes):
            data = rdflib.Graph().parse(data=data, format="turtle")
        check(len(data) > 3, f"{mode} CONSTRUCT {fmt}: {len(data)} triples")
        check((rdflib.URIRef(NORM), None, None) in data, f"{mode} CONSTRUCT {fmt}: subject")
    print(f"SPARQLWrapper {mode}: SELECT json/xml/csv/tsv, ASK json/xml, CONSTRUCT turtle/n3/xml/rdfxml/json-ld ok")

# A named query of the library, its parameter bound by the server ($norm).
library = {q["name"]: q for q in json.load(urllib.request.urlopen(f"{BASE}/queries"))}
w = SPARQLWrapper(ENDPOINT)
w.setQuery(library["who-backs-norm"]["text"])
w.addParameter("$norm", "norm:gge2015-13f")
w.setReturnFormat(JSON)
w.setMethod(POST)
rows = w.query().convert()["results"]["bindings"]
check(len(rows) > 10, f"who-backs-norm rows: {len(rows)}")
print(f"SPARQLWrapper named query who-backs-norm: {len(rows)} backers")

# rdflib's SPARQLStore (GET and POST).
for method in ["GET", "POST"]:
    store = SPARQLStore(ENDPOINT, method=method)
    graph = rdflib.Graph(store)
    rows = list(graph.query(SELECT))
    check(len(rows) == 10, f"SPARQLStore {method} SELECT: {len(rows)}")
    check(graph.query(ASK).askAnswer is True, f"SPARQLStore {method} ASK")
    constructed = graph.query(CONSTRUCT).graph
    check(len(constructed) > 3, f"SPARQLStore {method} CONSTRUCT")
    triples = list(graph.triples((rdflib.URIRef(NORM), None, None)))
    check(len(triples) > 3, f"SPARQLStore {method} triples(): {len(triples)}")
    print(f"rdflib SPARQLStore {method}: SELECT, ASK, CONSTRUCT, triples() ok")

# pandas from CSV and from JSON results, over plain HTTP.
def fetch(query, accept):
    url = ENDPOINT + "?" + urllib.parse.urlencode({"query": query})
    return urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}))

frame = pd.read_csv(fetch(SELECT, "text/csv"))
check(frame.shape == (10, 2), f"pandas CSV shape {frame.shape}")
check(frame["norm"].str.startswith("https://w3id.org/normgraph/id/norm/").all(), "pandas CSV IRIs")
results = json.load(fetch(SELECT, "application/sparql-results+json"))
frame_json = pd.DataFrame(
    [{k: v["value"] for k, v in b.items()} for b in results["results"]["bindings"]],
    columns=results["head"]["vars"],
)
check(frame_json.equals(frame), "pandas: JSON and CSV give the same frame")
print("pandas: DataFrames from CSV and JSON results agree")
print(f"clients: {checks} checks passed")
