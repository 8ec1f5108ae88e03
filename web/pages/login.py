"""Logging in and out: the login form, rate limited per account and client."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory.accounts import AccountStore, verify_login
from web.auth import end_session, start_session
from web.pages.base import render
from web.security import LoginLimiter

__all__ = ["routes"]


def safe_next(target: str | None) -> str:
    """A local path to go to after logging in; anything else becomes the home page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


async def login(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "inloggen.html",
                      {"next": safe_next(request.query_params.get("volgende")), "name": "",
                       "error": None})
    form = await request.form()
    name = str(form.get("naam") or "").strip()
    password = str(form.get("wachtwoord") or "")
    target = safe_next(str(form.get("volgende") or ""))
    limiter: LoginLimiter = request.app.state.login_limiter
    client = _client(request)
    context = {"next": target, "name": name}
    wait = limiter.wait_seconds(name, client)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        message = (f"Te veel mislukte pogingen. Probeer het over {minutes} "
                   f"minu{'ut' if minutes == 1 else 'ten'} opnieuw.")
        response = render(request, "inloggen.html", context | {"error": message}, status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    accounts: AccountStore = request.app.state.accounts
    account = await run_in_threadpool(verify_login, accounts, name, password)
    if account is None:
        limiter.failed(name, client)
        return render(request, "inloggen.html",
                      context | {"error": "Naam of wachtwoord klopt niet."}, status=401)
    limiter.succeeded(name, client)
    start_session(request, account)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    end_session(request)
    return RedirectResponse("/", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/inloggen", login, methods=["GET", "POST"], name="login"),
        Route("/uitloggen", logout, methods=["POST"], name="logout"),
    ]
