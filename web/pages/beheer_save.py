"""Saving a Beheer form: validate every field and relation at once, then write the node and
its changed relations in one transaction; a stale ``version`` becomes a ``Stale`` result
with the stored values, so nothing is overwritten. An area also passes ``check_area``; a
field it finds wrong gets only its message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from directory.areas import normalise_pc4
from directory.errors import Conflict, Detail, ValidationError
from directory.model import AREA, Node
from directory.records import clean_props
from directory.service import Directory
from web.auth import Account
from web.pages.beheer_areas import check_area
from web.pages.beheer_forms import KindForm
from web.pages.beheer_links import apply_links, plan_links

__all__ = ["Saved", "Invalid", "Stale", "save_node"]


@dataclass
class Saved:
    node: Node


@dataclass
class Invalid:
    details: list[Detail]


@dataclass
class Stale:
    node: Node  # as stored now


def _check(directory: Directory, form: KindForm, node: Node | None, props: dict[str, Any],
           links: dict[str, str], user: Account | None) -> tuple[list[Any], list[Detail]]:
    details: list[Detail] = []
    merged = {**(node.props if node else {}), **props}
    try:
        clean_props(form.kind, {k: v for k, v in merged.items() if v is not None})
    except ValidationError as exc:
        details += exc.details
    changes, problems = plan_links(directory, form, node.id if node else None, links, user)
    return changes, details + problems


def _follow_postcode(node: Node, props: dict[str, Any]) -> None:
    """A new postcode brings its own place unless the place was changed too."""
    old, new = node.props.get("postcode"), props.get("postcode")
    if "city" in props and props["city"] == node.props.get("city") and (
            _pc4(old) != _pc4(new)):
        props.pop("city")


def _pc4(postcode: Any) -> str | None:
    return normalise_pc4(str(postcode)) if postcode else None


def save_node(directory: Directory, form: KindForm, node_id: str | None, version: int | None,
              props: dict[str, Any], links: dict[str, str], user: Account | None
              ) -> Saved | Invalid | Stale:
    """Create (``node_id`` None) or change a node with its links."""
    store = directory.store
    node = store.get_node(node_id) if node_id else None
    if node is not None and node.version != version:
        return Stale(node)
    if node is not None:
        _follow_postcode(node, props)
        for fixed in (f.name for f in form.fields if f.fixed):
            props.pop(fixed, None)  # set once, at creation
    own = check_area(directory, node, props, links) if form.kind == AREA else []
    changes, details = _check(directory, form, node, props, links, user)
    details = own + [d for d in details if d.field not in {o.field for o in own}]
    if details:
        return Invalid(details)
    try:
        with store.transaction(directory.actor):
            if node is None:
                saved = directory.create(form.kind, {k: v for k, v in props.items()
                                                     if v is not None})
            else:
                saved = directory.update(node.id, props, version=node.version)
            apply_links(directory, saved.id, changes)
    except Conflict:
        if node is None:
            raise
        return Stale(store.get_node(node.id))
    except ValidationError as exc:
        return Invalid(exc.details or [Detail("", str(exc))])
    return Saved(store.get_node(saved.id))
