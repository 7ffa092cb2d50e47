"""The story clusterer's settings: its tuning constants (each with why it has its value), `ClusterSettings`, and the
digest of every tuning constant that a saved clusterer state depends on (`constants_digest`).

The constants are the defaults of `ClusterSettings` and the limits the clusterer's parts read (`clusterer.py`,
`index.py`, `follow_up.py`, `split.py`); the figures in the comments are B-cubed F1 on `bench/cluster.py`'s corpora.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import re
from dataclasses import dataclass
from typing import Any, Literal

from newsweave.stories import join_model, vectors

# The store keeps the clusterer's state (`to_records`) between ingests and regroups every article instead when
# the state was saved under another version or other settings. The settings' record carries a digest of the
# tuning constants of every module of `newsweave.stories` (features and the join model included) and of the join
# and follow-up models' tables (`constants_digest`), so changing one is noticed by itself: bump the version only
# for a change of code that no constant shows.
CLUSTER_STATE_VERSION = 3  # 2: a body foreign to its headline is set aside; 3: the learned join model

# --- tuning constants --------------------------------------------------------------------------------
# A story takes no article published further than this from its coverage: most follow-ups come within two
# weeks (85% of gun-violence incident links), and same-kind events recur within weeks.
STORY_WINDOW_DAYS = 14
CLOSE_GRACE_DAYS = 7  # a story leaves the index this long after its window: articles a few days late still find it
BLOCK_KEYS = 24  # an article's top-weighted names and words in its MinHash: two reports of one event share several
LSH_BANDS, LSH_ROWS = 32, 1  # one-row bands: sharing one sampled key makes a candidate (high recall; scoring is exact)
MAX_BUCKET = 50  # a key that more open stories share is a common term in the window: it names no candidates
MAX_CANDIDATES = 8  # stories scored per article, the ones with most colliding bands first
EXACT_BELOW = 64  # with this few open stories, score them all: blocking pays (and loses recall) only beyond
# An article joins the story it most probably reports when that probability (the join model's, fitted on half
# of each development corpus: ECB+ train topics, half of the gun-violence incidents) reaches this. 0.20 had
# the best B-cubed F1 on those halves among 0.10-0.50 (ECB+ averaged over five orders of its undated articles);
# the other halves are held out (bench/cluster.py). Higher thresholds trade recall for precision (at 0.50 gun
# violence keeps the precision of the old weighted sum, 0.981, with more recall): `newsweave cluster
# --join-score`, `ClusterSettings(join_score=...)`.
JOIN_SCORE = 0.20
# Channel weights of the article-to-article similarity that the split check averages (names weigh most:
# same-kind events share vocabulary, not people and places). They were the join score's weights before the
# join model, fitted by coordinate ascent on B-cubed F1; SPLIT_SCORE is on their scale.
W_WORDS = 0.40  # content words
W_NAMES = 0.45  # names: people, places, organisations, designators
W_NUMBERS = 0.10  # "21-year-old", "5.9", "72-hour": agreeing numbers
W_LEDE = 0.15  # the title and first sentences: what the story is about
# Split a story whose two halves (average link over its articles) average below this: ECB+'s look-alike
# events merged early come apart (F1 +0.009 on ECB+; gun violence unchanged; no synthetic story split).
SPLIT_SCORE = 0.20
SPLIT_CHECK_SIZES = frozenset({4, 8, 16, 32, 64})  # a story is checked as it doubles: amortised O(1) per article
MIN_SPLIT = 2  # each part keeps at least this many articles
# A second split test, for look-alike events whose coverage shares so many words that the halves still average
# above SPLIT_SCORE (two rehab check-ins, two title defences, two DUI arrests of one team's players): split when
# the two halves resemble each other less than SPLIT_COHESION times as much as each resembles itself (the mean
# similarity between them over the mean of their inner means), each holding COHESION_MIN_PART articles or more.
# Its similarity weighs numbers more: such events differ in ages, years, scores, rounds and tolls. On ECB+,
# F1 0.911 -> 0.942 in id order, 0.901 -> 0.918 averaged over other orders, held-out dev topics 0.898 -> 0.925;
# its train topics chose 0.60 among 0.50-0.70 and the weights among numbers 0.3-1.2. Gun-violence stories are
# small and were not split by it. Its cost: 26 of 14,154 synthetic stories (random words) split at 8 articles.
SPLIT_COHESION = 0.60
SPLIT_COHESION_WEIGHTS = (0.40, 0.45, 0.80, 0.15)  # words, names, numbers, title and lede
COHESION_MIN_PART = 3
# Merging two open stories that one article fits both of, on the fly: off, as on ECB+ it merged the
# look-alike events (F1 -0.01 to -0.03). `merge` stays for callers and editors.
MERGE_SCORE = None
# Follow-ups: an arrest, a trial or a sentencing weeks or months after the event comes after the story's window,
# so it would open a story of its own (two thirds of the recall gun violence lost). When a story closes it keeps
# a profile (its centroids cut to their heaviest KEPT_TERMS terms per channel, its KEPT_DATES commonest stated
# days), indexed by its FOLLOW_UP_INDEX_NAMES heaviest names, for FOLLOW_UP_DAYS after its last coverage.
# An article that joins no open story looks up the closed stories sharing one of its FOLLOW_UP_QUERY_NAMES
# heaviest names (a name more than FOLLOW_UP_MAX_BUCKET of them share says nothing), scores the
# FOLLOW_UP_CANDIDATES sharing most with the follow-up model (`join_model.FOLLOW_UP_FEATURES`, fitted on the
# gun-violence fit half by bench/fit_join_model.py), and reopens the most probable at FOLLOW_UP_SCORE or more.
# Gun violence B-cubed F1 0.912 -> 0.927 (fit half 0.923 -> 0.936, held-out half 0.922 -> 0.939); ECB+ is undated
# (its stories never close): unchanged. The fit half is flat in FOLLOW_UP_SCORE from 0.3 to 0.7 (0.934-0.937).
# The stories still open past an article's window scored the same way (before, an article 15-21 days after its
# story's coverage could join it neither way), taking no candidate place of those within it, the model refitted:
# 0.927 -> 0.929 (fit half 0.936, held-out half 0.942 -> 0.945).
FOLLOW_UP_DAYS = 365
FOLLOW_UP_SCORE = 0.5
FOLLOW_UP_QUERY_NAMES = 8
FOLLOW_UP_INDEX_NAMES = 15
FOLLOW_UP_MAX_BUCKET = 20
FOLLOW_UP_CANDIDATES = 8
KEPT_TERMS = {"w": 40, "n": 20, "u": 12, "l": 12}
KEPT_DATES = 8
# Stragglers: an event's first reports can each open a story before there is coverage to recognise them by
# (and in an undated dump, whatever order the records come in). When an article joins a story, the small open
# stories it was also scored against (at STRAGGLER_NEAR or more: near it at all), of STRAGGLER_SIZE articles or
# fewer, whose every article would now join the grown story (at the join threshold) are merged into it: a
# recorded merge, and the split tests still guard the result. ECB+ id order 0.942 -> 0.951 (train topics 0.940
# -> 0.944, five other orders of them 0.924 -> 0.932; held-out dev topics 0.925 -> 0.937, other orders 0.908 ->
# 0.921); gun violence 0.927 either way (fit half 0.936, held-out half 0.939 -> 0.942). The fit halves chose 2
# among 1-3 (1: ECB+ train topics over orders 0.928; 3: 0.925); STRAGGLER_NEAR 0.05 changes no result against
# 0 and skips scoring the stragglers no new article comes near (free on the synthetic stream; 0.1-0.2: +-0.003).
STRAGGLER_SIZE = 2
STRAGGLER_NEAR = 0.05
# Young follow-up stories: the first report of an arrest or a trial weeks on can fail to reopen its event's story
# (the follow-up model below FOLLOW_UP_SCORE) and open a story of its own, which the next reports join. When an
# article joins an open story of YOUNG_FOLLOW_UP_SIZE articles or fewer (counting it) and the follow-up model takes
# the article for a closed story (or one past the window), the young story is merged into that one, reopened: a
# recorded merge. Gun violence 0.929 -> 0.930 (fit half A 0.936 -> 0.938, held-out half B 0.945 -> 0.947); the fit
# half chose 3 among 2-5 (2: 0.937; 5: as 3, the smaller kept); ECB+ is undated (its stories never close): unchanged.
YOUNG_FOLLOW_UP_SIZE = 3
KEY_ENTITIES = 8  # names shown as a story's key entities
SUMMARY_TERMS = 12  # content words kept as a story's summary
SEED = 1

Channel = Literal["w", "n", "u", "l"]
CHANNELS: tuple[Channel, ...] = ("w", "n", "u", "l")  # words, names, numbers (units), title and lede

__all__ = ["CHANNELS", "CLUSTER_STATE_VERSION", "Channel", "ClusterSettings", "constants_digest"]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """The clusterer's knobs, one object (defaults are the tuning constants above)."""

    window_days: int = STORY_WINDOW_DAYS
    grace_days: int = CLOSE_GRACE_DAYS
    join_score: float = JOIN_SCORE  # the join model's probability an article must reach to join a story
    weights: tuple[float, ...] = (W_WORDS, W_NAMES, W_NUMBERS, W_LEDE)  # of the split check's similarity
    block_keys: int = BLOCK_KEYS
    bands: int = LSH_BANDS
    rows: int = LSH_ROWS
    max_bucket: int = MAX_BUCKET
    max_candidates: int = MAX_CANDIDATES
    split_score: float | None = SPLIT_SCORE  # set: split a story whose two halves average less than this
    split_cohesion: float | None = SPLIT_COHESION  # set: split a story whose halves resemble each other less than this times themselves
    merge_score: float | None = MERGE_SCORE  # set: merge two stories an article bridges when they score this together
    blocking: bool = True  # False: score every open story (exact; for measuring what blocking loses)
    straggler_size: int | None = STRAGGLER_SIZE  # set: a story that grows takes the open stories this small that now join it
    follow_up_days: int | None = FOLLOW_UP_DAYS  # closed stories stay reopenable this long; None: follow-ups off
    follow_up_score: float = FOLLOW_UP_SCORE  # the follow-up model's probability that reopens a closed story
    young_follow_up_size: int | None = YOUNG_FOLLOW_UP_SIZE  # set: a story this small that an article joins may follow up a closed one
    # a name more closed stories' profiles share than this looks none up: the store, loading profiles, reads it here too
    follow_up_max_bucket: int = FOLLOW_UP_MAX_BUCKET

    def to_record(self) -> dict[str, Any]:
        """The settings as plain values, with the digest of the tuning constants they work with (`constants_digest`):
        a saved state is gone on from only under the same record."""
        record = {k: (list(v) if isinstance(v, tuple) else v) for k, v in ((f, getattr(self, f)) for f in self.__slots__)}
        record["constants"] = constants_digest()
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ClusterSettings:
        values = {k: v for k, v in record.items() if k in cls.__slots__}
        if "weights" in values:
            values["weights"] = tuple(values["weights"])
        return cls(**values)


def constants_digest() -> str:
    """A digest of the module-level constants (capitalised names) of every module of `newsweave.stories` (this one,
    the clusterer's parts, `features` and `join_model`: each found at run time, so a new module counts without being
    listed here), and of the join and follow-up models' tables: the weights, windows, stop words, patterns and
    shapes the saved clusterer state was made with beyond `ClusterSettings`. A newsweave whose constants differ
    regroups every article once instead of going on from a state it would misread (`CLUSTER_STATE_VERSION` stays
    for changes that no constant shows)."""

    def plain(value: Any) -> Any:
        if isinstance(value, re.Pattern):
            return ["re", value.pattern, value.flags]
        if isinstance(value, (set, frozenset)):
            return ["set", sorted(map(repr, value))]
        if isinstance(value, dict):
            return ["dict", sorted((repr(k), repr(v)) for k, v in value.items())]
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        return repr(value) if isinstance(value, (int, float, str, bool, type(None))) else None

    parts: list[Any] = [[name, hashlib.blake2b(join_model.model_text(name).encode(), digest_size=16).hexdigest()]
                        for name in (join_model.MODEL_FILE, join_model.FOLLOW_UP_FILE, vectors.REFERENCE_FILE)]
    package = __name__.rpartition(".")[0]
    modules = sorted(info.name for info in pkgutil.iter_modules(importlib.import_module(package).__path__, package + "."))
    for module in map(importlib.import_module, modules):
        for name, value in sorted(vars(module).items()):
            if re.fullmatch(r"_?[A-Z][A-Z0-9_]*", name) and (seen := plain(value)) is not None:
                parts.append([module.__name__, name, seen])
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=8).hexdigest()
