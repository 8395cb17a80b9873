"""The decision report of one tender: scope and requirements, the award criteria and their
weights, the bids ranked with the effect each would have on the organisation's dependencies,
and the decision with its justification (from ``regie.procurement.assessment``, ADR 0110/0111).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regie.policy.sovereignty import OBJECTIVES
from regie.procurement.assessment import BidAssessment, TenderAssessment, assess
from regie.procurement.models import Tender
from regie.register.models import Organisation
from regie.register.selectors import NotVisibleError

from . import wording as n
from .charts import ChartSpec, Series
from .dependency import data_as_of
from .document import Chart, Document, Heading, Note, Paragraph, Section, Table
from .risks import severity_label

EFFECTS_SHOWN = 10


def criteria() -> dict[str, tuple[str, str]]:
    """Name and meaning of each award criterion (lower figures after the bid score higher)."""
    return {
        "price": (
            _("Price"),
            _(
                "The lowest cost among the ranked bids divided by the bid's cost; a bid without a price "
                "scores 0."
            ),
        ),
        "sovereignty": (
            _("Sovereignty"),
            _("The weighted EU Cloud Sovereignty Framework score of the bid (0 to 100)."),
        ),
        "exposure": (
            _("Exposure"),
            _(
                "Processes and dimensions exposed outside the trusted countries after the bid (unknown "
                "counts half)."
            ),
        ),
        "concentration": (
            _("Concentration"),
            _("HHI of spend over provider groups after the bid (0 to 10,000)."),
        ),
        "continuity": (
            _("Continuity"),
            _(
                "Critical processes with a single point of failure plus the largest blast radius after "
                "the bid."
            ),
        ),
        "lockin": (
            _("Lock-in"),
            _(
                "Lock-in points over the applications after the bid: 0 easily substitutable to 3 not "
                "substitutable."
            ),
        ),
    }


def tender_of(organisation: Organisation, tender: str) -> Tender:
    """The organisation's tender by id or by reference (NotVisibleError otherwise)."""
    qs = Tender.objects.filter(organisation=organisation)
    found = qs.filter(pk=int(tender)).first() if tender.isdigit() else qs.filter(reference=tender).first()
    if found is None:
        raise NotVisibleError(f"No tender {tender!r} of organisation {organisation.code!r}.")
    return found


def build_procurement_report(organisation: Organisation, *, tender: str, language: str) -> Document:
    """The decision report (the caller is checked; call inside ``translation.override``)."""
    t = tender_of(organisation, tender)
    a = assess(t)
    doc = Document(
        kind="procurement",
        title=_("Procurement decision"),
        subtitle=_("Report to the council and the board"),
        subject=organisation.name,
        organisation_code=organisation.code,
        language=language,
        generated_at=timezone.now(),
        data_as_of=data_as_of(organisation),
        detail=f"{t.reference} · {t.title}",
    )
    _tender(doc.section(_("The tender")), a)
    _criteria(doc.section(_("Award criteria and weights")), a)
    _ranking(doc.section(_("The bids ranked")), a)
    _effects(doc.section(_("Effect of each bid on the dependencies")), a)
    _decision(doc.section(_("Decision")), a)
    return doc


def _tender(section: Section, a: TenderAssessment) -> None:
    t = a.tender
    seals = ", ".join(f"{code} ≥ {level}" for code, level in t.min_seals.items() if level is not None)
    rows = [
        (_("Reference"), t.reference),
        (_("Title"), t.title),
        (_("Status"), str(t.get_status_display())),
        (_("Published on"), n.day(t.published_on) if t.published_on else "–"),
        (_("Closes on"), n.day(t.closes_on) if t.closes_on else "–"),
        (_("Contract term"), _("%(n)d months") % {"n": t.contract_months}),
        (_("Processes in scope"), ", ".join(p.name for p in t.processes.order_by("name")) or "–"),
        (
            _("Reference components in scope"),
            ", ".join(str(c) for c in t.reference_components.all()) or "–",
        ),
        (_("Applications in scope"), str(len(a.scope_usages))),
        (_("Minimum sovereignty (SEAL per objective)"), seals or "–"),
        (_("Required contract clauses"), ", ".join(str(c) for c in t.required_clauses) or "–"),
    ]
    if t.description:
        section.add(Paragraph(t.description))
    section.add(Table((_("Item"), _("Value")), tuple(rows), widths=(2.2, 5.0)))


def _criteria(section: Section, a: TenderAssessment) -> None:
    names = criteria()
    total = sum(a.weights.values()) or 1.0
    section.add(
        Paragraph(
            _(
                "Each criterion scores a bid from 0 (worst) to 1 (best); the total is the weighted mean of "
                "the scores. The figure criteria compare the organisation's figures after each bid: the "
                "best bid scores 1, the worst 0. Only bids that meet the minimum requirements are ranked."
            )
        ),
        Table(
            (_("Criterion"), _("Weight"), _("Share"), _("What it measures")),
            tuple(
                (names[c][0], n.number(w, 1), n.percent(w / total), names[c][1])
                for c, w in a.weights.items()
                if c in names
            ),
            numeric=frozenset({1, 2}),
            widths=(1.4, 0.8, 0.8, 5.0),
        ),
    )


def _bidder(b: BidAssessment) -> str:
    product = f" ({b.bid.product})" if b.bid.product_id else ""
    return f"{b.bid.bidder.name}{product}"


def _ranking(section: Section, a: TenderAssessment) -> None:
    if not a.bids:
        section.add(Note(_("The tender has no bids yet."), "warn"))
        return
    ordered = sorted(a.bids, key=lambda b: (b.rank is None, b.rank or 0, b.bid.pk))
    names = criteria()
    section.add(
        Table(
            (_("Rank"), _("Bidder"), _("Cost over the term"), _("SEAL"), _("Total score")),
            tuple(
                (
                    str(b.rank) if b.rank is not None else _("not ranked"),
                    _bidder(b),
                    n.eur(b.cost),
                    str(b.sovereignty.seal),
                    n.number(b.total, 2),
                )
                for b in ordered
            ),
            numeric=frozenset({2, 3, 4}),
            marked=frozenset(i for i, b in enumerate(ordered) if not b.eligible),
            caption=_(
                "The total score (0 to 1) is the weighted mean of the scores per criterion. Marked rows do "
                "not meet the minimum requirements and are not ranked."
            ),
            widths=(0.9, 3.6, 1.4, 0.7, 1.0),
        ),
        Table(
            (_("Criterion"), _("Weight"), *(_bidder(b) for b in ordered)),
            (
                *(
                    (names[c][0], n.number(w, 1), *(n.number(b.scores.get(c, 0.0), 2) for b in ordered))
                    for c, w in a.weights.items()
                    if c in names
                ),
                (
                    _("Total score"),
                    n.number(sum(a.weights.values()), 1),
                    *(n.number(b.total, 2) for b in ordered),
                ),
            ),
            numeric=frozenset(range(1, 2 + len(ordered))),
            caption=_("Score per criterion and bid, from 0 (worst) to 1 (best), the best ranked bid first."),
            widths=(1.6, 0.8, *(1.6 for _b in ordered)),
        ),
        Chart(
            ChartSpec(
                title=_("Total score per bid"),
                categories=tuple(_bidder(b) for b in ordered),
                series=(Series(_("total score (percent)"), tuple(100 * b.total for b in ordered)),),
                axis=_("percent of the maximum score"),
                percent=True,
                description=_("The weighted total score of each bid, the best ranked first."),
            )
        ),
    )
    _sovereignty(section, ordered)
    for b in a.ineligible:
        section.add(
            Note(
                _("%(bidder)s does not meet the minimum requirements: %(reasons)s.")
                % {"bidder": _bidder(b), "reasons": "; ".join(b.reasons)},
                "warn",
            )
        )


def _sovereignty(section: Section, ordered: list[BidAssessment]) -> None:
    """SEAL level (0-4) per objective of the EU Cloud Sovereignty Framework, per bid."""
    english = (get_language() or "nl").startswith("en")
    codes = tuple(OBJECTIVES)
    names = "; ".join(f"{c} {OBJECTIVES[c][1 if english else 0]}" for c in codes)
    section.add(
        Table(
            (_("Bidder"), *codes, _("SEAL"), _("Score")),
            tuple(
                (
                    _bidder(b),
                    *(str(b.sovereignty.objectives.get(c, 0)) for c in codes),
                    str(b.sovereignty.seal),
                    n.number(b.sovereignty.weighted, 0),
                )
                for b in ordered
            ),
            numeric=frozenset(range(1, len(codes) + 3)),
            caption=_(
                "Sovereignty per objective (SEAL 0 to 4); the overall SEAL is the weakest objective, the "
                "score (0 to 100) weighs the objectives. Objectives: %(names)s."
            )
            % {"names": names},
            widths=(1.8, *(0.7 for _c in codes), 0.6, 0.7),
        )
    )


def _effects(section: Section, a: TenderAssessment) -> None:
    section.add(
        Paragraph(
            _(
                "For each bid, the applications in scope are moved to the bid's product and services in a "
                "scenario on the register (the register itself is not changed). The tables show the "
                "figures of the organisation that would change, and the framework findings the bid would add."
            )
        )
    )
    for b in sorted(a.bids, key=lambda b: (b.rank is None, b.rank or 0, b.bid.pk)):
        section.add(Heading(_bidder(b)))
        if b.effects:
            section.add(
                Table(
                    (_("Figure"), _("Now"), _("After the bid"), _("Change")),
                    tuple(
                        (r.label, _present(r.before), _present(r.after), _signed(r.delta))
                        for r in b.effects[:EFFECTS_SHOWN]
                    ),
                    numeric=frozenset({1, 2, 3}),
                    marked=frozenset(
                        i for i, r in enumerate(b.effects[:EFFECTS_SHOWN]) if (r.delta or 0) > 0
                    ),
                    widths=(4.4, 1.0, 1.0, 1.0),
                )
            )
            if len(b.effects) > EFFECTS_SHOWN:
                section.add(
                    Paragraph(_("And %(n)d more changed figures.") % {"n": len(b.effects) - EFFECTS_SHOWN})
                )
        else:
            section.add(Paragraph(_("The bid changes none of the organisation's figures.")))
        if b.findings:
            section.add(
                Table(
                    (_("Finding the bid would add"), _("Severity")),
                    tuple((message, severity_label(severity)) for _rule, severity, message in b.findings),
                    marked=frozenset(i for i, f in enumerate(b.findings) if f[1] == "fail"),
                    widths=(6.0, 1.2),
                )
            )


def _num(value: float | None) -> str:
    return n.number(value, 0 if value is None or float(value).is_integer() else 2)


def _present(value: float | None) -> str:
    """A figure before or after a bid; none where it does not exist (a group not yet or no
    longer in the landscape)."""
    return "–" if value is None else _num(value)


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + _num(value)


def _decision(section: Section, a: TenderAssessment) -> None:
    d = a.decision
    if d is None:
        section.add(Note(_("No decision has been recorded for this tender yet."), "warn"))
        return
    chosen = next((b for b in a.bids if b.bid.pk == d.bid_id), None)
    who = (d.decided_by.get_full_name() or d.decided_by.get_username()) if d.decided_by else "–"
    section.add(
        Table(
            (_("Item"), _("Value")),
            (
                (_("Chosen bid"), _bidder(chosen) if chosen else str(d.bid)),
                (
                    _("Rank of the chosen bid"),
                    str(chosen.rank) if chosen and chosen.rank else _("not ranked"),
                ),
                (_("Decided on"), n.day(d.decided_on)),
                (_("Decided by"), who),
                (_("Justification"), d.justification),
            ),
            widths=(2.2, 5.0),
        )
    )
    if chosen is not None and chosen.rank != 1:
        section.add(
            Note(
                _("The decision departs from the ranking: the justification explains why."),
                "warn",
            )
        )
