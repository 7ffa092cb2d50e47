"""Batch runs on many processes or machines: `newsweave batch`.

`run_batch(paths, store, engine)` does what `ingest` then `update_stories` do, with reading, cleaning,
language analysis and the story dossiers on an engine's workers, and what needs the whole batch
(outlet names and template residue per chunk, storing, clustering in publication order) in the driver.
Engines: `local` (the default), a process pool on this machine; `dask`, a `dask.distributed` cluster
(`pip install 'newsweave[dask]'`), started here or reached at its scheduler's address. Both load the
models once per worker process and give the same stories as `ingest` + `update_stories`.

    from newsweave import open_store
    from newsweave.distributed import open_engine, run_batch

    with open_engine("dask", workers=2) as engine:   # or open_engine("dask", scheduler="tcp://10.0.0.5:8786")
        report = run_batch(["crawl/"], open_store("news.db"), engine)

Dask is imported only by `open_engine("dask")`: this package works without it.
"""

from __future__ import annotations

from newsweave.distributed._batch import (
    ANALYSIS, CLUSTERING, DOSSIERS, OUTLETS_RESIDUE, READ_CLEAN, STAGES, STORE_READS, STORE_WRITES, WORKER_STAGES, BatchReport,
    BatchSettings, run_batch,
)
from newsweave.distributed._engines import ENGINES, Engine, EngineError, LocalEngine, TaskFuture, open_engine
from newsweave.distributed._partitions import FILES_PER_PARTITION, Partition, partition_inputs
from newsweave.distributed._shared import DASK_HINT, PARALLEL_MIN_BYTES, default_workers, parallel_workers
from newsweave.distributed._stages import (
    AnalyzedBatch,
    CleanedPartition,
    Failure,
    FileOutcome,
    StoryDossiers,
    StoryWork,
    WorkerModels,
    analyze_batch,
    build_story_dossiers,
    clean_partition,
    load_models,
    worker_models,
)

__all__ = sorted([
    "ANALYSIS", "CLUSTERING", "DOSSIERS", "OUTLETS_RESIDUE", "READ_CLEAN", "STORE_READS", "STORE_WRITES",
    "AnalyzedBatch", "BatchReport", "BatchSettings", "CleanedPartition", "DASK_HINT", "ENGINES", "Engine", "EngineError",
    "FILES_PER_PARTITION", "Failure", "FileOutcome", "LocalEngine", "PARALLEL_MIN_BYTES", "Partition", "STAGES", "StoryDossiers",
    "StoryWork", "TaskFuture", "WORKER_STAGES", "WorkerModels", "analyze_batch", "build_story_dossiers",
    "clean_partition", "default_workers", "load_models", "open_engine", "parallel_workers", "partition_inputs", "run_batch",
    "worker_models",
])
