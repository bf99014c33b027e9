"""The `tlake run` flow: discover -> process (one task per batch) -> validate -> publish -> refresh.

Prefect is imported here and only here (and in the CLI's `run`/`serve`); tasks/ stays pure. The flow runs
on whatever task runner its caller picks (`run_flow`): threads by default, processes for `--workers N`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from expectations.contracts import EPISODE_TABLES
from flows import lake as lake_io
from flows.catalog import connect
from flows.discover import Known, Plan, SourceFile, plan, walk
from flows.settings import DEFAULT_BATCH_SIZE, max_file_bytes, pipeline_version, reference_dir
from tasks.document import BuildContext, Episode
from tasks.episode import build_episode, path_episode_id
from tasks.model import Finding, InputError
from tasks.reference import load_reference
from tasks.speakers import AttributionParams
from tasks.speakers.rosters import learn_rosters, with_rosters
from tasks.times import AlignParams

ProgressHook = Callable[[int, int], None]  # (files done, files total)


class Progress:
    """A progress hook as a flow parameter. Prefect ships a flow's parameters to process workers with the
    run's context; the hook belongs to the process that runs the flow (a terminal's progress bar), so a
    pickled copy reports nothing instead of failing to pickle."""

    def __init__(self, hook: ProgressHook | None = None) -> None:
        self._hook = hook

    def __call__(self, done: int, total: int) -> None:
        if self._hook is not None:
            self._hook(done, total)

    def __reduce__(self) -> tuple[type[Progress], tuple[None]]:
        return (Progress, (None,))


@dataclass
class Outcome:
    source: SourceFile
    episode: Episode | None = None
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


def load_context(run_id: str, named_speakers: Sequence[tuple[str, str, str, str]] = ()) -> BuildContext:
    """Reference data and model parameters for a run, read once; `named_speakers` (show, episode, name,
    role) of the lake so far teach each show's roster, which joins people.csv's rows (they win)."""
    reference = load_reference(reference_dir())
    attribution = AttributionParams.shipped()
    rosters = learn_rosters(named_speakers, attribution.roster_min_episodes)
    reference = dataclasses.replace(reference, people_by_show=with_rosters(reference.people_by_show, rosters))
    return BuildContext(pipeline_version(), run_id, reference, attribution, AlignParams.shipped())


def build_one(source: SourceFile, context: BuildContext) -> Outcome:
    """Read and process one file; every failure becomes an `issues` finding, never an exception."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:  # removed, or made unreadable, since the run found it
        return Outcome(source, error=Finding("unreadable_file", "error", f"{type(exc).__name__}: {exc.strerror}"))
    read = hashlib.sha256(data).hexdigest()
    if read != source.sha256:  # changed since it was hashed: the rows describe the bytes read
        source = dataclasses.replace(source, sha256=read, size=len(data))
    try:
        return Outcome(source, episode=build_episode(data, source.source_path, context))
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


@task(name="process-batch", cache_policy=NONE, persist_result=False)
def process_batch(sources: list[SourceFile], context: BuildContext) -> list[Outcome]:
    return [build_one(source, context) for source in sources]


@task(name="validate-batch", cache_policy=NONE, persist_result=False)
def validate_batch(tables: list[dict[str, pl.DataFrame]]) -> list:
    from expectations.suites import validate

    frames = {name: pl.concat([t[name] for t in tables], how="vertical_relaxed") for name in EPISODE_TABLES}
    return validate(frames)


def task_runner(workers: int) -> ThreadPoolTaskRunner | ProcessPoolTaskRunner:
    """Threads overlap one batch's processing with the last one's publishing; `workers` > 1 processes
    parse batches in parallel (each process imports the pipeline once)."""
    return ProcessPoolTaskRunner(max_workers=workers) if workers > 1 else ThreadPoolTaskRunner(max_workers=2)


def run_flow(
    inputs: list[str],
    lake: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    prune: bool = False,
    progress: ProgressHook | None = None,
) -> RunSummary:
    """`tlake run`: the flow on the task runner `workers` asks for."""
    runner = tlake_run.with_options(task_runner=task_runner(workers))
    return runner(inputs=inputs, lake=lake, batch_size=batch_size, prune=prune, progress=Progress(progress))


@flow(name="tlake-run", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=2))
def tlake_run(
    inputs: list[str],
    lake: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    prune: bool = False,
    progress: Any = None,
) -> RunSummary:
    """Ingest new and changed files of `inputs` into the lake at `lake`; `progress(done, total)` is called
    after each batch (a `Progress`; typed Any so a deployment's parameter schema stays JSON)."""
    run_id = f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = datetime.now(UTC)
    lake_path = Path(lake)
    with lake_io.writer_lock(lake_path):
        con = connect(lake_path, read_only=False)
        try:
            context = load_context(run_id, lake_io.named_speakers(con))
            summary = _Run(con, context, started).execute(inputs, batch_size, prune, progress)
            snapshot = lake_io.current_snapshot(con)
        finally:
            con.close()
        # Inside the lock, so two runs never build the index at once; also after a no-op run, so an
        # index left stale by a crash after publishing is caught up.
        refresh_search(lake_path, snapshot)
    create_markdown_artifact(
        key="tlake-run-summary", markdown=summary_markdown(summary), description="Transcript Lake run summary"
    )
    return summary


def _batches(files: tuple[SourceFile, ...], size: int) -> list[list[SourceFile]]:
    return [list(files[i : i + size]) for i in range(0, len(files), size)]


class _Run:
    """One run against an open lake: what is known of it, what the run has done so far, and how it
    writes its rows (`sources`, `issues`, `runs`, `dq_results` are shaped here, cast by the contract)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, context: BuildContext, started: datetime) -> None:
        self.con, self.context, self.started = con, context, started
        self.run_id = context.run_id
        self.known: dict[str, Known] = lake_io.known_sources(con)
        self.first_seen: dict[str, datetime] = dict(
            con.execute("SELECT source_path, first_seen_at FROM sources").fetchall()
        )
        self.owners = lake_io.episode_owners(con)
        self.checks: list = []
        self.summary = RunSummary(self.run_id, "success", {}, None)

    # ---- the run

    def execute(self, inputs: list[str], batch_size: int, prune: bool, progress: ProgressHook | None) -> RunSummary:
        files, rejected = walk([Path(p) for p in inputs], max_file_bytes())
        work: Plan = plan(files, rejected, self.known, self.context.pipeline_version)
        summary = self.summary
        summary.counts = {
            "files": len(files) + len(rejected),
            "new": len(work.new),
            "changed": len(work.changed),
            "unchanged": len(work.unchanged),
            "missing": len(work.missing),
            "published": 0,
            "quarantined": 0,
            "duplicates": len(work.duplicates),
        }
        summary.duplicates = [(f.source_path, o) for f, o in work.duplicates]
        summary.quarantined = [(r.source_path, r.finding.code, r.finding.message) for r in work.rejected]
        fresh_rejected = [r for r in work.rejected if not self._recorded(r.source_path, r.sha256, "quarantined")]
        fresh_duplicates = [
            (f, o) for f, o in work.duplicates if not self._recorded(f.source_path, f.sha256, "duplicate")
        ]
        if not (work.to_process or work.missing or fresh_duplicates or fresh_rejected):
            return self._finish()  # nothing to do: no transaction, so no new snapshot

        total, done = len(work.to_process), 0
        for future in process_batch.map(_batches(work.to_process, batch_size), unmapped(self.context)):
            outcomes: list[Outcome] = future.result()
            done += len(outcomes)
            self._publish_batch(outcomes)
            if progress is not None:
                progress(done, total)
        self._publish_the_rest(work, fresh_rejected, fresh_duplicates, prune)
        summary = self._finish()
        summary.snapshot_id = lake_io.current_snapshot(self.con)
        dq_rows = self._dq_rows()
        summary.failed_checks = [
            (r["table_name"], r["expectation"], r["observed"]) for r in dq_rows if not r["success"]
        ]
        lake_io.record_run(self.con, self._run_row(), dq_rows)
        summary.tables = {
            t: self.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # type: ignore[index]
            for t in EPISODE_TABLES
        }
        return summary

    def _recorded(self, path: str, sha: str, status: str) -> bool:
        prior = self.known.get(path)
        return prior is not None and prior.sha256 == sha and prior.status == status

    def _finish(self) -> RunSummary:
        self.summary.counts["quarantined"] = len(self.summary.quarantined)
        self.summary.status = "partial" if self.summary.quarantined else "success"
        return self.summary

    # ---- publishing

    def _publish_batch(self, outcomes: list[Outcome]) -> None:
        sources: list[dict] = []
        issues: list[dict] = []
        built: list[tuple[SourceFile, Episode, dict[str, pl.DataFrame]]] = []
        for outcome in outcomes:
            src = outcome.source
            if outcome.error is not None:
                prior = self.known.get(src.source_path)
                self._quarantine(src.source_path, outcome.error)
                sources.append(self._source_row(src, "quarantined", episode_id=prior.episode_id if prior else None))
                issues.append(self._issue(src.source_path, outcome.error))
                continue
            assert outcome.episode is not None
            episode = outcome.episode
            owner = self.owners.get(episode.episode_id)
            if owner is not None and owner != src.source_path:
                # Another file already holds this id (the same video in another format): key by path.
                episode = episode.rekeyed(path_episode_id(src.source_path))
            self.owners[episode.episode_id] = src.source_path
            built.append((src, episode, episode.tables()))
        checks = validate_batch([tables for _, _, tables in built]) if built else []
        self.checks.extend(checks)
        failing: dict[str, list[str]] = {}
        for check in checks:
            if check.blocking and not check.success:
                for episode_id in check.failing_episode_ids:
                    failing.setdefault(episode_id, []).append(f"{check.table_name}: {check.expectation}")
        published: list[dict[str, pl.DataFrame]] = []
        replace: list[str] = []
        for src, episode, tables in built:
            for finding in (*episode.findings, *([src.name_finding] if src.name_finding else [])):
                issues.append(self._issue(src.source_path, finding, episode.episode_id))
            if episode.episode_id in failing:
                reasons = "; ".join(sorted(set(failing[episode.episode_id])))
                finding = Finding("failed_expectations", "error", "blocking data checks failed: " + reasons)
                self._quarantine(src.source_path, finding)
                issues.append(self._issue(src.source_path, finding, episode.episode_id))
                sources.append(self._source_row(src, "quarantined", episode))
                continue
            published.append(tables)
            prior = self.known.get(src.source_path)
            if prior and prior.episode_id and prior.episode_id != episode.episode_id:
                replace.append(prior.episode_id)
            replace.append(episode.episode_id)
            sources.append(self._source_row(src, "published", episode))
        lake_io.publish(
            self.con,
            episode_frames=published,
            replace_episode_ids=replace,
            sources=sources,
            issues=_dedupe_issues(issues),
            run=self._run_row("interrupted", published=len(published)),
        )
        self.summary.counts["published"] += len(published)

    def _publish_the_rest(
        self, work: Plan, rejected: list, duplicates: list[tuple[SourceFile, str]], prune: bool
    ) -> None:
        """Rejected files, duplicates and missing files: one more transaction of sources and issues."""
        sources: list[dict] = []
        issues: list[dict] = []
        for r in rejected:
            prior = self.known.get(r.source_path)
            # A published file now rejected (grown past the cap, unreadable) keeps its last good rows.
            sources.append(
                self._row(
                    r.source_path, r.sha256, r.size, "quarantined", episode_id=prior.episode_id if prior else None
                )
            )
            issues.append(self._issue(r.source_path, r.finding))
        for f, owner in duplicates:
            sources.append(self._source_row(f, "duplicate", duplicate_of=owner))
            issues.append(
                self._issue(
                    f.source_path,
                    Finding("duplicate_content", "warning", f"same bytes as {owner}; ingested once, under that name"),
                )
            )
        if not prune:
            for p in work.missing:
                k = self.known[p]
                sources.append(self._row(p, k.sha256, k.bytes, "missing", episode_id=k.episode_id))
        # Rows leave the lake only by the file that published them: a pruned file, or a file whose bytes
        # now duplicate another's.
        retire = [*(work.missing if prune else ()), *(f.source_path for f, _ in duplicates)]
        if sources or issues or work.missing:
            lake_io.publish(
                self.con,
                episode_frames=[],
                replace_episode_ids=[],
                sources=sources,
                issues=issues,
                delete_sources=list(work.missing) if prune else [],
                retire_sources=retire,
                run=self._run_row("interrupted"),
            )

    def _quarantine(self, path: str, finding: Finding) -> None:
        self.summary.quarantined.append((path, finding.code, finding.message))

    # ---- rows of the run's own tables

    def _issue(self, source_path: str, finding: Finding, episode_id: str | None = None) -> dict:
        return {
            "run_id": self.run_id,
            "source_path": source_path,
            "code": finding.code,
            "location": finding.location,
            "severity": finding.severity,
            "message": finding.message,
            "episode_id": episode_id,
        }

    def _source_row(
        self, src: SourceFile, status: str, episode: Episode | None = None, *, episode_id: str | None = None,
        duplicate_of: str | None = None,
    ) -> dict:  # fmt: skip
        origin = episode.origin if episode is not None else None
        return self._row(
            src.source_path,
            src.sha256,
            src.size,
            status,
            episode_id=episode.episode_id if episode is not None else episode_id,
            fmt=origin.format if origin else None,
            confidence=origin.format_confidence if origin else None,
            encoding=origin.encoding if origin else None,
            duplicate_of=duplicate_of,
        )

    def _row(
        self, source_path: str, sha: str, size: int, status: str, *, episode_id: str | None = None,
        fmt: str | None = None, confidence: float | None = None, encoding: str | None = None,
        duplicate_of: str | None = None,
    ) -> dict:  # fmt: skip
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
            "first_seen_at": self.first_seen.get(source_path, datetime.now(UTC)),
            "last_run_id": self.run_id,
            "pipeline_version": self.context.pipeline_version,
        }

    def _run_row(self, status: str | None = None, published: int = 0) -> dict:
        """The run's row: final, or (`status` "interrupted") as it stands with `published` more episodes in
        the transaction being written."""
        counts = {**self.summary.counts, "quarantined": len(self.summary.quarantined)}
        counts["published"] += published
        return {
            "run_id": self.run_id,
            "started_at": self.started,
            "finished_at": datetime.now(UTC),
            "status": status or self.summary.status,
            **{f"n_{key}": counts[key] for key in ("files", "new", "changed", "unchanged", "missing")},
            **{f"n_{key}": counts[key] for key in ("published", "quarantined", "duplicates")},
            "snapshot_id": None if status else self.summary.snapshot_id,
            "pipeline_version": self.context.pipeline_version,
        }

    def _dq_rows(self) -> list[dict]:
        """One row per (table, expectation) for the run: failed if any batch failed it."""
        rows: dict[tuple[str, str], dict] = {}
        for check in self.checks:
            key = (check.table_name, check.expectation)
            row = rows.get(key)
            if row is None:
                rows[key] = {
                    "run_id": self.run_id,
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


def _dedupe_issues(issues: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for issue in issues:
        key = (issue["run_id"], issue["source_path"], issue["code"], issue["location"])
        if key in seen:
            seen[key]["message"] += f" | {issue['message']}"
        else:
            seen[key] = dict(issue)
    return list(seen.values())


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


def deployment(inputs: list[str], lake: Path, cron: str) -> Any:
    """`tlake run` on a schedule, for `tlake serve` (and for `prefect deploy` users to import)."""
    return tlake_run.to_deployment(
        name="tlake-scheduled",
        cron=cron,
        parameters={"inputs": inputs, "lake": str(lake), "batch_size": DEFAULT_BATCH_SIZE, "prune": False},
        description="Ingest new and changed transcripts into the lake",
    )
