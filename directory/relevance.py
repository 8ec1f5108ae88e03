"""Text relevance for search: stores find the matching activities, the score is computed
here from their own text, so the ranking is identical on every backend (a store's
full-text score differs between SQLite and Neo4j)."""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from directory.facets import ActivityFilter, ActivityRow
from directory.store import GraphStore
from directory.textsearch import Terms, folded_words, title_words, trigrams

__all__ = ["relevance", "text_rows", "rank_text", "rank_in_memory", "Page"]

Page = tuple[int, int]  # (offset, limit); limit -1: all

TYPO_CANDIDATES = 2000
TYPO_THRESHOLD = 80.0
IN_TITLE, WORD_START, ELSEWHERE, VIA_ORGANISATION = 2.0, 0.5, 1.0, 1.0


def relevance(title: str, text: str, terms: Terms) -> float:
    """How well a text matches: per term its best alternative, 2.5 for the start of a title
    word, 2 elsewhere in the title, 1 in the rest of the text; averaged over the terms."""
    return round(raw_relevance(title_words(title), text, terms), 4) if terms else 0.0


def raw_relevance(spaced_title: str, text: str, terms: Terms) -> float:
    """:func:`relevance` before rounding, on a title in :func:`title_words` form; stores
    that rank in their own query language compute exactly this."""
    total = 0.0
    for alternatives in terms:
        best = 0.0
        for alt in alternatives:
            if alt in spaced_title:
                best = max(best, IN_TITLE + (WORD_START if " " + alt in spaced_title else 0.0))
            elif alt in text:
                best = max(best, ELSEWHERE)
        total += best
    return total / len(terms)


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


def rank_in_memory(store: GraphStore, where: ActivityFilter, page: Page
                   ) -> tuple[list[tuple[ActivityRow, float]], int]:
    """``GraphStore.rank_activities`` for any store: match, score and sort here."""
    rows, _ = store.match_activities(where)
    terms = where.terms or []
    return _ranked_page([(row, _score(row, terms)) for row in rows], page)


def rank_text(store: GraphStore, where: ActivityFilter, terms: Terms, page: Page
              ) -> tuple[list[tuple[ActivityRow, float]], int]:
    """A page of the activities matching every term (else any term, else each term within
    a small typo), best first, and how many match; the store ranks where it can."""
    ranked, total = store.rank_activities(replace(where, terms=terms, mode="all"), page)
    if total == 0 and len(terms) > 1:
        ranked, total = store.rank_activities(replace(where, terms=terms, mode="any"), page)
    if total:
        return ranked, total
    return _ranked_page(_typo_rows(store, where, terms), page)


def _ranked_page(scored: list[tuple[ActivityRow, float]], page: Page
                 ) -> tuple[list[tuple[ActivityRow, float]], int]:
    """Best first (score, then lowercased title, then id), the page of it, and the total."""
    scored.sort(key=lambda item: (-item[1], item[0].title.lower(), item[0].id))
    offset, limit = page
    return (scored[offset:offset + limit] if limit >= 0 else scored[offset:]), len(scored)


def _score(row: ActivityRow, terms: Terms) -> float:
    score = relevance(row.title, row.text, terms)
    return max(score, VIA_ORGANISATION) if row.via_organisation else score


def _typo_rows(store: GraphStore, where: ActivityFilter, terms: Terms
               ) -> list[tuple[ActivityRow, float]]:
    """Activities with, for every term, a word within a small edit distance of it."""
    pieces = [trigrams(alternatives[0]) for alternatives in terms]
    if not all(pieces):
        return []
    rows = store.typo_candidates(replace(where, terms=None), pieces, TYPO_CANDIDATES)
    row_words = [set(folded_words(row.text)) for row in rows]  # stored search texts: folded
    closeness = [_closeness(alternatives[0], row_words) for alternatives in terms]
    scored = []
    for row, found in zip(rows, row_words, strict=True):
        total = 0.0
        for close in closeness:
            # the best word start (a word's first len(term) + 2 letters) close enough
            near = found & close.keys()
            if not near:
                break
            total += max(close[word] for word in near) / 100.0
        else:
            scored.append((row, round(total, 4)))
    return scored


def _closeness(term: str, texts_words: list[set[str]]) -> dict[str, float]:
    """The words of the texts whose start (their first ``len(term) + 2`` letters) is close
    enough to ``term``, with how close (``fuzz.ratio``); each start is scored once."""
    starts = {word: word[:len(term) + 2] for word in set().union(*texts_words)}
    ratio = {start: fuzz.ratio(term, start, score_cutoff=TYPO_THRESHOLD)
             for start in set(starts.values())}
    return {word: ratio[start] for word, start in starts.items() if ratio[start]}
