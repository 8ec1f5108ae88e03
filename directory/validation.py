"""Pure normalisers for cell values: postcodes, phones, e-mail, CBS codes, dates, times, days,
RRULEs, booleans, costs, numbers and URLs. Each raises ``ValueError`` with a Dutch message."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from directory.text import fold
from directory.vocabularies import RRULE_DAYS, WEEKDAYS

__all__ = [
    "area_level", "days_to_rrule", "display_phone", "is_free", "normalise_area_code",
    "normalise_email", "normalise_phone", "normalise_postcode", "normalise_url", "parent_code",
    "parse_bool", "parse_cost", "parse_date", "parse_days", "parse_float", "parse_int",
    "parse_time", "parse_time_range", "postcode_pc4", "rrule_days",
]

# --- addresses and contact data -----------------------------------------------------------

_POSTCODE = re.compile(r"([1-9]\d{3})([A-Z]{2})")
_PC4 = re.compile(r"[1-9]\d{3}")


def normalise_postcode(text: str) -> str:
    """Normalise a Dutch postcode to ``"6525 AB"``."""
    compact = re.sub(r"[\s\-]+", "", str(text)).upper()
    match = _POSTCODE.fullmatch(compact)
    if not match:
        raise ValueError(f"ongeldige postcode: '{text}' (verwacht bijvoorbeeld 6525 AB)")
    if match[2] in {"SA", "SD", "SS"}:
        raise ValueError(f"ongeldige postcode: '{text}' (letters SA, SD en SS komen niet voor)")
    return f"{match[1]} {match[2]}"


def postcode_pc4(text: str | int) -> str:
    """The four digits of a full postcode or a bare PC4 code (``"6525"``)."""
    compact = str(text).strip()
    if _PC4.fullmatch(compact):
        return compact
    try:
        return normalise_postcode(compact)[:4]
    except ValueError:
        raise ValueError(f"ongeldige postcode: '{text}' (verwacht 6525 of 6525 AB)") from None


def normalise_phone(text: str | int) -> str:
    """Parse a phone number (default region NL) and return it in E.164 form."""
    raw = str(text).strip()
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        raise ValueError(f"ongeldig telefoonnummer: '{text}'") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"ongeldig telefoonnummer: '{text}'")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """Format a stored number for people: national for NL (``024 300 1234``), else international."""
    try:
        number = phonenumbers.parse(e164, "NL")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(text: str) -> str:
    """Validate an e-mail address (syntax only) and return its normalised form."""
    try:
        return validate_email(str(text).strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(f"ongeldig e-mailadres: '{text}'") from None


def normalise_url(text: str) -> str:
    """Normalise a website address, adding ``https://`` when the scheme is missing."""
    url = str(text).strip()
    if not url or re.search(r"\s", url):
        raise ValueError(f"ongeldige website: '{text}'")
    if not re.match(r"[a-zA-Z][a-zA-Z0-9+.\-]*://", url):
        url = "https://" + url.removeprefix("//")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise ValueError(f"ongeldige website: '{text}'") from None
    labels = host.split(".")
    bad_host = len(labels) < 2 or "" in labels or "@" in parts.netloc
    if parts.scheme.lower() not in {"http", "https"} or bad_host:
        raise ValueError(f"ongeldige website: '{text}'")
    return url


# --- CBS area codes -------------------------------------------------------------------------

# Amsterdam numbers its wijken and buurten with letters: WK0363AA, BU0363AA01
_AREA_CODE = re.compile(r"(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})")
_LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}


def normalise_area_code(text: str) -> str:
    """Normalise a CBS area code (``GM0268``, ``WK026801``, ``BU02680101``)."""
    code = re.sub(r"\s+", "", str(text)).upper()
    if not _AREA_CODE.fullmatch(code):
        raise ValueError(f"ongeldige CBS-code: '{text}' (verwacht GM0268, WK026801 of BU02680101)")
    return code


def area_level(code: str) -> str:
    """The level of a CBS code: ``gemeente``, ``wijk`` or ``buurt``."""
    return _LEVELS[normalise_area_code(code)[:2]]


def parent_code(code: str) -> str | None:
    """The enclosing area's code (buurt → wijk → gemeente), ``None`` for a gemeente."""
    code = normalise_area_code(code)
    if code.startswith("BU"):
        return "WK" + code[2:8]
    if code.startswith("WK"):
        return "GM" + code[2:6]
    return None


# --- dates and times --------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mrt": 3, "maart": 3, "apr": 4,
    "april": 4, "mei": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augustus": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from an ISO, Dutch numeric or Dutch written date, else None."""
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?", text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})", text):
        return int(m[4]), int(m[3]), int(m[1])
    if (m := re.fullmatch(r"(\d{1,2}) ([a-z]+)\.? (\d{4})", text)) and m[2] in _MONTHS:
        return int(m[3]), _MONTHS[m[2]], int(m[1])
    return None


def parse_date(value: str | dt.date) -> str:
    """Parse ``2024-03-01``, ``1-3-2024``, ``1/3/2024``, ``1.3.2024`` or a date object to ISO."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    parts = _date_parts(fold(str(value)))
    if parts is None:
        raise ValueError(f"ongeldige datum: '{value}' (verwacht bijvoorbeeld 1-3-2024)")
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        raise ValueError(f"datum bestaat niet: '{value}'") from None


_TIME = re.compile(r"(\d{1,2})(?:[:.uh](\d{2})?(?::(\d{2}))?)?|(\d{2})(\d{2})|(\d)(\d{2})")


def parse_time(value: str | int | dt.time) -> str:
    """Parse ``9:30``, ``09.30``, ``9u30``, ``9u``, ``9``, ``0930``, ``9:30 uur`` to ``HH:MM``."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    text = re.sub(r"\s*(uur|hr|h|u)\.?$", "", fold(str(value)))
    meridiem = re.search(r"\s*([ap])\.?m\.?$", text)
    if meridiem:
        text = text[: meridiem.start()]
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"ongeldige tijd: '{value}' (verwacht bijvoorbeeld 9:30)")
    hour_text = match[1] or match[4] or match[6]
    minute_text = match[2] or match[5] or match[7] or "0"
    hour, minute = int(hour_text), int(minute_text)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"ongeldige tijd: '{value}'")
        hour = hour % 12 + (12 if meridiem[1] == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"tijd bestaat niet: '{value}'")
    return f"{hour:02d}:{minute:02d}"


_RANGE_SPLIT = re.compile(r"\s*(?:–|—|-|\btot\b|\bt/m\b|\bto\b|\buntil\b|\btill\b)\s*")


def parse_time_range(text: str) -> tuple[str, str]:
    """Parse ``9:30-11:00``, ``9.30 - 11.00 uur`` or ``van 9u30 tot 11u`` to (start, end)."""
    folded = re.sub(r"^(van|from|vanaf)\s+", "", fold(str(text)))
    parts = _RANGE_SPLIT.split(folded)
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"ongeldige tijdsduur: '{text}' (verwacht bijvoorbeeld 9:30-11:00)")
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if end <= start:
        raise ValueError(f"eindtijd ligt niet na begintijd: '{text}'")
    return start, end


# --- weekdays and RRULEs ----------------------------------------------------------------------

_DAY_KEYS = WEEKDAYS.keys()
_DAY_GROUPS: dict[str, list[str]] = {
    **dict.fromkeys(("dagelijks", "daily"), _DAY_KEYS),
    **dict.fromkeys(
        ("werkdagen", "werkdag", "weekdagen", "doordeweeks", "weekdays", "weekday"),
        _DAY_KEYS[:5]),
    **dict.fromkeys(("weekend", "weekenden", "weekends"), _DAY_KEYS[5:]),
}
_DAY_FILLERS = frozenset((
    "en", "and", "elke", "iedere", "ieder", "alle", "every", "each", "all", "op", "on", "in",
    "het", "de", "s", "van", "vanaf", "from", "ochtend", "ochtends", "middag", "middags",
    "avond", "avonds", "morning", "mornings", "afternoon", "afternoons", "evening", "evenings",
))
_DAY_RANGE = re.compile(r"\s*(?:\bt/m\b|\btot en met\b|\btm\b|\btot\b|\bthrough\b|\bthru\b"
                        r"|\bto\b|\buntil\b|\btill\b|–|—|-)\s*")
_DAY_PART = re.compile(r"(ochtend|middag|avond|morgen|nacht|morning|afternoon|evening)(en|s)?$")


def _day_key(token: str) -> str | None:
    """The weekday key of one token such as ``ma``, ``Monday``, ``dinsdagochtend``, ``tuesdays``."""
    for candidate in (token, _DAY_PART.sub("", token), token.removesuffix("s"),
                      token.removesuffix("en")):
        if candidate and (key := WEEKDAYS.match(candidate)):
            return key
    return None


def _expand_days(tokens: list[str], text: str) -> list[str]:
    days: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in _DAY_GROUPS:
            days.extend(_DAY_GROUPS[token])
            index += 1
            continue
        key = _day_key(token)
        if key is None:
            raise ValueError(f"onbekende dag: '{token}' in '{text}'")
        if index + 1 < len(tokens) and tokens[index + 1] == "~":
            end = _day_key(tokens[index + 2]) if index + 2 < len(tokens) else None
            if end is None:
                raise ValueError(f"onvolledig dagbereik: '{text}'")
            first, last = _DAY_KEYS.index(key), _DAY_KEYS.index(end)
            span = (last - first) % 7
            days.extend(_DAY_KEYS[(first + step) % 7] for step in range(span + 1))
            index += 3
        else:
            days.append(key)
            index += 1
    return days


def parse_days(text: str) -> list[str]:
    """Parse a days cell (``ma t/m vr``, ``di en do``, ``Mon-Fri``, ``werkdagen``) to day keys."""
    folded = fold(str(text)).replace("'", " ")
    folded = re.sub(r"\belke dag\b|\biedere dag\b|\balle dagen\b|\bevery day\b", " dagelijks ",
                    folded)
    folded = _DAY_RANGE.sub(" ~ ", folded)
    tokens = [t for t in re.findall(r"~|[^\s,;/|+&.()~]+", folded) if t not in _DAY_FILLERS]
    if not tokens:
        raise ValueError(f"geen dagen gevonden in '{text}'")
    if tokens[0] == "~" or tokens[-1] == "~":
        raise ValueError(f"onvolledig dagbereik: '{text}'")
    found = set(_expand_days(tokens, str(text)))
    return [key for key in _DAY_KEYS if key in found]


def days_to_rrule(days: Iterable[str]) -> str:
    """A weekly RRULE for day keys (or names): ``FREQ=WEEKLY;BYDAY=MO,WE``."""
    keys: set[str] = set()
    for day in days:
        key = WEEKDAYS.match(day)
        if key is None:
            raise ValueError(f"onbekende dag: '{day}'")
        keys.add(key)
    if not keys:
        raise ValueError("geen dagen opgegeven")
    return "FREQ=WEEKLY;BYDAY=" + ",".join(RRULE_DAYS[k] for k in _DAY_KEYS if k in keys)


_RRULE_FREQS = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_RRULE_NUMBERS = r"[+-]?\d{1,3}(,[+-]?\d{1,3})*"
_RRULE_PARTS = {
    "FREQ": r"[A-Z]+", "UNTIL": r"\d{8}(T\d{6}Z?)?", "COUNT": r"[1-9]\d*",
    "INTERVAL": r"[1-9]\d*", "WKST": r"MO|TU|WE|TH|FR|SA|SU",
    "BYDAY": r"([+-]?\d{1,2})?[A-Z]{2}(,([+-]?\d{1,2})?[A-Z]{2})*",
    **dict.fromkeys(("BYSECOND", "BYMINUTE", "BYHOUR", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
                     "BYMONTH", "BYSETPOS"), _RRULE_NUMBERS),
}


def _rrule_fields(rrule: str) -> dict[str, str]:
    """The NAME=VALUE parts of an RRULE text (an optional ``RRULE:`` line), validated."""
    text = str(rrule).strip()
    rules = [line.strip()[6:] for line in text.splitlines()
             if line.strip().upper().startswith("RRULE:")]
    body = (rules[0] if rules else text).strip().upper()
    fields: dict[str, str] = {}
    for part in filter(None, body.split(";")):
        name, sep, value = part.partition("=")
        pattern = _RRULE_PARTS.get(name)
        if not sep or pattern is None or name in fields or not re.fullmatch(pattern, value):
            raise ValueError(f"ongeldige herhaling (RRULE): '{rrule}'")
        fields[name] = value
    if fields.get("FREQ") not in _RRULE_FREQS:
        raise ValueError(f"ongeldige herhaling (RRULE): '{rrule}'")
    return fields


def rrule_days(rrule: str) -> list[str]:
    """The day keys an RRULE falls on (``BYDAY``, or every day for ``FREQ=DAILY``)."""
    fields = _rrule_fields(rrule)
    if "BYDAY" not in fields:
        return list(_DAY_KEYS) if fields["FREQ"] == "DAILY" else []
    by_code = {code: key for key, code in RRULE_DAYS.items()}
    found: set[str] = set()
    for entry in fields["BYDAY"].split(","):
        key = by_code.get(entry[-2:])
        if key is None:
            raise ValueError(f"ongeldige herhaling (RRULE): '{rrule}'")
        found.add(key)
    return [key for key in _DAY_KEYS if key in found]


# --- booleans, costs and numbers --------------------------------------------------------------

_TRUE = frozenset(("ja", "j", "yes", "y", "x", "1", "true", "waar", "wel", "✓", "✔"))
_FALSE = frozenset(("nee", "n", "no", "0", "false", "onwaar", "niet"))


def parse_bool(value: str | bool | int | None) -> bool | None:
    """Parse a yes/no cell (``ja``, ``nee``, ``x``, ``1``, ``✓`` ...); empty gives ``None``."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = fold(str(value))
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"geen ja/nee-waarde: '{value}' (verwacht ja of nee)")


_FREE_WORDS = frozenset((
    "gratis", "free", "geen kosten", "kosteloos", "geen", "free of charge", "no cost",
    "gratis toegang", "vrij toegankelijk",
))
_ZERO_AMOUNT = re.compile(r"(?:€|eur|euro)?\s*0+(?:[.,](?:0+|-))?\s*(?:€|eur|euro)?")


def parse_cost(value: str | int | float | None) -> str:
    """Normalise a cost cell: every way of saying free becomes ``gratis``; empty gives ``""``."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "gratis" if value == 0 else f"€ {value:.2f}".replace(".", ",")
    text = " ".join(str(value).split())
    folded = fold(text).rstrip(".!")
    if folded in _FREE_WORDS or _ZERO_AMOUNT.fullmatch(folded):
        return "gratis"
    return text


def is_free(cost: str | None) -> bool:
    """True when a cost value means free of charge."""
    return parse_cost(cost) == "gratis"


def _number_text(value: str) -> str:
    return re.sub(r"[\s\u00a0']", "", value)


def parse_int(value: str | int | float) -> int:
    """Parse a whole number; accepts ``1.234`` thousands dots and ``12,0``."""
    if isinstance(value, bool):
        raise ValueError(f"geen geheel getal: '{value}'")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"geen geheel getal: '{value}'")
    text = _number_text(str(value))
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if m := re.fullmatch(r"([+-]?\d+)(?:[.,]0+)?", text):
        return int(m[1])
    raise ValueError(f"geen geheel getal: '{value}'")


def parse_float(value: str | int | float) -> float:
    """Parse a decimal number with a decimal comma or point (``52,84``, ``1.234,5``)."""
    if isinstance(value, bool):
        raise ValueError(f"geen getal: '{value}'")
    if isinstance(value, int | float):
        return float(value)
    text = _number_text(str(value))
    if "," in text and "." in text:
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?", text, flags=re.IGNORECASE):
        raise ValueError(f"geen getal: '{value}'")
    return float(text)
