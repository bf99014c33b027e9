"""Write an episode's turns back out as WebVTT or SRT, so they can be re-timed in an editor or
played as captions, and so every reader we can also write is tested by a round trip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tasks.formats._time import format_clock


@dataclass(frozen=True, slots=True)
class Cue:
    start_s: float
    end_s: float
    speaker: str | None
    text: str


def _escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def to_webvtt(cues: Sequence[Cue]) -> str:
    """One cue per turn; the speaker as a `<v Name>` voice tag.

    Readers join consecutive cues of one voice into one turn (captions cut speech into cues), so a
    cue that starts a new turn without a change of voice opens with a `- ` turn marker.
    """
    blocks = ["WEBVTT"]
    previous: str | None = None
    for i, cue in enumerate(cues):
        voice = f"<v {cue.speaker}>" if cue.speaker else ""
        marker = "- " if i and (cue.speaker is None or cue.speaker == previous) else ""
        previous = cue.speaker
        timing = f"{format_clock(cue.start_s)} --> {format_clock(cue.end_s)}"
        blocks.append(f"{timing}\n{voice}{marker}{_escape_vtt(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: Sequence[Cue]) -> str:
    """One cue per turn. SRT has no speaker field: each cue opens with a `- ` turn marker (the
    captioning convention for a change of speaker) so turns survive, names do not."""
    blocks = [
        f"{i}\n{format_clock(cue.start_s, ',')} --> {format_clock(cue.end_s, ',')}\n- {cue.text}"
        for i, cue in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n"
