"""What the planner may pick from: the catalogue as it is in the database, reduced to names."""

from __future__ import annotations

from dataclasses import dataclass

from regie.register.models import LegalEntity, Product, Service


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    provider: str
    kind: str
    product: str | None


@dataclass(frozen=True)
class CatalogueIndex:
    """Names of the products, services and legal entities in the catalogue, and how they relate."""

    product_supplier: dict[str, str | None]
    product_services: dict[str, tuple[ServiceInfo, ...]]
    services: dict[str, ServiceInfo]
    entity_country: dict[str, str | None]
    entity_ultimate: dict[str, str]

    def has_product(self, name: str) -> bool:
        return name in self.product_supplier

    def delivered_as_service(self, product: str) -> tuple[ServiceInfo, ...]:
        """The services that deliver this product to a customer (not the ones it only runs on)."""
        return self.product_services.get(product, ())


def load_catalogue_index() -> CatalogueIndex:
    """Read the catalogue. Names are unique in the demo's catalogue; the first one wins otherwise."""
    product_supplier: dict[str, str | None] = {}
    for name, supplier in Product.objects.order_by("name", "pk").values_list("name", "supplier__name"):
        product_supplier.setdefault(name, supplier)
    services: dict[str, ServiceInfo] = {}
    by_product: dict[str, list[ServiceInfo]] = {}
    for name, provider, kind, product in Service.objects.order_by("name", "pk").values_list(
        "name", "provider__name", "kind", "product__name"
    ):
        if name in services:
            continue
        info = ServiceInfo(name=name, provider=provider, kind=kind, product=product)
        services[name] = info
        if product is not None:
            by_product.setdefault(product, []).append(info)
    entity_country: dict[str, str | None] = {}
    parents: dict[str, str | None] = {}
    for name, country, parent in LegalEntity.objects.order_by("name", "pk").values_list(
        "name", "hq_country_id", "parent__name"
    ):
        entity_country.setdefault(name, country)
        parents.setdefault(name, parent)
    ultimate: dict[str, str] = {}
    for name in parents:
        top, seen = name, {name}
        while (up := parents.get(top)) is not None and up not in seen:
            seen.add(up)
            top = up
        ultimate[name] = top
    return CatalogueIndex(
        product_supplier=product_supplier,
        product_services={k: tuple(v) for k, v in by_product.items()},
        services=services,
        entity_country=entity_country,
        entity_ultimate=ultimate,
    )
