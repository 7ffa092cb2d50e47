"""Who may read and who may write.

- **Writes** (`POST /api/articles`, the `/ingest` form) need the write token set at start-up, given
  explicitly with each request: `Authorization: Bearer TOKEN` for the API, the form's token field
  for `/ingest`. Credentials a browser sends on its own (Basic auth, cookies) never authorise a write,
  so a page on another site cannot make a reader's browser ingest anything (no CSRF), with no session
  or CSRF-token machinery to get wrong. Without a token the server is read-only.
- **Reads** are open (`--open-reads`, the default) or need the same token (`--closed-reads`): as a
  Bearer header from API clients, or as the password of HTTP Basic auth (any user name), which a
  browser asks for by itself.

No credentials: 401 with a `WWW-Authenticate` challenge. Wrong credentials: 403.

Before any of this, `middleware.AllowedHosts` answers 400 to a Host not on the server's list (DNS
rebinding) and `middleware.SameOriginWrites` 403 to a write whose Origin is another site's.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request

REALM = "newsweave"


@dataclass(frozen=True, slots=True)
class Access:
    token: str | None
    open_reads: bool


def _header_credentials(request: Request) -> tuple[str, str | None]:
    """(scheme, secret) from the Authorization header: ("bearer", token), ("basic", password) or ("", None)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return scheme, value.strip() or None
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return scheme, None
        return scheme, decoded.partition(":")[2] or None
    return "", None


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def check_read(request: Request, access: Access, *, api: bool) -> None:
    """Allow a read, or raise 401/403 (pages challenge with Basic auth, the API with Bearer)."""
    if access.open_reads:
        return
    challenge = f'Bearer realm="{REALM}"' if api else f'Basic realm="{REALM}", charset="UTF-8"'
    _, secret = _header_credentials(request)
    if secret is None:
        raise HTTPException(401, "this server's reads are closed: send the token (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": challenge})
    if access.token is None or not _same(secret, access.token):
        raise HTTPException(403, "wrong token")


def check_write(access: Access, *, bearer: str | None = None, form_token: str | None = None) -> None:
    """Allow a write given the token explicitly (Bearer header or form field), or raise 401/403."""
    if access.token is None:
        raise HTTPException(403, "this server is read-only: start it with --token (or NEWSWEAVE_TOKEN) to allow ingest")
    given = bearer if bearer is not None else form_token
    if not given:
        raise HTTPException(401, "writing needs the server's token: send Authorization: Bearer TOKEN",
                            headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'})
    if not _same(given, access.token):
        raise HTTPException(403, "wrong token")


def bearer_of(request: Request) -> str | None:
    scheme, secret = _header_credentials(request)
    return secret if scheme == "bearer" else None
