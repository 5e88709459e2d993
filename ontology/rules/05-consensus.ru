# Consensus per member (rule consensus-per-member, EVIDENCE.md section 2): a text that a plenary
# organ (ng:membersFrom, e.g. the UN General Assembly: every UN member) adopted without a vote is
# joined by every state that was a member on the day of adoption: membership started on or before
# it and did not end before it. A state recorded as having dissociated itself from the whole text
# is the exception. The derived act cites the instrument's own sources (the resolution, the meeting
# record) and names the membership record it rests on. A text whose day of adoption is not known
# (ng:datePrecision "year" or "month") yields none: membership could not be judged.
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> {
  ?act a ng:Endorsement ; ng:actor ?state ; ng:target ?i ;
       ng:status <https://w3id.org/normgraph/id/status/joined-consensus> ;
       ng:date ?d ; prov:hadPrimarySource ?src ;
       ng:derivedBy <https://w3id.org/normgraph/id/rule/consensus-per-member> ; prov:wasDerivedFrom ?m .
} }
WHERE {
  GRAPH ?g1 { ?i ng:adoptionMethod <https://w3id.org/normgraph/id/adoption-method/consensus> ; ng:adoptedBy ?organ ; dcterms:date ?d }
  # Only a text whose day of adoption is known: membership is judged on that day.
  FILTER NOT EXISTS { GRAPH ?g1 { ?i ng:datePrecision ?precision } FILTER(?precision != "day") }
  GRAPH ?g2 { ?organ ng:membersFrom ?body }
  GRAPH ?g3 { ?m org:member ?state ; org:organization ?body ; ng:startDate ?start }
  FILTER(?start <= ?d)
  GRAPH ?g4 { ?state a ng:State }
  OPTIONAL { GRAPH ?g3 { ?m ng:endDate ?end } }
  FILTER(!BOUND(?end) || ?end >= ?d)
  MINUS { GRAPH ?g5 { ?x ng:actor ?state ; ng:target ?i ; ng:status <https://w3id.org/normgraph/id/status/dissociated> } }
  OPTIONAL { GRAPH ?g1 { ?i prov:hadPrimarySource ?src } }
  BIND(IRI(CONCAT("https://w3id.org/normgraph/id/endorsement/", STRAFTER(STR(?i), "/id/instrument/"), "--",
                  STRAFTER(STR(?state), "/id/state/"), "--joined-consensus")) AS ?act)
}
