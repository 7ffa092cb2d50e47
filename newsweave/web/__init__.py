"""newsweave in a browser and over HTTP: a thin FastAPI shell over the library and the store.

Pages are server-rendered (Jinja2, autoescaped) with the provenance graph and the timeline drawn as
inline SVG, so no page runs a script; the API under /api/ serves the public JSON dossier format.
"""

from __future__ import annotations

from newsweave.web.app import allowed_host, allowed_hosts_for, create_app, serve

__all__ = sorted(["allowed_host", "allowed_hosts_for", "create_app", "serve"])
