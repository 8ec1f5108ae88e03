"""The app factory: pages, the JSON API, static files, error handling and the security
middleware, around one shared ``Directory``.

Endpoints are ``async``; every store call runs in the thread pool
(``run_in_threadpool``), since the stores are synchronous and thread-safe.
"""

from __future__ import annotations

import secrets

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from directory.accounts import accounts_of
from directory.service import Directory
from web.access import AccessMiddleware
from web.csrf import CsrfMiddleware
from web.errors import exception_handlers
from web.pages import page_routes
from web.pages.base import STATIC_DIR, make_templates
from web.security import LoginLimiter, SecurityHeadersMiddleware, SessionCookieMiddleware

__all__ = ["create_app"]


def _routes() -> list[BaseRoute]:
    from web.api import api_routes

    return [
        *page_routes(),
        Mount("/api", routes=api_routes()),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def create_app(directory: Directory, *, secret_key: str | None = None) -> Starlette:
    """The web app on ``directory``; without ``secret_key`` sessions last one process."""
    routes = _routes()
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(SessionCookieMiddleware, secret_key=secret_key or secrets.token_hex(32)),
            Middleware(CsrfMiddleware),
            Middleware(AccessMiddleware, routes=routes),
        ],
        exception_handlers=exception_handlers(),
    )
    app.state.directory = directory
    app.state.accounts = accounts_of(directory.store)
    app.state.templates = make_templates()
    app.state.login_limiter = LoginLimiter()
    return app
