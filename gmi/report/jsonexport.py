"""Everything of one profile in one JSON document (format "gmi-export", version 1).

The structure is described in docs/export.md and by the JSON Schema gmi/report/data/export.schema.json
(tests validate every export against it). Row-level records use the same columns as the TSV files.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

from gmi.core.norms import DEFAULT_LR_ACCURACY_THRESHOLD_PTS, DEFAULT_LR_RT_THRESHOLD_MS, LR_THRESHOLD_LABEL, NORMS
from gmi.report.columns import EXPOSURE, GUIDED, LATERALITY
from gmi.report.dataset import Dataset, SessionData
from gmi.store.location import atomic_write_bytes

FORMAT = "gmi-export"
FORMAT_VERSION = 1
SCHEMA_FILE = "export.schema.json"
NOTES = (
    "No camera frames are stored by gmi or exported: only numbers (angles, counts, times, ratings).",
    "Reaction times are comparable only within one input method.",
    "Sessions with simulated = true are example data made by `gmi demo`, not a real patient.",
)


def schema() -> dict[str, Any]:
    return json.loads(resources.files("gmi.report").joinpath("data", SCHEMA_FILE).read_text(encoding="utf-8"))


def _records(columns: Any, rows: list[dict[str, Any]], session: SessionData) -> list[dict[str, Any]]:
    return [{c.name: c.get(row, session) for c in columns} for row in rows]


def session_document(s: SessionData) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "session": f"ses-{s.label}", "session_id": s.id, "kind": s.kind, "started_at": s.row["started_at"],
        "ended_at": s.row["ended_at"], "status": s.row["status"], "simulated": s.simulated,
        "input_method": s.row["input_method"], "app_version": s.row["app_version"],
        "minutes": None if s.row.get("minutes") is None else round(float(s.row["minutes"]), 3),
        "settings": s.settings, "timing": s.timing}
    if s.kind == "laterality":
        doc["laterality"] = {"sides": s.sides, "trials": _records(LATERALITY, s.rows.get("laterality_trials", []), s)}
    elif s.kind == "exposure":
        decision = s.rows.get("exposure_decisions", [])
        doc["exposure"] = {
            "ratings": {r["name"]: (r["value_num"] if r["value_num"] is not None else r["value_text"])
                        for r in s.rows.get("exposure_ratings", [])},
            "repetitions": _records(EXPOSURE, s.rows.get("exposure_reps", []), s),
            "events": [{"name": e["name"], "t_s": e["t_s"], "data": json.loads(e["data_json"] or "{}"),
                        "recorded_at": e["recorded_at"]} for e in s.rows.get("exposure_events", [])],
            "decision": ({k: decision[0][k] for k in ("action", "item", "item_index", "level", "reps_target", "reason",
                                                      "comparison", "decided_at")} if decision else None)}
    elif s.kind in ("imagery", "mirror"):
        doc["guided"] = {
            "steps": _records(GUIDED, s.rows.get("guided_steps", []), s),
            "ratings": {r["name"]: r["value"] for r in s.rows.get("session_ratings", [])},
            "symptoms": [{"symptom": r["symptom"], "at_s": r["at_s"], "reported_at": r["reported_at"]}
                         for r in s.rows.get("session_symptoms", [])]}
    return doc


def document(data: Dataset) -> dict[str, Any]:
    h = data.history
    plans = []
    for p in data.plans:
        try:
            parsed = p.plan()
            title, written = parsed.title, parsed.written.isoformat()
        except Exception:       # an old plan that no longer parses is still exported as written
            title, written = None, None
        plans.append({"plan_id": p.id, "file_name": p.file_name, "title": title, "author": p.author,
                      "written": written, "installed_at": p.installed_at, "patient": p.patient, "sha256": p.sha256,
                      "example": p.id in data.demo_plan_ids, "text": p.text})
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "gmi_version": data.gmi_version,
        "exported_at": data.exported_at, "subject": data.subject,
        "since": data.since.isoformat() if data.since else None,
        "contains_example_data": data.has_example_data, "notes": list(NOTES),
        "norms": [{"part": n.part, "accuracy_min": n.accuracy_min, "rt_mean_s": n.rt_mean_s, "rt_sd_s": n.rt_sd_s,
                   "source": n.source, "studies": [asdict(st) for st in n.studies]} for n in NORMS.values()],
        "lr_difference_thresholds": {"rt_ms": DEFAULT_LR_RT_THRESHOLD_MS, "accuracy_pts": DEFAULT_LR_ACCURACY_THRESHOLD_PTS,
                                     "label": LR_THRESHOLD_LABEL},
        "plans": plans,
        "doses": {k: {"sessions_per_day": d.sessions_per_day, "per_session": d.per_session, "unit": d.unit,
                      "source": d.source} for k, d in h.doses.items()},
        "adherence": [{"start": b.start.isoformat(), "days": b.days, "done": b.done, "prescribed": b.prescribed}
                      for b in h.adherence],
        "sessions": [session_document(s) for s in data.sessions],
    }


def write_json_export(data: Dataset, out: Path) -> list[Path]:
    path = out / f"sub-{data.subject}_gmi.json"
    atomic_write_bytes(path, json.dumps(document(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return [path]
