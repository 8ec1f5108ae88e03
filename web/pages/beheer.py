"""Beheer (administration): the overview page and the routes of every Beheer module —
per kind (``beheer_nodes``), import, export, audit log and users."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from web.auth import allows
from web.pages.base import render, user_of
from web.pages.beheer_forms import FORMS

__all__ = ["routes"]


async def overview(request: Request) -> Response:
    user = user_of(request)
    kinds = [{"form": form, "can_write": allows(user, form.write_role)}
             for form in FORMS.values()]
    return render(request, "beheer.html", {
        "kinds": kinds,
        "can": {role: allows(user, role) for role in ("redacteur", "coordinator", "beheerder")}})


def routes() -> list[BaseRoute]:
    from web.pages import beheer_audit, beheer_export, beheer_import, beheer_nodes, beheer_users

    return [Route("/beheer", overview, name="beheer"), *beheer_import.routes(),
            *beheer_export.routes(), *beheer_audit.routes(), *beheer_users.routes(),
            *beheer_nodes.routes()]
