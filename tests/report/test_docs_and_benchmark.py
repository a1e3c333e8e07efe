"""docs/export.md names every exported column and local code; the scale benchmark's filler still fits the schema."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from gmi.report.columns import SESSIONS, TASKS
from gmi.report.fhir import LOCAL_CODES, MEASURES, PAIN_NRS
from gmi.report.history import load_history
from gmi.store.db import Database

ROOT = Path(__file__).resolve().parents[2]


def test_docs_describe_every_column_and_code():
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    columns = {c.name for _, cols, _ in TASKS.values() for c in cols} | {c.name for c in SESSIONS}
    missing = sorted(name for name in columns if f"`{name}`" not in text)
    assert not missing, f"docs/export.md does not describe: {missing}"
    assert all(f"`{code}`" in text for code in LOCAL_CODES)
    assert MEASURES in text and PAIN_NRS[0] in text and "export.schema.json" in text


def test_benchmark_filler_writes_a_history_the_screen_reads(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_history", ROOT / "benchmarks" / "history.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    db = Database.open(tmp_path / "data")
    counts = bench.fill(db, db.profile("b").id, 3)
    assert counts["laterality_trials"] == 3 * bench.LATERALITY_PER_DAY * bench.TRIALS
    h = load_history(db, db.profile("b"))
    assert len(h.laterality[0].buckets) == 3 and len(h.exposure) == 3 and len(h.guided) == 3
    db.close()
