"""Entity mention throughput: the reference transcript repeated 20x, median of 5 runs.

Run: .venv/bin/python bench/bench_entities.py  (prints a summary, writes bench/results/bench_entities.json)
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.entities import find_mentions  # noqa: E402
from tasks.reference import load_gazetteer  # noqa: E402
from tasks.sentences import sentence_spans  # noqa: E402

REPEAT = 20
RUNS = 5


def main() -> dict:
    gazetteer = load_gazetteer(ROOT / "seeds" / "reference" / "entities.csv")
    one = (ROOT / "seeds" / "transcripts" / "transcript_bUrCR4jQQg8.txt").read_text(encoding="utf-8") + "\n\n"
    text = one * REPEAT
    # Not timed (the pipeline has its sentences already), and split per copy: sentence_spans searches
    # backwards from 0 for the word before each terminator, which is quadratic on one 1.5 MB string.
    one_spans = sentence_spans(one)
    spans = [(a + k * len(one), b + k * len(one)) for k in range(REPEAT) for a, b in one_spans]
    mb = len(text.encode("utf-8")) / 1e6
    result: dict = {
        "bench": "entities",
        "input_mb": round(mb, 3),
        "repeat": REPEAT,
        "runs": RUNS,
        "python": platform.python_version(),
        "modes": {},
    }
    for mode, kw in {"full": {}, "exact_only": {"fuzzy": False, "candidates": False}}.items():
        times, n = [], 0
        for _ in range(RUNS):
            t0 = time.perf_counter()
            n = len(find_mentions(text, spans, gazetteer, **kw))
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        result["modes"][mode] = {"median_s": round(median, 4), "mb_per_s": round(mb / median, 2), "mentions": n}
        print(f"{mode:>10}: {mb / median:6.2f} MB/s  median {median * 1000:.1f} ms  {n} mentions  ({mb:.2f} MB)")
    out = ROOT / "bench" / "results" / "bench_entities.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
