"""Validation of node properties per kind: clean values, or every problem at once.

``clean_props`` normalises what users and importers send (postcodes, phone
numbers, e-mail, dates, times, vocabulary keys) and derives the gemeente of
anything with a postcode, so villages land in their gemeente before any wijk
or buurt is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from directory import areas, validation
from directory.checklist import clean_checklist
from directory.errors import Detail, ValidationError
from directory.model import ACTIVITY, AGREEMENT, AREA, ORGANISATION, PERSON, TEAM
from directory.vocabularies import (
    ACTIVITY_STATUSES,
    AGREEMENT_KINDS,
    LIFE_DOMAINS,
    ORG_ROLES,
    PARTNER_TYPES,
    TARGET_GROUPS,
    TEAM_PHASES,
    Vocabulary,
)

Cleaner = Callable[[Any], Any]

_TEXT = "text"
_REQUIRED = {ORGANISATION: "name", PERSON: "name", TEAM: "name", ACTIVITY: "title",
             AREA: "code", AGREEMENT: "kind"}


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _vocab(vocabulary: Vocabulary) -> Cleaner:
    def clean(value: Any) -> str:
        key = vocabulary.match(str(value))
        if key is None:
            raise ValueError(f"'{value}' is geen bekende waarde voor {vocabulary.name}")
        return key
    return clean


def _vocab_list(vocabulary: Vocabulary) -> Cleaner:
    def clean(value: Any) -> list[str]:
        if isinstance(value, str):
            keys, unknown = vocabulary.match_many(value)
        else:
            keys, unknown = [], []
            for item in value:
                key = vocabulary.match(str(item))
                if key is None:
                    unknown.append(str(item))
                elif key not in keys:
                    keys.append(key)
        if unknown:
            raise ValueError(f"geen bekende waarde voor {vocabulary.name}: {', '.join(unknown)}")
        return keys
    return clean


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    parsed = validation.parse_bool(str(value))
    if parsed is None:
        raise ValueError("ja of nee verwacht")
    return parsed


def _schedule(value: Any) -> str:
    text = str(value).strip()
    if text.upper().startswith(("FREQ=", "RRULE:")):
        validation.rrule_days(text)
        return text.upper().removeprefix("RRULE:")
    return validation.days_to_rrule(validation.parse_days(text))


def _phase(value: Any) -> int:
    phase = int(value)
    if phase not in TEAM_PHASES:
        raise ValueError(f"fase moet 0 t/m 3 zijn, niet {value}")
    return phase


def _population(value: Any) -> int:
    number = validation.parse_int(str(value)) if not isinstance(value, int) else value
    if number < 0:
        raise ValueError(f"inwonertal kan niet negatief zijn: {value}")
    return number


def _year(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 1800 <= int(text) <= 2200:
        raise ValueError(f"'{value}' is geen jaartal")
    return int(text)


def _kvk(value: Any) -> str:
    digits = str(value).replace(" ", "")
    if not (digits.isdigit() and len(digits) == 8):
        raise ValueError(f"KvK-nummer moet 8 cijfers zijn, niet '{value}'")
    return digits


def _geometry(value: Any) -> str:
    from directory.geometry import clean_geometry  # shapely loads only when a boundary comes

    return clean_geometry(value)


def _postcodes(value: Any) -> list[str]:
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    return sorted({validation.postcode_pc4(str(item).strip()) for item in items
                   if str(item).strip()})


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return [str(item) for item in value]


_CONTACT: dict[str, Cleaner] = {
    "email": validation.normalise_email,
    "phone": validation.normalise_phone,
    "website": validation.normalise_url,
    "url": validation.normalise_url,
}
_PLACE: dict[str, Cleaner] = {
    "address": _text, "postcode": validation.normalise_postcode, "city": _text,
    "lat": lambda v: float(validation.parse_float(str(v))),
    "lon": lambda v: float(validation.parse_float(str(v))),
}

FIELDS: dict[str, dict[str, Cleaner]] = {
    ORGANISATION: {"name": _text, "role": _vocab(ORG_ROLES),
                   "partner_type": _vocab(PARTNER_TYPES), "description": str.strip,
                   "kvk": _kvk, **_CONTACT, **_PLACE},
    PERSON: {"name": _text, "job_title": _text, "email": validation.normalise_email,
             "phone": validation.normalise_phone, "last_verified_on": validation.parse_date,
             "erased_on": validation.parse_date},
    TEAM: {"name": _text, "phase": _phase, "started_on": validation.parse_date,
           "checklist": clean_checklist},
    ACTIVITY: {"title": _text, "description": str.strip,
               "life_domains": _vocab_list(LIFE_DOMAINS),
               "target_groups": _vocab_list(TARGET_GROUPS), "schedule": _schedule,
               "start_time": validation.parse_time, "end_time": validation.parse_time,
               "cost": validation.parse_cost, "referral_needed": _bool,
               "languages": _strings, "accessibility": _text,
               "status": _vocab(ACTIVITY_STATUSES),
               "last_verified_on": validation.parse_date, **_CONTACT, **_PLACE},
    AREA: {"code": validation.normalise_area_code, "name": _text, "level": _text,
           "population": _population, "year": _year, "geometry": _geometry,
           "postcodes": _postcodes},
    AGREEMENT: {"kind": _vocab(AGREEMENT_KINDS), "summary": str.strip,
                "review_on": validation.parse_date},
}
# Derived by clean_props, never sent by users.
DERIVED = ("gemeente",)
DEFAULTS: dict[str, dict[str, Any]] = {
    ORGANISATION: {"role": "ketenpartner", "partner_type": "overig"},
    ACTIVITY: {"status": "actief", "life_domains": [], "target_groups": [],
               "referral_needed": False},
}


def clean_props(kind: str, props: Mapping[str, Any], line: int | None = None) -> dict[str, Any]:
    """Normalised properties of a node of ``kind``; ValidationError lists every problem."""
    fields = FIELDS[kind]
    cleaned: dict[str, Any] = {}
    details: list[Detail] = []
    for name, value in props.items():
        if name in DERIVED:
            continue
        if name not in fields:
            details.append(Detail(name, "onbekend veld", line))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            cleaned[name] = fields[name](value)
        except (ValueError, TypeError) as exc:
            details.append(Detail(name, str(exc), line))
    required = _REQUIRED[kind]
    if required not in cleaned and not any(d.field == required for d in details):
        details.append(Detail(required, "is verplicht", line))
    details += _check_consistency(kind, cleaned, line)
    if details:
        raise ValidationError("", details)
    for name, value in DEFAULTS.get(kind, {}).items():
        cleaned.setdefault(name, value)
    _derive_place(kind, cleaned)
    if kind == AREA:
        cleaned.setdefault("level", validation.area_level(cleaned["code"]))
    return cleaned


def _check_consistency(kind: str, props: dict[str, Any], line: int | None) -> list[Detail]:
    start, end = props.get("start_time"), props.get("end_time")
    if kind == ACTIVITY and start and end and end <= start:
        return [Detail("end_time", f"eindtijd {end} ligt niet na begintijd {start}", line)]
    return []


def _derive_place(kind: str, props: dict[str, Any]) -> None:
    if kind not in (ORGANISATION, ACTIVITY) or not props.get("postcode"):
        return
    info = areas.postcode_info(props["postcode"])
    if info is None:
        return
    props["gemeente"] = info.gemeente
    if "lat" not in props or "lon" not in props:
        props["lat"], props["lon"] = info.lat, info.lon
    props.setdefault("city", info.place)
