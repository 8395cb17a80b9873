"""What an import found: problems with their place, and counts of what it wrote.

A problem's text is a :class:`Message`: English as a plain ``str`` (the command line, the API,
the logs), and its parts as gettext message ids with named placeholders, so the import page
shows it in the reader's language (``Problem.text``). Importers write
``Message(N_("Unknown column '%(column)s'."), column=written)``; the Dutch texts are in the
interchange catalogue (``locale/nl/LC_MESSAGES/django.po``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

N_ = gettext_noop  # marks a message id for the catalogue; translated when shown

# One part of a message: gettext message id (or plain text), its placeholders (name, value, and
# whether the value is itself a message id to translate, such as a kind of record), and whether
# the part is translated (plain text, such as a name from the file, is not).
Param = tuple[str, str, bool]
Part = tuple[str, tuple[Param, ...], bool]


class Message(str):
    """A problem text: English as the str itself, translatable by its parts."""

    parts: tuple[Part, ...]

    def __new__(cls, template: str = "", /, **params: object) -> Message:
        values = tuple(_param(key, value) for key, value in params.items())
        return cls._of(((template, values, True),) if template else ())

    @classmethod
    def plain(cls, value: str) -> Message:
        """Text that is not translated (a name, a value from the file)."""
        return cls._of(((value, (), False),) if value else ())

    @classmethod
    def _of(cls, parts: Iterable[Part]) -> Message:
        parts = tuple(parts)
        message = super().__new__(cls, "".join(_render(part, translate=False) for part in parts))
        message.parts = parts
        return message

    def __add__(self, other: str) -> Message:
        return Message._of(self.parts + as_message(other).parts)

    def __radd__(self, other: str) -> Message:
        return Message._of(as_message(other).parts + self.parts)

    def localized(self) -> str:
        """The text in the active language."""
        return "".join(_render(part, translate=True) for part in self.parts)


def _param(key: str, value: object) -> Param:
    if isinstance(value, Message) and len(value.parts) == 1 and not value.parts[0][1]:
        template, _params, translatable = value.parts[0]
        return (key, template, translatable)
    return (key, str(value), False)


def as_message(value: str) -> Message:
    return value if isinstance(value, Message) else Message.plain(str(value))


def _render(part: Part, *, translate: bool) -> str:
    template, params, translatable = part
    if translate and translatable:
        template = gettext(template)
    values = {key: gettext(value) if translate and word else value for key, value, word in params}
    return template % values if params else template


def message_of(exc: BaseException) -> Message:
    """The message an exception was raised with, its translatable parts kept."""
    return as_message(exc.args[0] if exc.args else str(exc))


def localized(message: str, parts: tuple[Part, ...]) -> str:
    return Message._of(parts).localized() if parts else message


# The words of a problem's place, translated on the import page.
PLACE_WORDS = {
    "sheet": N_("sheet"),
    "row": N_("row"),
    "column": N_("column"),
    "element": N_("element"),
    "line": N_("line"),
    "part": N_("part"),
    "record": N_("record"),
    "GLEIF level": N_("GLEIF level"),
    "object": N_("object"),
    "number": N_("number"),
}


@dataclass(frozen=True)
class Problem:
    """One problem in the input, named by its place: file, sheet, row, column or field."""

    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    letter: str = ""
    sheet_label: str = "sheet"
    row_label: str = "row"
    parts: tuple[Part, ...] = ()

    def place(self, *, translate: bool = False) -> str:
        def word(label: str) -> str:
            return gettext(PLACE_WORDS[label]) if translate and label in PLACE_WORDS else label

        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"{word(self.sheet_label)} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{word(self.row_label)} {self.row}")
        if self.column:
            parts.append(f"{word('column')} '{self.column}'" + (f" ({self.letter})" if self.letter else ""))
        elif self.letter:
            parts.append(f"{word('column')} {self.letter}")
        return ", ".join(parts)

    @property
    def text(self) -> str:
        """The message in the active language (English where it has no translation)."""
        return localized(self.message, self.parts)

    def localized(self) -> str:
        """Place and message in the active language."""
        place = self.place(translate=True)
        return f"{place}: {self.text}" if place else self.text

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "message": self.message,
        }

    def stored(self) -> dict[str, Any]:
        """As :meth:`as_dict`, with the message's translatable parts and the place's labels."""
        return {
            **self.as_dict(),
            "labels": [self.sheet_label, self.row_label],
            "parts": [[t, [list(param) for param in p], tr] for t, p, tr in self.parts],
        }


class ImportRefused(Exception):  # noqa: N818 - the name says what happened to the file
    """The whole input is refused before it is parsed (too large, unsafe, unreadable)."""

    def __init__(self, message: str, *, file: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(message=str(message), file=file, parts=as_message(message).parts)


@dataclass
class ImportReport:
    """The outcome of one import. Nothing was written unless ``written`` is true."""

    format: str
    file: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    written: bool = False
    request_id: str = ""
    omitted_problems: int = 0  # problems left out of a stored report (it keeps the first ones)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.omitted_problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(
        self,
        message: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        letter: str = "",
        labels: tuple[str, str] = ("sheet", "row"),
    ) -> None:
        self.problems.append(
            Problem(
                message=str(message),
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                letter=letter,
                sheet_label=labels[0],
                row_label=labels[1],
                parts=as_message(message).parts,
            )
        )

    def notice(
        self,
        message: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        labels: tuple[str, str] = ("sheet", "row"),
    ) -> None:
        """Something the importer skipped or assumed; it does not stop the import."""
        self.notices.append(
            Problem(
                message=str(message),
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                sheet_label=labels[0],
                row_label=labels[1],
                parts=as_message(message).parts,
            )
        )

    def summary(self) -> str:
        if self.problems:
            head = f"{len(self.problems)} problem(s); nothing was written."
            return "\n".join([head, *(f"- {p}" for p in self.problems)])
        verb = "would be" if self.dry_run else "were"

        def fmt(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {k}" for k, n in sorted(counter.items())) or "none"

        return (
            f"No problems. Created {verb}: {fmt(self.created)}. Updated {verb}: {fmt(self.updated)}. "
            f"Unchanged: {sum(self.unchanged.values())}."
        )

    def localized_summary(self) -> str:
        """:meth:`summary` of a report without problems, in the active language (the import page)."""

        def fmt(counter: Counter[str]) -> str:
            # The keys are the models' English plural names, which the catalogues translate.
            return ", ".join(f"{n} {gettext(k)}" for k, n in sorted(counter.items())) or gettext("none")

        template = (
            N_(
                "No problems. Created would be: %(created)s. Updated would be: %(updated)s. "
                "Unchanged: %(unchanged)s."
            )
            if self.dry_run
            else N_(
                "No problems. Created were: %(created)s. Updated were: %(updated)s. Unchanged: %(unchanged)s."
            )
        )
        return gettext(template) % {
            "created": fmt(self.created),
            "updated": fmt(self.updated),
            "unchanged": sum(self.unchanged.values()),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        """A report stored with :meth:`as_dict` (the import page's background jobs)."""

        def problems(items: list[dict[str, Any]]) -> list[Problem]:
            return [
                Problem(
                    message=str(item.get("message", "")),
                    file=str(item.get("file") or ""),
                    sheet=str(item.get("sheet") or ""),
                    row=item.get("row"),
                    column=str(item.get("column") or ""),
                    letter=str(item.get("letter") or ""),
                    sheet_label=str((item.get("labels") or ["sheet", "row"])[0]),
                    row_label=str((item.get("labels") or ["sheet", "row"])[1]),
                    parts=tuple(
                        (str(t), tuple((str(k), str(v), bool(w)) for k, v, w in p), bool(tr))
                        for t, p, tr in item.get("parts") or ()
                    ),
                )
                for item in items
            ]

        report = cls(
            format=data.get("format", ""), file=data.get("file", ""), dry_run=bool(data.get("dry_run"))
        )
        report.problems = problems(data.get("problems", []))
        report.notices = problems(data.get("notices", []))
        report.omitted_problems = int(data.get("omitted_problems", 0))
        report.written = bool(data.get("written"))
        for name in ("created", "updated", "unchanged"):
            getattr(report, name).update(data.get(name, {}))
        return report

    def as_dict(self, *, limit: int | None = None, stored: bool = False) -> dict[str, Any]:
        """The report as JSON; with ``limit``, only that many problems (the rest counted).

        ``stored`` keeps the messages' translatable parts (the import page's jobs)."""
        kept = self.problems if limit is None else self.problems[:limit]

        def out(problem: Problem) -> dict[str, Any]:
            return problem.stored() if stored else problem.as_dict()

        return {
            "omitted_problems": self.problem_count - len(kept),
            "format": self.format,
            "file": self.file,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "written": self.written,
            "problems": [out(p) for p in kept],
            "notices": [out(p) for p in self.notices],
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }
