"""Following the news as it is published: `watch` web sources (pages, feeds, sitemaps): poll them, ingest what is
new (`ingest_sources`), update the stories, report what changed.

`watch` is a generator of `PollReport`s with injectable clock, sleep and stop event, so a test runs ten polls in
milliseconds. Nothing fetched is lost: each poll stores what arrived before an interrupt is let through.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

from newsweave.config import CleanSettings, ReadSettings
from newsweave.errors import ConfigError
from newsweave.ingest.fetch import Fetcher, FetchSettings, HttpFetcher, MemoryValidatorCache, ValidatorCache
from newsweave.pipeline._ingest import SourceReport, ingest_sources
from newsweave.pipeline._stories import update_stories

MIN_INTERVAL = 30.0  # seconds: polling a feed more often burdens the site and finds nothing more
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class StoryChange:
    """A story that gained articles in a poll."""

    id: str
    headline: str
    added: tuple[str, ...]  # the ids of the articles it gained
    new: bool  # the story did not exist before the poll
    conflicts_before: int
    conflicts_after: int
    articles: int  # articles it holds now

    @property
    def new_conflicts(self) -> int:
        return max(0, self.conflicts_after - self.conflicts_before)


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did: the ingest (added, known, unchanged, failed) and the stories that changed."""

    number: int
    started: datetime
    ingest: SourceReport
    stories: tuple[StoryChange, ...] = ()
    interrupted: bool = False

    @property
    def new_stories(self) -> tuple[StoryChange, ...]:
        return tuple(s for s in self.stories if s.new)

    @property
    def conflicted(self) -> tuple[StoryChange, ...]:
        """Stories with more conflicts than before the poll."""
        return tuple(s for s in self.stories if s.new_conflicts)


def parse_duration(text: str) -> float:
    """Seconds in `30s`, `10m`, `1h`, `1d`, `90` (seconds) or `1.5h`."""
    match = _DURATION.match(text)
    if not match:
        raise ConfigError(f"{text!r}: expected a duration such as 30s, 10m, 1h or 1d", about="interval")
    unit = (match.group(2) or "s")[0].lower()
    return float(match.group(1)) * _UNIT_SECONDS[unit]


def watch(
    sources: Iterable[str],
    every: float | str | timedelta,
    store,  # noqa: ANN001 - a store with add, known_raw, stories, story_of (SQLStore)
    *,
    fetcher: Fetcher | None = None,
    fetch: FetchSettings = FetchSettings(),
    validators: ValidatorCache | None = None,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_polls: int | None = None,
    update: Callable[..., object] = update_stories,
) -> Iterator[PollReport]:
    """Poll `sources` every `every` (seconds, `"10m"`, or a timedelta) and yield a report per poll.

    Each poll ingests what is new (feeds are asked conditionally; items already read are not fetched
    again), updates the stories of the store when articles were added, and reports the stories that
    gained articles, with their conflict counts before and after. It stops when `stop` is set (also
    during the wait), after `max_polls`, or on KeyboardInterrupt: the poll in hand then yields what it
    stored, marked `interrupted`, and the generator ends. Nothing fetched is lost.
    """
    interval = _seconds(every)
    if interval < MIN_INTERVAL:
        raise ConfigError(f"{interval:g} s is too often: poll at most every {MIN_INTERVAL:g} s (30s), so sites are not burdened",
                          about="interval")
    sources = list(sources)
    stop = stop if stop is not None else threading.Event()
    wait = sleep if sleep is not None else stop.wait
    validators = validators if validators is not None else MemoryValidatorCache()
    seen: set[str] = set()
    own = fetcher is None
    active = fetcher if fetcher is not None else HttpFetcher(fetch)
    number = 0
    due = clock()
    try:
        while not stop.is_set() and (max_polls is None or number < max_polls):
            number += 1
            report = SourceReport()
            started = datetime.now(timezone.utc)
            interrupted = False
            before = {s.id: s for s in store.stories()}
            try:
                ingest_sources(
                    sources, store, fetcher=active, validators=validators, read=read, settings=settings,
                    seen=seen, stop=stop, report=report,
                )
                if report.added:
                    update(store)
            except KeyboardInterrupt:
                interrupted = True
            yield PollReport(number, started, report, _changes(store, before, report.added), interrupted or report.interrupted)
            if interrupted or (max_polls is not None and number >= max_polls):
                return
            due = max(due + interval, clock())
            try:
                wait(max(0.0, due - clock()))
            except KeyboardInterrupt:
                return
    finally:
        if own:
            active.close()  # type: ignore[attr-defined]


def _seconds(every: float | str | timedelta) -> float:
    if isinstance(every, timedelta):
        return every.total_seconds()
    return parse_duration(every) if isinstance(every, str) else float(every)


def _changes(store, before: dict, added: list[str]) -> tuple[StoryChange, ...]:  # noqa: ANN001
    by_story: dict[str, list[str]] = {}
    for article_id in added:
        story = store.story_of(article_id)
        if story:
            by_story.setdefault(story, []).append(article_id)
    if not by_story:
        return ()
    after = {s.id: s for s in store.stories()}
    changes = []
    for story_id, ids in by_story.items():
        now, then = after.get(story_id), before.get(story_id)
        if now is None:
            continue
        changes.append(StoryChange(
            id=story_id, headline=now.headline, added=tuple(ids), new=then is None,
            conflicts_before=(then.conflict_count or 0) if then else 0, conflicts_after=now.conflict_count or 0,
            articles=now.article_count,
        ))
    return tuple(changes)
