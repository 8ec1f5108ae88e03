"""The wijkpagina's forms: tick the team's checklist (optimistic locking on the team's
version) and quickly add a partner, a contact person or an activity while mapping the area.

Every form posts, then redirects back to the wijk page (POST/redirect/GET); on bad input the
page is shown again with the messages next to the fields and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory.errors import Conflict, ValidationError
from directory.model import ACTIVITY, ORGANISATION, PERSON, Edge
from directory.records import clean_props
from directory.service import Directory
from web.pages.base import render, user_of
from web.pages.wijk import wijk_view

__all__ = ["routes", "QUICK_FORMS", "CONFLICT_MESSAGE"]

CONFLICT_MESSAGE = ("Iemand anders heeft dit net gewijzigd. Je vinkjes zijn niet opgeslagen; "
                    "hieronder staat de nieuwe stand. Vink opnieuw aan wat je wilde.")


@dataclass(frozen=True)
class QuickForm:
    """A quick form: the node kind, form field → property, and list fields."""

    kind: str
    fields: dict[str, str]
    lists: tuple[str, ...] = ()
    needs_partner: bool = False


QUICK_FORMS: dict[str, QuickForm] = {
    "partner": QuickForm(ORGANISATION, {
        "naam": "name", "soort": "partner_type", "adres": "address", "postcode": "postcode",
        "telefoon": "phone", "email": "email", "website": "website"}),
    "contactpersoon": QuickForm(PERSON, {
        "naam": "name", "functie": "job_title", "telefoon": "phone", "email": "email"},
        needs_partner=True),
    "activiteit": QuickForm(ACTIVITY, {
        "titel": "title", "omschrijving": "description", "leefgebied": "life_domains",
        "dagen": "schedule", "begintijd": "start_time", "eindtijd": "end_time",
        "kosten": "cost", "adres": "address", "postcode": "postcode"},
        lists=("leefgebied",), needs_partner=True),
}


def _acting(request: Request) -> Directory:
    user = user_of(request)
    return Directory(request.app.state.directory.store, actor=user.name if user else "web")


def _back(code: str, fragment: str, **query: str) -> RedirectResponse:
    params = "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    target = f"/wijk/{quote(code, safe='')}" + (f"?{params}" if params else "") + fragment
    return RedirectResponse(target, status_code=303)


async def _page_again(request: Request, directory: Directory, extra: dict[str, Any],
                      status: int) -> Response:
    view = await run_in_threadpool(wijk_view, directory, request.path_params["code"])
    return render(request, "wijk.html", view | extra, status=status)


# -- checklist ------------------------------------------------------------------------------

def tick(directory: Directory, code: str, form: FormData) -> dict[str, str]:
    """Store the ticked items on a team serving the area; errors per field, or none."""
    view = wijk_view(directory, code)
    team_id = str(form.get("team") or "")
    if team_id not in {t["id"] for t in view["team_panels"]}:
        return {"team": "kies een team dat in dit gebied werkt"}
    version = str(form.get("versie") or "")
    if not version.isdigit():
        return {"versie": "de versie van het team ontbreekt; laad de pagina opnieuw"}
    ticked = [str(v) for v in form.getlist("punt")]
    directory.update(team_id, {"checklist": ticked}, version=int(version))
    return {}


async def checklist(request: Request) -> Response:
    directory = _acting(request)
    code = request.path_params["code"]
    async with request.form(max_fields=100) as form:
        team_id = str(form.get("team") or "")
        try:
            errors = await run_in_threadpool(tick, directory, code, form)
        except Conflict:
            return await _page_again(request, directory,
                                     {"checklist_conflict": {team_id: CONFLICT_MESSAGE}}, 409)
        except ValidationError as exc:
            errors = {"punt": "; ".join(d.message for d in exc.details) or str(exc)}
    if errors:
        where = "" if "team" in errors else team_id  # no such team here: above the teams
        return await _page_again(request, directory,
                                 {"checklist_errors": {where: errors}}, 422)
    return _back(code, f"#team-{team_id}", opgeslagen=team_id)


# -- quick forms ----------------------------------------------------------------------------

def _props(spec: QuickForm, form: FormData) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for field, prop in spec.fields.items():
        if field in spec.lists:
            props[prop] = [str(v) for v in form.getlist(field)]
        else:
            props[prop] = str(form.get(field) or "")
    return props


def add_item(directory: Directory, code: str, name: str, form: FormData
             ) -> tuple[str | None, dict[str, str]]:
    """Create the node with its links (one transaction): its id, or the errors per field."""
    spec = QUICK_FORMS[name]
    view = wijk_view(directory, code)
    area_code = view["analysis"]["area"]["code"]
    props = _props(spec, form)
    errors: dict[str, str] = {}
    partner = str(form.get("organisatie") or "")
    if spec.needs_partner and partner not in {p["id"] for p in view["partner_options"]}:
        errors["organisatie"] = "kies een ketenpartner uit de lijst"
    field_of = {prop: field for field, prop in spec.fields.items()}
    try:
        clean_props(spec.kind, props)
    except ValidationError as exc:
        for d in exc.details:
            errors.setdefault(field_of.get(d.field, d.field), d.message)
    if errors:
        return None, errors
    store = directory.store
    with store.transaction(directory.actor):
        node = directory.create(spec.kind, props)
        nodes = store.get_nodes([area_code, partner] if partner else [area_code])
        nodes[node.id] = node
        wanted = {ORGANISATION: [Edge("ACTIVE_IN", node.id, area_code)],
                  PERSON: [Edge("WORKS_AT", node.id, partner)],
                  ACTIVITY: [Edge("OFFERED_BY", node.id, partner),
                             Edge("IN_AREA", node.id, area_code)]}[spec.kind]
        store.add_edges([directory.check_edge(e, nodes) for e in wanted],
                        actor=directory.actor)
    return node.id, {}


def _quick_endpoint(name: str) -> Any:
    async def endpoint(request: Request) -> Response:
        directory = _acting(request)
        code = request.path_params["code"]
        async with request.form(max_fields=50) as form:
            new_id, errors = await run_in_threadpool(add_item, directory, code, name, form)
            values = {k: (form.getlist(k) if k in QUICK_FORMS[name].lists else str(v))
                      for k, v in form.items() if k != "csrf_token"}
        if errors:
            return await _page_again(request, directory, {
                "form_errors": {name: errors}, "form_values": {name: values}}, 422)
        return _back(code, "#toegevoegd", nieuw=str(new_id))
    return endpoint


def routes() -> list[Route]:
    return [
        Route("/wijk/{code}/checklist", checklist, methods=["POST"], name="area.checklist"),
        Route("/wijk/{code}/partner", _quick_endpoint("partner"), methods=["POST"],
              name="area.partner.create"),
        Route("/wijk/{code}/contactpersoon", _quick_endpoint("contactpersoon"),
              methods=["POST"], name="area.person.create"),
        Route("/wijk/{code}/activiteit", _quick_endpoint("activiteit"), methods=["POST"],
              name="area.activity.create"),
    ]
