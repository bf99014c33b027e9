"""Write SRT and VTT from (start, end, speaker, text) rows and read them back unchanged."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.formats import srt, vtt
from tasks.formats._time import format_clock

_word = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=8)
_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_rows = st.lists(
    st.tuples(st.integers(1, 5000), st.integers(1, 5000), st.sampled_from([None, "Ann", "Bob Ray"]), _text),
    min_size=1,
    max_size=20,
)


def _timed(rows):
    t, out = 0, []
    for gap, dur, spk, text in rows:
        start = t + gap
        out.append((start / 1000, (start + dur) / 1000, spk, text))
        t = start + dur
    return out


def _srt(rows) -> str:
    return "".join(
        f"{i}\n{format_clock(a, ',')} --> {format_clock(b, ',')}\n{x}\n\n" for i, (a, b, _, x) in enumerate(rows, 1)
    )


def _vtt(rows) -> str:
    body = "".join(f"{format_clock(a)} --> {format_clock(b)}\n{f'<v {s}>' if s else ''}{x}\n\n" for a, b, s, x in rows)
    return "WEBVTT\n\n" + body


@settings(max_examples=80)
@given(_rows)
def test_srt_roundtrip(rows) -> None:
    rows = _timed(rows)
    doc = srt.parse(_srt(rows), "r.srt")
    assert [(s.start_s, s.end_s, s.text) for s in doc.segments] == [(a, b, x) for a, b, _, x in rows]
    assert [f.code for f in doc.findings if f.code != "hallucination"] == []  # random words may loop


@settings(max_examples=80)
@given(_rows)
def test_vtt_roundtrip(rows) -> None:
    rows = _timed(rows)
    doc = vtt.parse(_vtt(rows), "r.vtt")
    assert [(s.start_s, s.end_s, s.speaker, s.text) for s in doc.segments] == rows
    assert [f.code for f in doc.findings if f.code != "hallucination"] == []  # random words may loop
