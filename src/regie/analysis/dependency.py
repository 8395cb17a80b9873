"""The dependency view: the paths of one process, or to one provider group, as a layered graph
(process → application → service → … → provider → parent) laid out for a server-rendered SVG.

Nodes and edges come from the engine's scope graph and catalogue; nothing here decides what
depends on what. The layout is deterministic: a node's column is its distance from the
processes along the shortest path; legal entities follow the services, parents after children.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from regie.core.analysis import Analysis
from regie.core.closure import Node, Walk, control_chain, walk
from regie.core.graph import ScopeGraph

NodeId = tuple[str, Hashable]  # (kind, key): kind is process, usage, service or entity

COLUMN_WIDTH = 240
NODE_WIDTH = 190
NODE_HEIGHT = 40
ROW_HEIGHT = 56
MARGIN = 12
MAX_LABEL = 26


@dataclass
class GraphNode:
    id: NodeId
    name: str
    layer: int
    row: int = 0
    highlight: bool = False

    @property
    def kind(self) -> str:
        return self.id[0]

    @property
    def key(self) -> Hashable:
        return self.id[1]

    @property
    def x(self) -> int:
        return MARGIN + self.layer * COLUMN_WIDTH

    @property
    def y(self) -> int:
        return MARGIN + self.row * ROW_HEIGHT

    @property
    def label(self) -> str:
        return self.name if len(self.name) <= MAX_LABEL else self.name[: MAX_LABEL - 1] + "…"


@dataclass(frozen=True)
class GraphEdge:
    source: NodeId
    target: NodeId
    kind: str  # depends, runs_on, supply, provider, supplier, parent


@dataclass
class DependencyGraph:
    nodes: dict[NodeId, GraphNode] = field(default_factory=dict)
    edges: set[GraphEdge] = field(default_factory=set)

    def add_node(self, nid: NodeId, name: str, layer: int) -> None:
        node = self.nodes.get(nid)
        if node is None:
            self.nodes[nid] = GraphNode(nid, name, layer)
        elif layer < node.layer:
            node.layer = layer

    def add_edge(self, source: NodeId, target: NodeId, kind: str) -> None:
        if source != target:
            self.edges.add(GraphEdge(source, target, kind))

    def layout(self) -> DependencyGraph:
        """Assign rows within each column (kind, then name) and return self."""
        by_layer: dict[int, list[GraphNode]] = {}
        for n in self.nodes.values():
            by_layer.setdefault(n.layer, []).append(n)
        order = {"process": 0, "usage": 1, "service": 2, "entity": 3}
        for nodes in by_layer.values():
            nodes.sort(key=lambda n: (order.get(n.kind, 9), n.name, str(n.key)))
            for i, n in enumerate(nodes):
                n.row = i
        return self

    @property
    def width(self) -> int:
        layers = max((n.layer for n in self.nodes.values()), default=0)
        return 2 * MARGIN + layers * COLUMN_WIDTH + NODE_WIDTH

    @property
    def height(self) -> int:
        rows = max((n.row for n in self.nodes.values()), default=0)
        return 2 * MARGIN + rows * ROW_HEIGHT + NODE_HEIGHT

    def sorted_nodes(self) -> list[GraphNode]:
        return sorted(self.nodes.values(), key=lambda n: (n.layer, n.row))

    def sorted_edges(self) -> list[GraphEdge]:
        return sorted(self.edges, key=lambda e: (str(e.source), str(e.target), e.kind))

    def edge_rows(self) -> list[tuple[GraphNode, str, GraphNode]]:
        return [(self.nodes[e.source], e.kind, self.nodes[e.target]) for e in self.sorted_edges()]

    def edge_paths(self) -> list[tuple[GraphEdge, str]]:
        """SVG path data for each edge: a curve from the right of the source to the left of the
        target; edges within a column or backwards arc around."""
        out = []
        for e in self.sorted_edges():
            s, t = self.nodes[e.source], self.nodes[e.target]
            sy, ty = s.y + NODE_HEIGHT // 2, t.y + NODE_HEIGHT // 2
            if t.layer > s.layer:
                x1, x2 = s.x + NODE_WIDTH, t.x
                mid = (x1 + x2) // 2
                d = f"M{x1},{sy} C{mid},{sy} {mid},{ty} {x2},{ty}"
            else:
                x1, x2 = s.x + NODE_WIDTH, t.x + NODE_WIDTH
                bulge = max(x1, x2) + 40
                d = f"M{x1},{sy} C{bulge},{sy} {bulge},{ty} {x2},{ty}"
            out.append((e, d))
        return out


def _local_step(graph: ScopeGraph, i: int) -> tuple[NodeId, str]:
    snap = graph.snap
    if i < graph.n_p:
        p = int(graph.process[i])
        return ("process", snap.orgs.process_keys[p]), snap.orgs.process_names[p]
    u = int(graph.usage[i - graph.n_p])
    return ("usage", snap.orgs.usage_keys[u]), snap.orgs.usage_names[u]


def _node(graph: ScopeGraph, node: Node) -> tuple[NodeId, str]:
    kind, i = node
    if kind == "service":
        cols = graph.snap.catalogue.cols
        return ("service", cols.service_keys[i]), cols.service_names[i]
    return _local_step(graph, i)


def _add_entities(
    g: DependencyGraph, graph: ScopeGraph, services: Iterable[int], usages: Iterable[int]
) -> None:
    """Providers of the services and suppliers of the usages' products, with control chains."""
    cat = graph.snap.catalogue
    cols = cat.cols
    base = max((n.layer for n in g.nodes.values()), default=0) + 1

    def chain(owner: NodeId, entity: int, kind: str) -> None:
        prev = owner
        for depth, e in enumerate(control_chain(graph, entity)):
            nid: NodeId = ("entity", cols.entity_keys[e])
            g.add_node(nid, cols.entity_names[e], base + depth)
            g.add_edge(prev, nid, kind if depth == 0 else "parent")
            prev = nid

    for s in services:
        prov = int(cols.service_provider[s])
        if prov >= 0:
            chain(("service", cols.service_keys[s]), prov, "provider")
    o = graph.snap.orgs
    for u_local in usages:
        u = int(graph.usage[u_local])
        prod = int(o.usage_product[u])
        sup = int(cols.product_supplier[prod]) if prod >= 0 else -1
        if sup >= 0:
            chain(("usage", o.usage_keys[u]), sup, "supplier")


def _p_local(graph: ScopeGraph, process: Hashable) -> int:
    snap = graph.snap
    p = snap.process_index[process]
    return int(p + graph.process_offset[snap.orgs.process_org[p]])


def _depths(w: Walk) -> dict[Node, int]:
    depth: dict[Node, int] = {}
    for n in w.order:
        prev = w.prev[n]
        depth[n] = 0 if prev is None else depth[prev] + 1
    return depth


def process_graph(analysis: Analysis, process: Hashable) -> DependencyGraph:
    """Everything one process depends on, with every edge between those nodes."""
    graph = analysis.graph
    sup = graph.snap.catalogue.supply_adj
    w = walk(graph, _p_local(graph, process))
    depth = _depths(w)
    g = DependencyGraph()
    for n in w.order:
        nid, name = _node(graph, n)
        g.add_node(nid, name, depth[n])
    g.nodes[_node(graph, w.order[0])[0]].highlight = True
    in_closure = set(w.order)
    for n in w.order:
        kind, i = n
        src = _node(graph, n)[0]
        if kind == "local":
            targets: list[Node] = [
                ("local", j)
                for j in graph.adj_l.indices[graph.adj_l.indptr[i] : graph.adj_l.indptr[i + 1]].tolist()
            ]
            targets += [
                ("service", j)
                for j in graph.adj_s.indices[graph.adj_s.indptr[i] : graph.adj_s.indptr[i + 1]].tolist()
            ]
        else:
            targets = [("service", j) for j in sup.indices[sup.indptr[i] : sup.indptr[i + 1]].tolist()]
        for t in targets:
            if t in in_closure:
                edge_kind = "supply" if kind == "service" else ("runs_on" if t[0] == "service" else "depends")
                g.add_edge(src, _node(graph, t)[0], edge_kind)
    services = [i for k, i in w.order if k == "service"]
    usages = [i - graph.n_p for k, i in w.order if k == "local" and i >= graph.n_p]
    _add_entities(g, graph, services, usages)
    return g.layout()


def supplier_graph(analysis: Analysis, entity: Hashable) -> DependencyGraph:
    """The paths from the organisation's processes to the services and products of the
    provider group that ``entity`` belongs to (its ultimate parent's group)."""
    graph = analysis.graph
    cat = graph.snap.catalogue
    o = graph.snap.orgs
    gid = cat.group_of_entity_key(entity)
    g = DependencyGraph()
    hit_services: set[int] = set()
    hit_usages: set[int] = set()
    for p_local in range(graph.n_p):
        w = walk(graph, p_local)
        targets: list[Node] = []
        for kind, i in w.order:
            if kind == "service" and (cat.service_group[i] == gid or cat.service_product_group[i] == gid):
                targets.append((kind, i))
                hit_services.add(i)
            elif kind == "local" and i >= graph.n_p:
                prod = int(o.usage_product[graph.usage[i - graph.n_p]])
                if prod >= 0 and cat.product_group[prod] == gid:
                    targets.append((kind, i))
                    hit_usages.add(i - graph.n_p)
        for t in targets:
            path = []
            cur: Node | None = t
            while cur is not None:
                path.append(cur)
                cur = w.prev[cur]
            path.reverse()
            for layer, n in enumerate(path):
                nid, name = _node(graph, n)
                g.add_node(nid, name, layer)
                if layer:
                    prev_kind = path[layer - 1][0]
                    edge_kind = (
                        "supply"
                        if prev_kind == "service"
                        else ("runs_on" if n[0] == "service" else "depends")
                    )
                    g.add_edge(_node(graph, path[layer - 1])[0], nid, edge_kind)
    _add_entities(
        g,
        graph,
        sorted(s for s in hit_services if cat.service_group[s] == gid),
        sorted(u for u in hit_usages),
    )
    root_key = cat.cols.entity_keys[cat.group_entity[gid]]
    for gn in g.nodes.values():
        if gn.kind == "entity" and gn.key == root_key:
            gn.highlight = True
    return g.layout()
