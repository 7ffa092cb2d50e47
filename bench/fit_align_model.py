"""Fit claim alignment's model (`newsweave/dossier/align_model.json`) on ECB+ train topics, tune it on dev.

Gold: `../shared/data/ecbplus/sentences.jsonl` (see its README): two annotated sentences of different articles of
one event state the same event when they share a cross-document event chain. Each event's articles are cleaned
and analysed as the product does (`bench/_real.py`), the headline included; a gold sentence is the analysed
sentence(s) stating a fact (`Sentence.fact`) lying within it (by letters and digits). The features are `dossier.claims.feature_matrices`' for
the pair; a logistic regression with balanced classes (76% of pairs are positive) is fitted on the train pairs.

Then the threshold: each dev event's sentences are clustered by `dossier.claims.align` at thresholds from 0.40
to 0.70 (with the best-link floor `MIN_LINK`), with and without two sentences of one article in a claim, and the pairwise precision and recall of "in one claim" printed; the shipped threshold is the one with the highest recall at precision >= 0.90 on dev (the
issue's floor). Two models are fitted: `lexical` (no embedder) and `embedding` (the default static embedder).

Run:  .venv/bin/python bench/fit_align_model.py [--write]   (prints the table; --write saves the JSON)
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_BENCH)] + [_BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from _real import DEFAULT_DATA, RealStory, ecb_stories  # noqa: E402
from dossier import Dossiers, gold_pairs, gold_sentences, norm, pair_scores  # noqa: E402
from newsweave.dossier.claims import MODEL_PATH, AlignModel, align, feature_matrices  # noqa: E402
from newsweave.nlp import resolve_story_entities  # noqa: E402
from newsweave.outlets import Outlets  # noqa: E402

THRESHOLDS = (0.38, 0.4, 0.42, 0.44, 0.46, 0.48, 0.5, 0.55, 0.6, 0.7)
# A claim's sentences must each have one match this alike. ECB+ gold is event-level and barely moves with it (dev
# recall -0.01 from 0 to 0.65); the example corpus's answer key, which is fact-level (unique details stay unique,
# "more than 40 ships" aligns with "43 vessels"), holds from 0.61 to 0.63 only: the middle of that window. A
# regression check, not a fit: the narrow window says the pairwise model tells facts of one event apart poorly.
MIN_LINK = 0.62
PRECISION_FLOOR = 0.90


def story_items(story: RealStory, dossiers: Dossiers) -> list:
    dossiers.analyze(story.articles)
    outlets = Outlets.of(story.articles)
    return resolve_story_entities([dossiers.analyzed[a.id] for a in story.articles], outlets.names.values())


def gold_records(stories: list[RealStory], data: Path, dossiers: Dossiers):
    """Per story: its items, and each gold sentence's flat sentence indices; plus the gold and its pairs."""
    doc_of = {a.id: d for s in stories for a, d in zip(s.articles, s.docs)}
    gold = gold_sentences(data, set(doc_of.values()))
    pairs = gold_pairs(gold)
    where: dict[int, tuple[int, list[int]]] = {}
    per_story = []
    by_doc: dict[str, list[int]] = {}
    for k, g in enumerate(gold):
        by_doc.setdefault(g.doc, []).append(k)
    for n, story in enumerate(stories):
        items = story_items(story, dossiers)
        flat = [(doc_of[item.article.id], s) for item in items for s in item.sentences]
        for k in (k for d in story.docs for k in by_doc.get(d, ())):
            line = norm(gold[k].text)
            where[k] = (n, [i for i, (d, s) in enumerate(flat)
                            if s.fact and d == gold[k].doc and (t := norm(s.text)) and (t in line or line in t)])
        per_story.append((items, flat))
    return per_story, gold, pairs, where


def design(per_story, pairs, where, embedder) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows, labels, names = [], [], []
    by_story: dict[int, list[tuple[int, int, bool]]] = {}
    for i, j, positive in pairs:
        (si, ri), (_, rj) = where.get(i, (None, [])), where.get(j, (None, []))
        if ri and rj:
            by_story.setdefault(si, []).append((ri[0], rj[0], positive))
    for n, found in sorted(by_story.items()):
        _items, flat = per_story[n]
        matrices = list(feature_matrices([s for _, s in flat], embedder))
        names = [name for name, _ in matrices]
        for a, b, positive in found:
            rows.append([m[a, b] for _, m in matrices])
            labels.append(positive)
    return np.array(rows), np.array(labels), names


def evaluate(per_story, gold, pairs, where, embedder, model: AlignModel) -> dict:
    claim_of: dict[tuple[int, int], int] = {}
    for n, (items, _flat) in enumerate(per_story):
        index = {(item.article.id, s.index): k for k, (item, s) in enumerate((item, s) for item in items for s in item.sentences)}
        for c, group in enumerate(align(items, embedder, model)):
            for m in group:
                claim_of[(n, index[(m.article, m.sentence)])] = c

    def claims(k: int) -> set:
        n, records = where.get(k, (None, []))
        return {claim_of[(n, r)] for r in records}
    sets = {k: claims(k) for k in range(len(gold))}
    return pair_scores(pairs, lambda i, j: bool(sets[i] & sets[j]) and where[i][0] == where[j][0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--write", action="store_true", help=f"save the fitted models to {MODEL_PATH.name}")
    parser.add_argument("--embedder", default="static", help="the embedder of the `embedding` model (default: static)")
    args = parser.parse_args()
    data = Path(args.data)
    console = Console(width=150)
    train, dev = ecb_stories(data, "train"), ecb_stories(data, "dev")
    models = {}
    for key, embedder_name in (("lexical", "none"), ("embedding", args.embedder)):
        if key == "embedding" and embedder_name == "none":
            continue
        dossiers = Dossiers(embedder_name)
        fit = gold_records(train, data, dossiers)
        held = gold_records(dev, data, dossiers)
        x, y, names = design(fit[0], fit[2], fit[3], dossiers.embedder)
        dx, dy, _ = design(held[0], held[2], held[3], dossiers.embedder)
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(x, y)
        console.print(f"[bold]{key}[/bold] ({embedder_name}): {len(y)} train pairs, {len(dy)} dev pairs; "
                      f"AUC train {roc_auc_score(y, lr.decision_function(x)):.3f}, dev {roc_auc_score(dy, lr.decision_function(dx)):.3f}")
        console.print("  " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(names, lr.coef_[0])) + f", intercept {lr.intercept_[0]:+.2f}")
        base = AlignModel(tuple(names), tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), 0.5, False)
        t = Table(title=f"{key}: dev pairs in one claim, by threshold (min link {MIN_LINK})", title_justify="left")
        for c in ("threshold", "same article", "P", "R", "F1"):
            t.add_column(c, justify="right")
        best = None
        for same in (False, True):
            for threshold in THRESHOLDS:
                model = replace(base, threshold=threshold, same_article=same, min_link=MIN_LINK)
                row = evaluate(*held, dossiers.embedder, model)
                t.add_row(f"{threshold:.2f}", "yes" if same else "no", f"{row['P']:.3f}", f"{row['R']:.3f}", f"{row['F1']:.3f}")
                if row["P"] >= PRECISION_FLOOR and (best is None or row["R"] > best[1]["R"]):
                    best = (model, row)
        console.print(t)
        if best:
            tr = evaluate(*fit, dossiers.embedder, best[0])
            console.print(f"  train at the chosen setting: P {tr['P']:.3f} R {tr['R']:.3f}")
        if best:
            console.print(f"  chosen: threshold {best[0].threshold}, min link {best[0].min_link}, same article {best[0].same_article}: "
                          f"dev P {best[1]['P']:.3f} R {best[1]['R']:.3f}")
            models[key] = best[0]
    if args.write and len(models) == 2:
        record = {"fitted_by": "bench/fit_align_model.py", "data": "ECB+ train topics (fit), dev topics (threshold)", "models": {
            k: {"features": list(m.features), "weights": [round(w, 6) for w in m.weights], "intercept": round(m.intercept, 6),
                "threshold": m.threshold, "same_article": m.same_article, "min_link": m.min_link} for k, m in models.items()}}
        MODEL_PATH.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        console.print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
