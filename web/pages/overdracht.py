"""Overdracht: the coordinator's handover wizard (choose → preview → confirm) and the
handover document (HTML to print, Markdown to download). Plain forms, no JavaScript needed.

The preview carries a fingerprint of what would move; if the relations changed before the
confirmation arrives, nothing moves and the new preview is shown (optimistic locking).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory.errors import Conflict, NotFound, ValidationError
from directory.handover import handover, handover_document, handover_markdown
from directory.model import PERSON, today_iso
from directory.service import Directory
from web.pages.base import render, user_of
from web.pages.timeline import timeline

__all__ = ["routes", "team_members", "fingerprint"]

# Relation type of a moved relation → (singular, plural) in the summary.
MOVED_LABELS = {"LIAISON_FOR": ("ketenpartner (relatiebeheer)", "ketenpartners (relatiebeheer)"),
                "KNOWS": ("warm contact", "warme contacten"),
                "CONTACT": ("activiteit als contactpersoon", "activiteiten als contactpersoon")}
FIELD_OF = {"from": "van", "to": "naar"}
CONFLICT_MESSAGE = ("Iemand anders heeft dit net gewijzigd: de relaties van {name} zijn "
                    "veranderd sinds de voorvertoning. Er is niets overgedragen; bekijk de "
                    "nieuwe voorvertoning en bevestig opnieuw.")


def team_members(directory: Directory) -> list[dict[str, Any]]:
    """Everyone who is or was a team member: id, name, team names, whether active now."""
    store = directory.store
    edges = store.edges(types=["MEMBER_OF"])
    nodes = store.get_nodes({e.src for e in edges} | {e.dst for e in edges})
    members: dict[str, dict[str, Any]] = {}
    for e in sorted(edges, key=lambda e: (not e.current, e.since or "")):
        person, team = nodes.get(e.src), nodes.get(e.dst)
        if person is None or team is None or person.kind != PERSON:
            continue
        entry = members.setdefault(person.id, {"id": person.id, "name": person.name,
                                               "teams": [], "active": False})
        # current teams, else the teams they left
        if (e.current or not entry["active"]) and team.name not in entry["teams"]:
            entry["teams"].append(team.name)
        entry["active"] = entry["active"] or e.current
    return sorted(members.values(), key=lambda m: (m["name"].lower(), m["id"]))


def fingerprint(plan: dict[str, Any]) -> str:
    """A short digest of what a handover would move (compared at confirmation)."""
    moved = sorted(f"{m['type']}:{m['other']['id']}:{m['already_held']}" for m in plan["moved"])
    text = "|".join([plan["from"]["id"], plan["to"]["id"], *moved])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def summary(plan: dict[str, Any]) -> list[str]:
    """'3 ketenpartners (relatiebeheer)', … in a fixed order."""
    counts = Counter(m["type"] for m in plan["moved"])
    return [f"{counts[t]} {one if counts[t] == 1 else many}"
            for t, (one, many) in MOVED_LABELS.items() if counts[t]]


def _choice(form: Any, members: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """The chosen ids and the errors per field ('van', 'naar')."""
    known = {m["id"]: m for m in members}
    chosen = {name: str(form.get(name) or "").strip() for name in ("van", "naar")}
    errors = {}
    for name, what in (("van", "het vertrekkende teamlid"), ("naar", "de collega")):
        if not chosen[name]:
            errors[name] = f"kies {what}"
        elif chosen[name] not in known:
            errors[name] = "kies een teamlid uit de lijst"
    if not errors and not known[chosen["naar"]]["active"]:
        errors["naar"] = "de collega moet nu in een team zitten"
    if not errors and chosen["van"] == chosen["naar"]:
        errors["naar"] = "de collega moet iemand anders zijn dan wie vertrekt"
    return chosen, errors


def plan_view(directory: Directory, form: Any) -> dict[str, Any]:
    """Step 1 (no choice yet, or errors) or step 2 (the dry run) for the chosen pair."""
    members = team_members(directory)
    context: dict[str, Any] = {"members": members, "chosen": {}, "errors": {}, "plan": None,
                               "moved_labels": MOVED_LABELS}
    if not form.get("van") and not form.get("naar"):
        return context
    chosen, errors = _choice(form, members)
    context.update(chosen=chosen, errors=errors)
    if errors:
        return context
    try:
        plan = handover(directory, chosen["van"], chosen["naar"], dry_run=True)
    except ValidationError as exc:
        context["errors"] = {FIELD_OF.get(d.field, "naar"): d.message for d in exc.details}
        return context
    context.update(plan=plan, summary=summary(plan), fingerprint=fingerprint(plan))
    return context


def confirm(directory: Directory, form: FormData) -> dict[str, Any]:
    """Step 3: move, unless the choice is wrong (errors) or the plan changed (conflict)."""
    context = plan_view(directory, form)
    plan = context["plan"]
    if plan is None:
        return context
    if str(form.get("voorvertoning") or "") != context["fingerprint"]:
        context["conflict"] = CONFLICT_MESSAGE.format(name=plan["from"]["name"])
        return context
    try:
        context["done"] = handover(directory, plan["from"]["id"], plan["to"]["id"])
    except Conflict:
        fresh = plan_view(directory, form)
        fresh["conflict"] = CONFLICT_MESSAGE.format(name=plan["from"]["name"])
        return fresh
    return context


def document_view(directory: Directory, person_id: str, from_id: str | None) -> dict[str, Any]:
    """The handover document of a person, and what they took over today from ``from_id``."""
    document = handover_document(directory, person_id)
    taken: list[dict[str, Any]] = []
    source = None
    if from_id:
        try:
            source = directory.resolve(from_id, PERSON)
        except NotFound:
            source = None
    if source is not None:
        today = today_iso()
        taken = [e for e in timeline(directory, source.id)
                 if e["until"] == today and e["type"] in MOVED_LABELS
                 and any(h["id"] == document["person"]["id"] for h in e["handed_to"])]
    return {"document": document, "source": source.ref() if source else None, "taken": taken}


def document_markdown(view: dict[str, Any]) -> str:
    """The document as Markdown, with what was taken over today at the end."""
    text = handover_markdown(view["document"])
    if view["source"] is None:
        return text
    lines = [f"## Vandaag overgenomen van {view['source']['name']}", ""]
    lines += [f"- {e['label']} {e['other']['name']} [{e['other']['id']}] (sinds {e['since']})"
              for e in view["taken"]] or ["_Geen._"]
    return text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


async def wizard(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    context = await run_in_threadpool(plan_view, directory, request.query_params)
    return render(request, "overdracht.html", context, status=422 if context["errors"] else 200)


async def confirm_page(request: Request) -> Response:
    user = user_of(request)
    directory = Directory(request.app.state.directory.store,
                          actor=user.name if user else "web")
    async with request.form(max_fields=10) as form:
        context = await run_in_threadpool(confirm, directory, form)
    if "done" in context:
        done = context["done"]
        query = urlencode({"persoon": done["to"]["id"], "van": done["from"]["id"]})
        return RedirectResponse(f"/overdracht/document?{query}", status_code=303)
    status = 409 if context.get("conflict") else 422
    return render(request, "overdracht.html", context, status=status)


async def document_page(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    person = request.query_params.get("persoon", "").strip()
    if not person:
        raise ValidationError.field("persoon", "kies de persoon van het overdrachtsdocument")
    view = await run_in_threadpool(document_view, directory, person,
                                   request.query_params.get("van"))
    if request.query_params.get("formaat") == "markdown":
        safe_id = re.sub(r"[^A-Za-z0-9_-]", "", view["document"]["person"]["id"])
        name = f"overdracht-{safe_id}-{view['document']['date']}.md"
        return Response(document_markdown(view), media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    query = urlencode({k: v for k, v in request.query_params.items() if k != "formaat"})
    return render(request, "overdracht_document.html",
                  view | {"markdown_href": f"/overdracht/document?{query}&formaat=markdown"})


def routes() -> list[Route]:
    return [
        Route("/overdracht", wizard, name="handover"),
        Route("/overdracht/bevestigen", confirm_page, methods=["POST"], name="handover.confirm"),
        Route("/overdracht/document", document_page, name="handover.document"),
    ]
