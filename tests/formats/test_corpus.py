"""Every corpus file, read through decode + detection, against a written-down expectation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tasks.decode import decode
from tasks.formats import detect_and_parse
from tasks.model import InputError

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# file -> (format, (min_segments, max_segments), distinct speakers, times given, finding codes) or error code.
# Page-text files belong to the page_text reader (written elsewhere): only detection is asserted.
E = dict
EXPECT: dict[str, dict] = {
    "diarized/ami_EN2002b.only_words.rttm": E(error="no_transcript_text"),
    "diarized/ami_EN2002b.uem": E(error="no_transcript_text"),
    "diarized/ami_ES2011a.word_and_vocalsounds.rttm": E(error="no_transcript_text"),
    "edge_cases/berean_whispercpp_empty_0W2j4qRRJsQ.txt": E(error="empty_file"),
    "edge_cases/berean_whispercpp_tiny_JpH5bSpaK1c.txt": E(fmt="whisper_cpp", n=(1, 1), spk=0, times=True, codes={}),
    "edge_cases/pysrt_bom-utf-16-le.srt": E(fmt="srt", n=(7, 7), spk=0, times=True, codes={}),
    "edge_cases/pysrt_no-indexes.srt": E(fmt="srt", n=(7, 7), spk=0, times=True, codes={}),
    "edge_cases/talkpython_214-Python-3-8-and-beyond.vtt": E(
        fmt="webvtt", n=(1081, 1081), spk=0, times=True, codes={"overlapping_cue": 2}
    ),
    "edge_cases/talkpython_539-catching-up-with-the-python-typing-council.vtt": E(
        fmt="webvtt", n=(3246, 3246), spk=0, times=True, codes={"empty_cue": 43}
    ),
    "edge_cases/webvtt-py_captions_with_bom.vtt": E(fmt="webvtt", n=(4, 4), spk=0, times=True, codes={}),
    "edge_cases/webvtt-py_youtube_dl.vtt": E(fmt="webvtt", n=(3, 3), spk=0, times=True, codes={}),
    "edge_cases/whisper-timestamped_medium_auto_empty.mp3.words.json": E(
        fmt="whisper_json", n=(1, 1), spk=0, times=True, codes={"hallucination": 1}
    ),
    "edge_cases/whisper-timestamped_tiny_fr_empty.mp3.words.json": E(error="no_transcript_text"),
    "seed_format/berean_transcript_JDLyxbfz8e8.txt": E(page=True),
    "seed_format/berean_transcript_JpH5bSpaK1c.txt": E(page=True),
    "seed_format/berean_transcript_dfSYxc-5Eh8.txt": E(page=True),
    "seed_format/berean_transcript_iTxkVey2aA0.txt": E(page=True),
    "seed_format/berean_transcript_wFaam7WLB7U.txt": E(page=True),
    "seed_format/transcript_BguOKnPoiws.txt": E(page=True),
    "seed_format/transcript_PYZSJN8sWME.txt": E(page=True),
    "seed_format/transcript_bEPYba4bxs8.txt": E(page=True),
    "seed_format/transcript_bUrCR4jQQg8.txt": E(page=True),
    "seed_format/berean_whisperpage_dfSYxc-5Eh8.txt": E(fmt="whisper_page", n=(255, 255), spk=0, times=True, codes={}),
    "speaker_text/changelog_go-time-100.md": E(fmt="labelled_text", n=(160, 180), spk=4, times=True, codes={}),
    "speaker_text/changelog_practical-ai-219.md": E(fmt="labelled_text", n=(70, 80), spk=3, times=True, codes={}),
    "speaker_text/congrec_CREC-2013-10-30-pt1-PgH6909.txt": E(
        fmt="labelled_text", n=(22, 22), spk=2, times=False, codes={}
    ),
    "speaker_text/deleeck_Hamilton Morris interviews Ethan Nadelmann.txt": E(
        fmt="labelled_text", n=(90, 90), spk=2, times=True, codes={}
    ),
    "speaker_text/lenny_teaser_2021_transcript.md": E(fmt="labelled_text", n=(16, 16), spk=2, times=True, codes={}),
    # the intro loops "The furlap around the storied Brands Hatch circuit." 14 times: a Whisper loop
    "speaker_text/talkpython_296-f1.txt": E(
        fmt="labelled_text", n=(1082, 1082), spk=1, times=True, codes={"hallucination": 13}
    ),
    "srt/3b1b_2024_harvey-mudd-speech_english_captions.srt": E(fmt="srt", n=(263, 263), spk=0, times=True, codes={}),
    "timestamped_txt/diarized-transcriber_sample-transcript.md": E(
        fmt="labelled_text", n=(12, 12), spk=0, times=True, codes={}
    ),
    "timestamped_txt/talkpython_000_tptm_introducing_the_show.txt": E(
        fmt="labelled_text", n=(52, 52), spk=0, times=True, codes={}
    ),
    "vtt/talkpython_000_tptm_introducing_the_show.vtt": E(fmt="webvtt", n=(52, 52), spk=0, times=True, codes={}),
    "vtt/talkpython_001_nicola_iarocci_talk_python_to_me.vtt": E(
        fmt="webvtt", n=(468, 468), spk=0, times=True, codes={"zero_length_cue": 2}
    ),
    "whisper_cpp_txt/berean_dfSYxc-5Eh8.txt": E(fmt="whisper_cpp", n=(255, 255), spk=0, times=True, codes={}),
    "whisper_json/3b1b_2024_harvey-mudd-speech_english_word_timings.json": E(
        fmt="whisper_json", n=(30, 120), spk=0, times=True, codes={}
    ),
    "whisper_json/whisper-timestamped_corner_cases_large_apollo11.mp3.words.json": E(
        fmt="whisper_json", n=(15, 15), spk=0, times=True, codes={}
    ),
}


def _read(rel: str):
    data = (CORPUS / rel).read_bytes()
    decoded = decode(data)
    return decoded, detect_and_parse(decoded.text, rel)


def test_table_covers_every_corpus_file(corpus: Path) -> None:
    files = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()} - {"SOURCES.md"}
    assert files - EXPECT.keys() == set(), "add the new corpus files to EXPECT"


@pytest.mark.corpus
@pytest.mark.parametrize("rel", sorted(EXPECT))
def test_corpus_file(rel: str, corpus: Path) -> None:
    exp = EXPECT[rel]
    if not (corpus / rel).exists():
        pytest.skip(f"{rel} missing")
    if "error" in exp:
        with pytest.raises(InputError) as info:
            _read(rel)
        assert info.value.code == exp["error"]
        return
    if exp.get("page"):
        try:
            _, doc = _read(rel)
        except InputError as exc:  # empty-transcript pages: the page_text reader decides
            assert exc.code == "no_transcript_text"
            return
        assert doc.format == "page_text"
        return
    decoded, doc = _read(rel)
    assert doc.format == exp["fmt"]
    lo, hi = exp["n"]
    assert lo <= len(doc.segments) <= hi, len(doc.segments)
    assert len({s.speaker for s in doc.segments if s.speaker}) == exp["spk"]
    assert any(s.start_s is not None for s in doc.segments) == exp["times"]
    got = Counter(f.code for f in (*decoded.findings, *doc.findings))
    assert dict(got) == exp["codes"]
    assert all(s.text.strip() for s in doc.segments)
    n_lines = decoded.text.count("\n") + 1
    assert all(1 <= s.line <= n_lines for s in doc.segments)
