"""JSON transcripts, recognised by their content (keys and shapes), whatever the file is called.

Shapes read, and where their field names were checked:

- OpenAI-Whisper / whisper-timestamped / WhisperX output: `text` + `segments`, optional `words`, optional
  `speaker`; lists of `[word, start, end]` or `[sentence, start, end]`; bare lists of segment objects.
- Diarised objects keyed by turn number beside other keys, as Whisper + pyannote scripts write them:
  `{"title": "...", "0": {"speaker": "SPEAKER_00", "timestamp": [0.0, 4.2], "text": "..."}, "1": ...}`
  (e.g. Jose-Sabater/whisper-pyannote `usage.py` iterates such a dict of {start, end, speaker, text}). The
  title becomes the document title; other keys holding data are reported, not silently skipped.
- Lists of speaker records under `segments`, `utterances`, `results`, `transcription`, `monologues` or
  `paragraphs` (or a bare list), with any field names of SPEAKER_KEYS / START_KEYS / END_KEYS / TEXT_KEYS.
- whisper.cpp `-oj`: `{"transcription": [{"timestamps": {"from": "00:00:00,000", "to": ...}, "offsets":
  {"from": 0, "to": 3000}, "text": ..., "speaker": "0"|"1"|"?" (with -di), "speaker_turn_next": bool (with
  -tdrz)}]}`; `offsets` are milliseconds (ggerganov/whisper.cpp examples/main/main.cpp, output_json()).
- AssemblyAI transcripts: `"utterances": [{"speaker": "A", "start": 250, "end": 26950, "text", "confidence",
  "words"}]` and top-level `"words": [{"text", "start", "end", "confidence", "speaker"}]`, times in integer
  milliseconds (AssemblyAI Ruby SDK, TranscriptUtterance: "start (Integer) The starting time, in milliseconds";
  speakers are "A", "B", ... for Speaker A, Speaker B; LangChain's AssemblyAI TranscriptWord example
  `{"text": "Smoke", "start": 250, "end": 650, ...}`). Milliseconds are recognised by content: see
  `times_in_milliseconds`.
- Deepgram `/v1/listen`: `{"metadata": {...}, "results": {"channels": [{"alternatives": [{"transcript",
  "words": [{"word", "start", "end", "confidence", "speaker", "speaker_confidence", "punctuated_word"}],
  "paragraphs": {"transcript", "paragraphs": [{"sentences": [{"text", "start", "end"}], "speaker",
  "num_words", "start", "end"}]}}]}], "utterances": [{"start", "end", "confidence", "channel", "transcript",
  "words", "speaker", "id"}]}}`, times in seconds (developers.deepgram.com/docs/utterances, /docs/diarize,
  /docs/paragraphs; the Deepgram OpenAPI Paragraph schema). Utterances are preferred, else paragraphs (one
  segment per sentence, with its paragraph's speaker), else words grouped by speaker, else the transcript.
- Rev.ai: `{"monologues": [{"speaker": 0, "speaker_info"?: {"display_name"}, "elements": [{"type": "text" |
  "punct", "value", "ts", "end_ts", "confidence"}]}]}`.

A speaker given as a bare number or letter (Deepgram's 0, AssemblyAI's "A", whisper.cpp's "1") is read as
"Speaker 0" / "Speaker A": a label, not a name. whisper.cpp's "?" means unknown and gives no speaker.
Records with speakers keep overlapping times as given (people talk over each other); other files have
their overlaps trimmed like caption cues.

Before `json.loads` the nesting depth is pre-scanned with a cap: the stdlib decoder recurses and
a file nested a million levels deep would otherwise escape as RecursionError.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tasks.formats import codes
from tasks.formats._cues import UNSCORED, Cue, Report, finish, head, require_text
from tasks.formats._guard import only_input_errors
from tasks.formats._time import CLOCK_OR_SECONDS, format_clock, number_seconds
from tasks.model import InputError, ParsedDocument

FORMAT = "whisper_json"

MAX_DEPTH = 200
_STRUCT = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_STAMP = re.compile(CLOCK_OR_SECONDS)
# "[00:00:00.000 --> ...]" and "[Speaker 1 00:00]" also start with "[": require a JSON value after it
_JSON_START = re.compile(r'^(?:\{\s*(?:"|\})|\[\s*(?:[\[{"\]]|-?\d+(?:\.\d+)?\s*[,\]]|true|false|null))')
_SENTENCE_END = re.compile(r"[.?!…][\"')\]]*$")
# Keys only transcript JSON uses; any of them in the head makes the file this reader's.
_TRANSCRIPT_KEYS = re.compile(
    r'"(?:segments|utterances|transcription|monologues|speaker|alternatives|paragraphs)"\s*:|"\d+"\s*:\s*\{'
)
# Word lists have no segment structure, so words are grouped at pauses and, once a group is long,
# at the next sentence-final word; grouping is not sentence splitting (that happens later).
_PAUSE_S = 1.0
_SOFT_MAX_S = 20.0
_HARD_MAX_S = 60.0

# Field names tools use for a record's speaker, times and text, in order of preference.
SPEAKER_KEYS = ("speaker", "speaker_label", "speaker_name", "speaker_id", "spk", "name", "label")
START_KEYS = (
    "start",
    "start_time",
    "startTime",
    "start_s",
    "start_sec",
    "start_seconds",
    "begin",
    "from",
    "offset",
    "ts",
    "start_ms",
    "startMs",
    "start_offset",
    "startOffset",
)
END_KEYS = (
    "end",
    "end_time",
    "endTime",
    "end_s",
    "end_sec",
    "end_seconds",
    "to",
    "stop",
    "stop_time",
    "end_ts",
    "end_ms",
    "endMs",
    "end_offset",
    "endOffset",
)
TEXT_KEYS = ("text", "transcript", "content", "sentence", "utterance", "words", "body")
# A [start, end] pair or {"start"/"from", "end"/"to"} object under one key; "offsets" is whisper.cpp's, in ms.
_PAIR_KEYS = ("timestamp", "timestamps", "time", "times", "timing", "offsets")
_WORD_TEXT_KEYS = ("punctuated_word", "text", "word", "value")
# Top-level keys holding the list of records, in order of preference (a list with speakers wins).
LIST_KEYS = ("segments", "utterances", "transcription", "monologues", "paragraphs", "results")
_METADATA_KEYS = ("id", "video_id", "youtube_id", "url", "model", "duration", "audio_duration")
_UNKNOWN_SPEAKERS = frozenset({"?", "unknown", "none", "null"})
_BARE_SPEAKER = re.compile(r"\d{1,4}|[A-Za-z]")

# --- milliseconds or seconds ------------------------------------------------------------------
# When the field names do not say (a key ending in _ms/Ms or whisper.cpp's "offsets" does), the unit is read
# from the speaking rate the times imply. People speak 1-6 words a second (conversation about 2.5, the
# fastest speakers 6-7); a file read in the wrong unit is off by a factor of 1000, so the two readings lie
# three orders of magnitude apart and generous bounds still separate them without overlap:
# - read as seconds, fewer than MS_IF_SECONDS_WPS_BELOW words a second is slower than any real speech,
#   even with long pauses inside segments;
# - read as milliseconds, the rate must then be human: within MS_PLAUSIBLE_WPS (1-6 widened on both sides
#   for pauses inside long utterances and the rounding of very short files, e.g. one word in 0.4 s).
# Only whole-number times qualify: every tool that writes milliseconds writes integers.
MS_IF_SECONDS_WPS_BELOW = 0.3
MS_PLAUSIBLE_WPS = (0.5, 8.0)


def times_in_milliseconds(n_words: int, span: float, integral: bool) -> bool:
    """True when `n_words` said over `span` time units (integral ones) are only plausible as milliseconds."""
    if not integral or span <= 0 or n_words <= 0:
        return False
    as_seconds = n_words / span
    as_milliseconds = n_words / (span / 1000.0)
    low, high = MS_PLAUSIBLE_WPS
    return as_seconds < MS_IF_SECONDS_WPS_BELOW and low <= as_milliseconds <= high


# A whole file that is one JSON scalar: null, true, 42, "a string" (a tool's empty or failed output).
_JSON_SCALAR = re.compile(r'null|true|false|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|"(?:[^"\\]|\\.)*"')


def sniff(text: str, name: str) -> float:
    h = head(text).lstrip("\ufeff").lstrip()
    if name.lower().endswith(".json") and len(text) < 4096 and _JSON_SCALAR.fullmatch(text.strip("\ufeff \t\r\n")):
        return 0.9  # parsed, then refused as unsupported_json: not a one-word episode
    if not h.startswith(("{", "[")):
        return 0.0
    if _TRANSCRIPT_KEYS.search(h) or re.match(r'\[\s*\[\s*"', h) or re.match(r'\{\s*"0"\s*:', h):
        return 0.95
    if '"text"' in h or '"transcript"' in h:
        return 0.8
    if name.lower().endswith(".json") or _JSON_START.match(h):
        return 0.5
    return 0.0


def _check_depth(text: str) -> None:
    depth = 0
    for m in _STRUCT.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    codes.JSON_TOO_DEEP,
                    f"JSON nests deeper than {MAX_DEPTH} levels (at character {m.start()})",
                    f"char {m.start()}",
                )
        elif ch in "]}":
            depth -= 1


def _load(text: str) -> Any:
    _check_depth(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = f"line {exc.lineno}"
        if exc.pos >= len(text.rstrip()) - 1 or "Unterminated string" in exc.msg:
            raise InputError(codes.TRUNCATED_JSON, f"JSON ends early: {exc.msg} at {line}", line) from None
        raise InputError(codes.MALFORMED_JSON, f"invalid JSON: {exc.msg} at {line} column {exc.colno}", line) from None
    except (RecursionError, ValueError) as exc:
        raise InputError(codes.MALFORMED_JSON, f"invalid JSON: {type(exc).__name__}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(data: Any) -> tuple[Any, int]:
    """The JSON value with every unpaired surrogate (JSON's "\\ud800" alone decodes to one) as U+FFFD, and
    how many there were: no UTF-8 text, and so no Parquet or terminal, can hold them."""
    if isinstance(data, str):
        fixed, n = _SURROGATE.subn("\ufffd", data)
        return fixed, n
    if isinstance(data, list):
        items = [_without_lone_surrogates(v) for v in data]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(data, dict):
        pairs = [(_without_lone_surrogates(k), _without_lone_surrogates(v)) for k, v in data.items()]
        return {k: v for (k, _), (v, _) in pairs}, sum(a + b for (_, a), (_, b) in pairs)
    return data, 0


# --- records ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Rec:
    """One record (segment, utterance, sentence or word) as read, before its time unit is settled."""

    text: str
    start: float | None
    end: float | None
    unit: str | None  # "ms" (the field says so), "s" (a clock string) or None (a bare number)
    integral: bool  # every bare number among its times is a whole number
    where: str
    speaker: str | None = None
    no_speech_prob: float | None = None
    turn_next: bool = False  # whisper.cpp -tdrz: the next segment is another speaker's


def _probability(v: Any) -> float | None:
    """A probability as written (0 to 1), or None for anything else (a string, 1e999, an int no float holds)."""
    if not _is_number(v) or not -1e300 < v < 1e300:
        return None
    p = float(v)
    return p if 0.0 <= p <= 1.0 else None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class _Times:
    """Reads times for one record, remembering their unit and whether bare numbers were whole."""

    def __init__(self, report: Report, where: str) -> None:
        self.report, self.where = report, where
        self.unit: str | None = None
        self.integral = True

    def read(self, value: Any, ms: bool = False) -> float | None:
        if value is None:
            return None
        t = number_seconds(value)
        if t is None:
            self.report.warn(codes.MALFORMED_TIME, f"unreadable time {str(value)[:40]!r}", self.where)
            return None
        if ms:
            self.unit = "ms"
        elif isinstance(value, str) and ":" in value:
            self.unit = self.unit or "s"
        else:
            number = float(value) if _is_number(value) else t
            self.integral = self.integral and float(number).is_integer()
        return t

    def pair(self, stamp: Any, ms: bool) -> tuple[float | None, float | None]:
        if isinstance(stamp, list | tuple):
            vals = [self.read(v, ms) for v in stamp[:2]]
            return ([*vals, None, None])[0], ([*vals, None, None])[1]
        if isinstance(stamp, dict):
            start = _first(stamp, ("start", "from", "begin"))
            end = _first(stamp, ("end", "to", "stop"))
            return self.read(start, ms), self.read(end, ms)
        if _is_number(stamp):
            return self.read(stamp, ms), None
        if isinstance(stamp, str):
            found = _STAMP.findall(stamp[:100])
            if not found:
                self.report.warn(codes.MALFORMED_TIME, f"unreadable timestamp {stamp[:40]!r}", self.where)
                return None, None
            times = [self.read(f, ms) if ":" in f else self.read(float(f), ms) for f in found[:2]]
            return times[0], times[1] if len(times) > 1 else None
        self.report.warn(codes.MALFORMED_TIME, "unreadable timestamp", self.where)
        return None, None


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((obj[k] for k in keys if obj.get(k) is not None), None)


def _first_key(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if obj.get(k) is not None), None)


def _is_ms_key(key: str) -> bool:
    return key.endswith(("_ms", "Ms"))


def speaker_label(value: Any) -> str | None:
    """The speaker a JSON value names: bare numbers and letters become "Speaker N"; "?" is no speaker."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return f"Speaker {value}"
    if not isinstance(value, str):
        return None
    s = " ".join(value.split())
    if not s or s.lower() in _UNKNOWN_SPEAKERS:
        return None
    return f"Speaker {s}" if _BARE_SPEAKER.fullmatch(s) else s


def _speaker(obj: dict[str, Any]) -> str | None:
    info = obj.get("speaker_info")
    if isinstance(info, dict) and isinstance(info.get("display_name"), str) and info["display_name"].strip():
        return info["display_name"].strip()  # Rev.ai names a speaker here when it knows them
    for key in SPEAKER_KEYS:
        label = speaker_label(obj.get(key))
        if label is not None:
            return label
    return None


def _join_tokens(tokens: list[str]) -> str:
    # OpenAI word timestamps carry their own leading space (" Last", " year,"); other tools give
    # bare words. Concatenate the first kind, space-join the second.
    if any(t[:1].isspace() for t in tokens):
        return "".join(tokens).strip()
    return " ".join(t.strip() for t in tokens if t.strip())


def _token(word: Any) -> str | None:
    if isinstance(word, str):
        return word
    if isinstance(word, dict):
        v = _first(word, _WORD_TEXT_KEYS)
        return v if isinstance(v, str) else None
    return None


def _elements_text(elements: list[Any]) -> str:
    # Rev.ai: "text" elements are words, "punct" elements carry the spaces and punctuation between them
    values: list[str] = [e["value"] for e in elements if isinstance(e, dict) and isinstance(e.get("value"), str)]
    if any(isinstance(e, dict) and e.get("type") == "punct" for e in elements):
        return "".join(values).strip()
    return _join_tokens(values)


def _text(obj: dict[str, Any]) -> str | None:
    for key in TEXT_KEYS:
        v = obj.get(key)
        if isinstance(v, str):
            return v
    for key in ("words", "elements"):
        v = obj.get(key)
        if isinstance(v, list) and v:
            if key == "elements":
                return _elements_text(v)
            return _join_tokens([t for t in map(_token, v) if t is not None])
    return None


def _inner_span(obj: dict[str, Any], times: _Times) -> tuple[float | None, float | None]:
    """The first start and last end of a record's words or elements, for records that give none."""
    items = obj.get("words") if isinstance(obj.get("words"), list) else obj.get("elements")
    if not isinstance(items, list):
        return None, None
    timed = [w for w in items if isinstance(w, dict) and _first_key(w, START_KEYS) is not None]
    if not timed:
        return None, None
    k0 = _first_key(timed[0], START_KEYS)
    k1 = _first_key(timed[-1], END_KEYS)
    assert k0 is not None
    start = times.read(timed[0][k0], _is_ms_key(k0))
    end = times.read(timed[-1][k1], _is_ms_key(k1)) if k1 else None
    return start, end


def _record(obj: dict[str, Any], text: str, report: Report, where: str, speaker: str | None) -> _Rec:
    times = _Times(report, where)
    start = end = None
    k0, k1 = _first_key(obj, START_KEYS), _first_key(obj, END_KEYS)
    if k0 is not None:
        start = times.read(obj[k0], _is_ms_key(k0))
    if k1 is not None:
        end = times.read(obj[k1], _is_ms_key(k1))
    if start is None and end is None:
        pair_key = _first_key(obj, _PAIR_KEYS)
        if pair_key is not None:
            start, end = times.pair(obj[pair_key], ms=pair_key == "offsets")
        else:
            start, end = _inner_span(obj, times)
    if end is None and start is not None and _is_number(obj.get("duration")):
        dur = times.read(obj["duration"], _is_ms_key(k0 or ""))
        end = start + dur if dur is not None else None
    nsp = obj.get("no_speech_prob")
    return _Rec(
        text.strip(),
        start,
        end,
        times.unit,
        times.integral,
        where,
        speaker,
        _probability(nsp),
        obj.get("speaker_turn_next") is True,
    )


def _records(items: list[Any], report: Report, label: str, speaker: str | None = None) -> list[_Rec]:
    """Records from a list of objects; a record with `sentences` and no text gives one record per sentence."""
    recs: list[_Rec] = []
    for idx, obj in enumerate(items):
        where = f"{label} {idx}"
        if not isinstance(obj, dict):
            report.warn(codes.UNPARSED_LINE, f"{label} is not an object", where)
            if isinstance(obj, str) and obj.strip():
                recs.append(_Rec(obj.strip(), None, None, None, True, where))
            continue
        own = _speaker(obj) or speaker
        text = _text(obj)
        sentences = obj.get("sentences")
        if text is None and isinstance(sentences, list):
            if not sentences:
                report.warn(codes.EMPTY_CUE, f"{label} has no sentences; nothing to read", where)
            recs.extend(_records(sentences, report, f"{where} sentence", own))
            continue
        if text is None:
            report.warn(codes.UNPARSED_LINE, f"{label} has no text field", where)
            continue
        rec = _record(obj, text, report, where, own)
        if not rec.text:
            span = f"{format_clock(rec.start)} --> {format_clock(rec.end)}"
            report.warn(codes.EMPTY_CUE, f"dropped {label} {span} without text", where)
            continue
        recs.append(rec)
    return recs


def _settle_units(recs: list[_Rec], metadata: dict[str, str]) -> None:
    """Convert milliseconds to seconds: where the field says so, or where the speaking rate does."""
    bare = [r for r in recs if r.unit is None and (r.start is not None or r.end is not None)]
    n_words = sum(len(r.text.split()) for r in bare)
    spans = [r.end - r.start for r in bare if r.start is not None and r.end is not None and r.end > r.start]
    if len(spans) * 2 >= len(bare):
        span = sum(spans)
    else:
        points = [t for r in bare for t in (r.start, r.end) if t is not None]
        span = max(points, default=0.0) - min(points, default=0.0)
    by_rate = times_in_milliseconds(n_words, span, all(r.integral for r in bare))
    if by_rate:
        metadata["time_unit"] = "milliseconds (by speaking rate)"
    elif any(r.unit == "ms" for r in recs):
        metadata["time_unit"] = "milliseconds (by field name)"
    for r in recs:
        if r.unit == "ms" or (r.unit is None and by_rate):
            r.start = round(r.start / 1000.0, 6) if r.start is not None else None
            r.end = round(r.end / 1000.0, 6) if r.end is not None else None


def _cues(recs: list[_Rec], metadata: dict[str, str]) -> list[Cue]:
    """One cue per record."""
    _settle_units(recs, metadata)
    cues: list[Cue] = []
    turn_next = False
    for r in recs:
        cues.append(Cue(r.text, r.start, r.end, 0, r.speaker, turn_next, r.where, no_speech_prob=r.no_speech_prob))
        turn_next = r.turn_next
    return cues


def _grouped(recs: list[_Rec], metadata: dict[str, str], label: str = "words") -> list[Cue]:
    """Words grouped into cues at speaker changes, pauses and, once a group is long, sentence ends."""
    _settle_units(recs, metadata)
    cues: list[Cue] = []
    group: list[_Rec] = []

    def flush() -> None:
        if group:
            first, last = group[0].where.rsplit(" ", 1)[-1], group[-1].where.rsplit(" ", 1)[-1]
            text = _join_tokens([g.text for g in group])
            cues.append(Cue(text, group[0].start, group[-1].end, 0, group[0].speaker, label=f"{label} {first}-{last}"))
            group.clear()

    for rec in recs:
        if group:
            last_end, first_start = group[-1].end, group[0].start
            pause = rec.start is not None and last_end is not None and rec.start - last_end >= _PAUSE_S
            length = (last_end or 0.0) - (first_start or 0.0)
            sentence_end = _SENTENCE_END.search(group[-1].text.strip()) is not None
            other_voice = rec.speaker != group[-1].speaker
            if other_voice or pause or length >= _HARD_MAX_S or (length >= _SOFT_MAX_S and sentence_end):
                flush()
        group.append(rec)
    flush()
    return cues


def _word_records(words: list[Any], report: Report, label: str = "word") -> list[_Rec]:
    recs: list[_Rec] = []
    for idx, w in enumerate(words):
        where = f"{label} {idx}"
        tok = _token(w)
        if not isinstance(w, dict) or tok is None:
            report.warn(codes.UNPARSED_LINE, f"{label} without text", where)
            continue
        if not tok.strip():
            report.warn(codes.EMPTY_CUE, f"dropped {label} without text", where)
            continue
        recs.append(_record(w, tok, report, where, _speaker(w)))
        recs[-1].text = tok  # keep the leading space OpenAI tokens carry for joining
    return recs


def _from_triples(items: list[Any], report: Report, metadata: dict[str, str]) -> tuple[list[Cue], str]:
    recs: list[_Rec] = []
    for idx, it in enumerate(items):
        where = f"item {idx}"
        if isinstance(it, list | tuple) and it and isinstance(it[0], str):
            times = _Times(report, where)
            start = times.read(it[1]) if len(it) > 1 else None
            end = times.read(it[2]) if len(it) > 2 else None
            recs.append(_Rec(it[0], start, end, times.unit, times.integral, where))
        elif isinstance(it, str) and it.strip():
            report.warn(codes.UNPARSED_LINE, "list item without times", where)
            recs.append(_Rec(it, None, None, None, True, where))
        else:
            report.warn(codes.UNPARSED_LINE, "list item is not [text, start, end]", where)
    multiword = sum(1 for r in recs if len(r.text.split()) > 2)
    if recs and multiword * 2 > len(recs):
        for r in recs:
            r.text = r.text.strip()
        return _cues(recs, metadata), "sentence_timings"
    return _grouped(recs, metadata), "word_timings"


# --- Deepgram ---------------------------------------------------------------------------------


def _deepgram(results: dict[str, Any], report: Report, metadata: dict[str, str]) -> list[Cue] | None:
    """Cues from a Deepgram `results` object; None when it is not one."""
    channels = results.get("channels")
    n_channels = len(channels) if isinstance(channels, list) else 0
    utterances = results.get("utterances")
    if isinstance(utterances, list) and utterances:
        if n_channels > 1:  # several channels without diarisation: the channel is the voice
            utterances = [
                {**u, "speaker": f"Channel {u['channel']}"}
                if isinstance(u, dict) and _speaker(u) is None and isinstance(u.get("channel"), int)
                else u
                for u in utterances
            ]
        recs = _records(utterances, report, "utterance")
        metadata["variant"] = "deepgram_utterances"
        return _cues(recs, metadata)
    if not isinstance(channels, list) or not channels:
        return None
    cues: list[Cue] = []
    kinds: list[str] = []
    for ci, channel in enumerate(channels):
        where = f"channel {ci}"
        alts = channel.get("alternatives") if isinstance(channel, dict) else None
        if not isinstance(alts, list) or not alts or not isinstance(alts[0], dict):
            report.warn(codes.UNPARSED_LINE, "channel without alternatives", where)
            continue
        alt = alts[0]
        voice = f"Channel {ci}" if n_channels > 1 else None
        paragraphs = alt.get("paragraphs")
        paras = paragraphs.get("paragraphs") if isinstance(paragraphs, dict) else paragraphs
        words = alt.get("words")
        if isinstance(paras, list) and paras:
            got = _cues(_records(paras, report, f"{where} paragraph", voice), metadata)
            kinds.append("paragraphs")
        elif isinstance(words, list) and words:
            recs = _word_records(words, report, f"{where} word")
            for r in recs:
                r.speaker = r.speaker or voice
            got = _grouped(recs, metadata, f"{where} words")
            kinds.append("words")
        elif isinstance(alt.get("transcript"), str) and alt["transcript"].strip():
            got = [Cue(alt["transcript"].strip(), speaker=voice, label=f"{where} transcript")]
            kinds.append("transcript")
        else:
            report.warn(codes.EMPTY_CUE, "channel holds no transcript", where)
            continue
        cues.extend(got)
    if n_channels > 1:
        cues.sort(key=lambda c: (c.start is None, c.start or 0.0))
    metadata["variant"] = "deepgram_" + (kinds[0] if len(set(kinds)) == 1 else "mixed") if kinds else "deepgram"
    return cues


# --- parse ------------------------------------------------------------------------------------


def _record_list(data: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """The top-level list of records, preferring one whose records name speakers."""
    found: list[tuple[str, list[Any]]] = []
    for key in LIST_KEYS:
        value = data.get(key)
        if isinstance(value, dict) and isinstance(value.get(key), list):
            value = value[key]  # {"paragraphs": {"paragraphs": [...]}}
        if isinstance(value, list) and value:
            found.append((key, value))
    for key, value in found:
        if any(isinstance(v, dict) and _speaker(v) is not None for v in value[:50]):
            return key, value
    return found[0] if found else None


def _numbered(data: dict[str, Any], report: Report) -> list[Any] | None:
    keys = [k for k in data if k.strip().isdigit() and isinstance(data[k], dict)]
    if not keys:
        return None
    for k, v in data.items():
        if k in keys or k in ("title", "language", *_METADATA_KEYS):
            continue
        if (isinstance(v, dict | list) and v) or (k.strip().isdigit() and v not in (None, "")):
            where = f"key {k[:40]}"
            report.warn(codes.UNPARSED_LINE, f"key {k[:40]!r} beside the numbered turns was not read", where)
    return [data[k] for k in sorted(keys, key=lambda k: int(k.strip()))]


def _language(data: dict[str, Any]) -> str | None:
    for value in (data.get("language"), data.get("language_code")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    result = data.get("result")
    if isinstance(result, dict) and isinstance(result.get("language"), str):
        return result["language"]  # whisper.cpp
    return None


def _parse(text: str, name: str) -> ParsedDocument:
    data = _load(text.lstrip("\ufeff"))
    report = Report()
    data, replaced = _without_lone_surrogates(data)
    if replaced:
        report.warn(codes.INVALID_UNICODE, f"{replaced} unpaired surrogate escapes (\\ud800-\\udfff) became U+FFFD")
    metadata: dict[str, str] = {}
    language: str | None = None
    title: str | None = None
    trim_overlaps = True
    if isinstance(data, dict):
        language = _language(data)
        title = (data["title"].strip() or None) if isinstance(data.get("title"), str) else None
        for key in _METADATA_KEYS:
            if isinstance(data.get(key), str | int | float) and not isinstance(data.get(key), bool):
                metadata[key] = str(data[key])
        deepgram = _deepgram(data["results"], report, metadata) if isinstance(data.get("results"), dict) else None
        listed = _record_list(data) if deepgram is None else None
        numbered = _numbered(data, report) if deepgram is None and listed is None else None
        words = data.get("words")
        if deepgram is not None:
            cues = deepgram
        elif listed is not None:
            key, items = listed
            cues = _cues(_records(items, report, "segment"), metadata)
            metadata["variant"] = {"segments": "whisper", "transcription": "whisper_cpp", "results": "segments"}.get(
                key, key
            )
        elif numbered is not None:
            cues = _cues(_records(numbered, report, "entry"), metadata)
            metadata["variant"] = "diarized"
            trim_overlaps = False
        elif isinstance(words, list) and words and any(isinstance(w, dict) for w in words):
            cues = _grouped(_word_records(words, report), metadata)
            metadata["variant"] = "words"
        elif isinstance(data.get("text"), str):
            cues = [Cue(data["text"].strip(), label="text")] if data["text"].strip() else []
            metadata["variant"] = "whisper"
        else:
            raise InputError(
                codes.UNSUPPORTED_JSON,
                "JSON object without 'segments', 'utterances', 'text', numbered entries or another transcript list",
            )
    elif isinstance(data, list):
        if not data:
            raise InputError(codes.NO_TRANSCRIPT_TEXT, "the JSON list is empty")
        if isinstance(data[0], list):
            cues, metadata["variant"] = _from_triples(data, report, metadata)
        elif isinstance(data[0], dict):
            cues = _cues(_records(data, report, "segment"), metadata)
            metadata["variant"] = "segments"
        else:
            raise InputError(codes.UNSUPPORTED_JSON, "JSON list of neither [text, start, end] nor objects")
    else:
        raise InputError(codes.UNSUPPORTED_JSON, f"JSON top level is a {type(data).__name__}, not a transcript")
    # JSON has no line structure worth pointing at; keep `line` at 1 so it is a valid location
    prev_speaker: str | None = None
    for c in cues:
        c.line = 1
        c.new_turn = c.new_turn or (c.speaker is not None and c.speaker != prev_speaker)
        prev_speaker = c.speaker if c.speaker is not None else prev_speaker
    if any(c.speaker is not None for c in cues):
        trim_overlaps = False  # diarised records overlap where people talk over each other
    if not trim_overlaps:
        _check_times(cues, report)
    segments = finish(cues, report, repair=trim_overlaps)
    require_text(segments, "this JSON transcript")
    source_id = metadata.get("youtube_id") or metadata.get("video_id")
    return ParsedDocument(
        format=FORMAT,
        confidence=UNSCORED,
        segments=segments,
        title=title,
        metadata=metadata,
        findings=report.findings(),
        source_id=source_id,
        language=language,
    )


def _check_times(cues: list[Cue], report: Report) -> None:
    """The time checks of cue repair, without trimming overlaps (diarised records may overlap)."""
    for c in cues:
        if c.start is not None and c.end is not None and c.end < c.start:
            span = f"{format_clock(c.start)} --> {format_clock(c.end)}"
            report.warn(codes.CUE_END_BEFORE_START, f"segment {span} ends before it starts; end dropped", c.where())
            c.end = None


parse = only_input_errors("JSON", _parse, code=codes.UNSUPPORTED_JSON)
