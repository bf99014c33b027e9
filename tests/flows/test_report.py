"""`flows.report`: the episode page from a real lake, and no markup ever coming from the data."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.catalog import connect
from flows.report import hms, render_page, render_report, write_report
from tests.conftest import ROOT

pytestmark = pytest.mark.flow
EPISODE = "yt-bUrCR4jQQg8"
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


class Page(HTMLParser):
    """Start tags with their attributes, all text, and each turn's text without the inline events."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []
        self.turns: list[str] = []
        self.headings: list[str] = []
        self._stack: list[tuple[str, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))
        cls = dict(attrs).get("class") or ""
        self._stack.append((tag, cls))
        if tag == "span" and cls == "txt":
            self.turns.append("")
        if tag == "h3":
            self.headings.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        classes = [cls for _, cls in self._stack]
        if "txt" in classes and "ev" not in classes:
            self.turns[-1] += data
        if any(tag == "h3" for tag, _ in self._stack):
            self.headings[-1] += data

    def count(self, tag: str) -> int:
        return sum(t == tag for t, _ in self.tags)


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = tmp_path_factory.mktemp("report") / "lake"
    env = {**os.environ, "TLAKE_LAKE": str(lake), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", "seeds/transcripts"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return lake


@pytest.fixture(scope="module")
def con(lake: Path) -> duckdb.DuckDBPyConnection:
    con = connect(lake, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def page(con: duckdb.DuckDBPyConnection) -> str:
    return render_report(con, EPISODE)


def test_page_is_self_contained_with_three_plots_and_no_script(page: str) -> None:
    parsed = Page(page)
    assert parsed.count("svg") == 3  # talk share, timeline, sentiment
    assert parsed.count("script") == 0 and parsed.count("img") == 0 and parsed.count("link") == 0
    assert parsed.count("style") == 1 and parsed.count("html") == 1 and parsed.count("body") == 1
    attrs = [(name, value or "") for _, pairs in parsed.tags for name, value in pairs]
    assert not [a for a in attrs if a[0].startswith("on") or a[0] in ("src", "href")]
    assert "url(" not in page and "@import" not in page and "http" not in page.lower().split("</style>")[0]


def test_page_names_the_speakers_and_every_chapter(con: duckdb.DuckDBPyConnection, page: str) -> None:
    text = "".join(Page(page).text)
    names = [r[0] for r in con.execute("SELECT name FROM speakers WHERE episode_id = ?", [EPISODE]).fetchall()]
    assert len(names) == 3 and all(name in text for name in names)
    titles = [
        r[0]
        for r in con.execute(
            "SELECT title FROM chapters WHERE episode_id = ? ORDER BY chapter_idx", [EPISODE]
        ).fetchall()
    ]
    assert len(titles) == 13
    headings = Page(page).headings
    for i, title in enumerate(titles):
        assert sum(h.startswith(f"{i + 1}. {title} · ") for h in headings) == 1, title
    assert "NVIDIA's Competitive Moat" in text and "Ensuring Safe AI Development" in text


def test_transcript_holds_every_turn_text_in_order(con: duckdb.DuckDBPyConnection, page: str) -> None:
    turns = [
        r[0] for r in con.execute("SELECT text FROM turns WHERE episode_id = ? ORDER BY turn_idx", [EPISODE]).fetchall()
    ]
    shown = Page(page).turns
    assert len(shown) == len(turns)
    # Events sit inline inside the turn, with a space either side of the tag; without them the text is exact.
    assert [" ".join(s.split()) for s in shown] == [" ".join(t.split()) for t in turns]
    assert sum(s == t for s, t in zip(shown, turns, strict=True)) >= len(turns) - 6
    text = "".join(Page(page).text)
    for exact in (
        "Jensen, nice glasses.",
        "Hey, yeah, you too.",
        "It's great to be with you.",
        "Yeah, I got my ugly glasses on just like you.",
    ):
        assert exact in shown and exact in text


def test_header_events_and_quality(con: duckdb.DuckDBPyConnection, page: str) -> None:
    text = "".join(Page(page).text)
    duration, version = con.execute(
        "SELECT duration_s, pipeline_version FROM episodes WHERE episode_id = ?", [EPISODE]
    ).fetchone()
    assert f"duration {hms(duration)}" in text and f"pipeline {version}" in text
    assert text.count("(laughing)") >= 2 * 4  # in the events table and inline in the transcript
    assert "checks of run" in text and "Times of" in text and "median time_error_s" in text


def test_output_is_deterministic_and_written_atomically(
    con: duckdb.DuckDBPyConnection, page: str, tmp_path: Path
) -> None:
    assert render_report(con, EPISODE) == page
    out = tmp_path / "sub" / "report.html"
    out.parent.mkdir()
    out.write_text("old")
    assert write_report(con, EPISODE, out) == out
    assert out.read_text(encoding="utf-8") == page
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]


def test_unknown_episode_is_a_key_error(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="no-such-episode"):
        render_report(con, "no-such-episode")
    with pytest.raises(KeyError):
        write_report(con, "no-such-episode", tmp_path / "x.html")
    assert not list(tmp_path.iterdir())


# ---- no markup from the data --------------------------------------------------------------------------


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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
