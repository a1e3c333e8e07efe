"""Exposure plans: TOML files a physiotherapist writes by hand, validated into typed objects.

A plan holds a fear hierarchy of exposure items (each a measured ``movement`` or a camera-free
``activity``), the levels of each item with their targets, a progression rule (``advance`` after N
sessions at target, or a time-contingent ``quota``), stop rules, and optionally the GMI ``[programme]``.
Every mistake is reported with file:line, the field path (``hierarchy[2].levels[0].target_deg``; list
positions count from 0), what was found, what is allowed and how to fix it. Unknown keys are errors.
docs/plans.md documents every field; plans/ holds worked examples.

Numbers without a published source are clinician-adjustable defaults and are labelled as such in
``DEFAULTS`` (shown by ``gmi plan check``); see /work/shared/reference/clinical.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from gmi.core.errors import GmiError
from gmi.core.movements import MOVEMENT_NAMES, MOVEMENTS, target_range_fix
from gmi.core.programme import check_programme_table
from gmi.core.tomlcheck import Checker, Table, TomlSource, load_toml, parse_toml

FORMAT_VERSION = 1

# The GMI programme table is validated by gmi/core/programme.py (imagery area): a callable taking the
# ``[programme]`` tomlcheck.Table, recording problems on its checker, and returning the parsed programme
# (kept as ``Plan.programme``). None: the table is kept raw and not checked here.
PROGRAMME_VALIDATOR: Callable[[Table], Any] | None = check_programme_table

SIDES = ("left", "right", "both")
ACTIONS_AFTER_STOP = ("hold", "step_back")
RULES = ("advance", "quota")


@dataclass(frozen=True)
class Default:
    value: Any
    source: str       # a citation, or "clinician-adjustable default (no published source)"

    @property
    def published(self) -> bool:
        return not self.source.startswith("clinician-adjustable")


_ADJUSTABLE = "clinician-adjustable default (no published source)"
DEFAULTS: dict[str, Default] = {
    "stop.pain_above": Default(7, _ADJUSTABLE),
    "stop.then": Default("hold", _ADJUSTABLE),
    "progression.rule": Default("advance", _ADJUSTABLE),
    "progression.sessions_at_target": Default(2, _ADJUSTABLE),
    # A rise of 2 NRS points is the clinically important change (Farrar et al. 2001, Pain 94:149): allowing
    # at most 1 keeps advancing below it; more than 2 counts as a flare.
    "progression.max_pain_rise": Default(1, "below the clinically important NRS change of 2 points "
                                            "(Farrar et al. 2001); the exact value is clinician-adjustable"),
    "progression.step_back_rise": Default(2, "more than the clinically important NRS change of 2 points "
                                             "(Farrar et al. 2001); the exact value is clinician-adjustable"),
    "progression.baseline_sessions": Default(3, "graded activity: 3 baseline sessions (clinical.md)"),
    "progression.start_pct": Default(75, "graded activity: start at 70–80% of the baseline mean (clinical.md)"),
    "progression.weekly_increase_pct": Default(15, "graded activity: 10–20% of baseline a week (clinical.md)"),
    "hierarchy.levels.sets": Default(1, _ADJUSTABLE),
    "hierarchy.levels.hold_s": Default(0, _ADJUSTABLE),
    "hierarchy.levels.rest_s": Default(60, _ADJUSTABLE),
}

# Angle targets come from the movement library (gmi/core/movements.toml, Movement.target_range): a plan
# can only ask for what the camera can score. Sided movements need ``side``; for trunk and neck movements
# the side is the direction of bending or turning.
SIDED_MOVEMENTS = frozenset({"shoulder_flexion", "shoulder_abduction", "elbow_flexion", "trunk_side_bend",
                             "neck_rotation", "neck_side_bend"})

TOP_KEYS = ("format", "patient", "author", "title", "written", "review_by", "notes", "stop", "progression",
            "hierarchy", "programme")
ITEM_KEYS = ("name", "fear", "movement", "activity", "side", "instructions", "start_level", "progression",
             "levels")
LEVEL_KEYS = ("target_deg", "reps", "sets", "hold_s", "rest_s", "note")
STOP_KEYS = ("pain_above", "rise_above", "then")
ADVANCE_KEYS = ("rule", "sessions_at_target", "max_pain_rise", "step_back_rise")
QUOTA_KEYS = ("rule", "baseline_sessions", "start_pct", "weekly_increase_pct")

LIMITS = {  # inclusive ranges of every number in a plan
    "fear": (0, 100), "reps": (1, 100), "sets": (1, 10), "hold_s": (0, 1800), "rest_s": (0, 600),
    "pain_above": (1, 10), "rise_above": (1, 10), "sessions_at_target": (1, 10), "max_pain_rise": (0, 10),
    "step_back_rise": (1, 10), "baseline_sessions": (1, 10), "start_pct": (50, 100),
    "weekly_increase_pct": (1, 50), "levels": (1, 20), "items": (1, 50),
}


@dataclass(frozen=True)
class Level:
    number: int                 # 1-based, as shown to patients
    reps: int                   # per set
    sets: int
    hold_s: float
    rest_s: float               # between sets
    target_deg: float | None    # measured items only
    note: str | None = None

    @property
    def total_reps(self) -> int:
        return self.reps * self.sets

    def describe(self) -> str:
        parts = [f"{self.sets} × {self.reps}" if self.sets > 1 else f"{self.reps} repetition{'s' * (self.reps > 1)}"]
        if self.target_deg is not None:
            parts.append(f"to {self.target_deg:g}°")
        if self.hold_s:
            parts.append(f"hold {self.hold_s:g} s")
        if self.sets > 1:
            parts.append(f"rest {self.rest_s:g} s")
        return ", ".join(parts)


@dataclass(frozen=True)
class AdvanceRule:
    sessions_at_target: int
    max_pain_rise: int
    step_back_rise: int
    kind: str = "advance"


@dataclass(frozen=True)
class QuotaRule:
    baseline_sessions: int
    start_pct: float
    weekly_increase_pct: float
    kind: str = "quota"


ProgressionRule = AdvanceRule | QuotaRule


@dataclass(frozen=True)
class StopRules:
    pain_above: int             # NRS during the session above this stops it
    rise_above: int | None      # NRS rise after the session above this → ``then``
    then: str                   # "hold" | "step_back": what the next session does after a stop


@dataclass(frozen=True)
class Item:
    name: str
    fear: int
    movement: str | None
    activity: str | None
    side: str | None
    instructions: str | None
    levels: tuple[Level, ...]
    progression: ProgressionRule
    start_level: int            # 1-based
    file_index: int             # position in the file (for error messages)

    @property
    def measured(self) -> bool:
        return self.movement is not None

    @property
    def what(self) -> str:
        if self.movement:
            side = f" ({self.side})" if self.side else ""
            return f"{self.movement.replace('_', ' ')}{side}"
        return self.activity or ""

    def level(self, number: int) -> Level:
        return self.levels[min(max(number, 1), len(self.levels)) - 1]


@dataclass(frozen=True)
class Plan:
    path: str
    sha256: str
    text: str
    patient: str
    author: str
    title: str | None
    written: dt.date
    review_by: dt.date | None
    notes: str | None
    stop: StopRules
    progression: ProgressionRule
    items: tuple[Item, ...]          # exposure order: by fear rating, then file order
    programme_raw: dict[str, Any] | None = None
    programme: Any = None            # what PROGRAMME_VALIDATOR returned, if wired
    defaults_used: tuple[str, ...] = field(default=())

    def item(self, name: str) -> Item | None:
        return next((i for i in self.items if i.name == name), None)

    def start(self) -> tuple[int, int]:
        """Where exposure starts with no history: the least feared item at its start level."""
        return 0, self.items[0].start_level


def load_plan(path: Path | str) -> Plan:
    """Read and validate a plan file; every problem is reported at once as GmiError E-PLAN."""
    return _build(load_toml(path, what="plan"))


def parse_plan(text: str, shown: str = "plan.toml") -> Plan:
    return _build(parse_toml(text, shown))


def _build(source: TomlSource) -> Plan:
    checker = Checker(source)
    root = checker.root
    used: list[str] = []
    root.unknown_keys(TOP_KEYS, hint="see docs/plans.md for every field")
    root.integer("format", FORMAT_VERSION, FORMAT_VERSION, default=FORMAT_VERSION)
    patient = root.string("patient", required=True, max_len=64, example='"P-014"')
    author = root.string("author", required=True, max_len=120, example='"J. Smit, physiotherapist"')
    title = root.string("title", max_len=120)
    notes = root.string("notes", max_len=4000)
    written = root.date("written", required=True, earliest=dt.date(2000, 1, 1))
    review_by = root.date("review_by", earliest=dt.date(2000, 1, 1))
    if written and review_by and review_by <= written:
        root.problem("review_by", "must come after the date the plan was written",
                     found=f"{review_by.isoformat()} (written {written.isoformat()})",
                     allowed=f"a date after {written.isoformat()}", fix="check the year and month of both dates")
    stop = _stop_rules(root, used)
    progression = _progression(root.table("progression"), None, used, root)
    programme_raw = programme = None
    if root.has("programme"):
        table = root.table("programme")
        if table is not None:
            programme_raw = table.data
            if PROGRAMME_VALIDATOR is not None:
                programme = PROGRAMME_VALIDATOR(table)
    items = _items(root, progression, used)
    if progression is not None and stop.rise_above is not None and isinstance(progression, AdvanceRule) \
            and stop.then == "hold" and stop.rise_above >= progression.step_back_rise:
        checker.problem(("stop", "rise_above"),
                        "with then = \"hold\" this rule never applies: a bigger rise already steps back",
                        found=f"rise_above = {stop.rise_above}, progression.step_back_rise = "
                              f"{progression.step_back_rise}",
                        allowed="rise_above smaller than step_back_rise",
                        fix="lower stop.rise_above or raise progression.step_back_rise")
    checker.raise_if_any("E-PLAN", f"The plan {source.path} has {len(checker.problems.problems)} "
                                   f"problem{'s' * (len(checker.problems.problems) > 1)}.",
                         fix="correct each line named above, then run `gmi plan check` again "
                             "(every field is described in docs/plans.md)")
    assert patient and author and written and progression is not None
    ordered = tuple(sorted(items, key=lambda i: (i.fear, i.file_index)))
    return Plan(path=source.path, sha256=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
                text=source.text, patient=patient, author=author, title=title, written=written,
                review_by=review_by, notes=notes, stop=stop, progression=progression, items=ordered,
                programme_raw=programme_raw, programme=programme, defaults_used=tuple(used))


def _default(name: str, used: list[str]) -> Any:
    if name not in used:
        used.append(name)
    return DEFAULTS[name].value


def _or_default(table: Table | None, key: str, section: str, used: list[str], *, integer: bool = True,
                unit: str = "") -> Any:
    """The number written in the file (checked against LIMITS), or the labelled default (noted in ``used``)."""
    if table is not None and table.has(key):
        check = table.integer if integer else table.number
        return check(key, *LIMITS[key], unit=unit)
    return _default(f"{section}.{key}", used)


def _stop_rules(root: Table, used: list[str]) -> StopRules:
    table = root.table("stop")
    if table is not None:
        table.unknown_keys(STOP_KEYS)
    pain_above = _or_default(table, "pain_above", "stop", used, unit="on the 0–10 pain scale")
    rise_above = table.integer("rise_above", *LIMITS["rise_above"], unit="NRS points") if table else None
    if table is not None and table.has("then"):
        then = table.choice("then", ACTIONS_AFTER_STOP)
    else:
        then = _default("stop.then", used)
    return StopRules(pain_above=pain_above or DEFAULTS["stop.pain_above"].value, rise_above=rise_above,
                     then=then or DEFAULTS["stop.then"].value)


def _progression(table: Table | None, inherited: ProgressionRule | None, used: list[str],
                 owner: Table) -> ProgressionRule | None:
    """The plan's rule (``inherited`` None) or an item's override (falls back to ``inherited``)."""
    if table is None:
        if inherited is not None:
            return inherited
        if owner.has("progression"):
            return None   # present but not a table: already reported
        return AdvanceRule(_default("progression.sessions_at_target", used),
                           _default("progression.max_pain_rise", used),
                           _default("progression.step_back_rise", used))
    if table.has("rule"):
        rule = table.choice("rule", RULES)
    elif inherited is not None:
        rule = inherited.kind
    else:
        rule = _default("progression.rule", used)
    if rule is None:
        table.unknown_keys(set(ADVANCE_KEYS) | set(QUOTA_KEYS))
        return None
    own, other = (ADVANCE_KEYS, QUOTA_KEYS) if rule == "advance" else (QUOTA_KEYS, ADVANCE_KEYS)
    for key in table.data:
        if key in other and key not in own:
            table.problem(key, f'applies only to rule = "{"quota" if rule == "advance" else "advance"}"',
                          found=key, allowed=", ".join(own),
                          fix=f'remove {key}, or set rule = "{"quota" if rule == "advance" else "advance"}"')
    table.unknown_keys(set(own) | set(other))
    base = inherited if inherited is not None and inherited.kind == rule else None

    def value(key: str, integer: bool = True) -> Any:
        if table.has(key):
            low, high = LIMITS[key]
            unit = "%" if key.endswith("_pct") else ""
            return table.integer(key, low, high, unit=unit) if integer else table.number(key, low, high, unit=unit)
        if base is not None:
            return getattr(base, key)
        return _default(f"progression.{key}", used)

    if rule == "advance":
        n, x, y = value("sessions_at_target"), value("max_pain_rise"), value("step_back_rise")
        if x is not None and y is not None and x >= y:
            table.problem("max_pain_rise", "must be smaller than step_back_rise (a rise cannot both allow "
                                           "advancing and force a step back)",
                          found=f"max_pain_rise = {x}, step_back_rise = {y}", allowed=f"0 to {y - 1}",
                          fix="lower max_pain_rise or raise step_back_rise")
            return None
        return AdvanceRule(n, x, y) if None not in (n, x, y) else None
    b, s, w = value("baseline_sessions"), value("start_pct", False), value("weekly_increase_pct", False)
    return QuotaRule(b, s, w) if None not in (b, s, w) else None


def _items(root: Table, plan_rule: ProgressionRule | None, used: list[str]) -> list[Item]:
    items: list[Item] = []
    tables = root.tables("hierarchy", required=True, min_items=LIMITS["items"][0], max_items=LIMITS["items"][1])
    names: dict[str, int] = {}
    for index, table in enumerate(tables):
        item = _item(table, index, plan_rule, used)
        if item is None:
            continue
        key = item.name.casefold()
        if key in names:
            table.problem("name", "is used by another item; each item needs its own name",
                          found=f'"{item.name}" (also hierarchy[{names[key]}])', fix="rename one of them")
            continue
        names[key] = index
        items.append(item)
    return items


def _item(table: Table, index: int, plan_rule: ProgressionRule | None, used: list[str]) -> Item | None:
    checker = table.checker
    before = len(checker.problems.problems)
    table.unknown_keys(ITEM_KEYS, hint="each [[hierarchy]] item has these keys")
    name = table.string("name", required=True, max_len=80, example='"Bend to pick up a sock"')
    fear = table.integer("fear", *LIMITS["fear"], required=True, example="50")
    movement = table.choice("movement", MOVEMENT_NAMES) if table.has("movement") else None
    activity = table.string("activity", max_len=200) if table.has("activity") else None
    if table.has("movement") and table.has("activity"):
        table.problem("activity", "an item is either a measured movement or a camera-free activity, not both",
                      found="both movement and activity", allowed="movement = ... or activity = ...",
                      fix="split it into two items, or remove one of the two keys")
    elif not table.has("movement") and not table.has("activity"):
        table.problem(None, "needs a movement (measured by camera) or an activity (logged by hand)",
                      found="neither", allowed=f"movement = one of {', '.join(MOVEMENT_NAMES)}; or activity = \"...\"",
                      fix='add movement = "shoulder_flexion" (for example) or activity = "Carry a shopping bag"')
    side = None
    if table.has("side"):
        if movement is not None and movement not in SIDED_MOVEMENTS:
            table.problem("side", f"does not apply to {movement}", found=f'side = "{table.get("side")}"',
                          allowed=f"side is used by {', '.join(sorted(SIDED_MOVEMENTS))}",
                          fix="remove side")
        elif activity is not None and not table.has("movement"):
            table.problem("side", "applies only to a measured movement", found=f'side = {table.get("side")!r}',
                          fix="remove side, or say which side in the activity text")
        else:
            side = table.choice("side", SIDES)
    elif movement in SIDED_MOVEMENTS:
        table.problem("side", f"is required for {movement}", allowed='"left", "right" or "both"',
                      fix=f'add side = "left" (the side to be measured; for the trunk and neck, the direction)')
    instructions = table.string("instructions", max_len=600)
    own_rule = table.table("progression")
    rule = _progression(own_rule, plan_rule, used, table) \
        if own_rule is not None or plan_rule is not None else None
    levels = _levels(table, movement, activity is not None and not table.has("movement"), used)
    if isinstance(rule, QuotaRule) and len(levels) > 1:
        table.problem("levels", 'a quota item has one level: the goal (quota sessions grow towards its reps)',
                      found=f"{len(levels)} levels", allowed="exactly 1 level",
                      fix='keep one level, or use rule = "advance" for stepwise levels')
    start_level = 1
    if table.has("start_level"):
        start_level = table.integer("start_level", 1, max(len(levels), 1)) or 1
    if len(checker.problems.problems) > before or None in (name, fear, rule) or not levels:
        return None
    return Item(name=name, fear=fear, movement=movement, activity=activity, side=side,  # type: ignore[arg-type]
                instructions=instructions, levels=tuple(levels), progression=rule,  # type: ignore[arg-type]
                start_level=start_level, file_index=index)


def _levels(item: Table, movement: str | None, camera_free: bool, used: list[str]) -> list[Level]:
    levels: list[Level] = []
    for number, table in enumerate(item.tables("levels", required=True, min_items=LIMITS["levels"][0],
                                               max_items=LIMITS["levels"][1]), start=1):
        table.unknown_keys(LEVEL_KEYS, hint="each [[hierarchy.levels]] has these keys")
        reps = table.integer("reps", *LIMITS["reps"], required=True, unit="per set", example="5")
        sets = _or_default(table, "sets", "hierarchy.levels", used)
        hold = _or_default(table, "hold_s", "hierarchy.levels", used, integer=False, unit="s")
        rest = _or_default(table, "rest_s", "hierarchy.levels", used, integer=False, unit="s")
        note = table.string("note", max_len=300)
        target = None
        if table.has("target_deg"):
            if camera_free:
                table.problem("target_deg", "needs a measured movement; an activity is logged by hand",
                              found=f"target_deg = {table.get('target_deg')!r}",
                              fix="remove target_deg, or replace activity with a movement")
            elif movement is not None:
                low, high = MOVEMENTS[movement].target_range
                target = table.number("target_deg", low, high, unit=f"degrees for {movement}",
                                      range_fix=target_range_fix(MOVEMENTS[movement])
                                      + "; a smaller first step can be an activity, logged by hand")
        if None in (reps, sets, hold, rest):
            continue
        levels.append(Level(number=number, reps=reps, sets=sets, hold_s=hold, rest_s=rest,  # type: ignore[arg-type]
                            target_deg=target, note=note))
    return levels


# -- summary ----------------------------------------------------------------------------------------
def summarize(plan: Plan, today: dt.date | None = None) -> str:
    """A plain summary of a valid plan, as `gmi plan check` prints it."""
    lines = [f"{plan.path}: valid plan for {plan.patient}" + (f" — {plan.title}" if plan.title else ""),
             f"  written by {plan.author} on {plan.written.isoformat()}"
             + (f", review by {plan.review_by.isoformat()}" if plan.review_by else "")]
    if today and plan.review_by and plan.review_by < today:
        lines.append(f"  NOTE: the review date {plan.review_by.isoformat()} has passed; please review this plan")
    s = plan.stop
    stop = f"  stop rules: stop the session if pain goes above {s.pain_above}/10"
    if s.rise_above is not None:
        stop += f"; a rise of more than {s.rise_above} points afterwards"
    stop += f" → next time {s.then.replace('_', ' ')}"
    lines.append(stop)
    lines.append(f"  progression: {_rule_text(plan.progression)}")
    lines.append(f"  exposure order ({len(plan.items)} item{'s' * (len(plan.items) > 1)}, least feared first):")
    for n, item in enumerate(plan.items, start=1):
        how = "camera" if item.measured else "camera-free"
        lines.append(f"   {n}. [fear {item.fear:3d}] {item.name} — {item.what} ({how})")
        if item.progression != plan.progression:
            lines.append(f"        own rule: {_rule_text(item.progression)}")
        for level in item.levels:
            start = "  ← starts here" if level.number == item.start_level and n == 1 else ""
            lines.append(f"        level {level.number}: {level.describe()}{start}")
    if plan.programme_raw is not None:
        lines.append("  GMI programme: present" + ("" if plan.programme is not None or PROGRAMME_VALIDATOR
                                                   else " (not checked by this version)"))
    if plan.defaults_used:
        lines.append("  defaults used (not set in the file):")
        for name in plan.defaults_used:
            d = DEFAULTS[name]
            lines.append(f"    {name} = {d.value}  [{d.source}]")
    return "\n".join(lines)


def _rule_text(rule: ProgressionRule) -> str:
    if isinstance(rule, AdvanceRule):
        return (f"advance after {rule.sessions_at_target} session{'s' * (rule.sessions_at_target > 1)} at target "
                f"with pain rising by at most {rule.max_pain_rise}; step back after a rise of more than "
                f"{rule.step_back_rise}")
    return (f"quota: {rule.baseline_sessions} baseline sessions, start at {rule.start_pct:g}% of the baseline "
            f"mean, +{rule.weekly_increase_pct:g}% of baseline each week")
