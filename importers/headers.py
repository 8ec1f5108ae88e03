"""Map spreadsheet column headers to canonical field names.

This module owns the built-in header vocabulary (Dutch and English), header folding,
and the user's mapping file for headers it does not know. Source header names live
only here.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

__all__ = [
    "FIELDS",
    "FIELD_HEADERS",
    "REPEATABLE_FIELDS",
    "fold_header",
    "load_mapping",
    "lookup_header",
    "map_headers",
]

# fmt: off
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "kind": ("soort", "type", "kind", "soort rij", "rijtype", "record type"),
    "source_id": (
        "id", "code", "kenmerk", "referentie", "bron id", "external id", "external_id",
        "source id", "source_id",
    ),
    "name": (
        "naam", "activiteit", "titel", "naam activiteit", "naam aanbod", "aanbod",
        "name", "title", "activity",
    ),
    "organisation": (
        "organisatie", "organisatienaam", "naam organisatie", "aanbieder", "ketenpartner",
        "organisation", "organization", "organisation name", "provider",
    ),
    "description": ("omschrijving", "beschrijving", "toelichting", "description", "summary"),
    "life_domains": (
        "leefgebied", "leefgebieden", "leefgebied(en)", "domein", "domeinen", "thema",
        "thema's", "life domain", "life domains", "life_domain", "life_domains", "domain",
    ),
    "target_groups": (
        "doelgroep", "doelgroepen", "doelgroep(en)", "voor wie", "target group",
        "target groups", "target_group", "target_groups", "audience",
    ),
    "days": ("dag", "dagen", "dag(en)", "weekdag", "wanneer", "day", "days", "weekday"),
    "time": ("tijd", "tijden", "tijdstip", "openingstijden", "time", "times", "hours"),
    "start": (
        "van", "starttijd", "begintijd", "aanvang", "vanaf", "start", "start time",
        "start_time", "from",
    ),
    "end": ("tot", "eindtijd", "einde", "end", "end time", "end_time", "until"),
    "cost": ("kosten", "prijs", "tarief", "eigen bijdrage", "cost", "costs", "price", "fee"),
    "referral_needed": (
        "verwijzing nodig", "verwijzing vereist", "verwijzing", "aanmelding nodig",
        "referral", "referral needed", "referral required", "referral_needed",
    ),
    "no_referral": (
        "zonder verwijzing", "vrij toegankelijk", "vrije inloop", "no referral",
        "no_referral", "walk-in",
    ),
    "address": (
        "adres", "bezoekadres", "straat", "straatnaam", "straat en huisnummer",
        "straat + huisnummer", "address", "street", "street address",
    ),
    "postcode": ("postcode", "zip", "zipcode", "zip code", "postal code", "postal_code"),
    "city": ("plaats", "woonplaats", "plaatsnaam", "stad", "city", "town", "place"),
    "area": (
        "wijk", "buurt", "gemeente", "stadsdeel", "gebied", "werkgebied", "area",
        "district", "neighbourhood", "neighborhood", "municipality",
    ),
    "contact": ("contactpersoon", "naam contactpersoon", "contact", "contact person"),
    "job_title": ("functie", "rol", "job title", "job_title", "role"),
    "phone": (
        "telefoon", "tel", "tel.", "telnr", "telefoonnummer", "mobiel", "mobiel nummer",
        "phone", "phone number", "telephone", "mobile",
    ),
    "email": (
        "e-mail", "email", "mail", "emailadres", "e-mailadres", "mailadres",
        "email address", "e-mail address",
    ),
    "website": ("website", "url", "site", "link", "webadres", "homepage", "web"),
    "partner_type": (
        "soort organisatie", "type organisatie", "organisatietype", "partnertype",
        "partner type", "categorie", "category", "partner_type", "organisation type",
    ),
    "languages": ("taal", "talen", "gesproken talen", "language", "languages"),
    "accessibility": (
        "toegankelijkheid", "rolstoeltoegankelijk", "toegankelijk", "accessibility",
        "wheelchair accessible",
    ),
    "status": ("status",),
    "last_verified_on": (
        "gecontroleerd op", "laatst gecontroleerd", "laatste controle", "gecontroleerd",
        "geverifieerd op", "laatst geverifieerd", "last verified", "last verified on",
        "last_verified_on", "verified on",
    ),
    "kvk": ("kvk", "kvk-nummer", "kvk nummer", "kvk-nr", "kvknr", "kvk number"),
    "org_role": ("rol organisatie", "organisatierol", "organisation role"),
    "lat": ("breedtegraad", "latitude"),
    "lon": ("lengtegraad", "longitude", "lng"),
}
# fmt: on

FIELDS: frozenset[str] = frozenset(FIELD_HEADERS)
REPEATABLE_FIELDS: frozenset[str] = frozenset({"area"})
"""Fields that may appear in several columns; extra columns become `area_2`, `area_3`."""


def fold_header(text: str) -> str:
    """Fold a header for matching: lowercase, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, headers in FIELD_HEADERS.items():
        for header in (field, *headers):
            folded = fold_header(header)
            if index.setdefault(folded, field) != field:
                raise AssertionError(f"header {header!r} maps to two fields")
    return index


_INDEX = _build_index()


def lookup_header(header: str) -> str | None:
    """Return the canonical field for a built-in header name, or None."""
    return _INDEX.get(fold_header(header))


def _check_field(target: str, where: str) -> str:
    field = target.strip().lower()
    if field not in FIELDS:
        choices = ", ".join(sorted(FIELDS))
        raise ValueError(f"{where}: onbekend veld '{target.strip()}' (kies uit: {choices})")
    return field


def map_headers(
    headers: list[str], mapping: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Return ({header: canonical field}, [unknown headers]); `mapping` beats built-ins.

    Two headers for the same field are an error, except for repeatable fields
    (`area`): the second becomes `area_2`, the third `area_3`, in column order.
    """
    user = {fold_header(k): _check_field(v, f"kolom '{k}'") for k, v in (mapping or {}).items()}
    mapped: dict[str, str] = {}
    owner: dict[str, str] = {}
    repeats: dict[str, int] = {}
    unknown: list[str] = []
    for header in headers:
        folded = fold_header(header)
        field = user.get(folded) or _INDEX.get(folded)
        if field is None:
            unknown.append(header)
            continue
        if field in owner:
            if field not in REPEATABLE_FIELDS:
                raise ValueError(
                    f"de kolommen '{owner[field]}' en '{header}' horen allebei bij veld "
                    f"'{field}'; hernoem er één of geef een koppelbestand (--mapping)"
                )
            repeats[field] = repeats.get(field, 1) + 1
            mapped[header] = f"{field}_{repeats[field]}"
            continue
        owner[field] = header
        mapped[header] = field
    return mapped, unknown


# --- mapping files ------------------------------------------------------------


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def _parse_json_mapping(text: str) -> dict[str, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"regel {exc.lineno}: ongeldige JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError('een JSON-koppelbestand moet {"kolomkop": "veld", ...} zijn')
    result: dict[str, str] = {}
    for header, target in data.items():
        where = f"regel {_line_of(text, json.dumps(header)[1:-1])}"
        result[header] = _check_field(target, where)
    return result


def _split_line(line: str, number: int) -> tuple[str, str]:
    if "=" in line:
        header, _, target = line.partition("=")
        return header.strip().strip('"'), target.strip().strip('"')
    delimiter = next((d for d in (";", "\t", ",") if d in line), None)
    cells = next(csv.reader([line], delimiter=delimiter)) if delimiter else [line]
    if len(cells) != 2:
        raise ValueError(f"regel {number}: verwacht 'kolomkop = veld' of 'kolomkop;veld'")
    return cells[0].strip(), cells[1].strip()


def _parse_line_mapping(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header, target = _split_line(line, number)
        if not result and target.lower() in {"veld", "field"}:
            continue
        if not header:
            raise ValueError(f"regel {number}: kolomkop ontbreekt")
        if header in result:
            raise ValueError(f"regel {number}: kolomkop '{header}' staat er twee keer in")
        result[header] = _check_field(target, f"regel {number}")
    return result


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a user mapping file (JSON object, `kop = veld` lines or CSV `kop;veld`)."""
    text = _read_text(Path(path))
    if text.lstrip().startswith("{"):
        return _parse_json_mapping(text)
    return _parse_line_mapping(text)
