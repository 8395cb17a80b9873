"""`regie import`, `regie export` and `regie template`: interchange on the command line.

The command line acts as the system itself (no user), like a management command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    from .registry import exporters, importers

    imp = subparsers.add_parser(
        "import",
        help="import a file into an organisation's register (all or nothing)",
        description="Import a file. Every problem is listed with its place; nothing is written "
        "unless there are none. With --dry-run nothing is written at all.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--org", metavar="CODE", help="the organisation (a JSON document may create it)")
    imp.add_argument("--format", choices=sorted(importers()), help="default: from the file name")
    imp.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    imp.add_argument(
        "--sheet",
        metavar="REGISTER",
        default="",
        help="csv: the register the file holds (processes, usages, …, or the sheet's name); "
        "default: from the end of the file name, else from the columns when they fit one register",
    )
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=run_import)

    exp = subparsers.add_parser(
        "export",
        help="export an organisation's register, or every organisation's JSON document",
        description="Export one organisation (--org), or, with --all --format json --output DIR, "
        "the JSON document of every organisation as DIR/<code>.json (the command line only).",
    )
    which = exp.add_mutually_exclusive_group(required=True)
    which.add_argument("--org", metavar="CODE")
    which.add_argument(
        "--all", action="store_true", help="every organisation (format json, into --output DIR)"
    )
    exp.add_argument("--format", choices=sorted(exporters()), required=True)
    exp.add_argument("--output", type=Path, help="default: standard output; with --all: a directory")
    exp.add_argument("--jobs", type=int, help="with --all: processes (default: one per processor, at most 4)")
    exp.set_defaults(func=run_export)

    sch = subparsers.add_parser("schema", help="write the JSON Schema of the organisation document")
    sch.add_argument("--output", type=Path, help="default: standard output")
    sch.set_defaults(func=run_schema)

    bench = subparsers.add_parser("import-benchmark", help="time the import of a generated spreadsheet")
    bench.add_argument("--rows", type=int, default=100_000)
    bench.set_defaults(func=run_import_benchmark)

    ebench = subparsers.add_parser(
        "export-benchmark",
        help="time the JSON export of every organisation of the synthetic landscape",
        description="Fill an empty database with the synthetic landscape, export every "
        "organisation's JSON document (as regie export --all) and time it against --target; then "
        "export --sample organisations one by one, each timed, for comparison.",
    )
    ebench.add_argument("--scale", default="national", choices=("municipality", "region", "national"))
    ebench.add_argument(
        "--sample", type=int, default=20, help="then export this many one by one (default 20)"
    )
    ebench.add_argument("--jobs", type=int, help="processes (default: one per processor, at most 4)")
    ebench.add_argument("--output", type=Path, help="keep the documents in this directory")
    ebench.add_argument("--target", type=float, default=30.0, help="seconds allowed for every organisation")
    ebench.set_defaults(func=run_export_benchmark)

    gleif = subparsers.add_parser(
        "gleif", help="the GLEIF API (the only command that contacts an external host)"
    ).add_subparsers(dest="gleif_command", required=True)
    look = gleif.add_parser(
        "lookup",
        help="look up a legal entity and its parents at api.gleif.org, with a cache",
        description="Look up a legal entity by LEI or legal name at the GLEIF API and follow its "
        "direct parents upwards. Answers are cached on disk. With --apply the LEI, the countries "
        "of registration and headquarters and the parents are written to the catalogue, with the "
        "provenance 'GLEIF API, retrieved <date>'. Exit code 3: the API cannot be reached.",
    )
    look.add_argument("query", metavar="NAME|LEI")
    look.add_argument("--apply", action="store_true", help="write the facts to the catalogue")
    look.add_argument("--dry-run", action="store_true", help="with --apply: check only; write nothing")
    look.add_argument("--cache-dir", type=Path, help="default: $REGIE_GLEIF_CACHE_DIR or var/cache/gleif")
    look.add_argument("--max-age", type=float, default=7.0, metavar="DAYS", help="cache expiry (default 7)")
    look.add_argument("--json", action="store_true", help="print what was found as JSON")
    look.set_defaults(func=run_gleif_lookup)

    tpl = subparsers.add_parser("template", help="write the empty XLSX template for the register")
    tpl.add_argument("--output", type=Path, default=Path("regie-sjabloon.xlsx"))
    tpl.set_defaults(func=run_template)


def _organisation(code: str | None) -> Any:
    from regie.register.models import Organisation

    if code is None:
        return None
    return Organisation.objects.filter(code=code).first()


def run_import(args: argparse.Namespace) -> int:
    from .problems import ImportReport
    from .services import UnknownFormatError, import_file

    organisation = _organisation(args.org)
    if args.org and organisation is None and args.format != "json" and args.file.suffix != ".json":
        print(f"regie: no organisation with code '{args.org}'.", file=sys.stderr)
        return 2
    try:
        report: ImportReport = import_file(
            actor=None,
            organisation=organisation,
            path_or_bytes=args.file,
            format=args.format,
            dry_run=args.dry_run,
            sheet=args.sheet,
        )
    except (UnknownFormatError, ValueError) as exc:
        print(f"regie: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for notice in report.notices:
            print(f"note: {notice}")
        print(report.summary())
    return 0 if report.ok else 1


def run_export(args: argparse.Namespace) -> int:
    from .services import export_organisation

    if args.all:
        return _export_all(args)
    organisation = _organisation(args.org)
    if organisation is None:
        print(f"regie: no organisation with code '{args.org}'.", file=sys.stderr)
        return 2
    data = export_organisation(actor=None, organisation=organisation, format=args.format)
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        args.output.write_bytes(data)
        print(f"Wrote {len(data):,} bytes to {args.output}.")
    return 0


def _export_all(args: argparse.Namespace) -> int:
    from .jsondoc.bulkexport import default_jobs
    from .services import export_every_organisation

    if args.format != "json" or args.output is None:
        print(
            "regie: --all writes JSON documents into a directory: --format json --output DIR.",
            file=sys.stderr,
        )
        return 2
    if args.output.exists() and not args.output.is_dir():
        print(f"regie: {args.output} is not a directory.", file=sys.stderr)
        return 2
    result = export_every_organisation(directory=args.output, jobs=args.jobs or default_jobs())
    print(
        f"Wrote {result.organisations:,} documents ({result.bytes:,} bytes) to {args.output} in "
        f"{result.seconds:.1f} s ({result.cpu_seconds:.1f} s of processor time, {result.jobs} processes)."
    )
    return 0


def run_template(args: argparse.Namespace) -> int:
    from .sheets.workbook import template_bytes

    data = template_bytes()
    args.output.write_bytes(data)
    print(f"Wrote the template to {args.output}.")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from .jsondoc.schema import schema_text

    text = schema_text()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


def run_import_benchmark(args: argparse.Namespace) -> int:
    from .benchmark import run_benchmark

    result = run_benchmark(rows=args.rows, organisation_code=f"benchmark-{args.rows}")
    print(
        f"{result.rows:,} rows: workbook built in {result.build_seconds:.1f} s, imported in "
        f"{result.import_seconds:.1f} s ({result.import_cpu_seconds:.1f} s of processor time, "
        f"{result.rows_per_second:,.0f} rows/s); "
        f"{result.created:,} created, {result.problems} problems."
    )
    return 0 if result.problems == 0 else 1


def run_gleif_lookup(args: argparse.Namespace) -> int:
    import datetime

    from . import gleif_api
    from .gleif import run_parsed
    from .problems import ImportReport
    from .services import run_import

    if args.max_age < 0:
        print("regie: --max-age must be zero or more days.", file=sys.stderr)
        return 2
    client = gleif_api.Client(
        transport=gleif_api.default_transport(),
        cache_dir=args.cache_dir or gleif_api.default_cache_dir(),
        max_age=datetime.timedelta(days=args.max_age),
    )
    try:
        found = gleif_api.lookup(client, args.query)
    except gleif_api.GleifOfflineError as exc:
        print(
            f"regie: the GLEIF API ({gleif_api.API_URL}) cannot be reached: {exc}. Nothing was looked up "
            "and nothing was written. Check the network (or its proxy) and try again, or import a GLEIF "
            "golden-copy file instead: regie import FILE --format gleif.",
            file=sys.stderr,
        )
        return 3
    except gleif_api.GleifError as exc:
        print(f"regie: {exc}", file=sys.stderr)
        return 1
    for message in client.notices:
        print(f"note: {message}", file=sys.stderr)
    _print_lookup(found, as_json=args.json)
    if found.chosen is None:
        if found.candidates:
            print("Several entities match; name one by its LEI.", file=sys.stderr)
        else:
            print(f"GLEIF knows no entity '{args.query}'.", file=sys.stderr)
        return 1
    if not args.apply:
        return 0
    parsed = gleif_api.as_gleif_file(client, found)
    report = run_import(
        ImportReport(format="gleif", file=f"GLEIF API: {args.query}", dry_run=args.dry_run),
        actor=None,
        organisation=None,
        dry_run=args.dry_run,
        run=lambda ctx: run_parsed(parsed, ctx),
    )
    for notice in report.notices:
        print(f"note: {notice}")
    print(report.summary())
    return 0 if report.ok else 1


def _print_lookup(found: Any, *, as_json: bool) -> None:
    from .gleif_api import describe

    if as_json:
        chain = [describe(r) for r in found.chain]
        document = {
            "query": found.query,
            "candidates": [describe(r) for r in found.candidates],
            "entity": chain[0] if chain else None,
            "direct_parents": chain[1:],
            "ultimate_parent": describe(found.ultimate) if found.ultimate else None,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return

    def line(record: dict[str, str]) -> str:
        return (
            f"{record['lei']}  {record['name']}  (registered in {record['legal_country'] or '?'}, "
            f"headquarters in {record['hq_country'] or '?'})"
        )

    if found.chosen is None:
        for record in found.candidates:
            print(line(describe(record)))
        return
    print(line(describe(found.chosen)))
    for depth, record in enumerate(found.chain[1:], start=1):
        print(f"{'  ' * depth}direct parent: {line(describe(record))}")
    if found.ultimate is not None:
        print(f"ultimate parent: {line(describe(found.ultimate))}")
    elif len(found.chain) == 1:
        print("no parent reported")


def run_export_benchmark(args: argparse.Namespace) -> int:
    import os

    from .benchmark import run_export_benchmark as bench
    from .jsondoc.bulkexport import default_jobs

    result = bench(scale=args.scale, sample=args.sample, jobs=args.jobs or default_jobs(), output=args.output)
    every = result.every
    seeded = "" if result.seed_seconds is None else f"landscape written in {result.seed_seconds:.1f} s; "
    print(
        f"{args.scale} landscape ({result.organisations:,} organisations): {seeded}every organisation's "
        f"JSON document ({every.organisations:,} documents, {every.bytes:,} bytes) in {every.seconds:.1f} s "
        f"({every.cpu_seconds:.1f} s of processor time, {every.jobs} processes; load average "
        f"{os.getloadavg()[0]:.1f}); target {args.target:.0f} s."
    )
    count = len(result.seconds)
    if count:
        mean = sum(result.seconds) / count
        print(
            f"One by one: {count} organisations, {mean:.2f} s each on average, "
            f"slowest {result.slowest:.2f} s "
            f"({sum(result.cpu_seconds) / count:.2f} s of processor time each), largest document "
            f"{result.largest_bytes:,} bytes."
        )
    return 0 if every.seconds <= args.target else 1
