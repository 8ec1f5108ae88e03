"""Accounts for the web app: roles, argon2 password hashes, and the storage protocol.

Accounts live in the store (an SQLite table, Neo4j ``:Account`` nodes) but never among
the directory's nodes. Passwords are only ever kept as argon2id hashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from directory.errors import BackendUnavailable, Conflict, NotFound, ValidationError
from directory.store import GraphStore

__all__ = [
    "ROLES", "MIN_PASSWORD_LENGTH", "Account", "StoredAccount", "AccountStore",
    "accounts_of", "add_account", "set_password", "remove_account", "verify_login", "role_at_least",
]

ROLES = ("lezer", "redacteur", "coordinator", "beheerder")  # ascending rights
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified when the name is unknown: a wrong name costs as much as a wrong password."""
    return _hasher.hash("wijkkaart-geen-account")


@dataclass(frozen=True)
class Account:
    """Who is logged in: a name and one of ``ROLES``."""

    name: str
    role: str


@dataclass(frozen=True)
class StoredAccount:
    """An account as stored, with its password hash."""

    name: str
    role: str
    password_hash: str
    created_at: str

    def public(self) -> Account:
        return Account(self.name, self.role)


@runtime_checkable
class AccountStore(Protocol):
    """Where a backend keeps accounts; names are unique without regard to case."""

    def get(self, name: str) -> StoredAccount | None:
        """The account with this name (any case), or None."""

    def all(self) -> list[StoredAccount]:
        """Every account, by name."""

    def insert(self, account: StoredAccount) -> None:
        """Store a new account; Conflict when the name is taken."""

    def set_hash(self, name: str, password_hash: str) -> None:
        """Replace an account's password hash (after a rehash or a new password)."""

    def delete(self, name: str) -> bool:
        """Remove an account; False when there was none."""


@runtime_checkable
class HasAccounts(Protocol):
    def accounts(self) -> AccountStore: ...


def accounts_of(store: GraphStore) -> AccountStore:
    """The account storage of a store (both built-in backends have one)."""
    if not isinstance(store, HasAccounts):
        raise BackendUnavailable(f"opslag {store.url} kan geen accounts bewaren")
    return store.accounts()


def role_at_least(role: str | None, needed: str) -> bool:
    """Whether ``role`` has at least the rights of ``needed``."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise ValidationError.field(
            "naam", "gebruik 2 tot 64 tekens: letters, cijfers en . _ @ - "
                    "(begin met een letter of cijfer)")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError.field("rol", f"onbekende rol '{role}'; kies uit {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError.field(
            "wachtwoord", f"het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError.field("wachtwoord", "het wachtwoord is te lang")
    return password


def add_account(accounts: AccountStore, name: str, role: str, password: str) -> Account:
    """Create an account after checking name, role and password."""
    from directory.model import now_iso

    name, role = check_name(name), check_role(role)
    check_password(password)
    if accounts.get(name) is not None:
        raise Conflict(f"account '{name}' bestaat al")
    accounts.insert(StoredAccount(name, role, _hasher.hash(password), now_iso()))
    return Account(name, role)


def set_password(accounts: AccountStore, name: str, password: str) -> None:
    """Give an existing account a new password."""
    stored = accounts.get(name.strip())
    if stored is None:
        raise NotFound(f"account '{name}' bestaat niet")
    accounts.set_hash(stored.name, _hasher.hash(check_password(password)))


def remove_account(accounts: AccountStore, name: str) -> None:
    if not accounts.delete(name.strip()):
        raise NotFound(f"account '{name}' bestaat niet")


def verify_login(accounts: AccountStore, name: str, password: str) -> Account | None:
    """The account when name and password match; None otherwise (same cost either way)."""
    stored = accounts.get(name.strip()) if name.strip() else None
    if len(password) > MAX_PASSWORD_LENGTH:
        return None
    try:
        _hasher.verify(stored.password_hash if stored else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if _hasher.check_needs_rehash(stored.password_hash):
        accounts.set_hash(stored.name, _hasher.hash(password))
    return stored.public()
