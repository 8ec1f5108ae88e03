"""Beheer's export downloads, audit log and users page."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web_helpers import ClientFor, login, token_of

from directory.accounts import AccountStore
from directory.service import Directory


@pytest.fixture
def app(demo_app: Starlette) -> Starlette:
    """These pages write: run them on every backend."""
    return demo_app


@pytest.fixture
def client_for(demo_client_for: ClientFor) -> ClientFor:
    return demo_client_for


XSS = '<img src=x onerror="alert(1)">'


def _directory(app: Starlette) -> Directory:
    directory: Directory = app.state.directory
    return directory


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


# -- export -----------------------------------------------------------------------------------

def test_csv_export_parses_and_leaves_contacts_out(client_for: ClientFor,
                                                   app: Starlette) -> None:
    email = _directory(app).get("per-0023").props["email"]
    reader = client_for("lezer")
    response = reader.get("/beheer/export/bestand?formaat=csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="wijkkaart-csv.csv"'
    rows = _csv_rows(response.text)
    assert {"Soort", "Naam", "Organisatie"} <= set(rows[0])
    assert any(r["Naam"] == "Bewegen op recept" for r in rows)
    assert email not in response.text
    assert reader.get("/beheer/export/bestand?formaat=csv&contacten=1").status_code == 403
    coordinator = client_for("coordinator")
    with_contacts = coordinator.get("/beheer/export/bestand?formaat=csv&contacten=1")
    assert with_contacts.status_code == 200 and email in with_contacts.text


def test_scoped_export_and_an_unknown_area(client_for: ClientFor) -> None:
    client = client_for("lezer")
    everything = _csv_rows(client.get("/beheer/export/bestand?formaat=csv").text)
    tiel = _csv_rows(client.get("/beheer/export/bestand?formaat=csv&gebied=GM0281").text)
    assert 0 < len(tiel) < len(everything)
    unknown = client.get("/beheer/export/bestand?formaat=csv&gebied=Atlantis")
    assert unknown.status_code == 404 and "Exporteren lukte niet" in unknown.text
    assert 'value="Atlantis"' in unknown.text  # the choice is kept


def test_full_dump_only_for_beheerder(client_for: ClientFor) -> None:
    coordinator = client_for("coordinator")
    assert 'value="json"' not in coordinator.get("/beheer/export").text
    assert coordinator.get("/beheer/export/bestand?formaat=json").status_code == 403
    admin = client_for("beheerder")
    assert 'value="json"' in admin.get("/beheer/export").text
    dump = admin.get("/beheer/export/bestand?formaat=json")
    assert dump.status_code == 200 and dump.json()["format"] == "wijkkaart-dump"


def test_other_formats_download(client_for: ClientFor) -> None:
    client = client_for("lezer")
    hsds = client.get("/beheer/export/bestand?formaat=hsds&organisatie=org-wijkbewegen")
    assert hsds.status_code == 200 and json.loads(hsds.text)
    ical = client.get("/beheer/export/bestand?formaat=ical&gebied=WK026807")
    assert ical.text.startswith("BEGIN:VCALENDAR")
    assert ical.headers["content-type"].startswith("text/calendar")
    graphml = client.get("/beheer/export/bestand?formaat=graphml&team=team-tiel")
    assert graphml.status_code == 200 and "<graphml" in graphml.text
    missing = client.get("/beheer/export/bestand")
    assert missing.status_code == 422


# -- audit log --------------------------------------------------------------------------------

def _edit_description(client: TestClient, text: str) -> None:
    page = client.get("/beheer/organisaties/org-wijkbewegen").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    response = client.post("/beheer/organisaties/org-wijkbewegen", data={
        "csrf_token": token_of(client), "version": version.group(1),
        "name": "Wijkbewegen Nijmegen", "role": "ketenpartner", "partner_type": "sport",
        "description": text, "gebied": "WK026807"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_audit_log_shows_who_changed_what(client_for: ClientFor) -> None:
    _edit_description(client_for("redacteur"), XSS)
    coordinator = client_for("coordinator")
    html = coordinator.get("/beheer/logboek").text
    first = html[html.index("<tbody>"):html.index("</tr>", html.index("<tbody>"))]
    assert "redacteur" in first and "Wijkbewegen Nijmegen" in first
    assert "description:" in first and "gewijzigd" in first
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert 'rel="next"' in html  # the demo's log is longer than a page
    only = coordinator.get("/beheer/logboek?node=org-wijkbewegen").text
    assert "description:" in only
    assert "Taalcafé" not in only and "org-wijkbewegen" in only
    assert client_for("redacteur").get("/beheer/logboek").status_code == 403


def test_relation_changes_are_in_the_log(client_for: ClientFor) -> None:
    client = client_for("redacteur")
    page = client.get("/beheer/personen/per-0023").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    client.post("/beheer/personen/per-0023", data={
        "csrf_token": token_of(client), "version": version.group(1), "name": "Nieuwe Naam",
        "organisatie": ""}, follow_redirects=False)
    html = client_for("beheerder").get("/beheer/logboek?node=per-0023").text
    assert "relatie beëindigd" in html and "WORKS_AT per-0023 → org-hap-meijhorst" in html


# -- users ------------------------------------------------------------------------------------

def _accounts(app: Starlette) -> AccountStore:
    accounts: AccountStore = app.state.accounts
    return accounts


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    return client.post(path, data={**data, "csrf_token": token_of(client)},
                       follow_redirects=False)


def test_add_change_and_remove_a_user(client_for: ClientFor, app: Starlette) -> None:
    admin = client_for("beheerder")
    response = admin.post("/beheer/gebruikers", data={
        "csrf_token": token_of(admin), "naam": "sanne", "rol": "redacteur",
        "wachtwoord": "lang-genoeg-1"}, follow_redirects=False)
    assert response.status_code == 303
    page = admin.get("/beheer/gebruikers").text
    assert "Account &#39;sanne&#39; (redacteur) is toegevoegd." in page
    assert re.search(r'<th scope="row">sanne</th>\s*<td>redacteur</td>', page)
    changed = admin.post("/beheer/gebruikers/sanne/rol",
                         data={"csrf_token": token_of(admin), "rol": "coordinator"},
                         follow_redirects=False)
    assert changed.status_code == 303
    stored = _accounts(app).get("sanne")
    assert stored is not None and stored.role == "coordinator"
    fresh = TestClient(app)
    login(fresh, "sanne", "lang-genoeg-1")  # the password survived the role change
    assert fresh.get("/beheer/logboek").status_code == 200
    removed = admin.post("/beheer/gebruikers/sanne/verwijderen",
                         data={"csrf_token": token_of(admin)}, follow_redirects=False)
    assert removed.status_code == 303 and _accounts(app).get("sanne") is None
    assert fresh.get("/beheer/logboek", follow_redirects=False).status_code == 303


def test_user_errors_next_to_their_fields(client_for: ClientFor, app: Starlette) -> None:
    admin = client_for("beheerder")
    short = admin.post("/beheer/gebruikers", data={
        "csrf_token": token_of(admin), "naam": "piet", "rol": "lezer", "wachtwoord": "kort"})
    assert short.status_code == 422
    field = short.text[short.text.index('for="veld-wachtwoord"'):]
    assert 'id="fout-wachtwoord"' in field[:1500] and "minstens 10 tekens" in field[:1500]
    assert 'value="piet"' in short.text and _accounts(app).get("piet") is None
    taken = admin.post("/beheer/gebruikers", data={
        "csrf_token": token_of(admin), "naam": "lezer", "rol": "lezer",
        "wachtwoord": "lang-genoeg-1"})
    assert taken.status_code == 409 and 'id="fout-naam"' in taken.text
    bad_name = admin.post("/beheer/gebruikers", data={
        "csrf_token": token_of(admin), "naam": XSS, "rol": "lezer",
        "wachtwoord": "lang-genoeg-1"})
    assert bad_name.status_code == 422 and "<img src=x" not in bad_name.text


def test_not_yourself_and_only_beheerder(client_for: ClientFor, app: Starlette) -> None:
    admin = client_for("beheerder")
    gone = admin.post("/beheer/gebruikers/beheerder/verwijderen",
                      data={"csrf_token": token_of(admin)})
    assert gone.status_code == 409 and "eigen account" in gone.text
    demote = admin.post("/beheer/gebruikers/beheerder/rol",
                        data={"csrf_token": token_of(admin), "rol": "lezer"})
    assert demote.status_code == 409
    stored = _accounts(app).get("beheerder")
    assert stored is not None and stored.role == "beheerder"
    no_token = admin.post("/beheer/gebruikers/lezer/verwijderen", follow_redirects=False)
    assert no_token.status_code == 403 and _accounts(app).get("lezer") is not None
    coordinator = client_for("coordinator")
    assert coordinator.get("/beheer/gebruikers").status_code == 403
    refused = coordinator.post("/beheer/gebruikers/lezer/verwijderen",
                               data={"csrf_token": token_of(coordinator)})
    assert refused.status_code == 403 and _accounts(app).get("lezer") is not None
