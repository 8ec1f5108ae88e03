"""HSDS taxonomy terms → life domains / target groups, and service areas → CBS areas.

Taxonomy terms are mapped in this order (see ``importers/data/README.md``):

1. Wijkkaart's own taxonomies, which the HSDS export writes: ``wijkkaart-leefgebied`` and
   ``wijkkaart-doelgroep``, whose term ``code`` is the vocabulary key (``wonen``, ``ouderen``);
2. the mapping table ``importers/data/hsds_taxonomy.csv`` (columns ``taxonomy``, ``term``,
   ``life_domain``, ``target_group``), matched on the term's code or name, case and accents
   ignored (``taxonomy`` says where a row comes from; ``*`` is any taxonomy);
3. the vocabularies' own labels and synonyms (Dutch and English) on the term's name.

A term none of these knows is returned as unmapped, for the reader to report.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib.resources import files
from typing import Any

from directory import areas
from directory.text import fold
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS

__all__ = ["LIFE_DOMAIN_TAXONOMY", "TARGET_GROUP_TAXONOMY", "map_term", "area_ref"]

LIFE_DOMAIN_TAXONOMY = "wijkkaart-leefgebied"
TARGET_GROUP_TAXONOMY = "wijkkaart-doelgroep"
_CBS_CODE = re.compile(r"\b(GM\d{4}|WK\d{6}|BU\d{8})\b", re.IGNORECASE)


@cache
def _table() -> dict[str, tuple[str, str]]:
    text = files("importers").joinpath("data", "hsds_taxonomy.csv").read_text(encoding="utf-8")
    return {fold(row["term"]).strip(): (row["life_domain"] or "", row["target_group"] or "")
            for row in csv.DictReader(io.StringIO(text))}


def _taxonomy_name(term: dict[str, Any]) -> str:
    detail = term.get("taxonomy_detail")
    name = term.get("taxonomy") or (detail.get("name") if isinstance(detail, dict) else "")
    return str(name or "")


def map_term(term: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """(life domain keys, target group keys) a taxonomy term stands for; None if unknown."""
    code, name = str(term.get("code") or ""), str(term.get("name") or "")
    taxonomy = _taxonomy_name(term)
    if taxonomy in (LIFE_DOMAIN_TAXONOMY, TARGET_GROUP_TAXONOMY):
        vocabulary = LIFE_DOMAINS if taxonomy == LIFE_DOMAIN_TAXONOMY else TARGET_GROUPS
        key = vocabulary.match(code) or vocabulary.match(name)
        if key is None:
            return None
        return ([key], []) if vocabulary is LIFE_DOMAINS else ([], [key])
    for text in (code, name):
        found = _table().get(fold(text).strip()) if text else None
        if found is not None:
            return [found[0]] if found[0] else [], [found[1]] if found[1] else []
    domain, group = LIFE_DOMAINS.match(name), TARGET_GROUPS.match(name)
    if domain or group:
        return [domain] if domain else [], [group] if group else []
    return None


@cache
def _area_names() -> dict[str, list[tuple[str, str]]]:
    names: dict[str, list[tuple[str, str]]] = {}
    for record in areas.national_areas():
        names.setdefault(fold(record.name), []).append((record.level, record.code))
    return names


def area_ref(service_area: dict[str, Any]) -> str | None:
    """The CBS code a service area names (a code in it, or a gemeente or unique wijk name)."""
    texts = [str(service_area.get(key) or "") for key in ("name", "description", "uri")]
    for text in texts:
        match = _CBS_CODE.search(text)
        if match:
            return match.group(1).upper()
    found = _area_names().get(fold(texts[0]).strip(), [])
    gemeenten = [code for level, code in found if level == "gemeente"]
    if len(gemeenten) == 1:
        return gemeenten[0]
    return found[0][1] if len(found) == 1 else None
