# Symmetric norm relations, and direct memberships from qualified org:Membership records.
PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?b ng:equivalentTo ?a } }
WHERE { GRAPH ?g { ?a ng:equivalentTo ?b } FILTER NOT EXISTS { GRAPH ?h { ?b ng:equivalentTo ?a } } } ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?b ng:conflictsWith ?a } }
WHERE { GRAPH ?g { ?a ng:conflictsWith ?b } FILTER NOT EXISTS { GRAPH ?h { ?b ng:conflictsWith ?a } } } ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?member org:memberOf ?org } }
WHERE { GRAPH ?g { ?m org:member ?member ; org:organization ?org } }
