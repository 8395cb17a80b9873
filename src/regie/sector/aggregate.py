"""Sector aggregates over a group of organisations, from the digest (pure; numpy only).

Every function returns rows that carry ``orgs``, the number of organisations the row is
computed over, so that :func:`regie.sector.disclosure.disclose` can suppress it. Nothing here
names an organisation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from regie.core.concentration import hhi, hhi_band
from regie.core.facts import SUBSTITUTABILITY

from .digest import Digest


def members_mask(digest: Digest, rows: Any) -> Any:
    mask = np.zeros(digest.n_orgs, dtype=bool)
    mask[np.asarray(rows, dtype=np.int64)] = True
    return mask


def reliance_rows(digest: Digest, mask: Any, *, limit: int = 50) -> list[dict[str, Any]]:
    """Per provider group: organisations relying for critical processes, and critical
    processes relying; shares of the group's organisations and critical processes."""
    n = int(mask.sum())
    n_crit = int(digest.critical[mask].sum())
    rel = digest.relies[mask]
    orgs = (rel > 0).sum(axis=0)
    procs = rel.sum(axis=0)
    out = []
    for g in np.argsort(-orgs, kind="stable")[:limit].tolist():
        if orgs[g] == 0:
            break
        out.append(
            {
                "group": str(digest.group_keys[g]),
                "name": digest.group_names[g],
                "orgs": int(orgs[g]),
                "org_share": float(orgs[g]) / n if n else 0.0,
                "critical_processes": int(procs[g]),
                "process_share": float(procs[g]) / n_crit if n_crit else 0.0,
            }
        )
    return out


def refcomp_rows(digest: Digest, mask: Any) -> list[dict[str, Any]]:
    """Per reference component: HHI of the usages' supplier groups, over the organisations
    that use the component."""
    r = digest.refcomp_rows
    r = r[mask[r[:, 0]]] if len(r) else r
    out = []
    for c in np.unique(r[:, 1]).tolist() if len(r) else []:
        sub = r[r[:, 1] == c]
        groups = np.unique(sub[:, 2], return_inverse=True)
        vals = np.bincount(groups[1], weights=sub[:, 3])
        top = int(np.argmax(vals))
        g = int(groups[0][top])
        h = hhi(vals)
        out.append(
            {
                "refcomp": digest.refcomp_names[c],
                "orgs": len(np.unique(sub[:, 0])),
                "usages": int(vals.sum()),
                "hhi": round(h, 1),
                "band": hhi_band(h),
                "top_group": digest.group_names[g] if g >= 0 else "unknown",
                "top_share": float(vals[top] / vals.sum()),
            }
        )
    out.sort(key=lambda row: -row["hhi"])
    return out


def jurisdiction_rows(digest: Digest, mask: Any) -> list[dict[str, Any]]:
    """Per jurisdiction outside the organisations' trusted set: organisations and critical
    processes with control exposure to it (a provider's control chain reaches it)."""
    n = int(mask.sum())
    n_crit = int(digest.critical[mask].sum())
    ctl = digest.control[mask]
    orgs = (ctl > 0).sum(axis=0)
    procs = ctl.sum(axis=0)
    rows = [
        {
            "country": digest.country_codes[c],
            "orgs": int(orgs[c]),
            "org_share": float(orgs[c]) / n if n else 0.0,
            "critical_processes": int(procs[c]),
            "process_share": float(procs[c]) / n_crit if n_crit else 0.0,
        }
        for c in np.flatnonzero(orgs)[np.argsort(-orgs[orgs > 0], kind="stable")].tolist()
    ]
    nt = digest.non_trusted_control[mask]
    total = {
        "country": "*",
        "orgs": int((nt > 0).sum()),
        "org_share": float((nt > 0).sum()) / n if n else 0.0,
        "critical_processes": int(nt.sum()),
        "process_share": float(nt.sum()) / n_crit if n_crit else 0.0,
    }
    return [total, *rows]


def substitutability_rows(digest: Digest, mask: Any) -> list[dict[str, Any]]:
    """Distribution of the usages' substitutability classes (after overrides)."""
    s = digest.subst[mask]
    total = int(s.sum())
    return [
        {
            "class": name,
            "orgs": int((s[:, j] > 0).sum()),
            "usages": int(s[:, j].sum()),
            "share": float(s[:, j].sum()) / total if total else 0.0,
        }
        for j, name in enumerate(SUBSTITUTABILITY)
    ]


def population_row(digest: Digest, mask: Any) -> dict[str, Any]:
    return {
        "orgs": int(mask.sum()),
        "critical_processes": int(digest.critical[mask].sum()),
        "usages": int(digest.subst[mask].sum()),
    }
