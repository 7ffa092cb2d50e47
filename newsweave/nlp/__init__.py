"""Language analysis: sentences, entities, numbers, quotes and attributions of articles, read with spaCy.

    parse.py        the spaCy pipeline and its components; articles -> analysed sentences; story-wide entities
    numbers.py      numbers in a sentence as typed intervals ("at least 61 people" is [61, inf) people)
    intervals.py    whether two numbers can both be true, and the line that says why not (no spaCy)
    casualties.py   how many were killed, injured or shot, as a sentence states it
    attribution.py  who said what, by which cue; its parts: cues.py (the lexicon), quotes.py (quotation
                    marks), phrases.py (token ranges of the parse), cue_rules.py (one sentence's rules)
    embeddings.py   optional sentence embeddings for claim alignment

The names below load their module on first use, so importing this package costs nothing: spaCy is imported
with `load_pipeline` or `analyze_articles`, and `compatible` needs no spaCy at all. `casualties` is
imported from `newsweave.nlp.casualties`: here, that name is the module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsweave.nlp.attribution import extract_attributions, extract_quotes
    from newsweave.nlp.embeddings import EMBEDDERS, get_embedder
    from newsweave.nlp.intervals import compatible, explain_conflict
    from newsweave.nlp.numbers import extract_quantities
    from newsweave.nlp.parse import SPACY_PACKAGE, analyze_articles, load_pipeline, resolve_story_entities

__all__ = [
    "EMBEDDERS", "SPACY_PACKAGE", "analyze_articles", "compatible", "explain_conflict", "extract_attributions",
    "extract_quantities", "extract_quotes", "get_embedder", "load_pipeline", "resolve_story_entities",
]

_HOME = {  # public name -> the module that defines it
    "extract_attributions": "attribution", "extract_quotes": "attribution",
    "EMBEDDERS": "embeddings", "get_embedder": "embeddings",
    "compatible": "intervals", "explain_conflict": "intervals",
    "extract_quantities": "numbers",
    "SPACY_PACKAGE": "parse", "analyze_articles": "parse", "load_pipeline": "parse", "resolve_story_entities": "parse",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first asked for (PEP 562), and keep the name here."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
