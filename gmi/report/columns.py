"""The columns of the TSV exports: name (with its unit), long name, description, unit, levels, and where the
value comes from. The TSV writer and the JSON sidecars are both made from these lists, so a file and its
sidecar cannot disagree. docs/export.md describes the same columns for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from gmi.report.dataset import SessionData

Getter = Callable[[dict[str, Any], SessionData], Any]


@dataclass(frozen=True)
class Column:
    name: str
    long_name: str
    description: str
    get: Getter
    units: str | None = None
    levels: dict[str, str] | None = None

    def sidecar(self) -> dict[str, Any]:
        out: dict[str, Any] = {"LongName": self.long_name, "Description": self.description}
        if self.units:
            out["Units"] = self.units
        if self.levels:
            out["Levels"] = dict(self.levels)
        return out


def field_(name: str) -> Getter:
    return lambda row, session: row.get(name)


YES_NO = {"1": "yes", "0": "no"}
SIDES = {"left": "left", "right": "right"}


def _onset_s(row: dict[str, Any], session: SessionData) -> float | None:
    first = session.first_onset_ns
    if not row.get("onset_ns") or first is None:
        return None
    return (row["onset_ns"] - first) / 1e9


LATERALITY = (
    Column("trial_index", "Trial number", "Position of the picture in the designed order, from 0.", field_("trial_index")),
    Column("onset_s", "Picture onset", "Seconds from the first picture of the session to this one (clock taken "
           "right after the screen showed it); n/a if not recorded.", _onset_s, "s"),
    Column("stimulus_id", "Picture", "Identifier of the picture in the image library manifest.", field_("stimulus_id")),
    Column("side", "Side shown", "Which side the picture shows (the correct answer).", field_("side"), levels=SIDES),
    Column("view", "View", "How the body part is seen (e.g. dorsal, palmar, front, back).", field_("view")),
    Column("posture", "Posture", "The posture shown.", field_("posture")),
    Column("rotation_deg", "Rotation", "Clockwise rotation of the picture from upright.", field_("rotation_deg"), "deg"),
    Column("direction", "Rotation direction", "Whether the rotation turns the part towards the body's midline.",
           field_("direction"), levels={"medial": "towards the midline", "lateral": "away from the midline",
                                        "none": "upright or upside down"}),
    Column("level", "Image level", "Difficulty level of the picture (1 plain … 3 scenes or crops).", field_("level")),
    Column("response", "Answer", "The side answered; n/a when no answer came within the time allowed.",
           field_("response"), levels=SIDES),
    Column("correct", "Correct", "Whether the answer matched the side shown (a missing answer is not correct).",
           field_("correct"), levels=YES_NO),
    Column("rt_ms", "Reaction time", "Time from picture onset to the answer; n/a for a missing answer.",
           field_("rt_ms"), "ms"),
    Column("input_method", "Input method", "How this answer was given; compare reaction times only within one "
           "method.", field_("input_method"), levels={"keys": "keyboard or foot pedal", "mouse": "mouse click",
                                                      "touch": "touch screen", "dwell": "pointer resting on a target"}),
    Column("answered_at", "Answer time", "When the answer was recorded (ISO 8601, UTC).", field_("answered_at")),
)


def _session_target(row: dict[str, Any], session: SessionData) -> Any:
    return session.settings.get("targets", {}).get("target_deg")


EXPOSURE = (
    Column("rep_index", "Repetition", "Repetition number in the session, from 1.", field_("rep_index")),
    Column("set_index", "Set", "Set number, from 1.", field_("set_index")),
    Column("rep_in_set", "Repetition in set", "Repetition number within its set, from 1.", field_("rep_in_set")),
    Column("source", "Counted by", "How the repetition was counted.", field_("source"),
           levels={"camera": "pose estimation from the webcam", "tap": "the patient pressed a key or tapped"}),
    Column("peak_deg", "Peak angle", "Largest joint angle of the repetition, estimated from the camera (about ±7°); "
           "n/a when counted by tapping.", field_("peak_deg"), "deg"),
    Column("target_deg", "Target angle", "The session's target angle from the plan; n/a for unmeasured items.",
           _session_target, "deg"),
    Column("target_reached", "Target reached", "Whether the repetition reached the target (and hold, if any).",
           field_("target_reached"), levels=YES_NO),
    Column("hold_s", "Hold", "Time held at the end of the movement.", field_("hold_s"), "s"),
    Column("duration_s", "Duration", "Time the repetition took.", field_("duration_s"), "s"),
    Column("t_s", "Time in session", "Seconds from the start of the session to the end of the repetition.",
           field_("t_s"), "s"),
    Column("recorded_at", "Recorded at", "When the repetition was written (ISO 8601, UTC).", field_("recorded_at")),
)

GUIDED = (
    Column("step_no", "Step", "Step occurrence in the session, from 0 (mirror rounds repeat steps).", field_("step_no")),
    Column("sequence_index", "Step in sequence", "Position of the step in its sequence file, from 0.",
           field_("sequence_index")),
    Column("side", "Side", "Side of the body the step was about (resolved for the patient).", field_("side"), levels=SIDES),
    Column("view", "View", "View of the picture shown.", field_("view")),
    Column("posture", "Posture", "Posture imagined or moved into.", field_("posture")),
    Column("mode", "Imagery mode", "How the step was done; n/a for mirror therapy.", field_("mode"),
           levels={"watch": "watch only (action observation)", "eyes_open": "imagine with eyes open",
                   "eyes_closed": "imagine with eyes closed"}),
    Column("started_s", "Start", "Seconds from the start of the session (pauses included).", field_("started_s"), "s"),
    Column("ended_s", "End", "Seconds from the start of the session (pauses included).", field_("ended_s"), "s"),
    Column("active_s", "Active time", "Imagining or moving time of the step, pauses excluded.", field_("active_s"), "s"),
    Column("repetitions_done", "Repetitions done", "Repetitions completed.", field_("repetitions_done")),
    Column("repetitions", "Repetitions asked", "Repetitions the step asked for.", field_("repetitions")),
    Column("cut_short", "Cut short", "Whether the step was stopped or ended by the session timer.", field_("cut_short"),
           levels=YES_NO),
    Column("completed_at", "Completed at", "When the step ended (ISO 8601, UTC).", field_("completed_at")),
)


def _side(name: str, key: str, scale: float = 1.0) -> Getter:
    def get(row: dict[str, Any], session: SessionData) -> Any:
        value = session.sides.get(name, {}).get(key)
        return None if value is None else value * scale
    return get


def _lr_diff(row: dict[str, Any], session: SessionData) -> float | None:
    left, right = (session.sides.get(s, {}).get("median_rt_ms") for s in ("left", "right"))
    return None if left is None or right is None else left - right


def _rating(name: str) -> Getter:
    return lambda row, session: session.ratings().get(name)


def _count(table: str) -> Getter:
    return lambda row, session: len(session.rows.get(table, [])) if session.kind in TABLE_KINDS[table] else None


def _peak(row: dict[str, Any], session: SessionData) -> float | None:
    peaks = [r["peak_deg"] for r in session.rows.get("exposure_reps", []) if r.get("peak_deg") is not None]
    return max(peaks) if peaks else None


def _reps_at_target(row: dict[str, Any], session: SessionData) -> int | None:
    if session.kind != "exposure":
        return None
    return sum(int(r["target_reached"]) for r in session.rows.get("exposure_reps", []))


TABLE_KINDS = {"laterality_trials": ("laterality",), "exposure_reps": ("exposure",),
               "guided_steps": ("imagery", "mirror"), "session_symptoms": ("mirror",)}
KIND_LEVELS = {"laterality": "left/right recognition drill", "imagery": "imagined movements",
               "mirror": "mirror therapy", "exposure": "graded exposure session"}

SESSIONS = (
    Column("session_id", "Session", "BIDS session label: sessions numbered in the order they started.",
           lambda row, s: f"ses-{s.label}"),
    Column("gmi_session_id", "gmi session id", "The session's id in the gmi database.", lambda row, s: s.id),
    Column("kind", "Kind", "What the session was.", lambda row, s: s.kind, levels=KIND_LEVELS),
    Column("started_at", "Started", "Start time (ISO 8601, UTC).", lambda row, s: s.row["started_at"]),
    Column("ended_at", "Ended", "End time (ISO 8601, UTC); n/a if it never ended (closed or crashed).",
           lambda row, s: s.row["ended_at"]),
    Column("status", "Status", "How the session ended.", lambda row, s: s.row["status"],
           levels={"completed": "done to the end", "stopped": "ended early (by the patient, pain or a symptom)",
                   "running": "never ended (the program closed); what was recorded is kept"}),
    Column("simulated", "Example data", "1 = example data made by `gmi demo`, not a real patient.",
           lambda row, s: int(s.simulated), levels=YES_NO),
    Column("input_method", "Input method", "How answers or repetitions were given (several joined by +).",
           lambda row, s: s.row["input_method"]),
    Column("part", "Body part", "Body part practised (laterality, imagery, mirror).", lambda row, s: s.part),
    Column("mode", "Mode", "Laterality: training or test; imagery: watch, eyes_open or eyes_closed; exposure: tap "
           "or camera.", lambda row, s: s.settings.get("mode")),
    Column("item", "Exposure item", "The plan's item (exposure sessions).", lambda row, s: s.settings.get("item")),
    Column("level", "Exposure level", "The item's level, from 1 (exposure sessions).",
           lambda row, s: s.settings.get("level") if s.kind == "exposure" else None),
    Column("minutes", "Minutes", "Practice time: the runner's time with pauses excluded where recorded, else wall "
           "time.", lambda row, s: s.row.get("minutes"), "min"),
    Column("trials", "Pictures answered", "Laterality trials recorded (answered or missed).", _count("laterality_trials")),
    Column("accuracy_left_pct", "Accuracy, left", "Share of left pictures answered correctly.",
           _side("left", "accuracy", 100.0), "%"),
    Column("accuracy_right_pct", "Accuracy, right", "Share of right pictures answered correctly.",
           _side("right", "accuracy", 100.0), "%"),
    Column("median_rt_left_ms", "Median reaction time, left", "Median time of correct answers to left pictures.",
           _side("left", "median_rt_ms"), "ms"),
    Column("median_rt_right_ms", "Median reaction time, right", "Median time of correct answers to right pictures.",
           _side("right", "median_rt_ms"), "ms"),
    Column("lr_rt_diff_ms", "Left minus right median time", "Positive: left pictures took longer. No published "
           "cut-off exists; gmi flags more than 500 ms by default (clinician-adjustable).", _lr_diff, "ms"),
    Column("steps", "Steps", "Imagery or mirror steps completed.", _count("guided_steps")),
    Column("target_deg", "Target angle", "Exposure target from the plan.",
           lambda row, s: s.settings.get("targets", {}).get("target_deg"), "deg"),
    Column("peak_deg", "Highest peak angle", "Largest peak angle of the session's repetitions (camera estimate).",
           _peak, "deg"),
    Column("reps_done", "Repetitions done", "Exposure repetitions recorded.", _count("exposure_reps")),
    Column("reps_at_target", "Repetitions at target", "Exposure repetitions that reached the target.", _reps_at_target),
    Column("pain_before", "Pain before", "Pain now, before the exposure session (NRS 0–10).", _rating("pain_before"),
           "score (0-10)"),
    Column("expected_pain", "Expected pain", "Pain the patient expected the activity to cause (NRS 0–10).",
           _rating("expected_pain"), "score (0-10)"),
    Column("pain_experienced", "Experienced pain", "The worst pain while doing it (NRS 0–10).",
           _rating("pain_experienced"), "score (0-10)"),
    Column("pain_after", "Pain after", "Pain now, after the session (NRS 0–10).", _rating("pain_after"), "score (0-10)"),
    Column("fear_before", "Fear before", "Fear of harm before (0–100; a change over 20 is real, Leeuw et al. 2007).",
           _rating("fear_before"), "score (0-100)"),
    Column("fear_after", "Fear after", "Fear of harm after (0–100).", _rating("fear_after"), "score (0-100)"),
    Column("outcome_happened", "Feared outcome happened", "Whether what the patient feared happened.",
           _rating("outcome_happened"), levels={"yes": "yes", "partly": "in part", "no": "no"}),
    Column("vividness", "Vividness", "How clear the imagined movements were (1 no image … 5 as clear as doing it).",
           _rating("vividness"), "score (1-5)"),
    Column("pain_nrs", "Pain after imagery or mirror", "Pain rated after an imagery or mirror session (NRS 0–10).",
           _rating("pain_nrs"), "score (0-10)"),
    Column("symptoms", "Symptoms reported", "Pain, nausea or dizziness reports during a mirror session.",
           _count("session_symptoms")),
)

# task name → (table, columns, what one row is)
TASKS = {
    "laterality": ("laterality_trials", LATERALITY, "one picture (trial) of a left/right recognition drill"),
    "exposure": ("exposure_reps", EXPOSURE, "one repetition of a graded exposure session"),
    "imagery": ("guided_steps", GUIDED, "one step of an imagined-movement session"),
    "mirror": ("guided_steps", GUIDED, "one step of a mirror therapy session"),
}
