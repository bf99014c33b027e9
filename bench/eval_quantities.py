"""Numbers said: the `quantities` table scored against hand-checked lists of real pages.

Data (labelled by two assistant reading passes, not checked by a person; the rules are in each file's header):

- ``bench/data/quantities_dev.tsv``: 197 numbers of the reference page, a Bogleheads talk and an AI Explained
  page. Development: rules may be written after reading its failures, so its figures are in-sample.
- ``bench/data/quantities_test.tsv``: 110 numbers of another Bogleheads talk, a Bogleheads Q&A, an AI Explained
  page and a Practical AI episode. Held out: read its totals, never its failures, before a change is kept.

Each gold row names its file (under ../shared), an exact context and the surface in it. The file is built by the
real pipeline; the surface is located in the clean text through its context, and a found quantity matches a gold
one when their character spans overlap. Found quantities in sentences flagged ``hallucination`` are not scored.

Figures: precision (found that match a gold number), recall (gold numbers found), and among the matched: value
right (low and high within 0.5%) and unit right; per file and overall, per set.

Run: ``PYTHONPATH=. python bench/eval_quantities.py``; writes bench/results/eval_quantities.json.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tasks.clean import normalise
from tasks.document import BuildContext
from tasks.episode import Episode, build_episode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {"dev": ROOT / "bench" / "data" / "quantities_dev.tsv", "test": ROOT / "bench" / "data" / "quantities_test.tsv"}
RESULTS = ROOT / "bench" / "results" / "eval_quantities.json"
VALUE_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class Gold:
    file: str
    context: str
    surface: str
    value_low: float
    value_high: float
    unit: str


def load_gold(path: Path) -> list[Gold]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [
        Gold(r["file"], r["context"], r["surface"], float(r["value_low"]), float(r["value_high"]), r["unit"])
        for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", normalise(text)).strip()


def locate(gold: Gold, clean_text: str) -> tuple[int, int] | None:
    """The surface's span in the clean text, found through its context (None when the cleaning changed it)."""
    surface = _squash(gold.surface)
    # a context may run over a turn marker or a tag, which the clean text drops: keep the piece holding the surface
    pieces = [_squash(p) for p in re.split(r"(?:^|\s)-(?:\s|$)|\([^)]*\)", gold.context)]
    context = next((p for p in pieces if surface in p), _squash(gold.context))
    at = clean_text.find(context)
    if at < 0:
        return None
    inside = context.find(surface)
    return (at + inside, at + inside + len(surface)) if inside >= 0 else None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b), 1e-9)


def score_file(episode: Episode, golds: list[Gold]) -> dict:
    text = episode.text
    found = episode.layers["quantities"].to_dicts()
    flags = episode.layers["sentences"]["flag"].to_list()
    found = [q for q in found if flags[q["sentence_idx"]] is None]
    spans = [(g, locate(g, text)) for g in golds]
    located = [(g, s) for g, s in spans if s is not None]
    matched_found: set[int] = set()
    hits = value_right = unit_right = 0
    misses: list[str] = []
    wrong: list[str] = []
    for g, (a, b) in located:
        overlapping = [k for k, q in enumerate(found) if q["start_char"] < b and a < q["end_char"]]
        if not overlapping:
            misses.append(g.surface)
            continue
        hits += 1
        matched_found.update(overlapping)
        q = found[overlapping[0]]
        ok_value = _close(q["value_low"], g.value_low) and _close(q["value_high"], g.value_high)
        value_right += ok_value
        unit_right += q["unit"] == g.unit
        if not ok_value or q["unit"] != g.unit:
            wrong.append(f"{g.surface!r}: {q['value_low']:g}-{q['value_high']:g} {q['unit']} (gold {g.unit})")
    extra = [q["surface"] for k, q in enumerate(found) if k not in matched_found]
    return {
        "gold": len(golds),
        "located": len(located),
        "found": len(found),
        "hits": hits,
        "false": len(extra),
        "value_right": value_right,
        "unit_right": unit_right,
        "misses": misses,
        "wrong": wrong,
        "extra": extra,
    }


def _rates(c: dict) -> dict:
    matched_found = c["found"] - c["false"]
    return {
        "precision": round(matched_found / c["found"], 3) if c["found"] else None,
        "recall": round(c["hits"] / c["located"], 3) if c["located"] else None,
        "value_right": round(c["value_right"] / c["hits"], 3) if c["hits"] else None,
        "unit_right": round(c["unit_right"] / c["hits"], 3) if c["hits"] else None,
    }


def evaluate(golds: list[Gold]) -> dict:
    by_file: dict[str, list[Gold]] = defaultdict(list)
    for g in golds:
        by_file[g.file].append(g)
    context = BuildContext("bench", "bench")
    files = {}
    for name, rows in by_file.items():
        path = SHARED / name
        files[name] = score_file(build_episode(path.read_bytes(), path.name, context), rows)
    keys = ("gold", "located", "found", "hits", "false", "value_right", "unit_right")
    total = {k: sum(f[k] for f in files.values()) for k in keys}
    return {
        "overall": {**total, **_rates(total)},
        "files": {name: {**{k: f[k] for k in keys}, **_rates(f), **{k: f[k] for k in ("misses", "wrong", "extra")}}
                  for name, f in files.items()},
    }  # fmt: skip


def print_table(report: dict) -> None:
    print(f"{'set':5} {'file':48} {'gold':>5} {'found':>5} {'prec':>6} {'recall':>6} {'value':>6} {'unit':>6}")
    for set_name, result in report.items():
        rows = [*result["files"].items(), ("overall", result["overall"])]
        for name, r in rows:
            cells = [r[k] for k in ("precision", "recall", "value_right", "unit_right")]
            shown = " ".join(f"{c:6.2f}" if c is not None else "     -" for c in cells)
            print(f"{set_name:5} {Path(name).name[:48]:48} {r['gold']:5} {r['found']:5} {shown}")


def main() -> int:
    missing = [p for p in (*SETS.values(), SHARED) if not p.exists()]
    if missing:
        print(f"missing: {missing}")
        return 1
    report = {name: evaluate(load_gold(path)) for name, path in SETS.items()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
