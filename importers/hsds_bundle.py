"""HSDS JSON in any of its shapes turned into one :class:`Bundle` of nested objects.

A single service, organization or service_at_location, a paginated list (``contents``), a
plain list, ``tabular.json`` (tables keyed by CSV name) or an organization with its
``services``: each becomes a list of nested service objects plus the organizations, and every
nested object remembers where it came from (file label and item or line number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Bundle", "bundle_from_json"]

_ORG_KEYS = frozenset(("website", "legal_status", "tax_status", "tax_id", "year_incorporated",
                       "organization_identifiers", "services", "logo", "parent_organization_id"))
_TAXONOMY_KEYS = frozenset(("taxonomy_detail", "parent_id", "term_uri", "taxonomy", "code",
                            "version"))


@dataclass
class Bundle:
    """Nested HSDS objects of one file or package, with where each came from."""

    label: str
    unit: str = "onderdeel"  # what the numbers in origins count: "regel" for CSV lines
    services: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    origins: dict[int, tuple[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # kind not imported → how many

    def mark(self, obj: Any, where: tuple[str, int]) -> None:
        """Remember ``where`` for ``obj`` and every object inside it not yet placed."""
        if isinstance(obj, dict):
            self.origins.setdefault(id(obj), where)
            for value in obj.values():
                self.mark(value, where)
        elif isinstance(obj, list):
            for item in obj:
                self.mark(item, where)

    def where(self, obj: Any) -> tuple[str, int]:
        return self.origins.get(id(obj), (self.label, 1))

    def skip(self, kind: str) -> None:
        self.ignored[kind] = self.ignored.get(kind, 0) + 1


def kind_of(item: dict[str, Any]) -> str:
    """What an HSDS object is, from its keys."""
    if "status" in item or "service_at_locations" in item:
        return "service"
    if isinstance(item.get("service"), dict) or isinstance(item.get("location"), dict):
        return "service_at_location"
    if "location_type" in item:
        return "location"
    if "openapi_url" in item or "profile" in item:
        return "base"
    if _ORG_KEYS & item.keys():
        return "organization"
    if _TAXONOMY_KEYS & item.keys():
        return "taxonomy"
    return "organization" if "name" in item else "unknown"


def _add(bundle: Bundle, item: Any, number: int) -> None:
    if not isinstance(item, dict):
        raise ValueError(f"onderdeel {number} is geen JSON-object")
    where = (bundle.label, number)
    before = len(bundle.services), len(bundle.organizations)
    bundle.mark(item, where)
    kind = kind_of(item)
    if kind == "service":
        bundle.services.append(item)
    elif kind == "service_at_location":
        _add_service_at_location(bundle, item)
    elif kind == "organization":
        _add_organization(bundle, item)
    else:
        bundle.skip(kind)
    for obj in bundle.services[before[0]:] + bundle.organizations[before[1]:]:
        bundle.mark(obj, where)


def _add_service_at_location(bundle: Bundle, item: dict[str, Any]) -> None:
    service = item.get("service")
    if not isinstance(service, dict):
        bundle.skip("service_at_location")
        return
    link = {key: value for key, value in item.items() if key != "service"}
    bundle.services.append({**service, "service_at_locations": [
        *(service.get("service_at_locations") or []), link]})


def _add_organization(bundle: Bundle, item: dict[str, Any]) -> None:
    org = {key: value for key, value in item.items() if key != "services"}
    bundle.organizations.append(org)
    services = item.get("services")
    for service in services if isinstance(services, list) else []:
        if isinstance(service, dict):
            bundle.services.append(service if "organization" in service
                                   else {**service, "organization": org})


def bundle_from_json(data: Any, label: str) -> Bundle:
    """A bundle of the services and organizations in a parsed HSDS JSON document."""
    bundle = Bundle(label)
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items: list[Any] = data["contents"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        raise ValueError("geen HSDS-gegevens: verwacht een JSON-object of -lijst")
    for number, item in enumerate(items, start=1):
        _add(bundle, item, number)
    return bundle
