"""Fingerprints: the vectorised columns equal the per-hit definition, change with any evidence
value, and findings stored with the previous definition are carried over without reopening."""

from __future__ import annotations

import datetime as dt
import struct
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regie.audit.models import AuditEntry
from regie.policy.fingerprints import (
    Coded,
    column_words,
    fingerprint,
    fingerprints,
    is_legacy,
    legacy_fingerprint,
    plain,
    plain_floats,
)
from regie.policy.models import Acceptance, EventKind, Finding, FindingEvent, FindingStatus
from regie.policy.services import finding_accept, findings_refresh
from regie.register import services
from tests.factories import Landscape
from tests.policy.land import Land, hits

TODAY = dt.date(2026, 6, 1)

floats = st.floats(allow_nan=False, width=64) | st.sampled_from([0.5, 2.675, 1e-5, -0.00005, 0.00015, 1e15])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=40)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | floats | texts


def as_column(kind: str, values: list[Any]) -> Any:
    """The forms columns take in a context: numpy arrays, object arrays or lists."""
    if kind == "array":
        return np.asarray(values)
    if kind == "object":
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return list(values)


def rows_of(names: list[str], columns: list[list[Any]]) -> list[dict[str, Any]]:
    return [{n: col[i] for n, col in zip(names, columns, strict=True)} for i in range(len(columns[0]))]


typed_column = st.one_of(
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=8).map(lambda v: ("int", v)),
    st.lists(floats, min_size=1, max_size=8).map(lambda v: ("float", v)),
    st.lists(st.booleans(), min_size=1, max_size=8).map(lambda v: ("bool", v)),
    st.lists(texts, min_size=1, max_size=8).map(lambda v: ("str", v)),
    st.lists(scalars, min_size=1, max_size=8).map(lambda v: ("mixed", v)),
)


@settings(max_examples=150, deadline=None)
@given(
    cols=st.dictionaries(st.text("abcxyz.", min_size=1, max_size=6), typed_column, min_size=1, max_size=5),
    form=st.sampled_from(["array", "object", "list"]),
)
def test_columns_equal_the_per_hit_definition(cols: dict[str, tuple[str, list[Any]]], form: str) -> None:
    n = min(len(v) for _, v in cols.values())
    names = list(cols)
    raw = [v[:n] for _, v in cols.values()]
    columns = [
        as_column(form if kind != "mixed" else "list", v)
        for (kind, _), v in zip(cols.values(), raw, strict=True)
    ]
    got = [fp.decode() for fp in fingerprints(names, columns, n).tolist()]
    assert got == [fingerprint(row) for row in rows_of(names, raw)]
    assert all(len(fp) == 32 and not is_legacy(fp) for fp in got)


@settings(max_examples=100, deadline=None)
@given(
    vocab=st.lists(scalars, min_size=1, max_size=6),
    data=st.data(),
    other=st.lists(floats, min_size=1, max_size=8),
)
def test_a_coded_column_has_the_fingerprints_of_its_values(
    vocab: list[Any], data: st.DataObject, other: list[float]
) -> None:
    n = len(other)
    codes = data.draw(st.lists(st.integers(0, len(vocab) - 1), min_size=n, max_size=n))
    vocab_arr = np.empty(len(vocab), dtype=object)
    vocab_arr[:] = vocab
    coded = Coded(np.asarray(codes), vocab_arr)
    values = [vocab[c] for c in codes]
    got = [fp.decode() for fp in fingerprints(["v", "w"], [coded, np.asarray(other)], n).tolist()]
    assert got == [fingerprint({"v": v, "w": w}) for v, w in zip(values, other, strict=True)]
    assert np.array_equal(column_words(coded, n), column_words(values, n))


@settings(max_examples=200, deadline=None)
@given(evidence=st.dictionaries(st.text(max_size=5), scalars, min_size=1, max_size=5), data=st.data())
def test_changing_any_value_changes_the_fingerprint(evidence: dict[str, Any], data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(evidence)))
    other = data.draw(scalars)
    before = plain(evidence[name])
    after = plain(other)
    if type(before) is type(after) and (
        before == after
        or (isinstance(before, float) and struct.pack("<d", before) == struct.pack("<d", after))
    ):
        return  # the same stored value
    assert fingerprint({**evidence, name: other}) != fingerprint(evidence)


def test_fingerprint_depends_on_names_and_types() -> None:
    base = fingerprint({"a": 1})
    assert fingerprint({"b": 1}) != base
    assert len({base, fingerprint({"a": 1.0}), fingerprint({"a": True}), fingerprint({"a": "1"})}) == 4
    assert fingerprint({"a": np.int64(1)}) == base  # numpy scalars as their Python values
    assert fingerprint({"x": 0.123456}) == fingerprint({"x": 0.1235})  # stored rounded to 4 places


@settings(max_examples=300, deadline=None)
@given(st.lists(floats | st.sampled_from([float("nan"), float("inf"), -0.0]), min_size=1, max_size=20))
def test_plain_floats_round_as_python_does(xs: list[float]) -> None:
    got = plain_floats(np.asarray(xs)).tolist()
    want = [round(x, 4) for x in xs]
    assert [struct.pack("<d", g) for g in got] == [struct.pack("<d", w) for w in want]


def test_every_hit_of_a_landscape_has_the_reference_fingerprint() -> None:
    land = Land()
    land.exit_plans = []
    found = hits(land)
    assert found
    for h in found:
        assert h.fingerprint == fingerprint(dict(h.evidence))


@pytest.mark.django_db
def test_version_1_fingerprints_are_carried_over_without_reopening(landscape: Landscape) -> None:
    org = landscape.a.org
    findings_refresh(organisation=org, as_of=TODAY)
    accepted = Finding.objects.get(organisation=org, rule="regie-basis/JUR-01")
    finding_accept(
        actor=landscape.a.editor,
        finding=accepted,
        justification="Migratie gepland in 2027; tot dan aanvaard.",
        owner="CIO",
        approver=landscape.a.admin,
        expires_on=TODAY + dt.timedelta(days=90),
        today=TODAY,
    )
    # as stored before version 2: every fingerprint the SHA-256 of the evidence
    current = {f.pk: f.fingerprint for f in Finding.objects.filter(organisation=org)}
    for f in Finding.objects.filter(organisation=org):
        Finding.objects.filter(pk=f.pk).update(fingerprint=legacy_fingerprint(f.evidence))
        Acceptance.objects.filter(finding=f).update(fingerprint=legacy_fingerprint(f.evidence))
    events = FindingEvent.objects.count()
    result = findings_refresh(organisation=org, as_of=TODAY)
    assert (result.opened, result.reopened, result.resolved, result.changed) == (0, 0, 0, 0)
    assert FindingEvent.objects.count() == events
    assert {f.pk: f.fingerprint for f in Finding.objects.filter(organisation=org)} == current
    accepted.refresh_from_db()
    assert accepted.status == FindingStatus.ACCEPTED
    assert accepted.current_acceptance is not None
    assert accepted.current_acceptance.fingerprint == current[accepted.pk]
    assert AuditEntry.objects.filter(object_type="policy.finding", object_repr="fingerprints").count() == 1
    # carried over once: the next refresh writes nothing
    findings_refresh(organisation=org, as_of=TODAY)
    assert AuditEntry.objects.filter(object_type="policy.finding", object_repr="fingerprints").count() == 1


@pytest.mark.django_db
def test_a_version_1_fingerprint_of_other_evidence_still_reopens(landscape: Landscape) -> None:
    org = landscape.a.org
    findings_refresh(organisation=org, as_of=TODAY)
    f = Finding.objects.get(organisation=org, rule="regie-basis/CTR-04")
    finding_accept(
        actor=landscape.a.editor,
        finding=f,
        justification="Prijsplafond wordt bij verlenging opgenomen.",
        owner="CIO",
        approver=landscape.a.admin,
        expires_on=TODAY + dt.timedelta(days=90),
        today=TODAY,
    )
    old = {**f.evidence, "contract.name": "een ander contract"}
    Finding.objects.filter(pk=f.pk).update(fingerprint=legacy_fingerprint(old))
    Acceptance.objects.filter(finding=f).update(fingerprint=legacy_fingerprint(old))
    result = findings_refresh(organisation=org, as_of=TODAY)
    assert result.reopened == 1
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN
    assert not is_legacy(f.fingerprint)
    assert f.events.order_by("-pk").values_list("kind", flat=True)[0] == EventKind.EVIDENCE
    services.register_update(actor=None, instance=landscape.a.clause, data={"present": "yes"})
    assert findings_refresh(organisation=org, as_of=TODAY).resolved == 1
