"""Saved preferences and drill settings: a value that cannot be used falls back alone, and the program opens."""

from __future__ import annotations

from gmi.core.laterality import DrillSettings
from gmi.ui.app import AppContext, Prefs


def test_an_unknown_key_name_does_not_undo_large_text_and_high_contrast():
    p = Prefs.from_dict({"text_scale": 2.0, "high_contrast": True, "dwell_s": 1.5,
                         "left_key": "no such key", "right_key": "m"})
    assert (p.text_scale, p.high_contrast, p.dwell_s) == (2.0, True, 1.5)
    assert (p.left_key, p.right_key) == (Prefs().left_key, Prefs().right_key)   # keys are a pair
    swapped = Prefs.from_dict({"left_key": "right", "right_key": "left", "text_scale": "big"})
    assert (swapped.left_key, swapped.right_key, swapped.text_scale) == ("right", "left", 1.0)


def test_settings_that_are_not_a_table_give_defaults(app):
    assert Prefs.from_dict(None) == Prefs() and Prefs.from_dict([1]) == Prefs()
    db = app.ctx.db
    db.save_profile_settings(app.ctx.profile.id, {"prefs": None, "drill": ["x"]})
    ctx = AppContext.load(db, app.ctx.profile.name, app.ctx.data_dir)
    assert ctx.prefs == Prefs() and ctx.drill == DrillSettings()


def test_the_camera_preference_is_read_even_when_prefs_are_not_a_table(tmp_path, monkeypatch):
    import argparse

    from gmi.commands.args import camera_of
    from gmi.store.db import Database

    monkeypatch.delenv("GMI_CAMERA", raising=False)
    db = Database.open(tmp_path)
    db.save_profile_settings(db.profile("anna").id, {"prefs": None})
    db.close()
    assert camera_of(argparse.Namespace(data_dir=str(tmp_path), profile="anna"), None) == "0"
