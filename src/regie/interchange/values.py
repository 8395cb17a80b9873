"""Reading cell values: text, numbers, dates, yes/no, choices; and suggestions for near misses."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation

from .problems import N_, Message

YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}
UNKNOWN = {"onbekend", "unknown", "?", "n/b", "nb"}

# A spreadsheet program turns text beginning with these into a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class InvalidValueError(ValueError):
    """A cell value that cannot be read; the message is for the person who typed it."""


class FollowsFromError(InvalidValueError):
    """A reference to a record whose own row has a problem (reported there, not again)."""


# Dutch words for choices, as Dutch users and the GEMMA Softwarecatalogus write them.
DUTCH: dict[str, dict[str, str]] = {
    "LifecycleStatus": {
        "gepland": "planned",
        "verwerving": "acquiring",
        "in verwerving": "acquiring",
        "in productie": "in_production",
        "in gebruik": "in_production",
        "uit te faseren": "phasing_out",
        "uitfaseren": "phasing_out",
        "uitgefaseerd": "retired",
    },
    "PersonalData": {
        "geen": "none",
        "persoonsgegevens": "personal",
        "bijzondere persoonsgegevens": "special",
        "bijzonder": "special",
        "burgerservicenummer": "bsn",
    },
    "DataClassification": {
        "openbaar": "public",
        "intern": "internal",
        "vertrouwelijk": "confidential",
        "geheim": "secret",
    },
    "DependencyKind": {"vereist": "requires", "draait op": "runs_on", "koppeling": "integration"},
    "Direction": {"uitgaand": "out", "inkomend": "in", "beide": "both", "beide kanten": "both"},
    "Substitutability": {
        "eenvoudig": "easy",
        "gemiddeld": "medium",
        "complex": "high",
        "zeer complex": "high",
        "niet vervangbaar": "none",
    },
    "SubstitutabilityReason": {
        "geen alternatieven": "no_alternatives",
        "migratie": "migration",
        "beide": "both",
    },
    "ExitPlanStatus": {"concept": "draft", "vastgesteld": "approved", "getest": "tested"},
    "RenewalDecision": {
        "verlengen": "renew",
        "aanbesteden": "tender",
        "gezamenlijk aanbesteden": "joint_tender",
        "beëindigen": "exit",
    },
}


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    result = str(value).strip()
    if result.startswith("'") and result[1:].startswith(FORMULA_PREFIXES):
        result = result[1:]
    return result


def integer(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    raw = text(value)
    if raw == "":
        return None
    try:
        number = Decimal(raw.replace(" ", ""))
    except InvalidOperation as exc:
        raise InvalidValueError(Message(N_("'%(value)s' is not a whole number."), value=raw)) from exc
    if number != number.to_integral_value():
        raise InvalidValueError(Message(N_("'%(value)s' is not a whole number."), value=raw))
    result = int(number)
    if minimum is not None and result < minimum:
        raise InvalidValueError(
            Message(N_("%(value)s is below the minimum %(minimum)s."), value=result, minimum=minimum)
        )
    if maximum is not None and result > maximum:
        raise InvalidValueError(
            Message(N_("%(value)s is above the maximum %(maximum)s."), value=result, maximum=maximum)
        )
    return result


def decimal(value: object) -> Decimal | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    raw = text(value).replace(" ", "").replace("€", "")
    if raw == "":
        return None
    if "," in raw and "." in raw:  # 1.234,56 (Dutch) or 1,234.56 (English)
        raw = (
            raw.replace(".", "").replace(",", ".")
            if raw.rfind(",") > raw.rfind(".")
            else raw.replace(",", "")
        )
    elif "," in raw:
        raw = raw.replace(",", ".")
    try:
        result = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidValueError(Message(N_("'%(value)s' is not a number."), value=text(value))) from exc
    if not result.is_finite():
        raise InvalidValueError(Message(N_("'%(value)s' is not a number."), value=text(value)))
    return result


def date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if raw == "":
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise InvalidValueError(
        Message(N_("'%(value)s' is not a date; write it as 2025-12-31 or 31-12-2025."), value=raw)
    )


def boolean(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw == "":
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise InvalidValueError(
        Message(N_("'%(value)s' is not yes or no; write 'ja' or 'nee'."), value=text(value))
    )


def choice(value: object, choices: type[models.TextChoices]) -> str | None:
    """A choice by its code, its English label or its Dutch label (case-insensitive)."""
    raw = text(value)
    if raw == "":
        return None
    wanted = raw.casefold()
    options = vocabulary(choices)
    if wanted in options:
        return options[wanted]
    if choices.__name__ == "TriState":
        if wanted in YES:
            return "yes"
        if wanted in NO:
            return "no"
        if wanted in UNKNOWN:
            return "unknown"
    codes = [str(c.value) for c in choices if c.value]
    raise InvalidValueError(
        Message(N_("'%(value)s' is not one of: %(codes)s."), value=raw, codes=", ".join(codes))
        + did_you_mean(raw, options)
    )


def vocabulary(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling (code, English and Dutch label) → code."""
    words: dict[str, str] = {}
    for member in choices:
        code = str(member.value)
        words[code.casefold()] = code
        with translation.override("en"):
            words[str(member.label).casefold()] = code
        with translation.override("nl"):
            words[str(member.label).casefold()] = code
    words.update(DUTCH.get(choices.__name__, {}))
    words.pop("", None)
    return words


DID_YOU_MEAN = (
    N_(" Did you mean '%(a)s'?"),
    N_(" Did you mean '%(a)s' or '%(b)s'?"),
    N_(" Did you mean '%(a)s' or '%(b)s' or '%(c)s'?"),
)


def did_you_mean(wanted: str, candidates: Iterable[str]) -> Message:
    """Did you mean 'x' or 'y'?" for the (at most three) near matches; empty for none."""
    matches = suggestions(wanted, candidates)
    if not matches:
        return Message()
    return Message(DID_YOU_MEAN[len(matches) - 1], **dict(zip("abc", matches, strict=False)))


def suggestions(wanted: str, candidates: Iterable[str]) -> list[str]:
    pool = {c.casefold(): c for c in candidates}
    found = difflib.get_close_matches(wanted.casefold(), list(pool), n=3, cutoff=0.6)
    return [pool[f] for f in found]
