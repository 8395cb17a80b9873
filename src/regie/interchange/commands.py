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
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=run_import)

    exp = subparsers.add_parser("export", help="export an organisation's register")
    exp.add_argument("--org", metavar="CODE", required=True)
    exp.add_argument("--format", choices=sorted(exporters()), required=True)
    exp.add_argument("--output", type=Path, help="default: standard output")
    exp.set_defaults(func=run_export)

    sch = subparsers.add_parser("schema", help="write the JSON Schema of the organisation document")
    sch.add_argument("--output", type=Path, help="default: standard output")
    sch.set_defaults(func=run_schema)

    bench = subparsers.add_parser("import-benchmark", help="time the import of a generated spreadsheet")
    bench.add_argument("--rows", type=int, default=100_000)
    bench.set_defaults(func=run_import_benchmark)

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
