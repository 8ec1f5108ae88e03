"""Text folding shared by vocabularies, validation, importers and search."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """Lowercase ``text``, strip accents and collapse runs of whitespace to one space."""
    if text.isascii():  # nothing to decompose or strip: NFKD leaves ASCII as it is
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
