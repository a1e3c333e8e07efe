"""Normative laterality values with their sources (shared/reference/clinical.md).

The moving-on guidance is NOI's: accuracy >= 80 % and reaction time near the norm. There is no published
cut-off for an abnormal left/right difference: the thresholds below are clinician-adjustable defaults and
are labelled as such wherever they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LR_RT_THRESHOLD_MS = 500.0      # clinician-adjustable default, no published cut-off
DEFAULT_LR_ACCURACY_THRESHOLD_PTS = 10.0  # percentage points; clinician-adjustable default
LR_THRESHOLD_LABEL = "default threshold with no published cut-off, which your physiotherapist can change"


@dataclass(frozen=True)
class Study:
    text: str
    source: str


@dataclass(frozen=True)
class Norm:
    part: str
    accuracy_min: float          # fraction
    rt_mean_s: float
    rt_sd_s: float | None        # None where the guidance says only "about"
    source: str
    studies: tuple[Study, ...] = ()

    @property
    def rt_upper_s(self) -> float:
        """The slowest median RT still 'near the norm': one SD above the mean, or +25 % where no SD is given."""
        return self.rt_mean_s + (self.rt_sd_s if self.rt_sd_s is not None else 0.25 * self.rt_mean_s)

    def describe(self) -> str:
        rt = f"{self.rt_mean_s:.1f} ± {self.rt_sd_s:.1f} s" if self.rt_sd_s is not None else f"about {self.rt_mean_s:.0f} s"
        return f"accuracy at least {self.accuracy_min:.0%}, reaction time {rt} ({self.source})"


_NOI = "NOI guidance (noinotes 2012)"
NORMS: dict[str, Norm] = {
    "hands": Norm("hands", 0.80, 2.0, 0.5, f"{_NOI}; European Pain Federation CRPS site", (
        Study("healthy 1.827 ± 0.517 s; CRPS 2.278 ± 0.736 s", "Reinersmann et al. 2010, Neurosci Lett"),)),
    "feet": Norm("feet", 0.80, 2.0, 0.5, f"{_NOI}; European Pain Federation CRPS site"),
    "neck": Norm("neck", 0.80, 1.6, 0.5, _NOI, (
        Study("median accuracy 92.5 %, 1.621 ± 0.501 s (n = 1361)", "Wallwork et al. 2013, Man Ther 18:225"),)),
    "back": Norm("back", 0.80, 1.6, 0.5, _NOI, (
        Study("accuracy: controls 87 %, one-sided low back pain 67.2 %, both sides 53.4 %",
              "Bray & Moseley 2011, BJSM 45:168"),)),
    "shoulder": Norm("shoulder", 0.80, 2.0, None, _NOI, (
        Study("93.5 ± 9.2 %, 1.738 ± 0.741 s (n = 1413)", "Breckenridge et al., shoulder LRJT norms"),)),
    "knee": Norm("knee", 0.80, 2.0, None, _NOI),
}


def norm_for(part: str) -> Norm | None:
    return NORMS.get(part)
