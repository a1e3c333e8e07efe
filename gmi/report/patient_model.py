"""A simulated patient who gets better over weeks: the numbers behind `gmi demo` and the history benchmark.

Pure and seeded. ``progress`` runs from 0 (the first day) to 1 (the last). The affected side starts slower
and less accurate; the left−right gap narrows; pain and fear fall; reachable range of movement grows.
Nothing here is a clinical claim: it only makes example data look like a plausible course.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

SIDES = ("left", "right")


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * max(0.0, min(1.0, t))


@dataclass(frozen=True)
class SimulatedPatient:
    affected_side: str = "right"
    time_limit_ms: float = 5000.0

    # -- laterality -----------------------------------------------------------------------------------
    def accuracy(self, side: str, progress: float) -> float:
        return _lerp(0.64, 0.93, progress) if side == self.affected_side else _lerp(0.80, 0.95, progress)

    def median_rt_ms(self, side: str, progress: float) -> float:
        return _lerp(3300, 1850, progress) if side == self.affected_side else _lerp(2350, 1700, progress)

    def answer(self, rng: random.Random, side: str, rotation_deg: int, direction: str,
               progress: float) -> tuple[str | None, float | None]:
        """(response, rt_ms) for one picture; (None, None) for a miss past the time limit."""
        turn = min(rotation_deg % 360, 360 - rotation_deg % 360) / 180     # 0 upright … 1 upside down
        slow = 1 + 0.35 * turn + (0.12 if direction == "lateral" else 0.0)
        rt = self.median_rt_ms(side, progress) * slow * math.exp(rng.gauss(0, 0.22))
        if rt > self.time_limit_ms:
            return None, None
        correct = rng.random() < self.accuracy(side, progress) * (1 - 0.08 * turn)
        other = "left" if side == "right" else "right"
        return (side if correct else other), round(rt, 3)

    # -- imagery and mirror ----------------------------------------------------------------------------
    def minutes(self, rng: random.Random, planned_min: float) -> float:
        """Time spent on a session planned for ``planned_min``: usually all of it, now and then stopped early."""
        share = rng.uniform(0.4, 0.9) if rng.random() < 0.1 else rng.uniform(1.0, 1.05)
        return max(0.5, planned_min * share)

    def vividness(self, rng: random.Random, progress: float) -> int:
        return max(1, min(5, round(_lerp(2.2, 4.3, progress) + rng.gauss(0, 0.5))))

    # -- exposure --------------------------------------------------------------------------------------
    def reachable_deg(self, start_deg: float, progress: float) -> float:
        """The range the patient can reach: a little past the first target at first, 70° more by the end."""
        return start_deg + 70.0 * progress

    def peak_deg(self, rng: random.Random, target_deg: float, start_deg: float, progress: float) -> float:
        """Peak of one repetition: up to the target and a little past it when within reach, else the reach."""
        aim = min(self.reachable_deg(start_deg, progress), target_deg + 8.0)
        return round(aim + rng.gauss(0, 3.5), 1)

    def ratings_before(self, rng: random.Random, progress: float) -> dict[str, int]:
        pain = round(_lerp(5, 2, progress) + rng.gauss(0, 0.7))
        return {"pain_before": _clip(pain, 0, 10),
                "expected_pain": _clip(round(_lerp(7, 3, progress) + rng.gauss(0, 0.8)), 0, 10),
                "fear_before": _clip(round(_lerp(75, 25, progress) + rng.gauss(0, 6)), 0, 100)}

    def ratings_after(self, rng: random.Random, progress: float, before: dict[str, int]) -> dict[str, object]:
        experienced = _clip(round(before["pain_before"] + rng.gauss(0.6, 0.8)), 0, 10)
        return {"pain_experienced": experienced,
                "pain_after": _clip(round(experienced - rng.uniform(0, 1.2)), 0, 10),
                "fear_after": _clip(round(before["fear_before"] - _lerp(10, 25, progress) + rng.gauss(0, 5)), 0, 100),
                "outcome_happened": "no" if rng.random() < _lerp(0.7, 0.95, progress) else "partly"}


def _clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, int(value)))
