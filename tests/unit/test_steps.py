"""The steps' declarations: every contract column is written by exactly one step, nothing is read before
it is written, and a step that writes what it does not declare is stopped."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest

from expectations.contracts import EPISODE_TABLES, TABLES
from tasks.document import Episode, Origin, StepContractError, step
from tasks.episode import build_episode
from tasks.steps import STEPS
from tests.conftest import CORPUS, REFERENCE
from tests.episodes import FULL


def _written() -> Counter[tuple[str, str]]:
    return Counter((layer, column) for s in STEPS for layer, columns in s.writes.items() for column in columns)


def test_every_contract_column_is_written_by_exactly_one_step() -> None:
    written = _written()
    for name in EPISODE_TABLES:
        for column in TABLES[name].column_names:
            if column == "episode_id":
                continue  # stamped by the projection, Episode.table
            assert written[(name, column)] == 1, f"{name}.{column} is written by {written[(name, column)]} steps"


def test_steps_write_only_contract_columns_or_working_columns() -> None:
    for (layer, column), n in _written().items():
        assert n == 1, f"{layer}.{column} written {n} times"
        assert layer in EPISODE_TABLES
        assert column.startswith("_") or column in TABLES[layer].column_names, f"{layer}.{column}"
    assert not any(c.startswith("_") for t in TABLES.values() for c in t.column_names)


def test_nothing_is_read_before_an_earlier_step_writes_it() -> None:
    available: set[tuple[str, str]] = set()
    for s in STEPS:
        for layer, columns in s.reads.items():
            for column in columns:
                assert (layer, column) in available, f"{s.name} reads {layer}.{column} before it is written"
        available |= {(layer, c) for layer, columns in s.writes.items() for c in columns}


def test_working_columns_are_read_by_some_step() -> None:
    read = {(layer, c) for s in STEPS for layer, columns in s.reads.items() for c in columns}
    for layer, column in _written():
        if column.startswith("_"):
            assert (layer, column) in read, f"{layer}.{column} is written but no step reads it"


def _episode() -> Episode:
    return Episode("e", Origin("p", "f", 1.0, "utf-8"), "Hi.", {"turns": pl.DataFrame({"text": ["Hi."]})})


def test_a_step_that_writes_an_undeclared_column_is_stopped() -> None:
    @step(reads={"turns": ["text"]}, writes={"turns": ["n_words"]})
    def sloppy(ep, ctx):
        return ep.assign("turns", {"n_words": [1], "extra": [2]})

    with pytest.raises(StepContractError, match="extra"):
        sloppy(_episode(), FULL)


def test_a_step_that_reads_an_unwritten_column_is_stopped() -> None:
    @step(reads={"turns": ["speaker_id"]}, writes={})
    def early(ep, ctx):
        return ep

    with pytest.raises(StepContractError, match="speaker_id"):
        early(_episode(), FULL)


def test_a_column_is_written_once() -> None:
    with pytest.raises(StepContractError, match="already written"):
        _episode().assign("turns", {"text": ["again"]})
    with pytest.raises(StepContractError, match="already written"):
        _episode().add_layer("turns", pl.DataFrame())


def test_tables_are_projections_with_the_contract_columns() -> None:
    episode = build_episode(REFERENCE.read_bytes(), REFERENCE.name, FULL)
    for name, frame in episode.tables().items():
        assert frame.columns == list(TABLES[name].column_names)
        assert dict(frame.schema) == dict(TABLES[name].polars_schema())
        assert frame.height == 0 or frame["episode_id"].unique().to_list() == [episode.episode_id]
    rekeyed = episode.rekeyed("other").table("turns")
    assert rekeyed["episode_id"].unique().to_list() == ["other"]
    assert episode.source is None  # the reader's document is dropped once the layers are built


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus absent")
def test_every_corpus_file_keeps_every_step_to_its_declaration() -> None:
    # Step checks its reads and writes on every call: building an episode is the test.
    from tasks.model import InputError

    built = 0
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        try:
            build_episode(path.read_bytes(), path.name, FULL)
            built += 1
        except InputError:
            continue
    assert built >= 25  # 29 of the corpus files are transcripts; the rest are rightly refused
