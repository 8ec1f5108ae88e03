"""What every API endpoint shares: who is asking, the access check, query parsing, JSON out.

Store calls are synchronous; endpoints are ``async`` and run them with :func:`run` in
Starlette's thread pool, the same way everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from directory import validation
from directory.errors import ValidationError
from directory.service import Directory
from web.access import RULES
from web.auth import Account, allows, current_user

__all__ = ["caller", "guard", "known", "base_directory", "acting_directory", "run", "Query",
           "page", "json_body", "yes_no", "DEFAULT_LIMIT", "MAX_LIMIT"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 200

P = ParamSpec("P")
T = TypeVar("T")


async def caller(request: Request) -> Account | None:
    """The logged-in account of this request, or None for an anonymous visitor."""
    return await run_in_threadpool(current_user, request)  # cached by the access layer


async def guard(request: Request, role: str | None = None) -> Account | None:
    """The caller, after checking the route's rule in ``web.access.RULES`` (and ``role``
    when an endpoint needs more for some input): 401 when not logged in, 403 when the
    role is too low. The access middleware checks the rule first; this repeats it so an
    endpoint never runs unguarded."""
    account = await caller(request)
    route = request.scope.get("route")
    name = getattr(route, "name", None)
    if name not in RULES:
        raise HTTPException(403, "voor deze route is geen toegangsregel")
    for needed in (RULES[name], role):
        if allows(account, needed):
            continue
        if account is None:
            raise HTTPException(401, "log eerst in")
        raise HTTPException(403, f"hiervoor is de rol {needed} nodig (jij bent "
                                 f"{account.role})")
    return account


def known(account: Account | None) -> Account:
    """The account of an endpoint whose rule needs a login (guard() let it through)."""
    if account is None:
        raise HTTPException(401, "log eerst in")
    return account


def base_directory(request: Request) -> Directory:
    """The app's shared directory."""
    directory: Directory = request.app.state.directory
    return directory


def acting_directory(request: Request, account: Account) -> Directory:
    """The shared store with the logged-in account as the acting user (audit log)."""
    return Directory(base_directory(request).store, actor=account.name)


async def run(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a synchronous store call in the thread pool."""
    return await run_in_threadpool(function, *args, **kwargs)


def page(items: list[Any], total: int, limit: int, offset: int) -> JSONResponse:
    """A page of a collection: ``{"items", "total", "limit", "offset"}``."""
    return JSONResponse({"items": items, "total": total, "limit": limit, "offset": offset})


class Query:
    """The query parameters of a request, checked: bad values raise a ValidationError that
    names the parameter; unknown parameters are refused."""

    def __init__(self, request: Request, allowed: Iterable[str]) -> None:
        self.params = request.query_params
        unknown = sorted(set(self.params.keys()) - set(allowed))
        if unknown:
            raise ValidationError.field(unknown[0], "onbekende parameter; bekend zijn: "
                                        + ", ".join(sorted(allowed)))

    def text(self, name: str) -> str | None:
        value = self.params.get(name)
        return value.strip() or None if value is not None else None

    def texts(self, name: str) -> list[str]:
        return [v.strip() for v in self.params.getlist(name) if v.strip()]

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self.params.get(name)
        if value is None or not value.strip():
            return default
        try:
            number = int(value)
        except ValueError:
            raise ValidationError.field(name, f"geen geheel getal: '{value}'") from None
        if not low <= number <= high:
            raise ValidationError.field(name, f"moet tussen {low} en {high} liggen")
        return number

    def number(self, name: str, default: float) -> float:
        value = self.params.get(name)
        if value is None or not value.strip():
            return default
        try:
            return float(value.replace(",", "."))
        except ValueError:
            raise ValidationError.field(name, f"geen getal: '{value}'") from None

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if value is None or value == "":
            return False
        return yes_no(value, name)

    def paging(self, default: int = DEFAULT_LIMIT, high: int = MAX_LIMIT) -> tuple[int, int]:
        """``(limit, offset)``; limit 1…high."""
        return self.integer("limit", default, 1, high), self.integer("offset", 0, 0, 10**9)


def yes_no(value: object, name: str) -> bool:
    """A yes/no value (true/false, ja/nee, 1/0) or a ValidationError naming ``name``."""
    try:
        parsed = (validation.parse_bool(value) if isinstance(value, str | bool | int)
                  else None)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError.field(name, f"ja of nee verwacht (true/false), niet '{value}'")
    return parsed


async def json_body(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; 400 otherwise."""
    raw = await request.body()
    try:
        data = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "de inhoud is geen geldige JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "de inhoud moet een JSON-object zijn")
    return data
