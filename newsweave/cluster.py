"""Articles to stories: one story per real-world event.

A simple, exact grouping for a batch: tf-idf over content words (capitalised words, names and numbers,
weighted up, as they tell two earthquakes apart where the shared vocabulary does not), cosine
similarity, and average-link agglomerative clustering cut at a fixed similarity. Articles published
further apart than a story's window never join.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import Article, dateline_agency, names_outlet

STORY_SIMILARITY = 0.18  # average cosine a group must keep: the middle of the range (0.15-0.22) that separates the example corpus's stories
STORY_WINDOW_DAYS = 14  # coverage of one event rarely spans more; two same-kind events often recur within weeks
_NAME = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z0-9](?:\s+[A-Z][\w'’-]*[A-Za-z0-9])*|\b\d[\d,.]*\b")


@dataclass(frozen=True, slots=True)
class StoryGroup:
    id: str
    articles: tuple[Article, ...]  # oldest first


def _features(article: Article) -> str:
    names = " ".join("_".join(m.group(0).lower().split()) for m in _NAME.finditer(article.text))
    title = article.title or ""
    return f"{title} {title} {article.text} {names} {names}"


def _age(article: Article) -> tuple[date, int, str]:
    own_wire = names_outlet(dateline_agency(article.dateline), article.outlet)
    return (article.published or date.max, 0 if own_wire else 1, article.id)


def story_id(first: Article) -> str:
    """A story keeps the id of its oldest article, so adding coverage later does not rename it."""
    return "s" + hashlib.sha256(first.id.encode()).hexdigest()[:11]


def group_stories(articles: Sequence[Article]) -> list[StoryGroup]:
    """Stories of a batch, oldest first; every article in exactly one."""
    articles = sorted(articles, key=_age)
    if not articles:
        return []
    if len(articles) == 1:
        return [StoryGroup(story_id(articles[0]), tuple(articles))]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w[\w_]+\b")
    matrix = vectorizer.fit_transform([_features(a) for a in articles])
    similarity = np.clip((matrix @ matrix.T).toarray(), 0.0, 1.0)
    for i, a in enumerate(articles):
        for j, b in enumerate(articles):
            if a.published and b.published and abs((a.published - b.published).days) > STORY_WINDOW_DAYS:
                similarity[i, j] = 0.0
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), method="average"), t=1.0 - STORY_SIMILARITY, criterion="distance")
    groups: dict[int, list[Article]] = {}
    for label, article in zip(labels, articles):
        groups.setdefault(int(label), []).append(article)
    stories = [StoryGroup(story_id(g[0]), tuple(g)) for g in groups.values()]
    return sorted(stories, key=lambda s: _age(s.articles[0]))
