"""Timestamp grammar and formatting shared by all readers and writers.

Every clock stamp a reader accepts is one of the named patterns below, built from the same pieces.
They are regex sources without capturing groups, so a reader can embed them (twice, for start and
end) in its line pattern. They are anchored by the reader and bounded, so they run in linear time.
"""

from __future__ import annotations

import math
import re

# Pieces. A stamp is fields joined by ":" with an optional fraction of a second.
_WIDE = r"\d{1,6}"  # a leading field of any sensible width: hours, or minutes past 59 ("75:03")
_LOOSE = r"\d{1,2}"  # a field after a colon, padding optional (Teams writes "0:0:0.0")
_PADDED = r"\d{2}"  # a field after a colon, zero-padded
_SHORT = r"\d{1,3}"  # a leading field of at most three digits
_SEP = r"[.,]"  # before the fraction: "." (VTT, Whisper) or "," (SRT, European locales)
_FRACTION = r"\d{1,9}"  # any precision down to nanoseconds
_MILLIS = r"\d{1,3}"
_MICROS = r"\d{1,6}"

# The general stamp, H:M:S(.frac) or M:S(.frac): parse_clock, WebVTT and whisper.cpp timing lines
# (both written by many tools, so the loosest grammar that is still a clock).
CLOCK = rf"(?:{_WIDE}:)?{_WIDE}:{_LOOSE}(?:{_SEP}{_FRACTION})?"
# srt.py: some SRT tools write the milliseconds after a third colon ("00:00:01:500").
SRT_CLOCK = rf"(?:{_WIDE}:)?{_WIDE}:{_LOOSE}(?:[.,:]{_FRACTION})?"
# whisper_json.py: a `timestamp` string may hold bare seconds ("0.0 - 2.5") as well as clocks.
CLOCK_OR_SECONDS = rf"{CLOCK}|\d+(?:\.\d+)?"
# labelled.py: people write these stamps beside prose and names, so only zero-padded MM:SS or H:MM:SS
# (at most three leading digits, at most milliseconds) counts: a ratio like "1:2" is no stamp.
LABEL_CLOCK = rf"{_SHORT}:{_PADDED}(?::{_PADDED})?(?:{_SEP}{_MILLIS})?"
# whisper_page.py: the page generator always writes HH:MM:SS.mmm before " | ".
WHISPER_PAGE_CLOCK = rf"{_SHORT}:{_PADDED}:{_PADDED}(?:\.{_MICROS})?"
# vtt.py: inline timing tags in cue text ("<00:00:01.234>") always carry a fraction; they are markup.
VTT_TAG_CLOCK = rf"{_WIDE}(?::{_LOOSE}){{1,2}}{_SEP}{_FRACTION}"
# vtt.py: YouTube's rolling auto-captions time each word with exactly this form.
YOUTUBE_WORD_CLOCK = rf"{_WIDE}:{_PADDED}:{_PADDED}\.\d{{3}}"
# page_text.py: chapter starts are M:S with minutes past 59 and unpadded seconds ("68:0", "6:3").
CHAPTER_CLOCK = rf"\d{{1,4}}:{_LOOSE}"

_CLOCK = re.compile(CLOCK)


def parse_clock(value: str) -> float | None:
    """Seconds for a CLOCK stamp, or None if `value` is not one."""
    value = value.strip()
    if _CLOCK.fullmatch(value) is None:
        return None
    clock, _, frac = value.replace(",", ".").partition(".")
    total = 0
    for field in clock.split(":"):
        total = total * 60 + int(field)
    if frac:
        total += int(frac) / (10 ** len(frac))
    return round(float(total), 6)


# The largest number read as a time: a month of recording in milliseconds (2.6e9). Anything larger is no time
# ("1e29", an integer of 400 digits, which float() cannot even hold).
MAX_TIME_NUMBER = 1e10


def number_seconds(value: object) -> float | None:
    """Seconds from a JSON number or timestamp string; None for anything else (bool, NaN, negative, huge)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > MAX_TIME_NUMBER:
        return None
    if isinstance(value, int | float):
        f = float(value)
        return f if math.isfinite(f) and 0 <= f <= MAX_TIME_NUMBER else None
    if isinstance(value, str):
        s = value.strip()
        clock = parse_clock(s)
        if clock is not None:
            return clock
        try:
            f = float(s) if len(s) < 40 else math.nan
        except ValueError:
            return None
        return f if math.isfinite(f) and 0 <= f <= MAX_TIME_NUMBER else None
    return None


def format_clock(seconds: float | None, separator: str = ".") -> str:
    """HH:MM:SS.mmm (HH:MM:SS,mmm with separator=","), for messages and writers; "?" for no time.
    Negative times are written as 0."""
    if seconds is None:
        return "?"
    ms = round(max(seconds, 0.0) * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"
