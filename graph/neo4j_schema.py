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
from neo4j.spatial import WGS84Point

from directory.errors import BackendUnavailable, Conflict, ValidationError
from directory.facets import EVERYONE, ActivityFacets, activity_facets
from directory.model import ACTIVITY, EDGE_TYPES, KINDS, Edge, Node
from directory.textsearch import search_text

SCHEMA_VERSION = 3  # 2: activities keep _title_words for ranking; 3: one full-text index
# per kind of search, each node in one of them: activities (with _facets), organisations, names
TEXT_INDEX = "wijkkaart_names"  # teams, people and areas
# version 2's full-text index of every node, and the latitude index the point index replaced
RETIRED_INDEXES = ("wijkkaart_text", "wijkkaart_activity_lat")
ACTIVITY_INDEX = "wijkkaart_activity"  # activities only: text, title words and facet tokens
ORGANISATION_INDEX = "wijkkaart_organisation"  # organisations' names, for "via" matches
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
        "CREATE INDEX wijkkaart_activity_gemeente IF NOT EXISTS FOR (n:Activity) "
        "ON (n.gemeente)",
        "CREATE INDEX wijkkaart_person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",
        "CREATE INDEX wijkkaart_audit_target IF NOT EXISTS FOR (a:Audit) ON (a.target)",
        *(f"DROP INDEX {name} IF EXISTS" for name in RETIRED_INDEXES),
        f"CREATE FULLTEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (n:Team|Person|Area) "
        "ON EACH [n._text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', "
        "`fulltext.eventually_consistent`: false}}",
        f"CREATE FULLTEXT INDEX {ORGANISATION_INDEX} IF NOT EXISTS FOR (n:Organisation) "
        "ON EACH [n._text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', "
        "`fulltext.eventually_consistent`: false}}",
        "CREATE INDEX wijkkaart_offered_until IF NOT EXISTS FOR ()-[r:OFFERED_BY]-() "
        "ON (r.until)",
        "CREATE INDEX wijkkaart_activity_orgs IF NOT EXISTS FOR (n:Activity) ON (n._orgs)",
        "CREATE INDEX wijkkaart_activity_area_dated IF NOT EXISTS FOR (n:Activity) "
        "ON (n._area_dated)",
        "CREATE POINT INDEX wijkkaart_activity_point IF NOT EXISTS FOR (n:Activity) "
        "ON (n._point)",
        f"CREATE FULLTEXT INDEX {ACTIVITY_INDEX} IF NOT EXISTS FOR (n:Activity) "
        "ON EACH [n._text, n._title_words, n._facets, n._org, n._areas] "
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
        point = (None if facets.lat is None or facets.lon is None
                 else WGS84Point((facets.lon, facets.lat)))
        row.update({"_title_key": facets.title_key, "_title_words": facets.title_words,
                    "_facets": facet_tokens(facets), "_point": point, "_active": facets.active,
                    "_free": facets.free, "_referral": facets.referral, "_days": facets.days})
    return row


# What an activity's relations say about it, for the activity index; recomputed by the
# store whenever they or the activity change (``derived_defaults`` for a new activity):
# * ``_org``: the name of the one organisation offering it without an end date ('' for
#   none or several; ``_orgs`` says how many when several), so an activity is found by
#   that name;
# * ``_areas``: the codes of the areas it is placed in without an end date, or, placed
#   nowhere, its postcode's gemeente; ``_area_dated`` counts its placements with an end
#   date, which make it irregular. Both counts are left out when 0, so that their
#   indexes hold only the few irregular activities.
# Relations with an end date are current only until then, and several organisations are
# rare: search looks those few up itself (``neo4j_search``), so nothing goes stale.
REFRESH_DERIVED = (
    "UNWIND $ids AS i MATCH (f:Node {id: i}) WHERE f:Activity "
    "OPTIONAL MATCH (f)-[e:OFFERED_BY]->(o:Organisation) WHERE e.until IS NULL "
    "WITH f, [t IN collect(o._text) WHERE t IS NOT NULL] AS names "
    "OPTIONAL MATCH (f)-[p:IN_AREA]->(x:Node) "
    "WITH f, names, [c IN collect(CASE WHEN p.until IS NULL THEN x.id END) "
    "WHERE c IS NOT NULL] AS open, count(p) AS placed, count(p.until) AS dated "
    "SET f._org = CASE size(names) WHEN 1 THEN names[0] ELSE '' END, "
    "f._orgs = CASE WHEN size(names) > 1 THEN size(names) END, "  # null: not in its index
    "f._areas = CASE placed WHEN 0 THEN coalesce(f.gemeente, '') "
    "ELSE reduce(s = '', c IN open | s + ' ' + c) END, "
    "f._area_dated = CASE WHEN dated > 0 THEN dated END")


def derived_defaults(node: Node) -> dict[str, Any]:
    """``REFRESH_DERIVED``'s values for an activity without relations."""
    return {"_org": "", "_areas": node.props.get("gemeente") or ""}


def facet_tokens(facets: ActivityFacets) -> str:
    """An activity's filter values as words for the activity index, so that a search's
    filters and its count are answered by the index alone (``neo4j_search.facet_clauses``).
    An activity without a stated target group is for everyone."""
    tokens = ["active" if facets.active else "stopped"]
    if facets.free:
        tokens.append("free")
    if not facets.referral:
        tokens.append("noref")
    tokens += [f"d_{key}" for key in facets.life_domains]
    tokens += [f"t_{key}" for key in facets.target_groups or [EVERYONE]]
    tokens += [f"day_{key}" for key in facets.days]
    return " ".join(token.replace(" ", "_") for token in tokens)


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
