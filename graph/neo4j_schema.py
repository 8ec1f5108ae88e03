"""Neo4j specifics shared by the Neo4j store: schema, property mapping, error translation.

Nodes are ``(:Node:<Kind>)`` with the core's properties stored natively and the
store's own bookkeeping in underscore-prefixed properties; relationships carry
``_id``, ``since``, ``until`` and their props. Driver errors become core errors here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from directory.errors import BackendUnavailable, Conflict, ValidationError
from directory.facets import activity_facets
from directory.model import ACTIVITY, EDGE_TYPES, KINDS, Edge, Node
from directory.textsearch import search_text

SCHEMA_VERSION = 2  # 2: activities keep _title_words for ranking
TEXT_INDEX = "wijkkaart_text"
SYSTEM = ("_kind", "_name", "_version", "_created_at", "_updated_at", "_source",
          "_source_id", "_source_key", "_text")
EDGE_SYSTEM = ("_id", "since", "until")


def schema_statements() -> list[str]:
    """Constraints and indexes, each idempotent (``IF NOT EXISTS``)."""
    statements = [
        "CREATE CONSTRAINT wijkkaart_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT wijkkaart_source_key IF NOT EXISTS FOR (n:Node) "
        "REQUIRE n._source_key IS UNIQUE",
        "CREATE CONSTRAINT wijkkaart_audit_id IF NOT EXISTS FOR (a:Audit) REQUIRE a.id IS UNIQUE",
        "CREATE CONSTRAINT wijkkaart_sequence IF NOT EXISTS FOR (s:Sequence) "
        "REQUIRE s.name IS UNIQUE",
        "CREATE INDEX wijkkaart_kind_name IF NOT EXISTS FOR (n:Node) ON (n._kind, n._name)",
        "CREATE INDEX wijkkaart_area_code IF NOT EXISTS FOR (n:Area) ON (n.code)",
        "CREATE INDEX wijkkaart_org_name IF NOT EXISTS FOR (n:Organisation) ON (n.name)",
        "CREATE INDEX wijkkaart_activity_title IF NOT EXISTS FOR (n:Activity) ON (n.title)",
        "CREATE INDEX wijkkaart_activity_order IF NOT EXISTS FOR (n:Activity) "
        "ON (n._title_key, n.id)",
        "CREATE INDEX wijkkaart_activity_lat IF NOT EXISTS FOR (n:Activity) ON (n.lat)",
        "CREATE INDEX wijkkaart_activity_gemeente IF NOT EXISTS FOR (n:Activity) "
        "ON (n.gemeente)",
        "CREATE INDEX wijkkaart_person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",
        "CREATE INDEX wijkkaart_audit_target IF NOT EXISTS FOR (a:Audit) ON (a.target)",
        f"CREATE FULLTEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (n:Node) ON EACH [n._text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', "
        "`fulltext.eventually_consistent`: false}}",
    ]
    for rel_type in EDGE_TYPES:
        statements.append(
            f"CREATE INDEX wijkkaart_rel_{rel_type.lower()} IF NOT EXISTS "
            f"FOR ()-[r:{rel_type}]-() ON (r._id)")
    return statements


def label(kind: str) -> str:
    """A node kind, checked, for use as a label (labels cannot be parameters)."""
    if kind not in KINDS:
        raise ValidationError.field("kind", f"onbekende soort '{kind}'")
    return kind


def rel_type(name: str) -> str:
    """A relationship type, checked, for use in a pattern."""
    if name not in EDGE_TYPES:
        raise ValidationError.field("type", f"onbekende relatie '{name}'")
    return name


def node_row(node: Node) -> dict[str, Any]:
    """The properties a node is stored with."""
    row: dict[str, Any] = {k: v for k, v in node.props.items() if v is not None}
    key = f"{node.source}\x1f{node.source_id}" if node.source and node.source_id else None
    row.update({"id": node.id, "_kind": node.kind, "_name": node.name,
                "_version": node.version, "_created_at": node.created_at,
                "_updated_at": node.updated_at, "_source": node.source,
                "_source_id": node.source_id, "_source_key": key,
                "_text": search_text(node) or None})
    if node.kind == ACTIVITY:
        facets = activity_facets(node)
        row.update({"_title_key": facets.title_key, "_title_words": facets.title_words,
                    "_active": facets.active,
                    "_free": facets.free, "_referral": facets.referral, "_days": facets.days})
    return row


def node_from(props: Mapping[str, Any]) -> Node:
    """A core node from a stored node's properties."""
    data = dict(props)
    core = {k: v for k, v in data.items() if k != "id" and not k.startswith("_")}
    return Node(id=data["id"], kind=data["_kind"], props=core, version=int(data["_version"]),
                created_at=data["_created_at"], updated_at=data["_updated_at"],
                source=data.get("_source"), source_id=data.get("_source_id"))


def edge_row(edge: Edge) -> dict[str, Any]:
    row: dict[str, Any] = {k: v for k, v in edge.props.items() if v is not None}
    row.update({"_id": edge.id, "since": edge.since, "until": edge.until})
    return row


def edge_from(rel_type_name: str, src: str, dst: str, props: Mapping[str, Any]) -> Edge:
    data = dict(props)
    core = {k: v for k, v in data.items() if k not in EDGE_SYSTEM}
    return Edge(type=rel_type_name, src=src, dst=dst, props=core, since=data.get("since"),
                until=data.get("until"), id=int(data["_id"]))


@contextmanager
def translated(url: str) -> Iterator[None]:
    """Turn driver errors into the core's errors (no driver error leaves graph/)."""
    try:
        yield
    except ConstraintError as exc:
        raise Conflict(f"bestaat al (id of bronsleutel dubbel): {exc.message}") from exc
    except AuthError as exc:
        raise BackendUnavailable(
            f"aanmelden bij Neo4j op {url} mislukt: controleer WIJKKAART_NEO4J_USER en "
            "WIJKKAART_NEO4J_PASSWORD") from exc
    except (ServiceUnavailable, SessionExpired) as exc:
        raise BackendUnavailable(
            f"Neo4j op {url} is niet bereikbaar; er is niets half geschreven") from exc
    except TransientError as exc:
        raise BackendUnavailable(f"Neo4j is tijdelijk bezet, probeer het opnieuw: "
                                 f"{exc.message}") from exc
    except ClientError as exc:
        if exc.code and "DatabaseNotFound" in exc.code:
            raise BackendUnavailable(f"database bestaat niet op {url}: {exc.message}") from exc
        raise BackendUnavailable(f"Neo4j weigerde de opdracht: {exc.message}") from exc
    except (Neo4jError, DriverError) as exc:
        raise BackendUnavailable(f"fout in de verbinding met Neo4j op {url}: {exc}") from exc
