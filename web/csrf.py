"""CSRF protection and body size limits for every unsafe request (POST, PUT, PATCH, DELETE).

Pages send the session's token as the form field ``csrf_token``; API clients as the header
``X-CSRF-Token`` (from ``GET /api/session`` or the page's ``<meta name="csrf-token">``).
Under ``/api`` a request without any session (nothing a browser could be tricked into
sending) needs no token; everywhere else the token is required. Refusal: 403.
"""

from __future__ import annotations

import hmac

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.errors import API_PREFIX, error_response
from web.security import MAX_BODY_BYTES, MAX_UPLOAD_BYTES

__all__ = ["CsrfMiddleware", "CSRF_FIELD", "CSRF_HEADER"]

SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "TRACE"))
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class _TooLarge(Exception):
    pass


class CsrfMiddleware:
    """Reads (at most the size limit of) the body once, checks the token, replays the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        limit = MAX_UPLOAD_BYTES if content_type == "multipart/form-data" else MAX_BODY_BYTES
        try:
            body = await _read_body(request, receive, limit)
        except _TooLarge:
            await error_response(request, 413)(scope, receive, send)
            return
        replay = _replaying(body, receive)
        if not await _token_ok(Request(scope, replay), content_type):
            message = "het formulier is verlopen of ongeldig; laad de pagina opnieuw"
            await error_response(request, 403, message)(scope, receive, send)
            return
        await self.app(scope, _replaying(body, receive), send)


async def _read_body(request: Request, receive: Receive, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _token_ok(request: Request, content_type: str) -> bool:
    session = request.scope.get("session") or {}
    is_api = request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/")
    if is_api and not session:
        return True
    expected = session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and content_type in FORM_TYPES:
        try:
            form = await request.form()
        except HTTPException:  # a malformed body carries no valid token either
            return False
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
        await form.close()
    if not isinstance(expected, str) or not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
