"""Hypothesis strategies and builders for test data, derived from the contracts in `expectations.contracts`.

Two layers, like polars' parametric testing (``dataframes(cols=[column(name, dtype, allow_null)])``):

* From a column's declaration alone: `column_values` (a strategy for any value the column may hold) and
  `default_value` (one deterministic such value). `table_frame` turns rows that give only some columns into
  a frame with exactly the contract's columns, filling the others through a `Fill` (defaults, or values
  drawn once per column and cycled over the rows); `contract_frames` draws whole frames of one table.
* Valid batches: `batches()` draws small episodes as nested lists of words (episode -> turns -> sentences
  -> words), and `frames_from_spec` lays them out into a clean_text with every offset computed while the
  string is built. It sets only the columns the contract's rules read (keys, offsets, texts, times, counts
  and cross-table links) and leaves every other column to the fill, so each generated batch satisfies
  every rule, and a column added to a contract needs no change here. Words include non-ASCII characters
  (accents, an emoji, CJK) so code-point offsets are exercised.

Every builder takes the table registry as an optional ``tables`` argument (default `TABLES`), so a test can
hand it a modified contract.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa
from hypothesis import strategies as st

from expectations.contracts import EPISODE_TABLES, TABLES, Column, Table

Tables = Mapping[str, Table]
Row = dict[str, Any]

# --- values from a column's declaration ------------------------------------------------------------

_EPOCH = dt.datetime(1970, 1, 1)


def _non_null_values(
    dtype: pa.DataType,
    allowed: tuple[str, ...] | None = None,
    lo: float | None = None,
    hi: float | None = None,
) -> st.SearchStrategy[Any]:
    if allowed is not None:
        return st.sampled_from(allowed)
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return st.text(max_size=12)
    if pa.types.is_integer(dtype):
        return st.integers(
            min_value=-(2**63) if lo is None else math.ceil(lo),
            max_value=2**63 - 1 if hi is None else math.floor(hi),
        )
    if pa.types.is_floating(dtype):
        return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
    if pa.types.is_boolean(dtype):
        return st.booleans()
    if pa.types.is_date(dtype):
        return st.dates()
    if pa.types.is_timestamp(dtype):
        tz = None if dtype.tz is None else zoneinfo.ZoneInfo(dtype.tz)
        return st.datetimes(
            min_value=_EPOCH, max_value=dt.datetime(2100, 1, 1), timezones=st.none() if tz is None else st.just(tz)
        )
    if pa.types.is_list(dtype):
        return st.lists(_non_null_values(dtype.value_type), max_size=3)
    raise NotImplementedError(f"no strategy for Arrow type {dtype}")


def column_values(column: Column) -> st.SearchStrategy[Any]:
    """Any value `column` may hold: of its dtype, from its allowed set, inside its bounds, or null if nullable.

    An Arrow type with no strategy raises NotImplementedError, so a contract that starts using a new type
    fails here, in one place.
    """
    values = _non_null_values(column.dtype, column.allowed, column.min_value, column.max_value)
    return st.none() | values if column.nullable else values


def _zero(dtype: pa.DataType) -> Any:
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return ""
    if pa.types.is_integer(dtype):
        return 0
    if pa.types.is_floating(dtype):
        return 0.0
    if pa.types.is_boolean(dtype):
        return False
    if pa.types.is_date(dtype):
        return _EPOCH.date()
    if pa.types.is_timestamp(dtype):
        return _EPOCH if dtype.tz is None else _EPOCH.replace(tzinfo=zoneinfo.ZoneInfo(dtype.tz))
    if pa.types.is_list(dtype):
        return []
    raise NotImplementedError(f"no default for Arrow type {dtype}")


def default_value(column: Column) -> Any:
    """The value a builder fills `column` with by default.

    Null when the column is nullable, else its first allowed value, else the zero of its type ("", 0, 0.0,
    False, the epoch, []), moved inside min_value..max_value.
    """
    if column.nullable:
        return None
    if column.allowed is not None:
        return column.allowed[0]
    value = _zero(column.dtype)
    lo, hi = column.min_value, column.max_value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int):
        lo = None if lo is None else math.ceil(lo)
        hi = None if hi is None else math.floor(hi)
    if lo is not None:
        value = max(value, type(value)(lo))
    if hi is not None:
        value = min(value, type(value)(hi))
    return value


@functools.cache
def _pools(column: Column) -> st.SearchStrategy[list[Any]]:
    # Cached: building the strategy again for every draw costs more than the draw.
    return st.lists(column_values(column), min_size=1, max_size=3)


class Fill:
    """The values a builder gives the columns a row does not set.

    Without `draw`, every such cell is `default_value(column)`. With a hypothesis `draw`, each (table,
    column) draws one to three values from `column_values` the first time it is needed, and row *i* of the
    table gets value *i* modulo their number: little data to draw, yet columns mix values (and nulls).
    """

    def __init__(self, draw: st.DrawFn | None = None) -> None:
        self._draw = draw
        self._drawn: dict[tuple[str, str], list[Any]] = {}

    def value(self, table: Table, column: Column, row: int) -> Any:
        if self._draw is None:
            return default_value(column)
        key = (table.name, column.name)
        if key not in self._drawn:
            self._drawn[key] = self._draw(_pools(column))
        values = self._drawn[key]
        return values[row % len(values)]


DEFAULTS = Fill()


def table_frame(
    name: str, rows: Sequence[Mapping[str, Any]], *, tables: Tables = TABLES, fill: Fill = DEFAULTS
) -> pl.DataFrame:
    """`rows` as a frame of table `name`: exactly its contract columns, in order, as its dtypes.

    Each row gives the columns its caller cares about; `fill` gives every other column from its
    declaration. A row naming a column the contract does not have raises KeyError.
    """
    table = tables[name]
    unknown = sorted({k for r in rows for k in r} - set(table.column_names))
    if unknown:
        raise KeyError(f"{name} has no columns {unknown}")
    data = {
        c.name: [r[c.name] if c.name in r else fill.value(table, c, i) for i, r in enumerate(rows)]
        for c in table.columns
    }
    return pl.DataFrame(data, schema=table.polars_schema())


@st.composite
def contract_frames(draw: st.DrawFn, name: str, *, tables: Tables = TABLES, max_rows: int = 5) -> pl.DataFrame:
    """Frames of table `name` with every value drawn from its column's declaration and unique keys.

    Only the columns' declarations hold: cross-row and cross-table rules are not (see `batches` for that).
    """
    table = tables[name]
    row = st.fixed_dictionaries({c.name: column_values(c) for c in table.columns})
    rows = draw(st.lists(row, max_size=max_rows, unique_by=lambda r: tuple(r[k] for k in table.key)))
    return table_frame(name, rows, tables=tables)


# --- valid batches of episodes ---------------------------------------------------------------------

WORDS = ("we", "data", "model", "café", "naïve", "über", "GPU", "42", "1990", "😀", "東京", "it's", "yeah")
SEPARATORS = (" ", "\n", "\n\n", "  ", " \t ")
WPM = 150.0
ENTITY_WORDS = frozenset({"GPU", "東京"})


@dataclass(frozen=True)
class EpisodeSpec:
    """One episode: turns of sentences of words, plus layout choices."""

    turns: tuple[tuple[tuple[str, ...], ...], ...]
    separators: tuple[str, ...]  # one before each turn, plus one at the end
    sentence_sep: str
    n_chapters: int
    duration_source: str
    n_speakers: int


def frames_from_spec(
    specs: list[EpisodeSpec], *, tables: Tables = TABLES, fill: Fill = DEFAULTS
) -> dict[str, pl.DataFrame]:
    """Valid frames for every episode table (`EPISODE_TABLES`); episode *i* of `specs` is ``ep{i}``.

    The rows set only the columns the rules read; `fill` gives the rest (deterministic defaults unless a
    drawing `Fill` is passed).
    """
    rows: dict[str, list[Row]] = {name: [] for name in EPISODE_TABLES}
    for e, spec in enumerate(specs):
        _episode(f"ep{e}", spec, rows)
    return {name: table_frame(name, r, tables=tables, fill=fill) for name, r in rows.items()}


def _episode(eid: str, spec: EpisodeSpec, rows: dict[str, list[Row]]) -> None:
    parts: list[str] = []
    pos = 0
    t_s = 0.0
    time_source = "estimated" if spec.duration_source == "estimated" else "given"
    turns: list[Row] = []
    sentences: list[Row] = []
    sidx = 0

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    def span(start: int, start_s: float) -> Row:
        return dict(episode_id=eid, start_char=start, end_char=pos, start_s=start_s, end_s=t_s, time_source=time_source)

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
                where = dict(episode_id=eid, start_char=pos, end_char=pos + len(w), sentence_idx=sidx, surface=w)
                if w in ENTITY_WORDS:
                    rows["mentions"].append(where)
                if w.isdigit():
                    rows["quantities"].append(dict(where, value_low=float(w), value_high=float(w), speaker_id=speaker))
                emit(w)
            emit(".")
            t_s += len(words) * 60.0 / WPM
            sentences.append(dict(span(s_start, s_start_s), sentence_idx=sidx, turn_idx=ti, n_words=len(words)))
            sidx += 1
            t_words += len(words)
        turns.append(dict(span(t_start, t_start_s), turn_idx=ti, speaker_id=speaker, n_words=t_words))
    emit(spec.separators[len(spec.turns)])
    text = "".join(parts)
    duration = t_s
    for r in (*turns, *sentences):
        r["text"] = text[r["start_char"] : r["end_char"]]

    # Chapters start at turn boundaries; the first at 0 and the last runs to the end of the text.
    n_ch = min(spec.n_chapters, len(turns))
    firsts = [round(i * len(turns) / n_ch) for i in range(n_ch)] if n_ch else []
    starts = [(0, 0.0) if ci == 0 else (turns[f]["start_char"], turns[f]["start_s"]) for ci, f in enumerate(firsts)]
    ends = [*starts[1:], (len(text), duration)] if starts else []
    chapters = [
        dict(
            episode_id=eid,
            chapter_idx=ci,
            start_char=start_char,
            end_char=end_char,
            start_s=start_s,
            end_s=end_s,
            time_source=time_source,
        )
        for ci, ((start_char, start_s), (end_char, end_s)) in enumerate(zip(starts, ends, strict=True))
    ]
    for t in turns:
        t["chapter_idx"] = max((c["chapter_idx"] for c in chapters if c["start_char"] <= t["start_char"]), default=None)
    for s in sentences:
        s["chapter_idx"] = turns[s["turn_idx"]]["chapter_idx"]

    rows["episodes"].append(
        dict(
            episode_id=eid,
            duration_s=duration,
            duration_source=spec.duration_source,
            n_chapters=len(chapters),
            n_turns=len(turns),
            n_sentences=len(sentences),
            n_words=sum(t["n_words"] for t in turns),
        )
    )
    rows["documents"].append(dict(episode_id=eid, clean_text=text))
    rows["chapters"].extend(chapters)
    rows["speakers"].extend(dict(episode_id=eid, speaker_id=sp) for sp in dict.fromkeys(t["speaker_id"] for t in turns))
    rows["turns"].extend(turns)
    rows["sentences"].extend(sentences)
    rows["events"].extend(
        dict(episode_id=eid, event_idx=i, start_char=t["start_char"], turn_idx=t["turn_idx"], start_s=t["start_s"])
        for i, t in enumerate(turns[::3])
    )
    rows["keywords"].append(dict(episode_id=eid, chapter_idx=None, keyword="data"))


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
def batches(draw: st.DrawFn, max_episodes: int = 3, *, tables: Tables = TABLES) -> dict[str, pl.DataFrame]:
    """A batch of 1..max_episodes valid episodes as frames keyed by table name.

    The columns no rule reads hold values drawn from their declarations (see `Fill`).
    """
    specs = draw(st.lists(episode_specs(), min_size=1, max_size=max_episodes))
    return frames_from_spec(specs, tables=tables, fill=Fill(draw))


def big_batch(
    n_episodes: int = 4, turns_per_episode: int = 118, sentences_per_turn: int = 3, *, tables: Tables = TABLES
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
    return frames_from_spec(specs, tables=tables)


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
