"""`tlake run` end to end in this process: the real Prefect flow (under the session's test harness), the
real CLI (typer's CliRunner), a real DuckLake in a temporary folder. The installed CLI in fresh processes is
tests/flows/test_cli_subprocess.py."""

from __future__ import annotations

import itertools
import math
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from expectations.contracts import EPISODE_TABLES, TABLES
from tests.conftest import CORPUS, REFERENCE, ROOT
from tests.flows.conftest import Seeded, query

pytestmark = pytest.mark.flow


def test_first_run_publishes_the_reference_transcript(reference_lake: Seeded) -> None:
    first = reference_lake.first
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "success" in first.stdout
    assert "Traceback" not in first.stderr and "ERROR" not in first.stderr
    assert reference_lake.errors == []


def test_every_table_exists_with_the_contract_columns(reference_lake: Seeded) -> None:
    rows = query(
        reference_lake.lake,
        "SELECT table_name, list(column_name ORDER BY column_index) AS columns FROM duckdb_columns() "
        "WHERE database_name = 'lake' GROUP BY table_name",
    )
    columns = {r["table_name"]: r["columns"] for r in rows}
    for name, table in TABLES.items():
        assert columns.get(name) == list(table.column_names), name


def test_reference_episode_rows(reference_lake: Seeded) -> None:
    lake = reference_lake.lake
    episode = query(lake, "SELECT * FROM episodes")[0]
    assert episode["episode_id"] == "yt-bUrCR4jQQg8"
    assert (episode["show"], episode["episode_number"], episode["title"]) == ("BG2", 17, "Welcome Jensen Huang")
    assert episode["hosts"] == ["Bill Gurley", "Brad Gerstner"] and episode["guests"] == ["Jensen Huang"]
    assert episode["n_chapters"] == 13
    assert 455 <= episode["n_turns"] <= 475
    chapters = query(lake, "SELECT title, start_s FROM chapters ORDER BY chapter_idx")
    assert chapters[2] == {"title": "NVIDIA's Competitive Moat", "start_s": 363.0}
    assert chapters[11] == {"title": "Ensuring Safe AI Development", "start_s": 4080.0}
    counts = query(
        lake,
        "SELECT (SELECT count(*) FROM events) AS events, "
        "(SELECT count(*) FROM sentences WHERE text LIKE '%(%laugh%' OR text LIKE '%music)%') AS tags",
    )
    assert counts == [{"events": 6, "tags": 0}]


def test_sentences_joined_by_their_spans_give_back_the_clean_text(reference_lake: Seeded) -> None:
    lake = reference_lake.lake
    clean = query(lake, "SELECT clean_text FROM documents")[0]["clean_text"]
    sentences = query(lake, "SELECT start_char, end_char, text FROM sentences ORDER BY sentence_idx")
    rebuilt, cursor = [], 0
    for s in sentences:
        gap = clean[cursor : s["start_char"]]
        assert gap.strip() == "" and s["text"] == clean[s["start_char"] : s["end_char"]]
        rebuilt += [gap, s["text"]]
        cursor = s["end_char"]
    assert "".join(rebuilt) + clean[cursor:] == clean


def test_word_count_within_one_percent_of_the_transcript_body(reference_lake: Seeded) -> None:
    body = REFERENCE.read_text().split("\nTranscript\n", 1)[1]
    tags = ("(laughing)", "(upbeat", "music)")
    body_words = [w for w in body.split() if any(c.isalnum() for c in w) and w not in tags]
    n_words = query(reference_lake.lake, "SELECT n_words FROM episodes")[0]["n_words"]
    assert abs(n_words - len(body_words)) <= 0.01 * len(body_words)


def test_every_expectation_passed_and_was_recorded(reference_lake: Seeded) -> None:
    lake = reference_lake.lake
    results = query(lake, "SELECT table_name, expectation, success FROM dq_results")
    assert {r["table_name"] for r in results} >= {"episodes", "turns", "sentences", "chapters", "events"}
    assert [r for r in results if not r["success"]] == []
    runs = query(lake, "SELECT status, n_published, snapshot_id FROM runs")
    assert runs[0]["status"] == "success" and runs[0]["n_published"] == 1


def test_every_sentence_has_a_monotone_time(reference_lake: Seeded) -> None:
    rows = query(reference_lake.lake, "SELECT start_s, end_s, time_source FROM sentences ORDER BY sentence_idx")
    assert all(r["time_source"] == "estimated" and r["start_s"] <= r["end_s"] for r in rows)
    assert all(a["start_s"] <= b["start_s"] for a, b in itertools.pairwise(rows))


def test_second_run_writes_nothing(reference_lake: Seeded, tlake) -> None:
    # On the shared lake: a run of unchanged input must not write, and this test fails if it does.
    inputs, lake = reference_lake.inputs, reference_lake.lake
    before = query(lake, "SELECT max(snapshot_id) AS s FROM ducklake_snapshots('lake')")
    again = tlake("run", "--input", str(inputs), lake=lake)
    assert again.exit_code == 0, again.stderr
    assert "nothing new" in again.stdout
    assert query(lake, "SELECT max(snapshot_id) AS s FROM ducklake_snapshots('lake')") == before


def test_changed_file_replaces_exactly_its_rows_and_export_opens(ingest, tlake, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "inputs", tmp_path / "lake"
    inputs.mkdir()
    target = inputs / REFERENCE.name
    shutil.copy(REFERENCE, target)
    assert ingest([inputs], lake).exit_code == 0
    text = target.read_text()
    target.write_text(text.replace("Jensen, nice glasses.", "Jensen, nice glasses. Great shirt too."))
    changed = ingest([inputs], lake)
    assert changed.exit_code == 0, changed
    assert changed.counts["changed"] == 1
    rows = query(lake, "SELECT count(*) AS n, count(DISTINCT run_id) AS runs FROM episodes")
    assert rows == [{"n": 1, "runs": 1}]
    hits = query(lake, "SELECT count(*) AS n FROM sentences WHERE text = 'Great shirt too.'")
    assert hits == [{"n": 1}]
    assert query(lake, "SELECT count(*) AS n FROM chapters") == [{"n": 13}]

    out = tmp_path / "export"
    exported = tlake("export", "--out", str(out), lake=lake)
    assert exported.exit_code == 0, exported.stderr
    assert (out / "DICTIONARY.md").read_text().startswith("#")
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.column_names == list(TABLES[name].column_names)
        assert duckdb.sql(f"SELECT count(*) FROM '{out / name}.parquet'").fetchone()[0] == table.num_rows


def test_search_finds_sentences_with_speaker_and_time(reference_lake: Seeded, tlake) -> None:
    result = tlake("search", "inference scaling", "--limit", "3", lake=reference_lake.lake)
    assert result.exit_code == 0, result.stderr
    assert "inference" in result.stdout.lower() and "3 hits" in result.stdout


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELEC 1", "bad SQL"),
        ("SELECT * FROM no_such_table", "unknown table"),
        ("CREATE TABLE x (a INT)", "not allowed"),
        ("SELECT * FROM read_csv('/etc/passwd')", "not allowed"),
        ("COPY (SELECT 1) TO 'search.duckdb'", "not allowed"),
        ("ATTACH 'catalog.sqlite' AS c (TYPE sqlite)", "not allowed"),
        ("SELECT 1; DELETE FROM turns", "exactly one statement"),
        ("INSERT INTO turns SELECT * FROM turns", "not allowed"),
        ("CALL ducklake_expire_snapshots('lake', older_than => now())", "not allowed"),
    ],
)
def test_sql_errors_are_clear(reference_lake: Seeded, tlake, sql: str, message: str) -> None:
    result = tlake("sql", sql, lake=reference_lake.lake)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_missing_lake_is_a_clear_error(tlake, tmp_path: Path) -> None:
    for command in (["status"], ["sql", "SELECT 1"]):
        result = tlake(*command, lake=tmp_path / "nowhere")
        assert result.exit_code == 2 and "no lake at" in result.stderr


# Per corpus file: (status, format, turns, speakers, events, issue codes). Unmarked single-voice captions
# are one turn (no speaker-change markers, no labels); an unmarked page whose header names two people
# is one turn with no speaker (unmarked_dialogue); RTTM/UEM hold no words; SOURCES.md is not speech.
CORPUS_OUTCOMES = {
    "SOURCES.md": ("quarantined", None, None, 0, 0, "unknown_format"),
    "diarized/ami_EN2002b.only_words.rttm": ("quarantined", None, None, 0, 0, "no_transcript_text"),
    "diarized/ami_EN2002b.uem": ("quarantined", None, None, 0, 0, "no_transcript_text"),
    "diarized/ami_ES2011a.word_and_vocalsounds.rttm": ("quarantined", None, None, 0, 0, "no_transcript_text"),
    "edge_cases/berean_whispercpp_empty_0W2j4qRRJsQ.txt": ("quarantined", None, None, 0, 0, "empty_file"),
    "edge_cases/berean_whispercpp_tiny_JpH5bSpaK1c.txt": ("quarantined", None, None, 0, 0, "no_transcript_text"),
    "edge_cases/pysrt_bom-utf-16-le.srt": ("published", "srt", 1, 1, 0, ""),
    "edge_cases/pysrt_no-indexes.srt": ("published", "srt", 1, 1, 0, ""),
    "edge_cases/talkpython_214-Python-3-8-and-beyond.vtt": (
        "published",
        "webvtt",
        1,
        0,
        0,
        "overlapping_cue unmarked_dialogue",
    ),
    "edge_cases/talkpython_539-catching-up-with-the-python-typing-council.vtt": (
        "published",
        "webvtt",
        1,
        0,
        0,
        "empty_cue unmarked_dialogue",
    ),
    "edge_cases/webvtt-py_captions_with_bom.vtt": ("published", "webvtt", 1, 1, 0, ""),
    "edge_cases/webvtt-py_youtube_dl.vtt": ("published", "webvtt", 1, 1, 0, ""),
    "edge_cases/whisper-timestamped_medium_auto_empty.mp3.words.json": (
        "published",
        "whisper_json",
        1,
        1,
        0,
        "hallucination",
    ),
    "edge_cases/whisper-timestamped_tiny_fr_empty.mp3.words.json": (
        "quarantined",
        None,
        None,
        0,
        0,
        "no_transcript_text",
    ),
    "seed_format/berean_transcript_JDLyxbfz8e8.txt": ("quarantined", None, None, 0, 0, "no_transcript_text"),
    "seed_format/berean_transcript_JpH5bSpaK1c.txt": ("quarantined", None, None, 0, 0, "no_transcript_text"),
    "seed_format/berean_transcript_dfSYxc-5Eh8.txt": ("published", "page_text", 1, 0, 1, "unmarked_dialogue"),
    "seed_format/berean_transcript_iTxkVey2aA0.txt": ("published", "page_text", 1, 0, 0, "unmarked_dialogue"),
    "seed_format/berean_transcript_wFaam7WLB7U.txt": ("published", "page_text", 1, 0, 0, "unmarked_dialogue"),
    "seed_format/berean_whisperpage_dfSYxc-5Eh8.txt": ("published", "whisper_page", 1, 0, 6, "unmarked_dialogue"),
    "seed_format/transcript_BguOKnPoiws.txt": ("published", "page_text", 1, 0, 0, "unmarked_dialogue"),
    "seed_format/transcript_PYZSJN8sWME.txt": ("published", "page_text", 2, 2, 0, ""),
    "seed_format/transcript_bEPYba4bxs8.txt": ("published", "page_text", 1, 1, 0, ""),
    "seed_format/transcript_bUrCR4jQQg8.txt": ("published", "page_text", 465, 3, 6, ""),
    "speaker_text/changelog_go-time-100.md": ("published", "labelled_text", 171, 4, 2, ""),
    "speaker_text/changelog_practical-ai-219.md": ("published", "labelled_text", 81, 3, 8, ""),
    "speaker_text/congrec_CREC-2013-10-30-pt1-PgH6909.txt": ("published", "labelled_text", 2, 2, 0, ""),
    "speaker_text/deleeck_Hamilton Morris interviews Ethan Nadelmann.txt": ("published", "labelled_text", 90, 2, 0, ""),
    "speaker_text/lenny_teaser_2021_transcript.md": ("published", "labelled_text", 16, 2, 0, ""),
    "speaker_text/talkpython_296-f1.txt": ("published", "labelled_text", 24, 1, 0, "hallucination"),
    "srt/3b1b_2024_harvey-mudd-speech_english_captions.srt": ("published", "srt", 1, 1, 0, ""),
    "timestamped_txt/diarized-transcriber_sample-transcript.md": (
        "published",
        "labelled_text",
        1,
        0,
        0,
        "unmarked_dialogue",
    ),
    "timestamped_txt/talkpython_000_tptm_introducing_the_show.txt": ("published", "labelled_text", 1, 1, 0, ""),
    "vtt/talkpython_000_tptm_introducing_the_show.vtt": ("published", "webvtt", 1, 1, 0, ""),
    "vtt/talkpython_001_nicola_iarocci_talk_python_to_me.vtt": (
        "published",
        "webvtt",
        1,
        0,
        0,
        "unmarked_dialogue zero_length_cue",
    ),
    "whisper_cpp_txt/berean_dfSYxc-5Eh8.txt": ("published", "whisper_cpp", 1, 0, 6, "unmarked_dialogue"),
    "whisper_json/3b1b_2024_harvey-mudd-speech_english_word_timings.json": ("published", "whisper_json", 1, 1, 0, ""),
    "whisper_json/whisper-timestamped_corner_cases_large_apollo11.mp3.words.json": (
        "published",
        "whisper_json",
        1,
        0,
        0,
        "unmarked_dialogue",
    ),
}


@pytest.mark.corpus
def test_whole_corpus_in_one_run_gives_the_expected_outcome_per_file(tlake, tmp_path: Path) -> None:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus absent")
    lake = tmp_path / "lake"
    result = tlake("run", "--input", str(CORPUS), lake=lake)
    assert result.exit_code == 1, result.stdout + result.stderr
    rows = query(
        lake,
        """
        SELECT s.source_path, s.status, s.format, e.n_turns,
               (SELECT count(*) FROM speakers sp WHERE sp.episode_id = e.episode_id) AS speakers,
               (SELECT count(*) FROM events ev WHERE ev.episode_id = e.episode_id) AS events,
               coalesce((SELECT string_agg(DISTINCT code, ' ' ORDER BY code) FROM issues i
                         WHERE i.source_path = s.source_path), '') AS codes
        FROM sources s LEFT JOIN episodes e ON e.episode_id = s.episode_id AND s.status = 'published'""",
    )
    outcomes = {
        r["source_path"]: (r["status"], r["format"], r["n_turns"], r["speakers"], r["events"], r["codes"]) for r in rows
    }
    assert outcomes == CORPUS_OUTCOMES
    every_file = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert set(outcomes) == every_file, "no file may be silently skipped"
    for path, outcome in CORPUS_OUTCOMES.items():
        if outcome[0] == "quarantined":
            assert path in result.stdout and outcome[5] in result.stdout, path
    assert query(lake, "SELECT * FROM dq_results WHERE NOT success AND blocking") == []
    _assert_lake_keywords_rank_by_rarity_in_the_lake(lake)


def _assert_lake_keywords_rank_by_rarity_in_the_lake(lake: Path) -> None:
    stored = query(lake, "SELECT episode_id, keyword, score FROM keywords WHERE chapter_idx IS NULL")
    episodes = {r["episode_id"] for r in query(lake, "SELECT episode_id FROM episodes")}
    saying = Counter(r["keyword"].lower() for r in stored)
    for episode_id in sorted({r["episode_id"] for r in stored})[:5]:
        expected = sorted(
            (
                (r["keyword"], round(r["score"] * math.log((1 + len(episodes)) / saying[r["keyword"].lower()]), 4))
                for r in stored
                if r["episode_id"] == episode_id
            ),
            key=lambda kv: (-kv[1], kv[0]),
        )
        got = query(lake, f"SELECT keyword, lake_score, other_episodes_with_it FROM lake_keywords('{episode_id}')")
        assert [r["keyword"] for r in got] == [k for k, _ in expected]
        assert [r["lake_score"] for r in got] == pytest.approx([v for _, v in expected])
        assert [r["other_episodes_with_it"] for r in got] == [saying[k.lower()] - 1 for k, _ in expected]


def test_parallel_workers_give_the_same_rows(ingest, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = REFERENCE.read_text()
    for i in range(3):
        (inputs / f"copy_{i}.txt").write_text(text.replace("Jensen, nice glasses.", f"Nice glasses {i}."))
    serial = ingest([inputs], tmp_path / "serial", batch_size=1)
    parallel = ingest([inputs], tmp_path / "par", batch_size=1, workers=2)
    assert serial.exit_code == parallel.exit_code == 0, parallel
    sql = "SELECT episode_id, sentence_idx, text, start_s, sentiment FROM sentences ORDER BY ALL"
    assert query(tmp_path / "serial", sql) == query(tmp_path / "par", sql)


def test_scheduled_deployment_carries_the_cron_and_parameters(prefect_quiet: Path, tmp_path: Path) -> None:
    from flows.pipeline import deployment

    d = deployment(["in"], tmp_path / "lake", "*/15 * * * *")
    assert (d.name, d.schedules[0].schedule.cron, d.parameters["inputs"]) == ("tlake-scheduled", "*/15 * * * *", ["in"])


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00:00"), (30.6, "0:00:30"), (59.99, "0:00:59"), (3725.5, "1:02:05"), (4713.2, "1:18:33")],
)
def test_hms_macro_truncates_to_the_second(reference_lake: Seeded, seconds: float, shown: str) -> None:
    assert query(reference_lake.lake, f"SELECT hms({seconds}) AS t") == [{"t": shown}]


def test_lake_keywords_of_a_lake_of_one_episode_keep_the_stored_order(reference_lake: Seeded) -> None:
    stored = query(reference_lake.lake, "SELECT keyword FROM keywords WHERE chapter_idx IS NULL ORDER BY rank")
    episode = query(reference_lake.lake, "SELECT episode_id FROM episodes")[0]["episode_id"]
    ranked = query(reference_lake.lake, f"SELECT * FROM lake_keywords('{episode}')")
    assert [r["keyword"] for r in ranked] == [r["keyword"] for r in stored] and len(stored) == 10
    assert {r["other_episodes_with_it"] for r in ranked} == {0}


def test_the_readme_queries_run_and_answer_what_the_page_says(reference_lake: Seeded) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Querying", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in block.split(";") if s.strip()]
    answers = [query(reference_lake.lake, s) for s in statements]
    assert len(statements) >= 3 and all(answers), "every README query returns rows on the reference page"
    dollars = {r["surface"] for r in answers[1]}
    assert {"$50 billion", "$150 billion", "26 billion", "six and a half billion dollars"} <= dollars, dollars
    companies = {name for r in answers[2] for name in r["companies"].split(", ")}
    assert {"NVIDIA", "OpenAI", "Google", "Meta", "Intel", "xAI"} <= companies, companies


def test_hms_macro_agrees_with_the_stored_times(reference_lake: Seeded) -> None:
    rows = query(reference_lake.lake, "SELECT start_s, hms(start_s) AS t FROM turns ORDER BY turn_idx")
    for row in rows:
        h, m, s = (int(x) for x in row["t"].split(":"))
        assert h * 3600 + m * 60 + s == int(row["start_s"])


def test_a_second_writer_hears_at_once_in_one_line_and_changes_nothing(tlake, tmp_path: Path) -> None:
    import subprocess
    import sys

    lake, inputs = tmp_path / "lake", tmp_path / "in"
    inputs.mkdir()
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    lake.mkdir()
    holder = subprocess.Popen(  # another writer, in another process, holding the lake's lock
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"h = os.open({str(lake / '.writer.lock')!r}, os.O_CREAT | os.O_RDWR)\n"
         "fcntl.flock(h, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = tlake("run", "--input", str(inputs), lake=lake)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: another `tlake run` is writing to {lake}; try again when it has finished"
    ], result.stderr
    assert "Traceback" not in result.stdout and sorted(p.name for p in lake.iterdir()) == [".writer.lock"]


READER = """
import sys
sys.path.insert(0, {root!r})
from flows.catalog import connect
con = connect({lake!r}, read_only=True)
idle = connect({lake!r}, read_only=True)  # never used again: an idle reader
con.execute("BEGIN TRANSACTION")
print(con.execute("SELECT count(*) FROM sentences").fetchone()[0], flush=True)
sys.stdin.readline()  # held open across the writer's whole run
print(con.execute("SELECT count(*) FROM sentences").fetchone()[0], flush=True)
con.execute("COMMIT")
print(con.execute("SELECT count(*) FROM sentences").fetchone()[0], flush=True)
"""


def test_a_reader_holding_a_transaction_never_blocks_the_writer_and_keeps_its_snapshot(ingest, tmp_path: Path) -> None:
    import subprocess
    import sys

    lake, inputs = tmp_path / "lake", tmp_path / "in"
    inputs.mkdir()
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    assert ingest([inputs], lake).exit_code == 0
    reader = subprocess.Popen(
        [sys.executable, "-c", READER.format(root=str(ROOT), lake=str(lake))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdin is not None and reader.stdout is not None
    before = int(reader.stdout.readline())
    (inputs / "more.txt").write_text("- Hello there, this is a second episode.\n- It has two turns.\n")
    second = ingest([inputs], lake)
    reader.stdin.write("\n")
    reader.stdin.flush()
    during, after = int(reader.stdout.readline()), int(reader.stdout.readline())
    reader.wait(timeout=60)
    assert second.exit_code == 0 and second.counts["published"] == 1, second
    assert during == before < after, "the reader kept its snapshot, then saw the new one"


def test_the_same_input_exports_the_same_bytes_however_it_was_batched(ingest, tlake, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = REFERENCE.read_text()
    for i in range(4):
        (inputs / f"copy_{i}.txt").write_text(text.replace("Jensen, nice glasses.", f"Glasses number {i}."))
    digests = []
    for batch_size, name in ((1, "one"), (25, "all")):
        lake, out = tmp_path / name / "lake", tmp_path / name / "out"
        assert ingest([inputs], lake, batch_size=batch_size).exit_code == 0
        assert tlake("export", "--out", str(out), lake=lake).exit_code == 0
        digests.append({t: (out / f"{t}.parquet").read_bytes() for t in EPISODE_TABLES if t != "episodes"})
    # `episodes` carries the run's id; every other episode table is content only.
    assert [t for t in digests[0] if digests[0][t] != digests[1][t]] == []


def test_a_killed_runs_half_built_search_index_is_cleaned_up_by_the_next_run(ingest, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    inputs.mkdir()
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    assert ingest([inputs], lake).exit_code == 0
    leftover = lake / "search.duckdb.999999.building"
    leftover.write_bytes(b"half an index")
    (lake / "search.duckdb").unlink()  # the killed run never moved its index into place
    assert ingest([inputs], lake).exit_code == 0
    assert not leftover.exists() and (lake / "search.duckdb").exists()
