"""vCard import (``--format vcard``): cards as phones and Outlook export them → people.

A file is split into cards here, so that one broken card is rejected on its own with its
number; ``vobject`` parses each card (folded lines, quoted-printable with a charset,
escapes; vCard 2.1, 3.0 and 4.0). A card becomes a person working at the organisation
its ``ORG`` names; a card with ``KIND:org`` becomes an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import vobject
from vobject.base import VObjectError

from directory.errors import Detail
from directory.importing import Record
from directory.model import ORGANISATION, PERSON

if TYPE_CHECKING:
    from importers.registry import ReadOptions, ReadResult

__all__ = ["SOURCE", "CardBlock", "split_cards", "parse_vcards", "decode_text", "read_vcard",
           "sniff_vcard"]

SOURCE = "vcard"  # a card's UID is its key: the same card in another file is the same person
VERSIONS = ("2.1", "3.0", "4.0")
_KNOWN = frozenset(("VERSION", "FN", "N", "ORG", "TITLE", "ROLE", "TEL", "EMAIL", "NOTE", "UID",
                    "KIND", "PRODID", "REV", "URL"))
_SKIPPED_TYPES = frozenset(("fax", "pager", "home", "textphone"))


@dataclass(frozen=True)
class CardBlock:
    """The raw lines of one card: its number (1-based) and first line in the file."""

    number: int
    first_line: int
    lines: tuple[str, ...]
    complete: bool  # END:VCARD was found


def decode_text(data: bytes, what: str) -> str:
    """A text file's content: UTF-16 with a BOM, UTF-8 (with or without BOM), else
    Windows-1252 (old Outlook)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError(f"bestand is geen leesbare UTF-16-tekst, geen {what}") from None
    if b"\x00" in data[:4096]:
        raise ValueError(f"bestand is binair, geen {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def split_cards(text: str) -> list[CardBlock]:
    """The cards of a file, in order; ValueError for text outside any card."""
    blocks: list[CardBlock] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if current is not None:  # the previous card never ended
                blocks.append(CardBlock(len(blocks) + 1, start, tuple(current), False))
            current, start = [line], number
        elif current is not None:
            current.append(line)
            if word == "END:VCARD":
                blocks.append(CardBlock(len(blocks) + 1, start, tuple(current), True))
                current = None
        elif word:
            shown = line.strip()[:40]
            raise ValueError(f"regel {number}: tekst buiten een kaart ('{shown}'); verwacht "
                             "BEGIN:VCARD")
    if current is not None:
        blocks.append(CardBlock(len(blocks) + 1, start, tuple(current), False))
    return blocks


def _where(block: CardBlock, prop: str = "") -> str:
    return f"kaart {block.number}: {prop}" if prop else f"kaart {block.number}"


def _rejected(block: CardBlock, prop: str, message: str) -> Record:
    return Record(line=block.number, kind=PERSON, props={},
                  problem=Detail(_where(block, prop), message, block.number))


def _parse_error(block: CardBlock, exc: Exception) -> Record:
    """A card vobject could not read: name the line and the property before it."""
    text = str(exc)
    inner = getattr(exc, "lineNumber", None)
    if isinstance(inner, int) and 1 <= inner <= len(block.lines):
        bad = block.lines[inner - 1].strip()[:40]
        before = [line.split(":", 1)[0].split(";", 1)[0].split(".")[-1].upper()
                  for line in block.lines[1:inner - 1] if ":" in line and line[:1] not in " \t"]
        prop = before[-1] if before else "BEGIN"
        line = block.first_line + inner - 1
        return _rejected(block, prop, f"regel {line} kan niet gelezen worden ('{bad}'): een "
                                      "vervolgregel moet met een spatie beginnen (afgebroken "
                                      "regel?)")
    return _rejected(block, "", f"kaart kan niet gelezen worden ({text})")


def _types(prop: Any) -> set[str]:
    """The TYPE words of a property, in every way the versions write them."""
    words = {str(w).lower() for w in getattr(prop, "singletonparams", [])}
    for value in prop.params.get("TYPE", []):
        words.update(part.strip().strip('"').lower() for part in str(value).split(","))
    if prop.params.get("PREF"):
        words.add("pref")
    return words


def _preferred(props: list[Any]) -> tuple[str | None, int]:
    """The value a contact person is reached at (pref, work, cell), and how many were left
    out as private (home) or unusable (fax)."""
    usable = [(p, _types(p)) for p in props if not _types(p) & _SKIPPED_TYPES]
    skipped = sum(1 for p in props if "home" in _types(p))
    usable = [(p, t) for p, t in usable if str(p.value).strip()]
    if not usable:
        return None, skipped
    order = sorted(range(len(usable)), key=lambda i: (
        "pref" not in usable[i][1], "work" not in usable[i][1], "cell" not in usable[i][1], i))
    value = str(usable[order[0]][0].value).strip()
    return value.removeprefix("tel:").split(";ext=")[0], skipped


def _text(card: Any, name: str) -> str:
    props = card.contents.get(name.lower(), [])
    value = props[0].value if props else ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split())


def _card_record(block: CardBlock, notes: list[str], unknown: set[str]) -> Record:
    if not block.complete:
        return _rejected(block, "END:VCARD", "kaart is afgebroken: END:VCARD ontbreekt")
    try:
        card = vobject.readOne("\r\n".join(block.lines) + "\r\n", allowQP=True)
    except (VObjectError, ValueError, LookupError) as exc:
        return _parse_error(block, exc)
    version = _text(card, "VERSION")
    if version and version not in VERSIONS:
        return _rejected(block, "VERSION", f"onbekende vCard-versie '{version}' (verwacht "
                                           + ", ".join(VERSIONS) + ")")
    name = _text(card, "FN")
    if not name:
        extra = " (alleen N is ingevuld)" if _text(card, "N") else ""
        return _rejected(block, "FN", f"volledige naam (FN) ontbreekt{extra}; FN is verplicht "
                                      "in een vCard")
    unknown.update(p.upper() for p in card.contents if p.upper() not in _KNOWN)
    phone, home_phones = _preferred(card.contents.get("tel", []))
    email, home_mails = _preferred(card.contents.get("email", []))
    if home_phones or home_mails:
        notes.append(f"{_where(block)} ({name}): privé-telefoonnummer of -e-mail (TYPE=home) "
                     "niet overgenomen")
    if _text(card, "NOTE"):
        notes.append(f"{_where(block)} ({name}): NOTE niet overgenomen (een persoon heeft geen "
                     "notitieveld)")
    uid = _text(card, "UID") or None
    fields = {"name": _where(block, "FN"), "phone": _where(block, "TEL"),
              "email": _where(block, "EMAIL"), "job_title": _where(block, "TITLE"),
              "website": _where(block, "URL")}
    if _text(card, "KIND").lower() in ("org", "organization"):
        props = {"name": name, "phone": phone, "email": email, "website": _text(card, "URL")}
        return Record(line=block.number, kind=ORGANISATION, props=_filled(props),
                      source=SOURCE if uid else None, source_id=uid, fields=fields)
    props = {"name": name, "job_title": _text(card, "TITLE") or _text(card, "ROLE"),
             "phone": phone, "email": email}
    return Record(line=block.number, kind=PERSON, props=_filled(props),
                  source=SOURCE if uid else None, source_id=uid,
                  organisation=_text(card, "ORG") or None, fields=fields)


def _filled(props: dict[str, str | None]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v}


def parse_vcards(text: str) -> tuple[list[Record], list[str], list[str]]:
    """Records for every card of a vCard file, Dutch notes, and properties not used."""
    blocks = split_cards(text)
    if not blocks:
        raise ValueError("geen vCard gevonden: het bestand bevat geen BEGIN:VCARD")
    notes: list[str] = []
    unknown: set[str] = set()
    records = [_card_record(block, notes, unknown) for block in blocks]
    return records, notes, sorted(unknown)


def read_vcard(path: Path, options: ReadOptions) -> ReadResult:
    """Registry reader for ``--format vcard``."""
    from importers.registry import ReadResult

    records, notes, unknown = parse_vcards(decode_text(path.read_bytes(), "vCard-bestand"))
    return ReadResult("vcard", records, unknown=unknown, notes=notes,
                      unit="kaart")


def _starts_with(head: bytes, marker: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:len(marker)].upper() == marker


def sniff_vcard(head: bytes, path: Path) -> bool:
    """``BEGIN:VCARD`` first (after a BOM or blank lines); a ``.vcf`` name as a last hint."""
    if _starts_with(head, b"BEGIN:VCARD"):
        return True
    return path.suffix.lower() in (".vcf", ".vcard") and not _starts_with(head, b"BEGIN:")
