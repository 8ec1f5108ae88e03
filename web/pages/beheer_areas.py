"""The rules of the area form in Beheer, on top of ``clean_props``: a new area's CBS code
must be free (it becomes the node id) and not a retired gemeente's; the name is required;
the year is a year; and the parent is the one the code implies (a wijk ``WK0268xx`` lies in
``GM0268``, a buurt ``BU0268xxyy`` in ``WK0268xx``, a gemeente in nothing). An empty parent
field is filled in from the code."""

from __future__ import annotations

import re
from typing import Any

from directory import areas
from directory.errors import Conflict, Detail, NotFound
from directory.model import AREA, Node
from directory.service import Directory
from directory.validation import area_level, normalise_area_code, parent_code
from web.pages.beheer_forms import AREA_FORM, WITHIN_LINK
from web.pages.beheer_links import current_links

__all__ = ["check_area"]

PARENT = WITHIN_LINK.name
FIRST_YEAR, LAST_YEAR = 1900, 2100


def check_area(directory: Directory, node: Node | None, props: dict[str, Any],
               links: dict[str, str]) -> list[Detail]:
    """What is wrong with an area's form (``node`` None: a new one). Fills ``links`` in
    place with the parent the code implies when that field is empty, so the form shows it.
    A code ``clean_props`` refuses is left to it."""
    details: list[Detail] = []
    code = node.id if node is not None else _code(props.get("code"))
    if node is None and code is not None:
        details += _new_code(directory, code)
    if not props.get("name"):
        details.append(Detail("name", "is verplicht"))
    details += _year(props.get("year"))
    if code is not None:
        details += _parent(directory, code, node, links)
    return details


def _code(raw: Any) -> str | None:
    try:
        return normalise_area_code(str(raw)) if raw else None
    except ValueError:
        return None


def _gemeente(code: str) -> str:
    known = areas.area(code)
    return f"{code} {known.name}" if known else code


def _new_code(directory: Directory, code: str) -> list[Detail]:
    existing = directory.store.get_nodes([code]).get(code)
    if existing is not None:
        return [Detail("code", f"{code} bestaat al ({existing.name}); bewerk dat gebied of "
                               "kies een andere code")]
    retired = areas.retired_gemeenten()
    if code in retired:
        return [Detail("code", f"{code} is de code van een opgeheven gemeente (opgegaan in "
                               f"{_gemeente(retired[code])}); het CBS gebruikt die niet meer")]
    return []


def _year(raw: Any) -> list[Detail]:
    text = str(raw or "").strip()
    if text and not (re.fullmatch(r"\d{4}", text) and FIRST_YEAR <= int(text) <= LAST_YEAR):
        return [Detail("year", f"'{text}' is geen jaartal; vul het jaar van de CBS-gegevens "
                               "in, bijvoorbeeld 2024")]
    return []


def _missing(expected: str) -> str:
    retired = areas.retired_gemeenten()
    if expected in retired:
        return (f"gemeente {expected} is opgeheven (opgegaan in {_gemeente(retired[expected])}); "
                "gebruik de code van de huidige gemeente")
    return f"{area_level(expected)} {expected} staat nog niet in de kaart; voeg die eerst toe"


def _parent(directory: Directory, code: str, node: Node | None,
            links: dict[str, str]) -> list[Detail]:
    given = links.get(PARENT, "").strip()
    if node is not None and given == current_links(directory, AREA_FORM, node.id)[0][PARENT]:
        return []  # unchanged: not this form's business
    expected = parent_code(code)
    if expected is None:
        return [Detail(PARENT, "een gemeente ligt niet in een ander gebied; laat dit veld "
                               "leeg")] if given else []
    if not given:
        links[PARENT] = given = expected
    try:
        parent = directory.resolve(given, AREA)
    except NotFound:
        return [Detail(PARENT, _missing(expected) if given == expected
                       else f"'{given}' is niet gevonden")]
    except Conflict as exc:
        return [Detail(PARENT, str(exc))]
    if parent.id != expected:
        return [Detail(PARENT, f"een {area_level(code)} met code {code} ligt in "
                               f"{area_level(expected)} {expected}, niet in {parent.name} "
                               f"({parent.id})")]
    return []
