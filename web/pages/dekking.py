"""Dekking: the coordinator's page with the coverage matrix of a gemeente or wijk (or of the
areas a team serves) and the risk list, paged; it links to the network picture.

Coverage is worked out for one chosen area at a time (``directory.coverage.coverage``), so
the page stays usable at national scale: without a choice it only shows the chooser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.analysis import ancestors
from directory.coverage import coverage
from directory.errors import NotFound
from directory.model import AREA, TEAM, Node
from directory.service import Directory
from directory.vocabularies import LIFE_DOMAINS, PARTNER_TYPES
from web.pages.base import render
from web.pages.search import cached_area_options

__all__ = ["routes", "CoverageForm", "coverage_view", "cell_class", "RISK_KINDS", "PAGE_SIZE"]

PAGE_SIZE = 50
RISK_KINDS = {
    "geen_relatiebeheerder": "geen relatiebeheerder",
    "een_relatiebeheerder": "hangt aan één persoon",
    "vertrekrisico": "vertrekrisico",
    "afspraak_evalueren": "afspraak evalueren",
}
# count → the cell class; the legend lists the same bands
BANDS = (("dekking-0", "geen", 0), ("dekking-1", "1", 1), ("dekking-2", "2 tot 4", 2),
         ("dekking-3", "5 of meer", 5))


@dataclass(frozen=True)
class CoverageForm:
    """The page's query: area (code or name), team (id), risk kind, page number."""

    area: str = ""
    team: str = ""
    kind: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CoverageForm:
        page = query.get("pagina", "1")
        kind = query.get("soort", "")
        return cls(area=query.get("gebied", "").strip()[:100],
                   team=query.get("team", "").strip()[:100],
                   kind=kind if kind in RISK_KINDS else "",
                   page=max(int(page), 1) if page.isdigit() else 1)

    def query(self, **changes: Any) -> str:
        """The query string of this form with some fields changed (empty ones left out)."""
        values = {"gebied": self.area, "team": self.team, "soort": self.kind,
                  "pagina": self.page if self.page > 1 else "", **changes}
        return urlencode({k: v for k, v in values.items() if v})


def cell_class(count: int) -> str:
    """The CSS class of a matrix cell (the number is always shown too)."""
    return next(name for name, _, least in reversed(BANDS) if count >= least)


def coverage_view(directory: Directory, form: CoverageForm) -> dict[str, Any]:
    """Everything the page shows for the form: the chooser, and with an area or team the
    matrix and one page of risks."""
    teams = sorted(directory.store.find_nodes(TEAM), key=lambda n: n.name.lower())
    view: dict[str, Any] = {"form": form, "teams": teams, "errors": {}, "chosen": False,
                            "bands": BANDS, "risk_kinds": RISK_KINDS}
    if not form.area and not form.team:
        return view
    area, team, errors = _resolve(directory, form)
    if errors:
        view["errors"] = errors
        return view
    found, title = _coverage(directory, area, team)
    view.update(chosen=True, title=title, **_matrix(found["areas"]),
                **_risk_page(found["risks"], form))
    return view


def _resolve(directory: Directory, form: CoverageForm
             ) -> tuple[Node | None, Node | None, dict[str, str]]:
    """The chosen area and team, or a Dutch message per field that names no such thing."""
    found: dict[str, Node | None] = {"gebied": None, "team": None}
    errors: dict[str, str] = {}
    for field, ref, kind, what in (("gebied", form.area, AREA, "gebied"),
                                   ("team", form.team, TEAM, "team")):
        if not ref:
            continue
        try:
            found[field] = directory.resolve(ref, kind)
        except NotFound:
            errors[field] = f"geen {what} gevonden met code, id of naam '{ref}'"
    return found["gebied"], found["team"], errors


def _coverage(directory: Directory, area: Node | None, team: Node | None
              ) -> tuple[dict[str, Any], str]:
    """Coverage of the area, or of the gemeenten a team serves narrowed to its areas."""
    if team is None:
        assert area is not None
        return coverage(directory, area.id), area.name
    served = sorted(e.dst for e in directory.current(team.id, ["SERVES"]))
    if area is not None:
        starts, title = [area.id], f"{area.name} · {team.name}"
    else:
        starts, title = sorted({directory.gemeente_of(c) for c in served}), team.name
    areas: dict[str, dict[str, Any]] = {}
    risks: dict[str, dict[str, Any]] = {}
    for code in starts:
        found = coverage(directory, code)
        areas.update((row["code"], row) for row in found["areas"])
        risks.update((repr(sorted(r.items())), r) for r in found["risks"])
    within = _served_rows(directory, served, areas)
    members = {e.src for e in directory.current(team.id, ["MEMBER_OF"], direction="in")}
    return ({"areas": [areas[c] for c in sorted(within)],
             "risks": [r for r in risks.values() if _concerns(r, members)]}, title)


def _served_rows(directory: Directory, served: Sequence[str],
                 rows: Mapping[str, Any]) -> set[str]:
    """The matrix rows that lie in (or are) an area the team serves."""
    closure: set[str] = set()
    for code in served:
        closure |= directory.area_closure(code)[1]
    return {code for code in rows
            if code in closure or ancestors(directory, code) & set(served)}


def _concerns(risk: Mapping[str, Any], members: set[str]) -> bool:
    """A risk about one person is the team's only when that person is its member."""
    person = risk.get("person")
    return not isinstance(person, dict) or person.get("id") in members


def _matrix(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Rows with their cells (count, class) per leefgebied and per partner type shown."""
    present = {t for row in rows for t, n in row["partners_by_type"].items() if n}
    types = [t.key for t in PARTNER_TYPES if t.key in present]
    types += sorted(present - set(types))
    domains = [t.key for t in LIFE_DOMAINS]
    table = [{"code": row["code"], "name": row["name"], "population": row.get("population"),
              "domains": [_cell(row["activities_by_domain"].get(k, 0)) for k in domains],
              "types": [_cell(row["partners_by_type"].get(k, 0)) for k in types]}
             for row in rows]
    missing = [t.key for t in PARTNER_TYPES if t.key not in present]
    return {"rows": table, "domains": domains, "types": types, "missing_types": missing}


def _cell(count: int) -> dict[str, Any]:
    return {"count": count, "class": cell_class(count)}


def _risk_page(risks: Sequence[dict[str, Any]], form: CoverageForm) -> dict[str, Any]:
    counts = Counter(r["kind"] for r in risks)
    chosen = [r for r in risks if not form.kind or r["kind"] == form.kind]
    pages = max((len(chosen) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(form.page, pages)
    start = (page - 1) * PAGE_SIZE
    return {"risks": chosen[start:start + PAGE_SIZE], "risk_total": len(chosen),
            "risk_counts": {k: counts.get(k, 0) for k in RISK_KINDS}, "page": page,
            "pages": pages, "first": start + 1, "last": min(start + PAGE_SIZE, len(chosen))}


async def dekking(request: Request) -> Response:
    directory: Directory = request.app.state.directory
    form = CoverageForm.from_query(request.query_params)
    view = await run_in_threadpool(coverage_view, directory, form)
    options = await cached_area_options(request)
    view["areas"] = options
    return render(request, "dekking.html", view)


def routes() -> list[Route]:
    return [Route("/dekking", dekking, name="coverage")]
