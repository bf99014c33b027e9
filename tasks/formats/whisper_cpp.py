"""whisper.cpp stdout text: `[HH:MM:SS.mmm --> HH:MM:SS.mmm]   text`, one segment per line."""

from __future__ import annotations

import re

from tasks.formats import codes
from tasks.formats._cues import UNSCORED, Cue, Report, finish, head, require_text, split_lines
from tasks.formats._guard import only_input_errors
from tasks.formats._time import CLOCK, parse_clock
from tasks.model import ParsedDocument

FORMAT = "whisper_cpp"

LINE = re.compile(rf"^\s*\[({CLOCK})\s*-->\s*({CLOCK})\]\s?(.*)$")


def sniff(text: str, name: str) -> float:
    lines = [ln for ln in head(text).split("\n")[:40] if ln.strip()]
    if not lines:
        return 0.0
    hits = sum(1 for ln in lines if LINE.match(ln))
    if hits == 0:
        return 0.0
    return 0.95 if hits * 2 >= len(lines) else 0.5


def _parse(text: str, name: str) -> ParsedDocument:
    report = Report()
    cues: list[Cue] = []
    for no, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if m is None:
            report.warn(
                codes.UNPARSED_LINE,
                f"line without a [start --> end] stamp: {line.strip()[:80]!r}",
                f"line {no}",
            )
            cues.append(Cue(line.strip(), line=no))
            continue
        start, end = parse_clock(m.group(1)), parse_clock(m.group(2))
        cues.append(Cue(m.group(3).strip(), start, end, no, label=f"line {no}"))
    # whisper.cpp prints nothing for silence, so an empty stamped line is a real (empty) cue
    segments = finish(cues, report, repair=True)
    require_text(segments, "this whisper.cpp output")
    return ParsedDocument(format=FORMAT, confidence=UNSCORED, segments=segments, findings=report.findings())


parse = only_input_errors("whisper.cpp", _parse)
