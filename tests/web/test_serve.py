"""``wijkkaart serve`` set-up: the secret key and the demo login."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_helpers import login

from directory.accounts import accounts_of, verify_login
from directory.cli_args import build_parser
from directory.service import Directory
from web.app import create_app
from web.serve import SECRET_ENV, demo_login, secret_key


def test_secret_key_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                         ) -> None:
    monkeypatch.setenv(SECRET_ENV, "uit-de-omgeving-" + "x" * 32)
    assert secret_key(f"sqlite:///{tmp_path}/store.db") == "uit-de-omgeving-" + "x" * 32
    assert not (tmp_path / "wijkkaart.secret").exists()


def test_secret_key_made_once_next_to_the_store(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    first = secret_key(f"sqlite:///{tmp_path}/store.db")
    assert len(first) >= 32 and secret_key(f"sqlite:///{tmp_path}/store.db") == first
    path = tmp_path / "wijkkaart.secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    other = tmp_path / "elders"
    other.mkdir()
    assert secret_key(f"sqlite:///{other}/store.db") != first


def test_demo_login_works_and_is_renewed(sqlite_demo: Directory) -> None:
    accounts = accounts_of(sqlite_demo.store)
    name, password = demo_login(accounts)
    assert verify_login(accounts, name, password) is not None
    again_name, again = demo_login(accounts)
    assert again_name == name and again != password
    assert verify_login(accounts, name, password) is None
    with TestClient(create_app(sqlite_demo, secret_key="k" * 40)) as client:
        login(client, name, again)
        assert client.get("/wijk/GM0268").status_code == 200


def test_serve_arguments() -> None:
    parser = build_parser({"serve": lambda d, a: 0})
    args = parser.parse_args(["serve", "--demo", "--port", "8123"])
    assert (args.host, args.port, args.demo) == ("127.0.0.1", 8123, True)


def test_serve_keeps_no_access_log(sqlite_demo: Directory, monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Search queries travel in URLs: the server must not write them to an access log."""
    import uvicorn

    from web.serve import serve

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(
        options, app=app))
    monkeypatch.setenv(SECRET_ENV, "s" * 40)
    assert serve(sqlite_demo, host="127.0.0.1", port=8123, demo=True) == 0
    assert started["access_log"] is False and started["port"] == 8123
    out = capsys.readouterr().out
    assert "Demo-login: naam 'demo'" in out
    password = out.split("wachtwoord '")[1].split("'")[0]
    assert verify_login(accounts_of(sqlite_demo.store), "demo", password) is not None
    with TestClient(started["app"]) as client:  # type: ignore[arg-type]
        assert client.get("/zoeken?q=koffie").status_code == 200
