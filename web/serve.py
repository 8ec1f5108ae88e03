"""``wijkkaart serve``: the secret key, the optional demo set-up, and uvicorn."""

from __future__ import annotations

import os
import secrets
import sys

from directory.accounts import AccountStore, accounts_of, add_account, set_password
from directory.service import Directory

__all__ = ["serve", "secret_key", "demo_login", "SECRET_ENV"]

SECRET_ENV = "WIJKKAART_SECRET_KEY"
DEMO_ACCOUNT = "demo"
DEMO_ROLE = "beheerder"


def _key_file(store_url: str) -> str:
    """Next to an SQLite store; for a server store in the user's data directory."""
    if store_url.startswith("sqlite:///"):
        return os.path.join(os.path.dirname(store_url[len("sqlite:///"):]), "wijkkaart.secret")
    from platformdirs import user_data_dir

    folder = user_data_dir("wijkkaart", appauthor=False)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "wijkkaart.secret")


def secret_key(store_url: str) -> str:
    """``WIJKKAART_SECRET_KEY``, else a key made once and kept (owner-only) in a file."""
    from_env = os.environ.get(SECRET_ENV, "").strip()
    if from_env:
        return from_env
    path = _key_file(store_url)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="ascii") as existing:
            key = existing.read().strip()
        if len(key) >= 32:
            return key
        raise ValueError(f"sleutelbestand {path} is ongeldig; verwijder het of zet "
                         f"{SECRET_ENV}") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as created:
        created.write(key + "\n")
    return key


def demo_login(accounts: AccountStore) -> tuple[str, str]:
    """The demo account with a fresh password (created when absent): (name, password)."""
    password = secrets.token_urlsafe(12)
    if accounts.get(DEMO_ACCOUNT) is None:
        add_account(accounts, DEMO_ACCOUNT, DEMO_ROLE, password)
    else:
        set_password(accounts, DEMO_ACCOUNT, password)
    return DEMO_ACCOUNT, password


def serve(directory: Directory, *, host: str, port: int, demo: bool) -> int:
    """Run the web app until interrupted."""
    import uvicorn

    from web.app import create_app

    if demo:
        from directory.demo_load import load_demo

        added = load_demo(directory)
        if added["nodes"]:
            print(f"Demoregio geladen: {added['nodes']} knopen, {added['edges']} relaties.")
        name, password = demo_login(accounts_of(directory.store))
        print(f"Demo-login: naam '{name}', wachtwoord '{password}' (rol {DEMO_ROLE}).")
    app = create_app(directory, secret_key=secret_key(directory.store.url))
    print(f"Wijkkaart draait op http://{host}:{port} (stoppen met Ctrl+C)", file=sys.stderr)
    # no access log: search queries in URLs must not end up in log files
    uvicorn.run(app, host=host, port=port, access_log=False, server_header=False,
                log_level="warning")
    return 0
