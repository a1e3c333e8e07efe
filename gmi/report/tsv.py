"""Trial-level TSV files in a BIDS-like layout, with a JSON sidecar describing every column.

    OUT/dataset_description.json
    OUT/task-<task>_beh.json                     one sidecar per file type (BIDS inheritance: applies to all)
    OUT/sub-<id>/sub-<id>_sessions.tsv (+ .json) one row per session
    OUT/sub-<id>/ses-<n>/beh/sub-<id>_ses-<n>_task-<task>_beh.tsv

Tasks: laterality (one row per picture), exposure (one per repetition), imagery and mirror (one per step).
Missing values are ``n/a``; units are in the column names and in the sidecars. Every file is written
atomically (temporary file, rename); the per-session files are flushed to disk together at the end.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Sequence

from gmi.report.columns import SESSIONS, TASKS, Column
from gmi.report.dataset import Dataset, SessionData
from gmi.store.location import atomic_write_bytes

NA = "n/a"


def cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NA
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{round(value, 3):g}" if abs(value) < 1e15 else repr(value)
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def table_text(columns: Sequence[Column], rows: Sequence[dict[str, Any]], session: SessionData | None) -> str:
    lines = ["\t".join(c.name for c in columns)]
    for row in rows:
        lines.append("\t".join(cell(c.get(row, session)) for c in columns))  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def sidecar(columns: Sequence[Column], **extra: Any) -> dict[str, Any]:
    return {**extra, **{c.name: c.sidecar() for c in columns}}


def write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def write_tsv(data: Dataset, out: Path) -> list[Path]:
    sub = f"sub-{data.subject}"
    written: list[Path] = []
    write_json(out / "dataset_description.json", {
        "Name": f"gmi export for {sub}", "BIDSVersion": "1.9.0", "DatasetType": "raw",
        "GeneratedBy": [{"Name": "gmi", "Version": data.gmi_version,
                         "Description": "graded motor imagery and graded exposure; see docs/export.md"}],
        "HowToAcknowledge": "Example data made by `gmi demo` is marked simulated=1 in the sessions file."})
    written.append(out / "dataset_description.json")
    for task, (_table, columns, what) in TASKS.items():
        path = out / f"task-{task}_beh.json"
        write_json(path, sidecar(columns, TaskName=task, TaskDescription=f"Each row is {what}."))
        written.append(path)
    for session in data.sessions:
        for task, (table, columns, _what) in TASKS.items():
            rows = session.rows.get(table)
            if session.kind != task or not rows:
                continue
            path = out / sub / f"ses-{session.label}" / "beh" / f"{sub}_ses-{session.label}_task-{task}_beh.tsv"
            # thousands of files: each appears whole (rename), and all are flushed to disk once below
            atomic_write_bytes(path, table_text(columns, rows, session).encode("utf-8"), fsync=False)
            written.append(path)
    os.sync()
    path = out / sub / f"{sub}_sessions.tsv"
    atomic_write_bytes(path, "\n".join(
        ["\t".join(c.name for c in SESSIONS)]
        + ["\t".join(cell(c.get({}, s)) for c in SESSIONS) for s in data.sessions]).encode("utf-8") + b"\n")
    written.append(path)
    write_json(out / sub / f"{sub}_sessions.json", sidecar(SESSIONS))
    written.append(out / sub / f"{sub}_sessions.json")
    return written


def read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a TSV file written here (for tests and round trips)."""
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
