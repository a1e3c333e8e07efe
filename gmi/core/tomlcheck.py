"""Validate hand-written TOML files with errors that name file:line, field, what was found, what is allowed
and how to fix it.

tomllib gives no positions, so :class:`TomlSource` scans the text for table headers (``[a.b]``,
``[[a.b]]`` with array indices) and ``key =`` lines. That is good enough for files people write by hand;
when a value has no line of its own (inside an inline table or a list) the line of its nearest enclosing
key is used.

Typical use::

    source = load_toml(path, what="plan")          # GmiError E-TOML-SYNTAX / E-TOML-UNREADABLE
    root = Checker(source).root
    root.unknown_keys({"patient", "author", "hierarchy"})
    patient = root.string("patient", required=True, max_len=64)
    for item in root.tables("hierarchy", min_items=1):
        item.unknown_keys({"name", "fear"})
        item.integer("fear", 0, 100, required=True)
    root.checker.raise_if_any("E-PLAN", f"The plan {path} has errors.")

Every getter returns the value (or ``default``) when it is valid, and ``None`` after recording a
:class:`~gmi.core.errors.Problem` when it is not, so one pass reports every problem in the file.
Field paths are tuples of keys and list indices; :func:`field_name` writes them as
``hierarchy[2].levels[0].target_deg``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from gmi.core.errors import GmiError, Problem, ProblemList

__all__ = ["TomlSource", "Checker", "Table", "load_toml", "parse_toml", "field_name", "describe",
           "did_you_mean"]

FieldPath = tuple[str | int, ...]

_MISSING = object()


# -- paths and descriptions ---------------------------------------------------------------------------
def field_name(path: Sequence[str | int]) -> str:
    """``("hierarchy", 2, "levels", 0, "target_deg")`` → ``hierarchy[2].levels[0].target_deg``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"'
            text += f".{shown}" if text else shown
    return text


def describe(value: Any) -> str:
    """A value as the user would have typed it in TOML (for the 'found' part of a problem)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if len(value) <= 60 \
            else '"' + value[:57] + '..."'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    return repr(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    """The closest option to a mistyped ``word`` (case-insensitive), or None if nothing is close."""
    options = list(options)
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _number_text(x: float) -> str:
    return f"{x:g}"


# -- source text and line lookup ----------------------------------------------------------------------
_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_TABLE_LINE = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]\s*(?:#.*)?$")
_ARRAY_LINE = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]\s*(?:#.*)?$")
_SEGMENT = re.compile(rf"\s*({_KEY})\s*(?:\.|$)")


def _split_key(dotted: str) -> list[str]:
    parts = []
    for match in _SEGMENT.finditer(dotted):
        seg = match.group(1)
        if seg[0] in "\"'":
            seg = seg[1:-1]
            if match.group(1)[0] == '"':
                seg = seg.encode("utf-8").decode("unicode_escape") if "\\" in seg else seg
        parts.append(seg)
    return parts


def _index_lines(text: str) -> dict[FieldPath, int]:
    """Map each table header and key in ``text`` to its 1-based line number."""
    lines: dict[FieldPath, int] = {}
    array_counts: dict[FieldPath, int] = {}   # resolved array-of-tables path → items seen so far
    current: FieldPath = ()
    in_string: str | None = None               # the closing delimiter of an open multi-line string

    def resolve(keys: list[str]) -> FieldPath:
        path: FieldPath = ()
        for key in keys:
            path = (*path, key)
            if path in array_counts:   # a key of the latest [[item]] of that array
                path = (*path, array_counts[path] - 1)
        return path

    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if in_string in line:
                in_string = None
            continue
        if m := _ARRAY_LINE.match(line):
            keys = _split_key(m.group(1))
            parent = resolve(keys[:-1])
            array_path = (*parent, keys[-1])
            index = array_counts.get(array_path, 0)
            array_counts[array_path] = index + 1
            lines.setdefault(array_path, number)
            current = (*array_path, index)
            lines[current] = number
        elif m := _TABLE_LINE.match(line):
            current = resolve(_split_key(m.group(1)))
            lines.setdefault(current, number)
        elif m := _KEY_LINE.match(line):
            path = (*current, *_split_key(m.group(1)))
            lines.setdefault(path, number)
            rest = m.group(2)
            for delim in ('"""', "'''"):
                if rest.lstrip().startswith(delim) and rest.count(delim) == 1:
                    in_string = delim
    return lines


@dataclass
class TomlSource:
    """A parsed TOML file: its data, its text and where each key sits in the text."""

    path: str                 # as shown to the user
    text: str
    data: dict[str, Any]
    _lines: dict[FieldPath, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._lines:
            self._lines = _index_lines(self.text)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path`` or, failing that, of its nearest enclosing key or table (None for the root)."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None


_SYNTAX_FIXES = (
    ("invalid value", "text must be in double quotes (name = \"Anna\"); numbers, true/false and dates "
                      "(2025-03-01) are written without quotes"),
    ("cannot overwrite a value", "this key or table appears twice: keep one of them"),
    ("cannot declare", "this table header appears twice: keep one of them or merge them (a table that "
                      "belongs to the latest [[list]] item is written with the full path, e.g. [list.sub])"),
    ("expected '=' after a key", "write each setting as key = value on its own line"),
    ("invalid statement", "write each setting as key = value on its own line; start comments with #"),
    ("unclosed array", "close the list with ]"),
    ("unclosed inline table", "close the inline table with } on the same line"),
    ("unterminated string", "close the text with the same quote mark it opens with"),
    ("illegal character", "remove the character or put the text in double quotes"),
    ("invalid date", "write dates as YYYY-MM-DD, e.g. 2025-03-01"),
    ("expected newline", "put each setting on its own line"),
    ("invalid initial character", "keys may use letters, digits, _ and -; put other text in quotes"),
)


def parse_toml(text: str, shown: str) -> TomlSource:
    """Parse ``text`` (the contents of ``shown``); a syntax error becomes GmiError E-TOML-SYNTAX."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(where.group(1)) if where else None
        column = int(where.group(2)) if where else None
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        fix = next((hint for key, hint in _SYNTAX_FIXES if key in reason.lower()),
                   "compare this line with the examples in the documentation")
        location = f"{shown}:{line}:{column}" if line else shown
        found = None
        if line is not None:
            lines = text.splitlines()
            if 0 < line <= len(lines):
                found = lines[line - 1].strip()[:80] or "(empty line)"
        problem = Problem(f"TOML syntax error: {reason}" + (f" at column {column}" if column else ""),
                          file=shown, line=line, found=found, fix=fix)
        raise GmiError("E-TOML-SYNTAX", f"{location}: the file is not valid TOML.",
                       fix="correct the line named above (TOML reference: https://toml.io)",
                       problems=[problem]) from None
    return TomlSource(shown, text, data)


def load_toml(path: Path | str, *, what: str = "file") -> TomlSource:
    """Read and parse a TOML file; missing, unreadable or malformed files raise GmiError (never OSError)."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GmiError("E-TOML-MISSING", f"There is no {what} file at {shown}.",
                       fix="check the file name and folder") from None
    except IsADirectoryError:
        raise GmiError("E-TOML-MISSING", f"{shown} is a folder, not a {what} file.",
                       fix="give the path of the .toml file itself") from None
    except OSError as exc:
        raise GmiError("E-TOML-UNREADABLE", f"The {what} file {shown} cannot be read ({exc.strerror}).",
                       fix="check that the file exists and that you may read it") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise GmiError("E-TOML-ENCODING", f"The {what} file {shown} is not UTF-8 text.", problems=[
            Problem("not UTF-8 text", file=shown, line=line, found=f"byte 0x{raw[exc.start]:02x}",
                    fix="save the file as UTF-8 (most editors offer this under 'Save as' / 'Encoding')")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]   # a byte-order mark from some Windows editors; harmless
    return parse_toml(text, shown)


# -- checking -----------------------------------------------------------------------------------------
class Checker:
    """Collects every problem found in one TomlSource."""

    def __init__(self, source: TomlSource, problems: ProblemList | None = None) -> None:
        self.source = source
        self.problems = problems if problems is not None else ProblemList()
        self.root = Table(self, (), source.data)

    def problem(self, path: Sequence[str | int], message: str, *, found: str | None = None,
                allowed: str | None = None, fix: str | None = None) -> None:
        """Record a problem at ``path`` (its line is looked up in the source)."""
        self.problems.problems.append(Problem(
            message, file=self.source.path, line=self.source.line_of(path),
            field=field_name(path) or None, found=found, allowed=allowed, fix=fix))

    def raise_if_any(self, code: str, message: str, fix: str | None = None) -> None:
        self.problems.raise_if_any(code, message, fix)


class Table:
    """One TOML table (the root, ``[a.b]``, an ``[[item]]`` or an inline table) under a field path."""

    def __init__(self, checker: Checker, path: FieldPath, data: dict[str, Any]) -> None:
        self.checker = checker
        self.path = path
        self.data = data

    # plumbing
    def path_of(self, key: str | int) -> FieldPath:
        return (*self.path, key)

    def name_of(self, key: str | int) -> str:
        return field_name(self.path_of(key))

    def line_of(self, key: str | int | None = None) -> int | None:
        return self.checker.source.line_of(self.path if key is None else self.path_of(key))

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def problem(self, key: str | int | None, message: str, *, found: str | None = None,
                allowed: str | None = None, fix: str | None = None) -> None:
        """Record a problem at ``key`` of this table (or the table itself when ``key`` is None)."""
        self.checker.problem(self.path if key is None else self.path_of(key), message,
                             found=found, allowed=allowed, fix=fix)

    def _fetch(self, key: str, required: bool, allowed: str, example: str) -> Any:
        if key in self.data:
            return self.data[key]
        if required:
            where = f"this {_header(self.path)} table" if self.path else "the top of the file"
            self.problem(key, "is required but missing", allowed=allowed,
                         fix=f"add {key} = {example} to {where}")
        return _MISSING

    def _wrong_type(self, key: str | int, value: Any, allowed: str, example: str) -> None:
        self.problem(key, f"must be {allowed}, not {_kind(value)}", found=describe(value), allowed=allowed,
                     fix=f"write it like {example}" if isinstance(key, int) else f"write it like {key} = {example}")

    # keys
    def unknown_keys(self, known: Iterable[str], *, hint: str | None = None) -> list[str]:
        """Report each key not in ``known`` (with a did-you-mean suggestion); returns the unknown keys."""
        known = list(known)
        unknown = [k for k in self.data if k not in known]
        for key in unknown:
            guess = did_you_mean(key, known)
            fix = f"did you mean {guess}? Rename it" if guess else "remove it or check the spelling"
            if hint:
                fix += f" ({hint})"
            where = f"this {_header(self.path)} table" if self.path else "the top level"
            self.problem(key, f"unknown key in {where}", found=key, allowed=", ".join(known), fix=fix)
        return unknown

    # scalars
    def string(self, key: str, *, required: bool = False, default: str | None = None, max_len: int = 200,
               allow_empty: bool = False, example: str = '"..."') -> str | None:
        """Text. Surrounding spaces are stripped; empty text is a problem unless ``allow_empty``."""
        value = self._fetch(key, required, "text in double quotes", example)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self._wrong_type(key, value, "text in double quotes", example)
            return None
        value = value.strip()
        if not value and not allow_empty:
            self.problem(key, "must not be empty", found='""', fix=f"write something, e.g. {key} = {example}")
            return None
        if len(value) > max_len:
            self.problem(key, f"is too long ({len(value)} characters)", found=describe(value),
                         allowed=f"at most {max_len} characters", fix="shorten it")
            return None
        return value

    def integer(self, key: str, low: int, high: int, *, required: bool = False, default: int | None = None,
                unit: str = "", example: str | None = None) -> int | None:
        """A whole number in [low, high]. ``example`` is suggested when the key is missing."""
        return self._number(key, low, high, True, required, default, unit, example=example)

    def number(self, key: str, low: float, high: float, *, required: bool = False,
               default: float | None = None, unit: str = "", example: str | None = None,
               range_fix: str | None = None) -> float | None:
        """A number (whole or decimal) in [low, high]; returned as written (int or float). ``range_fix``
        replaces the plain fix of an out-of-range value (to say why the range is what it is)."""
        return self._number(key, low, high, False, required, default, unit, example=example, range_fix=range_fix)

    def _number(self, key: str | int, low: float, high: float, integer: bool, required: bool,
                default: Any, unit: str, value: Any = _MISSING, example: str | None = None,
                range_fix: str | None = None) -> Any:
        suffix = f" {unit}" if unit else ""
        kind = "a whole number" if integer else "a number"
        allowed = f"{kind} from {_number_text(low)} to {_number_text(high)}{suffix}"
        example = example or _number_text(low if low > 0 else min(high, 1))
        if value is _MISSING:
            value = self._fetch(key, required, allowed, example)  # type: ignore[arg-type]
            if value is _MISSING:
                return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and isinstance(value, float)):
            if isinstance(value, str) and _looks_numeric(value):
                self.problem(key, f"must be {kind}, not text", found=describe(value), allowed=allowed,
                             fix=f"remove the quotes: {value.strip()}")
            elif integer and isinstance(value, float) and value == value and abs(value) != float("inf"):
                self.problem(key, "must be a whole number", found=describe(value), allowed=allowed,
                             fix=f"round it, e.g. {round(value)}")
            else:
                self._wrong_type(key, value, allowed, example)
            return None
        if value != value or not low <= value <= high:   # NaN fails both comparisons
            self.problem(key, "is out of range", found=f"{describe(value)}{suffix}", allowed=allowed,
                         fix=range_fix or f"use a value from {_number_text(low)} to {_number_text(high)}")
            return None
        return value

    def boolean(self, key: str, *, required: bool = False, default: bool | None = None) -> bool | None:
        value = self._fetch(key, required, "true or false", "true")
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            fix = f"write {key} = {value.strip().lower()} without quotes" \
                if isinstance(value, str) and value.strip().lower() in ("true", "false") \
                else f"write {key} = true or {key} = false"
            self.problem(key, f"must be true or false, not {_kind(value)}", found=describe(value),
                         allowed="true or false", fix=fix)
            return None
        return value

    def choice(self, key: str, options: Iterable[str], *, required: bool = False,
               default: str | None = None) -> str | None:
        """One of ``options`` (text, exact spelling); a near miss gets a suggestion."""
        options = list(options)
        allowed = ", ".join(f'"{o}"' for o in options)
        value = self._fetch(key, required, f"one of {allowed}", f'"{options[0]}"')
        if value is _MISSING:
            return default
        return self._choice_value(key, value, options, allowed)

    def _choice_value(self, key: str | int, value: Any, options: list[str], allowed: str) -> str | None:
        if not isinstance(value, str):
            self._wrong_type(key, value, f"one of {allowed}", f'"{options[0]}"')
            return None
        if value in options:
            return value
        guess = did_you_mean(value, options)
        self.problem(key, "is not one of the allowed values", found=describe(value), allowed=allowed,
                     fix=f'did you mean "{guess}"?' if guess else "use one of the allowed values")
        return None

    def date(self, key: str, *, required: bool = False, default: dt.date | None = None,
             earliest: dt.date | None = None, latest: dt.date | None = None) -> dt.date | None:
        """A calendar date: a TOML date (2025-03-01) or the same in quotes. Times of day are refused."""
        allowed = "a date written YYYY-MM-DD, e.g. 2025-03-01"
        value = self._fetch(key, required, allowed, "2025-03-01")
        if value is _MISSING:
            return default
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                self.problem(key, "is not a valid date", found=describe(value), allowed=allowed,
                             fix=f"write {key} = 2025-03-01 (year-month-day; the day must exist)")
                return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            fix = f"keep only the date: {key} = {value.date().isoformat()}" if isinstance(value, dt.datetime) \
                else f"write {key} = 2025-03-01"
            self.problem(key, f"must be a date, not {_kind(value)}", found=describe(value), allowed=allowed,
                         fix=fix)
            return None
        if (earliest and value < earliest) or (latest and value > latest):
            span = f"from {earliest.isoformat() if earliest else 'any date'} to " \
                   f"{latest.isoformat() if latest else 'any date'}"
            self.problem(key, "is outside the allowed dates", found=value.isoformat(), allowed=span,
                         fix="check the year, month and day")
            return None
        return value

    # containers
    def table(self, key: str, *, required: bool = False) -> "Table | None":
        """A sub-table ``[path.key]`` (or inline table); None when missing or not a table."""
        value = self._fetch(key, required, "a table", "{ ... }")
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self._wrong_type(key, value, f"a table [{self.name_of(key)}]", "{ ... }")
            return None
        return Table(self.checker, self.path_of(key), value)

    def tables(self, key: str, *, required: bool = False, min_items: int = 0,
               max_items: int | None = None) -> list["Table"]:
        """An array of tables (``[[path.key]]`` blocks or a list of inline tables); bad items are reported
        and skipped, so the returned list may be shorter than the file's."""
        what = f"one or more [[{self.name_of(key)}]] tables"
        value = self._fetch(key, required or min_items > 0, what, "[{ ... }]")
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.problem(key, f"must be a list of tables, not {_kind(value)}", found=describe(value),
                         allowed=what, fix=f"write each entry as its own [[{self.name_of(key)}]] block")
            return []
        self._count(key, value, min_items, max_items, what)
        out = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append(Table(self.checker, self.path_of(key) + (index,), item))
            else:
                self.checker.problem(self.path_of(key) + (index,), f"must be a table, not {_kind(item)}",
                                     found=describe(item), allowed="a table",
                                     fix=f"write each entry as its own [[{self.name_of(key)}]] block")
        return out

    def list_of(self, key: str, kind: str, *, required: bool = False, default: list | None = None,
                min_items: int = 0, max_items: int | None = None, low: float | None = None,
                high: float | None = None, options: Iterable[str] | None = None, unique: bool = False,
                unit: str = "") -> list | None:
        """A list whose items are each ``kind``: "string", "integer", "number" (with ``low``/``high``) or
        "choice" (with ``options``). Returns None when the list or any item is invalid."""
        if kind not in ("string", "integer", "number", "choice"):
            raise ValueError(f"unknown list item kind {kind!r}")
        what = {"string": "a list of texts", "integer": "a list of whole numbers", "number": "a list of numbers",
                "choice": "a list of allowed values"}[kind]
        value = self._fetch(key, required, what, "[...]")
        if value is _MISSING:
            return default
        if not isinstance(value, list):
            self.problem(key, f"must be {what}, not {_kind(value)}", found=describe(value), allowed=what,
                         fix=f"put the items in square brackets, e.g. {key} = [{describe(value)}]")
            return None
        ok = self._count(key, value, min_items, max_items, what)
        choices = list(options or ())
        allowed_choices = ", ".join(f'"{o}"' for o in choices)
        out: list = []
        for index, item in enumerate(value):
            path_key = self.path_of(key) + (index,)
            sub = Table(self.checker, path_key[:-1], {})   # reports at key[index]
            if kind == "string":
                good = isinstance(item, str) and item.strip() != ""
                if not good:
                    sub.problem(index, "must be non-empty text", found=describe(item), allowed="text in quotes",
                                fix='write it like "..."')
                result = item.strip() if good else None
            elif kind == "choice":
                result = sub._choice_value(index, item, choices, allowed_choices)
            else:
                lo = -float("inf") if low is None else low
                hi = float("inf") if high is None else high
                result = sub._number(index, lo, hi, kind == "integer", False, None, unit, value=item)
            if result is None:
                ok = False
            out.append(result)
        if unique and ok and len(set(out)) != len(out):
            dupes = sorted({describe(x) for x in out if out.count(x) > 1})
            self.problem(key, "has repeated items", found=", ".join(dupes), allowed="each item once",
                         fix="remove the repeats")
            ok = False
        return out if ok else None

    def _count(self, key: str, value: list, min_items: int, max_items: int | None, what: str) -> bool:
        if len(value) < min_items or (max_items is not None and len(value) > max_items):
            span = f"{min_items} to {max_items}" if max_items is not None else f"at least {min_items}"
            self.problem(key, f"has {len(value)} item{'s' if len(value) != 1 else ''}", found=str(len(value)),
                         allowed=f"{span} items", fix="add or remove entries" if max_items else "add entries")
            return False
        return True


def _header(path: FieldPath) -> str:
    """How the table at ``path`` is headed in the file: ``[a.b]`` or, inside a list, ``[[a.b]]``."""
    dotted = ".".join(p for p in path if isinstance(p, str))
    return f"[[{dotted}]]" if path and isinstance(path[-1], int) else f"[{dotted}]"


def _looks_numeric(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True
