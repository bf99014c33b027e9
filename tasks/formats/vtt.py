"""WebVTT reader: cue ids and settings, NOTE/STYLE/REGION blocks, `<v Name>` voices, inline timing
and class tags, Teams short timestamps, missing blank lines, YouTube rolling auto-captions, and speaker
labels at the start of cues without a voice ("[SPEAKER_01]:", "Speaker 1:", ">> NAME:", "Name Surname:";
see _cues.take_speaker_labels)."""

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
from tasks.formats._time import CLOCK, VTT_TAG_CLOCK, YOUTUBE_WORD_CLOCK, parse_clock
from tasks.model import ParsedDocument

FORMAT = "webvtt"

TIMING = re.compile(rf"^\s*({CLOCK})\s*-->\s*({CLOCK})(?:[ \t]+(.*))?$")


def sniff(text: str, name: str) -> float:
    h = head(text).lstrip("\ufeff")
    if h.startswith("WEBVTT"):
        return 0.98
    if name.lower().endswith(".vtt") and any(TIMING.match(ln) for ln in h.split("\n")[:40]):
        return 0.6
    return 0.0


_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^<>\n]*)>")
# Only VTT markup is removed; "<MUSIC>"-style non-speech tags are text and stay.
_MARKUP = re.compile(rf"</?(?:c|i|b|u|v|lang|ruby|rt)(?:[.\s][^<>\n]*)?>|<{VTT_TAG_CLOCK}>")


def clean_cue_line(line: str) -> tuple[str, str | None]:
    """Text without VTT markup, and the voice name if the line carries a `<v>` tag."""
    voice = _VOICE.search(line)
    text = _MARKUP.sub("", line)
    text = html.unescape(text) if "&" in text else text
    return text.strip(), (voice.group(1).strip() or None) if voice else None


_TURN = re.compile(r"^(?:-|>>)\s")


def join_cue_lines(lines: list[str]) -> str:
    """One space between wrapped lines, but keep a line break before a turn marker so the
    cleaning step still sees `- `/`>>` at the start of a line."""
    out = ""
    for ln in lines:
        if not ln:
            continue
        if not out:
            out = ln
        else:
            out += ("\n" if _TURN.match(ln) else " ") + ln
    return out


def _rolling_dedup(cues: list[Cue]) -> list[Cue]:
    """YouTube auto-captions repeat the previous line(s) at the top of each cue: emit each word
    once by removing the longest prefix of a cue that repeats the tail of what was emitted."""
    emitted: list[str] = []
    out: list[Cue] = []
    for c in cues:
        words = c.text.split()
        best = 0
        for k in range(min(len(words), len(emitted), 200), 0, -1):
            if emitted[-k:] == words[:k]:
                best = k
                break
        new = words[best:]
        if not new:
            if not words:
                out.append(c)  # genuinely empty cue: let repair report it
            continue
        emitted.extend(new)
        del emitted[:-400]  # bounded window keeps this linear
        c.text = " ".join(new)
        out.append(c)
    return out


_TIMING_LOOSE = re.compile(r"^\s*(\S{1,40})\s*-->\s*(\S{1,40})")
_INLINE_TIME = re.compile(rf"<{YOUTUBE_WORD_CLOCK}>")
_YOUTUBE_ID = re.compile(r"(?:youtube\.com/watch\?v=|youtu\.be/|youtube\.com/embed/)([A-Za-z0-9_-]{11})")
_BLOCK = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)(?!.*-->)")


def _parse(text: str, name: str) -> ParsedDocument:
    lines = split_lines(text.lstrip("\ufeff"))
    report = Report()
    metadata: dict[str, str] = {}
    language: str | None = None
    n = len(lines)
    i = 0
    if lines and lines[0].startswith("WEBVTT"):
        rest = lines[0][6:].strip(" -\t")
        if rest:
            metadata["header"] = rest
        i = 1
        # header block: "Kind: captions", "Language: en", YouTube's "Style:" + CSS + "##"
        while i < n and lines[i].strip() and "-->" not in lines[i]:
            key, sep, value = lines[i].partition(":")
            if sep and key.strip() and " " not in key.strip() and value.strip():
                metadata[key.strip().lower()] = value.strip()
            i += 1
    language = metadata.get("language")

    cues: list[Cue] = []
    rolling = bool(_INLINE_TIME.search(head(text))) or "align:start position:0%" in head(text)
    cue_no = 0
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if _BLOCK.match(stripped):
            while i < n and lines[i].strip():
                i += 1
            continue
        cue_id = ""
        m = TIMING.match(line)
        if m is None and i + 1 < n and "-->" in lines[i + 1] and "-->" not in line:
            cue_id = stripped
            i += 1
            line = lines[i]
            m = TIMING.match(line)
        if m is None:
            if "-->" in line and _TIMING_LOOSE.match(line):
                report.warn(codes.MALFORMED_TIME, f"unreadable cue timing {stripped[:80]!r}", f"line {i + 1}")
                start = end = None
            else:
                report.warn(codes.UNPARSED_LINE, f"text outside any cue: {stripped[:80]!r}", f"line {i + 1}")
                cleaned, voice = clean_cue_line(line)
                cues.append(Cue(cleaned, line=i + 1, speaker=voice, new_turn=voice is not None, label=f"line {i + 1}"))
                i += 1
                continue
        else:
            start, end = parse_clock(m.group(1)), parse_clock(m.group(2))
        cue_no += 1
        timing_line = i + 1
        i += 1
        body: list[tuple[str, str | None]] = []
        # cue text runs to a blank line, or to the next timing line when the blank line is missing
        while i < n and lines[i].strip() and not TIMING.match(lines[i]):
            body.append(clean_cue_line(lines[i]))
            i += 1
        label = f"cue {cue_id or cue_no}"
        # several voices in one cue become several segments with the same times
        groups: list[tuple[str | None, list[str]]] = []
        for txt, voice in body:
            if voice is not None or not groups:
                if groups and voice == groups[-1][0]:
                    groups[-1][1].append(txt)
                else:
                    groups.append((voice, [txt]))
            else:
                groups[-1][1].append(txt)
        if not groups:
            groups = [(None, [])]
        for voice, texts in groups:
            cues.append(Cue(join_cue_lines(texts), start, end, timing_line, voice, voice is not None, label))

    prev_voice: str | None = None
    for c in cues:
        c.new_turn = c.speaker is not None and c.speaker != prev_voice
        prev_voice = c.speaker if c.speaker is not None else prev_voice
    cues = take_speaker_labels(cues)
    if rolling:
        cues = _rolling_dedup(cues)
        metadata["captions"] = "youtube_rolling_deduplicated"
    segments = finish(cues, report, repair=True)
    require_text(segments, "this WebVTT file")
    yt = _YOUTUBE_ID.search("\n".join(f"{k}: {v}" for k, v in metadata.items()))
    return ParsedDocument(
        format=FORMAT,
        confidence=UNSCORED,
        segments=segments,
        title=metadata.get("title"),
        metadata=metadata,
        findings=report.findings(),
        source_id=yt.group(1) if yt else None,
        language=language,
    )


parse = only_input_errors("WebVTT", _parse)
