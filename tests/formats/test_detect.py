"""detect_and_parse scores every reader once and the document's confidence is the winning score."""

from __future__ import annotations

import pytest

import tasks.formats as formats
from tasks.formats import detect_and_parse, labelled, page_text

_SAMPLES = {
    "webvtt": ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there.\n", "a.vtt"),
    "srt": ("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n", "a.srt"),
    "whisper_cpp": ("[00:00:01.000 --> 00:00:02.000]  Hello there.\n", "a.txt"),
    "whisper_json": ('{"segments": [{"start": 1.0, "end": 2.0, "text": "Hello there."}]}', "a.json"),
    "whisper_page": ("back to index\n\nTitle\n\n00:00:01.000 | Hello there.\n", "a.txt"),
    "labelled_text": ("Ann (00:01): Hello there.\nBob (00:05): Hi.\n", "a.txt"),
}


@pytest.mark.parametrize("fmt", _SAMPLES)
def test_confidence_is_the_winning_sniff_score_and_each_reader_sniffs_once(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, name = _SAMPLES[fmt]
    calls: list[str] = []
    for reader in formats.READERS:

        def counted(text: str, name: str, _sniff=reader.sniff, _fmt=reader.FORMAT) -> float:
            calls.append(_fmt)
            return _sniff(text, name)

        monkeypatch.setattr(reader, "sniff", counted)
    scores = {reader.FORMAT: reader.sniff(text, name) for reader in formats.READERS}
    calls.clear()
    doc = detect_and_parse(text, name)
    assert doc.format == fmt
    assert doc.confidence == scores[fmt] == max(scores.values())
    assert sorted(calls) == sorted(r.FORMAT for r in formats.READERS), "a reader sniffed inside parse()"


def test_labelled_detects_its_variant_once() -> None:
    text = "Ann (00:01): Hello there.\nBob (00:05): Hi.\n"
    labelled._detect_head.cache_clear()
    doc = detect_and_parse(text, "a.txt")
    assert doc.metadata["variant"] == "header"
    assert labelled._detect_head.cache_info().misses == 1


def test_page_text_reports_its_own_confidence() -> None:
    # "Transcript" past the first 4000 characters: the sniff is unsure (0.6), the parsed page is not
    text = "Back to Index\n\nTitle\n\nChapters\n\n" + "0:0 A\n" * 800 + "\nTranscript\n\nHello there.\n"
    assert page_text.sniff(text, "x.txt") == 0.6
    doc = detect_and_parse(text, "x.txt")
    assert (doc.format, doc.confidence) == ("page_text", page_text.CONFIDENCE) == ("page_text", 0.9)


def test_a_missing_reader_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "_READER_MODULES", (*formats._READER_MODULES, "no_such_reader"))
    with pytest.raises(ModuleNotFoundError):
        formats._load()
