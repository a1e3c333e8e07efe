"""The prescribed daily dose of each kind of practice, with where each number comes from.

Laterality, imagery and mirror doses come from the GMI programme (gmi.core.programme: the plan's
``[programme]`` table when the profile has one, else the programme's defaults with their sources). Graded
exposure plans set no frequency, so exposure uses a project default of one session every other day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXPOSURE_DEFAULT_SOURCE = "project default (no published number; your physiotherapist can change it)"


@dataclass(frozen=True)
class Dose:
    kind: str
    sessions_per_day: float
    per_session: float
    unit: str                    # minutes | images | sessions
    source: str

    @property
    def minutes_per_day(self) -> float | None:
        return self.sessions_per_day * self.per_session if self.unit == "minutes" else None

    def describe(self) -> str:
        if self.unit == "sessions":
            often = ("one session a day" if self.sessions_per_day == 1 else
                     f"one session every {1 / self.sessions_per_day:g} days" if self.sessions_per_day < 1 else
                     f"{self.sessions_per_day:g} sessions a day")
            return f"{often} — {self.source}"
        return f"{self.sessions_per_day:g} a day, {self.per_session:g} {self.unit} each — {self.source}"


EXPOSURE_DOSE = Dose("exposure", 0.5, 1.0, "sessions", EXPOSURE_DEFAULT_SOURCE)   # every other day


def programme_of(settings: dict[str, Any], part: str) -> tuple[Any, str]:
    """The profile's GMI programme for ``part`` (as `gmi programme` keeps it) and a note if it fell back."""
    from gmi.core.programme import programme_for

    saved = settings.get("programme", {}) or {}
    return programme_for(part, saved.get("plan"), saved.get("affected_side"))


def doses_for(profile: Any, part: str) -> dict[str, Dose]:
    from gmi.core.programme import STAGES
    from gmi.core.stimuli import PARTS

    part = part if part in PARTS else "hands"
    programme, _note = programme_of(profile.settings, part)
    doses: dict[str, Dose] = {}
    for stage in STAGES:
        if stage not in programme.stages(part):
            continue
        st = programme.settings(part, stage)
        sources = sorted({"your plan" if v.source == "plan" else v.source for v in (st.sessions_per_day, st.per_session)})
        doses[stage] = Dose(stage, float(st.sessions_per_day.value), float(st.per_session.value), st.unit,
                            "; ".join(sources))
    doses["exposure"] = EXPOSURE_DOSE
    return doses
