"""The one place that reads the environment: defaults, paths and the quiet settings of Prefect and GX."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# The release the pipeline version starts with; the digest after it changes by itself (see pipeline_version).
RELEASE = "0.3"
# The code that shapes rows: every step, reader, model and parameter file, and the contracts.
ROW_SHAPING_CODE = ("tasks", "expectations")
_CODE_SUFFIXES = (".py", ".json")

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


def pipeline_version(
    code_roots: tuple[Path, ...] | None = None, reference: Path | None = None, release: str = RELEASE
) -> str:
    """The release plus a digest of everything that shapes output rows: the source and parameter files of
    `tasks/` and `expectations/` and the reference CSVs. Files are skipped when hash and version match, so
    any change to them (a step, a reader, a weight, a show's people) reprocesses every file on the next run:
    a lake built by an older pipeline can never keep rows the current one would not write."""
    package = Path(__file__).resolve().parents[1]
    roots = code_roots if code_roots is not None else tuple(package / name for name in ROW_SHAPING_CODE)
    digest = hashlib.sha256()
    for root in roots:
        files = (p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts)
        for path in sorted(files):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode() + b"\0" + path.read_bytes())
    ref = reference if reference is not None else reference_dir()
    for path in sorted(ref.glob("*.csv")) if ref.exists() else []:
        digest.update(f"reference/{path.name}".encode() + b"\0" + path.read_bytes())
    return f"{release}+{digest.hexdigest()[:12]}"


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
