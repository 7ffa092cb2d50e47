"""Documentation that must not drift: every command and option is in the README, and its snippet runs."""

import re

import typer.main

from newsweave.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands():
    return typer.main.get_command(app).commands


def test_every_command_is_documented_in_the_readme():
    for name in commands():
        assert f"newsweave {name}" in README, name


def test_every_option_is_documented_in_the_readme():
    for name, command in commands().items():
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"newsweave {name} {opt}"


def test_the_readme_python_snippet_runs(tmp_path, monkeypatch):
    snippet = re.search(r"## From Python\n\n```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(ROOT)
    snippet = snippet.replace('open_store("news.db")', f'open_store({str(tmp_path / "news.db")!r})')
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert len(namespace["report"].added) == 22 and not namespace["report"].failed
