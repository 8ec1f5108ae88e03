"""Accounts on every backend (never among the directory's nodes) and the ``user`` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory.accounts import (
    AccountStore,
    accounts_of,
    add_account,
    remove_account,
    set_password,
    verify_login,
)
from directory.cli import main
from directory.errors import Conflict, NotFound, ValidationError
from directory.store import GraphStore

PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture
def accounts(store: GraphStore) -> AccountStore:
    found = accounts_of(store)
    for stored in found.all():  # a Neo4j test database keeps accounts between tests
        found.delete(stored.name)
    return found


def test_add_verify_list_remove(accounts: AccountStore) -> None:
    add_account(accounts, "Anna", "redacteur", PASSWORD)
    add_account(accounts, "bram", "lezer", PASSWORD + "2")
    assert [(a.name, a.role) for a in accounts.all()] == [("Anna", "redacteur"),
                                                         ("bram", "lezer")]
    stored = accounts.get("anna")
    assert stored is not None and stored.name == "Anna"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    account = verify_login(accounts, "ANNA", PASSWORD)
    assert account is not None and (account.name, account.role) == ("Anna", "redacteur")
    assert verify_login(accounts, "anna", PASSWORD + "x") is None
    assert verify_login(accounts, "niemand", PASSWORD) is None
    remove_account(accounts, "anna")
    assert accounts.get("Anna") is None
    assert verify_login(accounts, "Anna", PASSWORD) is None
    with pytest.raises(NotFound):
        remove_account(accounts, "anna")


def test_names_are_unique_without_regard_to_case(accounts: AccountStore) -> None:
    add_account(accounts, "Anna", "lezer", PASSWORD)
    with pytest.raises(Conflict):
        add_account(accounts, "anna", "beheerder", PASSWORD)
    assert [a.role for a in accounts.all()] == ["lezer"]


def test_bad_input_is_refused_with_the_field(accounts: AccountStore) -> None:
    cases = [("a", "lezer", PASSWORD, "naam"), ("<script>", "lezer", PASSWORD, "naam"),
             ("anna", "baas", PASSWORD, "rol"), ("anna", "lezer", "kort", "wachtwoord")]
    for name, role, password, field in cases:
        with pytest.raises(ValidationError) as caught:
            add_account(accounts, name, role, password)
        assert caught.value.details[0].field == field
    assert accounts.all() == []


def test_new_password(accounts: AccountStore) -> None:
    add_account(accounts, "anna", "lezer", PASSWORD)
    set_password(accounts, "Anna", "een-ander-wachtwoord")
    assert verify_login(accounts, "anna", PASSWORD) is None
    assert verify_login(accounts, "anna", "een-ander-wachtwoord") is not None


def test_accounts_are_not_directory_nodes(store: GraphStore, accounts: AccountStore) -> None:
    before = store.count_nodes()
    add_account(accounts, "anna", "beheerder", PASSWORD)
    assert store.count_nodes() == before
    assert store.find_nodes(where={"name": "anna"}) == []
    assert "anna" not in repr(list(store.dump()))


def _run(args: list[str], db: Path) -> int:
    return main(["--store", str(db), *args])


def test_user_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "store.db"
    monkeypatch.setenv("WIJKKAART_PASSWORD", PASSWORD)
    assert _run(["user", "add", "anna", "--role", "coordinator"], db) == 0
    assert "Account 'anna' aangemaakt met rol coordinator" in capsys.readouterr().out
    assert _run(["user", "add", "ANNA", "--role", "lezer"], db) == 1
    assert "bestaat al" in capsys.readouterr().err
    assert _run(["user", "list"], db) == 0
    assert capsys.readouterr().out.startswith("anna\tcoordinator\t")
    assert _run(["user", "remove", "anna"], db) == 0
    assert _run(["user", "list", "--json"], db) == 0
    assert '"total": 0' in capsys.readouterr().out
    assert _run(["user", "remove", "anna"], db) == 1
    assert "bestaat niet" in capsys.readouterr().err


def test_user_add_needs_a_good_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "store.db"
    monkeypatch.delenv("WIJKKAART_PASSWORD", raising=False)
    assert _run(["user", "add", "anna", "--role", "lezer"], db) == 1
    assert "WIJKKAART_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("WIJKKAART_PASSWORD", "kort")
    assert _run(["user", "add", "anna", "--role", "lezer"], db) == 1
    assert "minstens 10 tekens" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        _run(["user", "add", "anna", "--role", "koning"], db)
    assert usage.value.code == 2
