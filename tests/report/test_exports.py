"""Export round trips: TSV files agree with their sidecars and the database, JSON validates against the
schema, the FHIR Bundle validates against fhir.resources' models, the HTML report is self-contained."""

from __future__ import annotations

import json
import re
from datetime import date

import jsonschema
import pytest

from gmi.core.errors import GmiError
from gmi.report.columns import SESSIONS, TASKS
from gmi.report.demo import fill_demo
from gmi.report.export import export_profile
from gmi.report.jsonexport import schema
from gmi.report.tsv import read_tsv
from gmi.store.db import Database

from tests.report.helpers import add_drill, add_exposure, install_example_plan


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    db = Database.open(folder / "data")
    fill_demo(db, "demo", 6, today=date(2026, 11, 21))
    p = db.profile("real")                      # a second profile with real (hand-made) sessions
    add_drill(db, p.id, "2026-11-02", [("left", "left", 900.0), ("right", None, None)])
    plan_id = install_example_plan(db, p.id)
    add_exposure(db, p.id, plan_id, "2026-11-03", [80.0, 92.0], 90.0, expected=6, experienced=3)
    yield db
    db.close()


def test_tsv_columns_match_sidecars_and_rows_match_the_database(demo_db, tmp_path):
    result = export_profile(demo_db, "demo", "tsv", tmp_path)
    assert result.example_sessions == result.sessions > 100
    names = {p.name for p in result.files}
    assert "dataset_description.json" in names and "sub-demo_sessions.tsv" in names
    checked = set()
    for path in result.files:
        m = re.fullmatch(r"sub-demo_ses-(\d{3,})_task-(\w+)_beh\.tsv", path.name)
        if not m:
            continue
        assert path.parent.name == "beh" and path.parent.parent.name == f"ses-{m.group(1)}"
        task = m.group(2)
        sidecar = json.loads((tmp_path / f"task-{task}_beh.json").read_text())
        header, rows = read_tsv(path)
        assert header == [c.name for c in TASKS[task][1]]
        assert set(sidecar) - {"TaskName", "TaskDescription"} == set(header)
        for name in header:
            assert {"LongName", "Description"} <= set(sidecar[name])
        assert all(len(r) == len(header) for r in rows) and rows
        checked.add(task)
    assert checked == {"laterality", "exposure", "imagery", "mirror"}
    header, rows = read_tsv(tmp_path / "sub-demo" / "sub-demo_sessions.tsv")
    assert header == [c.name for c in SESSIONS]
    assert set(json.loads((tmp_path / "sub-demo" / "sub-demo_sessions.json").read_text())) == set(header)
    assert {r[header.index("simulated")] for r in rows} == {"1"}
    assert any(c.endswith("_ms") for c in header) and "peak_deg" in header


def test_tsv_values_and_missing_values(demo_db, tmp_path):
    export_profile(demo_db, "real", "tsv", tmp_path)
    files = sorted(tmp_path.glob("sub-real/ses-*/beh/*task-laterality_beh.tsv"))
    header, rows = read_tsv(files[0])
    col = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    assert col["side"] == ["left", "right"] and col["response"] == ["left", "n/a"]
    assert col["rt_ms"] == ["900", "n/a"] and col["correct"] == ["1", "0"] and col["onset_s"] == ["0", "1"]
    header, rows = read_tsv(next(tmp_path.glob("sub-real/ses-*/beh/*task-exposure_beh.tsv")))
    col = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    assert col["peak_deg"] == ["80", "92"] and col["target_deg"] == ["90", "90"] and col["target_reached"] == ["0", "1"]
    header, rows = read_tsv(tmp_path / "sub-real" / "sub-real_sessions.tsv")
    exposure = dict(zip(header, rows[1]))
    assert exposure["expected_pain"] == "6" and exposure["pain_experienced"] == "3" and exposure["peak_deg"] == "92"
    assert exposure["simulated"] == "0" and exposure["accuracy_left_pct"] == "n/a"
    assert not list(tmp_path.rglob("*.tmp")), "no temporary files left behind"


def test_json_export_validates_against_the_schema(demo_db, tmp_path):
    (path,) = export_profile(demo_db, "demo", "json", tmp_path).files
    doc = json.loads(path.read_text())
    jsonschema.validate(doc, schema(), format_checker=jsonschema.FormatChecker())
    assert doc["contains_example_data"] is True and doc["subject"] == "demo"
    kinds = {s["kind"] for s in doc["sessions"]}
    assert kinds == {"laterality", "imagery", "mirror", "exposure"}
    trial = next(s for s in doc["sessions"] if s["kind"] == "laterality")["laterality"]["trials"][0]
    assert set(trial) == {c.name for c in TASKS["laterality"][1]}
    assert doc["plans"][0]["example"] is True and doc["plans"][0]["author"].startswith("Example physiotherapist")


def test_the_schema_rejects_a_broken_document(demo_db, tmp_path):
    (path,) = export_profile(demo_db, "real", "json", tmp_path).files
    doc = json.loads(path.read_text())
    jsonschema.validate(doc, schema())
    doc["sessions"][0]["laterality"]["trials"][0]["side"] = "middle"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema())


def test_fhir_bundle_validates_and_uses_the_documented_codes(demo_db, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    (path,) = export_profile(demo_db, "real", "fhir", tmp_path, subject="P031").files
    doc = json.loads(path.read_text())
    bundle = Bundle.model_validate(doc)
    assert bundle.type == "collection"
    resources = [e["resource"] for e in doc["entry"]]
    (patient,) = [r for r in resources if r["resourceType"] == "Patient"]
    assert patient["identifier"][0]["value"] == "P031" and "name" not in patient and "birthDate" not in patient
    assert "real" not in path.read_text().replace("realm", "")        # the profile name is not in the bundle
    codes = {c["code"] for r in resources if r["resourceType"] == "Observation" for c in r["code"]["coding"]}
    assert {"72514-3", "expected-pain", "rom-peak-angle", "laterality-accuracy-left",
            "laterality-median-rt-left"} <= codes
    rom = next(r for r in resources if r.get("code", {}).get("coding", [{}])[0].get("code") == "rom-peak-angle")
    assert rom["valueQuantity"] == {"value": 92.0, "unit": "deg", "system": "http://unitsofmeasure.org", "code": "deg"}
    pain = [r for r in resources if r.get("code", {}).get("coding", [{}])[0].get("code") == "72514-3"]
    assert {p["valueQuantity"]["value"] for p in pain} == {3.0}        # before, experienced and after: 3, 3, 3
    assert all(r["subject"]["reference"] == doc["entry"][0]["fullUrl"] for r in resources if "subject" in r)
    assert "meta" not in doc                                              # no example data in this profile


def test_fhir_marks_example_data(demo_db, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    (path,) = export_profile(demo_db, "demo", "fhir", tmp_path).files
    doc = json.loads(path.read_text())
    Bundle.model_validate(doc)
    assert doc["meta"]["tag"][0]["code"] == "simulated"
    observations = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert observations and all(o["meta"]["tag"][0]["code"] == "simulated" for o in observations)


def test_html_report_is_self_contained_and_marks_example_data(demo_db, tmp_path):
    (path,) = export_profile(demo_db, "demo", "html", tmp_path).files
    text = path.read_text()
    assert text.count("src='data:image/png;base64,") >= 6
    assert not re.search(r"(src|href)=['\"](https?:|//|file:)", text), "nothing to fetch"
    assert "example data (made by gmi demo, not a real patient)" in text
    assert "@media print" in text and "Example physiotherapist (gmi demo)" in text
    assert "NOI guidance (noinotes 2012)" in text and "Farrar et al. 2001" in text
    assert "<script" not in text


def test_since_filters_by_day_and_keeps_session_numbers(demo_db, tmp_path):
    all_rows = read_tsv(export_profile(demo_db, "demo", "tsv", tmp_path / "all").files[-2])[1]
    since = date(2026, 11, 10)
    result = export_profile(demo_db, "demo", "tsv", tmp_path / "since", since=since)
    header, rows = read_tsv(tmp_path / "since" / "sub-demo" / "sub-demo_sessions.tsv")
    started = header.index("started_at")
    kept = [r for r in all_rows if r[started] >= rows[0][started]]
    assert rows == kept and 0 < len(rows) < len(all_rows) and result.sessions == len(rows)
    doc = json.loads(export_profile(demo_db, "demo", "json", tmp_path / "j", since=since).files[0].read_text())
    assert doc["since"] == "2026-11-10" and len(doc["sessions"]) == len(rows)


def test_bad_subject_and_unknown_profile_are_clear_errors(demo_db, tmp_path):
    with pytest.raises(GmiError) as err:
        export_profile(demo_db, "demo", "json", tmp_path, subject="--")
    assert err.value.code == "E-EXPORT-SUBJECT"
    with pytest.raises(GmiError) as err:
        export_profile(demo_db, "nobody", "json", tmp_path)
    assert err.value.code == "E-PROFILE-UNKNOWN"


def test_exports_contain_no_camera_frames(demo_db, tmp_path):
    """Only text files of numbers and words: no encoded image data anywhere (the report's images are its
    own charts, each a PNG drawn from numbers)."""
    blob = re.compile(r"[A-Za-z0-9+/=]{200,}")
    for fmt in ("tsv", "json", "fhir"):
        for path in export_profile(demo_db, "demo", fmt, tmp_path / fmt).files:
            assert path.suffix in (".tsv", ".json")
            assert not blob.search(path.read_text(encoding="utf-8")), path
    (report,) = export_profile(demo_db, "demo", "html", tmp_path / "html").files
    from gmi.report.charts import history_charts
    from gmi.report.history import load_history

    charts = history_charts(load_history(demo_db, demo_db.profile("demo")))
    assert len(blob.findall(report.read_text())) == len(charts)
