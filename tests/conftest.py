"""The one conftest: values built by hand, a store in tmp_path, and the example corpus's answer key."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from newsweave import Hints, RawDocument, open_store
from newsweave.store import database_url

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"


def make_raw(content: str, kind: str = "text", source: str = "test.txt", **hints) -> RawDocument:
    """A raw document as a reader would make it."""
    return RawDocument(
        source=source, kind=kind, content=content,
        raw_hash=hashlib.sha256(content.encode()).hexdigest(), hints=Hints(**hints),
    )


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "test.db"))
    yield s
    s.close()


POSTGRES_URL = os.environ.get("NEWSWEAVE_TEST_POSTGRES")  # a server the tests may create databases on; .ci/run starts one


@contextmanager
def postgres_database():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("NEWSWEAVE_TEST_POSTGRES is not set: .ci/run starts a PostgreSQL server for the store tests")
        pytest.skip("no PostgreSQL server: set NEWSWEAVE_TEST_POSTGRES=postgresql://... (bash .ci/run starts one)")
    name = "newsweave_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A store URL for each backend: an SQLite file, and a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def any_store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads((EXAMPLES / "answer-key.json").read_text(encoding="utf-8"))


def example_source(key: str) -> str:
    """The `source` newsweave gives the article behind an answer-key entry (`path` or `path#line`)."""
    path, _, line = key.partition("#")
    return str(EXAMPLES / path) + (f"#{line}" if line else "")
