"""``regie tender list|show|assess --org CODE [--tender ID] [--json]``: the procurement assessment
from a terminal (trusted caller: no permission check, like the other commands)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tender = subparsers.add_parser("tender", help="tenders: list, show one, assess its bids")
    tender.add_argument("action", choices=["list", "show", "assess"])
    tender.add_argument("--org", required=True, metavar="CODE", help="organisation code")
    tender.add_argument("--tender", type=int, metavar="ID", help="tender id (show, assess)")
    tender.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="CRITERION=N",
        help="assess: override a weight for this run, e.g. --weight price=20 (repeatable)",
    )
    tender.add_argument("--json", action="store_true", help="as JSON")
    tender.set_defaults(func=cmd_tender)


def _fail(message: str) -> int:
    print(f"regie tender: {message}", file=sys.stderr)
    return 2


def _weights(values: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        name, sep, number = item.partition("=")
        if not sep:
            raise ValueError(f"--weight {item!r}: write CRITERION=NUMBER, e.g. price=20")
        out[name.strip()] = number.strip()
    return out


def cmd_tender(args: argparse.Namespace) -> int:  # noqa: PLR0911 - one exit per refusal
    from regie.analysis.selectors import UnknownOrganisationError, organisation_by_code

    from .assessment import assess
    from .models import Tender
    from .scoring import WeightError

    try:
        org = organisation_by_code(code=args.org)
    except UnknownOrganisationError as exc:
        return _fail(str(exc))
    tenders = Tender.objects.filter(organisation=org).order_by("-created_at", "-pk")
    if args.action == "list":
        rows = [
            {
                "id": t.pk,
                "reference": t.reference,
                "title": t.title,
                "status": t.status,
                "bids": t.bids.count(),
            }
            for t in tenders
        ]
        if args.json:
            print(json.dumps({"organisation": org.code, "tenders": rows}, indent=2, ensure_ascii=False))
        else:
            print(f"{org.name} ({org.code}): {len(rows)} tenders")
            for r in rows:
                print(f"  {r['id']:>4}  {r['reference']:<16} {r['status']:<9} {r['bids']} bids  {r['title']}")
        return 0
    if args.tender is None:
        return _fail(f"{args.action}: --tender ID is required (see 'regie tender list --org {org.code}')")
    tender = tenders.filter(pk=args.tender).first()
    if tender is None:
        return _fail(f"organisation {org.code} has no tender {args.tender}")
    try:
        weights = _weights(args.weight) if args.action == "assess" else {}
        a = assess(tender, weights)
    except (ValueError, WeightError) as exc:
        return _fail(str(exc))
    if args.json:
        body = a.to_dict()
        if args.action == "show":
            body = {"tender": body["tender"], "weights": body["weights"], "decision": body["decision"]}
        print(json.dumps(body, indent=2, ensure_ascii=False))
        return 0
    _print(a, assess_all=args.action == "assess")
    return 0


def _money(x: float | None) -> str:
    return "unknown" if x is None else f"EUR {x:,.0f}"


def _print(a: Any, *, assess_all: bool) -> None:
    t = a.tender
    print(f"{t.reference} {t.title} [{t.status}] — {t.organisation.name}")
    mins = ", ".join(f"{k} ≥ {v}" for k, v in t.min_seals.items() if v is not None) or "none"
    print(f"  minimum SEAL: {mins}; required clauses: {', '.join(t.required_clauses) or 'none'}")
    print("  weights: " + ", ".join(f"{k} {v:g}" for k, v in a.weights.items()))
    print(f"  usages in scope: {len(a.scope_usages)}")
    if a.decision is not None:
        d = a.decision
        print(f"  decision {d.decided_on}: bid {d.bid_id} ({d.bid}) — {d.justification}")
    if not assess_all:
        print(f"  bids: {len(a.bids)}")
        return
    for b in sorted(a.bids, key=lambda b: (b.rank or 10**6, b.bid.pk)):
        place = f"#{b.rank}" if b.rank else "excl."
        print(
            f"  {place:>5}  {b.total:.3f}  bid {b.bid.pk}: {b.bid}  cost {_money(b.cost)}  "
            f"SEAL {b.sovereignty.seal} ({b.sovereignty.weighted:.1f})"
        )
        for reason in b.reasons:
            print(f"         - {reason}")
        for row in b.effects:
            if row.name.startswith(("exposure.", "spend.hhi", "spof.")) and row.delta:
                before, after = round(row.before or 0, 1), round(row.after or 0, 1)
                print(f"         {row.label}: {before:g} → {after:g} ({round(row.delta, 1):+g})")
        for rule, severity, message in b.findings:
            print(f"         {severity.upper():4} {rule.split('/')[-1]} {message}")
