"""The HSDS tabular form (CSV datapackage or ``tabular.json``) joined into nested objects.

Rows arrive as ``{table file name: [(line, {column: text})]}``. Cells are typed with the
official schema of their table (numbers become numbers; a cell that is not a number stays
text, so schema validation reports it), then joined on their ids into the same nested
service and organization objects the JSON form has. Every object keeps its file and line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from importers.hsds_bundle import Bundle
from importers.hsds_schema import property_types

__all__ = ["TABLES", "Rows", "bundle_from_tables", "typed_row"]

Rows = Mapping[str, list[tuple[int, dict[str, Any]]]]

# CSV file → HSDS object kind (the resources of the official datapackage.json)
TABLES = {
    "organizations.csv": "organization", "services.csv": "service",
    "locations.csv": "location", "service_at_location.csv": "service_at_location",
    "addresses.csv": "address", "phones.csv": "phone", "contacts.csv": "contact",
    "schedules.csv": "schedule", "service_areas.csv": "service_area",
    "cost_options.csv": "cost_option", "languages.csv": "language",
    "accessibility.csv": "accessibility", "attributes.csv": "attribute",
    "taxonomy_terms.csv": "taxonomy_term", "taxonomies.csv": "taxonomy",
    "organization_identifiers.csv": "organization_identifier", "programs.csv": "program",
    "funding.csv": "funding", "required_documents.csv": "required_document",
    "metadata.csv": "metadata", "meta_table_descriptions.csv": "meta_table_description",
}
_USED = ("organizations.csv", "services.csv", "locations.csv", "service_at_location.csv",
         "addresses.csv", "phones.csv", "contacts.csv", "schedules.csv", "service_areas.csv",
         "cost_options.csv", "languages.csv", "accessibility.csv", "attributes.csv",
         "taxonomy_terms.csv", "organization_identifiers.csv", "taxonomies.csv")


def _typed(value: Any, wanted: str) -> Any:
    if wanted == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # tabular.json writes some text cells as numbers
    if not isinstance(value, str) or wanted not in ("number", "integer", "boolean"):
        return value
    text = value.strip()
    if wanted == "boolean":
        return {"true": True, "false": False}.get(text.lower(), value)
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text) if wanted == "number" else value
    except ValueError:
        return value


def typed_row(kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with empty cells left out and cells typed as the schema of ``kind`` says."""
    types = property_types(kind)
    return {key: _typed(value, types.get(key, "string")) for key, value in row.items()
            if key and value not in (None, "")}


class _Joiner:
    """Indexes the typed rows of each table and nests them into services."""

    def __init__(self, rows: Rows, bundle: Bundle, prefix: str) -> None:
        self.bundle = bundle
        self.tables: dict[str, list[dict[str, Any]]] = {}
        for table, kind in TABLES.items():
            typed = []
            for line, row in rows.get(table, []):
                obj = typed_row(kind, row)
                bundle.origins[id(obj)] = (prefix + table, line)
                typed.append(obj)
            self.tables[table] = typed

    def by(self, table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for obj in self.tables[table]:
            if obj.get(key) is not None:
                index[str(obj[key])].append(obj)
        return index

    def one(self, table: str) -> dict[str, dict[str, Any]]:
        return {str(obj["id"]): obj for obj in self.tables[table] if "id" in obj}


def _nest_contacts(j: _Joiner) -> None:
    phones_of = j.by("phones.csv", "contact_id")
    for contact in j.tables["contacts.csv"]:
        contact["phones"] = phones_of.get(str(contact.get("id")), [])


def _nest_locations(j: _Joiner) -> dict[str, dict[str, Any]]:
    addresses, access = j.by("addresses.csv", "location_id"), j.by("accessibility.csv",
                                                                   "location_id")
    locations = j.one("locations.csv")
    for key, location in locations.items():
        location["addresses"] = addresses.get(key, [])
        location["accessibility"] = access.get(key, [])
    return locations


def _nest_attributes(j: _Joiner) -> dict[str, list[dict[str, Any]]]:
    terms, taxonomies = j.one("taxonomy_terms.csv"), j.one("taxonomies.csv")
    for term in terms.values():
        detail = taxonomies.get(str(term.get("taxonomy_id")))
        if detail is not None:
            term["taxonomy_detail"] = detail
    for attribute in j.tables["attributes.csv"]:
        linked = terms.get(str(attribute.get("taxonomy_term_id")))
        if linked is not None:
            attribute["taxonomy_term"] = linked
    return j.by("attributes.csv", "link_id")


def _nest_organizations(j: _Joiner, attributes: dict[str, list[dict[str, Any]]]) -> None:
    phones = j.by("phones.csv", "organization_id")
    contacts, idents = j.by("contacts.csv", "organization_id"), j.by(
        "organization_identifiers.csv", "organization_id")
    locations = j.by("locations.csv", "organization_id")
    for org in j.tables["organizations.csv"]:
        key = str(org.get("id"))
        org["phones"] = [p for p in phones.get(key, []) if "contact_id" not in p
                         and "service_id" not in p]
        org["contacts"] = [c for c in contacts.get(key, []) if "service_id" not in c]
        org["organization_identifiers"] = idents.get(key, [])
        org["locations"] = list(locations.get(key, []))
        org["attributes"] = attributes.get(key, [])


def _nest_services(j: _Joiner, locations: dict[str, dict[str, Any]],
                   attributes: dict[str, list[dict[str, Any]]]) -> None:
    children = {name: j.by(table, "service_id") for name, table in (
        ("schedules", "schedules.csv"), ("service_areas", "service_areas.csv"),
        ("cost_options", "cost_options.csv"), ("languages", "languages.csv"),
        ("contacts", "contacts.csv"), ("phones", "phones.csv"))}
    links = j.by("service_at_location.csv", "service_id")
    sal_contacts = j.by("contacts.csv", "service_at_location_id")
    sal_schedules = j.by("schedules.csv", "service_at_location_id")
    organizations = j.one("organizations.csv")
    for service in j.tables["services.csv"]:
        key = str(service.get("id"))
        for name, index in children.items():
            service[name] = [c for c in index.get(key, [])
                             if name != "phones" or "contact_id" not in c]
        service["attributes"] = attributes.get(key, [])
        service["service_at_locations"] = []
        for link in links.get(key, []):
            location = locations.get(str(link.get("location_id")))
            if location is None:
                j.bundle.notes.append(_missing(j.bundle, link, "location_id", "locations.csv"))
                continue
            sal_id = str(link.get("id"))
            link.update(location=location, contacts=[c for c in sal_contacts.get(sal_id, [])
                                                     if "service_id" not in c],
                        schedules=[s for s in sal_schedules.get(sal_id, [])
                                   if "service_id" not in s])
            service["service_at_locations"].append(link)
        org = organizations.get(str(service.get("organization_id")))
        if org is not None:
            service["organization"] = org
        elif "organization_id" in service:
            j.bundle.notes.append(_missing(j.bundle, service, "organization_id",
                                           "organizations.csv"))


def _missing(bundle: Bundle, obj: dict[str, Any], column: str, table: str) -> str:
    where, line = bundle.where(obj)
    return (f"{where} regel {line}: {column} '{obj.get(column)}' staat niet in {table}; "
            "die koppeling is overgeslagen")


def bundle_from_tables(rows: Rows, label: str, *, csv_lines: bool = True) -> Bundle:
    """A bundle of nested services and organizations from the rows of HSDS tables; with
    ``csv_lines`` the numbers are CSV lines, else item numbers in ``label`` (tabular.json)."""
    bundle = Bundle(label, unit="regel" if csv_lines else "onderdeel")
    joiner = _Joiner(rows, bundle, "" if csv_lines else f"{label} ")
    _nest_contacts(joiner)
    locations = _nest_locations(joiner)
    attributes = _nest_attributes(joiner)
    _nest_organizations(joiner, attributes)
    _nest_services(joiner, locations, attributes)
    bundle.services = joiner.tables["services.csv"]
    bundle.organizations = joiner.tables["organizations.csv"]
    for table in sorted(set(rows) - set(_USED)):
        if rows[table]:
            bundle.ignored[table] = len(rows[table])
    return bundle
