"""``regie report``: the dependency report or a procurement decision report as PDF or HTML."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = subparsers.add_parser(
        "report",
        help="a report for the council or board: dependencies, or a procurement decision (PDF or HTML)",
        description=(
            "Write the organisation's dependency report, or the decision report of one of its tenders, "
            "as PDF or as one self-contained HTML file. Each report made is recorded in the audit trail."
        ),
    )
    report.add_argument("--org", required=True, metavar="CODE", help="organisation code, e.g. gm9999")
    report.add_argument("--format", choices=["pdf", "html"], default="pdf", help="pdf (default) or html")
    report.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the report (nl)")
    report.add_argument(
        "--kind",
        choices=["dependency", "procurement"],
        default="dependency",
        help="which report (dependency)",
    )
    report.add_argument("--tender", metavar="ID", help="id or reference of the tender (procurement report)")
    report.add_argument(
        "--output",
        metavar="PATH",
        help="file, or directory ending in /, to write (default: a named file here)",
    )
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from regie.analysis.selectors import UnknownOrganisationError, organisation_by_code
    from regie.register.selectors import NotVisibleError

    from .selectors import ReportError
    from .services import report_generate

    if args.kind == "procurement" and not args.tender:
        print("regie report: --tender is required for a procurement report", file=sys.stderr)
        return 2
    try:
        org = organisation_by_code(code=args.org)
        made = report_generate(
            actor=None,
            organisation=org,
            kind=args.kind,
            fmt=args.format,
            language=args.lang,
            tender=args.tender,
            trusted=True,
        )
    except (UnknownOrganisationError, NotVisibleError) as exc:
        print(f"regie report: {exc}", file=sys.stderr)
        return 2
    except ReportError as exc:
        print(f"regie report: --{exc.field}: {exc.reason}", file=sys.stderr)
        return 2
    output: str = args.output or made.filename
    target = Path(output)
    if output.endswith(("/", os.sep)) or target.is_dir():
        target = target / made.filename
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(made.content)
    except OSError as exc:
        print(f"regie report: --output: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"{target} ({len(made.content):,} bytes)")
    return 0
