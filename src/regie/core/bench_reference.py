"""A plain reference propagation for the benchmark: one failure at a time, on adjacency
lists, with a worklist (what a networkx BFS propagation would do). Deliberately simple;
used to time the engine against and to check that both agree."""

from __future__ import annotations

from collections import deque

import numpy as np

from regie.core.columns import NODE_PROCESS, NODE_SERVICE, NODE_USAGE
from regie.core.snapshot import Snapshot

__all__ = ["ReferenceGraph"]


class ReferenceGraph:
    """Reverse adjacency lists of the whole snapshot: who depends on each node, and how."""

    def __init__(self, snap: Snapshot) -> None:
        o = snap.orgs
        cat = snap.catalogue
        self.n_p = snap.n_processes
        self.n_u = snap.n_usages
        self.n_s = cat.n_services
        base = {NODE_PROCESS: 0, NODE_USAGE: self.n_p, NODE_SERVICE: self.n_p + self.n_u}
        active = snap.usage_active.tolist()
        n = self.n_p + self.n_u + self.n_s
        self.required_by: list[list[int]] = [[] for _ in range(n)]
        self.member_of: list[list[int]] = [[] for _ in range(n)]
        slots: dict[tuple[int, int], set[int]] = {}
        self.slot_owner: list[int] = []
        self.slot_threshold: list[int] = []
        rows = zip(
            o.dep_src_kind.tolist(),
            o.dep_src.tolist(),
            o.dep_dst_kind.tolist(),
            o.dep_dst.tolist(),
            o.dep_group.tolist(),
            strict=True,
        )
        for sk, s, tk, t, g in rows:
            if (sk == NODE_USAGE and not active[s]) or (tk == NODE_USAGE and not active[t]):
                continue
            src = base[sk] + s
            dst = base[tk] + t
            if g < 0:
                self.required_by[dst].append(src)
            else:
                slots.setdefault((g, src), set()).add(dst)
        k_of = o.rgroup_k.tolist()
        for (g, src), members in slots.items():
            j = len(self.slot_owner)
            k = min(max(k_of[g], 1), len(members))
            self.slot_owner.append(src)
            self.slot_threshold.append(len(members) - k + 1)
            for m in members:
                self.member_of[m].append(j)
        sb = base[NODE_SERVICE]
        for a, b in zip(cat.cols.supply_src.tolist(), cat.cols.supply_dst.tolist(), strict=True):
            self.required_by[sb + b].append(sb + a)
        self.service_base = sb

    def failed_processes(self, services: list[int]) -> set[int]:
        """Processes that fail when these services fail (least fixed point)."""
        failed: set[int] = set()
        counts = [0] * len(self.slot_owner)
        queue = deque(self.service_base + s for s in services)
        failed.update(queue)
        while queue:
            node = queue.popleft()
            for d in self.required_by[node]:
                if d not in failed:
                    failed.add(d)
                    queue.append(d)
            for j in self.member_of[node]:
                counts[j] += 1
                if counts[j] == self.slot_threshold[j]:
                    d = self.slot_owner[j]
                    if d not in failed:
                        failed.add(d)
                        queue.append(d)
        return {x for x in failed if x < self.n_p}

    @staticmethod
    def services_of_groups(snap: Snapshot) -> dict[int, list[int]]:
        g = snap.catalogue.service_group
        out: dict[int, list[int]] = {}
        for s in np.nonzero(g >= 0)[0].tolist():
            out.setdefault(int(g[s]), []).append(s)
        return out
