//! Everything the seed paper (Zhao Geng, "An Analysis of Cyberspace Rule-Making in China-U.S.
//! Relations") names is in the bundled graph, typed, labelled and sourced, with the facts the paper
//! states about it. The list follows issue #3, section 1.

use normgraph::query::{self, Answer, NamedQuery};
use normgraph::{Bundle, KnowledgeGraph};

fn graph() -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    kg
}

const PREFIXES: &str = "
PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX state: <https://w3id.org/normgraph/id/state/>
PREFIX inst: <https://w3id.org/normgraph/id/org/>
PREFIX person: <https://w3id.org/normgraph/id/person/>
PREFIX instr: <https://w3id.org/normgraph/id/instrument/>
PREFIX norm: <https://w3id.org/normgraph/id/norm/>
PREFIX dlg: <https://w3id.org/normgraph/id/dialogue/>
PREFIX event: <https://w3id.org/normgraph/id/event/>
PREFIX concept: <https://w3id.org/normgraph/id/concept/>
PREFIX def: <https://w3id.org/normgraph/id/definition/>
PREFIX assess: <https://w3id.org/normgraph/id/assessment/>
PREFIX src: <https://w3id.org/normgraph/id/source/>
PREFIX status: <https://w3id.org/normgraph/id/status/>
PREFIX track: <https://w3id.org/normgraph/id/track/>
PREFIX level: <https://w3id.org/normgraph/id/path-level/>
PREFIX gov: <https://w3id.org/normgraph/id/governance-model/>
PREFIX element: <https://w3id.org/normgraph/id/regime-element/>
";

fn ask(kg: &KnowledgeGraph, body: &str) -> bool {
    let q = NamedQuery::from_text(
        "seed".into(),
        "seed".into(),
        format!("{PREFIXES} ASK {{ {body} }}"),
    );
    match query::run(kg, &q, &[]).unwrap() {
        Answer::Boolean(b) => b,
        other => panic!("{other:?}"),
    }
}

/// (resource, class) pairs the paper names.
const NAMED: &[(&str, &str)] = &[
    // Actors
    ("state:CHN", "ng:State"),
    ("state:USA", "ng:State"),
    ("state:RUS", "ng:State"),
    ("inst:EU", "ng:Institution"),
    ("inst:NATO", "ng:Institution"),
    ("inst:CCDCOE", "ng:Institution"),
    ("inst:UN", "ng:Institution"),
    ("inst:UNGA", "ng:Organ"),
    ("inst:ICANN", "ng:Institution"),
    ("inst:ITU", "ng:Institution"),
    ("inst:WIC", "ng:Institution"),
    ("inst:Tallinn-IGE", "ng:ExpertGroup"),
    ("inst:CHN-MPS", "ng:GovernmentAgency"),
    ("inst:CHN-MSS", "ng:GovernmentAgency"),
    ("inst:CHN-MOJ", "ng:GovernmentAgency"),
    ("inst:CHN-CAC", "ng:GovernmentAgency"),
    ("inst:CHN-MFA", "ng:GovernmentAgency"),
    ("inst:CHN-MIIT", "ng:GovernmentAgency"),
    ("inst:USA-DHS", "ng:GovernmentAgency"),
    ("inst:USA-DOJ", "ng:GovernmentAgency"),
    ("inst:USA-FBI", "ng:GovernmentAgency"),
    ("inst:USA-IC", "ng:GovernmentAgency"),
    ("inst:USA-DOD", "ng:GovernmentAgency"),
    ("inst:USA-WhiteHouse", "ng:GovernmentAgency"),
    ("inst:CICIR", "ng:ThinkTank"),
    ("inst:CSIS", "ng:ThinkTank"),
    ("inst:RAND", "ng:ThinkTank"),
    // Instruments and documents
    ("instr:tallinn-manual-2013", "ng:Manual"),
    ("instr:chn-cybersecurity-law-2016", "ng:Law"),
    ("def:cybersecurity-chn", "ng:Definition"),
    (
        "instr:chn-national-cyberspace-strategy-2016",
        "ng:NationalStrategy",
    ),
    ("instr:usa-dod-cyber-strategy-2015", "ng:NationalStrategy"),
    ("instr:usa-cnap-2016", "ng:NationalStrategy"),
    ("instr:chn-usa-2015-outcome-list", "ng:BilateralAgreement"),
    ("instr:chn-usa-2017-lecd-outcome", "ng:BilateralAgreement"),
    ("event:rus-1998-unga-proposal", "ng:Event"),
    ("instr:a-res-53-70", "ng:Resolution"),
    // Dialogues and mechanisms
    ("dlg:chn-usa-ssd-cyber-working-group-2013", "ng:Dialogue"),
    ("dlg:chn-usa-cybercrime-high-level-dialogue", "ng:Dialogue"),
    ("dlg:chn-usa-cybercrime-hotline", "ng:Dialogue"),
    ("dlg:chn-usa-senior-experts-group", "ng:Dialogue"),
    ("dlg:chn-usa-2017-comprehensive-dialogues", "ng:Dialogue"),
    ("dlg:chn-usa-lecd", "ng:Dialogue"),
    ("dlg:chn-usa-lecd-2017-10", "ng:Dialogue"),
    ("dlg:cicir-csis-track2", "ng:Dialogue"),
    // Positions and concepts
    ("norm:government-led-governance", "ng:Norm"),
    ("norm:multistakeholder-governance", "ng:Norm"),
    ("def:cybersecurity-usa", "ng:Definition"),
    ("concept:cyber-sovereignty", "ng:Concept"),
    ("concept:cyber-sovereignty-jurisdiction", "ng:Concept"),
    ("concept:cyber-sovereignty-defence", "ng:Concept"),
    ("concept:cyber-sovereignty-independence", "ng:Concept"),
    ("concept:cyber-sovereignty-equality", "ng:Concept"),
    ("def:cyber-sovereignty-chn", "ng:Definition"),
    ("def:cyber-sovereignty-usa", "ng:Definition"),
    ("norm:cyber-sovereignty", "ng:Norm"),
    ("concept:new-type-major-power-relations", "ng:Concept"),
    ("concept:community-shared-future", "ng:Concept"),
    ("element:principle", "skos:Concept"),
    ("element:norm", "skos:Concept"),
    ("element:rule", "skos:Concept"),
    ("element:decision-making-procedure", "skos:Concept"),
    ("level:low", "skos:Concept"),
    ("level:middle", "skos:Concept"),
    ("level:high", "skos:Concept"),
    ("assess:chn-usa-overall", "ng:Assessment"),
    ("concept:proposed-norms-phase", "ng:Concept"),
    ("norm:chn-usa-cooperation-child-pornography", "ng:Norm"),
    ("norm:chn-usa-cooperation-commercial-theft", "ng:Norm"),
    ("norm:chn-usa-cooperation-online-fraud", "ng:Norm"),
    ("norm:chn-usa-cooperation-online-terrorism", "ng:Norm"),
    ("event:usa-2014-indictment-pla-officers", "ng:Event"),
    ("src:seed-zhao-geng", "ng:Source"),
    ("src:krasner-1982", "ng:Source"),
];

#[test]
fn everything_the_paper_names_is_typed_labelled_and_sourced() {
    let kg = graph();
    let mut missing = Vec::new();
    for (iri, class) in NAMED {
        if !ask(&kg, &format!("{iri} a {class}")) {
            missing.push(format!("{iri} is not a {class}"));
        }
        if !ask(
            &kg,
            &format!("{iri} rdfs:label|dcterms:title|skos:prefLabel ?l"),
        ) {
            missing.push(format!("{iri} has no label"));
        }
        let sourced = class.starts_with("skos:")
            || *class == "ng:Source"
            || ask(&kg, &format!("{iri} prov:hadPrimarySource ?s"));
        if !sourced {
            missing.push(format!("{iri} cites no source"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn the_paper_is_a_source_and_its_references_are_cited_by_it() {
    let kg = graph();
    assert!(ask(
        &kg,
        "?s ng:citedBy src:seed-zhao-geng ; <http://xmlns.com/foaf/0.1/page> ?u"
    ));
    // The outcome list's own source is the MFA page the paper cites.
    assert!(ask(
        &kg,
        "instr:chn-usa-2015-outcome-list prov:hadPrimarySource ?s . ?s ng:citedBy src:seed-zhao-geng"
    ));
}

#[test]
fn the_facts_the_paper_states_are_there() {
    let kg = graph();
    let facts = [
        // Cyber sovereignty: China's four aspects.
        ("four aspects", "SELECT (COUNT(?a) AS ?n) WHERE { ?a skos:broader concept:cyber-sovereignty } HAVING (COUNT(?a) = 4)"),
        // The 2015 outcome list is agreed by both sides, and its cyber points are norms.
        ("outcome list agreed", "SELECT * WHERE { ?e ng:target instr:chn-usa-2015-outcome-list ; ng:status status:agreed ; ng:actor state:CHN . ?f ng:target instr:chn-usa-2015-outcome-list ; ng:status status:agreed ; ng:actor state:USA }"),
        ("outcome list norms", "SELECT (COUNT(?n) AS ?c) WHERE { ?n ng:articulatedIn instr:chn-usa-2015-outcome-list } HAVING (COUNT(?n) >= 6)"),
        // The 2015 high-level dialogue: co-chaired by DHS and the Attorney General (DOJ); MPS, MSS, MOJ and SIIO take part.
        ("dialogue co-chairs", "SELECT * WHERE { dlg:chn-usa-cybercrime-high-level-dialogue ng:coChair inst:USA-DHS, inst:USA-DOJ ; ng:participant inst:CHN-MSS, inst:CHN-MOJ, inst:CHN-CAC }"),
        // CICIR-CSIS: Track 2, now viewed as Track 1.5, since 2009.
        ("track 2 and 1.5", "SELECT * WHERE { dlg:cicir-csis-track2 ng:track track:track-2, track:track-1-5 ; ng:participant inst:CICIR, inst:CSIS }"),
        // Governance camps: China and Russia government-led, the U.S. multistakeholder.
        ("camps", "SELECT * WHERE { state:CHN ng:backs norm:government-led-governance . state:RUS ng:backs norm:government-led-governance . state:USA ng:backs norm:multistakeholder-governance . norm:government-led-governance ng:governanceModel gov:government-led }"),
        // The paper's assessment: still in the low-level path.
        ("low-level path", "SELECT * WHERE { assess:chn-usa-overall ng:pathLevel level:low ; ng:between state:CHN, state:USA }"),
        // Nine tasks of the 2016 strategy, three DoD missions.
        ("nine tasks", "SELECT (COUNT(?n) AS ?c) WHERE { ?n ng:articulatedIn instr:chn-national-cyberspace-strategy-2016 } HAVING (COUNT(?n) = 9)"),
        ("three missions", "SELECT (COUNT(?n) AS ?c) WHERE { ?n ng:articulatedIn instr:usa-dod-cyber-strategy-2015 } HAVING (COUNT(?n) = 3)"),
        // The Tallinn Manual: March 2013, not binding, by the experts the CCDCOE invited.
        ("tallinn", "SELECT * WHERE { instr:tallinn-manual-2013 ng:isBinding false ; dcterms:date ?d ; ng:adoptedBy inst:Tallinn-IGE FILTER(YEAR(?d) = 2013) }"),
    ];
    let mut failed = Vec::new();
    for (what, q) in facts {
        let nq = NamedQuery::from_text(what.into(), what.into(), format!("{PREFIXES} {q}"));
        match query::run(&kg, &nq, &[]).unwrap() {
            Answer::Solutions { rows, .. } if !rows.is_empty() => {}
            _ => failed.push(what),
        }
    }
    assert!(failed.is_empty(), "facts missing: {failed:?}");
}
