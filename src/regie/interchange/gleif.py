"""GLEIF golden-copy files: Level 1 ("who is who") and Level 2 ("who owns whom").

Fills the catalogue's legal entities: LEI, country of registration (legal address) and of
headquarters, and the direct parent (or the ultimate parent where no direct parent is
reported), each with the provenance "GLEIF, <publication date>". Reads the CSV and JSON
golden-copy formats and the JSON of the GLEIF API; never the network. Relationships whose
entities are not in the catalogue are skipped with a notice, so a filtered extract can be
imported after its Level 1 records.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from regie.register import services
from regie.register.models import Country, LegalEntity, ParentState, Provenance

from .context import ImportContext, Where
from .problems import N_, ImportRefused, Message
from .registry import Importer, register_importer
from .textfiles import decode_text

LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
DIRECT = "IS_DIRECTLY_CONSOLIDATED_BY"
ULTIMATE = "IS_ULTIMATELY_CONSOLIDATED_BY"
LABELS = ("GLEIF level", "record")


@dataclass
class Entity:
    lei: str
    name: str
    legal_country: str
    hq_country: str
    number: int


@dataclass
class Link:
    child: str
    parent: str
    kind: str
    number: int


@dataclass
class GleifFile:
    published: datetime.date | None = None
    source: str = "GLEIF, {date}"  # the provenance, with the publication or retrieval date
    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def _dollar(value: Any) -> str:
    """GLEIF's JSON writes text as {"$": "…"}."""
    if isinstance(value, dict):
        return str(value.get("$", ""))
    return "" if value is None else str(value)


def _path(record: dict[str, Any], *keys: str) -> Any:
    node: Any = record
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _date(text: str) -> datetime.date | None:
    match = re.search(r"(\d{4})-?(\d{2})-?(\d{2})", text or "")
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse(data: bytes, *, name: str) -> GleifFile:
    result = GleifFile(published=_date(name))
    stripped = data.lstrip()
    if stripped.startswith((b"{", b"[")):
        _parse_json(data, name, result)
    else:
        _parse_csv(data, name, result)
    return result


def _parse_csv(data: bytes, name: str, result: GleifFile) -> None:
    text, _encoding = decode_text(data, name=name)
    reader = csv.DictReader(io.StringIO(text))
    headers = set(reader.fieldnames or [])
    if {"LEI", "Entity.LegalName"} <= headers:
        for number, row in enumerate(reader, start=2):
            result.entities.append(
                Entity(
                    lei=row.get("LEI", "").strip(),
                    name=row.get("Entity.LegalName", "").strip(),
                    legal_country=row.get("Entity.LegalAddress.Country", "").strip(),
                    hq_country=row.get("Entity.HeadquartersAddress.Country", "").strip(),
                    number=number,
                )
            )
    elif {"Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"} <= headers:
        for number, row in enumerate(reader, start=2):
            status = row.get("Relationship.RelationshipStatus", "ACTIVE").strip() or "ACTIVE"
            if status != "ACTIVE":
                continue
            result.links.append(
                Link(
                    child=row["Relationship.StartNode.NodeID"].strip(),
                    parent=row["Relationship.EndNode.NodeID"].strip(),
                    kind=row.get("Relationship.RelationshipType", "").strip(),
                    number=number,
                )
            )
    else:
        raise ImportRefused(
            Message(
                N_(
                    "This CSV is neither a GLEIF Level 1 file (columns LEI, Entity.LegalName) nor a Level 2 "
                    "file (columns Relationship.StartNode.NodeID, Relationship.EndNode.NodeID)."
                )
            ),
            file=name,
        )


def _parse_json(data: bytes, name: str, result: GleifFile) -> None:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(
            Message(N_("The GLEIF JSON cannot be read: %(error)s."), error=exc), file=name
        ) from exc
    if isinstance(document, dict):
        published = _path(document, "meta", "goldenCopy", "publishDate")
        result.published = _date(str(published or "")) or result.published
    records = document.get("records") if isinstance(document, dict) else None
    relations = document.get("relations") if isinstance(document, dict) else None
    api = document.get("data") if isinstance(document, dict) else None
    if isinstance(records, list):
        for number, record in enumerate(records, start=1):
            result.entities.append(
                Entity(
                    lei=_dollar(record.get("LEI")),
                    name=_dollar(_path(record, "Entity", "LegalName")),
                    legal_country=_dollar(_path(record, "Entity", "LegalAddress", "Country")),
                    hq_country=_dollar(_path(record, "Entity", "HeadquartersAddress", "Country")),
                    number=number,
                )
            )
    elif isinstance(relations, list):
        for number, item in enumerate(relations, start=1):
            rel = _path(item, "RelationshipRecord", "Relationship") or {}
            if _dollar(rel.get("RelationshipStatus")) not in ("", "ACTIVE"):
                continue
            result.links.append(
                Link(
                    child=_dollar(_path(rel, "StartNode", "NodeID")),
                    parent=_dollar(_path(rel, "EndNode", "NodeID")),
                    kind=_dollar(rel.get("RelationshipType")),
                    number=number,
                )
            )
    elif api is not None:
        for number, item in enumerate(api if isinstance(api, list) else [api], start=1):
            attributes = item.get("attributes", {}) if isinstance(item, dict) else {}
            result.entities.append(
                Entity(
                    lei=str(attributes.get("lei", "")),
                    name=str(_path(attributes, "entity", "legalName", "name") or ""),
                    legal_country=str(_path(attributes, "entity", "legalAddress", "country") or ""),
                    hq_country=str(_path(attributes, "entity", "headquartersAddress", "country") or ""),
                    number=number,
                )
            )
    else:
        raise ImportRefused(Message(N_("This JSON is not a GLEIF golden-copy or API document.")), file=name)


class GleifImport:
    def __init__(self, ctx: ImportContext, parsed: GleifFile) -> None:
        self.ctx = ctx
        self.parsed = parsed
        self.countries = {c.code: c for c in Country.objects.all()}
        self._provenance: Provenance | None = None

    def provenance(self) -> Provenance:
        if self._provenance is None:
            published = self.parsed.published
            if published is None:
                published = datetime.date.today()
                self.ctx.report.notice(
                    Message(N_("The file does not say when GLEIF published it; today's date is used."))
                )
            self._provenance = services.provenance_create(
                actor=self.ctx.actor,
                source=self.parsed.source.format(date=published.isoformat()),
                checked_on=published,
                entered_by_label=self.ctx.label,
            )
        return self._provenance

    def check(self) -> None:
        for entity in self.parsed.entities:
            where = Where(sheet="1", row=entity.number, labels=LABELS)
            if not LEI.match(entity.lei):
                self.ctx.problem(
                    where, Message(N_("'%(lei)s' is not a valid LEI."), lei=entity.lei), column="LEI"
                )
            if not entity.name:
                self.ctx.problem(where, Message(N_("The legal name is missing.")), column="Entity.LegalName")
            for column, code in (("LegalAddress.Country", entity.legal_country),
                                 ("HeadquartersAddress.Country", entity.hq_country)):  # fmt: skip
                if code and code not in self.countries:
                    self.ctx.problem(
                        where, Message(N_("Unknown country code '%(code)s'."), code=code), column=column
                    )
        for link in self.parsed.links:
            where = Where(sheet="2", row=link.number, labels=LABELS)
            for column, lei in (("StartNode.NodeID", link.child), ("EndNode.NodeID", link.parent)):
                if not LEI.match(lei):
                    self.ctx.problem(
                        where, Message(N_("'%(lei)s' is not a valid LEI."), lei=lei), column=column
                    )
        self._check_cycles()

    def _check_cycles(self) -> None:
        parents = dict(
            LegalEntity.objects.exclude(lei="").filter(parent__isnull=False).values_list("lei", "parent__lei")
        )
        for link in self._chosen_links():
            parents[link.child] = link.parent
        reported: set[str] = set()
        for start in parents:
            path, node = [start], parents.get(start)
            while node and node not in path:
                path.append(node)
                node = parents.get(node)
            if node == start and not reported & set(path):
                reported.update(path)
                chain = " → ".join([*path, start])
                self.ctx.report.add(
                    Message(N_("The parents form a cycle: %(chain)s."), chain=chain), sheet="2", labels=LABELS
                )

    def _chosen_links(self) -> list[Link]:
        """The direct parent of each child; the ultimate parent only where no direct one is given."""
        direct = {link.child: link for link in self.parsed.links if link.kind == DIRECT}
        chosen = dict(direct)
        for link in self.parsed.links:
            if link.kind == ULTIMATE and link.child not in direct:
                chosen[link.child] = link
        return list(chosen.values())

    def apply(self) -> None:
        for entity in self.parsed.entities:
            self._entity(entity)
        by_lei = {e.lei: e for e in LegalEntity.objects.exclude(lei="")}
        for link in self._chosen_links():
            child, parent = by_lei.get(link.child), by_lei.get(link.parent)
            if child is None or parent is None:
                missing = link.child if child is None else link.parent
                self.ctx.report.notice(
                    Message(
                        N_("LEI %(lei)s is not in the catalogue; import its Level 1 record first."),
                        lei=missing,
                    ),
                    sheet="2",
                    row=link.number,
                    labels=LABELS,
                )
                continue
            ultimate = link.kind != DIRECT
            data = {"parent_state": ParentState.KNOWN, "parent": parent, "parent_basis": "other"}
            if child.parent_id != parent.pk or child.parent_state != ParentState.KNOWN:
                data["parent_provenance"] = self.provenance()
            where = Where(sheet="2", row=link.number, labels=LABELS)
            self.ctx.upsert(LegalEntity, existing=child, data=data, where=where)
            if ultimate:
                self.ctx.report.notice(
                    Message(
                        N_(
                            "%(child)s: parent set to %(parent)s (ultimate parent; "
                            "no direct parent reported)."
                        ),
                        child=child.name,
                        parent=parent.name,
                    ),
                    sheet="2",
                    row=link.number,
                    labels=LABELS,
                )

    def _entity(self, entity: Entity) -> None:
        existing = LegalEntity.objects.filter(lei=entity.lei).first()
        if existing is None:
            same_name = list(LegalEntity.objects.filter(name=entity.name, lei=""))
            existing = same_name[0] if len(same_name) == 1 else None
        data: dict[str, Any] = {"lei": entity.lei}
        if existing is None:
            data["name"] = entity.name
        for attr, code in (
            ("registration_country", entity.legal_country),
            ("hq_country", entity.hq_country),
        ):
            country = self.countries.get(code) if code else None
            if country is not None and (existing is None or getattr(existing, f"{attr}_id") != country.code):
                data[attr] = country
                data[f"{attr}_provenance"] = self.provenance()
        where = Where(sheet="1", row=entity.number, labels=LABELS)
        self.ctx.upsert(LegalEntity, existing=existing, data=data, where=where)


def run(data: bytes, ctx: ImportContext) -> None:
    run_parsed(parse(data, name=ctx.report.file), ctx)


def run_parsed(parsed: GleifFile, ctx: ImportContext) -> None:
    """Check, then write, GLEIF facts already read (from a file or from the GLEIF API)."""
    job = GleifImport(ctx, parsed)
    job.check()
    if not ctx.report.problems:
        job.apply()


register_importer(
    Importer("gleif", _("GLEIF golden copy, Level 1 or 2 (CSV or JSON)"), (), run, needs_organisation=False)
)
