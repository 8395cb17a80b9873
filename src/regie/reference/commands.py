"""``regie reference ...``: load, update and check the reference bundle; list stale facts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.db import transaction

from .bundle import BundleError, BundleReport, load_bundle, read_bundle, refuse_older
from .impact import affected_organisations
from .refigure import OrganisationChange, compare, figures_of, group_names


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ref = subparsers.add_parser("reference", help="the shared reference data: countries, laws, suppliers, …")
    sub = ref.add_subparsers(dest="reference_command", metavar="ACTION", required=True)

    load = sub.add_parser("load", help="load the bundle shipped with Regie, or BUNDLE")
    load.add_argument("bundle", nargs="?", type=Path, help="a bundle directory or its bundle.yaml")
    load.add_argument("--dry-run", action="store_true", help="report the changes, write nothing")
    load.add_argument("--allow-older", action="store_true", help="load even if a newer bundle is installed")
    load.set_defaults(func=cmd_load)

    update = sub.add_parser("update", help="apply a newer bundle and report what changed and whom it affects")
    update.add_argument("bundle", type=Path, help="a bundle directory or its bundle.yaml")
    update.add_argument("--dry-run", action="store_true", help="report the changes, write nothing")
    update.set_defaults(func=cmd_update)

    check = sub.add_parser("check", help="validate a bundle without loading it")
    check.add_argument("bundle", nargs="?", type=Path)
    check.set_defaults(func=cmd_check)

    facts = sub.add_parser("facts", help="list stale or unverified catalogue facts")
    which = facts.add_mutually_exclusive_group(required=True)
    which.add_argument("--stale", action="store_true", help="checked longer ago than --days")
    which.add_argument("--unverified", action="store_true", help="believed, not read in a source")
    facts.add_argument("--days", type=int, default=None, help="default: REGIE_STALE_AFTER_DAYS")
    facts.set_defaults(func=cmd_facts)


def _refused(exc: BundleError) -> int:
    print("The bundle was refused; nothing was written:", file=sys.stderr)
    for line in exc.errors:
        print(f"  {line}", file=sys.stderr)
    return 2


def print_report(report: BundleReport, *, with_affected: bool) -> None:
    print(report.summary())
    if report.previous_version is not None:  # a first load would list every record as new
        for change in report.changes:
            print(f"  {change.describe()}")
    if with_affected:
        orgs = affected_organisations(report.changed_entity_ids, report.changed_service_ids)
        if orgs:
            print(f"Organisations affected ({len(orgs)}):")
            for org in orgs:
                print(f"  {org.code}  {org.name}")
        else:
            print("No organisation is affected.")


def cmd_load(args: argparse.Namespace) -> int:
    try:
        if not getattr(args, "allow_older", False):
            refuse_older(args.bundle)
        report = load_bundle(args.bundle, dry_run=args.dry_run)
    except BundleError as exc:
        return _refused(exc)
    print_report(report, with_affected=report.previous_version is not None and report.change_count > 0)
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """Apply the bundle; per affected organisation, the figures that change (before → after).

    A dry run of the bundle first names the organisations it touches; only those are analysed,
    before and after the bundle is applied (inside one transaction, rolled back with --dry-run).
    """
    try:
        refuse_older(args.bundle)
        preview = load_bundle(args.bundle, dry_run=True)
    except BundleError as exc:
        return _refused(exc)
    touched = affected_organisations(preview.changed_entity_ids, preview.changed_service_ids)
    before = figures_of(o.pk for o in touched)
    with transaction.atomic():
        try:
            report = load_bundle(args.bundle)
        except BundleError as exc:
            return _refused(exc)
        after_orgs = affected_organisations(report.changed_entity_ids, report.changed_service_ids)
        after = figures_of({o.pk for o in touched} | {o.pk for o in after_orgs})
        if args.dry_run:
            report.dry_run = True
            transaction.set_rollback(True)
    print_report(report, with_affected=False)
    print_figure_changes(compare(before, after), only_after=set(after) - set(before))
    return 0


def print_figure_changes(changes: list[OrganisationChange], *, only_after: set[int]) -> None:
    """The affected organisations and, for each, the figures that change."""
    if not changes:
        print("No organisation is affected.")
        return
    names = group_names(changes)
    moved = sum(1 for c in changes if c.changes)
    print(f"Organisations affected ({len(changes)}; figures change for {moved}):")
    for org in changes:
        late = org.organisation_id in only_after
        note = "  (touched only after the update; no figures before)" if late else ""
        print(f"  {org.code}  {org.name}{note}")
        if not org.changes:
            print("    no figure changes")
        for change in org.changes:
            print(f"    {change.describe(names)}")


def cmd_check(args: argparse.Namespace) -> int:
    try:
        bundle = read_bundle(args.bundle)
    except BundleError as exc:
        return _refused(exc)
    print(
        f"Bundle {bundle.version} ({bundle.date}) is valid: {len(bundle.entities)} entities, "
        f"{len(bundle.products)} products, {len(bundle.services)} services, "
        f"{len(bundle.alternatives)} alternatives, {len(bundle.laws)} laws, "
        f"{len(bundle.countries)} countries, "
        f"{len(bundle.gemma)} GEMMA elements, {len(bundle.sources)} sources."
    )
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from .selectors import stale_facts, unverified_facts

    facts = stale_facts(older_than_days=args.days) if args.stale else unverified_facts()
    for f in facts:
        checked = f.checked_on.isoformat() if f.checked_on else "never"
        print(f"{checked}  {f.subject_kind} {f.subject_name}: {f.field} = {f.value}  [{f.source}]")
    print(f"{len(facts)} facts.")
    return 0
