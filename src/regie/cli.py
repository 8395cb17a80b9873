"""The ``regie`` command.

``--db PATH`` (anywhere on the line) selects an embedded SQLite database file; without it,
``DATABASE_URL`` or the default ``var/regie.sqlite3`` is used. Django is set up first; then
each app's ``commands`` module adds its subcommands (see ``COMMAND_MODULES``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

COMMAND_MODULES: tuple[str, ...] = (
    "regie.commands",
    "regie.analysis.commands",
    "regie.reference.commands",
    "regie.interchange.commands",
    "regie.demo.commands",
    "regie.sector.commands",
    "regie.policy.commands",
    "regie.procurement.commands",
    "regie.planning.commands",
    "regie.reports.commands",
)


def _configure_database(argv: Sequence[str]) -> None:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--db", type=Path)
    known, _ = pre.parse_known_args(argv)
    if known.db is not None:
        path = known.db.expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings.base")


def _migrate_embedded_database() -> None:
    """An embedded SQLite file is brought up to date before any command runs on it.

    A PostgreSQL database is migrated only by `regie migrate`, as production deployments expect.
    """
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from regie.commands import migrate_quietly

        migrate_quietly()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regie",
        description="Regie: measure and control the digital dependencies of government organisations.",
    )
    parser.add_argument(
        "--db", type=Path, metavar="PATH", help="an SQLite database file (default: DATABASE_URL)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    for sub in subparsers.choices.values():
        if not any("--db" in action.option_strings for action in sub._actions):
            sub.add_argument("--db", type=Path, metavar="PATH", help="an SQLite database file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    _configure_database(args_list)
    import django

    django.setup()
    args = build_parser().parse_args(args_list)
    _migrate_embedded_database()
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
