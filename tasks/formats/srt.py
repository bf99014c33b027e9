"""SubRip reader: with or without cue indexes (index 0 included), comma or dot milliseconds,
trailing spaces, missing blank lines, basic <i>/<b>/<font> and {\\an8} markup, and speaker labels at the
start of cues ("[SPEAKER_01]:", "Speaker 1:", ">> NAME:", "Name Surname:"; see _cues.take_speaker_labels)."""

from __future__ import annotations

import html
import re

from tasks.formats import codes
from tasks.formats._cues import (
    UNSCORED,
    Cue,
    Report,
    finish,
    head,
    require_text,
    split_lines,
    take_speaker_labels,
)
from tasks.formats._guard import only_input_errors
from tasks.formats._time import SRT_CLOCK, parse_clock
from tasks.formats.vtt import join_cue_lines
from tasks.model import ParsedDocument

FORMAT = "srt"

TIMING = re.compile(rf"^\s*({SRT_CLOCK})\s*-->\s*({SRT_CLOCK})(?:\s+.*)?$")
_TIMING_LOOSE = re.compile(r"^\s*(\S{1,40})\s*-{1,2}>\s*(\S{1,40})")
_INDEX = re.compile(r"^\s*\d{1,9}\s*$")
# Formatting markup only: "<MUSIC>"-style non-speech tags are text and stay for the cleaner.
_MARKUP = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^<>\n]*)?>|\{\\[^{}\n]{0,40}\}", re.IGNORECASE)


def sniff(text: str, name: str) -> float:
    lines = head(text).lstrip("\ufeff").split("\n")[:60]
    timings = [i for i, ln in enumerate(lines) if TIMING.match(ln)]
    if any(ln.startswith("WEBVTT") for ln in lines[:1]):
        return 0.0
    if not timings:
        # Cue timings no clock grammar reads ("-00:00:01,000 --> -00:00:02,000"): still SRT's shape, so the
        # reader keeps the cues and warns about each timing, rather than the file passing for plain text.
        loose = [i for i, ln in enumerate(lines) if "-->" in ln and _TIMING_LOOSE.match(ln)]
        after_index = [i for i in loose if i > 0 and _INDEX.match(lines[i - 1])]
        return 0.6 if len(loose) >= 2 and len(after_index) * 2 >= len(loose) else 0.0
    first = timings[0]
    indexed = first > 0 and _INDEX.match(lines[first - 1]) is not None
    # the first timing must be at the top (after an optional index): SRT has no header
    if first > (1 if indexed else 0) and any(ln.strip() for ln in lines[: first - (1 if indexed else 0)]):
        return 0.3 if name.lower().endswith(".srt") else 0.0
    comma = "," in lines[first].split("-->")[0]
    score = 0.9 if (indexed or comma) else 0.7
    return min(1.0, score + (0.05 if name.lower().endswith(".srt") else 0.0))


def _clean(line: str) -> str:
    text = _MARKUP.sub("", line.rstrip())
    return (html.unescape(text) if "&" in text else text).strip()


def _clock(value: str) -> float | None:
    # some tools write "00:00:01:500"; treat the last colon as the millisecond separator
    if value.count(":") == 3:
        value = value[: value.rfind(":")] + "." + value[value.rfind(":") + 1 :]
    return parse_clock(value)


def _parse(text: str, name: str) -> ParsedDocument:
    lines = split_lines(text.lstrip("\ufeff"))
    report = Report()
    cues: list[Cue] = []
    n = len(lines)
    i = 0
    cue_no = 0
    while i < n:
        stripped = lines[i].strip()
        if not stripped:
            i += 1
            continue
        index = ""
        if _INDEX.match(stripped) and i + 1 < n and "-->" in lines[i + 1]:
            index = stripped
            i += 1
        m = TIMING.match(lines[i])
        if m is None and not ("-->" in lines[i] and _TIMING_LOOSE.match(lines[i])):
            report.warn(codes.UNPARSED_LINE, f"text outside any cue: {stripped[:80]!r}", f"line {i + 1}")
            cues.append(Cue(_clean(lines[i]), line=i + 1, label=f"line {i + 1}"))
            i += 1
            continue
        if m is None:
            report.warn(codes.MALFORMED_TIME, f"unreadable cue timing {lines[i].strip()[:80]!r}", f"line {i + 1}")
            start = end = None
        else:
            start, end = _clock(m.group(1)), _clock(m.group(2))
        cue_no += 1
        timing_line = i + 1
        i += 1
        body: list[str] = []
        while i < n and lines[i].strip() and not TIMING.match(lines[i]):
            # an index line directly followed by a timing line belongs to the next cue
            if _INDEX.match(lines[i]) and i + 1 < n and TIMING.match(lines[i + 1]):
                break
            body.append(_clean(lines[i]))
            i += 1
        cues.append(Cue(join_cue_lines(body), start, end, timing_line, label=f"cue {index or cue_no}"))
    segments = finish(take_speaker_labels(cues), report, repair=True)
    require_text(segments, "this SRT file")
    return ParsedDocument(
        format=FORMAT,
        confidence=UNSCORED,
        segments=segments,
        findings=report.findings(),
    )


parse = only_input_errors("SRT", _parse)
