"""The demo's templates name only GEMMA elements that exist and mark every invention."""

from __future__ import annotations

import json
from pathlib import Path

from regie.demo import fictional, fictional_services
from regie.demo.peers import MUNICIPALITY_NAMES, PEER_COUNT
from regie.demo.planner import DATASETS, INTEGRATIONS
from regie.demo.templates import ALL_SLOTS, PROCESSES, SLOT_BY_KEY

TAXONOMY = json.loads(
    (Path(__file__).resolve().parents[2] / "src/regie/reference/data/gemma-taxonomy.json").read_text("utf-8")
)
COMPONENTS = {c["name"] for c in TAXONOMY["referentiecomponenten"]}


def test_every_process_template_names_existing_gemma_functions_processes_and_slots() -> None:
    for p in PROCESSES:
        assert p.function in TAXONOMY["bedrijfsfuncties"], p.name
        assert p.process is None or p.process in TAXONOMY["bedrijfsprocessen"], p.name
        assert all(slot in SLOT_BY_KEY for slot in p.slots), p.name
    assert len({p.name for p in PROCESSES}) == len(PROCESSES)


def test_every_slot_product_and_integration_names_existing_gemma_elements() -> None:
    for slot in ALL_SLOTS:
        assert slot.component in COMPONENTS, slot.key
    for product in fictional.PRODUCTS:
        assert set(product.components) <= COMPONENTS, product.name
        assert set(product.standards) <= set(TAXONOMY["standaarden"]), product.name
    keys = set(SLOT_BY_KEY)
    assert all(a in keys and b in keys for a, b, *_ in INTEGRATIONS)
    assert all(row[0] in keys for row in DATASETS)


def test_invented_names_are_marked_and_unique() -> None:
    names = [e.name for e in fictional.ENTITIES]
    assert len(set(names)) == len(names)
    assert all(name.endswith(fictional.FICTIONAL_MARK) for name in names)
    products = [p.name for p in fictional.PRODUCTS]
    assert len(set(products)) == len(products)
    assert all(p.supplier in names for p in fictional.PRODUCTS)
    assert all(s.provider in names for s in fictional_services.SERVICES)


def test_forty_smaller_organisations_with_distinct_fictional_names() -> None:
    assert PEER_COUNT == 40
    assert len(set(MUNICIPALITY_NAMES)) == len(MUNICIPALITY_NAMES) == 37
