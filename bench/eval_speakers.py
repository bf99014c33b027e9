"""Evaluate speaker attribution on real files with known answers.

Evaluation sets (built here, independent of the pipeline's own segmentation):

* labelled corpus files of ../shared/corpus/speaker_text turned into the reference format: labels
  removed, one ``- `` marker per speaker change (consecutive same-speaker paragraphs merged). The
  header facts a real user has are passed as they would be by the pipeline (show, title guests);
  show regulars come from seeds/reference/people.csv (a prior, not the answers).
  talkpython_296-f1.txt is left out: its "Name:" prefixes are not reliable speaker labels (they
  are attached to lines that are clearly the host's).
* the reference transcript with hand-labelled golden turns (tests/attribute/...csv).
* the same corpus files with all markers removed, split into sentences: turn-boundary P/R.

Calibration split (Platt parameters fitted with ``--fit``): practical-ai-219, Hamilton Morris,
Lenny teaser. Held-out split: go-time-100, Congressional Record, reference golden.

Run: ``PYTHONPATH=. python bench/eval_speakers.py [--fit] [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tasks.attribute import (
    Attribution,
    Person,
    TurnView,
    attribute_turns,
    candidates,
    is_backchannel_text,
    load_people,
    posteriors,
    propose_boundaries,
    slug,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLDEN = ROOT / "tests" / "attribute" / "golden_bUrCR4jQQg8_speakers.csv"
REFERENCE = ROOT / "seeds" / "transcripts" / "transcript_bUrCR4jQQg8.txt"
RESULTS = ROOT / "bench" / "results" / "eval_speakers.json"

CALIBRATION_FILES = {"practical-ai-219", "hamilton-morris", "lenny-teaser"}

_NONSPEECH = re.compile(r"\\?\[[^\]]*\\?\]|\([^)]*\)")
_MARKER = re.compile(r"(?:^|(?<=\s))-\s+(?=\S)")


@dataclass
class EvalFile:
    key: str
    turns: list[tuple[str, str]]  # (true speaker name, text)
    roles: dict[str, str]  # true name -> role
    show: str | None
    title: str | None
    hosts: list[str]
    guests: list[str]
    golden: dict[int, tuple[str, str, bool]] | None = None  # turn -> (name, role, name_certain)


def _clean(text: str) -> str:
    return " ".join(_NONSPEECH.sub(" ", text).split())


def _merge(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for who, text in pairs:
        text = _clean(text)
        if not text:
            continue
        if out and out[-1][0] == who:
            out[-1] = (who, out[-1][1] + " " + text)
        else:
            out.append((who, text))
    return out


def read_changelog(path: Path) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    who = None
    for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        m = re.match(r"\s*\*\*([^*]+?):\*\*\s*(.*)", para, re.S)
        if m:
            who, text = m.group(1).strip(), m.group(2)
        else:
            text = para  # unlabelled paragraph continues the last speaker
        if who and who != "Break":
            pairs.append((who, text))
    return _merge(pairs)


def read_lenny(path: Path) -> list[tuple[str, str]]:
    body = path.read_text(encoding="utf-8").split("## Transcript", 1)[1]
    pairs = re.findall(
        r"^([A-Z][\w .'-]+?) \(\d+:\d+(?::\d+)?\):\s*\n(.*?)(?=^[A-Z][\w .'-]+? \(\d|\Z)", body, re.M | re.S
    )
    return _merge([(w.strip(), t) for w, t in pairs])


def read_bracket(path: Path, names: dict[str, str]) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    pairs = re.findall(r"^\[(Speaker \d+) [\d:]+\]\s*\n(.*?)(?=^\[Speaker \d+ |\Z)", text, re.M | re.S)
    return _merge([(names[w], t) for w, t in pairs])


def read_congrec(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    text = text.split("BREAST CANCER AWARENESS MONTH", 1)[1]
    text = re.sub(r"\s*_{5,}.*", "", text, flags=re.S)
    pairs = []
    for m in re.finditer(
        r"^  (The SPEAKER pro tempore\.|M[rs]s?\. [A-Z][A-Z ]+\.)\s(.*?)"
        r"(?=^  (?:The SPEAKER|M[rs]s?\. [A-Z]{3})|\Z)",
        text,
        re.M | re.S,
    ):
        label = m.group(1).rstrip(".")
        who = "The Speaker pro tempore" if "SPEAKER" in label else "Debbie Wasserman Schultz"
        pairs.append((who, m.group(2)))
    return _merge(pairs)


def corpus_files(corpus: Path) -> list[EvalFile]:
    st = corpus / "speaker_text"
    files = [
        EvalFile(
            "go-time-100",
            read_changelog(st / "changelog_go-time-100.md"),
            {"Carmen Andoh": "host", "Jon Calhoun": "host", "Rob Pike": "guest", "Robert Griesemer": "guest"},
            "Go Time",
            "Go Time #100: Rob Pike and Robert Griesemer",
            [],
            ["Rob Pike", "Robert Griesemer"],
        ),
        EvalFile(
            "practical-ai-219",
            read_changelog(st / "changelog_practical-ai-219.md"),
            {"Daniel Whitenack": "host", "Chris Benson": "host", "Rajiv Shah": "guest"},
            "Practical AI",
            "Practical AI #219 with Rajiv Shah",
            [],
            ["Rajiv Shah"],
        ),
        EvalFile(
            "hamilton-morris",
            read_bracket(
                st / "deleeck_Hamilton Morris interviews Ethan Nadelmann.txt",
                {"Speaker 1": "Hamilton Morris", "Speaker 2": "Ethan Nadelmann"},
            ),
            {"Hamilton Morris": "host", "Ethan Nadelmann": "guest"},
            "Hamilton Morris Podcast",
            "Hamilton Morris interviews Ethan Nadelmann",
            [],
            [],
        ),
        EvalFile(
            "lenny-teaser",
            read_lenny(st / "lenny_teaser_2021_transcript.md"),
            {"Greg Isenberg": "host", "Sahil Bloom": "host"},
            "Lenny's Podcast",
            "Teaser_2021",
            [],
            [],
        ),
        EvalFile(
            "congrec-H6909",
            read_congrec(st / "congrec_CREC-2013-10-30-pt1-PgH6909.txt"),
            {"The Speaker pro tempore": "other", "Debbie Wasserman Schultz": "guest"},
            None,
            "Breast Cancer Awareness Month",
            [],
            [],
        ),
    ]
    return [f for f in files if f.turns]


def reference_turns(path: Path = REFERENCE) -> list[str]:
    """Turns of the reference page: body after 'Transcript', split on '- ' markers."""
    body = path.read_text(encoding="utf-8").split("\nTranscript\n", 1)[1]
    return [t for t in (_clean(p) for p in _MARKER.split(body)) if t]


def load_golden(path: Path = GOLDEN) -> dict[int, tuple[str, str, bool]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return {
        int(r["turn_idx"]): (r["speaker"], r["role"], r["name_certain"] == "1") for r in csv.DictReader(lines)
    }


def reference_file() -> EvalFile:
    texts = reference_turns()
    gold = load_golden()
    return EvalFile(
        "reference-bUrCR4jQQg8",
        [(gold.get(i, ("?", "", False))[0], t) for i, t in enumerate(texts)],
        {"Brad Gerstner": "host", "Clark Tang": "host", "Jensen Huang": "guest"},
        "BG2",
        "Ep17. Welcome Jensen Huang",
        ["Bill Gurley", "Brad Gerstner"],
        ["Jensen Huang"],
        gold,
    )


def views(turns: list[tuple[str, str]], labelled: bool = False) -> list[TurnView]:
    return [TurnView(t, len(t.split()), w if labelled else None, is_backchannel_text(t)) for w, t in turns]


def people_for(f: EvalFile, people_by_show: dict[str, list[Person]]) -> list[Person]:
    return candidates(f.title, f.show, f.hosts, f.guests, people_by_show)


# ---------------------------------------------------------------- scoring


def score_rows(f: EvalFile, atts: list[Attribution]) -> list[dict]:
    """Per scored turn: words, name ok, role ok, confidence, answered."""
    rows = []
    for i, ((who, text), a) in enumerate(zip(f.turns, atts, strict=True)):
        if f.golden is not None:
            if i not in f.golden:
                continue
            who, role, certain = f.golden[i]
        else:
            role, certain = f.roles.get(who, "other"), True
        rows.append(
            {
                "w": len(text.split()),
                "name_ok": a.speaker_id == slug(who),
                "role_ok": a.role == role,
                "name_scored": certain,
                "conf": a.confidence,
                "answered": a.speaker_id is not None,
            }
        )
    return rows


def acc(rows: list[dict], key: str) -> float | None:
    sel = [r for r in rows if key != "name_ok" or r["name_scored"]]
    w = sum(r["w"] for r in sel)
    return round(sum(r["w"] for r in sel if r[key]) / w, 4) if w else None


def reliability(rows: list[dict], bins: int = 5) -> tuple[list[dict], float | None]:
    """Reliability table over answered, name-scored turns (turn-weighted) and the ECE."""
    sel = [r for r in rows if r["answered"] and r["name_scored"]]
    table = []
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inb = [r for r in sel if lo <= r["conf"] < hi or (b == bins - 1 and r["conf"] == 1.0)]
        if not inb:
            continue
        mc = sum(r["conf"] for r in inb) / len(inb)
        ac = sum(r["name_ok"] for r in inb) / len(inb)
        table.append(
            {"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inb), "mean_conf": round(mc, 4), "accuracy": round(ac, 4)}
        )
        ece += len(inb) / len(sel) * abs(mc - ac)
    return table, (round(ece, 4) if sel else None)


def baseline(f: EvalFile, people: list[Person]) -> list[Attribution]:
    """Alternating host/guest from turn 0, named after the first host and first guest candidates."""
    h = next((p for p in people if p.role == "host"), None)
    g = next((p for p in people if p.role == "guest"), None)
    out = []
    for i in range(len(f.turns)):
        p, role = (h, "host") if i % 2 == 0 else (g, "guest")
        out.append(Attribution(slug(p.name) if p else None, p.name if p else None, role, "inferred", 0.5))
    return out


def sentences_of(turns: list[tuple[str, str]]) -> tuple[list[str], set[int]]:
    sents: list[str] = []
    starts: set[int] = set()
    for _w, text in turns:
        starts.add(len(sents))
        sents += [s for s in re.split(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])", text) if s.strip()]
    return sents, starts


def boundary_scores(f: EvalFile) -> dict:
    sents, truth = sentences_of(f.turns)
    prop = propose_boundaries(sents)
    pred = {i for i, _c in prop}
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    return {
        "n_sentences": len(sents),
        "n_true": len(truth),
        "n_pred": len(pred),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def fit_platt(pairs: list[tuple[float, bool]]) -> tuple[float, float]:
    """1-D logistic regression of correctness on logit(raw posterior): Newton steps, deterministic."""
    a, b = 1.0, 0.0
    xs = [math.log(min(max(p, 1e-6), 1 - 1e-6) / (1 - min(max(p, 1e-6), 1 - 1e-6))) for p, _ in pairs]
    ys = [1.0 if ok else 0.0 for _, ok in pairs]
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys, strict=True):
            q = 1 / (1 + math.exp(-(a * x + b)))
            ga += (q - y) * x
            gb += q - y
            w = q * (1 - q) + 1e-9
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab + 1e-12
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return round(a, 4), round(b, 4)


def raw_pairs(f: EvalFile, people: list[Person]) -> list[tuple[float, bool]]:
    tv = views(f.turns)
    ppl, post = posteriors(tv, people)
    out = []
    for (who, _t), row in zip(f.turns, post, strict=True):
        best = max(range(len(ppl)), key=lambda i: (row[i], -i))
        out.append((row[best], slug(ppl[best].name) == slug(who)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument(
        "--fit", action="store_true", help="fit Platt parameters on the calibration split and print"
    )
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    people_by_show = load_people(ROOT / "seeds" / "reference")
    files = corpus_files(args.corpus) if args.corpus.is_dir() else []
    if args.fit:
        pairs = [
            p
            for f in files
            if f.key in CALIBRATION_FILES
            for p in raw_pairs(f, people_for(f, people_by_show))
        ]
        print("CALIBRATION =", fit_platt(pairs), f"(from {len(pairs)} turns)")
        return 0
    files.append(reference_file())
    result: dict = {"files": {}, "calibration_split": sorted(CALIBRATION_FILES)}
    all_rows: dict[str, list[dict]] = {"calibration": [], "held_out": []}
    base_rows_all: list[dict] = []
    for f in files:
        people = people_for(f, people_by_show)
        atts = attribute_turns(views(f.turns), people)
        rows = score_rows(f, atts)
        brows = score_rows(f, baseline(f, people))
        table, ece = reliability(rows)
        lab = attribute_turns(views(f.turns, labelled=True), people) if f.golden is None else None
        lab_ok = None
        if lab is not None:
            lab_ok = round(
                sum(a.speaker_id == slug(w) for (w, _t), a in zip(f.turns, lab, strict=True)) / len(lab), 4
            )
        split = "calibration" if f.key in CALIBRATION_FILES else "held_out"
        all_rows[split] += rows
        base_rows_all += brows
        result["files"][f.key] = {
            "split": split,
            "n_turns_scored": len(rows),
            "n_words_scored": sum(r["w"] for r in rows),
            "speakers": sorted({w for w, _ in f.turns if w != "?"}),
            "candidates": [p.name for p in people],
            "name_accuracy": acc(rows, "name_ok"),
            "role_accuracy": acc(rows, "role_ok"),
            "answered_share": round(
                sum(r["w"] for r in rows if r["answered"]) / max(1, sum(r["w"] for r in rows)), 4
            ),
            "baseline_name_accuracy": acc(brows, "name_ok"),
            "baseline_role_accuracy": acc(brows, "role_ok"),
            "ece": ece,
            "reliability": table,
            "labelled_normalisation_accuracy": lab_ok,
            "boundaries_unmarked": boundary_scores(f) if f.golden is None else None,
        }
    overall = {}
    for split, rows in [*all_rows.items(), ("all", all_rows["calibration"] + all_rows["held_out"])]:
        table, ece = reliability(rows)
        overall[split] = {
            "name_accuracy": acc(rows, "name_ok"),
            "role_accuracy": acc(rows, "role_ok"),
            "ece": ece,
            "reliability": table,
        }
    overall["baseline_all"] = {
        "name_accuracy": acc(base_rows_all, "name_ok"),
        "role_accuracy": acc(base_rows_all, "role_ok"),
    }
    bs = [v["boundaries_unmarked"] for v in result["files"].values() if v["boundaries_unmarked"]]
    tp = sum(b["precision"] * b["n_pred"] for b in bs)
    npred, ntrue = sum(b["n_pred"] for b in bs), sum(b["n_true"] for b in bs)
    rec = sum(b["recall"] * b["n_true"] for b in bs)
    overall["boundaries_unmarked"] = {
        "precision": round(tp / npred, 4) if npred else None,
        "recall": round(rec / ntrue, 4) if ntrue else None,
    }
    result["overall"] = overall
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print_table(result)
    return 0


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def print_table(result: dict) -> None:
    print(
        f"{'file':24} {'split':11} {'turns':>5} {'words':>6} {'name':>7} {'role':>7} {'b.name':>7} "
        f"{'b.role':>7} {'ECE':>6} {'lab.norm':>8} {'bnd P':>6} {'bnd R':>6}"
    )
    for k, v in result["files"].items():
        b = v["boundaries_unmarked"] or {}
        print(
            f"{k:24} {v['split']:11} {v['n_turns_scored']:5d} {v['n_words_scored']:6d} "
            f"{_pct(v['name_accuracy'])} {_pct(v['role_accuracy'])} "
            f"{_pct(v['baseline_name_accuracy'])} {_pct(v['baseline_role_accuracy'])} "
            f"{v['ece'] if v['ece'] is not None else '-':>6} {_pct(v['labelled_normalisation_accuracy']):>8} "
            f"{_pct(b.get('precision')):>6} {_pct(b.get('recall')):>6}"
        )
    o = result["overall"]
    for split in ("calibration", "held_out", "all"):
        print(
            f"{'OVERALL ' + split:36} {'':6} {_pct(o[split]['name_accuracy'])} "
            f"{_pct(o[split]['role_accuracy'])} "
            f"{'':15} {o[split]['ece']}"
        )
    print(
        f"{'BASELINE (alternate host/guest)':43} {_pct(o['baseline_all']['name_accuracy'])} "
        f"{_pct(o['baseline_all']['role_accuracy'])}"
    )
    print("reliability (all):", o["all"]["reliability"])
    print("unmarked boundaries overall:", o["boundaries_unmarked"])


if __name__ == "__main__":
    sys.exit(main())
