"""Whether reaction times measured on this computer can be trusted (`gmi selftest`), from two measurements:
how often the drill's answer loop looked at the input, and how evenly the screen was redrawn.

Trustworthy when the answer loop's polling interval is at most 1 ms for 99 % of polls (a key is then stamped
within 1 ms of arriving; shared/reference/timing.md) and no frame took longer than 1.5 refresh periods (a
late frame shifts the moment a picture appears). Otherwise the report says what to close or change.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass

POLL_P99_LIMIT_MS = 1.0
LATE_FRAME_FACTOR = 1.5
ASSUMED_REFRESH_HZ = 60       # when the system does not say


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class TimingReport:
    trustworthy: bool
    polls: int
    poll_mean_ms: float
    poll_p99_ms: float
    poll_max_ms: float
    frames: int
    refresh_hz: float
    refresh_reported: bool        # False: the system did not say; 60 Hz was assumed
    vsync: bool
    frame_mean_ms: float
    frame_jitter_ms: float        # standard deviation of the frame intervals
    frame_max_ms: float
    late_frames: int              # frames longer than 1.5 refresh periods
    video_driver: str
    real_screen: bool             # False with SDL's dummy driver (no display found)
    lines: tuple[str, ...]        # the verdict in plain words

    def to_dict(self) -> dict:
        d = asdict(self)
        d["lines"] = list(self.lines)
        d["limits"] = {"poll_p99_ms": POLL_P99_LIMIT_MS, "late_frame_factor": LATE_FRAME_FACTOR}
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in d.items()}

    def text(self) -> str:
        return "\n".join(self.lines)


def judge_timing(poll_gaps_us: list[float], frame_intervals_ms: list[float], *, refresh_hz: float, vsync: bool,
                 video_driver: str, real_screen: bool = True) -> TimingReport:
    """The verdict for the measured polling gaps (µs) and frame intervals (ms)."""
    if not poll_gaps_us or not frame_intervals_ms:
        raise ValueError("nothing was measured")
    reported = refresh_hz > 0
    hz = refresh_hz if reported else ASSUMED_REFRESH_HZ
    period_ms = 1000.0 / hz
    polls_ms = [g / 1000 for g in poll_gaps_us]
    p99, p_max, p_mean = percentile(polls_ms, 99), max(polls_ms), statistics.fmean(polls_ms)
    late = sum(1 for f in frame_intervals_ms if f > LATE_FRAME_FACTOR * period_ms)
    f_mean, f_max = statistics.fmean(frame_intervals_ms), max(frame_intervals_ms)
    jitter = statistics.pstdev(frame_intervals_ms)
    polling_ok, frames_ok = p99 <= POLL_P99_LIMIT_MS, late == 0
    trustworthy = polling_ok and frames_ok and real_screen

    if trustworthy:
        lines = ["Reaction times measured on this computer are trustworthy."]
    elif polling_ok and frames_ok:
        lines = ["Answers are timed well enough here, but the screen could not be checked (see below)."]
    else:
        lines = ["Reaction times measured on this computer are NOT trustworthy at the moment."]
    lines.append(f"Answers: gmi looked for a key press every {p_mean:.2f} ms on average; 99 times in 100 within "
                 f"{p99:.2f} ms (the limit is {POLL_P99_LIMIT_MS:g} ms); the longest wait was {p_max:.2f} ms.")
    refresh = f"{hz:g} Hz" if reported else f"{hz:g} Hz (assumed: the system did not say)"
    lines.append(f"Screen: {refresh}, vsync {'on' if vsync else 'off'}; {len(frame_intervals_ms)} frames took "
                 f"{f_mean:.1f} ms on average (spread {jitter:.1f} ms, longest {f_max:.1f} ms); "
                 f"{late} took longer than {LATE_FRAME_FACTOR:g} refresh periods ({LATE_FRAME_FACTOR * period_ms:.1f} ms).")
    if not polling_ok:
        lines.append("The computer was too busy to look at the keys often enough. Close programs that keep it "
                     "busy (a web browser playing video, video calls, downloads, updates, a virus scan), plug a "
                     "laptop in and choose a high-performance power mode, then run gmi selftest again.")
    if not frames_ok:
        lines.append("The screen missed frames, so a picture may appear later than gmi thinks. Close programs that "
                     "draw a lot (videos, games, screen recording or sharing), use full screen (F11), and prefer "
                     "the computer's main screen; then run gmi selftest again.")
    if not vsync:
        lines.append(f"Vsync is off here: the moment a picture appears is known to within one refresh "
                     f"({period_ms:.1f} ms). Comparing left with right stays fair; compare absolute times only "
                     "between sessions on this same computer.")
    if not real_screen:
        lines.append(f"No screen was found ({video_driver} video driver), so the screen could not be checked. "
                     "Run gmi selftest on the computer's desktop to check the real screen.")
    return TimingReport(trustworthy, len(polls_ms), p_mean, p99, p_max, len(frame_intervals_ms), float(hz),
                        reported, vsync, f_mean, jitter, f_max, late, video_driver, real_screen, tuple(lines))
