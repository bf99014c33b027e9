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

from tasks import enrich  # noqa: E402
from tasks.align import align  # noqa: E402
from tasks.attribute import TurnView, attribute_turns, candidates, load_people  # noqa: E402
from tasks.decode import decode  # noqa: E402
from tasks.entities import find_mentions, load_gazetteer  # noqa: E402
from tasks.episode import Settings, build_episode, episode_frames  # noqa: E402
from tasks.formats import detect_and_parse  # noqa: E402
from tasks.segment import segment  # noqa: E402

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
    data = REFERENCE.read_bytes()
    mb = len(data) / 1e6
    text = decode(data).text
    doc = detect_and_parse(text, REFERENCE.name)
    seg = segment(doc)
    reference = ROOT / "seeds" / "reference"
    settings = Settings(
        "bench", "bench", people_by_show=load_people(reference), gazetteer=load_gazetteer(reference / "entities.csv")
    )
    turn_texts = [seg.clean_text[t.start : t.end] for t in seg.turns]
    turn_views = [TurnView(t, len(t.split()), None, enrich.is_backchannel(t)) for t in turn_texts]
    people = candidates(
        "Welcome Jensen Huang", "BG2", ["Bill Gurley", "Brad Gerstner"], ["Jensen Huang"], settings.people_by_show
    )
    spans = [(x.start, x.end) for x in seg.sentences]
    sentence_texts = [seg.clean_text[s.start : s.end] for s in seg.sentences]
    words = [len(t.split()) for t in sentence_texts]
    import polars as pl

    frame = pl.DataFrame({"text": sentence_texts})
    stages = {
        "decode": lambda: decode(data),
        "parse (detect + page_text)": lambda: detect_and_parse(text, REFERENCE.name),
        "segment (clean, turns, sentences, events)": lambda: segment(doc),
        "align times": lambda: align(
            words,
            [None] * len(words),
            [c.start_s for c in doc.chapters],
            sentence_texts=sentence_texts,
            chapter_titles=[c.title for c in doc.chapters],
        ),
        "sentence features (polars)": lambda: enrich.sentence_features(frame),
        "sentiment (VADER)": lambda: enrich.sentiment(sentence_texts),
        "quantities": lambda: [enrich.quantities(t) for t in sentence_texts],
        "keywords (TF-IDF)": lambda: enrich.keywords([seg.clean_text]),
        "speaker attribution (HMM + EM)": lambda: attribute_turns(turn_views, people),
        "entity mentions (gazetteer + fuzzy)": lambda: find_mentions(seg.clean_text, spans, settings.gazetteer),
        "all frames (incl. attribution)": lambda: episode_frames(
            doc, seg, raw_text=text, episode_id="e", source_path="p", settings=settings
        ),
        "build_episode (whole file)": lambda: build_episode(data, REFERENCE.name, settings),
    }
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
