"""Writes of the procurement assessment: checked, audited, scoped to editors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from regie.audit.models import AuditEntry
from regie.procurement.models import Bid, Decision, Tender
from regie.procurement.services import bid_delete, bid_update, decision_record, tender_create, tender_update
from regie.register import services as register_services

from .conftest import TenderCase

pytestmark = pytest.mark.django_db


def test_a_viewer_or_outsider_cannot_write(case: TenderCase) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        tender_update(actor=case.ls.a.viewer, tender=case.tender, data={"title": "Anders"})
    with pytest.raises(PermissionDenied):
        tender_create(
            actor=case.ls.b.admin, organisation=case.ls.a.org, data={"reference": "X", "title": "X"}
        )
    with pytest.raises(PermissionDenied):
        bid_update(actor=case.ls.b.editor, bid=case.nl_bid, data={"notes": "x"})
    assert AuditEntry.objects.count() == entries


def test_processes_of_another_organisation_are_refused(case: TenderCase) -> None:
    with pytest.raises(ValidationError) as exc:
        tender_update(actor=case.ls.a.editor, tender=case.tender, processes=[case.ls.b.process])
    assert "processes" in exc.value.message_dict


def test_the_database_keeps_the_bounds(case: TenderCase) -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        Tender.objects.filter(pk=case.tender.pk).update(min_seal_sov2=5)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Tender.objects.filter(pk=case.tender.pk).update(weight_price=-1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Bid.objects.filter(pk=case.nl_bid.pk).update(annual_price=-1)


def test_a_chosen_bid_cannot_be_deleted_but_goes_with_its_organisation(case: TenderCase) -> None:
    decision_record(actor=case.ls.a.editor, tender=case.tender, bid=case.nl_bid, justification="Beste")
    with pytest.raises(ValidationError):
        bid_delete(actor=case.ls.a.editor, bid=case.nl_bid)
    bid_delete(actor=case.ls.a.editor, bid=case.nl2_bid)
    assert AuditEntry.objects.filter(object_type="procurement.bid", action="delete").count() == 1
    register_services.register_delete(actor=None, instance=case.ls.a.org)
    assert not Tender.objects.exists()
    assert not Decision.objects.exists()


def test_an_ineligible_bid_cannot_be_chosen(case: TenderCase) -> None:
    with pytest.raises(ValidationError) as exc:
        decision_record(
            actor=case.ls.a.editor, tender=case.tender, bid=case.us_bid, justification="Goedkoopst"
        )
    assert "SOV-2" in exc.value.message_dict["bid"][0]
    assert not Decision.objects.exists()
