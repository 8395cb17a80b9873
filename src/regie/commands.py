"""Core subcommands of ``regie``: migrate, serve, createuser."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = subparsers.add_parser("migrate", help="create or update the database tables")
    migrate.set_defaults(func=cmd_migrate)

    serve = subparsers.add_parser("serve", help="serve Regie on http://127.0.0.1:PORT")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(func=cmd_serve)

    user = subparsers.add_parser("createuser", help="add a user, optionally with a role in an organisation")
    user.add_argument("username")
    user.add_argument("--email", default="")
    user.add_argument("--org", metavar="CODE", help="organisation code")
    user.add_argument("--role", choices=["viewer", "editor", "admin"], default="viewer")
    user.add_argument("--superuser", action="store_true")
    user.add_argument("--catalogue-maintainer", action="store_true")
    user.add_argument("--sector-analyst", action="store_true")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.set_defaults(func=cmd_createuser)


def migrate_quietly() -> None:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def cmd_migrate(args: argparse.Namespace) -> int:
    migrate_quietly()
    print("The database is up to date.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    migrate_quietly()
    bind = f"{args.host}:{args.port}"
    print(f"Regie serves at http://{bind}/  (Ctrl+C stops it)", flush=True)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings.base")
    argv: list[Any] = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:regie.settings.gunicorn",
        "--bind",
        bind,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        "--env",
        f"DJANGO_SETTINGS_MODULE={env['DJANGO_SETTINGS_MODULE']}",
        "regie.wsgi:application",
    ]
    os.execve(sys.executable, argv, env)  # noqa: S606 - replaces this process with the server


def cmd_createuser(args: argparse.Namespace) -> int:
    from regie.accounts.models import User
    from regie.register.models import Organisation

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            print("error: the passwords differ", file=sys.stderr)
            return 2
    organisation = None
    if args.org:
        organisation = Organisation.objects.filter(code=args.org).first()
        if organisation is None:
            print(f"error: no organisation with code {args.org!r}", file=sys.stderr)
            return 2
    if User.objects.filter(username=args.username).exists():
        print(f"error: user {args.username!r} exists already", file=sys.stderr)
        return 2
    from django.core.exceptions import ValidationError

    from regie.accounts.services import membership_set, user_create

    try:
        with transaction.atomic():
            user = user_create(
                actor=None,
                username=args.username,
                email=args.email,
                password=password,
                superuser=args.superuser,
                catalogue_maintainer=args.catalogue_maintainer,
                sector_analyst=args.sector_analyst,
            )
            if organisation is not None:
                membership_set(actor=None, user=user, organisation=organisation, role=args.role)
    except ValidationError as exc:
        print("error: " + " ".join(exc.messages), file=sys.stderr)
        return 2
    where = f" as {args.role} of {organisation}" if organisation else ""
    print(f"User {user.username} created{where}.")
    return 0
