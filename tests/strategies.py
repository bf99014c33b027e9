"""Hypothesis strategies for valid batches of episode frames.

`batches()` draws small episodes as nested lists of words (episode -> turns -> sentences -> words),
and `frames_from_spec` lays them out into a clean_text with every offset computed while the string is
built, so each generated batch satisfies every contract rule. Words include non-ASCII characters
(accents, an emoji, CJK) so code-point offsets are exercised.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from hypothesis import strategies as st

WORDS = ("we", "data", "model", "café", "naïve", "über", "GPU", "42", "1990", "😀", "東京", "it's", "yeah")
SEPARATORS = (" ", "\n", "\n\n", "  ", " \t ")
WPM = 150.0
ENTITY = {"GPU": ("ent_gpu", "GPU", "product"), "東京": ("ent_tokyo", "Tokyo", "place")}


@dataclass(frozen=True)
class EpisodeSpec:
    """One episode: turns of sentences of words, plus layout choices."""

    turns: tuple[tuple[tuple[str, ...], ...], ...]
    separators: tuple[str, ...]  # one before each turn, plus one at the end
    sentence_sep: str
    n_chapters: int
    duration_source: str
    n_speakers: int


def frames_from_spec(specs: list[EpisodeSpec]) -> dict[str, pl.DataFrame]:
    """Valid frames for every episode-grained table (plus speakers and keywords)."""
    rows: dict[str, list[dict]] = {
        k: []
        for k in (
            "episodes",
            "documents",
            "chapters",
            "speakers",
            "turns",
            "sentences",
            "mentions",
            "quantities",
            "events",
            "keywords",
        )
    }
    for e, spec in enumerate(specs):
        _episode(f"ep{e}", spec, rows)
    return {name: _frame(name, r) for name, r in rows.items()}


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    from expectations.contracts import TABLES

    schema = pl.from_arrow(TABLES[name].arrow_schema().empty_table()).schema
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _episode(eid: str, spec: EpisodeSpec, rows: dict[str, list[dict]]) -> None:
    parts: list[str] = []
    pos = 0
    t_s = 0.0
    turns: list[dict] = []
    sentences: list[dict] = []
    mentions: list[dict] = []
    quantities: list[dict] = []
    sidx = 0

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for ti, turn in enumerate(spec.turns):
        emit(spec.separators[ti])
        t_start, t_start_s, t_words = pos, t_s, 0
        speaker = f"S{ti % spec.n_speakers + 1}"
        for si, words in enumerate(turn):
            if si:
                emit(spec.sentence_sep)
            s_start, s_start_s = pos, t_s
            for wi, w in enumerate(words):
                if wi:
                    emit(" ")
                if w in ENTITY:
                    ent_id, canonical, etype = ENTITY[w]
                    mentions.append(
                        dict(
                            episode_id=eid,
                            start_char=pos,
                            end_char=pos + len(w),
                            sentence_idx=sidx,
                            surface=w,
                            entity_id=ent_id,
                            canonical=canonical,
                            entity_type=etype,
                            match_kind="exact",
                        )
                    )
                if w.isdigit():
                    quantities.append(
                        dict(
                            episode_id=eid,
                            start_char=pos,
                            end_char=pos + len(w),
                            sentence_idx=sidx,
                            surface=w,
                            value_low=float(w),
                            value_high=float(w),
                            unit="year" if len(w) == 4 else "count",
                            speaker_id=speaker,
                        )
                    )
                emit(w)
            emit(".")
            n = len(words)
            t_s += n * 60.0 / WPM
            sentences.append(
                dict(
                    episode_id=eid,
                    sentence_idx=sidx,
                    turn_idx=ti,
                    chapter_idx=None,
                    start_char=s_start,
                    end_char=pos,
                    start_s=s_start_s,
                    end_s=t_s,
                    time_source="given",
                    time_error_s=0.0,
                    text=None,
                    n_words=n,
                    is_question=False,
                    question_kind=None,
                    sentiment=0.0,
                    n_fillers=words.count("yeah"),
                    flag=None,
                )
            )
            sidx += 1
            t_words += n
        turns.append(
            dict(
                episode_id=eid,
                turn_idx=ti,
                speaker_id=speaker,
                attribution="labelled",
                attribution_confidence=1.0,
                chapter_idx=None,
                start_char=t_start,
                end_char=pos,
                start_s=t_start_s,
                end_s=t_s,
                time_source="given",
                time_error_s=0.0,
                n_words=t_words,
                is_backchannel=False,
                is_interrupted=False,
                text=None,
            )
        )
    emit(spec.separators[len(spec.turns)])
    text = "".join(parts)
    duration = t_s
    for r in (*turns, *sentences):
        r["text"] = text[r["start_char"] : r["end_char"]]

    # Chapters start at turn boundaries; the first at 0 and the last runs to the end of the text.
    n_ch = min(spec.n_chapters, len(turns))
    firsts = [round(i * len(turns) / n_ch) for i in range(n_ch)] if n_ch else []
    chapters: list[dict] = []
    for ci, first in enumerate(firsts):
        start_char = 0 if ci == 0 else turns[first]["start_char"]
        start_s = 0.0 if ci == 0 else turns[first]["start_s"]
        chapters.append(
            dict(
                episode_id=eid,
                chapter_idx=ci,
                title=f"Chapter {ci}",
                start_s=start_s,
                end_s=None,
                start_char=start_char,
                end_char=None,
                time_source="estimated" if spec.duration_source == "estimated" else "given",
                align_confidence=1.0,
            )
        )
    for ci, ch in enumerate(chapters):
        last = ci == len(chapters) - 1
        ch["end_char"] = len(text) if last else chapters[ci + 1]["start_char"]
        ch["end_s"] = duration if last else chapters[ci + 1]["start_s"]
    for t in turns:
        t["chapter_idx"] = max((c["chapter_idx"] for c in chapters if c["start_char"] <= t["start_char"]), default=None)
    for s in sentences:
        s["chapter_idx"] = turns[s["turn_idx"]]["chapter_idx"]

    speakers: dict[str, dict] = {}
    total_words = sum(t["n_words"] for t in turns)
    for t in turns:
        sp = speakers.setdefault(
            t["speaker_id"],
            dict(episode_id=eid, speaker_id=t["speaker_id"], name=None, role="unknown", n_turns=0, n_words=0),
        )
        sp["n_turns"] += 1
        sp["n_words"] += t["n_words"]
    for sp in speakers.values():
        sp["talk_share"] = sp["n_words"] / total_words if total_words else 0.0

    events = [
        dict(
            episode_id=eid,
            event_idx=i,
            start_char=t["start_char"],
            kind="laughter",
            surface="(laughs)",
            turn_idx=t["turn_idx"],
            start_s=t["start_s"],
        )
        for i, t in enumerate(turns[::3])
    ]
    rows["episodes"].append(
        dict(
            episode_id=eid,
            source_path=f"{eid}.txt",
            title=f"Episode {eid}",
            show=None,
            episode_number=None,
            published_on=None,
            hosts=["Host"],
            guests=[],
            language="en",
            duration_s=duration,
            duration_source=spec.duration_source,
            n_chapters=len(chapters),
            n_turns=len(turns),
            n_sentences=len(sentences),
            n_words=total_words,
            pipeline_version="test",
            run_id="run0",
        )
    )
    rows["documents"].append(dict(episode_id=eid, raw_text=text, clean_text=text, cleaning_steps=["identity"]))
    rows["chapters"].extend(chapters)
    rows["speakers"].extend(speakers.values())
    rows["turns"].extend(turns)
    rows["sentences"].extend(sentences)
    rows["mentions"].extend(mentions)
    rows["quantities"].extend(quantities)
    rows["events"].extend(events)
    rows["keywords"].append(dict(episode_id=eid, chapter_idx=None, keyword="data", score=1.0, rank=1))


_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(tuple)
_sentences = st.lists(_words, min_size=1, max_size=4).map(tuple)


@st.composite
def episode_specs(draw: st.DrawFn, max_turns: int = 6) -> EpisodeSpec:
    turns = tuple(draw(st.lists(_sentences, min_size=0, max_size=max_turns)))
    seps = tuple(draw(st.sampled_from(SEPARATORS)) for _ in range(len(turns) + 1))
    # Leading/trailing whitespace is optional: the first and last separators may be empty.
    seps = (draw(st.sampled_from(("", *SEPARATORS))), *seps[1:-1], draw(st.sampled_from(("", *SEPARATORS))))
    if not turns:
        seps = seps[:1]
    return EpisodeSpec(
        turns=turns,
        separators=seps if turns else (seps[0],),
        sentence_sep=draw(st.sampled_from((" ", "  ", "\n"))),
        n_chapters=draw(st.integers(0, 3)),
        duration_source=draw(st.sampled_from(("given", "estimated"))),
        n_speakers=draw(st.integers(1, 3)),
    )


@st.composite
def batches(draw: st.DrawFn, max_episodes: int = 3) -> dict[str, pl.DataFrame]:
    """A batch of 1..max_episodes valid episodes as frames keyed by table name."""
    specs = draw(st.lists(episode_specs(), min_size=1, max_size=max_episodes))
    return frames_from_spec(specs)


def big_batch(
    n_episodes: int = 4, turns_per_episode: int = 118, sentences_per_turn: int = 3
) -> dict[str, pl.DataFrame]:
    """A deterministic batch of realistic size (defaults: ~470 turns, ~1,400 sentences) for timing."""
    specs = []
    for e in range(n_episodes):
        turns = tuple(
            tuple(
                tuple(WORDS[(e + t * 7 + s * 3 + w) % len(WORDS)] for w in range(6 + (t + s) % 9))
                for s in range(1 + (t + e) % sentences_per_turn + (t % 2))
            )
            for t in range(turns_per_episode)
        )
        specs.append(
            EpisodeSpec(
                turns=turns,
                separators=("", *("\n",) * (len(turns) - 1), "\n"),
                sentence_sep=" ",
                n_chapters=5,
                duration_source="estimated",
                n_speakers=2,
            )
        )
    return frames_from_spec(specs)


# --- raw page-text transcripts, for properties of the whole parse -> segment -> rows path ----------

_SPOKEN = (
    "yeah",
    "we",
    "built",
    "the",
    "GPU",
    "Mr.",
    "Dr.",
    "2.5",
    "percent",
    "it's",
    "café",
    "NVIDIA",
    "so",
    "but-",
    "flywheel--",
    "U.S.",
    "right",
    "...",
    "“quoted”",
    "e.g.",
    "100,000",
    "x-ray",
)
_ENDINGS = (".", "?", "!", "...", "")
_TAGS = ("(laughing)", "(upbeat music)", "(applause)", "[Music]")


@st.composite
def spoken_sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_SPOKEN), min_size=1, max_size=8))
    return " ".join(words).capitalize() + draw(st.sampled_from(_ENDINGS))


@st.composite
def page_texts(draw: st.DrawFn) -> str:
    """A page-text transcript with chapters, turn markers, non-speech tags and paragraph breaks."""
    n_chapters = draw(st.integers(0, 4))
    starts = sorted(draw(st.lists(st.integers(0, 5000), min_size=n_chapters, max_size=n_chapters, unique=True)))
    chapters = "".join(f"{s // 60}:{s % 60} Chapter {i}\n" for i, s in enumerate(starts))
    pieces = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(("sentence", "sentence", "sentence", "marker", "tag", "paragraph")))
        if kind == "sentence":
            pieces.append(draw(spoken_sentences()))
        elif kind == "marker":
            pieces.append(draw(st.sampled_from(("-", ">>"))))
        elif kind == "tag":
            pieces.append(draw(st.sampled_from(_TAGS)))
        else:
            pieces.append("\n\n")
    body = " ".join(pieces)
    header = f"Back to Index\n\nEp1. Welcome Ada Lovelace | Show w/ Ann Host & Bob Host\n\n\nChapters\n\n{chapters}\n"
    return f"{header}Transcript\n\n{body}\n"
