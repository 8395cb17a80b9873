"""The report as PDF (reportlab platypus): a title page with the organisation, the date of the
data and the language, a table of contents, numbered pages, tables and vector charts.

The standard PDF fonts (Helvetica) need no font files; their encoding (WinAnsi) lacks a few
characters that the text may hold, which :func:`clean` replaces.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from . import document as d
from . import wording as n
from .charts import drawing

BRAND = colors.HexColor("#1f3a5f")
INK = colors.HexColor("#1d232b")
MUTED = colors.HexColor("#5b636e")
LINE = colors.HexColor("#d9dde3")
SOFT = colors.HexColor("#f3f5f8")
RISK = colors.HexColor("#9b2c22")
RISK_BG = colors.HexColor("#fbeeec")
WARN_BG = colors.HexColor("#fff6e5")
AMBER = colors.HexColor("#c77d12")
MARGIN = 20 * mm
WIDTH = A4[0] - 2 * MARGIN

_REPLACE = {"→": "›", "←": "‹", "≥": ">=", "≤": "<=", "\u202f": " ", "\u2009": " ", "…": "…"}


def clean(text: str) -> str:
    """Text the standard fonts can show, escaped for reportlab's paragraph markup."""
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    text = text.encode("cp1252", "replace").decode("cp1252")
    return escape(text)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body",
        parent=base["BodyText"],
        fontName="Helvetica",
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        spaceAfter=6,
    )
    styles = {
        "body": body,
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=16,
            leading=20,
            textColor=BRAND,
            spaceBefore=4,
            spaceAfter=10,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=11.5,
            leading=15,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10.2, spaceAfter=0),
        "cellnum": ParagraphStyle(
            "cellnum", parent=body, fontSize=8, leading=10.2, spaceAfter=0, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=8,
            leading=10,
            textColor=colors.white,
            spaceAfter=0,
        ),
        "headnum": ParagraphStyle(
            "headnum",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=8,
            leading=10,
            textColor=colors.white,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
        "caption": ParagraphStyle(
            "caption", parent=body, fontSize=7.5, leading=10, textColor=MUTED, spaceBefore=2, spaceAfter=10
        ),
        "value": ParagraphStyle(
            "value",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=17,
            leading=21,
            textColor=BRAND,
            spaceAfter=1,
        ),
        "label": ParagraphStyle(
            "label", parent=body, fontName="Helvetica-Bold", fontSize=8.5, leading=11, spaceAfter=2
        ),
        "meaning": ParagraphStyle(
            "meaning", parent=body, fontSize=7.5, leading=9.6, textColor=MUTED, spaceAfter=0
        ),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11.5, spaceAfter=0),
        "toc": ParagraphStyle("toc", parent=body, fontSize=10.5, leading=18, leftIndent=0),
    }
    styles["valuerisk"] = ParagraphStyle("valuerisk", parent=styles["value"], textColor=RISK)
    return styles


class _Report(BaseDocTemplate):  # type: ignore[misc]
    """Sections are announced to the table of contents and as PDF outline entries."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook
        key = getattr(flowable, "_toc_key", None)
        if key is not None:
            text = flowable.getPlainText()
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, 0)
            self.notify("TOCEntry", (0, text, self.page, key))


def _numbered_canvas(doc: d.Document, footer: str, page_of: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Draws "page x of y" once the number of pages is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self._chrome(total)
                super().showPage()
            super().save()

        def _chrome(self, total: int) -> None:
            w, h = A4
            self.setStrokeColor(LINE)
            self.setLineWidth(0.6)
            self.line(MARGIN, h - 14 * mm, w - MARGIN, h - 14 * mm)
            self.line(MARGIN, 13 * mm, w - MARGIN, 13 * mm)
            self.setFont("Helvetica", 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, h - 12 * mm, clean_plain(f"{doc.title} · {doc.subject}"))
            self.drawRightString(w - MARGIN, h - 12 * mm, clean_plain(footer))
            self.drawString(MARGIN, 9 * mm, "Regie")
            self.drawRightString(w - MARGIN, 9 * mm, page_of % {"page": self._pageNumber, "total": total})

    return NumberedCanvas


def clean_plain(text: str) -> str:
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    return text.encode("cp1252", "replace").decode("cp1252")


def render_pdf(doc: d.Document) -> bytes:
    with translation.override(doc.language):
        return _render(doc)


def _render(doc: d.Document) -> bytes:
    st = _styles()
    buf = io.BytesIO()
    generated = n.moment(doc.generated_at)
    as_of = n.moment(doc.data_as_of) if doc.data_as_of else generated
    template = _Report(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=f"{doc.title} – {doc.subject}",
        author="Regie",
        subject=doc.subtitle,
        lang=doc.language,
    )
    frame = Frame(MARGIN, 18 * mm, WIDTH, A4[1] - 38 * mm, id="body", leftPadding=0, rightPadding=0)
    cover_frame = Frame(MARGIN, 18 * mm, WIDTH, A4[1] - 36 * mm, id="cover", leftPadding=0, rightPadding=0)
    template.addPageTemplates(
        [
            PageTemplate("cover", [cover_frame], onPage=lambda c, _d: _cover(c, doc, as_of, generated)),
            PageTemplate("body", [frame]),
        ]
    )
    toc = TableOfContents()
    toc.levelStyles = [st["toc"]]
    toc.dotsMinLevel = 0
    story: list[Flowable] = [NextPageTemplate("body"), PageBreak()]
    story += [Paragraph(clean(_("Contents")), st["h1"]), toc, PageBreak()]
    for i, section in enumerate(doc.sections, 1):
        if i > 1:
            story.append(CondPageBreak(120 * mm))
        heading = Paragraph(clean(f"{i}. {section.title}"), st["h1"])
        heading._toc_key = f"section-{i}"
        story.append(heading)
        for block in section.blocks:
            story += _block(block, st)
    template.multiBuild(
        story,
        canvasmaker=_numbered_canvas(
            doc, _("Data as of %(when)s") % {"when": as_of}, _("Page %(page)d of %(total)d")
        ),
    )
    return buf.getvalue()


def _cover(c: Canvas, doc: d.Document, as_of: str, generated: str) -> None:
    w, h = A4
    c.saveState()
    c.setFillColor(BRAND)
    c.rect(0, h - 120 * mm, w, 120 * mm, stroke=0, fill=1)
    c.setFillColor(AMBER)
    c.rect(0, h - 122 * mm, w, 2 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont("Helvetica", 10)
    c.drawString(MARGIN, h - 30 * mm, clean_plain(f"REGIE · {doc.subtitle.upper()}"))
    c.setFont("Helvetica-Bold", 30)
    c.drawString(MARGIN, h - 58 * mm, clean_plain(doc.title))
    c.setFont("Helvetica", 20)
    subject = clean_plain(doc.subject)
    c.drawString(MARGIN, h - 72 * mm, subject if len(subject) < 48 else subject[:47] + "…")
    c.setFont("Helvetica", 10)
    line = doc.detail or _("Organisation code %(code)s") % {"code": doc.organisation_code}
    c.drawString(MARGIN, h - 80 * mm, clean_plain(line if len(line) < 90 else line[:89] + "…"))
    c.setFillColor(INK)
    rows = [
        (_("Organisation"), f"{doc.subject} ({doc.organisation_code})"),
        (_("Data as of"), as_of),
        (_("Generated on"), generated),
        (_("Language"), "English" if doc.language == "en" else "Nederlands"),
    ]
    y = h - 145 * mm
    for label, value in rows:
        c.setFont("Helvetica", 9)
        c.setFillColor(MUTED)
        c.drawString(MARGIN, y, clean_plain(label))
        c.setFont("Helvetica-Bold", 11)
        c.setFillColor(INK)
        c.drawString(MARGIN + 45 * mm, y, clean_plain(value))
        y -= 9 * mm
    c.setFont("Helvetica", 8)
    c.setFillColor(MUTED)
    text = c.beginText(MARGIN, 30 * mm)
    for line in _wrap(
        _(
            "This report follows from the organisation's register and the shared catalogue in Regie at the "
            "moment it was generated. A fact that is not recorded is counted as unknown, and unknown as a "
            "risk. The report discloses the organisation's register: share it only with those entitled."
        ),
        110,
    ):
        text.textLine(clean_plain(line))
    c.drawText(text)
    c.restoreState()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _block(block: d.Block, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    if isinstance(block, d.Heading):
        return [Paragraph(clean(block.text), st["h2"])]
    if isinstance(block, d.Paragraph):
        return [Paragraph(clean(block.text), st["body"])]
    if isinstance(block, d.Note):
        return [_note(block, st), Spacer(1, 8)]
    if isinstance(block, d.FigureGrid):
        return [_figures(block, st), Spacer(1, 10)]
    if isinstance(block, d.Table):
        return _table(block, st)
    return [
        KeepTogether([drawing(block.spec, WIDTH), Paragraph(clean(block.spec.description), st["caption"])])
    ]


def _note(block: d.Note, st: dict[str, ParagraphStyle]) -> Table:
    t = Table([[Paragraph(clean(block.text), st["note"])]], colWidths=[WIDTH])
    accent = AMBER if block.tone == "warn" else BRAND
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), WARN_BG if block.tone == "warn" else SOFT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return t


def _figures(block: d.FigureGrid, st: dict[str, ParagraphStyle]) -> Table:
    cells = [
        [
            Paragraph(clean(f.value), st["valuerisk" if f.tone == "risk" else "value"]),
            Paragraph(clean(f.label), st["label"]),
            Paragraph(clean(f.meaning), st["meaning"]),
        ]
        for f in block.figures
    ]
    rows = [cells[i : i + 2] + ([[]] if len(cells[i : i + 2]) == 1 else []) for i in range(0, len(cells), 2)]
    gap = 4 * mm
    t = Table(rows, colWidths=[(WIDTH - gap) / 2, (WIDTH - gap) / 2], spaceBefore=2)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
        ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    for i, f in enumerate(block.figures):
        cell = (i % 2, i // 2)
        style += [
            ("BOX", cell, cell, 0.6, LINE),
            ("LINEBEFORE", cell, cell, 3, RISK if f.tone == "risk" else BRAND),
            ("BACKGROUND", cell, cell, colors.white),
        ]
    t.setStyle(TableStyle(style))
    return t


def _table(block: d.Table, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    cols = len(block.headers)
    weights = block.widths if len(block.widths) == cols else (1.0,) * cols
    total = sum(weights)
    widths = [WIDTH * w / total for w in weights]

    def cell(text: str, col: int, head: bool = False) -> Paragraph:
        num = col in block.numeric
        style = ("headnum" if num else "head") if head else ("cellnum" if num else "cell")
        return Paragraph(clean(text), st[style])

    data = [[cell(h, i, True) for i, h in enumerate(block.headers)]]
    data += [[cell(c, i) for i, c in enumerate(row)] for row in block.rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    for r in range(1, len(data)):
        if r - 1 in block.marked:
            style += [("BACKGROUND", (0, r), (-1, r), RISK_BG), ("LINEBEFORE", (0, r), (0, r), 2.5, RISK)]
        elif r % 2 == 0:
            style.append(("BACKGROUND", (0, r), (-1, r), SOFT))
    t.setStyle(TableStyle(style))
    out: list[Flowable] = [t]
    out.append(Paragraph(clean(block.caption), st["caption"]) if block.caption else Spacer(1, 10))
    return out
