"""The "Whisper page" variant of the page text: `back to index` / title / Chapters /
`Whisper Transcript | Transcript Only Page` / `HH:MM:SS.mmm | text` lines. The header is read by
page_text.read_header, so both page variants get the same title, metadata, chapters and checks."""

from __future__ import annotations

import re

from tasks.formats import codes, page_text
from tasks.formats._cues import UNSCORED, Cue, Report, finish, head, require_text, split_lines
from tasks.formats._guard import only_input_errors
from tasks.formats._time import WHISPER_PAGE_CLOCK, parse_clock
from tasks.model import ParsedDocument

FORMAT = "whisper_page"

LINE = re.compile(rf"^({WHISPER_PAGE_CLOCK}) \| ?(.*)$")
_BANNER = "Whisper Transcript | Transcript Only Page"


def sniff(text: str, name: str) -> float:
    lines = head(text).lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip().lower() != "back to index":
        return 0.0
    stamped = sum(1 for ln in lines[:200] if LINE.match(ln))
    # page_text scores ~0.9 for every "back to index" page; win only when stamped lines follow
    return 0.95 if stamped >= 1 else 0.0


def _parse(text: str, name: str) -> ParsedDocument:
    lines = split_lines(text.lstrip("\ufeff"))
    report = Report()
    # the header (title, chapters, metadata, YouTube id) is page_text's; the first stamped line ends it
    header = page_text.read_header(lines, name, starts_body=lambda line: LINE.match(line) is not None)
    report.extend(header.findings)
    cues: list[Cue] = []
    body = header.body_start if header.body_start is not None else len(lines)
    for no, raw in enumerate(lines[body:], start=body + 1):
        line = raw.strip()
        if not line:
            continue
        if line in (_BANNER, "Transcript") and not cues:
            continue
        m = LINE.match(line)
        if m:
            cues.append(Cue(m.group(2).strip(), parse_clock(m.group(1)), None, no, label=f"line {no}"))
            continue
        report.warn(codes.UNPARSED_LINE, f"unexpected line: {line[:80]!r}", f"line {no}")
        cues.append(Cue(line, line=no, label=f"line {no}"))
    segments = finish(cues, report, repair=False)
    require_text(segments, "this Whisper page")
    return header.document(FORMAT, UNSCORED, segments, report.findings())


parse = only_input_errors("whisper page", _parse)
