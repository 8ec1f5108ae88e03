"""Wijkkaart's core: the domain model, vocabularies, validation and use cases.

Talks to storage only through :class:`directory.store.GraphStore`.
"""
