"""The web side of the command line: `ingest` with URLs and archives, and `watch`."""

from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app

from .conftest import write_warc


def test_ingest_refuses_the_local_site_by_default_and_reads_it_with_allow_private(site, tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    refused = runner.invoke(app, ["ingest", site.url("/feed.rss"), "--db", db])
    assert refused.exit_code == 1
    assert "refused: 127.0.0.1 is a loopback address; pass --allow-private to fetch from intranets" in refused.output
    archive = write_warc(tmp_path / "crawl.warc.gz", gzip=True)
    result = runner.invoke(app, ["ingest", site.url("/feed.rss"), str(archive), "--db", db, "--allow-private"])
    assert result.exit_code == 0, result.output
    assert "2 added, 2 already known, 0 failed" in result.output and "archive records skipped: " in result.output
    assert open_store(db).count() == 2


def test_watch_prints_each_poll_and_stops_on_ctrl_c(site, tmp_path, monkeypatch):
    import functools

    import newsweave.cli.articles as commands

    waits = []

    def ctrl_c_while_waiting(seconds: float) -> None:
        waits.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "watch", functools.partial(commands.watch, sleep=ctrl_c_while_waiting))
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["watch", site.url("/feed.rss"), "--every", "10m", "--db", db, "--allow-private"])
    assert result.exit_code == 0, result.output
    assert "poll 1: 2 added, 0 already known, 0 unchanged, 0 failed" in result.output
    assert "new story" in result.output and "stopped: everything fetched is stored" in result.output
    assert len(waits) == 1 and 0 < waits[0] <= 600


def test_serve_answers_to_the_allowed_hosts_given_and_names_a_malformed_one(tmp_path, monkeypatch):
    from starlette.testclient import TestClient

    import newsweave.web

    served = []
    monkeypatch.setattr(newsweave.web, "serve", lambda app, **where: served.append((app, where)))
    db = str(tmp_path / "serve.db")
    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--db", db, "--token", "t0k3n-for-tests",
                                 "--allowed-host", "News.Example.org", "--allowed-host", "*.intranet.example"])
    assert result.exit_code == 0, result.output
    assert "answering to Host: localhost, 127.0.0.1, ::1, news.example.org, *.intranet.example" in result.output
    (web_app, where), = served
    assert where == {"host": "127.0.0.1", "port": 8000}
    answers = {host: TestClient(web_app, base_url=f"http://{host}").get("/api/stories").status_code
               for host in ("news.example.org", "a.intranet.example", "127.0.0.1:8000", "evil.example")}
    assert answers == {"news.example.org": 200, "a.intranet.example": 200, "127.0.0.1:8000": 200, "evil.example": 400}

    refused = runner.invoke(app, ["serve", "--db", db, "--allowed-host", "http://news.example.org:8000"])
    assert refused.exit_code == 2 and len(served) == 1
    said = " ".join(refused.output.replace("│", " ").split())  # the words of typer's boxed message, unwrapped
    assert "Invalid value for '--allowed-host': 'http://news.example.org:8000' is not a host name" in said
