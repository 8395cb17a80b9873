"""The report as one self-contained HTML file: inline CSS, charts as inline SVG, no external
asset, fit to send by e-mail or to preview in the browser."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from . import wording as n
from .charts import svg
from .document import Chart, Document


def render_html(doc: Document) -> str:
    with translation.override(doc.language):
        sections: list[dict[str, Any]] = []
        count = 0
        for i, s in enumerate(doc.sections, 1):
            blocks: list[dict[str, Any]] = []
            for b in s.blocks:
                item: dict[str, Any] = {"kind": b.kind, "block": b}
                if isinstance(b, Chart):
                    count += 1
                    item["svg"] = mark_safe(svg(b.spec, f"chart-{count}"))  # noqa: S308 - rendered by reportlab, text escaped
                blocks.append(item)
            sections.append({"number": i, "title": s.title, "blocks": blocks})
        return render_to_string(
            "reports/document.html",
            {
                "doc": doc,
                "sections": sections,
                "generated": n.moment(doc.generated_at),
                "data_as_of": n.moment(doc.data_as_of) if doc.data_as_of else "",
            },
        )
