"""The one conftest: values built by hand, a store in tmp_path, and the example corpus's answer key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newsweave import Hints, RawDocument, open_store

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


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads((EXAMPLES / "answer-key.json").read_text(encoding="utf-8"))


def example_source(key: str) -> str:
    """The `source` newsweave gives the article behind an answer-key entry (`path` or `path#line`)."""
    path, _, line = key.partition("#")
    return str(EXAMPLES / path) + (f"#{line}" if line else "")
