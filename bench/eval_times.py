"""Estimated sentence times on real podcast pages, judged on shows left out of fitting.

Data: the 30 page pairs of ``../shared/training/times`` (9 shows): each page (its chapter list and text, as
the pipeline reads it) beside the Whisper segment times of the same audio, the truth (`bench.timed_pages`).
Every page is built by the real pipeline once; the time model is then re-run on exactly the inputs the
pipeline gives it (`tasks.steps.alignment_inputs`) with each candidate parameter set.

Methods, in one harness and on the same sentences:

* ``model``: `tasks.times.align` with parameters fitted on the other shows (leave one show out);
* ``shipped``: the parameters in ``tasks/params/alignment.json`` (fitted on every show: in-sample here);
* ``wpm160``: baseline, 160 words a minute from 0 s;
* ``true_chapters``: baseline, every chapter placed at its true position (the sentence whose true start is
  nearest the chapter's time), time linear over words between them, after the last one at the page's
  rate between its first and last chapter (160 wpm with one chapter). A model that places chapters no
  better than this cannot beat it: the target is to come within 1.5 times its median.

Scores per page and pooled over sentences: median and 90th percentile of |estimated - true| start, and the
share of sentences whose true start lies within the stated ``time_error_s`` (coverage of the bound).

Fitting (`fit`): coordinate search over `FIT_GRID`, minimising the mean over pages of
log(1 + median) + log(1 + p90) / 2; the page whose chapters do not match its content (flagged in the
manifest) is scored but never fitted on. Then the bound's shape and scale (`fit_bound`): every fitting
page's coverage as near 85-95% as can be.

Run: ``PYTHONPATH=. python bench/eval_times.py [--fit] [--reference-whisper FILE]``; writes
bench/results/eval_times.json. ``--fit`` also writes ``tasks/params/alignment.json`` (fitted on all shows).
``--reference-whisper`` scores the reference page (``seeds/transcripts``) against a whisper.cpp file of its
audio (not shipped: its licence is not stated).
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import itertools
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(ROOT))

from bench.timed_pages import TRAINING_TIMES, TimedPage, load_pages, read_segments, sentence_truth  # noqa: E402
from tasks.document import BuildContext  # noqa: E402
from tasks.episode import build_episode  # noqa: E402
from tasks.params import dump, reasons  # noqa: E402
from tasks.steps import alignment_inputs  # noqa: E402
from tasks.times import AlignParams, align  # noqa: E402
from tasks.times.score import summarise  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "eval_times.json"
REFERENCE_PAGE = ROOT / "seeds" / "transcripts" / "transcript_bUrCR4jQQg8.txt"
BASELINE_WPM = 160.0

# The parameters fitted, and the values tried for each (coordinate search, in this order).
FIT_GRID: dict[str, tuple[float, ...]] = {
    "default_rate": (2.5, 2.7, 2.9, 3.1, 3.3, 3.5, 3.7, 3.9),
    "rate_prior_sd": (0.1, 0.15, 0.2, 0.3, 0.4),
    "rate_wander_q": (0.25, 0.5, 1.0, 1.5, 2.5, 4.0),
    "title_weight": (0.0, 0.8, 1.6, 2.4, 3.2, 4.8, 6.4, 8.0),
    "title_before_share": (0.0, 0.25, 0.5, 0.75),
    "title_window_s": (20.0, 30.0, 45.0, 75.0),
    "turn_start_bonus": (0.0, 0.4, 0.8, 1.2, 1.6, 2.0, 2.4),
    "question_turn_bonus": (0.0, 0.3, 0.6, 1.0),
    "topic_opener_bonus": (0.0, 0.3, 0.6, 1.0, 1.5, 2.0, 2.5),
    "last_chapter_max_share": (0.5, 1.0, 1.5, 2.0, 3.0),
    "last_chapter_sd_share": (0.25, 0.5, 1.0, 2.0, 3.0, 4.0),
    "sentence_pause_words": (0.0, 0.5, 1.0, 1.5),
    "turn_pause_words": (0.5, 1.5, 3.0),
    "repeat_sentence_s": (0.5, 1.0, 2.0, 3.0),
}
# The bound's shape, fitted after the estimate (they change the error, not the time).
BOUND_GRID: dict[str, tuple[float, ...]] = {
    "bridge_k": (0.5, 0.9, 1.5, 2.5),
    "placement_cover": (0.7, 0.85, 0.95),
    "tail_rate_z": (1.0, 1.5, 2.5, 4.0),
}
SEARCH_ROUNDS = 2
BOUND_FIELD = "bound_scale"


@dataclass(frozen=True, slots=True)
class Case:
    """One page as the time model sees it, with the true start of every sentence."""

    page: TimedPage
    inputs: dict[str, Any]
    truth: list[float | None]

    @property
    def fitted_on(self) -> bool:
        return not self.page.chapters_mismatch


def load_case(page: TimedPage) -> Case:
    episode = build_episode(page.page.read_bytes(), page.page.name, BuildContext("bench", "bench"))
    inputs = alignment_inputs(episode)
    truth = sentence_truth(inputs["sentence_texts"], read_segments(page.whisper))
    return Case(page, inputs, truth)


def load_reference(whisper: Path) -> Case:
    page = TimedPage("bUrCR4jQQg8", "reference", "reference page", 0.0, "", REFERENCE_PAGE, whisper)
    return load_case(page)


# ------------------------------------------------------------------ methods


def model_times(case: Case, params: AlignParams) -> tuple[list[float], list[float]]:
    result = align(**case.inputs, params=params)
    return [s.start_s for s in result.sentences], [s.time_error_s for s in result.sentences]


def words_before(case: Case) -> list[int]:
    cum = [0]
    for w in case.inputs["sentence_words"]:
        cum.append(cum[-1] + w)
    return cum


def wpm_times(case: Case) -> list[float]:
    return [w / (BASELINE_WPM / 60) for w in words_before(case)[:-1]]


def true_chapter_times(case: Case) -> list[float]:
    """Chapters at their true positions, linear between, the page's own rate after the last one."""
    cum = words_before(case)
    timed = [(t, i) for i, t in enumerate(case.truth) if t is not None]
    anchors: list[tuple[int, float]] = []
    for t in case.inputs["chapter_starts_s"]:
        _, i = min(timed, key=lambda ti: (abs(ti[0] - t), ti[1]))
        if not anchors or i > anchors[-1][0]:
            anchors.append((i, float(t)))
    if anchors[0][0] != 0:
        anchors.insert(0, (0, 0.0))
    (i0, t0), (i1, t1) = anchors[0], anchors[-1]
    rate = (cum[i1] - cum[i0]) / (t1 - t0) if t1 > t0 and cum[i1] > cum[i0] else BASELINE_WPM / 60
    at = [cum[i] for i, _ in anchors]
    out = []
    for i in range(len(cum) - 1):
        k = bisect.bisect_right(at, cum[i]) - 1
        (ia, ta) = anchors[k]
        if k + 1 < len(anchors):
            ib, tb = anchors[k + 1]
            share = (cum[i] - cum[ia]) / (cum[ib] - cum[ia]) if cum[ib] > cum[ia] else 0.0
            out.append(ta + share * (tb - ta))
        else:
            out.append(ta + (cum[i] - cum[ia]) / rate)
    return out


# ------------------------------------------------------------------ scores


def page_errors(case: Case, estimate: Sequence[float], bound: Sequence[float] | None) -> tuple[list, list]:
    errors, covered = [], []
    for i, t in enumerate(case.truth):
        if t is None:
            continue
        e = abs(estimate[i] - t)
        errors.append(e)
        if bound is not None:
            covered.append(e <= bound[i] + 1e-9)
    return errors, covered


def loss(cases: Sequence[Case], params: AlignParams) -> float:
    total = 0.0
    for case in cases:
        errors, _ = page_errors(case, model_times(case, params)[0], None)
        s = summarise(errors, [])
        total += math.log1p(float(s["median_s"] or 0)) + 0.5 * math.log1p(float(s["p90_s"] or 0))
    return total / max(len(cases), 1)


def fit(cases: Sequence[Case], start: AlignParams, log: bool = False) -> AlignParams:
    """Coordinate search over FIT_GRID on the fitting cases, then the bound's scale."""
    fitting = [c for c in cases if c.fitted_on]
    params = dataclasses.replace(start, **{BOUND_FIELD: 1.0})
    best = loss(fitting, params)
    for _ in range(SEARCH_ROUNDS):
        improved = False
        for name, values in FIT_GRID.items():
            for value in values:
                if value == getattr(params, name):
                    continue
                trial = dataclasses.replace(params, **{name: value})
                score = loss(fitting, trial)
                if score < best - 1e-6:
                    best, params, improved = score, trial, True
            if log:
                print(f"    {name} = {getattr(params, name)}  loss {best:.4f}", file=sys.stderr)
        if not improved:
            break
    return fit_bound(fitting, params)


def fit_bound(cases: Sequence[Case], params: AlignParams) -> AlignParams:
    """The bound's shape (BOUND_GRID) and scale: every page's coverage as close to 85-95% as can be,
    and of two equally good bounds, the tighter."""
    best: tuple[float, AlignParams] | None = None
    names = list(BOUND_GRID)
    for values in itertools.product(*(BOUND_GRID[n] for n in names)):
        shaped = dataclasses.replace(params, **dict(zip(names, values, strict=True)), **{BOUND_FIELD: 1.0})
        runs = [(case, *model_times(case, shaped)) for case in cases]
        for scale in SCALES:
            miss, width = 0.0, 0.0
            for case, start, bound in runs:
                _, covered = page_errors(case, start, [b * scale for b in bound])
                share = sum(covered) / max(len(covered), 1)
                miss += max(0.85 - share, 0.0) + max(share - 0.95, 0.0)
                width += math.log1p(statistics.median(bound) * scale)
            score = miss / len(runs) + 0.01 * width / len(runs)
            if best is None or score < best[0]:
                best = (score, dataclasses.replace(shaped, **{BOUND_FIELD: round(scale, 3)}))
    return best[1] if best else params


SCALES = tuple(round(0.5 * 1.12**k, 3) for k in range(30))


def score_case(case: Case, params: AlignParams, shipped: AlignParams) -> dict[str, Any]:
    start, bound = model_times(case, params)
    shipped_start, shipped_bound = model_times(case, shipped)
    row: dict[str, Any] = {"show": case.page.show, "sentences": len(case.truth), "fitted_on": case.fitted_on}
    truth_chapters = true_chapter_times(case)
    for name, est, b in (
        ("model", start, bound),
        ("shipped", shipped_start, shipped_bound),
        ("wpm160", wpm_times(case), None),
        ("true_chapters", truth_chapters, None),
    ):
        errors, covered = page_errors(case, est, b)
        row[name] = summarise(errors, covered) | {"_errors": errors, "_covered": covered}
    return row


def pooled(rows: Sequence[dict[str, Any]], method: str) -> dict[str, Any]:
    errors = [e for r in rows for e in r[method]["_errors"]]
    covered = [c for r in rows for c in r[method]["_covered"]]
    return summarise(errors, covered)


def strip_private(row: dict[str, Any]) -> dict[str, Any]:
    return {k: ({kk: vv for kk, vv in v.items() if not kk.startswith("_")} if isinstance(v, dict) else v)
            for k, v in row.items()}  # fmt: skip


# ------------------------------------------------------------------ run


def _fold(job: tuple[Sequence[Case], str, AlignParams, bool]) -> AlignParams:
    """Parameters fitted on every show but one."""
    cases, show, start, log = job
    t0 = time.perf_counter()
    params = fit([c for c in cases if c.page.show != show], start)
    if log:
        print(f"  fold without {show}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return params


def run(cases: Sequence[Case], reference: Case | None, log: bool, jobs: int) -> dict[str, Any]:
    shipped = AlignParams.shipped()
    shows = sorted({c.page.show for c in cases})
    rows: dict[str, dict[str, Any]] = {}
    fitted: dict[str, dict[str, float]] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        folds = pool.map(_fold, [(cases, show, shipped, log) for show in shows])
        for show, params in zip(shows, folds, strict=True):
            fitted[show] = {name: getattr(params, name) for name in (*FIT_GRID, *BOUND_GRID, BOUND_FIELD)}
            for case in (c for c in cases if c.page.show == show):
                rows[case.page.id] = score_case(case, params, shipped)
    all_rows = list(rows.values())
    fitting_rows = [r for r in all_rows if r["fitted_on"]]
    report: dict[str, Any] = {
        "data": str(TRAINING_TIMES),
        "commit": _commit(),
        "pages": {pid: strip_private(r) for pid, r in rows.items()},
        "overall": {m: pooled(all_rows, m) for m in ("model", "shipped", "wpm160", "true_chapters")},
        "overall_without_mismatched_chapters": {
            m: pooled(fitting_rows, m) for m in ("model", "shipped", "wpm160", "true_chapters")
        },
        "per_page": _per_page_summary(all_rows),
        "fitted_per_fold": fitted,
    }
    if reference is not None:
        report["reference_page"] = strip_private(score_case(reference, shipped, shipped)) | {
            "note": "shipped parameters (fitted on the 30 training pages, none of them the reference page)"
        }
    return report


def _per_page_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    ratios = [
        r["model"]["median_s"] / max(r["true_chapters"]["median_s"], 1e-9)
        for r in rows
        if r["model"]["median_s"] is not None and r["true_chapters"]["median_s"]
    ]
    coverages = [r["model"]["coverage"] for r in rows if r["model"]["coverage"] is not None]
    return {
        "pages": len(rows),
        "median_ratio_to_true_chapters": round(statistics.median(ratios), 2) if ratios else None,
        "pages_within_1_5x_true_chapters": sum(x <= 1.5 for x in ratios),
        "pages_coverage_85_95": sum(0.85 <= c <= 0.95 for c in coverages),
        "pages_coverage_at_least_85": sum(c >= 0.85 for c in coverages),
        "coverage_min": min(coverages) if coverages else None,
    }


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip()
    except OSError:
        return "unknown"


def write_fitted(cases: Sequence[Case]) -> AlignParams:
    """Fit on every show and write tasks/params/alignment.json with each value's source."""
    params = fit(cases, AlignParams.shipped(), log=True)
    old = json.loads((ROOT / "tasks" / "params" / "alignment.json").read_text(encoding="utf-8"))["values"]
    n_pages = sum(c.fitted_on for c in cases)
    sources = {}
    for name in reasons(AlignParams):
        if name in FIT_GRID:
            sources[name] = f"fitted: coordinate search over {list(FIT_GRID[name])} on {n_pages} training pages"
        elif name in BOUND_GRID or name == BOUND_FIELD:
            sources[name] = (
                f"fitted: every training page's coverage of the bound as near 85-95% as can be ({n_pages} pages)"
            )
        else:
            sources[name] = old.get(name, {}).get("source", "hand-set")
    dump(
        params,
        ROOT / "tasks" / "params" / "alignment.json",
        sources=sources,
        provenance={
            "written_by": "bench/eval_times.py --fit",
            "data": "../shared/training/times: 30 real pages of 9 shows with the Whisper times of their audio",
            "method": "coordinate search (FIT_GRID) minimising mean log(1+median)+log(1+p90)/2 per page; "
            "held-out figures come from the same search left one show out (bench/results/eval_times.json)",
            "commit": _commit(),
        },
        model="AlignParams",
    )
    return params


def print_table(report: dict[str, Any]) -> None:
    methods = ("model", "true_chapters", "wpm160", "shipped")
    print(f"{'page':12} {'show':22} {'n':>4} " + " ".join(f"{m:>16}" for m in methods) + "  coverage")
    for pid, r in report["pages"].items():
        cells = [f"{r[m]['median_s']:.1f}/{r[m]['p90_s']:.1f}" for m in methods]
        flag = "" if r["fitted_on"] else "  (chapters do not match: not fitted on)"
        cov = r["model"]["coverage"]
        print(f"{pid:12} {r['show'][:22]:22} {r['sentences']:>4} " + " ".join(f"{c:>16}" for c in cells)
              + f"  {cov:.2f}{flag}")  # fmt: skip
    for label in ("overall", "overall_without_mismatched_chapters"):
        o = report[label]
        cells = [f"{o[m]['median_s']:.1f}/{o[m]['p90_s']:.1f}" for m in methods]
        print(f"{label[:35]:35} " + " ".join(f"{c:>16}" for c in cells) + f"  {o['model']['coverage']:.2f}")
    print("per page:", report["per_page"])
    ref = report.get("reference_page")
    if ref:
        cells = [f"{ref[m]['median_s']:.1f}/{ref[m]['p90_s']:.1f}" for m in methods]
        print(f"{'reference':35} " + " ".join(f"{c:>16}" for c in cells) + f"  {ref['model']['coverage']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=TRAINING_TIMES)
    parser.add_argument("--fit", action="store_true", help="fit on every show and write alignment.json")
    parser.add_argument("--reference-whisper", type=Path, help="whisper.cpp times of the reference page's audio")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--jobs", type=int, default=2, help="folds fitted at once (processes)")
    args = parser.parse_args(argv)
    pages = load_pages(args.data)
    if not pages:
        print(f"no timed pages in {args.data}", file=sys.stderr)
        return 1
    cases = [load_case(p) for p in pages]
    if args.fit:
        write_fitted(cases)
    reference = load_reference(args.reference_whisper) if args.reference_whisper else None
    report = run(cases, reference, log=not args.quiet, jobs=args.jobs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
