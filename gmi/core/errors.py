"""User-facing errors: every problem says where it is, what was found, what is allowed and how to fix it.

Modelled on PsychoPy's alerts catalogue: each error carries a short stable code so that documentation
and tests can refer to it. The command line prints ``str(error)`` and exits with status 2; the window
shows the same text on a calm error screen. A traceback never reaches a patient.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input (a file, a setting, an option)."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    found: str | None = None
    allowed: str | None = None
    fix: str | None = None

    def location(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return where

    def __str__(self) -> str:
        head = self.location()
        parts = [f"{head}: " if head else ""]
        if self.field:
            parts.append(f"{self.field}: ")
        parts.append(self.message)
        text = "".join(parts)
        if self.found is not None:
            text += f" (found {self.found})"
        if self.allowed:
            text += f"\n    allowed: {self.allowed}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class GmiError(Exception):
    """A problem the user can fix. ``code`` is stable (e.g. ``E-DATA-DIR``); ``problems`` lists details."""

    def __init__(self, code: str, message: str, *, fix: str | None = None,
                 problems: list[Problem] | tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.problems = tuple(problems)

    def __str__(self) -> str:
        lines = [f"{self.message} [{self.code}]"]
        lines += [f"  - {p}".replace("\n", "\n  ") for p in self.problems]
        if self.fix:
            lines.append(f"How to fix: {self.fix}")
        return "\n".join(lines)


@dataclass
class ProblemList:
    """Collects every problem in an input before failing, so the user can fix them all in one go."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, **where: object) -> None:
        self.problems.append(Problem(message, **where))  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, code: str, message: str, fix: str | None = None) -> None:
        if self.problems:
            raise GmiError(code, message, fix=fix, problems=self.problems)


def check_range(value: object, name: str, low: float, high: float, *, unit: str = "",
                integer: bool = False, problems: ProblemList | None = None,
                file: str | None = None, line: int | None = None) -> bool:
    """Check that ``value`` is a number in [low, high]; record a Problem (or raise) when it is not."""
    kinds = (int,) if integer else (int, float)
    ok = isinstance(value, kinds) and not isinstance(value, bool) and low <= value <= high  # type: ignore[operator]
    if ok:
        return True
    suffix = f" {unit}" if unit else ""
    kind = "a whole number" if integer else "a number"
    problem = Problem(f"must be {kind} from {low:g} to {high:g}{suffix}", file=file, line=line, field=name,
                      found=repr(value), allowed=f"{low:g}–{high:g}{suffix}",
                      fix=f"set {name} to a value between {low:g} and {high:g}")
    if problems is None:
        raise GmiError("E-RANGE", f"{name} is out of range", problems=[problem])
    problems.problems.append(problem)
    return False
