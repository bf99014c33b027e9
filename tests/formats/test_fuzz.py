"""Readers return a ParsedDocument or raise InputError: never anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.decode import decode
from tasks.formats import labelled, rttm, srt, vtt, whisper_cpp, whisper_json, whisper_page
from tasks.model import InputError, ParsedDocument

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
READERS = {
    vtt: "vtt/talkpython_000_tptm_introducing_the_show.vtt",
    srt: "edge_cases/pysrt_no-indexes.srt",
    whisper_cpp: "edge_cases/berean_whispercpp_tiny_JpH5bSpaK1c.txt",
    whisper_json: "edge_cases/whisper-timestamped_medium_auto_empty.mp3.words.json",
    labelled: "speaker_text/lenny_teaser_2021_transcript.md",
    whisper_page: "seed_format/berean_whisperpage_dfSYxc-5Eh8.txt",
    rttm: "diarized/ami_EN2002b.uem",
}
FUZZ = settings(max_examples=60)


def _check(reader, text: str) -> None:
    try:
        reader.sniff(text, "f.txt")
        doc = reader.parse(text, "f.txt")
    except InputError:
        return
    assert isinstance(doc, ParsedDocument)


@pytest.mark.parametrize("reader", list(READERS), ids=lambda r: r.FORMAT)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(reader, data: bytes) -> None:
    try:
        text = decode(data).text
    except InputError:
        return
    _check(reader, text)


@st.composite
def _mutations(draw, text: str) -> str:
    chars = list(text[:3000])
    for _ in range(draw(st.integers(0, 8))):
        if not chars:
            break
        op = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        i = draw(st.integers(0, len(chars) - 1))
        j = min(len(chars), i + draw(st.integers(1, 200)))
        if op == "delete":
            del chars[i:j]
        elif op == "insert":
            chars[i:i] = list(draw(st.text(st.sampled_from('0123456789:.,->[]{}"<>/ \nvWEBVT*'), max_size=40)))
        else:
            chars[i:i] = chars[i:j]
    return "".join(chars)


@pytest.mark.corpus
@pytest.mark.parametrize("reader", list(READERS), ids=lambda r: r.FORMAT)
@FUZZ
@given(data=st.data())
def test_mutated_corpus_files(reader, data) -> None:
    path = CORPUS / READERS[reader]
    if not path.exists():
        pytest.skip("corpus missing")
    text = decode(path.read_bytes()).text
    _check(reader, data.draw(_mutations(text)))
    # every reader also copes with every other format's content
    for other in READERS.values():
        if (CORPUS / other).exists():
            _check(reader, decode((CORPUS / other).read_bytes()).text)


# JSON values a hostile or broken tool may write anywhere: unpaired surrogates, numbers no float holds,
# non-finite numbers as strings, odd types where text or times belong.
_ODD_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["\ud800", "a\udfffb", "1e999", "-1", "NaN", "00:00:01,000", "", "\x00", "٣"])
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
_FIELDS = ("start", "end", "text", "speaker", "no_speech_prob", "words", "timestamp", "timestamps", "id", "word")
_HOSTILE_TEXT = st.lists(st.sampled_from(["hello", "\ud800", "\udfff", "there", "\x00", "٣", "1e999"]), min_size=1)
_SEGMENTS = st.lists(
    st.fixed_dictionaries(
        {"text": _HOSTILE_TEXT.map(" ".join), "start": _ODD_VALUES | st.floats(0, 100), "end": _ODD_VALUES},
        optional={f: _ODD_VALUES for f in _FIELDS if f not in ("text", "start", "end")},
    ),
    max_size=5,
)


@FUZZ
@given(
    top=st.sampled_from(["segments", "utterances", "words", "monologues", "transcription"]),
    segments=_SEGMENTS,
    extra=st.dictionaries(st.sampled_from(["text", "language", "title", "0", "1"]), _ODD_VALUES, max_size=3),
)
def test_hostile_json_is_read_or_refused_with_a_code_never_an_internal_error(top, segments, extra) -> None:
    import json

    from tasks.episode import build_episode
    from tests.episodes import WITH_PEOPLE

    data = json.dumps({top: segments, **extra}).encode()  # ensure_ascii: lone surrogates become "\ud800" escapes
    try:
        episode = build_episode(data, "hostile.json", WITH_PEOPLE)
    except InputError:
        return
    for frame in episode.tables().values():
        for column in frame.columns:
            if frame[column].dtype == __import__("polars").String:
                assert all(v is None or v.encode("utf-8") for v in frame[column].to_list())
