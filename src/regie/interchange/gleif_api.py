"""`regie gleif lookup`: one legal entity and its parents from the GLEIF API (ADR 0067).

This is the only place where Regie contacts an external host, and only when someone runs the
command. Responses are kept in an on-disk cache (one file per URL, with the time it was
retrieved); a fresh entry is used instead of the network, a stale one only when the API cannot
be reached. The API speaks JSON:API: ``GET /lei-records?filter[entity.legalName]=…`` and
``GET /lei-records/{LEI}`` give ``data`` records with ``attributes.entity`` (legal name, legal
and headquarters address) and ``relationships`` whose ``direct-parent`` and ``ultimate-parent``
carry a ``links.lei-record`` when a parent is reported; ``GET …/{LEI}/direct-parent`` gives
that parent's record. The facts become a :class:`regie.interchange.gleif.GleifFile` and go
through the same checks and writes as a golden-copy file.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from .gleif import DIRECT, LEI, ULTIMATE, Entity, GleifFile, Link

API_URL = "https://api.gleif.org/api/v1"
MAX_DEPTH = 10  # direct parents followed upwards
TIMEOUT_SECONDS = 20


class GleifOfflineError(Exception):
    """The GLEIF API could not be reached and no cached answer exists."""


class GleifError(Exception):
    """The GLEIF API answered with something Regie cannot use."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class Transport(Protocol):
    def get(self, url: str) -> Response: ...


class UrllibTransport:
    """HTTPS with the standard library: no proxy of our own, the system's settings apply."""

    def get(self, url: str) -> Response:
        request = urllib.request.Request(  # noqa: S310 - the URL is built from API_URL (https)
            url, headers={"Accept": "application/vnd.api+json", "User-Agent": "Regie (EUPL-1.2)"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
                return Response(int(answer.status), answer.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read() or b"")
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GleifOfflineError(str(reason)) from exc


def default_transport() -> Transport:
    return UrllibTransport()


def default_cache_dir() -> Path:
    configured = os.environ.get("REGIE_GLEIF_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "cache" / "gleif"


@dataclass
class Fetched:
    status: int
    document: Any
    retrieved: datetime.datetime
    cached: bool
    stale: bool = False


@dataclass
class Client:
    transport: Transport
    cache_dir: Path
    max_age: datetime.timedelta = datetime.timedelta(days=7)
    base_url: str = API_URL
    notices: list[str] = field(default_factory=list)
    retrieved: list[datetime.datetime] = field(default_factory=list)
    requests: int = 0

    # -- the endpoints ---------------------------------------------------------------------------
    def search(self, name: str, *, size: int = 20) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"filter[entity.legalName]": name, "page[size]": str(size)})
        fetched = self.get(f"{self.base_url}/lei-records?{query}")
        data = _data(fetched, allow_missing=False)
        return [r for r in (data if isinstance(data, list) else [data]) if isinstance(r, dict)]

    def record(self, lei: str) -> dict[str, Any] | None:
        data = _data(self.get(f"{self.base_url}/lei-records/{lei}"), allow_missing=True)
        return data if isinstance(data, dict) else None

    def parent(self, record: dict[str, Any], kind: str) -> dict[str, Any] | None:
        """The record of the ``direct-parent`` or ``ultimate-parent``, if GLEIF reports one."""
        links = (record.get("relationships") or {}).get(kind, {}).get("links", {})
        if not isinstance(links, dict) or not links.get("lei-record"):
            return None  # none reported, or a reporting exception instead of a parent
        data = _data(self.get(f"{self.base_url}/lei-records/{lei_of(record)}/{kind}"), allow_missing=True)
        return data if isinstance(data, dict) else None

    # -- the cache -------------------------------------------------------------------------------
    def _path(self, url: str) -> Path:
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:40]}.json"

    def get(self, url: str) -> Fetched:
        path = self._path(url)
        entry = _read_entry(path)
        now = timezone.now()
        if entry is not None and now - entry[1] <= self.max_age:
            self.retrieved.append(entry[1])
            return Fetched(entry[0], entry[2], entry[1], cached=True)
        try:
            self.requests += 1
            answer = self.transport.get(url)
        except GleifOfflineError as exc:
            if entry is None:
                raise
            self.notices.append(
                f"The GLEIF API could not be reached ({exc}); used the answer cached on "
                f"{entry[1]:%Y-%m-%d %H:%M}, older than the cache's maximum age."
            )
            self.retrieved.append(entry[1])
            return Fetched(entry[0], entry[2], entry[1], cached=True, stale=True)
        if answer.status >= 500 or answer.status == 429:
            raise GleifError(f"The GLEIF API answered {answer.status} for {url}; try again later.")
        try:
            document = json.loads(answer.body.decode("utf-8")) if answer.body.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GleifError(f"The GLEIF API sent something that is not JSON for {url}.") from exc
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        entry_text = json.dumps(
            {"url": url, "retrieved": now.isoformat(), "status": answer.status, "document": document}
        )
        tmp = path.with_suffix(".tmp")
        tmp.write_text(entry_text, encoding="utf-8")
        tmp.replace(path)
        self.retrieved.append(now)
        return Fetched(answer.status, document, now, cached=False)


def _read_entry(path: Path) -> tuple[int, datetime.datetime, Any] | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        retrieved = datetime.datetime.fromisoformat(entry["retrieved"])
        return int(entry["status"]), retrieved, entry.get("document")
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no entry, or a damaged one: ask again


def _data(fetched: Fetched, *, allow_missing: bool) -> Any:
    if fetched.status == 404 and allow_missing:
        return None
    if fetched.status != 200 or not isinstance(fetched.document, dict):
        errors = fetched.document.get("errors") if isinstance(fetched.document, dict) else None
        detail = f": {errors[0].get('title', '')}" if isinstance(errors, list) and errors else ""
        raise GleifError(f"The GLEIF API answered {fetched.status}{detail}.")
    return fetched.document.get("data")


# -- records -----------------------------------------------------------------------------------


def lei_of(record: dict[str, Any]) -> str:
    return str((record.get("attributes") or {}).get("lei") or record.get("id") or "")


def _entity_of(record: dict[str, Any], number: int) -> Entity:
    attributes = record.get("attributes") or {}
    entity = attributes.get("entity") or {}
    return Entity(
        lei=lei_of(record),
        name=str((entity.get("legalName") or {}).get("name") or ""),
        legal_country=str((entity.get("legalAddress") or {}).get("country") or ""),
        hq_country=str((entity.get("headquartersAddress") or {}).get("country") or ""),
        number=number,
    )


def describe(record: dict[str, Any]) -> dict[str, str]:
    entity = _entity_of(record, 0)
    attributes = record.get("attributes") or {}
    return {
        "lei": entity.lei,
        "name": entity.name,
        "legal_country": entity.legal_country,
        "hq_country": entity.hq_country,
        "status": str((attributes.get("entity") or {}).get("status") or ""),
        "registration": str((attributes.get("registration") or {}).get("status") or ""),
    }


@dataclass
class Lookup:
    """What a look-up found: the candidates of a name, and the chosen record's parents."""

    query: str
    candidates: list[dict[str, Any]] = field(default_factory=list)
    chain: list[dict[str, Any]] = field(default_factory=list)  # the record, its direct parent, …
    ultimate: dict[str, Any] | None = None
    links: list[Link] = field(default_factory=list)

    @property
    def chosen(self) -> dict[str, Any] | None:
        return self.chain[0] if self.chain else None


def lookup(client: Client, query: str) -> Lookup:
    """Find ``query`` (an LEI or a legal name); for one match, follow its parents upwards."""
    query = query.strip()
    result = Lookup(query)
    if LEI.match(query.upper()):
        record = client.record(query.upper())
        result.candidates = [record] if record else []
    else:
        result.candidates = client.search(query)
    chosen = _choose(result.candidates, query)
    if chosen is None:
        return result
    result.chain.append(chosen)
    seen = {lei_of(chosen)}
    current = chosen
    for _ in range(MAX_DEPTH):
        parent = client.parent(current, "direct-parent")
        if parent is None or lei_of(parent) in seen:
            break
        result.links.append(Link(lei_of(current), lei_of(parent), DIRECT, len(result.links) + 1))
        result.chain.append(parent)
        seen.add(lei_of(parent))
        current = parent
    ultimate = client.parent(chosen, "ultimate-parent")
    if ultimate is not None and lei_of(ultimate) != lei_of(chosen):
        result.ultimate = ultimate
        if len(result.chain) == 1:  # no direct parent reported: the ultimate one stands in
            result.links.append(Link(lei_of(chosen), lei_of(ultimate), ULTIMATE, len(result.links) + 1))
    return result


def _choose(candidates: list[dict[str, Any]], query: str) -> dict[str, Any] | None:
    if len(candidates) == 1:
        return candidates[0]
    exact = [c for c in candidates if _entity_of(c, 0).name.casefold() == query.casefold()]
    return exact[0] if len(exact) == 1 else None


def as_gleif_file(client: Client, result: Lookup) -> GleifFile:
    """The facts found, for the GLEIF importer, dated by the oldest answer they rest on."""
    records = [*result.chain, *([result.ultimate] if result.ultimate else [])]
    entities: dict[str, Entity] = {}
    for number, record in enumerate(records, start=1):
        entities.setdefault(lei_of(record), _entity_of(record, number))
    oldest = min(client.retrieved) if client.retrieved else timezone.now()
    return GleifFile(
        published=timezone.localtime(oldest).date(),
        source="GLEIF API, retrieved {date}",
        entities=list(entities.values()),
        links=list(result.links),
    )


__all__ = [
    "Client",
    "GleifError",
    "GleifOfflineError",
    "Lookup",
    "Response",
    "Transport",
    "as_gleif_file",
    "default_cache_dir",
    "default_transport",
    "describe",
    "lookup",
]
