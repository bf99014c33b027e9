"""JSON transcripts: OpenAI-Whisper / whisper-timestamped / WhisperX output (`text` + `segments`,
optional `words`, optional `speaker`), lists of `[word, start, end]` or `[sentence, start, end]`,
lists of segment objects, and diarised objects keyed by number (`{"0": {speaker, timestamp, text}}`).

Before `json.loads` the nesting depth is pre-scanned with a cap: the stdlib decoder recurses and
a file nested a million levels deep would otherwise escape as RecursionError.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tasks.formats import codes
from tasks.formats._cues import UNSCORED, Cue, Report, finish, head, require_text
from tasks.formats._guard import only_input_errors
from tasks.formats._time import CLOCK_OR_SECONDS, number_seconds, parse_clock
from tasks.model import InputError, ParsedDocument

FORMAT = "whisper_json"

MAX_DEPTH = 200
_STRUCT = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_STAMP = re.compile(CLOCK_OR_SECONDS)
# "[00:00:00.000 --> ...]" and "[Speaker 1 00:00]" also start with "[": require a JSON value after it
_JSON_START = re.compile(r'^(?:\{\s*(?:"|\})|\[\s*(?:[\[{"\]]|-?\d+(?:\.\d+)?\s*[,\]]|true|false|null))')
_SENTENCE_END = re.compile(r"[.?!…][\"')\]]*$")
# Word lists have no segment structure, so words are grouped at pauses and, once a group is long,
# at the next sentence-final word; grouping is not sentence splitting (that happens later).
_PAUSE_S = 1.0
_SOFT_MAX_S = 20.0
_HARD_MAX_S = 60.0


def sniff(text: str, name: str) -> float:
    h = head(text).lstrip("\ufeff").lstrip()
    if not h.startswith(("{", "[")):
        return 0.0
    if '"segments"' in h or re.match(r'\[\s*\[\s*"', h) or '"speaker"' in h or re.match(r'\{\s*"0"\s*:', h):
        return 0.95
    if '"text"' in h:
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


def _time(value: Any, report: Report, where: str) -> float | None:
    if value is None:
        return None
    t = number_seconds(value)
    if t is None:
        report.warn(codes.MALFORMED_TIME, f"unreadable time {str(value)[:40]!r}", where)
    return t


def _join_tokens(tokens: list[str]) -> str:
    # OpenAI word timestamps carry their own leading space (" Last", " year,"); other tools give
    # bare words. Concatenate the first kind, space-join the second.
    if any(t[:1].isspace() for t in tokens):
        return "".join(tokens).strip()
    return " ".join(t.strip() for t in tokens if t.strip())


def _speaker(obj: dict[str, Any]) -> str | None:
    for key in ("speaker", "speaker_label", "speaker_name", "spk", "name"):
        v = obj.get(key)
        if isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip():
            return str(v).strip()
    return None


def _seg_text(obj: dict[str, Any]) -> str | None:
    for key in ("text", "transcript", "sentence", "utterance"):
        v = obj.get(key)
        if isinstance(v, str):
            return v
    words = obj.get("words")
    if isinstance(words, list):
        toks = [w.get("text", w.get("word")) for w in words if isinstance(w, dict)]
        return _join_tokens([t for t in toks if isinstance(t, str)])
    return None


def _from_objects(items: list[Any], report: Report, label: str) -> list[Cue]:
    cues: list[Cue] = []
    prev_speaker: str | None = None
    for idx, obj in enumerate(items):
        where = f"{label} {idx}"
        if not isinstance(obj, dict):
            report.warn(codes.UNPARSED_LINE, f"{label} is not an object", where)
            if isinstance(obj, str) and obj.strip():
                cues.append(Cue(obj.strip(), label=where))
            continue
        text = _seg_text(obj)
        if text is None:
            report.warn(codes.UNPARSED_LINE, f"{label} has no text field", where)
            continue
        start, end = _time(obj.get("start"), report, where), _time(obj.get("end"), report, where)
        stamp = obj.get("timestamp", obj.get("timestamps", obj.get("time")))
        if start is None and stamp is not None:
            start, end = _stamp_pair(stamp, report, where)
        speaker = _speaker(obj)
        nsp = obj.get("no_speech_prob")
        cue = Cue(
            text.strip(),
            start,
            end,
            0,
            speaker,
            speaker is not None and speaker != prev_speaker,
            where,
            no_speech_prob=float(nsp) if isinstance(nsp, int | float) and not isinstance(nsp, bool) else None,
        )
        prev_speaker = speaker if speaker is not None else prev_speaker
        cues.append(cue)
    return cues


def _stamp_pair(stamp: Any, report: Report, where: str) -> tuple[float | None, float | None]:
    if isinstance(stamp, list | tuple):
        vals = [_time(v, report, where) for v in stamp[:2]]
        return ([*vals, None, None])[0], ([*vals, None, None])[1]
    if isinstance(stamp, dict):
        return _time(stamp.get("start"), report, where), _time(stamp.get("end"), report, where)
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return _time(stamp, report, where), None
    if isinstance(stamp, str):
        found = _STAMP.findall(stamp[:100])
        if not found:
            report.warn(codes.MALFORMED_TIME, f"unreadable timestamp {stamp[:40]!r}", where)
            return None, None
        times = [parse_clock(f) if ":" in f else float(f) for f in found[:2]]
        return times[0], times[1] if len(times) > 1 else None
    report.warn(codes.MALFORMED_TIME, "unreadable timestamp", where)
    return None, None


def _from_triples(items: list[Any], report: Report) -> tuple[list[Cue], str]:
    rows: list[tuple[str, float | None, float | None, int]] = []
    for idx, it in enumerate(items):
        where = f"item {idx}"
        if isinstance(it, list | tuple) and it and isinstance(it[0], str):
            start = _time(it[1], report, where) if len(it) > 1 else None
            end = _time(it[2], report, where) if len(it) > 2 else None
            rows.append((it[0], start, end, idx))
        elif isinstance(it, str) and it.strip():
            report.warn(codes.UNPARSED_LINE, "list item without times", where)
            rows.append((it, None, None, idx))
        else:
            report.warn(codes.UNPARSED_LINE, "list item is not [text, start, end]", where)
    multiword = sum(1 for r in rows if len(r[0].split()) > 2)
    if rows and multiword * 2 > len(rows):
        return [Cue(t.strip(), s, e, label=f"item {i}") for t, s, e, i in rows], "sentence_timings"
    cues: list[Cue] = []
    group: list[tuple[str, float | None, float | None, int]] = []

    def flush() -> None:
        if group:
            cues.append(
                Cue(
                    _join_tokens([g[0] for g in group]),
                    group[0][1],
                    group[-1][2],
                    label=f"words {group[0][3]}-{group[-1][3]}",
                )
            )
            group.clear()

    for row in rows:
        if group:
            last_end, first_start = group[-1][2], group[0][1]
            pause = row[1] is not None and last_end is not None and row[1] - last_end >= _PAUSE_S
            length = (last_end or 0.0) - (first_start or 0.0)
            sentence_end = _SENTENCE_END.search(group[-1][0].strip()) is not None
            if pause or length >= _HARD_MAX_S or (length >= _SOFT_MAX_S and sentence_end):
                flush()
        group.append(row)
    flush()
    return cues, "word_timings"


def _parse(text: str, name: str) -> ParsedDocument:
    data = _load(text.lstrip("\ufeff"))
    report = Report()
    metadata: dict[str, str] = {}
    language: str | None = None
    title: str | None = None
    if isinstance(data, dict):
        language = data["language"] if isinstance(data.get("language"), str) else None
        title = data["title"] if isinstance(data.get("title"), str) else None
        for key in ("id", "video_id", "youtube_id", "url", "model", "duration"):
            if isinstance(data.get(key), str | int | float) and not isinstance(data.get(key), bool):
                metadata[key] = str(data[key])
        segs = data.get("segments", data.get("utterances", data.get("results")))
        if isinstance(segs, list) and segs:
            cues = _from_objects(segs, report, "segment")
            metadata["variant"] = "whisper" if "segments" in data else "segments"
        elif isinstance(data.get("text"), str):
            cues = [Cue(data["text"].strip(), label="text")] if data["text"].strip() else []
            metadata["variant"] = "whisper"
        elif data and all(isinstance(k, str) and k.strip().isdigit() for k in data):
            ordered = [data[k] for k in sorted(data, key=lambda k: int(k.strip()))]
            cues = _from_objects(ordered, report, "entry")
            metadata["variant"] = "diarized"
        else:
            raise InputError(codes.UNSUPPORTED_JSON, "JSON object without 'segments', 'text' or numbered entries")
    elif isinstance(data, list):
        if not data:
            raise InputError(codes.NO_TRANSCRIPT_TEXT, "the JSON list is empty")
        if isinstance(data[0], list):
            cues, metadata["variant"] = _from_triples(data, report)
        elif isinstance(data[0], dict):
            cues = _from_objects(data, report, "segment")
            metadata["variant"] = "segments"
        else:
            raise InputError(codes.UNSUPPORTED_JSON, "JSON list of neither [text, start, end] nor objects")
    else:
        raise InputError(codes.UNSUPPORTED_JSON, f"JSON top level is a {type(data).__name__}, not a transcript")
    # JSON has no line structure worth pointing at; keep `line` at 1 so it is a valid location
    for c in cues:
        c.line = 1
    segments = finish(cues, report, repair=metadata.get("variant") != "diarized")
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


parse = only_input_errors("JSON", _parse, code=codes.UNSUPPORTED_JSON)
