"""Fit the join and follow-up models (`newsweave/stories/join_model.py`): `newsweave/stories/join_model.json`,
`follow_up_model.json`.

Rows come from the fit halves of the two benchmark corpora only: ECB+'s train topics and the gun-violence
incidents that `bench/cluster.py` calls half A. Each half is replayed by `stories.training.join_training_rows`, each
article put into its true story, its features against every open story of its window making a row (label 1:
its own story). The held-out halves (ECB+'s dev topics, gun-violence half B) are used for nothing here but
the average precision printed at the end; `bench/cluster.py` scores the clustering on them.

The follow-up model (does an article that joins no open story follow up a closed one?) is fitted the same way
on `stories.training.follow_up_training_rows` of the gun-violence fit half: ECB+ is undated, its stories never close.

Run:  .venv/bin/python bench/fit_join_model.py [--data ../shared/data] [--out FOLDER (default newsweave/stories/)]
      (~1 minute). The tables are deterministic: the same data gives the same files.
"""

from __future__ import annotations

import os
import sys

# bench/ holds numbers.py, which would shadow the standard library's `numbers`: take this folder off the path
if sys.path and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
    del sys.path[0]

import argparse
import hashlib
import json
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from newsweave.ingest.dump import read_dump  # noqa: E402
from newsweave.stories.batch import texts_features  # noqa: E402
from newsweave.stories.join_model import FOLLOW_UP_FEATURES, FOLLOW_UP_FILE, MODEL_FILE, fit  # noqa: E402
from newsweave.stories.training import follow_up_training_rows, join_training_rows  # noqa: E402


def half(value: str) -> bool:
    """Half A of the gun-violence incidents (as in bench/cluster.py)."""
    return int(hashlib.md5(value.encode()).hexdigest(), 16) % 2 == 0


def corpora(data: Path) -> list[tuple[str, str, Path, dict, str, object]]:
    """(fit half, held-out half, file, fields, gold field, whether a record is in the fit half) of each corpus."""
    return [
        ("ECB+ train topics", "ECB+ dev topics", data / "ecbplus" / "docs.jsonl", {"id_field": "doc_id", "text_field": "text"}, "subtopic",
         lambda r: r["split"] == "train"),
        ("gun violence half A", "gun violence half B", data / "gunviolence" / "articles.jsonl",
         {"id_field": "doc_id", "text_field": "content", "title_field": "title", "date_field": "dct"}, "incident_id",
         lambda r: half(str(r["incident_id"]))),
    ]


def rows_of(path: Path, fields: dict, gold_field: str, keep, make=join_training_rows) -> tuple[list, list]:  # noqa: ANN001
    """(fit rows, held-out rows) of one corpus, made by `make` (join or follow-up rows)."""
    gold: dict[str, str] = {}
    fitting: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rid = str(record[fields["id_field"]])
            if rid not in gold:
                gold[rid] = str(record[gold_field])
                if keep(record):
                    fitting.add(rid)
    _, feats, _ = texts_features(read_dump(str(path), **fields))
    return make([f for f in feats if f.id in fitting], gold), make([f for f in feats if f.id not in fitting], gold)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding ecbplus/ and gunviolence/")
    parser.add_argument("--out", type=Path, default=ROOT / "newsweave" / "stories", help="folder to write the two tables to")
    args = parser.parse_args()
    logging.getLogger("newsweave.stories").setLevel(logging.ERROR)

    fit_rows, held = [], {}
    for name, other_name, path, fields, gold_field, keep in corpora(args.data):
        if not path.exists():
            print(f"error: {path} not found: put the shared corpora at {DEFAULT_DATA} or pass --data FOLDER", file=sys.stderr)
            return 2
        fitting, other = rows_of(path, fields, gold_field, keep)
        fit_rows += fitting
        held[other_name] = other
        print(f"{name}: {len(fitting):,} rows ({sum(y for _, y in fitting):,} of an article's own story)")
    about = {"fitted_on": [name for name, *_ in corpora(args.data)], "by": "bench/fit_join_model.py"}
    model = fit([x for x, _ in fit_rows], [y for _, y in fit_rows], about)
    write(model, args.out / MODEL_FILE, held, "join")

    name, other_name, path, fields, gold_field, keep = corpora(args.data)[1]  # dated: its stories close
    fitting, other = rows_of(path, fields, gold_field, keep, follow_up_training_rows)
    print(f"{name}, follow-ups: {len(fitting):,} rows ({sum(y for _, y in fitting):,} of a closed story the article follows up)")
    follow_up = fit([x for x, _ in fitting], [y for _, y in fitting], {"fitted_on": [name], "by": "bench/fit_join_model.py"},
                    features=FOLLOW_UP_FEATURES)
    write(follow_up, args.out / FOLLOW_UP_FILE, {other_name: other}, "follow-up")
    return 0


def write(model, path: Path, held: dict[str, list], what: str) -> None:  # noqa: ANN001
    path.write_text(json.dumps(model.to_record(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    from sklearn.metrics import average_precision_score

    for name, rows in held.items():
        ap = average_precision_score([y for _, y in rows], [model.logit(x) for x, _ in rows])
        print(f"held out, {name}: average precision of the {what} probability {ap:.3f} ({len(rows):,} rows)")
    for feature, g, v in zip(model.features, model.grids, model.values):
        print(f"  {feature:12s} log-odds {v[0]:+.2f} at {g[0]:g} -> {v[-1]:+.2f} at {g[-1]:g}")


if __name__ == "__main__":
    sys.exit(main())
