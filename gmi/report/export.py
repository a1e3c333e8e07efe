"""`gmi export`: one profile's data as TSV (+ JSON sidecars), one JSON document, an HTML report or a FHIR Bundle.

Each format lives in its own module; this one gathers the data once and hands it over. Writers put every
file in place atomically; nothing from a camera is ever part of an export (gmi stores no frames).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gmi.core.errors import GmiError
from gmi.report.dataset import collect
from gmi.store.db import Database
from gmi.store.history import SESSION_TABLES

FORMATS = ("tsv", "json", "html", "fhir")
# Rows each format needs besides the sessions (the trial tables are large: read them only when written out).
FORMAT_TABLES = {"tsv": tuple(SESSION_TABLES), "json": tuple(SESSION_TABLES),
                 "html": ("exposure_ratings", "session_ratings", "session_symptoms"),
                 "fhir": ("exposure_reps", "exposure_ratings", "session_ratings")}


@dataclass(frozen=True)
class ExportResult:
    format: str
    files: tuple[Path, ...]
    sessions: int
    example_sessions: int


def prepare_out_dir(out: Path) -> Path:
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise GmiError("E-EXPORT-OUT", f"{out} is a file, not a folder.",
                       fix="give a folder for --out (it is created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GmiError("E-EXPORT-OUT", f"The folder {out} cannot be created ({exc.strerror}).",
                       fix="choose a folder you can write to with --out DIR") from None
    return out


def export_profile(db: Database, profile_name: str, fmt: str, out: Path, since: date | None = None,
                   subject: str | None = None) -> ExportResult:
    if fmt not in FORMATS:
        raise GmiError("E-EXPORT-FORMAT", f"Unknown export format {fmt!r}.", fix=f"use one of {', '.join(FORMATS)}")
    profile = db.profile(profile_name, create=False)
    out = prepare_out_dir(Path(out))
    data = collect(db, profile, since, subject, tables=FORMAT_TABLES[fmt])
    if fmt == "tsv":
        from gmi.report.tsv import write_tsv as writer
    elif fmt == "json":
        from gmi.report.jsonexport import write_json_export as writer
    elif fmt == "html":
        from gmi.report.html import write_html as writer
    else:
        from gmi.report.fhir import write_fhir as writer
    try:
        files = writer(data, out)
    except OSError as exc:
        raise GmiError("E-EXPORT-WRITE", f"Could not write the export to {out} ({exc.strerror}).",
                       fix="check the folder's permissions and free space, then run the export again") from None
    return ExportResult(fmt, tuple(files), len(data.sessions), sum(s.simulated for s in data.sessions))

