"""Subcommands of ``regie``: ``analyse`` (every figure of one organisation) and ``bench``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from django.utils import translation

from regie.core.analysis import AnalysisOptions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    analyse = subparsers.add_parser(
        "analyse",
        help="every figure of one organisation: exposure, concentration, continuity, lock-in, price power",
    )
    analyse.add_argument("--org", required=True, metavar="CODE", help="organisation code, e.g. gm0363")
    analyse.add_argument("--json", action="store_true", help="the full analysis as JSON")
    analyse.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the text (nl)")
    analyse.add_argument(
        "--rise", type=float, default=10.0, metavar="PERCENT", help="price rise for price power (10)"
    )
    analyse.set_defaults(func=cmd_analyse)

    bench = subparsers.add_parser(
        "bench", help="time the engine and the snapshot load on synthetic landscapes (SQLite and PostgreSQL)"
    )
    bench.add_argument(
        "--scale",
        action="append",
        metavar="SCALE",
        help="municipality, region or national (repeatable; default: municipality)",
    )
    bench.add_argument("--json", action="store_true", help="the measurements as JSON")
    bench.add_argument(
        "--pg-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        metavar="URL",
        help="PostgreSQL server to create the scratch database regie_bench on",
    )
    bench.add_argument(
        "--pg-database",
        default="regie_bench",
        metavar="NAME",
        help="name of the scratch database, created and dropped by the command (regie_bench)",
    )
    bench.add_argument("--skip-db", action="store_true", help="only the engine, no snapshot load")
    bench.set_defaults(func=cmd_bench)


def cmd_analyse(args: argparse.Namespace) -> int:
    from .report import build_report
    from .selectors import UnknownOrganisationError, analyse_organisation, organisation_by_code
    from .serialise import clean
    from .text import render

    with translation.override(args.lang):
        try:
            org = organisation_by_code(code=args.org)
        except UnknownOrganisationError as exc:
            print(f"regie analyse: {exc}", file=sys.stderr)
            return 2
        analysis = analyse_organisation(org, AnalysisOptions(rise_percent=args.rise, detail=True))
        if args.json:
            print(json.dumps(clean(analysis.to_dict()), indent=2, ensure_ascii=False, allow_nan=False))
        else:
            sys.stdout.write(render(build_report(analysis, rise_percent=args.rise), org))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from regie.core.synthetic import SCALES

    from .bench import bench_scale

    scales = args.scale or ["municipality"]
    unknown = [s for s in scales if s not in SCALES]
    if unknown:
        print(
            f"regie bench: unknown scale {', '.join(unknown)} (known: {', '.join(SCALES)})", file=sys.stderr
        )
        return 2
    results = {}
    for scale in scales:
        results[scale] = bench_scale(
            scale, pg_url=args.pg_url, pg_database=args.pg_database, skip_db=args.skip_db
        )
        if not args.json:
            _print_bench(scale, results[scale])
    if args.json:
        print(json.dumps({"scales": results}, indent=2, default=str))
    return 0


def _print_bench(scale: str, r: dict[str, Any]) -> None:
    def s(value: Any) -> str:
        return "-" if value is None else f"{value:.2f} s"

    print(f"{scale}: {r.get('orgs')} organisations, {r.get('processes')} processes, {r.get('usages')} usages")
    print(f"  full analysis             {s(r.get('full_analysis_s'))}")
    print(f"  org re-analysis           {s(r.get('org_reanalysis_s'))}")
    loads = r.get("snapshot_load_s") or {}
    if isinstance(loads, dict):
        print(f"  snapshot load SQLite      {s(loads.get('sqlite'))}")
        err = (r.get("snapshot_load") or {}).get("postgresql", {}).get("error")
        print(f"  snapshot load PostgreSQL  {s(loads.get('postgresql'))}" + (f"  ({err})" if err else ""))
    print(f"  peak RSS                  {r.get('peak_rss_mb', 0):.0f} MB")
    ratio, agrees = r.get("reference_ratio", 0), r.get("reference_agrees")
    print(f"  reference ratio           {ratio:.1f}x (agrees: {agrees})")
