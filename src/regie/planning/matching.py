"""How an alternative from the catalogue relates to a usage or a service (ADR 0116).

* It *matches* a usage when it replaces the usage's product, a product of a service the
  usage runs on, or a GEMMA reference component of the usage or its product; it matches a
  service when it replaces the service's product or one of that product's components.
* Its *catalogue services* are the services of its product, or else the provider's service
  that bears the alternative's name (the reference bundle's convention). Nothing else is
  assumed: an alternative without either has an effect that cannot be computed.
* A plan's *move* (what the roadmap's scenario changes: a ``regie.core.rehost.Rehost`` without
  a contract) follows from both, or a reason why it cannot be computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from regie.core.rehost import Rehost
from regie.register.models import Alternative, Dependency, ExitPlan, Service, Usage

__all__ = [
    "Match",
    "alternative_service",
    "candidates_for_service",
    "candidates_for_usage",
    "move_for",
    "usage_services",
]


@dataclass(frozen=True)
class Match:
    alternative: Alternative
    reasons: tuple[str, ...]
    direct: bool  # matched on a product, not only on a reference component


def usage_services(usage: Usage) -> list[Service]:
    """The services the usage runs on (its own dependencies)."""
    deps = Dependency.objects.filter(from_usage=usage, to_service__isnull=False).select_related(
        "to_service", "to_service__product"
    )
    seen: dict[int, Service] = {}
    for d in deps:
        if d.to_service is not None:
            seen.setdefault(d.to_service.pk, d.to_service)
    return sorted(seen.values(), key=lambda s: s.name)


def _alternatives() -> list[Alternative]:
    return list(
        Alternative.objects.select_related("product", "provider").prefetch_related(
            "replaces_products", "replaces_components"
        )
    )


def _match(
    alternatives: list[Alternative],
    products: dict[int, str],
    components: dict[int, str],
    exclude_product: int | None,
) -> list[Match]:
    out = []
    for alt in alternatives:
        if exclude_product is not None and alt.product_id == exclude_product:
            continue
        reasons = [
            _("replaces %(product)s") % {"product": products[p.pk]}
            for p in alt.replaces_products.all()
            if p.pk in products
        ]
        direct = bool(reasons)
        reasons += [
            _("for the reference component %(component)s") % {"component": components[c.pk]}
            for c in alt.replaces_components.all()
            if c.pk in components
        ]
        if reasons:
            out.append(Match(alt, tuple(reasons), direct))
    return out


def _components(usage: Usage | None, service: Service | None) -> dict[int, str]:
    out: dict[int, str] = {}
    product = usage.product if usage is not None else (service.product if service is not None else None)
    if product is not None:
        out.update({c.pk: c.name for c in product.reference_components.all()})
    if usage is not None and usage.reference_component is not None:
        out[usage.reference_component.pk] = usage.reference_component.name
    return out


def candidates_for_usage(usage: Usage) -> list[Match]:
    products = {usage.product.pk: usage.product.name}
    for s in usage_services(usage):
        if s.product is not None:
            products.setdefault(s.product.pk, s.product.name)
    return _match(_alternatives(), products, _components(usage, None), usage.product_id)


def candidates_for_service(service: Service) -> list[Match]:
    products = {service.product.pk: service.product.name} if service.product is not None else {}
    return _match(_alternatives(), products, _components(None, service), service.product_id)


def alternative_service(alt: Alternative) -> tuple[Service | None, str | None]:
    """The alternative's one catalogue service, or None with the reason."""
    if alt.product_id is not None:
        found = list(Service.objects.filter(product_id=alt.product_id).order_by("name"))
    elif alt.provider_id is not None:
        found = list(Service.objects.filter(provider_id=alt.provider_id, name=alt.name))
    else:
        found = []
    if len(found) > 1:
        named = [s for s in found if s.name == alt.name]
        if len(named) == 1:
            return named[0], None
        return None, _("the alternative is delivered by several services in the catalogue (%(names)s)") % {
            "names": ", ".join(s.name for s in found)
        }
    if not found:
        return None, _("the alternative has no service in the catalogue")
    return found[0], None


def _replaced_products(alt: Alternative) -> set[int]:
    return {p.pk for p in alt.replaces_products.all()}


def move_for(plan: ExitPlan) -> tuple[Rehost | None, str | None]:
    """What the plan changes in a scenario, or None and why its effect cannot be computed."""
    alt = plan.alternative
    if alt is None:
        return None, _("no intended alternative is chosen")
    if alt.product_id is None and alt.provider_id is None:
        return None, _("the alternative has no product or provider in the catalogue")
    target, why = alternative_service(alt)
    if plan.service is not None:
        if target is None:
            return None, _("%(why)s to take over %(service)s") % {"why": why, "service": plan.service.name}
        return Rehost(plan.organisation_id, None, (target.pk,), replacing=(plan.service.pk,)), None
    return _usage_move(plan, alt, target, why)


def _usage_move(
    plan: ExitPlan, alt: Alternative, target: Service | None, why: str | None
) -> tuple[Rehost | None, str | None]:
    usage = plan.usage
    assert usage is not None  # the database guarantees a usage or a service
    replaced = _replaced_products(alt)
    components = set(_components(usage, None))
    product_replaced = (
        alt.product_id is not None
        and alt.product_id != usage.product_id
        and (usage.product_id in replaced or bool(components & {c.pk for c in alt.replaces_components.all()}))
    )
    old = tuple(
        s.pk
        for s in usage_services(usage)
        if s.product_id is not None
        and (s.product_id in replaced or (product_replaced and s.product_id == usage.product_id))
        and (target is None or s.pk != target.pk)
    )
    if old and target is None:
        names = ", ".join(s.name for s in usage_services(usage) if s.pk in old)
        return None, _("%(why)s to take over %(service)s") % {"why": why, "service": names}
    if not old and not product_replaced:
        return None, _("the alternative replaces neither this application's product nor a service it runs on")
    return (
        Rehost(
            plan.organisation_id,
            (usage.pk,),
            (target.pk,) if old and target is not None else (),
            product=alt.product_id if product_replaced else None,
            replacing=old,
        ),
        None,
    )
