"""Articles to and from plain JSON-ready dicts: the one place that spells out the field names."""

from __future__ import annotations

from typing import Any

from .model import Article


def article_to_dict(article: Article) -> dict[str, Any]:
    """The JSON form of an article, as `newsweave clean --format jsonl` and `article --format json` print it."""
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "url": article.url,
        "title": article.title,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "dateline": article.dateline,
        "headings": list(article.headings),
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
    }
