"""`regie gleif lookup`: recorded GLEIF API responses served by a fake transport, never the network."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import socket
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from regie.interchange import gleif_api
from regie.interchange.commands import run_gleif_lookup
from regie.register.models import LegalEntity
from tests.factories import country

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "gleif_api"
API = gleif_api.API_URL
NL, EU, HQ = "549300VBCLOUDNL00012", "549300VBCLOUDEU00034", "549300VBCLOUDHQ00056"
ROUTES = {
    f"/lei-records/{NL}": "record-nl.json",
    f"/lei-records/{NL}/direct-parent": "direct-parent-nl.json",
    f"/lei-records/{EU}/direct-parent": "direct-parent-eu.json",
    f"/lei-records/{NL}/ultimate-parent": "ultimate-parent-nl.json",
}
SEARCHES = {
    "Voorbeeld Cloud": "search-voorbeeld-cloud.json",
    "Voorbeeld Cloud Nederland B.V.": "search-voorbeeld-cloud-nederland.json",
    "Nobody": "search-nobody.json",
}


class FakeTransport:
    """Answers GLEIF API URLs from the recorded files; anything else is a 404, as the API does."""

    def __init__(self, *, offline: bool = False) -> None:
        self.offline = offline
        self.urls: list[str] = []

    def get(self, url: str) -> gleif_api.Response:
        self.urls.append(url)
        if self.offline:
            raise gleif_api.GleifOfflineError("Name or service not known")
        parts = urllib.parse.urlsplit(url)
        assert url.startswith(API), url
        path = parts.path.removeprefix(urllib.parse.urlsplit(API).path)
        name = ROUTES.get(path)
        if path == "/lei-records" and parts.query:
            query = dict(urllib.parse.parse_qsl(parts.query))
            assert query["page[size]"] == "20"
            name = SEARCHES.get(query["filter[entity.legalName]"])
        if name is None:
            return gleif_api.Response(404, (DATA / "not-found.json").read_bytes())
        return gleif_api.Response(200, (DATA / name).read_bytes())


@pytest.fixture
def transport(monkeypatch: pytest.MonkeyPatch) -> FakeTransport:
    fake = FakeTransport()
    monkeypatch.setattr(gleif_api, "default_transport", lambda: fake)
    return fake


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any real connection attempt fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the test tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def countries(db: None) -> None:
    country("US", "United States")
    country("IE", "Ireland", eu=True)
    country("NL", "Netherlands", eu=True)


def args(query: str, tmp_path: Path, **options: Any) -> argparse.Namespace:
    values = {
        "apply": False,
        "dry_run": False,
        "cache_dir": tmp_path / "cache",
        "max_age": 7.0,
        "json": False,
    }
    values.update(options)
    return argparse.Namespace(query=query, **values)


def test_a_lookup_by_lei_follows_the_direct_parents_upwards(
    transport: FakeTransport, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_gleif_lookup(args(NL, tmp_path, json=True)) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["entity"]["name"] == "Voorbeeld Cloud Nederland B.V."
    assert [p["lei"] for p in found["direct_parents"]] == [EU, HQ]
    assert found["ultimate_parent"]["hq_country"] == "US"
    assert not LegalEntity.objects.exists()  # without --apply nothing is written


def test_apply_writes_lei_countries_and_parents_with_the_api_provenance(
    transport: FakeTransport, countries: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = LegalEntity.objects.create(name="Voorbeeld Cloud Nederland B.V.")
    assert run_gleif_lookup(args("Voorbeeld Cloud Nederland B.V.", tmp_path, apply=True)) == 0
    existing.refresh_from_db()
    assert existing.lei == NL
    assert existing.hq_country_id == "NL"
    assert existing.parent is not None
    assert existing.parent.lei == EU
    assert existing.parent.parent is not None
    assert existing.parent.parent.lei == HQ
    assert existing.parent.parent.hq_country_id == "US"
    today = timezone.localdate().isoformat()
    assert existing.hq_country_provenance is not None
    assert existing.hq_country_provenance.source == f"GLEIF API, retrieved {today}"
    assert existing.parent_provenance is not None
    assert existing.parent_provenance.source == f"GLEIF API, retrieved {today}"
    assert "Created were: 2 legal entities" in capsys.readouterr().out


def test_a_dry_run_writes_nothing(transport: FakeTransport, countries: None, tmp_path: Path) -> None:
    assert run_gleif_lookup(args(NL, tmp_path, apply=True, dry_run=True)) == 0
    assert not LegalEntity.objects.exists()


def test_a_name_with_several_matches_lists_them_and_applies_nothing(
    transport: FakeTransport, countries: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_gleif_lookup(args("Voorbeeld Cloud", tmp_path, apply=True)) == 1
    out = capsys.readouterr()
    assert NL in out.out
    assert EU in out.out
    assert "name one by its LEI" in out.err
    assert not LegalEntity.objects.exists()


def test_an_unknown_name_says_so(
    transport: FakeTransport, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_gleif_lookup(args("Nobody", tmp_path)) == 1
    assert "GLEIF knows no entity 'Nobody'" in capsys.readouterr().err


def test_answers_come_from_the_cache_until_they_expire(transport: FakeTransport, tmp_path: Path) -> None:
    assert run_gleif_lookup(args(NL, tmp_path)) == 0
    asked = len(transport.urls)
    assert asked == 4  # the record, two direct parents, the ultimate parent
    assert run_gleif_lookup(args(NL, tmp_path)) == 0
    assert len(transport.urls) == asked  # all from the cache
    for entry in (tmp_path / "cache").glob("*.json"):
        data = json.loads(entry.read_text())
        data["retrieved"] = (timezone.now() - datetime.timedelta(days=8)).isoformat()
        entry.write_text(json.dumps(data))
    assert run_gleif_lookup(args(NL, tmp_path)) == 0
    assert len(transport.urls) == 2 * asked  # older than seven days: asked again


def test_offline_without_a_cache_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(gleif_api, "default_transport", lambda: FakeTransport(offline=True))
    assert run_gleif_lookup(args(NL, tmp_path, apply=True)) == 3
    err = capsys.readouterr().err
    assert "cannot be reached" in err
    assert "nothing was written" in err
    assert "regie import FILE --format gleif" in err
    assert not LegalEntity.objects.exists()


def test_offline_with_a_stale_cache_uses_it_and_says_so(
    transport: FakeTransport,
    monkeypatch: pytest.MonkeyPatch,
    countries: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_gleif_lookup(args(NL, tmp_path)) == 0
    monkeypatch.setattr(gleif_api, "default_transport", lambda: FakeTransport(offline=True))
    assert run_gleif_lookup(args(NL, tmp_path, max_age=0.0, apply=True)) == 0
    assert "could not be reached" in capsys.readouterr().err
    assert LegalEntity.objects.get(lei=NL).parent is not None


def test_the_default_cache_directory_can_be_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(os.environ, "REGIE_GLEIF_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert gleif_api.default_cache_dir() == tmp_path / "elsewhere"


def test_the_real_transport_reports_an_unreachable_host_as_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OSError("Network is unreachable")

    monkeypatch.setattr("urllib.request.urlopen", unreachable)
    with pytest.raises(gleif_api.GleifOfflineError, match="unreachable"):
        gleif_api.UrllibTransport().get(f"{API}/lei-records/{NL}")
