"""`tlake`: run the pipeline, and read the lake. Read-only commands import neither Prefect nor GX."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_INPUT, lake_dir

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Transcript Lake: raw transcripts to validated, queryable tables.",
)
console = Console()
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from flows.settings import pipeline_version

        console.print(pipeline_version(), markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the pipeline version")
    ] = False,
) -> None:
    """Transcript Lake: raw transcripts to validated, queryable tables."""


LakeOption = Annotated[Path | None, typer.Option("--lake", help="lake folder (default data/lake, or TLAKE_LAKE)")]


# Control characters (ESC, BEL, CR...) a transcript may hold, shown as escapes instead of reaching the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(value: object) -> Text:
    """A value as the terminal shows it: never read as Rich markup ("[bold]", "[/]" in a title), control
    characters shown escaped (a title's ESC sequence cannot recolour or clear the terminal)."""
    text = "" if value is None else str(value)
    return Text(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text))


def _fail(message: str, code: int = 2) -> None:
    err.print(Text.assemble(("error:", "red"), " ", _plain(message)))
    raise typer.Exit(code)


def _open(lake: Path | None):  # type: ignore[no-untyped-def]
    from flows.catalog import LakeMissing, connect

    root = lake_dir(lake)
    try:
        con = connect(root, read_only=True)
    except LakeMissing as exc:
        _fail(str(exc))
    return con


@app.command()
def run(
    input: Annotated[list[Path] | None, typer.Option("--input", help="input folder; repeatable")] = None,
    lake: LakeOption = None,
    batch_size: Annotated[int, typer.Option(min=1)] = DEFAULT_BATCH_SIZE,
    workers: Annotated[int, typer.Option(min=1, help="processes for parsing")] = 1,
    prune: Annotated[bool, typer.Option(help="delete the rows of files that disappeared")] = False,
) -> None:
    """Ingest new and changed files, validate, publish atomically. Exit 0 all published, 1 some
    quarantined, 2 the run failed and nothing was published."""
    from flows.lake import LakeBusy, writer_lock

    root = lake_dir(lake)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(writer_lock(root))  # the lock's message at once, not after Prefect has started
        except LakeBusy as exc:
            _fail(str(exc))
        _run_locked(root, input, batch_size, workers, prune)


def _run_locked(root: Path, input: list[Path] | None, batch_size: int, workers: int, prune: bool) -> None:
    from flows.lake import LakeBusy
    from flows.settings import quiet_orchestration

    quiet_orchestration(root)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows import pipeline

    inputs = [str(p.resolve()) for p in (input or [DEFAULT_INPUT])]
    with Progress(
        TextColumn("[bold]ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        bar = progress.add_task("files", total=None)
        try:
            summary = pipeline.run_flow(
                inputs,
                str(root),
                batch_size=batch_size,
                workers=workers,
                prune=prune,
                progress=lambda done, total: progress.update(bar, completed=done, total=total),
            )
        except LakeBusy as exc:
            _fail(str(exc))
        except Exception as exc:
            _fail(f"the run failed and nothing was published: {type(exc).__name__}: {exc}")
    _print_summary(summary)
    raise typer.Exit(summary.exit_code)


def _print_summary(summary) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"run {summary.run_id}: {summary.status}")
    table.add_column("files")
    table.add_column("count", justify="right")
    for key, value in summary.counts.items():
        table.add_row(key, str(value))
    console.print(table)
    if summary.tables:
        rows = Table(title=f"lake rows (snapshot {summary.snapshot_id})")
        rows.add_column("table")
        rows.add_column("rows", justify="right")
        for name, count in summary.tables.items():
            rows.add_row(name, f"{count:,}")
        console.print(rows)
    elif summary.counts.get("new", 0) + summary.counts.get("changed", 0) == 0:
        console.print("nothing new: every file is unchanged since the last run (no snapshot written)")
    if summary.quarantined:
        quarantined = Table(title="quarantined files")
        for column in ("file", "code", "why"):
            quarantined.add_column(column, overflow="fold")
        for path, code, message in summary.quarantined:
            quarantined.add_row(_plain(path), _plain(code), _plain(message))
        console.print(quarantined)
    for table_name, expectation, observed in summary.failed_checks:
        console.print(
            Text.assemble(("check failed", "yellow"), " ", _plain(f"{table_name}: {expectation} ({observed})"))
        )


@app.command()
def status(lake: LakeOption = None) -> None:
    """Snapshots, episodes, last runs, quarantined files."""
    con = _open(lake)
    snapshots = con.execute("SELECT count(*), max(snapshot_id) FROM ducklake_snapshots('lake')").fetchone()
    episodes = con.execute("SELECT count(*), coalesce(sum(n_words), 0) FROM episodes").fetchone()
    console.print(_plain(f"lake: {lake_dir(lake)}"))
    console.print(
        f"snapshots: {snapshots[0]} (current {snapshots[1]}); episodes: {episodes[0]}, words: {episodes[1]:,}"
    )
    _show(
        con.execute(
            "SELECT run_id, status, started_at, n_published, n_quarantined, n_unchanged, snapshot_id "
            "FROM runs ORDER BY started_at DESC LIMIT 5"
        ),
        "last runs",
    )
    _show(
        con.execute(
            "SELECT s.source_path, i.code, i.message FROM sources s JOIN issues i "
            "ON i.source_path = s.source_path AND i.run_id = s.last_run_id AND i.severity = 'error' "
            "WHERE s.status = 'quarantined' ORDER BY s.source_path"
        ),
        "quarantined files",
    )


@app.command()
def roster(
    show: Annotated[str | None, typer.Argument(help="a show's name; all shows when left out")] = None,
    lake: LakeOption = None,
) -> None:
    """The regulars each show's episodes in the lake have taught (and the people.csv rows that override
    them): who new episodes of the show start from."""
    from flows import lake as lake_io
    from flows.settings import reference_dir
    from tasks.reference import load_people
    from tasks.speakers import AttributionParams
    from tasks.speakers.people import normalise_show
    from tasks.speakers.rosters import learn_rosters

    con = _open(lake)
    learnt = learn_rosters(lake_io.named_speakers(con), AttributionParams.shipped().roster_min_episodes)
    listed = load_people(reference_dir())
    wanted = normalise_show(show) if show else None
    table = Table(title="show rosters")
    for column in ("show", "name", "role", "episodes", "as host", "from"):
        table.add_column(column, overflow="fold")
    shows = sorted(set(learnt) | set(listed)) if wanted is None else [wanted]
    for key in shows:
        for entry in learnt.get(key, []):
            cells = (entry.show, entry.name, entry.role, entry.n_episodes, entry.n_as_host, "lake")
            table.add_row(*map(_plain, cells))
        for person in listed.get(key, []):
            table.add_row(*map(_plain, (key, person.name, person.role, "", "", "people.csv")))
    if wanted is not None and not learnt.get(wanted) and not listed.get(wanted):
        _fail(f"no roster for {show!r}: no episode of it names a speaker twice, and people.csv lists nobody", 1)
    console.print(table)


@app.command()
def candidates(
    limit: Annotated[int, typer.Option(min=1, help="how many names to list")] = 30,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="rows for seeds/reference/entities.csv, to edit and paste")
    ] = False,
    lake: LakeOption = None,
) -> None:
    """Names the gazetteer does not know yet, found in the text, most widely said first: review them and
    promote the right ones to the entities CSV (with `--csv`, rows in its format)."""
    con = _open(lake)
    rows = con.execute(
        "SELECT canonical, mode(entity_type) AS type, count(DISTINCT episode_id) AS episodes, count(*) AS mentions, "
        "round(max(confidence), 2) AS confidence, string_agg(DISTINCT surface, ';' ORDER BY surface) AS spellings "
        "FROM mentions WHERE match_kind = 'candidate' GROUP BY canonical "
        "ORDER BY episodes DESC, mentions DESC, confidence DESC, canonical LIMIT ?",
        [limit],
    ).fetchall()
    if as_csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for canonical, kind, _, _, _, spellings in rows:
            slug = "_".join("".join(c if c.isalnum() else " " for c in canonical.lower()).split())
            aliases = ";".join(s for s in spellings.split(";") if s != canonical)
            # The candidate types (person, organisation, product, unknown) are gazetteer types; fix "unknown" by hand.
            writer.writerow([slug, canonical, kind, aliases, "", ""])
        sys.stdout.write(out.getvalue())
        return
    table = Table(title=f"{len(rows)} candidate names (match_kind = 'candidate')")
    for column in ("name", "type", "episodes", "mentions", "confidence", "spellings"):
        table.add_column(_plain(column), overflow="fold")
    for row in rows:
        table.add_row(*map(_plain, row))
    console.print(table)


def _duckdb_message(exc: Exception) -> str:
    """DuckDB's message with its hint ("Did you mean ...") and caret lines, without the blank line between."""
    return "\n".join(line for line in str(exc).splitlines() if line.strip())


def _show(result, title: str) -> None:  # type: ignore[no-untyped-def]
    columns = [d[0] for d in result.description]
    rows = result.fetchall()
    table = Table(title=title)
    for column in columns:
        table.add_column(_plain(column), overflow="fold")
    for row in rows:
        table.add_row(*map(_plain, row))
    console.print(table)


@app.command()
def sql(
    query: str,
    format: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    lake: LakeOption = None,
) -> None:
    """Read-only SQL over the lake tables (and the macros hms, span_text, speaker_turns)."""
    import duckdb

    if format not in ("table", "csv", "json"):
        _fail("--format must be table, csv or json")
    from flows.sandbox import NotReadOnly, QueryTimeout, check_query, execute_bounded

    try:
        check_query(query)
    except NotReadOnly as exc:
        _fail(f"not allowed (the lake is read-only here): {exc}")
    except duckdb.ParserException as exc:
        _fail(f"bad SQL: {_duckdb_message(exc)}")
    con = _open(lake)
    try:
        result = execute_bounded(con, query)
    except QueryTimeout as exc:
        _fail(str(exc))
    except duckdb.CatalogException as exc:
        _fail(f"unknown table or column: {_duckdb_message(exc)}")
    except duckdb.ParserException as exc:
        _fail(f"bad SQL: {_duckdb_message(exc)}")
    except (duckdb.PermissionException, duckdb.InvalidInputException) as exc:
        _fail(f"not allowed (the lake is read-only here): {_duckdb_message(exc)}")
    except duckdb.OutOfMemoryException as exc:
        _fail(f"the query needs more memory than the sandbox allows (TLAKE_SQL_MEMORY): {_duckdb_message(exc)}")
    except duckdb.Error as exc:
        _fail(f"{type(exc).__name__}: {_duckdb_message(exc)}")
    if result.description is None:
        return
    columns = [d[0] for d in result.description]
    rows = result.fetchall()
    if format == "table":
        table = Table()
        for column in columns:
            table.add_column(_plain(column), overflow="fold")
        for row in rows:
            table.add_row(*map(_plain, row))
        console.print(table)
    elif format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[_csv_safe(v) for v in row] for row in rows])
        sys.stdout.write(buffer.getvalue())
    else:
        sys.stdout.write(json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=str) + "\n")


def _csv_safe(value: object) -> object:
    # Spreadsheets run cells that start with these as formulas; transcripts can say "=HYPERLINK(...)".
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@app.command()
def search(text: str, limit: Annotated[int, typer.Option(min=1)] = 10, lake: LakeOption = None) -> None:
    """Ranked full-text search over sentences, with speaker, time and episode."""
    from flows.report import hms
    from flows.search import search as run_search

    try:
        hits = run_search(lake_dir(lake), text, limit)
    except FileNotFoundError as exc:
        _fail(str(exc))
    table = Table(title=_plain(f"{len(hits)} hits for {text!r}"))
    for column in ("score", "episode", "at", "speaker", "sentence"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        cells = (f"{hit['score']:.2f}", hit["episode_id"], hms(hit["start_s"]), hit["speaker"] or "?", hit["text"])
        table.add_row(*map(_plain, cells))
    console.print(table)


@app.command()
def export(out: Annotated[Path, typer.Option("--out")], lake: LakeOption = None) -> None:
    """One zstd Parquet file per table plus DICTIONARY.md, for handing to analysts."""
    from flows.catalog import connect
    from flows.export import export_lake

    root = lake_dir(lake)
    try:
        con = connect(root, read_only=True, trusted=True)  # it writes the Parquet files to --out
    except Exception as exc:
        _fail(str(exc))
    written = export_lake(con, out)
    for path, rows in written:
        console.print(_plain(f"{path}  {rows:,} rows"))


@app.command()
def report(
    episode_id: str,
    out: Annotated[Path, typer.Option("--out", help="the HTML file to write")],
    lake: LakeOption = None,
) -> None:
    """A self-contained HTML page for one episode: speakers, timeline, sentiment, chapters, entities,
    numbers, data quality and the transcript."""
    from flows.report import write_report

    con = _open(lake)
    try:
        path = write_report(con, episode_id, out)
    except KeyError as exc:
        _fail(exc.args[0])
    console.print(_plain(f"wrote {path}"))


@app.command()
def serve(
    cron: Annotated[str, typer.Option("--cron", help="schedule, cron syntax")] = "0 * * * *",
    input: Annotated[list[Path] | None, typer.Option("--input", help="input folder; repeatable")] = None,
    lake: LakeOption = None,
) -> None:
    """Serve `tlake run` as a Prefect deployment on a schedule. Needs a Prefect server
    (`prefect server start`, then PREFECT_API_URL=http://127.0.0.1:4200/api): a temporary one cannot schedule."""
    from flows.settings import quiet_orchestration

    root = lake_dir(lake)
    quiet_orchestration(root)
    from flows.pipeline import deployment

    inputs = [str(p.resolve()) for p in (input or [DEFAULT_INPUT])]
    from prefect import serve as prefect_serve

    try:
        prefect_serve(deployment(inputs, root, cron))
    except Exception as exc:
        _fail(f"cannot serve: {exc} (is a Prefect server running and PREFECT_API_URL set?)")


def main() -> None:
    if set(sys.argv[1:2]) & {"run", "serve"}:
        from flows.reaper import start_reaper

        start_reaper()  # a killed run's server and workers die with it
    app()


if __name__ == "__main__":
    main()
