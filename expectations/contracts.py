"""One contract per table, declared once.

Everything else about a table is generated from the `Table` objects in `TABLES`: the Arrow schema the
writer casts to, the DuckDB DDL and COMMENTs, the Great Expectations suite (`suites.py`) and the data
dictionary (`dictionary.py`). A test (`tests/contracts/`) proves the generated forms agree.

Spans are half-open character offsets ``[start_char, end_char)`` into `documents.clean_text`, counted in
code points (Python ``str`` indices), so ``clean_text[start_char:end_char]`` gives the span's text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl
import pyarrow as pa

__all__ = [
    "EPISODE_TABLES",
    "TABLES",
    "Column",
    "ContractError",
    "Rule",
    "Table",
    "cast_to_contract",
    "conform",
    "duckdb_type",
]


class ContractError(ValueError):
    """A frame does not fit its table's contract (missing/extra columns, nulls where none are allowed)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its Arrow type, whether it may be null, and what it means."""

    name: str
    dtype: pa.DataType
    nullable: bool
    description: str
    allowed: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None

    @property
    def is_nested(self) -> bool:
        """List/struct columns: kept in Parquet, but never handed to GX (it pickles them, 5x slower)."""
        return pa.types.is_nested(self.dtype)


@dataclass(frozen=True, slots=True)
class Rule:
    """A cross-row or cross-table invariant; `rules.derive_checks` computes a ``chk_<name>`` column for it."""

    name: str
    description: str
    blocking: bool = True

    @property
    def check_column(self) -> str:
        return f"chk_{self.name}"


# Spelled as DuckDB reports them back in duckdb_columns(), so the agreement test compares verbatim.
_DUCKDB_SCALARS: dict[pa.DataType, str] = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us", tz="UTC"): "TIMESTAMP WITH TIME ZONE",
}


def duckdb_type(dtype: pa.DataType) -> str:
    """The DuckDB type a contract Arrow type is stored as."""
    if pa.types.is_list(dtype):
        return f"{duckdb_type(dtype.value_type)}[]"
    try:
        return _DUCKDB_SCALARS[dtype]
    except KeyError:
        raise ValueError(f"no DuckDB type mapped for Arrow type {dtype}") from None


def _ident(name: str) -> str:
    # Several column names (rank, text, format, status, kind, ...) are SQL keywords somewhere; quoting
    # all identifiers avoids having to keep a keyword list in step with DuckDB.
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Table:
    """A table's contract: grain, key, columns in storage order, and the rules its rows obey."""

    name: str
    grain: str
    key: tuple[str, ...]
    description: str
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = field(default=())

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column names")
        missing = [k for k in self.key if k not in names]
        if missing:
            raise ValueError(f"{self.name}: key columns {missing} are not columns")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def flat_columns(self) -> tuple[Column, ...]:
        """The columns GX sees (no list/struct columns)."""
        return tuple(c for c in self.columns if not c.is_nested)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def is_per_episode(self) -> bool:
        """Rows that belong to one episode: replaced together when the episode is published again."""
        return self.key[0] == "episode_id"

    def polars_schema(self) -> pl.Schema:
        """The contract's columns as polars dtypes, in storage order."""
        return _polars_schema(self)

    def arrow_schema(self) -> pa.Schema:
        """The schema the writer casts to; descriptions travel in field and schema metadata."""
        fields = [
            pa.field(c.name, c.dtype, nullable=c.nullable, metadata={"description": c.description})
            for c in self.columns
        ]
        return pa.schema(
            fields,
            metadata={"table": self.name, "grain": self.grain, "description": self.description},
        )

    def ddl(self) -> str:
        """``CREATE TABLE IF NOT EXISTS``; no PRIMARY KEY/UNIQUE because DuckLake cannot enforce them."""
        cols = ",\n".join(
            f"    {_ident(c.name)} {duckdb_type(c.dtype)}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        )
        return f"CREATE TABLE IF NOT EXISTS {_ident(self.name)} (\n{cols}\n)"

    def add_column_sql(self, name: str) -> str:
        """``ALTER TABLE ... ADD COLUMN`` for a column an older lake lacks: nullable, since its old rows have none."""
        column = self.column(name)
        return f"ALTER TABLE {_ident(self.name)} ADD COLUMN {_ident(name)} {duckdb_type(column.dtype)}"

    def comments_sql(self) -> list[str]:
        """``COMMENT ON`` statements for the table (description + grain) and every column."""
        table_comment = f"{self.description} Grain: {self.grain}. Key: {', '.join(self.key)}."
        out = [f"COMMENT ON TABLE {_ident(self.name)} IS {_literal(table_comment)}"]
        out.extend(
            f"COMMENT ON COLUMN {_ident(self.name)}.{_ident(c.name)} IS {_literal(c.description)}" for c in self.columns
        )
        return out


# Arrow types used by the contracts; kept as names so the declarations read like the design table.
STR = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()
TS = pa.timestamp("us", tz="UTC")
DATE = pa.date32()
LIST_STR = pa.list_(pa.string())

TIME_SOURCES = ("given", "interpolated", "estimated")

# Tolerance for times compared with the episode duration: durations are often rounded to the second.
DURATION_TOLERANCE_S = 0.5
# Plausible human speaking rates in words a minute, judged over spans of at least MIN_RATE_SPAN_S: the
# speaking-rate rule checks estimated times against them, and the time model keeps its rates inside them.
MIN_WPM, MAX_WPM = 80.0, 300.0
MIN_RATE_SPAN_S = 60.0


def _episode_id() -> Column:
    return Column(
        "episode_id",
        STR,
        False,
        "Stable episode identifier: the format's own id where it has one (e.g. a YouTube id), else derived "
        "from the source path relative to the input root; unchanged when the same source is edited.",
    )


def _start_char(what: str) -> Column:
    return Column(
        "start_char",
        INT,
        False,
        f"Offset in documents.clean_text where the {what} starts (code points, 0-based, inclusive).",
        min_value=0,
    )


def _end_char(what: str) -> Column:
    return Column(
        "end_char",
        INT,
        False,
        f"Offset in documents.clean_text where the {what} ends (code points, exclusive): "
        f"clean_text[start_char:end_char] is the {what}'s text.",
        min_value=0,
    )


def _time_cols(what: str) -> tuple[Column, ...]:
    return (
        Column(
            "start_s",
            FLOAT,
            True,
            f"Seconds from the start of the recording where the {what} starts; null when no time is known.",
            min_value=0,
        ),
        Column(
            "end_s",
            FLOAT,
            True,
            f"Seconds from the start of the recording where the {what} ends; null when no time is known.",
            min_value=0,
        ),
        Column(
            "time_source",
            STR,
            True,
            "Where start_s/end_s come from: given by the file, interpolated between given times, or "
            "estimated from word counts at a speaking rate; null when there are no times.",
            allowed=TIME_SOURCES,
        ),
        Column(
            "time_error_s",
            FLOAT,
            True,
            "Estimated uncertainty of start_s/end_s in seconds: 0 for times the file gives; for times "
            "interpolated inside a timed cue, the interpolation's error; otherwise it grows with distance "
            "from the nearest anchor; null when there are no times.",
            min_value=0,
        ),
    )


def _n_words(what: str) -> Column:
    return Column(
        "n_words",
        INT,
        False,
        f"Number of words in the {what} (whitespace-separated tokens containing a letter or digit).",
        min_value=0,
    )


def _lineage(run_desc: str) -> tuple[Column, ...]:
    return (
        Column("pipeline_version", STR, False, "Version of the pipeline code that produced the row."),
        Column("run_id", STR, False, run_desc),
    )


# ---- rules shared by several tables ------------------------------------------------------------

_SPAN = Rule(
    "span_inside_text",
    "0 <= start_char <= end_char <= length of documents.clean_text (code points).",
)
_TEXT_SPAN = Rule("text_matches_span", "text == documents.clean_text[start_char:end_char].")
_SURFACE_SPAN = Rule("surface_matches_span", "surface == documents.clean_text[start_char:end_char].")
_TIMES_ORDERED = Rule("times_ordered", "start_s <= end_s where both are known.")
_TIMES_IN_DURATION = Rule(
    "times_inside_duration",
    f"0 <= start_s and end_s <= episodes.duration_s + {DURATION_TOLERANCE_S} s where both are known.",
)


def _start_s_non_decreasing(idx: str) -> Rule:
    return Rule(
        "start_s_non_decreasing",
        f"Within an episode, start_s never decreases as {idx} grows (rows without start_s are skipped).",
    )


def _speaking_rate() -> Rule:
    return Rule(
        "speaking_rate_plausible",
        f"Where times are estimated and the span lasts at least {MIN_RATE_SPAN_S:g} s, words per minute are "
        f"between {MIN_WPM:g} and {MAX_WPM:g}; catches a bad estimate, so it is a warning only.",
        blocking=False,
    )


# ---- the tables ---------------------------------------------------------------------------------

SOURCES = Table(
    name="sources",
    grain="one row per input file path",
    key=("source_path",),
    description="Every input file the pipeline has seen, its content hash and what became of it.",
    columns=(
        Column(
            "source_path",
            STR,
            False,
            "Path of the file relative to the input root, POSIX separators.",
        ),
        Column("source_sha256", STR, False, "SHA-256 of the file's bytes, lowercase hex (64 characters)."),
        Column("bytes", INT, False, "File size in bytes.", min_value=0),
        Column(
            "episode_id",
            STR,
            True,
            "Episode the file was parsed into; null when it could not be parsed or is a duplicate.",
        ),
        Column(
            "format",
            STR,
            True,
            "Format detected from the content (e.g. page_text, webvtt, srt, whisper_json, labelled_text); "
            "null when undetectable.",
        ),
        Column(
            "format_confidence",
            FLOAT,
            True,
            "Confidence of the format detection, 0 to 1; null when no format was detected.",
            min_value=0,
            max_value=1,
        ),
        Column(
            "encoding",
            STR,
            True,
            "Text encoding the bytes were decoded with (e.g. utf-8, utf-8-sig, utf-16, cp1252); null when undecodable.",
        ),
        Column(
            "status",
            STR,
            False,
            "Outcome: published (its episode is in the lake), quarantined (see issues), missing (no longer "
            "in the input; rows kept unless pruned) or duplicate (same bytes as duplicate_of).",
            allowed=("published", "quarantined", "missing", "duplicate"),
        ),
        Column(
            "duplicate_of",
            STR,
            True,
            "source_path of the file with the same content (same sha256) that was processed instead; null "
            "unless status is duplicate.",
        ),
        Column("first_seen_at", TS, False, "When a run first saw this path (UTC); lineage only."),
        Column("last_run_id", STR, False, "run_id of the last run that looked at this file."),
        Column("pipeline_version", STR, False, "Version of the pipeline code that last processed the file."),
    ),
)

EPISODES = Table(
    name="episodes",
    grain="one row per episode",
    key=("episode_id",),
    description="One transcript: its metadata and row counts of its content tables.",
    columns=(
        _episode_id(),
        Column("source_path", STR, False, "sources.source_path of the file the episode was parsed from."),
        Column("title", STR, True, "Episode title from the file's header or metadata; null when not given."),
        Column("show", STR, True, "Name of the show or series, from the file or the reference list of shows."),
        Column(
            "episode_number",
            INT,
            True,
            "Number of the episode within its show, when the file or title states it.",
            min_value=0,
        ),
        Column("published_on", DATE, True, "Publication date, when the file states it."),
        Column("hosts", LIST_STR, False, "Names of the hosts (may be empty), from metadata or reference data."),
        Column("guests", LIST_STR, False, "Names of the guests (may be empty), from metadata or reference data."),
        Column("language", STR, True, "Language of the transcript as a BCP 47 tag (e.g. en), when known."),
        Column(
            "duration_s",
            FLOAT,
            True,
            "Length of the recording in seconds: given by the file, or estimated from the last time or the "
            "word count; null when neither is possible.",
            min_value=0,
        ),
        Column(
            "duration_source",
            STR,
            True,
            "given (stated by the file or its last timestamp) or estimated (from words at a speaking rate).",
            allowed=("given", "estimated"),
        ),
        Column("n_chapters", INT, False, "Number of rows in chapters for this episode.", min_value=0),
        Column("n_turns", INT, False, "Number of rows in turns for this episode.", min_value=0),
        Column("n_sentences", INT, False, "Number of rows in sentences for this episode.", min_value=0),
        Column("n_words", INT, False, "Total words: sum of sentences.n_words for this episode.", min_value=0),
        *_lineage("run_id of the run that published this version of the episode."),
    ),
    rules=(
        Rule("n_chapters_match", "n_chapters == number of chapters rows of the episode."),
        Rule("n_turns_match", "n_turns == number of turns rows of the episode."),
        Rule("n_sentences_match", "n_sentences == number of sentences rows of the episode."),
        Rule("n_words_match", "n_words == sum of sentences.n_words of the episode."),
        Rule(
            "text_has_turns",
            "An episode whose clean_text has any non-whitespace character has at least one turn.",
        ),
        _speaking_rate(),
    ),
)

DOCUMENTS = Table(
    name="documents",
    grain="one row per episode",
    key=("episode_id",),
    description="The text of an episode: as decoded (nothing lost) and as cleaned; all spans point here.",
    columns=(
        _episode_id(),
        Column(
            "raw_text",
            STR,
            False,
            "The source file decoded to text, unchanged (line breaks as in the file, BOM removed).",
        ),
        Column(
            "clean_text",
            STR,
            False,
            "The spoken text after cleaning (markup, timestamps, speaker labels and non-speech tags removed, "
            "mojibake repaired); every start_char/end_char in the lake is an offset into this string.",
        ),
        Column(
            "cleaning_steps",
            LIST_STR,
            False,
            "Names of the cleaning steps applied, in order, so the cleaning can be audited and repeated.",
        ),
    ),
)

CHAPTERS = Table(
    name="chapters",
    grain="one row per chapter of an episode",
    key=("episode_id", "chapter_idx"),
    description=("Chapters as the file declares them (or one chapter for the whole episode), aligned to the text."),
    columns=(
        _episode_id(),
        Column("chapter_idx", INT, False, "0-based position of the chapter in the episode.", min_value=0),
        Column("title", STR, False, "Chapter title as given (may be empty)."),
        Column(
            "start_s",
            FLOAT,
            False,
            "Seconds from the start of the recording where the chapter starts.",
            min_value=0,
        ),
        Column(
            "end_s",
            FLOAT,
            False,
            "Seconds where the chapter ends: the next chapter's start_s, or the episode duration for the last.",
            min_value=0,
        ),
        _start_char("chapter"),
        _end_char("chapter"),
        Column(
            "time_source",
            STR,
            False,
            "given (from the file's chapter list), interpolated or estimated (from word counts).",
            allowed=TIME_SOURCES,
        ),
        Column(
            "align_confidence",
            FLOAT,
            False,
            "How sure the alignment of the chapter's time to a text offset is, 0 (guess) to 1 (exact).",
            min_value=0,
            max_value=1,
        ),
    ),
    rules=(
        _SPAN,
        _TIMES_ORDERED,
        _start_s_non_decreasing("chapter_idx"),
        _TIMES_IN_DURATION,
        Rule(
            "chapters_tile_text",
            "Chapters cover clean_text without gaps or overlaps: the first starts at 0, each ends where the "
            "next starts, the last ends at the end of clean_text.",
        ),
        Rule("chapters_contiguous_times", "Each chapter's end_s equals the next chapter's start_s."),
        _speaking_rate(),
    ),
)

SPEAKERS = Table(
    name="speakers",
    grain="one row per speaker in an episode",
    key=("episode_id", "speaker_id"),
    description="The people who speak in an episode, with their role and share of the talk.",
    columns=(
        _episode_id(),
        Column(
            "speaker_id",
            STR,
            False,
            "Slug of the speaker's name where known, else S1, S2, ... in order of first appearance.",
        ),
        Column("name", STR, True, "Speaker's name as best known (label or reference data); null if anonymous."),
        Column(
            "role",
            STR,
            False,
            "host or guest (from metadata or reference data), other, or unknown.",
            allowed=("host", "guest", "other", "unknown"),
        ),
        Column("n_turns", INT, False, "Number of turns attributed to the speaker.", min_value=0),
        Column("n_words", INT, False, "Number of words in the speaker's turns.", min_value=0),
        Column(
            "talk_share",
            FLOAT,
            False,
            "The speaker's n_words divided by the episode's attributed words, 0 to 1.",
            min_value=0,
            max_value=1,
        ),
    ),
)

TURNS = Table(
    name="turns",
    grain="one row per speaker turn",
    key=("episode_id", "turn_idx"),
    description="Uninterrupted stretches of speech by one speaker; together they tile the clean text.",
    columns=(
        _episode_id(),
        Column("turn_idx", INT, False, "0-based position of the turn in the episode.", min_value=0),
        Column("speaker_id", STR, True, "speakers.speaker_id of who speaks; null when unattributed."),
        Column(
            "attribution",
            STR,
            False,
            "How the speaker was found: labelled in the file, inferred (e.g. from alternation or "
            "reference data), or unknown.",
            allowed=("labelled", "inferred", "unknown"),
        ),
        Column(
            "attribution_confidence",
            FLOAT,
            False,
            "Confidence in speaker_id, 0 to 1 (1 for a label in the file).",
            min_value=0,
            max_value=1,
        ),
        Column(
            "chapter_idx",
            INT,
            True,
            "Chapter the turn starts in; null when the episode has no chapters.",
            min_value=0,
        ),
        _start_char("turn"),
        _end_char("turn"),
        *_time_cols("turn"),
        _n_words("turn"),
        Column(
            "is_backchannel",
            BOOL,
            False,
            'True for short acknowledgements ("yeah", "mm-hmm") that do not take the floor.',
        ),
        Column(
            "is_interrupted",
            BOOL,
            False,
            "True when the turn is cut off by the next speaker (trailing dash or crosstalk).",
        ),
        Column("text", STR, False, "The turn's text: clean_text[start_char:end_char]."),
    ),
    rules=(
        _SPAN,
        _TEXT_SPAN,
        Rule(
            "turns_ordered",
            "Within an episode, by turn_idx, each turn starts at or after the previous turn's end_char.",
        ),
        Rule(
            "turns_tile_text",
            "The text before the first turn, between consecutive turns and after the last turn is whitespace "
            "only, so every non-whitespace character of clean_text lies in exactly one turn.",
        ),
        _TIMES_ORDERED,
        _start_s_non_decreasing("turn_idx"),
        _TIMES_IN_DURATION,
        Rule("n_words_match_sentences", "n_words == sum of sentences.n_words of the turn's sentences."),
    ),
)

SENTENCES = Table(
    name="sentences",
    grain="one row per sentence",
    key=("episode_id", "sentence_idx"),
    description="Sentences within turns, with timing, question type, sentiment and filler counts.",
    columns=(
        _episode_id(),
        Column("sentence_idx", INT, False, "0-based position of the sentence in the episode.", min_value=0),
        Column("turn_idx", INT, False, "turns.turn_idx of the turn containing the sentence.", min_value=0),
        Column(
            "chapter_idx",
            INT,
            True,
            "Chapter the sentence starts in; null when the episode has no chapters.",
            min_value=0,
        ),
        _start_char("sentence"),
        _end_char("sentence"),
        *_time_cols("sentence"),
        Column("text", STR, False, "The sentence's text: clean_text[start_char:end_char]."),
        _n_words("sentence"),
        Column(
            "is_question",
            BOOL,
            False,
            "True when the sentence is a question (question mark or question form).",
        ),
        Column(
            "question_kind",
            STR,
            True,
            'Kind of question: wh (who/what/why...), yes_no, tag ("..., right?"), choice ("A or B?"), '
            "other; null when not a question.",
            allowed=("wh", "yes_no", "tag", "choice", "other"),
        ),
        Column(
            "sentiment",
            FLOAT,
            True,
            "VADER compound sentiment score, -1 (negative) to 1 (positive); null when not computed.",
            min_value=-1,
            max_value=1,
        ),
        Column(
            "n_fillers",
            INT,
            False,
            "Number of filler words (um, uh, you know, ...) from the reference filler list.",
            min_value=0,
        ),
        Column(
            "flag",
            STR,
            True,
            "Why the sentence is suspect: hallucination (ASR text with no speech, e.g. repeated subtitles "
            "credits) or repetition (a loop of the same words); null when not suspect.",
            allowed=("hallucination", "repetition"),
        ),
        Column(
            "paragraph_idx",
            INT,
            False,
            "0-based paragraph of the episode the sentence is in: a turn starts one, and so does a long pause of "
            "a timed file or a paragraph grown long (tasks/paragraphs.py); never across turns.",
            min_value=0,
        ),
    ),
    rules=(
        _SPAN,
        _TEXT_SPAN,
        Rule(
            "sentences_ordered",
            "Within an episode, by sentence_idx, each sentence starts at or after the previous one's end_char.",
        ),
        Rule(
            "sentences_tile_text",
            "The text before the first sentence, between consecutive sentences and after the last is "
            "whitespace only, so every non-whitespace character of clean_text lies in exactly one sentence.",
        ),
        Rule(
            "sentence_inside_turn",
            "The sentence's turn exists and turn.start_char <= start_char and end_char <= turn.end_char.",
        ),
        _TIMES_ORDERED,
        _start_s_non_decreasing("sentence_idx"),
        _TIMES_IN_DURATION,
    ),
)

MENTIONS = Table(
    name="mentions",
    grain="one row per entity mention",
    key=("episode_id", "start_char"),
    description=("Named entities (companies, people, products, places) found in the text and linked to the gazetteer."),
    columns=(
        _episode_id(),
        _start_char("mention"),
        _end_char("mention"),
        Column(
            "sentence_idx",
            INT,
            False,
            "sentences.sentence_idx of the sentence containing the mention.",
            min_value=0,
        ),
        Column("surface", STR, False, "The mention as written: clean_text[start_char:end_char]."),
        Column("entity_id", STR, False, "Identifier of the entity in the reference entity list."),
        Column(
            "canonical",
            STR,
            False,
            "Canonical name of the entity (the spelling correction, where corrected).",
        ),
        Column(
            "entity_type",
            STR,
            False,
            "Type of entity from the reference list (e.g. company, person, product, place); a candidate's is "
            "person, organisation or product where the text says so, else unknown.",
        ),
        Column(
            "match_kind",
            STR,
            False,
            "exact (the canonical name as written), alias (a listed alias or ASR misspelling, or a case variant), "
            "corrected (a fuzzy match of an unlisted misspelling; canonical gives the corrected name) or "
            "candidate (a capitalised name not in the gazetteer, entity_id 'candidate:<slug>', to be reviewed).",
            allowed=("exact", "alias", "corrected", "candidate"),
        ),
        Column(
            "confidence",
            FLOAT,
            False,
            "How sure the mention is of its entity: 1 for a gazetteer form, the fuzzy ratio for a correction, "
            "for a candidate the share of right candidates of its kind on the development files (a ranking).",
            min_value=0,
            max_value=1,
        ),
    ),
    rules=(_SPAN, _SURFACE_SPAN),
)

QUANTITIES = Table(
    name="quantities",
    grain="one row per number said",
    key=("episode_id", "start_char"),
    description="Numbers and amounts said in the text, normalised to a value range and a unit.",
    columns=(
        _episode_id(),
        _start_char("quantity"),
        _end_char("quantity"),
        Column(
            "sentence_idx",
            INT,
            False,
            "sentences.sentence_idx of the sentence containing the quantity.",
            min_value=0,
        ),
        Column("surface", STR, False, "The quantity as written: clean_text[start_char:end_char]."),
        Column(
            "value_low",
            FLOAT,
            False,
            "Lower bound of the value in the unit (equal to value_high for an exact number).",
        ),
        Column("value_high", FLOAT, False, 'Upper bound of the value ("10 to 20 billion" gives 1e10..2e10).'),
        Column(
            "unit",
            STR,
            False,
            "Normalised unit: usd, x (multiplier), percent, count, year, duration_s, and others as found.",
        ),
        Column("speaker_id", STR, True, "speakers.speaker_id of who said it; null when the turn is unattributed."),
    ),
    rules=(
        _SPAN,
        _SURFACE_SPAN,
        Rule("value_range_ordered", "value_low <= value_high."),
    ),
)

EVENTS = Table(
    name="events",
    grain="one row per non-speech event",
    key=("episode_id", "event_idx"),
    description=(
        "Non-speech tags removed from the text during cleaning ((laughter), [Music], ...), kept with their position."
    ),
    columns=(
        _episode_id(),
        Column(
            "event_idx",
            INT,
            False,
            "0-based position of the event in the episode (the key: two events can sit at one point).",
            min_value=0,
        ),
        Column(
            "start_char",
            INT,
            False,
            "Point in clean_text where the tag was removed (code points); the tag itself is not in clean_text.",
            min_value=0,
        ),
        Column(
            "kind",
            STR,
            False,
            "Normalised kind of event.",
            allowed=("laughter", "music", "applause", "crosstalk", "inaudible", "noise", "silence", "other"),
        ),
        Column("surface", STR, False, "The tag as written in the source, e.g. (laughing) or [Music]."),
        Column("turn_idx", INT, True, "Turn the event happens in; null when outside any turn.", min_value=0),
        Column("start_s", FLOAT, True, "Seconds from the start of the recording, when known.", min_value=0),
    ),
    rules=(
        Rule("point_inside_text", "0 <= start_char <= length of documents.clean_text."),
        Rule(
            "time_inside_duration",
            f"0 <= start_s <= episodes.duration_s + {DURATION_TOLERANCE_S} s where both are known.",
        ),
    ),
)

KEYWORDS = Table(
    name="keywords",
    grain="one row per keyword of a chapter, or of the whole episode",
    key=("episode_id", "chapter_idx", "keyword"),
    description="Ranked keywords per chapter and per episode.",
    columns=(
        _episode_id(),
        Column(
            "chapter_idx",
            INT,
            True,
            "Chapter the keyword describes; null for episode-level keywords.",
            min_value=0,
        ),
        Column(
            "keyword",
            STR,
            False,
            "The word or phrase of two or three words, spelt as the text most often writes it away from a "
            "sentence's start; plurals folded into a singular the episode also says, possessives into the name.",
        ),
        Column(
            "score",
            FLOAT,
            False,
            "Keyness against general English: count x ln(rate here / rate in wordfreq's English); a chapter's "
            "is also weighted by how few other chapters say it. Comparable within one chapter or episode.",
        ),
        Column("rank", INT, False, "Rank within its chapter or episode, 1 = best.", min_value=1),
    ),
)

ISSUES = Table(
    name="issues",
    grain="one row per problem found in a file by a run",
    key=("run_id", "source_path", "code", "location"),
    description=(
        "Problems found while reading, parsing or validating inputs; errors quarantine a file, warnings do not."
    ),
    columns=(
        Column("run_id", STR, False, "runs.run_id of the run that found the problem."),
        Column("source_path", STR, False, "sources.source_path of the file concerned."),
        Column("code", STR, False, "Stable identifier of the kind of problem (documented in the README)."),
        Column("location", STR, False, "Where in the file (e.g. 'line 12', 'cue 40'); empty for the whole file."),
        Column(
            "severity",
            STR,
            False,
            "error (the file or episode is quarantined) or warning (published anyway).",
            allowed=("error", "warning"),
        ),
        Column("message", STR, False, "Human-readable explanation of the problem and how to fix it."),
        Column("episode_id", STR, True, "Episode concerned, when the file got as far as having one."),
    ),
)

RUNS = Table(
    name="runs",
    grain="one row per flow run",
    key=("run_id",),
    description="Each `tlake run`: when, outcome, and file counts by outcome.",
    columns=(
        Column("run_id", STR, False, "Identifier of the run (the Prefect flow run id)."),
        Column("started_at", TS, False, "When the run started (UTC)."),
        Column("finished_at", TS, False, "When the run finished (UTC)."),
        Column(
            "status",
            STR,
            False,
            "success (all published), partial (some files quarantined), failed (nothing published) or "
            "interrupted (stopped, killed, before it finished: the row each published batch writes in its own "
            "transaction, so every published episode's run_id has one; counts are those of its published batches).",
            allowed=("success", "partial", "failed", "interrupted"),
        ),
        Column("n_files", INT, False, "Input files seen by the run.", min_value=0),
        Column("n_new", INT, False, "Files not seen before.", min_value=0),
        Column("n_changed", INT, False, "Files whose sha256 or pipeline version changed.", min_value=0),
        Column("n_unchanged", INT, False, "Files skipped because nothing changed.", min_value=0),
        Column("n_missing", INT, False, "Known files no longer found in the input.", min_value=0),
        Column("n_published", INT, False, "Episodes published by the run.", min_value=0),
        Column("n_quarantined", INT, False, "Files or episodes quarantined by the run.", min_value=0),
        Column(
            "n_duplicates",
            INT,
            False,
            "Files skipped because their content duplicates another file.",
            min_value=0,
        ),
        Column(
            "snapshot_id",
            INT,
            True,
            "DuckLake snapshot id after the run's last commit; null if nothing was committed.",
        ),
        Column("pipeline_version", STR, False, "Version of the pipeline code that ran."),
    ),
)

DQ_RESULTS = Table(
    name="dq_results",
    grain="one row per expectation checked in a run",
    key=("run_id", "table_name", "expectation"),
    description="Great Expectations results of each run, one row per expectation of each table's suite.",
    columns=(
        Column("run_id", STR, False, "runs.run_id of the run that validated."),
        Column("table_name", STR, False, "Table whose frames were validated."),
        Column(
            "expectation",
            STR,
            False,
            "Readable expectation name, e.g. not_null(text) or rule(sentence_inside_turn).",
        ),
        Column(
            "column_name",
            STR,
            True,
            "Column the expectation is about; null for table-level and multi-column ones.",
        ),
        Column("success", BOOL, False, "True when every row met the expectation."),
        Column("observed", STR, False, "Observed value or count of unexpected rows, as text."),
        Column(
            "blocking",
            BOOL,
            False,
            "True when a failure quarantines the failing episodes; false for warnings.",
        ),
    ),
)


def _registry(tables: Iterable[Table]) -> dict[str, Table]:
    return {t.name: t for t in tables}


# Order matters: DDL, dictionary and exports follow it (parents before children, lineage last).
TABLES: dict[str, Table] = _registry(
    (
        SOURCES,
        EPISODES,
        DOCUMENTS,
        CHAPTERS,
        SPEAKERS,
        TURNS,
        SENTENCES,
        MENTIONS,
        QUANTITIES,
        EVENTS,
        KEYWORDS,
        ISSUES,
        RUNS,
        DQ_RESULTS,
    )
)


# The tables whose rows belong to one episode (keyed by episode_id first), in registry order.
EPISODE_TABLES: tuple[str, ...] = tuple(name for name, table in TABLES.items() if table.is_per_episode)


@functools.cache
def _polars_schema(table: Table) -> pl.Schema:
    # Cached by the table's value (a frozen dataclass), so a modified contract gets its own schema.
    empty = pl.from_arrow(table.arrow_schema().empty_table())
    assert isinstance(empty, pl.DataFrame)
    return empty.schema


def check_columns(table: Table, columns: Iterable[str], *, allow_extra: bool = False) -> None:
    """Raise `ContractError` naming the missing (and, unless allowed, extra) columns."""
    have = list(columns)
    missing = [c for c in table.column_names if c not in have]
    extra = [] if allow_extra else [c for c in have if c not in table.column_names]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing columns {missing}")
        if extra:
            parts.append(f"extra columns {extra}")
        raise ContractError(f"{table.name}: frame does not match the contract: {'; '.join(parts)}")


def conform(table_name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the contract's columns, in order, as the contract's polars dtypes.

    Raises `ContractError` for missing or extra columns. Empty and all-null columns (dtype Null) take the
    contract's dtype, so a step never has to state one.
    """
    table = TABLES[table_name]
    check_columns(table, frame.columns)
    return frame.select(table.column_names).cast(table.polars_schema())


def cast_to_contract(table_name: str, frame: pl.DataFrame) -> pa.Table:
    """The frame as an Arrow table with exactly the contract's columns, in order, cast to its schema.

    Raises `ContractError` for missing or extra columns, for nulls in a NOT NULL column (Arrow's cast
    does not check nullability), and for values that cannot be cast.
    """
    table = TABLES[table_name]
    check_columns(table, frame.columns)
    schema = table.arrow_schema()
    arrow = frame.select(table.column_names).to_arrow()
    null_cols = [c.name for c in table.columns if not c.nullable and arrow.column(c.name).null_count]
    if null_cols:
        raise ContractError(f"{table.name}: nulls in NOT NULL columns {null_cols}")
    try:
        # polars exports strings as string_view/large_string; the contract stores plain string.
        return arrow.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ContractError(f"{table.name}: cannot cast to the contract schema: {exc}") from exc
