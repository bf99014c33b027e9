"""The one place that reads the environment: defaults, paths and the quiet settings of Prefect and GX."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Bump when a change alters output rows: every file is then reprocessed on the next run.
PIPELINE_VERSION = "0.2.0"

DEFAULT_INPUT = Path("seeds/transcripts")
DEFAULT_LAKE = Path("data/lake")
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_BATCH_SIZE = 25


def lake_dir(option: Path | None = None) -> Path:
    return Path(option or os.environ.get("TLAKE_LAKE") or DEFAULT_LAKE).resolve()


def max_file_bytes() -> int:
    return int(os.environ.get("TLAKE_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def reference_dir() -> Path:
    return Path(os.environ.get("TLAKE_REFERENCE", Path(__file__).resolve().parents[1] / "seeds" / "reference"))


def pipeline_version() -> str:
    """The code version plus a digest of the reference data: editing a show's people, a filler or an
    entity changes output rows, so it must reprocess files just as a code change does."""
    digest = hashlib.sha256()
    root = reference_dir()
    for path in sorted(root.glob("*.csv")) if root.exists() else []:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{PIPELINE_VERSION}+ref.{digest.hexdigest()[:10]}"


def quiet_orchestration(lake: Path) -> None:
    """Prefect and GX offline and silent. Must run before either is imported.

    The task-run recorder is what prints CancelledError tracebacks when the temporary server stops
    (perf_anchors §6); flow runs are still recorded without it.
    """
    home = lake.parent / "prefect"
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "ERROR",
        "PREFECT_LOGGING_SERVER_LEVEL": "ERROR",
        "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "ERROR",
        "PREFECT_CLI_COLORS": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "GX_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    home.mkdir(parents=True, exist_ok=True)
