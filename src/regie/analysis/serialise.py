"""JSON forms of analysis results: NaN becomes null; lowerCamelCase properties for the API."""

from __future__ import annotations

import functools
import math
from typing import Any

from pydantic.alias_generators import to_camel

#: Properties whose values are maps keyed by data (figure names, countries), not by properties.
DATA_KEYED = frozenset({"figures", "states", "extra", "before", "after", "delta"})

# Property names repeat in every item: convert each once (a regular expression per key otherwise).
_to_camel = functools.lru_cache(maxsize=4096)(to_camel)


def clean(value: Any) -> Any:
    """A copy with NaN and infinities replaced by None (JSON has no NaN)."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def camel(value: Any, *, keep_keys: bool = False) -> Any:
    """lowerCamelCase property names (NL API Design Rules); data-keyed maps keep their keys."""
    if isinstance(value, dict):
        return {
            (str(k) if keep_keys else _to_camel(str(k))): camel(v, keep_keys=str(k) in DATA_KEYED)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [camel(v) for v in value]
    return clean(value)
