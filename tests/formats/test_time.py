"""The clock grammar of tasks/formats/_time.py: the formatter, the parser and the named stamp patterns agree."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.formats import _time, srt
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


# Every stamp pattern, with the separators before the fraction it accepts.
_WRITTEN_FORMS = {
    "CLOCK": ".,",
    "SRT_CLOCK": ".,:",
    "CLOCK_OR_SECONDS": ".,",
    "LABEL_CLOCK": ".,",
    "WHISPER_PAGE_CLOCK": ".",
    "VTT_TAG_CLOCK": ".,",
    "YOUTUBE_WORD_CLOCK": ".",
}


@pytest.mark.parametrize(("name", "separators"), _WRITTEN_FORMS.items())
@given(seconds=_SECONDS, data=st.data())
def test_every_stamp_pattern_reads_what_format_clock_writes(name: str, separators: str, seconds: float, data) -> None:
    written = format_clock(seconds, data.draw(st.sampled_from(separators)))
    assert re.fullmatch(getattr(_time, name), written), written


@given(st.integers(0, 9999), st.integers(0, 99))
def test_chapter_pattern_reads_minutes_past_59_and_unpadded_seconds(minutes: int, seconds: int) -> None:
    assert re.fullmatch(_time.CHAPTER_CLOCK, f"{minutes}:{seconds}")


# What tells the variants apart: (pattern, accepted, rejected).
_VARIANTS = [
    ("CLOCK", ["0:0:0.0", "75:03", "1:02:03,5", "123456:00:00.123456789"], ["1:2:3:4", "01:02:03:500", "90", "1:123"]),
    ("SRT_CLOCK", ["00:00:01:500", "00:00:01,500", "1:02"], ["00:00:01;500", "1:123"]),
    ("CLOCK_OR_SECONDS", ["12.5", "7", "1:02.5"], ["1.2.3", "-1", ".5"]),
    ("LABEL_CLOCK", ["5:03", "123:04:05", "00:00,123"], ["1:2", "1234:05", "1:02:03.1234", "0:0:0.0"]),
    ("WHISPER_PAGE_CLOCK", ["00:00:13.920", "1:02:03"], ["02:03.920", "00:00:13,920", "00:00:13.1234567"]),
    ("VTT_TAG_CLOCK", ["00:00:01.234", "1:2,5"], ["00:00:01", "1:123:00.0"]),
    ("YOUTUBE_WORD_CLOCK", ["00:00:01.234"], ["00:01.234", "0:0:1.234", "00:00:01.23"]),
    ("CHAPTER_CLOCK", ["0:0", "68:0", "1234:59"], ["12345:00", "1:02:03", "1:123"]),
]


@pytest.mark.parametrize(("name", "accepted", "rejected"), _VARIANTS)
def test_stamp_variants(name: str, accepted: list[str], rejected: list[str]) -> None:
    pattern = re.compile(getattr(_time, name))
    assert [s for s in accepted if not pattern.fullmatch(s)] == []
    assert [s for s in rejected if pattern.fullmatch(s)] == []


def test_parse_clock_fields() -> None:
    assert parse_clock(" 1:02:03,25 ") == 3723.25
    assert parse_clock("75:03") == 4503.0
    assert parse_clock("0:0:0.0") == 0.0
    assert parse_clock("00:00:01:500") is None  # SRT's colon form is srt.py's to rewrite
    assert parse_clock("12.5") is None


@given(_SECONDS)
def test_srt_reads_milliseconds_after_a_third_colon(seconds: float) -> None:
    assert srt._clock(format_clock(seconds, ":")) == parse_clock(format_clock(seconds))


# parse_clock as it was before the named patterns (regex groups for hours, minutes, seconds, fraction),
# kept here as the oracle for the rewrite.
_OLD_CLOCK = re.compile(r"(?:(\d{1,6}):)?(\d{1,6}):(\d{1,2})(?:[.,](\d{1,9}))?")


def _old_parse_clock(value: str) -> float | None:
    m = _OLD_CLOCK.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, seconds, frac = m.groups()
    total = int(minutes) * 60 + int(seconds)
    if hours is not None:
        total += int(hours) * 3600
    if frac:
        total += int(frac) / (10 ** len(frac))
    return round(float(total), 6)


# Stamps of every pattern whose matches a reader passes to parse_clock, with surrounding blanks, and
# near-misses made of the same characters (srt.py's colon form is the next test's).
_READER_PATTERNS = ["CLOCK", "LABEL_CLOCK", "WHISPER_PAGE_CLOCK", "VTT_TAG_CLOCK", "YOUTUBE_WORD_CLOCK"]
_STAMPS = st.one_of(
    *(st.from_regex(rf"\A\s{{0,2}}(?:{getattr(_time, n)})\s{{0,2}}\Z") for n in _READER_PATTERNS),
    st.from_regex(rf"\A(?:{_time.CLOCK_OR_SECONDS})\Z"),
    st.text(alphabet="0123456789:.,; \t", max_size=30),
)


@given(_STAMPS)
def test_parse_clock_agrees_with_the_old_regex_group_version(stamp: str) -> None:
    assert parse_clock(stamp) == _old_parse_clock(stamp)


@given(st.from_regex(rf"\A(?:{_time.SRT_CLOCK})\Z"))
def test_srt_clock_agrees_with_the_old_version(stamp: str) -> None:
    # srt.py reads "00:00:01:500" by turning the third colon into the fraction separator
    old = stamp[: stamp.rfind(":")] + "." + stamp[stamp.rfind(":") + 1 :] if stamp.count(":") == 3 else stamp
    assert srt._clock(stamp) == _old_parse_clock(old)
