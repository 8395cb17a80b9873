"""The audit trail: one entry per change, written by the services, and never changed afterwards."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from regie.accounts.models import User
from regie.audit.context import current_request_id, reset_request_id, set_request_id
from regie.audit.models import AuditEntry
from regie.audit.selectors import audit_history_for, audit_list
from regie.register import services
from regie.register.models import ContractClause, LegalEntity, Process
from tests.factories import Landscape

pytestmark = pytest.mark.django_db

REQUEST_ID = "req-0123456789abcdef"


@pytest.fixture
def request_id() -> object:
    token = set_request_id(REQUEST_ID)
    yield REQUEST_ID
    reset_request_id(token)


def _new_entries(since: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=since).order_by("pk"))


def _last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- one entry per change -------------------------------------------------------------------------


def test_create_update_and_delete_each_write_one_complete_entry(
    landscape: Landscape, request_id: str
) -> None:
    editor, org = landscape.a.editor, landscape.a.org
    mark = _last_pk()
    process = services.register_create(
        actor=editor,
        model=Process,
        data={
            "organisation": org,
            "name": "Vergunningen",
            "availability": 2,
            "integrity": 2,
            "confidentiality": 1,
        },
    )
    (created,) = _new_entries(mark)
    assert (created.action, created.actor, created.actor_label) == ("create", editor, "a-editor")
    assert (created.organisation_id, created.object_type, created.object_id) == (
        org.pk,
        "register.process",
        str(process.pk),
    )
    assert created.object_repr == "Vergunningen"
    assert created.before is None
    assert created.after is not None
    assert created.after["availability"] == 2
    assert created.request_id == REQUEST_ID

    mark = created.pk
    services.register_update(actor=editor, instance=process, data={"availability": 3})
    (updated,) = _new_entries(mark)
    assert updated.action == "update"
    assert updated.changes() == [("availability", 2, 3)]
    assert (updated.organisation_id, updated.request_id) == (org.pk, REQUEST_ID)

    mark = updated.pk
    pk = process.pk
    services.register_delete(actor=editor, instance=process)
    (deleted,) = _new_entries(mark)
    assert (deleted.action, deleted.object_id, deleted.object_repr) == ("delete", str(pk), "Vergunningen")
    assert deleted.before is not None
    assert deleted.before["availability"] == 3
    assert deleted.after is None
    assert (deleted.organisation_id, deleted.actor, deleted.request_id) == (org.pk, editor, REQUEST_ID)


def test_entries_of_child_records_and_organisations_carry_their_organisation(landscape: Landscape) -> None:
    a = landscape.a
    mark = _last_pk()
    clause = services.register_create(
        actor=a.editor,
        model=ContractClause,
        data={"contract": a.contract, "kind": "escrow", "present": "yes"},
    )
    services.register_update(actor=a.editor, instance=clause, data={"detail": "art. 12"})
    services.register_update(actor=a.admin, instance=a.org, data={"inhabitants": 1000})
    entries = _new_entries(mark)
    assert [(e.object_type, e.organisation_id) for e in entries] == [
        ("register.contractclause", a.org.pk),
        ("register.contractclause", a.org.pk),
        ("register.organisation", a.org.pk),
    ]


def test_catalogue_changes_have_no_organisation(landscape: Landscape) -> None:
    mark = _last_pk()
    services.register_update(
        actor=landscape.maintainer, instance=landscape.parent, data={"description": "Group"}
    )
    (entry,) = _new_entries(mark)
    assert (entry.object_type, entry.organisation_id, entry.actor) == (
        "register.legalentity",
        None,
        landscape.maintainer,
    )


def test_without_a_request_the_entry_has_no_request_id(landscape: Landscape) -> None:
    assert current_request_id() == ""
    mark = _last_pk()
    services.register_update(actor=None, instance=landscape.a.process, data={"owner": "Team Burgerzaken"})
    (entry,) = _new_entries(mark)
    assert (entry.request_id, entry.actor, entry.actor_label) == ("", None, "system")


def test_an_update_that_changes_nothing_writes_nothing(landscape: Landscape) -> None:
    process = Process.objects.get(pk=landscape.a.process.pk)
    mark = _last_pk()
    services.register_update(
        actor=landscape.a.editor,
        instance=process,
        data={"name": process.name, "availability": process.availability},
    )
    services.register_update(actor=landscape.a.editor, instance=process, data={})
    contract = type(landscape.a.contract).objects.get(pk=landscape.a.contract.pk)
    services.register_update(
        actor=landscape.a.editor,
        instance=contract,
        data={"annual_value": contract.annual_value},
        m2m={"usages": [landscape.a.usage]},
    )
    assert _new_entries(mark) == []


def test_refused_writes_write_nothing(landscape: Landscape) -> None:
    a, b = landscape.a, landscape.b
    mark = _last_pk()
    with pytest.raises(PermissionDenied):
        services.register_update(actor=a.editor, instance=b.process, data={"availability": 1})
    with pytest.raises(PermissionDenied):
        services.register_delete(actor=a.viewer, instance=a.process)
    with pytest.raises(ValidationError):
        services.register_update(actor=a.editor, instance=a.process, data={"availability": 7})
    with pytest.raises(ValidationError):
        services.register_delete(actor=None, instance=landscape.product)  # still in use
    with pytest.raises(ValidationError):
        services.register_create(
            actor=a.editor,
            model=Process,
            data={
                "organisation": a.org,
                "name": a.process.name,
                "availability": 1,
                "integrity": 1,
                "confidentiality": 1,
            },
        )
    assert _new_entries(mark) == []


# --- append-only ----------------------------------------------------------------------------------


@pytest.fixture
def entry(landscape: Landscape) -> AuditEntry:
    found = AuditEntry.objects.order_by("pk").first()
    assert found is not None
    return found


def test_an_existing_entry_cannot_be_saved_again(entry: AuditEntry) -> None:
    entry.message = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).message == ""


def test_an_entry_cannot_be_deleted(entry: AuditEntry) -> None:
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry: AuditEntry) -> None:
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(message="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["message"])
    assert AuditEntry.objects.get(pk=entry.pk).message == ""


def test_the_database_refuses_updates_that_bypass_the_model(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk).update(message="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)  # type: ignore[attr-defined]
    assert AuditEntry.objects.get(pk=entry.pk).message == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET message = 'rewritten' WHERE id = %s",
        "UPDATE audit_auditentry SET actor_label = 'someone else', before = NULL WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id >= %s",
    ],
)
def test_the_database_triggers_refuse_raw_sql_update_and_delete(entry: AuditEntry, sql: str) -> None:
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert "append-only" in str(refused.value)
    assert AuditEntry.objects.count() == count
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.message, stored.actor_label) == (entry.message, entry.actor_label)


def test_deleting_the_actor_keeps_the_entry(landscape: Landscape) -> None:
    editor = landscape.a.editor
    services.register_update(actor=editor, instance=landscape.a.process, data={"owner": "Someone"})
    entries = AuditEntry.objects.filter(actor_label="a-editor").count()
    assert entries == 1
    User.objects.filter(pk=editor.pk).delete()
    assert AuditEntry.objects.filter(actor_label="a-editor").count() == entries


# --- the request id middleware --------------------------------------------------------------------


@pytest.mark.urls("tests.audit.urls")
def test_the_middleware_echoes_the_request_id_and_audit_entries_carry_it(landscape: Landscape) -> None:
    response = Client().get("/write", {"org": "a", "name": "Via HTTP"}, headers={"X-Request-ID": REQUEST_ID})
    assert response.status_code == 200
    assert response["X-Request-ID"] == REQUEST_ID
    pk, seen = response.content.decode().split()
    assert seen == REQUEST_ID
    entry = AuditEntry.objects.get(object_type="register.redundancygroup", object_id=pk)
    assert entry.request_id == REQUEST_ID
    assert current_request_id() == ""


@pytest.mark.urls("tests.audit.urls")
@pytest.mark.parametrize("header", [None, "short", "has spaces in it", "x" * 65, "<script>alert(1)</script>"])
def test_the_middleware_replaces_a_missing_or_invalid_request_id(
    landscape: Landscape, header: str | None
) -> None:
    headers = {"X-Request-ID": header} if header is not None else {}
    response = Client().get("/write", {"org": "a", "name": f"Via HTTP {len(header or '')}"}, headers=headers)
    generated = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    pk, seen = response.content.decode().split()
    assert seen == generated
    assert (
        AuditEntry.objects.get(object_type="register.redundancygroup", object_id=pk).request_id == generated
    )


# --- reading the history --------------------------------------------------------------------------


def test_another_organisations_history_is_invisible(landscape: Landscape) -> None:
    a, b = landscape.a, landscape.b
    services.register_update(actor=b.editor, instance=b.clause, data={"detail": "art. 9 (B only)"})
    for user in (a.viewer, a.editor, a.admin, landscape.outsider, landscape.maintainer):
        for instance in (b.process, b.clause, b.step, b.org):
            assert not audit_history_for(user=user, instance=instance).exists(), (user, instance)
        listed = audit_list(user=user)
        assert not listed.filter(organisation_id=b.org.pk).exists()
        assert not listed.filter(object_repr__contains="B only").exists()
        assert not audit_list(user=user, organisation_id=b.org.pk).exists()
    assert audit_history_for(user=a.viewer, instance=a.process).exists()
    assert audit_history_for(user=b.viewer, instance=b.clause).count() == 2


def test_catalogue_history_is_visible_to_every_signed_in_user(landscape: Landscape) -> None:
    from django.contrib.auth.models import AnonymousUser

    services.register_update(
        actor=landscape.maintainer, instance=landscape.provider, data={"description": "EU arm"}
    )
    for user in (landscape.a.viewer, landscape.b.admin, landscape.outsider, landscape.maintainer):
        history = audit_history_for(user=user, instance=landscape.provider)
        assert [e.action for e in history] == ["update", "create"]
    assert not audit_history_for(user=AnonymousUser(), instance=landscape.provider).exists()
    assert not audit_list(user=AnonymousUser()).exists()


def test_a_superuser_sees_every_history(landscape: Landscape, superuser: User) -> None:
    assert audit_list(user=superuser).count() == AuditEntry.objects.count()
    assert LegalEntity.objects.exists()


def test_the_same_amount_written_differently_is_no_change(landscape: Landscape) -> None:
    contract = type(landscape.a.contract).objects.get(pk=landscape.a.contract.pk)
    mark = _last_pk()
    services.register_update(actor=landscape.a.editor, instance=contract, data={"annual_value": 120000})
    services.register_update(actor=landscape.a.editor, instance=contract, data={"annual_value": "120000.0"})
    assert _new_entries(mark) == []
    services.register_update(actor=landscape.a.editor, instance=contract, data={"annual_value": "120000.5"})
    (entry,) = _new_entries(mark)
    assert entry.changes() == [("annual_value", "120000.00", "120000.50")]


def test_a_new_entry_with_the_id_of_an_existing_one_is_refused(entry: AuditEntry) -> None:
    forged = AuditEntry(id=entry.pk, actor_label="mallory", action="event", object_type="x", object_id="1")
    with pytest.raises(PermissionError):
        forged.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == entry.actor_label
