"""`flows.report`: the episode page from a real lake (the session's reference lake). The render tests on a
fake episode (no markup from the data) are tests/unit/test_report_render.py."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from flows.catalog import connect
from flows.report import hms, render_report, write_report
from tests.flows.conftest import Seeded
from tests.unit.report_page import Page

pytestmark = pytest.mark.flow
EPISODE = "yt-bUrCR4jQQg8"


@pytest.fixture(scope="module")
def lake(reference_lake: Seeded) -> Path:
    return reference_lake.lake


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


def test_cli_report_writes_the_page_and_refuses_unknown_episodes(lake: Path, page: str, tlake, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    written = tlake("report", EPISODE, "--out", str(out), lake=lake)
    assert written.exit_code == 0, written.stderr
    assert f"wrote {out}" in written.stdout and out.read_text(encoding="utf-8") == page
    unknown = tlake("report", "no-such-episode", "--out", str(tmp_path / "x.html"), lake=lake)
    assert unknown.exit_code == 2 and "no-such-episode" in unknown.stderr
    assert not (tmp_path / "x.html").exists()


def test_a_caption_file_reads_as_paragraphs_at_the_times_its_cues_give(ingest, tmp_path: Path) -> None:
    from tests.conftest import CORPUS

    vtt = CORPUS / "vtt" / "talkpython_001_nicola_iarocci_talk_python_to_me.vtt"
    if not vtt.exists():
        pytest.skip("../shared/corpus absent")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / vtt.name).write_bytes(vtt.read_bytes())
    assert ingest([inputs], tmp_path / "lake").exit_code == 0
    con = connect(tmp_path / "lake", read_only=True)
    try:
        episode = con.execute("SELECT episode_id FROM episodes").fetchone()[0]
        paragraphs = con.execute("SELECT count(DISTINCT paragraph_idx) FROM sentences").fetchone()[0]
        html = render_report(con, episode)
    finally:
        con.close()
    transcript = html.split("<h2>Transcript</h2>", 1)[1]
    times = re.findall(r'<span class="t">([^<]*)</span>', transcript)
    assert len(times) == paragraphs >= 20
    seconds = [sum(int(x) * 60**k for k, x in enumerate(reversed(t.split(":")))) for t in times]
    assert seconds == sorted(seconds) and len(set(seconds)) == len(seconds) and seconds[-1] > 30 * 60
    assert not any(t.startswith("~") for t in times), "cue times are given, not estimated"
    assert len(Page(html).turns) == 1  # one turn, many paragraphs
