"""Dutch-aware text analysis for search: folding, stemming, the indexed text of a node.

Stores only see folded text and folded substrings; how Dutch words are cut
down to findable stems lives here, once, for every backend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

from directory.model import ACTIVITY, AREA, ORGANISATION, PERSON, TEAM, Node
from directory.text import fold

MIN_TERM = 3
# A query: every entry must match; an entry matches when any of its alternatives does.
Terms = list[tuple[str, ...]]
_WORD = re.compile(r"[0-9a-z]+")
_STOPWORDS = frozenset({
    "de", "het", "een", "en", "van", "in", "op", "met", "voor", "aan", "bij", "te", "om", "of",
    "door", "over", "naar", "als", "is", "zijn", "er", "the", "and", "for", "with",
})


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer("dutch")


def folded_words(text: str) -> list[str]:
    """The words of a text that is folded already (a stored search text)."""
    return _WORD.findall(text)


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A findable stem of a folded word: ``schulden`` → ``schuld``, ``cafes`` → ``caf``.

    The stem is used as a substring, so compounds match too (``schuld`` is
    inside ``schuldhulpmaatje``). Never shorter than MIN_TERM characters.
    """
    stemmed: str = _stemmer().stemWord(word)
    # The Dutch snowball stemmer undoubles final consonants and drops -en/-e;
    # also drop a plural -s that it keeps, so "cafes" and "cafe" meet.
    if stemmed.endswith("s") and len(stemmed) > MIN_TERM + 1 and not word.endswith("ss"):
        stemmed = stemmed[:-1]
    if len(stemmed) < MIN_TERM:
        return word
    return stemmed


_SUFFIXES = ("en", "s", "e")


def alternatives(word: str) -> tuple[str, ...]:
    """The substrings that stand for a query word; any one of them is a match.

    Usually just the stem, which is a prefix of the word (``schulden`` → ``schuld``).
    Where the stemmer changes the word itself (``koken`` → ``kook``, ``praten`` →
    ``praat``) the word without its ending is kept too (``kok``, ``prat``), so both
    "koken" and "kookcafé" are found.
    """
    if len(word) < MIN_TERM:
        return (word,)
    stemmed = stem(word)
    if word.startswith(stemmed):
        return (stemmed,)
    bare = word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_TERM:
            bare = word[: -len(suffix)]
            break
    return (stemmed, bare) if bare != stemmed else (stemmed,)


def query_terms(text: str) -> Terms:
    """What a query needs found: per meaningful word, its alternatives; no duplicates."""
    terms: Terms = []
    for word in words(text):
        if word in _STOPWORDS or len(word) < 2:
            continue
        term = alternatives(word)
        if term not in terms:
            terms.append(term)
    return terms


def usable_terms(terms: Sequence[str | Sequence[str]]) -> list[tuple[str, ...]]:
    """Terms as groups of alternatives, keeping only alternatives a store can look up."""
    groups = []
    for term in terms:
        group = (term,) if isinstance(term, str) else tuple(term)
        group = tuple(alt for alt in group if len(alt) >= MIN_TERM)
        if group:
            groups.append(group)
    return groups


def title_words(title: str) -> str:
    """A title as its folded words, each preceded by a space: `` koffie ochtend``.

    ``alt in title_words(t)`` is "the title contains alt" (alternatives are single words)
    and ``" " + alt in title_words(t)`` is "a title word starts with alt"; stores keep
    this form so they can rank exactly like :func:`directory.relevance.relevance`.
    """
    return "".join(" " + word for word in words(title))


def trigrams(term: str) -> list[str]:
    """The distinct three-letter pieces of a term (for typo-tolerant lookup)."""
    grams = [term[i:i + 3] for i in range(len(term) - 2)]
    return list(dict.fromkeys(grams))


def search_text(node: Node) -> str:
    """The folded text a store indexes for a node (empty: not indexed)."""
    p = node.props
    if node.kind == ACTIVITY:
        from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS

        parts = [p.get("title"), p.get("description"), p.get("city"),
                 " ".join(LIFE_DOMAINS.label(k) for k in p.get("life_domains") or []),
                 " ".join(TARGET_GROUPS.label(k) for k in p.get("target_groups") or [])]
    elif node.kind == ORGANISATION:
        parts = [p.get("name")]
    elif node.kind in (PERSON, TEAM, AREA):
        parts = [p.get("name"), p.get("job_title"), p.get("code")]
    else:
        return ""
    return fold(" ".join(str(part) for part in parts if part))
