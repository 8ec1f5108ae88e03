"""``wijkkaart user add|list|remove``: accounts for the web app, from the command line.

The password is asked at the terminal (twice), or read from ``WIJKKAART_PASSWORD`` when
stdin is not a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from directory.accounts import accounts_of, add_account, check_name, check_role, remove_account
from directory.errors import ValidationError
from directory.service import Directory

__all__ = ["cmd_user", "PASSWORD_ENV"]

PASSWORD_ENV = "WIJKKAART_PASSWORD"


def read_password() -> str:
    """The new account's password, from the terminal or the environment."""
    if not sys.stdin.isatty():
        password = os.environ.get(PASSWORD_ENV)
        if not password:
            raise ValidationError.field(
                "wachtwoord", f"geen terminal: zet het wachtwoord in {PASSWORD_ENV}")
        return password
    password = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nog een keer: ") != password:
        raise ValidationError.field("wachtwoord", "de twee wachtwoorden verschillen")
    return password


def cmd_user(d: Directory, args: argparse.Namespace) -> int:
    accounts = accounts_of(d.store)
    if args.action == "list":
        stored = accounts.all()
        if args.json:
            items = [{"name": a.name, "role": a.role, "created_at": a.created_at}
                     for a in stored]
            json.dump({"items": items, "total": len(items)}, sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        elif not stored:
            print("Nog geen accounts. Maak er een met: wijkkaart user add NAAM --role ROL")
        else:
            for a in stored:
                print(f"{a.name}\t{a.role}\t{a.created_at[:10]}")
        return 0
    if not args.name:
        raise ValidationError.field("naam", f"geef een naam: wijkkaart user {args.action} NAAM")
    if args.action == "add":
        if not args.role:
            raise ValidationError.field("--role", "kies een rol met --role")
        check_name(args.name)
        check_role(args.role)
        account = add_account(accounts, args.name, args.role, read_password())
        print(f"Account '{account.name}' aangemaakt met rol {account.role}.")
    else:
        remove_account(accounts, args.name)
        print(f"Account '{args.name}' verwijderd.")
    return 0
