"""The tricky lines of each format, one small case each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.formats import labelled, srt, vtt, whisper_cpp, whisper_json, whisper_page
from tasks.model import InputError

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _corpus(rel: str) -> str:
    p = CORPUS / rel
    if not p.exists():
        pytest.skip(f"{rel} missing")
    return p.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def test_youtube_rolling_captions_each_word_once() -> None:
    doc = vtt.parse(_corpus("edge_cases/webvtt-py_youtube_dl.vtt"), "y.vtt")
    words = " ".join(s.text for s in doc.segments).split()
    assert words == ["yeah", "what", "this", "will", "happen", "is", "I'm", "telling"]
    assert doc.segments[0].start_s == pytest.approx(286.07)
    assert doc.language == "en"


def test_empty_zero_length_cues_dropped_with_findings() -> None:
    doc = vtt.parse(_corpus("edge_cases/talkpython_539-catching-up-with-the-python-typing-council.vtt"), "x")
    empties = [f for f in doc.findings if f.code == "empty_cue"]
    assert len(empties) == 43 and any("01:01:21.980" in f.message for f in empties) and "line" in empties[0].location


def test_overlap_trims_previous_end() -> None:
    doc = vtt.parse(_corpus("edge_cases/talkpython_214-Python-3-8-and-beyond.vtt"), "x")
    seg = next(s for s in doc.segments if s.start_s == pytest.approx(23 * 60 + 12.14))
    assert seg.end_s == pytest.approx(23 * 60 + 16.78)


def test_vtt_voice_tags_settings_ids_notes_and_teams_times() -> None:
    text = (
        "WEBVTT\n\nNOTE a comment\nspanning lines\n\nSTYLE\n::cue { color: red }\n\n"
        "abc-123/0\n0:0:1.5 --> 0:0:3.0 align:start\n<v Jane Doe>Hello <i>there</i> &amp; all</v>\n"
        "0:0:3.0 --> 0:0:4.0\n<v.loud Bob>- Hi.\n- Bye.\n\n"
        "00:00:05.000 --> 00:00:04.000\nbackwards\n"
    )
    doc = vtt.parse(text, "t.vtt")
    a, b, c = doc.segments
    assert (a.speaker, a.text, a.start_s, a.end_s, a.line, a.new_turn) == (
        "Jane Doe",
        "Hello there & all",
        1.5,
        3.0,
        10,
        True,
    )
    assert b.speaker == "Bob" and b.text == "- Hi.\n- Bye." and b.new_turn
    assert c.end_s is None and [f.code for f in doc.findings] == ["cue_end_before_start"]


def test_vtt_keeps_non_speech_tags() -> None:
    doc = vtt.parse("WEBVTT\n\n00:01.000 --> 00:02.000\n[Music] <MUSIC> (laughs)\n", "t.vtt")
    assert doc.segments[0].text == "[Music] <MUSIC> (laughs)"


def test_utf16_srt_and_srt_without_indexes_agree() -> None:
    data = CORPUS / "edge_cases/pysrt_bom-utf-16-le.srt"
    if not data.exists():
        pytest.skip("corpus missing")
    from tasks.decode import decode

    a = srt.parse(decode(data.read_bytes()).text, "a.srt")
    b = srt.parse(decode((CORPUS / "edge_cases/pysrt_no-indexes.srt").read_bytes()).text, "b.srt")
    assert [s.text for s in a.segments] == [s.text for s in b.segments]
    assert a.segments[2].text == (
        "And I posted underneath against this woman's tirades, against what is essentially the human race."
    )


def test_srt_index_zero_dot_millis_trailing_space_and_missing_blank() -> None:
    text = "0\n00:00:01.000 --> 00:00:02,500 \nfirst  \n1\n00:00:03,000 --> 00:00:04,000\n<i>second</i>\n"
    doc = srt.parse(text, "x.srt")
    assert [(s.text, s.start_s, s.end_s) for s in doc.segments] == [("first", 1.0, 2.5), ("second", 3.0, 4.0)]


def test_congressional_record_labels() -> None:
    doc = labelled.parse(_corpus("speaker_text/congrec_CREC-2013-10-30-pt1-PgH6909.txt"), "c.txt")
    assert doc.title == "BREAST CANCER AWARENESS MONTH"
    assert doc.segments[0].speaker == "The SPEAKER pro tempore"
    assert doc.segments[1].speaker == "Ms. WASSERMAN SCHULTZ"
    assert doc.segments[1].text.startswith("Mr. Speaker, I rise today as we close out the month")
    joined = " ".join(s.text for s in doc.segments)
    assert "evidence-based" in joined and "[[Page" not in joined and "{time}" not in joined
    assert "worry again about being dropped" in joined  # paragraph continues across the page break


def test_speaker_number_headers() -> None:
    doc = labelled.parse("[Speaker 1 00:00] \nHello there.\n\n[Speaker 2 17:07] \nHi.\n", "x.txt")
    assert [(s.speaker, s.start_s, s.text, s.new_turn) for s in doc.segments] == [
        ("Speaker 1", 0.0, "Hello there.", True),
        ("Speaker 2", 1027.0, "Hi.", True),
    ]


def test_bold_markdown_with_stamps() -> None:
    text = (
        "**Rob Pike:** \\[04:22\\] 45 minutes. \\[laughs\\]\n\nMore from Rob.\n\n"
        "**Rob Pike:** Again.\n\n**Break:** \\[24:27\\]\n"
    )
    doc = labelled.parse(text, "x.md")
    s = doc.segments
    assert (s[0].speaker, s[0].start_s, s[0].text) == ("Rob Pike", 262.0, "45 minutes. [laughs]")
    assert (s[1].speaker, s[1].new_turn) == (None, False)
    assert (s[2].speaker, s[2].new_turn) == ("Rob Pike", True)
    assert len(s) == 3


def test_name_time_headers_with_front_matter() -> None:
    text = "---\nguest: X\nkeywords:\n- a\n- b\n---\n\n# Title\n\nAnn (00:14):\nHello.\n\n(05:23):\nMore.\n"
    doc = labelled.parse(text, "t.md")
    assert doc.metadata["guest"] == "X" and doc.metadata["keywords"] == "a, b" and doc.title == "Title"
    assert [(s.speaker, s.start_s, s.text, s.line) for s in doc.segments] == [
        ("Ann", 14.0, "Hello.", 10),
        (None, 323.0, "More.", 13),
    ]


def test_timestamped_lines_with_optional_names() -> None:
    text = "00:00:00 Quick intro: here.\n\n00:03:02 Joe Pyshko: Thank you.\n[01:02] plain\n"
    doc = labelled.parse(text, "t.txt")
    assert [(s.speaker, s.start_s, s.text) for s in doc.segments] == [
        (None, 0.0, "Quick intro: here."),
        ("Joe Pyshko", 182.0, "Thank you."),
        (None, 62.0, "plain"),
    ]


def test_whisper_cpp_lines() -> None:
    doc = whisper_cpp.parse(
        "\n[00:00:00.000 --> 00:00:03.480]   [SIDE CONVERSATION]\n"
        "[00:00:03.480 --> 00:00:06.960]   All right.\nstray\n",
        "w.txt",
    )
    assert [(s.text, s.start_s, s.end_s, s.line) for s in doc.segments] == [
        ("[SIDE CONVERSATION]", 0.0, 3.48, 2),
        ("All right.", 3.48, 6.96, 3),
        ("stray", None, None, 4),
    ]
    assert [f.code for f in doc.findings] == ["unparsed_line"]


def test_whisper_page_chapters() -> None:
    text = (
        "back to index\n\nTitle\n\nChapters\n\n0:0 Start\n75:03 Late\n\n"
        "Whisper Transcript | Transcript Only Page\n\n00:00:13.920 | All right.\n"
    )
    doc = whisper_page.parse(text, "p.txt")
    assert doc.title == "Title" and [(c.title, c.start_s) for c in doc.chapters] == [
        ("Start", 0),
        ("Late", 4503),
    ]
    assert whisper_page.sniff(text, "p.txt") == 0.95
    assert whisper_page.sniff("back to index\n\nTitle\n\nTranscript\n\nText.\n", "p.txt") == 0


def test_word_timing_list_joined_with_leading_space_tokens() -> None:
    doc = whisper_json.parse('[[" Last", 0.0, 0.28], [" year,", 0.28, 0.7], [" Grant", 0.84, 0.96]]', "w.json")
    assert doc.segments[0].text == "Last year, Grant"
    bare = whisper_json.parse('[["Last", 0, 1], ["year", 1, 2], ["again", 5, 6]]', "w.json")
    assert [s.text for s in bare.segments] == ["Last year", "again"]


def test_diarised_numbered_json() -> None:
    text = (
        '{"0": {"speaker": "Ann", "timestamp": [0, 2.5], "text": "Hi."}, '
        '"1": {"speaker": "Bo", "timestamp": "00:00:03", "text": "Yo."}}'
    )
    doc = whisper_json.parse(text, "d.json")
    assert [(s.speaker, s.start_s, s.end_s, s.text, s.new_turn) for s in doc.segments] == [
        ("Ann", 0.0, 2.5, "Hi.", True),
        ("Bo", 3.0, None, "Yo.", True),
    ]


def test_whisper_thanks_for_watching_flagged() -> None:
    doc = whisper_json.parse(_corpus("edge_cases/whisper-timestamped_medium_auto_empty.mp3.words.json"), "x")
    assert doc.segments[0].flag == "hallucination" and doc.findings[0].code == "hallucination"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("you you you you", True),
        ("got them, got them, got them, got them, got them", True),
        ("\ufffd\ufffd \ufffd", True),
        ("Wait, wait, wait, wait.", False),
        ("Developers, developers, developers, developers.", False),
        ("A perfectly normal sentence.", False),
    ],
)
def test_hallucination_patterns(text: str, flagged: bool) -> None:
    doc = whisper_json.parse(
        '{"text": "x", "segments": [{"start": 0, "end": 1, "text": "Hello there everyone."}, '
        f'{{"start": 1, "end": 2, "text": {text!r}}}]}}'.replace("'", '"'),
        "h.json",
    )
    assert (doc.segments[1].flag == "hallucination") is flagged


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"text": "a", "segments": [', "truncated_json"),
        ("[" * 1_000_000, "json_too_deep"),
        ('{"foo": 1}', "unsupported_json"),
        ('{"text": "", "segments": []}', "no_transcript_text"),
        ("{'a': 1}", "malformed_json"),
    ],
)
def test_bad_json(text: str, code: str) -> None:
    with pytest.raises(InputError) as info:
        whisper_json.parse(text, "x.json")
    assert info.value.code == code


def test_huge_single_line_is_refused_quickly() -> None:
    big = "a" * 3_000_000
    for reader in (vtt, srt, whisper_cpp, labelled, whisper_page):
        with pytest.raises(InputError) as info:
            reader.parse("WEBVTT\n" + big if reader is vtt else big, "x.txt")
        assert info.value.code in ("line_too_long", "no_transcript_text")


@pytest.mark.parametrize("content", ["null", "true", "false", "42", "-1.5e3", '"a string"', ' "x" \n'])
def test_a_json_file_of_one_scalar_is_unsupported_json_not_a_one_word_episode(content: str) -> None:
    from tasks.formats import detect_and_parse

    with pytest.raises(InputError) as raised:
        detect_and_parse(content, "result.json")
    assert raised.value.finding().code == "unsupported_json"


def test_an_srt_whose_timings_are_all_unreadable_keeps_its_cues_with_a_warning_each() -> None:
    from tasks.formats import detect_and_parse

    text = "1\n-00:00:01,000 --> -00:00:02,000\nHello there.\n\n2\n-00:00:02,000 --> -00:00:04,000\nGeneral Kenobi.\n"
    doc = detect_and_parse(text, "negative.srt")
    assert doc.format == "srt"
    assert [(s.text, s.start_s) for s in doc.segments] == [("Hello there.", None), ("General Kenobi.", None)]
    assert [f.code for f in doc.findings] == ["malformed_time", "malformed_time"]


def test_speaker_labels_on_consecutive_lines_start_turns_without_blank_lines() -> None:
    from tasks.formats import detect_and_parse

    text = "Alice: Hello there, how are you?\nBob: Fine thanks,\nand you?\nAlice: Great. Let us start.\nBob: Sure.\n"
    doc = detect_and_parse(text, "chat.txt")
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Alice", "Hello there, how are you?"),
        ("Bob", "Fine thanks, and you?"),
        ("Alice", "Great. Let us start."),
        ("Bob", "Sure."),
    ]
