"""Sound guidance for eyes-closed imagery and the mirror box: soft tones, and spoken prompts where the
computer has a local speech engine (espeak-ng, espeak, macOS `say`, speech-dispatcher, Windows SAPI).

The engine is looked for when a session starts; without one gmi uses tones only. Speech never goes over
the network. A new prompt cuts off one still being spoken, so prompts never pile up.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field

import numpy as np

from gmi.core.protocol import Cue

SAMPLE_RATE = 44_100
TONES_HZ = {"begin": 660.0, "end": 440.0}    # a rising-then-falling pair is easy to tell apart with eyes closed
TONE_S = 0.35


@dataclass(frozen=True)
class SpeechEngine:
    name: str
    argv: tuple[str, ...]     # the command; the text is appended as the last argument

    def command(self, text: str) -> list[str]:
        return [*self.argv, text]


def detect_speech_engine(which=shutil.which, platform: str = sys.platform) -> SpeechEngine | None:
    """The first local speech engine found, or None (then gmi guides with tones only)."""
    for name, argv in (("espeak-ng", ("espeak-ng", "-s", "140")), ("espeak", ("espeak", "-s", "140")),
                       ("spd-say", ("spd-say", "--wait", "-r", "-20"))):
        if which(name):
            return SpeechEngine(name, argv)
    if platform == "darwin" and which("say"):
        return SpeechEngine("say", ("say", "-r", "160"))
    if platform.startswith("win") and which("powershell"):
        script = ("Add-Type -AssemblyName System.Speech; $s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
                  "$s.Rate = -1; $s.Speak($args[0])")
        return SpeechEngine("Windows speech", ("powershell", "-NoProfile", "-Command", script))
    return None


def tone_samples(freq_hz: float, seconds: float = TONE_S, rate: int = SAMPLE_RATE, volume: float = 0.25) -> np.ndarray:
    """A soft sine tone (int16, stereo) with gentle 40 ms fades so it never clicks."""
    n = int(seconds * rate)
    t = np.arange(n) / rate
    wave = np.sin(2 * np.pi * freq_hz * t)
    fade = min(n // 2, int(0.04 * rate))
    envelope = np.ones(n)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        envelope[:fade], envelope[-fade:] = ramp, ramp[::-1]
    mono = (wave * envelope * volume * 32767).astype(np.int16)
    return np.column_stack([mono, mono])


@dataclass
class Guide:
    """Plays cues. ``sound`` off silences everything (the user's preference); ``speech`` off keeps tones."""

    sound: bool = True
    speech: bool = True
    engine: SpeechEngine | None = None
    tones_ok: bool = False
    _tones: dict[str, object] = field(default_factory=dict)
    _speaking: subprocess.Popen | None = None

    @classmethod
    def create(cls, sound: bool = True, speech: bool = True) -> "Guide":
        guide = cls(sound, speech, detect_speech_engine() if sound and speech else None)
        if sound:
            guide._load_tones()
        return guide

    def _load_tones(self) -> None:
        try:
            import pygame

            if not pygame.mixer.get_init():
                pygame.mixer.init(SAMPLE_RATE, -16, 2)
            freq, _, channels = pygame.mixer.get_init()
            for name, hz in TONES_HZ.items():
                samples = tone_samples(hz, rate=freq)
                if channels == 1:
                    samples = samples[:, 0].copy()
                self._tones[name] = pygame.sndarray.make_sound(np.ascontiguousarray(samples))
            self.tones_ok = True
        except Exception:   # no audio device: the screen still shows every prompt and the time left
            self.tones_ok = False

    def describe(self) -> str:
        if not self.sound:
            return "Sound is off (Settings). Prompts are shown on screen only."
        if self.engine is not None:
            return f"Spoken prompts ({self.engine.name}) and tones."
        if self.tones_ok:
            return "Tones only: no speech engine was found on this computer (espeak-ng gives spoken prompts)."
        return "No sound device was found: prompts are shown on screen only."

    def play(self, cue: Cue | None) -> None:
        if cue is None or not self.sound:
            return
        if cue.tone and cue.tone in self._tones:
            self._tones[cue.tone].play()  # type: ignore[attr-defined]
        if cue.speech and self.engine is not None:
            self.say(cue.speech)

    def say(self, text: str) -> None:
        self.stop_speaking()
        try:
            self._speaking = subprocess.Popen(self.engine.command(text), stdin=subprocess.DEVNULL,  # type: ignore[union-attr]
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            self.engine = None   # the engine vanished or cannot run: tones from now on

    def stop_speaking(self) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = None

    def close(self) -> None:
        self.stop_speaking()
