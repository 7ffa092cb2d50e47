"""Processes writing one store: two at once store every article exactly once and every story whole; one killed
and run again leaves the store one uninterrupted run leaves."""

import subprocess
import sys

import pytest

from newsweave import clean_paths, open_store
from newsweave.model import Article
from newsweave.pipeline import ingest, update_stories

from .conftest import EXAMPLES, ROOT

KILLED_INGEST = ROOT / "scripts" / "killed_ingest.py"  # an ingest SIGKILLed as its Nth article is stored
FOLDERS = [str(EXAMPLES / d) for d in ("text", "html", "feeds")]


def test_two_analyze_processes_on_overlapping_inputs_store_everything_once(db_url):
    first = [str(EXAMPLES / "text"), str(EXAMPLES / "feeds")]
    second = [str(EXAMPLES / "feeds"), str(EXAMPLES / "html"), str(EXAMPLES / "text")]
    runs = [
        subprocess.Popen([sys.executable, "-m", "newsweave", "analyze", *paths, "--db", db_url, "--format", "json"],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for paths in (first, second)
    ]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    inputs = [a for a in clean_paths([str(EXAMPLES / d) for d in ("text", "html", "feeds")]) if isinstance(a, Article)]
    store = open_store(db_url)
    stored = {a.id: a for a in store.all_articles()}
    owners = [store.known_raw(a.raw_hash) for a in inputs]
    # each input stored exactly once (its clean text, and so its id, may depend on which batch read it)
    assert len(stored) == len(inputs) == 22 and sorted(owners) == sorted(stored)
    for article in stored.values():  # and whole: removed lines and source written with it
        assert article.removed and store.sources(article.id)
    stories = store.stories()
    members = [a.id for s in stories for a in store.story_articles(s.id)]
    assert sorted(members) == sorted(stored)  # every article in exactly one story
    assert len(stories) == 6 and all(store.dossier(s.id) for s in stories)
    store.close()


def snapshot(db: str) -> tuple[dict, list]:
    """What a user sees of an ingest: each article's id, outlet, text and removed lines, and the stories' members."""
    store = open_store(db)
    try:
        update_stories(store)
        articles = {a.id: (a.outlet, a.title, a.text, a.removed) for a in store.all_articles()}
        stories = sorted((s.id, sorted(a.id for a in store.story_articles(s.id))) for s in store.stories())
        return articles, stories
    finally:
        store.close()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("whole") / "whole.db")
    store = open_store(db)
    ingest(FOLDERS, store)
    store.close()
    return snapshot(db)


@pytest.mark.parametrize("after", [1, 6, 21])
def test_an_ingest_killed_and_run_again_leaves_the_store_one_uninterrupted_run_leaves(tmp_path, uninterrupted, after):
    # the examples hold template lines two articles of an outlet share ("Northgate Daily Weekend Edition · Late
    # City Final"): the run again must drop them from the articles it stores though it reads those stored before
    # as already known
    db = str(tmp_path / "resumed.db")
    killed = subprocess.run([sys.executable, str(KILLED_INGEST), db, str(after), *FOLDERS], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    store = open_store(db)
    assert store.count() == after
    report = ingest(FOLDERS, store)
    store.close()
    assert len(report.known) == after and not report.failed
    articles, stories = snapshot(db)
    assert any(line.reason == "template residue" for *_, removed in articles.values() for line in removed)
    assert articles == uninterrupted[0]
    assert stories == uninterrupted[1]
