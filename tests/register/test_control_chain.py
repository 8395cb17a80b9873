"""The control chain cannot become a cycle, and its closure table always matches the parent links.

LegalEntityAncestor is maintained by database triggers (migration 0002); these tests write the
parent links every way application code or a SQL client could and compare the closure with a
plain walk of the parent links.
"""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regie.register import services
from regie.register.models import LegalEntity, LegalEntityAncestor

pytestmark = pytest.mark.django_db

Closure = set[tuple[int, int, int]]


def _entities(count: int, prefix: str = "E") -> list[LegalEntity]:
    return [LegalEntity.objects.create(name=f"{prefix}{i}", parent_state="none") for i in range(count)]


def _set_parent(child: LegalEntity, parent: LegalEntity | None) -> None:
    """Write the parent link without any model validation, as a bulk update or SQL client would."""
    LegalEntity.objects.filter(pk=child.pk).update(
        parent=parent, parent_state="known" if parent is not None else "none"
    )


def _closure_table() -> Closure:
    return set(LegalEntityAncestor.objects.values_list("descendant_id", "ancestor_id", "depth"))


def _walked_closure() -> Closure:
    """The closure computed in Python by following each entity's parent link to the top."""
    parent_of = dict(LegalEntity.objects.values_list("pk", "parent_id"))
    links: Closure = set()
    for entity, direct_parent in parent_of.items():
        depth, ancestor, seen = 1, direct_parent, {entity}
        while ancestor is not None:
            assert ancestor not in seen, "the parent links contain a cycle"
            seen.add(ancestor)
            links.add((entity, ancestor, depth))
            depth, ancestor = depth + 1, parent_of[ancestor]
    return links


def test_a_parent_that_closes_a_cycle_is_refused_by_the_database() -> None:
    a, b, c = _entities(3)
    _set_parent(a, b)
    _set_parent(b, c)
    with pytest.raises(IntegrityError), transaction.atomic():
        _set_parent(c, a)
    assert LegalEntity.objects.get(pk=c.pk).parent_id is None
    assert (
        _closure_table()
        == _walked_closure()
        == {
            (a.pk, b.pk, 1),
            (a.pk, c.pk, 2),
            (b.pk, c.pk, 1),
        }
    )


def test_an_entity_cannot_be_its_own_parent() -> None:
    (a,) = _entities(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _set_parent(a, a)
    assert _closure_table() == set()


def test_a_cycle_through_raw_sql_is_refused() -> None:
    a, b = _entities(2)
    _set_parent(a, b)
    table = LegalEntity._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET parent_id = %s, parent_state = 'known' WHERE id = %s",  # noqa: S608
            [a.pk, b.pk],
        )
    assert _closure_table() == _walked_closure() == {(a.pk, b.pk, 1)}


def test_a_long_chain_has_a_complete_closure_and_cannot_be_closed() -> None:
    length = 120
    chain = _entities(length)
    for child, parent in itertools.pairwise(chain):
        _set_parent(child, parent)
    closure = _closure_table()
    assert len(closure) == length * (length - 1) // 2
    assert closure == _walked_closure()
    assert (chain[0].pk, chain[-1].pk, length - 1) in closure
    with pytest.raises(IntegrityError), transaction.atomic():
        _set_parent(chain[-1], chain[0])
    assert [e.name for e in LegalEntity.objects.get(pk=chain[0].pk).control_chain()] == [
        f"E{i}" for i in range(length)
    ]


def test_moving_a_subtree_moves_every_descendant_with_it() -> None:
    root_1, root_2, mid, leaf_1, leaf_2 = _entities(5)
    _set_parent(mid, root_1)
    _set_parent(leaf_1, mid)
    _set_parent(leaf_2, mid)
    _set_parent(mid, root_2)
    closure = _closure_table()
    assert closure == _walked_closure()
    assert {a for d, a, _ in closure if d == leaf_1.pk} == {mid.pk, root_2.pk}
    _set_parent(mid, None)
    assert _closure_table() == _walked_closure() == {(leaf_1.pk, mid.pk, 1), (leaf_2.pk, mid.pk, 1)}


def test_deleting_a_leaf_removes_its_links() -> None:
    top, leaf = _entities(2)
    _set_parent(leaf, top)
    services.register_delete(actor=None, instance=LegalEntity.objects.get(pk=leaf.pk))
    assert _closure_table() == set()


def test_services_report_a_cycle_as_a_validation_error() -> None:
    a, b, c = _entities(3)
    _set_parent(a, b)
    _set_parent(b, c)
    c = LegalEntity.objects.get(pk=c.pk)
    with pytest.raises(ValidationError) as refused:
        services.register_update(actor=None, instance=c, data={"parent": a, "parent_state": "known"})
    assert refused.value.messages == ["This parent would make the control chain a cycle."]
    assert LegalEntity.objects.get(pk=c.pk).parent_id is None


def test_services_refuse_an_entity_as_its_own_parent_with_a_message() -> None:
    (a,) = _entities(1)
    with pytest.raises(ValidationError) as refused:
        services.register_update(actor=None, instance=a, data={"parent": a, "parent_state": "known"})
    assert refused.value.messages


# Random re-parentings: (child index, parent index or None, write through the services?).
MOVES = st.lists(
    st.tuples(st.integers(0, 7), st.none() | st.integers(0, 7), st.booleans()), min_size=1, max_size=25
)


def _would_cycle(parent_of: dict[int, int | None], child: int, parent: int | None) -> bool:
    while parent is not None:
        if parent == child:
            return True
        parent = parent_of[parent]
    return False


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_the_closure_always_equals_a_walk_of_the_parent_links(
    db: None, moves: list[tuple[int, int | None, bool]]
) -> None:
    with transaction.atomic():
        entities = _entities(8, prefix="H")
        parent_of: dict[int, int | None] = {e.pk: None for e in entities}
        for child_index, parent_index, via_service in moves:
            child = entities[child_index]
            parent = entities[parent_index] if parent_index is not None else None
            expect_refusal = _would_cycle(parent_of, child.pk, parent.pk if parent else None)
            if via_service:
                instance = LegalEntity.objects.get(pk=child.pk)
                state = "known" if parent is not None else "none"
                try:
                    services.register_update(
                        actor=None, instance=instance, data={"parent": parent, "parent_state": state}
                    )
                except ValidationError:
                    refused = True
                else:
                    refused = False
            else:
                try:
                    with transaction.atomic():
                        _set_parent(child, parent)
                except IntegrityError:
                    refused = True
                else:
                    refused = False
            assert refused == expect_refusal
            if not refused:
                parent_of[child.pk] = parent.pk if parent else None
            assert dict(LegalEntity.objects.filter(name__startswith="H").values_list("pk", "parent_id")) == (
                parent_of
            )
            assert _closure_table() == _walked_closure()
        transaction.set_rollback(True)
