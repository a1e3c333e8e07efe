"""Hypothesis helpers for property tests over hand-written TOML files (plans, sequences): turn data back into
TOML text, pick a spot anywhere in a parsed file and replace, delete or add something there, or damage lines."""

from __future__ import annotations

import datetime as dt
import json
import math

from hypothesis import strategies as st


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")   # TOML wants DEL escaped


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def to_toml(data: dict) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in data.items())


def values_from(words: tuple[str, ...]):
    """Any TOML value: numbers of every kind, booleans, text, dates, the given words, lists and tables of them."""
    scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(), st.text(max_size=12),
                        st.dates(), st.sampled_from(words))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                        max_leaves=6)


def containers(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from containers(v, path + (k,))
    elif isinstance(node, list):
        yield path, node
        for i, v in enumerate(node):
            yield from containers(v, path + (i,))


def mutate(draw, data: dict, values, keys) -> dict:
    """One to four changes anywhere in ``data`` (in place): replace, delete or add a key or a list entry."""
    for _ in range(draw(st.integers(1, 4))):
        spots = list(containers(data))
        _, spot = draw(st.sampled_from(spots))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(spot, dict):
            if spot and action in ("replace", "delete"):
                key = draw(st.sampled_from(sorted(spot)))
                if action == "delete":
                    del spot[key]
                else:
                    spot[key] = draw(values)
            else:
                spot[draw(keys)] = draw(values)
        elif isinstance(spot, list):
            if spot and action != "add":
                index = draw(st.integers(0, len(spot) - 1))
                if action == "delete":
                    del spot[index]
                else:
                    spot[index] = draw(values)
            else:
                spot.append(draw(values))
    return data


def damage_lines(data, text: str) -> str:
    """The text with one to three lines deleted, duplicated, cut short or inserted (TOML-ish noise)."""
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["delete", "duplicate", "truncate", "insert"]))
        if how == "delete" and len(lines) > 1:
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        else:
            lines.insert(i, data.draw(st.text(alphabet=st.sampled_from(list('ab=[]{}."#1 _-')), max_size=15)))
    return "\n".join(lines)
