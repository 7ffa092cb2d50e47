"""Editors' merges and splits of stories: what they do to a grouping, and to the clusterer's open stories.

A clusterer gets some groupings wrong (ECB+'s two Chargers DUI arrests in one story; one shooting's
follow-up months later in a story of its own). An editor merges or splits stories; newsweave records the
edit (`StoryEdit`) by the articles it names, not only by story ids, so that it can be replayed after a
regrouping of every article, which may name stories differently:

- a **merge** names every article of the merged story: replayed, the stories now holding any of them
  become one (with the articles they gained since);
- a **split** names the articles moved out (and those left): replayed, the story holding them gives them
  a story of their own, unless they are apart already.

`apply_edit` is the pure grouping step (stories as article tuples in, stories out); `sync_clusterer` makes
the clusterer's open stories agree, so that later coverage joins the edited stories: two open stories
merge there too (pinned: never split automatically), an open story splits there too, and an open story
merged with one that has closed is closed (nothing can join the closed part, so neither may the whole), and
so is a reopened story split by articles it held before it closed (their vectors are not kept). A closed story
an edit touches keeps no profile: a follow-up never reopens it as it was before the edit.
"""

from __future__ import annotations

from datetime import date
from typing import Mapping, Sequence

from newsweave.stories import StoryClusterer, story_id
from newsweave.model import Article, StoryEdit
from newsweave.outlets import coverage_order

Groups = Mapping[str, Sequence[Article]]

__all__ = ["StoryEdit", "apply_edit", "sync_clusterer"]


def _named(members: Sequence[Article]) -> tuple[str, tuple[Article, ...]]:
    ordered = tuple(sorted(members, key=coverage_order))
    return story_id(ordered[0]), ordered


def apply_edit(groups: Groups, edit: StoryEdit) -> dict[str, tuple[Article, ...]] | None:
    """The grouping after `edit`: every story of `groups` (which must hold every story holding one of the
    edit's articles), the edited ones replaced under their new ids (a story is named after its oldest
    article). None when the edit changes nothing: its articles are together (merge) or apart (split)
    already, or gone."""
    named = set(edit.articles)
    holders = [sid for sid, members in groups.items() if any(a.id in named for a in members)]
    out = {sid: tuple(members) for sid, members in groups.items() if sid not in holders}
    if edit.kind == "merge":
        if len(holders) < 2:
            return None
        new_id, members = _named([a for sid in holders for a in groups[sid]])
        out[new_id] = members
        return out
    changed = False
    for sid in holders:
        moving = [a for a in groups[sid] if a.id in named]
        staying = [a for a in groups[sid] if a.id not in named]
        if not staying:  # every article of the story is one the edit moves: apart already
            out[sid] = tuple(groups[sid])
            continue
        for part in (moving, staying):
            part_id, members = _named(part)
            out[part_id] = members
        changed = True
    return out if changed else None


def sync_clusterer(clusterer: StoryClusterer, edit: StoryEdit, reason: str) -> None:
    """Make the clusterer's open stories agree with `edit` (see the module docstring)."""
    articles = set(edit.articles) | set(edit.rest)
    known = [a for a in articles if a in clusterer]
    stories = {clusterer.story_of(a) for a in known}
    views = [clusterer.story(s) for s in stories]
    open_stories = [v.id for v in sorted((v for v in views if v.open), key=lambda v: (v.first or date.max, v.id))]
    whole = bool(open_stories) and len(known) == len(articles) and len(open_stories) == len(stories)
    if edit.kind == "merge" and whole:
        keep = open_stories[0]
        for other in open_stories[1:]:
            clusterer.merge(keep, other, reason, pin=True)
        return
    if edit.kind == "split" and whole and len(open_stories) == 1:
        story = clusterer.story(open_stories[0])
        moving = [a for a in story.articles if a in set(edit.articles)]
        if not set(moving) & set(clusterer.held(story.id)):  # else: articles it held before it reopened: close it
            if moving and len(moving) < len(story.articles):
                clusterer.split(story.id, moving, reason, pin=True)
            return
    # part of the edit is in stories that have closed (or all of it): close the open part too, and let no follow-up
    # reopen any of them as they were before the edit
    for sid in stories:
        clusterer.close(sid, reopenable=False)
