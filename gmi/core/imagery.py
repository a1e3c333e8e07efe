"""Imagined movements (GMI stage 2) and the sequence files shared with mirror therapy (stage 3).

A sequence file (TOML) lists steps; each step names a posture image of the stimulus library (part, side,
view, posture — shown upright), an instruction, how long to imagine (or, in a mirror sequence, to move),
how long to rest and how often to repeat. Sequence-level values are the defaults for every step.

Sides are usually written ``unaffected`` / ``affected`` and resolved for each patient, so that one file
starts away from the painful side for everybody (NOI stage 2: start away from the painful part, simple to
complex). ``left`` / ``right`` fix a side. When the painful side is not known, unaffected means left.

Modes (the patient may choose another than the file's default):
- ``watch``: action observation — only look at each picture (the easiest variant);
- ``eyes_open``: imagine moving into the posture while the picture stays on screen;
- ``eyes_closed``: look first, then imagine with eyes closed, guided by tones and, where the computer has
  a speech engine, spoken prompts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gmi.core.errors import GmiError
from gmi.core.postures import MIRROR_PARTS, PART_NOUNS, PART_POSTURES, PART_VIEWS, posture_phrase
from gmi.core.protocol import Cue, Phase
from gmi.core.stimuli import PARTS, Stimulus, StimulusLibrary
from gmi.core.tomlcheck import Checker, Table, TomlSource, did_you_mean, load_toml

Mode = Literal["watch", "eyes_open", "eyes_closed"]
MODES: tuple[str, ...] = ("watch", "eyes_open", "eyes_closed")
MODE_LABELS: dict[str, str] = {
    "watch": "Watch only",
    "eyes_open": "Imagine, eyes open",
    "eyes_closed": "Imagine, eyes closed (guided by sound)",
}
KINDS: tuple[str, ...] = ("imagery", "mirror")
SIDE_WORDS: tuple[str, ...] = ("unaffected", "affected", "left", "right")
AFFECTED_SIDES: tuple[str, ...] = ("left", "right", "both", "unknown")

# Ratings asked after every sequence. Vividness uses a 1–5 scale worded like the Kinesthetic and Visual
# Imagery Questionnaire (KVIQ, Malouin et al. 2007): 1 = no image at all … 5 = as clear as doing it.
VIVIDNESS_SCALE = (1, 5)
VIVIDNESS_LABELS: dict[int, str] = {1: "no image at all", 2: "a vague image", 3: "moderately clear",
                                    4: "clear", 5: "as clear as really doing it"}
PAIN_SCALE = (0, 10)    # numeric rating scale (NRS): 0 = no pain, 10 = worst pain imaginable
PAIN_LABELS: dict[int, str] = {0: "no pain", 10: "worst pain imaginable"}

# Defaults for a sequence that does not set them (project defaults; no published source fixes them).
DEFAULTS: dict[str, dict[str, float]] = {
    "imagery": {"imagine_s": 8, "rest_s": 5, "look_s": 4, "repetitions": 2},
    "mirror": {"move_s": 6, "rest_s": 4, "repetitions": 3, "watch_s": 60, "minutes": 5},
}
RANGES: dict[str, tuple[float, float, str]] = {
    "imagine_s": (2, 120, "s"), "move_s": (2, 120, "s"), "rest_s": (0, 120, "s"), "look_s": (0, 60, "s"),
    "repetitions": (1, 20, ""), "watch_s": (0, 600, "s"), "minutes": (1, 30, "min"),
}
ACTIVE_KEY = {"imagery": "imagine_s", "mirror": "move_s"}
SEQUENCE_KEYS: dict[str, tuple[str, ...]] = {
    "imagery": ("name", "kind", "part", "description", "mode", "imagine_s", "rest_s", "look_s", "repetitions"),
    "mirror": ("name", "kind", "part", "description", "move_s", "rest_s", "repetitions", "watch_s", "minutes"),
}
STEP_KEYS: dict[str, tuple[str, ...]] = {
    "imagery": ("part", "side", "view", "posture", "instruction", "mode", "imagine_s", "rest_s", "look_s",
                "repetitions"),
    "mirror": ("part", "side", "view", "posture", "instruction", "move_s", "rest_s", "repetitions"),
}

SHIPPED_ROOT = Path(__file__).resolve().parents[2] / "plans"   # plans/imagery/<part>.toml, plans/mirror/<part>.toml


@dataclass(frozen=True)
class ImageRef:
    """A posture picture of the stimulus library, by meaning; shown upright (rotation 0)."""

    part: str
    side: str          # left | right (already resolved)
    view: str
    posture: str


@dataclass(frozen=True)
class Step:
    part: str
    side: str          # as written: unaffected | affected | left | right
    view: str
    posture: str
    instruction: str
    active_s: float    # imagine (imagery) or move (mirror) time per repetition
    rest_s: float
    repetitions: int
    mode: str | None   # imagery only
    look_s: float      # imagery only: time to look before imagining with eyes closed
    line: int | None   # where the step starts in its file

    def image(self, affected_side: str | None) -> ImageRef:
        return ImageRef(self.part, resolve_side(self.side, affected_side), self.view, self.posture)

    def phrase(self) -> str:
        return posture_phrase(self.part, self.posture)


@dataclass(frozen=True)
class Sequence:
    name: str
    kind: str          # imagery | mirror
    part: str
    description: str
    steps: tuple[Step, ...]
    file: str
    watch_s: float = 0.0   # mirror: watch-only start
    minutes: float = 0.0   # mirror: session length

    def duration_s(self, mode: str | None = None) -> float:
        """One pass through every step (an imagery session; one round of a mirror session)."""
        return sum(p.duration_s for p in imagery_phases(self, mode)) if self.kind == "imagery" \
            else sum((s.active_s + s.rest_s) * s.repetitions for s in self.steps)


def resolve_side(side: str, affected_side: str | None) -> str:
    """``unaffected``/``affected`` → left/right for this patient (unknown or both: unaffected = left)."""
    if side in ("left", "right"):
        return side
    affected = affected_side if affected_side in ("left", "right") else "right"
    unaffected = "left" if affected == "right" else "right"
    return affected if side == "affected" else unaffected


# -- loading ------------------------------------------------------------------------------------------
def load_sequence(path: Path | str, *, kind: str | None = None) -> Sequence:
    """Read and check a sequence file; every problem in it is reported at once (GmiError E-SEQUENCE)."""
    return parse_sequence(load_toml(path, what="sequence"), kind=kind)


def parse_sequence(source: TomlSource, *, kind: str | None = None) -> Sequence:
    checker = Checker(source)
    root = checker.root
    root.unknown_keys(("sequence", "steps"), hint="a sequence file has one [sequence] table and [[steps]]")
    head = root.table("sequence", required=True)
    if head is None:   # nothing else can be checked without it
        checker.raise_if_any("E-SEQUENCE", f"The sequence file {source.path} has errors.",
                             fix="start the file with a [sequence] table; see plans/imagery/hands.toml")
        raise AssertionError("unreachable: a missing [sequence] table is always a problem")
    file_kind = head.choice("kind", KINDS, default="imagery") or "imagery"
    if kind is not None and file_kind != kind:
        head.problem("kind", f"this is a {file_kind} sequence but a {kind} sequence is needed",
                     found=f'"{file_kind}"', allowed=f'"{kind}"',
                     fix=f"choose a file from plans/{kind}/ or set kind = \"{kind}\" if the steps fit")
    head.unknown_keys(SEQUENCE_KEYS[file_kind], hint=_kind_hint(file_kind))
    name = head.string("name", required=True, max_len=80, example='"Hands: healthy side first"')
    part = head.choice("part", PARTS, required=True)
    description = head.string("description", default="", max_len=600) or ""
    if file_kind == "mirror" and part is not None and part not in MIRROR_PARTS:
        head.problem("part", "a mirror can only stand in for a limb", found=f'"{part}"',
                     allowed=", ".join(f'"{p}"' for p in MIRROR_PARTS),
                     fix="use imagined movements (plans/imagery/) for the back and the neck")
    defaults = _durations(head, file_kind, DEFAULTS[file_kind])
    default_mode = head.choice("mode", MODES, default="eyes_open") if file_kind == "imagery" else None
    steps = []
    for item in root.tables("steps", min_items=1, max_items=100):
        step = _parse_step(item, file_kind, part, defaults, default_mode)
        if step is not None:
            steps.append(step)
    checker.raise_if_any("E-SEQUENCE", f"The sequence file {source.path} has errors.",
                         fix="correct each line named above; plans/imagery/hands.toml is a complete example")
    return Sequence(name or "", file_kind, part or "", description, tuple(steps), source.path,
                    watch_s=float(defaults.get("watch_s", 0)), minutes=float(defaults.get("minutes", 0)))


def _kind_hint(kind: str) -> str:
    other = "mirror" if kind == "imagery" else "imagery"
    return f'keys of {kind} sequences; {other} sequences (kind = "{other}") have different ones'


def _durations(table: Table, kind: str, inherited: dict[str, float]) -> dict[str, float]:
    """The timing keys of a [sequence] or a step, each falling back to ``inherited``."""
    out: dict[str, float] = {}
    for key, default in inherited.items():
        low, high, unit = RANGES[key]
        if key == "repetitions":
            value = table.integer(key, int(low), int(high), default=int(default))
        else:
            value = table.number(key, low, high, default=default, unit=unit)
        out[key] = default if value is None else value
    return out


def _parse_step(item: Table, kind: str, seq_part: str | None, defaults: dict[str, float],
                default_mode: str | None) -> Step | None:
    before = len(item.checker.problems.problems)
    unknown = item.unknown_keys(STEP_KEYS[kind], hint=_kind_hint(kind))

    def required(key: str) -> bool:  # a misspelt key was reported already; do not also call it missing
        return not any(did_you_mean(u, [key]) for u in unknown)

    part = item.choice("part", PARTS, default=seq_part)
    side = item.choice("side", SIDE_WORDS, default="unaffected")
    view = posture = None
    if part is not None:
        view = item.choice("view", PART_VIEWS[part], required=required("view"))
        posture = item.choice("posture", PART_POSTURES[part], required=required("posture"))
        if kind == "mirror" and item.has("part") and part not in MIRROR_PARTS:
            item.problem("part", "a mirror can only stand in for a limb", found=f'"{part}"',
                         allowed=", ".join(f'"{p}"' for p in MIRROR_PARTS), fix="choose a limb")
    instruction = item.string("instruction", required=required("instruction"), max_len=300,
                              example='"Imagine slowly making a loose fist, then opening it again."')
    timing = _durations(item, kind, {k: v for k, v in defaults.items() if k not in ("watch_s", "minutes")})
    mode = item.choice("mode", MODES, default=default_mode) if kind == "imagery" else None
    if len(item.checker.problems.problems) > before or None in (part, side, view, posture, instruction):
        return None
    return Step(part, side, view, posture, instruction, float(timing[ACTIVE_KEY[kind]]),  # type: ignore[arg-type]
                float(timing["rest_s"]), int(timing["repetitions"]), mode, float(timing.get("look_s", 0)),
                item.line_of())


def shipped_sequence_path(part: str, kind: str = "imagery", root: Path | None = None) -> Path:
    return (root or SHIPPED_ROOT) / kind / f"{part}.toml"


def shipped_sequence(part: str, kind: str = "imagery", root: Path | None = None) -> Sequence:
    path = shipped_sequence_path(part, kind, root)
    if not path.is_file():
        allowed = MIRROR_PARTS if kind == "mirror" else PARTS
        raise GmiError("E-SEQUENCE-NONE", f"gmi has no {kind} sequence for {part!r} ({path} is missing).",
                       fix=f"choose one of: {', '.join(allowed)}, or restore the file from the gmi repository")
    return load_sequence(path, kind=kind)


# -- images -------------------------------------------------------------------------------------------
def find_image(library: StimulusLibrary, ref: ImageRef) -> Stimulus | None:
    """The upright picture for ``ref``, preferring the plainest background (level 1)."""
    matches = [s for s in library.stimuli if (s.part, s.side, s.view, s.posture) ==
               (ref.part, ref.side, ref.view, ref.posture) and s.rotation_deg == 0]
    return min(matches, key=lambda s: (s.level, s.id)) if matches else None


def missing_images(sequence: Sequence, library: StimulusLibrary) -> list[str]:
    """Pictures a sequence needs (either side may be the affected one) that the library lacks."""
    missing = []
    for step in sequence.steps:
        for affected in ("left", "right"):
            ref = step.image(affected)
            if find_image(library, ref) is None:
                text = f"{ref.part} {ref.side} {ref.view} {ref.posture}"
                if text not in missing:
                    missing.append(text)
    return missing


# -- the timeline of an imagery session ---------------------------------------------------------------
@dataclass(frozen=True)
class StepShown:
    """What the display needs for the phases of one step (the runner hands it back as ``payload``)."""

    index: int         # position in the sequence file
    step: Step
    image: ImageRef
    mode: str | None


def imagery_phases(sequence: Sequence, mode: str | None = None, affected_side: str | None = None) -> list[Phase]:
    """The timed phases of one imagery session; ``mode`` (if given) overrides every step's own mode."""
    phases: list[Phase] = []
    for index, step in enumerate(sequence.steps):
        step_mode = mode or step.mode or "eyes_open"
        shown = StepShown(index, step, step.image(affected_side), step_mode)
        common = dict(step_no=index, repetitions=step.repetitions, payload=shown)
        noun = PART_NOUNS[step.part]
        for rep in range(step.repetitions):
            if step_mode == "watch":
                phases.append(Phase("watch", step.active_s, f"Just watch the picture: {step.phrase()}.",
                                    repetition=rep, cue=Cue("begin"), **common))
            elif step_mode == "eyes_open":
                phases.append(Phase("imagine", step.active_s, step.instruction, repetition=rep,
                                    cue=Cue("begin"), **common))
            else:
                if rep == 0 and step.look_s > 0:
                    phases.append(Phase("look", step.look_s, f"Look at the picture: {step.phrase()}.",
                                        repetition=rep, cue=Cue(None, f"Look at the picture. {step.phrase()}."),
                                        **common))
                phases.append(Phase("imagine", step.active_s, f"Eyes closed. {step.instruction}", repetition=rep,
                                    cue=Cue("begin", f"Close your eyes. {step.instruction}"), **common))
            if step.rest_s > 0:
                speech = "Open your eyes and rest." if step_mode == "eyes_closed" else None
                phases.append(Phase("rest", step.rest_s, f"Rest. Let your {noun} be still and easy.",
                                    repetition=rep, cue=Cue("end", speech), **common))
    return phases


def format_duration(seconds: float, *, coarse: bool = False) -> str:
    """Time for people: '45 s', '4 min', '1 min 30 s'; ``coarse`` rounds a minute or more up to whole
    minutes ('about 5 min left' reads calmer than a ticking '4 min 17 s')."""
    if coarse and seconds >= 60:
        return f"{-int(-seconds // 60)} min"
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"
