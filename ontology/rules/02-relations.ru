# Symmetric and inverse norm relations, direct memberships from qualified org:Membership records,
# and operative affirmation between instruments.
PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?b ng:equivalentTo ?a } }
WHERE { GRAPH ?g { ?a ng:equivalentTo ?b } FILTER NOT EXISTS { GRAPH ?h { ?b ng:equivalentTo ?a } } } ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?b ?p ?a } }
WHERE {
  VALUES ?p { skos:exactMatch skos:closeMatch skos:related }
  GRAPH ?g { ?a ?p ?b } FILTER NOT EXISTS { GRAPH ?h { ?b ?p ?a } }
} ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?b ?inverse ?a } }
WHERE {
  VALUES (?p ?inverse) { (skos:broadMatch skos:narrowMatch) (skos:narrowMatch skos:broadMatch) }
  GRAPH ?g { ?a ?p ?b } FILTER NOT EXISTS { GRAPH ?h { ?b ?inverse ?a } }
} ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?b ng:conflictsWith ?a } }
WHERE { GRAPH ?g { ?a ng:conflictsWith ?b } FILTER NOT EXISTS { GRAPH ?h { ?b ng:conflictsWith ?a } } } ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?member org:memberOf ?org } }
WHERE { GRAPH ?g { ?m org:member ?member ; org:organization ?org } } ;

# An instrument affirms another operatively when one of its operative provisions does (calls upon
# states to be guided by it, welcomes, endorses or reaffirms it). Preambular text affirms nothing.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?i ng:affirmsOperatively ?j } }
WHERE {
  GRAPH ?g { ?p ng:provisionOf ?i ; ng:provisionKind <https://w3id.org/normgraph/id/provision-kind/operative> ; ng:affirms ?j }
}
