"""``regie sector ...``: the government-wide view on the command line (disclosed, like every
other output). The command line runs with access to the database, so it acts as a sector
analyst; it never acts as a member of an organisation, so it never names one."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


class _CommandLineAnalyst:
    """The principal of the command line: a sector analyst, member of no organisation."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_sector_analyst = True


def _group_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", default="", help="organisation kind, e.g. municipality")
    parser.add_argument("--province", default="", help="province code, e.g. NH")
    parser.add_argument("--joint-arrangement", default="", metavar="CODE", help="members of this arrangement")
    parser.add_argument("--json", action="store_true", help="JSON instead of text")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sector = subparsers.add_parser(
        "sector", help="government-wide aggregates (suppressed below k organisations)"
    )
    sub = sector.add_subparsers(dest="sector_command", required=True)
    report = sub.add_parser("report", help="reliance, HHI, jurisdictions, substitutability, findings")
    _group_args(report)
    report.set_defaults(func=cmd_report)
    systemic = sub.add_parser("systemic", help="systemic suppliers with the criteria that designate them")
    _group_args(systemic)
    systemic.set_defaults(func=cmd_systemic)
    proc = sub.add_parser("procurement", help="contracts ending together: joint procurement clusters")
    proc.add_argument("--months", type=int, default=None, help="window in months (24)")
    proc.add_argument("--json", action="store_true", help="JSON instead of text")
    proc.set_defaults(func=cmd_procurement)
    bench = sub.add_parser("bench", help="time every sector aggregate on the national synthetic landscape")
    bench.add_argument("--scale", default="national", help="municipality, region or national")
    bench.add_argument(
        "--register",
        action="store_true",
        help="also time the digest read from a scratch database: whole, and per changed organisation",
    )
    bench.set_defaults(func=cmd_bench)


def _chosen(args: argparse.Namespace) -> Any:
    from .population import GroupFilter

    return GroupFilter(args.kind, args.province, args.joint_arrangement)


def _emit(args: argparse.Namespace, data: Any, lines: list[str]) -> int:
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        print("\n".join(lines))
    return 0


def _section(title: str, rows: list[dict[str, Any]], label: str, fmt: str) -> list[str]:
    """A titled block of rows; shares print as percentages, suppressed rows say so."""
    out = ["", title + ":"]
    for r in rows:
        if r["suppressed"]:
            out.append(f"  {r[label]}: suppressed (fewer than k organisations)")
            continue
        shown = {key: (f"{v:.0%}" if "share" in key and isinstance(v, float) else v) for key, v in r.items()}
        if isinstance(r.get("hhi"), float):
            shown["hhi"] = f"{r['hhi']:.0f}"
        out.append(f"  {r[label]}: " + fmt.format(**shown))
    return out


def cmd_report(args: argparse.Namespace) -> int:
    from .disclosure import SuppressedError
    from .selectors import sector_report

    try:
        rep = sector_report(user=_CommandLineAnalyst(), chosen=_chosen(args))  # type: ignore[arg-type]
    except SuppressedError as exc:
        print(f"regie sector report: {exc}", file=sys.stderr)
        return 3
    lines = [f"Group {rep['group']}: {rep['population']['orgs']} organisations (k = {rep['k']})"]
    share = "{orgs} ({org_share}); {critical_processes} ({process_share})"
    lines += _section(
        "Reliance for critical processes (organisations; critical processes)",
        rep["reliance"][:15],
        "name",
        share,
    )
    lines += _section(
        "HHI per reference component", rep["refcomp_hhi"], "refcomp", "{hhi} ({band}), {orgs} organisations"
    )
    lines += _section(
        "Non-EU control exposure (* = any jurisdiction)", rep["jurisdictions"], "country", share
    )
    lines += _section("Substitutability of usages", rep["substitutability"], "class", "{usages} ({share})")
    lines += _section(
        "Findings by rule (open, accepted, organisations)",
        rep["findings_by_rule"]["rows"],
        "rule",
        "{open}, {accepted}, {orgs}",
    )
    if not rep["trend"]["available"]:
        lines.append("Trend: no daily figure snapshots yet (regie.policy records them).")
    for r in rep["trend_by_rule"]["rules"]:
        cells = ", ".join(
            f"{c['day']}: " + ("suppressed" if c["suppressed"] else f"{c['findings']} ({c['orgs']} orgs)")
            for c in r["cells"]
        )
        lines.append(f"Trend {r['rule']}: {cells}")
    return _emit(args, rep, lines)


def cmd_systemic(args: argparse.Namespace) -> int:
    from .disclosure import SuppressedError
    from .selectors import systemic_suppliers

    try:
        rows = systemic_suppliers(user=_CommandLineAnalyst(), chosen=_chosen(args))  # type: ignore[arg-type]
    except SuppressedError as exc:
        print(f"regie sector systemic: {exc}", file=sys.stderr)
        return 3
    lines = []
    for r in rows:
        if r["suppressed"]:
            lines.append(f"{r['name']}: suppressed")
            continue
        lines.append(f"{r['name']}: {'DESIGNATED' if r['designated'] else 'not designated'}")
        for c in r["criteria"]:
            mark = "x" if c["met"] else " "
            lines.append(
                f"  [{mark}] {c['name']}: {c['value']:.2f} (threshold {c['threshold']:.2f}) {c['detail']}"
            )
    return _emit(args, rows, lines or ["No provider group passes the first step."])


def cmd_procurement(args: argparse.Namespace) -> int:
    from .disclosure import SuppressedError
    from .selectors import joint_procurement

    try:
        rows = joint_procurement(user=_CommandLineAnalyst(), months=args.months)  # type: ignore[arg-type]
    except SuppressedError as exc:
        print(f"regie sector procurement: {exc}", file=sys.stderr)
        return 3
    lines = [
        f"{r['basis']} {r['label']}: suppressed"
        if r["suppressed"]
        else f"{r['basis']} {r['label']}: {r['orgs']} organisations, {r['contracts']} contracts, "
        f"EUR {r['annual_value']:,.0f} a year, ending {r['first_end']} – {r['last_end']}"
        for r in rows
    ]
    return _emit(args, rows, lines or ["No contracts end within the window."])


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_sector_bench

    print(json.dumps(run_sector_bench(args.scale), indent=2))
    if getattr(args, "register", False):
        from .bench_register import run_register_bench

        print(json.dumps(run_register_bench(args.scale), indent=2))
    return 0
