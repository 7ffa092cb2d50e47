"""Experiment, not the product: what linking follow-ups to closed stories would give on gun violence.

Gun violence loses most of its B-cubed recall to follow-ups weeks or months after the event (an arrest,
a trial, a sentencing): they come after the story's 14-day window, so they open stories of their own. This
script measures one remedy before it is built into the product:

- When a story closes, its centroid is kept, and its top names are indexed (name -> closed stories).
- An article that joins no open story looks up the closed stories, within FOLLOW_UP_DAYS of its date,
  that share one of its top names (a name shared by more than MAX_BUCKET of them is too common to say
  anything); a second learned additive model (the join model's form: scikit-learn gradient boosting, one
  feature per tree, monotone in the similarities) gives the probability that it reports one of them.
  At FOLLOW_UP_SCORE or more it joins that story, which opens again.
- The follow-up model is fitted on gun-violence half A (teacher forcing, as bench/fit_join_model.py) and
  scored on both halves and the whole corpus. ECB+ is undated: its stories never close, so nothing changes.

What the product would need (not built): closed-story profiles kept in the store for FOLLOW_UP_DAYS with
a lookup by name (a table like `cluster_terms`), and a reopened story whose old articles are not members.

Run:  .venv/bin/python bench/follow_ups.py [--data ../shared/data]   (~2 minutes)
"""

from __future__ import annotations

import os
import sys

if sys.path and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
    del sys.path[0]

import argparse
import hashlib
import heapq
import json
import logging
import math
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsweave import cluster as C  # noqa: E402
from newsweave.cluster import CHANNELS, _dot, _Member  # noqa: E402

FOLLOW_UP_DAYS = 365
FOLLOW_UP_SCORE = 0.5
QUERY_NAMES, INDEX_NAMES, MAX_BUCKET, CANDIDATES = 8, 15, 20, 8


class FollowUps(C.StoryClusterer):
    model = None  # the fitted follow-up model (a scikit-learn classifier); None: no follow-up links

    def __init__(self, settings: C.ClusterSettings = C.ClusterSettings()) -> None:
        super().__init__(settings)
        self.kept: dict[str, tuple] = {}  # closed story -> (its open state, its members) at closing
        self.by_name: dict[str, set[str]] = defaultdict(set)

    def _close(self, story):  # noqa: ANN001, ANN202
        state, members = story.open, {a: self._members[a] for a in story.articles if a in self._members}
        super()._close(story)
        self.kept[story.id] = (state, members)
        for name, _ in sorted(state.centroid["n"].items(), key=lambda kv: -kv[1])[:INDEX_NAMES]:
            self.by_name[name].add(story.id)

    def candidates(self, f, vectors) -> list[str]:  # noqa: ANN001
        hits: Counter[str] = Counter()
        for name, _ in sorted(vectors["n"].items(), key=lambda kv: -kv[1])[:QUERY_NAMES]:
            bucket = self.by_name.get(name)
            if bucket and len(bucket) <= MAX_BUCKET:
                hits.update(bucket)
        out = []
        for sid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0])):
            last = self._stories[sid].last
            if sid in self.kept and not (f.published and last and (f.published - last).days > FOLLOW_UP_DAYS):
                out.append(sid)
        return out[:CANDIDATES]

    def features(self, f, vectors, sid) -> list[float]:  # noqa: ANN001
        state, story = self.kept[sid][0], self._stories[sid]
        cosines = [(_dot(vectors[c], state.centroid[c]) / math.sqrt(state.norm2[c]) if state.norm2[c] > 0 else 0.0) for c in CHANNELS]
        gap = (f.published - story.last).days if f.published and story.last else FOLLOW_UP_DAYS
        same_day = sum(1 for d in f.dates if d in state.dates) / len(f.dates) if f.dates and state.dates else 0.0
        return [*cosines, same_day, -math.log1p(max(gap, 0)) / math.log1p(FOLLOW_UP_DAYS), math.log1p(len(story.articles)),
                float(len(vectors["w"]) <= 15)]

    def reopen(self, sid: str):  # noqa: ANN201
        state, members = self.kept.pop(sid)
        story = self._stories[sid]
        story.open = state
        self._open_count += 1
        for article_id, member in members.items():
            self._members[article_id] = member
            if member.bands is not None:
                self._index.insert(sid, member.bands)
        heapq.heappush(self._closing, (story.last, sid))
        return story

    def add(self, f):  # noqa: ANN001, ANN201
        if f.id in self._story_of:
            return None
        vectors, signature, candidates = self._prepare(f)
        scored = sorted(((self.score(vectors, f.published, f.dates, s), s.id) for s in candidates), key=lambda x: (-x[0], x[1]))
        story = self._stories[scored[0][1]] if scored and scored[0][0] >= self.settings.join_score else None
        if story is None and self.model is not None:
            closed = self.candidates(f, vectors)
            if closed:
                p = self.model.predict_proba([self.features(f, vectors, s) for s in closed])[:, 1]
                best = max(range(len(closed)), key=lambda k: p[k])
                if p[best] >= FOLLOW_UP_SCORE:
                    story = self.reopen(closed[best])
        story = story or self._open_story(f)
        self._attach(story, f.id, _Member(vectors, signature, f.published, f.dates, f.title))
        if self._splits and not story.pinned and len(story.articles) in C.SPLIT_CHECK_SIZES:
            self._maybe_split(story)
        return None


def rows(feats, gold: dict[str, str]) -> list[tuple[list[float], int]]:  # noqa: ANN001
    """Teacher forcing: each article in its true story; rows against the closed candidates of an article
    whose true story is not open in its window (label 1: the closed story holding its true story)."""
    ordered = sorted(feats, key=C._order)
    c = FollowUps(C.ClusterSettings(blocking=False))
    c.prime(ordered)
    current: dict[str, str] = {}
    out = []
    for f in ordered:
        vectors, signature, candidates = c._prepare(f)
        own = current.get(gold[f.id])
        target = c._stories.get(own) if own else None
        if target is None or target not in candidates:
            closed = c.candidates(f, vectors)
            out += [(c.features(f, vectors, s), int(s == own)) for s in closed]
            if own in c.kept and own in closed:
                target = c.reopen(own)
            else:
                target = c._open_story(f)
                current[gold[f.id]] = target.id
        c._attach(target, f.id, _Member(vectors, signature, f.published, f.dates, f.title))
    return out


def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    pc, gc = defaultdict(set), defaultdict(set)
    for i in gold:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in gold) / len(gold)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    path = args.data / "gunviolence" / "articles.jsonl"
    if not path.exists():
        print(f"error: {path} not found: pass --data FOLDER holding gunviolence/", file=sys.stderr)
        return 2
    logging.getLogger("newsweave.cluster").setLevel(logging.ERROR)
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import average_precision_score

    gold: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            gold.setdefault(str(record["doc_id"]), str(record["incident_id"]))
    _, feats, _ = C.jsonl_features(str(path), "doc_id", "content", "title", "dct")
    in_a = {f.id for f in feats if int(hashlib.md5(gold[f.id].encode()).hexdigest(), 16) % 2 == 0}  # half A, as bench/cluster.py
    halves = {"half A (fitted on)": [f for f in feats if f.id in in_a], "half B (held out)": [f for f in feats if f.id not in in_a]}
    fit_rows = rows(halves["half A (fitted on)"], gold)
    held_rows = rows(halves["half B (held out)"], gold)
    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, early_stopping=False, random_state=0,
                                           interaction_cst="no_interactions", monotonic_cst=[1, 1, 1, 1, 1, 1, 0, 0])
    model.fit(np.array([x for x, _ in fit_rows]), np.array([y for _, y in fit_rows]))
    ap = average_precision_score([y for _, y in held_rows], model.predict_proba(np.array([x for x, _ in held_rows]))[:, 1])
    print(f"follow-up rows: {len(fit_rows):,} fitted ({sum(y for _, y in fit_rows)} positive); held out {len(held_rows):,}, "
          f"average precision {ap:.3f}")
    print(f"{'gun violence':24s} {'shipped P/R/F1':>22s} {'with follow-ups P/R/F1':>26s}")
    for name, subset in {"all": feats, **halves}.items():
        sub_gold = {f.id: gold[f.id] for f in subset}
        results = []
        for m in (None, model):
            FollowUps.model = m
            clusterer = FollowUps()
            ordered = sorted(subset, key=C._order)
            clusterer.prime(ordered)
            for f in ordered:
                clusterer.add(f)
            results.append(b_cubed({i: clusterer.story_of(i) for i in sub_gold}, sub_gold))
        print(f"{name:24s} {'/'.join(f'{v:.3f}' for v in results[0]):>22s} {'/'.join(f'{v:.3f}' for v in results[1]):>26s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
