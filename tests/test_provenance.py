from dataclasses import replace

from newsweave.dossier.dedupe import Copy
from newsweave.model import AnalyzedArticle, Attribution, RemovedLine, Sentence
from newsweave.dossier.provenance import article_citations, mention_origins
from newsweave.outlets import Outlets

from .conftest import make_article

POST = make_article("The scoop.", outlet="The Meridian Post")
WIRE = make_article("The wire story.", outlet="Continental Press Agency")
OUTLETS = Outlets.of([POST, WIRE, make_article("x", outlet="Northgate Daily")])


def credit(text, source, cue="reported", kind="reported"):
    start = text.index(source)
    return Attribution(cue, source, text, (start, start + len(source)), (0, 1), (0, len(text)), kind)


def sentence(article, text, *attributions, index=0):
    return Sentence(article.id, index, 0, text, attributions=tuple(attributions))


def test_citations_come_from_the_dateline_and_from_crediting_sentences():
    article = make_article("Jets moved, the Post reported.", outlet="Northgate Daily", dateline="LISBON, Nov 3 (CPA) -")
    text = "Jets moved to the coast, the Post reported."
    item = AnalyzedArticle(article, (sentence(article, text, credit(text, "the Post")),))
    cites = {c.source: (c.cue, c.evidence) for c in article_citations(item, OUTLETS)}
    assert cites == {"Continental Press Agency": ("dateline", "LISBON, Nov 3 (CPA) -"), "The Meridian Post": ("reported", text)}


def test_an_outlet_taking_a_stance_is_news_about_it_not_a_citation_of_it():
    article = make_article("x", outlet="Northgate Daily")
    text = "The Meridian Post endorsed the mayor on Sunday."
    endorsed = credit(text, "The Meridian Post", cue="endorsed", kind="attitude")
    assert article_citations(AnalyzedArticle(article, (sentence(article, text, endorsed),)), OUTLETS) == ()
    said = credit(text, "The Meridian Post", cue="said")
    assert [c.source for c in article_citations(AnalyzedArticle(article, (sentence(article, text, said),)), OUTLETS)] == ["The Meridian Post"]


def test_an_outlet_crediting_itself_is_own_reporting_not_a_citation():
    article = make_article("x", outlet="Northgate Daily")
    text = "A resident told Northgate Daily that trucks passed at night."
    told = Attribution("told", "A resident", text, (0, 10), (11, 15), (16, len(text)), "reported", recipient="Northgate Daily")
    assert article_citations(AnalyzedArticle(article, (sentence(article, text, told),)), OUTLETS) == ()


def test_rewrites_crediting_one_scoop_trace_to_it_and_own_details_to_themselves():
    rewrite = make_article("Jets moved, the Post reported. Our own detail.", outlet="Northgate Daily")
    post_item = AnalyzedArticle(POST, (sentence(POST, "Jets moved."),))
    text = "Jets moved, the Post reported."
    rewrite_item = AnalyzedArticle(rewrite, (sentence(rewrite, text, credit(text, "the Post")), sentence(rewrite, "Jets moved again.", index=1)))
    cites = {POST.id: (), rewrite.id: article_citations(rewrite_item, OUTLETS)}
    articles = {POST.id: POST, rewrite.id: rewrite}
    shared = mention_origins([(post_item, post_item.sentences[0]), (rewrite_item, rewrite_item.sentences[1])], cites, {}, articles, OUTLETS)
    assert {o.source for o in shared} == {"The Meridian Post"}  # one independent source
    own = mention_origins([(rewrite_item, rewrite_item.sentences[1])], cites, {}, articles, OUTLETS)
    assert [(o.source, o.via) for o in own] == [("Northgate Daily", "own reporting")]


def test_a_copy_traces_to_its_original():
    copy = make_article("The wire story. Extra.", outlet="Northgate Daily")
    items = [AnalyzedArticle(a, (sentence(a, "The wire story."),)) for a in (WIRE, copy)]
    origins = mention_origins(
        [(i, i.sentences[0]) for i in items], {WIRE.id: (), copy.id: ()},
        {copy.id: Copy(copy.id, WIRE.id, "near-duplicate", 0.9)}, {WIRE.id: WIRE, copy.id: copy}, OUTLETS,
    )
    assert {o.source for o in origins} == {"Continental Press Agency"}


# --- sources of no known outlet, short references, counting (issue: sources on real input) ---

from newsweave.dossier.provenance import independent_sources, is_speaker, story_speakers  # noqa: E402
from newsweave.outlets import article_source, source_label  # noqa: E402


def test_an_article_of_no_known_outlet_is_a_source_of_its_own_named_by_title_or_file_never_a_path():
    titled = make_article("Strikes went on.", outlet=None, title="Strikes on boats continue", source="/home/ana/news/a2.txt")
    bare = make_article("Strikes went on, officials said.", outlet=None, title=None, source="/home/ana/news/a3.txt")
    pasted = make_article("Strikes went on again.", outlet=None, title=None, source="paste:0f1e2d3c4b5a69788796")
    sources = [article_source(a) for a in (titled, bare, pasted)]
    assert [s.name for s in sources] == ["Strikes on boats continue", "a3.txt", "pasted text 0f1e2d"]
    assert len({s.key for s in sources}) == 3 and not any(s.known for s in sources)  # never folded into one
    assert article_source(make_article("Other text.", outlet="the Meridian Post")).key == article_source(POST).key
    assert source_label(None, "https://www.example.org/news/1", "x") == "example.org"
    assert source_label(None, "-#3", "x") == "standard input, record 3"


def test_unknown_articles_reporting_alike_on_their_own_are_two_sources_and_a_copy_of_one_is_not():
    first = make_article("Jets moved.", outlet=None, title="Jets moved", source="/tmp/a1.txt")
    second = make_article("Jets moved!", outlet=None, title=None, source="/tmp/a2.txt")
    items = [AnalyzedArticle(a, (sentence(a, "Jets moved."),)) for a in (first, second)]
    articles = {a.id: a for a in (first, second)}
    origins = mention_origins([(i, i.sentences[0]) for i in items], {first.id: (), second.id: ()}, {}, articles, OUTLETS)
    assert [o.source for o in origins] == ["Jets moved", "a2.txt"]
    assert independent_sources((article_source(i.article).key, o.key) for i, o in zip(items, origins)) == 2
    copied = mention_origins([(i, i.sentences[0]) for i in items], {first.id: (), second.id: ()},
                             {second.id: Copy(second.id, first.id, "near-duplicate", 0.97)}, articles, OUTLETS)
    assert {o.source for o in copied} == {"Jets moved"}
    assert independent_sources((article_source(i.article).key, o.key) for i, o in zip(items, copied)) == 1


def test_a_short_reference_resolves_to_the_upstream_the_article_names_in_full():
    article = make_article("x", outlet="Northgate Daily")
    texts = ["Jets moved, according to documents viewed by The Harbor Ledger.", "The Ledger reported more flights.",
             "Officials told the newspaper nothing.", "A second jet landed, the Ledger said."]
    sentences = (
        sentence(article, texts[0], credit(texts[0], "The Harbor Ledger", cue="documents viewed by"), index=0),
        sentence(article, texts[1], credit(texts[1], "The Ledger"), index=1),
        sentence(article, texts[2], Attribution("told", "Officials", texts[2], (0, 9), (10, 14), (29, 36), "reported",
                                                recipient="the newspaper"), index=2),
        sentence(article, texts[3], credit(texts[3], "the Ledger", cue="said"), index=3),
    )
    item = AnalyzedArticle(article, sentences)
    cites = article_citations(item, OUTLETS)
    assert [(c.source, c.sentence) for c in cites] == [("The Harbor Ledger", 0)]  # not a second upstream "The Ledger"
    origins = mention_origins([(item, s) for s in sentences[1:]], {article.id: cites}, {}, {article.id: article}, OUTLETS)
    assert {o.source for o in origins} == {"The Harbor Ledger"}


def test_a_short_reference_with_no_upstream_named_in_full_is_no_citation_of_a_generic_noun():
    article = make_article("x", outlet="Northgate Daily")
    text = "Officials told the newspaper nothing."
    told = Attribution("told", "Officials", text, (0, 9), (10, 14), (29, 36), "reported", recipient="the newspaper")
    assert article_citations(AnalyzedArticle(article, (sentence(article, text, told),)), OUTLETS) == ()


def test_independent_sources_pair_each_root_with_a_source_of_its_own():
    assert independent_sources([]) == 0
    assert independent_sources([("a", "post"), ("b", "post"), ("c", "post")]) == 1  # three rewrites of one scoop
    assert independent_sources([("a", "a"), ("b", "b")]) == 2  # two outlets on their own
    assert independent_sources([("a", "ap"), ("a", "reuters"), ("a", "cnn")]) == 1  # one article crediting three
    assert independent_sources([("post", "post"), ("b", "post"), ("b", "b"), ("c", "post")]) == 2


# --- independence as stated invariants, over generated stories (hypothesis) ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsweave.dossier.build import dossier_from_analyzed  # noqa: E402
from newsweave.outlets import outlet_key  # noqa: E402

CLAIM_TEXTS = ("Jets moved to the coast", "Convoys passed through the port at night", "The ministry denied the report",
               "Six aircraft landed at the base")
CREDITS = ("The Harbor Ledger", "the Ledger", "the newspaper", "The Meridian Post", "the Post", "AP", "Reuters",
           "Northgate Daily", None, None)
OUTLET_POOL = (None, None, "The Meridian Post", "Northgate Daily", "Coastline Herald", "Associated Press")

sentences_strategy = st.lists(st.tuples(st.sampled_from(CLAIM_TEXTS), st.sampled_from(CREDITS)), min_size=1, max_size=4)
stories_strategy = st.lists(st.tuples(st.sampled_from(OUTLET_POOL), sentences_strategy, st.booleans(),
                                      st.sampled_from((None, "LISBON, Nov 3 (AP) -"))), min_size=1, max_size=6)


def generated_story(spec) -> list[AnalyzedArticle]:
    items = []
    for n, (outlet, said, titled, dateline) in enumerate(spec):
        texts = [f"{claim}, {who} reported." if who else f"{claim}." for claim, who in said]
        article = make_article(" ".join(texts) + f" Report {n % 3}.", outlet=outlet, title=f"Report {n}" if titled else None,
                               source=f"/home/ana/paste/{n}.txt", dateline=dateline, published=None)
        sentences = tuple(
            Sentence(article.id, i, 0, text, attributions=(credit(text, who),) if who else (),
                     lemmas=tuple(w.lower() for w in claim.split()))
            for i, (text, (claim, who)) in enumerate(zip(texts, said))
        )
        items.append(AnalyzedArticle(article, sentences))
    return list({item.article.id: item for item in items}.values())  # the same article twice is one article


@settings(max_examples=150, deadline=None)
@given(stories_strategy)
def test_independent_sources_never_exceed_the_sources_behind_them(spec):
    items = generated_story(spec)
    dossier = dossier_from_analyzed("s-generated", items, embedder=None)
    source_of = {item.article.id: article_source(item.article).key for item in items}
    for claim in dossier.claims:
        distinct = {source_of[m.article] for m in claim.mentions}
        assert 1 <= claim.independent_sources <= len(distinct)
    assert dossier.independent_sources <= len(set(source_of.values())) <= len(items)


@settings(max_examples=150, deadline=None)
@given(stories_strategy)
def test_a_credit_counts_wherever_it_stands_and_a_short_reference_never_adds_an_upstream(spec):
    items = generated_story(spec)
    outlets = Outlets.of(item.article for item in items)
    for item in items:
        keys = {c.key for c in article_citations(item, outlets)}
        own = article_source(item.article).key
        named = {a.source for s in item.sentences for a in s.attributions}
        if "The Harbor Ledger" in named:
            assert "harbor ledger" in keys and "ledger" not in keys  # "the Ledger" is the Harbor Ledger
        post_known = "meridian post" in outlets.names or "The Meridian Post" in named
        if "the Post" in named and post_known and own != "meridian post":
            assert "meridian post" in keys and "post" not in keys
        if named & {"The Harbor Ledger", "the Ledger"} == {"the Ledger"}:
            assert "harbor ledger" not in keys
        assert own not in keys  # an outlet crediting itself is no citation
        assert all(k == outlet_key(c.source) or c.cue == "dateline" for c in article_citations(item, outlets) for k in [c.key])


def test_a_unique_detail_is_carried_from_a_shared_upstream_unless_the_outlet_quotes_its_own_source():
    texts_a = ["Jets moved, according to documents viewed by The Harbor Ledger.", "The jets carry long-range missiles.",
               "A harbour pilot said the port had closed."]
    a = make_article(" ".join(texts_a), outlet="Northgate Daily")
    b = make_article("Jets moved, the Harbor Ledger reported.", outlet="Coastline Herald")
    pilot = Attribution("said", "A harbour pilot", texts_a[2], (0, 15), (16, 20), (21, len(texts_a[2])), "reported")
    item_a = AnalyzedArticle(a, (sentence(a, texts_a[0], credit(texts_a[0], "The Harbor Ledger", cue="documents viewed by")),
                                 sentence(a, texts_a[1], index=1), sentence(a, texts_a[2], pilot, index=2)))
    item_b = AnalyzedArticle(b, (sentence(b, b.text, credit(b.text, "the Harbor Ledger")),))
    cites = {a.id: article_citations(item_a, OUTLETS), b.id: article_citations(item_b, OUTLETS)}
    articles = {a.id: a, b.id: b}
    quoted = story_speakers([item_a, item_b])
    [kept] = mention_origins([(item_a, item_a.sentences[1])], cites, {}, articles, OUTLETS, quoted)
    assert (kept.source, kept.carried) == ("The Harbor Ledger", True)  # a detail of the scoop only this retelling kept
    [own] = mention_origins([(item_a, item_a.sentences[2])], cites, {}, articles, OUTLETS, quoted)
    assert (own.source, own.via, own.carried) == ("Northgate Daily", "own reporting", False)  # its own source
    assert not is_speaker("the documents") and not is_speaker("Records") and is_speaker("A harbour pilot")


def test_the_first_report_is_the_earliest_published_else_the_first_listed_said_so():
    from datetime import date

    from newsweave.dossier.build import FirstReport, first_report

    early = make_article("One.", outlet="A", published=date(2025, 11, 1))
    late = make_article("Two.", outlet="B", published=date(2025, 11, 3))
    undated = make_article("Three.", outlet="C", published=None)
    order = {late.id: 0, undated.id: 1, early.id: 2}
    assert first_report([late, undated, early], order) == FirstReport(early.id, "published")
    assert first_report([undated, replace(late, published=None)], order) == FirstReport(late.id, "article order")


def test_a_chain_of_credits_and_copies_ends_at_its_root_and_police_offices_are_no_outlets():
    wire_copy = make_article("Jets moved (CPA).", outlet="The Lakeside Courier")
    retold = make_article("Jets moved, the Courier reported.", outlet="Valley Record-Journal")
    courier_text, retold_text = "Jets moved, the Continental Press Agency reported.", "Jets moved, The Lakeside Courier reported."
    items = [AnalyzedArticle(wire_copy, (sentence(wire_copy, courier_text, credit(courier_text, "the Continental Press Agency")),)),
             AnalyzedArticle(retold, (sentence(retold, retold_text, credit(retold_text, "The Lakeside Courier")),))]
    outlets = Outlets.of([wire_copy, retold, WIRE])
    cites = {i.article.id: article_citations(i, outlets) for i in items}
    origins = mention_origins([(i, i.sentences[0]) for i in items], cites, {}, {i.article.id: i.article for i in items}, outlets)
    assert {o.source for o in origins} == {"Continental Press Agency"}  # Record-Journal -> Courier -> the agency
    assert outlets.resolve("Chicago Police Department News Affairs") is None
    assert outlets.resolve("The Harbor Ledger") == ("harbor ledger", "The Harbor Ledger")


def test_wire_copy_traces_every_claim_to_the_wire_and_a_publisher_family_counts_once():
    carried = make_article("CHICAGO (AP) — Two men were shot. They were taken to a hospital.", outlet="Metro Evening Post",
                           removed=(RemovedLine("Copyright 2016 The Associated Press. All rights reserved.", "copyright"),))
    own = make_article("Two men were shot on Friday.", outlet="Associated Press")
    items = [AnalyzedArticle(a, (sentence(a, "They were taken to a hospital."),)) for a in (carried, own)]
    outlets = Outlets.of([carried, own])
    cites = {i.article.id: article_citations(i, outlets) for i in items}
    assert [(c.source, c.cue.split(" (")[0]) for c in cites[carried.id]] == [("Associated Press", "wire copy")]
    assert cites[own.id] == ()  # a wire's own article carries its own copy
    origins = mention_origins([(i, i.sentences[0]) for i in items], cites, {}, {a.id: a for a in (carried, own)}, outlets)
    assert {o.source for o in origins} == {"Associated Press"} and all(o.carried for o in origins[:1])
    assert independent_sources([("chicago tribune", "chicago tribune"), ("baltimore sun", "baltimore sun")]) == 1
    assert independent_sources([("chicago tribune", "chicago tribune"), ("miami herald", "miami herald")]) == 2
