"""Security plumbing: response headers, the signed session cookie, login rate limiting and
size limits on request bodies and uploads.

CSRF checking lives in ``web.csrf``; who may call which route in ``web.access``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SecurityHeadersMiddleware", "SessionCookieMiddleware", "LoginLimiter",
           "SESSION_COOKIE", "SESSION_MAX_AGE", "MAX_BODY_BYTES", "MAX_UPLOAD_BYTES",
           "check_upload_size", "add_security_headers"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'self'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
SESSION_COOKIE = "wijkkaart_sessie"
SESSION_MAX_AGE = 8 * 60 * 60  # one working day
MAX_BODY_BYTES = 2 * 1024 * 1024  # forms and JSON
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # import files


def add_security_headers(headers: MutableHeaders, scope: Scope) -> None:
    """The security headers a response lacks (and HSTS over https, no-store off /static)."""
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    if scope.get("scheme") == "https":
        headers.setdefault("strict-transport-security", "max-age=31536000")
    if not headers.get("cache-control") and not scope["path"].startswith("/static/"):
        headers["cache-control"] = "no-store"


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (and HSTS over https)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message), scope)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SessionCookieMiddleware:
    """Starlette's signed cookie sessions (HttpOnly, SameSite=Lax), with the Secure flag
    whenever the request came over https."""

    def __init__(self, app: ASGIApp, secret_key: str) -> None:
        options = {"secret_key": secret_key, "session_cookie": SESSION_COOKIE,
                   "max_age": SESSION_MAX_AGE, "same_site": "lax"}
        self.plain = SessionMiddleware(app, https_only=False, **options)  # type: ignore[arg-type]
        self.secure = SessionMiddleware(app, https_only=True, **options)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self.secure if scope.get("scheme") in ("https", "wss") else self.plain
        await chosen(scope, receive, send)


@dataclass
class _Failures:
    times: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginLimiter:
    """Refuses logins for an account from one client after repeated failures.

    ``limit`` failures within ``window`` seconds lock that pair for ``lockout`` seconds;
    a success clears the count. The clock is injectable for tests.
    """

    def __init__(self, limit: int = 5, window: float = 15 * 60, lockout: float = 5 * 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.lockout, self.clock = limit, window, lockout, clock
        self._failures: dict[tuple[str, str], _Failures] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, name: str, client: str) -> int:
        """How long this pair must still wait before trying again (0: may try now)."""
        with self._lock:
            entry = self._failures.get((name.strip().lower(), client))
            remaining = (entry.locked_until - self.clock()) if entry else 0.0
        return max(0, int(remaining + 0.999))

    def failed(self, name: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > 10_000:  # forget old pairs rather than grow forever
                self._failures = {k: v for k, v in self._failures.items()
                                  if v.locked_until > now or (v.times and
                                                              v.times[-1] > now - self.window)}
            entry = self._failures.setdefault((name.strip().lower(), client), _Failures())
            entry.times = [t for t in entry.times if t > now - self.window] + [now]
            if len(entry.times) >= self.limit:
                entry.locked_until = now + self.lockout
                entry.times = []

    def succeeded(self, name: str, client: str) -> None:
        with self._lock:
            self._failures.pop((name.strip().lower(), client), None)


def check_upload_size(upload: UploadFile, limit: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse (413) an uploaded file larger than ``limit`` bytes."""
    if upload.size is not None and upload.size > limit:
        raise HTTPException(413, f"het bestand is groter dan {limit // (1024 * 1024)} MB")
