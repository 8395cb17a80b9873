"""The report document: a small tree of sections and blocks, built once and rendered twice.

A builder per kind of report (:mod:`.dependency`, :mod:`.procurement`) fills a
:class:`Document` from the selectors; :mod:`.as_html` renders it with a Django template and
:mod:`.as_pdf` with reportlab. Blocks carry finished, translated text: the renderers only lay out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .charts import ChartSpec


@dataclass(frozen=True)
class Heading:
    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Figure:
    """One key figure: its value as text, what it is and what it means."""

    label: str
    value: str
    meaning: str
    tone: str = ""  # "" (neutral), "risk" or "ok"


@dataclass(frozen=True)
class FigureGrid:
    figures: tuple[Figure, ...]
    kind: str = "figures"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()  # column positions aligned right
    marked: frozenset[int] = frozenset()  # row positions shown as a risk
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths (PDF); even when empty
    kind: str = "table"


@dataclass(frozen=True)
class Chart:
    spec: ChartSpec
    kind: str = "chart"


@dataclass(frozen=True)
class Note:
    text: str
    tone: str = "info"  # "info" or "warn"
    kind: str = "note"


Block = Heading | Paragraph | FigureGrid | Table | Chart | Note


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    """A finished report: what it is about, when it was made, in which language, and its sections."""

    kind: str  # "dependency" or "procurement"
    title: str
    subject: str  # the organisation's name (and for a procurement report the tender)
    organisation_code: str
    language: str  # "nl" or "en"
    generated_at: dt.datetime
    data_as_of: dt.datetime | None  # the last change of the organisation's register
    sections: list[Section] = field(default_factory=list)
    subtitle: str = ""
    detail: str = ""  # what the report is about within the organisation (a tender), if anything

    def section(self, title: str) -> Section:
        s = Section(title)
        self.sections.append(s)
        return s

    def text(self) -> str:
        """Every word of the document, in order (for tests and search)."""
        out = [self.title, self.subtitle, self.subject]
        for s in self.sections:
            out.append(s.title)
            for b in s.blocks:
                if isinstance(b, Heading | Paragraph | Note):
                    out.append(b.text)
                elif isinstance(b, FigureGrid):
                    out += [f"{f.label} {f.value} {f.meaning}" for f in b.figures]
                elif isinstance(b, Table):
                    out += [" ".join(b.headers), *(" ".join(r) for r in b.rows)]
                else:
                    out.append(b.spec.title)
        return "\n".join(t for t in out if t)
