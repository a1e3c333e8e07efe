"""A mirror therapy session (GMI stage 3), with a webcam mirror or a physical mirror box.

The session is a protocol (see protocol.py): a watch-only start, then the movement prompts of a mirror
sequence, repeated round after round until the session timer ends (5 minutes by default; 5–10 minutes a
session, several sessions a day, European Pain Federation "how to"). Whoever reports pain, nausea or
dizziness is told to stop moving and only watch, and the rest of the session becomes watch-only.
Both settings use the same prompts and timers; only the words about where to look differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

from gmi.core.imagery import Sequence, StepShown
from gmi.core.postures import PART_NOUNS
from gmi.core.protocol import Cue, Phase, ProtocolRunner, RunnerEvent, with_cut_to

Setting = Literal["camera", "box"]
SETTINGS: tuple[str, ...] = ("camera", "box")
SYMPTOMS: tuple[str, ...] = ("pain", "nausea", "dizziness")
MINUTES_RECOMMENDED = (5, 10)

_LOOK_AT = {"camera": "the screen", "box": "the mirror"}

STOP_AND_WATCH = ("Stop moving. Keep both {nouns} still and only watch the reflection. If the feeling does not "
                  "settle, end the session: that is the right thing to do, and you can try again later.")

MIRROR_BOX_SETUP: tuple[str, ...] = (
    "Sit at a table with the mirror box in front of you, the mirror facing your {unaffected} side.",
    "Put your {affected} {noun} inside the box, out of sight. Take off rings and watches.",
    "Put your {unaffected} {noun} in front of the mirror and lean so that you see only its reflection.",
    "Look only into the mirror. The reflection should look like your {affected} {noun}.",
)
CAMERA_SETUP: tuple[str, ...] = (
    "Sit so that the camera sees both {nouns}, one each side of the dashed line.",
    "Rest your {affected} {noun} where it is comfortable: the screen shows the reflection of your {unaffected} "
    "{noun} in its place.",
    "Move the line until the reflection looks like one natural pair of {nouns}.",
    "Look only at the screen, not at your {nouns}.",
)


def plural(part: str) -> str:
    noun = PART_NOUNS[part]
    return {"foot": "feet", "knee": "knees", "shoulder": "shoulders", "hand": "hands"}.get(noun, noun)


def setup_steps(setting: str, part: str, affected_side: str | None) -> list[str]:
    """The set-up guide for a camera mirror or a mirror box, in words for this patient."""
    affected = affected_side if affected_side in ("left", "right") else "painful"
    unaffected = {"left": "right", "right": "left"}.get(affected, "other")
    lines = MIRROR_BOX_SETUP if setting == "box" else CAMERA_SETUP
    return [line.format(affected=affected, unaffected=unaffected, noun=PART_NOUNS[part], nouns=plural(part))
            for line in lines]


def watch_only_phase(seconds: float, setting: str, part: str, *, after_symptom: bool = False) -> Phase:
    if after_symptom:
        text = STOP_AND_WATCH.format(nouns=plural(part))
        return Phase("watch", seconds, text, cue=Cue("end", "Stop moving. Just watch."))
    text = (f"Watch only. Keep both {plural(part)} still and look only at the reflection in "
            f"{_LOOK_AT[setting]}.")
    return Phase("watch", seconds, text, cue=Cue("begin", "Keep still and just watch the reflection."))


def mirror_phases(sequence: Sequence, *, setting: str = "camera", minutes: float | None = None,
                  watch_s: float | None = None, affected_side: str | None = None) -> list[Phase]:
    """Watch-only start, then the sequence's prompts round after round, cut to end on the timer."""
    total = 60.0 * (minutes if minutes is not None else sequence.minutes)
    watch = sequence.watch_s if watch_s is None else watch_s
    phases = [watch_only_phase(watch, setting, sequence.part)] if watch > 0 else []
    used = sum(p.duration_s for p in phases)
    step_no = 0
    while used < total:
        for index, step in enumerate(sequence.steps):
            shown = StepShown(index, step, step.image(affected_side), None)
            for rep in range(step.repetitions):
                text = f"{step.instruction} Look only at the reflection."
                phases.append(Phase("move", step.active_s, text, step_no=step_no, repetition=rep,
                                    repetitions=step.repetitions, payload=shown,
                                    cue=Cue("begin", step.instruction)))
                if step.rest_s > 0:
                    phases.append(Phase("rest", step.rest_s, "Rest. Keep watching the reflection.", step_no=step_no,
                                        repetition=rep, repetitions=step.repetitions, payload=shown,
                                        cue=Cue("end", "Rest.")))
                used += step.active_s + step.rest_s
            step_no += 1
            if used >= total:
                break
    return with_cut_to(phases, total)


@dataclass(frozen=True)
class SymptomReport:
    symptom: str
    at_s: float            # seconds into the session, pauses excluded


@dataclass
class MirrorSession:
    """The runner of one session plus what was reported during it."""

    sequence: Sequence
    runner: ProtocolRunner
    setting: str = "camera"
    symptoms: list[SymptomReport] = field(default_factory=list)
    watching_only: bool = False

    @classmethod
    def create(cls, sequence: Sequence, clock: Callable[[], float], *, setting: str = "camera",
               minutes: float | None = None, watch_s: float | None = None,
               affected_side: str | None = None) -> "MirrorSession":
        if setting not in SETTINGS:
            raise ValueError(f"setting must be one of {SETTINGS} (found {setting!r})")
        phases = mirror_phases(sequence, setting=setting, minutes=minutes, watch_s=watch_s,
                               affected_side=affected_side)
        return cls(sequence, ProtocolRunner(phases, clock), setting)

    def report_symptom(self, symptom: str) -> tuple[str, list[RunnerEvent]]:
        """Record a symptom; the rest of the session becomes watch-only. Returns the advice to show."""
        if symptom not in SYMPTOMS:
            raise ValueError(f"symptom must be one of {SYMPTOMS} (found {symptom!r})")
        status = self.runner.status()
        self.symptoms.append(SymptomReport(symptom, round(status.elapsed_s, 3)))
        advice = STOP_AND_WATCH.format(nouns=plural(self.sequence.part))
        events: list[RunnerEvent] = []
        if not self.watching_only and status.total_left_s > 0:
            events = self.runner.replace_remaining(
                [watch_only_phase(status.total_left_s, self.setting, self.sequence.part, after_symptom=True)])
            self.watching_only = True
        return advice, events
