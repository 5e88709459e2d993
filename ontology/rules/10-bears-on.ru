# Which norms each endorsement concerns: the norm it targets, every norm articulated in the
# instrument it targets, and every norm articulated in an instrument that one affirms (one hop:
# voting for a resolution that calls on states to be guided by a report bears on the report's norms). ng:bearsOn is the explanation behind ng:backs / ng:opposes / ng:abstainsOn.
PREFIX ng: <https://w3id.org/normgraph/ontology#>
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?e ng:bearsOn ?norm } }
WHERE {
  GRAPH ?g { ?e ng:target ?target }
  {
    GRAPH ?h { ?target a ng:Norm }
    BIND(?target AS ?norm)
  } UNION {
    GRAPH ?h { ?norm ng:articulatedIn ?target }
  } UNION {
    GRAPH ?a { ?target ng:affirms ?affirmed }
    GRAPH ?h { ?norm ng:articulatedIn ?affirmed }
  }
}
