"""Batch runs (`newsweave.distributed`): the local process pool and Dask give the stories that `ingest` then
`update_stories` give, load the models once per worker, and report a bad input without losing the rest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import Future

import pytest

from newsweave import open_store
from newsweave.distributed import (
    PARALLEL_MIN_BYTES,
    BatchSettings,
    EngineError,
    LocalEngine,
    clean_partition,
    open_engine,
    parallel_workers,
    partition_inputs,
    run_batch,
    worker_models,
)
from newsweave.errors import ConfigError
from newsweave.pipeline import ingest, ingest_sources, update_stories

from .conftest import DATA, EXAMPLES, write_warc

INPUTS = [str(EXAMPLES / d) for d in ("text", "html", "feeds")]

try:
    import distributed  # noqa: F401

    HAVE_DASK = True
except ImportError:
    HAVE_DASK = False



def stories(store) -> dict[str, tuple[list[str], str]]:
    """Every story: its member article ids and its dossier JSON, by story id."""
    return {
        s.id: (sorted(a.id for a in store.story_articles(s.id)), json.dumps(store.dossier(s.id), sort_keys=True))
        for s in store.stories()
    }


class InlineEngine:
    """An engine that runs each task at once in this process: exact and quick for the driver's logic."""

    name = "inline"
    workers = 1

    def __init__(self, fail=lambda fn, args: False):
        self.fail = fail

    def submit(self, fn, *args):
        future: Future = Future()
        try:
            if self.fail(fn, args):
                raise RuntimeError("worker lost")
            future.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001
            future.set_exception(exc)
        return future

    def close(self):
        pass


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The example corpus through `ingest` then `update_stories`: what every engine must give."""
    store = open_store(str(tmp_path_factory.mktemp("reference") / "n.db"))
    report = ingest(INPUTS, store)
    update_stories(store)
    assert len(report.added) == 22 and not report.failed
    return stories(store)


@pytest.fixture(scope="module")
def local_engine():
    with LocalEngine(workers=2) as engine:
        yield engine


@pytest.fixture(scope="module")
def dask_engine():
    """Dask tests skip only where dask is not installed, and never in CI, which installs newsweave[dask]."""
    if not HAVE_DASK:
        message = "dask.distributed is not installed: pip install 'newsweave[dask]'"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the Dask tests: install the dask extra in scripts/_venv.sh or .ci/run)")
        pytest.skip(message)
    engine = open_engine("dask", workers=2)  # starts LocalCluster(n_workers=2, threads_per_worker=1, processes=True)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory, local_engine):
    store = open_store(str(tmp_path_factory.mktemp("local") / "n.db"))
    return store, run_batch(INPUTS, store, local_engine)


def bad_inputs(folder):
    """Two good pages and three bad files, all small enough to share one partition."""
    folder.mkdir()
    for name in ("meridian-scoop.txt", "northgate-jets.txt"):
        shutil.copy(EXAMPLES / "text" / name, folder / name)
    shutil.copy(DATA / "truncated.html", folder / "truncated.html")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    return folder


# --- partitions ---------------------------------------------------------------------------------------


def test_partitions_group_loose_files_and_give_each_jsonl_and_archive_its_own(tmp_path):
    for i in range(5):
        (tmp_path / f"page{i}.txt").write_text("x")
    (tmp_path / "dump.jsonl").write_text("{}")
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(b"")
    partitions, errors = partition_inputs([str(archive), str(tmp_path)], files_per_partition=2)
    assert not errors
    assert [(p.kind, [f.rsplit("/", 1)[-1] for f in p.paths]) for p in partitions] == [
        ("jsonl", ["dump.jsonl"]),
        ("files", ["page0.txt", "page1.txt"]), ("files", ["page2.txt", "page3.txt"]), ("files", ["page4.txt"]),
        ("archive", ["crawl.warc.gz"]),  # archives after files, the order `ingest` reads them in
    ]
    assert [p.index for p in partitions] == list(range(5))


def test_partitions_refuse_web_addresses_and_standard_input_saying_what_to_use(tmp_path):
    partitions, errors = partition_inputs(["https://news.example/rss", "-", str(tmp_path / "missing")])
    assert not partitions
    reasons = {e.source: e.message for e in errors}
    assert "ingest them directly" in reasons["https://news.example/rss"] and "ingest it directly" in reasons["-"]
    assert "no such file" in reasons[str(tmp_path / "missing")]


# --- the local engine ---------------------------------------------------------------------------------


def test_local_engine_gives_the_stories_of_ingest_then_update_stories(local_batch, reference):
    store, report = local_batch
    assert report.ok and len(report.ingest.added) == 22 and report.stories == 6
    assert stories(store) == reference
    assert sorted(report.rebuilt) == sorted(reference)


def test_local_workers_load_the_pipeline_once_each(local_batch, local_engine):
    seen = [local_engine.submit(worker_models).result() for _ in range(6)]
    assert {m.pipeline_loads for m in seen} == {1}


def test_a_second_batch_of_the_same_inputs_stores_and_rebuilds_nothing(local_batch, local_engine):
    store, _ = local_batch
    report = run_batch(INPUTS, store, local_engine)
    assert (len(report.ingest.added), len(report.ingest.known), report.rebuilt) == (0, 22, [])


def test_a_bad_input_is_reported_with_its_file_and_reason_and_the_rest_stored(tmp_path, local_engine):
    folder = bad_inputs(tmp_path / "in")
    store = open_store(str(tmp_path / "n.db"))
    report = run_batch([str(folder)], store, local_engine)
    assert report.partitions == 1
    failed = {e.source.rsplit("/", 1)[-1]: e.message for e in report.ingest.failed}
    assert failed.keys() == {"truncated.html", "empty.txt", "photo.txt"}
    assert "truncated" in failed["truncated.html"] and "empty" in failed["empty.txt"] and "PNG image" in failed["photo.txt"]
    assert len(report.ingest.added) == 2 and store.count() == 2
    assert report.stories == 1 and store.dossier(report.rebuilt[0])["articles"]


def test_a_partition_lost_on_its_worker_fails_its_files_only(tmp_path):
    store = open_store(str(tmp_path / "n.db"))
    lost = lambda fn, args: fn is clean_partition and args[0].kind == "jsonl" and args[0].paths[0].endswith("wire.jsonl")  # noqa: E731
    report = run_batch(INPUTS, store, InlineEngine(fail=lost))
    assert [(e.source.rsplit("/", 1)[-1], "worker lost" in e.message) for e in report.ingest.failed] == [("wire.jsonl", True)]
    assert len(report.ingest.added) == 19


def test_a_worker_process_that_dies_stops_the_batch_with_an_engine_error():
    with LocalEngine(workers=1) as engine:
        with pytest.raises(EngineError, match="run the batch again"):
            engine.submit(os._exit, 1).result()
        with pytest.raises(EngineError):
            engine.submit(worker_models)


def test_chunks_are_cut_where_ingest_cuts_them(tmp_path, monkeypatch):
    """Outlet names and template residue are learned per chunk: the driver must cut where `ingest` does."""
    monkeypatch.setattr("newsweave.pipeline._ingest.CHUNK_DOCUMENTS", 4)  # the one loop's: ingest and the batch driver read it
    expected = open_store(str(tmp_path / "ingest.db"))
    ingest(INPUTS, expected)
    update_stories(expected)
    store = open_store(str(tmp_path / "batch.db"))
    run_batch(INPUTS, store, InlineEngine(), BatchSettings(files_per_partition=3))
    assert [(a.id, a.outlet, a.text) for a in store.all_articles()] == [(a.id, a.outlet, a.text) for a in expected.all_articles()]
    assert stories(store) == stories(expected)


def test_web_archives_give_what_ingest_gives_them_with_their_skipped_records_counted(tmp_path):
    archive = str(write_warc(tmp_path / "crawl.warc.gz", gzip=True))
    expected = open_store(str(tmp_path / "ingest.db"))
    ingest([str(EXAMPLES / "html")], expected)  # `newsweave ingest` reads the files, then the archives
    web = ingest_sources([archive], expected)
    update_stories(expected)
    store = open_store(str(tmp_path / "batch.db"))
    report = run_batch([archive, str(EXAMPLES / "html")], store, InlineEngine())
    assert report.skipped == web.skipped
    assert (len(report.ingest.added), report.ingest.known) == (7 + len(web.added), web.known)  # the archive's copy of a page is known
    assert stories(store) == stories(expected)


# --- Dask ---------------------------------------------------------------------------------------------


def test_dask_engine_gives_the_stories_of_the_local_engine(tmp_path, dask_engine, local_batch, reference):
    local_store, _ = local_batch
    store = open_store(str(tmp_path / "n.db"))
    report = run_batch(INPUTS, store, dask_engine)
    assert report.ok and report.engine == "dask" and report.workers == 2
    assert stories(store) == stories(local_store) == reference


def test_dask_worker_plugin_loads_the_pipeline_once_per_worker(tmp_path, dask_engine):
    run_batch([str(EXAMPLES / "text")], open_store(str(tmp_path / "n.db")), dask_engine)
    models = dask_engine.models()
    assert len(models) == 2 and len({m.pid for m in models.values()}) == 2
    assert [m.pipeline_loads for m in models.values()] == [1, 1]


def test_dask_engine_reaches_a_running_cluster_by_its_scheduler_address(tmp_path, dask_engine):
    folder = bad_inputs(tmp_path / "in")
    with open_engine("dask", scheduler=dask_engine.cluster.scheduler_address) as engine:
        assert engine.cluster is None and engine.workers == 2
        report = run_batch([str(folder)], open_store(str(tmp_path / "n.db")), engine)
    assert len(report.ingest.added) == 2 and len(report.ingest.failed) == 3
    assert [m.pipeline_loads for m in dask_engine.models().values()] == [1, 1]  # the plugin, registered again, loaded nothing


def test_dask_engine_without_dask_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    monkeypatch.delitem(sys.modules, "newsweave.distributed._dask", raising=False)
    with pytest.raises(ConfigError, match=r"pip install 'newsweave\[dask\]'"):
        open_engine("dask")


def test_newsweave_and_its_cli_import_no_dask():
    code = "import sys, newsweave, newsweave.cli, newsweave.distributed; print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_engine_settings_are_checked_before_any_worker_starts():
    with pytest.raises(ConfigError, match="for the dask engine only"):
        open_engine("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ConfigError, match="choose one of: local, dask"):
        open_engine("spark")
    with pytest.raises(ConfigError, match="choose one of: none, minilm"):
        open_engine("local", embedder="word2vec")


def test_the_batch_command_runs_the_local_engine(tmp_path):
    from typer.testing import CliRunner

    from newsweave.cli import app

    db = tmp_path / "n.db"
    result = CliRunner().invoke(app, ["batch", *INPUTS, "--db", str(db), "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "22 added" in result.stderr and "6 stories, 6 dossiers built" in result.stderr
    assert len(open_store(str(db)).stories()) == 6


def test_a_batch_saves_the_clusterer_state_so_the_next_batch_clusters_only_its_new_articles(tmp_path, local_batch, caplog):
    import logging

    reference_store, _ = local_batch
    store = open_store(str(tmp_path / "n.db"))
    first = run_batch([str(EXAMPLES / "text")], store, InlineEngine())
    assert first.ok and store.clustering() is not None and store.clustering().version is not None
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        second = run_batch([str(EXAMPLES / d) for d in ("html", "feeds")], store, InlineEngine())
    assert second.ok and "new articles into" in caplog.text and "regrouping" not in caplog.text
    # the same six stories; article ids may differ, as outlet spellings are harmonised per batch (by design)
    titles = lambda s: sorted(sorted(a.title for a in s.story_articles(story.id)) for story in s.stories())  # noqa: E731
    assert second.stories == 6 and titles(store) == titles(reference_store)


def test_analyze_takes_workers_for_a_large_input_only_and_keeps_an_explicit_count(monkeypatch):
    from newsweave.distributed import _shared

    monkeypatch.setattr(_shared, "default_workers", lambda: 4)
    assert parallel_workers(PARALLEL_MIN_BYTES - 1, None) == 0  # a paste or a few files: starting workers costs more
    assert parallel_workers(PARALLEL_MIN_BYTES, None) == 4
    assert parallel_workers(10, 3) == 3 and parallel_workers(10**9, 1) == 0
    assert parallel_workers(10**9, 4, partitionable=False) == 0  # standard input is read in this process
    monkeypatch.setattr(_shared, "default_workers", lambda: 1)
    assert parallel_workers(10**9, None) == 0
