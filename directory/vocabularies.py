"""The controlled vocabularies of DESIGN §1 as data: keys, Dutch labels and the free-text
synonyms importers map from."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from directory.text import fold

__all__ = [
    "ACTIVITY_STATUSES",
    "AGREEMENT_KINDS",
    "AREA_LEVELS",
    "ESSENTIAL_PARTNER_TYPES",
    "LIFE_DOMAINS",
    "ORG_ROLES",
    "PARTNER_TYPES",
    "RRULE_DAYS",
    "TARGET_GROUPS",
    "TEAM_PHASES",
    "TEAM_ROLES",
    "WEEKDAYS",
    "Term",
    "Vocabulary",
]

# Characters ignored when comparing a cell to a key, label or synonym.
_IGNORED = re.compile(r"[\s\-_.'’/&()]+")
# Separators of a multi-valued cell; a "+" directly after a digit ("18+") is not one.
_HARD_SPLIT = re.compile(r"[,;/|\n\r]+|(?<!\d)\+")
_SOFT_SPLIT = re.compile(r"\s+(?:en|and|&)\s+", re.IGNORECASE)


def _normal(text: str) -> str:
    return _IGNORED.sub("", fold(text))


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: ascii key, Dutch label and free-text synonyms."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()


class Vocabulary:
    """An ordered set of terms with lookup from keys, labels and synonyms."""

    def __init__(self, name: str, terms: Iterable[Term]) -> None:
        self.name = name
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_key = {term.key: term for term in self.terms}
        if len(self._by_key) != len(self.terms):
            raise ValueError(f"duplicate key in vocabulary {name!r}")
        self._index: dict[str, str] = {}
        for term in self.terms:
            for text in (term.key, term.label, *term.synonyms):
                self._register(_normal(text), term.key)

    def _register(self, normal: str, key: str) -> None:
        known = self._index.setdefault(normal, key)
        if known != key:
            raise ValueError(f"{normal!r} maps to both {known!r} and {key!r} in {self.name!r}")

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {len(self.terms)} terms)"

    def keys(self) -> list[str]:
        """All keys in their defined order."""
        return [term.key for term in self.terms]

    def label(self, key: str) -> str:
        """The Dutch label of ``key``; an unknown key is returned unchanged."""
        term = self._by_key.get(key)
        return term.label if term else key

    def match(self, text: str) -> str | None:
        """Map a key, label or synonym (case, accents, spaces and hyphens ignored) to its key."""
        normal = _normal(text)
        return self._index.get(normal) if normal else None

    def match_many(self, text: str) -> tuple[list[str], list[str]]:
        """Split a free-text cell into parts; return (matched keys in order, unmatched parts)."""
        keys: list[str] = []
        unmatched: list[str] = []
        for chunk in _HARD_SPLIT.split(text or ""):
            chunk = chunk.strip()
            if not chunk:
                continue
            whole = self.match(chunk)
            parts = [(chunk, whole)] if whole else [
                (part.strip(), self.match(part)) for part in _SOFT_SPLIT.split(chunk)
            ]
            for part, key in parts:
                if key is None:
                    if part:
                        unmatched.append(part)
                elif key not in keys:
                    keys.append(key)
        return keys, unmatched


LIFE_DOMAINS = Vocabulary("leefgebied", [
    Term("wonen", "Wonen", (
        "huisvesting", "woning", "woonruimte", "huis", "dakloos", "dakloosheid", "thuisloos",
        "woonproblemen", "housing", "home", "homeless", "homelessness", "living",
    )),
    Term("welzijn", "Welzijn", (
        "sociale contacten", "meedoen", "zingeving", "eenzaamheid", "ontmoeting", "participatie",
        "welbevinden", "vrije tijd", "sociaal", "wellbeing", "well-being", "welfare",
        "social contacts", "social", "loneliness", "meaning", "participation",
    )),
    Term("financien", "Financiën", (
        "geld", "schulden", "schuld", "schuldhulp", "schuldhulpverlening", "budget",
        "budgetbeheer", "armoede", "inkomen", "administratie", "financieel", "money", "debt",
        "debts", "finances", "finance", "financial", "income", "poverty",
    )),
    Term("werk_dagbesteding", "Werk en dagbesteding", (
        "werk", "dagbesteding", "vrijwilligerswerk", "re-integratie", "arbeid", "baan",
        "opleiding", "scholing", "onderwijs", "work", "employment", "job", "jobs",
        "volunteering", "volunteer work", "daytime activities", "day activities", "education",
    )),
    Term("zorg", "Zorg", (
        "gezondheid", "psychisch", "lichamelijk", "ggz", "geestelijke gezondheid",
        "psychische gezondheid", "mentale gezondheid", "lichamelijke gezondheid",
        "gezondheidszorg", "medisch", "verslavingszorg", "health", "healthcare", "care",
        "mental health", "physical health", "medical",
    )),
    Term("veiligheid", "Veiligheid", (
        "huiselijk geweld", "geweld", "overlast", "crisis", "criminaliteit", "onveiligheid",
        "veilig thuis", "safety", "security", "domestic violence", "violence", "nuisance",
    )),
])

TARGET_GROUPS = Vocabulary("doelgroep", [
    Term("18plus", "18+", (
        "18 plus", "18 jaar en ouder", "18 en ouder", "vanaf 18", "vanaf 18 jaar",
        "volwassenen", "volwassene", "meerderjarigen", "adults", "adult", "18 and over",
    )),
    Term("jongvolwassenen", "Jongvolwassenen", (
        "jongvolwassene", "jong volwassenen", "jongeren", "18-27", "18 tot 27",
        "young adults", "young adult", "youth", "young people",
    )),
    Term("ouderen", "Ouderen", (
        "oudere", "senioren", "65+", "55+", "65 plus", "elderly", "older adults", "older people",
        "seniors",
    )),
    Term("lvb", "Mensen met een LVB", (
        "licht verstandelijke beperking", "licht verstandelijk beperkt",
        "verstandelijke beperking", "lvg", "intellectual disability",
        "mild intellectual disability",
    )),
    Term("verslaving", "Mensen met een verslaving", (
        "verslaafden", "verslavingsproblematiek", "middelengebruik", "alcohol", "drugs",
        "gokken", "addiction", "addicted", "substance use",
    )),
    Term("epa", "Mensen met EPA", (
        "ernstige psychiatrische aandoening", "ernstige psychische aandoening",
        "ernstige psychiatrische aandoeningen", "smi", "severe mental illness",
    )),
    Term("mantelzorgers", "Mantelzorgers", (
        "mantelzorger", "mantelzorg", "naasten", "carers", "carer", "caregivers",
        "informal carers",
    )),
    Term("nieuwkomers", "Nieuwkomers", (
        "nieuwkomer", "statushouders", "statushouder", "vluchtelingen", "asielzoekers",
        "migranten", "inburgeraars", "newcomers", "refugees", "migrants", "status holders",
    )),
    Term("iedereen", "Iedereen", (
        "voor iedereen", "alle bewoners", "bewoners", "wijkbewoners", "buurtbewoners",
        "algemeen", "alle", "everyone", "everybody", "anyone", "all",
    )),
])

PARTNER_TYPES = Vocabulary("partnertype", [
    Term("huisarts", "Huisarts", (
        "huisartsen", "huisartsenpraktijk", "huisartspraktijk", "gezondheidscentrum", "gp",
        "gps", "general practitioner", "family doctor",
    )),
    Term("poh_ggz", "POH-GGZ", (
        "poh", "praktijkondersteuner", "praktijkondersteuner ggz",
        "praktijkondersteuner huisarts ggz", "mental health practice nurse",
    )),
    Term("sociaal_wijkteam", "Sociaal wijkteam", (
        "buurtteam", "kernteam", "wijkteam", "sociaal team", "sociaal buurtteam", "swt",
        "toegangsteam", "social neighbourhood team", "community team",
    )),
    Term("woningcorporatie", "Woningcorporatie", (
        "woningbouwcorporatie", "woningbouwvereniging", "corporatie", "verhuurder",
        "housing association", "housing corporation", "social housing", "landlord",
    )),
    Term("welzijn", "Welzijnsorganisatie", (
        "welzijnswerk", "buurtwerk", "opbouwwerk", "sociaal werk", "maatschappelijk werk",
        "buurtcentrum", "wijkcentrum", "welfare", "welfare organisation", "social work",
        "community work", "community centre",
    )),
    Term("vvt_thuiszorg", "VVT / thuiszorg", (
        "vvt", "thuiszorg", "wijkverpleging", "wijkverpleegkundige", "verpleeghuis",
        "verzorgingshuis", "ouderenzorg", "home care", "district nursing", "nursing home",
    )),
    Term("politie", "Politie", ("wijkagent", "police", "community police officer")),
    Term("sociale_dienst", "Sociale dienst", (
        "werk en inkomen", "bijstand", "uwv", "participatiewet", "social services",
        "social security",
    )),
    Term("schuldhulp", "Schuldhulpverlening", (
        "schuldhulpverlening", "schuldsanering", "budgetbeheer", "budgetcoach",
        "bewindvoering", "bewindvoerder", "thuisadministratie", "formulierenbrigade",
        "debt counselling", "debt advice", "debt relief",
    )),
    Term("ggd", "GGD", (
        "gemeentelijke gezondheidsdienst", "oggz", "public health service", "public health",
    )),
    Term("gemeente", "Gemeente", (
        "wmo", "wmo-loket", "municipality", "local authority", "council",
    )),
    Term("specialistische_ggz", "Specialistische GGZ", (
        "ggz", "sggz", "ggz-instelling", "ggz-aanbieder", "psychiatrie", "fact", "fact-team",
        "mental health care", "mental health services", "specialist mental health care",
    )),
    Term("verslavingszorg", "Verslavingszorg", (
        "verslavingskliniek", "verslavingsinstelling", "addiction care", "addiction services",
    )),
    Term("lvb_zorg", "LVB-zorg", (
        "lvb", "gehandicaptenzorg", "vg-zorg", "zorg voor mensen met een lvb",
        "disability care", "intellectual disability care",
    )),
    Term("begeleid_wonen", "Begeleid en beschermd wonen", (
        "begeleid wonen", "beschermd wonen", "ambulante begeleiding", "woonbegeleiding",
        "ribw", "maatschappelijke opvang", "opvang", "supported housing", "sheltered housing",
    )),
    Term("ervaringsdeskundigen", "Ervaringsdeskundigen", (
        "ervaringsdeskundige", "ervaringswerkers", "herstelacademie", "herstelwerkplaats",
        "zelfhulp", "zelfhulpgroep", "lotgenoten", "cliëntenorganisatie", "peer support",
        "peer workers", "experts by experience",
    )),
    Term("vrijwilligers", "Vrijwilligersorganisatie", (
        "vrijwilligers", "vrijwilligerscentrale", "vrijwilligerswerk", "maatjes",
        "maatjesproject", "volunteers", "volunteer organisation", "volunteering",
    )),
    Term("sport", "Sport en bewegen", (
        "bewegen", "sportvereniging", "sportclub", "buurtsportcoach", "fitness", "sports",
        "sports club", "exercise",
    )),
    Term("bibliotheek", "Bibliotheek", (
        "library", "taalhuis", "digitaal informatiepunt", "informatiepunt digitale overheid",
    )),
    Term("levensbeschouwing", "Levensbeschouwing", (
        "kerk", "moskee", "synagoge", "tempel", "parochie", "diaconie", "geloofsgemeenschap",
        "religieuze organisatie", "geestelijke verzorging", "geestelijk verzorger", "church",
        "mosque", "religious", "faith community", "spiritual care",
    )),
    Term("zorgverzekeraar", "Zorgverzekeraar", (
        "verzekeraar", "zorgverzekering", "health insurer", "insurer", "health insurance",
    )),
    Term("overig", "Overig", ("overige", "anders", "andere", "divers", "other", "misc")),
])

ORG_ROLES = Vocabulary("organisatierol", [
    Term("ketenpartner", "Ketenpartner", (
        "partner", "netwerkpartner", "samenwerkingspartner", "chain partner", "network partner",
    )),
    Term("moederorganisatie", "Moederorganisatie", (
        "werkgever", "parent organisation", "parent organization", "employer",
    )),
    Term("gemeente", "Gemeente", ("municipality", "local authority")),
    Term("financier", "Financier", (
        "subsidiegever", "opdrachtgever", "funder", "financer", "funding body",
    )),
])

TEAM_ROLES = Vocabulary("teamrol", [
    Term("ervaringsdeskundige", "Ervaringsdeskundige", (
        "ed", "ervaringswerker", "peer worker", "peer support worker", "expert by experience",
    )),
    Term("maatschappelijk_hulpverlener", "Maatschappelijk hulpverlener", (
        "mw", "mhv", "maatschappelijk werker", "maatschappelijk werk", "social worker",
    )),
    Term("spv", "SPV", (
        "sociaal psychiatrisch verpleegkundige", "sociaal-psychiatrisch verpleegkundige",
        "community psychiatric nurse", "cpn",
    )),
    Term("regiebehandelaar", "Regiebehandelaar", (
        "behandelaar", "gz-psycholoog", "psycholoog", "klinisch psycholoog", "psychotherapeut",
        "lead practitioner", "psychologist",
    )),
    Term("kwartiermaker", "Kwartiermaker", ("kwartiermaken", "community builder")),
    Term("teamleider", "Teamleider", (
        "teamcoördinator", "coördinator", "leidinggevende", "manager", "team leader",
        "team lead", "coordinator",
    )),
    Term("psychiater", "Psychiater", ("psychiatrist",)),
    Term("verpleegkundige", "Verpleegkundige", (
        "vpk", "verpleegkundig specialist", "wijkverpleegkundige", "nurse",
    )),
    Term("trajectbegeleider", "Trajectbegeleider", (
        "begeleider", "ambulant begeleider", "woonbegeleider", "trajectcoach", "jobcoach",
        "coach", "support worker",
    )),
])

AGREEMENT_KINDS = Vocabulary("afspraaksoort", [
    Term("aanmelden", "Aanmelden en verwijzen", (
        "aanmelding", "verwijzen", "verwijzing", "doorverwijzen", "doorverwijzing",
        "warme overdracht", "intake", "referral", "referrals",
    )),
    Term("consultatie_advies", "Consultatie en advies", (
        "consultatie", "advies", "consult", "consultation", "advice",
    )),
    Term("terugkoppeling", "Terugkoppeling", (
        "terugmelding", "terugmelden", "informeren", "feedback", "report back",
    )),
    Term("casuistiekoverleg", "Casuïstiekoverleg", (
        "casuistiek", "casusoverleg", "mdo", "multidisciplinair overleg", "case conference",
        "case meeting",
    )),
    Term("privacy_convenant", "Privacyconvenant", (
        "convenant", "privacy", "gegevensdeling", "data sharing agreement", "privacy agreement",
    )),
])

WEEKDAYS = Vocabulary("weekdag", [
    Term("ma", "maandag", ("maan", "maa", "mon", "monday", "mo")),
    Term("di", "dinsdag", ("din", "dins", "tue", "tues", "tuesday", "tu")),
    Term("wo", "woensdag", ("woe", "woens", "wed", "wednesday", "we")),
    Term("do", "donderdag", ("don", "dond", "thu", "thur", "thurs", "thursday", "th")),
    Term("vr", "vrijdag", ("vrij", "fri", "friday", "fr")),
    Term("za", "zaterdag", ("zat", "sat", "saturday", "sa")),
    Term("zo", "zondag", ("zon", "sun", "sunday", "su")),
])

ACTIVITY_STATUSES = Vocabulary("status", [
    Term("actief", "Actief", ("active", "lopend", "loopt", "running", "open")),
    Term("gestopt", "Gestopt", (
        "beëindigd", "inactief", "opgeheven", "vervallen", "gesloten", "stopped", "inactive",
        "ended", "closed",
    )),
])

TEAM_PHASES: dict[int, str] = {
    0: "voorbereiding",
    1: "kwartiermaken",
    2: "outreachend",
    3: "geborgd",
}

RRULE_DAYS: dict[str, str] = {
    "ma": "MO", "di": "TU", "wo": "WE", "do": "TH", "vr": "FR", "za": "SA", "zo": "SU",
}

ESSENTIAL_PARTNER_TYPES: tuple[str, ...] = (
    "huisarts", "sociaal_wijkteam", "woningcorporatie", "welzijn", "schuldhulp",
)

AREA_LEVELS: tuple[str, ...] = ("gemeente", "wijk", "buurt")
