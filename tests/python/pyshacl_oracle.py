"""Runs pySHACL on normgraph's shapes and prints, per data file, conformance and the set of
(focus node, source shape, constraint component) of its results, as JSON.

Usage: python pyshacl_oracle.py SHAPES.ttl DATA.nt [DATA.nt ...]
Blank-node source shapes (anonymous property shapes) are reported as "_:" plus their sh:path.
"""
import json
import sys

import rdflib
from pyshacl import validate
from rdflib.namespace import SH

shapes = rdflib.Graph().parse(sys.argv[1], format="turtle")
out = {}
for path in sys.argv[2:]:
    data = rdflib.Graph().parse(path, format="nt")
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False)
    results = set()
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        shape = report.value(r, SH.sourceShape)
        comp = report.value(r, SH.sourceConstraintComponent)
        if isinstance(shape, rdflib.BNode):
            p = shapes.value(shape, SH.path)
            shape_key = "_:" + (p.n3() if p is not None else "?")
        else:
            shape_key = shape.n3()
        results.add((focus.n3(), shape_key, comp.n3()))
    out[path] = {"conforms": bool(conforms), "results": sorted(results)}
json.dump(out, sys.stdout, indent=1)
