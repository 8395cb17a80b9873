"""Evaluate rules over a context: which subjects each rule fires on, with evidence and messages.

Pure (no database): the same function serves findings, scenarios and the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .context import Context, SubjectTable, org_rows
from .fingerprints import fingerprint, fold, plain, scalar_words
from .rules import Rule

__all__ = ["AppliedRule", "Findings", "Hit", "Verdict", "evaluate", "fingerprint", "verdicts"]


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
        return iter(self.orgs.fields)

    def __len__(self) -> int:
        return len(self.orgs.fields)


class _TableView(Mapping[str, Any]):
    def __init__(self, table: SubjectTable) -> None:
        self.table = table

    def __getitem__(self, name: str) -> Any:
        return self.table.condition_column(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.fields)

    def __len__(self) -> int:
        return len(self.table.fields)


def _scope_mask(rule: Rule, table: SubjectTable, org_pos: Any, orgs: SubjectTable) -> Any:
    mask = np.ones(table.n, dtype=bool)
    if rule.organisation_kinds:
        kinds = np.asarray(orgs.column("kind"))[org_pos]
        mask &= np.isin(kinds, list(rule.organisation_kinds))
    if rule.criticality == "critical":
        mask &= np.asarray(table.critical, dtype=bool)
    return mask


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
        return iter(self.findings(orgs))

    def findings(self, orgs: SubjectTable) -> Findings:
        """Every hit's keys and fingerprint as columns (evidence read per hit)."""
        return _findings(
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
    lut = org_rows(np.asarray(orgs.org))
    for ar in applied:
        rule = ar.rule
        table = ctx.tables[rule.subject]
        if table.n == 0:
            continue
        pos = org_pos_cache.get(rule.subject)
        if pos is None:
            pos = org_pos_cache[rule.subject] = lut[np.asarray(table.org, dtype=np.intp)]
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


class _Const(Sequence[Any]):
    """The same value for every row (a parameter)."""

    __slots__ = ("n", "value")

    def __init__(self, value: Any, n: int) -> None:
        self.value, self.n = value, n

    def __getitem__(self, i: Any) -> Any:
        return self.value

    def __len__(self) -> int:
        return self.n


class _Row(Mapping[Any, Any]):
    """Row ``i`` of a verdict's columns as a read-only mapping (values converted when read)."""

    __slots__ = ("cols", "conv", "i", "index")

    def __init__(
        self, index: Mapping[Any, int], cols: Sequence[Sequence[Any]], i: int, conv: Callable[[Any], Any]
    ) -> None:
        self.index, self.cols, self.i, self.conv = index, cols, i, conv

    def __getitem__(self, name: Any) -> Any:
        return self.conv(self.cols[self.index[name]][self.i])

    def __iter__(self) -> Iterator[Any]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __repr__(self) -> str:
        return repr(dict(self))


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


class _Lazy(Sequence[Any]):
    """A field's values for a verdict's rows, read from its table when first used (a
    refresh reads them for the findings it writes; the fingerprints do not need them)."""

    __slots__ = ("name", "rows", "table", "values")

    def __init__(self, table: SubjectTable, name: str, rows: Any) -> None:
        self.table, self.name, self.rows = table, name, rows
        self.values: Any = None

    def __getitem__(self, i: Any) -> Any:
        if self.values is None:
            self.values = self.table.evidence(self.name, self.rows)
        return self.values[i]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, eq=False)
class Findings:
    """One verdict's hits as columns: subject and organisation keys and fingerprints, all
    computed at once; a hit's evidence and message values are views read when used."""

    rule: Rule
    refs: list[tuple[str, str]]
    columns: list[Sequence[Any]]
    subject_keys: Any  # object array
    org_keys: Any  # object array
    fingerprints: Any  # S32 array (ASCII)

    def __len__(self) -> int:
        return len(self.fingerprints)

    def hit(self, i: int) -> Hit:
        rule = self.rule
        return Hit(
            rule=rule.qualified_id,
            severity=rule.severity,
            subject=rule.subject,
            subject_key=str(self.subject_keys[i]),
            org=self.org_keys[i],
            evidence=_Row(self._names, self.columns, i, plain),
            fingerprint=self.fingerprints[i].decode("ascii"),
            values=_Row(self._refs, self.columns, i, _py),
            template=rule,
        )

    @property
    def _names(self) -> dict[str, int]:
        return {f"{a}.{b}": j for j, (a, b) in enumerate(self.refs)}

    @property
    def _refs(self) -> dict[tuple[str, str], int]:
        return {r: j for j, r in enumerate(self.refs)}

    def __iter__(self) -> Iterator[Hit]:
        names, refs, rule = self._names, self._refs, self.rule
        keys = self.subject_keys.tolist()
        orgs = self.org_keys.tolist()
        fps = self.fingerprints.astype("U32").tolist()
        qualified, severity, subject = rule.qualified_id, rule.severity, rule.subject
        for i in range(len(fps)):
            yield Hit(
                rule=qualified,
                severity=severity,
                subject=subject,
                subject_key=str(keys[i]),
                org=orgs[i],
                evidence=_Row(names, self.columns, i, plain),
                fingerprint=fps[i],
                values=_Row(refs, self.columns, i, _py),
                template=rule,
            )


def _findings(
    *, rule: Rule, params: Mapping[str, float], table: SubjectTable, orgs: SubjectTable, pos: Any, rows: Any
) -> Findings:
    refs = sorted(rule.condition.references | rule.placeholders())
    rows = np.asarray(rows)
    n = len(rows)
    org_rows = pos[rows]
    columns: list[Sequence[Any]] = []
    words: list[Any] = []
    for root, name in refs:
        if root == "params":
            columns.append(_Const(params[name], n))
            words.append(scalar_words(params[name]))
            continue
        t, r = (orgs, org_rows) if root == "org" else (table, rows)
        columns.append(_Lazy(t, name, r))
        words.append(t.words(name, r))
    names = [f"{a}.{b}" for a, b in refs]
    return Findings(
        rule=rule,
        refs=refs,
        columns=columns,
        subject_keys=np.asarray(table.keys, dtype=object)[rows],
        org_keys=np.asarray(orgs.keys, dtype=object)[org_rows],
        fingerprints=fold(names, words, n),
    )
