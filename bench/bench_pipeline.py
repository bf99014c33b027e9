"""Throughput per stage and end to end, on the reference transcript. Writes bench/results/bench_pipeline.json.

    .venv/bin/python bench/bench_pipeline.py [--copies 40] [--repeats 5]

Figures are medians of --repeats runs (one warm-up not counted); quote ratios from one run, the
machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.decode import decode  # noqa: E402
from tasks.document import BuildContext, Episode, Origin, Source  # noqa: E402
from tasks.episode import build_episode  # noqa: E402
from tasks.formats import detect_and_parse  # noqa: E402
from tasks.reference import load_reference  # noqa: E402
from tasks.segment import segment  # noqa: E402
from tasks.steps import STEPS  # noqa: E402

REFERENCE = ROOT / "seeds" / "transcripts" / "transcript_bUrCR4jQQg8.txt"


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stage_figures(repeats: int) -> list[dict]:
    """Decode, parse and segment, then every step of `tasks.steps.STEPS` on the episode as the steps
    before it left it, then the whole `build_episode`."""
    data = REFERENCE.read_bytes()
    mb = len(data) / 1e6
    decoded = decode(data)
    doc = detect_and_parse(decoded.text, REFERENCE.name)
    seg = segment(doc)
    context = BuildContext("bench", "bench", load_reference(ROOT / "seeds" / "reference"))
    stages: dict[str, Callable[[], object]] = {
        "decode": lambda: decode(data),
        "parse (detect + page_text)": lambda: detect_and_parse(decoded.text, REFERENCE.name),
        "segment (clean, turns, sentences, events)": lambda: segment(doc),
    }
    episode = Episode(
        "e", Origin(REFERENCE.name, doc.format, doc.confidence, decoded.encoding), seg.clean_text,
        source=Source(doc, seg, decoded.text),
    )  # fmt: skip
    for step in STEPS:
        stages[f"step {step.name}"] = lambda step=step, before=episode: step(before, context)
        episode = step(episode, context)
    stages["tables (projection + contract cast)"] = episode.tables
    stages["build_episode (whole file)"] = lambda: build_episode(data, REFERENCE.name, context)
    rows = []
    for name, fn in stages.items():
        seconds = median_seconds(fn, repeats)
        rows.append(
            {
                "stage": name,
                "median_s": round(seconds, 5),
                "mb_per_s": round(mb / seconds, 2),
                "words_per_s": round(12692 / seconds),
            }
        )
    return rows


def end_to_end(copies: int, workers: int = 1) -> dict:
    """`tlake run` on `copies` renamed copies of the reference: Prefect, GX and DuckLake included."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        body = REFERENCE.read_text()
        for i in range(copies):
            # Different bytes per copy, or the duplicate check would ingest one.
            (inputs / f"copy_{i:03d}.txt").write_text(body + f"\n\n- Copy number {i}.\n")
        env = {**os.environ, "TLAKE_LAKE": str(Path(tmp) / "lake")}
        cmd = [sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--workers", str(workers)]
        start = time.perf_counter()
        first = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        noop_s = time.perf_counter() - start
        shutil.rmtree(Path(tmp) / "lake", ignore_errors=True)
    mb = copies * REFERENCE.stat().st_size / 1e6
    return {
        "copies": copies,
        "workers": workers,
        "exit_code": first.returncode,
        "first_run_s": round(first_s, 2),
        "noop_rerun_s": round(noop_s, 2),
        "mb": round(mb, 2),
        "mb_per_s": round(mb / first_s, 3),
        "episodes_per_s": round(copies / first_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    stages = stage_figures(args.repeats)
    e2e = end_to_end(args.copies)
    e2e_parallel = end_to_end(args.copies, workers=2)
    out = ROOT / "bench" / "results" / "bench_pipeline.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    speedup = round(e2e["first_run_s"] / e2e_parallel["first_run_s"], 2)
    out.write_text(
        json.dumps(
            {"stages": stages, "end_to_end": e2e, "end_to_end_2_workers": e2e_parallel, "speedup_2_workers": speedup},
            indent=2,
        )
        + "\n"
    )
    print(f"{'stage':45} {'median s':>10} {'MB/s':>8} {'words/s':>10}")
    for row in stages:
        print(f"{row['stage']:45} {row['median_s']:>10.4f} {row['mb_per_s']:>8.2f} {row['words_per_s']:>10,}")
    print(
        f"\nend to end, {e2e['copies']} episodes ({e2e['mb']} MB): first run {e2e['first_run_s']} s "
        f"({e2e['episodes_per_s']} episodes/s, {e2e['mb_per_s']} MB/s, exit {e2e['exit_code']}), "
        f"no-op re-run {e2e['noop_rerun_s']} s"
    )
    print(f"with --workers 2: first run {e2e_parallel['first_run_s']} s, {speedup}x the one-worker run")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
