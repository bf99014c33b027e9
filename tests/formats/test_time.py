"""The one clock formatter and the clock parser agree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tasks.formats._time import format_clock, parse_clock
from tasks.writers import Cue, to_srt, to_webvtt

# up to 999 hours: the widest hours field every stamp grammar accepts
_SECONDS = st.floats(0, 999 * 3600 + 3599.999, allow_nan=False)


@given(_SECONDS, st.sampled_from([".", ","]))
def test_format_then_parse_keeps_the_time_to_the_millisecond(seconds: float, separator: str) -> None:
    written = format_clock(seconds, separator)
    back = parse_clock(written)
    assert back is not None
    assert abs(back - seconds) <= 0.0005 + 1e-9
    assert format_clock(back, separator) == written


def test_format_clock_fields_none_and_negative() -> None:
    assert format_clock(3725.5) == "01:02:05.500"
    assert format_clock(3725.5, ",") == "01:02:05,500"
    assert format_clock(None) == "?"
    assert format_clock(-2.0) == "00:00:00.000"


def test_writers_use_the_clock_formatter() -> None:
    cue = Cue(1.25, 62.0, None, "Hi.")
    assert "00:00:01.250 --> 00:01:02.000" in to_webvtt([cue])
    assert "00:00:01,250 --> 00:01:02,000" in to_srt([cue])
