"""What both engines need, apart from either so that neither imports the other: how many workers by default,
whether the embedder a batch names can run here, and how to install Dask."""

from __future__ import annotations

import importlib.util
import os

from newsweave.errors import ConfigError
from newsweave.nlp import EMBEDDERS

DASK_HINT = "pip install 'newsweave[dask]'"


def default_workers() -> int:
    """One worker per core: spaCy runs one thread per process, so processes are how it uses the cores."""
    return os.cpu_count() or 1


def check_embedder(name: str) -> None:
    """Fail before any worker starts when the embedder is unknown or its extra is not installed here."""
    if name not in EMBEDDERS:
        raise ConfigError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
    if name == "minilm" and importlib.util.find_spec("sentence_transformers") is None:
        raise ConfigError("the minilm embedder needs the embeddings extra: pip install 'newsweave[embeddings]'")
