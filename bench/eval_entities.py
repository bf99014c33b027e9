"""Named entities: the `mentions` table scored against hand-checked entity lists of real pages.

Data (labelled by an assistant reading each file in full, not checked by a person; the rules are in each file's
header). The files come from ../shared/training/, which is not a source of seeds/reference/entities.csv:

- ``bench/data/entities_dev.tsv``: a Latent Space TV page (Whisper ASR) and a Changelog episode (human-edited).
  Development: rules may be written after reading its failures, so its figures are in-sample.
- ``bench/data/entities_test.tsv``: a Bogleheads Q&A page (Whisper ASR) and a Lenny's Podcast episode
  (human-edited). Held out: read its totals, never its failures, before a change is kept (the JSON keeps the
  failure lists of dev only).

Each gold row is one distinct ORG / PERSON / PRODUCT entity of a file with every surface spelling said. The file
is built by the real pipeline (`build_episode` with the shipped reference folder, as a run does) and its mentions
are grouped by ``entity_id`` into predicted entities: company/organisation/show -> ORG, person -> PERSON,
product/technology -> PRODUCT, place dropped, ``unknown`` untyped (a candidate carries the type its evidence
gave it, often ``unknown``). A predicted entity matches a gold
one when one of its surfaces or its canonical equals a gold surface or canonical, case-insensitively.

Figures per file, per set and overall (micro, over distinct entities): typed precision (typed predictions that
match a gold entity of the same type), typed recall, untyped recall (gold found by any prediction, candidates
included), untyped precision (predictions of any kind matching some gold entity), the share of predictions that
are candidates, and the "gazetteer only" baseline (mentions whose match_kind is not ``candidate``).

Run: ``PYTHONPATH=. python bench/eval_entities.py``; writes bench/results/eval_entities.json.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tasks.document import BuildContext
from tasks.episode import build_episode
from tasks.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {"dev": ROOT / "bench" / "data" / "entities_dev.tsv", "test": ROOT / "bench" / "data" / "entities_test.tsv"}
RESULTS = ROOT / "bench" / "results" / "eval_entities.json"
TYPES = ("ORG", "PERSON", "PRODUCT")
CLASS_OF = {
    "company": "ORG",
    "organisation": "ORG",
    "show": "ORG",
    "person": "PERSON",
    "product": "PRODUCT",
    "technology": "PRODUCT",
    "unknown": None,
}
IGNORED_TYPES = frozenset({"place"})
COUNTS = ("gold", "predicted", "candidates", "typed", "typed_right", "typed_found", "found", "matching", "gaz_found",
          "gaz_predicted", "gaz_matching")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entity:
    """A gold entity, or a predicted one (``type`` None for a candidate)."""

    canonical: str
    type: str | None
    surfaces: frozenset[str]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(_key(s) for s in (*self.surfaces, self.canonical))


def _key(surface: str) -> str:
    return " ".join(surface.split()).casefold()


def load_gold(path: Path) -> dict[str, list[Entity]]:
    """Gold entities by file (relative to ../shared)."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    by_file: dict[str, list[Entity]] = defaultdict(list)
    for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        by_file[r["file"]].append(Entity(r["canonical"], r["type"], frozenset(r["surfaces"].split("|"))))
    return dict(by_file)


def predicted_entities(mentions: Iterable[dict]) -> list[Entity]:
    """Mentions (rows of the `mentions` layer) grouped by entity into distinct predicted entities."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        if m["entity_type"] not in IGNORED_TYPES:
            groups[m["entity_id"]].append(m)
    out = []
    for rows in groups.values():
        first = rows[0]
        if first["entity_type"] not in CLASS_OF:
            raise ValueError(f"unmapped entity_type {first['entity_type']!r}")
        kind = CLASS_OF[first["entity_type"]]
        out.append(Entity(first["canonical"], kind, frozenset(m["surface"] for m in rows)))
    return out


def _matches(p: Entity, g: Entity, typed: bool) -> bool:
    return bool(p.keys & g.keys) and (not typed or p.type == g.type)


def score(gold: Sequence[Entity], predicted: Sequence[Entity], gazetteer: Sequence[Entity]) -> dict:
    """Counts of one file; `gazetteer` is `predicted` without the candidates."""
    typed = [p for p in predicted if p.type is not None]

    def found(preds: Sequence[Entity], typed_match: bool) -> list[Entity]:
        return [g for g in gold if any(_matches(p, g, typed_match) for p in preds)]

    def matching(preds: Sequence[Entity], typed_match: bool) -> list[Entity]:
        return [p for p in preds if any(_matches(p, g, typed_match) for g in gold)]

    typed_found, any_found, any_matching = found(typed, True), found(predicted, False), matching(predicted, False)
    return {
        "gold": len(gold),
        "predicted": len(predicted),
        "candidates": len(predicted) - len(typed),
        "typed": len(typed),
        "typed_right": len(matching(typed, True)),
        "typed_found": len(typed_found),
        "found": len(any_found),
        "matching": len(any_matching),
        "gaz_found": len(found(gazetteer, False)),
        "gaz_predicted": len(gazetteer),
        "gaz_matching": len(matching(gazetteer, False)),
        "missed": sorted(g.canonical for g in gold if g not in any_found),
        "wrong_type": sorted(f"{g.canonical} ({g.type})" for g in any_found if g not in typed_found),
        "extra": sorted(f"{p.canonical} ({p.type or 'candidate'})" for p in predicted if p not in any_matching),
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def rates(c: dict) -> dict:
    return {
        "typed_precision": _ratio(c["typed_right"], c["typed"]),
        "typed_recall": _ratio(c["typed_found"], c["gold"]),
        "untyped_recall": _ratio(c["found"], c["gold"]),
        "untyped_precision": _ratio(c["matching"], c["predicted"]),
        "candidate_share": _ratio(c["candidates"], c["predicted"]),
        "gaz_untyped_recall": _ratio(c["gaz_found"], c["gold"]),
        "gaz_untyped_precision": _ratio(c["gaz_matching"], c["gaz_predicted"]),
    }


def score_file(name: str, gold: Sequence[Entity], context: BuildContext) -> dict:
    path = SHARED / name
    mentions = build_episode(path.read_bytes(), path.name, context).layers["mentions"].to_dicts()
    predicted = predicted_entities(mentions)
    gazetteer = predicted_entities(m for m in mentions if m["match_kind"] != "candidate")
    return score(gold, predicted, gazetteer)


def evaluate(gold: dict[str, list[Entity]], context: BuildContext, details: bool) -> dict:
    files = {name: score_file(name, rows, context) for name, rows in gold.items()}
    total = {k: sum(f[k] for f in files.values()) for k in COUNTS}
    lists = ("missed", "wrong_type", "extra") if details else ()
    return {
        "overall": {**total, **rates(total)},
        "files": {n: {**{k: f[k] for k in COUNTS}, **rates(f), **{k: f[k] for k in lists}} for n, f in files.items()},
    }


def print_table(report: dict) -> None:
    heads = ("gold", "pred", "cand%", "typP", "typR", "untR", "untP", "gazR", "gazP")
    print(f"{'set':7} {'file':44} " + " ".join(f"{h:>6}" for h in heads))
    keys = ("candidate_share", "typed_precision", "typed_recall", "untyped_recall", "untyped_precision",
            "gaz_untyped_recall", "gaz_untyped_precision")  # fmt: skip
    for set_name, result in report.items():
        for name, r in [*result["files"].items(), ("overall", result["overall"])]:
            shown = " ".join(f"{r[k]:6.2f}" if r[k] is not None else "     -" for k in keys)
            print(f"{set_name:7} {Path(name).name[:44]:44} {r['gold']:6} {r['predicted']:6} {shown}")


def main() -> int:
    if not SHARED.exists():
        print(f"missing: {SHARED}")
        return 1
    context = BuildContext("bench", "bench", load_reference(ROOT / "seeds" / "reference"))
    report: dict[str, dict] = {}
    for name, path in SETS.items():
        if not path.exists():
            print(f"skipping {name}: {path} is missing")
            continue
        report[name] = evaluate(load_gold(path), context, details=name == "dev")
    if report:
        counts = [r["overall"] for r in report.values()]
        total = {k: sum(c[k] for c in counts) for k in COUNTS}
        report["all"] = {"files": {}, "overall": {**total, **rates(total)}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
