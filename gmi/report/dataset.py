"""Everything stored for one profile, gathered once for the exports (TSV, JSON, FHIR, HTML).

Sessions are numbered 1, 2, 3 … in the order they started, over the profile's whole history, so that
``ses-<n>`` names stay the same whatever ``--since`` cuts off. Rows come from one query per table (not one
per session), so years of history are read in seconds. No camera frames exist in the store; nothing here
could export one.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from functools import cached_property
from typing import Any

from gmi import __version__
from gmi.core.errors import GmiError
from gmi.report.history import History, load_history
from gmi.store import history as q
from gmi.store.db import Database, Profile
from gmi.store.exposure import InstalledPlan, plan_history


def subject_label(text: str) -> str:
    """A BIDS label (letters and digits only) from a profile name or pseudonym."""
    label = re.sub(r"[^A-Za-z0-9]", "", text)
    if not label:
        raise GmiError("E-EXPORT-SUBJECT", f"{text!r} has no letters or digits to name the exported files with.",
                       fix="give a pseudonym of letters and digits with --subject, e.g. --subject P031")
    return label


def since_bound(since: date | None) -> str | None:
    """The first instant of local day ``since`` as stored (UTC ISO 8601)."""
    if since is None:
        return None
    return datetime.combine(since, time(0, 0)).astimezone().astimezone(timezone.utc).isoformat(timespec="microseconds")


@dataclass
class SessionData:
    number: int
    row: dict[str, Any]
    settings: dict[str, Any]
    timing: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # table → rows of this session
    sides: dict[str, dict[str, Any]] = field(default_factory=dict)        # laterality figures per side

    @cached_property
    def first_onset_ns(self) -> int | None:
        onsets = [t["onset_ns"] for t in self.rows.get("laterality_trials", []) if t.get("onset_ns")]
        return min(onsets) if onsets else None

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def kind(self) -> str:
        return str(self.row["kind"])

    @property
    def label(self) -> str:
        return f"{self.number:03d}"

    @property
    def simulated(self) -> bool:
        return bool(self.row["simulated"])

    @property
    def part(self) -> str | None:
        return self.settings.get("part")

    def ratings(self) -> dict[str, Any]:
        """Exposure ratings by name (numbers or text) and imagery/mirror ratings, in one dict."""
        out: dict[str, Any] = {}
        for r in self.rows.get("exposure_ratings", []):
            out[r["name"]] = r["value_num"] if r["value_num"] is not None else r["value_text"]
        for r in self.rows.get("session_ratings", []):
            out[r["name"]] = r["value"]
        return out


@dataclass
class Dataset:
    profile: Profile
    subject: str
    since: date | None
    exported_at: str
    sessions: list[SessionData]
    history: History
    plans: list[InstalledPlan]
    demo_plan_ids: tuple[int, ...]

    @property
    def has_example_data(self) -> bool:
        return any(s.simulated for s in self.sessions)

    @property
    def gmi_version(self) -> str:
        return __version__


def collect(db: Database, profile: Profile, since: date | None = None, subject: str | None = None,
            *, tables: tuple[str, ...] = tuple(q.SESSION_TABLES)) -> Dataset:
    """The profile's sessions from ``since`` on, with their rows of ``tables`` (the HTML report needs only
    the small ones: ratings and symptoms)."""
    bound = since_bound(since)
    all_rows = q.session_rows(db, profile.id)
    sessions = [SessionData(n, dict(r), json.loads(r["settings_json"] or "{}"), json.loads(r["timing_json"] or "{}"))
                for n, r in enumerate(all_rows, start=1) if bound is None or r["started_at"] >= bound]
    by_id = {s.id: s for s in sessions}
    for table in tables:
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in q.profile_rows(db, table, profile.id, bound):
            grouped[r["session_id"]].append(dict(r))
        for sid, rows in grouped.items():
            if sid in by_id:
                by_id[sid].rows[table] = rows
    for r in q.laterality_side_stats(db, profile.id, bound):
        if r["session_id"] in by_id:
            n, correct = r["n"], r["correct"] or 0
            by_id[r["session_id"]].sides[r["side"]] = {
                "n": n, "correct": correct, "accuracy": correct / n if n else None, "misses": r["misses"] or 0,
                "median_rt_ms": r["median_rt_ms"]}
    demo_ids = tuple(profile.settings.get("demo", {}).get("plan_ids", []))
    return Dataset(profile, subject_label(subject or profile.name), since,
                   datetime.now().astimezone().isoformat(timespec="seconds"), sessions,
                   load_history(db, profile, bound), plan_history(db, profile.id), demo_ids)
