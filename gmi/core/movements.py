"""The movement library: real movements gmi can measure through a camera or log by hand.

Names are stable identifiers used in plan files. The definitions — landmarks, angle definition, the
camera view and where to stand, what a side means, repetition thresholds — are data, in
``movements.toml`` beside this file; this module loads and checks them once at import.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from gmi.core.errors import GmiError, ProblemList
from gmi.core.skeleton import LANDMARK_INDEX

SIDES: tuple[str, ...] = ("left", "right", "both")
VIEWS: tuple[str, ...] = ("front", "side")
MEASURES: tuple[str, ...] = ("segment_angle", "joint_flexion", "joint_angle", "trunk_lean_forward",
                             "trunk_lean_sideways", "head_tilt", "head_turn")
SIDE_RULES: tuple[str, ...] = ("limb", "facing", "direction")
MIN_TARGET_ABOVE_START_DEG = 5.0  # a lower target could not be told apart from leaving rest
_LANDMARK_COUNT = {"segment_angle": 3, "joint_flexion": 3, "joint_angle": 3, "trunk_lean_forward": 2,
                   "trunk_lean_sideways": 4, "head_tilt": 4, "head_turn": 4}
_NEEDS_FACING = ("trunk_lean_forward",)
LIBRARY_FILE = "movements.toml"


@dataclass(frozen=True)
class RepThresholds:
    """The repetition cycle of one movement (see the header of movements.toml)."""

    start_deg: float
    return_deg: float
    count_deg: float
    target_deg: float
    hold_hysteresis_deg: float
    min_duration_s: float
    max_gap_s: float


@dataclass(frozen=True)
class Movement:
    name: str
    title: str
    description: str
    view: str                      # front | side: where the camera must be
    measure: str                   # one of MEASURES
    coordinates: str               # image | world
    landmarks: tuple[str, ...]     # roles in the order the measure expects; {side} = left/right
    facing: tuple[str, ...]        # [front point, back point] telling which way the person faces, or ()
    occludable: tuple[str, ...]    # landmarks the movement itself may hide (used even when reported unseen)
    side_rule: str                 # limb | facing | direction
    sides: tuple[str, ...]
    default_side: str
    angle: str                     # the angle definition in words
    coordinates_reason: str        # why image plane or world coordinates
    placement: str                 # where to stand, in plain words
    gauge: tuple[float, float]     # the range the angle gauge shows
    reps: RepThresholds

    @property
    def sided_landmarks(self) -> bool:
        return any("{side}" in name for name in self.landmarks + self.facing)

    def landmark_indices(self, body_side: str) -> tuple[int, ...]:
        """Indices of the measured landmarks (then the facing points) for ``body_side`` left/right."""
        return tuple(LANDMARK_INDEX[n.format(side=body_side)] for n in self.landmarks + self.facing)

    @property
    def target_range(self) -> tuple[float, float]:
        """Targets this movement can be scored against: from just above leaving rest to the gauge's end.
        (A target below count_deg lowers the count threshold for that session: see gmi.core.reps.)"""
        return self.reps.start_deg + MIN_TARGET_ABOVE_START_DEG, self.gauge[1]

    def target_band(self, target_deg: float) -> tuple[float, float]:
        """The green band of the angle dial: at or above the target, up to the gauge's end."""
        return target_deg, self.gauge[1]

    @property
    def occludable_indices(self) -> frozenset[int]:
        return frozenset(LANDMARK_INDEX[name.format(side=s)] for name in self.occludable for s in ("left", "right"))

    def side_label(self, side: str) -> str:
        """How a side reads in a sentence: 'left arm', 'both arms', 'either way'."""
        if self.side_rule == "direction":
            return {"left": "to the left", "right": "to the right", "both": "either way"}[side]
        if self.side_rule == "facing":
            return "the side facing the camera" if side == "both" else f"{side} side towards the camera"
        return "both arms" if side == "both" else f"{side} arm"  # the limb rule is used for arms


def _load_library() -> dict[str, Movement]:
    text = resources.files("gmi.core").joinpath(LIBRARY_FILE).read_text(encoding="utf-8")
    return parse_library(text, LIBRARY_FILE)


_FIELDS = ("title", "description", "view", "measure", "coordinates", "landmarks", "facing", "occludable",
           "side_rule", "sides", "default_side", "angle", "coordinates_reason", "placement", "gauge", "reps")
_OPTIONAL = {"facing", "occludable"}
_REP_FIELDS = tuple(RepThresholds.__dataclass_fields__)


def parse_library(text: str, file: str) -> dict[str, Movement]:
    """Parse and check the movement library; every problem is reported at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GmiError("E-MOVEMENTS", f"The movement library {file} is not valid TOML: {exc}.") from None
    problems = ProblemList()
    library: dict[str, Movement] = {}
    for name, table in data.items():
        movement = _parse_movement(name, table, file, problems)
        if movement is not None:
            library[name] = movement
    problems.raise_if_any("E-MOVEMENTS", f"The movement library {file} has errors.",
                          fix="correct the fields named above; the header of the file explains each one.")
    return library


def _parse_movement(name: str, table: object, file: str, problems: ProblemList) -> Movement | None:
    def bad(field: str, message: str, found: object = None, allowed: str | None = None) -> None:
        problems.add(message, file=file, field=f"{name}.{field}",
                     found=None if found is None else repr(found), allowed=allowed)

    if not isinstance(table, dict):
        bad("", "must be a table")
        return None
    for key in table.keys() - set(_FIELDS):
        bad(key, "unknown key", key, ", ".join(_FIELDS))
    for key in set(_FIELDS) - table.keys() - _OPTIONAL:
        bad(key, "is missing")
    texts = ("title", "description", "view", "measure", "coordinates", "side_rule", "default_side", "angle",
             "coordinates_reason", "placement")
    for key in texts:
        if key in table and not isinstance(table[key], str):
            bad(key, "must be text", table[key])
    for key in ("landmarks", "facing", "occludable", "sides"):
        if key in table and not (isinstance(table[key], list) and all(isinstance(v, str) for v in table[key])):
            bad(key, "must be a list of names", table[key])
    gauge = table.get("gauge")
    if "gauge" in table and not (isinstance(gauge, list) and len(gauge) == 2 and all(_is_number(g) for g in gauge)):
        bad("gauge", "must be [lowest, highest] in degrees", gauge)
    reps_table = table.get("reps")
    if "reps" in table and not isinstance(reps_table, dict):
        bad("reps", "must be a table of thresholds", reps_table)
    elif isinstance(reps_table, dict):
        for key in reps_table.keys() ^ set(_REP_FIELDS):
            bad(f"reps.{key}", "unknown key" if key in reps_table else "is missing")
        for key in reps_table.keys() & set(_REP_FIELDS):
            if not _is_number(reps_table[key]):
                bad(f"reps.{key}", "must be a number", reps_table[key])
    if _has_problems(problems, name):
        return None
    choices = {"view": VIEWS, "measure": MEASURES, "coordinates": ("image", "world"), "side_rule": SIDE_RULES}
    for key, allowed in choices.items():
        if table[key] not in allowed:
            bad(key, "is not one of the allowed values", table[key], ", ".join(allowed))
    landmarks = tuple(table["landmarks"])
    facing = tuple(table.get("facing", ()))
    occludable = tuple(table.get("occludable", ()))
    if not set(occludable) <= set(landmarks + facing):
        bad("occludable", "must list landmarks the movement uses", occludable)
    for landmark in landmarks + facing:
        for body_side in ("left", "right"):
            if landmark.format(side=body_side) not in LANDMARK_INDEX:
                bad("landmarks", "names an unknown landmark", landmark, "BlazePose landmark names")
                break
    if table["measure"] in _LANDMARK_COUNT and len(landmarks) != _LANDMARK_COUNT[table["measure"]]:
        bad("landmarks", f"{table['measure']} needs {_LANDMARK_COUNT[table['measure']]} landmarks", len(landmarks))
    if table["measure"] in _NEEDS_FACING and len(facing) != 2:
        bad("facing", f"{table['measure']} needs two facing points [front, back]", facing)
    sides = tuple(table["sides"])
    if not sides or any(s not in SIDES for s in sides):
        bad("sides", "must list sides from left, right, both", sides, ", ".join(SIDES))
    if table["default_side"] not in sides:
        bad("default_side", "must be one of this movement's sides", table["default_side"], ", ".join(sides))
    gauge = (float(gauge[0]), float(gauge[1]))
    if _has_problems(problems, name):
        return None
    reps = RepThresholds(**{k: float(reps_table[k]) for k in _REP_FIELDS})
    if not (gauge[0] <= reps.return_deg < reps.start_deg < reps.count_deg <= reps.target_deg <= gauge[1]):
        bad("reps", "thresholds must rise: gauge start <= return_deg < start_deg < count_deg <= target_deg <= gauge end",
            (gauge[0], reps.return_deg, reps.start_deg, reps.count_deg, reps.target_deg, gauge[1]))
    if reps.hold_hysteresis_deg < 0 or reps.min_duration_s < 0 or reps.max_gap_s <= 0:
        bad("reps", "hold_hysteresis_deg and min_duration_s must be >= 0, max_gap_s > 0")
    return Movement(name=name, title=table["title"], description=table["description"], view=table["view"],
                    measure=table["measure"], coordinates=table["coordinates"], landmarks=landmarks,
                    facing=facing, occludable=occludable, side_rule=table["side_rule"], sides=sides,
                    default_side=table["default_side"], angle=table["angle"],
                    coordinates_reason=table["coordinates_reason"], placement=table["placement"],
                    gauge=gauge, reps=reps)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _has_problems(problems: ProblemList, name: str) -> bool:
    return any(p.field and p.field.startswith(f"{name}.") for p in problems.problems)


MOVEMENTS: dict[str, Movement] = _load_library()
MOVEMENT_VIEWS: dict[str, str] = {name: m.view for name, m in MOVEMENTS.items()}
MOVEMENT_NAMES: tuple[str, ...] = tuple(MOVEMENT_VIEWS)


def get_movement(name: str, *, field: str = "movement", file: str | None = None,
                 line: int | None = None) -> Movement:
    """The movement called ``name``; a GmiError listing every allowed name otherwise."""
    try:
        return MOVEMENTS[name]
    except KeyError:
        problems = ProblemList()
        problems.add("is not a movement gmi knows", file=file, line=line, field=field, found=repr(name),
                     allowed=", ".join(MOVEMENT_NAMES), fix="use one of the allowed names, spelled exactly")
        problems.raise_if_any("E-MOVEMENT", f"Unknown movement {name!r}.")
        raise  # unreachable: raise_if_any raised


def resolve_side(movement: Movement, side: str | None, *, field: str = "side") -> str:
    """The side to measure: ``side`` checked against the movement, or its default when None."""
    if side is None:
        return movement.default_side
    if side not in movement.sides:
        problems = ProblemList()
        problems.add(f"{movement.title} cannot be measured with this side", field=field, found=repr(side),
                     allowed=", ".join(movement.sides),
                     fix=f"leave the side out or use one of: {', '.join(movement.sides)}")
        problems.raise_if_any("E-SIDE", f"{movement.title} does not take side {side!r}.")
    return side


def resolve_target(movement: Movement, target_deg: float | None, *, field: str = "target") -> float:
    """The target angle: ``target_deg`` checked against the movement's range, or its default."""
    if target_deg is None:
        return movement.reps.target_deg
    low, high = movement.target_range
    if not low <= target_deg <= high:
        problems = ProblemList()
        problems.add(f"is outside the range {movement.title.lower()} can be scored on", field=field,
                     found=f"{target_deg:g}°", allowed=f"{low:g}–{high:g}°", fix=target_range_fix(movement))
        problems.raise_if_any("E-TARGET", f"Target {target_deg:g}° does not suit {movement.title.lower()}.")
    return float(target_deg)


def target_range_fix(movement: Movement) -> str:
    """Why a target must lie in ``movement.target_range``, as the fix of an out-of-range target."""
    low, high = movement.target_range
    return (f"choose a target from {low:g} to {high:g} degrees: a repetition of {movement.title.lower()} starts "
            f"at {movement.reps.start_deg:g}°, so below {low:g}° it cannot be told apart from resting, and "
            f"{high:g}° is the end of the range the camera measures")
