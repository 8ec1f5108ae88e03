"""The wijk page's kwartiermaker parts: team phase with checklist (optimistic locking) and
the quick forms for a partner, a contact person and an activity."""

from __future__ import annotations

import re

import httpx
from starlette.testclient import TestClient
from web_helpers import ClientFor, token_of

from directory.model import ACTIVITY, ORGANISATION, PERSON
from directory.service import Directory

WIJK = "WK026807"  # Dukenburg, served by team-dukenburg (phase 3)
TEAM = "team-dukenburg"


def _tick(client: TestClient, points: list[str], version: int, **extra: str) -> httpx.Response:
    data: dict[str, object] = {"csrf_token": token_of(client), "team": TEAM,
                               "versie": str(version), "punt": points, **extra}
    return client.post(f"/wijk/{WIJK}/checklist", data=data, follow_redirects=False)


def _post(client: TestClient, form: str, data: dict[str, object]) -> httpx.Response:
    return client.post(f"/wijk/{WIJK}/{form}", data={"csrf_token": token_of(client), **data},
                       follow_redirects=False)


def test_team_phase_and_checklist_shown(client_for: ClientFor) -> None:
    reader = client_for("lezer").get(f"/wijk/{WIJK}").text
    assert "WijkGGZ Nijmegen-Dukenburg" in reader and "<strong>3 geborgd</strong>" in reader
    assert "Fase 3 geborgd (huidige fase): 0 van 4 gedaan" in reader
    assert "Wijkanalyse gemaakt" in reader and "Afspraken met huisartsen en POH-GGZ" in reader
    assert 'value="huisartsen" disabled' in reader  # a lezer cannot tick
    assert "Checklist opslaan" not in reader and "Snel toevoegen" not in reader
    editor = client_for("redacteur").get(f"/wijk/{WIJK}").text
    assert "Checklist opslaan" in editor and "Snel toevoegen" in editor
    assert '<label for="partner-naam">Naam</label>' in editor


def test_tick_persists(demo_client_for: ClientFor, demo: Directory) -> None:
    client = demo_client_for("redacteur")
    version = demo.get(TEAM).version
    response = _tick(client, ["huisartsen", "wijkanalyse"], version)
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/wijk/{WIJK}?opgeslagen={TEAM}#team-{TEAM}")
    team = demo.get(TEAM)
    assert team.props["checklist"] == ["wijkanalyse", "huisartsen"]
    assert team.version == version + 1 and team.props["phase"] == 3
    page = client.get(f"/wijk/{WIJK}?opgeslagen={TEAM}").text
    assert 'value="huisartsen" checked' in page and 'value="werkplek">' in page
    assert "De checklist is opgeslagen." in page
    assert "Fase 1 kwartiermaken: 1 van 4 gedaan" in page
    # unticking everything is stored too
    assert _tick(client, [], version + 1).status_code == 303
    assert demo.get(TEAM).props["checklist"] == []


def test_stale_version_is_a_conflict(demo_client_for: ClientFor, demo: Directory) -> None:
    client = demo_client_for("redacteur")
    version = demo.get(TEAM).version
    assert _tick(client, ["werkplek"], version).status_code == 303
    stale = _tick(client, ["evaluatie"], version)
    assert stale.status_code == 409
    text = stale.text
    assert "Iemand anders heeft dit net gewijzigd" in text
    assert 'value="werkplek" checked' in text and 'value="evaluatie">' in text
    assert f'name="versie" value="{version + 1}"' in text  # the new state to tick again
    assert demo.get(TEAM).props["checklist"] == ["werkplek"]


def test_checklist_refusals(client_for: ClientFor, sqlite_demo: Directory) -> None:
    version = sqlite_demo.get(TEAM).version
    reader = client_for("lezer")
    assert _tick(reader, ["werkplek"], version).status_code == 403
    editor = client_for("redacteur")
    no_token = editor.post(f"/wijk/{WIJK}/checklist",
                           data={"team": TEAM, "versie": str(version), "punt": "werkplek"})
    assert no_token.status_code == 403
    unknown = _tick(editor, ["bestaat_niet"], version)
    assert unknown.status_code == 422
    assert "onbekend punt van de checklist: bestaat_niet" in unknown.text
    elsewhere = _tick(editor, ["werkplek"], version, team="team-tiel")
    assert elsewhere.status_code == 422
    assert "kies een team dat in dit gebied werkt" in elsewhere.text
    assert "checklist" not in sqlite_demo.get(TEAM).props
    assert "checklist" not in sqlite_demo.get("team-tiel").props


def test_quick_partner(demo_client_for: ClientFor, demo: Directory) -> None:
    client = demo_client_for("redacteur")
    response = _post(client, "partner", {"naam": "Buurtkamer De Geus", "soort": "welzijn",
                                          "postcode": "6535ab", "telefoon": "024 123 4567"})
    assert response.status_code == 303
    location = response.headers["location"]
    found = re.search(r"nieuw=([^#&]+)", location)
    assert found
    new_id = found.group(1)
    org = demo.get(new_id)
    assert org.kind == ORGANISATION and org.props["postcode"] == "6535 AB"
    assert org.props["partner_type"] == "welzijn" and org.props["phone"] == "+31241234567"
    areas = demo.store.edges(new_id, types=["ACTIVE_IN"], current=True)
    assert [e.dst for e in areas] == [WIJK]
    page = client.get(location).text
    assert f'Toegevoegd: <a href="/organisaties/{new_id}">Buurtkamer De Geus</a>' in page
    assert f'<li><a href="/organisaties/{new_id}">Buurtkamer De Geus</a></li>' in page


def test_quick_partner_errors_next_to_fields(client_for: ClientFor,
                                             sqlite_demo: Directory) -> None:
    before = sqlite_demo.store.count_nodes(ORGANISATION)
    client = client_for("redacteur")
    response = _post(client, "partner", {"naam": " ", "postcode": "12345",
                                          "adres": "Meijhorst 1"})
    assert response.status_code == 422
    text = response.text
    assert 'id="partner-fout-naam">is verplicht</p>' in text
    assert re.search(r'id="partner-fout-postcode">ongeldige postcode: &#39;12345&#39;', text)
    assert 'aria-invalid="true" aria-describedby="partner-fout-postcode"' in text
    assert 'value="Meijhorst 1"' in text  # what was typed stays
    assert "<details class=\"quick-form\" id=\"nieuwe-partner\" open>" in text
    assert sqlite_demo.store.count_nodes(ORGANISATION) == before


def test_quick_contact_person(client_for: ClientFor, sqlite_demo: Directory) -> None:
    client = client_for("redacteur")
    bad = _post(client, "contactpersoon", {"naam": "Mila Jansen", "organisatie": "org-talis-x",
                                           "email": "geen-adres"})
    assert bad.status_code == 422
    assert 'id="contactpersoon-fout-organisatie">kies een ketenpartner uit de lijst' in bad.text
    assert 'id="contactpersoon-fout-email">' in bad.text
    assert not sqlite_demo.store.find_nodes(PERSON, {"name": "Mila Jansen"})
    good = _post(client, "contactpersoon", {"naam": "Mila Jansen", "functie": "Opbouwwerker",
                                            "organisatie": "org-talis",
                                            "email": "mila@example.org"})
    assert good.status_code == 303
    [person] = sqlite_demo.store.find_nodes(PERSON, {"name": "Mila Jansen"})
    works = sqlite_demo.store.edges(person.id, types=["WORKS_AT"], current=True)
    assert [e.dst for e in works] == ["org-talis"]
    page = client.get(good.headers["location"]).text
    assert f'<a href="/personen/{person.id}">Mila Jansen</a> (Talis)' in page


def test_quick_activity(client_for: ClientFor, sqlite_demo: Directory) -> None:
    client = client_for("redacteur")
    bad = _post(client, "activiteit", {"titel": "", "organisatie": "org-talis",
                                       "begintijd": "14:00", "eindtijd": "13:00",
                                       "leefgebied": ["welzijn"]})
    assert bad.status_code == 422
    text = bad.text
    assert 'id="activiteit-fout-titel">is verplicht' in text
    assert 'value="welzijn" checked' in text
    good = _post(client, "activiteit", {
        "titel": "Taalcafé Meijhorst", "organisatie": "org-talis", "dagen": "di",
        "begintijd": "14:00", "eindtijd": "15:30", "kosten": "0",
        "leefgebied": ["welzijn", "werk_dagbesteding"]})
    assert good.status_code == 303, good.text
    [activity] = sqlite_demo.store.find_nodes(ACTIVITY, {"title": "Taalcafé Meijhorst"})
    assert activity.props["life_domains"] == ["welzijn", "werk_dagbesteding"]
    offered = sqlite_demo.store.edges(activity.id, types=["OFFERED_BY", "IN_AREA"], current=True)
    assert sorted((e.type, e.dst) for e in offered) == [("IN_AREA", WIJK),
                                                        ("OFFERED_BY", "org-talis")]
    page = client.get(good.headers["location"]).text
    assert f'Toegevoegd: <a href="/activiteiten/{activity.id}">Taalcafé Meijhorst</a>' in page


def test_quick_forms_need_a_redacteur_and_csrf(client_for: ClientFor,
                                               sqlite_demo: Directory) -> None:
    before = sqlite_demo.store.count_nodes(ORGANISATION)
    assert _post(client_for("lezer"), "partner",
                 {"naam": "X"}).status_code == 403
    editor = client_for("redacteur")
    assert editor.post(f"/wijk/{WIJK}/partner", data={"naam": "X"}).status_code == 403
    assert sqlite_demo.store.count_nodes(ORGANISATION) == before


def test_names_are_escaped(client_for: ClientFor) -> None:
    payload = '<img src=x onerror="alert(1)">'
    client = client_for("redacteur")
    response = _post(client, "partner", {"naam": payload})
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert payload not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    invalid = _post(client, "partner", {"naam": payload, "postcode": payload})
    assert payload not in invalid.text
