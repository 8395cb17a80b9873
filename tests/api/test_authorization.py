"""Authorization over EVERY operation in the OpenAPI document, so new endpoints are covered too.

- A token of organisation A gets 404 (never 403) on B's objects and cannot create in B.
- A read-only token cannot write. An expired or revoked token gets 401.
Each operation that takes a body needs a sample below; the test fails for one that lacks it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from regie.api.models import ApiToken
from regie.policy.models import Finding
from regie.procurement.models import Bid, Tender
from regie.procurement.services import bid_create, decision_record, tender_create
from regie.register.models import Process, Provenance
from tests.api.conftest import BASE, Api, api_for, make_token
from tests.factories import Landscape, OrgData
from tests.interchange.helpers import csv_bytes

UNSAFE = {"post", "patch", "put", "delete"}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    doc = Client().get("/api/v1/openapi.json").json()
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if path != "/openapi.json"
    ]


@dataclass(frozen=True)
class Upload:
    """A multipart file body (the import endpoint takes a file, not JSON)."""

    name: str
    content: bytes


def tender_with_bid(landscape: Landscape, org: OrgData) -> tuple[Tender, Bid]:
    """A tender of ``org`` with one bid and a decision on it, made through the services."""
    tender = Tender.objects.filter(organisation=org.org, reference="AUTH-1").first()
    if tender is not None:
        return tender, tender.bids.get()
    tender = tender_create(
        actor=org.editor, organisation=org.org, data={"reference": "AUTH-1", "title": "Aanbesteding"}
    )
    bid = bid_create(
        actor=org.editor,
        tender=tender,
        data={
            "bidder": landscape.provider,
            "product": landscape.product,
            "services": [landscape.service],
            "annual_price": 1000,
            "answers": {"SOV-1.1": "eu"},
            "clauses": {"exit_assistance": "yes"},
        },
    )
    decision_record(actor=org.editor, tender=tender, bid=bid, justification="Enige inschrijving")
    return tender, bid


def path_values(landscape: Landscape, org: OrgData) -> dict[str, Any]:
    location = landscape.service.locations.first()
    assert location is not None
    provenance = Provenance.objects.create(source="https://example.org/bron")
    finding, _ = Finding.objects.get_or_create(
        organisation=org.org,
        rule="regie-basis/test",
        subject_kind="process",
        subject_key=str(org.process.pk),
        defaults={
            "severity": "warn",
            "fingerprint": "0" * 32,
            "message_nl": "Bevinding",
            "message_en": "Finding",
        },
    )
    tender, bid = tender_with_bid(landscape, org)
    return {
        "tenderId": tender.pk,
        "bidId": bid.pk,
        "fmt": "json",
        "findingId": finding.pk,
        "code": org.org.code,
        "processId": org.process.pk,
        "usageId": org.usage.pk,
        "redundancyGroupId": org.group.pk,
        "dependencyId": org.dependency.pk,
        "dataSetId": org.dataset.pk,
        "contractId": org.contract.pk,
        "clauseId": org.clause.pk,
        "exitPlanId": org.exit_plan.pk,
        "stepId": org.step.pk,
        "legalEntityId": landscape.provider.pk,
        "productId": landscape.product.pk,
        "serviceId": landscape.service.pk,
        "locationId": location.pk,
        "linkId": 1,
        "alternativeId": 1,
        "countryCode": "IE",
        "lawId": 1,
        "gemmaElementId": 1,
        "provenanceRecordId": provenance.pk,
    }


def query_values(landscape: Landscape, org: OrgData) -> dict[str, dict[str, Any]]:
    """The required query parameters per operation (by operationId), for organisation ``org``."""
    tender, _bid = tender_with_bid(landscape, org)
    return {"procurementReport": {"tender": tender.pk, "format": "html"}}


def samples(landscape: Landscape, org: OrgData) -> dict[str, Any]:
    """A valid body per write operation (by operationId), for organisation ``org``."""
    _tender, bid = tender_with_bid(landscape, org)
    usage = {"name": "Nieuwe toepassing", "productId": landscape.product.pk}
    dependency = {"kind": "requires", "fromProcessId": org.process.pk, "toUsageId": org.other_usage.pk}
    return {
        "updateOrganisation": {"inhabitants": 1000},
        "createProcess": {"name": "Nieuw proces", "availability": 1, "integrity": 1, "confidentiality": 1},
        "updateProcess": {"owner": "Iemand"},
        "createUsage": usage,
        "updateUsage": {"owner": "Iemand"},
        "bulkCreateUsages": {"items": [{**usage, "name": "Bulk 1"}, {**usage, "name": "Bulk 2"}]},
        "bulkUpdateUsages": {"items": [{"id": org.usage.pk, "etag": '"x"', "owner": "Iemand"}]},
        "createRedundancyGroup": {"name": "Nieuwe groep", "k": 1},
        "updateRedundancyGroup": {"k": 1},
        "createDependency": dependency,
        "updateDependency": {"notes": "n"},
        "bulkCreateDependencies": {
            "items": [{"kind": "integration", "fromUsageId": org.usage.pk, "toUsageId": org.other_usage.pk}]
        },
        "bulkUpdateDependencies": {"items": [{"id": org.dependency.pk, "etag": '"x"', "notes": "n"}]},
        "createDataSet": {"name": "Nieuwe set", "usageId": org.usage.pk},
        "updateDataSet": {"records": 1},
        "createContract": {
            "reference": "NEW-1",
            "title": "Nieuw",
            "counterpartyId": landscape.provider.pk,
            "startDate": "2025-01-01",
        },
        "updateContract": {"title": "Ander"},
        "createContractClause": {"kind": "escrow", "present": "yes"},
        "updateContractClause": {"present": "yes"},
        "createExitPlan": {"title": "Nieuw exitplan", "usageId": org.usage.pk},
        "updateExitPlan": {"owner": "Iemand"},
        "createExitPlanStep": {"order": 2, "description": "Stap"},
        "updateExitPlanStep": {"done": True},
        "createLegalEntity": {"name": "Nieuw BV", "parentState": "none"},
        "updateLegalEntity": {"website": "https://example.org"},
        "createProduct": {"name": "Nieuw product"},
        "updateProduct": {"licence": "EUPL-1.2"},
        "createService": {"name": "Nieuwe dienst", "providerId": landscape.provider.pk, "kind": "iaas"},
        "updateService": {"certifications": "ISO 27001"},
        "createServiceLocation": {"role": "processing", "countryId": "NL"},
        "updateServiceLocation": {"countryId": "NL"},
        "createSupplyChainLink": {"dependsOnId": landscape.service.pk},
        "updateSupplyChainLink": {},
        "createAlternative": {"name": "Nieuw alternatief", "category": "kantoor"},
        "updateAlternative": {"fit": 3},
        "createCountry": {
            "code": "DE",
            "nameNl": "Duitsland",
            "nameEn": "Germany",
            "euMember": True,
            "eeaMember": True,
        },
        "updateCountry": {"gdprAdequacy": True},
        "createLaw": {"code": "new-law", "name": "Nieuwe wet", "countryId": "US"},
        "updateLaw": {"summary": "s"},
        "createGemmaElement": {"kind": "standaard", "name": "Nieuwe standaard"},
        "updateGemmaElement": {"status": "s"},
        "createProvenanceRecord": {"source": "https://example.org/nieuw"},
        "runScenario": {"changes": [{"kind": "priceRise", "percent": 10, "groups": []}]},
        "createTender": {"reference": "NEW-T", "title": "Nieuwe aanbesteding", "processes": [org.process.pk]},
        "updateTender": {"title": "Andere aanbesteding"},
        "saveWeights": {"price": 50, "sovereignty": 50},
        "createBid": {
            "bidder": landscape.provider.pk,
            "product": landscape.product.pk,
            "services": [landscape.service.pk],
            "annualPrice": "2000.00",
            "answers": {"SOV-1.1": "eu"},
            "clauses": {"exit_assistance": "yes"},
        },
        "updateBid": {"notes": "n"},
        "recordDecision": {"bid": bid.pk, "justification": "Beste verhouding", "decidedOn": "2026-01-15"},
        "importUpload": Upload(
            "processen.csv",
            csv_bytes(
                "processes", [{"name": "Via import", "availability": 1, "integrity": 1, "confidentiality": 1}]
            ),
        ),
        "acceptFinding": {
            "justification": "Uitgelegd in het college",
            "owner": "CIO",
            "approver": org.admin.username,
            "expiresOn": "2027-06-30",
        },
    }


def fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def call(api: Api, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
    headers = {"If-Match": '"stale"'} if method in {"patch", "delete", "put"} else {}
    if method == "get":
        return api.get(path, query)
    if method == "delete":
        return api.delete(path, **headers)
    if isinstance(body, Upload):
        upload = SimpleUploadedFile(body.name, body.content)
        return api.client.post(BASE + path, {"file": upload}, headers=api._headers())
    return getattr(api, method)(path, body if body is not None else {}, **headers)


def test_every_write_operation_has_a_sample_body(landscape: Landscape) -> None:
    known = samples(landscape, landscape.a)
    missing = [
        op["operationId"]
        for _path, method, op in operations()
        if method in {"post", "patch", "put"} and op["operationId"] not in known
    ]
    assert missing == []


def test_every_parameter_has_a_value(landscape: Landscape) -> None:
    """Every path parameter and every required query parameter has a value above."""
    values = path_values(landscape, landscape.a)
    queries = query_values(landscape, landscape.a)
    missing = []
    for path, _method, op in operations():
        missing += [name for name in re.findall(r"\{(\w+)\}", path) if name not in values]
        missing += [
            f"{op['operationId']}?{p['name']}"
            for p in op.get("parameters", [])
            if p["in"] == "query"
            and p.get("required")
            and p["name"] not in queries.get(op["operationId"], {})
        ]
    assert missing == []


# POST operations that compute, check or change state rather than create a resource
# (an import is a dry run unless asked otherwise and answers its report).
ACTIONS_WITHOUT_CREATION = frozenset({"runScenario", "importUpload"})


def test_samples_are_valid_for_the_organisation_itself(landscape: Landscape) -> None:
    """Creating with B's own admin token succeeds: the 404s below are about scope, not input."""
    own = api_for(landscape.b.admin, organisation=landscape.b.org)
    body = samples(landscape, landscape.b)
    values = path_values(landscape, landscape.b)
    for path, method, op in operations():
        if method == "post" and path.startswith("/organisations/{code}"):
            response = call(own, method, fill(path, values), body[op["operationId"]])
            expected = 200 if op["operationId"] in ACTIONS_WITHOUT_CREATION else 201
            assert response.status_code == expected, (op["operationId"], response.content)


@pytest.mark.parametrize("scope", ["write", "read"])
def test_token_of_a_gets_404_on_every_operation_on_b(landscape: Landscape, scope: str) -> None:
    token_a = api_for(landscape.a.admin, scope=scope, organisation=landscape.a.org)
    body = samples(landscape, landscape.b)
    values = path_values(landscape, landscape.b)
    queries = query_values(landscape, landscape.b)
    processes_before = Process.objects.filter(organisation=landscape.b.org).count()
    tenders_before = Tender.objects.filter(organisation=landscape.b.org).count()
    bids_before = Bid.objects.filter(tender__organisation=landscape.b.org).count()
    checked = 0
    for path, method, op in operations():
        if not path.startswith("/organisations/{code}"):
            continue
        if scope == "read" and method in UNSAFE:
            continue
        operation = op["operationId"]
        response = call(token_a, method, fill(path, values), body.get(operation), queries.get(operation))
        assert response.status_code == 404, (method, path, response.status_code, response.content)
        assert response["Content-Type"] == "application/problem+json"
        checked += 1
    assert checked >= (60 if scope == "write" else 30)
    assert Process.objects.filter(organisation=landscape.b.org).count() == processes_before
    assert Tender.objects.filter(organisation=landscape.b.org).count() == tenders_before
    assert Bid.objects.filter(tender__organisation=landscape.b.org).count() == bids_before


def test_user_of_both_organisations_is_still_limited_to_the_tokens_organisation(landscape: Landscape) -> None:
    from regie.accounts.models import Membership

    Membership.objects.create(user=landscape.a.admin, organisation=landscape.b.org, role="admin")
    token_a = api_for(landscape.a.admin, organisation=landscape.a.org)
    assert token_a.get("/organisations/b/processes").status_code == 404
    listed = {o["code"] for o in token_a.get("/organisations").json()["results"]}
    assert listed == {"a"}
    everywhere = api_for(landscape.a.admin)
    assert everywhere.get("/organisations/b/processes").status_code == 200


def test_superuser_token_is_narrowed_to_its_organisation(landscape: Landscape, superuser: Any) -> None:
    token = api_for(superuser, organisation=landscape.a.org)
    assert token.get("/organisations/b").status_code == 404
    assert token.get("/organisations/a").status_code == 200


def test_read_only_token_cannot_write_anything(landscape: Landscape) -> None:
    for user in (landscape.a.admin, landscape.maintainer):
        reader = api_for(
            user, scope="read", organisation=landscape.a.org if user is landscape.a.admin else None
        )
        body = samples(landscape, landscape.a)
        values = path_values(landscape, landscape.a)
        for path, method, op in operations():
            if method not in UNSAFE:
                continue
            response = call(reader, method, fill(path, values), body.get(op["operationId"]))
            assert response.status_code == 403, (method, path, response.status_code)
        assert reader.get("/organisations/a/processes").status_code in (200, 404)


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_invalid_token_gets_401_on_every_operation(landscape: Landscape, state: str) -> None:
    secret = make_token(landscape.a.admin, organisation=landscape.a.org)
    token = ApiToken.objects.get(user=landscape.a.admin)
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    else:
        secret = secret[:-4] + "AAAA"
    api = Api(Client(), secret)
    values = path_values(landscape, landscape.a)
    queries = query_values(landscape, landscape.a)
    body = samples(landscape, landscape.a)
    for path, method, op in operations():
        operation = op["operationId"]
        response = call(api, method, fill(path, values), body.get(operation), queries.get(operation))
        assert response.status_code == 401, (method, path, response.status_code)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_gets_401(landscape: Landscape) -> None:
    response = Api(Client()).get("/organisations")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
