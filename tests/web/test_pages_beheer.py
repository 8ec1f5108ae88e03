"""Beheer per kind: lists, create/edit/end round trips, errors next to their fields, the
optimistic-locking conflict, relations and roles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web_helpers import ClientFor, token_of

from directory.service import Directory


@pytest.fixture
def app(demo_app: Starlette) -> Starlette:
    """These pages write: run them on every backend."""
    return demo_app


@pytest.fixture
def client_for(demo_client_for: ClientFor) -> ClientFor:
    return demo_client_for


XSS = '<script>alert("x")</script>'


def _post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={**data, "csrf_token": token_of(client)},
                        follow_redirects=False)


def _field(html: str, name: str) -> str:
    """The form group of one field, from its label up to the next one."""
    start = html.index(f'for="veld-{name}"')
    end = html.find('<div class="field', start)
    return html[start:end if end > 0 else None]


def _directory(app: Starlette) -> Directory:
    directory: Directory = app.state.directory
    return directory


def test_overview_and_lists_by_role(client_for: ClientFor) -> None:
    anonymous = client_for(None).get("/beheer/organisaties", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/inloggen?volgende=")
    reader = client_for("lezer")
    overview = reader.get("/beheer").text
    assert 'href="/beheer/organisaties"' in overview and 'href="/beheer/import"' not in overview
    listing = reader.get("/beheer/organisaties?q=wijkbewegen").text
    assert "Wijkbewegen Nijmegen" in listing and "1 resultaat" in listing
    assert "/beheer/organisaties/nieuw" not in listing  # a lezer only reads
    assert reader.get("/beheer/organisaties/org-wijkbewegen").status_code == 403
    assert client_for("redacteur").get("/beheer/teams/nieuw").status_code == 403
    assert client_for("coordinator").get("/beheer/teams/nieuw").status_code == 200
    editor = client_for("redacteur").get("/beheer").text
    assert 'href="/beheer/import"' in editor and 'href="/beheer/logboek"' not in editor


def test_list_pages_and_searches(client_for: ClientFor) -> None:
    client = client_for("lezer")
    first = client.get("/beheer/activiteiten").text
    assert "Pagina 1 van" in first and 'rel="next"' in first
    second = client.get("/beheer/activiteiten?pagina=2").text
    names = re.findall(r'<th scope="row">\s*(.*?)\s*</th>', first, re.S)
    assert names and all(name not in second for name in names[:3])
    areas = client.get("/beheer/gebieden?q=dukenburg").text
    assert 'href="/wijk/WK026807">Dukenburg</a>' in areas


def test_create_organisation_shows_in_the_list_escaped(client_for: ClientFor,
                                                       app: Starlette) -> None:
    client = client_for("redacteur")
    response = _post(client, "/beheer/organisaties/nieuw", {
        "name": f"Buurthuis {XSS}", "role": "ketenpartner", "partner_type": "welzijn",
        "postcode": "6535 AS", "description": XSS, "gebied": "WK026807"})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    node_id = location.rsplit("/", 1)[1]
    node = _directory(app).get(node_id)
    assert node.props["partner_type"] == "welzijn" and node.props["city"] == "Nijmegen"
    assert [e.dst for e in _directory(app).current(node_id, ["ACTIVE_IN"])] == ["WK026807"]
    edit = client.get(location).text  # the message shows once, on the next page
    assert "is toegevoegd" in edit and "<script>alert" not in edit
    assert 'value="WK026807"' in edit
    listing = client.get("/beheer/organisaties?q=buurthuis").text
    assert "<script>alert" not in listing and "is toegevoegd" not in listing
    assert "Buurthuis &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in listing
    assert "Welzijn" in listing


def test_activity_days_and_times_become_the_schedule(client_for: ClientFor,
                                                     app: Starlette) -> None:
    client = client_for("redacteur")
    response = client.post("/beheer/activiteiten/nieuw", data={
        "title": "Samen koken", "dagen": ["di", "do"], "start_time": "17:30",
        "end_time": "19:00", "life_domains": ["welzijn"], "target_groups": ["iedereen"],
        "cost": "gratis", "status": "actief", "organisatie": "org-wijkbewegen",
        "csrf_token": token_of(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    node_id = response.headers["location"].rsplit("/", 1)[1]
    directory = _directory(app)
    props = directory.get(node_id).props
    assert props["schedule"] == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert (props["start_time"], props["end_time"]) == ("17:30", "19:00")
    assert [e.dst for e in directory.current(node_id, ["OFFERED_BY"])] == ["org-wijkbewegen"]
    form = client.get(f"/beheer/activiteiten/{node_id}").text
    assert re.search(r'value="di"\s+checked', form) and re.search(r'value="do"\s+checked', form)
    assert not re.search(r'value="ma"\s+checked', form)
    assert 'name="schedule" value=""' in form  # a weekly rule needs no RRULE text


def test_a_monthly_rhythm_is_kept_as_rrule(client_for: ClientFor, app: Starlette) -> None:
    directory = _directory(app)
    node = directory.update("act-0014", {"schedule": "FREQ=MONTHLY;BYDAY=1TU"},
                            version=directory.get("act-0014").version)
    client = client_for("redacteur")
    form = client.get("/beheer/activiteiten/act-0014").text
    assert 'value="FREQ=MONTHLY;BYDAY=1TU"' in form
    data = _form_data(form)
    response = client.post("/beheer/activiteiten/act-0014", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = directory.get("act-0014")
    assert saved.props["schedule"] == "FREQ=MONTHLY;BYDAY=1TU"
    assert saved.props["title"] == node.props["title"] and saved.props["lat"] == node.props["lat"]


def _form_data(html: str) -> dict[str, Any]:
    """The values a browser would send for the edit form as shown (text inputs, selected
    options, checked boxes, textareas)."""
    form = html[html.index('class="beheer-form"'):]
    form = form[:form.index("</form>")]
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", form, re.S):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or " disabled" in tag:
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "1")
            continue
        data[name.group(1)] = _unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = _unescape(chosen.group(1)) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form,
                                 re.S):
        data[name] = _unescape(body)
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_field_error_next_to_its_field_with_the_value_kept(client_for: ClientFor,
                                                           app: Starlette) -> None:
    client = client_for("redacteur")
    before = _directory(app).store.count_nodes("Person")
    response = _post(client, "/beheer/personen/nieuw", {
        "name": "Fatima Ouali", "email": "geen-email", "phone": "024 123 45 67",
        "job_title": XSS})
    assert response.status_code == 422
    html = response.text
    email = _field(html, "email")
    assert 'value="geen-email"' in email and 'aria-invalid="true"' in email
    assert 'class="field-error" id="fout-email"' in email
    assert 'aria-describedby="fout-email"' in email
    assert 'value="Fatima Ouali"' in _field(html, "name")
    assert "&lt;script&gt;" in _field(html, "job_title") and "<script>alert" not in html
    assert "fout-name" not in html  # only the wrong field is marked
    assert _directory(app).store.count_nodes("Person") == before


def test_unknown_area_is_reported_at_the_area_field(client_for: ClientFor) -> None:
    response = _post(client_for("redacteur"), "/beheer/organisaties/nieuw",
                     {"name": "Ergens", "gebied": "Atlantis"})
    assert response.status_code == 422
    assert "Atlantis" in _field(response.text, "gebied")
    assert 'id="fout-gebied"' in _field(response.text, "gebied")


def test_stale_version_shows_both_values_and_overwrites_nothing(
        client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    data = _form_data(client.get("/beheer/organisaties/org-wijkbewegen").text)
    directory = _directory(app)
    node = directory.get("org-wijkbewegen")
    assert data["version"] == str(node.version)
    directory.update(node.id, {"description": "Door een collega gewijzigd"},
                     version=node.version)
    response = client.post("/beheer/organisaties/org-wijkbewegen",
                           data={**data, "description": "Mijn tekst"},
                           follow_redirects=False)
    assert response.status_code == 409
    html = response.text
    assert "Iemand anders heeft dit net gewijzigd" in html
    assert "Door een collega gewijzigd" in html and "Mijn tekst" in html
    assert directory.get(node.id).props["description"] == "Door een collega gewijzigd"
    fresh = directory.get(node.id).version
    assert f'name="version" value="{fresh}"' in html  # saving again is a conscious choice
    again = client.post("/beheer/organisaties/org-wijkbewegen",
                        data={**_form_data(html), "csrf_token": token_of(client)},
                        follow_redirects=False)
    assert again.status_code == 303
    assert directory.get(node.id).props["description"] == "Mijn tekst"


def test_changing_the_organisation_ends_the_old_relation(client_for: ClientFor,
                                                         app: Starlette) -> None:
    client = client_for("redacteur")
    data = _form_data(client.get("/beheer/personen/per-0023").text)
    assert data["organisatie"] == "org-hap-meijhorst"
    response = client.post("/beheer/personen/per-0023",
                           data={**data, "organisatie": "org-wijkbewegen"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    store = _directory(app).store
    works = store.edges("per-0023", types=["WORKS_AT"])
    assert {e.dst for e in works if e.current} == {"org-wijkbewegen"}
    assert any(e.dst == "org-hap-meijhorst" and not e.current for e in works)


def test_agreement_team_is_for_coordinators(client_for: ClientFor) -> None:
    editor = _field(client_for("redacteur").get("/beheer/afspraken/agr-002").text, "team")
    assert " disabled" in editor
    coordinator = _field(client_for("coordinator").get("/beheer/afspraken/agr-002").text,
                         "team")
    assert " disabled" not in coordinator


def test_end_an_activity_and_refuse_a_liaison(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    page = client.get("/beheer/activiteiten/act-0014/beeindigen").text
    assert "gestopt" in page
    version = _directory(app).get("act-0014").version
    response = _post(client, "/beheer/activiteiten/act-0014/beeindigen",
                     {"version": str(version)})
    assert response.status_code == 303
    assert _directory(app).get("act-0014").props["status"] == "gestopt"
    listing = client.get(response.headers["location"]).text
    assert "Bewegen op recept" in listing and "is gestopt" in listing
    version = _directory(app).get("per-0001").version
    refused = _post(client, "/beheer/personen/per-0001/beeindigen", {"version": str(version)})
    assert refused.status_code == 409
    assert "overdracht" in refused.text
    assert all(e.until is None for e in _directory(app).current("per-0001", ["LIAISON_FOR"]))


def test_end_with_a_stale_version_is_refused(client_for: ClientFor) -> None:
    response = _post(client_for("redacteur"), "/beheer/activiteiten/act-0014/beeindigen",
                     {"version": "99"})
    assert response.status_code == 409
    assert "Iemand anders heeft dit net gewijzigd" in response.text


def test_forms_need_the_csrf_token(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    before = _directory(app).store.count_nodes("Organisation")
    response = client.post("/beheer/organisaties/nieuw", data={"name": "Zonder token"},
                           follow_redirects=False)
    assert response.status_code == 403
    response = client.post("/beheer/organisaties/nieuw",
                           data={"name": "Fout token", "csrf_token": "nep"},
                           follow_redirects=False)
    assert response.status_code == 403
    assert _directory(app).store.count_nodes("Organisation") == before


def test_anonymous_posts_are_refused(client_for: ClientFor) -> None:
    client = client_for(None)
    response = _post(client, "/beheer/organisaties/nieuw", {"name": "Anoniem"})
    assert response.status_code == 401


def test_a_new_postcode_brings_its_place(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    data = _form_data(client.get("/beheer/organisaties/org-wijkbewegen").text)
    assert data["city"] == "Nijmegen"
    response = client.post("/beheer/organisaties/org-wijkbewegen",
                           data={**data, "postcode": "4001 AA"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    props = _directory(app).get("org-wijkbewegen").props
    assert (props["postcode"], props["city"], props["gemeente"]) == ("4001 AA", "Tiel",
                                                                      "GM0281")


def test_xss_in_every_field_is_escaped(client_for: ClientFor, app: Starlette) -> None:
    from web.pages.beheer_forms import FORMS

    client = client_for("beheerder")  # who may write every kind, areas included
    for form in FORMS.values():
        texts = {f.name: XSS for f in form.fields if f.widget not in ("checks", "checkbox")}
        links = {link.name: XSS for link in form.links}
        response = _post(client, f"/beheer/{form.slug}/nieuw", texts | links)
        assert response.status_code == 422, form.slug  # selects, dates and e-mail refuse it
        assert "<script>" not in response.text, form.slug
        assert "&lt;script&gt;" in response.text
    free = {"title": XSS, "description": XSS, "accessibility": XSS, "cost": XSS,
            "address": XSS, "city": XSS, "languages": XSS, "status": "actief"}
    created = _post(client, "/beheer/activiteiten/nieuw", free)
    assert created.status_code == 303, created.text
    for page in (created.headers["location"], "/beheer/activiteiten?q=script",
                 "/beheer/logboek"):
        html = client.get(page).text
        assert "<script>" not in html and "&lt;script&gt;" in html, page


def test_every_form_field_is_a_property_the_core_knows() -> None:
    from directory.model import EDGE_TYPES
    from directory.records import FIELDS
    from web.pages.beheer_forms import DAYS, FORMS

    for form in FORMS.values():
        assert {f.name for f in form.fields} - {DAYS} <= set(FIELDS[form.kind]), form.slug
        for link in form.links:  # each relation field fits the model's kinds
            ends = (form.kind, link.target) if link.direction == "out" else (link.target,
                                                                              form.kind)
            assert EDGE_TYPES[link.type] == ends, link


def test_end_an_organisation(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    created = _post(client, "/beheer/organisaties/nieuw", {"name": "Eenmalig initiatief"})
    node_id = created.headers["location"].rsplit("/", 1)[1]
    gone = _post(client, f"/beheer/organisaties/{node_id}/beeindigen", {"version": "1"})
    assert gone.status_code == 303
    assert "Organisatie &#39;Eenmalig initiatief&#39; is verwijderd." in client.get(
        gone.headers["location"]).text
    assert _directory(app).store.get_nodes([node_id]) == {}
    version = _directory(app).get("org-wijkbewegen").version
    refused = _post(client, "/beheer/organisaties/org-wijkbewegen/beeindigen",
                    {"version": str(version)})
    assert refused.status_code == 409 and "lopende activiteit" in refused.text
    assert _directory(app).current("org-wijkbewegen", ["ACTIVE_IN"])
