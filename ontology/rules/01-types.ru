# Type closure over rdfs:subClassOf (a ng:State is a ng:Actor and a foaf:Agent).
# Class hierarchies are expected within one ontology file.
# Rules see every graph through GRAPH ?g patterns (an update's default graph is not the union).
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?x a ?super } }
WHERE {
  GRAPH ?g { ?x a ?class }
  GRAPH ?o { ?class rdfs:subClassOf ?parent . ?parent rdfs:subClassOf* ?super }
  FILTER(isIRI(?super) && ?super != ?class)
}
