"""The results screen says what the issue asks for: per side accuracy, median time and misses, the left-right
difference, time by turn and by direction, the norm with its source, and the trend."""

from __future__ import annotations

from gmi import __version__
from gmi.core.laterality import DrillSettings
from gmi.ui.scenes import results as results_module
from gmi.ui.scenes.results import ResultsScene
from tests.ui.spy import spy_text

TRIALS = [  # side, rotation, direction, response, rt_ms
    ("left", 0, "none", "left", 1000), ("left", 90, "medial", "left", 3000), ("left", 270, "lateral", "right", 500),
    ("right", 0, "none", "right", 1200), ("right", 90, "lateral", None, None), ("right", 270, "medial", "right", 1400),
]


def add_session(db, profile_id, trials=TRIALS):
    sid = db.start_session(profile_id, "laterality", settings=DrillSettings(trials=10).to_dict(), seed=1,
                           input_method="keys", app_version=__version__)
    for i, (side, rot, direction, response, rt) in enumerate(trials):
        db.add_laterality_trial(sid, {
            "trial_index": i, "stimulus_id": f"s{i}", "part": "hands", "side": side, "view": "dorsal",
            "posture": "flat", "rotation_deg": rot, "direction": direction, "level": 1, "response": response,
            "correct": int(response == side), "rt_ms": rt, "input_method": "keys" if response else None,
            "onset_ns": 0})
    db.update_session(sid, status="completed")
    return sid


def test_results_screen_words(app, monkeypatch):
    db, profile = app.ctx.db, app.ctx.profile
    add_session(db, profile.id, [("left", 0, "none", "left", 2500), ("right", 0, "none", "right", 2500)])
    sid = add_session(db, profile.id)
    paragraphs = spy_text(monkeypatch, results_module, "draw_paragraph")
    texts = spy_text(monkeypatch, results_module, "draw_text")
    app.push(ResultsScene(sid))
    app.step(1 / 60)
    shown = "\n".join(paragraphs + texts)
    for words in ("2 of 3 right (67%)", "typical time 2.0 s", "typical time 1.3 s", "missed 0", "missed 1",
                  "Pictures of the left side took you 0.7 s longer.",
                  "Norm for hands: accuracy at least 80%, reaction time 2.0 ± 0.5 s (NOI guidance",
                  "Reinersmann et al. 2010", "default threshold with no published cut-off",
                  "upright", "90° clockwise", "90° anticlockwise",
                  "Turned towards the body (medial): 2.2 s, 100%", "Turned away from the body (lateral): —, 0%",
                  "Accuracy per session"):
        assert words in shown, words
