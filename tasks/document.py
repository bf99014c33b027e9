"""The episode document: one clean text and every table-to-be as a layer over it.

After segmentation, every step reads and enriches one `Episode` (the datatrove `Document`, the spaCy
`Doc`): the clean text, and one polars frame per episode table ("layers": episodes, documents, chapters,
turns, sentences, events, speakers, mentions, quantities, keywords) whose rows are spans of character
offsets into that text. A step is a plain function `Episode -> Episode` declared with the contract columns
it reads and writes (spaCy's ``requires=``/``assigns=``); `Step` checks both on every call, and an episode
refuses to have a column written twice, so "who writes `turns.time_error_s`?" has one answer, found by
grepping for it in `tasks/steps.py`.

Columns whose name starts with ``_`` are the document's own working columns (the file's raw speaker
label, the times the file gave): steps declare them like any other, and tables never show them. Tables
are projections: `Episode.table(name)` selects the contract's columns, stamps `episode_id` (the only place
that does) and casts to the contract's dtypes, so no step states a dtype.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from expectations.contracts import EPISODE_TABLES, TABLES, ContractError, conform
from tasks.model import Finding, ParsedDocument
from tasks.reference import Reference
from tasks.segment import Segmented
from tasks.speakers.params import AttributionParams
from tasks.speakers.voices import VoiceParams
from tasks.times.params import AlignParams


class StepContractError(RuntimeError):
    """A step read a column no earlier step wrote, or wrote other columns than it declares."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an episode came from: its file, the format read, and how the bytes were decoded."""

    source_path: str
    format: str
    format_confidence: float
    encoding: str


@dataclass(frozen=True, slots=True)
class Source:
    """What the reader and the segmenter made of the file: the input of the first step, dropped once the
    layers are built."""

    parsed: ParsedDocument
    segmented: Segmented
    raw_text: str


@dataclass(frozen=True, slots=True)
class BuildContext:
    """Everything a build needs besides the bytes: lineage, reference data and the models' parameters."""

    pipeline_version: str
    run_id: str
    reference: Reference = field(default_factory=Reference)
    attribution: AttributionParams = field(default_factory=AttributionParams.shipped)
    alignment: AlignParams = field(default_factory=AlignParams.shipped)
    voices: VoiceParams = field(default_factory=VoiceParams.shipped)


ColumnValues = pl.Series | pl.Expr | Sequence[Any]


@dataclass(frozen=True, slots=True)
class Episode:
    episode_id: str
    origin: Origin
    text: str
    layers: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    source: Source | None = None

    def layer(self, name: str) -> pl.DataFrame:
        try:
            return self.layers[name]
        except KeyError:
            raise StepContractError(f"the episode has no {name!r} layer yet") from None

    def add_layer(self, name: str, frame: pl.DataFrame) -> Episode:
        """A new layer; a layer is added once."""
        if name in self.layers:
            raise StepContractError(f"layer {name!r} is already written")
        return dataclasses.replace(self, layers={**self.layers, name: frame})

    def assign(self, name: str, columns: Mapping[str, ColumnValues]) -> Episode:
        """New columns of an existing layer (a Series, an expression over the layer, or a list per row); a
        column is written once."""
        frame = self.layer(name)
        taken = sorted(set(columns) & set(frame.columns))
        if taken:
            raise StepContractError(f"{name}: columns {taken} are already written")
        exprs = [
            value.alias(column)
            if isinstance(value, pl.Expr)
            else (value.alias(column) if isinstance(value, pl.Series) else pl.Series(column, list(value)))
            for column, value in columns.items()
        ]
        return dataclasses.replace(self, layers={**self.layers, name: frame.with_columns(exprs)})

    def noting(self, findings: Iterable[Finding]) -> Episode:
        return dataclasses.replace(self, findings=(*self.findings, *findings))

    def rekeyed(self, episode_id: str) -> Episode:
        """The same episode under another id (the flow gives a second file of one video a path-derived id)."""
        return dataclasses.replace(self, episode_id=episode_id)

    def without_source(self) -> Episode:
        return dataclasses.replace(self, source=None)

    def table(self, name: str) -> pl.DataFrame:
        """The rows of table `name`: the layer's contract columns with `episode_id`, as the contract's dtypes."""
        frame = self.layer(name)
        wanted = [c for c in TABLES[name].column_names if c != "episode_id"]
        missing = [c for c in wanted if c not in frame.columns]
        if missing:
            raise ContractError(f"{name}: no step wrote columns {missing}")
        return conform(name, frame.select(wanted).with_columns(episode_id=pl.lit(self.episode_id)))

    def tables(self) -> dict[str, pl.DataFrame]:
        return {name: self.table(name) for name in EPISODE_TABLES}


StepFunction = Callable[[Episode, BuildContext], Episode]


def _columns(spec: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {layer: frozenset(columns) for layer, columns in spec.items()}


@dataclass(frozen=True, slots=True)
class Step:
    """A pipeline step and the columns it reads and writes, per layer. Calling it checks both."""

    name: str
    reads: Mapping[str, frozenset[str]]
    writes: Mapping[str, frozenset[str]]
    run: StepFunction

    def __call__(self, episode: Episode, context: BuildContext) -> Episode:
        missing = [
            f"{layer}.{column}"
            for layer, columns in self.reads.items()
            for column in sorted(columns)
            if layer not in episode.layers or column not in episode.layers[layer].columns
        ]
        if missing:
            raise StepContractError(f"step {self.name} reads {missing}, which no earlier step wrote")
        result = self.run(episode, context)
        written = _written(episode, result)
        if written != {layer: columns for layer, columns in self.writes.items() if columns}:
            raise StepContractError(f"step {self.name} declares writes {_show(self.writes)} but wrote {_show(written)}")
        return result


def _written(before: Episode, after: Episode) -> dict[str, frozenset[str]]:
    out = {}
    for name, frame in after.layers.items():
        old = set(before.layers[name].columns) if name in before.layers else set()
        new = frozenset(frame.columns) - old
        if new:
            out[name] = new
    return out


def _show(spec: Mapping[str, frozenset[str]]) -> str:
    return "; ".join(f"{layer}: {', '.join(sorted(cols))}" for layer, cols in sorted(spec.items()) if cols)


def step(*, reads: Mapping[str, Iterable[str]], writes: Mapping[str, Iterable[str]]) -> Callable[[StepFunction], Step]:
    """Declare a function as a step: ``@step(reads={"sentences": ["text"]}, writes={"sentences": ["n_words"]})``."""

    def declare(function: StepFunction) -> Step:
        return Step(function.__name__, _columns(reads), _columns(writes), function)

    return declare
