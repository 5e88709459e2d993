# Stances of actors on norms, derived from acts on instruments (EVIDENCE.md section 1). Every
# stance is a record in the inferred graph with its path: the act (ng:act), what it was on
# (ng:via), the instrument that states the norm when reached through affirmation or the norm
# matched exactly (ng:through), the rule that licensed it (ng:rule, scheme derivation-rule), the
# status's polarity, a sort key (10 x obligation rank + engagement rank) and a date with its kind.
#
#  rule direct       an act on the norm itself: any polarity.
#  rule provision    an act on the operative provision that states the norm (a separate paragraph
#                    vote, a dissociation from the paragraph): any polarity.
#  rule articulated  a positive act on the instrument whose operative text states the norm.
#  rule affirmed     a positive act on an instrument that operatively affirms (ng:affirmsOperatively,
#                    one link or more) the instrument that states the norm.
#  rule exact-match  a stance extends, one step, to a norm declared skos:exactMatch.
# A negative or neutral act on a whole instrument (a vote against, an abstention) yields no
# stance on its norms; acts that end others (withdrawal, denunciation) yield none either.
# An act on an instrument dated on or after the day a newer instrument superseded it carries none.
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX rule: <https://w3id.org/normgraph/id/rule/>
PREFIX dk: <https://w3id.org/normgraph/id/date-kind/>

# 1. Stances from acts (rules direct, provision, articulated, affirmed), with the act's date.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> {
  ?s a ng:Stance ; ng:actor ?actor ; ng:norm ?norm ; ng:act ?e ; ng:via ?target ; ng:through ?through ;
     ng:rule ?rule ; ng:polarity ?pol ; ng:sortKey ?key ; ng:date ?date ; ng:dateKind ?kind ;
     ng:datePrecision ?precision .
  ?e ng:bearsOn ?norm .
} }
WHERE {
  GRAPH ?g { ?e ng:actor ?actor ; ng:status ?status ; ng:target ?target }
  GRAPH ?sg { ?status ng:polarity ?pol ; ng:obligation ?ob ; ng:engagement ?en }
  MINUS { GRAPH ?xg { ?status ng:ends true } }
  GRAPH ?og { ?ob ng:rank ?obRank }
  GRAPH ?eg { ?en ng:rank ?enRank }
  # What each target says: (target, norm, through, rule), computed once on its own and joined
  # (a UNION evaluated per act is ~25x slower in Oxigraph's evaluator).
  {
    SELECT ?target ?norm ?through ?rule WHERE {
      {
        GRAPH ?h { ?target a ng:Norm }
        BIND(?target AS ?norm) BIND(rule:direct AS ?rule)
      } UNION {
        GRAPH ?h { ?norm ng:articulatedBy ?target ; a ng:Norm }
        BIND(rule:provision AS ?rule)
      } UNION {
        GRAPH ?h { ?norm ng:articulatedIn ?target ; a ng:Norm }
        BIND(rule:articulated AS ?rule)
      } UNION {
        GRAPH <https://w3id.org/normgraph/graph/inferred> { ?target ng:affirmsOperatively+ ?through }
        GRAPH ?h { ?norm ng:articulatedIn ?through ; a ng:Norm }
        BIND(rule:affirmed AS ?rule)
      }
    }
  }
  FILTER(?pol > 0 || ?rule = rule:direct || ?rule = rule:provision)
  OPTIONAL { GRAPH ?g { ?e ng:date ?d0 } }
  OPTIONAL { GRAPH ?g { ?e ng:startDate ?d1 } }
  OPTIONAL { GRAPH ?g { ?e ng:notAfter ?d2 } }
  OPTIONAL { GRAPH ?g { ?e ng:datePrecision ?precision } }
  BIND(COALESCE(?d0, ?d1) AS ?actDate)
  OPTIONAL { GRAPH ?sup { ?newer ng:supersedes ?target ; dcterms:date ?supersededOn } }
  FILTER(!BOUND(?supersededOn) || !BOUND(?actDate) || ?actDate < ?supersededOn)
  BIND(COALESCE(?actDate, ?d2) AS ?date)
  BIND(IF(BOUND(?actDate), dk:act-date, IF(BOUND(?d2), dk:no-later-than, ?none)) AS ?kind)
  BIND(10 * ?obRank + ?enRank AS ?key)
  BIND(IRI(CONCAT(STR(?e), "/", STRAFTER(STR(?rule), "/id/rule/"), "/", STRAFTER(STR(?norm), "/id/norm/"))) AS ?s)
} ;

# 2. A paragraph dissociation is the exception to the member's backing of that paragraph's norm
#    through the whole text (rules articulated, affirmed).
DELETE { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ?p ?o } }
WHERE {
  GRAPH ?x { ?dis ng:actor ?actor ; ng:status <https://w3id.org/normgraph/id/status/dissociated> ; ng:target ?provision }
  GRAPH ?y { ?norm ng:articulatedBy ?provision }
  GRAPH <https://w3id.org/normgraph/graph/inferred> {
    ?s ng:actor ?actor ; ng:norm ?norm ; ng:polarity 1 ; ng:rule ?rule .
    ?s ?p ?o
  }
  FILTER(?rule = rule:articulated || ?rule = rule:affirmed)
} ;

# 3. Stances with no act date and no bound: the earliest day one of the act's sources was read.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:date ?read ; ng:dateKind dk:as-read } }
WHERE {
  {
    SELECT ?s (MIN(?accessed) AS ?read) WHERE {
      GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s a ng:Stance ; ng:act ?e }
      MINUS { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:dateKind ?k } }
      GRAPH ?g { ?e <http://www.w3.org/ns/prov#hadPrimarySource> ?src }
      GRAPH ?h { ?src ng:accessed ?accessed }
    } GROUP BY ?s
  }
} ;

# 4. Exact matches chain one step (close, broader and related matches do not).
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> {
  ?s2 a ng:Stance ; ng:actor ?actor ; ng:norm ?n2 ; ng:act ?e ; ng:via ?via ; ng:through ?n1 ;
      ng:rule rule:exact-match ; ng:polarity ?pol ; ng:sortKey ?key ; ng:date ?date ; ng:dateKind ?kind ;
      ng:datePrecision ?precision .
  ?e ng:bearsOn ?n2 .
} }
WHERE {
  GRAPH ?m { ?n1 <http://www.w3.org/2004/02/skos/core#exactMatch> ?n2 }
  GRAPH <https://w3id.org/normgraph/graph/inferred> {
    ?s1 ng:norm ?n1 ; ng:actor ?actor ; ng:act ?e ; ng:via ?via ; ng:rule ?r1 ; ng:polarity ?pol ; ng:sortKey ?key .
    OPTIONAL { ?s1 ng:date ?date ; ng:dateKind ?kind }
    OPTIONAL { ?s1 ng:datePrecision ?precision }
  }
  FILTER(?r1 != rule:exact-match && ?n1 != ?n2)
  BIND(IRI(CONCAT(STR(?e), "/exact-match/", STRAFTER(STR(?n2), "/id/norm/"))) AS ?s2)
} ;

# 5. A later act that ends (withdrawal, denunciation) by the same actor on the same target ends the
#    stances of the earlier acts; an ending without a date ends them all. The endings (few) are
#    found first, on their own.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:endedBy ?end ; ng:endDate ?endDate } }
WHERE {
  {
    SELECT ?end ?actor ?target ?endDate WHERE {
      GRAPH ?ws { ?endStatus ng:ends true }
      GRAPH ?w { ?end ng:status ?endStatus ; ng:actor ?actor ; ng:target ?target }
      OPTIONAL { GRAPH ?w { ?end ng:date ?endDate } }
    }
  }
  GRAPH ?g { ?e ng:target ?target }
  GRAPH ?g { ?e ng:actor ?actor }
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:act ?e }
  OPTIONAL { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:date ?date } }
  OPTIONAL { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:dateKind ?kind } }
  FILTER(!BOUND(?endDate) || !BOUND(?date) || ?kind != dk:act-date || ?endDate >= ?date)
} ;

# 6. Summaries of the current (not ended) stances of one actor and polarity on one norm: the
#    strongest (highest sort key, then earliest date, then IRI) with its status, first step and
#    rule, since when (earliest act date or 'no later than' bound; reading dates never count), how
#    many. Backing and opposition are also
#    written as plain triples (?actor ng:backs ?norm, ng:opposes) for short user queries.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> {
  ?summary a ng:StanceSummary ; ng:actor ?actor ; ng:norm ?norm ; ng:polarity ?pol ;
           ng:strongest ?best ; ng:evidenceCount ?count ; ng:since ?since .
  ?actor ?predicate ?norm .
} }
WHERE {
  {
    SELECT ?actor ?norm ?pol (MIN(?order) AS ?first) (COUNT(?s) AS ?count) (MIN(?dated) AS ?since) WHERE {
      GRAPH <https://w3id.org/normgraph/graph/inferred> {
        ?s a ng:Stance ; ng:actor ?actor ; ng:norm ?norm ; ng:polarity ?pol ; ng:sortKey ?key .
        OPTIONAL { ?s ng:date ?date ; ng:dateKind ?kind }
      }
      MINUS { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?s ng:endedBy ?end } }
      BIND(IF(?kind != dk:as-read, ?date, ?none) AS ?dated)
      BIND(CONCAT(STR(100 - ?key), "|", COALESCE(STR(?date), "9999-12-31"), "|", STR(?s)) AS ?order)
    } GROUP BY ?actor ?norm ?pol
  }
  BIND(IRI(STRAFTER(STRAFTER(?first, "|"), "|")) AS ?best)
  # The IRI says the polarity (.../stance-summary/backs|opposes|neutral/...): queries over many
  # summaries test the name instead of seeking ng:polarity.
  BIND(IRI(CONCAT("https://w3id.org/normgraph/id/stance-summary/",
                  IF(?pol > 0, "backs", IF(?pol < 0, "opposes", "neutral")), "/",
                  MD5(CONCAT(STR(?actor), " ", STR(?norm))))) AS ?summary)
  BIND(IF(?pol > 0, ng:backs, IF(?pol < 0, ng:opposes, ?none)) AS ?predicate)
} ;

# 7. The strongest stance's status, first step and rule, copied onto its summary: the named
#    queries then read one record per row.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?summary ng:status ?status ; ng:via ?via ; ng:rule ?rule } }
WHERE {
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?summary ng:strongest ?best . ?best ng:act ?act ; ng:via ?via ; ng:rule ?rule }
  GRAPH ?g { ?act ng:status ?status }
} ;

# 8. Neutral norm-level stances only (an abstention on the paragraph): ng:abstainsOn, unless the
#    actor backs or opposes the norm.
INSERT { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ng:abstainsOn ?norm } }
WHERE {
  GRAPH <https://w3id.org/normgraph/graph/inferred> { ?summary a ng:StanceSummary ; ng:polarity 0 ; ng:actor ?actor ; ng:norm ?norm }
  MINUS { GRAPH <https://w3id.org/normgraph/graph/inferred> { ?actor ng:backs|ng:opposes ?norm } }
}
