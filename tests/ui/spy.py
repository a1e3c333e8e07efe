"""Record the text a drawing function is asked to draw (assert on words, not only pixels)."""

from __future__ import annotations


def spy_text(monkeypatch, module, name: str = "draw_text") -> list[str]:
    """Wrap ``module.name`` (draw_text or draw_paragraph: text is the second argument); returns the list
    the texts are appended to, in drawing order."""
    drawn: list[str] = []
    original = getattr(module, name)

    def spy(surface, text, *args, **kwargs):
        drawn.append(text)
        return original(surface, text, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return drawn
