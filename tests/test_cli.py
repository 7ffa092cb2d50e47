import gzip
import json
import random

import pytest
from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app

from .conftest import DATA

GOOD = (
    "Night ferry to stop in December\n\nBy Ana Ribeiro\n\n"
    "Officials confirmed on Tuesday that the night ferry would stop running from December, citing costs.\n\n"
    "Advertisement\n\n"
    "The service has carried about 1,000 passengers a week since 2019, according to the port authority.\n\n"
    "© 2025 The Harbor Ledger. All rights reserved.\n"
)


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "160"})


def test_clean_jsonl_prints_one_object_per_article_with_the_documented_fields(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = invoke(runner, "clean", tmp_path / "a.txt", "--format", "jsonl")
    assert result.exit_code == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"source", "outlet", "title", "author", "published", "text", "removed"} <= set(record)
    assert record["outlet"] == "The Harbor Ledger" and record["author"] == "Ana Ribeiro"
    assert {"text": "Advertisement", "reason": "ad placeholder"} in record["removed"]
    assert "Advertisement" not in record["text"]


def test_clean_text_shows_the_text_and_the_removed_lines(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = invoke(runner, "clean", tmp_path / "a.txt")
    assert "Officials confirmed on Tuesday" in result.stdout
    assert "[ad placeholder]" in result.stdout and "Advertisement" in result.stdout


def test_clean_reads_standard_input(runner):
    result = runner.invoke(app, ["clean", "-", "--format", "jsonl"], input=GOOD)
    assert result.exit_code == 0 and json.loads(result.stdout)["source"] == "-"


def test_outlet_option_names_the_outlet_of_pasted_text_and_a_record_s_own_outlet_wins(runner, tmp_path):
    pasted = GOOD.replace("© 2025 The Harbor Ledger. All rights reserved.\n", "")
    result = runner.invoke(app, ["clean", "-", "--format", "jsonl", "--outlet", "Coastline Herald"], input=pasted)
    assert result.exit_code == 0 and json.loads(result.stdout)["outlet"] == "Coastline Herald"
    bare = runner.invoke(app, ["clean", "-", "--format", "jsonl"], input=pasted)
    assert json.loads(bare.stdout)["outlet"] is None
    (tmp_path / "r.jsonl").write_text(json.dumps({"text": pasted, "outlet": "Other"}) + "\n")
    db = tmp_path / "n.db"
    stored = runner.invoke(app, ["ingest", str(tmp_path / "r.jsonl"), "-", "--db", str(db), "--outlet", "Coastline Herald"],
                           input=pasted.replace("night ferry", "late ferry"))
    assert stored.exit_code == 0, stored.output
    assert sorted(a.outlet for a in open_store(str(db)).articles()) == ["Coastline Herald", "Other"]


def test_ingest_twice_leaves_the_same_rows(runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD)
    (tmp_path / "in" / "b.jsonl").write_text(json.dumps({"text": GOOD.replace("night ferry", "day ferry"), "outlet": "Other"}) + "\n")
    db = tmp_path / "n.db"
    first = invoke(runner, "ingest", tmp_path / "in", "--db", db)
    assert first.exit_code == 0 and "2 added, 0 already known, 0 failed" in first.stderr
    rows = [(a.id, a.text) for a in open_store(str(db)).articles()]
    second = invoke(runner, "ingest", tmp_path / "in", "--db", db)
    assert second.exit_code == 0 and "0 added, 2 already known, 0 failed" in second.stderr
    assert [(a.id, a.text) for a in open_store(str(db)).articles()] == rows


def _random_bytes(n: int, seed: int, low: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(n))


BAD_INPUTS = {
    "empty.txt": (b"", "empty input"),
    "binary.txt": (b"%PDF-1.7 binary", "a PDF document"),
    "nul.txt": (b"text\x00\x00\x00more", "NUL bytes"),
    "undecodable.txt": (_random_bytes(3000, seed=7, low=1), "undecodable"),
    "oversized.txt": (b"word " * 40_000, "100,000-byte cap"),
    "truncated.html": ((DATA / "truncated.html").read_bytes(), "truncated download"),
    "broken.html.gz": (gzip.compress(_random_bytes(4000, seed=3))[:500], "truncated gzip"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_a_bad_input_is_reported_by_name_and_the_rest_of_the_batch_is_stored(runner, tmp_path, name):
    data, message = BAD_INPUTS[name]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / name).write_bytes(data)
    db = tmp_path / "n.db"
    result = invoke(runner, "ingest", folder, "--db", db, "--max-bytes", 100_000)
    assert result.exit_code == 1
    assert "1 added, 0 already known, 1 failed" in result.stderr
    [failure] = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert str(folder / name) in failure and message in failure
    assert [a.title for a in open_store(str(db)).articles()] == ["Night ferry to stop in December"]


def test_malformed_json_lines_are_reported_by_line_and_the_other_lines_stored(runner, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": GOOD, "outlet": "A"}) + "\n" + '{"text": "cut off\n' + json.dumps({"text": GOOD, "outlet": "B"}) + "\n"
    )
    result = invoke(runner, "ingest", feed, "--db", tmp_path / "n.db")
    assert result.exit_code == 1
    assert f"{feed}:2: malformed JSON line" in result.stderr
    assert sorted(a.outlet for a in open_store(str(tmp_path / "n.db")).articles()) == ["A", "B"]


def test_articles_and_article_show_what_was_stored(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    db = tmp_path / "n.db"
    invoke(runner, "ingest", tmp_path / "a.txt", "--db", db)
    [stored] = open_store(str(db)).articles()
    listing = invoke(runner, "articles", "--db", db)
    assert stored.id in listing.stdout and "The Harbor Ledger" in listing.stdout
    shown = invoke(runner, "article", stored.id[:6], "--db", db, "--format", "json")
    record = json.loads(shown.stdout)
    assert record["id"] == stored.id and record["sources"] == [str(tmp_path / "a.txt")]
    assert {"text": "Advertisement", "reason": "ad placeholder"} in record["removed"]
    text = invoke(runner, "article", stored.id, "--db", db)
    assert "[ad placeholder]" in text.stdout and "Officials confirmed" in text.stdout


def test_unknown_article_id_is_an_error_with_a_hint(runner, tmp_path):
    result = invoke(runner, "article", "ffff", "--db", tmp_path / "n.db")
    assert result.exit_code == 2 and "newsweave articles" in result.stderr


def test_bad_field_mapping_is_a_usage_error(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = invoke(runner, "ingest", tmp_path / "a.txt", "--db", tmp_path / "n.db", "--field", "nonsense")
    assert result.exit_code == 2 and "expected OURS=THEIRS" in result.stderr


def test_field_map_rejects_unknown_fields(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = invoke(runner, "ingest", tmp_path / "a.txt", "--db", tmp_path / "n.db", "--field", "body=content")
    assert result.exit_code == 2 and "--field 'body=content': unknown field 'body'; valid fields: author," in result.stderr


def test_an_input_over_the_cap_is_reported_with_the_flag_that_raises_it(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = invoke(runner, "ingest", tmp_path / "a.txt", "--db", tmp_path / "n.db", "--max-bytes", 100)
    assert result.exit_code == 1
    [failure] = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert failure.endswith("100-byte cap for one input (a page is rarely over 2 MB); raise it with --max-bytes if this is really one article")


@pytest.mark.parametrize("command", [
    ("ingest", "a.txt"), ("analyze", "a.txt"), ("watch", "https://news.example/rss"), ("articles",), ("article", "ab"),
    ("stories",), ("story", "s1"), ("merge", "s1", "s2"), ("split", "s1", "ab"), ("review", "s1"), ("edits",), ("serve",),
    ("batch", "a.txt"),
])
def test_every_command_reports_a_library_error_with_the_flag_and_exits_2(runner, tmp_path, command):
    (tmp_path / "a.txt").write_text(GOOD)
    name, *rest = command
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    result = invoke(runner, name, *[tmp_path / r if r == "a.txt" else r for r in rest], "--db", folder)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: --db {folder}: is a folder; give a file path such as {folder / 'newsweave.db'}"]


def test_a_refused_edit_exits_2_with_what_to_run(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    db = tmp_path / "n.db"
    invoke(runner, "analyze", tmp_path / "a.txt", "--db", db, "--format", "json")
    [story] = open_store(str(db)).stories()
    result = invoke(runner, "merge", story.id, story.id, "--db", db)
    assert result.exit_code == 2
    assert "error: give two or more different stories to merge: `newsweave stories` lists them" in result.stderr


OTHER = (
    "Harbour crane collapse closes the container terminal for a week\n\nBy Rui Costa\n\n"
    "A crane collapsed at the container terminal on Monday night, injuring two workers, the port operator said.\n\n"
    "The terminal handles about 40 ships a month and will stay closed while engineers inspect the other cranes.\n"
)


def _table_rows(stdout: str) -> list[list[str]]:
    """The body rows of a box table as printed, each cell's wrapped lines joined with spaces."""
    lines = stdout.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("┡")) + 1:]
    rows: list[list[list[str]]] = []
    for line in body:
        if line.startswith("└"):
            break
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells[0]:  # a row starts where its first cell does; the lines after it are its cells' wrapped text
            rows.append([[cell] for cell in cells])
        else:
            for parts, cell in zip(rows[-1], cells):
                parts.append(cell)
    return [[" ".join(part for part in parts if part) for parts in row] for row in rows]


def _analyze_two_stories(folder):
    """A store of two stories, one with a headline long enough to wrap."""
    (folder / "a.txt").write_text(GOOD)
    (folder / "b.txt").write_text(OTHER)
    db = folder / "n.db"
    result = invoke(CliRunner(), "analyze", folder / "a.txt", folder / "b.txt", "--db", db, "--format", "json")
    assert result.exit_code == 0
    return db


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    return _analyze_two_stories(tmp_path_factory.mktemp("tables"))


def _width_of(stdout: str) -> int:
    return max(len(line) for line in stdout.splitlines())


@pytest.mark.parametrize("width", [30, 40, 60, 80, 120])
def test_stories_table_keeps_its_counts_whole_at_any_width(runner, analyzed, width):
    result = runner.invoke(app, ["stories", "--db", str(analyzed)], env={"COLUMNS": str(width)})
    stories = open_store(str(analyzed)).stories()
    assert len(stories) == 2
    rows = {row[0]: row for row in _table_rows(result.stdout)}
    for s in stories:
        shown = [s.last_published, s.article_count, s.outlet_count, s.independent_sources, s.conflict_count, s.headline]
        assert rows[s.id][1:] == ["" if value is None else str(value) for value in shown]
    if width >= 80:  # the width Rich gives a pipe, and wider: the table fits, its headlines wrapped
        assert _width_of(result.stdout) <= width


@pytest.mark.parametrize("width", [30, 80])
def test_articles_table_keeps_ids_and_dates_whole_and_wraps_titles(runner, analyzed, width):
    result = runner.invoke(app, ["articles", "--db", str(analyzed)], env={"COLUMNS": str(width)})
    articles = open_store(str(analyzed)).articles()
    expected = sorted([a.id, str(a.published or ""), a.outlet or "", a.title or ""] for a in articles)
    assert sorted(_table_rows(result.stdout)) == expected
    if width >= 80:
        assert _width_of(result.stdout) <= width


def test_edits_table_keeps_its_article_count_when_narrow(runner, tmp_path):
    db = _analyze_two_stories(tmp_path)  # a store of its own: the merge changes it
    first, second = (s.id for s in open_store(str(db)).stories())
    invoke(runner, "merge", first, second, "--db", db, "--reason", "one port, one week: one closure reported twice")
    result = runner.invoke(app, ["edits", "--db", str(db)], env={"COLUMNS": "40"})
    [edit] = open_store(str(db)).story_edits()
    [row] = _table_rows(result.stdout)
    assert row[1:] == ["merge", ", ".join(edit.before), ", ".join(edit.after), str(len(edit.articles)), edit.reason]


def test_the_cli_and_opening_a_current_store_import_neither_scikit_learn_nor_alembic(tmp_path):
    """What every command pays before its first line: no scikit-learn (0.6 s) and no Alembic (0.4 s) once the store's
    schema is current."""
    import subprocess
    import sys

    db = tmp_path / "news.db"
    open_store(str(db)).close()  # created and migrated here
    code = ("import sys, newsweave, newsweave.cli; from newsweave import open_store; "
            f"open_store({str(db)!r}); print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'sklearn', 'alembic'}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
