"""A lake built by one pipeline version, run by another: every file is reprocessed and stamped anew."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.settings import pipeline_version
from tests.conftest import CORPUS, REFERENCE, ROOT
from tests.flows.conftest import query

pytestmark = pytest.mark.flow


def test_a_new_pipeline_version_reprocesses_every_file(ingest, tmp_path: Path, monkeypatch) -> None:
    inputs, lake, reference = tmp_path / "in", tmp_path / "lake", tmp_path / "reference"
    inputs.mkdir()
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    vtt = CORPUS / "vtt" / "talkpython_000_tptm_introducing_the_show.vtt"
    if vtt.exists():
        shutil.copy(vtt, inputs / vtt.name)
    shutil.copytree(ROOT / "seeds" / "reference", reference)
    monkeypatch.setenv("TLAKE_REFERENCE", str(reference))
    first = ingest([inputs], lake)
    old = pipeline_version()
    assert first.counts["new"] == first.counts["published"] == len(list(inputs.iterdir()))
    assert ingest([inputs], lake).counts["unchanged"] == first.counts["new"]  # same version: nothing to do

    # Another version: here a reference file changes (a code or parameter change does the same).
    people = reference / "people.csv"
    people.write_text(people.read_text() + "# a new comment changes no row, but it is a new version\n")
    new = pipeline_version()
    assert new != old
    second = ingest([inputs], lake)
    assert second.counts["changed"] == second.counts["published"] == first.counts["new"]
    assert second.counts["unchanged"] == 0
    stamped = query(
        lake, "SELECT DISTINCT pipeline_version FROM sources UNION SELECT DISTINCT pipeline_version FROM episodes"
    )
    assert stamped == [{"pipeline_version": new}]


def test_a_lake_from_before_a_contract_gained_a_column_gets_it_and_the_rows_are_rebuilt(
    ingest, tmp_path: Path, monkeypatch
) -> None:
    from flows.catalog import connect

    inputs, lake, reference = tmp_path / "in", tmp_path / "lake", tmp_path / "reference"
    inputs.mkdir()
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    shutil.copytree(ROOT / "seeds" / "reference", reference)
    monkeypatch.setenv("TLAKE_REFERENCE", str(reference))
    assert ingest([inputs], lake).exit_code == 0
    con = connect(lake, read_only=False)
    con.execute("ALTER TABLE mentions DROP COLUMN confidence")  # as an older contract wrote it
    con.close()
    (reference / "people.csv").write_text((reference / "people.csv").read_text() + "# another version\n")
    again = ingest([inputs], lake)
    assert again.exit_code == 0 and again.counts["published"] == 1, again
    rows = query(lake, "SELECT count(*) AS n, count(confidence) AS with_confidence FROM mentions")
    assert rows[0]["n"] > 0 and rows[0]["with_confidence"] == rows[0]["n"]
