"""Flows in this process: one Prefect test harness per session, started only by the tests that run a flow;
`ingest` runs the real flow, `tlake` the real CLI (typer's CliRunner), `query` reads a lake read-only.

The harness is a real Prefect server (a subprocess, with its own SQLite database) and every flow run is a
real Prefect run writing a real DuckLake; what it saves is the server start (~10 s) and the Python and
Prefect start-up of a `tlake run` subprocess per run. The tests that need a fresh process (the installed
CLI, a run killed with SIGKILL) start one themselves.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from unittest import mock

import pytest
from click.testing import Result
from rich.console import Console
from typer.testing import CliRunner

from flows.catalog import connect
from tests.conftest import REFERENCE

if TYPE_CHECKING:
    from flows.pipeline import RunSummary

Ingest = Callable[..., "RunSummary"]
SMOKE_TEST = "test_cli_subprocess.py::test_tlake_run_then_sql_and_status_in_fresh_processes"


@pytest.fixture(scope="session")
def prefect_quiet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Prefect's settings as `tlake run` sets them (flows.settings.quiet_orchestration: analytics off,
    logging at ERROR, no task-run recorder), with a PREFECT_HOME of the session's own; the environment is
    restored afterwards. Prefect reads its settings when first imported, so they are reloaded here."""
    from flows.settings import quiet_orchestration

    base = tmp_path_factory.mktemp("prefect")
    with mock.patch.dict(os.environ):
        for key in [k for k in os.environ if k.startswith("PREFECT_")]:
            del os.environ[key]  # a developer's own PREFECT_API_URL or PREFECT_HOME must not be used
        quiet_orchestration(base / "lake")  # PREFECT_HOME = base / "prefect"
        import prefect.context

        prefect.context.refresh_global_settings_context()
        yield base / "prefect"
    prefect.context.refresh_global_settings_context()  # from the restored environment


@pytest.fixture(scope="session")
def prefect_harness(prefect_quiet: Path) -> Iterator[str]:
    """`prefect_test_harness()` once per session; yields its API URL. The URL is also exported, so a
    `tlake run` subprocess started by a test uses this server instead of starting a temporary one."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    # None: the timeout is PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, which quiet_orchestration sets.
    with prefect_test_harness(server_startup_timeout=None):
        url = PREFECT_API_URL.value()
        with mock.patch.dict(os.environ, {"PREFECT_API_URL": url}):
            yield url


def _run_flow(inputs: list[Path], lake: Path, **options: object) -> RunSummary:
    """The one call of `flows.pipeline.run_flow` in the tests: change this if its signature changes."""
    from flows.pipeline import run_flow

    return run_flow([str(p) for p in inputs], str(lake), **options)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def ingest(prefect_harness: str) -> Ingest:
    """`ingest([folder, ...], lake, batch_size=..., workers=..., prune=...)` -> RunSummary: the `tlake run`
    flow in this process. `summary.exit_code` is the exit code `tlake run` gives for it."""
    return _run_flow


def invoke(*args: str, lake: Path) -> Result:
    """`tlake ARGS` in this process, with TLAKE_LAKE=lake: exit code, stdout and stderr as a user sees them,
    200 columns wide (rich reads the width once, when flows.cli is imported, so its consoles are swapped)."""
    from flows import cli

    runner = CliRunner()
    with (
        mock.patch.object(cli, "console", Console(width=200)),
        mock.patch.object(cli, "err", Console(stderr=True, width=200)),
    ):
        return runner.invoke(cli.app, list(args), env={"TLAKE_LAKE": str(lake)}, catch_exceptions=False)


@pytest.fixture
def tlake(request: pytest.FixtureRequest) -> Callable[..., Result]:
    """`invoke` for tests; `tlake("run", ...)` starts the session's Prefect harness first."""

    def call(*args: str, lake: Path) -> Result:
        if args[:1] == ("run",):
            request.getfixturevalue("prefect_harness")
        return invoke(*args, lake=lake)

    return call


def query(lake: Path, sql: str) -> list[dict]:
    """Rows as dicts, read through the read-only connection the CLI uses (with its macros)."""
    con = connect(lake, read_only=True)
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()


@contextmanager
def errors_logged() -> Iterator[list[str]]:
    """Records at ERROR or above that reach the root logger (Prefect's loggers propagate to it) while the
    block runs, with their tracebacks: in this process they are what a `tlake run` subprocess would print
    on stderr as ERROR lines and tracebacks (the CLI's own messages are in the CliRunner result)."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            trace = "\n" + logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
            seen.append(f"{record.name}: {record.getMessage()}{trace}")

    handler = Collect(logging.ERROR)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield seen
    finally:
        root.removeHandler(handler)


class Seeded(NamedTuple):
    inputs: Path  # a folder holding only the reference transcript
    lake: Path
    first: Result  # `tlake run` output of the run that published it
    errors: list[str]  # ERROR log records of that run


@pytest.fixture(scope="session")
def reference_lake(prefect_harness: str, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The reference transcript published once per session by `tlake run`, for tests that only read it
    (tests/flows/test_run.py, tests/flows/test_report.py). A test that writes to a lake makes its own."""
    base = tmp_path_factory.mktemp("reference")
    inputs = base / "inputs"
    inputs.mkdir()
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    lake = base / "lake"
    with errors_logged() as errors:
        first = invoke("run", "--input", str(inputs), lake=lake)
    return Seeded(inputs, lake, first, errors)


@pytest.fixture(scope="session", autouse=True)
def cli_smoke(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Future | None]:
    """The smoke test's fresh processes (tests/flows/test_cli_subprocess.py), started in a thread with the
    session's first flow test when the smoke test is selected: they run on the second core while the other
    tests run in this one, and the smoke test waits for them. Its duration is then only the wait."""
    if not any(item.nodeid.endswith(SMOKE_TEST) for item in request.session.items):
        yield None
        return
    from tests.flows.test_cli_subprocess import smoke

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cli-smoke") as pool:
        yield pool.submit(smoke, tmp_path_factory.mktemp("smoke"))
