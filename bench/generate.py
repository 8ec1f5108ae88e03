"""A national-scale directory for benchmarks, as core records (:class:`Node` / :class:`Edge`).

All 342 gemeenten and 3,393 wijken are the real CBS 2024 areas (``directory/data``); a store
gets them from :meth:`Directory.init`, so no Area nodes are generated here and every
``IN_AREA``/``ACTIVE_IN``/``SERVES`` edge points at a real area id. At ``scale`` 1.0 there are
60,000 organisations, 200,000 people, 150,000 activities, 1,500 WijkGGZ teams and about a
million relations.

Everything is deterministic: each section draws from its own ``random.Random`` seeded from
``seed`` and the section's name, so the same (scale, seed) gives the same records, and
:meth:`NationalDirectory.nodes` / :meth:`NationalDirectory.edges` can be streamed in batches
without holding the whole directory in memory. Only a compact layout (which organisation
lives in which gemeente, who works where) is kept.

Organisation names use real place names but are invented; people, phone numbers (valid
formats, fictional), e-mail addresses (``.example``) and street addresses are invented.

    python -m bench.generate --scale 0.01      # prints counts per kind and type
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, islice
from typing import Any, TypeVar

from directory import areas
from directory.importing import Record
from directory.model import ACTIVITY, ORGANISATION, PERSON, TEAM, Edge, Node
from directory.vocabularies import LIFE_DOMAINS, TARGET_GROUPS, TEAM_ROLES

__all__ = ["SEED", "Sizes", "NationalDirectory", "batched", "sizes"]

SEED = 20240101
SOURCE = "bench"

FULL_ORGANISATIONS = 60_000
FULL_PEOPLE = 200_000
FULL_ACTIVITIES = 150_000
MEMBER_SHARE = 0.075  # share of people who are WijkGGZ team members
TEAM_SIZE = 10

T = TypeVar("T")


@dataclass(frozen=True)
class Sizes:
    organisations: int
    people: int
    activities: int

    @property
    def team_members(self) -> int:
        return max(1, round(self.people * MEMBER_SHARE))

    @property
    def contacts(self) -> int:
        return self.people - self.team_members

    @property
    def teams(self) -> int:
        return max(1, self.team_members // TEAM_SIZE)


def sizes(scale: float) -> Sizes:
    """Node counts at ``scale`` (1.0 = national size); at least a handful of each."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    return Sizes(organisations=max(5, round(FULL_ORGANISATIONS * scale)),
                 people=max(20, round(FULL_PEOPLE * scale)),
                 activities=max(5, round(FULL_ACTIVITIES * scale)))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# --- word lists ----------------------------------------------------------------------------

# (title, life domains, target groups, what happens)
ACTIVITY_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("Koffieochtend", "welzijn", "iedereen 18plus",
     "Binnenlopen voor koffie, een praatje en de krant."),
    ("Taalcafé", "welzijn werk_dagbesteding", "nieuwkomers 18plus",
     "Nederlands oefenen in een ontspannen sfeer, voor elk niveau."),
    ("Schuldhulpmaatje spreekuur", "financien", "18plus",
     "Een getrainde vrijwilliger kijkt mee naar post, rekeningen en schulden."),
    ("Wandelgroep", "zorg welzijn", "18plus ouderen",
     "Elke week een uur wandelen door de wijk, in je eigen tempo."),
    ("Moestuin", "werk_dagbesteding welzijn", "iedereen",
     "Samen groenten kweken en oogsten. Geen ervaring nodig."),
    ("Repair Café", "welzijn financien", "iedereen",
     "Samen kapotte spullen repareren in plaats van weggooien."),
    ("Kookclub", "welzijn zorg", "jongvolwassenen 18plus",
     "Samen boodschappen doen, koken en eten voor weinig geld."),
    ("Budgetcafé", "financien", "18plus",
     "Tips over geld, toeslagen en rondkomen; je kunt ook een vraag meenemen."),
    ("Formulierenbrigade", "financien", "18plus ouderen nieuwkomers",
     "Hulp bij het invullen van formulieren, aanvragen en brieven van instanties."),
    ("Herstelgroep WRAP", "zorg", "epa 18plus",
     "Werken aan je eigen herstelplan met ervaringsdeskundigen."),
    ("Inloop GGZ", "zorg welzijn", "epa 18plus",
     "Een vrije inloop voor mensen met psychische kwetsbaarheid."),
    ("Mantelzorgcafé", "welzijn zorg", "mantelzorgers",
     "Even op adem komen en ervaringen delen met andere mantelzorgers."),
    ("Digicafé", "welzijn werk_dagbesteding", "ouderen 18plus",
     "Vragen over je telefoon, tablet of DigiD? Vrijwilligers helpen je op weg."),
    ("Buurtmaaltijd", "welzijn", "iedereen",
     "Een warme maaltijd aan een gedeelde tafel met buurtgenoten."),
    ("Creatief atelier", "welzijn werk_dagbesteding", "18plus",
     "Schilderen, tekenen en boetseren zonder prestatiedruk."),
    ("Zelfhulpgroep verslaving", "zorg", "verslaving 18plus",
     "Lotgenoten helpen elkaar om te stoppen of te minderen."),
    ("Lotgenotengroep", "zorg welzijn", "18plus",
     "Praten met mensen die hetzelfde hebben meegemaakt."),
    ("Klusbus", "wonen", "ouderen",
     "Vrijwilligers doen kleine klussen in huis voor wie dat zelf niet kan."),
    ("Woonspreekuur", "wonen", "18plus",
     "Vragen over huur, onderhoud, overlast of een andere woning."),
    ("Sportinstuif", "zorg welzijn", "jongvolwassenen",
     "Vrij sporten in de gymzaal; zaalvoetbal, badminton en tafeltennis."),
    ("Vrijwilligerspunt", "werk_dagbesteding", "18plus",
     "Zoek je vrijwilligerswerk dat bij je past? Kom langs voor een gesprek."),
    ("Werkervaringsplek", "werk_dagbesteding", "18plus lvb",
     "Werkritme opdoen in een leerwerkbedrijf met begeleiding."),
    ("Voedselbank uitgifte", "financien", "iedereen",
     "Wekelijkse uitgifte van voedselpakketten na aanmelding."),
    ("Spreekuur huiselijk geweld", "veiligheid", "18plus",
     "Vertrouwelijk advies bij huiselijk geweld en onveilige situaties."),
    ("Buurtbemiddeling", "veiligheid wonen", "iedereen",
     "Getrainde bemiddelaars helpen buren een conflict op te lossen."),
    ("Ontmoetingsmiddag", "welzijn", "ouderen",
     "Spelletjes, muziek en gezelligheid tegen eenzaamheid."),
    ("Jongerenwerk inloop", "welzijn", "jongvolwassenen",
     "Chillen, praten en hulp bij school, werk of thuis."),
    ("Schrijfgroep", "welzijn", "18plus", "Samen schrijven over je leven en je herstel."),
    ("Zangkoor", "welzijn", "iedereen", "Zingen zonder auditie; plezier staat voorop."),
    ("Fietsles voor vrouwen", "welzijn", "nieuwkomers", "Leren fietsen in een veilige groep."),
    ("Mindfulnesstraining", "zorg", "18plus", "Acht weken oefenen met aandacht en ontspanning."),
    ("Herstelacademie cursus", "zorg werk_dagbesteding", "epa 18plus",
     "Cursussen door en voor ervaringsdeskundigen over herstel en eigen regie."),
    ("Maatjesproject", "welzijn", "18plus lvb",
     "Een vrijwillig maatje om samen leuke dingen mee te doen."),
    ("Thuisadministratie", "financien", "ouderen 18plus",
     "Een vrijwilliger helpt je thuis de administratie op orde te brengen."),
)

# Compound titles: prefix + suffix ("koffie" + "ochtend" = "Koffieochtend").
COMPOUND_PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("koffie", "welzijn", "iedereen"), ("taal", "welzijn werk_dagbesteding", "nieuwkomers"),
    ("wandel", "zorg welzijn", "18plus"), ("kook", "welzijn", "18plus"),
    ("buurt", "welzijn", "iedereen"), ("schuld", "financien", "18plus"),
    ("budget", "financien", "18plus"), ("moestuin", "werk_dagbesteding", "iedereen"),
    ("zang", "welzijn", "iedereen"), ("beweeg", "zorg", "ouderen"),
    ("mantelzorg", "welzijn zorg", "mantelzorgers"), ("digi", "welzijn", "ouderen"),
    ("naai", "welzijn", "18plus"), ("schilder", "welzijn", "18plus"),
    ("lees", "welzijn", "18plus"), ("schaak", "welzijn", "iedereen"),
    ("klus", "wonen", "ouderen"), ("herstel", "zorg", "epa"), ("praat", "welzijn", "18plus"),
    ("spel", "welzijn", "ouderen"), ("werk", "werk_dagbesteding", "18plus"),
    ("geld", "financien", "18plus"), ("woon", "wonen", "18plus"),
    ("ontmoetings", "welzijn", "iedereen"), ("jongeren", "welzijn", "jongvolwassenen"),
)
COMPOUND_SUFFIXES = ("ochtend", "café", "groep", "club", "middag", "avond", "uur", "kring",
                     "atelier", "maatje", "werkplaats", "hoek", "tafel", "spreekuur", "punt")
TITLE_PLACES = ("De Brug", "Het Anker", "De Schakel", "De Kring", "Het Baken", "De Horizon",
                "De Ontmoeting", "Het Trefpunt", "De Wieken", "De Linde", "Het Kompas",
                "De Boog", "Het Buurthuis", "De Vonk", "Mozaïek", "De Paraplu")
DESCRIPTION_EXTRAS = (
    "Je bent welkom zonder aanmelding.", "Aanmelden kan via de website of telefonisch.",
    "Er is altijd een vrijwilliger aanwezig die de weg wijst.",
    "De koffie en thee staan klaar.", "Ook mensen met psychische klachten zijn welkom.",
    "Neem gerust iemand mee.", "In samenwerking met het sociaal wijkteam.",
    "Deelname is vrijblijvend en in je eigen tempo.",
    "Begeleid door een ervaringsdeskundige en een sociaal werker.",
    "Voor wie zich eenzaam voelt of nieuwe mensen wil leren kennen.",
    "Heb je schulden of geldzorgen? Ook daarvoor kun je hier terecht.",
    "De ruimte is rolstoeltoegankelijk.", "Kinderopvang is in overleg mogelijk.",
)
COSTS = ("gratis", "gratis", "gratis", "gratis", "gratis", "gratis", "€ 2,50 per keer",
         "€ 1,00 per keer", "€ 5,00", "€ 15,00 per maand", "vrijwillige bijdrage")
ACCESSIBILITY = ("Rolstoeltoegankelijk", "Begane grond", "Lift aanwezig",
                 "Invalidentoilet aanwezig", "Rustige ruimte", "Niet toegankelijk voor rolstoel")
LANGUAGES = (["nl"], ["nl"], ["nl"], ["nl", "en"], ["nl", "en", "ar"], ["nl", "tr"],
             ["nl", "pl"])
STREETS = ("Kerkstraat", "Dorpsstraat", "Molenweg", "Julianastraat", "Schoolstraat",
           "Marktstraat", "Stationsstraat", "Beatrixlaan", "Wilhelminastraat", "Oranjestraat",
           "Lindelaan", "Eikenlaan", "Hoogstraat", "Prins Bernhardstraat", "Nieuwstraat",
           "Wijkcentrumplein", "Van Heemstralaan", "Dijkweg", "Kastanjelaan", "Parallelweg")
FIRST_NAMES = (
    "Anouk", "Bram", "Daan", "Eva", "Fatima", "Femke", "Gijs", "Hanna", "Iris", "Jesse",
    "Julia", "Kees", "Lotte", "Luuk", "Marieke", "Mohamed", "Noor", "Olga", "Pieter", "Priya",
    "Roos", "Sanne", "Sem", "Sophie", "Thijs", "Tim", "Yara", "Yusuf", "Zeynep", "Wim",
    "Ayşe", "Chloë", "René", "Joëlle", "Ahmed", "Bart", "Carla", "Dirk", "Esther", "Frank",
    "Gerda", "Hans", "Ilse", "Jan", "Karin", "Linda", "Maarten", "Nadia", "Otto", "Petra",
)
SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "Yılmaz",
    "Öztürk", "El Amrani", "Bouzid", "Kaya", "Nguyen", "Kowalski", "Şahin", "Haddou",
    "van Beek", "Willems", "Verbeek", "Hoekstra", "Koster", "Prins", "Postma", "Kuipers",
)
JOB_TITLES = ("Sociaal werker", "Buurtwerker", "Huisarts", "POH-GGZ", "Wijkverpleegkundige",
              "Consulent schuldhulp", "Woonconsulent", "Wijkagent", "Coördinator vrijwilligers",
              "Ervaringsdeskundige", "Jongerenwerker", "Opbouwwerker", "Casemanager",
              "Trajectbegeleider", "Beleidsmedewerker", "Teamleider", "Buurtsportcoach",
              "Predikant", "Bibliothecaris", "Ambulant begeleider")
ORG_NOUNS = ("De Brug", "Het Anker", "De Schakel", "Perspectief", "Samen Sterk", "De Kern",
             "Het Baken", "De Horizon", "Mozaïek", "De Wending", "Onder Dak", "De Kans",
             "Het Trefpunt", "De Overstap", "Zorgzaam", "De Poort", "Dichtbij", "Buurtkracht")

# partner type: (share of organisations, activity weight, name patterns)
PARTNER_TYPES: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "huisarts": (20, 0.2, ("Huisartsenpraktijk {surname}", "Gezondheidscentrum {place}")),
    "poh_ggz": (3, 0.3, ("POH-GGZ {place}",)),
    "sociaal_wijkteam": (3, 2, ("Sociaal Wijkteam {place}", "Buurtteam {place} {n}")),
    "woningcorporatie": (3, 0.5, ("Woonstichting {noun}", "{noun} Wonen")),
    "welzijn": (10, 10, ("Welzijn {place}", "Buurtcentrum {noun} {place}",
                         "Stichting Welzijn {place}")),
    "vvt_thuiszorg": (8, 0.5, ("Thuiszorg {noun}", "Wijkverpleging {place}")),
    "politie": (1, 0.1, ("Politie basisteam {place}",)),
    "sociale_dienst": (1, 0.5, ("Werk en Inkomen {place}",)),
    "schuldhulp": (4, 3, ("Schuldhulpmaatje {place}", "Budgetbureau {place}")),
    "ggd": (0.5, 1, ("GGD {place}",)),
    "gemeente": (0.5, 1, ("Gemeente {place}",)),
    "specialistische_ggz": (3, 1, ("GGZ {noun}", "Stichting {noun} GGZ")),
    "verslavingszorg": (1.5, 1, ("Verslavingszorg {noun}",)),
    "lvb_zorg": (2, 1, ("Stichting {noun} Zorg",)),
    "begeleid_wonen": (5, 2, ("Beschermd Wonen {noun}", "RIBW {place}")),
    "ervaringsdeskundigen": (3, 4, ("Herstelacademie {place}", "Zelfhulpnetwerk {place}")),
    "vrijwilligers": (6, 5, ("Vrijwilligerscentrale {place}", "Maatjesproject {noun}")),
    "sport": (8, 3, ("Sportvereniging {noun}", "Buurtsport {place}")),
    "bibliotheek": (2, 3, ("Bibliotheek {place}",)),
    "levensbeschouwing": (7, 2, ("Parochie {noun}", "Diaconie {place}", "Moskee {noun}")),
    "zorgverzekeraar": (0.2, 0.1, ("Zorgverzekeraar {noun}",)),
    "overig": (7.3, 1, ("Stichting {noun} {place}",)),
}
PARTNER_TYPE_KEYS = tuple(PARTNER_TYPES)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _since(rng: random.Random, first_year: int = 2010, last_year: int = 2025) -> str:
    start = date(first_year, 1, 1)
    return (start + timedelta(days=rng.randint(0, (date(last_year, 12, 1) - start).days))
            ).isoformat()


def _until(rng: random.Random, since: str) -> str:
    """An end date after ``since`` and before 2026-06-01 (so: in the past)."""
    first = date.fromisoformat(since) + timedelta(days=30)
    last = date(2026, 6, 1)
    if first >= last:
        return last.isoformat()
    return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()


def _verified(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return (date(2024, 3, 1) + timedelta(days=rng.randint(0, 590))).isoformat()
    return (date(2026, 1, 5) + timedelta(days=rng.randint(0, 300))).isoformat()


def _postcode(rng: random.Random, pc4: str) -> str:
    while True:
        letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
        if letters not in ("SA", "SD", "SS"):
            return f"{pc4} {letters}"


def _schedule(rng: random.Random) -> str:
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    roll = rng.random()
    if roll < 0.08:
        return f"FREQ=MONTHLY;BYDAY=1{rng.choice(days[:5])}"
    if roll < 0.15:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={rng.choice(days[:6])}"
    picked = sorted(rng.sample(range(7), rng.choice((1, 1, 1, 2, 2, 3))))
    return "FREQ=WEEKLY;BYDAY=" + ",".join(days[i] for i in picked)


class NationalDirectory:
    """The generated directory at ``scale``: stream :meth:`nodes` then :meth:`edges`.

    People ``0 … team_members-1`` are WijkGGZ team members; the rest are contact persons
    working at organisations. Ids are fixed-width: ``org-``/``per-``/``act-`` + 12 hex digits
    (the same length as :func:`directory.model.new_id`), ``team-`` + 5 digits.
    """

    def __init__(self, scale: float = 1.0, seed: int = SEED) -> None:
        self.scale = scale
        self.seed = seed
        self.sizes = sizes(scale)
        national = areas.national_areas()
        self.gemeenten = [a for a in national if a.level == "gemeente"]
        gem_index = {a.code: i for i, a in enumerate(self.gemeenten)}
        self.wijken: list[list[areas.AreaRecord]] = [[] for _ in self.gemeenten]
        for a in national:
            if a.level == "wijk" and a.parent in gem_index:
                self.wijken[gem_index[a.parent]].append(a)
        self._wijk_weights = [list(accumulate(max(1, w.population or 1) for w in ws)) or [1]
                              for ws in self.wijken]
        self.postcodes: list[list[areas.PostcodeInfo]] = [[] for _ in self.gemeenten]
        for pc4 in sorted(areas._postcodes()):
            info = areas.postcode_info(pc4)
            if info is not None and info.gemeente in gem_index:
                self.postcodes[gem_index[info.gemeente]].append(info)
        self._layout()

    # -- ids -------------------------------------------------------------------------------

    @staticmethod
    def org_id(i: int) -> str:
        return f"org-{i:012x}"

    @staticmethod
    def person_id(i: int) -> str:
        return f"per-{i:012x}"

    @staticmethod
    def activity_id(i: int) -> str:
        return f"act-{i:012x}"

    @staticmethod
    def team_id(i: int) -> str:
        return f"team-{i:05d}"

    def _rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.scale}:{section}")

    # -- layout ----------------------------------------------------------------------------

    def _layout(self) -> None:
        """Where everything is and who works where: compact arrays, no props."""
        rng = self._rng("layout")
        s = self.sizes
        gem_weights = list(accumulate(g.population or 1 for g in self.gemeenten))
        n_gem = len(self.gemeenten)
        type_weights = list(accumulate(share for share, _, _ in PARTNER_TYPES.values()))
        self.org_gem = array("H", rng.choices(range(n_gem), cum_weights=gem_weights,
                                              k=s.organisations))
        self.org_type = array("B", rng.choices(range(len(PARTNER_TYPE_KEYS)),
                                               cum_weights=type_weights, k=s.organisations))
        self.org_names = [self._org_name(rng, i) for i in range(s.organisations)]
        # how many activities and contact people an organisation has: type weight × a
        # heavy-tailed factor (a few large welfare organisations, many small ones)
        org_weight = [PARTNER_TYPES[PARTNER_TYPE_KEYS[t]][1] * rng.paretovariate(1.6)
                      for t in self.org_type]
        cum_org = list(accumulate(org_weight))
        self.act_org = array("I", rng.choices(range(s.organisations), cum_weights=cum_org,
                                              k=s.activities))
        # every organisation has at least one contact person, the rest by weight
        first = min(s.organisations, s.contacts)
        self.contact_org = array("I", range(first))
        self.contact_org.extend(rng.choices(range(s.organisations), cum_weights=cum_org,
                                            k=s.contacts - first))
        self.org_people: list[array[int]] = [array("I") for _ in range(s.organisations)]
        for j, org in enumerate(self.contact_org):
            self.org_people[org].append(s.team_members + j)
        self.orgs_in_gem: list[array[int]] = [array("I") for _ in range(n_gem)]
        for i, g in enumerate(self.org_gem):
            self.orgs_in_gem[g].append(i)
        self.team_gem = array("H", rng.choices(range(n_gem), cum_weights=gem_weights,
                                               k=s.teams))

    def _org_name(self, rng: random.Random, i: int) -> str:
        pattern = rng.choice(PARTNER_TYPES[PARTNER_TYPE_KEYS[self.org_type[i]]][2])
        place = self.gemeenten[self.org_gem[i]].name
        return pattern.format(surname=rng.choice(SURNAMES).split()[-1] if rng.random() < 0.5
                              else rng.choice(SURNAMES), place=place,
                              noun=rng.choice(ORG_NOUNS), n=rng.randint(1, 9))

    def _wijk(self, rng: random.Random, gem: int) -> str:
        """A wijk code of the gemeente, by population (the gemeente itself if it has none)."""
        wijken = self.wijken[gem]
        if not wijken:
            return self.gemeenten[gem].code
        return rng.choices(wijken, cum_weights=self._wijk_weights[gem])[0].code

    def _place(self, rng: random.Random, gem: int) -> dict[str, Any]:
        info = rng.choice(self.postcodes[gem])
        return {"address": f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                "postcode": _postcode(rng, info.pc4), "city": info.place,
                "lat": round(info.lat + rng.uniform(-0.004, 0.004), 5),
                "lon": round(info.lon + rng.uniform(-0.004, 0.004), 5),
                "gemeente": self.gemeenten[gem].code}

    def _domain(self, org: int) -> str:
        return f"{_ascii(self.org_names[org])[:24]}{org % 1000}.example"

    # -- nodes -----------------------------------------------------------------------------

    def nodes(self) -> Iterator[Node]:
        """Organisations, teams, people, activities (no Area nodes: the store has them)."""
        yield from self.organisations()
        yield from self.teams()
        yield from self.people()
        yield from self.activities()

    def _node(self, node_id: str, kind: str, props: dict[str, Any]) -> Node:
        return Node(id=node_id, kind=kind, props=props, source=SOURCE, source_id=node_id)

    def organisations(self) -> Iterator[Node]:
        rng = self._rng("organisations")
        for i in range(self.sizes.organisations):
            ptype = PARTNER_TYPE_KEYS[self.org_type[i]]
            role = "ketenpartner"
            if ptype == "gemeente":
                role = "gemeente"
            elif ptype == "zorgverzekeraar":
                role = "financier"
            elif ptype == "specialistische_ggz" and rng.random() < 0.1:
                role = "moederorganisatie"
            domain = self._domain(i)
            name, place = self.org_names[i], self.gemeenten[self.org_gem[i]].name
            yield self._node(self.org_id(i), ORGANISATION, {
                "name": name, "role": role, "partner_type": ptype,
                "description": f"{name} werkt in {place}. {rng.choice(DESCRIPTION_EXTRAS)}",
                "website": f"https://www.{domain}", "email": f"info@{domain}",
                "phone": f"+3188{rng.randint(1000000, 9999999)}",
                "kvk": str(rng.randint(10000000, 99999999)),
                **self._place(rng, self.org_gem[i]),
            })

    def teams(self) -> Iterator[Node]:
        rng = self._rng("teams")
        seen: Counter[int] = Counter()
        for t in range(self.sizes.teams):
            gem = self.team_gem[t]
            seen[gem] += 1
            yield self._node(self.team_id(t), TEAM, {
                "name": f"WijkGGZ {self.gemeenten[gem].name} {seen[gem]}",
                "phase": rng.choice((0, 1, 1, 2, 2, 2, 3, 3)),
                "started_on": _since(rng, 2018, 2025)})

    def person_name(self, rng: random.Random) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"

    def people(self) -> Iterator[Node]:
        rng = self._rng("people")
        s = self.sizes
        for i in range(s.people):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            if i < s.team_members:
                domain, job = "wijkggz.example", TEAM_ROLES.label(rng.choice(TEAM_ROLES.keys()))
            else:
                domain = self._domain(self.contact_org[i - s.team_members])
                job = rng.choice(JOB_TITLES)
            yield self._node(self.person_id(i), PERSON, {
                "name": f"{first} {last}", "job_title": job,
                "email": f"{_ascii(first)[:1]}.{_ascii(last)}{i}@{domain}",
                "phone": f"+316{rng.randint(10000000, 59999999)}",
                "last_verified_on": _verified(rng)})

    def activity_props(self, rng: random.Random, gem: int, domain: str) -> dict[str, Any]:
        if rng.random() < 0.6:
            title, life, targets, what = rng.choice(ACTIVITY_KINDS)
        else:
            prefix, life, targets = rng.choice(COMPOUND_PREFIXES)
            title = (prefix + rng.choice(COMPOUND_SUFFIXES)).capitalize()
            what = rng.choice(ACTIVITY_KINDS)[3]
        place = self._place(rng, gem)
        roll = rng.random()
        if roll < 0.3:
            title = f"{title} {place['city']}"
        elif roll < 0.55:
            title = f"{title} {rng.choice(TITLE_PLACES)}"
        domains = life.split()
        if rng.random() < 0.25:
            extra = rng.choice(LIFE_DOMAINS.keys())
            if extra not in domains:
                domains.append(extra)
        groups = targets.split()
        if rng.random() < 0.2:
            extra = rng.choice(TARGET_GROUPS.keys())
            if extra not in groups:
                groups.append(extra)
        start_hour = rng.choice((9, 10, 13, 14, 19))
        start_min = rng.choice((0, 30))
        return {
            "title": title,
            "description": f"{what} {' '.join(rng.sample(DESCRIPTION_EXTRAS, 2))}",
            "life_domains": domains, "target_groups": groups, "schedule": _schedule(rng),
            "start_time": f"{start_hour:02d}:{start_min:02d}",
            "end_time": f"{start_hour + rng.choice((1, 2, 3)):02d}:{start_min:02d}",
            **place, "cost": rng.choice(COSTS), "referral_needed": rng.random() < 0.15,
            "languages": list(rng.choice(LANGUAGES)), "accessibility": rng.choice(ACCESSIBILITY),
            "url": f"https://www.{domain}/activiteiten/{rng.randint(1, 9999)}",
            "status": "gestopt" if rng.random() < 0.04 else "actief",
            "last_verified_on": _verified(rng),
        }

    def activities(self) -> Iterator[Node]:
        rng = self._rng("activities")
        for i in range(self.sizes.activities):
            org = self.act_org[i]
            yield self._node(self.activity_id(i), ACTIVITY,
                             self.activity_props(rng, self.org_gem[org], self._domain(org)))

    # -- edges -----------------------------------------------------------------------------

    def edges(self) -> Iterator[Edge]:
        """Every relation; all ends are generated nodes or real CBS area ids."""
        yield from self._organisation_edges()
        yield from self._works_at()
        yield from self._activity_edges()
        yield from self._team_edges()
        yield from self._liaisons()
        yield from self._knows()

    def _organisation_edges(self) -> Iterator[Edge]:
        rng = self._rng("active_in")
        for i in range(self.sizes.organisations):
            gem = self.org_gem[i]
            since = _since(rng, 2005, 2022)
            codes = [self.gemeenten[gem].code]
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                code = self._wijk(rng, gem)
                if code not in codes:
                    codes.append(code)
            for code in codes:
                yield Edge("ACTIVE_IN", self.org_id(i), code, {}, since)

    def _works_at(self) -> Iterator[Edge]:
        rng = self._rng("works_at")
        s = self.sizes
        for j, org in enumerate(self.contact_org):
            person = self.person_id(s.team_members + j)
            since = _since(rng)
            until = _until(rng, since) if rng.random() < 0.03 else None
            yield Edge("WORKS_AT", person, self.org_id(org),
                       {"job_title": rng.choice(JOB_TITLES)}, since, until)
            if rng.random() < 0.05:  # a second job elsewhere in the gemeente
                others = self.orgs_in_gem[self.org_gem[org]]
                other = others[rng.randrange(len(others))]
                if other != org:
                    yield Edge("WORKS_AT", person, self.org_id(other), {}, _since(rng))

    def _activity_edges(self) -> Iterator[Edge]:
        rng = self._rng("activity_edges")
        for i in range(self.sizes.activities):
            act, org = self.activity_id(i), self.act_org[i]
            gem = self.org_gem[org]
            since = _since(rng, 2014, 2025)
            yield Edge("OFFERED_BY", act, self.org_id(org), {}, since)
            if rng.random() < 0.1:  # gemeente-wide offer
                yield Edge("IN_AREA", act, self.gemeenten[gem].code, {}, since)
            else:
                first = self._wijk(rng, gem)
                yield Edge("IN_AREA", act, first, {}, since)
                if rng.random() < 0.15:
                    second = self._wijk(rng, gem)
                    if second != first:
                        yield Edge("IN_AREA", act, second, {}, since)
            people = self.org_people[org]
            if people and rng.random() < 0.75:
                contact = people[rng.randrange(len(people))]
                yield Edge("CONTACT", act, self.person_id(contact), {}, since)

    def _team_edges(self) -> Iterator[Edge]:
        rng = self._rng("teams_edges")
        s = self.sizes
        for t in range(s.teams):
            gem = self.team_gem[t]
            codes: list[str] = []
            for _ in range(rng.randint(2, 6)):
                code = self._wijk(rng, gem)
                if code not in codes:
                    codes.append(code)
            for code in codes:
                yield Edge("SERVES", self.team_id(t), code, {}, _since(rng, 2018, 2025))
        roles = TEAM_ROLES.keys()
        for m in range(s.team_members):
            team = m % s.teams
            if rng.random() < 0.1 and s.teams > 1:  # moved here from another team
                before = (team + 1 + rng.randrange(s.teams - 1)) % s.teams
                since = _since(rng, 2018, 2022)
                yield Edge("MEMBER_OF", self.person_id(m), self.team_id(before),
                           {"role": rng.choice(roles), "hours_per_week": rng.choice((16, 24, 32))},
                           since, _until(rng, since))
            yield Edge("MEMBER_OF", self.person_id(m), self.team_id(team),
                       {"role": rng.choice(roles), "hours_per_week": rng.choice((16, 24, 32, 36))},
                       _since(rng, 2019, 2025))

    def _liaisons(self) -> Iterator[Edge]:
        rng = self._rng("liaisons")
        s = self.sizes
        for m in range(s.team_members):
            orgs = self.orgs_in_gem[self.team_gem[m % s.teams]]
            for org in rng.sample(orgs, min(6, len(orgs))):
                since = _since(rng, 2018, 2025)
                until = _until(rng, since) if rng.random() < 0.03 else None
                yield Edge("LIAISON_FOR", self.person_id(m), self.org_id(org), {}, since, until)

    def _knows(self) -> Iterator[Edge]:
        rng = self._rng("knows")
        s = self.sizes
        for m in range(s.team_members):
            orgs = self.orgs_in_gem[self.team_gem[m % s.teams]]
            if not orgs:
                continue
            known: set[int] = set()
            for _ in range(8):
                people = self.org_people[orgs[rng.randrange(len(orgs))]]
                if people:
                    known.add(people[rng.randrange(len(people))])
            for other in sorted(known):
                since = _since(rng, 2018, 2025)
                yield Edge("KNOWS", self.person_id(m), self.person_id(other),
                           {"last_contact_on": _since(rng, 2025, 2026)}, since)

    # -- import rows -----------------------------------------------------------------------

    def import_records(self, count: int, *, new_organisations: float = 0.2) -> list[Record]:
        """``count`` spreadsheet-like activity rows for :func:`directory.importing.load_records`:
        raw cell values (labels, Dutch day names, loose postcodes), an organisation by name
        (mostly existing ones), a contact person and a wijk code. Source ids are new."""
        rng = self._rng(f"records:{count}")
        records = []
        for line in range(2, count + 2):
            if rng.random() < new_organisations:
                gem = rng.randrange(len(self.gemeenten))
                organisation = (f"Stichting {rng.choice(ORG_NOUNS)} "
                                f"{self.gemeenten[gem].name} {line}")
            else:
                org = rng.randrange(self.sizes.organisations)
                gem, organisation = self.org_gem[org], self.org_names[org]
            props = self.activity_props(rng, gem, "import.example")
            days = {"MO": "maandag", "TU": "dinsdag", "WE": "woensdag", "TH": "donderdag",
                    "FR": "vrijdag", "SA": "zaterdag", "SU": "zondag"}
            byday = props["schedule"].rsplit("=", 1)[1].split(",")
            raw = {
                "title": props["title"], "description": props["description"],
                "life_domains": ", ".join(LIFE_DOMAINS.label(k) for k in props["life_domains"]),
                "target_groups": ", ".join(TARGET_GROUPS.label(k)
                                           for k in props["target_groups"]),
                "schedule": " en ".join(days[d[-2:]] for d in byday),
                "start_time": props["start_time"].replace(":", "."),
                "end_time": props["end_time"], "address": props["address"],
                "postcode": props["postcode"].replace(" ", "").lower(),
                "cost": props["cost"], "referral_needed": "ja" if props["referral_needed"]
                else "nee", "url": props["url"].removeprefix("https://"),
            }
            contact = None
            if rng.random() < 0.7:
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                contact = {"name": f"{first} {last}",
                           "phone": f"06-{rng.randint(10000000, 59999999)}",
                           "email": f"{_ascii(first)}.{_ascii(last)}@import.example"}
            records.append(Record(line=line, kind=ACTIVITY, props=raw, source="bench-import",
                                  source_id=f"row-{line}", organisation=organisation,
                                  contact=contact, areas=[(self._wijk(rng, gem), "wijk")]))
        return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generated = NationalDirectory(args.scale, args.seed)
    kinds = Counter(node.kind for node in generated.nodes())
    types = Counter(edge.type for edge in generated.edges())
    print(f"scale {args.scale}: {sum(kinds.values()):,} nodes, {sum(types.values()):,} edges")
    for name, count in sorted((kinds + types).items()):
        print(f"  {name:<14}{count:>10,}")


if __name__ == "__main__":
    main()
