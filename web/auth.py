"""Who is asking: the logged-in account from the signed session, roles, login and logout.

The session cookie holds only the account name and a CSRF token; the account is looked up
in the store on every request, so removing an account or changing its role takes effect at
once.
"""

from __future__ import annotations

import secrets

from starlette.requests import HTTPConnection

from directory.accounts import ROLES, Account, AccountStore, role_at_least

__all__ = ["ROLES", "Account", "current_user", "allows", "start_session", "end_session",
           "csrf_token"]

_UNKNOWN = object()


def current_user(request: HTTPConnection) -> Account | None:
    """The logged-in account, or None; cached in ``request.state.user``.

    Looks the account up in the store the first time (a blocking call: from async code,
    run it in the thread pool).
    """
    cached = getattr(request.state, "user", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cached if isinstance(cached, Account) else None
    user = None
    name = request.session.get("user") if "session" in request.scope else None
    if isinstance(name, str):
        accounts: AccountStore = request.app.state.accounts
        stored = accounts.get(name)
        user = stored.public() if stored is not None else None
    request.state.user = user
    return user


def allows(account: Account | None, role: str | None) -> bool:
    """Whether the account may do what needs ``role`` (None: anyone, also anonymous)."""
    if role is None:
        return True
    return account is not None and role_at_least(account.role, role)


def csrf_token(request: HTTPConnection) -> str:
    """The session's CSRF token, created when the session has none yet."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: HTTPConnection, account: Account) -> None:
    """Log in: a fresh session (new CSRF token), so nothing from before carries over."""
    request.session.clear()
    request.session["user"] = account.name
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.user = account


def end_session(request: HTTPConnection) -> None:
    """Log out: the session is emptied and its cookie removed."""
    request.session.clear()
    request.state.user = None
