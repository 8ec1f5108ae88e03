"""The GraphStore protocol: the few primitives every storage backend provides.

Everything else (search ranking, handover, wijkanalyse, coverage) is written
once in ``directory/`` on top of these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol, runtime_checkable

import networkx as nx

from directory.facets import ActivityFilter, ActivityRow
from directory.model import AuditEntry, Edge, Node

Direction = Literal["out", "in", "both"]
MatchMode = Literal["all", "any"]


@runtime_checkable
class GraphStore(Protocol):
    """Storage of nodes, dated edges and an audit log, with full-text lookup."""

    url: str

    def init(self) -> None:
        """Create or upgrade the schema and indexes; safe to call again."""

    def transaction(self, actor: str = "system") -> AbstractContextManager[None]:
        """All writes inside happen together or not at all; nested calls join the outer one."""

    def reading(self) -> AbstractContextManager[None]:
        """The reads inside see one snapshot and share one transaction (fewer round trips
        on a server); for reads only; nested calls, and calls inside a transaction, join."""

    def get_node(self, node_id: str) -> Node:
        """The node with this id; raises NotFound."""

    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        """The nodes that exist among ``ids``, by id."""

    def find_nodes(
        self,
        kind: str | None = None,
        where: Mapping[str, Any] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Node]:
        """Nodes of a kind whose properties equal ``where`` (keys ``source``/``source_id``
        match the source key), ordered by name then id."""

    def count_nodes(self, kind: str | None = None) -> int:
        """How many nodes of a kind (or in all) there are."""

    def node_values(self, kind: str, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """For every node of a kind, by id, just the named properties it has (a missing
        or null one is left out), without reading whole nodes: the cheap way to look at
        one or two fields of many nodes."""

    def put_node(self, node: Node, *, actor: str = "system") -> Node:
        """Create (``version`` 0) or update (``version`` = the stored one) a node.

        Returns the stored node with its new version. A stale version, or creating
        an id that exists, raises Conflict.
        """

    def put_nodes(self, nodes: Sequence[Node], *, actor: str = "system") -> list[Node]:
        """``put_node`` for many nodes in one transaction."""

    def delete_node(self, node_id: str, *, version: int, actor: str = "system") -> None:
        """Remove a node that has no edges; raises Conflict if stale or still linked."""

    def add_edge(self, edge: Edge, *, actor: str = "system") -> Edge:
        """Store a new edge; returns it with its id. Both ends must exist (NotFound)."""

    def add_edges(self, edges: Sequence[Edge], *, actor: str = "system") -> list[Edge]:
        """``add_edge`` for many edges in one transaction."""

    def update_edge(self, edge: Edge, *, actor: str = "system") -> Edge:
        """Replace an edge's props, since and until (its ends and type stay)."""

    def update_edges(self, edges: Sequence[Edge], *, actor: str = "system") -> list[Edge]:
        """``update_edge`` for many edges in one transaction (type and source as stored)."""

    def get_edge(self, edge_id: int) -> Edge:
        """The edge with this id; raises NotFound."""

    def edges(
        self,
        node_id: str | None = None,
        *,
        types: Sequence[str] | None = None,
        direction: Direction = "both",
        current: bool | None = None,
    ) -> list[Edge]:
        """Edges at a node (or all edges), optionally of some types; ``current`` True
        keeps only those without a past ``until``, False only ended ones."""

    def edges_between(self, types: Sequence[str], node_ids: Iterable[str],
                      direction: Direction = "out") -> list[Edge]:
        """Edges of the types that leave (``out``) or reach (``in``) any of the nodes."""

    def neighbours(self, node_ids: Iterable[str], types: Sequence[str],
                   direction: Direction = "out") -> tuple[list[Edge], dict[str, Node]]:
        """``edges_between`` (``both``: either way) and the nodes at both ends of them,
        the given ones included, in one call: what a page of result cards needs."""

    def text_candidates(
        self, terms: Sequence[str | Sequence[str]], kind: str, *, mode: MatchMode = "all",
        limit: int = 1000
    ) -> list[tuple[str, float]]:
        """Ids of nodes of ``kind`` whose folded search text contains every (``all``) or
        any (``any``) of the ``terms`` as a substring, with a relevance score (higher is
        better), best first. A term may be a sequence of alternatives, any of which
        matches; terms are folded and at least three characters long."""

    def typo_candidates(
        self, where: ActivityFilter, pieces: Sequence[Sequence[str]], limit: int
    ) -> list[ActivityRow]:
        """The activities passing ``where`` (its terms aside) that hold, for every entry
        of ``pieces``, one of its pieces in their search text: per entry the ``limit``
        activities holding most of its pieces (``text_candidates`` with ``mode="any"``),
        intersected. The typo fallback (``directory.relevance``) scores these; pieces are
        folded and three characters long."""

    def match_activities(
        self, where: ActivityFilter, *, page: tuple[int, int] | None = None
    ) -> tuple[list[ActivityRow], int]:
        """Activities passing every filter, and how many there are. With ``page``
        (offset, limit) only that page, ordered by lowercased title then id; without it
        all of them, in any order (the core ranks them)."""

    def rank_activities(
        self, where: ActivityFilter, page: tuple[int, int]
    ) -> tuple[list[tuple[ActivityRow, float]], int]:
        """Activities passing ``where`` (which has ``terms``), best first, with their
        score, and how many there are: the page (offset, limit; limit -1: all) of the
        order by :func:`directory.relevance.relevance` of title and search text (at least
        1.0 when matched through the organisation's name), then lowercased title, then id.
        ``directory.relevance.rank_in_memory`` does this with ``match_activities``."""

    def projection(self, types: Sequence[str] | None = None) -> nx.MultiDiGraph[str]:
        """A networkx MultiDiGraph of the current edges of ``types`` (all when None),
        nodes with ``kind`` and ``name`` attributes, edges with ``type`` and props."""

    def audit(self, target: str | None = None, *, limit: int = 100,
              involving: bool = False) -> list[AuditEntry]:
        """The newest audit entries (``limit`` -1: all), for one node or in all; with
        ``involving`` also the entries of relations that end at the node."""

    def erase_audit_values(self, target: str, fields: Sequence[str], *, actor: str) -> None:
        """Null the named personal fields in every audit entry about a node (its own and
        those of relations ending at it) and record the erasure (AVG)."""

    def dump(self) -> Iterator[dict[str, Any]]:
        """Every node, edge and audit entry as plain dicts (``{"node": …}``,
        ``{"edge": …}``, ``{"audit": …}``), nodes first."""

    def load(self, records: Iterable[dict[str, Any]]) -> None:
        """Replace the store's whole content with a dump, keeping ids, versions and dates."""

    def backup(self, path: str) -> None:
        """Write a consistent copy of the whole store to ``path``."""

    def close(self) -> None:
        """Release connections and files."""
