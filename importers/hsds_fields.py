"""Single HSDS fields → Wijkkaart properties (import side): place, schedule, cost, status,
languages, accessibility, referral and taxonomy terms. Pure functions over HSDS dicts."""

from __future__ import annotations

from typing import Any

from directory import validation
from importers.hsds_terms import map_term

__all__ = ["STATUSES", "REFERRAL_TEXT", "place", "schedule", "cost", "phone_number",
           "languages", "accessibility", "referral", "terms", "lat_lon_problem"]

# HSDS service status → activity status
STATUSES = {"active": "actief", "inactive": "gestopt", "defunct": "gestopt",
            "temporarily closed": "gestopt"}
# activity referral_needed ↔ the application_process text the export writes
REFERRAL_TEXT = {True: "Verwijzing nodig.", False: "Geen verwijzing nodig."}
_CURRENCIES = {"EUR": "€", "GBP": "£", "USD": "$"}


def _list(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = obj.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def lat_lon_problem(location: dict[str, Any]) -> str | None:
    """Why a location's coordinates cannot be on earth, or None."""
    for key, label, limit in (("latitude", "breedtegraad", 90), ("longitude", "lengtegraad",
                                                                  180)):
        value = location.get(key)
        if isinstance(value, int | float) and not -limit <= value <= limit:
            return f"{label} ({key}) {value} ligt buiten -{limit} t/m {limit}"
    return None


def _dutch_postcode(text: str, country: str) -> str | None:
    if country and country.upper() not in ("NL", "NLD", "NEDERLAND", "NETHERLANDS"):
        return None
    try:
        return validation.normalise_postcode(text)
    except ValueError:
        return None


def place(location: dict[str, Any]) -> dict[str, Any]:
    """address/postcode/city/lat/lon of a location (its physical address first)."""
    addresses = _list(location, "addresses")
    addresses.sort(key=lambda a: a.get("address_type") != "physical")
    props: dict[str, Any] = {}
    if addresses:
        first = addresses[0]
        street = ", ".join(str(first[k]) for k in ("address_1", "address_2") if first.get(k))
        code = str(first.get("postal_code") or "")
        postcode = _dutch_postcode(code, str(first.get("country") or "")) if code else None
        if code and postcode is None:
            street = ", ".join(filter(None, (street, code)))
        props.update(address=street or None, postcode=postcode, city=first.get("city"))
    if isinstance(location.get("latitude"), int | float) and isinstance(
            location.get("longitude"), int | float):
        props.update(lat=location["latitude"], lon=location["longitude"])
    return {key: value for key, value in props.items() if value not in (None, "")}


def schedule(schedules: list[dict[str, Any]]) -> dict[str, Any]:
    """schedule (RRULE), start_time and end_time from the first schedule that says when."""
    for item in schedules:
        props: dict[str, Any] = {}
        freq = str(item.get("freq") or "").upper()
        if freq:
            parts = [f"FREQ={freq}"]
            interval = item.get("interval")
            if isinstance(interval, int | float) and interval > 1:
                parts.append(f"INTERVAL={int(interval)}")
            for key in ("byday", "bymonthday"):
                if item.get(key) and (key == "byday" or freq == "MONTHLY"):
                    parts.append(f"{key.upper()}={str(item[key]).replace(' ', '').upper()}")
            props["schedule"] = ";".join(parts)
        for key, prop in (("opens_at", "start_time"), ("closes_at", "end_time")):
            if item.get(key):
                props[prop] = str(item[key])
        if props:
            return props
    return {}


def _amount(option: dict[str, Any]) -> str:
    amount = option.get("amount")
    if not isinstance(amount, int | float):
        return ""
    currency = str(option.get("currency") or "").upper()
    return f"{_CURRENCIES.get(currency, currency)} {amount:g}".strip()


def cost(service: dict[str, Any]) -> str | None:
    """The cost text of a service: ``gratis`` when every option costs 0."""
    options = _list(service, "cost_options")
    if options and all(o.get("amount") == 0 for o in options):
        return "gratis"
    parts = []
    for option in options:
        price = " ".join(filter(None, (_amount(option), str(option.get("amount_description")
                                                              or ""))))
        label = str(option.get("option") or "")
        parts.append(f"{label}: {price}" if label and price else label or price)
    text = "; ".join(filter(None, parts))
    return text or service.get("fees_description") or None


def phone_number(obj: dict[str, Any]) -> str | None:
    """The first phone number of an object, without the quotes some exports put around it."""
    for phone in _list(obj, "phones"):
        number = str(phone.get("number") or "").strip().strip("\"'").strip()
        if number:
            return number
    return None


def languages(service: dict[str, Any]) -> list[str]:
    return [str(lang.get("name") or lang.get("code")) for lang in _list(service, "languages")
            if lang.get("name") or lang.get("code")]


def accessibility(location: dict[str, Any]) -> str | None:
    texts = [str(a.get("description") or a.get("details") or "")
             for a in _list(location, "accessibility")]
    return "; ".join(t for t in texts if t) or None


def referral(service: dict[str, Any]) -> bool | None:
    """referral_needed when application_process is one of the export's own two sentences."""
    text = str(service.get("application_process") or "").strip()
    for needed, sentence in REFERRAL_TEXT.items():
        if text == sentence:
            return needed
    return None


def terms(service: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(life domains, target groups, unmapped term labels) of a service's taxonomy terms."""
    domains: list[str] = []
    groups: list[str] = []
    unmapped: list[str] = []
    for attribute in _list(service, "attributes"):
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            continue
        mapped = map_term(term)
        if mapped is None:
            code = f" ({term['code']})" if term.get("code") else ""
            unmapped.append(f"{term.get('name') or term.get('id')}{code}")
            continue
        domains += [key for key in mapped[0] if key not in domains]
        groups += [key for key in mapped[1] if key not in groups]
    return domains, groups, unmapped
