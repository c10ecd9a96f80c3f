"""Build dashboard/assets/chime.wav, the wall's urgent chime (run once; the result is committed).

    python dashboard/assets/make_chime.py

Two soft bell tones (E5 then C5, 0.9 s in all) with an exponential fade, 16 kHz mono 16-bit: about 29 KB,
no download, no licence question. Uses numpy and the standard library only.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 16000
OUT = Path(__file__).resolve().parent / "chime.wav"


def tone(freq: float, start: float, length: float, total: float) -> np.ndarray:
    t = np.arange(int(total * RATE)) / RATE
    local = t - start
    env = np.where(local >= 0, np.exp(-np.clip(local, 0, None) * 5.0), 0.0) * (local < length)
    attack = np.clip(local / 0.01, 0, 1)  # 10 ms attack: no click
    bell = np.sin(2 * np.pi * freq * local) + 0.35 * np.sin(2 * np.pi * 2 * freq * local)
    return bell * env * attack


def main() -> None:
    total = 0.9
    signal = tone(659.25, 0.0, 0.9, total) + tone(523.25, 0.28, 0.62, total)
    fade = np.clip((total - np.arange(int(total * RATE)) / RATE) / 0.05, 0, 1)  # silent at the end
    signal = signal * fade
    pcm = (signal / np.abs(signal).max() * 0.7 * 32767).astype("<i2")
    with wave.open(str(OUT), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    print(f"written {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
