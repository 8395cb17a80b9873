"""Fingerprints of a hit's evidence: one per hit, computed for all hits of a rule at once.

A fingerprint says whether a finding's evidence changed (an accepted finding reopens when it
does), so it must be stable across runs and processes and equal for equal evidence.

Version 2 (``v2`` followed by 30 hex digits, 120 bits): two 64-bit lanes. Each lane starts
from a seed hashed (BLAKE2b) from the evidence names in order, and takes in each value in
name order as ``h = mix(h ^ x)``, where ``mix`` is the splitmix64 finaliser (a bijection of
64-bit words) and ``x`` the value's word for that lane:

* ``None``, ``bool``, ``int`` (two's complement, 64 bits) and ``float`` (IEEE bits):
  ``mix(word ^ C[type][lane])``, a bijection per type, so values of one type never share
  a word;
* ``str`` and anything else (its ``repr``): per lane, ``mix(length ^ C[type][lane])``
  followed by ``h = mix(h ^ w)`` over the code points three at a time (``w``: three
  21-bit code points in one 64-bit word); numpy hashes whole columns this way, one step
  per three characters, over the rows long enough for it.

Each step is a bijection of the running lane, so two hits whose evidence differs in one
value never share a fingerprint; otherwise the chance that two evidences share one is about
2^-120 (a finding would have to keep its fingerprint when its evidence changed). It is not a
cryptographic hash: it guards against chance, not against evidence crafted to collide,
which nobody in the register has reason or means to do.

``fingerprint()`` is the per-hit definition; ``fingerprints()`` computes the same over
columns with numpy (strings once per distinct value). Version 1 (``legacy_fingerprint``)
was a SHA-256 of the evidence items' ``repr``; findings stored with it are compared with
that definition once and then rewritten to version 2 (``services.findings_apply``).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .coded import Coded

__all__ = [
    "PREFIX",
    "Coded",
    "column_words",
    "fingerprint",
    "fingerprints",
    "fold",
    "is_legacy",
    "legacy_fingerprint",
    "plain",
    "plain_floats",
    "scalar_words",
]

PREFIX = "v2"
MASK = (1 << 64) - 1
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
# per type and lane: constants XORed into a value's word before mixing (arbitrary, fixed)
_C = {
    "none": (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F),
    "bool": (0x165667B19E3779F9, 0x27D4EB2F165667C5),
    "int": (0xD6E8FEB86659FD93, 0xA0761D6478BD642F),
    "float": (0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3),
    "str": (0x1D8E4E27C47D124F, 0x5851F42D4C957F2D),
    "repr": (0x2545F4914F6CDD1D, 0xFF51AFD7ED558CCD),
}
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _mix(z: int) -> int:
    z = (z ^ (z >> 30)) * _M1 & MASK
    z = (z ^ (z >> 27)) * _M2 & MASK
    return z ^ (z >> 31)


def _seed(names: Sequence[str]) -> tuple[int, int]:
    return _seed_of(tuple(names))


@lru_cache(maxsize=1024)
def _seed_of(names: tuple[str, ...]) -> tuple[int, int]:
    d = hashlib.blake2b("\x1f".join(names).encode(), digest_size=16, person=b"regie-fp-names").digest()
    return int.from_bytes(d[:8], "little"), int.from_bytes(d[8:], "little")


def _word(v: Any) -> tuple[int, int]:
    """The two lane words of one (plain) evidence value."""
    if v is None:
        kind, w = "none", 0
    elif isinstance(v, bool):
        kind, w = "bool", int(v)
    elif type(v) is int:
        kind, w = "int", v & MASK
    elif type(v) is float:
        kind, w = "float", struct.unpack("<Q", struct.pack("<d", v))[0]
    elif type(v) is str:
        return _text_word("str", v)
    else:
        return _text_word("repr", repr(v))
    c1, c2 = _C[kind]
    return _mix(w ^ c1), _mix(w ^ c2)


def _text_word(kind: str, s: str) -> tuple[int, int]:
    """Lanes start from the length, then take in the code points three at a time (21 bits
    each, the first in the low bits; the last group padded with zero). Trailing NUL
    characters are dropped first (numpy's fixed-width strings cannot hold them; Django
    refuses NUL in text)."""
    s = s.rstrip("\0")
    cps = [ord(c) for c in s]
    cps += [0] * (-len(cps) % 3)
    c1, c2 = _C[kind]
    h1, h2 = _mix(len(s) ^ c1), _mix(len(s) ^ c2)
    for k in range(0, len(cps), 3):
        w = cps[k] | cps[k + 1] << 21 | cps[k + 2] << 42
        h1, h2 = _mix(h1 ^ w), _mix(h2 ^ w)
    return h1, h2


def _text(h1: int, h2: int) -> str:
    return f"{PREFIX}{h1:016x}{h2:016x}"[:32]


def fingerprint(evidence: Mapping[str, Any]) -> str:
    """The fingerprint of one hit's evidence (each value taken as ``plain()`` stores it)."""
    names = sorted(evidence)
    h1, h2 = _seed(names)
    for name in names:
        x1, x2 = _word(plain(evidence[name]))
        h1, h2 = _mix(h1 ^ x1), _mix(h2 ^ x2)
    return _text(h1, h2)


def legacy_fingerprint(evidence: Mapping[str, Any]) -> str:
    """Version 1: SHA-256 of the evidence items in key order, as Python literals."""
    blob = repr(sorted(evidence.items()))
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def is_legacy(fp: str) -> bool:
    return not fp.startswith(PREFIX)


def plain(v: Any) -> Any:
    """An evidence value as stored: numpy scalars as Python values, floats to 4 decimals."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return round(v, 4)
    return v


# --- vectorised ---------------------------------------------------------------------------


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_UM1, _UM2 = np.uint64(_M1), np.uint64(_M2)
# the lanes side by side: every vectorised step works on an (n, 2) array at once
_CV = {kind: np.array(c, dtype=np.uint64) for kind, c in _C.items()}


def _vmix(z: Any) -> Any:
    """splitmix64's finaliser, elementwise; ``z`` is a fresh array (changed in place)."""
    z ^= z >> _S30
    z *= _UM1
    z ^= z >> _S27
    z *= _UM2
    z ^= z >> _S31
    return z


def plain_floats(x: Any) -> Any:
    """``round(v, 4)`` of every float, as Python computes it (correctly rounded decimal).

    ``rint(x * 1e4) / 1e4`` gives the same float whenever ``rint`` picks the integer the
    exact decimal rounding picks (the division is correctly rounded, and ``rint`` keeps the
    sign of zero); values whose product lies within two units in the last place of a half
    step, very large or not finite values are rounded by Python."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        s = x * 1e4
        r = np.rint(s) / 1e4
        near_half = np.abs(s - np.floor(s) - 0.5) <= 2 * np.spacing(np.abs(s))
        odd = near_half | ~np.isfinite(s) | (np.abs(s) >= 2.0**52)
    if odd.any():
        idx = np.flatnonzero(odd)
        r[idx] = [round(v, 4) for v in x[idx].tolist()]
    return r


def _typed_words(kind: str, w: Any) -> Any:
    return _vmix(w.astype(np.uint64, copy=False)[:, None] ^ _CV[kind])


def _array_words(col: Any) -> Any:
    """Lane words of a numeric numpy column (None: not numeric)."""
    if col.dtype == np.bool_:
        return _typed_words("bool", col.astype(np.uint64))
    if np.issubdtype(col.dtype, np.integer) and col.dtype.itemsize <= 8:
        return _typed_words("int", col.astype(np.int64).view(np.uint64))
    if np.issubdtype(col.dtype, np.floating):
        return _typed_words("float", plain_floats(col).view(np.uint64))
    return None


def _column_words(col: Any, n: int) -> Any:
    """Lane words of one evidence column (a numpy array or a list of values), (n, 2)."""
    if isinstance(col, np.ndarray) and col.dtype.kind == "U":
        return _text_words("str", col)
    if isinstance(col, np.ndarray) and col.dtype != object:
        words = _array_words(col)
        if words is not None:
            return words
    values = col.tolist() if isinstance(col, np.ndarray) else list(col)
    types = set(map(type, values))
    if types == {float}:
        return _typed_words("float", plain_floats(np.asarray(values, dtype=np.float64)).view(np.uint64))
    if types == {bool}:
        return _typed_words("bool", np.asarray(values, dtype=np.uint64))
    if types == {str}:
        return _text_words("str", np.array(values, dtype=str))
    # mixed or other types: once per distinct value (1, 1.0, True, 0.0 and -0.0 kept apart)
    index: dict[Any, int] = {}
    distinct: list[Any] = []
    codes = np.empty(n, dtype=np.intp)
    for i, v in enumerate(values):
        p = plain(v)
        key = (float, repr(p)) if type(p) is float else (type(p), p)
        code = index.get(key)
        if code is None:
            code = index[key] = len(distinct)
            distinct.append(p)
        codes[i] = code
    table = np.array([_word(p) for p in distinct], dtype=np.uint64).reshape(-1, 2)
    return table[codes]


def _text_words(kind: str, arr: Any) -> Any:
    """``_text_word`` of every string of a fixed-width (``U``) array, (n, 2)."""
    n, width = len(arr), arr.dtype.itemsize // 4
    codes = np.zeros((n, width + -width % 3), dtype=np.uint64)
    if width:
        codes[:, :width] = arr.view(np.uint32).reshape(n, width)
    triples = codes.reshape(n, -1, 3)
    words = triples[:, :, 0] | triples[:, :, 1] << np.uint64(21) | triples[:, :, 2] << np.uint64(42)
    length = np.char.str_len(arr).astype(np.uint64)
    pairs = ((length + np.uint64(2)) // np.uint64(3)).astype(np.int64)  # words per row
    order = np.argsort(-pairs, kind="stable")  # longest first: step j touches a prefix
    h = _vmix(length[order, None] ^ _CV[kind])
    words, desc = words[order], -pairs[order]
    steps = int(pairs.max()) if n else 0
    # rows with more than j words, for every step j
    prefix = np.searchsorted(desc, -np.arange(steps), side="left").tolist()
    for j, k in enumerate(prefix):
        h[:k] = _vmix(h[:k] ^ words[:k, j, None])
    out = np.empty_like(h)
    out[order] = h
    return out


def column_words(col: Any, n: int) -> Any:
    """Lane words of one evidence column, (n, 2): a numpy array, a list of values or a
    :class:`Coded` column. Row ``i``'s words depend on its value only."""
    if isinstance(col, Coded):
        return _column_words(col.vocab, len(col.vocab))[col.codes]
    return _column_words(col, n)


def scalar_words(value: Any) -> Any:
    """Lane words of one value (a parameter: the same for every row), (2,)."""
    return np.array(_word(plain(value)), dtype=np.uint64)


def fold(names: Sequence[str], words: Sequence[Any], n: int) -> Any:
    """The fingerprints of ``n`` rows from each evidence name's lane words (``(n, 2)``, or
    ``(2,)`` for a value every row shares), an array of 32-byte ASCII strings (``S32``)."""
    order = sorted(range(len(names)), key=lambda j: names[j])
    h = np.empty((n, 2), dtype=np.uint64)
    h[:] = np.array(_seed([names[j] for j in order]), dtype=np.uint64)
    for j in order:
        h ^= words[j]
        _vmix(h)
    return _hex(h)


def fingerprints(names: Sequence[str], columns: Sequence[Any], n: int) -> Any:
    """The fingerprint of every row (as ``fingerprint()`` of the row's evidence), an array of
    32-byte ASCII strings (``S32``). ``columns[j]`` holds ``names[j]``'s values (an array, a
    list or a :class:`Coded` column), or is a scalar (the same value for every row)."""
    words = [
        column_words(col, n) if isinstance(col, np.ndarray | list | tuple | Coded) else scalar_words(col)
        for col in columns
    ]
    return fold(names, words, n)


# two hex digits per byte, as one little-endian 16-bit unit each
_BYTES = np.arange(256)
_HEX2 = (_HEX[_BYTES >> 4].astype(np.uint16) | _HEX[_BYTES & 15].astype(np.uint16) << 8).astype("<u2")
_PREFIX2 = np.frombuffer(PREFIX.encode("ascii"), dtype="<u2")[0]


def _hex(h: Any) -> Any:
    """``PREFIX`` and the first 30 hex digits of the two lanes (big-endian), per row."""
    n = len(h)
    raw = h.astype(">u8").view(np.uint8).reshape(n, 16)
    out = np.empty((n, 16), dtype="<u2")
    out[:, 0] = _PREFIX2
    out[:, 1:] = _HEX2[raw[:, :15]]
    return out.view("S32").reshape(n)
