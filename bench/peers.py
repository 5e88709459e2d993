"""Run normgraph's benchmark workload on a peer engine; print one JSON object per line.

Usage: peers.py ENGINE WORKDIR ONTOLOGY_DIR QUERIES_DIR GENERATED.nt [--inferred FILE.nq]
ENGINE: pyoxigraph-mem | pyoxigraph-disk | rdflib | pyshacl

Each line is {"op": ..., "cold_s": ..., "warm_s": ..., "rows": ...} (or {"op", "error"}); lines are
flushed as they come so that a run stopped by the driver's time limit keeps what it measured.
The workload is the one of `normgraph bench` (src/bench.rs): same queries, same bindings.
"""

import json
import os
import re
import statistics
import sys
import time

NG = "https://w3id.org/normgraph/ontology#"
ID = "https://w3id.org/normgraph/id/"
GRAPH = "https://w3id.org/normgraph/graph/"
INFERRED = GRAPH + "inferred"
WORKLOAD = [
    ("who-backs-norm", "who-backs-norm", {"norm": ID + "norm/synth-n000001"}),
    ("norms-backed-by", "norms-backed-by", {"actor": ID + "state/XAA"}),
    ("common-ground", "common-ground", {"a": ID + "state/XAA", "b": ID + "state/XAB"}),
    ("alignment-20", "alignment-matrix", {"group": ID + "org/synth-io-01"}),
    ("contested-norms", "contested-norms", {}),
]
CONTRADICTIONS = (
    "PREFIX ng: <https://w3id.org/normgraph/ontology#>\n"
    "SELECT ?actor ?norm WHERE { ?actor ng:backs ?norm . ?actor ng:opposes ?norm . }"
)
REPEAT = 5
SLOW = 2.0  # seconds: no warm repeats for a query slower than this cold


def emit(**kw):
    print(json.dumps(kw), flush=True)


def timed(op, fn):
    try:
        t = time.perf_counter()
        rows = fn()
        cold = time.perf_counter() - t
        warm = []
        if cold < SLOW:
            for _ in range(REPEAT):
                t = time.perf_counter()
                fn()
                warm.append(time.perf_counter() - t)
        emit(op=op, cold_s=cold, warm_s=statistics.median(warm) if warm else cold, warm_runs=len(warm), rows=rows)
    except Exception as e:  # noqa: BLE001 - report and go on with the next operation
        emit(op=op, error=f"{type(e).__name__}: {e}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def bind(text, params):
    """Bind parameters by replacing the variable with the IRI: what normgraph's binding does on the
    parsed algebra (none of these parameters is projected, and a VALUES block would not reach the
    sub-SELECTs of alignment-matrix)."""
    for name, iri in params.items():
        text = re.sub(r"\?" + name + r"(?![A-Za-z0-9_])", "<" + iri + ">", text)
    return text


def ontology_files(ontology_dir):
    return [os.path.join(ontology_dir, f) for f in ("normgraph.ttl", "schemes.ttl")]


def graph_iri(path):
    return GRAPH + "bench/" + os.path.basename(path)


def run_pyoxigraph(kind, workdir, ontology_dir, queries_dir, generated, dump_inferred):
    import pyoxigraph as ox

    store = ox.Store() if kind == "mem" else ox.Store(os.path.join(workdir, "pyoxigraph-store"))
    t = time.perf_counter()
    for f in ontology_files(ontology_dir):
        store.bulk_load(path=f, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph_iri(f)))
    store.bulk_load(path=generated, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri(generated)))
    store.flush() if kind == "disk" else None
    load = time.perf_counter() - t
    emit(op="load", cold_s=load, warm_s=load, rows=len(store))
    rules_dir = os.path.join(ontology_dir, "rules")
    t = time.perf_counter()
    for name in sorted(os.listdir(rules_dir)):
        if name.endswith(".ru"):
            store.update(read(os.path.join(rules_dir, name)))
    rules = time.perf_counter() - t
    inferred = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)))
    emit(op="rules", cold_s=rules, warm_s=rules, rows=inferred)
    if dump_inferred:
        with open(dump_inferred, "w", encoding="utf-8") as f:
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)):
                f.write(f"{q.subject} {q.predicate} {q.object} <{INFERRED}> .\n")

    def q(text):
        return lambda: sum(1 for _ in store.query(text, use_default_graph_as_union=True))

    for label, name, params in WORKLOAD:
        timed(label, q(bind(read(os.path.join(queries_dir, name + ".rq")), params)))
    timed("contradictions", q(CONTRADICTIONS))


def rdflib_dataset(ontology_dir, generated, inferred):
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    for f in ontology_files(ontology_dir):
        ds.graph(rdflib.URIRef(graph_iri(f))).parse(f, format="turtle")
    ds.graph(rdflib.URIRef(graph_iri(generated))).parse(generated, format="nt")
    if inferred:
        ds.parse(inferred, format="nquads")
    return ds


def run_rdflib(ontology_dir, queries_dir, generated, inferred):
    t = time.perf_counter()
    ds = rdflib_dataset(ontology_dir, generated, None)
    load = time.perf_counter() - t
    emit(op="load", cold_s=load, warm_s=load, rows=len(ds))
    # The rules' GRAPH ?g patterns are out of reach for rdflib at this size: the inferred graph
    # computed by pyoxigraph from the same rules is loaded instead.
    import rdflib

    ds.parse(inferred, format="nquads")
    emit(op="rules", error="not run: inferred graph from pyoxigraph loaded instead")

    def q(text):
        return lambda: len(list(ds.query(text)))

    for label, name, params in WORKLOAD:
        timed(label, q(bind(read(os.path.join(queries_dir, name + ".rq")), params)))
    timed("contradictions", q(CONTRADICTIONS))
    del rdflib


def run_pyshacl(ontology_dir, generated, inferred):
    import pyshacl
    import rdflib

    ds = rdflib_dataset(ontology_dir, generated, inferred)
    data = rdflib.Graph()
    for t in ds.triples((None, None, None)):
        data.add(t)
    shapes = rdflib.Graph().parse(os.path.join(ontology_dir, "shapes.ttl"), format="turtle")

    def validate():
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none")
        return len(list(report.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))

    timed("validation", validate)


def main():
    engine, workdir, ontology_dir, queries_dir, generated = sys.argv[1:6]
    inferred = None
    if "--inferred" in sys.argv:
        inferred = sys.argv[sys.argv.index("--inferred") + 1]
    if engine == "pyoxigraph-mem":
        run_pyoxigraph("mem", workdir, ontology_dir, queries_dir, generated, inferred)
    elif engine == "pyoxigraph-disk":
        run_pyoxigraph("disk", workdir, ontology_dir, queries_dir, generated, None)
    elif engine == "rdflib":
        run_rdflib(ontology_dir, queries_dir, generated, inferred)
    elif engine == "pyshacl":
        run_pyshacl(ontology_dir, generated, inferred)
    else:
        sys.exit(f"unknown engine {engine}")


if __name__ == "__main__":
    main()
