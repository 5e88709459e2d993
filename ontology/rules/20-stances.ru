# Derived stances of actors on norms: ng:backs (positive polarity), ng:opposes (negative).
# An endorsement counts unless the same actor ended its stance on the same target (a status with
# ng:ends true: withdrawal, denunciation) on or after the endorsement's date.
# Through ng:affirms only backing propagates: a vote against a resolution that welcomes a report is
# opposition to the resolution, not to each norm of the report (China voted against A/RES/73/266 yet
# sponsored A/RES/73/27 restating most of the same norms). Opposing and neutral stances need the norm
# itself or the instrument that articulates it as target.
# Written as two set-based steps (MINUS and a grouped subquery) rather than a per-row NOT EXISTS,
# which is two orders of magnitude slower in Oxigraph's evaluator.
PREFIX ng: <https://w3id.org/normgraph/ontology#>

# 1. Pairs (actor, target) that were never ended.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ?stance ?norm } }
WHERE {
  GRAPH ?g { ?e ng:actor ?actor ; ng:status ?status ; ng:target ?target }
  GRAPH ?s { ?status ng:polarity ?polarity }
  FILTER(?polarity != 0)
  MINUS {
    GRAPH ?w { ?end ng:actor ?actor ; ng:target ?target ; ng:status ?endStatus }
    GRAPH ?ws { ?endStatus ng:ends true }
  }
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?e ng:bearsOn ?norm }
  FILTER(?polarity > 0 || ?target = ?norm || EXISTS { GRAPH ?art { ?norm ng:articulatedIn ?target } })
  BIND(IF(?polarity > 0, ng:backs, ng:opposes) AS ?stance)
} ;

# 2. Pairs that were ended: only endorsements dated after the last dated ending count.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ?stance ?norm } }
WHERE {
  {
    SELECT ?actor ?target (MAX(?endDate) AS ?lastEnd) WHERE {
      GRAPH ?w { ?end ng:actor ?actor ; ng:target ?target ; ng:status ?endStatus ; ng:date ?endDate }
      GRAPH ?ws { ?endStatus ng:ends true }
    } GROUP BY ?actor ?target
  }
  GRAPH ?g { ?e ng:actor ?actor ; ng:status ?status ; ng:target ?target }
  GRAPH ?s { ?status ng:polarity ?polarity }
  FILTER(?polarity != 0)
  OPTIONAL { GRAPH ?g { ?e ng:date ?d0 } }
  OPTIONAL { GRAPH ?g { ?e ng:startDate ?d1 } }
  OPTIONAL { GRAPH ?g { ?e ng:notBefore ?d2 } }
  FILTER(COALESCE(?d0, ?d1, ?d2) > ?lastEnd)
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?e ng:bearsOn ?norm }
  FILTER(?polarity > 0 || ?target = ?norm || EXISTS { GRAPH ?art { ?norm ng:articulatedIn ?target } })
  BIND(IF(?polarity > 0, ng:backs, ng:opposes) AS ?stance)
} ;

# 3. Neutral records only (abstention, participation): ng:abstainsOn, unless the actor backs or opposes.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ng:abstainsOn ?norm } }
WHERE {
  GRAPH ?g { ?e ng:actor ?actor ; ng:status ?status ; ng:target ?target }
  GRAPH ?s { ?status ng:polarity 0 }
  MINUS { GRAPH ?s2 { ?status ng:ends true } }
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?e ng:bearsOn ?norm }
  FILTER(?target = ?norm || EXISTS { GRAPH ?art { ?norm ng:articulatedIn ?target } })
  MINUS { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ng:backs|ng:opposes ?norm } }
}
