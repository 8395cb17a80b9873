"""publiccode.yml: open-source software described by its publisher, into the alternatives catalogue."""

from __future__ import annotations

import datetime
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from regie.register import services
from regie.register.models import Alternative, LegalEntity

from .context import ImportContext, Where
from .problems import N_, ImportRefused, Message
from .registry import Importer, register_importer
from .textfiles import decode_text

MATURITY = {"concept": "emerging", "development": "emerging", "beta": "emerging", "stable": "proven"}
WHERE = Where(sheet="publiccode.yml", labels=("file", "line"))


def _description(document: dict[str, Any]) -> str:
    descriptions = document.get("description")
    if not isinstance(descriptions, dict):
        return ""
    for lang in ("nl", "en", *descriptions):
        entry = descriptions.get(lang)
        if isinstance(entry, dict):
            return str(entry.get("shortDescription") or entry.get("longDescription") or "").strip()
    return ""


def run(data: bytes, ctx: ImportContext) -> None:
    text, _encoding = decode_text(data, name=ctx.report.file)
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        error = getattr(exc, "problem", exc)
        message = (
            Message(
                N_("The YAML cannot be read at line %(line)s: %(error)s."), line=mark.line + 1, error=error
            )
            if mark is not None
            else Message(N_("The YAML cannot be read: %(error)s."), error=error)
        )
        raise ImportRefused(message, file=ctx.report.file) from exc
    if not isinstance(document, dict) or "publiccodeYmlVersion" not in document:
        raise ImportRefused(
            Message(N_("This is not a publiccode.yml (no publiccodeYmlVersion).")), file=ctx.report.file
        )
    name = str(document.get("name") or "").strip()
    if not name:
        ctx.problem(WHERE, Message(N_("The key 'name' is required.")), column="name")
        return
    legal: dict[str, Any] = document["legal"] if isinstance(document.get("legal"), dict) else {}
    categories = document.get("categories") if isinstance(document.get("categories"), list) else []
    url = str(document.get("landingURL") or document.get("url") or "")
    data_fields: dict[str, Any] = {
        "name": name[:200],
        "category": str(categories[0] if categories else document.get("softwareType") or "software")[:80],
        "description": _description(document),
        "open_source": "yes" if legal.get("license") else "unknown",
        "licence": str(legal.get("license") or "")[:80],
        "maturity": MATURITY.get(str(document.get("developmentStatus") or ""), ""),
        "website": url if url.startswith(("http://", "https://")) else "",
    }
    contractors = (document.get("maintenance") or {}).get("contractors") or []
    if contractors and isinstance(contractors[0], dict):
        provider = LegalEntity.objects.filter(name=str(contractors[0].get("name") or "")).first()
        if provider is not None:
            data_fields["provider"] = provider
    existing = Alternative.objects.filter(name=data_fields["name"]).first()
    if existing is None or existing.provenance is None:
        released = document.get("releaseDate")
        checked = released if isinstance(released, datetime.date) else None
        data_fields["provenance"] = services.provenance_create(
            actor=ctx.actor,
            source=f"publiccode.yml of {url or name}",
            checked_on=checked,
            entered_by_label=ctx.label,
        )
    ctx.upsert(Alternative, existing=existing, data=data_fields, where=WHERE)


register_importer(Importer("publiccode", _("publiccode.yml (alternatives catalogue)"), ("yml", "yaml"), run,
                           needs_organisation=False))  # fmt: skip
