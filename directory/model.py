"""The property-graph records: nodes, edges and audit entries, plus kind names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

ORGANISATION = "Organisation"
TEAM = "Team"
PERSON = "Person"
ACTIVITY = "Activity"
AREA = "Area"
AGREEMENT = "Agreement"
KINDS = (ORGANISATION, TEAM, PERSON, ACTIVITY, AREA, AGREEMENT)

# What users read for each kind.
KIND_LABELS = {ORGANISATION: "organisatie", TEAM: "team", PERSON: "persoon",
               ACTIVITY: "activiteit", AREA: "gebied", AGREEMENT: "samenwerkingsafspraak"}

# CLI/API collection names -> node kind.
COLLECTIONS = {
    "organisations": ORGANISATION,
    "people": PERSON,
    "activities": ACTIVITY,
    "teams": TEAM,
    "areas": AREA,
    "agreements": AGREEMENT,
}

# Relationship type -> (source kind, target kind).
EDGE_TYPES: dict[str, tuple[str, str]] = {
    "WORKS_AT": (PERSON, ORGANISATION),
    "EMPLOYED_BY": (PERSON, ORGANISATION),
    "MEMBER_OF": (PERSON, TEAM),
    "LIAISON_FOR": (PERSON, ORGANISATION),
    "KNOWS": (PERSON, PERSON),
    "SERVES": (TEAM, AREA),
    "ACTIVE_IN": (ORGANISATION, AREA),
    "PART_OF": (ORGANISATION, ORGANISATION),
    "OFFERED_BY": (ACTIVITY, ORGANISATION),
    "IN_AREA": (ACTIVITY, AREA),
    "CONTACT": (ACTIVITY, PERSON),
    "WITHIN": (AREA, AREA),
    "WITH": (AGREEMENT, ORGANISATION),
    "AGREED": (TEAM, AGREEMENT),
}

# The property that names a node of each kind.
NAME_PROPERTY = {ACTIVITY: "title", AREA: "name", AGREEMENT: "summary"}


def new_id(kind: str) -> str:
    """A fresh, stable node id such as ``act-3f2a…``."""
    prefix = {ORGANISATION: "org", TEAM: "team", PERSON: "per", ACTIVITY: "act",
              AREA: "area", AGREEMENT: "agr"}[kind]
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def today_iso() -> str:
    return date.today().isoformat()


@dataclass
class Node:
    """A node: ``version`` 0 means not yet stored."""

    id: str
    kind: str
    props: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    created_at: str = ""
    updated_at: str = ""
    source: str | None = None
    source_id: str | None = None

    @property
    def name(self) -> str:
        value = self.props.get(NAME_PROPERTY.get(self.kind, "name"))
        if value is None and self.kind == AGREEMENT:
            value = self.props.get("kind")
        return str(value or "")

    def ref(self) -> dict[str, str]:
        """The short form other nodes show of this one."""
        return {"id": self.id, "kind": self.kind, "name": self.name}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "props": dict(self.props),
            "version": self.version, "created_at": self.created_at,
            "updated_at": self.updated_at, "source": self.source, "source_id": self.source_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        return cls(
            id=data["id"], kind=data["kind"], props=dict(data.get("props") or {}),
            version=int(data.get("version") or 0), created_at=data.get("created_at") or "",
            updated_at=data.get("updated_at") or "", source=data.get("source"),
            source_id=data.get("source_id"),
        )


@dataclass
class Edge:
    """A relationship; ``until`` None means current. ``id`` None means not yet stored."""

    type: str
    src: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    id: int | None = None

    @property
    def current(self) -> bool:
        return self.until is None or self.until > today_iso()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "src": self.src, "dst": self.dst,
                "props": dict(self.props), "since": self.since, "until": self.until}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edge:
        return cls(type=data["type"], src=data["src"], dst=data["dst"],
                   props=dict(data.get("props") or {}), since=data.get("since"),
                   until=data.get("until"), id=data.get("id"))


@dataclass(frozen=True)
class AuditEntry:
    """One change: who, when, what, and the record before and after."""

    at: str
    actor: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "target": self.target, "before": self.before, "after": self.after}
