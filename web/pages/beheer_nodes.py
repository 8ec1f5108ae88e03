"""Beheer per kind: the list (search and paging), the create and edit forms (errors next
to their fields, optimistic locking explained) and ending a node.

Routes per kind ``/beheer/{slug}``, ``…/nieuw``, ``…/{id}``, ``…/{id}/beeindigen``, named
``beheer.{slug}.list|create|edit|end``; who may use them is in ``web.access.RULES``.
Ending follows ``web.api.ending`` (the same rules as ``DELETE`` in the API): an area is
never ended, its page explains why.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory.errors import Conflict, Detail, NotFound
from directory.listing import list_nodes
from directory.model import AREA, COLLECTIONS, KIND_LABELS, Node
from directory.service import Directory
from directory.text import fold
from web.api.ending import end_node
from web.auth import Account, allows
from web.pages.base import render, user_of
from web.pages.beheer_forms import FORMS, KindForm, display, form_values, submitted
from web.pages.beheer_links import current_links, editable, link_choices, names_of
from web.pages.beheer_save import Invalid, Saved, save_node

__all__ = ["routes", "PAGE_SIZE", "flash", "take_flash"]

PAGE_SIZE = 25
_COLLECTION = {kind: name for name, kind in COLLECTIONS.items()}


def flash(request: Request, message: str) -> None:
    request.session["melding"] = message[:300]


def take_flash(request: Request) -> str | None:
    message = request.session.pop("melding", None)
    return message if isinstance(message, str) else None


def _acting(request: Request) -> Directory:
    user = user_of(request)
    directory: Directory = request.app.state.directory
    return Directory(directory.store, actor=user.name if user else "onbekend")


def _page_number(request: Request) -> int:
    raw = request.query_params.get("pagina", "1")
    return max(1, min(int(raw), 10**6)) if raw.isdigit() else 1


def _listing(directory: Directory, form: KindForm, text: str, page: int) -> dict[str, Any]:
    collection = _COLLECTION[form.kind]
    offset = (page - 1) * PAGE_SIZE
    if not text:
        return list_nodes(directory, collection, limit=PAGE_SIZE, offset=offset)
    wanted = fold(text)
    every = list_nodes(directory, collection)["items"]
    found = [item for item in every
             if wanted in fold(f"{item['name']} {item['id']} {item.get('code') or ''}")]
    return {"items": found[offset:offset + PAGE_SIZE], "total": len(found)}


def _cells(form: KindForm, item: dict[str, Any]) -> list[str]:
    fields = {f.name: f for f in form.fields}
    cells = []
    for name, _ in form.columns:
        value = item.get("agreement_kind" if name == "kind" else name)
        if name in fields:
            cells.append(display(fields[name], "" if value is None else value))
        else:
            cells.append("" if value is None else str(value))
    return cells


def list_endpoint(form: KindForm) -> Route:
    async def endpoint(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()[:200]
        page = _page_number(request)
        found = await run_in_threadpool(_listing, request.app.state.directory, form, text, page)
        rows = [{"id": item["id"], "name": item["name"] or item["id"],
                 "cells": _cells(form, item), "updated_at": item.get("updated_at") or ""}
                for item in found["items"]]
        pages = max(1, (found["total"] + PAGE_SIZE - 1) // PAGE_SIZE)
        return render(request, "beheer_lijst.html", {
            "form": form, "rows": rows, "total": found["total"], "q": text, "page": page,
            "pages": pages, "can_write": allows(user_of(request), form.write_role),
            "melding": take_flash(request)})

    return Route(f"/beheer/{form.slug}", endpoint, name=f"beheer.{form.slug}.list")


def _node_of(directory: Directory, form: KindForm, node_id: str) -> Node:
    node = directory.store.get_node(node_id)
    if node.kind != form.kind:
        raise NotFound(f"geen {form.singular} met id '{node_id}'")
    return node


def _form_context(directory: Directory, form: KindForm, node: Node | None,
                  user: Account | None) -> dict[str, Any]:
    shown, everyone = current_links(directory, form, node.id if node else None)
    return {"links": shown, "link_names": names_of(everyone),
            "choices": link_choices(directory, form),
            "link_editable": {link.name: editable(link, form, user) for link in form.links}}


def _errors(details: list[Detail], known: set[str]) -> tuple[dict[str, str], list[str]]:
    by_field: dict[str, str] = {}
    general: list[str] = []
    for d in details:
        name = d.field
        if name in known:
            by_field[name] = f"{by_field[name]} {d.message}" if name in by_field else d.message
        else:
            general.append(str(d))
    return by_field, general


def _show_form(request: Request, form: KindForm, context: dict[str, Any],
               status: int = 200) -> Response:
    defaults: dict[str, Any] = {"errors": {}, "general": [], "conflict": None, "form": form}
    return render(request, "beheer_formulier.html", defaults | context, status=status)


def _split(form: KindForm, data: FormData) -> tuple[dict[str, Any], dict[str, Any],
                                                    dict[str, str], int | None]:
    lists = {f.name: [str(v) for v in data.getlist(f.name)] for f in form.fields
             if f.widget == "checks"}
    values, props = submitted(form, {k: v for k, v in data.items() if isinstance(v, str)},
                              lists)
    links = {link.name: str(data.get(link.name) or "") for link in form.links}
    raw_version = str(data.get("version") or "")
    return values, props, links, int(raw_version) if raw_version.isdigit() else None


def _conflict_rows(form: KindForm, theirs: dict[str, Any], mine: dict[str, Any]
                   ) -> list[dict[str, str]]:
    rows = []
    for f in form.fields:
        if display(f, theirs.get(f.name)) != display(f, mine.get(f.name)):
            rows.append({"label": f.label, "theirs": display(f, theirs.get(f.name)),
                         "mine": display(f, mine.get(f.name))})
    return rows


def _save_page(directory: Directory, form: KindForm, node_id: str | None, data: FormData,
               user: Account | None) -> tuple[dict[str, Any], int, Node | None]:
    """Save and say what to show: (context, status, saved node or None)."""
    values, props, links, version = _split(form, data)
    result = save_node(directory, form, node_id, version, props, links, user)
    if isinstance(result, Saved):
        return {}, 303, result.node
    if isinstance(result, Invalid):
        node = _node_of(directory, form, node_id) if node_id else None
        known = set(form.names) | {link.name for link in form.links}
        errors, general = _errors(result.details, known)
        context = _form_context(directory, form, node, user) | {
            "node": node, "values": values, "errors": errors, "general": general,
            "version": version}
        context["links"] = links
        return context, 422, None
    stored = result.node
    theirs = form_values(form, stored)
    context = _form_context(directory, form, stored, user)
    context["conflict"] = _conflict_rows(form, theirs, values)
    context.update(node=stored, values=values, version=stored.version, links=links)
    return context, 409, None


def create_endpoint(form: KindForm) -> Route:
    async def endpoint(request: Request) -> Response:
        directory = _acting(request)
        user = user_of(request)
        if request.method == "GET":
            context = await run_in_threadpool(_form_context, directory, form, None, user)
            return _show_form(request, form, context | {
                "node": None, "values": form_values(form, None), "version": None})
        data = await request.form()
        context, status, saved = await run_in_threadpool(_save_page, directory, form, None,
                                                         data, user)
        if saved is not None:
            flash(request, f"{form.singular.capitalize()} '{saved.name}' is toegevoegd.")
            return RedirectResponse(f"/beheer/{form.slug}/{saved.id}", status_code=303)
        return _show_form(request, form, context, status)

    return Route(f"/beheer/{form.slug}/nieuw", endpoint, methods=["GET", "POST"],
                 name=f"beheer.{form.slug}.create")


def _edit_view(directory: Directory, form: KindForm, node_id: str,
               user: Account | None) -> dict[str, Any]:
    node = _node_of(directory, form, node_id)
    return _form_context(directory, form, node, user) | {
        "node": node, "values": form_values(form, node), "version": node.version}


def edit_endpoint(form: KindForm) -> Route:
    async def endpoint(request: Request) -> Response:
        directory = _acting(request)
        user = user_of(request)
        node_id = request.path_params["id"]
        if request.method == "GET":
            context = await run_in_threadpool(_edit_view, directory, form, node_id, user)
            return _show_form(request, form, context | {"melding": take_flash(request)})
        data = await request.form()
        await run_in_threadpool(_node_of, directory, form, node_id)
        context, status, saved = await run_in_threadpool(_save_page, directory, form,
                                                         node_id, data, user)
        if saved is not None:
            flash(request, f"Wijzigingen in '{saved.name}' zijn opgeslagen.")
            return RedirectResponse(f"/beheer/{form.slug}/{saved.id}", status_code=303)
        return _show_form(request, form, context, status)

    return Route(f"/beheer/{form.slug}/{{id}}", endpoint, methods=["GET", "POST"],
                 name=f"beheer.{form.slug}.edit")


ENDING = {
    "activiteiten": "De activiteit krijgt de status 'gestopt' en verdwijnt uit de zoekresultaten.",
    "default": "Alle lopende relaties krijgen vandaag als einddatum; ze blijven zichtbaar als "
               "geschiedenis. Wie nergens aan gekoppeld is, wordt verwijderd (het logboek "
               "bewaart het).",
    "gebieden": "Een gebied wordt niet beëindigd: gebieden komen uit de CBS-gegevens. Wijzigt "
                "de indeling (een gemeentelijke herindeling, nieuwe wijken of buurten), dan "
                "publiceert het CBS nieuwe codes; lees die in met 'wijkkaart import --format "
                "cbs'. Dat meldt ook welke gemeenten zijn opgeheven. Wat aan het oude gebied "
                "gekoppeld was, blijft als geschiedenis zichtbaar.",
}
AREA_REFUSED = "Een gebied komt uit de CBS-gegevens en kan niet beëindigd worden."


def end_endpoint(form: KindForm) -> Route:
    async def endpoint(request: Request) -> Response:
        directory = _acting(request)
        node_id = request.path_params["id"]
        node = await run_in_threadpool(_node_of, directory, form, node_id)
        context: dict[str, Any] = {"form": form, "node": node, "error": None,
                                   "explain": ENDING.get(form.slug, ENDING["default"]),
                                   "can_end": form.kind != AREA}
        if request.method == "GET":
            return render(request, "beheer_beeindigen.html", context)
        if form.kind == AREA:  # as web.api.ending refuses it
            return render(request, "beheer_beeindigen.html",
                          context | {"error": AREA_REFUSED}, status=422)
        data = await request.form()
        raw = str(data.get("version") or "")
        if not raw.isdigit():
            raise HTTPException(400, "de versie ontbreekt; laad de pagina opnieuw")
        try:
            result = await run_in_threadpool(end_node, directory, node, int(raw))
        except Conflict as exc:
            fresh = await run_in_threadpool(_node_of, directory, form, node_id)
            return render(request, "beheer_beeindigen.html",
                          context | {"node": fresh, "error": str(exc)[:1].upper() +
                                     str(exc)[1:]}, status=409)
        what = "verwijderd" if result["deleted"] else (
            "gestopt" if form.slug == "activiteiten" else "beëindigd")
        flash(request, f"{KIND_LABELS[form.kind].capitalize()} '{node.name}' is {what}.")
        return RedirectResponse(f"/beheer/{form.slug}", status_code=303)

    return Route(f"/beheer/{form.slug}/{{id}}/beeindigen", endpoint, methods=["GET", "POST"],
                 name=f"beheer.{form.slug}.end")


def routes() -> list[Route]:
    found: list[Route] = []
    for form in FORMS.values():
        found += [list_endpoint(form), create_endpoint(form), edit_endpoint(form),
                  end_endpoint(form)]
    return found
