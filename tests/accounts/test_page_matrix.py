"""Pages: A's users never reach B's pages or objects, whichever app mounted them.

Every URL pattern under /o/<org>/ is discovered from the URLconf, filled in with B's code and
B's object ids (and, for object pages, with A's code and B's ids), requested with GET and POST
as A's users, and must answer 404 or 403 without naming anything of B's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from regie.accounts.models import Membership
from regie.audit.models import AuditEntry
from regie.register import services
from regie.register.models import Process, Usage
from tests.factories import Landscape

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
SECRET_NAMES = (
    "Gemeente B",
    "Geheim proces van B",
    "Geheim systeem van B",
    "b-2024-01",
    "b-editor",
    "b-admin",
)
OTHER_VALUES = ("json", "xlsx", "csv", "service", "product", "x")


@dataclass(frozen=True)
class Route:
    route: str
    name: str

    @property
    def parameters(self) -> list[tuple[str, str]]:
        return [(m["converter"] or "str", m["name"]) for m in PARAMETER.finditer(self.route)]


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = "") -> Iterator[Route]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p.url_patterns, route, inner_ns)
        else:
            yield Route(route=route, name=f"{ns}{p.name or route}")


ORG_ROUTES = sorted(
    {r for r in _walk(get_resolver().url_patterns) if r.route.startswith("o/<slug:org>/")},
    key=lambda r: r.route,
)


def test_organisation_pages_are_discovered() -> None:
    names = {r.name for r in ORG_ROUTES}
    assert {"web:org_home", "web:org_list", "web:org_detail", "web:org_edit", "web:org_delete"} <= names


@pytest.fixture
def b_secrets(landscape: Landscape) -> Landscape:
    """Names that exist only in B, so that a leak shows in the response."""
    b = landscape.b
    process = services.register_create(
        actor=None,
        model=Process,
        data={
            "organisation": b.org,
            "name": "Geheim proces van B",
            "availability": 1,
            "integrity": 1,
            "confidentiality": 3,
        },
    )
    usage = services.register_create(
        actor=None,
        model=Usage,
        data={"organisation": b.org, "name": "Geheim systeem van B", "product": landscape.product},
    )
    landscape.catalogue["b_process"] = process
    landscape.catalogue["b_usage"] = usage
    return landscape


def _b_ids(ls: Landscape) -> list[str]:
    b = ls.b
    ids = {
        b.process.pk,
        b.usage.pk,
        b.contract.pk,
        b.dataset.pk,
        b.exit_plan.pk,
        b.dependency.pk,
        ls.catalogue["b_process"].pk,
        ls.catalogue["b_usage"].pk,
        *Membership.objects.filter(organisation=b.org).values_list("pk", flat=True),
    }
    return [str(i) for i in sorted(ids)]


def _org_types() -> list[tuple[str, type]]:
    from regie.web.registry import types_in

    return [(t.slug, t.model) for t in types_in("org")]


def _b_row_of(model: type, ls: Landscape) -> str | None:
    from regie.register.tenancy import organisation_lookup

    lookup = organisation_lookup(model)
    if lookup is None:
        return None
    row = model._default_manager.filter(**{lookup: ls.b.org.pk}).order_by("-pk").first()  # type: ignore[attr-defined]
    return str(row.pk) if row is not None else None


def _urls(route: Route, ls: Landscape) -> Iterator[str]:
    """The route filled in with B's code and B's ids; object pages also with A's code."""
    params = route.parameters
    names = [n for _, n in params]
    if "slug" in names and any(c == "orgtype" for c, _ in params):
        for slug, model in _org_types():
            pk = _b_row_of(model, ls)
            codes = [ls.b.org.code, ls.a.org.code] if "pk" in names else [ls.b.org.code]
            if "pk" in names and pk is None:
                continue
            for code in codes:
                yield _fill(route.route, {"org": code, "slug": slug, "pk": pk or ""})
        return
    choices: list[list[tuple[str, str]]] = []
    for converter, name in params:
        if name == "org":
            continue
        if converter == "int" or name in ("pk", "id"):
            choices.append([(name, v) for v in _b_ids(ls)])
        else:
            choices.append([(name, v) for v in OTHER_VALUES])
    for combo in itertools.product(*choices):
        yield _fill(route.route, {"org": ls.b.org.code, **dict(combo)})
    if route.name.startswith("web:member_") and "pk" in names:
        # A's own settings pages with B's members: ids of B's memberships only, since other
        # tables' ids may well be A's members.
        for pk in Membership.objects.filter(organisation=ls.b.org).values_list("pk", flat=True):
            yield _fill(route.route, {"org": ls.a.org.code, "pk": str(pk)})


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAMETER.sub(lambda m: values[m["name"]], route)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_users_never_reach_bs_pages(b_secrets: Landscape) -> None:
    """One landscape for all routes (the requests, not the set-up, are the point); failures are
    collected so that one run names every leaking page."""
    ls = b_secrets
    clients = {role: _client(getattr(ls.a, role)) for role in ("viewer", "editor", "admin")}
    entries = AuditEntry.objects.count()
    failures: list[tuple[str, str, str, object]] = []
    requested = 0
    for route in ORG_ROUTES:
        urls = list(_urls(route, ls))
        if not urls:
            failures.append(("-", route.route, "-", "no URL could be built"))
        for url in urls:
            for role, client in clients.items():
                for method in ("get", "post") if role == "admin" else ("get",):
                    response = getattr(client, method)(url)
                    requested += 1
                    allowed = (403, 404, 405)  # 405: the method is refused before any lookup
                    if response.status_code not in allowed:
                        failures.append((method, url, role, response.status_code))
                        continue
                    body = response.content.decode(errors="replace")
                    leaked = [name for name in SECRET_NAMES if name in body]
                    if leaked:
                        failures.append((method, url, role, leaked))
    assert failures == [], "\n".join(map(str, failures))
    assert requested > len(ORG_ROUTES)
    assert AuditEntry.objects.count() == entries
