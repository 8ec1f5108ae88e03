"""Dutch query analysis: which substrings a query word stands for, and relevance."""

from __future__ import annotations

import pytest

from directory.model import ACTIVITY, Node
from directory.relevance import relevance
from directory.textsearch import alternatives, query_terms, search_text, usable_terms


@pytest.mark.parametrize(("word", "found_in"), [
    ("schulden", ["schuldhulpmaatje", "schulden"]),
    ("koffie", ["koffieochtend"]),
    ("koken", ["samen koken", "kookcafe"]),
    ("praten", ["praatgroep", "samen praten"]),
    ("lopen", ["hardlopen", "loopgroep"]),
    ("cafes", ["taalcafe"]),
    ("ouderen", ["ouderensoos", "voor ouderen"]),
])
def test_a_word_finds_its_forms_and_compounds(word: str, found_in: list[str]) -> None:
    options = alternatives(word)
    for text in found_in:
        assert any(alt in text for alt in options), (word, options, text)


def test_query_terms_drop_stopwords_and_duplicates() -> None:
    assert query_terms("Koffie en de koffie voor Ouderen") == [("koffie",), ("ouder",)]
    assert query_terms("   ") == []


def test_short_alternatives_are_not_looked_up() -> None:
    assert usable_terms(["ab", ("abc", "de"), "xyz"]) == [("abc",), ("xyz",)]


def test_title_matches_rank_above_description_matches() -> None:
    terms = query_terms("koffie")
    in_title = Node("a", ACTIVITY, {"title": "Koffieochtend"})
    inside_title = Node("b", ACTIVITY, {"title": "Inloop met zwarte koffie"})
    in_text = Node("c", ACTIVITY, {"title": "Buurtkamer", "description": "Met koffie."})
    elsewhere = Node("d", ACTIVITY, {"title": "Wandelen"})
    scores = [relevance(n.name, search_text(n), terms)
              for n in (in_title, inside_title, in_text, elsewhere)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[2] > scores[3] == 0.0
