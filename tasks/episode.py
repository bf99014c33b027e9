"""One input file to the rows of every table: decode, detect, parse, segment, align, attribute,
enrich. Pure and deterministic: the same bytes and settings give the same rows."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from tasks import enrich
from tasks.align import align, interpolation_error
from tasks.attribute import TurnView, speaker_rows
from tasks.decode import Decoded, decode
from tasks.entities import Gazetteer, find_mentions
from tasks.formats import detect_and_parse
from tasks.model import Finding, InputError, ParsedDocument
from tasks.segment import Segmented, TimedPiece, segment
from tasks.speakers import HeaderPeople, attribute, is_unmarked_dialogue, unmarked_dialogue_finding


@dataclass(frozen=True, slots=True)
class Settings:
    pipeline_version: str
    run_id: str
    fillers: tuple[str, ...] = enrich.DEFAULT_FILLERS
    people_by_show: dict = field(default_factory=dict)
    gazetteer: Gazetteer | None = None


@dataclass(frozen=True, slots=True)
class EpisodeResult:
    episode_id: str
    format: str
    format_confidence: float
    encoding: str
    frames: dict[str, pl.DataFrame]
    findings: tuple[Finding, ...]


_SLUG = re.compile(r"[^a-z0-9]+")


def path_episode_id(source_path: str) -> str:
    """An id stable across edits of a file: from its path relative to the input root."""
    slug = _SLUG.sub("-", source_path.lower()).strip("-")[:60]
    # The slug is cut, so long paths sharing a prefix would collide; 48 bits of hash keep a million
    # files apart with a collision chance of about 1 in 500.
    return f"{slug}-{hashlib.sha256(source_path.encode()).hexdigest()[:12]}"


def episode_id_for(doc: ParsedDocument, source_path: str) -> str:
    return f"yt-{doc.source_id}" if doc.source_id else path_episode_id(source_path)


def parse_bytes(data: bytes, source_path: str) -> tuple[ParsedDocument, Decoded]:
    decoded = decode(data)
    return detect_and_parse(decoded.text, source_path), decoded


def build_episode(data: bytes, source_path: str, settings: Settings, episode_id: str | None = None) -> EpisodeResult:
    """All table rows for one file. Raises InputError for a file that cannot become an episode."""
    doc, decoded = parse_bytes(data, source_path)
    seg = segment(doc)
    if not seg.sentences:
        raise InputError("no_transcript_text", "the file holds no spoken text after cleaning")
    episode_id = episode_id or episode_id_for(doc, source_path)
    frames = episode_frames(
        doc, seg, raw_text=decoded.text, episode_id=episode_id, source_path=source_path, settings=settings
    )
    header = HeaderPeople.from_metadata(doc.metadata)
    unmarked = is_unmarked_dialogue([t.label for t in seg.turns], header)
    return EpisodeResult(
        episode_id,
        doc.format,
        doc.confidence,
        decoded.encoding,
        frames,
        decoded.findings + doc.findings + ((unmarked_dialogue_finding(header),) if unmarked else ()),
    )


def _given_times(seg: Segmented) -> list[tuple[float, float, str, float] | None]:
    """Sentence times from the file: interpolated by character position inside a timed piece, with
    the error of that interpolation (0 where the sentence is exactly a piece the file timed)."""
    given: list[tuple[float, float, str, float] | None] = []
    for sentence in seg.sentences:
        pieces = seg.turns[sentence.turn_idx].timed
        start = _piece_time_at_char(pieces, sentence.start)
        end = _piece_time_at_char(pieces, sentence.end)
        if start is None or end is None:
            given.append(None)
            continue
        exact = any(p.start == sentence.start and p.end == sentence.end for p in pieces)
        if exact:
            given.append((start[0], max(start[0], end[0]), "given", 0.0))
            continue
        error = max(interpolation_error(t, piece.start_s, piece.end_s) for t, piece in (start, end))
        given.append((start[0], max(start[0], end[0]), "interpolated", round(error, 3)))
    return given


def _stamped_sentences(seg: Segmented) -> list[tuple[int, float, bool]]:
    """(sentence, start time, exact) for each start-only stamp of the file ("[04:22] 45 minutes.").

    A stamp that falls inside a sentence (a caption line starting mid-sentence) is moved to the start
    of the sentence it falls in when it sits in that sentence's first half, else of the next one, and
    is not exact: off by up to half a sentence, so the alignment gives it an error, not `given`."""
    starts = [s.start for s in seg.sentences]
    out: list[tuple[int, float, bool]] = []
    for turn in seg.turns:
        for char, t in turn.stamps:
            i = max(bisect.bisect_right(starts, char) - 1, 0)
            sentence = seg.sentences[i]
            exact = char == sentence.start
            if not exact and char - sentence.start > (sentence.end - sentence.start) / 2:
                i += 1
            if i < len(starts):
                out.append((i, t, exact))
    return out


def _piece_time_at_char(pieces: Sequence, char: int) -> tuple[float, TimedPiece] | None:
    for piece in pieces:
        if piece.start <= char <= piece.end:
            span = max(piece.end - piece.start, 1)
            return piece.start_s + (piece.end_s - piece.start_s) * (char - piece.start) / span, piece
    return None


def episode_frames(
    doc: ParsedDocument, seg: Segmented, *, raw_text: str, episode_id: str, source_path: str, settings: Settings
) -> dict[str, pl.DataFrame]:
    text = seg.clean_text
    sentences = pl.DataFrame(
        {
            "sentence_idx": range(len(seg.sentences)),
            "turn_idx": [s.turn_idx for s in seg.sentences],
            "start_char": [s.start for s in seg.sentences],
            "end_char": [s.end for s in seg.sentences],
            "text": [text[s.start : s.end] for s in seg.sentences],
            "flag": pl.Series([s.flag for s in seg.sentences], dtype=pl.String),
        },
        schema_overrides={"sentence_idx": pl.Int64},
    )
    sentences = enrich.sentence_features(sentences, settings.fillers)
    turn_texts = [text[t.start : t.end] for t in seg.turns]
    backchannel = [enrich.is_backchannel(t) for t in turn_texts]
    sentence_turn = [s.turn_idx for s in seg.sentences]
    alignment = align(
        sentences["n_words"].to_list(),
        _given_times(seg),
        [c.start_s for c in doc.chapters],
        sentence_texts=sentences["text"].to_list(),
        chapter_titles=[c.title for c in doc.chapters],
        sentence_turn=sentence_turn,
        backchannel=[backchannel[t] for t in sentence_turn],
        stamps=_stamped_sentences(seg),
    )

    # Chapters tile the clean text: each starts at its first sentence, the next one's start ends it.
    chapter_starts = [
        0 if i == 0 else (seg.sentences[p.first_sentence].start if p.first_sentence < len(seg.sentences) else len(text))
        for i, p in enumerate(alignment.chapters)
    ]
    chapter_ends = [*chapter_starts[1:], len(text)] if chapter_starts else []

    def chapter_at(char: int) -> int | None:
        return max(bisect.bisect_right(chapter_starts, char) - 1, 0) if chapter_starts else None

    timings = alignment.sentences
    sentences = sentences.with_columns(
        chapter_idx=pl.Series([chapter_at(s.start) for s in seg.sentences], dtype=pl.Int64),
        start_s=pl.Series([t.start_s for t in timings], dtype=pl.Float64),
        end_s=pl.Series([t.end_s for t in timings], dtype=pl.Float64),
        time_source=pl.Series([t.time_source for t in timings], dtype=pl.String),
        time_error_s=pl.Series([t.time_error_s for t in timings], dtype=pl.Float64),
        sentiment=pl.Series(enrich.sentiment(sentences["text"].to_list()), dtype=pl.Float64),
    )
    turn_words = sentences.group_by("turn_idx").agg(pl.col("n_words").sum()).sort("turn_idx")
    words_by_turn = dict(zip(turn_words["turn_idx"].to_list(), turn_words["n_words"].to_list(), strict=True))

    # Non-speech the file timed after the last words (closing music) still lies inside the recording.
    event_times = [e.start_s for e in seg.events if e.start_s is not None]
    duration_s = max([alignment.duration_s, *event_times])

    meta = doc.metadata
    header = HeaderPeople.from_metadata(meta)
    hosts, guests = header.hosts, header.guests
    attributions = attribute(
        [TurnView(turn_texts[i], words_by_turn.get(i, 0), t.label, backchannel[i]) for i, t in enumerate(seg.turns)],
        show=meta.get("show"),
        header=header,
        people_by_show=settings.people_by_show,
        title=meta.get("episode_title") or doc.title,
    )

    first_sentence_of_turn: dict[int, int] = {}
    last_sentence_of_turn: dict[int, int] = {}
    for i, s in enumerate(seg.sentences):
        first_sentence_of_turn.setdefault(s.turn_idx, i)
        last_sentence_of_turn[s.turn_idx] = i
    order = {"given": 0, "interpolated": 1, "estimated": 2}
    turn_rows = []
    for i, turn in enumerate(seg.turns):
        first, last = first_sentence_of_turn[i], last_sentence_of_turn[i]
        sources = [timings[k].time_source for k in range(first, last + 1)]
        attribution = attributions[i]
        start_s, end_s = timings[first].start_s, max(timings[k].end_s for k in range(first, last + 1))
        time_source = max(sources, key=order.__getitem__)
        time_error_s = max(timings[k].time_error_s for k in range(first, last + 1))
        if turn.timed and turn.timed[0].start == turn.start and turn.timed[-1].end == turn.end:
            # The file timed this turn's own edges (a cue per turn): those times are given, even
            # where the sentences inside had to be interpolated.
            start_s, end_s, time_source, time_error_s = turn.timed[0].start_s, turn.timed[-1].end_s, "given", 0.0
        turn_rows.append(
            {
                "turn_idx": i,
                "speaker_id": attribution.speaker_id,
                "attribution": attribution.attribution,
                "attribution_confidence": attribution.confidence,
                "chapter_idx": chapter_at(turn.start),
                "start_char": turn.start,
                "end_char": turn.end,
                "start_s": start_s,
                "end_s": end_s,
                "time_source": time_source,
                "time_error_s": time_error_s,
                "n_words": words_by_turn.get(i, 0),
                "is_backchannel": backchannel[i],
                "is_interrupted": turn.is_interrupted,
                "text": turn_texts[i],
            }
        )
    turns = pl.DataFrame(turn_rows, schema_overrides={"speaker_id": pl.String, "chapter_idx": pl.Int64})

    speakers = pl.DataFrame(
        speaker_rows(attributions, [words_by_turn.get(i, 0) for i in range(len(seg.turns))]),
        schema={
            "speaker_id": pl.String,
            "name": pl.String,
            "role": pl.String,
            "n_turns": pl.Int64,
            "n_words": pl.Int64,
            "talk_share": pl.Float64,
        },
    )

    chapters = pl.DataFrame(
        {
            "chapter_idx": range(len(doc.chapters)),
            "title": [c.title for c in doc.chapters],
            "start_s": [c.start_s for c in doc.chapters],
            "end_s": [*(c.start_s for c in doc.chapters[1:]), max(duration_s, doc.chapters[-1].start_s)]
            if doc.chapters
            else [],
            "start_char": chapter_starts,
            "end_char": chapter_ends,
            "time_source": ["given"] * len(doc.chapters),
            "align_confidence": [p.confidence for p in alignment.chapters],
        },
        schema={
            "chapter_idx": pl.Int64,
            "title": pl.String,
            "start_s": pl.Float64,
            "end_s": pl.Float64,
            "start_char": pl.Int64,
            "end_char": pl.Int64,
            "time_source": pl.String,
            "align_confidence": pl.Float64,
        },
    )

    sentence_starts = [s.start for s in seg.sentences]
    events = pl.DataFrame(
        {
            "event_idx": range(len(seg.events)),
            "start_char": [e.at for e in seg.events],
            "kind": [e.kind for e in seg.events],
            "surface": [e.surface for e in seg.events],
            "turn_idx": [e.turn_idx for e in seg.events],
            "start_s": [
                e.start_s if e.start_s is not None else _estimated_time_at(e.at, sentence_starts, timings)
                for e in seg.events
            ],
        },
        schema={
            "event_idx": pl.Int64,
            "start_char": pl.Int64,
            "kind": pl.String,
            "surface": pl.String,
            "turn_idx": pl.Int64,
            "start_s": pl.Float64,
        },
    )

    quantity_rows = []
    speaker_of_turn = [a.speaker_id for a in attributions]
    for i, s in enumerate(seg.sentences):
        for q in enrich.quantities(text[s.start : s.end]):
            quantity_rows.append(
                {
                    "start_char": s.start + q.start,
                    "end_char": s.start + q.end,
                    "sentence_idx": i,
                    "surface": q.surface,
                    "value_low": q.value_low,
                    "value_high": q.value_high,
                    "unit": q.unit,
                    "speaker_id": speaker_of_turn[s.turn_idx],
                }
            )
    quantities = pl.DataFrame(
        quantity_rows,
        schema={
            "start_char": pl.Int64,
            "end_char": pl.Int64,
            "sentence_idx": pl.Int64,
            "surface": pl.String,
            "value_low": pl.Float64,
            "value_high": pl.Float64,
            "unit": pl.String,
            "speaker_id": pl.String,
        },
    )

    keyword_rows = []
    chapter_texts = [text[a:b] for a, b in zip(chapter_starts, chapter_ends, strict=True)]
    per_chapter, whole = enrich.keywords(chapter_texts if len(chapter_texts) > 1 else [text])
    if len(chapter_texts) > 1:
        for chapter_idx, ranked in enumerate(per_chapter):
            keyword_rows += [
                {"chapter_idx": chapter_idx, "keyword": k, "score": s, "rank": r + 1} for r, (k, s) in enumerate(ranked)
            ]
    keyword_rows += [{"chapter_idx": None, "keyword": k, "score": s, "rank": r + 1} for r, (k, s) in enumerate(whole)]
    keywords = pl.DataFrame(
        keyword_rows, schema={"chapter_idx": pl.Int64, "keyword": pl.String, "score": pl.Float64, "rank": pl.Int64}
    )

    found = (
        find_mentions(text, [(x.start, x.end) for x in seg.sentences], settings.gazetteer)
        if settings.gazetteer is not None
        else []
    )
    mentions = pl.DataFrame(
        [
            {
                "start_char": m.start,
                "end_char": m.end,
                "sentence_idx": m.sentence_idx,
                "surface": m.surface,
                "entity_id": m.entity_id,
                "canonical": m.canonical,
                "entity_type": m.entity_type,
                "match_kind": m.match_kind,
            }
            for m in found
        ],
        schema={
            "start_char": pl.Int64,
            "end_char": pl.Int64,
            "sentence_idx": pl.Int64,
            "surface": pl.String,
            "entity_id": pl.String,
            "canonical": pl.String,
            "entity_type": pl.String,
            "match_kind": pl.String,
        },
    )

    episode = pl.DataFrame(
        [
            {
                "source_path": source_path,
                "title": meta.get("episode_title") or doc.title,
                "show": meta.get("show"),
                "episode_number": int(number)
                if (number := meta.get("episode_number", "")).isascii() and number.isdigit()
                else None,
                "published_on": None,
                "hosts": hosts,
                "guests": guests,
                "language": doc.language,
                "duration_s": duration_s,
                "duration_source": alignment.duration_source,
                "n_chapters": chapters.height,
                "n_turns": turns.height,
                "n_sentences": sentences.height,
                "n_words": int(sentences["n_words"].sum()),
                "pipeline_version": settings.pipeline_version,
                "run_id": settings.run_id,
            }
        ],
        schema_overrides={
            "published_on": pl.Date,
            "hosts": pl.List(pl.String),
            "guests": pl.List(pl.String),
            "language": pl.String,
            "show": pl.String,
            "episode_number": pl.Int64,
            "title": pl.String,
        },
    )

    documents = pl.DataFrame([{"raw_text": raw_text, "clean_text": text, "cleaning_steps": list(seg.steps)}])

    frames = {
        "episodes": episode,
        "documents": documents,
        "chapters": chapters,
        "speakers": speakers,
        "turns": turns,
        "sentences": sentences,
        "mentions": mentions,
        "quantities": quantities,
        "events": events,
        "keywords": keywords,
    }
    return {name: frame.with_columns(pl.lit(episode_id).alias("episode_id")) for name, frame in frames.items()}


def _estimated_time_at(char: int, sentence_starts: list[int], timings: Sequence) -> float | None:
    if not timings:
        return None
    i = max(bisect.bisect_right(sentence_starts, char) - 1, 0)
    return timings[i].end_s if char > sentence_starts[i] else timings[i].start_s
