"""What an import found: problems with their place, and counts of what it wrote."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


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

    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"{self.sheet_label} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{self.row_label} {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'" + (f" ({self.letter})" if self.letter else ""))
        elif self.letter:
            parts.append(f"column {self.letter}")
        return ", ".join(parts)

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


class ImportRefused(Exception):  # noqa: N818 - the name says what happened to the file
    """The whole input is refused before it is parsed (too large, unsafe, unreadable)."""

    def __init__(self, message: str, *, file: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(message=message, file=file)


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
                message=message,
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                letter=letter,
                sheet_label=labels[0],
                row_label=labels[1],
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
                message=message,
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                sheet_label=labels[0],
                row_label=labels[1],
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

    def as_dict(self, *, limit: int | None = None) -> dict[str, Any]:
        """The report as JSON; with ``limit``, only that many problems (the rest counted)."""
        kept = self.problems if limit is None else self.problems[:limit]
        return {
            "omitted_problems": self.problem_count - len(kept),
            "format": self.format,
            "file": self.file,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "written": self.written,
            "problems": [p.as_dict() for p in kept],
            "notices": [p.as_dict() for p in self.notices],
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }
