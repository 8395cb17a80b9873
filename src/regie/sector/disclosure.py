"""The one gate every sector figure leaves through: suppression below k organisations.

``disclose`` is called by every producer of rows (pages, API, exports, command line all read
the producers' output, never the raw aggregates). A row carries ``orgs``, the number of
organisations it is computed over; below k its figures are replaced by None and it is marked
``suppressed``. Only the keys named in ``keep`` (public labels, e.g. a provider group's name
from the shared catalogue) survive a suppression.

Differencing (taking aggregates over two groups and subtracting) is guarded separately, in
:mod:`regie.sector.groups`: only groups whose combinations cannot isolate fewer than k
organisations are ever aggregated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DEFAULT_MIN_GROUP = 5  # k when settings.REGIE_SECTOR_MIN_GROUP is not set (regie.sector.population)


class SuppressedError(Exception):
    """The whole output is over fewer than k organisations (or was refused as a difference)."""


def disclose(
    rows: Iterable[Mapping[str, Any]], *, k: int, keep: tuple[str, ...] = (), count_key: str = "orgs"
) -> list[dict[str, Any]]:
    """Rows with every figure of a row over fewer than k organisations replaced by None."""
    out: list[dict[str, Any]] = []
    for row in rows:
        n = int(row.get(count_key) or 0)
        if n >= k:
            out.append({**row, "suppressed": False})
        else:
            out.append({key: (row[key] if key in keep else None) for key in row} | {"suppressed": True})
    return out


def require_population(n: int, *, k: int) -> None:
    """Refuse an output over fewer than k organisations altogether."""
    if n < k:
        raise SuppressedError(f"fewer than {k} organisations: suppressed")
