"""The official Open Referral HSDS 3.0 JSON schemas, bundled, and validation against them.

The object schemas (``service.json``, ``organization.json``, …) ship in
``importers/data/hsds_schema/`` (CC BY-SA 4.0, Open Referral); their ``$ref``s to each other
are resolved from that folder with ``referencing``, never over the network. Messages are Dutch
and name the path of the offending field (``service_at_locations[0].location.latitude``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["SchemaProblem", "KINDS", "schema_problems", "validate_hsds", "property_types",
           "dotted"]

KINDS = ("service", "organization", "location", "service_at_location", "contact", "phone",
         "schedule", "service_area", "cost_option", "language", "address", "accessibility",
         "attribute", "taxonomy_term", "taxonomy", "organization_identifier", "program",
         "funding", "required_document", "metadata", "meta_table_description")

_TYPES = {"string": "tekst", "number": "getal", "integer": "geheel getal",
          "boolean": "ja/nee", "array": "lijst", "object": "object", "null": "leeg"}


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where in the object (a path of keys and indexes) and why."""

    path: tuple[str | int, ...]
    message: str

    def __str__(self) -> str:
        where = dotted(self.path)
        return f"{where}: {self.message}" if where else self.message


def dotted(path: Sequence[str | int]) -> str:
    """``("service_at_locations", 0, "location")`` → ``service_at_locations[0].location``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _load(name: str) -> dict[str, Any]:
    text = files("importers").joinpath("data", "hsds_schema", f"{name}.json").read_text(
        encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _registry() -> Registry[Any]:
    resources = [(f"{kind}.json", Resource.from_contents(_load(kind), DRAFT202012))
                 for kind in KINDS]
    return Registry().with_resources(resources)


@cache
def _validator(kind: str) -> Draft202012Validator:
    if kind not in KINDS:
        raise KeyError(f"onbekend HSDS-objecttype '{kind}'")
    return Draft202012Validator({"$ref": f"{kind}.json"}, registry=_registry())


@cache
def property_types(kind: str) -> dict[str, str]:
    """The JSON type of each flat field of an object kind (for typing CSV cells)."""
    props: dict[str, Any] = _load(kind)["properties"]
    return {name: str(spec["type"]) for name, spec in props.items()
            if isinstance(spec.get("type"), str)}


def _dutch(error: SchemaError) -> str:
    keyword = error.validator
    value: Any = error.validator_value
    values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if keyword == "required":
        missing = [name for name in values if isinstance(error.instance, dict)
                   and name not in error.instance]
        return f"verplicht veld ontbreekt: {', '.join(missing or values)}"
    if keyword == "type":
        names = " of ".join(_TYPES.get(w, w) for w in values)
        return f"{json.dumps(error.instance, ensure_ascii=False)[:60]} is geen {names}"
    if keyword == "enum":
        return (f"'{error.instance}' is geen toegestane waarde "
                f"(kies uit: {', '.join(values)})")
    return f"voldoet niet aan het schema ({keyword}: {error.message[:80]})"


def _leaves(errors: Iterator[SchemaError]) -> Iterator[SchemaError]:
    for error in errors:
        if error.context:
            yield from _leaves(iter(error.context))
        else:
            yield error


def schema_problems(kind: str, obj: Any) -> list[SchemaProblem]:
    """Every violation of the official schema of ``kind`` by ``obj``, in path order."""
    errors = _leaves(_validator(kind).iter_errors(obj))
    problems = {SchemaProblem(tuple(e.absolute_path), _dutch(e)) for e in errors}
    return sorted(problems, key=lambda p: ([str(x) for x in p.path], p.message))


def validate_hsds(kind: str, obj: dict[str, Any]) -> list[str]:
    """Dutch messages for every way ``obj`` breaks the HSDS 3.0 schema of ``kind``; [] if valid."""
    return [str(problem) for problem in schema_problems(kind, obj)]
