"""A calendar's LOCATION text as a Dutch address: "Straat 1, 6543 AB Nijmegen" → parts.

What stands before the postcode (a venue's name and its street) is the address; what
follows it is the place. Without a postcode the whole text is the address.
"""

from __future__ import annotations

import re

__all__ = ["parse_location", "format_location"]

_COUNTRY = r"(?:,?\s*(?:Nederland|The Netherlands|Netherlands|NL))?"
_ADDRESS = re.compile(
    r"^(?P<address>.*?)[,\s]*(?<![\w-])(?P<postcode>[1-9]\d{3}\s?[A-Za-z]{2})(?![\w-])"
    r"(?:[\s,]+(?P<city>[^,\d]+?))?" + _COUNTRY + r"\s*$")


def parse_location(text: str) -> dict[str, str]:
    """``address``, ``postcode`` and ``city`` found in a LOCATION (only those present)."""
    text = " ".join(text.split()).strip(" ,")
    if not text:
        return {}
    match = _ADDRESS.match(text)
    if match is None:
        return {"address": text}
    parts = {"address": match["address"].strip(" ,"), "postcode": match["postcode"].upper(),
             "city": (match["city"] or "").strip()}
    return {key: value for key, value in parts.items() if value}


def format_location(address: str | None, postcode: str | None, city: str | None) -> str:
    """The LOCATION text for a place, in the form ``parse_location`` reads back."""
    place = " ".join(part for part in (postcode, city) if part)
    return ", ".join(part for part in (address, place) if part)
