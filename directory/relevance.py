"""Text relevance for search: stores find the matching activities, the score is computed
here from their own text, so the ranking is identical on every backend (a store's
full-text score differs between SQLite and Neo4j)."""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from directory.facets import ActivityFilter, ActivityRow
from directory.model import ACTIVITY
from directory.store import GraphStore
from directory.text import fold
from directory.textsearch import Terms, trigrams, words

__all__ = ["relevance", "text_rows"]

TYPO_CANDIDATES = 2000
TYPO_THRESHOLD = 80.0
IN_TITLE, WORD_START, ELSEWHERE, VIA_ORGANISATION = 2.0, 0.5, 1.0, 1.0


def relevance(title: str, text: str, terms: Terms) -> float:
    """How well a text matches: per term its best alternative, 2.5 for the start of a title
    word, 2 elsewhere in the title, 1 in the rest of the text; averaged over the terms."""
    title = fold(title)
    title_words: list[str] | None = None
    total = 0.0
    for alternatives in terms:
        best = 0.0
        for alt in alternatives:
            if alt in title:
                title_words = title_words if title_words is not None else words(title)
                starts = any(word.startswith(alt) for word in title_words)
                best = max(best, IN_TITLE + (WORD_START if starts else 0.0))
            elif alt in text:
                best = max(best, ELSEWHERE)
        total += best
    return round(total / len(terms), 4) if terms else 0.0


def text_rows(store: GraphStore, where: ActivityFilter, terms: Terms
              ) -> list[tuple[ActivityRow, float]]:
    """Activities matching every term (else any term, else each term within a small
    typo), with their relevance; ``where`` holds the other filters."""
    rows, _ = store.match_activities(replace(where, terms=terms, mode="all"))
    if not rows and len(terms) > 1:
        rows, _ = store.match_activities(replace(where, terms=terms, mode="any"))
    if rows:
        return [(row, _score(row, terms)) for row in rows]
    return _typo_rows(store, where, terms)


def _score(row: ActivityRow, terms: Terms) -> float:
    score = relevance(row.title, row.text, terms)
    return max(score, VIA_ORGANISATION) if row.via_organisation else score


def _typo_rows(store: GraphStore, where: ActivityFilter, terms: Terms
               ) -> list[tuple[ActivityRow, float]]:
    """Activities with, for every term, a word within a small edit distance of it."""
    candidates: set[str] | None = None
    for alternatives in terms:
        grams = trigrams(alternatives[0])
        if not grams:
            return []
        hits = store.text_candidates([(g,) for g in grams], ACTIVITY, mode="any",
                                     limit=TYPO_CANDIDATES)
        ids = {node_id for node_id, _ in hits}
        candidates = ids if candidates is None else candidates & ids
    if not candidates:
        return []
    rows, _ = store.match_activities(replace(where, terms=None, ids=frozenset(candidates)))
    scored = []
    for row in rows:
        row_words = words(row.text)
        total = 0.0
        for alternatives in terms:
            term = alternatives[0]
            best = max((fuzz.ratio(term, word[:len(term) + 2]) for word in row_words),
                       default=0.0)
            if best < TYPO_THRESHOLD:
                break
            total += best / 100.0
        else:
            scored.append((row, round(total, 4)))
    return scored
