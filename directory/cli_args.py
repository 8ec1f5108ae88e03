"""The argument grammar of ``wijkkaart`` (DESIGN §3), separate from what the commands do."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from directory.model import COLLECTIONS

HELP = {
    "init": "opslag aanmaken of bijwerken (schema, indexen, gemeenten en wijken)",
    "list": "knopen van één soort tonen",
    "show": "één knoop met zijn huidige en vroegere relaties",
    "search": "activiteiten zoeken voor een bewoner",
    "import": "een bestand importeren (csv, xlsx, hsds, vcard, ical, cbs, pc4, json)",
    "export": "exporteren (hsds, csv, xlsx, vcard, ical, graphml, gexf, json)",
    "handover": "relaties van een vertrekkend teamlid overdragen aan een collega",
    "handover-document": "overdrachtsdocument van één persoon (Markdown of JSON)",
    "analyse": "wijkanalyse van een gebied",
    "coverage": "dekking per wijk en risico's in het netwerk",
    "picture": "netwerkplaat als één HTML-bestand dat offline werkt",
    "demo": "de demoregio laden (Rijk van Nijmegen en Rivierenland)",
    "backup": "consistente kopie van de hele opslag maken",
    "restore": "de opslag herstellen uit een back-up",
    "person": "AVG: alle gegevens van één persoon exporteren of wissen",
    "migrate": "de hele opslag kopiëren naar een andere opslag (SQLite ↔ Neo4j)",
    "serve": "de webapp starten (pagina's en JSON-API)",
    "user": "accounts voor de webapp: toevoegen, tonen, verwijderen",
}


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("moet 0 of groter zijn")
    return value


def _add_arguments(name: str, sub: argparse.ArgumentParser) -> None:
    add = sub.add_argument
    if name in ("list", "show", "search", "import", "handover", "handover-document", "analyse",
                "coverage"):
        add("--json", action="store_true", help="uitvoer als één JSON-document")
    if name in ("list", "search"):
        add("--limit", type=_positive_int, default=None if name == "list" else 20)
        add("--offset", type=_positive_int, default=0)
    if name == "list":
        add("kind", choices=list(COLLECTIONS), help="soort")
        add("--area", help="gebied: CBS-code of naam")
        add("--team", help="team: id of naam")
    elif name == "show":
        add("ref", help="id, CBS-code of exacte naam")
    elif name == "search":
        add("text", nargs="*", help="vrije tekst")
        add("--area", help="gemeente, wijk of buurt (code of naam)")
        add("--domain", action="append", default=[], help="leefgebied (herhaalbaar)")
        add("--day", action="append", default=[], help="dag, bijv. di of 'ma t/m vr'")
        add("--free", action="store_true", help="alleen gratis")
        add("--no-referral", action="store_true", help="alleen zonder verwijzing")
        add("--target", action="append", default=[], help="doelgroep (herhaalbaar)")
        add("--near", metavar="POSTCODE", help="in de buurt van deze postcode")
        add("--km", type=float, default=5.0, help="straal bij --near (standaard 5)")
    elif name == "import":
        add("path")
        from importers.registry import READERS

        add("--format", choices=sorted(READERS), help="standaard herkend uit de inhoud")
        add("--mapping", help="bestand dat onbekende kolomkoppen aan velden koppelt")
        add("--dry-run", action="store_true", help="niets schrijven, alleen rapporteren")
        add("--skip-invalid", action="store_true", help="goede regels schrijven, foute melden")
    elif name == "export":
        from importers.registry import EXPORTERS

        add("--format", required=True, choices=sorted(EXPORTERS))
        add("-o", "--output", required=True, metavar="PATH", help="uitvoerbestand, of - ")
        add("--area", help="alleen dit gebied (gemeente, wijk of buurt)")
        add("--organisation", help="alleen deze organisatie (id of naam)")
        add("--team", help="alleen dit team (id of naam)")
        add("--include-contacts", action="store_true",
            help="telefoon en e-mail van contactpersonen meenemen")
    elif name == "handover":
        add("--from", dest="from_", required=True, metavar="PERSON")
        add("--to", required=True, metavar="PERSON")
        add("--dry-run", action="store_true", help="alleen het plan tonen")
    elif name == "handover-document":
        add("person")
    elif name == "analyse":
        add("area")
    elif name == "coverage":
        add("--area")
    elif name == "picture":
        add("--area", help="alleen dit gebied (gemeente, wijk of buurt)")
        add("--team", help="alleen dit team (id of naam)")
        add("-o", "--output", required=True, metavar="FILE.html", help="uitvoerbestand")
    elif name in ("backup", "restore"):
        add("path")
    elif name == "migrate":
        add("--from", dest="from_", required=True, metavar="URL",
            help="bron: opslag-URL of een back-upbestand")
        add("--to", required=True, metavar="URL", help="doel: opslag-URL")
        add("--replace", action="store_true", help="een niet-lege doelopslag overschrijven")
    elif name == "serve":
        add("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1)")
        add("--port", type=int, default=8000, help="poort (standaard 8000)")
        add("--demo", action="store_true", help="demoregio en demo-account klaarzetten")
    elif name == "user":
        from directory.accounts import ROLES

        add("action", choices=["add", "list", "remove"])
        add("name", nargs="?", help="accountnaam (bij add en remove)")
        add("--role", choices=ROLES, help="rol bij add")
        add("--json", action="store_true", help="uitvoer als één JSON-document (list)")
    elif name == "person":
        add("action", choices=["export", "erase"])
        add("ref")
        add("--yes", action="store_true", help="bevestig het wissen")


def build_parser(handlers: Mapping[str, Callable[..., Any]]) -> argparse.ArgumentParser:
    """The parser; each sub-command carries its handler as ``args.handler``."""
    parser = argparse.ArgumentParser(
        prog="wijkkaart", description="Wijkkaart: partnernetwerk en sociale kaart voor WijkGGZ.")
    parser.add_argument("--store", help="opslag-URL (standaard WIJKKAART_STORE of een "
                                        "SQLite-bestand in je gebruikersmap)")
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, handler in handlers.items():
        sub = subs.add_parser(name, help=HELP[name], description=HELP[name])
        _add_arguments(name, sub)
        sub.add_argument("--store", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.set_defaults(handler=handler)
    return parser
