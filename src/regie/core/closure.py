"""Dependency closure of one process and the path that explains why a node is in it
(domain.md §3.1): process -> usage -> service -> ... -> provider entity -> parent."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from regie.core.columns import unique
from regie.core.explain import Step, jsonable
from regie.core.graph import ScopeGraph

__all__ = [
    "Closure",
    "Explainer",
    "control_chain",
    "path_to_service",
    "process_closure",
    "walk",
]


def control_chain(graph: ScopeGraph, entity: int) -> list[int]:
    """The entity and its parents up to the ultimate parent (each once; stops on a cycle)."""
    cols = graph.snap.catalogue.cols
    out: list[int] = []
    e = entity
    while e >= 0 and e not in out:
        out.append(e)
        e = int(cols.entity_parent[e]) if cols.entity_parent_state[e] == 0 else -1
    return out


def entity_step(graph: ScopeGraph, e: int) -> Step:
    cols = graph.snap.catalogue.cols
    return Step("entity", cols.entity_keys[e], cols.entity_names[e])


def _node_step(graph: ScopeGraph, node: tuple[str, int]) -> Step:
    snap = graph.snap
    kind, i = node
    if kind == "service":
        cols = snap.catalogue.cols
        return Step("service", cols.service_keys[i], cols.service_names[i])
    if i < graph.n_p:
        p = int(graph.process[i])
        return Step("process", snap.orgs.process_keys[p], snap.orgs.process_names[p])
    u = int(graph.usage[i - graph.n_p])
    return Step("usage", snap.orgs.usage_keys[u], snap.orgs.usage_names[u])


Node = tuple[str, int]  # ("local", local index) or ("service", catalogue index)


@dataclass(frozen=True)
class Walk:
    """Breadth-first walk of one process's closure: visiting order and predecessors."""

    graph: ScopeGraph
    order: tuple[Node, ...]
    prev: dict[Node, Node | None]

    def path(self, node: Node) -> list[Step]:
        out = []
        cur: Node | None = node
        while cur is not None:
            out.append(_node_step(self.graph, cur))
            cur = self.prev[cur]
        return out[::-1]

    def first_service(self, target: Callable[[int], bool]) -> int | None:
        for kind, i in self.order:
            if kind == "service" and target(i):
                return i
        return None

    def first_local(self, target: Callable[[int], bool]) -> int | None:
        for kind, i in self.order:
            if kind == "local" and target(i):
                return i
        return None


def walk(graph: ScopeGraph, p_local: int) -> Walk:
    """BFS from a local process over dependency edges and the supply chain."""
    adj_l = graph.adj_l
    adj_s = graph.adj_s
    sup = graph.snap.catalogue.supply_adj
    start: Node = ("local", p_local)
    prev: dict[Node, Node | None] = {start: None}
    order: list[Node] = []
    queue: deque[Node] = deque([start])
    while queue:
        node = queue.popleft()
        order.append(node)
        kind, i = node
        if kind == "local":
            nxt = [("local", j) for j in adj_l.indices[adj_l.indptr[i] : adj_l.indptr[i + 1]].tolist()]
            nxt += [("service", j) for j in adj_s.indices[adj_s.indptr[i] : adj_s.indptr[i + 1]].tolist()]
        else:
            nxt = [("service", j) for j in sup.indices[sup.indptr[i] : sup.indptr[i + 1]].tolist()]
        for n in nxt:
            if n not in prev:
                prev[n] = node
                queue.append(n)
    return Walk(graph, tuple(order), prev)


def path_to_service(graph: ScopeGraph, p_local: int, target: Callable[[int], bool]) -> list[Step] | None:
    """Shortest path from a local process to the first service for which ``target`` holds."""
    w = walk(graph, p_local)
    s = w.first_service(target)
    return None if s is None else w.path(("service", s))


@dataclass(frozen=True)
class Closure:
    """Everything one process depends on, at any depth."""

    process: Hashable
    usages: tuple[Hashable, ...]
    services: tuple[Hashable, ...]
    entities: tuple[Hashable, ...]  # providers, product suppliers and their control chains
    groups: tuple[Hashable, ...]  # ultimate parents (keys of the root entities)

    def to_dict(self) -> dict[str, Any]:
        return {k: jsonable(v) for k, v in self.__dict__.items()}


def process_closure(graph: ScopeGraph, process: Hashable) -> Closure:
    snap = graph.snap
    cat = snap.catalogue
    cols = cat.cols
    p = snap.process_index[process]
    p_local = int(p + graph.process_offset[snap.orgs.process_org[p]])
    us = graph.process_usages[[p_local]].indices
    ss = graph.process_services[[p_local]].indices
    gu = graph.usage[us]
    prods = np.concatenate([snap.orgs.usage_product[gu], cols.service_product[ss]])
    prods = prods[prods >= 0]
    ents = np.concatenate([cols.service_provider[ss], cols.product_supplier[prods]])
    ents = unique(ents[ents >= 0])
    allents: list[int] = []
    for e in ents.tolist():
        for x in control_chain(graph, e):
            if x not in allents:
                allents.append(x)
    groups = sorted({int(cat.entity_group[e]) for e in ents.tolist()})
    return Closure(
        process=process,
        usages=tuple(snap.orgs.usage_keys[u] for u in gu.tolist()),
        services=tuple(cols.service_keys[s] for s in ss.tolist()),
        entities=tuple(cols.entity_keys[e] for e in allents),
        groups=tuple(cols.entity_keys[cat.group_entity[g]] for g in groups),
    )


class Explainer:
    """Explaining paths for a whole scope at once.

    For a set of *witness* nodes (services with a fact, usages on no service), one
    breadth-first search on the reversed graph from a virtual source joined to every
    witness gives each node its next hop towards the nearest witness; the path of any
    process is then read off by following next hops. One search per fact instead of one
    per process keeps detailed evidence cheap.
    """

    def __init__(self, graph: ScopeGraph) -> None:
        self.graph = graph
        cat = graph.snap.catalogue
        n_l = graph.n_l
        direct = unique(graph.adj_s.indices, bound=cat.n_services)
        used = unique(cat.service_reach[direct].indices, bound=cat.n_services) if len(direct) else direct
        self.used = used
        pos = np.full(cat.n_services, -1, dtype=np.int64)
        pos[used] = np.arange(len(used)) + n_l
        self.service_pos = pos
        n = n_l + len(used) + 1  # the last node is the virtual source
        self.n = n
        ls = graph.adj_s.tocoo()
        sup = cat.supply_adj[used][:, used].tocoo()
        ll = graph.adj_l.tocoo()
        rows = np.concatenate([ll.row, ls.row, sup.row + n_l])
        cols = np.concatenate([ll.col, pos[ls.col], sup.col + n_l])
        # reversed: an edge from each dependency to its dependant
        self.rev = sp.csr_array((np.ones(len(rows), dtype=np.int8), (cols, rows)), shape=(n, n))
        self._steps: dict[int, Step] = {}

    def node_step(self, node: int) -> Step:
        step = self._steps.get(node)
        if step is None:
            g = self.graph
            if node < g.n_l:
                step = _node_step(g, ("local", node))
            else:
                step = _node_step(g, ("service", int(self.used[node - g.n_l])))
            self._steps[node] = step
        return step

    def next_hops(self, services: Any = None, locals_: Any = None) -> Any:
        """Next hop towards the nearest witness for every node (-1: no witness reachable)."""
        src = self.n - 1
        targets = []
        if services is not None:
            p = self.service_pos[np.nonzero(services)[0]]
            targets.append(p[p >= 0])
        if locals_ is not None:
            targets.append(np.nonzero(locals_)[0])
        t = np.concatenate(targets) if targets else np.zeros(0, dtype=np.int64)
        extra = sp.csr_array(
            (np.ones(len(t), dtype=np.int8), (np.full(len(t), src), t)), shape=(self.n, self.n)
        )
        _, pred = breadth_first_order(
            (self.rev + extra).tocsr(), src, directed=True, return_predecessors=True
        )
        return pred

    def path(self, pred: Any, node: int) -> list[Step] | None:
        """Steps from a local node to its nearest witness (None when none is reachable)."""
        src = self.n - 1
        if pred[node] < 0:
            return None
        out = []
        cur = node
        while cur != src:
            out.append(self.node_step(cur))
            cur = int(pred[cur])
        return out

    def witness(self, pred: Any, node: int) -> int:
        """The witness the path of a local node ends on (a local node or a catalogue service)."""
        src = self.n - 1
        cur = node
        while int(pred[cur]) != src:
            cur = int(pred[cur])
        return cur if cur < self.graph.n_l else int(self.used[cur - self.graph.n_l])
