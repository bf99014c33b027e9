"""Diarised shapes real tools write: speakers per segment, times in seconds, detected by content.

Fixtures live in tests/formats/data/; each test says where its shape comes from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.formats import detect_and_parse, srt, vtt, whisper_json
from tasks.formats.whisper_json import times_in_milliseconds
from tasks.model import InputError, ParsedDocument
from tasks.segment import segment

DATA = Path(__file__).resolve().parent / "data"


def _fixture(name: str) -> ParsedDocument:
    doc = detect_and_parse((DATA / name).read_text(encoding="utf-8"), name)
    return doc


def _rows(doc: ParsedDocument) -> list[tuple[str | None, float | None, float | None, str]]:
    return [(s.speaker, s.start_s, s.end_s, s.text) for s in doc.segments]


def _turns(doc: ParsedDocument) -> list[str | None]:
    return [t.label for t in segment(doc).turns]


def _codes(doc: ParsedDocument) -> list[str]:
    return [f.code for f in doc.findings]


# --- JSON shapes ------------------------------------------------------------------------------


def test_whisper_pyannote_numbered_object_with_title() -> None:
    # Shape: a Whisper + pyannote script's dict keyed by turn number with a title beside it
    # ({"title", "0": {"speaker", "timestamp": [start, end], "text"}}), as in the brief and in
    # Jose-Sabater/whisper-pyannote usage.py (a dict of {start, end, speaker, text} per turn).
    doc = _fixture("whisper_pyannote_numbered.json")
    assert doc.format == "whisper_json" and doc.confidence == 0.95
    assert doc.title == "Ep 12. Rivers and Roads with Jane Doe"
    assert [s.speaker for s in doc.segments] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_01", "SPEAKER_00", "SPEAKER_01"]
    assert [(s.start_s, s.end_s) for s in doc.segments][:2] == [(0.0, 4.2), (4.2, 7.9)]
    assert doc.segments[0].text == "Welcome to Rivers and Roads. Today my guest is Jane Doe."
    assert _turns(doc) == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00", "SPEAKER_01"]
    assert _codes(doc) == []


def test_numbered_object_reports_keys_it_does_not_read() -> None:
    text = json.dumps(
        {
            "title": "T",
            "notes": {"a": "kept aside"},
            "0": {"speaker": "A1", "timestamp": [0, 2], "text": "Hello there."},
            "1": {"speaker": "B2", "timestamp": [2, 4], "text": "   "},
        }
    )
    doc = whisper_json.parse(text, "n.json")
    assert _rows(doc) == [("A1", 0.0, 2.0, "Hello there.")]
    assert sorted(_codes(doc)) == ["empty_cue", "unparsed_line"]  # the blank turn and the unread key


def test_assemblyai_utterances_in_milliseconds() -> None:
    # Shape: AssemblyAI transcript (rubydoc assemblyai TranscriptUtterance: start/end integer milliseconds,
    # speaker "A", "B", ...; LangChain AssemblyAI TranscriptWord example {"text": "Smoke", "start": 250,
    # "end": 650, "confidence": 0.97465, "speaker": ...}). The top-level "text" comes first, as AssemblyAI
    # writes it, so detection does not see "utterances" in its head.
    doc = _fixture("assemblyai_utterances.json")
    assert doc.format == "whisper_json"
    assert _rows(doc) == [
        ("Speaker A", 0.25, 6.35, "Smoke from hundreds of wildfires in Canada is triggering air quality alerts."),
        ("Speaker A", 6.7, 9.18, "So what is it about the conditions right now?"),
        ("Speaker B", 9.85, 11.42, "Well, there's a couple of things."),
        ("Speaker B", 11.5, 13.9, "The season has been pretty dry already."),
    ]
    assert doc.metadata["time_unit"] == "milliseconds (by speaking rate)"
    assert doc.language == "en_us"
    assert _turns(doc) == ["Speaker A", "Speaker B"]


def test_assemblyai_words_when_utterances_are_missing() -> None:
    # AssemblyAI without speaker_labels sends "utterances": null; the words still carry times (ms)
    data = json.loads((DATA / "assemblyai_utterances.json").read_text())
    data["utterances"] = None
    doc = detect_and_parse(json.dumps(data), "a.json")
    assert _rows(doc) == [("Speaker A", 0.25, 1.466, "Smoke from hundreds")]
    assert doc.metadata["variant"] == "words"


def test_deepgram_prefers_utterances() -> None:
    # Shape: Deepgram /v1/listen response with diarize, paragraphs and utterances
    # (developers.deepgram.com/docs/utterances, /docs/diarize, /docs/paragraphs).
    doc = _fixture("deepgram_diarized.json")
    assert doc.format == "whisper_json" and doc.metadata["variant"] == "deepgram_utterances"
    assert _rows(doc) == [
        ("Speaker 0", 0.08, 1.8, "Hello and welcome to the show."),
        ("Speaker 1", 2.4, 4.6, "Thanks for having me. Glad to be here."),
    ]
    assert _turns(doc) == ["Speaker 0", "Speaker 1"]


def test_deepgram_falls_back_to_paragraphs_then_words_then_transcript() -> None:
    data = json.loads((DATA / "deepgram_diarized.json").read_text())
    del data["results"]["utterances"]
    doc = detect_and_parse(json.dumps(data), "d.json")
    assert doc.metadata["variant"] == "deepgram_paragraphs"
    assert _rows(doc) == [
        ("Speaker 0", 0.08, 1.8, "Hello and welcome to the show."),
        ("Speaker 1", 2.4, 3.5, "Thanks for having me."),
        ("Speaker 1", 3.6, 4.6, "Glad to be here."),
    ]
    assert _turns(doc) == ["Speaker 0", "Speaker 1"]
    alt = data["results"]["channels"][0]["alternatives"][0]
    del alt["paragraphs"]
    doc = detect_and_parse(json.dumps(data), "d.json")
    assert doc.metadata["variant"] == "deepgram_words"
    assert _rows(doc) == [
        ("Speaker 0", 0.08, 1.8, "Hello and welcome to the show."),
        ("Speaker 1", 2.4, 4.6, "Thanks for having me. Glad to be here."),
    ]
    del alt["words"]
    doc = detect_and_parse(json.dumps(data), "d.json")
    assert doc.metadata["variant"] == "deepgram_transcript"
    assert _rows(doc) == [(None, None, None, "hello and welcome to the show thanks for having me glad to be here")]


def test_deepgram_multichannel_without_diarisation_names_channels() -> None:
    def channel(words: list[tuple[str, float, float]]) -> dict[str, Any]:
        return {
            "alternatives": [
                {
                    "transcript": " ".join(w for w, _, _ in words),
                    "words": [{"word": w.lower(), "start": s, "end": e, "punctuated_word": w} for w, s, e in words],
                }
            ]
        }

    data = {
        "metadata": {"channels": 2},
        "results": {"channels": [channel([("Hello.", 0.1, 0.6)]), channel([("Hi", 0.8, 1.0), ("there.", 1.0, 1.4)])]},
    }
    doc = detect_and_parse(json.dumps(data), "m.json")
    assert _rows(doc) == [("Channel 0", 0.1, 0.6, "Hello."), ("Channel 1", 0.8, 1.4, "Hi there.")]


def test_deepgram_channel_without_alternatives_is_reported() -> None:
    data = {"results": {"channels": [{"alternatives": []}, {"alternatives": [{"transcript": "Fine."}]}]}}
    doc = whisper_json.parse(json.dumps(data), "d.json")
    assert [s.text for s in doc.segments] == ["Fine."] and _codes(doc) == ["unparsed_line"]


def test_whisper_cpp_json_with_stereo_diarisation() -> None:
    # Shape: whisper.cpp `-oj -di` (ggerganov/whisper.cpp examples/main/main.cpp, output_json():
    # systeminfo, model, params, result.language, transcription[{timestamps{from,to}, offsets{from,to} in
    # ms, text, speaker "0"/"1"/"?"}]).
    doc = _fixture("whisper_cpp_diarize.json")
    assert doc.format == "whisper_json" and doc.metadata["variant"] == "whisper_cpp" and doc.language == "en"
    assert _rows(doc) == [
        ("Speaker 0", 0.0, 3.0, "Good morning, this is the news desk."),
        ("Speaker 1", 3.0, 5.5, "Morning. What do we have today?"),
        (None, 5.5, 8.24, "Mostly the weather."),  # "?": whisper.cpp could not tell
    ]
    assert _turns(doc) == ["Speaker 0", "Speaker 1"]


def test_whisper_cpp_offsets_are_milliseconds_and_tinydiarize_turns() -> None:
    data = json.loads((DATA / "whisper_cpp_diarize.json").read_text())
    for item in data["transcription"]:
        del item["timestamps"], item["speaker"]
    data["transcription"][0]["speaker_turn_next"] = True  # -tdrz: the next segment is another voice
    doc = whisper_json.parse(json.dumps(data), "w.json")
    assert [(s.start_s, s.end_s) for s in doc.segments] == [(0.0, 3.0), (3.0, 5.5), (5.5, 8.24)]
    assert [s.new_turn for s in doc.segments] == [False, True, False]
    assert doc.metadata["time_unit"] == "milliseconds (by field name)"
    assert len(segment(doc).turns) == 2


def test_revai_monologues() -> None:
    # Shape: Rev.ai transcript JSON (monologues[{speaker, speaker_info?{display_name}, elements[{type
    # text|punct, value, ts, end_ts, confidence}]}]), as the Rev.ai SDK typings declare it.
    doc = _fixture("revai_monologues.json")
    assert doc.format == "whisper_json"
    assert _rows(doc) == [("Speaker 0", 0.5, 1.4, "Hello everyone."), ("Ann Lee", 1.9, 2.6, "Hi there.")]
    assert _turns(doc) == ["Speaker 0", "Ann Lee"]


def test_whisperx_diarised_segments() -> None:
    # Shape: WhisperX after assign_word_speakers: segments[{start, end, text, speaker, words[...]}] and
    # word_segments; segments win.
    doc = _fixture("whisperx_diarized.json")
    assert doc.format == "whisper_json"
    assert [s.speaker for s in doc.segments] == ["SPEAKER_01", "SPEAKER_00", "SPEAKER_00"]
    assert doc.segments[1].start_s == pytest.approx(3.013)
    assert _turns(doc) == ["SPEAKER_01", "SPEAKER_00"]


@pytest.mark.parametrize(
    ("record", "speaker"),
    [
        ({"speaker": 2}, "Speaker 2"),
        ({"speaker": "B"}, "Speaker B"),
        ({"spk": "7"}, "Speaker 7"),
        ({"speaker": "?"}, None),
        ({"speaker": True}, None),
        ({"label": "Dr. Rao"}, "Dr. Rao"),
        ({"speaker": None, "name": "Ann"}, "Ann"),
    ],
)
def test_speaker_values(record: dict[str, Any], speaker: str | None) -> None:
    doc = whisper_json.parse(json.dumps([{**record, "start": 0.0, "end": 1.0, "text": "Hello."}]), "s.json")
    assert doc.segments[0].speaker == speaker


def test_bad_records_are_warned_never_dropped_silently() -> None:
    text = json.dumps(
        {
            "utterances": [
                {"speaker": "A", "start": 0, "end": 1500, "text": "Hello there, my friend."},
                {"speaker": "B", "start": 1600, "end": 2000, "text": ""},
                {"speaker": "B", "start": "soon", "end": 3000, "text": "Okay then."},
                {"speaker": "A"},
                "a bare string",
                {"speaker": "B", "start": 5000, "end": 4000, "text": "Backwards."},
                {"speaker": "A", "start": 4500, "end": 6000, "text": "Over you."},
            ]
        }
    )
    doc = whisper_json.parse(text, "u.json")
    assert _rows(doc) == [
        ("Speaker A", 0.0, 1.5, "Hello there, my friend."),
        ("Speaker B", None, 3.0, "Okay then."),
        (None, None, None, "a bare string"),
        ("Speaker B", 5.0, None, "Backwards."),
        ("Speaker A", 4.5, 6.0, "Over you."),  # overlapping speech between speakers is kept as given
    ]
    assert sorted(_codes(doc)) == [
        "cue_end_before_start",
        "empty_cue",
        "malformed_time",
        "unparsed_line",
        "unparsed_line",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"title": "Only a title"}', "unsupported_json"),
        ('{"utterances": [{"speaker": "A", "start": 0, "end": 1, "text": "  "}]}', "no_transcript_text"),
        ('{"results": {"channels": [{"alternatives": [{"transcript": ""}]}]}}', "no_transcript_text"),
    ],
)
def test_bad_diarised_files(text: str, code: str) -> None:
    with pytest.raises(InputError) as info:
        whisper_json.parse(text, "x.json")
    assert info.value.code == code


# --- milliseconds by content ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_words", "span", "integral", "expected"),
    [
        (70, 26700, True, True),  # AssemblyAI: 70 words over 26.7 s read as ms; 0.003 w/s read as s
        (1, 400, True, True),  # one word in 0.4 s
        (12, 26.7, False, False),  # seconds with decimals
        (12, 27, True, False),  # whole seconds, a normal rate
        (3, 60000, True, False),  # 3 words in a minute: implausible either way, stays seconds
        (0, 1000, True, False),
        (5, 0, True, False),
    ],
)
def test_times_in_milliseconds(n_words: int, span: float, integral: bool, expected: bool) -> None:
    assert times_in_milliseconds(n_words, span, integral) is expected


# --- property: every field-name set reads the same -------------------------------------------

_SECONDS_STARTS = ("start", "start_time", "startTime", "begin", "from", "offset", "ts")
_SECONDS_ENDS = ("end", "end_time", "endTime", "to", "stop", "end_ts")
_MS_STARTS = ("start_ms", "startMs")
_MS_ENDS = ("end_ms", "endMs")
_SPEAKER_FIELDS = ("speaker", "speaker_label", "speaker_id", "spk", "name", "label")
_TEXT_FIELDS = ("text", "transcript", "content", "sentence", "utterance", "words")
_TOP = (None, "segments", "utterances", "results", "transcription", "monologues", "paragraphs")
_SPEAKERS = ("SPEAKER_00", "SPEAKER_01", "Ann Lee", "Bob", "Speaker 2", "Dr. Rao")
_word = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=8)


@st.composite
def _records(draw: st.DrawFn) -> list[tuple[str, int, int, str]]:
    """(speaker, start_ms, end_ms, text) records, in order, at a human speaking rate."""
    out: list[tuple[str, int, int, str]] = []
    t = draw(st.integers(0, 5000))
    for _ in range(draw(st.integers(1, 12))):
        words = draw(st.lists(_word, min_size=1, max_size=12))
        duration = sum(draw(st.integers(250, 700)) for _ in words)
        out.append((draw(st.sampled_from(_SPEAKERS)), t, t + duration, " ".join(words)))
        t += duration + draw(st.integers(0, 3000))
    return out


@settings(max_examples=150, deadline=None)
@given(
    records=_records(),
    unit=st.sampled_from(["seconds", "ms_fields", "bare_ms"]),
    names=st.data(),
    top=st.sampled_from(_TOP),
)
def test_any_field_names_give_the_same_segments(
    records: list[tuple[str, int, int, str]], unit: str, names: st.DataObject, top: str | None
) -> None:
    start_key = names.draw(st.sampled_from(_MS_STARTS if unit == "ms_fields" else _SECONDS_STARTS))
    end_key = names.draw(st.sampled_from(_MS_ENDS if unit == "ms_fields" else _SECONDS_ENDS))
    speaker_key = names.draw(st.sampled_from(_SPEAKER_FIELDS))
    text_key = names.draw(st.sampled_from(_TEXT_FIELDS))

    def when(ms: int) -> float | int:
        return ms / 1000 if unit == "seconds" else ms

    items = [{speaker_key: spk, start_key: when(a), end_key: when(b), text_key: text} for spk, a, b, text in records]
    data: Any = items if top is None else {top: items}
    doc = detect_and_parse(json.dumps(data), "any.json")
    assert doc.format == "whisper_json"
    assert [s.speaker for s in doc.segments] == [r[0] for r in records]
    assert [s.text for s in doc.segments] == [r[3] for r in records]
    for seg, (_, a, b, _) in zip(doc.segments, records, strict=True):
        assert seg.start_s is not None and abs(seg.start_s - a / 1000) <= 0.001
        assert seg.end_s is not None and abs(seg.end_s - b / 1000) <= 0.001
    assert [f.code for f in doc.findings if f.code != "hallucination"] == []  # random words may loop


# --- speaker labels in caption cues -----------------------------------------------------------


def test_srt_bracketed_and_bare_speaker_labels() -> None:
    # Shape: SRT from Whisper + pyannote scripts and whisper-diarization tools, which prefix each cue with
    # "[SPEAKER_00]: " (some without the colon, some without brackets).
    doc = _fixture("speaker_labels.srt")
    assert doc.format == "srt"
    assert _rows(doc) == [
        ("SPEAKER_00", 1.0, 3.5, "Good evening and welcome."),
        ("SPEAKER_00", 3.5, 6.0, "Tonight we talk about bridges."),
        ("SPEAKER_01", 6.0, 8.0, "Thank you, it's good to be here."),
        ("SPEAKER_00", 8.0, 11.0, "Let's begin."),
    ]
    assert _turns(doc) == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]
    assert _codes(doc) == []


def test_vtt_broadcast_chevron_names() -> None:
    # Shape: broadcast (CEA-608 style) captions converted to WebVTT: ">> NAME: text" opens a speaker's
    # line, ">>" alone marks an unnamed new speaker.
    doc = _fixture("speaker_labels.vtt")
    assert doc.format == "webvtt"
    assert [s.speaker for s in doc.segments] == ["JANE DOE", "TOM REID", "JANE DOE", "TOM REID", None, "Speaker 3"]
    assert doc.segments[0].text == "Welcome back to the program."
    # the bare ">>" inside the fourth cue keeps its marker and starts a turn of its own, with no speaker
    assert [(s.text, s.start_s, s.end_s) for s in doc.segments[3:5]] == [
        ("Out on the coast.", 6.0, pytest.approx(6.6538, abs=1e-3)),  # 17 of 52 characters
        (">> Somebody in the audience shouts.", pytest.approx(6.6538, abs=1e-3), 8.0),
    ]
    assert _turns(doc) == ["JANE DOE", "TOM REID", "JANE DOE", "TOM REID", None, "Speaker 3"]


def test_caption_words_with_colons_are_not_speakers() -> None:
    doc = _fixture("not_speakers.srt")
    assert all(s.speaker is None for s in doc.segments)
    assert doc.segments[0].text == "Note: the recording starts late."
    assert [s.text.split(":")[0] for s in doc.segments[:6]] == ["Note", "So", "Step 1", "Warning", "Note", "Newton"]
    assert len(segment(doc).turns) == 2  # ">>" alone still marks a change


def _srt(*texts: str) -> str:
    return "".join(f"{i}\n00:00:{i:02d},000 --> 00:00:{i + 1:02d},000\n{t}\n\n" for i, t in enumerate(texts, 1))


def test_a_name_needs_two_cues_a_speaker_number_does_not() -> None:
    once = srt.parse(_srt("Jane Doe: Hello.", "And more."), "a.srt")
    assert [s.speaker for s in once.segments] == [None, None] and once.segments[0].text == "Jane Doe: Hello."
    twice = srt.parse(_srt("Jane Doe: Hello.", "Tom: Hi.", "Jane Doe: Bye."), "a.srt")
    # "Tom" is used once: left in the text, inside Jane Doe's turn
    assert _rows(twice) == [
        ("Jane Doe", 1.0, 2.0, "Hello."),
        (None, 2.0, 3.0, "Tom: Hi."),
        ("Jane Doe", 3.0, 4.0, "Bye."),
    ]
    number = srt.parse(_srt("Speaker 1: Hello.", "And more."), "a.srt")
    assert [s.speaker for s in number.segments] == ["Speaker 1", None] and number.segments[0].text == "Hello."


def test_caption_labels_mid_cue_split_the_time_and_label_only_cues_pass_on() -> None:
    doc = srt.parse(_srt("- ANN: Are you in?\n- BOB: I am.", "ANN:", "Good, then let's go.", "BOB: Fine."), "a.srt")
    assert _rows(doc) == [
        ("ANN", 1.0, 1.6875, "Are you in?"),  # 11 of the cue's 16 characters
        ("BOB", 1.6875, 2.0, "I am."),
        ("ANN", 3.0, 4.0, "Good, then let's go."),  # the label-only cue gave its speaker to the next one
        ("BOB", 4.0, 5.0, "Fine."),
    ]
    assert _turns(doc) == ["ANN", "BOB", "ANN", "BOB"] and _codes(doc) == []


def test_caption_non_speech_tags_and_vtt_voices_stay() -> None:
    doc = srt.parse(_srt("[Music]", "[SPEAKER_00] Hi.", "[Applause]: loud"), "a.srt")
    assert _rows(doc) == [
        (None, 1.0, 2.0, "[Music]"),
        ("SPEAKER_00", 2.0, 3.0, "Hi."),
        (None, 3.0, 4.0, "[Applause]: loud"),
    ]
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Bob: is that right?\n\n00:02.000 --> 00:03.000\n<v Ann>Bob: yes.\n"
    )
    voiced = vtt.parse(text, "v.vtt")
    assert [(s.speaker, s.text) for s in voiced.segments] == [("Ann", "Bob: is that right?"), ("Ann", "Bob: yes.")]


def test_a_trailing_label_only_cue_is_reported() -> None:
    doc = srt.parse(_srt("SPEAKER_00: Hello.", "SPEAKER_01:"), "a.srt")
    assert _rows(doc) == [("SPEAKER_00", 1.0, 2.0, "Hello.")] and _codes(doc) == ["empty_cue"]
