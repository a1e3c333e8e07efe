"""Short, soft tone cues synthesised at start-up (no sound files): a repetition counted, a hold done, a set
done, a rest over, a session stopped. Silent when sound is off or no audio device can be opened."""

from __future__ import annotations

import numpy as np
import pygame

RATE = 44100
# name → list of (frequency Hz, duration s); played one after another
CUES: dict[str, tuple[tuple[float, float], ...]] = {
    "rep": ((880.0, 0.08),),
    "hold_start": ((660.0, 0.06),),
    "hold_done": ((660.0, 0.09), (990.0, 0.14)),
    "set_done": ((523.3, 0.12), (659.3, 0.12), (784.0, 0.2)),
    "rest_done": ((784.0, 0.1), (784.0, 0.1)),
    "stop": ((392.0, 0.25), (330.0, 0.35)),
}


def _samples(parts: tuple[tuple[float, float], ...], volume: float = 0.25) -> np.ndarray:
    chunks = []
    for freq, seconds in parts:
        t = np.arange(int(RATE * seconds)) / RATE
        wave = np.sin(2 * np.pi * freq * t)
        fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)   # 10 ms ramps: no clicks
        chunks.append(wave * fade)
        chunks.append(np.zeros(int(RATE * 0.03)))
    return (np.concatenate(chunks) * volume * 32767).astype(np.int16)


class Tones:
    def __init__(self, enabled: bool = True) -> None:
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.played: list[str] = []      # what was asked for (tests read it; works without a device)
        self.enabled = enabled
        if not enabled:
            return
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(RATE, -16, 2, 512)
            _, _, channels = pygame.mixer.get_init()
            for name, parts in CUES.items():
                mono = _samples(parts)
                data = np.repeat(mono[:, None], channels, axis=1) if channels > 1 else mono
                self.sounds[name] = pygame.sndarray.make_sound(np.ascontiguousarray(data))
        except (pygame.error, ValueError, TypeError):
            self.sounds = {}             # no audio device: cues are silent, the session is not affected

    def play(self, name: str) -> None:
        self.played.append(name)
        if not self.enabled:
            return
        sound = self.sounds.get(name)
        if sound is not None:
            sound.play()
