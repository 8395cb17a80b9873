"""A small vocabulary for hand-made landscapes whose answers are worked out in the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence

from regie.core.analysis import AnalysisOptions, analyse
from regie.core.graph import ScopeGraph
from regie.core.snapshot import Fact, Snapshot, SnapshotBuilder

EU = frozenset({"NL", "IE", "DE"})
GLEIF = Fact("https://api.gleif.org", dt.date(2026, 1, 5), "analyst")
ORG = "gm"


class Land:
    """Wraps the builder: one organisation ``gm``, countries NL/IE/DE (EU), US, CN."""

    def __init__(self) -> None:
        b = self.b = SnapshotBuilder()
        for code, eu in (("NL", True), ("IE", True), ("DE", True), ("US", False), ("CN", False)):
            b.add_country(code, name=code, eu=eu, eea=eu, adequacy=eu)
        b.add_law(
            "cloud",
            name="CLOUD Act",
            country="US",
            triggers=frozenset({"control"}),
            source=Fact("18 U.S.C. 2713"),
        )
        b.add_law("fisa", name="FISA 702", country="US", triggers=frozenset({"control", "access"}))
        b.add_organisation(ORG, code="GM0001", name="Gemeente", kind="municipality", trusted=EU)

    def entity(
        self, key: str, country: str | None, parent: str | None = None, state: str | None = None
    ) -> Land:
        self.b.add_entity(
            key,
            name=key.title(),
            hq_country=country,
            hq_fact=GLEIF,
            reg_country=country,
            reg_fact=GLEIF,
            parent=parent,
            parent_state=state or ("known" if parent else "none"),
            parent_fact=GLEIF if parent else None,
        )
        return self

    def product(
        self,
        key: str,
        supplier: str | None,
        *,
        alternatives: int = 2,
        open_export: bool | None = True,
        refcomps: Sequence[str] = (),
    ) -> Land:
        self.b.add_product(
            key,
            name=key,
            supplier=supplier,
            open_source=False,
            open_export=open_export,
            reference_components=refcomps,
            has_alternatives=alternatives,
        )
        return self

    def service(
        self,
        key: str,
        provider: str | None,
        *,
        rest: str | None = "NL",
        processing: str | None = "NL",
        access: str | None = "NL",
        kind: str = "SaaS",
        product: str | None = None,
        recovery: float | None = None,
        runs_on: Sequence[str] = (),
    ) -> Land:
        locs = {
            r: [(c, GLEIF)]
            for r, c in (("rest", rest), ("processing", processing), ("access", access))
            if c is not None
        }
        self.b.add_service(
            key,
            name=key,
            provider=provider,
            kind=kind,
            product=product,
            locations=locs,
            recovery_hours=recovery,
        )
        for s in runs_on:
            self.b.add_service_dependency(key, s)
        return self

    def process(
        self,
        key: str,
        *,
        critical: bool = True,
        a: int = 3,
        mtd: float | None = 24.0,
        rto: float | None = None,
    ) -> Land:
        self.b.add_process(
            key,
            org=ORG,
            name=key,
            availability=a,
            integrity=2,
            confidentiality=3,
            critical=critical,
            mtd_hours=mtd,
            rto_hours=rto,
            personal_data="bsn",
        )
        return self

    def usage(self, key: str, product: str | None = None, **kw: object) -> Land:
        self.b.add_usage(
            key, org=ORG, name=key, product=product, reference_component=None, status="production", **kw
        )  # type: ignore[arg-type]
        return self

    def group(self, key: str, k: int) -> Land:
        self.b.add_redundancy_group(key, org=ORG, k=k)
        return self

    def needs(self, src: str, *targets: str, group: str | None = None) -> Land:
        """Dependencies by key prefix: p* process, u* usage, anything else a service."""

        def node(key: str) -> tuple[str, Hashable]:
            return (
                ("process", key)
                if key.startswith("p")
                else (("usage", key) if key.startswith("u") else ("service", key))
            )

        for t in targets:
            s, d = node(src), node(t)
            kind = "requires" if s[0] == "process" else ("integration" if d[0] == "usage" else "runs_on")
            self.b.add_dependency(org=ORG, source=s, target=d, kind=kind, group=group)
        return self

    def contract(
        self,
        key: str,
        counterparty: str | None,
        value: float | None,
        *,
        usages: Sequence[str] = (),
        services: Sequence[str] = (),
        **clauses: bool | None,
    ) -> Land:
        self.b.add_contract(
            key,
            org=ORG,
            counterparty=counterparty,
            annual_value=value,
            start=None,
            end=None,
            notice_days=None,
            clauses=clauses,
            usages=usages,
            services=services,
        )
        return self

    def build(self) -> Snapshot:
        return self.b.build()


def two_suppliers() -> Land:
    """Teams on m365 from the Irish subsidiary of a US group, Element on ncloud from a Dutch
    supplier: the starting point of the tests that move usages between them."""
    return (
        Land()
        .entity("msft", "US")
        .entity("msie", "IE", parent="msft")
        .entity("nl", "NL")
        .product("teams", "msie", alternatives=3)
        .product("element", "nl", alternatives=3)
        .service("m365", "msie", product="teams")
        .service("ncloud", "nl", product="element")
    )


def graph(snap: Snapshot) -> ScopeGraph:
    return ScopeGraph.build(snap, snap.orgs_of(None))


def analysis(snap: Snapshot, **kw: object):  # type: ignore[no-untyped-def]
    return analyse(snap, None, AnalysisOptions(detail=True, **kw))  # type: ignore[arg-type]
