"""Property tests for HSDS: parse → write → parse keeps generated services, and no JSON
value makes the parser crash (it reads records or says in Dutch why not)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.importing import Record, load_records
from directory.model import ACTIVITY, ORGANISATION
from directory.records import clean_props
from directory.service import Directory
from graph.sqlite_store import SqliteStore
from importers.hsds import parse_hsds_json
from importers.hsds_export import hsds_service, validate_hsds
from importers.hsds_fields import REFERRAL_TEXT
from importers.hsds_terms import LIFE_DOMAIN_TAXONOMY, TARGET_GROUP_TAXONOMY

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WORDS = st.from_regex(r"[A-Za-z][a-z0-9]{0,8}( [A-Za-z0-9][a-z0-9]{0,8}){0,3}", fullmatch=True)
IDS = st.uuids().map(str)


def _term(taxonomy: str, key: str, term_id: str) -> dict[str, Any]:
    return {"id": term_id, "taxonomy_term": {"id": term_id, "code": key, "name": key,
                                             "description": key, "taxonomy": taxonomy}}


@st.composite
def services(draw: st.DrawFn) -> dict[str, Any]:
    service: dict[str, Any] = {
        "id": draw(IDS), "name": draw(WORDS), "status": draw(st.sampled_from(
            ["active", "inactive"])),
        "organization": {"id": draw(IDS), "name": draw(WORDS), "description": draw(WORDS)},
        "application_process": REFERRAL_TEXT[draw(st.booleans())]}
    if draw(st.booleans()):
        service["description"] = draw(WORDS)
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, unique=True))
        opens = draw(st.integers(6, 12))
        service["schedules"] = [{
            "id": draw(IDS), "freq": "WEEKLY", "byday": ",".join(d for d in DAYS if d in days),
            "opens_at": f"{opens:02d}:30:00",
            "closes_at": f"{opens + draw(st.integers(1, 8)):02d}:00:00"}]
    cost = draw(st.one_of(st.none(), st.just("gratis"), WORDS))
    if cost is not None:
        service["cost_options"] = [{"id": draw(IDS), "option": cost}
                                   | ({"amount": 0} if cost == "gratis" else {})]
    languages = draw(st.lists(WORDS, max_size=3, unique=True))
    service["languages"] = [{"id": draw(IDS), "name": name} for name in languages]
    domains = draw(st.lists(st.sampled_from(["wonen", "welzijn", "zorg", "financien"]),
                            unique=True))
    groups = draw(st.lists(st.sampled_from(["ouderen", "epa", "iedereen"]), unique=True))
    service["attributes"] = ([_term(LIFE_DOMAIN_TAXONOMY, k, draw(IDS)) for k in domains]
                             + [_term(TARGET_GROUP_TAXONOMY, k, draw(IDS)) for k in groups])
    if draw(st.booleans()):
        location = {"id": draw(IDS), "location_type": "physical",
                    "latitude": draw(st.floats(50.8, 53.5)),
                    "longitude": draw(st.floats(3.4, 7.2)),
                    "addresses": [{"id": draw(IDS), "address_1": draw(WORDS),
                                   "city": draw(WORDS), "state_province": "",
                                   "postal_code": draw(st.sampled_from(["6537 KT", "4001 AA"])),
                                   "country": "NL", "address_type": "physical"}]}
        service["service_at_locations"] = [{"id": draw(IDS), "location": location}]
    return service


def _cleaned(records: list[Record]) -> list[tuple[str, dict[str, Any], str | None]]:
    return [(r.kind, clean_props(r.kind, r.props, r.line), r.organisation) for r in records]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(services())
def test_parse_write_parse_keeps_the_service(service: dict[str, Any]) -> None:
    assert validate_hsds("service", service) == []
    first = parse_hsds_json(json.dumps(service), "dienst.json", "dienst")
    assert all(r.problem is None for r in first.records)
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "s.db"))
        try:
            store.init()
            directory = Directory(store, actor="test")
            report = load_records(directory, first.records, format="hsds")
            assert report.written and not report.rejected
            activity = store.find_nodes(ACTIVITY)[0]
            written = hsds_service(directory, activity)
        finally:
            store.close()
    assert validate_hsds("service", written) == []
    second = parse_hsds_json(json.dumps(written), "dienst.json", "dienst")
    assert _cleaned(second.records) == _cleaned(first.records)
    assert [r.kind for r in second.records] == [ORGANISATION, ACTIVITY]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "status", "contents", "organization", "services",
                         "service", "location", "latitude", "schedules", "phones",
                         "service_at_locations", "description", "x"]), inner, max_size=5),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_reads_or_is_refused_in_dutch(data: Any) -> None:
    try:
        result = parse_hsds_json(json.dumps(data), "x.json", "x")
    except ValueError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for record in result.records:
        assert record.problem is not None or record.props
