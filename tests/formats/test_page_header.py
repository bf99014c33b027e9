"""The page header (index line, title, chapters, title metadata, YouTube id) that page_text and
whisper_page share through page_text.read_header."""

from __future__ import annotations

import pytest

from tasks.formats import detect_and_parse, page_text, whisper_page
from tasks.model import InputError
from tests.conftest import corpus_file

_TITLE = "Ep3. Welcome Ada Lovelace | Show w/ Ann Host & Bob Host"
_META = {
    "episode_number": "3",
    "episode_title": "Welcome Ada Lovelace",
    "show": "Show",
    "hosts": "Ann Host; Bob Host",
    "guests": "Ada Lovelace",
}
# seconds past 59, then a chapter that goes back in time, then a stray line
_HEADER = f"back to index\n\n{_TITLE}\n\nChapters\n\n0:0 Intro\n3:75 Odd\n2:00 Back\nnot a chapter\n\n"
_PAGE = _HEADER + "Transcript\n\nHello there.\n"
_WHISPER = _HEADER + "Whisper Transcript | Transcript Only Page\n\n00:00:01.000 | Hello there.\n"


def _codes(findings) -> list[tuple[str, str]]:
    return [(f.code, f.location) for f in findings]


def test_header_fields_and_checks() -> None:
    lines = _PAGE.split("\n")
    header = page_text.read_header(lines, "show/transcript_bUrCR4jQQg8.txt")
    assert header.title == _TITLE
    assert header.metadata == _META
    assert header.source_id == "bUrCR4jQQg8"
    assert [(c.title, c.start_s, c.line) for c in header.chapters] == [("Intro", 0.0, 7), ("Odd", 255.0, 8)]
    assert _codes(header.findings) == [
        ("malformed_time", "line 8"),  # 3:75
        ("unparsed_line", "line 10"),  # "not a chapter"
        ("malformed_time", "line 9"),  # 2:00 starts before 3:75: dropped
    ]
    assert lines[header.body_start] == ""
    assert lines[header.body_start - 1] == "Transcript"


def test_header_ends_at_the_first_line_the_body_claims() -> None:
    lines = ["back to index", "", "Title", "Chapters", "0:0 A", "00:00:01.000 | Hi.", "Transcript"]
    header = page_text.read_header(lines, "x.txt", starts_body=lambda line: "|" in line)
    assert (header.title, header.body_start, header.findings) == ("Title", 5, ())
    # no title: the body (or "Chapters", "Transcript", the banner) follows the index line directly
    for second in ("00:00:01.000 | Hi.", "Chapters", "Transcript", "Whisper Transcript | Transcript Only Page"):
        header = page_text.read_header(["back to index", second], "x.txt", starts_body=lambda line: "|" in line)
        assert header.title is None and header.metadata == {}, second


def test_header_without_transcript_or_index_line() -> None:
    header = page_text.read_header(["Back to Index", "Title", "Chapters", "0:0 A"], "x.txt")
    assert header.body_start is None and header.title == "Title"
    with pytest.raises(InputError) as caught:
        page_text.read_header(["Title", "Transcript", "Hi."], "x.txt")
    assert caught.value.code == "unknown_format"


@pytest.mark.parametrize(
    ("name", "source_id"),
    [
        ("transcript_bUrCR4jQQg8.txt", "bUrCR4jQQg8"),
        ("seed_format/berean_whisperpage_dfSYxc-5Eh8.txt", "dfSYxc-5Eh8"),
        ("episode_012.txt", None),
        ("whisperpage_short.txt", None),
    ],
)
def test_youtube_id_from_name(name: str, source_id: str | None) -> None:
    assert page_text.youtube_id_from_name(name) == source_id


def test_both_page_readers_read_the_header_the_same_way() -> None:
    page = page_text.parse(_PAGE, "transcript_bUrCR4jQQg8.txt")
    whisper = whisper_page.parse(_WHISPER, "whisperpage_bUrCR4jQQg8.txt")
    for doc in (page, whisper):
        assert doc.title == _TITLE and doc.metadata == _META and doc.source_id == "bUrCR4jQQg8"
    assert page.chapters == whisper.chapters
    assert page.findings == whisper.findings
    assert [s.text for s in whisper.segments] == ["Hello there."]
    assert whisper.segments[0].start_s == 1.0


def test_whisper_page_header_lines_stay_out_of_the_transcript() -> None:
    text = "back to index\nTitle\nstray header line\n00:00:01.000 | Hi.\n00:00:02.000 | There.\noops\n"
    doc = whisper_page.parse(text, "p.txt")
    assert [s.text for s in doc.segments] == ["Hi.", "There.", "oops"]
    assert _codes(doc.findings) == [("unparsed_line", "line 3"), ("unparsed_line", "line 6")]


def test_the_page_and_the_whisper_page_of_one_video_agree() -> None:
    whisper_path = corpus_file("seed_format/berean_whisperpage_dfSYxc-5Eh8.txt")
    page_path = corpus_file("seed_format/berean_transcript_dfSYxc-5Eh8.txt")
    page = detect_and_parse(page_path.read_text(), "seed_format/berean_transcript_dfSYxc-5Eh8.txt")
    whisper = detect_and_parse(whisper_path.read_text(), "seed_format/berean_whisperpage_dfSYxc-5Eh8.txt")
    assert (page.format, whisper.format) == ("page_text", "whisper_page")
    assert page.source_id == whisper.source_id == "dfSYxc-5Eh8"
    assert page.title == whisper.title == "Bible Study 12.8.2021"
    for key in ("show", "hosts", "guests", "episode_number"):
        assert page.metadata.get(key) == whisper.metadata.get(key), key
    assert page.metadata == whisper.metadata
    assert page.chapters == whisper.chapters and len(page.chapters) == 4
