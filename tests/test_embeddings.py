"""The embedders: the shipped static model loads offline from package data and gives unit vectors that rank a
paraphrase above an unrelated sentence; the factory names it and refuses unknown names."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from newsweave.errors import ConfigError
from newsweave.nlp import EMBEDDERS, get_embedder
from newsweave.nlp.embeddings import STATIC_FILES, STATIC_MODEL, StaticEmbedder

from .conftest import ROOT

PARAPHRASE = ("The ferry sank off the coast and twelve passengers drowned.",
              "Twelve people died when the ferry went down near the shore.")
UNRELATED = "The central bank left interest rates unchanged on Thursday."


@pytest.fixture(scope="module")
def static() -> StaticEmbedder:
    return StaticEmbedder()


def test_static_model_ships_as_package_data_under_16_mb():
    assert STATIC_MODEL.is_relative_to(ROOT / "newsweave")
    sizes = [(STATIC_MODEL / name).stat().st_size for name in STATIC_FILES]
    assert sum(sizes) <= 16_000_000


def test_static_model_loads_offline_without_torch():
    """In a fresh process with the hub off and no route to it: the files come from the package, torch never loads."""
    code = ("import sys; from newsweave.nlp import get_embedder; v = get_embedder('static').embed(['a ferry sank']); "
            "print(v.shape, sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"(1, {StaticEmbedder().dim}) []"


def test_static_vectors_are_unit_length_with_the_model_dimension(static):
    vectors = static.embed([*PARAPHRASE, UNRELATED])
    assert vectors.shape == (3, 256) and static.dim == 256
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_static_embeds_the_same_text_the_same_way_alone_or_in_a_batch(static):
    alone = static.embed([UNRELATED])
    assert np.allclose(static.embed([PARAPHRASE[0], UNRELATED])[1], alone[0], atol=1e-6)


def test_static_empty_list_gives_zero_rows_of_the_model_dimension(static):
    assert static.embed([]).shape == (0, 256)


def test_static_text_with_no_known_token_gives_a_zero_vector_not_nan(static):
    vectors = static.embed(["", "\u2603"])
    assert not np.isnan(vectors).any() and not vectors.any()


def test_static_paraphrase_scores_higher_than_an_unrelated_sentence(static):
    first, paraphrase, unrelated = static.embed([*PARAPHRASE, UNRELATED])
    assert first @ paraphrase > first @ unrelated + 0.2


def test_static_missing_model_files_are_a_config_error_naming_them(tmp_path):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"missing from .*model\.safetensors, tokenizer\.json.*build_static_embedder"):
        StaticEmbedder(tmp_path)


def test_get_embedder_static_returns_one_static_embedder():
    assert "static" in EMBEDDERS
    assert isinstance(get_embedder("static"), StaticEmbedder)
    assert get_embedder("static") is get_embedder("static")


def test_get_embedder_none_is_no_embedder():
    assert get_embedder("none") is None


def test_get_embedder_unknown_name_is_a_config_error_listing_the_choices():
    with pytest.raises(ConfigError, match="unknown embedder 'mpnet'; choose one of: none, minilm, static"):
        get_embedder("mpnet")
