"""De kwartiermakerschecklist: what a team ticks off per phase (0 voorbereiding … 3 geborgd).

A team stores the keys of the ticked items as its ``checklist`` property; ``clean_checklist``
validates them and ``checklist_view`` lays them out per phase for a page.
"""

from __future__ import annotations

from typing import Any

from directory.vocabularies import TEAM_PHASES

__all__ = ["CHECKLIST", "CHECKLIST_KEYS", "clean_checklist", "checklist_view"]

# phase → (key, what the kwartiermaker ticks off), in working order.
CHECKLIST: dict[int, tuple[tuple[str, str], ...]] = {
    0: (("wijkanalyse", "Wijkanalyse gemaakt (inwoners, aanbod, witte vlekken)"),
        ("opdracht", "Opdracht en financiering afgestemd met gemeente en zorgverzekeraar"),
        ("team_samengesteld", "Team samengesteld (disciplines en uren)"),
        ("werkplek", "Werkplek in de wijk geregeld")),
    1: (("sleutelpartners", "Sleutelpartners gesproken (sociaal wijkteam, welzijn, "
                            "woningcorporatie)"),
        ("huisartsen", "Afspraken met huisartsen en POH-GGZ"),
        ("relatiebeheer", "Relatiebeheerder per ketenpartner benoemd"),
        ("sociale_kaart", "Sociale kaart van de wijk ingevuld")),
    2: (("vindplaatsen", "Vindplaatsen en inloopmomenten in de wijk bekend"),
        ("casuistiekoverleg", "Vast casuïstiekoverleg met het sociaal wijkteam"),
        ("zorg_en_veiligheid", "Afspraken over zorg en veiligheid (politie, GGD, bemoeizorg)"),
        ("ervaringsdeskundigheid", "Ervaringsdeskundigheid ingezet")),
    3: (("samenwerkingsafspraken", "Samenwerkingsafspraken vastgelegd"),
        ("evaluatie", "Jaarlijkse evaluatie met partners gepland"),
        ("overdracht_geregeld", "Overdracht bij vertrek van teamleden geregeld"),
        ("gegevens_actueel", "Contactgegevens in de sociale kaart jaarlijks gecontroleerd")),
}
CHECKLIST_KEYS: dict[str, int] = {key: phase for phase, items in CHECKLIST.items()
                                  for key, _ in items}
_ORDER = {key: index for index, key in enumerate(CHECKLIST_KEYS)}


def clean_checklist(value: Any) -> list[str]:
    """The ticked keys (a list, or text separated by commas), known and in checklist order."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    keys = {str(item).strip() for item in items if str(item).strip()}
    unknown = sorted(keys - set(CHECKLIST_KEYS))
    if unknown:
        raise ValueError(f"onbekend punt van de checklist: {', '.join(unknown)}")
    return sorted(keys, key=_ORDER.__getitem__)


def checklist_view(phase: int | None, ticked: list[str] | None) -> list[dict[str, Any]]:
    """Per phase: its label, whether it is the team's current phase, and the points with
    ``done``; plus how many are done."""
    done = set(ticked or [])
    view = []
    for number, items in CHECKLIST.items():
        rows = [{"key": key, "label": label, "done": key in done} for key, label in items]
        view.append({"phase": number, "label": f"{number} {TEAM_PHASES[number]}",
                     "current": number == phase, "points": rows,
                     "done": sum(1 for row in rows if row["done"])})
    return view
