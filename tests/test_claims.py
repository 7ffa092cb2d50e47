"""Sentences to claims: `align` puts the sentences of a story's articles that state one fact into one claim."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from newsweave.dossier.claims import AlignModel, Mention, align, default_model, similarity_matrix
from newsweave.model import AnalyzedArticle, Article, Entity, Sentence
from newsweave.nlp.parse import analyze_articles
from newsweave.outlets import article_id

VENEZUELA = Entity("Venezuela", "GPE", "venezuela", 0, 9)


def analyzed(outlet: str, *sentences: tuple[str, str]) -> AnalyzedArticle:
    """An article of (text, content lemmas) sentences, analysed by hand; "venezuela" in the lemmas names it."""
    text = " ".join(s for s, _ in sentences)
    article = make(outlet, text)
    return AnalyzedArticle(article, tuple(
        Sentence(article.id, i, 0, s, entities=(VENEZUELA,) if "venezuela" in lemmas.split() else (),
                 lemmas=tuple(lemmas.split()))
        for i, (s, lemmas) in enumerate(sentences)
    ))


def make(outlet: str, text: str) -> Article:
    return Article(id=article_id(outlet, text), source=f"{outlet}.txt", outlet=outlet, url=None, title=None,
                   author=None, published=None, language="en", text=text)


def claims_of(items: Sequence[AnalyzedArticle], groups: list[tuple[Mention, ...]]) -> set[frozenset[tuple[str, int]]]:
    """Each claim as a set of (outlet, sentence index)."""
    outlet = {item.article.id: item.article.outlet for item in items}
    return {frozenset((outlet[m.article], m.sentence) for m in group) for group in groups}


JETS_A = ("Venezuela moved twelve fighter jets to its coast on Monday.",
          "venezuela move twelve fighter jet coast monday")
JETS_B = ("On Monday Venezuela shifted twelve fighter jets toward the coast.",
          "monday venezuela shift twelve fighter jet coast")
BRIDGE = ("The mayor opened a new bridge over the river.", "mayor open new bridge river")
SEAS = ("Fishermen reported calm seas near the harbour.", "fisherman report calm sea harbour")


def test_two_paraphrases_of_one_fact_from_two_articles_are_one_claim():
    items = [analyzed("A", JETS_A, BRIDGE), analyzed("B", SEAS, JETS_B)]
    groups = align(items)
    assert claims_of(items, groups) == {frozenset({("A", 0), ("B", 1)}), frozenset({("A", 1)}), frozenset({("B", 0)})}
    assert groups[0] == (Mention(items[0].article.id, 0), Mention(items[1].article.id, 1))  # by their first mention


def test_a_model_without_same_article_claims_keeps_one_articles_restatements_apart():
    restated = ("Venezuela moved twelve fighter jets to its coast on Monday, officials said.",
                "venezuela move twelve fighter jet coast monday official say")
    items = [analyzed("A", JETS_A, restated), analyzed("B", JETS_B)]
    scores = similarity_matrix([s for item in items for s in item.sentences])
    assert scores[0, 1] > scores[0, 2]  # A's two sentences resemble each other most, yet stay apart
    groups = align(items, model=replace(default_model(None), same_article=False))
    assert all(len({m.article for m in g}) == len(g) for g in groups)
    assert sorted(len(g) for g in groups) == [1, 2]  # B joins one of A's sentences; every sentence in one claim


class SameVector:
    """A fake embedder that says every sentence means the same."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), 4)) / 2.0


def test_an_embedder_links_a_translation_that_shares_no_words():
    items = [analyzed("A", ("The plane landed safely.", "plane land safely")),
             analyzed("B", ("Das Flugzeug landete sicher.", "flugzeug landen sicher"))]
    assert len(align(items)) == 2  # no word in common: two claims
    by_meaning = AlignModel(("lexical_jaccard", "embedding"), (4.0, 8.0), -4.0, threshold=0.5, same_article=False)
    assert len(align(items, SameVector(), by_meaning)) == 1  # an embedding that says they mean the same links them
    assert similarity_matrix([s for i in items for s in i.sentences], SameVector())[0, 1] > similarity_matrix([s for i in items for s in i.sentences])[0, 1]


def test_the_nlp_pipeline_and_align_make_one_claim_of_two_tellings():
    items = analyze_articles([
        make("A", "Venezuela moved twelve fighter jets to its coast on Monday.\n\nThe mayor opened a new bridge."),
        make("B", "Fishermen reported calm seas.\n\nOn Monday, Venezuela moved 12 fighter jets to the coast."),
    ])
    jets = {(item.article.outlet, s.index) for item in items for s in item.sentences if "jets" in s.text}
    assert jets == {("A", 0), ("B", 1)}
    claims = claims_of(items, align(items))
    assert frozenset(jets) in claims and len(claims) == 3  # the bridge and the seas are claims of their own


def test_a_sentence_whose_best_match_is_weak_leaves_the_claim():
    from newsweave.dossier.claims import AlignModel, cluster_claims

    scores = np.array([[1.0, 0.9, 0.45], [0.9, 1.0, 0.45], [0.45, 0.45, 1.0]])
    model = AlignModel((), (), 0.0, threshold=0.4, same_article=False, min_link=0.0)
    assert cluster_claims(["a", "b", "c"], scores, model) == [[0, 1, 2]]  # alike enough on average
    assert cluster_claims(["a", "b", "c"], scores, replace(model, min_link=0.5)) == [[0, 1], [2]]


def test_sentences_that_state_no_fact_are_in_no_claim():
    fragment = Sentence("x", 1, 0, "Photo: AP", fact=False)
    items = [analyzed("A", JETS_A), analyzed("B", JETS_B)]
    items[0] = AnalyzedArticle(items[0].article, items[0].sentences + (replace(fragment, article_id=items[0].article.id),))
    groups = align(items)
    assert all(m.sentence != 1 for g in groups for m in g) and len(groups) == 1


def test_similarity_matrix_written_in_place_equals_the_model_over_fresh_feature_matrices():
    from newsweave.dossier.claims import feature_matrices

    items = [analyzed("A", JETS_A, BRIDGE, SEAS), analyzed("B", JETS_B, SEAS), analyzed("C", BRIDGE, JETS_A)]
    sentences = [s for item in items for s in item.sentences]
    model = default_model(None)
    weight = dict(zip(model.features, model.weights))
    fresh = dict(feature_matrices(sentences))  # each its own matrix, as the fitting script keeps them
    assert len({id(m) for m in fresh.values()}) == len(fresh)
    logit = model.intercept + sum(weight[name] * matrix for name, matrix in fresh.items() if name in weight)
    expected = 1.0 / (1.0 + np.exp(-logit))
    np.fill_diagonal(expected, 1.0)
    assert np.allclose(similarity_matrix(sentences, None, model), expected, atol=1e-6)
    assert fresh["lexical_jaccard"][0, 1] == 0.0 and fresh["lexical_jaccard"][0, 3] > 0.5  # no content word in common: 0, never a division by zero
