"""The Dask engine (`pip install 'newsweave[dask]'`): a `dask.distributed` client over a LocalCluster it
starts, or over an existing cluster reached at its scheduler address (dask-kubernetes, dask-jobqueue, a
cloud provider's). A `WorkerPlugin` loads the models on every worker as it joins, from the packages
installed on that worker: nothing is downloaded.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

from distributed import Client, LocalCluster, WorkerPlugin

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.distributed._shared import DASK_HINT, check_embedder, default_workers
from newsweave.distributed._stages import WorkerModels, load_models, worker_models
from newsweave.errors import ConfigError

T = TypeVar("T")

PLUGIN_NAME = "newsweave-models"
CONNECT_TIMEOUT_S = 30  # reaching a scheduler; a cluster that is still scaling up is waited for separately


class ModelsPlugin(WorkerPlugin):
    """Loads newsweave's spaCy pipeline (and the embedder, if the batch uses one) once on each worker, on
    setup: when registered for the workers already there, and for every worker that joins later."""

    idempotent = True  # registered again by a second batch on the same cluster: the models are there already
    name = PLUGIN_NAME

    def __init__(self, embedder: str = DEFAULT_EMBEDDER) -> None:
        self.embedder = embedder

    async def setup(self, worker: Any) -> None:  # noqa: ANN401 - a distributed.Worker
        # off the worker's event loop: loading takes seconds, and a blocked loop misses its heartbeats
        models = await asyncio.to_thread(load_models, self.embedder)
        worker.log_event("newsweave", {"action": "models-loaded", "pid": models.pid, "pipeline_loads": models.pipeline_loads})


class DaskEngine:
    """Tasks on a Dask cluster whose workers have the models loaded by `ModelsPlugin`."""

    name = "dask"

    def __init__(self, *, scheduler: str | None = None, workers: int | None = None, embedder: str = DEFAULT_EMBEDDER) -> None:
        check_embedder(embedder)
        if workers is not None and workers < 1:
            raise ConfigError(f"give 1 or more workers, not {workers}", about="workers")
        self.cluster: LocalCluster | None = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise ConfigError(
                    f"{scheduler}: cannot reach a Dask scheduler there ({exc}); give its address as "
                    "tcp://HOST:8786, and check that the scheduler is running and reachable", about="scheduler",
                ) from None
            if workers:
                self.client.wait_for_workers(workers)
        else:
            self.cluster = LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self.cluster)
        try:
            self.client.register_plugin(ModelsPlugin(embedder))
        except Exception as exc:  # noqa: BLE001 - whatever a worker raised while loading
            self.close()
            raise ConfigError(
                f"a Dask worker could not load newsweave's models ({type(exc).__name__}: {exc}); every worker needs "
                f"newsweave and its models installed: {DASK_HINT}"
            ) from None

    @property
    def workers(self) -> int:
        return max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Any:  # noqa: ANN401 - a distributed.Future
        return self.client.submit(fn, *args, pure=False)

    def models(self) -> dict[str, WorkerModels]:
        """What each worker has loaded, by worker address."""
        return self.client.run(worker_models)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
