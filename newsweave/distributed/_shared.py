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


# Input from which `analyze` runs on worker processes by default: each worker first loads spaCy and the embedder
# (a few seconds, in parallel), which two cores win back in about 75 real articles (bench/speed.py: one core
# analyses 7.7 gun-violence articles a second; two workers 1.56x that), some 200 KB of text.
PARALLEL_MIN_BYTES = 256 * 1024


def parallel_workers(input_bytes: int, workers: int | None, *, partitionable: bool = True) -> int:
    """How many worker processes a run on this machine over `input_bytes` of input uses; 0: this process alone.

    `workers` given is kept (1: this process alone); by default one per core once the input reaches
    `PARALLEL_MIN_BYTES`. Input that cannot be cut into partitions (standard input) runs in this process."""
    if not partitionable:
        return 0
    if workers is not None:
        return workers if workers > 1 else 0
    cores = default_workers()
    return cores if cores > 1 and input_bytes >= PARALLEL_MIN_BYTES else 0


def check_embedder(name: str) -> None:
    """Fail before any worker starts when the embedder is unknown or its extra is not installed here."""
    if name not in EMBEDDERS:
        raise ConfigError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
    if name == "minilm" and importlib.util.find_spec("sentence_transformers") is None:
        raise ConfigError("the minilm embedder needs the embeddings extra: pip install 'newsweave[embeddings]'")
