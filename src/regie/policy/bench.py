"""Benchmark of the policy evaluation (no database): ``run_policy_bench(scale)``.

What is timed, each as wall and CPU seconds (CPU counts every thread of the process):

* ``engine``: the engine's analysis of every organisation of the synthetic landscape
  (``regie.core.synthetic``), the input of the rules; not part of the policy target;
* ``rules``: evaluating "Regie basis" given the engine's results: the subject columns
  built from the Analysis (``context``) plus every rule's condition over them
  (``verdicts``); the target (≤ 2 s at national scale) is for this figure;
* ``end_to_end``: engine plus rules;
* ``evidence``: the findings of every hit in the form the findings lifecycle reads them
  (``Verdict.findings``): subject and organisation keys and the fingerprint of every hit,
  computed per column (``policy/fingerprints.py``), and each hit's evidence as a view on
  its verdict's columns, read when a finding is written (as are the messages);
* ``findings``: engine + rules + evidence, the national evaluation with its findings;
* ``hit_objects``: one ``Hit`` object per hit on top of that (a refresh builds them for the
  one organisation it applies; the national evaluation needs none), reported beside;
* ``edit``: one edit as a refresh handles it, for a sample of organisations: the edited
  organisation rebuilt on the shared catalogue and analysed (``engine``), its subjects
  evaluated with evidence and compared with its previous findings (``policy``). The edit
  makes every clause of the organisation's first contract good (unilateral change "no",
  the others "yes"). Before editing, the organisation's own evaluation is checked against
  the national one (``agrees_with_national``).

The machine is shared and noisy: ``baseline`` times a fixed numpy workload in the same
process, and every figure is also given as a multiple of it (``x_baseline``).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from regie.core.analysis import Analysis, AnalysisOptions, analyse
from regie.core.bench import baseline, reanalyse
from regie.core.snapshot import Snapshot
from regie.core.subset import org_columns
from regie.core.synthetic import synthetic_snapshot

from .context import build_context
from .engine import group_words, reused, spof_rows
from .evaluate import AppliedRule, Hit, evaluate, verdicts
from .fingerprints import fingerprint
from .rules import builtin_rulesets

__all__ = ["diff_hits", "run_policy_bench"]

Key = tuple[str, str, str]


def _applied() -> list[AppliedRule]:
    rs = builtin_rulesets()["regie-basis"]
    return [AppliedRule(r, {k: p.default for k, p in r.parameters.items()}) for r in rs.rules]


class _Clock:
    """Wall and CPU time of one block."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def diff_hits(before: Sequence[Hit], after: Sequence[Hit]) -> dict[str, set[Key]]:
    """Which findings an update would open, change or resolve going from ``before`` to
    ``after`` (by rule, subject kind and key; changed: another fingerprint or severity)."""
    old = {(h.rule, h.subject, h.subject_key): h for h in before}
    new = {(h.rule, h.subject, h.subject_key): h for h in after}
    changed = {
        k
        for k in old.keys() & new.keys()
        if (old[k].fingerprint, old[k].severity) != (new[k].fingerprint, new[k].severity)
    }
    return {"opened": new.keys() - old.keys(), "changed": changed, "resolved": old.keys() - new.keys()}


def _timed(fn: Callable[[], Any]) -> tuple[Any, _Clock]:
    with _Clock() as c:
        out = fn()
    return out, c


def _edit(
    snap: Snapshot, org: int, applied: Sequence[AppliedRule], national: Any, options: AnalysisOptions
) -> dict[str, Any]:
    key: Hashable = snap.orgs.org_keys[org]
    previous = evaluate(national, applied, only_orgs=[org])
    as_of = national.as_of
    # before the edit: the organisation's own evaluation equals the national one
    alone = Snapshot.from_arrays(snap.catalogue, org_columns(snap, org))
    own = evaluate(build_context(analyse(alone, [key], options), as_of=as_of), applied)
    agrees = _same(own, previous)
    with _Clock() as engine:
        a: Analysis = reanalyse(snap, org, options)
    with _Clock() as policy:
        hits = evaluate(build_context(a, as_of=as_of), applied)
        moves = diff_hits(previous, hits)
    return {"engine": engine, "policy": policy, "agrees": agrees, "moves": moves, "hits": len(hits)}


def _same(a: Sequence[Hit], b: Sequence[Hit]) -> bool:
    def rows(hits: Sequence[Hit]) -> set[tuple[Any, ...]]:
        return {(h.rule, h.subject_key, h.fingerprint, h.message_nl, h.message_en) for h in hits}

    return rows(a) == rows(b)


def _fig(c: _Clock, base: float) -> dict[str, float]:
    return {"wall_s": round(c.wall, 3), "cpu_s": round(c.cpu, 3), "x_baseline": round(c.wall / base, 1)}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _checked(findings: Sequence[Any], sample: int = 2000) -> bool:
    """Fingerprints of a sample of hits (spread over every verdict) equal the per-hit definition."""
    for f in findings:
        for i in np.linspace(0, len(f) - 1, min(len(f), max(sample // max(len(findings), 1), 1))).astype(int):
            hit = f.hit(int(i))
            if hit.fingerprint != fingerprint(dict(hit.evidence)):
                return False
    return True


def run_policy_bench(scale: str = "national", *, edits: int = 5) -> dict[str, Any]:
    load_before = _load()
    applied = _applied()
    snap = synthetic_snapshot(scale)
    options = AnalysisOptions(detail=False)
    base = baseline()
    analysis, engine = _timed(lambda: analyse(snap, None, options))
    ctx, context = _timed(lambda: build_context(analysis))
    found, verdict = _timed(lambda: verdicts(ctx, applied))
    orgs = ctx.tables["organisation"]
    findings, evidence = _timed(lambda: [v.findings(orgs) for v in found])
    n_objects, objects = _timed(lambda: sum(1 for f in findings for _ in f))
    crit = np.flatnonzero(snap.orgs.process_critical[analysis.graph.process]).astype(np.int32)
    _, recomputed = _timed(lambda: (group_words(analysis, crit), spof_rows(analysis, crit)))
    rules = _Clock()
    rules.wall, rules.cpu = context.wall + verdict.wall, context.cpu + verdict.cpu
    end_to_end = _Clock()
    end_to_end.wall, end_to_end.cpu = engine.wall + rules.wall, engine.cpu + rules.cpu
    total = _Clock()
    total.wall, total.cpu = end_to_end.wall + evidence.wall, end_to_end.cpu + evidence.cpu
    load_national = _load()
    checked = _checked(findings)
    step = max(snap.n_orgs // edits, 1)
    runs = [_edit(snap, org, applied, ctx, options) for org in range(0, snap.n_orgs, step)[:edits]]

    def median(part: str, attr: str) -> float:
        return round(1000 * statistics.median(float(getattr(r[part], attr)) for r in runs), 1)

    return {
        "scale": scale,
        "organisations": snap.n_orgs,
        "processes": snap.n_processes,
        "usages": snap.n_usages,
        "contracts": len(snap.orgs.contract_keys),
        "rules": len(applied),
        "hits": sum(v.count for v in found),
        "baseline_s": round(base, 4),
        "baseline": "numpy sort and reduceat of 2,000,000 floats, best of 3 (same process)",
        "national": {
            "engine": _fig(engine, base),
            "rules": _fig(rules, base),
            "rules_context": _fig(context, base),
            "rules_verdicts": _fig(verdict, base),
            "rules_context_engine_part": {**_fig(recomputed, base), "reused": reused(analysis)},
            "end_to_end": _fig(end_to_end, base),
            "evidence": {**_fig(evidence, base), "hits": sum(len(f) for f in findings)},
            "findings": {**_fig(total, base), "fingerprints_match_per_hit_definition": checked},
            "hit_objects": {**_fig(objects, base), "hits": n_objects},
        },
        "load_average": {"start": load_before, "after_national": load_national, "end": _load()},
        "cpus": os.cpu_count(),
        "edit": {
            "sampled_organisations": len(runs),
            "policy_ms_median": median("policy", "wall"),
            "policy_cpu_ms_median": median("policy", "cpu"),
            "engine_ms_median": median("engine", "wall"),
            "engine_cpu_ms_median": median("engine", "cpu"),
            "total_ms_median": round(
                1000 * statistics.median(r["engine"].wall + r["policy"].wall for r in runs), 1
            ),
            "hits_median": statistics.median(r["hits"] for r in runs),
            "findings_moved": [{k: len(v) for k, v in r["moves"].items()} for r in runs],
            "agrees_with_national": all(r["agrees"] for r in runs),
        },
        "timed": {
            "engine": "analyse() of every organisation (input to the rules; not in the target)",
            "rules": "build_context() from the Analysis + verdicts() of every rule: the 2 s target",
            "rules_context_engine_part": "of the context: group masks and single points of failure of the"
            " critical processes, computed again unless the Analysis keeps them (timed apart)",
            "end_to_end": "engine + rules",
            "evidence": "Verdict.findings() of every verdict: keys and fingerprint of every hit"
            " (per column), evidence as views read when written (as are the messages)",
            "findings": "engine + rules + evidence: the national evaluation with every hit's finding"
            " data (a sample's fingerprints checked against the per-hit definition, untimed)",
            "hit_objects": "one Hit object per hit over those columns (a refresh needs them for"
            " one organisation only), beside the figures",
            "load_average": "os.getloadavg() (1, 5, 15 min) of the machine around the runs",
            "edit.engine": "edited organisation rebuilt on the shared catalogue and analysed",
            "edit.policy": "its context, every rule with evidence, compared with its previous findings",
        },
    }
