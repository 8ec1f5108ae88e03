"""The users page (beheerder): list accounts, add one (name, role, an initial password of
at least ``MIN_PASSWORD_LENGTH`` characters), change a role, remove one. Nobody removes
or demotes their own account here, so the last beheerder cannot lock everyone out."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory.accounts import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    AccountStore,
    StoredAccount,
    add_account,
    check_role,
    remove_account,
)
from directory.errors import Conflict, NotFound, ValidationError
from web.pages.base import render, user_of
from web.pages.beheer_nodes import flash, take_flash

__all__ = ["routes", "change_role"]

FIELD_NAMES = ("naam", "rol", "wachtwoord")


def change_role(accounts: AccountStore, name: str, role: str) -> None:
    """Give an account another role, keeping its password (the account protocol has no
    update, so: remove and insert again, restoring the old one if that fails)."""
    stored = accounts.get(name.strip())
    if stored is None:
        raise NotFound(f"account '{name}' bestaat niet")
    check_role(role)
    if stored.role == role:
        return
    accounts.delete(stored.name)
    try:
        accounts.insert(StoredAccount(stored.name, role, stored.password_hash,
                                      stored.created_at))
    except Exception:
        accounts.insert(stored)
        raise


def _accounts(request: Request) -> AccountStore:
    accounts: AccountStore = request.app.state.accounts
    return accounts


async def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    everyone = await run_in_threadpool(_accounts(request).all)
    defaults = {"accounts": everyone, "roles": ROLES, "errors": {}, "values": {"rol": "lezer"},
                "min_length": MIN_PASSWORD_LENGTH, "error": None,
                "melding": take_flash(request)}
    return render(request, "beheer_gebruikers.html", defaults | context, status=status)


async def users_page(request: Request) -> Response:
    if request.method == "GET":
        return await _page(request, {})
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("naam", "rol")}
    password = str(form.get("wachtwoord") or "")
    try:
        account = await run_in_threadpool(add_account, _accounts(request), values["naam"],
                                          values["rol"], password)
    except ValidationError as exc:
        errors = {d.field if d.field in FIELD_NAMES else "naam": d.message
                  for d in exc.details}
        return await _page(request, {"errors": errors, "values": values}, 422)
    except Conflict as exc:
        return await _page(request, {"errors": {"naam": str(exc)}, "values": values}, 409)
    flash(request, f"Account '{account.name}' ({account.role}) is toegevoegd.")
    return RedirectResponse("/beheer/gebruikers", status_code=303)


def _is_self(request: Request, name: str) -> bool:
    user = user_of(request)
    return user is not None and user.name.lower() == name.strip().lower()


async def role_endpoint(request: Request) -> Response:
    name = request.path_params["naam"]
    form = await request.form()
    role = str(form.get("rol") or "")
    if _is_self(request, name):
        return await _page(request, {"error": "Je kunt je eigen rol hier niet wijzigen; "
                                              "vraag een andere beheerder."}, 409)
    try:
        await run_in_threadpool(change_role, _accounts(request), name, role)
    except ValidationError as exc:
        return await _page(request, {"error": str(exc)}, 422)
    flash(request, f"'{name}' heeft nu de rol {role}.")
    return RedirectResponse("/beheer/gebruikers", status_code=303)


async def remove_endpoint(request: Request) -> Response:
    name = request.path_params["naam"]
    await request.form()
    if _is_self(request, name):
        return await _page(request, {"error": "Je kunt je eigen account niet verwijderen."},
                           409)
    await run_in_threadpool(remove_account, _accounts(request), name)
    flash(request, f"Account '{name}' is verwijderd.")
    return RedirectResponse("/beheer/gebruikers", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/beheer/gebruikers", users_page, methods=["GET", "POST"], name="beheer.users"),
        Route("/beheer/gebruikers/{naam}/rol", role_endpoint, methods=["POST"],
              name="beheer.users.role"),
        Route("/beheer/gebruikers/{naam}/verwijderen", remove_endpoint, methods=["POST"],
              name="beheer.users.remove"),
    ]
