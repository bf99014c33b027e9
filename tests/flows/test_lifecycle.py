"""A file's life across runs (added, removed, pruned, restored), and a run killed mid-way: the flow runs in
this process, except the run that is killed, which is a `tlake run` subprocess (on the session's Prefect server)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, ROOT
from tests.flows.conftest import query

pytestmark = pytest.mark.flow
VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann Lee>Hello and welcome to the show.\n\n"
    "00:00:04.500 --> 00:00:07.000\n<v Bob Ray>Thanks, Ann. Glad to be here.\n"
)


def _episode_counts(lake: Path) -> list[dict]:
    return query(
        lake,
        "SELECT e.episode_id, e.n_turns, e.n_sentences, "
        "(SELECT count(*) FROM turns t WHERE t.episode_id = e.episode_id) AS turns, "
        "(SELECT count(*) FROM sentences s WHERE s.episode_id = e.episode_id) AS sentences, "
        "(SELECT count(*) FROM documents d WHERE d.episode_id = e.episode_id) AS documents "
        "FROM episodes e ORDER BY 1",
    )


def test_missing_file_keeps_its_rows_until_pruned_and_comes_back(ingest, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    inputs.mkdir()
    (inputs / "a.vtt").write_text(VTT)
    (inputs / "b.vtt").write_text(VTT.replace("the show", "our show"))
    assert ingest([inputs], lake).exit_code == 0

    (inputs / "b.vtt").unlink()
    assert ingest([inputs], lake).exit_code == 0
    status = {r["source_path"]: r["status"] for r in query(lake, "SELECT source_path, status FROM sources")}
    assert status == {"a.vtt": "published", "b.vtt": "missing"}
    assert len(query(lake, "SELECT * FROM episodes")) == 2

    (inputs / "b.vtt").write_text(VTT.replace("the show", "our show"))
    assert ingest([inputs], lake).exit_code == 0
    status = {r["source_path"]: r["status"] for r in query(lake, "SELECT source_path, status FROM sources")}
    assert status == {"a.vtt": "published", "b.vtt": "published"}

    (inputs / "b.vtt").unlink()
    assert ingest([inputs], lake, prune=True).exit_code == 0
    assert [r["source_path"] for r in query(lake, "SELECT source_path FROM sources")] == ["a.vtt"]
    assert [r["source_path"] for r in query(lake, "SELECT source_path FROM episodes")] == ["a.vtt"]
    for table in ("turns", "sentences", "documents", "speakers"):
        ids = query(lake, f"SELECT DISTINCT episode_id FROM {table}")
        assert len(ids) == 1, table


def test_a_run_killed_mid_publish_leaves_whole_snapshots_and_a_rerun_finishes(ingest, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    inputs.mkdir()
    text = REFERENCE.read_text()
    for i in range(6):
        (inputs / f"copy_{i}.txt").write_text(text.replace("Jensen, nice glasses.", f"Glasses number {i}."))
    # A process of its own, to be killed; os.environ carries the harness's PREFECT_API_URL (see conftest).
    env = {**os.environ, "TLAKE_LAKE": str(lake), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--batch-size", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    catalog = lake / "catalog.sqlite"
    deadline = time.monotonic() + 300
    try:
        # Kill as soon as some, but not all, episodes are published.
        while time.monotonic() < deadline and process.poll() is None:
            if catalog.exists():
                try:
                    import sqlite3

                    # The catalog is in WAL mode: a read-only reader sees committed snapshots, blocking nothing.
                    with contextlib.closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)) as peek:
                        n = peek.execute("SELECT count(*) FROM ducklake_snapshot").fetchone()[0]
                except Exception:
                    n = 0
                if n >= 4:
                    break
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for row in _episode_counts(lake):
        assert (row["turns"], row["sentences"], row["documents"]) == (row["n_turns"], row["n_sentences"], 1), row
    published_before = len(query(lake, "SELECT * FROM episodes"))
    assert published_before < 6, "the run finished before it could be killed; nothing was tested"
    # Every published episode's run has its row, written in the same transaction as the episode.
    orphans = query(lake, "SELECT episode_id FROM episodes e ANTI JOIN runs r USING (run_id)")
    assert orphans == [] and {r["status"] for r in query(lake, "SELECT status FROM runs")} == {"interrupted"}

    rerun = ingest([inputs], lake)
    assert rerun.exit_code == 0, rerun
    counts = _episode_counts(lake)
    assert len(counts) == 6
    assert all((r["turns"], r["sentences"], r["documents"]) == (r["n_turns"], r["n_sentences"], 1) for r in counts)
    assert query(lake, "SELECT count(*) AS n FROM sources WHERE status = 'published'") == [{"n": 6}]
    assert query(lake, "SELECT episode_id FROM episodes e ANTI JOIN runs r USING (run_id)") == []


def _status(lake: Path) -> dict[str, tuple[str, str | None]]:
    return {
        r["source_path"]: (r["status"], r["duplicate_of"])
        for r in query(lake, "SELECT source_path, status, duplicate_of FROM sources")
    }


def test_duplicates_follow_their_owner(ingest, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    inputs.mkdir()
    (inputs / "a.vtt").write_text(VTT)
    (inputs / "b.vtt").write_text(VTT)
    (inputs / "c.vtt").write_text(VTT.replace("the show", "a different show"))
    assert ingest([inputs], lake).exit_code == 0
    assert _status(lake) == {
        "a.vtt": ("published", None),
        "b.vtt": ("duplicate", "a.vtt"),
        "c.vtt": ("published", None),
    }

    # The owner leaves: its duplicate takes over the content instead of being lost.
    (inputs / "a.vtt").unlink()
    assert ingest([inputs], lake, prune=True).exit_code == 0
    assert _status(lake) == {"b.vtt": ("published", None), "c.vtt": ("published", None)}
    assert sorted(r["source_path"] for r in query(lake, "SELECT source_path FROM episodes")) == ["b.vtt", "c.vtt"]

    # A published file whose bytes become another's turns into a duplicate and its rows leave.
    (inputs / "c.vtt").write_text(VTT)
    assert ingest([inputs], lake).exit_code == 0
    assert _status(lake) == {"b.vtt": ("published", None), "c.vtt": ("duplicate", "b.vtt")}
    assert [r["source_path"] for r in query(lake, "SELECT source_path FROM episodes")] == ["b.vtt"]
    assert query(lake, "SELECT count(DISTINCT episode_id) AS n FROM turns") == [{"n": 1}]


def test_keys_do_not_change_when_an_input_folder_is_added(ingest, tmp_path: Path) -> None:
    first, second, lake = tmp_path / "one", tmp_path / "two", tmp_path / "lake"
    first.mkdir()
    second.mkdir()
    (first / "talk.vtt").write_text(VTT)
    assert ingest([first], lake).exit_code == 0
    (second / "other.vtt").write_text(VTT.replace("the show", "another show"))
    (second / "talk.vtt").write_text(VTT.replace("the show", "a clashing show"))
    result = ingest([first, second], lake)
    assert result.exit_code == 1, result
    status = _status(lake)
    assert status["talk.vtt"] == ("published", None) and status["other.vtt"] == ("published", None)
    assert query(lake, "SELECT code FROM issues WHERE code = 'path_clash'") == [{"code": "path_clash"}]
    assert query(lake, "SELECT count(*) AS n FROM runs WHERE n_changed > 0") == [{"n": 0}]


def test_same_video_in_two_files_of_one_batch_gets_two_episodes(ingest, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    (inputs / "s1").mkdir(parents=True)
    (inputs / "s2").mkdir()
    text = REFERENCE.read_text()
    (inputs / "s1" / REFERENCE.name).write_text(text)
    (inputs / "s2" / REFERENCE.name).write_text(text.replace("Jensen, nice glasses.", "Nice glasses, Jensen."))
    (inputs / "s1" / "episode_012.txt").write_text(text.replace("Jensen, nice glasses.", "Hello there."))
    result = ingest([inputs], lake)
    assert result.exit_code == 0, result
    ids = {r["source_path"]: r["episode_id"] for r in query(lake, "SELECT source_path, episode_id FROM episodes")}
    assert ids["s1/transcript_bUrCR4jQQg8.txt"] == "yt-bUrCR4jQQg8"
    assert ids["s2/transcript_bUrCR4jQQg8.txt"].startswith("s2-transcript-burcr4jqqg8-txt-")
    assert ids["s1/episode_012.txt"].startswith("s1-episode-012-txt-")


def test_a_killed_run_leaves_no_process_behind(tmp_path: Path) -> None:
    """SIGKILL to `tlake run` alone (not its group): its temporary Prefect server and workers die too."""
    from flows.reaper import descendants

    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = REFERENCE.read_text()
    for i in range(8):
        (inputs / f"copy_{i}.txt").write_text(text.replace("Jensen, nice glasses.", f"Glasses number {i}."))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}  # its own temporary server
    env |= {"TLAKE_LAKE": str(tmp_path / "lake"), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--batch-size", "1", "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    family: dict[int, int] = {}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        family = descendants(process.pid)
        if len(family) >= 3:  # the watchdog, the server and a worker at least
            break
        time.sleep(0.2)
    assert process.poll() is None and len(family) >= 3, "the run ended before it had children to leave behind"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    alive = family
    while alive and time.monotonic() < deadline:
        alive = {pid: started for pid, started in family.items() if _started(pid) == started}
        time.sleep(0.2)
    assert alive == {}, f"left behind: {[_cmdline(pid) for pid in alive]}"


def _started(pid: int) -> int | None:
    from flows.reaper import _start_time

    return _start_time(pid)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:100]
    except OSError:
        return str(pid)
