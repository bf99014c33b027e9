"""The one smoke test of the installed CLI in fresh processes, as a user runs it: `tlake run` starts its own
temporary Prefect server (no PREFECT_* setting is passed down), then `tlake sql` and `tlake status` read the
lake. Everything else runs in this process (tests/flows/conftest.py).

The processes share nothing with the other tests (their own folder, their own server), so the `cli_smoke`
fixture starts them with the session's first flow test, on the second core; the test waits for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.flow
TLAKE = [sys.executable, "-m", "flows.cli"]
VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann Lee>Hello and welcome to the show.\n\n"
    "00:00:04.500 --> 00:00:07.000\n<v Bob Ray>Thanks, Ann. Glad to be here.\n"
)


def tlake_process(*args: str, lake: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"TLAKE_LAKE": str(lake), "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([*TLAKE, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def smoke(base: Path) -> tuple[Path, dict[str, subprocess.CompletedProcess[str]]]:
    """`tlake run` on one small file, then `tlake sql` and `tlake status`: three fresh processes."""
    inputs, lake = base / "in", base / "lake"
    inputs.mkdir()
    (inputs / "talk.vtt").write_text(VTT)
    done = {"run": tlake_process("run", "--input", str(inputs), lake=lake)}
    done["sql"] = tlake_process("sql", "SELECT source_path, status FROM sources", "--format", "json", lake=lake)
    done["status"] = tlake_process("status", lake=lake)
    return lake, done


def test_tlake_run_then_sql_and_status_in_fresh_processes(cli_smoke: Future) -> None:
    lake, done = cli_smoke.result(timeout=1800)
    run, sql, status = done["run"], done["sql"], done["status"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "success" in run.stdout and "lake rows" in run.stdout
    assert "Traceback" not in run.stderr and "ERROR" not in run.stderr, run.stderr

    assert sql.returncode == 0, sql.stderr
    assert json.loads(sql.stdout) == [{"source_path": "talk.vtt", "status": "published"}]

    assert status.returncode == 0, status.stderr
    assert f"lake: {lake.resolve()}" in status.stdout and "episodes: 1," in status.stdout
    assert "success" in status.stdout  # the run, in "last runs"
