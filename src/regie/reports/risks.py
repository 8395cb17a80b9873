"""Findings of the strategic framework and the risks accepted with an explanation ("leg uit")."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regie.policy.models import Acceptance, Finding, FindingStatus
from regie.register.models import Organisation

from . import wording as n
from .document import Note, Paragraph, Section, Table

SEVERITIES = ("fail", "warn", "info")


def severity_label(key: str) -> str:
    return {"fail": _("violation"), "warn": _("warning"), "info": _("information")}.get(key, key)


def accepted_risks(organisation: Organisation) -> list[tuple[Acceptance, bool]]:
    """Each acceptance in force or lapsed by expiry, with whether it has expired (latest first).

    An acceptance in force whose date has passed counts as expired even before the next
    re-evaluation reopens its finding; one ended by expiry is shown while its finding is open.
    """
    today = timezone.localdate()
    qs = (
        Acceptance.objects.filter(finding__organisation=organisation)
        .select_related("finding", "approver")
        .order_by("expires_on", "pk")
    )
    out: list[tuple[Acceptance, bool]] = []
    for a in qs:
        if a.ended_at is None:
            out.append((a, a.expires_on < today))
        elif a.end_reason == "expired" and a.finding.status == FindingStatus.OPEN:
            newer = a.finding.acceptances.filter(pk__gt=a.pk).exists()
            if not newer:
                out.append((a, True))
    return out


SHOWN = 12


def _open_violations(section: Section, organisation: Organisation) -> None:
    """The open findings of severity "fail": what breaches the framework and is not explained."""
    qs = Finding.objects.filter(organisation=organisation, status=FindingStatus.OPEN, severity="fail")
    total = qs.count()
    if not total:
        return
    language = get_language() or "nl"
    shown = list(qs.order_by("rule", "subject_key")[:SHOWN])
    section.add(
        Table(
            (_("Open violation"), _("Rule")),
            tuple((f.message(language), f.rule.split("/")[-1]) for f in shown),
            marked=frozenset(range(len(shown))),
            caption=_("Open violations of the framework that are neither resolved nor explained.")
            + (" " + _("%(n)d more are not shown.") % {"n": total - SHOWN} if total > SHOWN else ""),
            widths=(6.4, 1.0),
        )
    )


def findings_section(section: Section, organisation: Organisation) -> None:
    section.add(
        Paragraph(
            _(
                "The strategic framework's rules are evaluated on the register. A finding that is not "
                'resolved is either open or accepted with an explanation ("comply or explain"): a '
                "justification, an accountable owner, an approver and an expiry date. An expired "
                "acceptance reopens its finding."
            )
        )
    )
    counts = Counter(
        (f.status, f.severity)
        for f in Finding.objects.filter(organisation=organisation).exclude(status=FindingStatus.RESOLVED)
    )
    rows = tuple(
        (severity_label(s), str(counts[("open", s)]), str(counts[("accepted", s)])) for s in SEVERITIES
    )
    section.add(
        Table(
            (_("Severity"), _("Open"), _("Accepted")),
            rows,
            numeric=frozenset({1, 2}),
            marked=frozenset({0} if counts[("open", "fail")] else ()),
            caption=_("Findings of the framework by severity (resolved findings are not counted)."),
            widths=(3.0, 1.5, 1.5),
        )
    )
    _open_violations(section, organisation)
    risks = accepted_risks(organisation)
    if not risks:
        section.add(Note(_("No risks are accepted.")))
        return
    language = get_language() or "nl"
    section.add(
        Table(
            (_("Finding"), _("Justification"), _("Owner / approver"), _("Expires")),
            tuple(
                (
                    f"{severity_label(a.finding.severity)}: {a.finding.message(language)}",
                    a.justification,
                    f"{a.owner} / {a.approver.get_full_name() or a.approver.get_username()}",
                    n.day(a.expires_on) + (" – " + _("EXPIRED") if expired else ""),
                )
                for a, expired in risks
            ),
            marked=frozenset(i for i, (_a, expired) in enumerate(risks) if expired),
            caption=_("Accepted risks, the earliest expiry first."),
            widths=(3.0, 3.0, 1.6, 1.2),
        )
    )
    lapsed = sum(1 for _a, expired in risks if expired)
    if lapsed:
        section.add(
            Note(
                _("%(n)d acceptance(s) have expired: the risk must be explained again or resolved.")
                % {"n": lapsed},
                "warn",
            )
        )
