"""Text relevance for search: the store finds candidates, the score is computed here.

Scoring in the core, from the node's own text, keeps the ranking identical on
every backend (a store's own full-text score differs between SQLite and Neo4j).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from directory.model import ACTIVITY, ORGANISATION, Node
from directory.store import GraphStore
from directory.text import fold
from directory.textsearch import Terms, query_terms, search_text, trigrams, words

__all__ = ["text_matches", "relevance"]

CANDIDATE_LIMIT = 5000
TYPO_THRESHOLD = 80.0
IN_TITLE, WORD_START, ELSEWHERE, VIA_ORGANISATION = 2.0, 0.5, 1.0, 1.0


def relevance(node: Node, terms: Terms) -> float:
    """How well a node's text matches: per term its best alternative, 2.5 for the start of a
    title word, 2 elsewhere in the title, 1 in the rest of its text; averaged over terms."""
    title = fold(node.name)
    title_words = words(title)
    rest = search_text(node)
    total = 0.0
    for alternatives in terms:
        best = 0.0
        for alt in alternatives:
            if alt in title:
                starts = any(word.startswith(alt) for word in title_words)
                best = max(best, IN_TITLE + (WORD_START if starts else 0.0))
            elif alt in rest:
                best = max(best, ELSEWHERE)
        total += best
    return round(total / len(terms), 4) if terms else 0.0


def text_matches(store: GraphStore, text: str) -> tuple[dict[str, float], dict[str, Node]]:
    """Activity id → relevance for a free-text query, and the activity nodes found."""
    terms = query_terms(text)
    if not terms:
        return {}, {}
    hits = store.text_candidates(terms, ACTIVITY, mode="all", limit=CANDIDATE_LIMIT)
    if not hits and len(terms) > 1:
        hits = store.text_candidates(terms, ACTIVITY, mode="any", limit=CANDIDATE_LIMIT)
    via_org = _offered_by_matching_organisations(store, terms)
    nodes = store.get_nodes([node_id for node_id, _ in hits] + via_org)
    scores = {node_id: relevance(node, terms) for node_id, node in nodes.items()}
    for node_id in via_org:
        if node_id in scores:
            scores[node_id] = max(scores[node_id], VIA_ORGANISATION)
    if not scores:
        return _typo_matches(store, terms)
    return scores, nodes


def _offered_by_matching_organisations(store: GraphStore, terms: Terms) -> list[str]:
    orgs = [org_id for org_id, _ in store.text_candidates(terms, ORGANISATION, limit=50)]
    offered = store.edges_between(["OFFERED_BY"], orgs, direction="in") if orgs else []
    return [edge.src for edge in offered if edge.current]


def _typo_matches(store: GraphStore, terms: Terms) -> tuple[dict[str, float], dict[str, Node]]:
    """Activities with, for every term, a word within a small edit distance of it."""
    scores: dict[str, float] | None = None
    found: dict[str, Node] = {}
    for alternatives in terms:
        term = alternatives[0]
        grams = trigrams(term)
        if not grams:
            return {}, {}
        hits = store.text_candidates([(g,) for g in grams], ACTIVITY, mode="any", limit=500)
        nodes = store.get_nodes(node_id for node_id, _ in hits)
        found.update(nodes)
        term_scores: dict[str, float] = {}
        for node_id, node in nodes.items():
            best = max((fuzz.ratio(term, word[:len(term) + 2])
                        for word in words(search_text(node))), default=0.0)
            if best >= TYPO_THRESHOLD:
                term_scores[node_id] = round(best / 100.0, 4)
        scores = term_scores if scores is None else {
            k: scores[k] + v for k, v in term_scores.items() if k in scores}
        if not scores:
            return {}, {}
    kept = scores or {}
    return kept, {k: found[k] for k in kept}
