"""Shared reader machinery: finding collection, cue repair and hallucination flags.

Everything here is linear in the number of segments/words, so a reader built on it stays linear.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tasks.formats import codes
from tasks.formats._time import format_clock
from tasks.model import Finding, InputError, Segment

# Longer than any real transcript line (a 2-hour talk on one line is ~150 KB); a longer line is
# either a hostile file or not a transcript, and regexes over it would waste time.
MAX_LINE_CHARS = 2_000_000
# A file can produce thousands of identical findings (43 empty cues is real); list this many
# per code and count the rest so the issues table stays readable.
MAX_FINDINGS_PER_CODE = 200
SNIFF_CHARS = 8192
# The confidence a reader's parse() reports by itself, unscored against the other readers;
# detect_and_parse replaces it with the winning sniff score, so readers never sniff twice.
UNSCORED = 0.5


class Report:
    """Collects warnings for one file, capped per code."""

    def __init__(self) -> None:
        self._items: list[Finding] = []
        self._counts: Counter[str] = Counter()

    def warn(self, code: str, message: str, location: str = "") -> None:
        assert code in codes.CODES, code
        self._counts[code] += 1
        if self._counts[code] <= MAX_FINDINGS_PER_CODE:
            self._items.append(Finding(code, "warning", message, location))

    def extend(self, findings: Sequence[Finding]) -> None:
        for f in findings:
            self.warn(f.code, f.message, f.location)

    def findings(self) -> tuple[Finding, ...]:
        extra = [
            Finding(codes.TOO_MANY_FINDINGS, "warning", f"{n - MAX_FINDINGS_PER_CODE} more '{code}' not listed")
            for code, n in sorted(self._counts.items())
            if n > MAX_FINDINGS_PER_CODE
        ]
        return (*self._items, *extra)


@dataclass(slots=True)
class Cue:
    """A mutable segment under construction (Segment is frozen)."""

    text: str
    start: float | None = None
    end: float | None = None
    line: int = 0
    speaker: str | None = None
    new_turn: bool = False
    label: str = ""
    flag: str | None = None
    no_speech_prob: float | None = None

    def where(self) -> str:
        if not self.label or self.label.startswith("line "):
            return f"line {self.line}"
        return f"{self.label} (line {self.line})"

    def segment(self) -> Segment:
        return Segment(
            text=self.text,
            speaker=self.speaker,
            start_s=self.start,
            end_s=self.end,
            line=self.line,
            new_turn=self.new_turn,
            flag=self.flag,
        )


def split_lines(text: str) -> list[str]:
    """Lines of decoded text; refuses absurdly long lines before any regex touches them."""
    lines = text.split("\n")
    longest = max(map(len, lines), default=0)
    if longest > MAX_LINE_CHARS:
        idx = next(i for i, ln in enumerate(lines) if len(ln) == longest)
        raise InputError(
            codes.LINE_TOO_LONG,
            f"line {idx + 1} is {longest} characters long (limit {MAX_LINE_CHARS})",
            f"line {idx + 1}",
        )
    return lines


def head(text: str) -> str:
    return text[:SNIFF_CHARS]


def repair_cues(cues: list[Cue], report: Report) -> list[Cue]:
    """Drop empty cues, fix impossible times, trim overlaps; every change is a warning finding."""
    out: list[Cue] = []
    for c in cues:
        span = f"{format_clock(c.start)} --> {format_clock(c.end)}"
        if not c.text.strip():
            report.warn(codes.EMPTY_CUE, f"dropped empty cue {span}", c.where())
            continue
        if c.start is not None and c.end is not None:
            if c.end < c.start:
                report.warn(codes.CUE_END_BEFORE_START, f"cue {span} ends before it starts; end dropped", c.where())
                c.end = None
            elif c.end == c.start:
                report.warn(codes.ZERO_LENGTH_CUE, f"cue {span} has zero length; text kept", c.where())
        prev = out[-1] if out else None
        if prev is not None and prev.end is not None and c.start is not None and c.start < prev.end:
            if prev.start is None or c.start >= prev.start:
                report.warn(
                    codes.OVERLAPPING_CUE,
                    f"cue starts at {format_clock(c.start)} before the previous cue ends at "
                    f"{format_clock(prev.end)}; previous end trimmed",
                    c.where(),
                )
                prev.end = c.start
            else:
                report.warn(
                    codes.OVERLAPPING_CUE,
                    f"cue starts at {format_clock(c.start)} before the previous cue starts at "
                    f"{format_clock(prev.start)}; times kept as given",
                    c.where(),
                )
        out.append(c)
    return out


# --- hallucinations -------------------------------------------------------------------------

# What Whisper writes over silence or music (its training captions' sign-offs): alone in a file, or
# repeated at its end, these are not speech.
_STOCK_PHRASES = frozenset(
    {
        "thanks for watching",
        "thank you for watching",
        "thanks for watching and see you next time",
        "thank you for watching and see you next time",
        "please subscribe",
        "please subscribe to my channel",
        "subscribe to my channel",
        "like and subscribe",
        "thank you",
        "thank you so much for watching",
        "subtitles by the amara org community",
        "thank you very much",
        "bye",
        "you",
    }
)
_WORD_STRIP = re.compile(r"^\W+|\W+$")
_TAG_ONLY = re.compile(r"\s*[\[(<][^\[\]()<>]*[\])>]\s*")
NO_SPEECH_THRESHOLD = 0.4


def _norm_words(text: str) -> list[str]:
    return [w for w in (_WORD_STRIP.sub("", t.lower()) for t in text.split()) if w]


# A phrase said LOOP_REPEATS times back to back is a decoder loop when the repeats fill most of the text or end it
# ("... you you you you"); inside speech people do say "my boss's boss's boss's boss's radar" and "and and and and",
# so there it takes LOOP_REPEATS_INSIDE. A word repeated with punctuation ("Wait, wait, wait, wait.") is emphasis
# unless it goes on to LOOP_REPEATS_INSIDE.
LOOP_REPEATS = 4
LOOP_REPEATS_INSIDE = 8
LOOP_MAX_PHRASE = 6
# longer than a caption cue or a Whisper segment (about 30 words at most)
LOOP_SEGMENT_WORDS = 60


def loop_reason(text: str) -> str | None:
    """A phrase of 1-6 words repeated back to back: the classic decoder loop."""
    raw = text.split()
    if len(raw) < LOOP_REPEATS:
        return None
    toks = [_WORD_STRIP.sub("", t.lower()) for t in raw]
    for n in range(1, LOOP_MAX_PHRASE + 1):
        run = 0
        for i in range(len(toks) - n + 1):
            extends = i + n < len(toks) and bool(toks[i]) and toks[i] == toks[i + n]
            if extends:
                run += 1
                continue
            repeats = run // n + 1
            if run and repeats >= LOOP_REPEATS:
                first = i - run
                span = raw[first : i + n]
                covered = len(span) * 2 >= len(raw) or i + n >= len(raw)
                punct = n == 1 and any(re.search(r"\W$", t) for t in span[:-1])
                if repeats >= LOOP_REPEATS_INSIDE or (covered and not punct):
                    return f"'{' '.join(raw[first : first + n])}' repeated {repeats} times"
            run = 0
    return None


def flag_hallucinations(cues: list[Cue], report: Report) -> None:
    """Mark suspect cues with flag='hallucination' and a warning; text is never removed here."""
    normed = [" ".join(_norm_words(c.text)) for c in cues]
    speech = [n for n, c in zip(normed, cues, strict=True) if n and not _TAG_ONLY.fullmatch(c.text)]
    only_stock = bool(speech) and len(speech) <= 3 and all(n in _STOCK_PHRASES for n in speech)

    def flag(c: Cue, why: str) -> None:
        c.flag = "hallucination"
        report.warn(codes.HALLUCINATION, f"possible hallucination: {why}", c.where())

    run_start = 0
    for i, c in enumerate(cues):
        stripped = re.sub(r"[\s\W_]", "", c.text)
        if (stripped == "" and "\ufffd" in c.text) or (stripped and set(stripped) == {"\ufffd"}):
            flag(c, "only U+FFFD replacement characters")
            continue
        n = normed[i]
        if n in _STOCK_PHRASES and (
            only_stock or (c.no_speech_prob is not None and c.no_speech_prob >= NO_SPEECH_THRESHOLD)
        ):
            why = "the whole output" if only_stock else f"no_speech_prob {c.no_speech_prob:.2f}"
            flag(c, f"stock phrase '{c.text.strip()}' over silence ({why})")
            continue
        # a long segment (a whole labelled turn) is judged sentence by sentence after segmentation instead,
        # so that one loop does not flag a whole turn
        reason = loop_reason(c.text) if len(c.text.split()) <= LOOP_SEGMENT_WORDS else None
        if reason:
            flag(c, reason)
            continue
        # The same sentence over and over in consecutive segments (decoder stuck on a window). People
        # do echo short lines ("It's happening today." three times across a panel), so only a
        # sentence of five words or more, from one voice, counts.
        if (
            i > 0
            and n
            and n == normed[i - 1]
            and len(n.split()) >= 5
            and c.speaker == cues[i - 1].speaker
            and not c.text.lstrip().startswith(("-", ">>"))
            and not _TAG_ONLY.fullmatch(c.text)
        ):
            if i - run_start >= 2:
                flag(c, f"segment repeats the previous {i - run_start} segments")
                if i - run_start == 2:
                    flag(cues[i - 1], "segment repeats the previous segment")
        else:
            run_start = i


def finish(cues: list[Cue], report: Report, *, repair: bool) -> tuple[Segment, ...]:
    """Repair (cue formats only), flag hallucinations, and freeze into Segments."""
    cues = repair_cues(cues, report) if repair else [c for c in cues if c.text.strip()]
    flag_hallucinations(cues, report)
    return tuple(c.segment() for c in cues)


def require_text(segments: Sequence[Segment], what: str) -> None:
    if not any(s.text.strip() for s in segments):
        raise InputError(codes.NO_TRANSCRIPT_TEXT, f"{what} holds no transcript text")
