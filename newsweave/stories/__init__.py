"""Stories: articles to stories, one story per real-world event, decided one article at a time.

`StoryClusterer.add(features)` (`clusterer.py`) puts an article into the open story it matches best, or opens a
new story, without knowing how many stories there are and without re-clustering what came before:

1. **Blocking** (`index.py`). Each article's most distinctive terms (its heaviest names and content words by tf-idf)
   get a datasketch MinHash signature, indexed by article in LSH tables of one-row bands: two articles
   collide in a band when they share that band's sampled key, with probability their Jaccard similarity,
   so 32 bands find nearly every pair sharing a tenth of their keys. The articles that collide with a new
   one name its candidate stories (the most-colliding within the window first); only those are scored. A
   story closes when no coverage has come for `STORY_WINDOW_DAYS` (plus a grace for articles that arrive a
   little out of order): its articles leave the index and its vectors are dropped, so the index holds only
   the open window and the cost of an article stays flat however long the stream runs.
2. **Scoring** (`vectors.py`, `join_model.py`). Against each candidate story: cosine of tf-idf content words, cosine of tf-idf names
   (names weighted by rarity: "Franklin" and "Sarah Davidson" decide, "Police" does not), cosine of
   numbers ("21-year-old", "5.9"), cosine of the title-and-lede words, agreement of the dates the texts
   state, and the days between the article and the story. A learned additive model (`join_model.py`: one
   fitted shape per signal, plus the story's size and whether the article has names, numbers, a body)
   turns them into the probability that the article reports the story's event: it joins the most probable
   story at or above `JOIN_SCORE`, or opens a new one.
3. **Time.** An article further than `STORY_WINDOW_DAYS` from a story's coverage joins it only as a
   follow-up (below), whether the story has closed or is still open in its grace period; two same-kind
   events a week apart are told apart by their names, places, numbers and dates.
4. **Follow-ups** (`follow_up.py`). A story that closes keeps a small profile (its heaviest terms, days and names) for
   `FOLLOW_UP_DAYS`. An article that joins no open story looks up the closed stories sharing its heaviest
   names; a second learned model (`join_model.FOLLOW_UP_FEATURES`) gives the probability that it follows one
   of them up (an arrest, a trial, a sentencing weeks later), and at `FOLLOW_UP_SCORE` it reopens that story,
   whose old articles stay in it without vectors of their own (`held`). The open stories past the article's
   window are scored the same way, profiled as if they closed then. A young story (`YOUNG_FOLLOW_UP_SIZE`)
   whose new article follows up a closed story is merged into it: the first report of a trial may have
   failed to reopen its event's story and opened one of its own.
5. **Stragglers.** An event's first reports may each open a story before there is coverage to recognise
   them by. When an article joins a story, the small stories (`STRAGGLER_SIZE`) it was also scored against
   whose every article would now join the grown story are merged into it (a recorded merge).
6. **Splitting** (`split.py`). Two look-alike events whose first reports met early can grow into one story. As a story
   doubles (4, 8, ... 64 articles) its articles are split in two by average link over their similarities,
   and the story is split when the two groups hardly resemble each other (`SPLIT_SCORE`) or resemble
   each other far less than each resembles itself (`SPLIT_COHESION`). Stories an editor made are left alone.

Document frequencies are counted as the stream goes (tf-idf needs no corpus fitted in advance: `vectors.py`).
Stories can be merged and split by hand or by a caller's rule; each change is recorded as a `StoryEvent`. The
whole state goes to plain records (`to_records`) and back (`from_records`): the store keeps the open
window's part of it between ingests (`newsweave/store/clustering.py`), so an ingest clusters only its articles.

`group_stories(articles)` (the product's ingest) and `cluster_texts(records)` (`newsweave cluster`), in
`batch.py`, both run this one clusterer, in publication-date order, through `add_stream`: from 5,000 articles on,
a second process (`background.py`) makes the articles' unit vectors and band keys (counting the document
frequencies) a few batches ahead while this one scores and joins, with the same stories as `add` one article at a
time. The tuning constants and `ClusterSettings` are in `settings.py`; the working state of a story in `state.py`.

The modules: `settings.py` (the tuning constants, `ClusterSettings`, `constants_digest`), `features.py` (what
clustering reads of an article), `vectors.py`, `index.py`, `join_model.py` (+ its two JSON tables), `follow_up.py`,
`split.py`, `state.py` (the clusterer's working state), `background.py`, `clusterer.py`, `batch.py` (a batch at
once), `training.py` (rows to fit the models on, for `bench/fit_join_model.py`). The records other layers pass
around (`ArticleFeatures`, `Story`, `StoryEvent`, `StoryGroup`, `TextRecord`) are in `newsweave.model`.

The function `features.features(article)` is not exported here: under that name it would hide the module
`newsweave.stories.features` (its constants are patched and read by module path); import it from there.
"""

from __future__ import annotations

from newsweave.stories.batch import cluster_records, cluster_texts, group_stories
from newsweave.stories.clusterer import Assignment, StoryClusterer, story_id
from newsweave.stories.features import text_features
from newsweave.stories.join_model import JoinModel
from newsweave.stories.settings import CLUSTER_STATE_VERSION, JOIN_SCORE, STORY_WINDOW_DAYS, ClusterSettings, constants_digest

__all__ = [
    "Assignment", "CLUSTER_STATE_VERSION", "ClusterSettings", "JOIN_SCORE", "JoinModel", "STORY_WINDOW_DAYS",
    "StoryClusterer", "cluster_records", "cluster_texts", "constants_digest", "group_stories", "story_id", "text_features",
]
