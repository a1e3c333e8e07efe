"""Every option of every sub-command, given a value out of range, of the wrong type or none at all: exit code 2,
a message that names the option and what is allowed, never a traceback.

The options are found by walking the real parser (gmi.cli.build_parser), so a new option is covered the day it
is added; a new numeric option without a range, or a new free-text option nobody has thought about, fails here.
"""

from __future__ import annotations

import argparse

import pytest

from gmi.cli import build_parser, main


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser, action) for every option of every (sub-)command."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, path + (name,))
        elif action.option_strings:
            yield path, parser, action


def positionals(parser: argparse.ArgumentParser) -> list[str]:
    """Placeholder values for a command's required positional arguments (never reached: the option fails)."""
    return ["placeholder.toml" for a in parser._actions if not a.option_strings
            and not isinstance(a, argparse._SubParsersAction) and a.nargs not in ("?", "*")]


OPTIONS = list(walk(build_parser()))
TAKES_VALUE = [(path, parser, a) for path, parser, a in OPTIONS if a.nargs != 0]


def option_id(item) -> str:
    path, _, action = item
    return " ".join(path + (action.option_strings[-1],))


def run_bad(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert "Traceback" not in err
    return err


def bad_values(action: argparse.Action) -> list[tuple[str, str]]:
    """(value, words the message must contain) for an option that checks its value while parsing."""
    bounds = getattr(action.type, "bounds", None)
    if bounds is not None:
        integer = action.type.__name__ == "int"
        low, high = (int(b) for b in bounds) if integer else bounds
        kind = "whole number" if integer else "number"
        return [(str(low - 1), "out of range"), (str(high + 1), "out of range"),
                ("many", f"not a {kind}"), ("", f"not a {kind}"),
                ("2.5" if integer else "nan", f"not a {kind}" if integer else "out of range"),
                ("1e999", "not a whole number" if integer else "out of range")]
    if action.choices is not None:
        return [("nonsense", "invalid choice"), ("", "invalid choice"),
                (str(list(action.choices)[0]).upper() + "X", "invalid choice")]
    return PARSED_TYPES.get(getattr(action.type, "__name__", ""), [])


# Other value types checked while parsing: (value, words of the message).
PARSED_TYPES = {"iso_date": [("2026-13-01", "is not a date"), ("yesterday", "is not a date"), ("", "is not a date")]}


@pytest.mark.parametrize("item", [i for i in TAKES_VALUE if bad_values(i[2])], ids=option_id)
def test_out_of_range_or_wrong_type_exits_2_naming_the_option(item, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("GMI_DATA_DIR", str(tmp_path / "data"))
    path, parser, action = item
    option = action.option_strings[-1]
    for value, words in bad_values(action):
        err = run_bad([*path, option, value, *positionals(parser)], capsys)
        assert option in err and words in err, (value, err)
        if action.choices is not None:
            assert all(str(c) in err for c in action.choices), err       # says what is allowed
        elif hasattr(action.type, "bounds"):
            low, high = action.type.bounds
            shown = (int(low), int(high)) if action.type.__name__ == "int" else (f"{low:g}", f"{high:g}")
            assert f"from {shown[0]} to {shown[1]}" in err, err


@pytest.mark.parametrize("item", TAKES_VALUE, ids=option_id)
def test_an_option_without_its_value_exits_2(item, capsys, tmp_path, monkeypatch):
    path, parser, action = item
    if action.nargs == "?":
        pytest.skip("the value is optional")
    monkeypatch.setenv("GMI_DATA_DIR", str(tmp_path / "data"))
    err = run_bad([*path, *positionals(parser), action.option_strings[-1]], capsys)
    assert "expected one argument" in err and action.option_strings[-1] in err


def test_every_numeric_option_has_a_range():
    """A plain type=int/float would accept -5 or 1e308: every number goes through args.bounded."""
    unbounded = [option_id(i) for i in OPTIONS
                 if getattr(i[2].type, "__name__", "") in ("int", "float") and not hasattr(i[2].type, "bounds")]
    assert not unbounded


# Options whose value is free text, checked when the command runs (a path, a name, a camera): a bad value for
# each, and the words of its message. Options not listed here must be deliberately free (FREE_TEXT).
RUN_TIME_CHECKS: dict[str, tuple[str, str, str]] = {
    "--profile": ("results", "x" * 65, "1 to 64 characters"),
    "--data-dir": ("results", "{blocked}", "cannot write to its data directory"),
    "--source": ("mirror --snapshot {tmp}/out.png", "{tmp}/no-such-video.mp4", "does not exist"),
    "--line": ("mirror --snapshot {tmp}/out.png", "1.5", "0.05 to 0.95"),
    "--snapshot": ("mirror", "{tmp}/out.gif", "PNG or JPEG"),
    "--sequence": ("imagery", "{tmp}/missing.toml", "missing.toml"),
    "--check": ("imagery", "{tmp}/missing.toml", "missing.toml"),
    "--plan": ("programme", "{tmp}/missing.toml", "missing.toml"),
    "--override": ("programme", "imagery", "needs the clinician's name"),   # a choice, but not alone
    "--movement": ("analyze {tmp}/clip.mp4", "elbow_wiggle", "Unknown movement 'elbow_wiggle'"),
    "--pose-model": ("camera check --movement squat", "{tmp}/none.task", "does not exist"),
    "--video": ("camera check --movement squat --pose-model {model}", "{tmp}/none.mp4", "does not exist"),
    "--wheel": ("camera setup", "{tmp}/none.whl", "does not exist"),
    "--out": ("export --format json", "{blocked}", "cannot be created"),
    "--subject": ("export --format json --out {tmp}/export", "///", "no letters or digits"),
}
NEEDS_POSE_MODEL = {"--video"}
FREE_TEXT = {"--by", "--why", "--flare"}   # any words are a valid note


def test_every_free_text_option_is_checked_at_run_time_or_deliberately_free():
    free = {a.option_strings[-1] for _, _, a in TAKES_VALUE if not bad_values(a)}
    assert free <= set(RUN_TIME_CHECKS) | FREE_TEXT, free - set(RUN_TIME_CHECKS) - FREE_TEXT


@pytest.mark.parametrize("option", sorted(RUN_TIME_CHECKS))
def test_free_text_options_with_a_bad_value_exit_2_before_any_work(option, tmp_path, capsys, monkeypatch, request):
    monkeypatch.setenv("GMI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GMI_STIMULI_DIR", str(tmp_path / "no-stimuli"))
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "clip.mp4").write_bytes(b"not checked: the option fails first")
    assert main(["programme"]) == 0                  # the default profile exists: only the option can fail
    capsys.readouterr()
    command, value, words = RUN_TIME_CHECKS[option]
    model = request.getfixturevalue("pose_media").model if option in NEEDS_POSE_MODEL else ""
    fill = {"tmp": str(tmp_path), "blocked": str(tmp_path / "a-file" / "data"), "model": str(model)}
    argv = [w.format(**fill) for w in command.split()] + [option, value.format(**fill)]
    if option == "--source":
        pytest.importorskip("cv2")
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert words in err and "Traceback" not in err
    import pygame

    assert pygame.display.get_surface() is None      # refused before a window opened
