"""The app's main pages for the page-wide browser checks (requests, console, accessibility,
phone layout, screenshots): one row per page, with the route name whose rule in
``web.access.RULES`` says which role opens it. Add a row when a page lands."""

from __future__ import annotations

from dataclasses import dataclass

from browser_live import LiveServer

from directory.model import ACTIVITY, ORGANISATION, PERSON
from web.access import RULES

DUKENBURG = "WK026807"


@dataclass(frozen=True)
class MainPage:
    name: str  # also the screenshot's file name
    path: str  # may hold {activity}, {organisation}, {person}: a demo node's id
    route: str

    @property
    def role(self) -> str | None:
        return RULES[self.route]

    def url(self, server: LiveServer) -> str:
        store = server.directory.store
        ids = {key: store.find_nodes(kind, limit=1)[0].id
               for key, kind in (("activity", ACTIVITY), ("organisation", ORGANISATION),
                                 ("person", PERSON)) if "{" + key + "}" in self.path}
        return server.url(self.path.format(**ids))


MAIN_PAGES = [
    MainPage("home", "/", "home"),
    MainPage("zoeken", "/zoeken?gebied=GM0268", "search"),
    MainPage("meegeefkaart", "/meegeefkaart?id={activity}", "handout"),
    MainPage("inloggen", "/inloggen", "login"),
    MainPage("activiteit", "/activiteiten/{activity}", "activity"),
    MainPage("organisatie", "/organisaties/{organisation}", "organisation"),
    MainPage("persoon", "/personen/{person}", "person"),
    MainPage("wijk", f"/wijk/{DUKENBURG}", "area"),
    MainPage("dekking", "/dekking", "coverage"),
    MainPage("netwerk", "/netwerk", "network"),
    MainPage("overdracht", "/overdracht", "handover"),
    MainPage("beheer", "/beheer", "beheer"),
    MainPage("beheer-import", "/beheer/import", "beheer.import"),
    MainPage("beheer-logboek", "/beheer/logboek", "beheer.audit"),
    MainPage("beheer-gebruikers", "/beheer/gebruikers", "beheer.users"),
]
