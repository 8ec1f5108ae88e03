"""A small hand-made region (West Betuwe in miniature) for focused use-case tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from directory.service import Directory


def days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


@dataclass
class Small:
    """Ids of the small region, by short name."""

    directory: Directory
    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.ids[key]


def _area(d: Directory, code: str, name: str, population: int, parent: str | None) -> str:
    d.create("Area", {"code": code, "name": name, "population": population})
    if parent:
        d.relate("WITHIN", code, parent, since="2024-01-01")
    return code


def build_small(directory: Directory) -> Small:
    """West Betuwe in miniature, built through the service (no national areas loaded).

    GM1960 West Betuwe ⊃ WK196000 Geldermalsen ⊃ BU19600001 Centrum, and WK196002 Beesd.
    One team with two members and a former member, three partners, two contact persons
    and four activities (one placed only through its postcode).
    """
    d = directory
    s = Small(d)
    ids = s.ids
    ids["gm"] = _area(d, "GM1960", "West Betuwe", 52948, None)
    ids["wk_geldermalsen"] = _area(d, "WK196000", "Geldermalsen", 11005, "GM1960")
    ids["bu_centrum"] = _area(d, "BU19600001", "Centrum Geldermalsen", 2100, "WK196000")
    ids["wk_beesd"] = _area(d, "WK196002", "Beesd", 5200, "GM1960")

    team = d.create("Team", {"name": "WijkGGZ West Betuwe", "phase": 1,
                             "started_on": "2025-01-01"})
    ids["team"] = team.id
    d.relate("SERVES", team.id, "GM1960", since="2025-01-01")

    def person(key: str, name: str, **props: Any) -> str:
        ids[key] = d.create("Person", {"name": name, **props}).id
        return ids[key]

    person("nadia", "Nadia Benali", job_title="Kwartiermaker", phone="06 11112222",
           email="n.benali@propersona.example", last_verified_on=days_ago(20))
    person("pieter", "Pieter Smit", job_title="SPV", last_verified_on=days_ago(30))
    person("oud", "Olga Oud", job_title="Ervaringsdeskundige")
    person("eline", "Eline Vos", job_title="Consulent", phone="0345 123456",
           email="e.vos@stwb.example", last_verified_on=days_ago(400))
    person("henk", "Henk Hol", job_title="Huisarts", last_verified_on=days_ago(10))
    d.relate("MEMBER_OF", ids["nadia"], team.id, {"role": "kwartiermaker"}, since="2026-02-01")
    d.relate("MEMBER_OF", ids["pieter"], team.id, {"role": "spv"}, since="2026-02-01")
    ended = d.relate("MEMBER_OF", ids["oud"], team.id, {"role": "ervaringsdeskundige"},
                     since="2025-01-01")
    d.end_relation(ended.id, "2025-12-31")

    swt = d.create("Organisation", {"name": "Sociaal Team West Betuwe",
                                    "partner_type": "sociaal_wijkteam",
                                    "postcode": "4191 AB"})
    hap = d.create("Organisation", {"name": "Huisartsenpraktijk Beesd",
                                    "partner_type": "huisarts", "postcode": "4153 BA"})
    corp = d.create("Organisation", {"name": "Woonstichting Lingedal",
                                     "partner_type": "woningcorporatie"})
    ids.update(swt=swt.id, hap=hap.id, corp=corp.id)
    d.relate("ACTIVE_IN", swt.id, "GM1960")
    d.relate("ACTIVE_IN", hap.id, "WK196002")
    d.relate("ACTIVE_IN", corp.id, "WK196000")
    d.relate("WORKS_AT", ids["eline"], swt.id, {"job_title": "Consulent"}, since="2021-01-01")
    d.relate("WORKS_AT", ids["henk"], hap.id, {"job_title": "Huisarts"}, since="2015-01-01")
    d.relate("LIAISON_FOR", ids["nadia"], swt.id, since="2026-02-01")
    d.relate("LIAISON_FOR", ids["nadia"], hap.id, since="2026-02-01")
    d.relate("LIAISON_FOR", ids["pieter"], hap.id, since="2026-02-01")
    d.relate("KNOWS", ids["nadia"], ids["eline"], {"last_contact_on": days_ago(5),
                                                  "note": "Eerste verkenning"},
             since="2026-02-01")

    def activity(key: str, area: str | None, org: str, contact: str | None,
                 **props: Any) -> str:
        act = d.create("Activity", props)
        ids[key] = act.id
        if area:
            d.relate("IN_AREA", act.id, area, since="2025-01-01")
        d.relate("OFFERED_BY", act.id, org, since="2025-01-01")
        if contact:
            d.relate("CONTACT", act.id, ids[contact], since="2026-02-01")
        return act.id

    activity("inloop", "BU19600001", swt.id, "eline", title="Inloop met koffieochtend",
             description="Binnenlopen voor een praatje.", life_domains="welzijn",
             schedule="ma, wo", start_time="9:30", end_time="11:30", cost="gratis",
             postcode="4191 AB")
    activity("schuld", "WK196000", swt.id, "eline", title="Schuldhulpmaatje spreekuur",
             description="Hulp bij post en rekeningen.", life_domains="financien",
             schedule="di", cost="gratis", postcode="4191 CD")
    activity("bewegen", "WK196002", hap.id, "henk", title="Bewegen op recept",
             description="Twaalf weken bewegen.", life_domains="zorg", schedule="do",
             cost="€ 5 per maand", referral_needed="ja", postcode="4153 BA")
    activity("dorp", None, swt.id, None, title="Dorpshuis Tricht open huis",
             description="Koffie en kaarten in het dorpshuis.", life_domains="welzijn",
             schedule="vr", cost="gratis", postcode="4196 AA")
    return s
