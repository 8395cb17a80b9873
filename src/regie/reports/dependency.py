"""The dependency report of one organisation, for a council or board.

Built from the analysis as the dashboard and ``regie analyse`` arrange it
(:func:`regie.analysis.report.build_report`): nothing is computed here that the engine did
not compute. Every figure is named in words with what it means (docs: domain.md §3).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from regie.analysis import labels
from regie.analysis.report import KeyFigure, Report, build_report
from regie.analysis.selectors import analyse_organisation
from regie.audit.models import AuditEntry
from regie.core.analysis import AnalysisOptions
from regie.core.facts import DIMENSIONS
from regie.planning.roadmap import Roadmap
from regie.register.models import Organisation

from . import wording as n
from .charts import ChartSpec, Series
from .document import Chart, Document, Figure, FigureGrid, Note, Paragraph, Section, Table
from .risks import findings_section
from .roadmap import roadmap_section

TOP = 12  # rows of a ranking shown in full; the rest are counted


def meanings(rise_percent: float) -> dict[str, str]:
    """What each key figure of the analysis means (domain.md §3)."""
    return {
        "processes": _("Business processes and public services recorded in the register."),
        "critical_processes": _(
            "Processes the organisation marks as critical; reliance and single points of failure are "
            "measured over these."
        ),
        "usages": _("Applications in use: a product delivered through one or more services."),
        "non_trusted_exposed": _(
            "Processes whose chain contains a provider controlled from, data stored or processed in, or "
            "support access from a country outside the trusted jurisdictions, where a foreign law can "
            "compel access."
        ),
        "exposure_unknown": _(
            "Processes for which a country in the chain is not known: unknown counts as risk, not as safe."
        ),
        "spof_critical": _("Critical processes that stop when one single application or service fails."),
        "spof_count": _("Applications or services whose failure alone stops a critical process."),
        "spend_total": _("Sum of the annual value of the contracts whose value is known."),
        "spend_hhi": _(
            "Herfindahl-Hirschman index of contract value over provider groups (0 to 10,000): below "
            "1,500 unconcentrated, 1,500 to 2,500 moderate, above 2,500 highly concentrated."
        ),
        "price_inescapable": _(
            "What a unilateral price rise of %(pct)s%% by suppliers without a price cap would cost per "
            "year, for the part that cannot be escaped by switching to an alternative."
        )
        % {"pct": n.number(rise_percent)},
    }


RISKY = {"non_trusted_exposed", "exposure_unknown", "spof_critical", "spof_count", "price_inescapable"}


def _value(k: KeyFigure) -> str:
    if k.unit == "EUR":
        return n.eur(k.value)
    if k.unit == "HHI":
        return n.number(k.value) + (f" ({k.note})" if k.note else "")
    return n.number(k.value)


def _figure(k: KeyFigure, meaning: dict[str, str]) -> Figure:
    tone = "risk" if k.key in RISKY and (k.value or 0) > 0 else ""
    text = meaning.get(k.key, "")
    if k.key == "non_trusted_exposed" and k.note:
        text += " " + _("Countries: %(list)s.") % {"list": k.note}
    return Figure(k.label[:1].upper() + k.label[1:], _value(k), text, tone)


def data_as_of(organisation: Organisation) -> dt.datetime | None:
    """When the organisation's register last changed (the audit trail's latest entry)."""
    return (
        AuditEntry.objects.filter(organisation_id=organisation.pk)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def build_dependency_report(
    organisation: Organisation, *, language: str, roadmap: Roadmap | None, roadmap_error: str = ""
) -> Document:
    """The dependency report (call inside ``translation.override(language)``)."""
    analysis = analyse_organisation(organisation, AnalysisOptions(detail=True))
    report = build_report(analysis)
    doc = Document(
        kind="dependency",
        title=_("Digital dependencies"),
        subtitle=_("Report to the council and the board"),
        subject=organisation.name,
        organisation_code=organisation.code,
        language=language,
        generated_at=timezone.now(),
        data_as_of=data_as_of(organisation),
    )
    _key_figures(doc.section(_("Key figures")), report, doc)
    _exposure(doc.section(_("Jurisdiction exposure")), report)
    _concentration(doc.section(_("Concentration")), report)
    _continuity(doc.section(_("Continuity")), report)
    findings_section(doc.section(_("Findings and accepted risks")), organisation)
    roadmap_section(doc.section(_("Exit roadmap")), organisation, roadmap, roadmap_error)
    return doc


def _key_figures(section: Section, report: Report, doc: Document) -> None:
    meaning = meanings(report.rise_percent)
    section.add(
        Paragraph(
            _(
                "The figures below describe the register of %(org)s as it stood on %(date)s. Every figure "
                "is computed from the recorded processes, applications, services, suppliers and contracts; "
                "a fact that is not recorded is counted as unknown, and unknown as risk."
            )
            % {"org": doc.subject, "date": n.moment(doc.data_as_of or doc.generated_at)}
        ),
        FigureGrid(tuple(_figure(k, meaning) for k in report.key_figures)),
    )


def _exposure(section: Section, report: Report) -> None:
    section.add(
        Paragraph(
            _(
                "A process is exposed to the law of a country through control (a provider in its chain "
                "belongs to a group headquartered there), data location (data stored or processed there) "
                "or access (support or administration from there). The table counts the processes per "
                "country and names the laws with extraterritorial reach that make the exposure material."
            )
        )
    )
    rows = [
        (
            f"{j.name} ({j.country})" + ("" if j.trusted else " *"),
            *(str(c) for c in j.counts),
            "; ".join(j.laws.values()) or "–",
        )
        for j in report.jurisdictions
    ]
    marked = {i for i, j in enumerate(report.jurisdictions) if not j.trusted}
    if report.unknown:
        marked.add(len(rows))
        rows.append((_("unknown (counted as risk)"), *(str(c) for _d, c in report.unknown_cells), "–"))
    dims = tuple(labels.label(labels.DIMENSIONS, d).capitalize() for d in DIMENSIONS)
    if not rows:
        section.add(Note(_("No exposure: no process has recorded dependencies yet.")))
        return
    section.add(
        Table(
            (_("Country"), *dims, _("Laws with extraterritorial reach")),
            tuple(rows),
            numeric=frozenset({1, 2, 3}),
            marked=frozenset(marked),
            caption=_("Processes per country and dimension. * outside the trusted jurisdictions."),
            widths=(2.2, 1.15, 1.0, 0.9, 3.2),
        )
    )
    outside = report.non_trusted[:TOP]
    if outside:
        section.add(
            Chart(
                ChartSpec(
                    title=_("Processes exposed outside the trusted jurisdictions"),
                    categories=tuple(j.name for j in outside),
                    series=tuple(
                        Series(labels.label(labels.DIMENSIONS, d), tuple(float(j.count(d)) for j in outside))
                        for d in DIMENSIONS
                    ),
                    axis=_("number of processes"),
                    description=_("Per country, the number of processes exposed through each dimension."),
                )
            )
        )


def _band(value: float | None, band: str | None) -> str:
    return "–" if value is None else f"{n.number(value)} ({labels.label(labels.BANDS, band)})"


def _concentration(section: Section, report: Report) -> None:
    a = report.analysis
    section.add(
        Paragraph(
            _(
                "Suppliers are grouped by their ultimate parent. Reliance is the share of the critical "
                "processes whose chain contains the group; spend share is the group's share of the annual "
                "contract value. The Herfindahl-Hirschman index (HHI, 0 to 10,000) sums the squared "
                "percentage shares: below 1,500 unconcentrated, 1,500 to 2,500 moderately concentrated, "
                "above 2,500 highly concentrated."
            )
        )
    )
    groups = report.groups[:TOP]
    if not groups:
        section.add(Note(_("No provider groups: no contracts or dependencies are recorded.")))
        return
    section.add(
        Chart(
            ChartSpec(
                title=_("Reliance and spend share per provider group"),
                categories=tuple(g.name for g in groups),
                series=(
                    Series(
                        _("reliance (percentage of critical processes)"),
                        tuple(100 * (g.reliance or 0) for g in groups),
                    ),
                    Series(
                        _("spend share (percentage of contract value)"),
                        tuple(100 * (g.spend_share or 0) for g in groups),
                    ),
                ),
                axis=_("percent"),
                percent=True,
                description=_("The provider groups with the largest reliance, with their spend share."),
            )
        ),
        Table(
            (
                _("Provider group"),
                _("Reliance"),
                _("Critical processes"),
                _("Annual value"),
                _("Spend share"),
            ),
            tuple(
                (
                    g.name,
                    n.percent(g.reliance),
                    str(g.critical_processes),
                    n.eur(g.spend),
                    n.percent(g.spend_share),
                )
                for g in groups
            ),
            numeric=frozenset({1, 2, 3, 4}),
            widths=(3.0, 1.0, 1.2, 1.5, 1.1),
        ),
    )
    if len(report.groups) > TOP:
        section.add(Paragraph(_("And %(n)d more provider groups.") % {"n": len(report.groups) - TOP}))
    hhi_rows: list[tuple[str, ...]] = [
        (_("Reliance on provider groups"), _band(report.reliance_hhi, report.reliance_band)),
        (_("Annual contract value"), _band(report.spend_hhi, report.spend_band)),
    ]
    marked = {i for i, b in enumerate((report.reliance_band, report.spend_band)) if b == "high"}
    components = sorted(a.refcomp_shares, key=lambda t: (-t.hhi, -t.total, t.category))
    for t in components[:TOP]:
        if t.band == "high":
            marked.add(len(hhi_rows))
        top = max(t.shares, key=lambda s: s.share).name if t.shares else "–"
        hhi_rows.append(
            (
                _("Reference component %(name)s (largest: %(top)s)") % {"name": t.category, "top": top},
                _band(t.hhi, t.band),
            )
        )
    section.add(
        Table(
            (_("Market"), _("HHI (band)")),
            tuple(hhi_rows),
            numeric=frozenset({1}),
            marked=frozenset(marked),
            caption=_(
                "Concentration (HHI) of reliance, of spend and of the most concentrated GEMMA "
                "reference components."
            ),
            widths=(4.5, 2.0),
        )
    )
    high = sum(1 for t in components if t.band == "high")
    if components:
        section.add(
            Paragraph(
                _(
                    "%(high)d of the %(all)d reference components in use are highly concentrated "
                    "(HHI above 2,500)."
                )
                % {"high": high, "all": len(components)}
            )
        )
    if a.spend_unknown_contracts:
        section.add(
            Note(
                _("%(n)d contract(s) have no known value and are left out of the spend figures.")
                % {"n": a.spend_unknown_contracts},
                "warn",
            )
        )


def _continuity(section: Section, report: Report) -> None:
    section.add(
        Paragraph(
            _(
                "The blast radius of a provider group is what stops when the whole group fails or is cut "
                "off: the processes that can no longer run, weighted by their availability score and "
                "tolerable downtime (impact). A process keeps running when a redundant alternative remains."
            )
        )
    )
    blast = report.blast[:TOP]
    if blast:
        section.add(
            Chart(
                ChartSpec(
                    title=_("Processes down when a provider group fails"),
                    categories=tuple(b.name for b in blast),
                    series=(
                        Series(_("processes"), tuple(float(b.failed_processes) for b in blast)),
                        Series(_("of which critical"), tuple(float(b.critical_failed) for b in blast)),
                    ),
                    axis=_("number of processes"),
                    description=_("The provider groups whose failure stops the most processes."),
                )
            ),
            Table(
                (_("Provider group"), _("Processes down"), _("Critical processes down"), _("Impact")),
                tuple(
                    (b.name, str(b.failed_processes), str(b.critical_failed), n.number(b.impact, 1))
                    for b in blast
                ),
                numeric=frozenset({1, 2, 3}),
                marked=frozenset(i for i, b in enumerate(blast) if b.critical_failed),
                widths=(3.2, 1.2, 1.6, 1.0),
            ),
        )
    else:
        section.add(Note(_("No process depends on a provider group.")))
    section.add(
        Paragraph(
            _(
                "Single points of failure: one application or service whose failure alone stops a "
                "critical process."
            )
        )
    )
    if report.spofs:
        section.add(
            Table(
                (_("Critical process"), _("Fails with"), _("Path")),
                tuple(
                    (
                        s.path[0].name if s.path else str(s.spof.process),
                        f"{s.spof.name} ({labels.label(labels.NODE_KINDS, s.spof.kind)})",
                        " → ".join(step.name for step in s.path),
                    )
                    for s in report.spofs[:TOP]
                ),
                marked=frozenset(range(min(len(report.spofs), TOP))),
                widths=(2.0, 2.2, 3.6),
            )
        )
        if len(report.spofs) > TOP:
            section.add(
                Paragraph(_("And %(n)d more single points of failure.") % {"n": len(report.spofs) - TOP})
            )
    else:
        section.add(Note(_("No critical process has a single point of failure."), "info"))
    gaps = report.recovery_rows
    section.add(
        Paragraph(
            _(
                "Recovery gaps: processes whose maximum tolerable downtime (MTD) is shorter than the "
                "recovery time (RTO) of a service they need, or where one of them is unknown."
            )
        )
    )
    if gaps:
        section.add(
            Table(
                (_("Process"), _("Gap"), _("MTD"), _("RTO"), _("Services (recovery time)")),
                tuple(
                    (
                        name,
                        labels.label(labels.RECOVERY_STATES, r.state),
                        n.hours(r.mtd_hours),
                        n.hours(r.rto_hours),
                        ", ".join(f"{_service_name(report, k)} ({n.hours(h)})" for k, h in r.services) or "–",
                    )
                    for r, name in gaps[:TOP]
                ),
                numeric=frozenset({2, 3}),
                marked=frozenset(i for i, (r, _name) in enumerate(gaps[:TOP]) if r.state == "gap"),
                widths=(2.2, 1.6, 0.8, 0.8, 3.0),
            )
        )
        if len(gaps) > TOP:
            section.add(Paragraph(_("And %(n)d more recovery gaps.") % {"n": len(gaps) - TOP}))
    else:
        section.add(Note(_("No recovery gaps."), "info"))


def _service_name(report: Report, key: object) -> str:
    cat = report.analysis.graph.snap.catalogue
    i = cat.service_index.get(key)
    return cat.cols.service_names[i] if i is not None else str(key)
