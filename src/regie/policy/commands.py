"""Subcommands of ``regie``: ``findings`` (list, snapshot) and ``policy`` (check, show, bench)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    findings = subparsers.add_parser(
        "findings", help="findings of the strategic framework; 'snapshot' records today's figures (cron)"
    )
    findings.add_argument("action", nargs="?", choices=["list", "snapshot"], default="list")
    findings.add_argument(
        "--org", metavar="CODE", help="organisation code (snapshot: default every organisation)"
    )
    findings.add_argument("--json", action="store_true", help="as JSON")
    findings.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the messages (nl)")
    findings.add_argument(
        "--status",
        choices=["open", "accepted", "resolved"],
        help="only findings in this state (default: not resolved)",
    )
    findings.add_argument(
        "--no-refresh", action="store_true", help="list the stored findings without re-evaluating"
    )
    findings.set_defaults(func=cmd_findings)

    policy = subparsers.add_parser("policy", help="rule sets: check a file, show what applies, benchmark")
    sub = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="check rule set files; errors name file, rule and line")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(func=cmd_check)
    show = sub.add_parser("show", help="the rule sets and thresholds that apply to an organisation")
    show.add_argument("--org", required=True, metavar="CODE")
    show.set_defaults(func=cmd_show)
    bench = sub.add_parser("bench", help="time the evaluation of Regie basis on a synthetic landscape")
    bench.add_argument("--scale", default="national", help="municipality, region or national (national)")
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(func=cmd_bench)


def _org(code: str, command: str):  # type: ignore[no-untyped-def]
    from regie.analysis.selectors import UnknownOrganisationError, organisation_by_code

    try:
        return organisation_by_code(code=code)
    except UnknownOrganisationError as exc:
        print(f"regie {command}: {exc}", file=sys.stderr)
        return None


def cmd_findings(args: argparse.Namespace) -> int:
    from regie.register.models import Organisation

    from .models import Finding
    from .selectors import SEVERITY_ORDER
    from .services import figures_snapshot, findings_refresh

    if args.action == "snapshot":
        orgs = [_org(args.org, "findings")] if args.org else list(Organisation.objects.order_by("code"))
        if None in orgs:
            return 2
        taken = [o.code for o in orgs if figures_snapshot(organisation=o) is not None]
        print(f"snapshots taken: {len(taken)} of {len(orgs)} organisations")
        return 0
    if not args.org:
        print("regie findings: --org CODE is required", file=sys.stderr)
        return 2
    org = _org(args.org, "findings")
    if org is None:
        return 2
    if not args.no_refresh:
        findings_refresh(organisation=org)
    qs = Finding.objects.filter(organisation=org)
    qs = qs.filter(status=args.status) if args.status else qs.exclude(status="resolved")
    rows = sorted(qs, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule, f.subject_key))
    if args.json:
        out = [
            {
                "id": f.pk,
                "rule": f.rule,
                "severity": f.severity,
                "status": f.status,
                "subject": {"kind": f.subject_kind, "key": f.subject_key},
                "message": f.message(args.lang),
                "evidence": f.evidence,
                "fingerprint": f.fingerprint,
            }
            for f in rows
        ]
        print(json.dumps({"organisation": org.code, "findings": out}, indent=2, ensure_ascii=False))
        return 0
    counts = {s: sum(1 for f in rows if f.severity == s) for s in ("fail", "warn", "info")}
    print(
        f"{org.name} ({org.code}): {len(rows)} findings — "
        f"fail {counts['fail']}, warn {counts['warn']}, info {counts['info']}"
    )
    for f in rows:
        mark = "" if f.status == "open" else f" [{f.status}]"
        print(f"  {f.severity.upper():4}  {f.rule.split('/')[-1]:7} {f.message(args.lang)}{mark}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .rules import PolicyLoadError, load_ruleset

    status = 0
    for path in args.files:
        try:
            rs = load_ruleset(path)
        except PolicyLoadError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
        except OSError as exc:
            print(f"{path}: {exc.strerror}", file=sys.stderr)
            status = 1
        else:
            print(f"{path}: {rs.id} version {rs.version}, {len(rs.rules)} rules, ok")
    return status


def cmd_show(args: argparse.Namespace) -> int:
    from .framework import framework_for

    org = _org(args.org, "policy show")
    if org is None:
        return 2
    fw = framework_for(org)
    for rs, source in fw.rulesets:
        print(f"{rs.id} v{rs.version} ({source}): {rs.title['nl']} — {len(rs.rules)} rules")
    for rule_id, params in fw.tightened.items():
        for name, value in params.items():
            print(f"  tightened {rule_id}.{name} = {value:g}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_policy_bench

    result = run_policy_bench(args.scale)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"  {key:32} {value}")
    return 0
