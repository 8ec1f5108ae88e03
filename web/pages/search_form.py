"""The search form: query parameters in, a ``SearchQuery`` out, and back to links (paging).

Parameter names are Dutch, as users see them in the address bar: ``q``, ``gebied``,
``postcode``, ``km``, ``leefgebied``, ``dag``, ``doelgroep`` (repeatable), ``gratis``,
``zonder_verwijzing`` and ``pagina``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from directory.errors import ValidationError
from directory.search import SearchQuery

__all__ = ["SearchForm", "PAGE_SIZE", "FIELD_OF"]

PAGE_SIZE = 20
MAX_TEXT = 200
# SearchQuery's field names in its validation errors → the form field they belong to.
FIELD_OF = {"near": "postcode", "km": "km", "day": "dag", "domain": "leefgebied",
            "target": "doelgroep", "area": "gebied", "gebied": "gebied"}


def _flag(params: QueryParams, name: str) -> bool:
    return params.get(name, "") not in ("", "0", "nee")


@dataclass
class SearchForm:
    """What the worker filled in, as text, so the form shows it again unchanged."""

    text: str = ""
    area: str = ""
    postcode: str = ""
    km: str = "5"
    domains: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    free: bool = False
    no_referral: bool = False
    page: int = 1

    @classmethod
    def from_params(cls, params: QueryParams) -> SearchForm:
        page = params.get("pagina", "1")
        return cls(
            text=params.get("q", "")[:MAX_TEXT], area=params.get("gebied", "").strip(),
            postcode=params.get("postcode", "").strip(), km=params.get("km", "5").strip() or "5",
            domains=params.getlist("leefgebied"), days=params.getlist("dag"),
            targets=params.getlist("doelgroep"), free=_flag(params, "gratis"),
            no_referral=_flag(params, "zonder_verwijzing"),
            page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1)

    def query(self) -> SearchQuery:
        """The core's query for this form's page; ValidationError for a bad distance."""
        try:
            km = float(self.km.replace(",", "."))
        except ValueError as exc:
            raise ValidationError.field("km", "vul een afstand in kilometers in") from exc
        return SearchQuery(
            text=self.text, area=self.area or None, domains=self.domains, days=self.days,
            free=self.free, no_referral=self.no_referral, targets=self.targets,
            near=self.postcode or None, km=km, limit=PAGE_SIZE,
            offset=(self.page - 1) * PAGE_SIZE)

    def params(self) -> list[tuple[str, str]]:
        """The form as query parameters (empty ones left out), without the page."""
        pairs = [("q", self.text), ("gebied", self.area), ("postcode", self.postcode)]
        pairs = [(k, v) for k, v in pairs if v]
        if self.postcode:
            pairs.append(("km", self.km))
        pairs += [("leefgebied", v) for v in self.domains]
        pairs += [("dag", v) for v in self.days]
        pairs += [("doelgroep", v) for v in self.targets]
        pairs += [(k, "1") for k, on in (("gratis", self.free),
                                         ("zonder_verwijzing", self.no_referral)) if on]
        return pairs

    def page_url(self, page: int) -> str:
        return "/zoeken?" + urlencode(self.params() + [("pagina", str(page))])
