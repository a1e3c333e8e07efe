"""History from known sessions: SQL figures, buckets, adherence, and the chart data built from them."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timezone

import pytest

from gmi.core.programme import StageEvent
from gmi.report.charts import (adherence_chart, history_charts, laterality_accuracy_chart, laterality_rt_chart,
                               pain_chart, peak_chart, tick_step)
from gmi.report.history import bucket_days, bucket_start, load_history
from gmi.report.laterality import session_result
from gmi.store import history as q
from gmi.store.db import Database
from gmi.store.programme import add_event

from tests.report.helpers import add_drill, add_exposure, at, days_from, install_example_plan


@pytest.fixture
def db(tmp_path):
    database = Database.open(tmp_path / "data")
    yield database
    database.close()


def test_session_medians_in_sql_match_the_results_screen(db):
    p = db.profile("a")
    # left: 3 correct (odd count), right: 4 correct (even count), plus a miss and a wrong answer
    sid = add_drill(db, p.id, "2026-03-02", [
        ("left", "left", 900.0), ("left", "left", 1500.0), ("left", "left", 1100.0), ("left", "right", 400.0),
        ("right", "right", 1000.0), ("right", "right", 2000.0), ("right", "right", 1200.0), ("right", "right", 1800.0),
        ("right", None, None)])
    rows = {r["side"]: r for r in q.laterality_side_stats(db, p.id)}
    assert rows["left"]["median_rt_ms"] == 1100.0
    assert rows["right"]["median_rt_ms"] == statistics.median([1000, 2000, 1200, 1800]) == 1500.0
    assert (rows["left"]["n"], rows["left"]["correct"], rows["left"]["misses"]) == (4, 3, 0)
    assert (rows["right"]["n"], rows["right"]["correct"], rows["right"]["misses"]) == (5, 4, 1)
    summary = session_result(db, sid).summary        # what the results screen shows
    assert summary.left.median_rt_ms == rows["left"]["median_rt_ms"]
    assert summary.right.median_rt_ms == rows["right"]["median_rt_ms"]


def test_stats_are_computed_once_and_forgotten_when_a_trial_is_written(db):
    p = db.profile("a")
    sid = add_drill(db, p.id, "2026-03-02", [("left", "left", 1000.0), ("right", "right", 2000.0)])
    assert q.refresh_laterality_stats(db, p.id) == 1
    assert q.refresh_laterality_stats(db, p.id) == 0      # cached
    db.add_laterality_trial(sid, {"trial_index": 2, "stimulus_id": "x", "part": "hands", "side": "left",
                                  "view": "dorsal", "posture": "flat", "rotation_deg": 0, "direction": "none",
                                  "level": 1, "response": "left", "correct": 1, "rt_ms": 3000.0,
                                  "input_method": "keys", "onset_ns": 5})
    rows = {r["side"]: r for r in q.laterality_side_stats(db, p.id)}
    assert rows["left"]["median_rt_ms"] == 2000.0      # recomputed: median of 1000 and 3000
    db.conn.execute("DELETE FROM laterality_trials WHERE session_id = ? AND trial_index = 2", (sid,))
    rows = {r["side"]: r for r in q.laterality_side_stats(db, p.id)}
    assert rows["left"]["median_rt_ms"] == 1000.0


def test_buckets_keep_charts_within_the_point_limit():
    assert bucket_days(date(2026, 1, 1), date(2026, 3, 1)) == 1
    assert bucket_days(date(2026, 1, 1), date(2027, 1, 1)) == 7
    assert bucket_days(date(2024, 1, 1), date(2026, 1, 1)) == 7      # 105 weeks
    assert bucket_days(date(2020, 1, 1), date(2026, 1, 1)) == 28
    assert bucket_start(date(2026, 3, 5), 7, date(2026, 3, 1)) == date(2026, 3, 2)   # the Monday
    assert tick_step(100) == 20 and tick_step(5) == 1 and tick_step(22) == 5


def test_laterality_series_per_day_and_week_with_norm_band(db):
    p = db.profile("a")
    for k, day in enumerate(days_from("2026-03-02", 3)):
        add_drill(db, p.id, day, [("left", "left", 1000.0 + 100 * k), ("left", "right", 500.0),
                                  ("right", "right", 2000.0 - 100 * k), ("right", "right", 2100.0 - 100 * k)])
    h = load_history(db, p)
    (series,) = h.laterality
    assert series.part == "hands" and series.bucket_days == 1 and series.input_method == "keys"
    acc = laterality_accuracy_chart(series)
    assert acc.values("left") == [0.5, 0.5, 0.5]
    assert acc.values("right") == [1.0, 1.0, 1.0]
    assert acc.bands[0].low == 0.80 and "NOI" in acc.bands[0].label
    rt = laterality_rt_chart(series)
    assert rt.values("left") == [1.0, 1.1, 1.2]
    assert rt.values("right") == [2.05, 1.95, 1.85]
    assert (rt.bands[0].low, rt.bands[0].high) == (1.5, 2.5)       # hands: 2.0 ± 0.5 s
    few = load_history(db, p, max_points=2)                          # forced into weekly buckets
    assert few.laterality[0].bucket_days == 7
    (week,) = few.laterality[0].buckets
    assert week.sessions == 3 and week.left.n == 6 and week.left.correct == 3
    assert week.left.median_rt_ms == 1100.0                           # median of the sessions' medians


def test_other_input_methods_are_left_out_of_the_series(db):
    p = db.profile("a")
    add_drill(db, p.id, "2026-03-02", [("left", "left", 900.0)], method="mouse")
    add_drill(db, p.id, "2026-03-03", [("left", "left", 1000.0)], method="keys")
    add_drill(db, p.id, "2026-03-04", [("left", "left", 1200.0)], method="keys")
    (series,) = load_history(db, p).laterality
    assert series.input_method == "keys" and series.left_out == 1 and len(series.buckets) == 2
    assert "1 session with another input method" in laterality_rt_chart(series).notes[0]


def test_exposure_peaks_targets_and_pain(db):
    p = db.profile("a")
    plan_id = install_example_plan(db, p.id)
    add_exposure(db, p.id, plan_id, "2026-03-02", [80.0, 88.5, 85.0], 90.0, expected=7, experienced=4)
    add_exposure(db, p.id, plan_id, "2026-03-04", [91.0, 95.0], 90.0, expected=5, experienced=5)
    h = load_history(db, p)
    assert [s.peak_deg for s in h.exposure] == [88.5, 95.0]
    assert [s.reps_at_target for s in h.exposure] == [0, 2]
    chart = peak_chart(*next(iter(h.peaks.items())))
    assert chart.values("peak angle") == [88.5, 95.0] and chart.values("target") == [90.0, 90.0]
    pain = pain_chart(h.pain)
    assert pain.values("expected") == [7, 5] and pain.values("experienced") == [4, 5]
    assert "less than expected in 1 of 2" in pain.caption
    assert h.plan is not None and h.plan.author == "Dr Test" and h.plan.written == date(2026, 1, 5)


def test_adherence_counts_the_stage_in_force_each_day(db):
    p = db.profile("a")
    for day in days_from("2026-03-02", 7):            # a week of laterality, 2 a day (3 prescribed)
        add_drill(db, p.id, day, [("left", "left", 900.0)], hour=9)
        add_drill(db, p.id, day, [("left", "left", 900.0)], hour=15)
    add_event(db, p.id, StageEvent(at("2026-03-06", 7), "hands", "advance", "laterality", "imagery", "gmi"))
    h = load_history(db, p)
    (week,) = h.adherence
    # Mon–Thu laterality (4 days × 3), Fri–Sun imagery (3 days × 3): laterality after the change is extra
    assert week.prescribed == {"laterality": 12, "imagery": 9}
    assert week.done == {"laterality": 8, "imagery": 0}
    assert adherence_chart(h).values("done") == [pytest.approx(8 / 21)]


def test_charts_render_to_png_and_the_html_embeds_them(db, tmp_path):
    from gmi.report.render import chart_png

    p = db.profile("a")
    for day in days_from("2026-03-02", 4):
        add_drill(db, p.id, day, [("left", "left", 900.0), ("right", "right", 1400.0)])
    charts = history_charts(load_history(db, p))
    png = chart_png(charts[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_history_of_an_empty_profile(db):
    h = load_history(db, db.profile("nobody-yet"))
    assert h.empty and history_charts(h) == [] and h.adherence == []


def test_extra_sessions_of_one_kind_do_not_make_up_for_another():
    from gmi.report.history import AdherenceBucket

    week = AdherenceBucket(date(2026, 3, 2), 7, {"laterality": 30, "exposure": 0}, {"laterality": 21, "exposure": 4})
    assert week.done_within == 21 and week.fraction == pytest.approx(21 / 25)
