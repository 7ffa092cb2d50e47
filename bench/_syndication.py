"""Syndication cases built from real articles, and the independence invariants over real stories, for
`bench/provenance.py`.

Cases (each from one gun-violence incident of the chosen half reported by 2+ articles; X and Y its two oldest
articles, real text nobody here wrote; outlet names are put on them as a download would carry them):

- `copy`: X under two unrelated outlets' names, the second with another headline, another byline and its last
  paragraph replaced: the claims both state must count 1 independent source (X of 3 paragraphs or more).
- `credit`: X, and a shorter retelling of it by a second outlet (its first half of paragraphs) that credits the
  first by its full name ("According to The Lakeside Courier, ...") in its longest paragraph and by its short
  name ("The Courier reported that ...") in the next longest: 1 (X with a paragraph of reporting).
- `wire`: X as a wire's own copy (`wire_name`), and a verbatim copy under a paper's name with the wire's
  dateline ("(AP)") and its copyright line, another headline: 1.
- `family`: X and Y under two outlets of one publisher family (from `newsweave/data/sources.toml`): 1.
- `independent`: X and Y under two unrelated outlets, neither crediting any outlet nor copying the other: 2.

A case is right when every claim both articles state counts the expected number; cases with no claim both state
are skipped (counted apart). The invariants (`invariant_breaks`) are those README 'Sources' states, checked on
every story of a corpus split.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from newsweave.dossier.build import story_dossier
from newsweave.dossier.format import story_to_json
from newsweave.model import AnalyzedArticle, Article, StoryGroup
from newsweave.nlp import analyze_articles, load_pipeline
from newsweave.outlets import article_id, outlet_key

PAPER_A, PAPER_B, PAPER_C = "The Lakeside Courier", "Metro Evening Post", "Valley Record-Journal"
SHORT_A = "the Courier"
MIN_PARAGRAPHS = 3  # the copy case needs an article of at least this many paragraphs


@dataclass
class CaseResult:
    kind: str
    story: str
    expected: int
    counts: tuple[int, ...]  # the independent sources of each claim both articles state

    @property
    def right(self) -> bool:
        return bool(self.counts) and all(c == self.expected for c in self.counts)


class Analyses:
    """Every article's analysis kept by id, so that a case re-analyses only what it changed."""

    def __init__(self) -> None:
        self.nlp = load_pipeline()
        self.items: dict[str, AnalyzedArticle] = {}

    def dossier(self, story_id: str, articles: Iterable[Article]) -> dict:
        articles = tuple(articles)
        todo = [a for a in articles if a.id not in self.items]
        if todo:
            self.items.update((i.article.id, i) for i in analyze_articles(todo, self.nlp))
        return story_to_json(story_dossier(StoryGroup(story_id, articles), self.items, embedder=None))


def as_outlet(article: Article, outlet: str, **changes: object) -> Article:
    """The article under another outlet's name (a new id, as `outlets.article_id` keys on the outlet)."""
    changed = replace(article, outlet=outlet, **changes)  # type: ignore[arg-type]
    return replace(changed, id=article_id(outlet, changed.text), raw_hash=None)


def _paragraphs(article: Article) -> list[str]:
    return list(article.body_paragraphs)


def _with_text(article: Article, outlet: str, paragraphs: list[str], **changes: object) -> Article:
    return as_outlet(article, outlet, text="\n\n".join(paragraphs), headings=(), **changes)


_COMMON_OPENING = re.compile(r"^(?:A|An|The|Two|Three|Four|Five|Six|Police|Officers|Authorities|It|He|She|They)\b")


def _credited(paragraph: str, lead: str) -> str:
    """ "An officer was shot." -> "According to The Lakeside Courier, an officer was shot." (a common opening word
    lower-cased; a name kept)."""
    body = paragraph[0].lower() + paragraph[1:] if _COMMON_OPENING.match(paragraph) else paragraph
    return f"{lead} {body}"


def _sentences_of(paragraphs: list[str]) -> list[int]:
    """The paragraphs that read as reporting (the longest first): no caption, no one-liner."""
    return sorted((i for i, p in enumerate(paragraphs) if len(p.split()) >= 8 and p.rstrip().endswith((".", '"', "”"))),
                  key=lambda i: -len(paragraphs[i]))


def shared_counts(dossier: dict, a: str, b: str) -> tuple[int, ...]:
    """The independent sources of each claim that articles `a` and `b` both state."""
    return tuple(c["independent_sources"] for c in dossier["claims"]
                 if {a, b} <= {m["article"] for m in c["mentions"]})


def build_cases(x: Article, y: Article, story: str, family: tuple[str, str] | None,
                wire: tuple[str, str, str] | None) -> list[tuple[str, int, Article, Article]]:
    """(kind, expected count, first, second) of each case of one incident (see the module docstring)."""
    paras = _paragraphs(x)
    cases = []
    original = as_outlet(x, PAPER_A)
    if len(paras) >= MIN_PARAGRAPHS:  # a shorter one is no longer the same text once its last paragraph is replaced
        last = paras[:-1] + ["Readers with information can reach the newsroom's tip line."]
        copy = _with_text(x, PAPER_B, last, title=f"Update: {x.title or 'shooting'}", author="Staff report")
        cases.append(("copy", 1, original, copy))
    retold = paras[: max(2, (len(paras) + 1) // 2)]
    reporting = _sentences_of(retold)
    if reporting:  # credited by full name in its longest paragraph, by short name in the next
        retold[reporting[0]] = _credited(retold[reporting[0]], f"According to {PAPER_A},")
        if len(reporting) > 1:
            retold[reporting[1]] = _credited(retold[reporting[1]], f"{SHORT_A[0].upper()}{SHORT_A[1:]} reported that")
        cases.append(("credit", 1, original, _with_text(x, PAPER_C, retold, title=x.title, author=None)))
    if wire:
        name, short, credit_line = wire
        own = as_outlet(x, name, dateline=None)
        city = "CHICAGO"
        carried = [f"{city} ({short}) — {paras[0]}"] + paras[1:] + [credit_line]
        cases.append(("wire", 1, own, _with_text(x, PAPER_B, carried, title=f"{x.title or 'Shooting'} | Metro", author=None)))
    if family:
        cases.append(("family", 1, as_outlet(x, family[0]), as_outlet(y, family[1])))
    cases.append(("independent", 2, as_outlet(x, PAPER_A), as_outlet(y, PAPER_B)))
    return cases


def run_cases(stories: list, analyses: Analyses, family: tuple[str, str] | None, wire: tuple[str, str, str] | None,
              on_story: Callable[[], None] = lambda: None) -> tuple[list[CaseResult], Counter[str]]:
    results: list[CaseResult] = []
    skipped: Counter[str] = Counter()
    for story in stories:
        x, y = story.articles[0], story.articles[1]
        for kind, expected, first, second in build_cases(x, y, story.id, family, wire):
            dossier = analyses.dossier(f"{kind}-{story.id}", (first, second))
            by_id = {a["id"]: a for a in dossier["articles"]}
            if kind == "independent" and (any(by_id[i]["cites"] or by_id[i]["copy_of"] for i in by_id)):
                skipped[f"{kind}: an article credits an outlet or copies the other"] += 1
                continue
            counts = shared_counts(dossier, first.id, second.id)
            if not counts:
                skipped[f"{kind}: no claim both state"] += 1
                continue
            results.append(CaseResult(kind, story.id, expected, counts))
        on_story()
    return results, skipped


# --- invariants over real stories ---

_PATHLIKE = re.compile(r"(?:^|\s)(?:/|[A-Za-z]:\\)[^\s]+|\b(?:gv|ecb\+)/\S+")


def invariant_breaks(dossier: dict) -> list[str]:
    """The stated invariants a story's dossier breaks (README 'Sources'), each as a sentence."""
    breaks = []
    source_of = {}
    for a in dossier["articles"]:
        source_of[a["id"]] = outlet_key(a["outlet"]) if a.get("outlet") else "~" + a["id"]
    n_sources = len(set(source_of.values()))
    if dossier["independent_sources"] > min(n_sources, len(dossier["articles"])):
        breaks.append(f"story: {dossier['independent_sources']} independent sources from {n_sources} sources")
    for c in dossier["claims"]:
        distinct = {source_of[m["article"]] for m in c["mentions"]}
        if not 1 <= c["independent_sources"] <= len(distinct):
            breaks.append(f"claim {c['id']}: {c['independent_sources']} independent sources from {len(distinct)} sources")
    shown = [a["source_name"] for a in dossier["articles"]] + [o["source"] for c in dossier["claims"] for o in c["origins"]]
    breaks += [f"a path shown as a source: {name!r}" for name in shown if _PATHLIKE.search(name)]
    for a in dossier["articles"]:
        keys = [outlet_key(c["source"]) for c in a["cites"]]
        for k in keys:
            if any(other != k and other.endswith(" " + k) for other in keys):
                breaks.append(f"article {a['id']}: short reference {k!r} counted beside the upstream it names in full")
    titled = [a for a in dossier["articles"] if a.get("title")]
    if titled and dossier["headline"] not in {a["title"] for a in titled}:
        breaks.append(f"headline {dossier['headline'][:60]!r} is no titled article's title")
    return breaks


def check_invariants(stories: list, analyses: Analyses, on_story: Callable[[], None] = lambda: None) -> tuple[int, int, list[str]]:
    """(stories, claims, breaks) over the dossiers of real stories, each story's coverage as one story."""
    claims = 0
    breaks: list[str] = []
    for story in stories:
        dossier = analyses.dossier(f"{story.corpus}-{story.id}", story.articles)
        claims += len(dossier["claims"])
        breaks += [f"{story.corpus} {story.id}: {b}" for b in invariant_breaks(dossier)]
        on_story()
    return len(stories), claims, breaks
