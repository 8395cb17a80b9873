"""Subcommand of ``regie``: ``roadmap`` (an organisation's exit plans by risk reduction per euro)."""

from __future__ import annotations

import argparse
import json
import sys

from django.utils import translation
from django.utils.translation import gettext as _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roadmap = subparsers.add_parser(
        "roadmap", help="the exit plans of one organisation ordered by risk reduction per euro"
    )
    roadmap.add_argument("--org", required=True, metavar="CODE", help="organisation code, e.g. gm0363")
    roadmap.add_argument("--json", action="store_true", help="the roadmap as JSON")
    roadmap.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the text (nl)")
    roadmap.set_defaults(func=cmd_roadmap)


def cmd_roadmap(args: argparse.Namespace) -> int:
    from regie.analysis.selectors import UnknownOrganisationError, organisation_by_code

    from .roadmap import roadmap_of
    from .text import render_roadmap

    with translation.override(args.lang):
        try:
            org = organisation_by_code(code=args.org)
        except UnknownOrganisationError as exc:
            print(f"regie roadmap: {exc}", file=sys.stderr)
            return 2
        road = roadmap_of(org)
        if args.json:
            print(json.dumps(road.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
        else:
            sys.stdout.write(render_roadmap(road))
            if not road.steps and not road.unranked:
                print(_("No exit plans recorded."))
    return 0
