"""The page-text reader and segmentation on the tricky lines of the reference transcript."""

from __future__ import annotations

import pytest

from tasks.formats import detect_and_parse, page_text
from tasks.model import InputError
from tasks.segment import segment
from tests.conftest import corpus_file


def _page(body: str, chapters: str = "0:0 Intro\n") -> str:
    title = "Ep3. Welcome Ada Lovelace | Show w/ Ann Host & Bob Host"
    return f"Back to Index\n\n{title}\n\n\nChapters\n\n{chapters}\nTranscript\n\n{body}\n"


def _turns(body: str) -> list[str]:
    seg = segment(page_text.parse(_page(body), "x.txt"))
    return [seg.clean_text[t.start : t.end] for t in seg.turns]


def test_header_title_show_hosts_guests() -> None:
    doc = page_text.parse(_page("Hello."), "transcript_bUrCR4jQQg8.txt")
    assert doc.metadata == {
        "episode_number": "3",
        "episode_title": "Welcome Ada Lovelace",
        "show": "Show",
        "hosts": "Ann Host; Bob Host",
        "guests": "Ada Lovelace",
    }
    assert doc.source_id == "bUrCR4jQQg8"


@pytest.mark.parametrize(
    ("line", "seconds"), [("6:3 Moat", 363.0), ("68:0 Safety", 4080.0), ("0:0", 0.0), ("72:31 Open Source", 4351.0)]
)
def test_chapter_times_unpadded_seconds_and_minutes_past_59(line: str, seconds: float) -> None:
    doc = page_text.parse(_page("Hello.", chapters=f"{line}\n"), "x.txt")
    assert doc.chapters[0].start_s == seconds


def test_empty_chapter_title_is_kept() -> None:
    doc = page_text.parse(_page("Hi.", chapters="0:0\n4:29 Questions\n"), "x.txt")
    assert [c.title for c in doc.chapters] == ["", "Questions"]


def test_cut_off_word_then_marker_is_one_boundary() -> None:
    assert _turns("more questions about that, but- - Don't worry about that.") == [
        "more questions about that, but-",
        "Don't worry about that.",
    ]


def test_double_dash_interruption_marks_the_cut_off_turn() -> None:
    seg = segment(page_text.parse(_page("talking about this flywheel-- - The entire cycle, yes."), "x.txt"))
    assert [seg.clean_text[t.start : t.end] for t in seg.turns] == [
        "talking about this flywheel--",
        "The entire cycle, yes.",
    ]
    assert [t.is_interrupted for t in seg.turns] == [True, False]


def test_cold_open_before_first_marker_is_a_turn() -> None:
    assert _turns("what they achieved is singular. - Jensen, nice glasses. - Hey, yeah, you too.") == [
        "what they achieved is singular.",
        "Jensen, nice glasses.",
        "Hey, yeah, you too.",
    ]


def test_chevron_marker() -> None:
    assert _turns(">> All right, let's pray. >> Amen.") == ["All right, let's pray.", "Amen."]


def test_non_speech_becomes_event_and_never_starts_a_turn() -> None:
    seg = segment(
        page_text.parse(
            _page(
                "We're talking about 19 days. (upbeat music) - Jensen, nice glasses. "
                "- There's something only your family could love. (laughing) - Well."
            ),
            "x.txt",
        )
    )
    assert [(e.kind, e.surface) for e in seg.events] == [("music", "(upbeat music)"), ("laughter", "(laughing)")]
    assert "(" not in seg.clean_text
    assert len(seg.turns) == 4
    assert seg.events[0].at == seg.turns[0].end


def test_hyphenated_words_and_minus_signs_inside_words_are_not_markers() -> None:
    assert _turns("It's mind-boggling, a state-of-the-art thing. - Yes.") == [
        "It's mind-boggling, a state-of-the-art thing.",
        "Yes.",
    ]


def test_turn_spans_paragraphs() -> None:
    assert _turns("First part of a long answer.\n\nSecond paragraph, same speaker. - Next.") == [
        "First part of a long answer. Second paragraph, same speaker.",
        "Next.",
    ]


def test_empty_transcript_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        page_text.parse("back to index\n\nTitle\n\n\nTranscript\n", "x.txt")
    assert info.value.code == "no_transcript_text"


def test_older_variant_with_whisper_line_and_lowercase_header() -> None:
    doc = detect_and_parse(corpus_file("seed_format/berean_transcript_iTxkVey2aA0.txt").read_text(), "x.txt")
    assert doc.format == "page_text"
    assert doc.chapters[0].title == "" and doc.chapters[1].start_s == 4 * 60 + 29
    assert not doc.findings


def test_page_without_chapters() -> None:
    doc = page_text.parse(corpus_file("seed_format/transcript_BguOKnPoiws.txt").read_text(), "x.txt")
    assert doc.chapters == () and doc.segments
    assert doc.metadata["people"] == "Rick Rubin; Dr. Andrew Huberman"
