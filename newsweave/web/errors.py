"""The one map from the library's errors to HTTP answers, and the web app's hints for them.

    EditError         422  the edit cannot be made, the message says why; 409 when the stories are not
                           regrouped yet (a review waits for that)
    AmbiguousIdError  422  an id in the request matches several stories or articles (an id in the path is
                           resolved first, by `context.find_story` and `find_article`: 404)
    InputError        422  an input could not be read as an article
    StoreError        500  the store failed to read or write: the message says what it said
    any other         500  (a ConfigError, a ClusterError: the server's set-up, not the request)

`app.create_app` registers `library_error` for every NewsweaveError, so a handler lets them rise. Messages are
the library's; where an error is `about` something this app offers its own way to (a page listing the
stories), `HINTS` adds it, as the command line adds its flags.
"""

from __future__ import annotations

import logging

from fastapi import HTTPException

from newsweave.errors import AmbiguousIdError, EditError, InputError, NewsweaveError

log = logging.getLogger(__name__)

HINTS = {
    "regroup": "{message}: run newsweave analyze on the store first (or ingest through this app)",
    "stories": "{message}: the story list at / shows them",
    "story_articles": "{message}: the story's page lists its articles",
}


def status_of(error: NewsweaveError) -> int:
    """The HTTP status a library error is answered with (the table above)."""
    if isinstance(error, EditError):
        return 409 if error.about == "regroup" else 422
    if isinstance(error, (AmbiguousIdError, InputError)):
        return 422
    return 500


def hinted(error: NewsweaveError) -> str:
    """A library error's message with this app's hint for what it is about, when there is one."""
    return HINTS.get(error.about or "", "{message}").format(message=error)


def http_error_of(error: NewsweaveError, *, writing: bool) -> HTTPException:
    """The answer to a library error: its status and its message (a 500 says whether the write or the read failed)."""
    status = status_of(error)
    if status < 500:
        return HTTPException(status, hinted(error))
    log.error("answered 500: %s", error, exc_info=error)
    return HTTPException(status, f"the store refused the write: {error}" if writing else f"the store could not be read: {error}")
