"""The steps that turn a segmented file into the rows of every episode table, in order (`STEPS`).

Each step reads and writes columns of the `Episode` document's layers and says which (see
`tasks.document`). To add a column: declare it in `expectations/contracts.py` and write it in the step
below that owns its concern (or a new step, added to `STEPS`). The models behind the steps live in their
own modules: `tasks.enrich` (sentence features), `tasks.times` (times), `tasks.speakers` (who speaks),
`tasks.quantities`, `tasks.keywords`, `tasks.entities`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import polars as pl

from expectations.contracts import MAX_WPM, MIN_WPM
from tasks import enrich, keywords, quantities
from tasks.document import BuildContext, Episode, Step, step
from tasks.entities import find_mentions
from tasks.formats import codes
from tasks.formats._time import format_clock
from tasks.model import Finding
from tasks.paragraphs import paragraph_indices
from tasks.speakers import HeaderPeople, TurnView, attribute_episode, speaker_rows
from tasks.speakers.introductions import show_named_in
from tasks.speakers.people import split_names
from tasks.times import align
from tasks.times.file_times import sentence_file_times, sentence_stamps, turn_file_times

# Non-speech that takes time of its own (crosstalk and inaudible speech are speech).
TIMED_NON_SPEECH = frozenset({"music", "applause", "laughter", "silence"})

# The order time sources are ranked in when a turn's sentences disagree: the turn is as good as its worst.
_TIME_SOURCE_RANK = {"given": 0, "interpolated": 1, "estimated": 2}


@step(
    reads={},
    writes={
        "documents": ["raw_text", "clean_text", "cleaning_steps"],
        "episodes": [
            "source_path", "title", "show", "episode_number", "published_on", "hosts", "guests", "language",
            "_people",
        ],
        "chapters": ["chapter_idx", "title", "start_s", "time_source"],
        "turns": ["turn_idx", "start_char", "end_char", "text", "is_interrupted", "_label", "_file_start_s",
                  "_file_end_s"],
        "sentences": ["sentence_idx", "turn_idx", "start_char", "end_char", "text", "flag", "_file_start_s",
                      "_file_end_s", "_file_source", "_file_error_s", "_stamp_s", "_stamp_exact"],
        "events": ["event_idx", "start_char", "kind", "surface", "turn_idx", "_file_start_s"],
    },
)  # fmt: skip
def lay_out(ep: Episode, ctx: BuildContext) -> Episode:
    """The layers as the reader and the segmenter found them: spans, labels, the file's own times and header."""
    assert ep.source is not None
    doc, seg, text = ep.source.parsed, ep.source.segmented, ep.text
    meta = doc.metadata
    number = meta.get("episode_number", "")
    episodes = {
        "source_path": ep.origin.source_path,
        "title": meta.get("episode_title") or doc.title,
        # a title that names no show leaves it to the opening words ("Welcome to Lenny's Podcast")
        "show": meta.get("show")
        or show_named_in([text[t.start : t.end] for t in seg.turns[: ctx.attribution.opening_turns]]),
        "episode_number": int(number) if number.isascii() and number.isdigit() else None,
        "published_on": None,
        "hosts": split_names(meta.get("hosts")),
        "guests": split_names(meta.get("guests")),
        "language": doc.language,
        "_people": split_names(meta.get("people")),
    }
    turn_times = turn_file_times(seg)
    turns = {
        "turn_idx": range(len(seg.turns)),
        "start_char": [t.start for t in seg.turns],
        "end_char": [t.end for t in seg.turns],
        "text": [text[t.start : t.end] for t in seg.turns],
        "is_interrupted": [t.is_interrupted for t in seg.turns],
        "_label": [t.label for t in seg.turns],
        "_file_start_s": [None if t is None else t[0] for t in turn_times],
        "_file_end_s": [None if t is None else t[1] for t in turn_times],
    }
    file_times = sentence_file_times(seg, ctx.alignment)
    stamps = _one_stamp_per_sentence(sentence_stamps(seg), len(seg.sentences))
    sentences = {
        "sentence_idx": range(len(seg.sentences)),
        "turn_idx": [s.turn_idx for s in seg.sentences],
        "start_char": [s.start for s in seg.sentences],
        "end_char": [s.end for s in seg.sentences],
        "text": [text[s.start : s.end] for s in seg.sentences],
        "flag": [s.flag for s in seg.sentences],
        "_file_start_s": [None if g is None else g.start_s for g in file_times],
        "_file_end_s": [None if g is None else g.end_s for g in file_times],
        "_file_source": [None if g is None else g.source for g in file_times],
        "_file_error_s": [None if g is None else g.error_s for g in file_times],
        "_stamp_s": [None if s is None else s[0] for s in stamps],
        "_stamp_exact": [None if s is None else s[1] for s in stamps],
    }
    events = {
        "event_idx": range(len(seg.events)),
        "start_char": [e.at for e in seg.events],
        "kind": [e.kind for e in seg.events],
        "surface": [e.surface for e in seg.events],
        "turn_idx": [e.turn_idx for e in seg.events],
        "_file_start_s": [e.start_s for e in seg.events],
    }
    chapters = {
        "chapter_idx": range(len(doc.chapters)),
        "title": [c.title for c in doc.chapters],
        "start_s": [c.start_s for c in doc.chapters],
        "time_source": ["given"] * len(doc.chapters),
    }
    documents = {"raw_text": [ep.source.raw_text], "clean_text": [text], "cleaning_steps": [list(seg.steps)]}
    layers = {
        "documents": pl.DataFrame(documents),
        "episodes": pl.DataFrame({k: [v] for k, v in episodes.items()}),
        "chapters": _frame(chapters),
        "turns": _frame(turns),
        "sentences": _frame(sentences),
        "events": _frame(events),
    }
    for name, frame in layers.items():
        ep = ep.add_layer(name, frame)
    return ep


def _frame(columns: dict[str, Sequence[object]]) -> pl.DataFrame:
    return pl.DataFrame({name: pl.Series(name, list(values)) for name, values in columns.items()})


def _one_stamp_per_sentence(stamps: Sequence[tuple[int, float, bool]], n: int) -> list[tuple[float, bool] | None]:
    """A sentence keeps its first stamp, unless a later one is exact and the kept one is not."""
    out: list[tuple[float, bool] | None] = [None] * n
    for i, t, exact in stamps:
        kept = out[i]
        if kept is None or (exact and not kept[1]):
            out[i] = (t, exact)
    return out


@step(
    reads={"sentences": ["text"]},
    writes={"sentences": ["n_words", "is_question", "question_kind", "n_fillers"]},
)
def sentence_features(ep: Episode, ctx: BuildContext) -> Episode:
    return ep.assign("sentences", enrich.sentence_features(ctx.reference.fillers))


@step(reads={"sentences": ["turn_idx", "n_words"], "turns": ["turn_idx"]}, writes={"turns": ["n_words"]})
def turn_words(ep: Episode, ctx: BuildContext) -> Episode:
    words = ep.layer("sentences").group_by("turn_idx").agg(pl.col("n_words").sum())
    per_turn = dict(zip(words["turn_idx"].to_list(), words["n_words"].to_list(), strict=True))
    return ep.assign("turns", {"n_words": [per_turn.get(i, 0) for i in ep.layer("turns")["turn_idx"]]})


@step(reads={"turns": ["text"]}, writes={"turns": ["is_backchannel"]})
def backchannels(ep: Episode, ctx: BuildContext) -> Episode:
    return ep.assign("turns", {"is_backchannel": [enrich.is_backchannel(t) for t in ep.layer("turns")["text"]]})


@step(reads={"sentences": ["text"]}, writes={"sentences": ["sentiment"]})
def sentiment(ep: Episode, ctx: BuildContext) -> Episode:
    return ep.assign("sentences", {"sentiment": enrich.sentiment(ep.layer("sentences")["text"].to_list())})


def alignment_inputs(ep: Episode) -> dict[str, Any]:
    """What `align` is told of an episode (the bench scores the time model on exactly these)."""
    s, chapters = ep.layer("sentences"), ep.layer("chapters")
    turn_of = s["turn_idx"].to_list()
    backchannel_turn = ep.layer("turns")["is_backchannel"].to_list()
    given = [
        None if start is None else (start, end, source, error)
        for start, end, source, error in s.select(
            "_file_start_s", "_file_end_s", "_file_source", "_file_error_s"
        ).rows()
    ]
    stamps = [
        (i, t, exact) for i, (t, exact) in enumerate(s.select("_stamp_s", "_stamp_exact").rows()) if t is not None
    ]
    # Tagged music, applause and laughter take time before the sentence after them.
    sentence_starts = s["start_char"].to_list()
    nonspeech_tags: list[list[int]] = [[] for _ in range(len(sentence_starts) + 1)]
    for char, kind, surface in ep.layer("events").select("start_char", "kind", "surface").rows():
        if kind in TIMED_NON_SPEECH:
            sung = len(surface.strip("♪ ").split()) if surface.startswith("♪") else 0
            nonspeech_tags[bisect.bisect_left(sentence_starts, char)].append(sung)
    return {
        "sentence_words": s["n_words"].to_list(),
        "given": given,
        "chapter_starts_s": chapters["start_s"].to_list(),
        "sentence_texts": s["text"].to_list(),
        "chapter_titles": chapters["title"].to_list(),
        "sentence_turn": turn_of,
        "backchannel": [backchannel_turn[t] for t in turn_of],
        "stamps": stamps,
        "nonspeech_tags": nonspeech_tags,
    }


@step(
    reads={
        "sentences": ["n_words", "text", "turn_idx", "start_char", "_file_start_s", "_file_end_s", "_file_source",
                      "_file_error_s", "_stamp_s", "_stamp_exact"],
        "turns": ["is_backchannel"],
        "chapters": ["start_s", "title"],
        "events": ["_file_start_s", "start_char", "kind", "surface"],
    },
    writes={
        "sentences": ["start_s", "end_s", "time_source", "time_error_s"],
        "chapters": ["start_char", "end_char", "end_s", "align_confidence"],
        "episodes": ["duration_s", "duration_source"],
    },
)  # fmt: skip
def align_times(ep: Episode, ctx: BuildContext) -> Episode:
    """A time and error per sentence, each chapter placed in the text, and the episode's length."""
    s, chapters = ep.layer("sentences"), ep.layer("chapters")
    chapter_starts_s = chapters["start_s"].to_list()
    alignment = align(**alignment_inputs(ep), params=ctx.alignment)
    # Chapters tile the clean text: each starts at its first sentence, the next one's start ends it.
    sentence_starts = s["start_char"].to_list()
    chapter_starts = [
        0
        if i == 0
        else (sentence_starts[p.first_sentence] if p.first_sentence < len(sentence_starts) else len(ep.text))
        for i, p in enumerate(alignment.chapters)
    ]
    chapter_ends = [*chapter_starts[1:], len(ep.text)] if chapter_starts else []
    # Non-speech the file timed after the last words (closing music) still lies inside the recording.
    event_times = [t for t in ep.layer("events")["_file_start_s"].to_list() if t is not None]
    duration_s = max([alignment.duration_s, *event_times])
    chapter_ends_s = [*chapter_starts_s[1:], max(duration_s, chapter_starts_s[-1])] if chapter_starts_s else []
    timings = alignment.sentences
    if alignment.misfit_chapters:
        listed = ", ".join(f"{k + 1} ({format_clock(chapter_starts_s[k])})" for k in alignment.misfit_chapters)
        ep = ep.noting(
            [
                Finding(
                    codes.CHAPTERS_DO_NOT_FIT,
                    "warning",
                    f"chapters {listed}: their words cannot be spoken in their time at any human rate "
                    f"({MIN_WPM:g}-{MAX_WPM:g} words a minute)",
                    "chapters",
                )
            ]
        )
    return (
        ep.assign("sentences", _columns_of(timings, "start_s", "end_s", "time_source", "time_error_s"))
        .assign(
            "chapters",
            {
                "start_char": chapter_starts,
                "end_char": chapter_ends,
                "end_s": chapter_ends_s,
                "align_confidence": [p.confidence for p in alignment.chapters],
            },
        )
        .assign("episodes", {"duration_s": [duration_s], "duration_source": [alignment.duration_source]})
    )


@step(
    reads={"chapters": ["start_char"], "sentences": ["start_char"], "turns": ["start_char"]},
    writes={"sentences": ["chapter_idx"], "turns": ["chapter_idx"]},
)
def chapter_of_spans(ep: Episode, ctx: BuildContext) -> Episode:
    """The chapter each sentence and turn starts in."""
    starts = ep.layer("chapters")["start_char"].to_list()

    def chapter_at(chars: pl.Series) -> list[int | None]:
        return [max(bisect.bisect_right(starts, c) - 1, 0) if starts else None for c in chars]

    return ep.assign("sentences", {"chapter_idx": chapter_at(ep.layer("sentences")["start_char"])}).assign(
        "turns", {"chapter_idx": chapter_at(ep.layer("turns")["start_char"])}
    )


@step(
    reads={"sentences": ["turn_idx", "start_s", "end_s", "n_words", "time_source"]},
    writes={"sentences": ["paragraph_idx"]},
)
def sentence_paragraphs(ep: Episode, ctx: BuildContext) -> Episode:
    """Paragraphs from turns, the file's pauses and length."""
    s = ep.layer("sentences")
    columns = ("turn_idx", "start_s", "end_s", "n_words", "time_source")
    return ep.assign("sentences", {"paragraph_idx": paragraph_indices(*(s[c].to_list() for c in columns))})


@step(
    reads={
        "sentences": ["turn_idx", "start_s", "end_s", "time_source", "time_error_s"],
        "turns": ["_file_start_s", "_file_end_s"],
    },
    writes={"turns": ["start_s", "end_s", "time_source", "time_error_s"]},
)
def turn_times(ep: Episode, ctx: BuildContext) -> Episode:
    """A turn runs from its first sentence's start to its latest end, as good as its worst sentence; where
    the file timed the turn's own edges (a cue per turn), those times are given."""
    sentences = ep.layer("sentences").select("turn_idx", "start_s", "end_s", "time_source", "time_error_s").rows()
    by_turn: dict[int, list[tuple]] = {}
    for row in sentences:
        by_turn.setdefault(row[0], []).append(row)
    columns: dict[str, list] = {"start_s": [], "end_s": [], "time_source": [], "time_error_s": []}
    for i, (file_start, file_end) in enumerate(ep.layer("turns").select("_file_start_s", "_file_end_s").rows()):
        rows = by_turn[i]
        if file_start is not None:
            times = (file_start, file_end, "given", 0.0)
        else:
            times = (
                rows[0][1],
                max(r[2] for r in rows),
                max((r[3] for r in rows), key=_TIME_SOURCE_RANK.__getitem__),
                max(r[4] for r in rows),
            )
        for column, value in zip(columns, times, strict=True):
            columns[column].append(value)
    return ep.assign("turns", columns)


@step(
    reads={"events": ["start_char", "_file_start_s"], "sentences": ["start_char", "start_s", "end_s"]},
    writes={"events": ["start_s"]},
)
def event_times(ep: Episode, ctx: BuildContext) -> Episode:
    """An event keeps the file's time, else takes the time of the sentence edge where its tag was removed."""
    s = ep.layer("sentences")
    starts, start_s, end_s = s["start_char"].to_list(), s["start_s"].to_list(), s["end_s"].to_list()
    times = []
    for char, given in ep.layer("events").select("start_char", "_file_start_s").rows():
        if given is not None:
            times.append(given)
            continue
        i = max(bisect.bisect_right(starts, char) - 1, 0)
        times.append(end_s[i] if char > starts[i] else start_s[i])
    return ep.assign("events", {"start_s": times})


@step(
    reads={
        "turns": ["text", "n_words", "_label", "is_backchannel"],
        "episodes": ["show", "title", "hosts", "guests", "_people"],
    },
    writes={
        "turns": ["speaker_id", "attribution", "attribution_confidence"],
        "speakers": ["speaker_id", "name", "role", "n_turns", "n_words", "talk_share"],
    },
)
def attribute_speakers(ep: Episode, ctx: BuildContext) -> Episode:
    """Who says each turn, with a calibrated confidence, and one row per speaker."""
    turns = ep.layer("turns")
    views = [TurnView(*row) for row in turns.select("text", "n_words", "_label", "is_backchannel").rows()]
    episode = ep.layer("episodes").row(0, named=True)
    header = HeaderPeople(episode["hosts"], episode["guests"], episode["_people"])
    attributions, findings = attribute_episode(
        views,
        header=header,
        show=episode["show"],
        title=episode["title"],
        people_by_show=ctx.reference.people_by_show,
        params=ctx.attribution,
        voices=ctx.voices,
    )
    speakers = speaker_rows(attributions, [v.n_words for v in views])
    columns = ("speaker_id", "name", "role", "n_turns", "n_words", "talk_share")
    return (
        ep.assign(
            "turns",
            _columns_of(attributions, "speaker_id", "attribution", attribution_confidence="confidence"),
        )
        .add_layer("speakers", _from_rows([[r[c] for c in columns] for r in speakers], columns))
        .noting(findings)
    )


@step(
    reads={"sentences": ["text", "start_char", "turn_idx"], "turns": ["speaker_id"]},
    writes={
        "quantities": ["start_char", "end_char", "sentence_idx", "surface", "value_low", "value_high", "unit",
                       "speaker_id"],
    },
)  # fmt: skip
def numbers_said(ep: Episode, ctx: BuildContext) -> Episode:
    speaker_of_turn = ep.layer("turns")["speaker_id"].to_list()
    rows = []
    for i, (text, start, turn) in enumerate(ep.layer("sentences").select("text", "start_char", "turn_idx").rows()):
        for q in quantities.quantities(text):
            rows.append(
                (start + q.start, start + q.end, i, q.surface, q.value_low, q.value_high, q.unit, speaker_of_turn[turn])
            )
    columns = ("start_char", "end_char", "sentence_idx", "surface", "value_low", "value_high", "unit", "speaker_id")
    return ep.add_layer("quantities", _from_rows(rows, columns))


def _columns_of(items: Sequence[object], *names: str, **renamed: str) -> dict[str, list[object]]:
    """Columns from the attributes of a sequence of objects: `names` as they are, `renamed` column=attribute."""
    pairs = [*((n, n) for n in names), *renamed.items()]
    return {column: [getattr(item, attribute) for item in items] for column, attribute in pairs}


def _from_rows(rows: Sequence[Sequence[object]], columns: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=list(columns), orient="row")


@step(reads={"chapters": ["start_char", "end_char"]}, writes={"keywords": ["chapter_idx", "keyword", "score", "rank"]})
def chapter_keywords(ep: Episode, ctx: BuildContext) -> Episode:
    """Keywords of each chapter (when there are two or more) and of the episode, by keyness."""
    chapters = ep.layer("chapters")
    texts = [ep.text[a:b] for a, b in chapters.select("start_char", "end_char").rows()]
    per_chapter, whole = keywords.keywords(texts if len(texts) > 1 else [ep.text])
    rows: list[tuple] = []
    if len(texts) > 1:
        for chapter_idx, ranked in enumerate(per_chapter):
            rows += [(chapter_idx, k, score, r + 1) for r, (k, score) in enumerate(ranked)]
    rows += [(None, k, score, r + 1) for r, (k, score) in enumerate(whole)]
    return ep.add_layer("keywords", _from_rows(rows, ("chapter_idx", "keyword", "score", "rank")))


@step(
    reads={"sentences": ["start_char", "end_char"]},
    writes={
        "mentions": ["start_char", "end_char", "sentence_idx", "surface", "entity_id", "canonical", "entity_type",
                     "match_kind", "confidence"],
    },
)  # fmt: skip
def entity_mentions(ep: Episode, ctx: BuildContext) -> Episode:
    gazetteer = ctx.reference.gazetteer
    spans = ep.layer("sentences").select("start_char", "end_char").rows()
    found = find_mentions(ep.text, spans, gazetteer) if gazetteer is not None else []
    columns = (
        "start_char",
        "end_char",
        "sentence_idx",
        "surface",
        "entity_id",
        "canonical",
        "entity_type",
        "match_kind",
        "confidence",
    )
    return ep.add_layer("mentions", _from_rows(found, columns))


@step(
    reads={"chapters": ["chapter_idx"], "turns": ["turn_idx"], "sentences": ["n_words"]},
    writes={"episodes": ["n_chapters", "n_turns", "n_sentences", "n_words"]},
)
def counts(ep: Episode, ctx: BuildContext) -> Episode:
    sentences = ep.layer("sentences")
    return ep.assign(
        "episodes",
        {
            "n_chapters": [ep.layer("chapters").height],
            "n_turns": [ep.layer("turns").height],
            "n_sentences": [sentences.height],
            "n_words": [int(sentences["n_words"].sum())],
        },
    )


@step(reads={}, writes={"episodes": ["pipeline_version", "run_id"]})
def lineage(ep: Episode, ctx: BuildContext) -> Episode:
    return ep.assign("episodes", {"pipeline_version": [ctx.pipeline_version], "run_id": [ctx.run_id]})


STEPS: tuple[Step, ...] = (
    lay_out,
    sentence_features,
    turn_words,
    backchannels,
    sentiment,
    align_times,
    chapter_of_spans,
    sentence_paragraphs,
    turn_times,
    event_times,
    attribute_speakers,
    numbers_said,
    chapter_keywords,
    entity_mentions,
    counts,
    lineage,
)
