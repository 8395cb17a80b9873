"""Plan an organisation's contracts: one per counterparty, covering its applications and services.

Dates come from the reference date: a contract that would have ended before it was renewed
automatically or extended, so some end within the next twelve months and some later. Clause
facts are drawn per clause; a clause that is left out stays unknown (no row), never "no".
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from . import fictional, real
from .catalogue_index import CatalogueIndex
from .specs import ClauseSpec, ContractSpec, OrganisationSpec

CLAUSE_KINDS = (
    "exit_assistance",
    "data_return_open_format",
    "price_cap",
    "unilateral_change",
    "escrow",
    "audit_right",
    "subprocessor_approval",
)

# Clause facts of the big non-EU groups' standard terms, as a demo organisation recorded them.
_STANDARD_TERMS = {
    "exit_assistance": "no",
    "data_return_open_format": "unknown",
    "price_cap": "no",
    "unilateral_change": "yes",
    "escrow": "no",
    "subprocessor_approval": "no",
}

_CORE_VALUE = Decimal(85000)
_DEFAULT_VALUE = Decimal(18000)
_HOSTING_VALUE = Decimal(110000)
_SMALL_CONTRACT = Decimal(25000)
_SMALL_APP_VALUE = Decimal(7000)


def add_years(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def add_months(date: datetime.date, months: int) -> datetime.date:
    total = date.year * 12 + (date.month - 1) + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def _counterparty_of_usage(
    catalogue: CatalogueIndex, spec: OrganisationSpec, usage: str, product: str
) -> str | None:
    delivered = {s.name: s.provider for s in catalogue.delivered_as_service(product)}
    for dep in spec.dependencies:
        if dep.kind == "runs_on" and dep.source == usage and dep.target in delivered:
            return delivered[dep.target]
    return catalogue.product_supplier.get(product)


def _clauses(
    rng: random.Random, us_group: bool, product_names: list[str], value: Decimal
) -> list[ClauseSpec]:
    """Clause facts; small contracts were read less carefully, so more of theirs stay unknown."""
    unrecorded = 0.2 if value >= _SMALL_CONTRACT else 0.8
    clauses: list[ClauseSpec] = []
    for kind in CLAUSE_KINDS:
        if rng.random() < unrecorded:
            continue  # not recorded: unknown
        if us_group and kind in _STANDARD_TERMS:
            present = _STANDARD_TERMS[kind]
        elif kind == "unilateral_change":
            present = rng.choice(("no", "no", "yes", "unknown"))
        elif kind == "escrow":
            present = rng.choice(("yes", "no", "no", "unknown"))
        else:
            present = rng.choice(("yes", "yes", "no", "unknown"))
        detail = ""
        if kind == "price_cap" and real.M365 in product_names:
            present, detail = "yes", "Prijzen vast tot 2027 (VNG-raamovereenkomst GT Microsoft 2)"
        elif kind == "price_cap" and present == "yes":
            detail = rng.choice(("Indexatie CBS-cao-lonen", "Maximaal 3 % per jaar", "Indexatie CPI"))
        elif kind == "exit_assistance" and present == "yes":
            detail = rng.choice(("Art. 14 GIBIT", "Exitbijlage bij de overeenkomst"))
        elif kind == "data_return_open_format" and present == "yes":
            detail = rng.choice(("CSV en PDF/A", "Open standaard per GEMMA-koppelvlak", "ODF en CSV"))
        clauses.append(ClauseSpec(kind=kind, present=present, detail=detail))
    return clauses


def _dates(
    rng: random.Random, reference_date: datetime.date, began: datetime.date | None
) -> tuple[datetime.date, datetime.date | None, bool, int | None]:
    """Start when the first covered application was acquired (or a random past month), then
    renew or extend until the contract runs past the reference date."""
    if began is None:
        start = add_months(reference_date, -rng.randint(3, 96))
    else:
        start = add_months(began, -rng.randint(0, 3))
    term_years = rng.choice((2, 3, 4, 4, 5))
    end = add_years(start, term_years) - datetime.timedelta(days=1)
    auto = rng.random() < 0.2
    renewal = 12 if auto else None
    while end < reference_date:  # renewed for a year, or extended or re-tendered for a new term
        end = add_years(end, 1 if auto else term_years)
    return start, end, auto, renewal


def _parties(
    catalogue: CatalogueIndex, spec: OrganisationSpec, usage_product: dict[str, str]
) -> dict[str, tuple[list[str], list[str]]]:
    """Counterparty → (applications, services) it is contracted for, in order of appearance."""
    by_party: dict[str, tuple[list[str], list[str]]] = {}
    for usage, product in usage_product.items():
        party = _counterparty_of_usage(catalogue, spec, usage, product)
        if party is not None:
            by_party.setdefault(party, ([], []))[0].append(usage)
    for dep in spec.dependencies:
        live = dep.kind == "runs_on" and dep.source in usage_product
        info = catalogue.services.get(dep.target) if live else None
        if info is not None:
            services = by_party.setdefault(info.provider, ([], []))[1]
            if dep.target not in services:
                services.append(dep.target)
    return by_party


def plan_contracts(
    rng: random.Random,
    catalogue: CatalogueIndex,
    spec: OrganisationSpec,
    *,
    reference_date: datetime.date,
    size: float,
) -> None:
    """Add one contract per counterparty of the organisation's applications and hosting."""
    live = [u for u in spec.usages if u.status not in ("retired", "planned")]
    usage_product = {u.name: u.product for u in live}
    began = {u.name: u.acquiring_on or u.production_on for u in live}
    core = {u.name for u in spec.usages if u.status != "retired"} & {
        p for p in usage_product if any(d.target == p and d.kind == "requires" for d in spec.dependencies)
    }
    for n, (party, (usages, services)) in enumerate(_parties(catalogue, spec, usage_product).items(), 1):
        ultimate = catalogue.entity_ultimate.get(party, party)
        us_group = catalogue.entity_country.get(ultimate) == "US"
        dates = [d for d in (began[u] for u in usages) if d is not None]
        start, end, auto, renewal = _dates(rng, reference_date, min(dates) if dates else None)
        is_public = party == fictional.SSC
        if is_public:
            end, auto, renewal = None, False, None
        value = Decimal(0)
        for usage in usages:
            if usage in core and len(usages) < 4:
                value += _CORE_VALUE
            elif usage != real.M365:
                value += _DEFAULT_VALUE if len(usages) < 4 else _SMALL_APP_VALUE
        if services and not usages:
            value += _HOSTING_VALUE
        value *= Decimal(str(round(size * rng.uniform(0.7, 1.3), 3)))
        if real.M365 in usages:  # per workplace, whatever the size of the municipality
            value += Decimal(spec.staff or 300) * Decimal(380)
        value = value.quantize(Decimal(100))
        country = catalogue.entity_country.get(party)
        law = None if rng.random() < 0.12 else (country or None)
        names = usages or services
        title = ", ".join(names[:3]) + (" e.a." if len(names) > 3 else "")
        spec.contracts.append(
            ContractSpec(
                reference=f"{spec.code.upper()}-{start.year}-{n:03d}",
                title=title,
                counterparty=party,
                usages=usages,
                services=services,
                start_date=start,
                end_date=end,
                notice_days=rng.choice((30, 90, 90, 180, None)),
                provider_notice_days=rng.choice((90, 180, 365, None)),
                auto_renewal=auto,
                renewal_months=renewal,
                annual_value=value,
                governing_law=law,
                clauses=_clauses(rng, us_group, usages, value),
            )
        )
