"""Build the demo: the reference bundle, the invented catalogue, 41 organisations and users.

    from regie.demo.build import build_demo
    report = build_demo(seed=2026)

The same seed gives the same data: every choice comes from one ``random.Random(seed)`` and
every date from :data:`REFERENCE_DATE`, never from today.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import transaction

from regie.reference.bundle import load_bundle
from regie.register import services
from regie.register.models import (
    Contract,
    DataSet,
    Dependency,
    ExitPlan,
    LegalEntity,
    Organisation,
    Process,
    Product,
    Service,
    ServiceDependency,
    Usage,
)

from . import fictional
from .catalogue_index import load_catalogue_index
from .exit_planning import write_exit_planning
from .peers import PEER_COUNT, plan_peer
from .planner import Hosting, PlanContext
from .specs import OrganisationSpec
from .tender import write_demo_tender
from .users import DEMO_PASSWORD, demo_users, ensure_users
from .voorbeeld import CODE as VOORBEELD_CODE
from .voorbeeld import plan_voorbeeld
from .writer import (
    Resolver,
    fictional_provenance,
    write_fictional_catalogue,
    write_memberships,
    write_organisation,
)

DEFAULT_SEED = 2026
REFERENCE_DATE = datetime.date(2026, 12, 1)


class DemoExistsError(RuntimeError):
    """The database holds the demo already."""


@dataclass
class DemoReport:
    seed: int
    reference_date: datetime.date
    organisations: int = 0
    processes: int = 0
    usages: int = 0
    dependencies: int = 0
    datasets: int = 0
    contracts: int = 0
    exit_plans: int = 0
    fictional_records: int = 0
    users_created: int = 0
    users_skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    password: str = DEMO_PASSWORD

    def lines(self) -> list[str]:
        return [
            f"Seed {self.seed}, reference date {self.reference_date.isoformat()}",
            f"{self.organisations} organisations, {self.processes} processes, {self.usages} applications",
            f"{self.dependencies} dependencies, {self.datasets} data sets, {self.contracts} contracts,"
            f" {self.exit_plans} exit plans",
            f"{self.fictional_records} invented catalogue records (marked '(fictief)')",
            f"Built in {self.seconds:.1f} s",
        ]


def demo_codes() -> list[str]:
    """The codes of every demo organisation; they do not depend on the seed."""
    from .peers import MUNICIPALITY_NAMES

    return [
        VOORBEELD_CODE,
        *(f"gm{9901 + i}" for i in range(len(MUNICIPALITY_NAMES))),
        "pv-middenland",
        "ws-laagland",
        "gr-ict-midden",
    ]


def demo_present() -> bool:
    return Organisation.objects.filter(code=VOORBEELD_CODE).exists()


def foreign_organisations() -> list[str]:
    """Names of organisations that the demo did not make."""
    return list(Organisation.objects.exclude(code__in=demo_codes()).values_list("name", flat=True))


def plan_demo(seed: int, reference_date: datetime.date) -> list[OrganisationSpec]:
    """Every demo organisation's plan, Voorbeeld first. Needs the catalogue in the database."""
    ctx = PlanContext(
        rng=random.Random(seed),  # noqa: S311 - reproducible demo data, not cryptography
        catalogue=load_catalogue_index(),
        reference_date=reference_date,
        hosting=Hosting(services=()),
    )
    specs = [plan_voorbeeld(ctx)]
    specs.extend(plan_peer(ctx, i) for i in range(PEER_COUNT))
    return specs


def build_demo(*, seed: int = DEFAULT_SEED, reference_date: datetime.date = REFERENCE_DATE) -> DemoReport:
    """Load the reference bundle, then write the demo in one transaction.

    Raises DemoExistsError when the demo is there already (see :func:`remove_demo`).
    """
    started = time.perf_counter()
    load_bundle(actor=None)
    report = DemoReport(seed=seed, reference_date=reference_date)
    with transaction.atomic():
        if demo_present():
            raise DemoExistsError("The demo is already in this database.")
        provenance = fictional_provenance(reference_date)
        resolver = Resolver()
        report.fictional_records = write_fictional_catalogue(resolver, provenance)
        specs = plan_demo(seed, reference_date)
        # The joint arrangement first, so that its members can point at it.
        order = sorted(specs, key=lambda s: s.kind != "joint_arrangement")
        organisations = {s.code: write_organisation(resolver, s, provenance) for s in order}
        write_memberships(specs, organisations)
        write_exit_planning(organisations, provenance)
        write_demo_tender(organisations)
        report.users_created, report.users_skipped = ensure_users(
            demo_users({s.code: s.admin_username for s in specs})
        )
        ids = [o.pk for o in organisations.values()]
        report.organisations = len(ids)
        report.processes = Process.objects.filter(organisation_id__in=ids).count()
        report.usages = Usage.objects.filter(organisation_id__in=ids).count()
        report.dependencies = Dependency.objects.filter(organisation_id__in=ids).count()
        report.datasets = DataSet.objects.filter(organisation_id__in=ids).count()
        report.contracts = Contract.objects.filter(organisation_id__in=ids).count()
        report.exit_plans = ExitPlan.objects.filter(organisation_id__in=ids).count()
    report.seconds = time.perf_counter() - started
    return report


def remove_demo() -> int:
    """Delete the demo organisations and the invented catalogue, audited. Users are kept.

    Returns the number of organisations removed.
    """
    with transaction.atomic():
        removed = 0
        for org in Organisation.objects.filter(code__in=demo_codes()).order_by("pk"):
            # A redundancy group is protected while dependencies name it: those go first.
            for dependency in Dependency.objects.filter(organisation=org, group__isnull=False).order_by("pk"):
                services.register_delete(actor=None, instance=dependency)
            services.register_delete(actor=None, instance=org)
            removed += 1
        names = [e.name for e in fictional.ENTITIES]
        invented = list(Service.objects.filter(provider__name__in=names).order_by("pk"))
        for link in ServiceDependency.objects.filter(service__in=invented).order_by("pk"):
            services.register_delete(actor=None, instance=link)
        for service in invented:
            services.register_delete(actor=None, instance=service)
        for product in Product.objects.filter(supplier__name__in=names).order_by("pk"):
            services.register_delete(actor=None, instance=product)
        for spec in reversed(fictional.ENTITIES):
            for entity in LegalEntity.objects.filter(name=spec.name).order_by("pk"):
                services.register_delete(actor=None, instance=entity)
    return removed
