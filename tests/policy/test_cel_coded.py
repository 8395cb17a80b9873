"""Conditions over a coded column (codes into a vocabulary) equal those over its values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regie.policy.cel import compile_condition
from regie.policy.coded import Coded

KNOWN = {"usage": frozenset({"open_export", "name", "alternatives"}), "params": frozenset({"n"})}
VOCAB = ["yes", "no", "unknown", "", "Ünïcode"]

CONDITIONS = [
    'usage.open_export == "no"',
    'usage.open_export != "yes"',
    '"unknown" == usage.open_export',
    'usage.open_export in ["no", "unknown"]',
    "usage.open_export == 1",
    "usage.open_export == usage.name",
    'usage.open_export == "no" && usage.alternatives > params.n',
    '!(usage.open_export == "yes") || usage.name == ""',
    'usage.alternatives > 0 ? usage.open_export == "no" : usage.open_export == "unknown"',
    "size(usage.open_export) > 2",
    'usage.open_export < "o"',
]


@pytest.mark.parametrize("text", CONDITIONS)
@settings(max_examples=25, deadline=None)
@given(codes=st.lists(st.integers(0, len(VOCAB) - 1), min_size=1, max_size=30), data=st.data())
def test_a_coded_column_gives_what_its_values_give(text: str, codes: list[int], data: st.DataObject) -> None:
    n = len(codes)
    names = data.draw(st.lists(st.sampled_from(VOCAB), min_size=n, max_size=n))
    alternatives = np.asarray(data.draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n)))
    vocab = np.asarray(VOCAB, dtype=object)
    values = vocab[np.asarray(codes)]
    cond = compile_condition(text, KNOWN)

    def columns(export: Any) -> dict[str, Any]:
        usage = {"open_export": export, "name": np.asarray(names, dtype=object), "alternatives": alternatives}
        return {"usage": usage, "params": {"n": 1}}

    coded = cond.evaluate(columns(Coded(codes, vocab)), n)
    plain = cond.evaluate(columns(values), n)
    assert coded.tolist() == plain.tolist()
