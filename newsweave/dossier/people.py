"""How people are named and described: the words a name is made of, when two names are one person's, the titles
written before a name ("spokesman", "Lt.") and what a noun says of a person ("boy": a male minor)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

# Who a noun says a person is: (sex, minor or adult); None where the word does not say.
PERSON_WORDS = {
    "boy": ("m", "minor"), "girl": ("f", "minor"), "man": ("m", "adult"), "woman": ("f", "adult"), "gentleman": ("m", "adult"),
    "lady": ("f", "adult"), "son": ("m", None), "daughter": ("f", None), "brother": ("m", None), "sister": ("f", None),
    "father": ("m", "adult"), "mother": ("f", "adult"), "dad": ("m", "adult"), "mom": ("f", "adult"), "husband": ("m", "adult"),
    "wife": ("f", "adult"), "boyfriend": ("m", None), "girlfriend": ("f", None), "grandson": ("m", None),
    "granddaughter": ("f", None), "grandfather": ("m", "adult"), "grandmother": ("f", "adult"), "uncle": ("m", "adult"),
    "aunt": ("f", "adult"), "nephew": ("m", None), "niece": ("f", None), "child": (None, "minor"), "toddler": (None, "minor"),
    "baby": (None, "minor"), "infant": (None, "minor"), "kid": (None, "minor"), "teen": (None, "minor"),
    "teenager": (None, "minor"), "juvenile": (None, "minor"), "youth": (None, "minor"), "student": (None, None),
}


SURNAME_SIMILARITY = 0.6  # Linscomb/Linsomb 0.88, Corley/Corely 0.67; Cannon/Wilson 0.33, Cheeks/Clarett 0.29 (GV, ECB+ dev)
_GENERATION = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Last words of names spaCy tags PERSON that name no one: "Martin Luther King Day", "Harry Maze Playground"
_NOT_PEOPLE = frozenset({"day", "park", "playground", "blvd", "boulevard", "street", "avenue", "road", "choir", "school", "police",
                         "club", "advisors", "advisers", "center", "centre", "church", "hospital", "department", "parade",
                         "memorial", "university", "college", "county", "city", "award", "trophy", "act", "foundation"})


def person_words(key: str) -> list[str] | None:
    """A person's name as words, without a "Jr." or "III"; None for a name that is a place's or a day's."""
    words = [w.strip(".,'’-–—") for w in _NICKNAME.sub(" ", key.lower()).split()]
    words = [w for w in words if w]
    while words and words[-1] in _GENERATION:
        words.pop()
    if not words or any(w in _NOT_PEOPLE for w in words):
        return None
    return words


_NICKNAME = re.compile(r"[\"\u201c\u201d'\u2018\u2019(][^\"\u201c\u201d'\u2018\u2019()]*[\"\u201c\u201d'\u2018\u2019)]")


def spelled(name: str) -> str:
    """A name's letters without a quoted nickname, spaces or marks: "Jonathan "JD" De Guzman" is "jonathandeguzman",
    as "Jonathan DeGuzman" is."""
    return "".join(c for c in _NICKNAME.sub("", name).lower() if c.isalpha())


@dataclass(frozen=True, slots=True, eq=False)
class PersonName:
    """A person's name as a value: as written, and its words (`person_words`), by which two are equal."""

    text: str
    words: tuple[str, ...]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonName) and other.words == self.words

    def __hash__(self) -> int:
        return hash(self.words)


def same_name(a: PersonName, b: PersonName) -> bool:
    """Whether two names of one first name may name one person as one: the same surname, a middle name or a
    "Jr." more, the same letters ("De Guzman", "DeGuzman"), or a surname spelled nearly alike (a misspelling: the
    strict `_names` rule compares those)."""
    wa, wb = a.words, b.words
    return (wa[-1] == wb[-1] or set(wa) <= set(wb) or set(wb) <= set(wa) or spelled(a.text) == spelled(b.text)
            or Levenshtein.normalized_similarity(wa[-1], wb[-1]) >= SURNAME_SIMILARITY)


WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?\s*$")
# The titles most often written before a full name in gun-violence train coverage, one spelling each
TITLES = {w: t for t, words in {
    "spokesperson": "spokesman spokeswoman spokesperson", "officer": "officer", "lieutenant": "lt lieutenant",
    "sergeant": "sgt sergeant", "captain": "capt captain", "detective": "detective", "deputy": "deputy", "chief": "chief",
    "sheriff": "sheriff", "investigator": "investigator", "colonel": "col colonel", "attorney": "attorney",
    "prosecutor": "prosecutor", "judge": "judge", "mayor": "mayor", "governor": "gov governor", "president": "president",
    "doctor": "dr doctor", "pastor": "pastor", "reporter": "reporter", "director": "director", "victim": "victim",
    "suspect": "suspect", "shooter": "shooter gunman", "neighbor": "neighbor", "resident": "resident", "friend": "friend",
    "father": "father dad", "mother": "mother mom", "brother": "brother", "sister": "sister", "son": "son",
    "daughter": "daughter", "wife": "wife", "husband": "husband", "uncle": "uncle", "aunt": "aunt", "cousin": "cousin",
    "girlfriend": "girlfriend", "boyfriend": "boyfriend"}.items() for w in words.split()}
