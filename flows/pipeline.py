"""The `tlake run` flow: discover -> process (one task per batch) -> validate -> publish -> refresh.

Prefect is imported here and only here (and in the CLI's `run`/`serve`); tasks/ stays pure.
"""

from __future__ import annotations

import multiprocessing
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from flows import lake as lake_io
from flows.catalog import connect
from flows.discover import Plan, SourceFile, plan, walk
from flows.settings import DEFAULT_BATCH_SIZE, max_file_bytes, pipeline_version, reference_dir
from tasks.episode import EpisodeResult, Settings, build_episode, path_episode_id
from tasks.model import Finding, InputError

ProgressHook = Callable[[int, int], None]  # (files done, files total)
_progress: ProgressHook | None = None


def set_progress_hook(hook: ProgressHook | None) -> None:
    global _progress
    _progress = hook


@dataclass
class Outcome:
    source: SourceFile
    result: EpisodeResult | None = None
    error: Finding | None = None


@dataclass
class RunSummary:
    run_id: str
    status: str
    counts: dict[str, int]
    snapshot_id: int | None
    quarantined: list[tuple[str, str, str]] = field(default_factory=list)  # (path, code, message)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    failed_checks: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return {"success": 0, "partial": 1}.get(self.status, 2)


def load_settings(run_id: str) -> Settings:
    """Reference data for a run, read once: shows and their people, fillers, entities."""
    from tasks.attribute import load_people
    from tasks.enrich import load_fillers
    from tasks.entities import load_gazetteer

    root = reference_dir()
    return Settings(
        pipeline_version(),
        run_id,
        fillers=load_fillers(root / "fillers.csv"),
        people_by_show=load_people(root),
        gazetteer=load_gazetteer(root / "entities.csv"),
    )


def build_one(source: SourceFile, settings: Settings) -> Outcome:
    """Read and process one file; every failure becomes an `issues` finding, never an exception."""
    try:
        data = source.path.read_bytes()
        return Outcome(source, result=build_episode(data, source.source_path, settings))
    except InputError as exc:
        return Outcome(source, error=exc.finding())
    except RecursionError:
        return Outcome(source, error=Finding("too_deeply_nested", "error", "the content nests too deeply to read"))
    except MemoryError:
        return Outcome(source, error=Finding("resource_exhausted", "error", "ran out of memory reading the file"))
    except Exception as exc:  # a bug of ours must not stop the run; the traceback tail says where
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(
            source,
            error=Finding(
                "internal_error",
                "error",
                f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno}); please report it",
            ),
        )


_pool: Executor | None = None


@task(name="process-batch", cache_policy=NONE, persist_result=False)
def process_batch(sources: list[SourceFile], settings: Settings) -> list[Outcome]:
    if _pool is None:
        return [build_one(source, settings) for source in sources]
    return list(_pool.map(build_one, sources, [settings] * len(sources)))


@task(name="validate-batch", cache_policy=NONE, persist_result=False)
def validate_batch(results: list[EpisodeResult]) -> list:
    from expectations.suites import validate

    frames = {
        table: pl.concat([r.frames[table] for r in results], how="diagonal_relaxed") for table in lake_io.EPISODE_TABLES
    }
    return validate(frames)


def _batches(files: tuple[SourceFile, ...], size: int) -> list[list[SourceFile]]:
    return [list(files[i : i + size]) for i in range(0, len(files), size)]


def _issue(run_id: str, source_path: str, finding: Finding, episode_id: str | None = None) -> dict:
    return {
        "run_id": run_id,
        "source_path": source_path,
        "code": finding.code,
        "location": finding.location,
        "severity": finding.severity,
        "message": finding.message,
        "episode_id": episode_id,
    }


def _source_row(
    source_path: str,
    sha: str,
    size: int,
    status: str,
    settings: Settings,
    *,
    first_seen: dict[str, datetime],
    now: datetime,
    episode_id: str | None = None,
    fmt: str | None = None,
    confidence: float | None = None,
    encoding: str | None = None,
    duplicate_of: str | None = None,
) -> dict:
    return {
        "source_path": source_path,
        "source_sha256": sha,
        "bytes": size,
        "episode_id": episode_id,
        "format": fmt,
        "format_confidence": confidence,
        "encoding": encoding,
        "status": status,
        "duplicate_of": duplicate_of,
        "first_seen_at": first_seen.get(source_path, now),
        "last_run_id": settings.run_id,
        "pipeline_version": settings.pipeline_version,
    }


def _rekey(result: EpisodeResult, episode_id: str) -> EpisodeResult:
    frames = {name: frame.with_columns(pl.lit(episode_id).alias("episode_id")) for name, frame in result.frames.items()}
    return EpisodeResult(episode_id, result.format, result.format_confidence, result.encoding, frames, result.findings)


@flow(name="tlake-run", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=2))
def tlake_run(
    inputs: list[str], lake: str, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = 1, prune: bool = False
) -> RunSummary:
    global _pool
    run_id = f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = datetime.now(UTC)
    lake_path = Path(lake)
    settings = load_settings(run_id)
    with lake_io.writer_lock(lake_path):
        con = connect(lake_path, read_only=False)
        try:
            summary = _run_locked(con, inputs, settings, started, batch_size, workers, prune)
            snapshot = lake_io.current_snapshot(con)
        finally:
            con.close()
            if _pool is not None:
                _pool.shutdown()
                _pool = None
        # Inside the lock, so two runs never build the index at once; also after a no-op run, so an
        # index left stale by a crash after publishing is caught up.
        refresh_search(lake_path, snapshot)
    create_markdown_artifact(
        key="tlake-run-summary", markdown=summary_markdown(summary), description="Transcript Lake run summary"
    )
    return summary


def _run_locked(
    con: duckdb.DuckDBPyConnection,
    inputs: list[str],
    settings: Settings,
    started: datetime,
    batch_size: int,
    workers: int,
    prune: bool,
) -> RunSummary:
    global _pool
    run_id = settings.run_id
    files, rejected = walk([Path(p) for p in inputs], max_file_bytes())
    known = lake_io.known_sources(con)
    work: Plan = plan(files, rejected, known, settings.pipeline_version)
    first_seen = dict(con.execute("SELECT source_path, first_seen_at FROM sources").fetchall())
    owners = lake_io.episode_owners(con)
    summary = RunSummary(
        run_id,
        "success",
        {
            "files": len(files) + len(rejected),
            "new": len(work.new),
            "changed": len(work.changed),
            "unchanged": len(work.unchanged),
            "missing": len(work.missing),
            "published": 0,
            "quarantined": 0,
            "duplicates": len(work.duplicates),
        },
        None,
    )
    summary.duplicates = [(f.source_path, o) for f, o in work.duplicates]
    summary.quarantined = [(r.source_path, r.finding.code, r.finding.message) for r in work.rejected]

    def already_recorded(path: str, sha: str, status: str) -> bool:
        prior = known.get(path)
        return prior is not None and prior.sha256 == sha and prior.status == status

    fresh_rejected = [r for r in work.rejected if not already_recorded(r.source_path, r.sha256, "quarantined")]
    fresh_duplicates = [
        (f, o) for f, o in work.duplicates if not already_recorded(f.source_path, f.sha256, "duplicate")
    ]
    if not (work.to_process or work.missing or fresh_duplicates or fresh_rejected):
        summary.counts["quarantined"] = len(summary.quarantined)
        summary.status = "partial" if summary.quarantined else "success"
        return summary  # nothing to do: no transaction, so no new snapshot

    if workers > 1 and len(work.to_process) > batch_size:
        # Prefect runs threads; forking a threaded process can deadlock, so start clean workers.
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))
    total, done = len(work.to_process), 0
    all_checks: list = []
    for future in process_batch.map(_batches(work.to_process, batch_size), settings):
        outcomes: list[Outcome] = future.result()
        done += len(outcomes)
        _publish_batch(con, outcomes, settings, summary, owners, known, first_seen, all_checks)
        if _progress:
            _progress(done, total)

    now = datetime.now(UTC)
    tail_sources: list[dict] = []
    tail_issues: list[dict] = []
    for r in fresh_rejected:
        prior = known.get(r.source_path)
        # A published file now rejected (grown past the cap, unreadable) keeps its last good rows.
        tail_sources.append(
            _source_row(
                r.source_path,
                r.sha256,
                r.size,
                "quarantined",
                settings,
                first_seen=first_seen,
                now=now,
                episode_id=prior.episode_id if prior else None,
            )
        )
        tail_issues.append(_issue(run_id, r.source_path, r.finding))
    for f, owner in fresh_duplicates:
        tail_sources.append(
            _source_row(
                f.source_path,
                f.sha256,
                f.size,
                "duplicate",
                settings,
                first_seen=first_seen,
                now=now,
                duplicate_of=owner,
            )
        )
        tail_issues.append(
            _issue(
                run_id,
                f.source_path,
                Finding("duplicate_content", "warning", f"same bytes as {owner}; ingested once, under that name"),
            )
        )
    missing_rows = (
        []
        if prune
        else [
            _source_row(
                p,
                known[p].sha256,
                known[p].bytes,
                "missing",
                settings,
                first_seen=first_seen,
                now=now,
                episode_id=known[p].episode_id,
            )
            for p in work.missing
        ]
    )
    # Rows leave the lake only by the file that published them: a pruned file, or a file whose bytes
    # now duplicate another's.
    retire = [*(work.missing if prune else ()), *(f.source_path for f, _ in fresh_duplicates)]
    if tail_sources or tail_issues or work.missing:
        lake_io.publish(
            con,
            episode_frames=[],
            replace_episode_ids=[],
            sources=tail_sources + missing_rows,
            issues=tail_issues,
            delete_sources=list(work.missing) if prune else [],
            retire_sources=retire,
        )
    summary.counts["quarantined"] = len(summary.quarantined)
    summary.status = "partial" if summary.quarantined else "success"
    summary.snapshot_id = lake_io.current_snapshot(con)
    dq_rows = _dq_rows(run_id, all_checks)
    summary.failed_checks = [(r["table_name"], r["expectation"], r["observed"]) for r in dq_rows if not r["success"]]
    lake_io.record_run(
        con,
        {
            "run_id": run_id,
            "started_at": started,
            "finished_at": datetime.now(UTC),
            "status": summary.status,
            "n_files": summary.counts["files"],
            "n_new": summary.counts["new"],
            "n_changed": summary.counts["changed"],
            "n_unchanged": summary.counts["unchanged"],
            "n_missing": summary.counts["missing"],
            "n_published": summary.counts["published"],
            "n_quarantined": summary.counts["quarantined"],
            "n_duplicates": summary.counts["duplicates"],
            "snapshot_id": summary.snapshot_id,
            "pipeline_version": settings.pipeline_version,
        },
        dq_rows,
    )
    summary.tables = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in lake_io.EPISODE_TABLES}
    return summary


def _publish_batch(
    con: duckdb.DuckDBPyConnection,
    outcomes: list[Outcome],
    settings: Settings,
    summary: RunSummary,
    owners: dict[str, str],
    known: dict,
    first_seen: dict,
    all_checks: list,
) -> None:
    now = datetime.now(UTC)
    run_id = settings.run_id
    good: list[EpisodeResult] = []
    sources: list[dict] = []
    issues: list[dict] = []
    replace: list[str] = []
    for outcome in outcomes:
        src = outcome.source
        prior = known.get(src.source_path)
        if outcome.error is not None:
            summary.quarantined.append((src.source_path, outcome.error.code, outcome.error.message))
            sources.append(
                _source_row(
                    src.source_path,
                    src.sha256,
                    src.size,
                    "quarantined",
                    settings,
                    first_seen=first_seen,
                    now=now,
                    episode_id=prior.episode_id if prior else None,
                )
            )
            issues.append(_issue(run_id, src.source_path, outcome.error))
            continue
        result = outcome.result
        assert result is not None
        owner = owners.get(result.episode_id)
        if owner is not None and owner != src.source_path:
            # Another file already holds this id (the same video in another format): key by path.
            result = _rekey(result, path_episode_id(src.source_path))
        owners[result.episode_id] = src.source_path
        good.append(result)
        outcome.result = result
    checks = validate_batch(good) if good else []
    failing: dict[str, list[str]] = {}
    for check in checks:
        if check.blocking and not check.success:
            for episode_id in check.failing_episode_ids:
                failing.setdefault(episode_id, []).append(f"{check.table_name}: {check.expectation}")
    all_checks.extend(checks)
    published: list[EpisodeResult] = []
    for outcome in outcomes:
        if outcome.result is None:
            continue
        src, result = outcome.source, outcome.result
        for finding in (*result.findings, *([src.name_finding] if src.name_finding else [])):
            issues.append(_issue(run_id, src.source_path, finding, result.episode_id))
        if result.episode_id in failing:
            finding = Finding(
                "failed_expectations",
                "error",
                "blocking data checks failed: " + "; ".join(sorted(set(failing[result.episode_id]))),
            )
            summary.quarantined.append((src.source_path, finding.code, finding.message))
            issues.append(_issue(run_id, src.source_path, finding, result.episode_id))
            sources.append(
                _source_row(
                    src.source_path,
                    src.sha256,
                    src.size,
                    "quarantined",
                    settings,
                    first_seen=first_seen,
                    now=now,
                    episode_id=result.episode_id,
                    fmt=result.format,
                    confidence=result.format_confidence,
                    encoding=result.encoding,
                )
            )
            continue
        published.append(result)
        prior = known.get(src.source_path)
        if prior and prior.episode_id and prior.episode_id != result.episode_id:
            replace.append(prior.episode_id)
        replace.append(result.episode_id)
        sources.append(
            _source_row(
                src.source_path,
                src.sha256,
                src.size,
                "published",
                settings,
                first_seen=first_seen,
                now=now,
                episode_id=result.episode_id,
                fmt=result.format,
                confidence=result.format_confidence,
                encoding=result.encoding,
            )
        )
    lake_io.publish(
        con,
        episode_frames=[r.frames for r in published],
        replace_episode_ids=replace,
        sources=sources,
        issues=_dedupe_issues(issues),
    )
    summary.counts["published"] += len(published)


def _dedupe_issues(issues: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for issue in issues:
        key = (issue["run_id"], issue["source_path"], issue["code"], issue["location"])
        if key in seen:
            seen[key]["message"] += f" | {issue['message']}"
        else:
            seen[key] = dict(issue)
    return list(seen.values())


def _dq_rows(run_id: str, checks: list) -> list[dict]:
    """One row per (table, expectation) for the run: failed if any batch failed it."""
    rows: dict[tuple[str, str], dict] = {}
    for check in checks:
        key = (check.table_name, check.expectation)
        row = rows.get(key)
        if row is None:
            rows[key] = {
                "run_id": run_id,
                "table_name": check.table_name,
                "expectation": check.expectation,
                "column_name": check.column_name,
                "success": check.success,
                "observed": check.observed,
                "blocking": check.blocking,
            }
        elif not check.success:
            row["success"] = False
            row["observed"] = check.observed
    return list(rows.values())


def refresh_search(lake_path: Path, snapshot_id: int) -> None:
    from flows.search import indexed_snapshot, rebuild_index

    if indexed_snapshot(lake_path) != snapshot_id:
        rebuild_index(lake_path, snapshot_id)


def summary_markdown(summary: RunSummary) -> str:
    lines = [f"# Run {summary.run_id}: {summary.status}", "", "| outcome | files |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in summary.counts.items()]
    if summary.quarantined:
        lines += ["", "## Quarantined", "", "| file | code | why |", "|---|---|---|"]
        lines += [f"| {p} | {c} | {m} |" for p, c, m in summary.quarantined]
    if summary.failed_checks:
        lines += ["", "## Failed data checks", ""] + [f"- {t}: {e} ({o})" for t, e, o in summary.failed_checks]
    return "\n".join(lines)


def deployment(inputs: list[str], lake: Path, cron: str):  # type: ignore[no-untyped-def]
    """`tlake run` on a schedule, for `tlake serve` (and for `prefect deploy` users to import)."""
    return tlake_run.to_deployment(
        name="tlake-scheduled",
        cron=cron,
        parameters={
            "inputs": inputs,
            "lake": str(lake),
            "batch_size": DEFAULT_BATCH_SIZE,
            "workers": 1,
            "prune": False,
        },
        description="Ingest new and changed transcripts into the lake",
    )
