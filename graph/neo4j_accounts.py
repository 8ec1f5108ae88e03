"""Web app accounts in Neo4j: ``:Account`` nodes, apart from the directory's ``:Node`` graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from directory.accounts import StoredAccount
from directory.errors import Conflict
from graph.neo4j_schema import translated

if TYPE_CHECKING:
    from graph.neo4j_store import Neo4jStore

CONSTRAINT = ("CREATE CONSTRAINT wijkkaart_account_key IF NOT EXISTS FOR (a:Account) "
              "REQUIRE a.key IS UNIQUE")
_RETURN = "RETURN a.name AS name, a.role AS role, a.password_hash AS h, a.created_at AS c"


def _account(row: dict[str, Any]) -> StoredAccount:
    return StoredAccount(row["name"], row["role"], row["h"], row["c"])


class Neo4jAccounts:
    """AccountStore on the store's driver; names are matched on their lowercase key."""

    def __init__(self, store: Neo4jStore) -> None:
        self._store = store
        with translated(store.url), store._session() as session:
            session.run(CONSTRAINT).consume()

    def get(self, name: str) -> StoredAccount | None:
        rows = self._store._rows(f"MATCH (a:Account {{key: $key}}) {_RETURN}",
                                 key=name.lower())
        return _account(rows[0]) if rows else None

    def all(self) -> list[StoredAccount]:
        rows = self._store._rows(f"MATCH (a:Account) {_RETURN} ORDER BY a.key")
        return [_account(row) for row in rows]

    def insert(self, account: StoredAccount) -> None:
        try:
            self._store._rows(
                "CREATE (a:Account {key: $key, name: $name, role: $role, "
                "password_hash: $h, created_at: $c})", write=True, key=account.name.lower(),
                name=account.name, role=account.role, h=account.password_hash,
                c=account.created_at)
        except Conflict as exc:
            raise Conflict(f"account '{account.name}' bestaat al") from exc

    def set_hash(self, name: str, password_hash: str) -> None:
        self._store._rows("MATCH (a:Account {key: $key}) SET a.password_hash = $h",
                          write=True, key=name.lower(), h=password_hash)

    def delete(self, name: str) -> bool:
        rows = self._store._rows("MATCH (a:Account {key: $key}) DELETE a RETURN count(*) AS n",
                                 write=True, key=name.lower())
        return bool(rows) and int(rows[0]["n"]) > 0
