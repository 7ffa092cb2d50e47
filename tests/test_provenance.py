from newsweave.dossier.dedupe import Copy
from newsweave.model import AnalyzedArticle, Attribution, Sentence
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
