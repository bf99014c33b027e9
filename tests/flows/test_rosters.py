"""A show's roster learnt from the lake: after two Talk Python episodes in which Michael Kennedy introduces
himself, a third in which he never says his name gets him, and `tlake roster` shows what was learnt.
The episodes are the training shows' labelled files made into pages (bench/speaker_shows.py), with a
people.csv that lists nobody, as for a show the project has never seen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.speaker_shows import load_episodes, markers, page
from tests.conftest import ROOT
from tests.flows.conftest import query

pytestmark = pytest.mark.flow

TAUGHT = ("talkpython_530-anywidget", "talkpython_535-pyview-real-time-python-web-apps")
NEW = "talkpython_543-langchain-deep-agents"


def _write_pages(folder: Path, keys: tuple[str, ...]) -> None:
    episodes = {e.key: e for e in load_episodes()}
    if not all(k in episodes for k in keys):
        pytest.skip("../shared/training/speakers is not available")
    folder.mkdir(parents=True)
    for key in keys:
        e = episodes[key]
        (folder / f"{key}.txt").write_text(page(e, markers(e, "marked")).text, encoding="utf-8")


def test_a_new_episode_of_a_known_show_starts_from_its_learnt_roster(ingest, tlake, tmp_path, monkeypatch) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "seeds" / "reference", reference)
    (reference / "people.csv").write_text("show,name,role,aliases\n", encoding="utf-8")
    monkeypatch.setenv("TLAKE_REFERENCE", str(reference))
    lake = tmp_path / "lake"
    _write_pages(tmp_path / "first", TAUGHT)
    _write_pages(tmp_path / "second", (NEW,))

    # on its own, the new episode's host is nobody: he never says his name
    alone = tmp_path / "alone-lake"
    assert ingest([tmp_path / "second"], alone).exit_code == 0
    assert query(alone, "SELECT count(*) AS n FROM speakers WHERE name = 'Michael Kennedy'") == [{"n": 0}]

    assert ingest([tmp_path / "first"], lake).exit_code == 0
    shown = tlake("roster", "Talk Python To Me", lake=lake)
    assert shown.exit_code == 0 and "Michael Kennedy" in shown.stdout and "lake" in shown.stdout
    assert ingest([tmp_path / "first", tmp_path / "second"], lake).exit_code == 0
    rows = query(
        lake,
        "SELECT s.name, s.role, s.talk_share FROM speakers s JOIN episodes e USING (episode_id) "
        f"WHERE e.source_path LIKE '%{NEW}%' ORDER BY s.talk_share DESC",
    )
    assert {"name": "Michael Kennedy", "role": "host"} in [{k: r[k] for k in ("name", "role")} for r in rows]
    assert tlake("roster", "No Such Show", lake=lake).exit_code == 1
