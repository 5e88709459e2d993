# Derived stances of actors on norms. An endorsement counts unless the same actor later ended it
# on the same target (a status with ng:ends true: withdrawal, denunciation) on or after its date.
PREFIX ng: <https://w3id.org/normgraph/ontology#>
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ?stance ?norm } }
WHERE {
  GRAPH ?g { ?e ng:actor ?actor ; ng:status ?status ; ng:target ?target }
  GRAPH ?s { ?status ng:polarity ?polarity }
  FILTER(?polarity != 0)
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?e ng:bearsOn ?norm }
  OPTIONAL { GRAPH ?g { ?e ng:date ?d0 } }
  OPTIONAL { GRAPH ?g { ?e ng:startDate ?d1 } }
  BIND(COALESCE(?d0, ?d1) AS ?date)
  FILTER NOT EXISTS {
    GRAPH ?w { ?end ng:actor ?actor ; ng:target ?target ; ng:status ?endStatus }
    GRAPH ?ws { ?endStatus ng:ends true }
    OPTIONAL { GRAPH ?w { ?end ng:date ?endDate } }
    FILTER(!BOUND(?endDate) || !BOUND(?date) || ?endDate >= ?date)
  }
  BIND(IF(?polarity > 0, ng:backs, ng:opposes) AS ?stance)
} ;

INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ng:abstainsOn ?norm } }
WHERE {
  GRAPH ?g { ?e ng:actor ?actor ; ng:status ?status }
  GRAPH ?s { ?status ng:polarity 0 }
  FILTER NOT EXISTS { GRAPH ?s { ?status ng:ends true } }
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?e ng:bearsOn ?norm }
  FILTER NOT EXISTS { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ng:backs|ng:opposes ?norm } }
}
