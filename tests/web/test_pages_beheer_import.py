"""The import page: upload → dry run → confirm, rejected files write nothing, uploads are
bound to the session that made them and removed once used."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web_helpers import ClientFor, token_of

from directory.service import Directory
from web.pages.beheer_uploads import UploadStash


@pytest.fixture
def app(demo_app: Starlette) -> Starlette:
    """These pages write: run them on every backend."""
    return demo_app


@pytest.fixture
def client_for(demo_client_for: ClientFor) -> ClientFor:
    return demo_client_for


CSV = ("Naam;Organisatie;Leefgebied(en);Dag;Tijd;Kosten;Postcode\n"
       "Taalcafé Hatert;Buurthuis Hatert;welzijn;di;10:00-12:00;gratis;6534 AB\n"
       "Wandelgroep Lindenholt;Welzijn West;zorg;do;14:00-15:30;gratis;6545 AA\n")
BAD_CSV = CSV + "Zonder dag;Welzijn West;ruimtevaart;di;10:00-11:00;gratis;6545 AA\n"


def _upload(client: TestClient, text: str, name: str = "aanbod.csv", **fields: str
            ) -> tuple[int, str]:
    response = client.post("/beheer/import",
                           data={"csrf_token": token_of(client), **fields},
                           files={"bestand": (name, text.encode("utf-8"), "text/csv")})
    return response.status_code, response.text


def _token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no confirm form"
    return found.group(1)


def _confirm(client: TestClient, token: str) -> tuple[int, str]:
    response = client.post("/beheer/import/bevestigen",
                           data={"csrf_token": token_of(client), "token": token})
    return response.status_code, response.text


def _titles(app: Starlette) -> set[str]:
    directory: Directory = app.state.directory
    return {n.name for n in directory.store.find_nodes("Activity")}


def _row(html: str, header: str) -> str:
    found = re.search(rf'<th scope="row">{header}</th><td class="num">(\d+)</td>', html)
    assert found, header
    return found.group(1)


def test_dry_run_then_confirm_writes(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    status, html = _upload(client, CSV)
    assert status == 200, html
    assert "Proefrun" in html and "Er is nog niets geschreven" in html
    assert _row(html, "Nieuw") != "0" and _row(html, "Afgekeurd") == "0"
    assert "Taalcafé Hatert" not in _titles(app)
    assert len(stash_of_app(app)) == 1
    status, done = _confirm(client, _token(html))
    assert status == 200 and "Het bestand is geïmporteerd." in done
    assert {"Taalcafé Hatert", "Wandelgroep Lindenholt"} <= _titles(app)
    assert len(stash_of_app(app)) == 0  # the upload is gone once used
    again, text = _confirm(client, _token(html))
    assert again == 404 and "bestaat niet (meer)" in text


def stash_of_app(app: Starlette) -> UploadStash:
    stash = getattr(app.state, "upload_stash", None)
    assert isinstance(stash, UploadStash)
    return stash


def test_rejected_rows_are_shown_and_nothing_is_written(client_for: ClientFor,
                                                        app: Starlette) -> None:
    client = client_for("redacteur")
    status, html = _upload(client, BAD_CSV)
    assert status == 200
    assert _row(html, "Afgekeurd") == "1"
    assert re.search(r"<td>regel 4</td><td>[^<]+</td><td>[^<]*ruimtevaart", html)
    assert 'name="token"' not in html  # all-or-nothing: no confirm button
    assert "Met afgekeurde regels wordt er niets geïmporteerd" in html
    waiting = next(iter(stash_of_app(app)._uploads))  # a crafted confirm writes nothing
    status, done = _confirm(client, waiting)
    assert status == 200 and "Er is niets geïmporteerd" in done
    assert "Taalcafé Hatert" not in _titles(app)


def test_skipping_rejected_rows_imports_the_rest(client_for: ClientFor,
                                                 app: Starlette) -> None:
    client = client_for("redacteur")
    status, html = _upload(client, BAD_CSV, overslaan="1")
    assert status == 200 and _row(html, "Afgekeurd") == "1"
    status, done = _confirm(client, _token(html))
    assert status == 200 and "Het bestand is geïmporteerd." in done
    assert "Taalcafé Hatert" in _titles(app) and "Zonder dag" not in _titles(app)


def test_another_session_cannot_confirm_the_upload(client_for: ClientFor,
                                                   app: Starlette) -> None:
    owner = client_for("redacteur")
    _, html = _upload(owner, CSV)
    token = _token(html)
    for other in (client_for("redacteur"), client_for("beheerder")):
        status, text = _confirm(other, token)
        assert status == 404 and "van een andere sessie" in text
    assert "Taalcafé Hatert" not in _titles(app)
    status, _ = _confirm(owner, token)
    assert status == 200 and "Taalcafé Hatert" in _titles(app)


def test_unreadable_file_and_missing_file(client_for: ClientFor, app: Starlette) -> None:
    client = client_for("redacteur")
    status, html = _upload(client, "", name="leeg.csv")
    assert status == 422 and "kan niet gelezen worden" in html and "leeg" in html
    status, html = _upload(client, "Naam;Dag\nx;y\n", name="x.csv", formaat="bestaat-niet")
    assert status == 422 and "Onbekend formaat" in html
    response = client.post("/beheer/import", data={"csrf_token": token_of(client)})
    assert response.status_code == 422 and "Kies een bestand" in response.text
    assert len(stash_of_app(app)) == 0


def test_escaped_names_in_the_preview(client_for: ClientFor) -> None:
    text = CSV + '<script>alert(1)</script>;Welzijn West;welzijn;di;10:00-11:00;gratis;6545 AA\n'
    status, html = _upload(client_for("redacteur"), text, name="<b>x</b>.csv")
    assert status == 200
    assert "<script>alert(1)" not in html and "<b>x</b>" not in html


def test_upload_needs_csrf_and_role(client_for: ClientFor) -> None:
    editor = client_for("redacteur")
    response = editor.post("/beheer/import", files={"bestand": ("a.csv", BytesIO(b"x"))})
    assert response.status_code == 403
    reader = client_for("lezer")
    status, _ = _upload(reader, CSV)
    assert status == 403


def test_uploads_expire() -> None:
    now = [0.0]
    stash = UploadStash(max_age=60, clock=lambda: now[0])
    upload = stash.put("eigenaar", "a.csv", b"x", None, False)
    assert upload.path.exists() and oct(upload.path.parent.stat().st_mode & 0o777) == "0o700"
    assert stash.get(upload.token, "iemand-anders") is None
    assert stash.get(upload.token, "eigenaar") == upload
    now[0] = 61.0
    assert stash.get(upload.token, "eigenaar") is None
    assert not upload.path.exists()



def test_restoring_a_dump_needs_the_beheerder(client_for: ClientFor) -> None:
    dump = client_for("beheerder").get("/beheer/export/bestand?formaat=json").text
    status, html = _upload(client_for("redacteur"), dump, name="dump.json")
    assert status == 422 and "alleen een beheerder" in html
    status, html = _upload(client_for("beheerder"), dump, name="dump.json")
    assert status == 409 and "alleen hersteld in een lege opslag" in html
