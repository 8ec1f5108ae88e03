"""Text folding shared by vocabularies, validation, importers and search."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


class _WithoutMarks(dict[int, int | None]):
    """A ``str.translate`` table that drops combining marks and keeps every other
    character; filled as characters are first seen, so lookups stay in C."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold(text: str) -> str:
    """Lowercase ``text``, strip accents and collapse runs of whitespace to one space."""
    if text.isascii():  # nothing to decompose or strip: NFKD leaves ASCII as it is
        return " ".join(text.lower().split())
    stripped = unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS)
    return " ".join(stripped.casefold().split())
