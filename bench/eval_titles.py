"""How much of who speaks the title grammar (`tasks.formats.titles`) reads from real titles.

Data: real episode titles of many channels (lawwu/transcripts' index of YouTube podcast and talk pages),
each labelled title by title (a reading pass by an assistant, not a program, not checked by a person) with
the people it names, the subset who speak in the episode (guests, named hosts, panelists, a lecturer) and
the title's form, in two sets from different parts of the index:

* ``bench/data/title_people.tsv`` (``development``, 413 titles): the grammar as it stood read 18% of their
  speakers (precision 79%); its forms were then extended while reading these titles, so its figures now
  are in-sample;
* ``bench/data/title_people_test.tsv`` (``test``, 417 titles from other parts of the index): labelled in a
  separate pass and never read while the grammar was written: its figures are held out.

Scored per name: a name the grammar returns (hosts, guests or role-less people) is right when it is one of
the title's speakers (the same person key, or a near spelling); names of people a title is only about
("Sam Altman's World Tour") and of no person at all are false. Recall is over the labelled speakers.
Reported overall and per form, with the share of titles whose speakers are all found and nothing else.

Run: ``PYTHONPATH=. python bench/eval_titles.py``; writes bench/results/eval_titles.json.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(ROOT))

from tasks.formats.titles import read_title  # noqa: E402
from tasks.speakers.people import person_key  # noqa: E402

SETS = {
    "development": ROOT / "bench" / "data" / "title_people.tsv",
    "test": ROOT / "bench" / "data" / "title_people_test.tsv",
}
RESULTS = ROOT / "bench" / "results" / "eval_titles.json"
# Two spellings are one person from this rapidfuzz ratio of their keys on.
SAME_NAME_RATIO = 90


@dataclass(frozen=True)
class LabelledTitle:
    title: str
    people: tuple[str, ...]
    speakers: tuple[str, ...]
    form: str


def load_titles(path: Path) -> list[LabelledTitle]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t")

    def names(cell: str | None) -> tuple[str, ...]:
        return tuple(n.strip() for n in (cell or "").split("|") if n.strip())

    return [LabelledTitle(r["title"], names(r["people"]), names(r["speakers"]), r["form"].strip()) for r in rows]


def _same(a: str, b: str) -> bool:
    ka, kb = person_key(a), person_key(b)
    return ka == kb or fuzz.ratio(ka, kb) >= SAME_NAME_RATIO


def found_names(title: str) -> tuple[str, ...]:
    facts = read_title(title)
    return (*facts.hosts, *facts.guests, *facts.people)


def score(titles: list[LabelledTitle]) -> dict:
    """Per-name precision and recall, and per-title exactness, overall and per labelled form."""
    per_form: dict[str, Counter[str]] = {}
    misses: list[dict] = []
    for t in titles:
        found = found_names(t.title)
        right = [f for f in found if any(_same(f, s) for s in t.speakers)]
        recalled = [s for s in t.speakers if any(_same(f, s) for f in found)]
        exact = len(right) == len(found) and len(recalled) == len(t.speakers)
        for key in ("all", t.form):
            c = per_form.setdefault(key, Counter())
            c["titles"] += 1
            c["with_speakers"] += bool(t.speakers)
            c["found"] += len(found)
            c["right"] += len(right)
            c["speakers"] += len(t.speakers)
            c["recalled"] += len(recalled)
            c["exact"] += exact
        if not exact:
            misses.append({"title": t.title, "form": t.form, "speakers": list(t.speakers), "found": list(found)})

    def figures(c: Counter[str]) -> dict:
        return {
            "titles": c["titles"],
            "titles_naming_a_speaker": c["with_speakers"],
            "speakers": c["speakers"],
            "names_found": c["found"],
            "precision": round(c["right"] / c["found"], 4) if c["found"] else None,
            "recall": round(c["recalled"] / c["speakers"], 4) if c["speakers"] else None,
            "titles_exact": round(c["exact"] / c["titles"], 4),
        }

    return {
        "protocol": "hand-labelled real titles (bench/data/title_people.tsv); a found name is right when it is one "
        "of the title's speakers; the grammar was not tuned on these titles",
        "overall": figures(per_form.pop("all")),
        "per_form": {form: figures(c) for form, c in sorted(per_form.items(), key=lambda kv: -kv[1]["titles"])},
        "misses": misses,
    }


def main() -> None:
    result = {name: score(load_titles(path)) for name, path in SETS.items() if path.is_file()}
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, scored in result.items():
        print(f"{name}: {scored['overall']['titles']} titles")
        print(f"  {'form':14} {'titles':>6} {'naming':>6} {'precision':>9} {'recall':>7} {'exact':>6}")
        for form, f in [("ALL", scored["overall"]), *scored["per_form"].items()]:
            p = "-" if f["precision"] is None else f"{f['precision']:.0%}"
            r = "-" if f["recall"] is None else f"{f['recall']:.0%}"
            n = f["titles_naming_a_speaker"]
            print(f"  {form:14} {f['titles']:6} {n:6} {p:>9} {r:>7} {f['titles_exact']:6.0%}")


if __name__ == "__main__":
    main()
