"""Web app accounts in the SQLite store file: one ``accounts`` table beside the graph."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from directory.accounts import StoredAccount
from directory.errors import Conflict

if TYPE_CHECKING:
    from graph.sqlite_store import SqliteStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

_COLUMNS = "name, role, password_hash, created_at"


class SqliteAccounts:
    """AccountStore on the store's own connections and transactions."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        store._conn().executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        return self._store._conn()

    def get(self, name: str) -> StoredAccount | None:
        row = self._conn().execute(f"SELECT {_COLUMNS} FROM accounts WHERE name = ?",
                                   (name,)).fetchone()
        return StoredAccount(*row) if row else None

    def all(self) -> list[StoredAccount]:
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM accounts ORDER BY name COLLATE NOCASE").fetchall()
        return [StoredAccount(*row) for row in rows]

    def insert(self, account: StoredAccount) -> None:
        with self._store.transaction("accounts"):
            try:
                self._conn().execute(
                    f"INSERT INTO accounts ({_COLUMNS}) VALUES (?, ?, ?, ?)",
                    (account.name, account.role, account.password_hash, account.created_at))
            except sqlite3.IntegrityError as exc:
                raise Conflict(f"account '{account.name}' bestaat al") from exc

    def set_hash(self, name: str, password_hash: str) -> None:
        with self._store.transaction("accounts"):
            self._conn().execute("UPDATE accounts SET password_hash = ? WHERE name = ?",
                                 (password_hash, name))

    def delete(self, name: str) -> bool:
        with self._store.transaction("accounts"):
            cursor = self._conn().execute("DELETE FROM accounts WHERE name = ?", (name,))
            return cursor.rowcount > 0
