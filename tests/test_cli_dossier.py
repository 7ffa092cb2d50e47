"""`newsweave analyze`, `stories` and `story`: run the commands, then check the store and the output."""

import json

import pytest
from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app

from .conftest import ARREST, EXAMPLES, SHOOTING

INPUTS = [str(EXAMPLES / d) for d in ("text", "html", "feeds")]


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analyze")
    db = folder / "n.db"
    first = invoke("analyze", *INPUTS, "--db", db, "--format", "json")
    return db, first


def test_analyze_writes_one_json_dossier_per_story(analyzed):
    _db, result = analyzed
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "newsweave-dossier" and len(data["stories"]) == 6
    assert sum(len(s["articles"]) for s in data["stories"]) == 22


def test_rerunning_analyze_gives_the_same_output(analyzed):
    db, first = analyzed
    again = invoke("analyze", *INPUTS, "--db", db, "--format", "json")
    strip = lambda out: json.dumps([{k: v for k, v in s.items()} for s in json.loads(out)["stories"]], sort_keys=True)  # noqa: E731
    assert strip(again.stdout) == strip(first.stdout)
    assert "0 added, 22 already known" in again.stderr


def test_analyze_on_worker_processes_gives_the_dossiers_of_one_process(analyzed, tmp_path):
    _db, alone = analyzed
    on_workers = invoke("analyze", *INPUTS, "--db", tmp_path / "w.db", "--format", "json", "--workers", "2")
    assert on_workers.exit_code == 0, on_workers.stderr
    assert "22 added" in on_workers.stderr
    strip = lambda out: json.dumps(json.loads(out)["stories"], sort_keys=True)  # noqa: E731
    assert strip(on_workers.stdout) == strip(alone.stdout)


def test_stories_lists_the_stories_with_their_counts(analyzed):
    db, _ = analyzed
    rows = [json.loads(line) for line in invoke("stories", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 6
    jets = next(r for r in rows if r["headline"].startswith("Venezuela moves fighter jets"))
    assert (jets["article_count"], jets["conflict_count"]) == (6, 2)
    table = invoke("stories", "--db", db).stdout
    assert jets["id"] in table and "Venezuela moves fighter jets" in table


@pytest.mark.parametrize("fmt, needle", [("text", "Conflicts"), ("markdown", "## Conflicts"), ("html", "<mark>Su-20MK2</mark>"), ("json", '"kind": "designator"')])
def test_story_renders_each_format(analyzed, fmt, needle):
    db, _ = analyzed
    jets = next(s for s in open_store(str(db)).stories() if s.headline.startswith("Venezuela moves fighter jets"))
    result = invoke("story", jets.id[:6], "--db", db, "--format", fmt)
    assert result.exit_code == 0 and needle in result.stdout


def test_story_writes_a_self_contained_html_file(analyzed, tmp_path):
    db, _ = analyzed
    story = open_store(str(db)).stories()[0]
    out = tmp_path / "story.html"
    invoke("story", story.id, "--db", db, "--format", "html", "--out", out)
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "<script" not in html and "<link" not in html


def test_adding_an_article_updates_its_story_and_keeps_its_id(tmp_path):
    db = tmp_path / "n.db"
    quake = [EXAMPLES / "feeds" / "wire.jsonl", EXAMPLES / "html" / "harbor-ledger-quake.html"]
    invoke("analyze", *quake, "--db", db, "--format", "json")
    store = open_store(str(db))
    before = {s.id: s.article_count for s in store.stories()}
    invoke("analyze", EXAMPLES / "text" / "northgate-quake.txt", "--db", db, "--format", "json")
    after = {s.id: s.article_count for s in open_store(str(db)).stories()}
    grown = [sid for sid in before if after.get(sid, 0) == before[sid] + 1]
    assert len(grown) == 1 and after[grown[0]] == 3


def test_unknown_story_is_an_error_with_a_hint(tmp_path):
    result = invoke("story", "nope", "--db", tmp_path / "n.db")
    assert result.exit_code == 2 and "newsweave stories" in result.stderr


def test_cluster_writes_a_story_for_every_record_and_keeps_look_alike_events_apart(tmp_path, answer_key):
    from newsweave import Article, clean_paths

    articles = [a for a in clean_paths(INPUTS) if isinstance(a, Article)]
    records = [{"doc": a.source.removeprefix(f"{EXAMPLES}/"), "body": a.text, "headline": a.title,
                "date": a.published.isoformat() if a.published else None} for a in articles]
    records.append({"doc": "empty", "body": "", "headline": "no text"})  # a story of its own, never dropped
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "stories.tsv"
    result = invoke("cluster", dump, "--id", "doc", "--text", "body", "--title", "headline", "--date", "date", "--out", out)
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [r[0] for r in rows] == [r["doc"] for r in records]  # every record, in file order
    found: dict[str, set[str]] = {}
    for doc, story in rows:
        found.setdefault(story, set()).add(doc)
    gold = [set(s["articles"]) for s in answer_key["stories"]] + [{"empty"}]
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, gold))  # the two earthquakes stay apart
    strict = invoke("cluster", dump, "--id", "doc", "--text", "body", "--date", "date", "--join-score", "1", "--out", out)
    assert strict.exit_code == 0 and len({line.split("\t")[1] for line in out.read_text().splitlines()}) == len(records)
    assert invoke("cluster", dump, "--id", "doc", "--text", "body", "--join-score", "1.5", "--out", out).exit_code == 2


def test_cluster_leaves_no_half_written_output_when_a_line_is_bad(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"doc": "a", "body": "Quake hits Kelso."}) + "\n{not json\n")
    out = tmp_path / "stories.tsv"
    out.write_text("earlier run\n")
    result = invoke("cluster", dump, "--id", "doc", "--text", "body", "--out", out)
    assert result.exit_code != 0 and "dump.jsonl" in result.stderr and ":2" in result.stderr
    assert out.read_text() == "earlier run\n" and not list(tmp_path.glob("*.partial"))


def test_review_merge_split_and_edits_commands_change_the_stories_and_list_what_was_done(tmp_path):
    db = tmp_path / "n.db"
    assert invoke("analyze", *INPUTS, "--db", db, "--format", "json").exit_code == 0
    store = open_store(str(db))
    quakes = [s.id for s in store.stories() if "quake" in s.headline.lower() or "earthquake" in s.headline.lower()]
    assert len(quakes) == 2
    reviewed = invoke("review", quakes[0][:6], "--db", db)
    assert reviewed.exit_code == 0, reviewed.stderr
    assert quakes[1] in reviewed.stdout and "weakest fit" in reviewed.stdout and reviewed.stdout.index(quakes[1]) < reviewed.stdout.index("weakest")
    assert invoke("review", "s0000nope", "--db", db).exit_code != 0
    merged = invoke("merge", quakes[0][:6], quakes[1], "--reason", "one swarm", "--db", db)
    assert merged.exit_code == 0, merged.stderr
    assert len(store.stories()) == 5
    (target,) = [s.id for s in store.stories() if s.id in quakes]  # named after the older quake's first article
    assert store.story(target).article_count == 6 and store.dossier(target) is not None  # its dossier is built
    members = store.story_articles(target)
    split = invoke("split", target, members[-1].id[:10], "--reason", "an aftershock report", "--db", db)
    assert split.exit_code == 0, split.stderr
    assert len(store.stories()) == 6
    listed = invoke("edits", "--db", db)
    assert listed.exit_code == 0 and "merge" in listed.stdout and "split" in listed.stdout and "one swarm" in listed.stdout
    wrong = invoke("split", target, "0000nope", "--db", db)
    assert wrong.exit_code != 0 and "not in story" in wrong.stderr and len(store.stories()) == 6


def test_cluster_links_a_follow_up_weeks_later_to_its_closed_story_unless_told_not_to(tmp_path):
    shot = SHOOTING.format(victim="Marcus Reed", age=24, street="West 63rd Street", city="Chicago", chief="Eddie Johnson",
                           suspect_age=19, day="Monday")
    oakland = SHOOTING.format(victim="Luis Ortega", age=31, street="Foothill Boulevard", city="Oakland", chief="Sean Whent",
                              suspect_age=27, day="Tuesday")
    records = [
        {"doc": "shot-1", "body": shot, "date": "2016-03-07"}, {"doc": "shot-2", "body": shot + " A vigil is planned.", "date": "2016-03-08"},
        {"doc": "oakland", "body": oakland, "date": "2016-04-20"},  # six weeks on: the Chicago story has closed
        {"doc": "arrest", "body": ARREST.format(suspect_age=19, day="Friday", age=24), "date": "2016-04-23"},
    ]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "stories.tsv"

    def stories(*flags):
        assert invoke("cluster", dump, "--id", "doc", "--text", "body", "--date", "date", *flags, "--out", out).exit_code == 0
        return dict(line.split("\t") for line in out.read_text().splitlines())

    linked = stories()
    assert linked["arrest"] == linked["shot-1"] == linked["shot-2"] != linked["oakland"]
    apart = stories("--follow-up-days", "0")
    assert apart["shot-1"] == apart["shot-2"] and apart["arrest"] not in (apart["shot-1"], apart["oakland"])
