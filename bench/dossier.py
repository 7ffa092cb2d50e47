"""The dossier on real news: claims aligned, conflicts found, false alarms and fragments, on text nobody here wrote.

Data: ../shared/data (see its README). ECB+ events (the `subtopic`s of a split; ECB+ gives an article one
sentence a line, so the lines of one quotation are joined into one paragraph, as the article printed them,
and the alignment and fragment rows are shown also with each line a paragraph) and gun-violence incidents
(a half of the even incident ids: half A is `train`, half B `dev`, as in `bench/cluster.py`) are read by
`bench/_real.py` as a user's download would be, cleaned by the product's cleaner, and each event's coverage
is given to the dossier as one story (the clustering has its own benchmark), except in the alignment row that
groups first, as `newsweave analyze` does.

Sections (one table each; `--split dev` is the default: fit on train, tune on dev):

1. Claim alignment against human gold (ECB+ `sentences.jsonl`): a pair is two annotated sentences of
   different articles of one event, positive when they share an event chain. A sentence is mapped to the
   claims of the dossier mentions whose sentence lies within it (by text, letters and digits only). Pairwise
   precision and recall of "in one claim", beside a tf-idf cosine baseline (at 0.02, the README's best, and
   at the threshold giving precision 0.90 on this split) and the every-sentence-in-one-claim baseline.
2. Planted conflicts: in one article of a story, a value that 2+ of its articles state is changed the way a
   careless rewrite does: a number with its head noun (beyond any rounding), one digit of a designator, a
   weekday (to the next), a day of a month (to the next), a person's surname (to another). Found when a
   conflict puts the changed article on one side and at least one other article stating the value on the
   other (the changed article may be there too where it states the value again in other words). One plant
   per kind per story, the value most articles state; `--plants` caps each kind.
3. Compatible rewrites: a number with its head noun stated by 2+ articles rewritten in one article as
   `at least N`, `about N`, the number in words, `more than a dozen` (13-20): flagged when a conflict the
   unchanged story did not have puts the rewritten words (in the rewritten article) against the value they
   rewrite. Must be 0.
4. Unchanged real stories: conflicts per story, by kind; `--show N` prints N of them to read. Gun-violence
   conflicts are checked against the archive's record of the incident where it can be (`record_check`): a
   conflict whose two sides the record both holds (two participants' ages or names; the killed and the injured)
   is a false alarm, one whose one side alone it holds a real disagreement; the rest stay unchecked.
5. Real number conflicts (gun violence): the casualty counts of each article (its first killed and first
   injured statement, `nlp.casualties`, as `bench/numbers.py` reads them) against the archive's record. A
   real disagreement is a pair of articles whose counts are incompatible while the record agrees with exactly
   one of them; recall: the share of those the dossier reports as a number conflict between the two.
   Precision: of the number conflicts the dossier reports about people killed, injured or shot, the share
   where the record's count is on exactly one side.
6. Claims that are facts: the share of claims whose text is a fragment: under four words, no verb of its own,
   or an unbalanced quotation mark.
7. Key facts (gun violence, incidents whose articles are all dated): the story's killed, injured and date facts
   (`dossier.facts`) against the archive's record: equal (its number, or day, is the record's), stories with both
   toll facts;
   pairs of articles whose values disagree where the record settles it (the later article agrees, the earlier
   does not): the share whose fact is `updated`; and of the `disputed` facts, the share with the record's
   count on one side only (a real disagreement).

Run:  .venv/bin/python bench/dossier.py [--split dev] [--sections align,planted,compatible,alarms,numbers,facts,fragments]
      [--limit N (stories per corpus)] [--plants N] [--show N] [--embedder static|none|minilm] [--value-threshold KIND=P]
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/x.py` puts bench/ first on sys.path, where bench/numbers.py would shadow the standard library's
# `numbers`: keep bench/ reachable for `_real` only, after everything else.
_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_BENCH)] + [_BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from itertools import combinations  # noqa: E402
from typing import Callable, Iterable  # noqa: E402

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402

from _real import DEFAULT_DATA, RealStory, ecb_stories, gv_incidents, gv_stories, _jsonl  # noqa: E402
from _tables import table  # noqa: E402
from newsweave.config import DEFAULT_EMBEDDER  # noqa: E402
from newsweave.dossier import compare as compare_module  # noqa: E402
from newsweave.dossier import sameness, when  # noqa: E402
from newsweave.dossier.build import story_dossier  # noqa: E402
from newsweave.dossier.facts import DISPUTED, UPDATED, VERDICTS, key_facts  # noqa: E402
from newsweave.dossier.format import story_to_json  # noqa: E402
from newsweave.model import AnalyzedArticle, Article, StoryGroup  # noqa: E402
from newsweave.nlp import analyze_articles, get_embedder, load_pipeline  # noqa: E402
from newsweave.nlp.parse import DESIGNATOR_PATTERN  # noqa: E402
from newsweave.outlets import article_id  # noqa: E402
from newsweave.stories import group_stories  # noqa: E402

warnings.filterwarnings("ignore", module="dateutil")  # gun-violence pages carry odd time zones; not measured here

SECTIONS = ("align", "planted", "compatible", "alarms", "numbers", "facts", "fragments")
PLANT_KINDS = ("number", "designator", "weekday", "date", "name")
SEED = 20  # which stories get a plant when --plants caps a kind
_ALNUM = re.compile(r"[^0-9a-z]+")
_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
_WORD_VALUE = {w: i for i, w in enumerate(_NUMBER_WORDS)}
# a count and the word after it: "14 boats", "three people", "1,000 km", "21-year-old"
_COUNT = re.compile(r"(?<![\w.,$#/:-])(\d{1,3}(?:,\d{3})+|\d{1,4}|" + "|".join(_NUMBER_WORDS[2:]) + r")(\s+|-)([a-z]{3,})\b", re.I)
_NOT_NOUNS = {"and", "the", "for", "with", "from", "into", "were", "was", "are", "had", "have", "has", "who", "that", "which",
              "than", "but", "when", "after", "before", "while", "times", "p.m", "a.m", "percent", "per", "of", "to", "in",
              "on", "at", "by", "or", "out", "over", "more", "other", "others", "are", "will", "would", "could"}
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Aug\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\."
_MONTH_DAY = re.compile(rf"\b({_MONTHS}) (\d{{1,2}})\b(?!,? ?\d{{3}})|\b({_MONTHS}) (\d{{1,2}})(?=, \d{{4}})")
_SURNAMES = ["Hargrove", "Whitcombe", "Okafor", "Lindqvist", "Barrowman", "Castellanos", "Petrakis", "Vandermeer"]
_CASUALTY_WORDS = re.compile(r"\b(kill|dead|die|died|death|slain|fatal|injur|wound|hurt|shot|shoot|hospital)", re.I)
_FIRST_NUMBER = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r"|a dozen|dozens?)\b", re.I)


def norm(text: str) -> str:
    return _ALNUM.sub("", text.lower())


# --- running the product -------------------------------------------------------------------------------------


class Dossiers:
    """The product's dossier of a list of articles, with every article's analysis kept by id (a planted change
    re-analyses one article, not the story)."""

    def __init__(self, embedder_name: str = "none") -> None:
        self.nlp = load_pipeline()
        self.embedder = get_embedder(embedder_name)
        self.analyzed: dict[str, AnalyzedArticle] = {}
        self.seconds = 0.0

    def analyze(self, articles: Iterable[Article]) -> None:
        todo = [a for a in dict.fromkeys(articles) if a.id not in self.analyzed]
        if todo:
            t = time.perf_counter()
            self.analyzed.update((item.article.id, item) for item in analyze_articles(todo, self.nlp))
            self.seconds += time.perf_counter() - t

    def of(self, story_id: str, articles: Iterable[Article]) -> dict:
        articles = tuple(articles)
        self.analyze(articles)
        t = time.perf_counter()
        out = story_to_json(story_dossier(StoryGroup(story_id, articles), self.analyzed, embedder=self.embedder))
        self.seconds += time.perf_counter() - t
        return out


def rewrite(article: Article, pattern: re.Pattern[str], replace_with: Callable[[re.Match[str]], str]) -> Article | None:
    """The article with every match of `pattern` in its title and text replaced; None when nothing matched."""
    text, n = pattern.subn(replace_with, article.text)
    title, m = pattern.subn(replace_with, article.title) if article.title else (article.title, 0)
    if not n:
        return None
    return replace(article, text=text, title=title, id=article_id(article.outlet, text + "\0changed"))


# --- 1. alignment against ECB+ gold ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldSentence:
    doc: str
    event: str
    text: str
    chains: frozenset[str]


def gold_sentences(data: Path, docs: set[str]) -> list[GoldSentence]:
    return [GoldSentence(r["doc_id"], r["subtopic"], r["text"], frozenset(r["chains"]))
            for r in _jsonl(data / "ecbplus" / "sentences.jsonl") if r["doc_id"] in docs]


def gold_pairs(gold: list[GoldSentence]) -> list[tuple[int, int, bool]]:
    by_event: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_event[g.event].append(i)
    return [(i, j, bool(gold[i].chains & gold[j].chains))
            for ids in by_event.values() for i, j in combinations(ids, 2) if gold[i].doc != gold[j].doc]


def claims_of_gold(gold: list[GoldSentence], dossiers: list[dict], doc_of: dict[str, str]) -> list[set[str]]:
    """Each gold sentence's claims: those of the mentions whose sentence lies within it (or it within them)."""
    mentions: dict[str, list[tuple[str, str]]] = defaultdict(list)  # doc -> (normalised sentence, claim id)
    for d in dossiers:
        for claim in d["claims"]:
            for m in claim["mentions"]:
                mentions[doc_of[m["article"]]].append((norm(m["sentence"]), claim["id"]))
    out = []
    for g in gold:
        line = norm(g.text)
        out.append({c for s, c in mentions[g.doc] if s and (s in line or line in s)})
    return out


def pair_scores(pairs: list[tuple[int, int, bool]], same: Callable[[int, int], bool]) -> dict:
    tp = fp = fn = 0
    for i, j, gold in pairs:
        predicted = same(i, j)
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "pairs": len(pairs)}


def tfidf_cosines(gold: list[GoldSentence], pairs: list[tuple[int, int, bool]]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english").fit_transform([g.text for g in gold])
    return np.array([float(matrix[i].multiply(matrix[j]).sum()) for i, j, _ in pairs])


def _aligned(gold: list[GoldSentence], pairs: list[tuple[int, int, bool]], dossiers: list[dict], doc_of: dict[str, str]) -> dict:
    claims = claims_of_gold(gold, dossiers, doc_of)
    row = pair_scores(pairs, lambda i, j: bool(claims[i] & claims[j]))
    row.update(claims=sum(len(d["claims"]) for d in dossiers), stories=len(dossiers), unmapped=sum(not c for c in claims))
    return row


def section_align(stories: list[RealStory], data: Path, dossiers: Dossiers) -> list[tuple[str, dict]]:
    doc_of = {a.id: d for s in stories for a, d in zip(s.articles, s.docs)}
    gold = gold_sentences(data, set(doc_of.values()))
    pairs = gold_pairs(gold)
    one = [dossiers.of(s.id, s.articles) for s in stories]
    grouped = [dossiers.of(group.id, group.articles) for s in stories for group in group_stories(list(s.articles))]
    rows = [("newsweave: each event one story", _aligned(gold, pairs, one, doc_of)),
            ("newsweave: each event grouped first (as analyze)", _aligned(gold, pairs, grouped, doc_of))]
    cos = tfidf_cosines(gold, pairs)
    index = {(i, j): k for k, (i, j, _) in enumerate(pairs)}
    rows.append(("tf-idf cosine >= 0.02", pair_scores(pairs, lambda i, j: cos[index[i, j]] >= 0.02)))
    best = None
    for t in np.unique(np.round(cos, 3)):
        row = pair_scores(pairs, lambda i, j, t=t: cos[index[i, j]] >= t)
        if row["P"] >= 0.90 and (best is None or row["R"] > best[1]["R"]):
            best = (t, row)
    if best:
        rows.append((f"tf-idf cosine >= {best[0]:.3f} (P >= 0.90 on this split)", best[1]))
    rows.append(("every sentence of an event in one claim", pair_scores(pairs, lambda i, j: True)))
    return rows


# --- 2 and 3. planted conflicts and compatible rewrites -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plant:
    kind: str
    story: RealStory
    changed: Article  # the rewritten article
    index: int  # its place in the story
    stating: tuple[str, ...]  # ids of the other articles that state the original value
    original: str
    new: str


def _count_key(m: re.Match[str]) -> tuple[int, str] | None:
    number, noun = m.group(1).lower(), m.group(3).lower()
    value = _WORD_VALUE.get(number)
    if value is None:
        value = int(number.replace(",", ""))
    if noun in _NOT_NOUNS or (len(number) == 4 and 1900 <= value <= 2100 and "," not in number):
        return None
    return value, noun.rstrip("s")


def _stated(story: RealStory, find: Callable[[Article], set]) -> list[tuple[object, list[int]]]:
    """Values stated by 2+ articles of the story, most articles first: (value, article positions)."""
    by_value: dict[object, list[int]] = defaultdict(list)
    for k, a in enumerate(story.articles):
        for value in find(a):
            by_value[value].append(k)
    stated = [(v, ks) for v, ks in by_value.items() if len(ks) >= 2]
    return sorted(stated, key=lambda vk: (-len(vk[1]), str(vk[0])))


def _counts_in(a: Article) -> set:
    return {k for m in _COUNT.finditer(f"{a.title or ''}\n{a.text}") if (k := _count_key(m))}


def _beyond_rounding(value: int) -> int:
    return value + max(3, math.ceil(value * 0.6))


def _count_pattern(value: int, noun: str) -> re.Pattern[str]:
    spellings = {str(value), f"{value:,}"} | ({_NUMBER_WORDS[value]} if 2 <= value < len(_NUMBER_WORDS) else set())
    return re.compile(r"(?<![\w.,$#/:-])(" + "|".join(sorted(map(re.escape, spellings), key=len, reverse=True)) +
                      r")(\s+|-)(" + re.escape(noun) + r"s?)\b", re.I)


def plants(story: RealStory, dossiers: Dossiers) -> list[Plant]:
    """At most one plant per kind: the value most of the story's articles state, changed in the last of them."""
    out = []

    def plant(kind: str, stated: list[tuple[object, list[int]]], pattern_of, new_of) -> None:
        for value, positions in stated:
            k = positions[-1]
            pattern = pattern_of(value)
            changed = rewrite(story.articles[k], pattern, new_of(value))
            if changed is None:
                continue
            others = tuple(story.articles[j].id for j in positions if j != k)
            original = story.articles[k]
            match = pattern.search(original.text)
            out.append(Plant(kind, story, changed, k, others, match.group(0), new_of(value)(match)))
            return

    plant("number", _stated(story, _counts_in), lambda v: _count_pattern(*v),
          lambda v: lambda m: f"{_beyond_rounding(v[0]):,}{m.group(2)}{m.group(3)}")
    plant("designator", _stated(story, lambda a: {m.group(0) for m in DESIGNATOR_PATTERN.finditer(a.text)}),
          lambda v: re.compile(rf"(?<![\w-]){re.escape(v)}(?![\w-])"), lambda v: lambda m: _one_digit(v))
    plant("weekday", _stated(story, lambda a: set(_WEEKDAY.findall(_stating(a.text)))),
          lambda v: re.compile(rf"\b{v}\b"), lambda v: lambda m: _WEEKDAYS[(_WEEKDAYS.index(v) + 1) % 7])
    plant("date", _stated(story, lambda a: {(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in _MONTH_DAY.finditer(_stating(a.text))}),
          lambda v: re.compile(rf"\b{re.escape(v[0])} {v[1]}\b(?!\d)"), lambda v: lambda m: f"{v[0]} {_next_day(int(v[1]))}")
    names = _person_names(story, dossiers)
    taken = {w for a in story.articles for w in re.findall(r"\w+", a.text)}
    other = next(s for s in _SURNAMES if s not in taken)
    plant("name", names, lambda v: re.compile(rf"\b{re.escape(v.split()[-1])}\b"), lambda v: lambda m: other)
    return out


def _stating(text: str) -> str:
    """An article's text without its stamps: a publication or update line ("(Published Monday, Dec. 15, 2014)",
    "Posted: Friday, July 17"), an embedded post's signature ("— Jane Doe (@jdoe) July 11, 2016"). A day there dates
    the page or the post, not anything the story tells, so no weekday or date is planted that only a stamp gives."""
    return _STAMP.sub(" ", text)


_STAMP = re.compile(r"\(\s*(?:published|posted|updated)\b[^)\n]*\)?|^\W*(?:published|posted|updated|last updated)\b.*$"
                    r"|[—–]\s*[^\n—–]*\(@\w+\).*$|pic\.twitter\.com/\S*.*$", re.I | re.M)


def _one_digit(designator: str) -> str:
    digits = [i for i, c in enumerate(designator) if c.isdigit()]
    i = digits[0]
    return designator[:i] + str((int(designator[i]) + 1) % 10 or 1) + designator[i + 1:]


def _next_day(day: int) -> int:
    return day + 1 if day < 28 else day - 1


def _person_names(story: RealStory, dossiers: Dossiers) -> list[tuple[object, list[int]]]:
    """The people's names two or more articles give; not what spaCy tags PERSON but names a place or ends in a
    suffix ("Cooper University Hospital", "Remsen Hall", "John Smith II"), whose last word is no surname to change."""
    dossiers.analyze(story.articles)

    def names(a: Article) -> set:
        return {e.text for s in dossiers.analyzed[a.id].sentences for e in s.entities
                if e.label == "PERSON" and len(e.text.split()) >= 2 and e.text.split()[-1][:1].isupper() and e.text.isascii()
                and e.text.split()[-1].strip(".,").lower() not in _NOT_SURNAMES}
    return _stated(story, names)


_NOT_SURNAMES = frozenset("jr sr ii iii iv hospital hall road lane street avenue drive boulevard park center centre church school "
                          "college university county department day playground memorial rd st ave coroner".split())


PLANTED_AS = {"number": "number", "designator": "designator", "weekday": "date", "date": "date", "name": "name"}  # conflict kinds


def found(plant: Plant, dossier: dict) -> bool:
    """Whether a conflict of the plant's kind puts the changed article on a side of its own (no other article
    stating the value there) and other articles stating the value on another. The changed article may be on that other side too:
    a plant changes one wording of the value ("Two people" -> "5 people"), and where the article states it
    again in other words ("Two killed" in its headline), it contradicts itself, which the dossier rightly shows."""
    changed, others = plant.changed.id, set(plant.stating)
    for conflict in dossier["conflicts"]:
        if conflict["kind"] != PLANTED_AS[plant.kind]:
            continue  # another disagreement of the story, not the planted one
        sides = [set(v["articles"]) for v in conflict["values"]]
        alone = [k for k, s in enumerate(sides) if changed in s and not (s & others)]
        if any(s & others for k, s in enumerate(sides) if k not in alone) and alone:
            return True
    return False


def _story_with(plant: Plant) -> tuple[Article, ...]:
    return plant.story.articles[:plant.index] + (plant.changed,) + plant.story.articles[plant.index + 1:]


def section_planted(stories: list[RealStory], dossiers: Dossiers, cap: int) -> tuple[list[tuple[str, dict]], list[Plant]]:
    by_kind: dict[str, list[Plant]] = defaultdict(list)
    for s in stories:
        for p in plants(s, dossiers):
            by_kind[p.kind].append(p)
    rng = random.Random(SEED)
    rows, missed = [], []
    for kind in PLANT_KINDS:
        chosen = by_kind.get(kind, [])
        if len(chosen) > cap:
            chosen = rng.sample(chosen, cap)
        hits = 0
        for p in chosen:
            ok = found(p, dossiers.of(p.story.id, _story_with(p)))
            hits += ok
            if not ok:
                missed.append(p)
        rows.append((kind, {"planted": len(chosen), "found": hits, "rate": hits / len(chosen) if chosen else float("nan")}))
    return rows, missed


REWRITES = {
    "at least N": lambda v: f"at least {v:,}",
    "about N": lambda v: f"about {v:,}",
    "N in words": lambda v: _NUMBER_WORDS[v] if v < len(_NUMBER_WORDS) else None,
    "more than a dozen": lambda v: "more than a dozen" if 13 <= v <= 20 else None,
}


def _signature(conflict: dict, renamed: dict[str, str] | None = None) -> tuple:
    """A conflict by its kind and sides (article ids, `renamed` where an article was rewritten)."""
    renamed = renamed or {}
    return conflict["kind"], tuple(sorted(tuple(sorted(renamed.get(a, a) for a in v["articles"])) for v in conflict["values"]))


def section_compatible(stories: list[RealStory], dossiers: Dossiers, cap: int) -> tuple[list[tuple[str, dict]], list[tuple[str, Plant, dict]]]:
    rng = random.Random(SEED)
    candidates = []
    for s in stories:
        stated = [(v, ks) for v, ks in _stated(s, _counts_in) if v[1] != "year" and v[0] >= 2]  # not an age
        if stated:
            candidates.append((s, stated[0]))
    if len(candidates) > cap:
        candidates = rng.sample(candidates, cap)
    rows, flagged = [], []
    for name, spell in REWRITES.items():
        tried = flags = 0
        for s, ((value, noun), positions) in candidates:
            words = spell(value)
            if words is None:
                continue
            k = positions[-1]
            changed = rewrite(s.articles[k], _count_pattern(value, noun), lambda m, w=words: f"{w}{' ' if m.group(2) == '-' else m.group(2)}{m.group(3)}")
            if changed is None:
                continue
            tried += 1
            before = {_signature(c, {s.articles[k].id: changed.id}) for c in dossiers.of(s.id, s.articles)["conflicts"]}
            articles = s.articles[:k] + (changed,) + s.articles[k + 1:]
            after = dossiers.of(s.id, articles)
            new = [c for c in after["conflicts"] if _signature(c) not in before and _sets_apart(c, changed.id, words, value)]
            if new:
                flags += 1
                flagged.append((name, Plant("compatible", s, changed, k, (), f"{value} {noun}", words), new[0]))
        rows.append((f"{noun_phrase(name)}", {"rewritten": tried, "flagged": flags}))
    return rows, flagged


def _sets_apart(conflict: dict, changed: str, words: str, value: int) -> bool:
    """Whether a conflict puts the rewritten words (in the changed article) against the value they rewrite: the
    compatible rewrite itself flagged, not another disagreement of the story that the rewrite happens to touch."""
    rewritten = [v for v in conflict["values"] if changed in v["articles"] and words.lower() in v["value"].lower()]
    return bool(rewritten) and any(_number(v["value"]) == value for v in conflict["values"] if v not in rewritten)


def noun_phrase(name: str) -> str:
    return f"N noun -> {name} noun"


# --- 4. unchanged stories --------------------------------------------------------------------------------------


def section_alarms(corpora: dict[str, list[dict]], records: dict[str, dict] | None = None) -> list[tuple[str, dict]]:
    """Conflicts per story by kind; where the archive has a record of the incident (`records`, gun violence),
    each conflict checked against it (`record_check`)."""
    rows = []
    for name, docs in corpora.items():
        kinds = Counter(c["kind"] for d in docs for c in d["conflicts"])
        n = sum(kinds.values())
        row = {"stories": len(docs), "conflicts": n, "per story": n / len(docs) if docs else 0.0}
        row.update({k: kinds.get(k, 0) for k in ("number", "designator", "date", "name")})
        if records:
            checks = Counter(record_check(c, records[d["id"]]) for d in docs if d["id"] in records for c in d["conflicts"])
            row.update({"record: one side": checks["real"], "record: both (false)": checks["false"], "unchecked": checks["unchecked"],
                        "false per story (at least)": checks["false"] / len(docs) if docs else 0.0})
        rows.append((name, row))
    return rows


def participants(record: dict) -> list[dict]:
    """The archive's participants of an incident: name, age, type (victim, suspect), status."""
    import ast

    try:
        people = ast.literal_eval(record.get("participants") or "[]")
    except (ValueError, SyntaxError):
        return []
    return [{k.strip(): str(v).strip() for k, v in person.items()} for person in people]


def record_check(conflict: dict, record: dict) -> str:
    """A conflict read against the archive's record of the incident: "false" when the record holds two of its sides
    (two people's ages or names, the killed and the injured: two true values of two things, a false alarm for
    sure), "real" when it holds exactly one (one outlet wrong or out of date, or a value of something else that
    happens to match: a hint, not proof), else "unchecked"."""
    people = participants(record)
    values = [v["value"] for v in conflict["values"]]
    if conflict["kind"] == "number":
        ages = {int(p["Age"]) for p in people if p.get("Age", "").isdigit()}
        if all(re.search(r"\d[\s-]*years?[\s-]*old|^\d+$", v, re.I) for v in values) and ages and "age" in conflict["explanation"]:
            known = ages
        elif any(_CASUALTY_WORDS.search(e) for v in conflict["values"] for e in v["evidence"]):
            killed, injured = int(record.get("num_killed") or 0), int(record.get("num_injured") or 0)
            known = {killed, injured, killed + injured}
        else:
            return "unchecked"
        hits = sum(_number(v) in known for v in values)
    elif conflict["kind"] == "name":
        surnames = {fold_name(p["Name"].split()[-1]) for p in people if p.get("Name")}
        if not surnames:
            return "unchecked"
        hits = len({fold_name(v.split()[-1]) for v in values} & surnames)  # "Linscomb", "Eugene Linscomb": one side
    elif conflict["kind"] == "date" and all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in values):
        from datetime import datetime

        try:
            day = datetime.strptime(record.get("date", ""), "%B %d, %Y").date().isoformat()
        except ValueError:
            return "unchecked"
        hits = sum(v == day for v in values)
    else:
        return "unchecked"
    return "real" if hits == 1 else "false" if hits >= 2 else "unchecked"


def fold_name(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalpha())


# --- 5. real number conflicts ----------------------------------------------------------------------------------


def _number(text: str) -> float | None:
    m = _FIRST_NUMBER.search(text)
    if not m:
        return None
    word = m.group(1).lower()
    if word in _WORD_VALUE:
        return float(_WORD_VALUE[word])
    if word.startswith("a dozen"):
        return 12.0
    if word.startswith("dozen"):
        return None
    return float(word.replace(",", ""))


def section_numbers(stories: list[RealStory], docs: dict[str, dict], dossiers: Dossiers, data: Path) -> list[tuple[str, dict]]:
    from newsweave.nlp import compatible
    from newsweave.nlp.casualties import casualties

    records = gv_incidents(data)
    nlp = dossiers.nlp
    real_pairs = found_pairs = 0
    reported = real_reported = 0
    for s in stories:
        record = records.get(s.id)
        if not record:
            continue
        truth = {"killed": int(record.get("num_killed") or 0), "injured": int(record.get("num_injured") or 0)}
        readings = []
        for a in s.articles:
            first = {}
            for doc in nlp.pipe([p for p in ((a.title or ""),) + a.body_paragraphs if p]):
                for sent in doc.sents:
                    for c in casualties(sent):
                        if c.kind in truth:
                            first.setdefault(c.kind, c.quantity)
            readings.append(first)
        d = docs[s.id]
        sides = [[set(v["articles"]) for v in c["values"]] for c in d["conflicts"] if c["kind"] == "number"]
        for (i, ri), (j, rj) in combinations(enumerate(readings), 2):
            for kind, true in truth.items():
                if kind in ri and kind in rj and not compatible(ri[kind], rj[kind]):
                    holds = [q.low <= true <= q.high for q in (ri[kind], rj[kind])]
                    if sum(holds) == 1:
                        real_pairs += 1
                        a, b = s.articles[i].id, s.articles[j].id
                        found_pairs += any(any(a in x and b not in x for x in side) and any(b in x for x in side) for side in sides)
        for c in d["conflicts"]:
            if c["kind"] != "number" or not any(_CASUALTY_WORDS.search(e) for v in c["values"] for e in v["evidence"]):
                continue
            reported += 1
            counts = {truth["killed"], truth["injured"], truth["killed"] + truth["injured"]}
            values = [_number(v["value"]) for v in c["values"]]
            real_reported += sum(v in counts for v in values if v is not None) == 1
    return [
        ("real disagreements between two articles (record agrees with one)", {"n": real_pairs, "reported": found_pairs,
                                                                                "rate": found_pairs / real_pairs if real_pairs else float("nan")}),
        ("casualty number conflicts reported", {"n": reported, "reported": real_reported,
                                                "rate": real_reported / reported if reported else float("nan")}),
    ]


# --- 7. key facts ----------------------------------------------------------------------------------------------


def section_facts(stories: list[RealStory], dossiers: Dossiers, data: Path) -> tuple[list[tuple[str, dict]], list[str]]:
    """The story's killed, injured and date facts against the archive's record, on incidents whose 2+ articles
    are all dated."""
    from dateutil import parser as dateparser

    from newsweave.nlp import compatible

    records = gv_incidents(data)
    n = both = 0
    equal = {"killed": [0, 0], "injured": [0, 0], "date": [0, 0]}  # [facts, equal to the record]
    verdicts: dict[str, int] = dict.fromkeys(VERDICTS, 0)
    settled = settled_updated = disputed = disputed_real = 0
    misses: list[str] = []
    for s in stories:
        record = records.get(s.id)
        if not record or not all(a.published for a in s.articles):
            continue
        n += 1
        truth = {"killed": int(record.get("num_killed") or 0), "injured": int(record.get("num_injured") or 0),
                 "date": dateparser.parse(record["date"]).date().isoformat()}
        dossiers.analyze(s.articles)
        facts = key_facts([dossiers.analyzed[a.id] for a in s.articles])
        both += {f.kind for f in facts} >= {"killed", "injured"}
        for f in facts:
            true = truth[f.kind]
            equal[f.kind][0] += 1
            hit = f.value == true if f.kind == "date" else f.number == true
            equal[f.kind][1] += hit
            if not hit and len(misses) < 400:
                misses.append(f"{s.id} {f.kind} record {true}: {f.value} ({f.verdict}) from "
                              + "; ".join(f"{v.value} x{len(v.articles)} {v.published}: {v.evidence[0][:90]!r}" for v in f.values))
            if f.kind == "date":
                continue
            verdicts[f.verdict] += 1
            holds = [v for v in f.values if compatible(v.quantity, _exact(true))]
            if f.verdict == DISPUTED:
                disputed += 1
                disputed_real += 0 < len(holds) < len(f.values)
            published = {a.id: a.published for a in s.articles}
            for early, late in combinations(f.values, 2):  # in order of first report
                if compatible(early.quantity, late.quantity) or late not in holds or early in holds:
                    continue
                for x in early.articles:
                    for y in late.articles:
                        if published[x] < published[y]:  # the later article agrees with the record: settled
                            settled += 1
                            settled_updated += f.verdict == UPDATED
    rate = lambda a, b: {"n": b, "reported": a, "rate": a / b if b else float("nan")}  # noqa: E731
    rows = [
        ("stories (2+ articles, all dated)", {"n": n}),
        ("killed fact equals the record (of stories with one; target >= 0.90)", rate(equal["killed"][1], equal["killed"][0])),
        ("injured fact equals the record (target >= 0.90)", rate(equal["injured"][1], equal["injured"][0])),
        ("stories with both facts (target >= 0.70)", rate(both, n)),
        ("pairs the record settles (later agrees), fact updated (target >= 0.80)", rate(settled_updated, settled)),
        ("disputed facts with the record on one side (target >= 0.90)", rate(disputed_real, disputed)),
        ("date fact: stories with one", rate(equal["date"][0], n)),
        ("date fact equals the record's day", rate(equal["date"][1], equal["date"][0])),
    ] + [(f"toll verdict: {v}", {"n": verdicts[v]}) for v in VERDICTS]
    return rows, misses


def _exact(value: int):  # noqa: ANN202 - a Quantity
    from newsweave.model import Quantity

    return Quantity(str(value), float(value), float(value))


# --- 6. fragments ----------------------------------------------------------------------------------------------


def section_fragments(corpora: dict[str, list[dict]], nlp) -> tuple[list[tuple[str, dict]], list[tuple[str, str]]]:  # noqa: ANN001
    rows, examples = [], []
    for name, docs in corpora.items():
        texts = [c["text"] for d in docs for c in d["claims"]]
        counts = Counter()
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=256)):
            why = fragment(text, doc)
            if why:
                counts[why] += 1
                counts["any"] += 1
                if len(examples) < 400:
                    examples.append((why, text))
        row = {"claims": len(texts), "fragments": counts["any"], "share": counts["any"] / len(texts) if texts else 0.0}
        row.update({k: counts[k] for k in ("short", "no verb", "quote mark")})
        rows.append((name, row))
    return rows, examples


def fragment(text: str, doc) -> str | None:  # noqa: ANN001 - a spaCy Doc
    words = [t for t in doc if not t.is_punct and not t.is_space]
    if len(words) < 4:
        return "short"
    if not any(t.pos_ in ("VERB", "AUX") for t in doc):
        return "no verb"
    if sum(text.count(mark) for mark in ('"', "\u201c", "\u201d", "\u201e")) % 2:  # straight and curly, mixed on many pages
        return "quote mark"
    return None


# --- the command -----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--limit", type=int, default=None, help="stories per corpus (default: all)")
    parser.add_argument("--plants", type=int, default=80, help="plants per kind and corpus at most (default 80)")
    parser.add_argument("--show", type=int, default=8, help="conflicts, misses and fragments to print (default 8)")
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER, help=f"claim alignment's embedder (default: {DEFAULT_EMBEDDER}, as the product)")
    parser.add_argument("--pair-threshold", type=float, default=None, help="compare sentences this alike (default: the shipped one)")
    parser.add_argument("--strict-threshold", type=float, default=None, help="the same for names (default: the shipped one)")
    parser.add_argument("--value-threshold", action="append", default=[], metavar="KIND=P",
                        help="link values of one thing from this probability (count, age, weekday; default: the fitted model's)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file (the quality gate reads it)")
    parser.add_argument("--happening-threshold", type=float, default=None,
                        help="share on the incident's day a verb needs to date it (default: the fitted one, bench/fit_happenings.py)")
    args = parser.parse_args()
    data = Path(args.data)
    if args.pair_threshold is not None:
        compare_module.PAIR_THRESHOLD = args.pair_threshold
    if args.strict_threshold is not None:
        compare_module.STRICT_THRESHOLD = args.strict_threshold
    if args.happening_threshold is not None:
        when.HAPPENING_THRESHOLD = args.happening_threshold
    for setting in args.value_threshold:
        kind, _, at = setting.partition("=")
        sameness.models()[kind] = replace(sameness.models()[kind], threshold=float(at))
    if not (data / "ecbplus" / "docs.jsonl").exists():
        print(f"no corpora at {data}: put ../shared/data beside the checkout or pass --data", file=sys.stderr)
        return 2
    sections = [s for s in args.sections.split(",") if s]
    console = Console(width=max(Console().width, 150))
    figures: dict[str, dict] = {}  # section/corpus -> row label -> figures, for --json
    t0 = time.perf_counter()
    ecb = ecb_stories(data, args.split, quotes_joined=True)[: args.limit]
    ecb_lines = [replace(s, articles=tuple(replace(a, id=f"{a.id}/lines") for a in s.articles))  # analysed apart
                 for s in ecb_stories(data, args.split)[: args.limit]]
    gv = gv_stories(data, args.split)[: args.limit]
    dossiers = Dossiers(args.embedder)
    console.print("values of one thing (sameness) from probability " + ", ".join(f"{k} {m.threshold}" for k, m in sameness.models().items())
                  + f"; names and designators compared from alignment probability {compare_module.PAIR_THRESHOLD} "
                  f"({compare_module.STRICT_THRESHOLD} for another surname)")
    console.print(f"{args.split}: {len(ecb)} ECB+ events ({sum(len(s.articles) for s in ecb)} articles), "
                  f"{len(gv)} gun-violence incidents with 2+ articles ({sum(len(s.articles) for s in gv)}); embedder {args.embedder}")
    unchanged = {"ECB+ events": [dossiers.of(s.id, s.articles) for s in ecb],
                 "gun-violence incidents": [dossiers.of(s.id, s.articles) for s in gv]}
    if "align" in sections:
        figures["align"] = dict(rows := section_align(ecb, data, dossiers))
        console.print(table(f"1. Claim alignment against ECB+ {args.split} gold (pairs of annotated sentences), the lines of a quotation "
                            "one paragraph as printed", rows))
        console.print(table("1b. The same, each line one paragraph as ECB+ gives them (a quotation of several lines stays "
                            "several claims: the gold's units)", section_align(ecb_lines, data, dossiers)[:2]))
    if "planted" in sections:
        for name, stories in (("ECB+ events, 3+ articles", [s for s in ecb if len(s.articles) >= 3]), ("gun-violence incidents", gv)):
            rows, missed = section_planted(stories, dossiers, args.plants)
            figures[f"planted/{name.split(',')[0]}"] = dict(rows)
            console.print(table(f"2. Planted conflicts found: {name} (target >= 0.95 each)", rows))
            for p in missed[: args.show]:
                console.print(f"  [dim]missed {p.kind}: {p.story.id} {p.original!r} -> {p.new!r} in {p.changed.source}[/dim]")
    if "compatible" in sections:
        for name, stories in (("ECB+ events", ecb), ("gun-violence incidents", gv)):
            rows, flagged = section_compatible(stories, dossiers, args.plants)
            figures[f"compatible/{name}"] = dict(rows)
            console.print(table(f"3. Compatible rewrites flagged as conflicts: {name} (target 0)", rows))
            for how, p, c in flagged[: args.show]:
                console.print(f"  [dim]{how}: {p.original!r} -> {p.new!r}: {c['explanation']}[/dim]")
    if "alarms" in sections:
        records = {"gun-violence incidents": gv_incidents(data)}
        rows = [section_alarms({name: docs}, records.get(name))[0] for name, docs in unchanged.items()]
        figures["alarms"] = dict(rows)
        console.print(table("4. Conflicts on the unchanged stories (target <= 0.1 false alarms per story; gun violence "
                            "checked against the archive's record where it can be)", rows))
        shown = [(name, d, c) for name, docs in unchanged.items() for d in docs for c in d["conflicts"]]
        for name, d, c in random.Random(SEED).sample(shown, min(args.show, len(shown))):
            check = f" (record: {record_check(c, records[name][d['id']])})" if d["id"] in records.get(name, {}) else ""
            console.print(f"  [dim]{name} {d['id'][:8]} {c['kind']}{check}: {c['explanation']}[/dim]")
            for v in c["values"]:
                console.print(f"    [dim]{v['value']!r} ({len(v['articles'])}): {v['evidence'][0][:160]}[/dim]")
    if "numbers" in sections:
        docs = {s.id: d for s, d in zip(gv, unchanged["gun-violence incidents"])}
        figures["numbers"] = dict(rows := section_numbers(gv, docs, dossiers, data))
        console.print(table("5. Real casualty-number conflicts, gun violence", rows))
    if "facts" in sections:
        rows, misses = section_facts(gv, dossiers, data)
        figures["facts"] = dict(rows)
        console.print(table("7. Key facts: the story's killed, injured and date against the archive's record, gun violence", rows))
        for line in random.Random(SEED).sample(misses, min(args.show, len(misses))):
            console.print("  " + line, markup=False, highlight=False)
    if "fragments" in sections:
        unchanged["ECB+ events, each line one paragraph"] = [dossiers.of(s.id, s.articles) for s in ecb_lines]
        rows, examples = section_fragments(unchanged, dossiers.nlp)
        figures["fragments"] = dict(rows)
        console.print(table("6. Claims that are fragments (target < 2%)", rows))
        for why, text in random.Random(SEED).sample(examples, min(args.show, len(examples))):
            console.print(f"  [dim]{why}: {text[:140]!r}[/dim]")
    console.print(f"{time.perf_counter() - t0:.0f} s in all, {dossiers.seconds:.0f} s of it in the dossier (analysis included)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
