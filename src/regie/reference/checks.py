"""Checks across the files of a bundle, after each file passed its schema.

Every source key, country code, entity, product, service and GEMMA name that an entry refers
to must exist; natural keys must be unique; control chains must not be cycles. Problems are
collected, each naming the file, the entry and the field.
"""

from __future__ import annotations

import datetime
import gettext
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from .specs import CountrySpec, GemmaSpec, ParsedBundle, SourceSpec

# GEMMA lists loaded into GemmaElement, with the kind each becomes. The other lists of the
# taxonomy (function domains, process clusters, cloud service models, IV3 task fields) have no
# GemmaKind and are not loaded.
GEMMA_LISTS = {
    "bedrijfsfuncties": "bedrijfsfunctie",
    "bedrijfsprocessen": "bedrijfsproces",
    "buitengemeentelijke_voorzieningen": "voorziening",
    "technologiecomponenten": "technologiecomponent",
    "standaarden": "standaard",
}
REFERENCE_COMPONENT = "referentiecomponent"
STANDARD = "standaard"


@cache
def _dutch() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"])
    except OSError:
        return gettext.NullTranslations()


def iso_countries() -> dict[str, tuple[str, str]]:
    """Every ISO 3166-1 country: code -> (English name, Dutch name), from pycountry.

    Dutch names come from pycountry's iso-codes gettext catalogue; English where it has none.
    """
    result: dict[str, tuple[str, str]] = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        result[country.alpha_2] = (english, _dutch().gettext(english))
    return result


def entry_name(index: int, item: dict[str, Any]) -> str:
    name = item.get("name") or item.get("code")
    return f"entry {index + 1} ({name})" if name else f"entry {index + 1}"


def bbn_level(text: str | None) -> str:
    """GEMMA's BBN text as published, e.g. "BBN 2 en risicoanalyse voor beschikbaarheid"."""
    return " ".join((text or "").split())[:120]


class Checker:
    """Collects problems; knows the bundle's files, sources and the names defined so far."""

    def __init__(self, files: dict[str, str], errors: list[str], sources: dict[str, SourceSpec]) -> None:
        self.files = files
        self.errors = errors
        self.sources = sources
        self.iso = iso_countries()
        self.entity_names: set[str] = set()
        self.product_names: Counter[str] = Counter()
        self.components: set[str] = set()
        self.standards: set[str] = set()

    def error(self, key: str, entry: str, field_name: str, message: str) -> None:
        self.errors.append(f"{self.files[key]}: {entry}, field '{field_name}': {message}.")

    def source(self, key: str, entry: str, field_name: str, value: Any) -> None:
        if value is not None and value not in self.sources:
            self.error(key, entry, field_name, f"unknown source '{value}' (not in {self.files['sources']})")

    def country(self, key: str, entry: str, field_name: str, code: Any) -> None:
        if code is not None and code not in self.iso:
            self.error(key, entry, field_name, f"'{code}' is not an ISO 3166-1 country code")

    def entity(self, key: str, entry: str, field_name: str, name: Any) -> None:
        if name is not None and name not in self.entity_names:
            self.error(key, entry, field_name, f"no entity named '{name}' in this bundle")

    def product(self, key: str, entry: str, field_name: str, name: str) -> None:
        if self.product_names[name] == 0:
            self.error(key, entry, field_name, f"no product named '{name}' in this bundle")
        elif self.product_names[name] > 1:
            self.error(
                key, entry, field_name, f"several products are named '{name}': the reference is ambiguous"
            )

    def gemma(
        self, key: str, entry: str, field_name: str, names: list[str], kind: str = REFERENCE_COMPONENT
    ) -> None:
        known, what = (
            (self.components, "reference component")
            if kind == REFERENCE_COMPONENT
            else (
                self.standards,
                "standard",
            )
        )
        for name in names:
            if name not in known:
                self.error(key, entry, field_name, f"'{name}' is not a GEMMA {what}")

    def duplicates(self, key: str, keys: list[tuple[str, Any]], what: str) -> None:
        counts = Counter(k for _, k in keys)
        reported: set[Any] = set()
        for entry, k in keys:
            if counts[k] > 1 and k not in reported:
                reported.add(k)
                self.error(key, entry, what, f"duplicate key {k!r}: it must be unique in the bundle")


def parse_sources(raw: dict[str, Any]) -> dict[str, SourceSpec]:
    return {
        key: SourceSpec(
            key=key,
            source=s["source"].strip(),
            checked_on=datetime.date.fromisoformat(s["checked"]),
            verified=s.get("verified", True),
            note=" ".join(s.get("note", "").split()),
        )
        for key, s in raw["sources"].items()
    }


def check_bundle(
    root: Path, manifest: dict[str, Any], files: dict[str, str], raw: dict[str, Any], errors: list[str]
) -> ParsedBundle:
    """Resolve and check every reference; the result is meaningful only when ``errors`` stays empty."""
    chk = Checker(files, errors, parse_sources(raw["sources"]))
    gemma = check_gemma(raw["gemma"], chk)
    countries = check_countries(raw["countries"], chk)
    laws = check_laws(raw["laws"]["laws"], chk)
    entities = check_entities(raw["entities"]["entities"], chk)
    products = check_products(raw["products"]["products"], chk)
    services = check_services(raw["services"]["services"], chk)
    alternatives = check_alternatives(raw["alternatives"]["alternatives"], chk)
    return ParsedBundle(
        path=root,
        version=manifest["version"],
        date=datetime.date.fromisoformat(manifest["date"]),
        manifest=manifest,
        sources=chk.sources,
        countries=countries,
        laws=laws,
        entities=entities,
        products=products,
        services=services,
        alternatives=alternatives,
        gemma=gemma,
        files=files,
    )


def check_gemma(data: dict[str, Any], chk: Checker) -> list[GemmaSpec]:
    specs = [
        GemmaSpec(
            kind=REFERENCE_COMPONENT,
            name=comp["name"],
            bbn=bbn_level(comp.get("bbn")),
            availability=comp.get("availability"),
            integrity=comp.get("integrity"),
            confidentiality=comp.get("confidentiality"),
            status=comp.get("status") or "",
        )
        for comp in data["referentiecomponenten"]
    ]
    for listname, kind in GEMMA_LISTS.items():
        specs.extend(GemmaSpec(kind=kind, name=name) for name in data[listname])
    chk.duplicates("gemma", [(f"{g.kind} '{g.name}'", (g.kind, g.name)) for g in specs], "name")
    chk.components = {g.name for g in specs if g.kind == REFERENCE_COMPONENT}
    chk.standards = {g.name for g in specs if g.kind == STANDARD}
    return specs


def _membership(data: dict[str, Any], chk: Checker) -> dict[str, str]:
    """Country code -> 'eu_members' or 'eea_members'."""
    seen: dict[str, str] = {}
    for group in ("eu_members", "eea_members"):
        chk.source("countries", group, "source", data[group]["source"])
        for code in data[group]["codes"]:
            chk.country("countries", group, "codes", code)
            if code in seen:
                chk.error("countries", group, "codes", f"'{code}' is listed twice (also in {seen[code]})")
            seen[code] = group
    return seen


def _adequacy(
    data: dict[str, Any], chk: Checker, members: dict[str, str]
) -> dict[str, tuple[bool | None, Any]]:
    adequacy: dict[str, tuple[bool | None, Any]] = {}
    for group, value in (("adequacy", True), ("unknown_adequacy", None)):
        for i, item in enumerate(data.get(group, [])):
            code = item["code"]
            entry = f"{group} entry {i + 1} ({code})"
            chk.country("countries", entry, "code", code)
            chk.source("countries", entry, "source", item["source"])
            if code in adequacy:
                chk.error(
                    "countries", entry, "code", f"duplicate key '{code}': it must be unique in the bundle"
                )
            if code in members:
                chk.error(
                    "countries", entry, "code", f"'{code}' is an EU/EEA member: adequacy does not apply"
                )
            adequacy[code] = (value, item)
    return adequacy


def check_countries(data: dict[str, Any], chk: Checker) -> list[CountrySpec]:
    """Every ISO country, with its membership and adequacy facts and the source of them."""
    chk.source("countries", "top level", "default_source", data["default_source"])
    members = _membership(data, chk)
    adequacy = _adequacy(data, chk, members)
    if chk.errors:
        return []
    result = []
    for code, (name_en, name_nl) in sorted(chk.iso.items()):
        status: bool | None = False
        source = chk.sources[data["default_source"]]
        if code in members:
            status, source = None, chk.sources[data[members[code]]["source"]]
        elif code in adequacy:
            status, item = adequacy[code]
            source = chk.sources[item["source"]]
            if item.get("note"):
                source = SourceSpec(
                    key=source.key,
                    source=source.source,
                    checked_on=source.checked_on,
                    verified=source.verified,
                    note=f"{source.note} {item['note']}".strip(),
                )
        result.append(
            CountrySpec(
                code=code,
                name_en=name_en,
                name_nl=name_nl,
                eu_member=members.get(code) == "eu_members",
                eea_member=code in members,
                gdpr_adequacy=status,
                source=source,
            )
        )
    return result


def check_laws(laws: list[dict[str, Any]], chk: Checker) -> list[dict[str, Any]]:
    for i, law in enumerate(laws):
        entry = entry_name(i, law)
        chk.country("laws", entry, "country", law["country"])
        chk.source("laws", entry, "source", law["source"])
        start, end = law.get("in_force_from"), law.get("in_force_until")
        if start and end and end < start:
            chk.error("laws", entry, "in_force_until", "is before in_force_from")
    chk.duplicates("laws", [(entry_name(i, x), x["code"]) for i, x in enumerate(laws)], "code")
    return laws


def check_entities(entities: list[dict[str, Any]], chk: Checker) -> list[dict[str, Any]]:
    """Check the entities and return them parents first."""
    chk.entity_names = {e["name"] for e in entities}
    for i, e in enumerate(entities):
        entry = entry_name(i, e)
        chk.source("entities", entry, "lei_source", e.get("lei_source"))
        for fact in ("hq", "registration"):
            if fact in e:
                chk.country("entities", entry, f"{fact}.country", e[fact]["country"])
                chk.source("entities", entry, f"{fact}.source", e[fact]["source"])
        parent = e.get("parent") or {}
        chk.source("entities", entry, "parent.source", parent.get("source"))
        chk.entity("entities", entry, "parent.entity", parent.get("entity"))
        if parent.get("entity") == e["name"]:
            chk.error("entities", entry, "parent.entity", "an entity cannot be its own parent")
        if "state" in parent and ({"basis", "share"} & set(parent)):
            chk.error("entities", entry, "parent", "basis and share apply only to a known parent")
    chk.duplicates("entities", [(entry_name(i, e), e["name"]) for i, e in enumerate(entities)], "name")
    chk.duplicates(
        "entities", [(entry_name(i, e), e["lei"]) for i, e in enumerate(entities) if e.get("lei")], "lei"
    )
    if chk.errors:
        return entities
    return _parents_first(entities, chk)


def _parents_first(entities: list[dict[str, Any]], chk: Checker) -> list[dict[str, Any]]:
    """Parents before children; a cycle is reported on the entity where it closes."""
    by_name = {e["name"]: e for e in entities}
    index = {e["name"]: i for i, e in enumerate(entities)}
    ordered: list[dict[str, Any]] = []
    state: dict[str, str] = {}

    for start in by_name:
        trail: list[str] = []
        name: str | None = start
        while name is not None and state.get(name) is None:
            state[name] = "visiting"
            trail.append(name)
            name = (by_name[name].get("parent") or {}).get("entity")
        if name is not None and state.get(name) == "visiting":
            cycle = [*trail[trail.index(name) :], name]
            chk.error(
                "entities",
                entry_name(index[name], by_name[name]),
                "parent.entity",
                f"the control chain is a cycle: {' → '.join(cycle)}",
            )
        for done in reversed(trail):
            state[done] = "done"
            ordered.append(by_name[done])
    return ordered


def check_products(products: list[dict[str, Any]], chk: Checker) -> list[dict[str, Any]]:
    chk.product_names = Counter(p["name"] for p in products)
    for i, p in enumerate(products):
        entry = entry_name(i, p)
        chk.entity("products", entry, "supplier", p.get("supplier"))
        chk.source("products", entry, "source", p["source"])
        chk.gemma("products", entry, "reference_components", p.get("reference_components", []))
        chk.gemma("products", entry, "standards", p.get("standards", []), STANDARD)
    chk.duplicates(
        "products",
        [(entry_name(i, p), (p["name"], p.get("supplier"))) for i, p in enumerate(products)],
        "name",
    )
    return products


def check_services(services: list[dict[str, Any]], chk: Checker) -> list[dict[str, Any]]:
    keys = {(s["name"], s["provider"]) for s in services}
    for i, s in enumerate(services):
        entry = entry_name(i, s)
        chk.entity("services", entry, "provider", s["provider"])
        if "product" in s:
            chk.product("services", entry, "product", s["product"])
        if "recovery_hours" in s:
            chk.source("services", entry, "recovery_hours.source", s["recovery_hours"]["source"])
        for j, loc in enumerate(s.get("locations", []), start=1):
            chk.country("services", entry, f"locations[{j}].country", loc.get("country"))
            chk.source("services", entry, f"locations[{j}].source", loc["source"])
        for j, dep in enumerate(s.get("depends_on", []), start=1):
            target = (dep["service"], dep["provider"])
            if target not in keys:
                chk.error("services", entry, f"depends_on[{j}]", f"no service '{target[0]}' of '{target[1]}'")
            elif target == (s["name"], s["provider"]):
                chk.error("services", entry, f"depends_on[{j}]", "a service cannot depend on itself")
            chk.source("services", entry, f"depends_on[{j}].source", dep["source"])
    chk.duplicates(
        "services", [(entry_name(i, s), (s["name"], s["provider"])) for i, s in enumerate(services)], "name"
    )
    return services


def check_alternatives(alternatives: list[dict[str, Any]], chk: Checker) -> list[dict[str, Any]]:
    for i, a in enumerate(alternatives):
        entry = entry_name(i, a)
        chk.entity("alternatives", entry, "provider", a.get("provider"))
        if "product" in a:
            chk.product("alternatives", entry, "product", a["product"])
        for name in a.get("replaces", []):
            chk.product("alternatives", entry, "replaces", name)
        chk.gemma("alternatives", entry, "replaces_components", a.get("replaces_components", []))
        chk.source("alternatives", entry, "source", a["source"])
    chk.duplicates(
        "alternatives", [(entry_name(i, a), a["name"]) for i, a in enumerate(alternatives)], "name"
    )
    return alternatives
