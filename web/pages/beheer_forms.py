"""The edit forms of Beheer: which fields each kind has (from ``directory.records.FIELDS``),
their Dutch labels and widgets, and the translation between a node's properties and the
values a form shows and sends back.

An area (CBS data) is edited by the beheerder only; its CBS code is its node id, so the
code is typed once, when the area is created, and shown read-only after (``Field.fixed``).

An activity's schedule is shown as day checkboxes plus start and end time; only a rule
that is not a plain weekly one (``FREQ=MONTHLY;BYDAY=1TU``) appears as RRULE text, so
saving a form never loses a rhythm it cannot show as days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from directory.facets import schedule_days
from directory.model import ACTIVITY, AGREEMENT, AREA, ORGANISATION, PERSON, TEAM, Node
from directory.store import Direction
from directory.validation import days_to_rrule
from directory.vocabularies import (
    ACTIVITY_STATUSES,
    AGREEMENT_KINDS,
    LIFE_DOMAINS,
    ORG_ROLES,
    PARTNER_TYPES,
    TARGET_GROUPS,
    TEAM_PHASES,
    WEEKDAYS,
    Vocabulary,
)

__all__ = ["Field", "Link", "KindForm", "FORMS", "AREA_FORM", "WITHIN_LINK", "form_values",
           "submitted", "DAYS", "display"]

DAYS = "dagen"  # the pseudo field of an activity's day checkboxes
Choices = tuple[tuple[str, str], ...]


def _choices(vocabulary: Vocabulary) -> Choices:
    return tuple((term.key, term.label) for term in vocabulary)


@dataclass(frozen=True)
class Field:
    """One form field; ``name`` is the property it edits (and the form field's name)."""

    name: str
    label: str
    widget: str = "text"  # text textarea select checks checkbox date time email tel url
    hint: str = ""
    choices: Choices = ()
    required: bool = False
    fixed: bool = False  # set when the node is created, read-only after (an area's code)


@dataclass(frozen=True)
class Link:
    """A relation edited as one field: the node at the other end of ``type``."""

    name: str
    label: str
    type: str
    direction: Direction  # "out": this node is the source; "in": the target
    target: str     # kind of the other end
    hint: str = ""
    role: str | None = None  # the least role that may change it (None: who edits the node)

    @property
    def widget(self) -> str:
        return "area" if self.target == AREA else "select"


@dataclass(frozen=True)
class KindForm:
    """Everything Beheer knows about one kind."""

    slug: str
    kind: str
    title: str
    singular: str
    write_role: str
    fields: tuple[Field, ...]
    links: tuple[Link, ...] = ()
    columns: tuple[tuple[str, str], ...] = field(default=())  # list columns: (prop, header)
    neuter: bool = False  # a het-word: "nieuw team", "nieuw gebied"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def new(self) -> str:
        return f"{'nieuw' if self.neuter else 'nieuwe'} {self.singular}"


_CONTACT = (
    Field("website", "Website", "url", "Begin met https://"),
    Field("email", "E-mail", "email"),
    Field("phone", "Telefoon", "tel", "Bijvoorbeeld 024 123 45 67"),
)
_PLACE = (
    Field("address", "Adres", hint="Straat en huisnummer"),
    Field("postcode", "Postcode", hint="Bijvoorbeeld 6534 AB; plaats en kaartpositie volgen "
                                       "uit de postcode"),
    Field("city", "Plaats"),
)
_AREA_HINT = "CBS-code of naam, bijvoorbeeld WK026807 of Dukenburg"

ORGANISATION_FORM = KindForm(
    "organisaties", ORGANISATION, "Organisaties", "organisatie", "redacteur",
    (Field("name", "Naam", required=True),
     Field("role", "Rol", "select", choices=_choices(ORG_ROLES)),
     Field("partner_type", "Soort partner", "select", choices=_choices(PARTNER_TYPES)),
     Field("description", "Omschrijving", "textarea"),
     *_CONTACT, *_PLACE,
     Field("kvk", "KvK-nummer", hint="8 cijfers")),
    (Link("gebied", "Actief in (gebied)", "ACTIVE_IN", "out", AREA, _AREA_HINT),),
    (("partner_type", "Soort"), ("city", "Plaats")))

PERSON_FORM = KindForm(
    "personen", PERSON, "Personen", "persoon", "redacteur",
    (Field("name", "Naam", required=True),
     Field("job_title", "Functie"),
     Field("email", "E-mail (werk)", "email"),
     Field("phone", "Telefoon (werk)", "tel"),
     Field("last_verified_on", "Laatst gecontroleerd op", "date")),
    (Link("organisatie", "Werkt bij (organisatie)", "WORKS_AT", "out", ORGANISATION),),
    (("job_title", "Functie"),))

ACTIVITY_FORM = KindForm(
    "activiteiten", ACTIVITY, "Activiteiten", "activiteit", "redacteur",
    (Field("title", "Titel", required=True),
     Field("description", "Omschrijving", "textarea"),
     Field("life_domains", "Leefgebieden", "checks", choices=_choices(LIFE_DOMAINS)),
     Field("target_groups", "Doelgroepen", "checks", choices=_choices(TARGET_GROUPS)),
     Field(DAYS, "Dagen", "checks", "Op welke dagen van de week", _choices(WEEKDAYS)),
     Field("start_time", "Begintijd", "time"),
     Field("end_time", "Eindtijd", "time"),
     Field("schedule", "Ander ritme (RRULE)",
           hint="Alleen voor een ritme dat niet elke week is, bijvoorbeeld "
                "FREQ=MONTHLY;BYDAY=1TU (eerste dinsdag van de maand). Laat leeg als de "
                "dagen hierboven kloppen."),
     Field("cost", "Kosten", hint="'gratis' of een bedrag, bijvoorbeeld € 2,50 per keer"),
     Field("referral_needed", "Verwijzing nodig", "checkbox"),
     Field("languages", "Talen", hint="Gescheiden door komma's, bijvoorbeeld nl, en"),
     Field("accessibility", "Toegankelijkheid"),
     Field("status", "Status", "select", choices=_choices(ACTIVITY_STATUSES)),
     Field("url", "Website", "url", "Begin met https://"),
     Field("email", "E-mail", "email"), Field("phone", "Telefoon", "tel"),
     *_PLACE,
     Field("last_verified_on", "Laatst gecontroleerd op", "date")),
    (Link("organisatie", "Aanbieder (organisatie)", "OFFERED_BY", "out", ORGANISATION),
     Link("gebied", "Wijk of buurt", "IN_AREA", "out", AREA, _AREA_HINT),
     Link("contactpersoon", "Contactpersoon", "CONTACT", "out", PERSON)),
    (("status", "Status"), ("city", "Plaats")))

TEAM_FORM = KindForm(
    "teams", TEAM, "Teams", "team", "coordinator",
    (Field("name", "Naam", required=True),
     Field("phase", "Fase", "select",
           choices=tuple((str(k), f"{k} {v}") for k, v in TEAM_PHASES.items())),
     Field("started_on", "Gestart op", "date")),
    (Link("gebied", "Werkgebied", "SERVES", "out", AREA, _AREA_HINT),),
    (("phase", "Fase"),), neuter=True)

AGREEMENT_FORM = KindForm(
    "afspraken", AGREEMENT, "Samenwerkingsafspraken", "samenwerkingsafspraak", "redacteur",
    (Field("kind", "Soort afspraak", "select", choices=_choices(AGREEMENT_KINDS),
           required=True),
     Field("summary", "Samenvatting", "textarea"),
     Field("review_on", "Evalueren op", "date")),
    (Link("organisatie", "Met (organisatie)", "WITH", "out", ORGANISATION),
     Link("team", "Team", "AGREED", "in", TEAM, "Alleen een coördinator kan dit wijzigen",
          role="coordinator")),
    (("kind", "Soort"), ("review_on", "Evalueren op")))

# Areas are CBS data (``wijkkaart init``, ``import --format cbs``); a beheerder corrects a
# name or number, or adds a buurt the national set lacks. Geometry and postcodes stay as
# imported (not on the form); an area is never ended (``web.api.ending``).
WITHIN_LINK = Link("binnen", "Ligt in (gemeente of wijk)", "WITHIN", "out", AREA,
                   "Een wijk ligt in zijn gemeente, een buurt in zijn wijk; de code zegt welke "
                   "(WK026807 ligt in GM0268). Leeg laten: volgt uit de code.")
AREA_FORM = KindForm(
    "gebieden", AREA, "Gebieden", "gebied", "beheerder",
    (Field("code", "CBS-code", hint="Gemeente GM0268, wijk WK026807, buurt BU02680701; het "
                                    "niveau volgt uit de code", required=True, fixed=True),
     Field("name", "Naam", required=True),
     Field("population", "Inwoners", hint="Aantal inwoners volgens het CBS, bijvoorbeeld 22390"),
     Field("year", "Jaar", hint="Het jaar van de CBS-gegevens, bijvoorbeeld 2024")),
    (WITHIN_LINK,),
    (("code", "Code"), ("level", "Niveau"), ("population", "Inwoners")), neuter=True)

FORMS: dict[str, KindForm] = {form.slug: form for form in (
    ORGANISATION_FORM, PERSON_FORM, ACTIVITY_FORM, TEAM_FORM, AGREEMENT_FORM, AREA_FORM)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def form_values(form: KindForm, node: Node | None) -> dict[str, Any]:
    """What the form shows for a node (for a new one: the defaults)."""
    props = dict(node.props) if node else {"status": "actief", "role": "ketenpartner"}
    values: dict[str, Any] = {}
    for f in form.fields:
        raw = props.get(f.name)
        if f.widget == "checks":
            values[f.name] = [str(v) for v in raw] if isinstance(raw, list) else []
        elif f.widget == "checkbox":
            values[f.name] = bool(raw)
        else:
            values[f.name] = _text(raw)
    if form.kind == ACTIVITY:
        schedule = str(props.get("schedule") or "")
        days = schedule_days(schedule)
        values[DAYS] = days
        plain = bool(days) and schedule == days_to_rrule(days)
        values["schedule"] = "" if plain else schedule
    return values


def submitted(form: KindForm, data: Mapping[str, Any],
              lists: Mapping[str, list[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values as typed (to show again) and the properties they mean (empty = none)."""
    values: dict[str, Any] = {}
    props: dict[str, Any] = {}
    for f in form.fields:
        if f.widget == "checks":
            chosen = [v for v in lists.get(f.name, []) if v]
            values[f.name] = chosen
            props[f.name] = chosen
        elif f.widget == "checkbox":
            values[f.name] = props[f.name] = bool(data.get(f.name))
        else:
            text = str(data.get(f.name) or "").strip()
            values[f.name] = text
            props[f.name] = text or None
    if form.kind == ACTIVITY:
        days = props.pop(DAYS)
        if not props["schedule"] and days:
            props["schedule"] = days_to_rrule(days)
    return values, props


def display(f: Field, value: Any) -> str:
    """A form value as a person reads it (labels for keys)."""
    labels = dict(f.choices)
    if f.widget == "checks":
        return ", ".join(labels.get(v, v) for v in value) if value else "—"
    if f.widget == "checkbox":
        return "ja" if value else "nee"
    if f.widget == "select":
        return labels.get(str(value), str(value)) if value else "—"
    return str(value) if value else "—"
