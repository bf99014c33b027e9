"""One voice or several, from text alone: fit `tasks.speakers.voices` and judge it on shows left out.

Data, all real pages with known speaker counts, markers removed (a page with no markers is the case):

- the 62 speaker-labelled episodes of ../shared/training/speakers (10 shows, 2 to 4 voices), their turns
  joined into one text;
- the 30 pages of ../shared/training/times, whose manifest gives each page's number of speakers (14
  pages of one voice: ai_explained, james_briggs, huberman_lab and one solo lets_talk_jobs episode; 16 of
  two to five), their ``- `` markers removed.

The model is a logistic regression on log(1 + rate per 1000 words) of `FEATURES`, L2-penalised, with the
two classes weighted equally. Judged leave-one-show-out: every page is classified by the model fitted on
the other shows, at the threshold ``several_from``. Beside it: always ``several`` (the pipeline before this
model treated a page as whatever its one turn was given) and always ``one``.

The feature list and the back-channel words were chosen by reading the pages of these shows (in-sample);
the weights are fitted, and the figures per show are held out.

Run: ``PYTHONPATH=. python bench/one_voice.py [--fit]``; writes bench/results/one_voice.json.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from bench.speaker_shows import load_episodes
from tasks.params import dump, params_path
from tasks.speakers.voices import FEATURES, VoiceParams, several_voices, voice_features

ROOT = Path(__file__).resolve().parents[1]
TIMES = ROOT.parent / "shared" / "training" / "times"
RESULTS = ROOT / "bench" / "results" / "one_voice.json"
# L2 penalty on the weights (not the intercept): with under a hundred pages, keep the weights modest.
L2 = 1.0
_MARKER = re.compile(r"(^|\s)- ")


@dataclass(frozen=True)
class VoicePage:
    show: str
    key: str
    n_voices: int
    text: str


def load_pages() -> list[VoicePage]:
    """Every page with a known number of voices; [] when ../shared/training is absent."""
    pages = [
        VoicePage(ep.show, ep.key, len({who for who, _ in ep.turns}), " ".join(text for _, text in ep.turns))
        for ep in load_episodes()
    ]
    manifest = TIMES / "manifest.json"
    if manifest.is_file():
        for entry in json.loads(manifest.read_text(encoding="utf-8")):
            page = (TIMES / f"transcript_{entry['id']}.txt").read_text(encoding="utf-8")
            body = page.split("\nTranscript\n", 1)[1]
            n_voices = int(re.match(r"\d+", entry["speakers"]).group(0))  # "1 (narrator + quoted clips)"
            pages.append(VoicePage(entry["show"], entry["id"], n_voices, _MARKER.sub(r"\1", body)))
    return pages


def _design(pages: Sequence[VoicePage]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[np.log1p(voice_features(p.text)[k]) for k in FEATURES] for p in pages])
    y = np.array([p.n_voices > 1 for p in pages], dtype=float)
    return x, y


def fit(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, ...], float]:
    """Class-balanced, L2-penalised logistic regression: (weights, intercept)."""
    sample_weight = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))

    def loss(theta: np.ndarray) -> float:
        z = x @ theta[1:] + theta[0]
        nll = np.sum(sample_weight * (np.logaddexp(0, z) - y * z))
        return float(nll + L2 * np.sum(theta[1:] ** 2) / len(y))

    theta = minimize(loss, np.zeros(x.shape[1] + 1), method="BFGS").x
    return tuple(round(float(w), 4) for w in theta[1:]), round(float(theta[0]), 4)


def evaluate(pages: Sequence[VoicePage], base: VoiceParams) -> dict:
    """Leave-one-show-out: per page, P(several) from the model fitted on the other shows."""
    shows = sorted({p.show for p in pages})
    x, y = _design(pages)
    rows = []
    for show in shows:
        train = np.array([p.show != show for p in pages])
        weights, intercept = fit(x[train], y[train])
        params = replace(base, weights=weights, intercept=intercept)
        for p in (p for p in pages if p.show == show):
            prob = several_voices(p.text, params)
            rows.append({"show": show, "key": p.key, "n_voices": p.n_voices, "p_several": round(prob, 4)})
    return {"rows": rows, "summary": _summary(rows, base.several_from)}


def _summary(rows: Sequence[dict], several_from: float) -> dict:
    def accuracy(rs: Sequence[dict], says_several: Callable[[dict], bool]) -> float | None:
        """Share of pages whose one-or-several answer is right; None for no pages."""
        return round(sum(says_several(r) == (r["n_voices"] > 1) for r in rs) / len(rs), 4) if rs else None

    def block(rs: Sequence[dict]) -> dict:
        one = [r for r in rs if r["n_voices"] == 1]
        several = [r for r in rs if r["n_voices"] > 1]
        return {
            "n_pages": len(rs),
            "n_one_voice": len(one),
            "accuracy": accuracy(rs, lambda r: r["p_several"] >= several_from),
            "one_voice_recall": accuracy(one, lambda r: r["p_several"] >= several_from),
            "several_recall": accuracy(several, lambda r: r["p_several"] >= several_from),
            "always_several": accuracy(rs, lambda r: True),
            "always_one": accuracy(rs, lambda r: False),
        }

    shows = sorted({r["show"] for r in rows})
    return {"overall": block(rows), "per_show": {s: block([r for r in rows if r["show"] == s]) for s in shows}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit on every page and write tasks/params/voices.json")
    args = parser.parse_args()
    pages = load_pages()
    if not pages:
        raise SystemExit("no training pages under ../shared/training")
    base = VoiceParams.shipped()
    result = evaluate(pages, base)
    overall = result["summary"]["overall"]
    print(f"{'show':24} {'pages':>5} {'one':>4} {'acc':>6} {'one ok':>7} {'sev ok':>7} {'all sev':>8} {'all one':>8}")
    for show, s in [*result["summary"]["per_show"].items(), ("OVERALL", overall)]:
        print(
            f"{show[:24]:24} {s['n_pages']:5} {s['n_one_voice']:4} {_fmt(s['accuracy']):>6} "
            f"{_fmt(s['one_voice_recall']):>7} {_fmt(s['several_recall']):>7} "
            f"{_fmt(s['always_several']):>8} {_fmt(s['always_one']):>8}"
        )
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    if args.fit:
        x, y = _design(pages)
        weights, intercept = fit(x, y)
        _write(replace(base, weights=weights, intercept=intercept), overall)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _write(params: VoiceParams, figures: dict) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    sources = {
        "weights": "fitted: class-balanced L2 logistic regression on every page (bench/one_voice.py --fit)",
        "intercept": "fitted with the weights",
        "several_from": "hand-set: even odds, the classes weighted equally in the fit",
        "opening_words": "hand-set: a self-introduction opens a talk ('Hi, I'm X, and today...')",
    }
    provenance = {
        "written_by": "bench/one_voice.py --fit",
        "data": "the 62 episodes of ../shared/training/speakers and the 30 pages of ../shared/training/times, "
        "markers removed, with their known numbers of speakers",
        "method": "logistic regression on log(1 + rate per 1000 words) of tasks.speakers.voices.FEATURES",
        "commit": commit.stdout.strip(),
        "figures": {"leave_one_show_out": figures},
    }
    dump(params, params_path(VoiceParams.FILE), sources=sources, provenance=provenance, model="VoiceParams")


if __name__ == "__main__":
    main()
