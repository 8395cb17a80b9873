"""Rule sets: versioned YAML files of rules, loaded and checked with their positions.

A rule set file::

    id: regie-basis
    version: 1
    title: {nl: Regie basis, en: Regie baseline}
    rules:
      - id: JUR-01
        subject: process            # process | usage | contract | refcomp | organisation
        severity: fail              # info | warn | fail
        scope: {organisation_kinds: [municipality], criticality: critical}
        parameters:
          max_share: {default: 0.5, tighten: lower}
        condition: process.confidentiality >= 3 && process.exposure_control == "exposed"
        title: {nl: ..., en: ...}
        message: {nl: "Proces {process.name} ...", en: "..."}
        source: {title: ..., url: ...}

Every error names the file, the rule id and the line and column (1-based) where it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .cel import CelError, Condition, compile_condition
from .variables import FIELDS, SUBJECTS

__all__ = [
    "RULESET_DIR",
    "Parameter",
    "PolicyLoadError",
    "Rule",
    "RuleSet",
    "builtin_rulesets",
    "load_ruleset",
    "parse_ruleset",
]

RULESET_DIR = Path(__file__).parent / "rulesets"
SEVERITIES = ("info", "warn", "fail")
CRITICALITY = ("all", "critical")
ORG_KINDS = (
    "municipality",
    "province",
    "water_authority",
    "central_government",
    "agency",
    "joint_arrangement",
    "other",
)
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\.([a-z_]+)\}")


class PolicyLoadError(ValueError):
    """A rule set that cannot be used: ``file``, ``rule``, ``line``, ``column`` say where."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        rule: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message, self.file, self.rule, self.line, self.column = message, file, rule, line, column
        where = file + (f":{line}" if line else "") + (f":{column}" if column else "")
        super().__init__(f"{where}: " + (f"rule {rule}: " if rule else "") + message)


@dataclass(frozen=True)
class Parameter:
    """A threshold an organisation may tighten. ``tighten`` says which way is stricter."""

    name: str
    default: float
    tighten: str  # lower | higher
    doc: str = ""

    def is_tighter_or_equal(self, value: float, than: float) -> bool:
        return value <= than if self.tighten == "lower" else value >= than


@dataclass(frozen=True)
class Rule:
    id: str
    subject: str
    severity: str
    title: Mapping[str, str]
    message: Mapping[str, str]
    condition: Condition
    source: Mapping[str, str]
    organisation_kinds: frozenset[str] = frozenset()  # empty: every kind
    criticality: str = "all"
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    ruleset: str = ""

    @property
    def qualified_id(self) -> str:
        return f"{self.ruleset}/{self.id}"

    def placeholders(self) -> frozenset[tuple[str, str]]:
        return frozenset(m for text in self.message.values() for m in _PLACEHOLDER.findall(text))

    def render(self, lang: str, values: Mapping[tuple[str, str], Any]) -> str:
        parts = _template(self.message.get(lang) or self.message["nl"])
        return "".join(p if isinstance(p, str) else _fmt(values.get(p, "?")) for p in parts)


@cache
def _template(text: str) -> tuple[str | tuple[str, str], ...]:
    """A message split once into literal text and (root, field) placeholders."""
    out: list[str | tuple[str, str]] = []
    last = 0
    for m in _PLACEHOLDER.finditer(text):
        out.append(text[last : m.start()])
        out.append((m.group(1), m.group(2)))
        last = m.end()
    out.append(text[last:])
    return tuple(out)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, bool):
        return "ja/yes" if value else "nee/no"
    return str(value)


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: int
    title: Mapping[str, str]
    description: Mapping[str, str]
    rules: tuple[Rule, ...]
    file: str

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


# --- YAML with positions ----------------------------------------------------------------


class _MarkedDict(dict[Any, Any]):
    mark: Any = None
    key_marks: dict[Any, Any]
    key_styles: dict[Any, str | None]


class _MarkedList(list[Any]):
    mark: Any = None
    item_marks: list[Any]


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> _MarkedDict:
    out = _MarkedDict()
    out.mark = node.start_mark
    out.key_marks = {}
    out.key_styles = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            m = key_node.start_mark
            raise PolicyLoadError(f"duplicate key {key!r}", file="", line=m.line + 1, column=m.column + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_marks[key] = value_node.start_mark
        out.key_styles[key] = getattr(value_node, "style", None)
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> _MarkedList:
    out = _MarkedList(loader.construct_object(n, deep=True) for n in node.value)
    out.mark = node.start_mark
    out.item_marks = [n.start_mark for n in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


class _Ctx:
    def __init__(self, file: str) -> None:
        self.file = file
        self.rule: str | None = None

    def error(self, message: str, mark: Any = None, *, column_offset: int = 0) -> PolicyLoadError:
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 + column_offset if mark is not None else None
        return PolicyLoadError(message, file=self.file, rule=self.rule, line=line, column=column)

    def mark(self, obj: Any, key: Any = None) -> Any:
        if key is not None and isinstance(obj, _MarkedDict):
            return obj.key_marks.get(key, obj.mark)
        return getattr(obj, "mark", None)

    def mapping(self, obj: Any, where: str, mark: Any) -> _MarkedDict:
        if not isinstance(obj, _MarkedDict):
            raise self.error(f"{where} must be a mapping", mark)
        return obj

    def keys(self, obj: _MarkedDict, required: set[str], optional: set[str], where: str) -> None:
        for key in obj:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                raise self.error(
                    f"unknown key {key!r} in {where} (allowed: {allowed})", obj.key_marks.get(key)
                )
        for key in sorted(required - set(obj)):
            raise self.error(f"{where} lacks {key!r}", obj.mark)

    def text(self, obj: _MarkedDict, key: str) -> dict[str, str]:
        value = self.mapping(obj.get(key), key, self.mark(obj, key))
        self.keys(value, {"nl", "en"}, set(), key)
        for lang in ("nl", "en"):
            if not isinstance(value[lang], str) or not value[lang].strip():
                raise self.error(f"{key}.{lang} must be non-empty text", value.key_marks[lang])
        return {"nl": value["nl"].strip(), "en": value["en"].strip()}


def _parameters(ctx: _Ctx, raw: Any, mark: Any) -> dict[str, Parameter]:
    if raw is None:
        return {}
    params = ctx.mapping(raw, "parameters", mark)
    out = {}
    for name, spec in params.items():
        pmark = params.key_marks[name]
        if not isinstance(name, str) or not re.match(r"^[a-z_][a-z0-9_]*$", name):
            raise ctx.error(f"parameter name {name!r} must be lower_snake_case", pmark)
        spec_map = ctx.mapping(spec, f"parameter {name}", pmark)
        ctx.keys(spec_map, {"default", "tighten"}, {"doc"}, f"parameter {name}")
        default = spec_map["default"]
        if isinstance(default, bool) or not isinstance(default, int | float):
            raise ctx.error(f"parameter {name}: default must be a number", spec_map.key_marks["default"])
        if spec_map["tighten"] not in ("lower", "higher"):
            raise ctx.error(
                f"parameter {name}: tighten must be lower or higher", spec_map.key_marks["tighten"]
            )
        out[name] = Parameter(name, float(default), spec_map["tighten"], str(spec_map.get("doc", "")))
    return out


def _cel_error(ctx: _Ctx, exc: CelError, mark: Any, style: str | None) -> PolicyLoadError:
    """Map a position inside the expression to a position in the file."""
    line, column = exc.line or 1, exc.column or 1
    if style in ("|", ">"):  # block scalar: the text starts on the next line
        file_line = mark.line + 2 + (line - 1 if style == "|" else 0)
        return PolicyLoadError(exc.message, file=ctx.file, rule=ctx.rule, line=file_line)
    quote = 1 if style in ("'", '"') else 0
    if line == 1:
        return ctx.error(exc.message, mark, column_offset=column - 1 + quote)
    return PolicyLoadError(exc.message, file=ctx.file, rule=ctx.rule, line=mark.line + line)


def _scope(ctx: _Ctx, obj: _MarkedDict, subject: str) -> tuple[frozenset[str], str]:
    if "scope" not in obj:
        return frozenset(), "all"
    scope = ctx.mapping(obj["scope"], "scope", obj.key_marks["scope"])
    ctx.keys(scope, set(), {"organisation_kinds", "criticality"}, "scope")
    raw_kinds = scope.get("organisation_kinds") or []
    bad = [k for k in raw_kinds if k not in ORG_KINDS] if isinstance(raw_kinds, list) else [raw_kinds]
    if bad:
        raise ctx.error(
            f"unknown organisation kind {bad[0]!r} (known: {', '.join(ORG_KINDS)})",
            scope.key_marks.get("organisation_kinds"),
        )
    criticality = scope.get("criticality", "all")
    if criticality not in CRITICALITY:
        raise ctx.error("criticality must be all or critical", scope.key_marks.get("criticality"))
    if criticality == "critical" and subject not in ("process", "usage"):
        raise ctx.error("criticality applies to process and usage rules only", scope.key_marks["criticality"])
    return frozenset(raw_kinds), criticality


def _rule(ctx: _Ctx, raw: Any, mark: Any, ruleset_id: str) -> Rule:
    obj = ctx.mapping(raw, "a rule", mark)
    rid = obj.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise ctx.error(f"rule id {rid!r} must be letters, digits, '-', '_' or '.'", ctx.mark(obj, "id"))
    ctx.rule = rid
    ctx.keys(
        obj,
        {"id", "subject", "severity", "title", "message", "condition", "source"},
        {"scope", "parameters", "description"},
        "the rule",
    )
    subject = obj["subject"]
    if subject not in SUBJECTS:
        raise ctx.error(f"subject must be one of {', '.join(SUBJECTS)}", obj.key_marks["subject"])
    if obj["severity"] not in SEVERITIES:
        raise ctx.error(f"severity must be one of {', '.join(SEVERITIES)}", obj.key_marks["severity"])
    kinds, criticality = _scope(ctx, obj, subject)
    params = _parameters(ctx, obj.get("parameters"), ctx.mark(obj, "parameters"))
    known = {
        subject: frozenset(FIELDS[subject]),
        "org": frozenset(FIELDS["organisation"]),
        "params": frozenset(params),
    }
    text = obj["condition"]
    cmark = obj.key_marks["condition"]
    if not isinstance(text, str) or not text.strip():
        raise ctx.error("condition must be a CEL expression", cmark)
    try:
        condition = compile_condition(text, known)
    except CelError as exc:
        raise _cel_error(ctx, exc, cmark, obj.key_styles.get("condition")) from exc
    title = ctx.text(obj, "title")
    message = ctx.text(obj, "message")
    source = ctx.mapping(obj["source"], "source", obj.key_marks["source"])
    ctx.keys(source, {"title"}, {"url", "note"}, "source")
    rule = Rule(
        id=rid,
        subject=subject,
        severity=obj["severity"],
        title=title,
        message=message,
        condition=condition,
        source={k: str(v) for k, v in source.items()},
        organisation_kinds=kinds,
        criticality=criticality,
        parameters=params,
        ruleset=ruleset_id,
    )
    allowed = set(known) - {"params"}
    for root, name in sorted(rule.placeholders()):
        if root == "params":
            ok = name in params
        else:
            ok = root in allowed and name in FIELDS["organisation" if root == "org" else root]
        if not ok:
            raise ctx.error(
                f"message placeholder {{{root}.{name}}} is not a known field", obj.key_marks["message"]
            )
    return rule


def parse_ruleset(text: str, file: str) -> RuleSet:
    """Parse and check a rule set; raise :class:`PolicyLoadError` naming file, rule and position."""
    ctx = _Ctx(file)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506  (a SafeLoader subclass)
    except PolicyLoadError as exc:
        raise PolicyLoadError(exc.message, file=file, line=exc.line, column=exc.column) from exc
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark
        raise PolicyLoadError(
            f"not valid YAML: {exc.problem}",
            file=file,
            line=m.line + 1 if m else None,
            column=m.column + 1 if m else None,
        ) from exc
    root = ctx.mapping(data, "a rule set", None)
    ctx.keys(root, {"id", "version", "title", "rules"}, {"description"}, "the rule set")
    rsid = root["id"]
    if not isinstance(rsid, str) or not _ID.match(rsid):
        raise ctx.error("rule set id must be letters, digits, '-', '_' or '.'", root.key_marks["id"])
    if not isinstance(root["version"], int) or root["version"] < 1:
        raise ctx.error("version must be a positive whole number", root.key_marks["version"])
    title = ctx.text(root, "title")
    description = ctx.text(root, "description") if "description" in root else {"nl": "", "en": ""}
    raw_rules = root["rules"]
    if not isinstance(raw_rules, _MarkedList) or not raw_rules:
        raise ctx.error("rules must be a non-empty list", root.key_marks["rules"])
    rules: list[Rule] = []
    seen: set[str] = set()
    for raw, mark in zip(raw_rules, raw_rules.item_marks, strict=True):
        ctx.rule = None
        rule = _rule(ctx, raw, mark, rsid)
        if rule.id in seen:
            raise ctx.error("duplicate rule id", mark)
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(rsid, root["version"], title, description, tuple(rules), file)


def load_ruleset(path: Path) -> RuleSet:
    return parse_ruleset(path.read_text(encoding="utf-8"), str(path))


@cache
def builtin_rulesets() -> dict[str, RuleSet]:
    """The rule sets shipped with Regie, by id (loaded once per process)."""
    out = {}
    for path in sorted(RULESET_DIR.glob("*.yaml")):
        rs = load_ruleset(path)
        out[rs.id] = rs
    return out
