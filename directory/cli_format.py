"""Plain-text renderings of the core's results for the terminal, in Dutch."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from directory.vocabularies import LIFE_DOMAINS, PARTNER_TYPES, WEEKDAYS


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A tqdm progress bar on a terminal for long runs; silent otherwise."""
    if total < 200 or not sys.stderr.isatty():
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit="regel", file=sys.stderr) as bar:
        def step(count: int) -> None:
            bar.update(count)
        yield step


def listing(data: dict[str, Any]) -> str:
    lines = [f"{item['id']:<22} {item['kind']:<13} {item['name']}" for item in data["items"]]
    lines.append(f"({len(data['items'])} van {data['total']})")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def show(data: dict[str, Any]) -> str:
    skip = {"id", "kind", "name", "relations", "version", "updated_at", "source", "source_id"}
    lines = [f"{data['name']} ({data['kind']}, {data['id']})"]
    for key, value in data.items():
        if key not in skip and value not in (None, "", []):
            shown = _cell(value)
            lines.append(f"  {key}: {shown}")
    if data["relations"]:
        lines.append("Relaties:")
    for rel in data["relations"]:
        arrow = "→" if rel["direction"] == "out" else "←"
        period = f"{rel['since'] or '?'} – {rel['until'] or 'nu'}"
        lines.append(f"  {rel['type']:<12} {arrow} {rel['other']['name']} "
                     f"[{rel['other']['id']}] ({period})")
    return "\n".join(lines)


def _when(item: dict[str, Any]) -> str:
    days = " ".join(WEEKDAYS.label(d)[:2] for d in item["days"]) or "dag onbekend"
    hours = f" {item['start']}–{item['end']}" if item.get("start") else ""
    return days + hours


def search_results(data: dict[str, Any]) -> str:
    if not data["items"]:
        return "Geen activiteiten gevonden. Probeer minder filters of een ruimere afstand."
    lines = []
    for i, item in enumerate(data["items"], 1):
        org = item["organisation"]["name"] if item["organisation"] else "?"
        place = ", ".join(a["name"] for a in item["areas"]) or item.get("city") or ""
        cost = "gratis" if item["free"] else item["cost"] or "kosten onbekend"
        referral = "verwijzing nodig" if item["referral_needed"] else "zonder verwijzing"
        distance = f", {item['distance_km']} km" if item["distance_km"] is not None else ""
        lines.append(f"{i}. {item['title']} — {org} ({place}{distance})")
        lines.append(f"   {_when(item)}; {cost}; {referral} [{item['id']}]")
        contact = item.get("contact")
        if contact:
            reach = " ".join(x for x in (contact.get("phone"), contact.get("email")) if x)
            lines.append(f"   contact: {contact['name']} {reach}".rstrip())
            for colleague in contact.get("known_by", []):
                lines.append(f"   warm contact via {colleague['name']} ({colleague['team']})")
    lines.append(f"({len(data['items'])} van {data['total']} resultaten)")
    return "\n".join(lines)


def import_report(data: dict[str, Any]) -> str:
    unit = data.get("unit", "regel")
    rejected_lines = len({item["line"] for item in data["rejected"]})
    lines = [f"Import ({data['format']}): {data['created']} nieuw, {data['updated']} bijgewerkt, "
             f"{data['unchanged']} ongewijzigd, {rejected_lines} {unit}(s) afgewezen."]
    for item in data["rejected"]:
        where = "" if item["line"] is None or item["field"].startswith(unit) else \
            f"{unit} {item['line']}, "
        lines.append(f"  {where}{item['field']}: {item['message']}")
    for dup in data["possible_duplicates"]:
        lines.append(f"  mogelijk dubbel ({unit} {dup['line']}): '{dup['name']}' lijkt op "
                     f"'{dup['similar_to']['name']}'")
    if data.get("unknown_columns"):
        lines.append(f"  niet herkend en genegeerd: {', '.join(data['unknown_columns'])}")
    lines += [f"  let op: {note}" for note in data.get("notes", [])]
    if data["written"] and data["rejected"]:
        lines.append("De goede regels zijn opgeslagen, de afgewezen regels niet.")
    elif data["written"]:
        lines.append("Alles is opgeslagen.")
    elif data["dry_run"]:
        lines.append("Proefdraai: er is niets geschreven.")
    else:
        lines.append("Er is niets geschreven (gebruik --skip-invalid om de goede regels op te "
                     "slaan).")
    return "\n".join(lines)


def handover(data: dict[str, Any]) -> str:
    head = "Plan" if data["dry_run"] else "Overgedragen"
    lines = [f"{head}: {data['from']['name']} → {data['to']['name']} "
             f"({len(data['moved'])} relaties)"]
    for item in data["moved"]:
        note = " (had de collega al)" if item.get("already_held") else ""
        lines.append(f"  {item['type']:<12} {item['other']['name']}{note}")
    return "\n".join(lines)


def analysis(data: dict[str, Any]) -> str:
    area = data["area"]
    lines = [f"Wijkanalyse {area['name']} ({area['code']}, {area['level']}), "
             f"{area['population'] or '?'} inwoners", "", "Aanbod per leefgebied:"]
    lines += [f"  {LIFE_DOMAINS.label(k):<24} {v}" for k, v in data["activities_by_domain"].items()]
    lines += ["", "Ketenpartners per type:"]
    lines += [f"  {PARTNER_TYPES.label(k):<24} {v}" for k, v in data["partners_by_type"].items()]
    lines += ["", "Teams: " + (", ".join(t["name"] for t in data["teams"]) or "geen"),
              f"Mensen: {len(data['people'])}", "", "Witte vlekken en aandachtspunten:"]
    lines += [f"  - {gap['message']}" for gap in data["gaps"]] or ["  geen"]
    return "\n".join(lines)


def coverage(data: dict[str, Any]) -> str:
    keys = LIFE_DOMAINS.keys()
    head = f"{'code':<10} {'naam':<28} {'inw.':>7} " + " ".join(f"{k[:5]:>5}" for k in keys)
    lines = [head + "  partners"]
    shown = [r for r in data["areas"] if r["activities_by_domain"] or r["partners_by_type"]]
    if len(shown) < len(data["areas"]) and len(data["areas"]) > 20:
        hidden = len(data["areas"]) - len(shown)
        lines.insert(0, f"({hidden} wijken zonder aanbod of partners niet getoond; "
                        "gebruik --area of --json)")
    else:
        shown = data["areas"]
    for row in shown:
        counts = " ".join(f"{row['activities_by_domain'].get(k, 0):>5}" for k in keys)
        partners = sum(row["partners_by_type"].values())
        lines.append(f"{row['code']:<10} {row['name'][:28]:<28} "
                     f"{row['population'] or 0:>7} {counts}  {partners:>8}")
    lines += ["", "Risico's:"]
    lines += [f"  - {risk['message']}" for risk in data["risks"]] or ["  geen"]
    return "\n".join(lines)
