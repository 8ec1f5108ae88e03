"""The handover wizard (choose → preview → confirm), the handover document and the
timelines on the partner and person pages."""

from __future__ import annotations

import html as html_lib
import re

from starlette.testclient import TestClient
from web_helpers import ClientFor, token_of

from directory.handover import handover
from directory.model import today_iso
from directory.service import Directory
from web.pages.overdracht import fingerprint

LEAVING, TAKING = "per-0004", "per-0001"  # Dennis Boateng → Anouk de Vries (Dukenburg)


def _preview(client: TestClient, van: str = LEAVING, naar: str = TAKING) -> str:
    response = client.get("/overdracht", params={"van": van, "naar": naar})
    assert response.status_code == 200, response.text
    return response.text


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return html_lib.unescape(found.group(1))


def _confirm(client: TestClient, page: str) -> TestClient:
    data = {name: _hidden(page, name) for name in ("csrf_token", "van", "naar", "voorvertoning")}
    response = client.post("/overdracht/bevestigen", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/overdracht/document?persoon={TAKING}&van={LEAVING}"
    return client


def test_step_one_lists_team_members_and_roles(client_for: ClientFor) -> None:
    page = client_for("coordinator").get("/overdracht")
    assert page.status_code == 200
    text = page.text
    assert '<label for="van">Wie vertrekt?</label>' in text
    assert '<label for="naar">Naar welke collega?</label>' in text
    assert '<option value="per-0004">Dennis Boateng (WijkGGZ Nijmegen-Dukenburg)</option>' in text
    # Lotte left her team: she can still hand over, but nobody can hand over to her
    assert text.count('value="per-0007"') == 1 and "niet meer in een team" in text
    assert '<option value="per-0016">Femke Janssen (WijkGGZ Wijchen)</option>' in text
    assert 'href="/overdracht"' in text  # the nav link for coordinators
    assert client_for("redacteur").get("/overdracht").status_code == 403
    assert 'href="/overdracht"' not in client_for("redacteur").get("/").text
    anonymous = client_for(None).get("/overdracht", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/inloggen?volgende=")


def test_preview_equals_the_core_dry_run(client_for: ClientFor, sqlite_demo: Directory) -> None:
    page = _preview(client_for("coordinator"))
    plan = handover(sqlite_demo, LEAVING, TAKING, dry_run=True)
    rows = re.findall(r'<tr><td>[^<]*</td>\s*<th scope="row"><a href="/[a-z]+/([^"]+)"', page)
    assert sorted(rows) == sorted(m["other"]["id"] for m in plan["moved"])
    assert len(rows) == len(plan["moved"]) > 10
    counts = {t: sum(1 for m in plan["moved"] if m["type"] == t) for t in
              ("LIAISON_FOR", "KNOWS", "CONTACT")}
    assert (f"{len(plan['moved'])} relaties: {counts['LIAISON_FOR']} ketenpartners "
            f"(relatiebeheer), {counts['KNOWS']} warme contacten") in page
    assert "Anouk de Vries had deze relatie al" in page  # both were liaison for Talis
    assert _hidden(page, "voorvertoning") == fingerprint(plan)
    # the dry run wrote nothing
    assert handover(sqlite_demo, LEAVING, TAKING, dry_run=True) == plan


def test_choice_errors_are_shown_next_to_the_fields(client_for: ClientFor) -> None:
    client = client_for("coordinator")
    same = client.get("/overdracht", params={"van": LEAVING, "naar": LEAVING})
    assert same.status_code == 422
    assert 'id="fout-naar">de collega moet iemand anders zijn' in same.text
    missing = client.get("/overdracht", params={"van": "", "naar": TAKING})
    assert missing.status_code == 422
    assert 'id="fout-van">kies het vertrekkende teamlid' in missing.text
    to_leaver = client.get("/overdracht", params={"van": LEAVING, "naar": "per-0007"})
    assert 'id="fout-naar">de collega moet nu in een team zitten' in to_leaver.text
    outsider = client.get("/overdracht", params={"van": "per-0023", "naar": TAKING})
    assert 'id="fout-van">kies een teamlid uit de lijst' in outsider.text


def test_confirm_moves_and_the_timelines_show_old_and_new_holder(
        demo_client_for: ClientFor, demo: Directory) -> None:
    client = demo_client_for("coordinator")
    plan = handover(demo, LEAVING, TAKING, dry_run=True)
    _confirm(client, _preview(client))
    assert handover(demo, LEAVING, TAKING, dry_run=True)["moved"] == []
    held = {e.dst for e in demo.store.edges(TAKING, types=["LIAISON_FOR"], current=True)}
    assert {m["other"]["id"] for m in plan["moved"] if m["type"] == "LIAISON_FOR"} <= held
    assert [e.actor for e in demo.store.audit(LEAVING, limit=1, involving=True)] == [
        "coordinator"]
    today = today_iso()
    partner = demo_client_for(None).get("/organisaties/org-hap-meijhorst").text
    timeline = partner[partner.index('class="timeline"'):]
    new_at = timeline.index(f'sinds <time datetime="{today}">')
    old_at = timeline.index(f'tot <time datetime="{today}">')
    assert new_at < old_at  # newest first
    entry = re.sub(r"\s+", " ", timeline[old_at:timeline.index("</li>", old_at)])
    assert "Dennis Boateng</a> (overgedragen aan Anouk de Vries)" in entry
    assert "beëindigd; liep vanaf 2019-03-01" in entry
    new_entry = re.sub(r"\s+", " ", timeline[new_at:old_at])
    assert "Anouk de Vries</a> (overgenomen van Dennis Boateng)" in new_entry
    person = demo_client_for("lezer").get(f"/personen/{LEAVING}").text
    assert "Relatiebeheer voor" in person and "(overgedragen aan Anouk de Vries)" in person


def test_document_after_the_move_prints_and_downloads(client_for: ClientFor) -> None:
    client = client_for("coordinator")
    _confirm(client, _preview(client))
    page = client.get(f"/overdracht/document?persoon={TAKING}&van={LEAVING}")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Overdrachtsdocument Anouk de Vries</h1>" in text
    assert "heeft vandaag" in text and "overgenomen van Dennis Boateng" in text
    assert "Huisartsenpraktijk Meijhorst" in text and "Belt bij zorgen over een patiënt" in text
    assert 'href="/static/print.css" media="print"' in text and 'class="screen-only"' in text
    link = re.search(r'href="(/overdracht/document\?[^"]+formaat=markdown)" download', text)
    assert link
    download = client.get(html_lib.unescape(link.group(1)))
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/markdown")
    assert "attachment" in download.headers["content-disposition"]
    body = download.text
    assert body.startswith("# Overdrachtsdocument Anouk de Vries")
    assert "## Vandaag overgenomen van Dennis Boateng" in body
    assert "Relatiebeheer voor Huisartsenpraktijk Meijhorst [org-hap-meijhorst]" in body
    assert client_for("redacteur").get(f"/overdracht/document?persoon={TAKING}").status_code == 403


def test_changed_relations_since_the_preview_are_a_conflict(
        client_for: ClientFor, sqlite_demo: Directory) -> None:
    client = client_for("coordinator")
    page = _preview(client)
    sqlite_demo.relate("LIAISON_FOR", LEAVING, "org-wijkbewegen")  # someone else, meanwhile
    data = {name: _hidden(page, name) for name in ("csrf_token", "van", "naar", "voorvertoning")}
    response = client.post("/overdracht/bevestigen", data=data)
    assert response.status_code == 409
    assert "Iemand anders heeft dit net gewijzigd" in response.text
    assert "Er is niets overgedragen" in response.text
    assert len(sqlite_demo.store.edges(LEAVING, types=["LIAISON_FOR"], current=True)) == 14
    again = {**data, "voorvertoning": _hidden(response.text, "voorvertoning")}
    assert client.post("/overdracht/bevestigen", data=again,
                       follow_redirects=False).status_code == 303


def test_confirm_needs_csrf_and_the_role(client_for: ClientFor, sqlite_demo: Directory) -> None:
    client = client_for("coordinator")
    page = _preview(client)
    data = {name: _hidden(page, name) for name in ("van", "naar", "voorvertoning")}
    assert client.post("/overdracht/bevestigen", data=data).status_code == 403
    assert client.post("/overdracht/bevestigen",
                       data={**data, "csrf_token": "fout"}).status_code == 403
    editor = client_for("redacteur")
    assert editor.post("/overdracht/bevestigen",
                       data={**data, "csrf_token": token_of(editor)}).status_code == 403
    assert handover(sqlite_demo, LEAVING, TAKING, dry_run=True)["moved"] != []


def test_person_page_needs_login_and_shows_contact_details(client_for: ClientFor) -> None:
    anonymous = client_for(None).get("/personen/per-0023", follow_redirects=False)
    assert anonymous.status_code == 303
    page = client_for("lezer").get("/personen/per-0023")
    assert page.status_code == 200
    assert "<h1>" in page.text and "Telefoon" in page.text and "mailto:" in page.text
    assert "Warm contact van" in page.text and "Dennis Boateng" in page.text
    assert client_for("lezer").get("/personen/org-talis").status_code == 404


def test_names_are_escaped_in_wizard_timeline_and_document(
        client_for: ClientFor, sqlite_demo: Directory) -> None:
    payload = '<script>alert("x")</script>'
    node = sqlite_demo.store.get_node(LEAVING)
    sqlite_demo.update(LEAVING, {"name": payload}, version=node.version)
    client = client_for("coordinator")
    page = _preview(client)
    _confirm(client, page)
    for text in (page, client.get(f"/overdracht/document?persoon={TAKING}&van={LEAVING}").text,
                 client.get("/organisaties/org-hap-meijhorst").text,
                 client.get(f"/personen/{LEAVING}").text):
        assert payload not in text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
