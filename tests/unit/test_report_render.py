"""`flows.report.render_page` on a fake episode: every section shown, and no markup ever coming from the data.
No lake and no flow: the page from a real lake is tests/flows/test_report.py."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.report import render_page, value_as_said
from tests.unit.report_page import Page

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "</title><svg onload=x>",
    "&lt;b&gt;",
    "]]><!--",
    "<style>*{}</style>",
    "' onmouseover='x",
)


def fake_episode(s: list[str]) -> dict:
    """One small episode touching every section, every string field taken from `s` (cycled)."""
    it = itertools.cycle(s)
    t = it.__next__
    # Keys are unique in the lake, so the suffixes keep them unique whatever the drawn strings are.
    spk = [f"{t()}#1", f"{t()}#2"]
    ep = {
        "episode_id": t(),
        "source_path": t(),
        "title": t(),
        "show": t(),
        "episode_number": 3,
        "hosts": [t()],
        "guests": [t()],
        "duration_s": 300.0,
        "duration_source": "estimated",
        "n_chapters": 2,
        "n_turns": 3,
        "n_sentences": 3,
        "n_words": 30,
        "pipeline_version": t(),
        "run_id": t(),
    }
    speakers = [
        {
            "speaker_id": spk[i],
            "name": t(),
            "role": t(),
            "n_turns": 1,
            "n_words": 10,
            "talk_share": 0.3,
            "mean_conf": 0.8,
        }
        for i in range(2)
    ]
    chapters = [
        {
            "chapter_idx": i,
            "title": t(),
            "start_s": 150.0 * i,
            "end_s": 150.0 * (i + 1),
            "start_char": 100 * i,
            "end_char": 100 * (i + 1),
            "time_source": t(),
            "align_confidence": 0.5,
        }
        for i in range(2)
    ]
    turns = [
        {
            "turn_idx": i,
            "speaker_id": [spk[0], spk[1], None][i],
            "attribution": t(),
            "attribution_confidence": [0.9, 0.3, 0.2][i],
            "chapter_idx": i // 2,
            "start_char": 70 * i,
            "end_char": 70 * i + 60,
            "start_s": 100.0 * i,
            "end_s": 100.0 * i + 90,
            "time_source": "estimated",
            "time_error_s": 12.0,
            "n_words": 10,
            "is_backchannel": i == 2,
            "is_interrupted": False,
            "text": t(),
        }
        for i in range(3)
    ]
    sentences = [
        {
            "sentence_idx": i,
            "turn_idx": i,
            "chapter_idx": i // 2,
            "start_char": 70 * i,
            "end_char": 70 * i + 60,
            "start_s": 100.0 * i,
            "sentiment": 0.5 - i / 2,
            "text": t(),
        }
        for i in range(3)
    ]
    return {
        "episode": ep,
        "speakers": speakers,
        "chapters": chapters,
        "turns": turns,
        "sentences": sentences,
        "keywords": [{"chapter_idx": c, "keyword": t(), "rank": 1} for c in (None, 0, 1)],
        "mentions": [{"canonical": f"{t()}#{i}", "entity_type": t(), "surface": t(), "start_s": 5.0} for i in range(3)],
        "quantities": [
            {
                "start_char": 75,
                "end_char": 80,
                "s_start": 70,
                "sentence": t(),
                "surface": t(),
                "value_low": v,
                "unit": u,
                "speaker_id": spk[1],
                "start_s": 100.0,
            }
            for u, v in (("usd", 1.5e9), ("percent", 1.5), ("x", 1.5))
        ],
        "events": [
            {"event_idx": 0, "start_char": 20, "kind": t(), "surface": t(), "turn_idx": 0, "start_s": 9.0},
            {"event_idx": 1, "start_char": 150, "kind": t(), "surface": t(), "turn_idx": 2, "start_s": 209.0},
        ],
        "dq_run": t(),
        "snapshot": t(),
        "dq": [
            {"table_name": t(), "expectation": t(), "column_name": t(), "success": ok, "observed": t(), "blocking": ok}
            for ok in (False, True)
        ],
        "issues": [{"severity": t(), "code": t(), "location": t(), "message": t(), "run_id": t()}],
    }


BENIGN = Page(render_page(fake_episode(["plain words"])))


@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text()), min_size=1, max_size=12))
def test_hostile_strings_never_become_markup(strings: list[str]) -> None:
    html = render_page(fake_episode(strings))
    parsed = Page(html)
    # Same elements with the same attributes, values included: no tag and no attribute comes from data.
    assert parsed.tags == BENIGN.tags
    assert parsed.count("script") == 0 and parsed.count("img") == 0
    text = "".join(parsed.text)
    for s in strings:
        if s.strip() and "\r" not in s and "\x00" not in s:
            assert s.strip()[:20] in text


def test_benign_fake_page_shows_every_section() -> None:
    html = render_page(fake_episode(["plain words"]))
    assert BENIGN.count("svg") == 3 and len(BENIGN.turns) == 3
    for heading in (
        "Speakers",
        "Timeline",
        "Sentiment",
        "Chapters",
        "Top entities",
        "Numbers said",
        "Events",
        "Data quality",
        "Transcript",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "$1.5 billion" in html and "1.5%" in html and "1.5×" in html


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(1e9, "x", "1 billion×"), (6.5e9, "usd", "$6.5 billion"), (35_000, "usd", "$35,000"), (2.5, "percent", "2.5%")],
)
def test_values_read_as_said_never_in_exponent_form(value: float, unit: str, shown: str) -> None:
    assert value_as_said({"value_low": value, "unit": unit}) == shown
