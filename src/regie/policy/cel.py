"""CEL conditions: parsed and checked by cel-python, evaluated over whole columns at once.

cel-python interprets one activation in about two milliseconds, far too slow for a national
register (tens of thousands of subjects times every rule). Conditions are therefore
compiled once into a numpy evaluator over the subject's columns, for the subset of CEL that
rules need: field access, literals, lists, ``!``, ``-``, ``&&``, ``||``, ``?:``, comparisons,
``in``, arithmetic and ``size()`` of a string. Anything outside that subset is refused at
load time with the position, so the vectorised and the reference (cel-python) semantics
cannot drift apart silently; tests compare both on real landscapes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import celpy
import numpy as np
from celpy import celparser
from lark import Token, Tree

from .coded import Coded

__all__ = ["CelError", "Condition", "compile_condition"]

Columns = Mapping[str, Mapping[str, Any]]  # root name -> field -> column (array) or scalar
Vec = Callable[[Columns], Any]

_ENV = celpy.Environment()
_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "relation_lt": np.less,
    "relation_le": np.less_equal,
    "relation_gt": np.greater,
    "relation_ge": np.greater_equal,
    "relation_eq": lambda a, b: _by_value(operator.eq, a, b),
    "relation_ne": lambda a, b: _by_value(operator.ne, a, b),
}


def _by_value(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """``op`` elementwise; a coded column against a literal is compared once per vocabulary
    entry and the result gathered by code (the same result: it depends on the value only)."""
    if isinstance(a, Coded) and np.ndim(b) == 0:
        return a.per_value(lambda v: op(v, b))
    if isinstance(b, Coded) and np.ndim(a) == 0:
        return b.per_value(lambda v: op(a, v))
    return np.asarray(op(_values(a), _values(b)))


def _values(x: Any) -> Any:
    return x.values() if isinstance(x, Coded) else x


def _isin(x: Any, items: list[Any]) -> Any:
    if isinstance(x, Coded):
        return x.per_value(lambda v: np.isin(v, items))
    return np.isin(x, items)


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "addition_add": np.add,
    "addition_sub": np.subtract,
    "multiplication_mul": np.multiply,
    "multiplication_div": np.divide,
    "multiplication_mod": np.mod,
}


class CelError(ValueError):
    """A condition that does not parse or uses something unknown; ``line``/``column`` are
    1-based positions inside the expression text."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Condition:
    text: str
    references: frozenset[tuple[str, str]]  # (root, field) pairs the condition reads
    vector: Vec = lambda cols: None
    program: Any = None  # the cel-python program (reference semantics)

    def evaluate(self, columns: Columns, n: int) -> Any:
        """Boolean array of length ``n``: where the condition holds."""
        out = self.vector(columns)
        return np.broadcast_to(np.asarray(out, dtype=bool), (n,))

    def evaluate_one(self, activation: Mapping[str, Mapping[str, Any]]) -> bool:
        """The reference semantics: cel-python on one subject (slow; for tests and checks)."""
        activation_cel = celpy.json_to_cel(dict(activation))  # type: ignore[attr-defined]
        return bool(self.program.evaluate(activation_cel))


def _pos(node: Any) -> tuple[int | None, int | None]:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return meta.line, meta.column
    if isinstance(node, Token):
        return node.line, node.column
    return None, None


def _literal(tok: Token) -> Any:
    text = str(tok)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        raise CelError("null is not used in conditions: unknown facts are explicit", tok.line, tok.column)
    if text[:1] in "\"'" or text[:2].lower() in ('r"', "r'"):
        return _string(text)
    if text.endswith(("u", "U")):
        return int(text[:-1])
    try:
        return int(text, 0)
    except ValueError:
        return float(text)


def _string(text: str) -> str:
    raw = text[:1] in "rR"
    body = text[1:] if raw else text
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    inner = body[len(quote) : -len(quote)]
    return inner if raw else inner.encode("utf-8").decode("unicode_escape")


class _Compiler:
    def __init__(self, known: Mapping[str, frozenset[str]]) -> None:
        self.known = known
        self.refs: set[tuple[str, str]] = set()

    def fail(self, message: str, node: Any) -> CelError:
        line, col = _pos(node)
        return CelError(message, line, col)

    def build(self, node: Any) -> Vec:  # noqa: PLR0911, PLR0912
        if isinstance(node, Token):
            raise self.fail(f"unexpected token {node!s}", node)
        kind = node.data
        ch = node.children
        if kind in ("expr",):
            if len(ch) == 1:
                return self.build(ch[0])
            cond, yes, no = (self.build(c) for c in ch)
            return lambda c: np.where(cond(c), yes(c), no(c))
        if kind in ("conditionalor", "conditionaland", "relation", "addition", "multiplication", "unary"):
            if len(ch) == 1:
                return self.build(ch[0])
            if kind == "conditionalor":
                a, b = self.build(ch[0]), self.build(ch[1])
                return lambda c: np.logical_or(a(c), b(c))
            if kind == "conditionaland":
                a, b = self.build(ch[0]), self.build(ch[1])
                return lambda c: np.logical_and(a(c), b(c))
            op = ch[0].data if isinstance(ch[0], Tree) else str(ch[0])
            if kind == "unary":
                inner = self.build(ch[-1])
                if op == "unary_not":
                    return lambda c: np.logical_not(inner(c))
                if op == "unary_neg":
                    return lambda c: np.negative(inner(c))
                raise self.fail(f"unsupported operator {op}", node)
            # a binary operator node holds the operator (with the left operand) and the right one
            left, right = ch[0].children[0], ch[1]
            if op == "relation_in":
                a = self.build(left)
                items = self._list_items(right)
                return lambda c: _isin(a(c), items)
            binary = _CMP.get(op) or _ARITH.get(op)
            if binary is None:
                raise self.fail(f"unsupported operator {op}", node)
            a, b = self.build(left), self.build(right)
            return lambda c: binary(a(c), b(c))
        if kind in ("member", "primary"):
            if len(ch) != 1:
                raise self.fail(f"unsupported construct {kind}", node)
            return self.build(ch[0])
        if kind == "paren_expr":
            return self.build(ch[0])
        if kind == "literal":
            value = _literal(ch[0])
            return lambda c: value
        if kind == "ident":
            name = str(ch[0])
            raise self.fail(f"{name!r} needs a field: use {name}.<field>", ch[0])
        if kind == "member_dot":
            return self._field(node)
        if kind == "ident_arg":
            fname = str(ch[0])
            if fname != "size" or len(ch) != 2:
                raise self.fail(f"unknown function {fname!r} (only size() of a string)", ch[0])
            args = ch[1].children
            if len(args) != 1:
                raise self.fail("size() takes one argument", ch[0])
            arg = self.build(args[0])
            return lambda c: np.char.str_len(np.asarray(arg(c), dtype=str))
        raise self.fail(f"unsupported construct {kind}", node)

    def _field(self, node: Tree[Any]) -> Vec:
        target, name_tok = node.children
        if not (
            isinstance(target, Tree)
            and target.data == "member"
            and isinstance(target.children[0], Tree)
            and target.children[0].data == "primary"
            and isinstance(target.children[0].children[0], Tree)
            and target.children[0].children[0].data == "ident"
        ):
            raise self.fail("only <variable>.<field> is supported", node)
        root_tok = target.children[0].children[0].children[0]
        root, name = str(root_tok), str(name_tok)
        if root not in self.known:
            known = ", ".join(sorted(self.known))
            raise self.fail(f"unknown variable {root!r} (known: {known})", root_tok)
        if name not in self.known[root]:
            known = ", ".join(sorted(self.known[root]))
            raise self.fail(f"unknown field {root}.{name} (known: {known})", name_tok)
        self.refs.add((root, name))
        return lambda c: c[root][name]

    def _list_items(self, node: Any) -> list[Any]:
        # addition > multiplication > unary > member > primary > list_lit > exprlist
        cur = node
        while isinstance(cur, Tree) and cur.data != "list_lit" and len(cur.children) == 1:
            cur = cur.children[0]
        if not (isinstance(cur, Tree) and cur.data == "list_lit"):
            raise self.fail('\'in\' needs a list of literals on the right, e.g. x in ["a", "b"]', node)
        out = []
        for item in cur.children[0].children if cur.children else []:
            value = self.build(item)({})
            if isinstance(value, np.ndarray):
                raise self.fail("list items must be literals", item)
            out.append(value)
        return out


def compile_condition(text: str, known: Mapping[str, frozenset[str]]) -> Condition:
    """Parse ``text`` with cel-python, check every name against ``known`` and compile it."""
    try:
        ast = _ENV.compile(text)
    except celparser.CELParseError as exc:
        line = getattr(exc, "line", None)
        column = getattr(exc, "column", None)
        where = f" at column {column}" if column else ""
        raise CelError(f"CEL syntax error{where} in: {text.strip()}", line, column) from exc
    compiler = _Compiler(known)
    vector = compiler.build(ast)
    return Condition(text=text, references=frozenset(compiler.refs), vector=vector, program=_ENV.program(ast))
