"""Benchmark of the policy evaluation (no database): ``run_policy_bench(scale)``.

Measures, on a synthetic landscape (``regie.core.synthetic``), the engine analysis of every
organisation (for reference: the engine's own cost), the policy context built from it, the
verdicts of "Regie basis" over every subject, and the evidence and messages of every hit.
Then the re-evaluation after one edit, as ``findings_refresh`` does it: one organisation
rebuilt on the shared catalogue, analysed, its context built and every rule evaluated with
evidence. Policy figures exclude the engine's analysis, which is reported beside them.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.bench import org_snapshot
from regie.core.synthetic import synthetic_snapshot

from .context import build_context
from .evaluate import AppliedRule, evaluate, verdicts
from .rules import builtin_rulesets

__all__ = ["run_policy_bench"]


def _applied() -> list[AppliedRule]:
    rs = builtin_rulesets()["regie-basis"]
    return [AppliedRule(r, {k: p.default for k, p in r.parameters.items()}) for r in rs.rules]


def run_policy_bench(scale: str = "national", *, edits: int = 5) -> dict[str, Any]:
    applied = _applied()
    snap = synthetic_snapshot(scale)
    t = time.perf_counter()
    analysis = analyse(snap, None, AnalysisOptions(detail=False))
    engine_s = time.perf_counter() - t
    t = time.perf_counter()
    ctx = build_context(analysis)
    context_s = time.perf_counter() - t
    t = time.perf_counter()
    found = verdicts(ctx, applied)
    verdicts_s = time.perf_counter() - t
    hits = sum(v.count for v in found)
    # one edit: re-evaluate one organisation (evenly spread sample), with evidence and messages
    step = max(snap.n_orgs // edits, 1)
    engine_one, policy_one = [], []
    for org in range(0, snap.n_orgs, step)[:edits]:
        t = time.perf_counter()
        one = org_snapshot(snap, org)
        a = analyse(one, [snap.orgs.org_keys[org]], AnalysisOptions(detail=False))
        t2 = time.perf_counter()
        org_hits = evaluate(build_context(a), applied)
        policy_one.append(time.perf_counter() - t2)
        engine_one.append(t2 - t)
    return {
        "scale": scale,
        "organisations": snap.n_orgs,
        "processes": snap.n_processes,
        "usages": snap.n_usages,
        "rules": len(applied),
        "hits": hits,
        "engine_analysis_s": round(engine_s, 3),
        "policy_context_s": round(context_s, 3),
        "policy_verdicts_s": round(verdicts_s, 3),
        "policy_total_s": round(context_s + verdicts_s, 3),
        "edit_policy_ms_median": round(1000 * statistics.median(policy_one), 1),
        "edit_engine_ms_median": round(1000 * statistics.median(engine_one), 1),
        "edit_hits_last": len(org_hits),
    }
