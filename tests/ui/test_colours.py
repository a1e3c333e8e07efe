"""Colours that work for everyone: left/right and good/warn stay apart under simulated colour-vision deficiency,
and every text colour reads against its background at WCAG AA (4.5:1), in both themes.

Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
deficiency", IEEE TVCG 15(6), severity 1.0 matrices (dichromacy), applied in linear sRGB. Difference: CIEDE2000.
Contrast: WCAG 2.x relative luminance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gmi.ui.theme import CALM, HIGH_CONTRAST, Theme

MACHADO_2009 = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
THEMES = [CALM, HIGH_CONTRAST]
MIN_DELTA_E = 15.0        # CIEDE2000 between the two colours of a pair, after simulation: clearly different
MIN_CONTRAST = 4.5        # WCAG 2.x AA for normal-size text


def linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def to_srgb(lin: np.ndarray) -> tuple[float, ...]:
    c = np.clip(lin, 0, 1)
    return tuple(255 * np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055))


def simulate(rgb, deficiency: str) -> tuple[float, ...]:
    return to_srgb(np.asarray(MACHADO_2009[deficiency]) @ linear(rgb))


def lab(rgb) -> tuple[float, float, float]:
    x, y, z = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear(rgb)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x / 0.95047), f(y), f(z / 1.08883)      # D65 white
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(c1, c2) -> float:
    return delta_e_lab(lab(c1), lab(c2))


def delta_e_lab(lab1, lab2) -> float:
    """CIEDE2000 between two CIELAB colours (Sharma, Wu & Dalal 2005 formulation)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_m, c_m = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_m = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_m = (h1 + h2) / 2
    else:
        h_m = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_m - 30)) + 0.24 * math.cos(math.radians(2 * h_m))
         + 0.32 * math.cos(math.radians(3 * h_m + 6)) - 0.20 * math.cos(math.radians(4 * h_m - 63)))
    s_l = 1 + 0.015 * (l_m - 50) ** 2 / math.sqrt(20 + (l_m - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_m, 1 + 0.015 * c_m * t
    r_t = (-2 * math.sqrt(c_m ** 7 / (c_m ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((h_m - 275) / 25) ** 2)))))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def contrast(fg, bg) -> float:
    def luminance(rgb) -> float:
        return float(np.dot([0.2126, 0.7152, 0.0722], linear(rgb)))

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formulas_match_published_values():
    assert delta_e_2000((255, 0, 0), (255, 0, 0)) == 0
    assert lab((255, 255, 255)) == pytest.approx((100, 0, 0), abs=0.05)
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)   # WCAG's own example grey
    red, green = (213, 94, 0), (0, 158, 115)
    assert delta_e_2000(simulate(red, "deuteranopia"), simulate(green, "deuteranopia")) < delta_e_2000(red, green)
    assert delta_e_2000(simulate((255, 0, 0), "protanopia"), simulate((0, 128, 0), "protanopia")) < 15


@pytest.mark.parametrize("first,second,expected", [                 # Sharma, Wu & Dalal (2005), table 1
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (50.0, 3.2592, 0.3350), 1.0),
])
def test_ciede2000_against_published_pairs(first, second, expected):
    assert delta_e_lab(first, second) == pytest.approx(expected, abs=0.001)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
@pytest.mark.parametrize("pair", [("left", "right"), ("good", "warn")])
@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_paired_colours_stay_apart_for_colour_blind_users(theme: Theme, pair, deficiency):
    a, b = (getattr(theme, name) for name in pair)
    if deficiency:
        a, b = simulate(a, deficiency), simulate(b, deficiency)
    assert delta_e_2000(a, b) >= MIN_DELTA_E, f"{theme.name} {pair} under {deficiency}: {delta_e_2000(a, b):.1f}"


TEXT_ON = [(fg, bg) for fg in ("fg", "muted", "accent", "warn", "good", "left", "right") for bg in ("bg", "panel")]


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
@pytest.mark.parametrize("fg,bg", TEXT_ON + [("bg", "accent")], ids=lambda v: v)
def test_text_colours_meet_wcag_aa(theme: Theme, fg, bg):
    ratio = contrast(getattr(theme, fg), getattr(theme, bg))
    assert ratio >= MIN_CONTRAST, f"{theme.name}: {fg} on {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_words_drawn_on_the_light_picture_background_meet_wcag_aa(theme: Theme):
    assert contrast((40, 44, 52), theme.stimulus_bg) >= MIN_CONTRAST     # gmi/ui/scenes/guided.py fallback text
