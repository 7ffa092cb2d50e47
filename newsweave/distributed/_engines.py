"""Engines: where a batch's worker stages run. `local` (the default) is a plain process pool on this
machine; `dask` is a `dask.distributed` cluster, started here or reached at a scheduler address.

Both load the models once per worker process (a pool initializer; a Dask `WorkerPlugin`) and run the same
stage functions (`_stages`), so they give the same results. Dask is imported only when asked for.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Callable, Protocol, TypeVar

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.distributed._shared import DASK_HINT, check_embedder, default_workers
from newsweave.distributed._stages import WorkerModels, load_models
from newsweave.errors import ConfigError, EngineError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

ENGINES = ("local", "dask")


WORKER_DIED = (
    "a worker process died (killed for memory? a crash inside a library?) and took the process pool with it; "
    "what was stored is kept: run the batch again to finish it, with fewer workers if memory ran out"
)


class TaskFuture(Protocol[T_co]):
    """A submitted task: `concurrent.futures.Future` and `distributed.Future` both are one."""

    def result(self) -> T_co: ...


class Engine(Protocol):
    """Runs top-level functions of picklable values on worker processes that have the models loaded."""

    name: str

    @property
    def workers(self) -> int:
        """Worker processes (tasks that can run at once)."""
        ...

    def submit(self, fn: Callable[..., T], /, *args: Any) -> TaskFuture[T]: ...

    def close(self) -> None: ...


class LocalEngine:
    """A process pool on this machine; each process loads the models once, in its initializer."""

    name = "local"

    def __init__(self, workers: int | None = None, *, embedder: str = DEFAULT_EMBEDDER) -> None:
        check_embedder(embedder)
        if workers is not None and workers < 1:
            raise ConfigError(f"give 1 or more workers, not {workers}", about="workers")
        self._workers = workers or default_workers()
        # spawn, not fork: a worker starts from a clean interpreter whatever threads and connections the driver holds
        self._pool = ProcessPoolExecutor(self._workers, mp_context=get_context("spawn"), initializer=load_models, initargs=(embedder,))

    @property
    def workers(self) -> int:
        return self._workers

    def submit(self, fn: Callable[..., T], /, *args: Any) -> TaskFuture[T]:
        try:
            return _LocalTask(self._pool.submit(fn, *args))
        except BrokenProcessPool:
            raise EngineError(WORKER_DIED, about="workers") from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _LocalTask:
    """A pool future whose broken pool is an EngineError: no later task can run, so the batch must stop."""

    def __init__(self, future: Future) -> None:
        self.future = future

    def result(self) -> Any:  # noqa: ANN401
        try:
            return self.future.result()
        except BrokenProcessPool:
            raise EngineError(WORKER_DIED, about="workers") from None


def open_engine(name: str = "local", *, workers: int | None = None, scheduler: str | None = None, embedder: str = DEFAULT_EMBEDDER) -> Engine:
    """The engine a setting names. `dask` with no scheduler address starts a LocalCluster of `workers`
    processes; with one, it connects to that cluster (and waits for `workers` workers when given)."""
    if name == "local":
        if scheduler:
            raise ConfigError("a scheduler address is for the dask engine only", about="engine")
        return LocalEngine(workers, embedder=embedder)
    if name == "dask":
        try:
            from newsweave.distributed._dask import DaskEngine  # Dask: imported only when asked for
        except ImportError as exc:
            raise ConfigError(f"the dask engine needs Dask, which is not installed ({exc.name or exc}): {DASK_HINT}") from None
        return DaskEngine(scheduler=scheduler, workers=workers, embedder=embedder)
    raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "EngineError", "LocalEngine", "TaskFuture", "WorkerModels", "open_engine"]
