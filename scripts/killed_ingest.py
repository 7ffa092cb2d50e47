"""`newsweave.pipeline.ingest` of folders into a store, killed (SIGKILL: nothing cleaned up, nothing flushed) as its
Nth article is stored: the interrupted run that `tests/test_concurrency.py` and `bench/reliability.py` resume.

Run:  python scripts/killed_ingest.py DB N FOLDER...
"""

import os
import signal
import sys

from newsweave import open_store
from newsweave.pipeline import ingest


def main() -> None:
    db, after, folders = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    store = open_store(db)
    stored = store.add
    count = 0

    def add(article):  # noqa: ANN001, ANN202 - an Article; the store's outcome
        nonlocal count
        outcome = stored(article)
        count += 1
        if count == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return outcome

    store.add = add
    ingest(folders, store)


if __name__ == "__main__":
    main()
