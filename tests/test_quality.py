"""The quality gate: the benchmarks' core figures on ../shared/data against pinned floors.

Each benchmark runs as its one command (`bench/*.py --json FILE`) and the figures it writes are held to the
floors below, set a little under the figures measured when the floor was last raised (dev parts only). A change
that lowers a figure past its floor fails here; a change that raises one should raise its floor in the same
commit. Deselected by default (they take about seven minutes on two cores): `bash scripts/test -m shared_data`
runs them, and `.ci/run` does on every change. Skipped when ../shared/data is absent.
"""

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, SHARED_DATA

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not (SHARED_DATA / "ecbplus" / "docs.jsonl").exists(), reason=f"no corpora at {SHARED_DATA}"),
]

# figure -> floor; each comment: the figure when the floor was set (2026-12-07, 2-core machine)
EXTRACTION = {"F1": 0.955}  # 0.963 (plain trafilatura 0.960)
CLUSTERING = {"ECB+": 0.955, "ECB+ other orders (mean)": 0.955, "ECB+ other orders (worst)": 0.955, "gun violence": 0.925,
              "ECB+ events alone as one story": 0.9, "gun-violence incidents alone as one story": 0.75}
# 0.959; 0.959; 0.959 (2026-12-08: a batch clustered longest first on a day, whatever its ids; 0.951, 0.924, 0.901 in
# id order before); 0.930; 0.939 (62 of 66), 0.777 (610 of 785) (with the reference document frequencies; 0.379 and
# 0.706 without)
ATTRIBUTION = {"content overlap F1": 0.745, "content exact F1": 0.54, "source overlap F1": 0.77, "relation overlap F1": 0.645}
# 0.754; 0.553; 0.782; 0.655 (2026-12-08, stop 37: nested attributions marked and scored as PolNeAR marks them, the
# outermost; a relative pronoun's source placed at the pronoun)
PLANTED = {  # share of planted conflicts found, per corpus and kind; ECB+ has few plants: one less is the floor
    # counted since 2026-12-07 only where the conflict is of the plant's kind (a weekday plant found by a weekday or
    # date conflict, not by some other disagreement of the story); counts, ages and weekdays compared where the value
    # model (dossier/sameness.py) calls them one thing's. Gun violence: 0.713 1.0 0.650 0.733 0.925 on 388 incidents
    # (the same measure before the value model: 0.625 1.0 0.512 0.556 0.738). Since 2026-12-07 (stop 34) no name is
    # planted whose last word names a place or is a suffix ("Cooper University Hospital", "John Smith II"), and no
    # weekday or date that only a page's or a post's stamp gives ("(Published Monday, Dec. 15, 2014)")
    "gun-violence incidents": {"number": 0.67, "designator": 0.99, "weekday": 0.61, "date": 0.66, "name": 0.88},
    "ECB+ events": {"number": 0.57, "designator": 0.99, "weekday": 0.62, "date": 0.5, "name": 0.73},  # 9/14 2/2 11/16 5/8 13/16
}
FACTS = {"killed fact equals": 0.87, "injured fact equals": 0.74, "disputed facts with the record": 0.87,  # gun violence
         "date fact equals": 0.885}  # 0.881 (304/345), 0.752 (212/282), 0.890 (73/82), 0.900 (287/319)
PROVENANCE = {"wires found": 0.95, "syndication cases right": 0.97}  # 0.973 (73/75, train and dev); 0.99
ALARMS = {  # conflicts per unchanged story at most
    "gun-violence incidents": {"per story": 0.58, "false per story (at least)": 0.085},  # 0.552, 0.067 (record-proven)
    # ECB+ 2.56 (2.50 before names joined the value model; 2.19 before the value model, which compares counts and weekdays across verbs and claims: ECB+'s planted
    # weekdays found 11 of 16 instead of 6, gun violence's 0.70 instead of 0.51; gun violence 0.485 and 0.072 before)
    "ECB+ events": {"per story": 2.7},
}


def _run(script: str, tmp_path_factory, *args: str) -> dict:  # noqa: ANN001
    out = tmp_path_factory.mktemp("gate") / "figures.json"
    command = [sys.executable, str(ROOT / "bench" / script), *args, "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-3000:]}"
    return json.loads(out.read_text(encoding="utf-8"))


def _below(figures: dict[str, float], floors: dict[str, float], higher_is_better: bool = True) -> list[str]:
    return [f"{name}: {figures[name]:.3f} (floor {floor})" for name, floor in floors.items()
            if (figures[name] < floor if higher_is_better else figures[name] > floor)]


def test_extraction_keeps_its_f1(tmp_path_factory):
    figures = _run("extraction.py", tmp_path_factory, "--data", str(SHARED_DATA / "extraction"))
    assert not _below({"F1": figures["newsweave"]["F1"]}, EXTRACTION)


def test_clustering_keeps_its_b_cubed_f1_in_any_order(tmp_path_factory):
    figures = _run("cluster.py", tmp_path_factory, "--core", "--data", str(SHARED_DATA))
    shuffled = next(row for label, row in figures["ECB+"].items() if "other orders" in label)
    measured = {"ECB+": figures["ECB+"]["newsweave (shipped setting)"]["F1"], "ECB+ other orders (mean)": shuffled["F1"],
                "ECB+ other orders (worst)": shuffled["F1 range"][0], "gun violence": figures["gun violence"]["newsweave (shipped setting)"]["F1"],
                "ECB+ events alone as one story": _alone(figures["ECB+"]), "gun-violence incidents alone as one story": _alone(figures["gun violence"])}
    assert not _below(measured, CLUSTERING)


def _alone(rows: dict) -> float:
    return next(row for label, row in rows.items() if "alone" in label)["P"]


def test_attribution_keeps_its_f1(tmp_path_factory):
    figures = _run("attribution.py", tmp_path_factory, "--data", str(SHARED_DATA / "polnear"))["newsweave"]
    measured = {"content overlap F1": figures["content"]["overlap F1"], "content exact F1": figures["content"]["exact F1"],
                "source overlap F1": figures["source"]["overlap F1"], "relation overlap F1": figures["relation"]["overlap F1"]}
    assert not _below(measured, ATTRIBUTION)


@pytest.fixture(scope="module")
def dossier_figures(tmp_path_factory):
    return _run("dossier.py", tmp_path_factory, "--data", str(SHARED_DATA), "--sections", "planted,compatible,alarms,facts", "--show", "0")


@pytest.mark.parametrize("corpus", sorted(PLANTED))
def test_the_dossier_finds_planted_conflicts(dossier_figures, corpus):
    rows = dossier_figures[f"planted/{corpus}"]
    assert not _below({kind: rows[kind]["rate"] for kind in PLANTED[corpus]}, PLANTED[corpus])


def test_the_dossier_flags_no_compatible_rewrite(dossier_figures):
    flagged = {f"{section} {how}": row["flagged"] for section, rows in dossier_figures.items() if section.startswith("compatible/")
               for how, row in rows.items()}
    assert flagged and not any(flagged.values()), flagged


@pytest.mark.parametrize("corpus", sorted(ALARMS))
def test_the_dossier_keeps_its_false_alarms_down(dossier_figures, corpus):
    row = dossier_figures["alarms"][corpus]
    assert not _below({name: row[name] for name in ALARMS[corpus]}, ALARMS[corpus], higher_is_better=False)


def test_the_key_facts_keep_matching_the_record(dossier_figures):
    rows = dossier_figures["facts"]
    measured = {start: next(row["rate"] for label, row in rows.items() if label.startswith(start)) for start in FACTS}
    assert not _below(measured, FACTS)


def test_sources_find_wires_count_syndication_right_and_break_no_invariant(tmp_path_factory):
    figures = _run("provenance.py", tmp_path_factory, "--data", str(SHARED_DATA), "--limit", "60")
    measured = {"wires found": figures["wires"]["all"]["found share"],
                "syndication cases right": figures["syndication"]["all"]["right share"]}
    assert not _below(measured, PROVENANCE)
    assert figures["wires"]["all"]["false positives"] == 0
    assert {corpus: row["breaks"] for corpus, row in figures["invariants"].items()} == {"gun violence": 0, "ecb+": 0}
