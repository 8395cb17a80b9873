"""``regie demo``: migrate, load the reference bundle, build the demo and say how to sign in."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import DemoReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="fill the database with the demo (Gemeente Voorbeeld and 40 fictional organisations)",
        description=(
            "Build the demo data: the reference catalogue, Gemeente Voorbeeld, 40 smaller fictional "
            "organisations and demo users. The same seed always gives the same data."
        ),
    )
    demo.add_argument("--seed", type=int, default=None, help="seed of the generator (default 2026)")
    demo.add_argument(
        "--rebuild", action="store_true", help="remove an existing demo first and build it anew"
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="also run when the database holds organisations that the demo did not make",
    )
    demo.set_defaults(func=cmd_demo)


def _print_login(report: DemoReport | None, password: str) -> None:
    from .users import MAIN_USERS

    print()
    print("Inloggen / sign in (regie serve, then http://127.0.0.1:8000/):")
    for user in MAIN_USERS:
        print(f"  {user.username:<10} {user.description}")
    print("  beheer-<code>  beheerder van elke andere demo-organisatie (bijv. beheer-gm9901)")
    print(f"  Wachtwoord / password for all demo accounts: {password}")
    if report is not None and report.users_skipped:
        print("  Not changed (these accounts existed before the demo): " + ", ".join(report.users_skipped))


def cmd_demo(args: argparse.Namespace) -> int:
    from regie.commands import migrate_quietly

    from .build import (
        DEFAULT_SEED,
        DemoExistsError,
        build_demo,
        demo_present,
        foreign_organisations,
        remove_demo,
    )
    from .users import DEMO_PASSWORD

    migrate_quietly()
    foreign = foreign_organisations()
    if foreign and not args.force:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        print(
            f"error: this database holds {len(foreign)} organisation(s) that are not demo data "
            f"({shown}). Use a new database (--db PATH) or add --force.",
            file=sys.stderr,
        )
        return 2
    if demo_present():
        if not args.rebuild:
            print("The demo is already in this database; nothing changed. Use --rebuild to build it anew.")
            _print_login(None, DEMO_PASSWORD)
            return 0
        removed = remove_demo()
        print(f"Removed the previous demo ({removed} organisations).")
    seed = DEFAULT_SEED if args.seed is None else args.seed
    print(f"Building the demo (seed {seed}) …", flush=True)
    try:
        report = build_demo(seed=seed)
    except DemoExistsError as exc:  # a concurrent run got there first
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(f"  {line}")
    _print_login(report, DEMO_PASSWORD)
    return 0
