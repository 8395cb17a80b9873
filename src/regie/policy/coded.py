"""A column held as codes into a vocabulary (row ``i`` is ``vocab[codes[i]]``).

Conditions and fingerprints work on the vocabulary where the result for a row depends on
its value alone (equality with a literal, membership in a list, a value's words) and
gather the result by code; anything else sees the values (``__array__``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Coded"]


class Coded:
    """Codes into a vocabulary (an object array)."""

    __slots__ = ("codes", "vocab")

    def __init__(self, codes: Any, vocab: Any) -> None:
        self.codes = np.asarray(codes, dtype=np.intp)
        self.vocab = np.asarray(vocab, dtype=object)

    def __len__(self) -> int:
        return len(self.codes)

    def values(self) -> Any:
        return self.vocab[self.codes]

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        out = self.values()
        return out if dtype is None else out.astype(dtype)

    def per_value(self, fn: Any) -> Any:
        """``fn`` applied to the vocabulary (elementwise), gathered for every row."""
        return np.asarray(fn(self.vocab))[self.codes]
