"""Two processes writing one store at once: every article stored exactly once, every story whole."""

import subprocess
import sys

from newsweave import clean_paths, open_store
from newsweave.model import Article

from .conftest import EXAMPLES, ROOT


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
