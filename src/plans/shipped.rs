//! The SPARQL texts of the constraints that have a plan, exactly as `ontology/shapes.ttl` ships
//! them (the registry's test checks each matches its constraint there).

/// `ngsh:DuplicateEndorsement`'s query, as shipped.
pub(crate) const DUPLICATE: &str = "SELECT $this ?value WHERE {
          $this ng:actor ?a ; ng:target ?t ; ng:status ?s ; ng:date ?d .
          ?value ng:actor ?a ; ng:target ?t ; ng:status ?s ; ng:date ?d .
          FILTER(?value != $this)
        }";

/// `ngsh:RatifiedBeforeSigned`'s query, as shipped.
pub(crate) const RATIFIED_BEFORE_SIGNED: &str = "SELECT $this ?value WHERE {
          $this ng:status <https://w3id.org/normgraph/id/status/ratified> ; ng:actor ?actor ; ng:target ?treaty ; ng:date ?ratified .
          ?signature ng:actor ?actor ; ng:target ?treaty ; ng:status <https://w3id.org/normgraph/id/status/signed> ; ng:date ?value .
          FILTER(?ratified < ?value)
        }";

/// `ngsh:FormalActBeforeInstrument`'s query, as shipped.
pub(crate) const FORMAL_ACT_BEFORE_INSTRUMENT: &str = r##"SELECT $this ?value WHERE {
          $this ng:status ?status ; ng:target ?instrument ; ng:date ?date .
          FILTER(?status IN (<https://w3id.org/normgraph/id/status/signed>, <https://w3id.org/normgraph/id/status/ratified>,
                             <https://w3id.org/normgraph/id/status/acceded>, <https://w3id.org/normgraph/id/status/voted-for>,
                             <https://w3id.org/normgraph/id/status/voted-against>, <https://w3id.org/normgraph/id/status/abstained>))
          ?instrument dcterms:date ?value .
          FILTER(?date < ?value)
        }"##;

/// `ngsh:BeforeInstrument`'s query, as shipped.
pub(crate) const BEFORE_INSTRUMENT: &str = r##"SELECT $this ?value WHERE {
          $this ng:status ?status ; ng:target ?instrument ; ng:date ?date .
          FILTER(?status NOT IN (<https://w3id.org/normgraph/id/status/signed>, <https://w3id.org/normgraph/id/status/ratified>,
                                 <https://w3id.org/normgraph/id/status/acceded>, <https://w3id.org/normgraph/id/status/voted-for>,
                                 <https://w3id.org/normgraph/id/status/voted-against>, <https://w3id.org/normgraph/id/status/abstained>,
                                 <https://w3id.org/normgraph/id/status/proposed>, <https://w3id.org/normgraph/id/status/sponsored>))
          ?instrument dcterms:date ?value .
          FILTER(?date < ?value)
        }"##;

/// `ngsh:AfterActorDissolved`'s query, as shipped.
pub(crate) const AFTER_ACTOR_DISSOLVED: &str = r##"SELECT $this ?value WHERE {
          $this ng:actor ?actor ; ng:date ?date .
          ?actor ng:dissolved ?value .
          FILTER(?date > ?value)
        }"##;

/// `ngsh:StatusDoesNotFitTarget`'s query, as shipped.
pub(crate) const STATUS_DOES_NOT_FIT_TARGET: &str = r##"SELECT $this ?value WHERE {
          $this ng:status ?value ; ng:target ?target .
          FILTER NOT EXISTS { ?value ng:appliesTo ?class . ?target a ?class . }
        }"##;

/// `ngsh:StatusDoesNotFitActor`'s query, as shipped.
pub(crate) const STATUS_DOES_NOT_FIT_ACTOR: &str = r##"SELECT $this ?value WHERE {
          $this ng:status ?status ; ng:actor ?value .
          FILTER(
            (?status IN (<https://w3id.org/normgraph/id/status/voted-for>, <https://w3id.org/normgraph/id/status/voted-against>,
                         <https://w3id.org/normgraph/id/status/abstained>)
             && NOT EXISTS { ?value a ng:State })
            ||
            (?status IN (<https://w3id.org/normgraph/id/status/signed>, <https://w3id.org/normgraph/id/status/ratified>,
                         <https://w3id.org/normgraph/id/status/acceded>, <https://w3id.org/normgraph/id/status/denounced>)
             && NOT EXISTS { ?value a ng:State } && NOT EXISTS { ?value a ng:IntergovernmentalOrganization }))
        }"##;

/// `ngsh:FutureDate`'s query, as shipped.
pub(crate) const FUTURE_DATE: &str = r##"SELECT $this ?value WHERE {
          { $this ng:date ?value } UNION { $this ng:startDate ?value } UNION { $this ng:notAfter ?value }
          # Lexical comparison of YYYY-MM-DD strings: portable across SPARQL engines (no xsd:date cast).
          FILTER(STR(?value) > SUBSTR(STR(NOW()), 1, 10))
        }"##;

/// `ngsh:VoteTally`'s query, as shipped.
pub(crate) const VOTE_TALLY: &str = r##"SELECT $this ?value WHERE {
          { SELECT $this (COUNT(?v) AS ?anyVotes) WHERE {
              ?v ng:target $this ; ng:status ?s .
              FILTER(?s IN (<https://w3id.org/normgraph/id/status/voted-for>, <https://w3id.org/normgraph/id/status/voted-against>, <https://w3id.org/normgraph/id/status/abstained>))
            } GROUP BY $this }
          FILTER(?anyVotes > 0)
          {   $this ng:votesFor ?tally .
              BIND("votes for" AS ?kind) BIND(<https://w3id.org/normgraph/id/status/voted-for> AS ?status) }
          UNION { $this ng:votesAgainst ?tally .
              BIND("votes against" AS ?kind) BIND(<https://w3id.org/normgraph/id/status/voted-against> AS ?status) }
          UNION { $this ng:abstentions ?tally .
              BIND("abstentions" AS ?kind) BIND(<https://w3id.org/normgraph/id/status/abstained> AS ?status) }
          # One grouped count for every (resolution, status), joined once: a count per branch
          # inside each OPTIONAL is re-evaluated per resolution by some engines (quadratic).
          OPTIONAL { SELECT $this ?status (COUNT(DISTINCT ?actor) AS ?n) WHERE {
              ?e ng:target $this ; ng:status ?status ; ng:actor ?actor .
            } GROUP BY $this ?status }
          BIND(COALESCE(?n, 0) AS ?recorded)
          FILTER(?recorded != ?tally)
          BIND(CONCAT(?kind, ": tally ", STR(?tally), ", recorded ", STR(?recorded)) AS ?value)
        }"##;
