"""The join model: a table of fitted shapes that turns an article's signals against a story into a probability."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

import newsweave.stories.join_model as join_model
from newsweave.ingest.dump import read_dump
from newsweave.stories import constants_digest
from newsweave.stories.batch import texts_features
from newsweave.stories.training import join_training_rows
from newsweave.stories.join_model import FEATURES, SIGNALS, JoinModel, fit, join_features, shipped

TINY = JoinModel(
    intercept=-2.0,
    grids=((0.0, 0.5, 1.0),) + ((0.0, 1.0),) * (len(FEATURES) - 1),
    values=((0.0, 1.0, 4.0),) + ((0.0, 0.0),) * (len(FEATURES) - 1),
    about={},
)


def test_logit_interpolates_between_grid_points_and_holds_its_ends():
    x = [0.0] * len(FEATURES)
    assert TINY.logit(x) == -2.0
    assert TINY.logit([0.25] + x[1:]) == pytest.approx(-1.5)
    assert TINY.logit([0.75] + x[1:]) == pytest.approx(0.5)
    assert TINY.logit([7.0] + x[1:]) == TINY.logit([1.0] + x[1:]) == 2.0  # past the grid: its last value
    assert TINY.probability([1.0] + x[1:]) == pytest.approx(1 / (1 + math.exp(-2.0)))


def test_the_shipped_table_is_for_these_features_and_rises_with_every_similarity():
    model = shipped()
    assert len(model.grids) == len(model.values) == len(FEATURES)
    for feature, values in zip(FEATURES[:SIGNALS], model.values[:SIGNALS]):
        assert all(b >= a - 1e-9 for a, b in zip(values, values[1:])), feature
        assert values[-1] > values[0], f"{feature} has no effect"
    assert model.about["fitted_on"] == ["ECB+ train topics", "gun violence half A"]


def test_a_matching_story_scores_far_above_an_unrelated_one():
    model = shipped()
    same = join_features((0.7, 0.8, 0.5, 0.6, 1.0, 0.0), 3, True, True, 120)
    other = join_features((0.05, 0.0, 0.0, 0.05, 0.0, -0.5), 3, True, True, 120)
    assert model.probability(same) > 0.9 and model.probability(other) < 0.05


def test_a_table_fitted_for_other_features_is_refused_with_the_fix():
    record = shipped().to_record()
    record["features"] = record["features"][:-1]
    with pytest.raises(ValueError, match="bench/fit_join_model.py"):
        JoinModel.from_record(record)
    assert JoinModel.from_record(shipped().to_record()) == shipped()


def test_fit_learns_a_shape_from_labelled_rows():
    rows, labels = [], []
    for k in range(400):
        words = (k % 100) / 100
        rows.append((words, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        labels.append(int(words > 0.5))
    model = fit(rows, labels, {"fitted_on": ["a toy"]}, max_iter=30, learning_rate=0.3)
    low, high = (0.2,) + rows[0][1:], (0.8,) + rows[0][1:]
    assert model.probability(high) > 0.9 > 0.1 > model.probability(low)
    assert model.about["rows"] == 400 and model.about["positives"] == sum(labels) == 196


def test_teacher_forced_rows_label_each_articles_own_story(tmp_path):
    lines = [
        {"id": "a1", "text": "Flooding in Porto Alegre forced 4,000 people from their homes, the mayor Sebastião Melo said.", "day": "2025-05-01"},
        {"id": "b1", "text": "A wildfire near Kelowna burned 200 hectares, the BC Wildfire Service said on Thursday.", "day": "2025-05-01"},
        {"id": "a2", "text": "Mayor Sebastião Melo said 4,000 people had left their homes as floods covered Porto Alegre.", "day": "2025-05-02"},
        {"id": "b2", "text": "The BC Wildfire Service said the Kelowna fire had grown to 200 hectares by Thursday.", "day": "2025-05-02"},
    ]
    path = tmp_path / "toy.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    _, feats, _ = texts_features(read_dump(str(path), "id", "text", date_field="day"))
    rows = join_training_rows(feats, {"a1": "A", "a2": "A", "b1": "B", "b2": "B"})
    assert all(len(x) == len(FEATURES) for x, _ in rows)
    # a1 opens A; b1 is scored against A (wrong); a2 against A (right) and B (wrong); b2 against A (wrong) and B (right)
    assert Counter(y for _, y in rows) == Counter({0: 3, 1: 2})
    best_right = min(x[1] for x, y in rows if y == 1)
    assert best_right > max(x[1] for x, y in rows if y == 0)  # the names tell them apart


def test_the_tables_digest_is_part_of_the_constants_a_saved_state_depends_on(monkeypatch):
    before = constants_digest()
    original = join_model.model_text
    for table in (join_model.MODEL_FILE, join_model.FOLLOW_UP_FILE):  # the join table, then the follow-up table
        monkeypatch.setattr(join_model, "model_text", lambda name=join_model.MODEL_FILE, table=table: "another" if name == table else original(name))
        assert constants_digest() != before
    monkeypatch.setattr(join_model, "model_text", original)
    assert constants_digest() == before


def test_the_shipped_follow_up_table_rises_with_every_similarity_and_is_not_read_as_a_join_table():
    from newsweave.stories.join_model import FOLLOW_UP_FEATURES, shipped_follow_up

    model = shipped_follow_up()
    assert model.features == FOLLOW_UP_FEATURES and len(model.grids) == len(FOLLOW_UP_FEATURES)
    for feature, values in zip(FOLLOW_UP_FEATURES[:SIGNALS], model.values[:SIGNALS]):
        assert all(b >= a - 1e-9 for a, b in zip(values, values[1:])), feature
    assert model.values[1][-1] > 1.0  # sharing the story's names is the strongest sign of a follow-up
    with pytest.raises(ValueError, match="bench/fit_join_model.py"):
        JoinModel.from_record(model.to_record())
    assert JoinModel.from_record(model.to_record(), FOLLOW_UP_FEATURES) == model


def test_the_logit_bound_is_never_below_what_the_unknown_features_can_add():
    model = shipped()
    x = [0.3, 0.6, 0.2, 0.4, 0.5, -0.2, 1.0, 1.0, 0.0, 0.0]
    assert model.logit_bound(x) == pytest.approx(model.logit(x))  # nothing unknown: the logit itself
    known = [None, 0.6, None, None, None, -0.2, None, None, None, None]  # names and gap only
    bound = model.logit_bound(known)
    for words in (0.0, 0.5, 1.0):
        for short in (0.0, 1.0):
            assert model.logit([words, 0.6, 1.0, 1.0, 1.0, -0.2, 0.0, 1.0, 1.0, short]) <= bound + 1e-9
