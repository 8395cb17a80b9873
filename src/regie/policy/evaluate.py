"""Evaluate rules over a context: which subjects each rule fires on, with evidence and messages.

Pure (no database): the same function serves findings, scenarios and the benchmark.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .context import Context, SubjectTable
from .rules import Rule

__all__ = ["AppliedRule", "Hit", "Verdict", "evaluate", "verdicts"]


@dataclass(frozen=True)
class AppliedRule:
    """A rule with the parameter values that apply (defaults or tightened)."""

    rule: Rule
    params: Mapping[str, float]


@dataclass(frozen=True)
class Hit:
    """One (rule, subject) where the rule holds. Messages are rendered on first read: a
    refresh compares fingerprints and only renders what it writes."""

    rule: str  # qualified id: ruleset/rule
    severity: str
    subject: str
    subject_key: str
    org: Hashable  # organisation key (snapshot)
    evidence: Mapping[str, Any]
    fingerprint: str
    values: Mapping[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)
    template: Rule | None = field(default=None, repr=False, compare=False)

    def message(self, lang: str) -> str:
        return self.template.render(lang, self.values) if self.template is not None else ""

    @property
    def message_nl(self) -> str:
        return self.message("nl")

    @property
    def message_en(self) -> str:
        return self.message("en")


class _OrgView(Mapping[str, Any]):
    """``org.<field>`` for each row of a subject table (the organisation of that row)."""

    def __init__(self, orgs: SubjectTable, pos: Any) -> None:
        self.orgs, self.pos = orgs, pos

    def __getitem__(self, name: str) -> Any:
        return np.asarray(self.orgs.column(name))[self.pos]

    def __iter__(self) -> Iterator[str]:
        return iter(self.orgs.cols)

    def __len__(self) -> int:
        return len(self.orgs.cols)


class _TableView(Mapping[str, Any]):
    def __init__(self, table: SubjectTable) -> None:
        self.table = table

    def __getitem__(self, name: str) -> Any:
        return self.table.column(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.cols)

    def __len__(self) -> int:
        return len(self.table.cols)


def _scope_mask(rule: Rule, table: SubjectTable, org_pos: Any, orgs: SubjectTable) -> Any:
    mask = np.ones(table.n, dtype=bool)
    if rule.organisation_kinds:
        kinds = np.asarray(orgs.column("kind"))[org_pos]
        mask &= np.isin(kinds, list(rule.organisation_kinds))
    if rule.criticality == "critical":
        mask &= np.asarray(table.critical, dtype=bool)
    return mask


def fingerprint(evidence: Mapping[str, Any]) -> str:
    """A stable hash of the evidence (its items in key order, as Python literals)."""
    blob = repr(sorted(evidence.items()))
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass(frozen=True, eq=False)
class Verdict:
    """Where one rule fires: row numbers into the subject table (evidence not built yet)."""

    applied: AppliedRule
    table: SubjectTable
    org_pos: Any  # row in the organisation table per subject row
    rows: Any

    @property
    def count(self) -> int:
        return len(self.rows)

    def hits(self, orgs: SubjectTable) -> Iterator[Hit]:
        return _hits(
            rule=self.applied.rule,
            params=self.applied.params,
            table=self.table,
            orgs=orgs,
            pos=self.org_pos,
            rows=self.rows,
        )


def verdicts(
    ctx: Context, applied: Sequence[AppliedRule], *, only_orgs: Sequence[int] | None = None
) -> list[Verdict]:
    """Every rule's fired rows, vectorised over the whole scope (no per-subject Python)."""
    orgs = ctx.tables["organisation"]
    out: list[Verdict] = []
    org_pos_cache: dict[str, Any] = {}
    for ar in applied:
        rule = ar.rule
        table = ctx.tables[rule.subject]
        if table.n == 0:
            continue
        pos = org_pos_cache.get(rule.subject)
        if pos is None:
            pos = org_pos_cache[rule.subject] = np.searchsorted(np.asarray(orgs.org), np.asarray(table.org))
        mask = _scope_mask(rule, table, pos, orgs)
        if only_orgs is not None:
            mask &= np.isin(np.asarray(table.org), np.asarray(only_orgs))
        if not mask.any():
            continue
        cols: dict[str, Mapping[str, Any]] = {
            rule.subject: _TableView(table),
            "org": _OrgView(orgs, pos),
            "params": dict(ar.params),
        }
        fired = np.flatnonzero(rule.condition.evaluate(cols, table.n) & mask)
        if len(fired):
            out.append(Verdict(ar, table, pos, fired))
    return out


def evaluate(
    ctx: Context, applied: Sequence[AppliedRule], *, only_orgs: Sequence[int] | None = None
) -> list[Hit]:
    """Every (rule, subject) where the rule is in scope and its condition holds, with evidence."""
    orgs = ctx.tables["organisation"]
    return [hit for v in verdicts(ctx, applied, only_orgs=only_orgs) for hit in v.hits(orgs)]


class _Row(Mapping[Any, Any]):
    """Row ``i`` of a verdict's columns as a read-only mapping (built only when read)."""

    __slots__ = ("cols", "i", "index")

    def __init__(self, index: Mapping[Any, int], cols: Sequence[Sequence[Any]], i: int) -> None:
        self.index, self.cols, self.i = index, cols, i

    def __getitem__(self, name: Any) -> Any:
        return self.cols[self.index[name]][self.i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __repr__(self) -> str:
        return repr(dict(self))


def _hits(
    *, rule: Rule, params: Mapping[str, float], table: SubjectTable, orgs: SubjectTable, pos: Any, rows: Any
) -> Iterator[Hit]:
    refs = sorted(rule.condition.references | rule.placeholders())
    rows = np.asarray(rows)
    columns: list[list[Any]] = []
    for root, name in refs:
        if root == "params":
            columns.append([params[name]] * len(rows))
        elif root == "org":
            columns.append(orgs.values(name, pos[rows]))
        else:
            columns.append(table.values(name, rows))
    names = [f"{a}.{b}" for a, b in refs]
    name_index = {n: j for j, n in enumerate(names)}
    ref_index = {r: j for j, r in enumerate(refs)}
    plain = [[_plain(v) for v in col] for col in columns]
    # the fingerprint hashes the evidence items in name order, as fingerprint() does
    prefixes = [(f"({n!r}, ", plain[j]) for n, j in sorted(name_index.items())]
    subject_keys = [str(k) for k in np.asarray(table.keys, dtype=object)[rows].tolist()] if len(rows) else []
    org_keys = np.asarray(orgs.keys, dtype=object)[pos[rows]].tolist() if len(rows) else []
    qualified, severity, subject = rule.qualified_id, rule.severity, rule.subject
    for i in range(len(rows)):
        blob = "[" + ", ".join(p + repr(col[i]) + ")" for p, col in prefixes) + "]"
        yield Hit(
            rule=qualified,
            severity=severity,
            subject=subject,
            subject_key=subject_keys[i],
            org=org_keys[i],
            evidence=_Row(name_index, plain, i),
            fingerprint=hashlib.sha256(blob.encode()).hexdigest()[:32],
            values=_Row(ref_index, columns, i),
            template=rule,
        )


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return round(v, 4)
    return v
