"""Timestamp parsing and formatting shared by all readers and writers.
Regexes are anchored and bounded so they run in linear time."""

from __future__ import annotations

import math
import re

# H:M:S(.frac) or M:S(.frac); hours/minutes unbounded (chapters use "75:03"), fraction with "." or ",".
# Teams writes short fields ("0:0:0.0"), so every field is 1+ digits.
_CLOCK = re.compile(r"(?:(\d{1,6}):)?(\d{1,6}):(\d{1,2})(?:[.,](\d{1,9}))?")


def parse_clock(value: str) -> float | None:
    """Seconds for a clock-style timestamp, or None if `value` is not one."""
    m = _CLOCK.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, seconds, frac = m.groups()
    total = int(minutes) * 60 + int(seconds)
    if hours is not None:
        total += int(hours) * 3600
    if frac:
        total += int(frac) / (10 ** len(frac))
    return round(float(total), 6)


def number_seconds(value: object) -> float | None:
    """Seconds from a JSON number or timestamp string; None for anything else (bool, NaN, negative)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        f = float(value)
        return f if math.isfinite(f) and f >= 0 else None
    if isinstance(value, str):
        s = value.strip()
        clock = parse_clock(s)
        if clock is not None:
            return clock
        try:
            f = float(s) if len(s) < 40 else math.nan
        except ValueError:
            return None
        return f if math.isfinite(f) and f >= 0 else None
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
